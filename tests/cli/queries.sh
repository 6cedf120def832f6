#!/usr/bin/env bash
# wordlens similar / analogy / eval / export and scripts/plot_embeddings.py,
# end to end on vectors trained from a planted-class corpus.
WL=${1:?usage: queries.sh path/to/wordlens}
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

make_corpus "$WORK/c.txt" 6000 5
"$WL" train -train "$WORK/c.txt" -output "$WORK/v.bin" -binary 1 -cbow 0 -size 24 -window 4 -iter 3 -threads 2 \
  -min-count 5 -sample 0 --deterministic -debug 0 > /dev/null

# similar: the neighbours of a class word are words of its class.
out=$("$WL" similar "$WORK/v.bin" c2w3 -k 5)
same=$(echo "$out" | awk '$2 ~ /^c2w/' | wc -l)
rows=$(echo "$out" | wc -l)
if [ "$rows" -eq 5 ] && [ "$same" -ge 4 ] && echo "$out" | head -n 1 | grep -qE '^ +1  c2w[0-9] +0\.[0-9]{4}$'; then
  ok "similar: $same of 5 neighbours of c2w3 are in its class"
else
  not_ok "similar" "$out"
fi

# +a -b terms and analogy parse without treating -word as an option.
if "$WL" similar "$WORK/v.bin" +c1w1 -c2w2 +c2w3 -k 3 > "$WORK/pm" 2>&1 && [ "$(wc -l < "$WORK/pm")" -eq 3 ] &&
  "$WL" analogy "$WORK/v.bin" c1w1 c1w2 c3w1 -k 2 --method mul > "$WORK/an" 2>&1 && [ "$(wc -l < "$WORK/an")" -eq 2 ]; then
  ok "+/- terms and analogy --method mul"
else
  not_ok "+/- terms / analogy" "$(cat "$WORK/pm" "$WORK/an")"
fi

# Batch mode: one query per stdin line; an unknown word is reported, the rest answered.
printf 'c0w1\nunicorn\nc4w4\n' | "$WL" similar "$WORK/v.bin" -k 3 > "$WORK/batch" 2> "$WORK/batch.err"
rc=$?
if [ $rc -eq 1 ] && [ "$(grep -c '^# ' "$WORK/batch")" -eq 3 ] && [ "$(grep -vc '^# ' "$WORK/batch")" -eq 6 ] && grep -q "'unicorn' is not in the vocabulary" "$WORK/batch.err"; then
  ok "batch queries from stdin (unknown word reported, exit 1)"
else
  not_ok "batch queries" "rc=$rc $(cat "$WORK/batch.err")"
fi
printf 'c0w1 c0w2 c1w1\n' | "$WL" analogy "$WORK/v.bin" -k 2 > "$WORK/batch2" 2>&1 && [ "$(grep -c . "$WORK/batch2")" -eq 3 ] &&
  ok "analogy batch from stdin" || not_ok "analogy batch" "$(cat "$WORK/batch2")"

expect_fail "similar: unknown word" "'unicorn' is not in the vocabulary" "$WORK/none" -- "$WL" similar "$WORK/v.bin" unicorn
expect_fail "analogy: two words" "needs three words" "$WORK/none" -- "$WL" analogy "$WORK/v.bin" c1w1 c1w2
expect_fail "missing vectors file" "cannot open vectors file" "$WORK/none" -- "$WL" similar "$WORK/nope.bin" c1w1

# Malformed vector files: one-line errors naming the file and an offset.
head -c 300 "$WORK/v.bin" > "$WORK/trunc.bin"
expect_fail "truncated binary file" "trunc.bin: .*truncated.*byte offset" "$WORK/none" -- "$WL" similar "$WORK/trunc.bin" c1w1
printf 'hello world\n' > "$WORK/foreign.txt"
expect_fail "foreign file" "foreign.txt: bad header" "$WORK/none" -- "$WL" similar "$WORK/foreign.txt" hello
printf '2 3\na 0.1 0.2 0.3\nb 0.1 0.2 0.3 0.4\n' > "$WORK/dim.txt"
expect_fail "dimension mismatch" "dim.txt: row 2 .*dimension mismatch" "$WORK/none" -- "$WL" similar "$WORK/dim.txt" a
{ printf '2 4\na '; head -c 16 /dev/zero | tr '\0' '\1'; printf '\nb 0.1 0.2 0.3 0.4000\n'; } > "$WORK/mixed.bin"
expect_fail "text in a binary file" "mixed.bin: row 2 .*text inside a binary" "$WORK/none" -- "$WL" similar "$WORK/mixed.bin" a

