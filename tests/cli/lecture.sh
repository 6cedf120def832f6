#!/usr/bin/env bash
# The lecture, runnable, on a tiny encoder trained in a few seconds:
# attention --explain (every number recomputed with numpy from the weights,
# the residual stream checked against `encoder forward` of the model cut
# after layer 0, the softmax rows against `attention --json`), --rollout
# (reach of a window grows by W per layer), context --layer and several
# sentences, ffn --json.
WL=${1:?usage: lecture.sh path/to/wordlens}
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
if ! "$PY" -c 'import numpy' 2> /dev/null; then
  echo "skipped: needs /usr/bin/python3 with numpy"
  exit 77
fi

make_corpus "$WORK/c.txt" 3000 7
"$WL" train -train "$WORK/c.txt" -output "$WORK/v.bin" -binary 1 -size 16 -iter 1 -threads 2 -min-count 5 -debug 0 > /dev/null
if ! "$WL" encoder train --corpus "$WORK/c.txt" --vectors "$WORK/v.bin" --output "$WORK/enc.safetensors" --layers 2 --heads 2 \
  --max-len 16 --batch-tokens 256 --steps 20 --threads 2 > /dev/null 2> "$WORK/train.err"; then
  not_ok "encoder train" "$(tail -n 3 "$WORK/train.err")"
  finish
  exit
fi
M=(--model "$WORK/enc.safetensors" --vectors "$WORK/v.bin")
S="c0w1 c0w2 c1w3 c0w4 c2w5"
T=6

# --explain --json: every step recomputed from the weights; residual = encoder forward of the model cut after layer 0.
"$PY" - "$WORK/enc.safetensors" "$WORK/cut.safetensors" <<'PYEOF'
import json, struct, sys
src, dst = sys.argv[1], sys.argv[2]
raw = open(src, "rb").read()
n = struct.unpack("<Q", raw[:8])[0]
head = json.loads(raw[8:8 + n])
data = raw[8 + n:]
meta = head.pop("__metadata__")
meta["n_layers"], meta["final_norm"] = "1", "false"
keep = {k: v for k, v in head.items() if k == "embedding.weight" or k == "pos_embedding" or k.startswith("layers.0.")}
out, blob = {"__metadata__": meta}, b""
for k, v in keep.items():
    a, b = v["data_offsets"]
    out[k] = {"dtype": v["dtype"], "shape": v["shape"], "data_offsets": [len(blob), len(blob) + b - a]}
    blob += data[a:b]
h = json.dumps(out).encode()
h += b" " * ((8 - len(h) % 8) % 8)
open(dst, "wb").write(struct.pack("<Q", len(h)) + h + blob)
PYEOF
if "$WL" attention "${M[@]}" "$S" --explain --layer 1 --head 1 --json > "$WORK/explain.json" 2> "$WORK/explain.err" &&
  "$WL" attention "${M[@]}" "$S" --layer 1 --head 1 --json --out "$WORK/att" > "$WORK/maps.json" 2>> "$WORK/explain.err" &&
  "$PY" -c 'import json, sys; print(" ".join(map(str, json.load(open(sys.argv[1]))["ids"])))' "$WORK/explain.json" > "$WORK/ids.txt" &&
  "$WL" encoder forward --model "$WORK/cut.safetensors" --input "$WORK/ids.txt" --output "$WORK/res.npy" 2>> "$WORK/explain.err" &&
  "$PY" - "$WORK/explain.json" "$WORK/maps.json" "$WORK/res.npy" "$WORK/enc.safetensors" > "$WORK/check.txt" 2>&1 <<'PYEOF'
import json, struct, sys
import numpy as np
e = json.load(open(sys.argv[1])); maps = json.load(open(sys.argv[2])); res = np.load(sys.argv[3])
raw = open(sys.argv[4], "rb").read(); n = struct.unpack("<Q", raw[:8])[0]; head = json.loads(raw[8:8 + n])
def W(name):
    v = head[name]; a, b = v["data_offsets"]
    return np.frombuffer(raw[8 + n + a:8 + n + b], dtype="<f4").reshape(v["shape"]).astype(np.float64)
