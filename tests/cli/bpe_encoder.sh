#!/usr/bin/env bash
# An encoder trained on BPE tokens serves every command from its weights
# alone (the BPE model is stored in them): embed, attention, context, ffn and
# compare on a small Russian + English text, tokens printed readably
# (Cyrillic as itself, never the byte mapping's "Ñ"), a different
# --tokenizer refused; bpe encode's readable and --shown forms; similar on
# BPE-token vectors; and table columns aligned by display width.
WL=${1:?usage: bpe_encoder.sh path/to/wordlens}
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
if ! "$PY" -c 'import numpy' 2> /dev/null; then
  echo "skipped: needs /usr/bin/python3 with numpy"
  exit 77
fi

# Six classes of words, three Russian and three English; each line mixes words of one class.
awk 'BEGIN {
  srand(5);
  w[0] = "кот кошка котёнок мышь хвост усы мурлыкать молоко";
  w[1] = "дом квартира комната окно дверь крыша стена этаж";
  w[2] = "вода река море озеро волна берег дождь рыба";
  w[3] = "cat kitten mouse tail whiskers purr milk paw";
  w[4] = "house flat room window door roof wall floor";
  w[5] = "water river sea lake wave shore rain fish";
  for (c = 0; c < 6; c++) {
    n[c] = split(w[c], one, " ");
    for (i = 1; i <= n[c]; i++) words[c, i] = one[i];
  }
  for (s = 0; s < 600; s++) {
    c = int(rand() * 6); len = 5 + int(rand() * 6); line = "";
    for (i = 0; i < len; i++) line = line (i ? " " : "") words[c, 1 + int(rand() * n[c])];
    if (s % 7 == 0) line = line ".";
    print line;
  }
}' > "$WORK/text.txt"
"$WL" bpe train --input "$WORK/text.txt" --vocab-size 400 --output "$WORK/m.bpe" > "$WORK/bpe.out" 2>&1 ||
  { not_ok "bpe train" "$(tail -n 3 "$WORK/bpe.out")"; finish; exit; }
"$WL" bpe train --input "$WORK/text.txt" --vocab-size 300 --output "$WORK/other.bpe" > /dev/null 2>&1

# Text in the byte mapping's form: "Ð" or "Ñ" (the lead bytes of Cyrillic) followed by the glyph
# of a continuation byte, as "ÐºÐ¾ÑĪÐºÐ°" shows "кошка". Readable tokens never read so.
no_mojibake() {
  "$PY" -c "import re, sys; sys.exit(1 if re.search('[\u00d0\u00d1][\u00a1-\u00bf\u0100-\u0143]', open(sys.argv[1], encoding='utf-8').read()) else 0)" "$1"
}
has_cyrillic() { "$PY" -c "import re, sys; sys.exit(0 if re.search('[\u0430-\u044f]', open(sys.argv[1], encoding='utf-8').read()) else 1)" "$1"; }

# bpe encode: readable by default, the model file's form with --shown; a character the model
# never saw whole (п) is cut into byte tokens, shown by their glyphs.
printf 'кошка и молоко\n' | "$WL" bpe encode --model "$WORK/m.bpe" > "$WORK/enc-r.txt"
printf 'кошка и молоко\n' | "$WL" bpe encode --model "$WORK/m.bpe" --shown > "$WORK/enc-s.txt"
cut=$(printf 'п\n' | "$WL" bpe encode --model "$WORK/m.bpe")
if grep -q '^Ġкошка ' "$WORK/enc-r.txt" && grep -q ' Ġмолоко$' "$WORK/enc-r.txt" && no_mojibake "$WORK/enc-r.txt" &&
  ! no_mojibake "$WORK/enc-s.txt" && [ "$(wc -w < "$WORK/enc-r.txt")" -eq "$(wc -w < "$WORK/enc-s.txt")" ] &&
  [ "$cut" = "ĠÐ ¿" ]; then
  ok "bpe encode: readable '$(cat "$WORK/enc-r.txt")', --shown '$(cat "$WORK/enc-s.txt")', cut 'п' as '$cut'"
else
  not_ok "bpe encode forms" "readable=[$(cat "$WORK/enc-r.txt")] shown=[$(cat "$WORK/enc-s.txt")] cut=[$cut]"
fi
expect_fail "bpe encode --ids --shown" "give --ids or --shown, not both" "$WORK/none" -- \
  bash -c "echo x | '$WL' bpe encode --model '$WORK/m.bpe' --ids --shown"

