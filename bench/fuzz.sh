#!/usr/bin/env bash
# fuzz.sh -- fuzz every loader of wordlens for N minutes each and record the
# executions, speed, crashes and corpus growth in bench/RESULTS.md.
#
# Usage: bench/fuzz.sh [--minutes N] [--targets "a b"] [--jobs J] [--build DIR]
#                      [--keep DIR] [--results FILE]
#
#   --minutes N     fuzzing time per target (default 5; fractions allowed, e.g. 0.5)
#   --targets LIST  default: every tests/fuzz/corpus/<target>
#   --jobs J        targets fuzzed at once (default 1: each gets a whole CPU
#                   and the exec/s column stays comparable)
#   --build DIR     the fuzz build directory (default build-fuzz; configured
#                   with CC=clang CXX=clang++ -DWORDLENS_FUZZ=ON if missing)
#   --keep DIR      keep the grown corpora, artifacts and logs in DIR
#                   (default: a temporary directory, removed unless a
#                   target crashed)
#   --results FILE  default bench/RESULTS.md
#
# Each target runs on a copy of its seed corpus (tests/fuzz/corpus/<target>)
# with -max_total_time, -rss_limit_mb=2048, -malloc_limit_mb=2048 and
# -timeout=10 (scripts/fuzz_run.sh). The table goes between the markers
#   <!-- fuzz:begin --> ... <!-- fuzz:end -->
# of RESULTS.md. A crash fails the script (exit 1) after the table is written;
# its input and stack are in the kept directory.
set -euo pipefail
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(dirname "$SCRIPT_DIR")
MINUTES=5 TARGETS="" JOBS=1 BUILD=$REPO_ROOT/build-fuzz KEEP="" RESULTS=$SCRIPT_DIR/RESULTS.md
die() { echo "fuzz: error: $*" >&2; exit 2; }
while (($#)); do
  case "$1" in
    --minutes) MINUTES=${2:?}; shift 2 ;;
    --targets) TARGETS=${2:?}; shift 2 ;;
    --jobs) JOBS=${2:?}; shift 2 ;;
    --build) BUILD=${2:?}; shift 2 ;;
    --keep) KEEP=${2:?}; shift 2 ;;
    --results) RESULTS=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) die "unknown argument '$1' (try --help)" ;;
  esac
done
[[ $MINUTES =~ ^[0-9]*\.?[0-9]+$ ]] || die "--minutes must be a number"
SECONDS_EACH=$(awk -v m="$MINUTES" 'BEGIN { s = int(m * 60 + 0.5); print s < 1 ? 1 : s }')
read -r -a TARGET_LIST <<< "$TARGETS"
if ((${#TARGET_LIST[@]} == 0)); then
  for d in "$REPO_ROOT"/tests/fuzz/corpus/*/; do TARGET_LIST+=("$(basename "$d")"); done
fi
CMD="bench/fuzz.sh --minutes $MINUTES${TARGETS:+ --targets \"$TARGETS\"} --jobs $JOBS"

# --- build (only the fuzz targets)
command -v clang++ > /dev/null || die "clang++ not found (scripts/install_deps.sh installs clang)"
# The code fuzzed: the commit at build time (and whether the tree had changes).
BUILT=$(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')
[[ -z $(git -C "$REPO_ROOT" status --porcelain --untracked-files=no 2>/dev/null) ]] || BUILT="$BUILT + uncommitted changes"
# Configured every time: a target added since the last run must be known.
CC=clang CXX=clang++ cmake -S "$REPO_ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWORDLENS_FUZZ=ON \
  -DWORDLENS_BUILD_TESTS=OFF > /dev/null
if ! cmake --build "$BUILD" -j "$(nproc)" --target $(printf 'fuzz_%s ' "${TARGET_LIST[@]}") > "$BUILD/fuzz-build.log" 2>&1; then
  tail -n 30 "$BUILD/fuzz-build.log" >&2
  die "building the fuzz targets failed (log: $BUILD/fuzz-build.log)"
fi

# --- run
if [[ -n $KEEP ]]; then
  WORK=$KEEP
else
  WORK=$(mktemp -d -t wordlens-fuzz.XXXXXX)
fi
LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)
rc=0
bash "$REPO_ROOT/scripts/fuzz_run.sh" --build "$BUILD" --seconds "$SECONDS_EACH" --work "$WORK" --jobs "$JOBS" \
  "${TARGET_LIST[@]}" || rc=$?
LOAD_AFTER=$(cut -d' ' -f1 /proc/loadavg)

# --- table
CPU=$(sed -n 's/^model name[[:space:]]*: *//p' /proc/cpuinfo | head -n 1)
SECTION=$WORK/section.md
{
  echo '<!-- fuzz:begin -->'
  echo '## Fuzzing the loaders (libFuzzer, ASan + UBSan)'
  echo
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); wordlens $BUILT (built at the start of the run)"
  echo "- Machine: $(nproc) CPUs (nproc), $CPU, $(uname -sr); load average before/after: $LOAD_BEFORE / $LOAD_AFTER (other builds share the machine)"
  echo "- Compiler: $(clang++ --version | head -n 1); libraries built with \`-fsanitize=address,undefined -fno-sanitize-recover=undefined -fsanitize=fuzzer-no-link\` (RelWithDebInfo), targets linked with \`-fsanitize=fuzzer\`"
  echo "- Command: \`$CMD\`"
  echo "- Each target: \`fuzz_<target> CORPUS -max_total_time=$SECONDS_EACH -rss_limit_mb=2048 -malloc_limit_mb=2048 -timeout=10\` on a copy of \`tests/fuzz/corpus/<target>\`, $JOBS at a time; a target stops at its first crash."
  echo "- Crashes: inputs that made the loader fail other than by a \`common::Error\` (another exception, a sanitizer report, a timeout, an allocation over 2 GB)."
  echo
  echo '| target | loader | executions | exec/s | crashes | corpus files (seeds → after) | corpus after | peak RSS |'
  echo '|---|---|---:|---:|---:|---:|---:|---:|'
  for t in "${TARGET_LIST[@]}"; do
    read -r _ execs rate crashes files bytes seeds rss < "$WORK/$t/stats"
    case "$t" in
      vectors) loader='`w2v::read_vectors`' ;;
      safetensors) loader='`enc::Encoder::load` + `forward`' ;;
      bpe_model) loader='`tok::BpeModel::load` + encode/decode' ;;
      w2v_checkpoint) loader='`w2v::load_checkpoint`' ;;
      encoder_checkpoint) loader='`enc::read_train_checkpoint`' ;;
      vocab) loader='`w2v::Vocab::read`' ;;
      sts) loader='`cmp::read_sts`' ;;
      wic) loader='`cmp::read_wic`' ;;
      lee) loader='`cmp::read_lee`' ;;
      wsi) loader='`cmp::read_wsi` + `prepare_wsi`' ;;
      sentence_index) loader='`cmp::read_sentence_index`' ;;
      *) loader='' ;;
    esac
    printf '| %s | %s | %s | %s | %s | %s → %s | %s KB | %s MB |\n' "$t" "$loader" "$execs" "$rate" "$crashes" \
      "$seeds" "$files" "$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1000 }')" "$rss"
  done
  echo '<!-- fuzz:end -->'
} > "$SECTION"
bash "$SCRIPT_DIR/write_section.sh" "$RESULTS" "$SECTION"
echo "fuzz: table written to $RESULTS"
if ((rc != 0)); then
  echo "fuzz: a target crashed; corpora, artifacts and logs kept in $WORK" >&2
  exit 1
fi
[[ -n $KEEP ]] || rm -rf "$WORK"
