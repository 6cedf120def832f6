#!/usr/bin/env bash
# The sanitizer half of CI (.ci/run calls it after scripts/test.sh): one
# clang build of the whole project with AddressSanitizer + UndefinedBehavior-
# Sanitizer (and libFuzzer's coverage hooks), then
#   1. every ctest test under it (unit tests, CLI tests, the fuzz targets
#      once over their seeds), and
#   2. every fuzz target for a few seconds on a copy of its seed corpus
#      (scripts/fuzz_run.sh); any crash fails.
#
# Usage: scripts/sanitize.sh [--fuzz-seconds N] [--no-tests] [--no-fuzz] [ctest args...]
#
#   --fuzz-seconds N   per target (default 15)
#   --no-tests         skip step 1;  --no-fuzz  skip step 2
#
# Environment: BUILD_DIR (default build-asan); WORDLENS_SKIP_APT=1 skips the
# apt-get step. The build is RelWithDebInfo with -DWORDLENS_NATIVE=ON and
# -DWORDLENS_SANITIZE=address,undefined, which adds -fsanitize=address,undefined
# -fno-omit-frame-pointer -fno-sanitize-recover=undefined; the tests run with
#   ASAN_OPTIONS=detect_leaks=1  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
#   WORDLENS_SANITIZED=1  (tests/cli/*.sh skip only assertions that measure
#                          memory, which ASan's shadow memory inflates)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build-asan}
FUZZ_SECONDS=15 TESTS=1 FUZZ=1
CTEST_ARGS=()
while (($#)); do
  case "$1" in
    --fuzz-seconds) FUZZ_SECONDS=${2:?}; shift 2 ;;
    --no-tests) TESTS=0; shift ;;
    --no-fuzz) FUZZ=0; shift ;;
    -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) CTEST_ARGS+=("$1"); shift ;;
  esac
done
cd "$ROOT"
bash scripts/install_deps.sh > /dev/null
log() { echo "sanitize: $*"; }
t0=$(date +%s)

CC=clang CXX=clang++ cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWORDLENS_NATIVE=ON \
  -DWORDLENS_SANITIZE=address,undefined -DWORDLENS_FUZZ=ON > /dev/null
cmake --build "$BUILD_DIR" -j "$(nproc)"
log "build: $(($(date +%s) - t0)) s"

export ASAN_OPTIONS=detect_leaks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export WORDLENS_SANITIZED=1
if ((TESTS)); then
  t1=$(date +%s)
  ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$(nproc)" "${CTEST_ARGS[@]}"
  log "ctest under ASan+UBSan: $(($(date +%s) - t1)) s"
fi
if ((FUZZ)); then
  t1=$(date +%s)
  WORK=$(mktemp -d -t wordlens-fuzz.XXXXXX)
  if bash scripts/fuzz_run.sh --build "$BUILD_DIR" --seconds "$FUZZ_SECONDS" --work "$WORK"; then
    rm -rf "$WORK"
  else
    log "a fuzz target crashed: inputs, corpora and logs are in $WORK"
    exit 1
  fi
  log "fuzzing: $(($(date +%s) - t1)) s"
fi
log "total $(($(date +%s) - t0)) s"
