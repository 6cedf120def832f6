#!/usr/bin/env bash
# Runs fuzz targets for a fixed time each, on a copy of their seed corpora,
# and tells whether any crashed. Used by scripts/sanitize.sh (CI) and
# bench/fuzz.sh (longer runs, results table).
#
# Usage: scripts/fuzz_run.sh --build DIR --seconds N --work DIR [--jobs J] [TARGET...]
#
#   --build DIR    a -DWORDLENS_FUZZ=ON build (its tests/fuzz/fuzz_<target>)
#   --seconds N    -max_total_time of each target
#   --work DIR     per target: DIR/<target>/corpus (the seeds, then what the
#                  fuzzer added), DIR/<target>/artifacts (crash-*, leak-*,
#                  timeout-*, oom-* inputs), DIR/<target>/log and
#                  DIR/<target>/stats (one line: "target executions exec/s
#                  crashes corpus_files corpus_bytes seed_files peak_rss_mb")
#   --jobs J       targets run at once (default: the number of CPUs)
#   TARGET...      default: every tests/fuzz/corpus/<target>
#
# libFuzzer flags: -max_total_time=N -rss_limit_mb=2048 -malloc_limit_mb=2048
# -timeout=10 -print_final_stats=1. A target stops at its first crash; its
# input and the stack are in the artifacts and the log. Exit status 1 if any
# target crashed (or failed to start), else 0.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD= SECONDS_EACH= WORK= JOBS=$(nproc)
TARGETS=()
while (($#)); do
  case "$1" in
    --build) BUILD=${2:?}; shift 2 ;;
    --seconds) SECONDS_EACH=${2:?}; shift 2 ;;
    --work) WORK=${2:?}; shift 2 ;;
    --jobs) JOBS=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; exit 0 ;;
    -*) echo "fuzz_run: unknown option '$1' (try --help)" >&2; exit 2 ;;
    *) TARGETS+=("$1"); shift ;;
  esac
done
[[ -n $BUILD && -n $SECONDS_EACH && -n $WORK ]] || { echo "fuzz_run: --build, --seconds and --work are required" >&2; exit 2; }
[[ $SECONDS_EACH =~ ^[1-9][0-9]*$ ]] || { echo "fuzz_run: --seconds must be a positive integer" >&2; exit 2; }
if ((${#TARGETS[@]} == 0)); then
  for d in "$ROOT"/tests/fuzz/corpus/*/; do TARGETS+=("$(basename "$d")"); done
fi

FUZZ_TMP=${TMPDIR:-/tmp}
[[ -d /dev/shm && -w /dev/shm ]] && FUZZ_TMP=/dev/shm

# run_one TARGET: fuzz it, then write WORK/TARGET/stats.
run_one() {
  local t=$1 bin=$BUILD/tests/fuzz/fuzz_$1 dir=$WORK/$1
  rm -rf "$dir"
  mkdir -p "$dir/corpus" "$dir/artifacts"
  cp "$ROOT/tests/fuzz/corpus/$t"/* "$dir/corpus/"
  local seeds
  seeds=$(find "$dir/corpus" -type f | wc -l)
  local rc=0
  # The loaders read files: the targets write each input to TMPDIR, a RAM
  # disk where there is one.
  TMPDIR=$FUZZ_TMP "$bin" "$dir/corpus" -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -malloc_limit_mb=2048 -timeout=10 \
    -print_final_stats=1 -artifact_prefix="$dir/artifacts/" > "$dir/log" 2>&1 || rc=$?
  local execs rate rss crashes files bytes
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$dir/log" | tail -n 1)
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$dir/log" | tail -n 1)
  crashes=$(find "$dir/artifacts" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  ((rc != 0 && crashes == 0)) && crashes=1  # died without an artifact (e.g. could not start)
  files=$(find "$dir/corpus" -type f | wc -l)
  bytes=$(find "$dir/corpus" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')
  echo "$t ${execs:-0} ${rate:-0} $crashes $files $bytes $seeds ${rss:-0}" > "$dir/stats"
}

mkdir -p "$WORK"
for t in "${TARGETS[@]}"; do
  [[ -x $BUILD/tests/fuzz/fuzz_$t ]] || { echo "fuzz_run: no fuzz target $BUILD/tests/fuzz/fuzz_$t" >&2; exit 2; }
  [[ -d $ROOT/tests/fuzz/corpus/$t ]] || { echo "fuzz_run: no seed corpus tests/fuzz/corpus/$t" >&2; exit 2; }
done
running=0
for t in "${TARGETS[@]}"; do
  if ((running >= JOBS)); then
    wait -n || true
    running=$((running - 1))
  fi
  echo "fuzz_run: fuzz_$t for ${SECONDS_EACH}s" >&2
  run_one "$t" &
  running=$((running + 1))
done
wait || true

failed=0
printf '%-20s %12s %8s %8s %14s\n' target executions exec/s crashes "corpus (files)" >&2
for t in "${TARGETS[@]}"; do
  if [[ ! -s $WORK/$t/stats ]]; then  # the run itself failed (cannot copy the seeds, ...)
    echo "$t 0 0 1 0 0 0 0" > "$WORK/$t/stats"
  fi
  read -r _ execs rate crashes files _ seeds _ < "$WORK/$t/stats"
  printf '%-20s %12s %8s %8s %14s\n' "$t" "$execs" "$rate" "$crashes" "$seeds -> $files" >&2
  if ((crashes > 0)); then
    failed=1
    echo "fuzz_run: fuzz_$t CRASHED; inputs in $WORK/$t/artifacts, log $WORK/$t/log:" >&2
    grep -E -A30 '^==[0-9]+==ERROR|runtime error|^SUMMARY|deadly signal|fuzz invariant|uncaught|terminate called' \
      "$WORK/$t/log" | head -n 60 >&2 || tail -n 40 "$WORK/$t/log" >&2
  fi
done
exit "$failed"
