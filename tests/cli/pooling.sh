#!/usr/bin/env bash
# Pooling of the encoder's states (issue 15) through the CLI, on tiny models
# made as compare.sh makes them: embed's new methods and --layer (the last
# layer is the default, other layers differ; encoder-sif is
# encoder-sif-weighted less its first principal component, checked with
# numpy's SVD), index + search with encoder-sif, compare's new rows and
# --layer, and the errors.
WL=${1:?usage: pooling.sh path/to/wordlens}
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
if ! "$PY" -c 'import numpy' 2> /dev/null; then echo "skip - /usr/bin/python3 with numpy not installed"; exit 77; fi

make_corpus "$WORK/c.txt" 3000 11
"$WL" train -train "$WORK/c.txt" -output "$WORK/v.bin" -binary 1 -size 24 -iter 2 -threads 2 -min-count 1 \
  -save-vocab "$WORK/counts.txt" -debug 0 > /dev/null 2>&1
"$WL" encoder train --corpus "$WORK/c.txt" --vectors "$WORK/v.bin" --output "$WORK/m.safetensors" --layers 2 --heads 2 \
  --max-len 16 --batch-tokens 512 --steps 10 --warmup 2 --eval-every 5 --threads 2 > /dev/null 2>&1
E=(--vectors "$WORK/v.bin" --model "$WORK/m.safetensors" --vocab "$WORK/counts.txt")
printf 'c0w1 c0w2 c0w3 c0w4\nc1w1 c1w2\nC2W5, c2w1 c2w7!\nc3w3 c3w4 c3w0 c3w1 c3w2\nc0w5 c4w1 c4w2\nnothing known here\nc5w5 c5w6 c5w7\n' \
  > "$WORK/sent.txt"

emb() {  # emb NAME ARGS...: embed into NAME.npy
  local name=$1
  shift
  "$WL" embed --input "$WORK/sent.txt" --output "$WORK/$name.npy" "${E[@]}" "$@" 2> "$WORK/$name.err"
}
if emb mean --method encoder-mean && emb mean-last --method encoder-mean --layer last && emb mean-1 --method encoder-mean --layer 1 &&
  emb mean-0 --method encoder-mean --layer 0 && emb mean-all --method encoder-mean --layer all-mean &&
  emb nocls --method encoder-mean-no-cls && emb cls --method encoder-cls && cmp -s "$WORK/mean.npy" "$WORK/mean-last.npy" &&
  cmp -s "$WORK/mean.npy" "$WORK/mean-1.npy" && "$PY" -c "
import numpy as np
m, m0, ma, nc, c = (np.load('$WORK/%s.npy' % n) for n in ('mean', 'mean-0', 'mean-all', 'nocls', 'cls'))
assert m.shape == (7, 24) and not m[5].any() and not m0[5].any(), m.shape
# all-mean of two layers: the mean of each layer's pooled states (mean pooling is linear).
assert np.allclose(ma, (m + m0) / 2, atol=1e-5), abs(ma - (m + m0) / 2).max()
assert abs(m0 - m).max() > 1e-3 and abs(nc - m).max() > 1e-4 and abs(c - m).max() > 1e-3
# mean with [CLS] over n + 1 states = (n · mean without [CLS] + [CLS]) / (n + 1); line 1 has 4 words.
assert np.allclose(m[0], (4 * nc[0] + c[0]) / 5, atol=1e-5), abs(m[0] - (4 * nc[0] + c[0]) / 5).max()
" && grep -q "layer 0" "$WORK/mean-0.err"; then
  ok "embed: --layer last and 1 equal the default, layer 0 and all-mean differ as they should, mean = (n·no-cls + cls)/(n+1)"
else
  not_ok "embed --layer" "$(cat "$WORK"/*.err | head -c 600)"
fi

if emb sifw --method encoder-sif-weighted --layer 0 && emb sif --method encoder-sif --layer 0 && "$PY" -c "
import numpy as np
w, s = np.load('$WORK/sifw.npy'), np.load('$WORK/sif.npy')
assert w.shape == s.shape == (7, 24) and not w[5].any()
u = np.linalg.svd(w.astype(np.float64), full_matrices=False)[2][0]   # first right singular vector (uncentred)
ref = w - np.outer(w @ u, u)
assert np.allclose(s, ref, atol=1e-4), abs(s - ref).max()
assert abs(s - w).max() > 1e-3
"; then
  ok "embed: encoder-sif = encoder-sif-weighted less its first principal component (numpy SVD)"
