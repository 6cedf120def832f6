#!/usr/bin/env bash
# wordlens compare on STS, WiC and Lee: the JSON shape, agreement of the
# static-vector numbers with an independent numpy computation
# (bench/compare_check.py), the report files, and bad input. With the shared
# data beside the repository (../shared/data, or WORDLENS_DATA), also the
# issue's checks on the real benchmarks: avg on sts-dev within 0.005 of numpy
# and the WiC static row at 50% +- 1 on dev.
WL=${1:?usage: compare.sh path/to/wordlens}
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PY=/usr/bin/python3
DATA=${WORDLENS_DATA:-$ROOT/../shared/data}
have_numpy() { [ -x "$PY" ] && "$PY" -c 'import numpy, scipy' 2> /dev/null; }

make_corpus "$WORK/c.txt" 3000 11
"$WL" train -train "$WORK/c.txt" -output "$WORK/v.bin" -binary 1 -size 24 -iter 2 -threads 2 -min-count 1 \
  -save-vocab "$WORK/counts.txt" -debug 0 > /dev/null 2>&1
"$WL" encoder train --corpus "$WORK/c.txt" --vectors "$WORK/v.bin" --output "$WORK/m.safetensors" --layers 1 --heads 2 \
  --max-len 16 --batch-tokens 512 --steps 10 --warmup 2 --eval-every 5 --threads 2 > /dev/null 2>&1

# STS: 4 pairs; WiC: train + dev with the target in different positions; Lee: 5 documents.
printf 'news\tf\t2012\t1\t5.0\tc0w1 c0w2 c0w3\tc0w2 c0w3 c0w4\nforum\tf\t2012\t2\t0.5\tc1w1 c1w2\tc3w1 c3w5\nnews\tf\t2012\t3\t4.0\tc2w1 c2w2\tc2w3 c2w4\nforum\tf\t2012\t4\t1.0\tc4w1\tc0w5 c0w1\n' > "$WORK/sts.csv"
mkdir -p "$WORK/wic" "$WORK/lee"
awk 'BEGIN { srand(3);
  for (s = 0; s < 2; s++) {
    f = s ? "dev" : "train"; n = s ? 30 : 80;
    for (i = 0; i < n; i++) {
      c1 = int(rand() * 6); c2 = (i % 2) ? c1 : (c1 + 1) % 6; t = "c0w" int(rand() * 8);
      a = ""; b = ""; p = int(rand() * 5); q = int(rand() * 5);
      for (k = 0; k < 6; k++) { a = a (k ? " " : "") (k == p ? t : "c" c1 "w" int(rand() * 8)); }
      for (k = 0; k < 7; k++) { b = b (k ? " " : "") (k == q ? t : "c" c2 "w" int(rand() * 8)); }
      printf "%s\tN\t%d-%d\t%s .\t, %s\n", t, p, q + 1, a, b > ("'"$WORK"'/wic/" f ".data.txt");
      print (c1 == c2 ? "T" : "F") > ("'"$WORK"'/wic/" f ".gold.txt");
    }
  } }'
for d in 0 1 2 3 4; do printf 'c%dw1 c%dw2, c%dw3. C%dw4 c%dw5 c%dw6 c%dw7 c%dw1 c%dw2 c%dw3 c%dw4 c%dw5 c%dw6 c%dw7 c%dw0 c%dw1 c%dw2 c%dw3 c%dw4 c%dw5\n' \
  $d $d $d $d $d $d $d $((d % 2)) $((d % 2)) $((d % 2)) $((d % 2)) $((d % 2)) $((d % 2)) $((d % 2)) $d $d $d $d $d $d; done > "$WORK/lee/lee.cor"
printf '1 0.2 0.9 0.1 0.8\n0 1 0.1 0.7 0.2\n0 0 1 0.2 0.6\n0 0 0 1 0.3\n0 0 0 0 1\n' > "$WORK/lee/similarities0-1.txt"

if "$WL" compare --vectors "$WORK/v.bin" --vocab "$WORK/counts.txt" --model "$WORK/m.safetensors" --sts "$WORK/sts.csv" \
  --wic "$WORK/wic" --lee "$WORK/lee" --json --report "$WORK/rep" > "$WORK/cmp.json" 2> "$WORK/cmp.err" && "$PY" -c "