A = lambda k: np.array(e[k], dtype=np.float64)
d, dh, h = e["d_model"], e["d_head"], e["head"]
assert e["layer"] == 1 and h == 1 and dh == d // 2 and e["pre_norm"] and e["window"] == 0, "header"
assert abs(e["scale"] - 1 / np.sqrt(dh)) < 1e-12, "scale"
assert np.abs(A("residual") - res).max() < 1e-5, "residual vs encoder forward %g" % np.abs(A("residual") - res).max()
x = A("residual"); mu = x.mean(1, keepdims=True); var = x.var(1, keepdims=True)
ln = (x - mu) / np.sqrt(var + 1e-5) * W("layers.1.norm1.weight") + W("layers.1.norm1.bias")
assert np.abs(A("input") - ln).max() < 1e-4, "LN1"
w, b = W("layers.1.self_attn.in_proj_weight"), W("layers.1.self_attn.in_proj_bias")
q, k, v = [ln @ w[o + h * dh:o + (h + 1) * dh].T + b[o + h * dh:o + (h + 1) * dh] for o in (0, d, 2 * d)]
for name, ref in (("q", q), ("k", k), ("v", v)):
    assert np.abs(A(name) - ref).max() < 1e-4, name
s = q @ k.T
assert np.abs(A("scores") - s).max() < 1e-3, "scores"
assert np.abs(A("scaled") - s / np.sqrt(dh)).max() < 1e-3, "scaled"
p = np.exp(s / np.sqrt(dh) - (s / np.sqrt(dh)).max(1, keepdims=True)); p /= p.sum(1, keepdims=True)
assert np.abs(A("probs") - p).max() < 1e-5, "softmax"
assert np.abs(A("probs").sum(1) - 1).max() < 1e-5, "rows sum to 1"
fast = [m for m in maps["maps"] if m["layer"] == 1 and m["head"] == 1][0]["weights"]
assert np.abs(A("probs") - np.array(fast)).max() < 1e-5, "probs vs attention --json %g" % np.abs(A("probs") - np.array(fast)).max()
assert np.abs(A("context") - p @ v).max() < 1e-4, "weighted values"
wo = W("layers.1.self_attn.out_proj.weight")
assert np.abs(A("output") - (p @ v) @ wo[:, h * dh:(h + 1) * dh].T).max() < 1e-4, "W_O"
print("T=%d max|residual - forward| %.2g" % (len(e["tokens"]), np.abs(A("residual") - res).max()))
PYEOF
then
  ok "attention --explain --json: q, k, v, scores, softmax, values, W_O = numpy; residual = encoder forward ($(cat "$WORK/check.txt"))"
else
  not_ok "attention --explain --json" "$(cat "$WORK/explain.err" "$WORK/check.txt" | head -c 600)"
fi
if "$WL" attention "${M[@]}" "$S" --explain --dims 3 > "$WORK/explain.txt" 2> "$WORK/explain.err" &&
  [ "$(grep -c '| sum 1\.0000$' "$WORK/explain.txt")" -eq $T ] && grep -q 'q = x W_q.* \[T=6, d_head=8\]$' "$WORK/explain.txt" &&
  grep -q '^pre-norm: Q, K and V are projected from LN1' "$WORK/explain.txt" && grep -q 'q·k / √8 = q·k × 0.353553' "$WORK/explain.txt" &&
  [ "$(grep -c '…$' "$WORK/explain.txt")" -ge $((5 * T)) ] && grep -q '^layer 0, head 0 (of 2)' "$WORK/explain.txt"; then
  ok "attention --explain: layer 0 head 0 by default, shapes, the scale, $T softmax rows summing to 1, --dims 3 cuts vectors"
else
  not_ok "attention --explain (text)" "$(cat "$WORK/explain.err"; head -n 30 "$WORK/explain.txt")"
fi
expect_fail "attention: --explain with --rollout" "--explain and --rollout" "$WORK/none" -- \
  "$WL" attention "${M[@]}" "$S" --explain --rollout
expect_fail "attention: --dims without --explain" "--dims goes with --explain" "$WORK/none" -- "$WL" attention "${M[@]}" "$S" --dims 3
expect_fail "attention: --explain --head out of range" "--head 2 is out of range" "$WORK/none" -- \
  "$WL" attention "${M[@]}" "$S" --explain --head 2