# eval --json has exactly the documented keys.
printf ': fake\nc0w1 c0w2 c1w1 c1w2\nc0w1 c0w2 c1w1 zzz\n' > "$WORK/q.txt"
printf 'c0w1\tc0w2\t9\nc0w1\tc3w3\t1\nc1w1\tc1w5\t8\nc2w2\tc4w1\t2\nzzz\tc0w1\t5\n' > "$WORK/ws.txt"
"$WL" eval "$WORK/v.bin" --analogy "$WORK/q.txt" --similarity "$WORK/ws.txt" --json > "$WORK/eval.json"
if /usr/bin/python3 - "$WORK/eval.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert list(d) == ["analogy", "similarity"], list(d)
assert set(d["analogy"]) == {"accuracy", "accuracy_covered", "coverage", "sections"}, d["analogy"]
assert list(d["analogy"]["sections"]) == ["fake"]
assert abs(d["analogy"]["coverage"] - 0.5) < 1e-9
s = d["similarity"]["ws.txt"]
assert set(s) == {"spearman", "pearson", "coverage", "pairs", "total"} and abs(s["coverage"] - 0.8) < 1e-9 and s["spearman"] > 0.5, s
assert (s["pairs"], s["total"]) == (4, 5), s
PY
then ok "eval --json keys and values"; else not_ok "eval --json" "$(cat "$WORK/eval.json")"; fi

# eval --similarity reads CSV with a header (RUSSE's layout): the same pairs as
# ws.txt give the same numbers; the text output shows pairs found / total.
{ echo 'word1,word2,sim'; tr '\t' ',' < "$WORK/ws.txt"; } > "$WORK/ws.csv"
"$WL" eval "$WORK/v.bin" --similarity "$WORK/ws.txt" "$WORK/ws.csv" --json > "$WORK/eval2.json"
"$WL" eval "$WORK/v.bin" --similarity "$WORK/ws.csv" > "$WORK/eval2.txt"
if /usr/bin/python3 - "$WORK/eval2.json" <<'PY' && grep -qE '^  ws\.csv +-?[0-9.]+ +-?[0-9.]+ +4/5 +0\.8000$' "$WORK/eval2.txt"
import json, sys
d = json.load(open(sys.argv[1]))["similarity"]
assert d["ws.csv"] == d["ws.txt"], d
PY
then ok "eval --similarity: CSV with a header gives the numbers of the tab-separated file"
else not_ok "eval --similarity CSV" "$(cat "$WORK/eval2.json" "$WORK/eval2.txt")"; fi
printf 'word1,word2,sim\nc0w1,c0w2,0.9\n"c0w1,c3w3,0.1\n' > "$WORK/bad.csv"
expect_fail "eval: unclosed quote in a CSV file" "bad.csv:3: quoted field not closed on its line at byte 1" "$WORK/none" -- \
  "$WL" eval "$WORK/v.bin" --similarity "$WORK/bad.csv"
expect_fail "eval without files" "nothing to evaluate" "$WORK/none" -- "$WL" eval "$WORK/v.bin"

# export: tsv, npy (+ vocab), vec.
"$WL" export "$WORK/v.bin" --format tsv "$WORK/proj" > /dev/null && "$WL" export "$WORK/v.bin" --format npy "$WORK/m.npy" > /dev/null &&
  "$WL" export "$WORK/v.bin" --format vec "$WORK/v.vec" > /dev/null
n=$(head -n 1 "$WORK/v.vec" | cut -d' ' -f1)
if [ "$(wc -l < "$WORK/proj/metadata.tsv")" -eq "$n" ] && [ "$(head -n 1 "$WORK/proj/vectors.tsv" | awk -F'\t' '{print NF}')" -eq 24 ] &&
  /usr/bin/python3 -c "
import numpy as np, sys
m = np.load('$WORK/m.npy'); words = open('$WORK/m.vocab.txt').read().split()
assert m.shape == ($n, 24) and m.dtype == np.float32 and len(words) == $n, (m.shape, len(words))
rows = {l.split(' ', 1)[0]: np.array(l.split()[1:], np.float32) for l in open('$WORK/v.vec').read().splitlines()[1:]}
assert np.abs(rows[words[5]] - m[5]).max() < 1e-6
"; then
  ok "export tsv / npy / vec agree"
else
  not_ok "export"
fi
expect_fail "export: bad format" "--format: 'csv' is not one of tsv, npy, vec" "$WORK/x" -- "$WL" export "$WORK/v.bin" --format csv "$WORK/x"

# embed: avg and SIF sentence vectors, one row per line, zero rows for unknown-only lines.
"$WL" train -train "$WORK/c.txt" -output "$WORK/v2.bin" -binary 1 -size 24 -iter 1 -threads 2 -min-count 5 \
  -save-vocab "$WORK/counts.txt" -debug 0 > /dev/null
