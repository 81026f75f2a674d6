#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine (packages), builds Sluice with warnings
# as errors, runs the whole test suite with CTest, then the sanitizer passes
# and the fuzz smoke.
#
# Passes and their time from a clean clone on a 2-core machine (.ci/run at
# ea7cb07, 2026-12-07, load ~2; each step prints its own as it ends):
#   build (every target; the tests' own code at -O0)          482 s
#   ctest (1,061 tests, incl. the conformance suite on
#     PostgreSQL and MariaDB and the seeded crash matrix)       188 s
#   ASan + UBSan: a second build, the whole suite under it
#     (scripts/sanitizer-pass.sh asan; the product at -O1,
#     the tests at -O0, UBSan without its four pointer
#     checks: cmake/SluiceSanitize.cmake says why)              779 s
#   TSan: a third build of the threaded parts' tests, run
#     under it (scripts/sanitizer-pass.sh tsan names them)      393 s
#   fuzz smoke: each tests/fuzz target for 8 s, as many at
#     once as there are cores, after a clang build of the
#     libraries they need (scripts/fuzz.sh; long runs:
#     scripts/fuzz.sh TARGET MINUTES)                            267 s
#   all                                                 2111 s (35 min)
# The same clean clone at 0f2bc16, before those trims: 2727 s (the ASan
# pass 1214 s, the build 596 s). CI's machines have run ~25% slower.
# SLUICE_TEST_QUICK=1 runs only the first pass.
set -euo pipefail
cd "$(dirname "$0")/.."

# Each step's wall time and the load average, on stderr as it ends: what CI
# prints is then enough to see which pass to trim.
step() {
  local name=$1 started=$SECONDS; shift
  "$@"
  echo "test.sh: $name took $((SECONDS - started)) s (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
}

step "installing packages" scripts/install-deps.sh
build_dir=${SLUICE_BUILD_DIR:-build}
# The default build type (RelWithDebInfo, -O2: what users build, with its
# warnings) but line tables only (-g1): compiling takes ~30% less CPU than
# with -g (measured 2026-12-07) and a failure's stack still names file and
# line. The sanitizer and fuzz builds do the same.
cmake -S . -B "$build_dir" -DSLUICE_WERROR=ON \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG"
step "the build" cmake --build "$build_dir" -j"$(nproc)"
step "the tests" ctest --test-dir "$build_dir" --output-on-failure -j"$(nproc)"

if [[ "${SLUICE_TEST_QUICK:-0}" != 1 ]]; then
  SLUICE_SANITIZER_BUILD_DIR="${build_dir}-asan" step "the ASan pass" scripts/sanitizer-pass.sh asan
  SLUICE_SANITIZER_BUILD_DIR="${build_dir}-tsan" step "the TSan pass" scripts/sanitizer-pass.sh tsan
  SLUICE_FUZZ_BUILD_DIR="${build_dir}-fuzz" step "the fuzz smoke" scripts/fuzz.sh --smoke 8
fi
echo "test.sh: all passes took $SECONDS s" >&2
