#!/usr/bin/env bash
# The README demo: sets up the machine, builds Sluice, syncs the example
# `synthetic` connector into ./sluice.db (the embedded default target), runs
# it again to show an incremental run, and queries the result; then starts
# `sluice serve` in a scratch folder and runs the same kind of sync through
# its REST API.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake -S . -B build >/dev/null
cmake --build build -j"$(nproc)"

echo "== sluice plugins"
build/bin/sluice plugins
echo "== sluice sync examples/synthetic.json (first run)"
build/bin/sluice sync examples/synthetic.json
echo "== sluice sync again: incremental streams read only what is new"
build/bin/sluice sync examples/synthetic.json
echo "== the result in ./sluice.db"
sqlite3 -header -column sluice.db \
  "SELECT customer_id, COUNT(*) AS events, ROUND(SUM(amount), 2) AS amount
     FROM usage_events GROUP BY customer_id ORDER BY amount DESC LIMIT 5;"

echo "== the daemon: sluice serve, an API key, a stored connection, a triggered sync"
work=$(mktemp -d)
serve_pid=
trap '[ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null; rm -rf "$work"' EXIT
sluice=$PWD/build/bin/sluice
printf '{"listen": {"port": 0, "port_file": "%s/port"}}\n' "$work" >"$work/serve.json"
(cd "$work" && "$sluice" serve keys create --role admin --config serve.json >key)
(cd "$work" && exec "$sluice" serve --config serve.json) &
serve_pid=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
api=http://127.0.0.1:$(cat "$work/port")
auth=(-H "Authorization: Bearer $(cat "$work/key")")
connection=$(curl -sf "${auth[@]}" "$api/v1/connections" -d '{
  "name": "usage",
  "connection": {"source": {"plugin": "synthetic", "config": {"events": 20000, "api_key": "k-demo-123"}},
                 "target": "sqlite://'"$work"'/usage.db"}}')
echo "$connection"
connection_id=$(printf '%s' "$connection" | grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4)
sync=$(curl -sf "${auth[@]}" -X POST "$api/v1/connections/$connection_id/syncs")
sync_id=$(printf '%s' "$sync" | grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4)
curl -sf "${auth[@]}" "$api/v1/syncs/$sync_id?wait_seconds=60"
echo
sqlite3 "$work/usage.db" "SELECT COUNT(*) || ' usage events synced by the daemon' FROM usage_events;"