import json; d = json.load(open('$WORK/cmp.json'))
assert list(d) == ['sts', 'wic', 'lee', 'wic_threshold', 'zero_vectors'], list(d)
assert d['zero_vectors'] == {'sts': {'sts.csv': 0}, 'wic': {'train': {'static': 0, 'static_window': 0}, 'dev': {'static': 0, 'static_window': 0}}, 'lee': 0}, d['zero_vectors']
assert list(d['wic_threshold']) == ['static', 'static_window', 'encoder'], d['wic_threshold']
assert list(d['sts']['sts.csv']) == ['avg', 'sif', 'sif_weighted', 'encoder_mean', 'encoder_cls', 'encoder_mean_no_cls', 'encoder_sif', 'encoder_sif_weighted'], d['sts']
assert list(d['wic']) == ['dev'] and list(d['wic']['dev']) == ['static', 'static_window', 'encoder'], d['wic']
assert list(d['lee']) == ['avg', 'sif', 'sif_weighted', 'encoder_mean', 'encoder_cls', 'encoder_mean_no_cls', 'encoder_sif', 'encoder_sif_weighted'], d['lee']
vals = [v for b in (d['sts']['sts.csv'], d['wic']['dev'], d['lee']) for v in b.values()]
assert all(isinstance(v, float) for v in vals), vals
# Context decides the sense in this data: the window average must beat the static row.
assert d['wic']['dev']['static_window'] > d['wic']['dev']['static'] + 10, d['wic']
"; then ok "compare --sts --wic --lee --json"; else not_ok "compare --json" "$(cat "$WORK/cmp.json" "$WORK/cmp.err" | head -c 600)"; fi

missing=
for f in report.md report.html chart_sts.svg chart_wic.svg chart_lee.svg training_loss.svg map_avg.svg map_encoder.svg attention_L0_H0.svg attention_L0_H1.svg; do
  [ -s "$WORK/rep/$f" ] || missing="$missing $f"
done
if [ -z "$missing" ] && grep -q "## Word-in-Context" "$WORK/rep/report.md" && grep -q "<svg" "$WORK/rep/report.html" &&
  grep -q "Lee document similarity" "$WORK/rep/report.html"; then
  ok "report: md, html and $(ls "$WORK/rep" | grep -c svg) pictures"
else
  not_ok "report files" "missing:$missing"
fi

# The static numbers against an independent numpy computation.
if have_numpy; then
  if "$PY" "$ROOT/bench/compare_check.py" --vectors "$WORK/v.bin" --sts "$WORK/sts.csv" --wic "$WORK/wic" --lee "$WORK/lee" \
    --json > "$WORK/check.json" && "$PY" -c "
import json; a = json.load(open('$WORK/cmp.json')); b = json.load(open('$WORK/check.json'))
pairs = [(a['sts']['sts.csv']['avg'], b['sts']['sts.csv']['avg']), (a['lee']['avg'], b['lee']['avg']),
         (a['wic']['dev']['static'], b['wic']['dev']['static']), (a['wic']['dev']['static_window'], b['wic']['dev']['static_window'])]
assert all(abs(x - y) < 0.005 for x, y in pairs), pairs
"; then ok "static numbers equal bench/compare_check.py (numpy)"; else not_ok "numpy agreement" "$(cat "$WORK/check.json")"; fi
else
  echo "skip - numpy agreement: /usr/bin/python3 with numpy and scipy not installed"
fi

# Bad input: one-line errors before any work (every benchmark file is read first), no report written.
cp -r "$WORK/wic" "$WORK/wic-bad"
printf 'c0w1\tN\t2-9\tc0w1 c0w2 c0w1\tc0w3 c0w1\n' >> "$WORK/wic-bad/dev.data.txt"
echo T >> "$WORK/wic-bad/dev.gold.txt"
expect_fail "compare: WiC index out of range" "dev.data.txt:31: token index 9 is out of range of a sentence of 2 tokens" \
  "$WORK/rep-bad/report.html" -- "$WL" compare --vectors "$WORK/v.bin" --model "$WORK/m.safetensors" --sts "$WORK/sts.csv" \
  --wic "$WORK/wic-bad" --report "$WORK/rep-bad"