if ! "$WL" encoder train --corpus "$WORK/text.txt" --tokenizer "$WORK/m.bpe" --output "$WORK/enc.safetensors" --dim 16 \
  --layers 2 --heads 2 --max-len 32 --batch-tokens 512 --steps 20 --warmup 2 --threads 2 > /dev/null 2> "$WORK/train.err"; then
  not_ok "encoder train --tokenizer" "$(tail -n 3 "$WORK/train.err")"
  finish
  exit
fi
# From here on the weights alone: the BPE model file is out of the way.
mv "$WORK/m.bpe" "$WORK/m.bpe.away"
M=(--model "$WORK/enc.safetensors")
S="кошка мышь молоко, the cat drinks milk."

# embed: one finite row per line, a zero row for the blank line.
printf 'кот пьёт молоко\n\nthe river and the sea\n' > "$WORK/sent.txt"
if "$WL" embed --input "$WORK/sent.txt" --output "$WORK/e.npy" --method encoder-mean "${M[@]}" 2> "$WORK/embed.err" &&
  grep -q "1 sentence without a known token" "$WORK/embed.err" && "$PY" -c "
import numpy as np
a = np.load('$WORK/e.npy'); assert a.shape == (3, 16), a.shape
assert np.isfinite(a).all() and a[0].any() and a[2].any() and not a[1].any()
"; then ok "embed --method encoder-mean with --model only"; else not_ok "embed" "$(cat "$WORK/embed.err")"; fi

# attention: readable piece labels in the summary and the SVGs.
if "$WL" attention "${M[@]}" "$S" --out "$WORK/att" > "$WORK/att.txt" 2> "$WORK/att.err"; then
  T=$(grep -c '^L0 H0 ' "$WORK/att.txt")
  cells=$(grep -o '<rect class="cell"' "$WORK/att/attention_L1_H1.svg" | wc -l)
  if [ "$T" -gt 3 ] && [ "$cells" -eq $((T * T)) ] && grep -q '^L0 H0 \+Ġмолоко ' "$WORK/att.txt" && no_mojibake "$WORK/att.txt" &&
    grep -q '>Ġмолоко<' "$WORK/att/attention_L0_H0.svg" && no_mojibake "$WORK/att/attention_L0_H0.svg" &&
    ! grep -qi 'nan' "$WORK/att.txt"; then
    ok "attention: $T readable pieces, $cells cells per map"
  else
    not_ok "attention" "T=$T cells=$cells $(head -n 4 "$WORK/att.txt")"
  fi
else
  not_ok "attention" "$(cat "$WORK/att.err")"
fi

# context: a word of several pieces, neighbours among whole-word tokens, table columns aligned.
if "$WL" context "${M[@]}" "$S" молоко --top 5 > "$WORK/ctx.txt" 2> "$WORK/ctx.err" &&
  "$WL" context "${M[@]}" "$S" молоко --top 5 --json > "$WORK/ctx.json" 2>> "$WORK/ctx.err" && "$PY" -c "
import json, math
d = json.load(open('$WORK/ctx.json'))
c = d['contextual'][0]
assert d['word'] == 'молоко' and len(d['contextual']) == 1 and c['pieces'] >= 1 and c['tokens'][0] == '[CLS]', d
for hits in (d['static'], c['neighbours']):
    assert len(hits) == 5, hits
    for h in hits:
        assert h['word'].startswith('Ġ') and math.isfinite(h['cosine']), h
assert any(any('а' <= c <= 'я' for c in t) for t in c['tokens']), c['tokens']
" && [ "$(grep -c '|' "$WORK/ctx.txt")" -eq 6 ] && no_mojibake "$WORK/ctx.txt"; then
  ok "context: 2 x 5 whole-word neighbours of 'молоко'"
else
  not_ok "context" "$(cat "$WORK/ctx.txt" "$WORK/ctx.json" "$WORK/ctx.err" | head -c 800)"
fi
expect_fail "context: word not in the sentence" "'собака' does not occur as a word in the sentence" "$WORK/none" -- \
  "$WL" context "${M[@]}" "$S" собака

