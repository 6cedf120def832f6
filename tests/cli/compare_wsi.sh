#!/usr/bin/env bash
# wordlens compare --wsi: word sense induction on a small English file in the
# RUSSE 2018 layout (two target words whose senses are set by the class of
# the surrounding words): the JSON keys and values (static exactly 0 by
# construction, the window separating the senses), agreement with an
# independent numpy/scipy computation (bench/compare_check.py --wsi), the
# table, the report, and bad input. With the shared data, the RUSSE 2018 wiki dev file: scored
# (static 0, 439 contexts) or, while the normaliser is ASCII-only, refused
# with the normaliser named.
WL=${1:?usage: compare_wsi.sh path/to/wordlens}
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PY=/usr/bin/python3
DATA=${WORDLENS_DATA:-$ROOT/../shared/data}
[ -x "$PY" ] || { echo "skip - /usr/bin/python3 not found"; exit 77; }

make_corpus "$WORK/c.txt" 3000 11
"$WL" train -train "$WORK/c.txt" -output "$WORK/v.bin" -binary 1 -size 24 -iter 2 -threads 2 -min-count 1 -debug 0 \
  > /dev/null 2>&1
"$WL" encoder train --corpus "$WORK/c.txt" --vectors "$WORK/v.bin" --output "$WORK/m.safetensors" --layers 1 --heads 2 \
  --max-len 16 --batch-tokens 512 --steps 10 --warmup 2 --eval-every 5 --threads 2 > /dev/null 2>&1

# Two targets, 20 contexts each: c0w3 among words of class 1 (sense 1) or 2 (sense 2), C5W1 (written in
# capitals, as the normaliser lowercases) among class 3 or 4. Punctuation around the words; the
# character range points at the target; every 5th context is a CSV-quoted field.
awk -v out="$WORK/wsi-en.tsv" 'BEGIN { srand(7);
  print "context_id\tword\tgold_sense_id\tpredict_sense_id\tpositions\tcontext" > out;
  id = 0;
  for (w = 0; w < 2; w++) for (i = 0; i < 20; i++) {
    sense = 1 + i % 2; cls = (w ? 2 : 0) + sense; target = w ? "C5W1" : "c0w3";
    p = int(rand() * 6); ctx = ""; begin = 0;
    for (k = 0; k < 8; k++) {
      word = (k == p) ? target : "c" cls "w" int(rand() * 8);
      if (k == p) begin = length(ctx) + (k ? 1 : 0);
      ctx = ctx (k ? " " : "") word (k == 3 ? "," : "");
    }
    field = ctx;
    if (i % 5 == 4) { field = "\"\"\"" ctx ".\"\"\""; begin += 1; ctx = "\"" ctx ".\""; }
    printf "%d\t%s\t%d\t\t%d-%d\t%s\n", ++id, w ? "c5w1" : "c0w3", sense, begin, begin + 4, field > out;
  } }'

if "$WL" compare --vectors "$WORK/v.bin" --model "$WORK/m.safetensors" --wsi "$WORK/wsi-en.tsv" --json \
  --report "$WORK/rep" > "$WORK/wsi.json" 2> "$WORK/wsi.err" && "$PY" -c "
import json; d = json.load(open('$WORK/wsi.json'))
assert list(d) == ['wsi'], list(d)
r = d['wsi']['wsi-en.tsv']
assert list(r)[:5] == ['static', 'static_window', 'encoder', 'words', 'contexts'], list(r)
assert r['words'] == 2 and r['contexts'] == 40, r
assert r['static'] == 0.0, r['static']  # one cluster per word by construction
assert r['static_window'] > 0.8, r['static_window']  # the neighbours decide the sense here
assert isinstance(r['encoder'], float) and -1 <= r['encoder'] <= 1, r['encoder']
assert r['skipped_contexts'] == 0 and r['skipped_words'] == 0, r
assert r['unknown'] == {'static': 0, 'static_window': 0, 'encoder': 0}, r['unknown']
assert sorted(r['per_word']) == ['c0w3', 'c5w1'], list(r['per_word'])
for w in r['per_word'].values():
    assert w['contexts'] == 20 and w['gold_senses'] == 2 and w['clusters']['static'] == 1, w
    assert 2 <= w['clusters']['static_window'] <= 10, w