# --rollout: rows of every R_l sum to 1; a window of 1 reaches min(T-1, l) after l layers, full attention T-1.
if "$WL" attention "${M[@]}" "$S" --rollout --window 1 --out "$WORK/roll" > "$WORK/roll.txt" 2> "$WORK/roll.err" &&
  "$WL" attention "${M[@]}" "$S" --rollout --window 1 --json --out "$WORK/roll2" > "$WORK/roll.json" 2>> "$WORK/roll.err" &&
  "$PY" - "$WORK/roll.json" > "$WORK/rcheck.txt" 2>&1 <<'PYEOF'
import json, sys
r = json.load(open(sys.argv[1]))
T = len(r["tokens"])
assert r["model_window"] == 0 and r["window"] == 1 and r["compared_window"] == 1
for row in r["layers"]:
    l = row["layer"] + 1
    assert row["bound"] == min(T - 1, l), row
    assert row["compared"]["max_reach"] == min(T - 1, l), row
    assert row["model"]["max_reach"] == T - 1, row
    assert (row["compared"]["mass_beyond"] == 0) == (l == 1), row
    assert row["model"]["mass_beyond"] > 0
print("reach", [row["compared"]["max_reach"] for row in r["layers"]])
PYEOF
then
  files=$(ls "$WORK/roll" | tr '\n' ' ')
  if [ "$files" = "reach.svg rollout_L0.svg rollout_L1.svg rollout_window_L0.svg rollout_window_L1.svg " ] &&
    [ "$(grep -o '<rect class="cell"' "$WORK/roll/rollout_L1.svg" | wc -l)" -eq $((T * T)) ] &&
    grep -q 'window ±1, the same weights (trained with full attention)' "$WORK/roll.txt" && [ "$(grep -cE '^[0-9]+ +\|' "$WORK/roll.txt")" -eq 2 ]; then
    ok "attention --rollout: 5 SVGs, 2 table rows, windowed $(cat "$WORK/rcheck.txt"), full attention T-1"
  else
    not_ok "attention --rollout files/table" "$files $(cat "$WORK/roll.txt")"
  fi
else
  not_ok "attention --rollout" "$(cat "$WORK/roll.err" "$WORK/rcheck.txt" | head -c 600)"
fi

# context: several sentences, --layer, -k.
if "$WL" context "${M[@]}" "c0w1 c0w2 c0w3" "c3w1 c0w2 c3w3 c3w4" c0w2 -k 4 > "$WORK/ctx.txt" 2> "$WORK/ctx.err" &&
  "$WL" context "${M[@]}" --sentence "c0w1 c0w2 c0w3" --sentence "c3w1 c0w2 c3w3 c3w4" c0w2 -k 4 > "$WORK/ctx2.txt" 2>> "$WORK/ctx.err" &&
  "$WL" context "${M[@]}" "c0w1 c0w2 c0w3" "c3w1 c0w2 c3w3 c3w4" c0w2 -k 4 --json > "$WORK/ctx.json" 2>> "$WORK/ctx.err" &&
  "$WL" context "${M[@]}" "c0w1 c0w2 c0w3" "c3w1 c0w2 c3w3 c3w4" c0w2 -k 4 --json --layer all > "$WORK/all.json" 2>> "$WORK/ctx.err" &&
  "$WL" context "${M[@]}" "c0w1 c0w2 c0w3" c0w2 -k 4 --json --layer 1 > "$WORK/l1.json" 2>> "$WORK/ctx.err" &&
  "$PY" - "$WORK/ctx.json" "$WORK/all.json" "$WORK/l1.json" > "$WORK/ccheck.txt" 2>&1 <<'PYEOF'
