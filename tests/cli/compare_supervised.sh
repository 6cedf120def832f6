#!/usr/bin/env bash
# wordlens compare's supervised rows (issue 15) on tiny data: --sts-train
# learns a linear map per STS row, --supervised (implied) a WiC classifier;
# the supervised block of the text output, the JSON keys (the existing keys
# unchanged), the report's side-by-side charts, a fine-tuned encoder's label,
# and bad input: a malformed --sts-train line is one error naming file:line.
WL=${1:?usage: compare_supervised.sh path/to/wordlens}
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
[ -x "$PY" ] || { echo "skip: $PY not installed (reads the JSON)"; exit 77; }

make_corpus "$WORK/c.txt" 3000 11
"$WL" train -train "$WORK/c.txt" -output "$WORK/v.bin" -binary 1 -size 24 -iter 2 -threads 2 -min-count 1 \
  -save-vocab "$WORK/counts.txt" -debug 0 > /dev/null 2>&1
"$WL" encoder train --corpus "$WORK/c.txt" --vectors "$WORK/v.bin" --output "$WORK/m.safetensors" --layers 1 --heads 2 \
  --max-len 16 --batch-tokens 512 --steps 10 --warmup 2 --eval-every 5 --threads 2 > /dev/null 2>&1

# STS pairs: the score is how many of the 3 words of sentence 1 sentence 2 shares the class of.
sts() {
  awk -v n="$2" -v seed="$3" 'BEGIN { srand(seed);
    for (i = 0; i < n; i++) {
      c = int(rand() * 6); k = i % 4; a = ""; b = "";
      for (j = 0; j < 3; j++) { a = a (j ? " " : "") "c" c "w" int(rand() * 8);
        b = b (j ? " " : "") "c" (j < k ? c : (c + 1 + j) % 6) "w" int(rand() * 8); }
      printf "main-news\tf\t2012\t%d\t%.1f\t%s\t%s\n", i, k * 5 / 3, a, b;
    } }' > "$1"
}
sts "$WORK/sts-train.csv" 80 1
sts "$WORK/sts.csv" 24 2
mkdir -p "$WORK/wic"
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
A=(--vectors "$WORK/v.bin" --vocab "$WORK/counts.txt" --model "$WORK/m.safetensors" --sts "$WORK/sts.csv" --wic "$WORK/wic")

if "$WL" compare "${A[@]}" --sts-train "$WORK/sts-train.csv" --json --report "$WORK/rep" --no-pictures > "$WORK/cmp.json" \
  2> "$WORK/cmp.err" && "$PY" -c "
import json; d = json.load(open('$WORK/cmp.json'))
assert list(d) == ['sts', 'wic', 'wic_threshold', 'zero_vectors', 'sts_supervised', 'wic_supervised', 'supervision'], list(d)
rows = ['avg', 'sif', 'sif_weighted', 'encoder_mean', 'encoder_cls', 'encoder_mean_no_cls', 'encoder_sif', 'encoder_sif_weighted']
assert list(d['sts']['sts.csv']) == rows and list(d['sts_supervised']['sts.csv']) == rows, d['sts_supervised']
assert all(isinstance(v, float) for v in d['sts_supervised']['sts.csv'].values()), d['sts_supervised']
w = d['wic_supervised']
assert list(w) == ['dev'] and list(w['dev']) == ['static_window', 'encoder'] and all(isinstance(v, float) for v in w['dev'].values()), w
s = d['supervision']
assert s['sts_train'] == 'sts-train.csv' and s['sts_train_pairs'] == 80 and s['map']['held_out_pairs'] == 8, s
assert list(s['sts_maps']) == rows and all(1 <= m['epochs'] <= s['map']['max_epochs'] for m in s['sts_maps'].values()), s
assert list(s['wic_classifier']['methods']) == ['static_window', 'encoder'] and s['encoder_finetuned'] is None, s
# The classes decide the scores: the mapped avg row must rank the dev pairs well.
assert d['sts_supervised']['sts.csv']['avg'] > 50, d['sts_supervised']
" && [ -s "$WORK/rep/chart_sts_supervised.svg" ] && [ -s "$WORK/rep/chart_wic_supervised.svg" ] &&
  grep -q "STS-Benchmark, supervised" "$WORK/rep/report.md" && grep -q "+ linear map" "$WORK/rep/chart_sts_supervised.svg"; then
  ok "compare --sts-train: sts_supervised, wic_supervised and supervision keys; report charts side by side"
else
  not_ok "compare --sts-train --json" "$(cat "$WORK/cmp.json" "$WORK/cmp.err" | head -c 800)"
fi

