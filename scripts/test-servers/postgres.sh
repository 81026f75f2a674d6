#!/usr/bin/env bash
# A throwaway PostgreSQL server on 127.0.0.1 for tests and development.
#
#   postgres.sh start STATE_DIR    initialise (first time) and start; writes
#                                  STATE_DIR/url: postgresql://sluice:PW@127.0.0.1:PORT/postgres
#   postgres.sh stop STATE_DIR     stop the server, keep its data (start resumes it)
#   postgres.sh destroy STATE_DIR  stop it and delete its data
#
# Tuned for tests, not durability: fsync and synchronous_commit are off (a
# stopped or killed server keeps its data; only an OS crash would lose it).
# SLUICE_PG_TLS_CERT and SLUICE_PG_TLS_KEY (PEM files) turn TLS on (ssl=on)
# with that certificate; the files are copied next to the data, private to
# the server's user, as PostgreSQL requires of a key.
set -euo pipefail
source "$(dirname "$0")/common.sh"

action=${1:-}
state_dir=${2:-}
[ -n "$action" ] && [ -n "$state_dir" ] || die "usage: postgres.sh start|stop|destroy STATE_DIR"
bin=${SLUICE_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
[ -x "$bin/postgres" ] || die "PostgreSQL server binaries not found (install postgresql: scripts/install-deps.sh)"

start() {
  mkdir -p "$state_dir"
  local root
  if [ -f "$state_dir/root" ] && [ -d "$(cat "$state_dir/root")/data" ]; then
    root=$(cat "$state_dir/root")
  else
    root=$(new_data_root postgres)
    echo "$root" > "$state_dir/root"
    printf '%s\n' "$test_password" > "$root/pwfile"
    [ "$(id -u)" -ne 0 ] || chown "$service_user" "$root/pwfile"
    as_service_user "$bin/initdb" -D "$root/data" -U sluice --pwfile="$root/pwfile" --auth=scram-sha-256 \
      -E UTF8 --no-locale --no-sync > "$root/initdb.log" 2>&1 || die "initdb failed: $(tail -3 "$root/initdb.log")"
    rm -f "$root/pwfile"
  fi
  if [ -f "$state_dir/url" ] && as_service_user "$bin/pg_ctl" -D "$root/data" status > /dev/null 2>&1; then
    echo "postgresql: already running ($(cat "$state_dir/url" | sed 's/:[^:@]*@/:********@/'))"
    return 0
  fi
  local tls=""
  if [ -n "${SLUICE_PG_TLS_CERT:-}" ]; then
    install -m 600 "$SLUICE_PG_TLS_CERT" "$root/server.crt"
    install -m 600 "${SLUICE_PG_TLS_KEY:?SLUICE_PG_TLS_KEY must come with SLUICE_PG_TLS_CERT}" "$root/server.key"
    [ "$(id -u)" -ne 0 ] || chown "$service_user" "$root/server.crt" "$root/server.key"
    tls="-c ssl=on -c ssl_cert_file=$root/server.crt -c ssl_key_file=$root/server.key"
  fi
  local port
  for attempt in 1 2 3 4 5; do
    port=$(cat "$state_dir/port" 2>/dev/null || candidate_port)
    if as_service_user "$bin/pg_ctl" -D "$root/data" -l "$root/server.log" -w -t 30 start -o \
        "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories= -c fsync=off \
         -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 $tls" > /dev/null 2>&1; then
      echo "$port" > "$state_dir/port"
      echo "postgresql://sluice:$test_password@127.0.0.1:$port/postgres" > "$state_dir/url"
      echo "postgresql: listening on 127.0.0.1:$port (data in $root)"
      return 0
    fi
    # A kept port may have been taken meanwhile: pick a new one.
    rm -f "$state_dir/port"
  done
  die "postgresql did not start: $(tail -5 "$root/server.log" 2>/dev/null)"
}

stop() {
  [ -f "$state_dir/root" ] || return 0
  local root
  root=$(cat "$state_dir/root")
  [ -f "$root/data/postmaster.pid" ] || return 0
  # postgres deletes postmaster.pid when it shuts down cleanly: one whose
  # process is gone means it died while tests used it. Say so with its log.
  if ! process_running "$(head -1 "$root/data/postmaster.pid")"; then
    echo "postgres.sh: the server (pid $(head -1 "$root/data/postmaster.pid")) had died before this stop; the end of its log:" >&2
    tail -25 "$root/server.log" >&2 2>/dev/null || true
    return 1
  fi
  as_service_user "$bin/pg_ctl" -D "$root/data" -m fast -w stop > /dev/null 2>&1 || true
}

run_action "$action"