rm "$WORK/wic-bad/dev.gold.txt"
expect_fail "compare: WiC gold file missing" "dev.gold.txt' is missing" "$WORK/none" -- \
  "$WL" compare --vectors "$WORK/v.bin" --wic "$WORK/wic-bad"
printf '1 0.2\n0 1\n' > "$WORK/lee/similarities0-1.txt"
expect_fail "compare: Lee matrix of the wrong size" "2 values, expected 5" "$WORK/none" -- \
  "$WL" compare --vectors "$WORK/v.bin" --lee "$WORK/lee"
touch "$WORK/a-file"
expect_fail "compare: --report names a file" "is a file; give a directory" "$WORK/a-file/report.html" -- \
  "$WL" compare --vectors "$WORK/v.bin" --sts "$WORK/sts.csv" --report "$WORK/a-file"
expect_fail "compare: missing training log" "training log '.*none.csv' does not exist" "$WORK/rep-x/report.html" -- \
  "$WL" compare --vectors "$WORK/v.bin" --sts "$WORK/sts.csv" --report "$WORK/rep-x" --log "$WORK/none.csv"
expect_fail "compare: example without words" "--example has no word left after normalisation" "$WORK/rep-y/report.html" -- \
  "$WL" compare --vectors "$WORK/v.bin" --model "$WORK/m.safetensors" --sts "$WORK/sts.csv" --report "$WORK/rep-y" --example "?!"
expect_fail "compare: nothing to compare" "nothing to compare" "$WORK/none" -- "$WL" compare --vectors "$WORK/v.bin"
expect_fail "compare: --log without --report" "only used with --report" "$WORK/none" -- \
  "$WL" compare --vectors "$WORK/v.bin" --sts "$WORK/sts.csv" --log "$WORK/cmp.json"

# The issue's checks on the real benchmarks (skipped without the shared data).
if [ -f "$DATA/corpus/bench.txt" ] && [ -d "$DATA/eval/wic" ] && have_numpy; then
  "$WL" train -train "$DATA/corpus/bench.txt" -output "$WORK/bench.bin" -binary 1 -cbow 1 -size 50 -iter 1 -threads 2 \
    -min-count 5 -debug 0 > /dev/null 2>&1
  "$WL" compare --vectors "$WORK/bench.bin" --sts "$DATA/eval/stsb/sts-dev.csv" --wic "$DATA/eval/wic" --lee "$DATA/eval/lee" \
    --json > "$WORK/real.json" 2> /dev/null
  "$PY" "$ROOT/bench/compare_check.py" --vectors "$WORK/bench.bin" --sts "$DATA/eval/stsb/sts-dev.csv" --wic "$DATA/eval/wic" \
    --lee "$DATA/eval/lee" --json > "$WORK/real-check.json"
  if "$PY" -c "
import json; a = json.load(open('$WORK/real.json')); b = json.load(open('$WORK/real-check.json'))
x, y = a['sts']['sts-dev.csv']['avg'], b['sts']['sts-dev.csv']['avg']
assert abs(x - y) < 0.005, (x, y)
assert abs(a['wic']['dev']['static'] - 50) <= 1, a['wic']
assert abs(a['lee']['avg'] - b['lee']['avg']) < 0.005, (a['lee'], b['lee'])
print('sts-dev avg %.4f vs numpy %.4f; WiC dev static %.2f, window %.2f; Lee avg %.4f vs %.4f' % (x, y,
      a['wic']['dev']['static'], a['wic']['dev']['static_window'], a['lee']['avg'], b['lee']['avg']))
" > "$WORK/real.txt" 2>&1; then ok "bench data: $(cat "$WORK/real.txt")"; else not_ok "bench data" "$(cat "$WORK/real.txt")"; fi
else
  echo "skip - real benchmarks: $DATA (bench corpus, eval data) or numpy not found"
fi
finish
