#!/usr/bin/env bash
# The README demo: sets up the machine, builds Sluice, syncs the example
# `synthetic` connector into ./sluice.db (the embedded default target), runs
# it again to show an incremental run, and queries the result.
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