mean = sum(w['static_window'] * w['contexts'] for w in r['per_word'].values()) / 40
assert abs(mean - r['static_window']) < 1e-12, (mean, r['static_window'])
print('static %.3f, static_window %.3f, encoder %.3f' % (r['static'], r['static_window'], r['encoder']))
" > "$WORK/check.txt" 2>&1; then ok "compare --wsi --json: $(cat "$WORK/check.txt")"
else not_ok "compare --wsi --json" "$(cat "$WORK/check.txt" "$WORK/wsi.json" "$WORK/wsi.err" | head -c 800)"; fi

if [ -s "$WORK/rep/chart_wsi.svg" ] && grep -q "## Word sense induction" "$WORK/rep/report.md" &&
  grep -q "| wsi-en.tsv | c5w1 | 20 | 2 |" "$WORK/rep/report.md" && grep -q "Word sense induction" "$WORK/rep/report.html"; then
  ok "report: WSI table, per-word ARI and chart"
else
  not_ok "report WSI section" "$(grep -A12 'Word sense' "$WORK/rep/report.md" | head -c 600)"
fi

# The static rows against an independent numpy + scipy computation (scipy's average linkage), on the
# file above and on a noisy one (each context word of the sense's class with probability 0.35, else of
# another: the clusters and k are not obvious, nor the ARI 0 or 1).
awk -v out="$WORK/wsi-noisy.tsv" 'BEGIN { srand(5);
  print "context_id\tword\tgold_sense_id\tpredict_sense_id\tpositions\tcontext" > out;
  for (w = 0; w < 3; w++) for (i = 0; i < 30 + 10 * w; i++) {
    sense = 1 + int(rand() * 3); ctx = ""; p = int(rand() * 8); t = "c" w "w7";
    for (k = 0; k < 9; k++) {
      word = (k == p) ? t : "c" (rand() < 0.35 ? sense + 2 : int(rand() * 6)) "w" int(rand() * 7);
      if (k == p) begin = length(ctx) + (k ? 1 : 0);
      ctx = ctx (k ? " " : "") word;
    }
    printf "%d\t%s\t%d\t\t%d-%d\t%s\n", w * 100 + i, t, sense, begin, begin + 4, ctx > out;
  } }'
if "$PY" -c 'import numpy, scipy' 2> /dev/null; then
  "$WL" compare --vectors "$WORK/v.bin" --wsi "$WORK/wsi-en.tsv" "$WORK/wsi-noisy.tsv" --json > "$WORK/both.json" 2> /dev/null
  if "$PY" "$ROOT/bench/compare_check.py" --vectors "$WORK/v.bin" --wsi "$WORK/wsi-en.tsv" "$WORK/wsi-noisy.tsv" --json \
    > "$WORK/check.json" && "$PY" -c "
import json; a = json.load(open('$WORK/both.json'))['wsi']; b = json.load(open('$WORK/check.json'))['wsi']
for f in ('wsi-en.tsv', 'wsi-noisy.tsv'):
    assert all(abs(a[f][k] - b[f][k]) < 1e-9 for k in ('static', 'static_window')), (f, a[f], b[f])
    assert (a[f]['words'], a[f]['contexts']) == (b[f]['words'], b[f]['contexts']), (f, a[f], b[f])
n = a['wsi-noisy.tsv']['static_window']
assert 0.05 < n < 0.95, n  # a case where the clustering decides
print('noisy file: static_window %.4f, clusters %s' % (n, [w['clusters']['static_window'] for w in a['wsi-noisy.tsv']['per_word'].values()]))
" > "$WORK/agree.txt" 2>&1; then ok "static rows equal bench/compare_check.py --wsi (numpy, scipy): $(cat "$WORK/agree.txt")"
  else not_ok "numpy agreement" "$(cat "$WORK/agree.txt" "$WORK/check.json" | head -c 600)"; fi
else
  echo "skip - numpy agreement: /usr/bin/python3 with numpy and scipy not installed"
fi

# The table (no model: the encoder column is '-').
"$WL" compare --vectors "$WORK/v.bin" --wsi "$WORK/wsi-en.tsv" > "$WORK/table.txt" 2> /dev/null
if grep -qE "^WSI \(adjusted Rand index\)" "$WORK/table.txt" && grep -qE "^wsi-en.tsv +0\.000 +[01]\.[0-9]{3} +- +2 +40$" "$WORK/table.txt"; then
  ok "compare --wsi table without a model"
