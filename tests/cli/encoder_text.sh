#!/usr/bin/env bash
# wordlens encoder forward --text (equal to forward on the equivalent ids,
# made here independently: the vectors' word list in Python, `bpe encode
# --ids` for a BPE encoder; offsets; cuts at max_len) and encoder info
# (parameter counts equal the tensors of the file).
WL=${1:?usage: encoder_text.sh path/to/wordlens}
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PY=/usr/bin/python3
if ! $PY -c 'import numpy' 2> /dev/null; then
  echo "skipping: python3-numpy is not installed"
  exit 77
fi

make_corpus "$WORK/c.txt" 300 5
"$WL" train -train "$WORK/c.txt" -output "$WORK/v.txt" -binary 0 -size 8 -iter 1 -threads 1 -min-count 1 > /dev/null 2>&1
M="$WORK/m.safetensors"
if ! "$WL" encoder train --corpus "$WORK/c.txt" --vectors "$WORK/v.txt" --output "$M" --layers 2 --heads 2 --ffn-mult 2 \
  --max-len 8 --batch-tokens 256 --steps 3 --warmup 1 --threads 2 > /dev/null 2> "$WORK/train.err"; then
  not_ok "encoder train" "$(tail -n 3 "$WORK/train.err")"
  finish
  exit
fi

# Raw text: capitals, punctuation, an unknown word, a blank line, a line longer than max_len 8.
printf 'C0W1 c0w2, c0w3.\nc1w1 zzzz c1w2\n\nc2w1 c2w2 c2w3 c2w4 c2w5 c2w6 c2w7 c2w0 c2w1\nc3w3\n' > "$WORK/text.txt"
# The ids as training builds them: [CLS] = V + 2, unknown = V, words lowercased, cut at 8.
$PY - "$WORK/v.txt" "$WORK/text.txt" "$WORK/expect_ids.txt" <<'PY'
import re, sys
rows = open(sys.argv[1], encoding="utf-8").read().split("\n")[1:]
words = [r.split(" ")[0] for r in rows if r]
index = {w: i for i, w in enumerate(words)}
V = len(words)
with open(sys.argv[3], "w") as out:
    for line in open(sys.argv[2], encoding="utf-8").read().split("\n")[:-1]:
        ids = [V + 2] + [index.get(w, V) if index.get(w, 0) > 0 else V for w in re.findall("[a-z0-9]+", line.lower())]
        out.write(" ".join(map(str, ids[:8])) + "\n")
PY
if "$WL" encoder forward --model "$M" --vectors "$WORK/v.txt" --text "$WORK/text.txt" --output "$WORK/t.npy" \
  --ids-output "$WORK/ids.txt" --batch 2 2> "$WORK/err" &&
  "$WL" encoder forward --model "$M" --input "$WORK/expect_ids.txt" --output "$WORK/i.npy" --batch 2 2> "$WORK/err2" &&
  cmp -s "$WORK/ids.txt" "$WORK/expect_ids.txt" &&
  $PY -c "
import numpy as np
a = np.load('$WORK/t.npy'); b = np.load('$WORK/i.npy'); o = np.load('$WORK/t.offsets.npy')
lens = [len(l.split()) for l in open('$WORK/expect_ids.txt')]
assert o.dtype == np.int64 and list(o) == list(np.cumsum([0] + lens)), (o, lens)
assert a.shape == (sum(lens), 8) and np.array_equal(a, b), (a.shape, b.shape)
assert np.array_equal(np.load('$WORK/i.offsets.npy'), o)
" 2> "$WORK/msg" && grep -q '5 lines (\[CLS\] first): 16 tokens, 1 unknown (\[UNK\]); 1 line without a token; 1 line cut at max_len (2 tokens dropped)' "$WORK/err"; then
  ok "forward --text equals forward on the ids built from the vectors' words; offsets [n+1]; $(tail -n 1 "$WORK/err")"
else
  not_ok "forward --text (word-level)" "$(cat "$WORK/msg" "$WORK/err" "$WORK/err2" 2> /dev/null | tail -n 4; diff "$WORK/ids.txt" "$WORK/expect_ids.txt")"
fi

# --json summary
if "$WL" encoder forward --model "$M" --vectors "$WORK/v.txt" --text "$WORK/text.txt" --output "$WORK/j.npy" --json \
  > "$WORK/j.json" 2> /dev/null &&
  $PY -c "
import json; j = json.load(open('$WORK/j.json'))
assert j['sequences'] == 5 and j['tokens'] == 19 and j['text']['truncated'] == 1 and j['text']['unknown'] == 1, j"; then
  ok "forward --text --json"
else
  not_ok "forward --text --json" "$(cat "$WORK/j.json")"
fi

