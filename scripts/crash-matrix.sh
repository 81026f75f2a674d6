#!/usr/bin/env bash
# Runs the seeded crash matrix (tests/target/crash_matrix_test.cpp) for
# longer than CI does: every engine x sync mode, N kills each.
#   scripts/crash-matrix.sh [--runs N] [--seed S] [BUILD_DIR]
# Prints the seed; a failure replays with the same --seed. Needs a built
# tree (scripts/test.sh builds one); starts and stops its own PostgreSQL and
# MariaDB through the ctest fixture.
set -euo pipefail
runs=20
seed=""
build=build
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) build="$1"; shift ;;
  esac
done
export SLUICE_CRASH_RUNS="$runs"
if [[ -n "$seed" ]]; then export SLUICE_CRASH_SEED="$seed"; fi
exec ctest --test-dir "$build" --output-on-failure -R "target_servers|seeded point" --timeout 3600
