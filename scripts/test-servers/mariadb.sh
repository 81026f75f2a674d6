#!/usr/bin/env bash
# A throwaway MariaDB server on 127.0.0.1 for tests and development.
#
#   mariadb.sh start STATE_DIR    initialise (first time) and start; writes
#                                 STATE_DIR/url: mysql://sluice:PW@127.0.0.1:PORT/mysql
#   mariadb.sh stop STATE_DIR     stop the server, keep its data (start resumes it)
#   mariadb.sh destroy STATE_DIR  stop it and delete its data
#
# Tuned for tests: no binary log, the InnoDB log flushed once a second.
# local_infile is on (Sluice's fast path and the benchmark's baseline use it);
# SLUICE_MARIADB_ARGS adds server options (tests use --local-infile=0).
set -euo pipefail
source "$(dirname "$0")/common.sh"

action=${1:-}
state_dir=${2:-}
[ -n "$action" ] && [ -n "$state_dir" ] || die "usage: mariadb.sh start|stop|destroy STATE_DIR"
command -v mariadbd > /dev/null || [ -x /usr/sbin/mariadbd ] || die "mariadbd not found (install mariadb-server: scripts/install-deps.sh)"
server=$(command -v mariadbd || echo /usr/sbin/mariadbd)

client() { mariadb --no-defaults --protocol=socket -S "$root/mysqld.sock" -u root "$@"; }

server_alive() { [ -f "$root/mysqld.pid" ] && process_running "$(cat "$root/mysqld.pid")"; }

start() {
  mkdir -p "$state_dir"
  local fresh=0
  if [ -f "$state_dir/root" ] && [ -d "$(cat "$state_dir/root")/data" ]; then
    root=$(cat "$state_dir/root")
  else
    root=$(new_data_root mariadb)
    echo "$root" > "$state_dir/root"
    as_service_user mariadb-install-db --no-defaults --datadir="$root/data" --auth-root-authentication-method=normal \
      --skip-test-db > "$root/install.log" 2>&1 || die "mariadb-install-db failed: $(tail -3 "$root/install.log")"
    fresh=1
  fi
  if [ -f "$state_dir/url" ] && server_alive; then
    echo "mariadb: already running ($(cat "$state_dir/url" | sed 's/:[^:@]*@/:********@/'))"
    return 0
  fi
  local port
  for attempt in 1 2 3 4 5; do
    port=$(cat "$state_dir/port" 2>/dev/null || candidate_port)
    rm -f "$root/mysqld.pid"
    as_service_user "$server" --no-defaults --datadir="$root/data" --socket="$root/mysqld.sock" --port="$port" \
      --bind-address=127.0.0.1 --pid-file="$root/mysqld.pid" --log-error="$root/error.log" --skip-log-bin \
      --skip-name-resolve --innodb-flush-log-at-trx-commit=2 --innodb-buffer-pool-size=128M \
      --innodb-log-file-size=256M --max-allowed-packet=64M --local-infile=1 --max-connections=300 \
      ${SLUICE_MARIADB_ARGS:-} > /dev/null 2>&1 &
    local pid=$!
    for _ in $(seq 1 300); do
      if client -e "SELECT 1" > /dev/null 2>&1; then break; fi
      process_running "$pid" || break
      sleep 0.1
    done
    if client -e "SELECT 1" > /dev/null 2>&1; then
      echo "$port" > "$state_dir/port"
      if [ "$fresh" -eq 1 ]; then
        client -e "CREATE USER 'sluice'@'127.0.0.1' IDENTIFIED BY '$test_password';
                   GRANT ALL ON *.* TO 'sluice'@'127.0.0.1' WITH GRANT OPTION;"
      fi
      echo "mysql://sluice:$test_password@127.0.0.1:$port/mysql" > "$state_dir/url"
      echo "mariadb: listening on 127.0.0.1:$port (data in $root)"
      return 0
    fi
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    rm -f "$state_dir/port"
  done
  die "mariadb did not start: $(tail -5 "$root/error.log" 2>/dev/null)"
}

stop() {
  [ -f "$state_dir/root" ] || return 0
  root=$(cat "$state_dir/root")
  if ! server_alive; then
    # mariadbd deletes its pid file when it shuts down cleanly: one left
    # behind means it died (crash, OOM killer, a stray signal) while tests
    # used it. Say so with its log, so the run's failures have a cause.
    if [ -f "$root/mysqld.pid" ]; then
      echo "mariadb.sh: the server (pid $(cat "$root/mysqld.pid")) had died before this stop; the end of its log:" >&2
      grep -v 'Aborted connection' "$root/error.log" 2>/dev/null | tail -25 >&2
      return 1
    fi
    return 0
  fi
  local pid
  pid=$(cat "$root/mysqld.pid")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 300); do
    process_running "$pid" || return 0
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
}

run_action "$action"