# ffn: neurons read against the token embeddings, readable tokens.
if "$WL" ffn "${M[@]}" "$S" --neurons 3 --top 4 > "$WORK/ffn.txt" 2> "$WORK/ffn.err" &&
  [ "$(grep -c '^neuron ' "$WORK/ffn.txt")" -eq 3 ] &&
  [ "$(grep '^neuron ' "$WORK/ffn.txt" | awk -F' -> ' '{ n = split($2, a, " "); if (n != 8) bad = 1 } END { print bad + 0 }')" -eq 0 ] &&
  ! grep -qi 'nan\|inf' "$WORK/ffn.txt" && has_cyrillic "$WORK/ffn.txt" && no_mojibake "$WORK/ffn.txt"; then
  ok "ffn: 3 neurons x 4 tokens"
else
  not_ok "ffn" "$(cat "$WORK/ffn.txt" "$WORK/ffn.err")"
fi

# compare: STS and WiC encoder rows on pieces; the static rows skipped without --vectors.
printf 'g\tf\t2012\t1\t5.0\tкот пьёт молоко\tкошка пьёт молоко\ng\tf\t2012\t2\t0.5\tдом и окно\tрека и море\ng\tf\t2012\t3\t4.0\tthe cat and the mouse\tthe kitten and the mouse\ng\tf\t2012\t4\t1.0\tволна и берег\tthe roof and the door\n' > "$WORK/sts.csv"
mkdir -p "$WORK/wic"
for split in train dev; do
  awk -v n=$([ $split = train ] && echo 40 || echo 20) -v seed=$([ $split = train ] && echo 1 || echo 2) 'BEGIN {
    srand(seed); split("кот дом вода", t, " ");
    split("кошка мышь хвост|квартира окно дверь|река море берег", ctx, "|");
    for (i = 0; i < n; i++) {
      k = 1 + int(rand() * 3); a = 1 + int(rand() * 3); b = (i % 2) ? a : 1 + (a % 3);
      split(ctx[a], ca, " "); split(ctx[b], cb, " ");
      printf "%s\tN\t1-2\t%s %s %s\t%s %s %s\n", t[k], ca[1], t[k], ca[2], cb[1], cb[3], t[k];
      print (a == b ? "T" : "F") > "/dev/stderr";
    }
  }' > "$WORK/wic/$split.data.txt" 2> "$WORK/wic/$split.gold.txt"
done
if "$WL" compare "${M[@]}" --sts "$WORK/sts.csv" --wic "$WORK/wic" --json > "$WORK/cmp.json" 2> "$WORK/cmp.err" && "$PY" -c "
import json, math
d = json.load(open('$WORK/cmp.json'))
s = d['sts']['sts.csv']; w = d['wic']['dev']
assert list(s) == ['avg', 'sif', 'sif_weighted', 'encoder_mean', 'encoder_cls', 'encoder_mean_no_cls', 'encoder_sif', 'encoder_sif_weighted'] and s['avg'] is None and s['sif'] is None, s
assert s['encoder_sif'] is None and s['encoder_sif_weighted'] is None, s  # no word counts for BPE tokens
assert all(isinstance(s[k], float) and math.isfinite(s[k]) for k in ('encoder_mean', 'encoder_cls', 'encoder_mean_no_cls')), s
assert w['static'] is None and w['static_window'] is None and isinstance(w['encoder'], float), w
assert list(d['wic_threshold']) == ['encoder'], d['wic_threshold']
" && grep -q 'static rows .* are skipped' "$WORK/cmp.err" &&
  "$WL" compare "${M[@]}" --sts "$WORK/sts.csv" > "$WORK/cmp.txt" 2> /dev/null && grep -qE '^sts.csv +- +- +- +-?[0-9.]+ +-?[0-9.]+ +-?[0-9.]+ +- +-$' "$WORK/cmp.txt"; then
  ok "compare --sts --wic with --model only: encoder rows scored, static rows skipped"
else
  not_ok "compare" "$(cat "$WORK/cmp.json" "$WORK/cmp.err" "$WORK/cmp.txt" 2> /dev/null | head -c 800)"
fi

if "$WL" compare "${M[@]}" --sts "$WORK/sts.csv" --report "$WORK/rep" --example "$S" > /dev/null 2> "$WORK/rep.err" &&
  grep -q 'No word vectors given' "$WORK/rep/report.md" && [ -s "$WORK/rep/map_encoder.svg" ] && [ ! -e "$WORK/rep/map_avg.svg" ] &&
  grep -q '>Ġмолоко<' "$WORK/rep/attention_L0_H0.svg" && grep -q 'Ġмолоко->' "$WORK/rep/report.md" &&
  no_mojibake "$WORK/rep/report.md"; then
  ok "compare --report with --model only: readable pieces in the attention maps and tables"