printf 'C0W1 c0w2, c0w3!\nnothing known here\nc1w1 c1w2\n' > "$WORK/sent.txt"
"$WL" embed --input "$WORK/sent.txt" --output "$WORK/avg.npy" --method avg --vectors "$WORK/v2.bin" 2> "$WORK/embed.err"
"$WL" embed --input "$WORK/sent.txt" --output "$WORK/sif.npy" --method sif --vectors "$WORK/v2.bin" --vocab "$WORK/counts.txt" 2>> "$WORK/embed.err"
if grep -q "1 sentence without a known token" "$WORK/embed.err" && /usr/bin/python3 -c "
import numpy as np
a = np.load('$WORK/avg.npy'); s = np.load('$WORK/sif.npy')
assert a.shape == (3, 24) and s.shape == (3, 24)
assert not a[1].any() and a[0].any() and a[2].any()
"; then ok "embed avg / sif"; else not_ok "embed" "$(cat "$WORK/embed.err")"; fi
"$WL" encoder train --corpus "$WORK/c.txt" --vectors "$WORK/v2.bin" --output "$WORK/enc.safetensors" --layers 1 --heads 2 \
  --max-len 16 --batch-tokens 256 --steps 3 --threads 2 > /dev/null 2>&1
if "$WL" embed --input "$WORK/sent.txt" --output "$WORK/enc.npy" --method encoder-mean --vectors "$WORK/v2.bin" \
  --model "$WORK/enc.safetensors" 2> "$WORK/enc.err" && grep -q "1 sentence without a known token" "$WORK/enc.err" &&
  /usr/bin/python3 -c "
import numpy as np
a = np.load('$WORK/enc.npy'); assert a.shape == (3, 24) and not a[1].any() and a[0].any()
"; then ok "embed encoder-mean"; else not_ok "embed encoder-mean" "$(cat "$WORK/enc.err")"; fi
"$WL" train -train "$WORK/c.txt" -output "$WORK/v3.bin" -binary 1 -size 24 -iter 1 -threads 2 --max-vocab 20 -debug 0 > /dev/null
expect_fail "embed with vectors of another vocabulary" "differs from the one" "$WORK/x.npy" -- "$WL" embed --input "$WORK/sent.txt" \
  --output "$WORK/x.npy" --method encoder-cls --vectors "$WORK/v3.bin" --model "$WORK/enc.safetensors"
# compare: STS-style file (score in column 5, sentences in 6 and 7).
printf 'g\tf\t2012\t1\t5.0\tc0w1 c0w2 c0w3\tc0w2 c0w3 c0w4\ng\tf\t2012\t2\t0.5\tc1w1 c1w2\tc3w1 c3w5\ng\tf\t2012\t3\t4.0\tc2w1 c2w2\tc2w3 c2w4\ng\tf\t2012\t4\t1.0\tc4w1\tc0w5 c0w1\n' > "$WORK/sts.csv"
if "$WL" compare --vectors "$WORK/v2.bin" --vocab "$WORK/counts.txt" --model "$WORK/enc.safetensors" --sts "$WORK/sts.csv" --json > "$WORK/cmp.json" &&
  /usr/bin/python3 -c "
import json; d = json.load(open('$WORK/cmp.json'))
r = d['sts']['sts.csv']; assert list(r) == ['avg', 'sif', 'sif_weighted', 'encoder_mean', 'encoder_cls', 'encoder_mean_no_cls', 'encoder_sif', 'encoder_sif_weighted'], r
assert all(isinstance(v, float) for v in r.values()), r
"; then ok "compare --sts --json"; else not_ok "compare" "$(cat "$WORK/cmp.json")"; fi
printf 'g\tf\t2012\t1\t5.0\tonly one sentence\n' > "$WORK/bad-sts.csv"
expect_fail "compare: STS line with missing columns" "bad-sts.csv:1: expected 7 tab-separated columns" "$WORK/none" -- \
  "$WL" compare --vectors "$WORK/v2.bin" --sts "$WORK/bad-sts.csv"
expect_fail "compare: encoder from another vocabulary" "differs from the one" "$WORK/none" -- \
  "$WL" compare --vectors "$WORK/v3.bin" --model "$WORK/enc.safetensors" --sts "$WORK/sts.csv"
expect_fail "embed sif without counts" "needs --vocab" "$WORK/x.npy" -- "$WL" embed --input "$WORK/sent.txt" --output "$WORK/x.npy" --method sif --vectors "$WORK/v2.bin"

# The 2-D map script writes a PNG (where matplotlib is installed).
if /usr/bin/python3 -c 'import matplotlib' 2> /dev/null; then
  if /usr/bin/python3 "$ROOT/scripts/plot_embeddings.py" "$WORK/v.bin" "$WORK/map.png" --top 30 > /dev/null &&
    [ "$(head -c 8 "$WORK/map.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; then
    ok "plot_embeddings.py writes a PNG"
  else
    not_ok "plot_embeddings.py"
  fi
else
  echo "skip - plot_embeddings.py: python3-matplotlib not installed"
fi
finish
