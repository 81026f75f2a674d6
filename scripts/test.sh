#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine (packages), builds Sluice with warnings
# as errors, and runs the whole test suite with CTest.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
build_dir=${SLUICE_BUILD_DIR:-build}
cmake -S . -B "$build_dir" -DSLUICE_WERROR=ON
cmake --build "$build_dir" -j"$(nproc)"
ctest --test-dir "$build_dir" --output-on-failure -j"$(nproc)"
