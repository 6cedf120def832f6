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

# End to end: raw Russian text -> normalize -> train -> similar with a
# capitalised query; and train --normalize on the raw text directly, whose
# record makes queries and the encoder use the same normaliser.
awk 'BEGIN { srand(4);
  split("мама папа ра́ма окно стекло дверь стена крыша", a, " ");
  split("кошка собака мышь птица рыба корова лошадь ёж", b, " ");
  for (s = 0; s < 3000; s++) { c = int(rand() * 2); n = 5 + int(rand() * 6); line = "";
    for (i = 0; i < n; i++) { w = c ? b[1 + int(rand() * 8)] : a[1 + int(rand() * 8)];
      if (i == 0) w = (c ? "«" : "") w;
      if (i == n - 1) w = w (c ? "»!" : "…");
      line = line (i ? (rand() < 0.2 ? ", — " : " ") : "") w }
    print line } }' > "$WORK/ru-raw.txt"
sed -i '1~3s/^мама/Мама/; 2~5s/^«кошка/«Кошка/; 3~7s/ра́ма/Ра́ма/' "$WORK/ru-raw.txt"
T=(-size 16 -window 3 -iter 3 -threads 2 -min-count 2 -sample 0 -negative 5 -cbow 0 --deterministic -debug 0)
"$WL" normalize --input "$WORK/ru-raw.txt" --output "$WORK/ru.txt" --paragraphs line --quiet
"$WL" train -train "$WORK/ru.txt" -output "$WORK/ru.bin" -binary 1 "${T[@]}" > /dev/null
out=$("$WL" similar "$WORK/ru.bin" Рама -k 5 2>&1)
same=$(echo "$out" | awk '$2 ~ /^(мама|папа|окно|стекло|дверь|стена|крыша)$/' | wc -l)
if [ "$same" -ge 4 ] && grep -q '"normalizer": null' "$WORK/ru.bin.json"; then
  ok "normalize -> train -> similar Рама: $same of 5 neighbours from its class"
else
  not_ok "similar Рама" "$out $(cat "$WORK/ru.bin.json")"
fi
"$WL" train -train "$WORK/ru-raw.txt" --normalize -output "$WORK/run.bin" -binary 1 "${T[@]}" > /dev/null
out=$("$WL" similar "$WORK/run.bin" Ра́ма -k 5 2>&1)
same=$(echo "$out" | awk '$2 ~ /^(мама|папа|окно|стекло|дверь|стена|крыша)$/' | wc -l)
if [ "$same" -ge 4 ] && grep -q '"normalizer": "wordlens-normalizer 1 case=lower accents=strip yo=keep hyphens=split"' "$WORK/run.bin.json"; then
  ok "train --normalize on raw text records its normaliser; similar Ра́ма: $same of 5 from its class"
else
  not_ok "train --normalize" "$out $(cat "$WORK/run.bin.json")"
fi
expect_fail "a query option against the record" "--case fold disagrees with the normaliser recorded in .*run.bin.json" "$WORK/none" -- \
  "$WL" similar "$WORK/run.bin" Рама --case fold
expect_fail "a query of two words" "'мама-папа' is 2 words \(мама папа\) after normalisation" "$WORK/none" -- \
  "$WL" similar "$WORK/run.bin" мама-папа
"$WL" analogy "$WORK/run.bin" Мама Папа Кошка -k 3 > "$WORK/an.txt" 2>&1 &&
  ok "analogy normalises its three words" || not_ok "analogy" "$(cat "$WORK/an.txt")"

# The encoder trained from those vectors normalises its corpus the same way
# and records it; a model and vectors of different normalisers are refused.
"$WL" encoder train --corpus "$WORK/ru-raw.txt" --vectors "$WORK/run.bin" --output "$WORK/m.safetensors" --layers 1 --heads 2 \
  --max-len 16 --batch-tokens 256 --steps 4 --warmup 1 --eval-every 2 --threads 2 > /dev/null 2> "$WORK/enc.err"
