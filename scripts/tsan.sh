#!/usr/bin/env bash
# ThreadSanitizer over the threaded code: builds the unit tests with
# -fsanitize=thread (build-tsan/, RelWithDebInfo) and runs the test cases
# of the Word2Vec trainer (Hogwild workers), the thread pool, BPE training
# and stream encoding, vocabulary counting, `normalize`'s parallel blocks and
# the normalising token reader, and the encoder (attention,
# threaded GEMM, training), with tests/tsan.supp, which suppresses only the
# intended Hogwild races on the Word2Vec weight matrices.
#
# Usage: scripts/tsan.sh [doctest args...]    e.g. scripts/tsan.sh --test-case='*thread pool*'
#
# Exit status: 0 if ThreadSanitizer reported nothing beyond the
# suppressions and the tests passed, 1 otherwise. Prints the number of
# reports, the suppressions used, and the log's path. Not part of CI (too
# slow there); run it after touching threads. Environment: BUILD_DIR
# (default build-tsan), CXX (default: the system compiler).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build-tsan}
FILES='*test_trainer.cc,*test_normalize_text.cc,*test_normalizing_reader.cc,*test_parallel.cc,*test_bpe.cc,*test_bpe_stream.cc,*test_vocab.cc,*test_encoder_ops.cc,*test_encoder_train.cc'
cd "$ROOT"
t0=$(date +%s)
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWORDLENS_SANITIZE=thread > /dev/null
cmake --build "$BUILD_DIR" -j "$(nproc)" --target wordlens_tests
echo "tsan: build $(($(date +%s) - t0)) s"
LOG=$BUILD_DIR/tsan.log
t1=$(date +%s)
rc=0
TSAN_OPTIONS="suppressions=$ROOT/tests/tsan.supp print_suppressions=1 halt_on_error=0 second_deadlock_stack=1 history_size=4" \
  "$BUILD_DIR/tests/wordlens_tests" --source-file="$FILES" "$@" > "$LOG" 2>&1 || rc=$?
reports=$(grep -c '^WARNING: ThreadSanitizer:' "$LOG" || true)
echo "tsan: tests $(($(date +%s) - t1)) s; $(grep -E '^\[doctest\] (test cases|assertions)' "$LOG" | tr '\n' ' ')"
echo "tsan: suppressions used:"
sed -n '/^ThreadSanitizer: Matched/,/^$/p; /Suppressions used:/,/^$/p' "$LOG" | sed 's/^/  /'
echo "tsan: $reports unsuppressed report(s); full log $LOG"
if ((reports > 0)); then
  grep -A12 '^WARNING: ThreadSanitizer:' "$LOG" | head -n 80
  exit 1
fi
if ((rc != 0)); then
  echo "tsan: the tests failed (exit $rc); see $LOG" >&2
  exit 1
fi