else
  not_ok "compare --wsi table" "$(cat "$WORK/table.txt")"
fi

# Bad input: one-line errors, nothing written.
{ head -2 "$WORK/wsi-en.tsv"; printf '99\tc0w3\t1\t\t0-400\tc1w1 c0w3\n'; } > "$WORK/wsi-bad.tsv"
expect_fail "compare --wsi: range outside the context" "wsi-bad.tsv:3: positions '0-400': range 0-400 lies outside the context \(9 characters\)" \
  "$WORK/rep-bad/report.html" -- "$WL" compare --vectors "$WORK/v.bin" --wsi "$WORK/wsi-bad.tsv" --report "$WORK/rep-bad"
{ head -2 "$WORK/wsi-en.tsv"; printf '99\tc0w3\tone\t\t0-4\tc1w1 c0w3\n'; } > "$WORK/wsi-bad.tsv"
expect_fail "compare --wsi: gold sense not a number" "wsi-bad.tsv:3: gold_sense_id 'one' is not a whole number" "$WORK/none" -- \
  "$WL" compare --vectors "$WORK/v.bin" --wsi "$WORK/wsi-bad.tsv"
cut -f1-5 "$WORK/wsi-en.tsv" > "$WORK/wsi-bad.tsv"
expect_fail "compare --wsi: no context column" "wsi-bad.tsv:1: the header has no column 'context'" "$WORK/none" -- \
  "$WL" compare --vectors "$WORK/v.bin" --wsi "$WORK/wsi-bad.tsv"
mkdir -p "$WORK/other" && cp "$WORK/wsi-en.tsv" "$WORK/other/"
expect_fail "compare --wsi: two files of the same name" "have the same name \(wsi-en.tsv\)" "$WORK/none" -- \
  "$WL" compare --vectors "$WORK/v.bin" --wsi "$WORK/wsi-en.tsv" "$WORK/other/wsi-en.tsv"
printf 'context_id\tword\tgold_sense_id\tpredict_sense_id\tpositions\tcontext\n1\tлук\t1\t\t0-3\tлук растёт\n2\tлук\t2\t\t6-9\tтугой лук\n' \
  > "$WORK/wsi-ru.tsv"
if "$WL" compare --vectors "$WORK/v.bin" --wsi "$WORK/wsi-ru.tsv" --json > "$WORK/ru.json" 2> "$WORK/ru.err"; then
  ok "compare --wsi on Cyrillic: scored (the normaliser keeps Cyrillic)"
else
  expect_fail "compare --wsi: the ASCII normaliser drops Cyrillic" "wsi-ru.tsv: nothing to score: the normaliser gives no token at the target of any of its 2 contexts" \
    "$WORK/none" -- "$WL" compare --vectors "$WORK/v.bin" --wsi "$WORK/wsi-ru.tsv"
fi

# The RUSSE 2018 wiki dev file (skipped without the shared data).
RU="$DATA/eval/ru/wsi-wiki-dev.tsv"
if [ -f "$RU" ]; then
  if "$WL" compare --vectors "$WORK/v.bin" --wsi "$RU" --json > "$WORK/real.json" 2> "$WORK/real.err"; then
    if "$PY" -c "
import json; r = json.load(open('$WORK/real.json'))['wsi']['wsi-wiki-dev.tsv']
assert r['static'] == 0.0 and r['contexts'] + r['skipped_contexts'] == 439 and r['words'] == 4, r
"; then ok "wsi-wiki-dev.tsv: static 0, 439 contexts, 4 words"; else not_ok "wsi-wiki-dev.tsv" "$(head -c 600 "$WORK/real.json")"; fi
  elif grep -q "wsi-wiki-dev.tsv: nothing to score: the normaliser gives no token at the target of any of its 439 contexts" "$WORK/real.err"; then
    ok "wsi-wiki-dev.tsv: read whole (439 contexts), refused by the ASCII-only normaliser with a clear message"
  else
    not_ok "wsi-wiki-dev.tsv" "$(head -c 600 "$WORK/real.err")"
  fi
else
  echo "skip - RUSSE dev file: $RU not found"
fi
finish