if /usr/bin/python3 - "$WORK/m.safetensors" <<'PY'
import json, struct, sys
f = open(sys.argv[1], 'rb'); n = struct.unpack('<Q', f.read(8))[0]; meta = json.loads(f.read(n))['__metadata__']
assert meta['normalizer'] == 'wordlens-normalizer 1 case=lower accents=strip yo=keep hyphens=split', meta
PY
then ok "encoder train records the vectors' normaliser"; else not_ok "encoder metadata" "$(cat "$WORK/enc.err")"; fi
"$WL" context --model "$WORK/m.safetensors" --vectors "$WORK/run.bin" "«Мама, папа — ра́ма!»" Ра́ма > "$WORK/ctx.txt" 2>&1 &&
  grep -q "'рама' at position 3 of: мама папа рама" "$WORK/ctx.txt" &&
  ok "context normalises the sentence and the word as the model's text" || not_ok "context" "$(cat "$WORK/ctx.txt")"
"$WL" train -train "$WORK/ru-raw.txt" --normalize --yo-to-e -output "$WORK/yo.bin" -binary 1 "${T[@]}" > /dev/null
expect_fail "model and vectors of different normalisers" "m.safetensors was made with the normaliser '.*yo=keep.*', .*yo.bin.json with '.*yo=e" "$WORK/none" -- \
  "$WL" context --model "$WORK/m.safetensors" --vectors "$WORK/yo.bin" "мама" мама
expect_fail "encoder options against the vectors' record" "--yo-to-e disagrees with the normaliser recorded in .*run.bin.json" \
  "$WORK/m2.safetensors" -- "$WL" encoder train --corpus "$WORK/ru-raw.txt" --vectors "$WORK/run.bin" --output "$WORK/m2.safetensors" \
  --layers 1 --heads 2 --max-len 16 --batch-tokens 256 --steps 2 --yo-to-e

# No silent zeros: a sentence without a word of the vectors is counted and
# reported, and --strict makes it an error naming the file and line.
printf '«Мама, папа!»\nЧужие слова тут\nКошка и собака.\n' > "$WORK/sent.txt"
"$WL" embed --input "$WORK/sent.txt" --output "$WORK/e.npy" --vectors "$WORK/run.bin" > /dev/null 2> "$WORK/e.err"
if [ -s "$WORK/e.npy" ] && grep -q '1 sentence without a known token' "$WORK/e.err"; then
  ok "embed counts the sentence without a known word"
else
  not_ok "embed count" "$(cat "$WORK/e.err")"
fi
expect_fail "embed --strict" "sent.txt:2: none of its 3 words is in the vocabulary of .*run.bin" "$WORK/s.npy" -- \
  "$WL" embed --input "$WORK/sent.txt" --output "$WORK/s.npy" --vectors "$WORK/run.bin" --strict
printf 'g\tf\t1\t1\t5.0\tМама мыла раму.\tПапа, мама!\ng\tf\t1\t2\t1.0\tКошка.\tЧужие слова\ng\tf\t1\t3\t2.0\tЁж и мышь\tрама\n' > "$WORK/sts.csv"
"$WL" compare --vectors "$WORK/run.bin" --sts "$WORK/sts.csv" --json > "$WORK/c.json" 2> "$WORK/c.err"
if /usr/bin/python3 -c "
import json, sys; j = json.load(open(sys.argv[1]))
assert j['zero_vectors'] == {'sts': {'sts.csv': 1}}, j" "$WORK/c.json" && grep -q 'sts.csv:2 (sentence 2)' "$WORK/c.err"; then
  ok "compare counts and reports sentences without a known word"
else
  not_ok "compare zero_vectors" "$(cat "$WORK/c.json" "$WORK/c.err")"
fi
expect_fail "compare --strict" "sts.csv:2 \(sentence 2\): no word of the sentence is in .*run.bin" "$WORK/none" -- \
  "$WL" compare --vectors "$WORK/run.bin" --sts "$WORK/sts.csv" --strict

finish