# A BPE encoder: raw lines as `bpe encode --ids` gives them, [CLS] (id 2) first.
printf 'Кошка пьёт молоко.\nthe cat drinks milk\n' > "$WORK/raw.txt"
for i in $(seq 40); do cat "$WORK/raw.txt"; done > "$WORK/bpe_corpus.txt"
"$WL" bpe train --input "$WORK/bpe_corpus.txt" --vocab-size 300 --output "$WORK/m.bpe" > /dev/null 2>&1
B="$WORK/b.safetensors"
"$WL" encoder train --corpus "$WORK/bpe_corpus.txt" --tokenizer "$WORK/m.bpe" --output "$B" --dim 8 --layers 1 --heads 2 \
  --max-len 64 --batch-tokens 256 --steps 2 --warmup 1 > /dev/null 2>&1
"$WL" bpe encode --model "$WORK/m.bpe" --ids < "$WORK/raw.txt" | sed 's/^/2 /' > "$WORK/bpe_ids.txt"
if "$WL" encoder forward --model "$B" --text "$WORK/raw.txt" --output "$WORK/bt.npy" 2> "$WORK/err" &&
  "$WL" encoder forward --model "$B" --input "$WORK/bpe_ids.txt" --output "$WORK/bi.npy" 2> "$WORK/err2" &&
  $PY -c "
import numpy as np
a = np.load('$WORK/bt.npy'); b = np.load('$WORK/bi.npy')
assert a.shape == b.shape and a.shape[0] > 10 and np.array_equal(a, b), (a.shape, b.shape)
assert np.array_equal(np.load('$WORK/bt.offsets.npy'), np.load('$WORK/bi.offsets.npy'))" 2> "$WORK/msg"; then
  ok "forward --text on a BPE encoder equals forward on bpe encode --ids with [CLS]"
else
  not_ok "forward --text (BPE)" "$(cat "$WORK/msg" "$WORK/err" "$WORK/err2" 2> /dev/null | tail -n 4)"
fi

expect_fail "--text without --vectors" "--vectors is required" "$WORK/o.npy" -- \
  "$WL" encoder forward --model "$M" --text "$WORK/text.txt" --output "$WORK/o.npy"
expect_fail "--text and --input" "either --input \(token ids\) or --text" "$WORK/o.npy" -- \
  "$WL" encoder forward --model "$M" --text "$WORK/text.txt" --input "$WORK/ids.txt" --output "$WORK/o.npy"
expect_fail "--vectors for a BPE encoder" "leave out --vectors" "$WORK/o.npy" -- \
  "$WL" encoder forward --model "$B" --vectors "$WORK/v.txt" --text "$WORK/raw.txt" --output "$WORK/o.npy"
printf 'c0w1\nc0w2 \xff\n' > "$WORK/bad.txt"
expect_fail "invalid UTF-8 in --text" "bad.txt:2: byte 5: " "$WORK/o.npy" -- \
  "$WL" encoder forward --model "$M" --vectors "$WORK/v.txt" --text "$WORK/bad.txt" --output "$WORK/o.npy"
if [ ! -e "$WORK/o.offsets.npy" ]; then ok "no offsets file left by a failed run"; else not_ok "offsets file left behind"; fi

# encoder info: counts equal the file's tensors (Python reads the header).
for model in "$M" "$B"; do
  if "$WL" encoder info "$model" --json > "$WORK/info.json" 2> "$WORK/err" &&
    "$WL" encoder info "$model" > "$WORK/info.txt" 2>> "$WORK/err" &&
    $PY - "$ROOT/scripts" "$model" "$WORK/info.json" <<'PY' 2> "$WORK/msg" &&
import json, sys
sys.path.insert(0, sys.argv[1])
import safetensors_io
t, meta = safetensors_io.load(sys.argv[2])
j = json.load(open(sys.argv[3]))
p = j["parameters"]
total = sum(v.size for v in t.values())
assert p["total"] == total, (p["total"], total)
assert sum(x["total"] for x in p["parts"]) == total
parts = {x["part"]: x for x in p["parts"]}
d, f, L = j["config"]["d_model"], j["config"]["d_ff"], j["config"]["n_layers"]
assert parts["feed-forward"]["total"] == sum(v.size for k, v in t.items() if ".linear" in k)
assert parts["attention WQ"]["per_layer"] == d * d + d
assert parts["embeddings"]["total"] == t["embedding.weight"].size
share = j["ffn_share_of_layer"]
assert abs(share["this_model"] - parts["feed-forward"]["per_layer"] / p["per_layer"]) < 1e-12
assert share["by_ffn_mult"]["2"] < share["by_ffn_mult"]["4"] < share["by_ffn_mult"]["8"]
assert (j["metadata"].get("vocab_source") == "bpe") == j["bpe_model_stored"]
PY
    grep -q '^feed-forward ' "$WORK/info.txt" && grep -q 'K = 8' "$WORK/info.txt"; then
    ok "encoder info $(basename "$model"): $(head -n 1 "$WORK/info.txt")"
  else
    not_ok "encoder info $(basename "$model")" "$(cat "$WORK/msg" "$WORK/err" | tail -n 3)"
  fi
done
expect_fail "info without a model" "give the encoder weights" "$WORK/none" -- "$WL" encoder info
printf 'not weights' > "$WORK/junk.safetensors"
expect_fail "info on a damaged file" "junk.safetensors: " "$WORK/none" -- "$WL" encoder info "$WORK/junk.safetensors"
finish
