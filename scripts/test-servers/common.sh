# Shared helpers for the throwaway test servers (sourced, not run).
#
# The servers run as an unprivileged user: PostgreSQL's initdb and postgres
# refuse root, and a test server must never need the system's services. As
# root (CI) that user is SLUICE_TEST_SERVER_USER (default "nobody") and the
# data lives in a fresh /tmp folder it owns; as a normal developer the
# servers simply run as you.
set -euo pipefail

service_user=${SLUICE_TEST_SERVER_USER:-nobody}

# Runs a command as the service user.
as_service_user() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u "$service_user" -- "$@"
  else
    "$@"
  fi
}

# A new empty folder under /tmp owned by the service user; prints its path.
new_data_root() {
  local root
  root=$(mktemp -d "/tmp/sluice-$1.XXXXXX")
  if [ "$(id -u)" -eq 0 ]; then chown "$service_user" "$root"; fi
  chmod 700 "$root"
  echo "$root"
}

# A port in 20000-59999 that nothing listens on right now. The server may
# still lose a race for it, so callers retry the start on another port.
candidate_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "no free port found on 127.0.0.1" >&2
  return 1
}

# True while process PID runs. A zombie counts as dead: kill -0 succeeds
# on one, and a server that died waits as a zombie until PID 1 reaps it.
process_running() {
  local state
  state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "$state" != Z ]
}

die() {
  echo "$(basename "$0"): $*" >&2
  exit 1
}

# Password of the throwaway superuser: the servers listen on loopback only
# and live for one test run, so a fixed value is fine (the tests also check
# it never appears in any output).
test_password=${SLUICE_TEST_SERVER_PASSWORD:-sluice-Test-pw}

# Dispatches start|stop|destroy to the sourcing script's start() and stop();
# destroy stops the server and deletes its data and state folder.
run_action() {
  case "$1" in
    start) start ;;
    stop) stop ;;
    destroy)
      # A stop that fails (the server had died) still deletes the data,
      # then fails the destroy with the stop's report.
      local stopped=0
      stop || stopped=$?
      if [ -f "$state_dir/root" ]; then rm -rf "$(cat "$state_dir/root")"; fi
      rm -rf "$state_dir"
      return "$stopped"
      ;;
    *) die "unknown action $1 (start, stop, destroy)" ;;
  esac
}