else
  not_ok "embed encoder-sif" "$(cat "$WORK/sif.err" "$WORK/sifw.err" | head -c 600)"
fi

# index + search: a line of the index finds itself first.
if "$WL" index --input "$WORK/sent.txt" --output "$WORK/sif.idx" "${E[@]}" --method encoder-sif --layer all-mean \
  2> "$WORK/idx.err" && out=$("$WL" search "$WORK/sif.idx" --query "c3w3 c3w4 c3w0 c3w1 c3w2" -k 1 --json 2>&1) &&
  echo "$out" | "$PY" -c "
import json, sys; o = json.loads(sys.stdin.read()); h = list(o['results'].values())[0][0]
assert h['line'] == 4 and h['score'] > 0.9999, o
"; then
  ok "index --method encoder-sif --layer all-mean; search finds the line itself"
else
  not_ok "index/search encoder-sif" "$(cat "$WORK/idx.err") $out"
fi

# compare: the new rows, and --layer (last = the default; 0 differs in the encoder rows only).
# 40 pairs with random scores: Spearman over them tells one set of vectors from another.
awk 'BEGIN { srand(5); for (i = 1; i <= 40; i++) {
  a = ""; b = ""; c = int(rand() * 6); e = (i % 2) ? c : int(rand() * 6);
  for (k = 0; k < 3 + i % 4; k++) a = a (k ? " " : "") "c" c "w" int(rand() * 8);
  for (k = 0; k < 2 + i % 5; k++) b = b (k ? " " : "") "c" e "w" int(rand() * 8);
  printf "news\tf\t2012\t%d\t%.1f\t%s\t%s\n", i, rand() * 5, a, b } }' > "$WORK/sts.csv"
for l in default last 0; do
  args=()
  [ "$l" = default ] || args=(--layer "$l")
  "$WL" compare "${E[@]}" --sts "$WORK/sts.csv" --json "${args[@]}" > "$WORK/cmp-$l.json" 2> "$WORK/cmp-$l.err"
done
if "$PY" -c "
import json
d, last, l0 = (json.load(open('$WORK/cmp-%s.json' % n))['sts']['sts.csv'] for n in ('default', 'last', '0'))
keys = ['avg', 'sif', 'sif_weighted', 'encoder_mean', 'encoder_cls', 'encoder_mean_no_cls', 'encoder_sif', 'encoder_sif_weighted']
assert list(d) == keys and all(isinstance(v, float) for v in d.values()), d
assert d == last, (d, last)
assert l0['avg'] == d['avg'] and l0['sif'] == d['sif'] and l0 != d, (l0, d)
" && "$WL" compare "${E[@]}" --sts "$WORK/sts.csv" --layer all-mean > "$WORK/cmp.txt" 2> "$WORK/cmp-txt.err" &&
  head -1 "$WORK/cmp.txt" | grep -q 'encoder-sif-weighted$'; then
  ok "compare: 8 rows, --layer last = default, --layer 0 changes the encoder rows only; text table"
else
  not_ok "compare --layer" "$(cat "$WORK"/cmp-*.err "$WORK/cmp.txt" | head -c 600)"
fi

expect_fail "embed: encoder-sif without --vocab" "--method encoder-sif needs --vocab" "$WORK/x.npy" -- \
  "$WL" embed --input "$WORK/sent.txt" --output "$WORK/x.npy" --vectors "$WORK/v.bin" --model "$WORK/m.safetensors" \
  --method encoder-sif
expect_fail "embed: a layer the model does not have" "--layer 2 is out of range: the encoder has layers 0..1" "$WORK/x.npy" -- \
  "$WL" embed --input "$WORK/sent.txt" --output "$WORK/x.npy" "${E[@]}" --method encoder-mean --layer 2
expect_fail "embed: --layer spelled wrong" "--layer: 'al' is not a layer number \(from 0\), last or all-mean" "$WORK/x.npy" -- \
  "$WL" embed --input "$WORK/sent.txt" --output "$WORK/x.npy" "${E[@]}" --method encoder-mean --layer al
expect_fail "embed: --layer with a static method" "--layer goes with an encoder method" "$WORK/x.npy" -- \
  "$WL" embed --input "$WORK/sent.txt" --output "$WORK/x.npy" "${E[@]}" --method sif --layer 0
expect_fail "compare: a layer the model does not have" "--layer 5 is out of range" "$WORK/none" -- \
  "$WL" compare "${E[@]}" --sts "$WORK/sts.csv" --layer 5
finish