import json, sys
c, a, l1 = (json.load(open(f)) for f in sys.argv[1:4])
assert c["word"] == "c0w2" and len(c["static"]) == 4 and len(c["contextual"]) == 2
assert [x["sentence"] for x in c["contextual"]] == [1, 2] and [x["layer"] for x in c["contextual"]] == [1, 1]
assert c["contextual"][0]["position"] == 2 and c["contextual"][1]["position"] == 2
assert all(len(x["neighbours"]) == 4 for x in c["contextual"])
assert len(c["cosines"]) == 1 and -1 <= c["cosines"][0]["cosine"] <= 1
assert [(x["layer"], x["sentence"]) for x in a["contextual"]] == [(0, 1), (0, 2), (1, 1), (1, 2)]
assert len(a["cosines"]) == 2 and a["static"] == c["static"]
words = lambda x: [h["word"] for h in x["neighbours"]]
# The states after layers 0 and 1 differ: their cosines to the neighbours do (the words
# themselves may coincide on this tiny model, as they did under the sanitizer build).
scored = lambda x: [(h["word"], round(h["cosine"], 4)) for h in x["neighbours"]]
assert scored(a["contextual"][0]) != scored(a["contextual"][2]), "layers 0 and 1 give the same list and cosines"
assert words(a["contextual"][2]) == words(c["contextual"][0]), "--layer all's last layer differs from the default"
assert words(l1["contextual"][0]) == words(c["contextual"][0]), "--layer 1 (the last) differs from the default"
assert abs(a["cosines"][1]["cosine"] - c["cosines"][0]["cosine"]) < 1e-4
print("cosine %.4f" % c["cosines"][0]["cosine"])
PYEOF
then
  if cmp -s "$WORK/ctx.txt" "$WORK/ctx2.txt" && grep -q 'static .*|  sentence 1 .*|  sentence 2 ' "$WORK/ctx.txt" &&
    [ "$(grep -cE '^[1-4] ' "$WORK/ctx.txt")" -eq 4 ] && grep -q "^1: 'c0w2' at position 2 of: c0w1 c0w2 c0w3$" "$WORK/ctx.txt" &&
    grep -q "^cosine of the contextual vectors of 'c0w2', sentence 1 vs 2: " "$WORK/ctx.txt"; then
    ok "context: two sentences (positional = --sentence), one static and two contextual lists of 4, $(cat "$WORK/ccheck.txt"); --layer all/1"
  else
    not_ok "context: several sentences (text)" "$(cat "$WORK/ctx.txt")"
  fi
else
  not_ok "context: several sentences / --layer" "$(cat "$WORK/ctx.err" "$WORK/ccheck.txt" | head -c 600)"
fi
if "$WL" context "${M[@]}" "c0w1 c0w2 c0w3" c0w2 -k 3 --layer all > "$WORK/lall.txt" 2> "$WORK/ctx.err" &&
  grep -q '^layer 0 (its output through the final LayerNorm' "$WORK/lall.txt" && grep -q '^layer 1 (the final hidden states)' "$WORK/lall.txt" &&
  [ "$(grep -c 'static .*|  contextual' "$WORK/lall.txt")" -eq 2 ]; then
  ok "context --layer all: one table per layer"
else
  not_ok "context --layer all" "$(cat "$WORK/ctx.err" "$WORK/lall.txt")"
fi
expect_fail "context: --layer abc" "--layer must be a layer number or 'all'" "$WORK/none" -- "$WL" context "${M[@]}" "c0w1 c0w2" c0w2 --layer abc
expect_fail "context: --layer 2" "--layer 2 is out of range" "$WORK/none" -- "$WL" context "${M[@]}" "c0w1 c0w2" c0w2 --layer 2
expect_fail "context: word only" "give the sentence" "$WORK/none" -- "$WL" context "${M[@]}" c0w2

# ffn --json, -k.
if "$WL" ffn "${M[@]}" "$S" --neurons 3 -k 2 --json > "$WORK/ffn.json" 2> "$WORK/ffn.err" &&
  "$PY" -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["layer"] == 1 and r["score"] == "sum" and len(r["tokens"]) == 6 and len(r["neurons"]) == 3
s = [n["score"] for n in r["neurons"]]
assert s == sorted(s, reverse=True)
assert all(len(n["words"]) == 2 and r["tokens"][n["peak"]] == n["peak_token"] for n in r["neurons"])
' "$WORK/ffn.json" 2>> "$WORK/ffn.err" && [ "$(wc -l < "$WORK/ffn.json")" -eq 1 ]; then
  ok "ffn --json -k 2: 3 neurons best first, 2 words each"
else
  not_ok "ffn --json" "$(cat "$WORK/ffn.err" "$WORK/ffn.json" | head -c 600)"
fi
finish