# Text: the supervised block after the unsupervised one; --supervised alone gives the WiC classifier only.
if "$WL" compare "${A[@]}" --sts-train "$WORK/sts-train.csv" > "$WORK/cmp.txt" 2> /dev/null &&
  grep -q '^STS (Spearman x100)' "$WORK/cmp.txt" && grep -q '^Supervised (trained on the train splits only' "$WORK/cmp.txt" &&
  grep -qE '^STS \+ linear map' "$WORK/cmp.txt" && grep -qE '^WiC classifier \(accuracy %\)' "$WORK/cmp.txt" &&
  grep -qE '^    sif_weighted +decay' "$WORK/cmp.txt" &&
  [ "$(grep -n '^Supervised' "$WORK/cmp.txt" | cut -d: -f1)" -gt "$(grep -n '^WiC (accuracy' "$WORK/cmp.txt" | cut -d: -f1)" ] &&
  "$WL" compare "${A[@]}" --supervised --json 2> /dev/null | "$PY" -c "
import json, sys; d = json.load(sys.stdin)
assert 'wic_supervised' in d and 'sts_supervised' not in d and 'sts_maps' not in d['supervision'], list(d)
"; then
  ok "compare: the supervised block in the text output; --supervised without --sts-train: WiC only"
else
  not_ok "compare supervised text" "$(head -c 1200 "$WORK/cmp.txt")"
fi

# An encoder whose metadata says it was fine-tuned: labelled as such.
"$PY" - "$WORK/m.safetensors" "$WORK/ft.safetensors" << 'EOF'
import json, struct, sys
raw = open(sys.argv[1], 'rb').read()
n = struct.unpack('<Q', raw[:8])[0]
h = json.loads(raw[8:8 + n])
h['__metadata__']['finetuned'] = 'sts-cosent'
b = json.dumps(h).encode()
open(sys.argv[2], 'wb').write(struct.pack('<Q', len(b)) + b + raw[8 + n:])
EOF
if "$WL" compare --vectors "$WORK/v.bin" --model "$WORK/ft.safetensors" --sts "$WORK/sts.csv" --sts-train "$WORK/sts-train.csv" \
  > "$WORK/ft.txt" 2> "$WORK/ft.err" && grep -q 'fine-tuned (sts-cosent): its encoder rows are supervised' "$WORK/ft.txt" &&
  grep -q 'encoder rows: fine-tuned + map' "$WORK/ft.txt" &&
  "$WL" compare --vectors "$WORK/v.bin" --model "$WORK/ft.safetensors" --sts "$WORK/sts.csv" --sts-train "$WORK/sts-train.csv" \
    --json 2> /dev/null | "$PY" -c "
import json, sys; d = json.load(sys.stdin)
assert d['encoder_finetuned'] == 'sts-cosent' and d['supervision']['encoder_finetuned'] == 'sts-cosent', d
"; then
  ok "a fine-tuned encoder's rows are labelled fine-tuned / fine-tuned + map"
else
  not_ok "fine-tuned label" "$(cat "$WORK/ft.txt" "$WORK/ft.err" | head -c 800)"
fi
# Its report names the first series "without this step", not "unsupervised".
if "$WL" compare --vectors "$WORK/v.bin" --model "$WORK/ft.safetensors" --sts "$WORK/sts.csv" --sts-train "$WORK/sts-train.csv" \
  --report "$WORK/rep-ft" --no-pictures > /dev/null 2>&1 && grep -q 'without this step' "$WORK/rep-ft/chart_sts_supervised.svg" &&
  ! grep -q '>unsupervised<' "$WORK/rep-ft/chart_sts_supervised.svg" && grep -q '>unsupervised<' "$WORK/rep/chart_sts_supervised.svg"; then
  ok "report: a fine-tuned encoder's chart says 'without this step'"
else
  not_ok "report: fine-tuned chart legend" "$(grep -o '>[a-z +]*<' "$WORK/rep-ft/chart_sts_supervised.svg" 2> /dev/null | sort -u | head -c 400)"
fi

# Bad input: one line naming the file and line, before any work; no report.
awk -F '\t' -v OFS='\t' 'NR == 3 { $5 = "abc" } { print }' "$WORK/sts-train.csv" > "$WORK/sts-bad.csv"
expect_fail "compare: a bad --sts-train line" "sts-bad.csv:3: score 'abc'" "$WORK/rep-bad/report.html" -- \
  "$WL" compare "${A[@]}" --sts-train "$WORK/sts-bad.csv" --report "$WORK/rep-bad"
expect_fail "compare: --sts-train without --sts" "--sts-train needs --sts" "$WORK/none" -- \
  "$WL" compare --vectors "$WORK/v.bin" --wic "$WORK/wic" --sts-train "$WORK/sts-train.csv"
expect_fail "compare: --supervised without --wic" "--supervised trains the WiC classifier: it goes with --wic" "$WORK/none" -- \
  "$WL" compare --vectors "$WORK/v.bin" --sts "$WORK/sts.csv" --supervised
head -5 "$WORK/sts-train.csv" > "$WORK/sts-small.csv"
expect_fail "compare: too few --sts-train pairs" "at least 10 train pairs" "$WORK/none" -- \
  "$WL" compare --vectors "$WORK/v.bin" --sts "$WORK/sts.csv" --sts-train "$WORK/sts-small.csv"
finish
