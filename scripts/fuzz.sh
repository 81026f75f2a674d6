#!/usr/bin/env bash
# Fuzzes Sluice's parsers and decoders with libFuzzer (clang, ASan, UBSan).
#   scripts/fuzz.sh TARGET MINUTES   one target for a long run
#   scripts/fuzz.sh --smoke SECONDS  every target for SECONDS each (CI)
#   scripts/fuzz.sh --list           the targets
# Targets are tests/fuzz/fuzz_<TARGET>.cpp. Each run starts from the kept
# corpus (tests/fuzz/corpus/TARGET) in a scratch copy under the build folder;
# a crash leaves its input in BUILD/findings/TARGET/ and fails the script:
# copy it to tests/fuzz/regressions/TARGET/ (named after what it found) and
# fix the bug, so every ctest run replays it from then on.
# BUILD is build-fuzz (SLUICE_FUZZ_BUILD_DIR overrides); memory per input is
# capped at 2 GiB, one input at 10 s.
set -euo pipefail
cd "$(dirname "$0")/.."

build=${SLUICE_FUZZ_BUILD_DIR:-build-fuzz}
# Every tests/fuzz/fuzz_TARGET.cpp but the replay driver: a new target joins
# the smoke by existing.
targets=()
for source in tests/fuzz/fuzz_*.cpp; do
  name=$(basename "$source" .cpp); name=${name#fuzz_}
  [[ $name == replay_main ]] || targets+=("$name")
done

usage() { sed -n '2,12p' "$0"; exit 2; }
[[ $# -ge 1 ]] || usage
case "$1" in
  --list) printf '%s\n' "${targets[@]}"; exit 0 ;;
  --smoke) [[ $# -eq 2 ]] || usage; run=("${targets[@]}"); seconds=$2 ;;
  -h|--help) usage ;;
  *) [[ $# -eq 2 ]] || usage; run=("$1"); seconds=$(( $2 * 60 ))
     [[ " ${targets[*]} " == *" $1 "* ]] || { echo "fuzz.sh: unknown target $1 (--list shows them)" >&2; exit 2; } ;;
esac

if [[ ! -f "$build/CMakeCache.txt" ]]; then
  # Line tables only (-g1): findings name file and line; less compile CPU than -g.
  CC=clang CXX=clang++ cmake -S . -B "$build" -DSLUICE_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" > /dev/null
fi
cmake --build "$build" -j"$(nproc)" --target "${run[@]/#/fuzz_}"

# One target's run; its lines are printed together when it ends.
fuzz_one() {
  local target=$1 work="$build/fuzz-work/$1" findings="$build/findings/$1"
  rm -rf "$work"
  mkdir -p "$work" "$findings"
  cp tests/fuzz/corpus/"$target"/* "$work"/
  # -timeout: one input; -rss_limit_mb: a decompression bomb or a runaway
  # allocation is a finding too.
  if ! "$build/tests/fuzz/fuzz_$target" "$work" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
       -artifact_prefix="$findings/" -print_final_stats=1 2> "$build/fuzz-$target.log"; then
    echo "fuzz: $target for ${seconds}s FOUND A CRASH; input in $findings/, log in $build/fuzz-$target.log" >&2
    grep -m3 -E "ERROR|SUMMARY" "$build/fuzz-$target.log" >&2 || true
    return 1
  fi
  echo "fuzz: $target for ${seconds}s: $(grep -E "stat::number_of_executed_units|cov:" "$build/fuzz-$target.log" | tail -1)"
}

# A libFuzzer run uses one core: as many at once as there are cores (the
# smoke's 12 targets x 8 s took 96 s one after another on two; 13 targets since
# record_cells).
status=0
running=0
for target in "${run[@]}"; do
  if (( running >= $(nproc) )); then
    wait -n || status=1
    running=$((running - 1))
  fi
  fuzz_one "$target" &
  running=$((running + 1))
done
while (( running > 0 )); do
  wait -n || status=1
  running=$((running - 1))
done
exit $status
