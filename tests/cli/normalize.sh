#!/usr/bin/env bash
# wordlens normalize: raw Russian text (« » — … and stress accents) to the
# form train reads; stdin/stdout; errors naming file, line and byte with no
# output left behind; the same output for any thread count.
WL=${1:?usage: normalize.sh path/to/wordlens}
. "$(dirname "$0")/lib.sh"

# Raw text: two paragraphs (a blank line between), punctuation of Russian
# typography, a stress accent (U+0301), ё, a capital at a sentence start.
printf '%s\n' \
  '«Мама мыла ра́му», — сказала Ёлка… Папа читал книгу!' \
  'Рама была чистой.' \
  '' \
  'Don’t stop — it’s 3.5% off!' > "$WORK/raw.txt"
# UAX #29 ends sentences at ! and . before a capital, not at … nor inside 3.5.
expected='мама мыла раму сказала ёлка папа читал книгу
рама была чистой
don'"'"'t stop it'"'"'s 3 5 off'
"$WL" normalize --input "$WORK/raw.txt" --output "$WORK/out.txt" > "$WORK/summary" 2> "$WORK/err"
if [ "$(cat "$WORK/out.txt")" = "$expected" ] && grep -q '^sentences written 3$' "$WORK/summary"; then
  ok "Russian and English raw text normalised, one sentence per line"
else
  not_ok "normalize" "$(cat "$WORK/out.txt" "$WORK/summary" "$WORK/err")"
fi

# Options: ё -> е and kept case; every line a paragraph.
"$WL" normalize --input "$WORK/raw.txt" --output - --yo-to-e --case keep --paragraphs line --quiet > "$WORK/keep.txt"
if grep -qx 'Мама мыла раму сказала Елка Папа читал книгу' "$WORK/keep.txt" && grep -qx 'Рама была чистой' "$WORK/keep.txt"; then
  ok "--yo-to-e --case keep --paragraphs line"
else
  not_ok "options" "$(cat "$WORK/keep.txt")"
fi

# stdin -> stdout gives the same bytes; the summary goes to stderr then.
"$WL" normalize --input - --output - < "$WORK/raw.txt" > "$WORK/piped.txt" 2> "$WORK/piped.err"
if cmp -s "$WORK/piped.txt" "$WORK/out.txt" && grep -q 'sentences written 3' "$WORK/piped.err"; then
  ok "stdin to stdout"
else
  not_ok "stdin to stdout" "$(cat "$WORK/piped.err")"
fi

# --json summary.
"$WL" normalize --input "$WORK/raw.txt" --output "$WORK/j.txt" --json > "$WORK/j.json" 2> /dev/null
if /usr/bin/python3 -c "
import json, sys; j = json.load(open(sys.argv[1]))
assert j['lines'] == 4 and j['paragraphs'] == 2 and j['sentences'] == 3 and j['tokens'] == 17, j
assert set(j) == {'lines', 'paragraphs', 'sentences', 'tokens', 'bytes', 'seconds', 'output'}, j" "$WORK/j.json"; then
  ok "--json summary"
else
  not_ok "--json summary" "$(cat "$WORK/j.json")"
fi

# Invalid UTF-8 and NUL: one line naming file, line and byte; no output file.
printf 'good line\nanother good one\nbad \xff\xfe bytes\n' > "$WORK/latin1.txt"
expect_fail "invalid UTF-8" "latin1.txt:3: byte 4: invalid UTF-8" "$WORK/bad.txt" -- \
  "$WL" normalize --input "$WORK/latin1.txt" --output "$WORK/bad.txt"
printf 'text\nwith a \0 NUL\n' > "$WORK/nul.txt"
expect_fail "NUL byte" "nul.txt:2: byte 7: NUL byte" "$WORK/bad.txt" -- \
  "$WL" normalize --input "$WORK/nul.txt" --output "$WORK/bad.txt" --paragraphs line
expect_fail "bad --case" "--case: 'upper' is not one of lower, fold, keep" "$WORK/bad.txt" -- \
  "$WL" normalize --input "$WORK/raw.txt" --output "$WORK/bad.txt" --case upper
expect_fail "bad --paragraphs" "--paragraphs: 'page' is not one of blank, line" "$WORK/bad.txt" -- \
  "$WL" normalize --input "$WORK/raw.txt" --output "$WORK/bad.txt" --paragraphs page
expect_fail "output = input" "--output .*same file as --input" "$WORK/none" -- \
  "$WL" normalize --input "$WORK/raw.txt" --output "$WORK/./raw.txt"
expect_fail "missing input" "cannot open input" "$WORK/bad.txt" -- \
  "$WL" normalize --input "$WORK/nope.txt" --output "$WORK/bad.txt"

# The same output for 1, 2 and 3 threads, over several blocks of paragraphs.
awk 'BEGIN { srand(9);
  split("Кошка сидит на окне. Ёж|«Привет», — сказал он… Как дела?|The cat sat. Don’t!|我们学习中文。|½ ＡＢＣ ﬁne|", w, "|");
  for (i = 0; i < 40000; i++) { n = 1 + int(rand() * 5); s = "";
    for (k = 0; k < n; k++) s = s w[1 + int(rand() * 5)] " ";
    print s; if (rand() < 0.2) print "" } }' > "$WORK/big.txt"
for t in 1 2 3; do
  "$WL" normalize --input "$WORK/big.txt" --output "$WORK/big.$t" --threads $t --paragraphs line --quiet
done
if [ -s "$WORK/big.1" ] && cmp -s "$WORK/big.1" "$WORK/big.2" && cmp -s "$WORK/big.1" "$WORK/big.3"; then
  ok "the same output for 1, 2 and 3 threads ($(wc -l < "$WORK/big.1") sentences)"
else
  not_ok "thread invariance" "$(ls -l "$WORK"/big.*)"
fi

finish
