#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine (packages), builds Sluice with warnings
# as errors, runs the whole test suite with CTest, then the sanitizer passes
# and the fuzz smoke.
#
# Passes and their time on a 2-core machine (measured 2026-12-01, load ~2):
#   build + ctest (every test, incl. the conformance suite
#     on PostgreSQL and MariaDB and the seeded crash matrix)   ~10 min
#   ASan + UBSan: a second build, the whole suite under it
#     (scripts/sanitizer-pass.sh asan; 478 tests, 13 min at
#     load ~3 on 2026-12-06)                                     ~13 min
#   TSan: a third build of the threaded parts' tests, run
#     under it (scripts/sanitizer-pass.sh tsan names them; since
#     2026-12-06 with the parallel-stream conformance tests)     ~7 min
#   fuzz smoke: each tests/fuzz target (13 since the seventh
#     2026-12-07 session) for 8 s, after a clang build of the
#     libraries it needs (scripts/fuzz.sh; long runs:
#     scripts/fuzz.sh TARGET MINUTES)                              ~5 min
# The whole of it, from a clean clone (.ci/run): CI measured 2,125 s
# (35 min) at the seventh 2026-12-07 stop (~1,040 tests); on this kind of
# machine at load ~1 the eighth session's clean clone took 2,708 s (1,051
# tests; plain pass 1,051, ASan 1,049, TSan 376, all passing), which is why
# the fuzz smoke went from 12 s to 8 s a target. If it nears 45 min again,
# the ASan pass is the one to trim (it builds and runs the whole suite;
# the connectors' 1,000,000-row tests are the heaviest under it).
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
