# Helpers shared by the CLI tests. Source after setting WL (the binary).
set -u
PASS=0
FAIL=0
WORK=$(mktemp -d "${TMPDIR:-/tmp}/wordlens-test-XXXXXX")
trap 'rm -rf "$WORK"' EXIT

ok() { PASS=$((PASS + 1)); echo "ok   - $1"; }
not_ok() { FAIL=$((FAIL + 1)); echo "FAIL - $1"; [ $# -gt 1 ] && echo "       $2"; }

# make_corpus FILE SENTENCES SEED: planted-class synthetic corpus, 6 classes x 8 words.
make_corpus() {
  awk -v n="$2" -v seed="$3" 'BEGIN {
    srand(seed);
    for (s = 0; s < n; s++) {
      c = int(rand() * 6); len = 6 + int(rand() * 6); line = "";
      for (i = 0; i < len; i++) line = line (i ? " " : "") "c" c "w" int(rand() * 8);
      print line;
    }
  }' > "$1"
}

# expect_fail NAME PATTERN OUTFILE -- CMD...: CMD must exit non-zero, print a
# single line on stderr matching PATTERN, and leave neither OUTFILE nor a
# temporary file beside it.
expect_fail() {
  local name=$1 pattern=$2 out=$3
  shift 4
  local err="$WORK/stderr"
  "$@" > /dev/null 2> "$err"
  local rc=$?
  local lines
  lines=$(grep -c . "$err")
  if [ $rc -eq 0 ]; then
    not_ok "$name" "exit code 0, expected failure"
  elif ! grep -qE -- "$pattern" "$err"; then
    not_ok "$name" "message does not match /$pattern/: $(head -c 300 "$err")"
  elif [ "$lines" -ne 1 ]; then
    not_ok "$name" "expected a one-line error, got $lines lines: $(head -c 300 "$err")"
  elif [ -e "$out" ] || ls "$out".tmp-* > /dev/null 2>&1; then
    not_ok "$name" "partial output left behind"
  else
    ok "$name (exit $rc: $(cat "$err"))"
  fi
}

finish() {
  echo "$PASS passed, $FAIL failed"
  [ "$FAIL" -eq 0 ]
}