else
  not_ok "compare --report" "$(cat "$WORK/rep.err"; ls "$WORK/rep" 2>&1)"
fi

# The stored model decides: another --tokenizer is refused, --vectors is not taken.
expect_fail "context: another --tokenizer" "is not the BPE model .* was trained with" "$WORK/none" -- \
  "$WL" context "${M[@]}" --tokenizer "$WORK/other.bpe" "$S" молоко
expect_fail "attention: --vectors with a BPE encoder" "leave out --vectors" "$WORK/bad" -- \
  "$WL" attention "${M[@]}" --vectors "$WORK/sent.txt" "$S" --out "$WORK/bad"
if "$WL" ffn "${M[@]}" --tokenizer "$WORK/m.bpe.away" "$S" --neurons 1 > /dev/null 2>&1; then
  ok "ffn: the same --tokenizer is accepted"
else
  not_ok "ffn with the same --tokenizer"
fi

# SimCSE tuning from the MLM model alone; its output carries the BPE model on.
if "$WL" encoder train --objective simcse --init "$WORK/enc.safetensors" --corpus "$WORK/text.txt" --output "$WORK/sim.safetensors" \
  --steps 3 --batch-tokens 512 --max-len 32 --threads 2 > /dev/null 2> "$WORK/simcse.err" &&
  "$WL" embed --input "$WORK/sent.txt" --output "$WORK/s.npy" --method encoder-cls --model "$WORK/sim.safetensors" 2>> "$WORK/simcse.err"; then
  ok "encoder train --objective simcse --init BPE_MODEL, then embed with its weights alone"
else
  not_ok "simcse on a BPE encoder" "$(tail -n 3 "$WORK/simcse.err")"
fi

# similar on BPE-token vectors: readable words, found by their readable form.
mv "$WORK/m.bpe.away" "$WORK/m.bpe"
"$WL" train -train "$WORK/text.txt" --tokenizer "$WORK/m.bpe" -output "$WORK/bv.txt" -size 16 -iter 3 -threads 2 \
  -min-count 1 -debug 0 > /dev/null 2>&1
if "$WL" similar "$WORK/bv.txt" Ġкошка -k 5 > "$WORK/sim.txt" 2> "$WORK/sim.err" && [ "$(wc -l < "$WORK/sim.txt")" -eq 5 ] &&
  has_cyrillic "$WORK/sim.txt" && no_mojibake "$WORK/sim.txt"; then
  ok "similar on BPE-token vectors: readable neighbours of Ġкошка"
else
  not_ok "similar on BPE tokens" "$(cat "$WORK/sim.txt" "$WORK/sim.err")"
fi

# Columns line up by display width: the score of `similar` on Russian words and the '|' of the
# context table start at one display column on every line, at different byte offsets.
"$WL" train -train "$WORK/text.txt" -output "$WORK/rv.bin" -binary 1 -size 16 -iter 3 -threads 2 -min-count 1 -debug 0 > /dev/null 2>&1
"$WL" similar "$WORK/rv.bin" кошка -k 8 > "$WORK/ru.txt" 2>&1
if "$PY" - "$WORK/ru.txt" "$WORK/ctx.txt" << 'PYEOF'
import sys, unicodedata
def width(s):
    return sum(0 if unicodedata.combining(c) or unicodedata.category(c) in ('Mn', 'Me', 'Cf')
               else 2 if unicodedata.east_asian_width(c) in 'WF' else 1 for c in s)
def check(lines, find, name):
    cols = {width(l[:find(l)]) for l in lines}
    bytes_ = {len(l[:find(l)].encode()) for l in lines}
    assert len(cols) == 1, (name, cols, lines)
    assert len(bytes_) > 1, (name, 'byte offsets all equal: the check would not tell widths from bytes', lines)
sim = open(sys.argv[1], encoding='utf-8').read().splitlines()
assert len(sim) == 8 and any(any('а' <= c <= 'я' for c in l) for l in sim), sim
check(sim, lambda l: l.rstrip().rfind(' ') + 1, 'similar')
ctx = [l for l in open(sys.argv[2], encoding='utf-8').read().splitlines() if '|' in l]
check(ctx[1:], lambda l: l.index('|'), 'context')
PYEOF
then
  ok "similar and context columns align by display width (Cyrillic words)"
else
  not_ok "display-width alignment" "$(cat "$WORK/ru.txt" "$WORK/ctx.txt")"
fi
finish
