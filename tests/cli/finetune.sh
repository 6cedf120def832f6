#!/usr/bin/env bash
# wordlens encoder finetune --task sts (issue 15) on tiny data made here: a
# tiny encoder (random embeddings, so it knows nothing of the word classes)
# tuned on planted STS pairs (the score is the share of the second sentence's
# words from the first one's word class); the dev Spearman it reports
# is compare's row for the model it wrote (mean and sif-weighted), the dev
# score rises, embed reads the model, the metadata records the run and keeps
# the vocabulary; --keep-best; bad files and options fail in one line naming
# file:line or the option, leaving no output.
WL=${1:?usage: finetune.sh path/to/wordlens}
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
[ -x "$PY" ] || { echo "skip - /usr/bin/python3 not installed"; exit 77; }

make_corpus "$WORK/c.txt" 3000 11
"$WL" train -train "$WORK/c.txt" -output "$WORK/v.bin" -binary 1 -size 24 -iter 2 -threads 2 -min-count 1 \
  -save-vocab "$WORK/counts.txt" -debug 0 > /dev/null 2>&1
"$WL" encoder train --corpus "$WORK/c.txt" --vectors "$WORK/v.bin" --random-init --output "$WORK/m.safetensors" --layers 2 --heads 2 \
  --max-len 16 --batch-tokens 512 --steps 10 --warmup 2 --eval-every 5 --threads 2 > /dev/null 2>&1
# make_sts FILE PAIRS SEED: the score is 5 x the share of the second sentence's words drawn from the
# first sentence's word class (the others from one other class).
make_sts() {
  awk -v n="$2" -v seed="$3" 'BEGIN { srand(seed); for (i = 1; i <= n; i++) {
    a = ""; b = ""; c = int(rand() * 6); e = (c + 1 + int(rand() * 5)) % 6; len = 2 + i % 4; m = int(rand() * (len + 1));
    for (k = 0; k < 3 + i % 3; k++) a = a (k ? " " : "") "c" c "w" int(rand() * 8);
    for (k = 0; k < len; k++) b = b (k ? " " : "") "c" (k < m ? c : e) "w" int(rand() * 8);
    printf "main-news\tf\t2012\t%d\t%.2f\t%s\t%s\n", i, 5 * m / len, a, b } }' > "$1"
}
make_sts "$WORK/train.csv" 200 3
make_sts "$WORK/dev.csv" 60 4
B=(encoder finetune --init "$WORK/m.safetensors" --vectors "$WORK/v.bin" --epochs 1 --threads 2)  # for the failures
F=(encoder finetune --task sts --train "$WORK/train.csv" --dev "$WORK/dev.csv" --init "$WORK/m.safetensors"
  --vectors "$WORK/v.bin" --epochs 20 --batch 16 --lr 1e-2 --threads 2)
C=(compare --vectors "$WORK/v.bin" --vocab "$WORK/counts.txt" --sts "$WORK/dev.csv" --json)

# 1. mean and sif-weighted: compare's row equals the reported dev score; it rose; the model records the run.
for pooling in mean sif-weighted; do
  extra=()
  [ "$pooling" = sif-weighted ] && extra=(--vocab "$WORK/counts.txt")
  out="$WORK/ft-$pooling.safetensors"
  if "$WL" "${F[@]}" "${extra[@]}" --pooling "$pooling" --output "$out" --json > "$WORK/ft-$pooling.json" 2> "$WORK/ft-$pooling.err" &&
    "$WL" "${C[@]}" --model "$out" > "$WORK/cmp-$pooling.json" 2> "$WORK/cmp-$pooling.err" &&
    "$PY" - "$WORK/ft-$pooling.json" "$WORK/cmp-$pooling.json" "$out" "$WORK/m.safetensors" "$pooling" "$WORK/train.csv" <<'PY'
import json, os, struct, sys
ft, cmp, out, init, pooling, train = sys.argv[1:7]
lines = open(ft).read().splitlines()
assert len(lines) == 1, lines  # one JSON object on stdout
r = json.loads(lines[0])
row = {"mean": "encoder_mean", "sif-weighted": "encoder_sif_weighted"}[pooling]
c = json.load(open(cmp))["sts"]["dev.csv"][row]
assert r["task"] == "sts" and r["pooling"] == pooling and r["train_pairs"] == 200 and r["dev_pairs"] == 60, r
assert [e["epoch"] for e in r["epochs"]] == list(range(1, 21)) and r["steps"] == 20 * (200 // 16 + 1), r
assert abs(r["epochs"][-1]["dev_spearman"] - c) < 1e-9, (r, c)
assert r["epochs"][-1]["dev_spearman"] > r["dev_spearman_initial"] + 20, r  # the init knows nothing of the classes
def meta(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        return json.loads(f.read(n))["__metadata__"]
m, m0 = meta(out), meta(init)
assert m["finetuned"] == "sts-cosent" and m["finetune_epochs"] == "20" and m["finetune_train"] == "train.csv", m
assert m["finetune_pooling"] == {"mean": "encoder-mean", "sif-weighted": "encoder-sif-weighted"}[pooling], m
assert m["finetune_train_fingerprint"].startswith(f"{os.path.getsize(train)} bytes"), m
for k, v in m0.items():
    assert m[k] == v, (k, m[k], v)  # vocabulary, normaliser, config: carried over
PY
  then
    ok "finetune --pooling $pooling: dev Spearman rises and equals compare's row; metadata records the run"
  else
    not_ok "finetune --pooling $pooling" "$(cat "$WORK/ft-$pooling.err" "$WORK/cmp-$pooling.err" | head -c 800)"
  fi
done
printf 'c0w1 c0w2 c0w3\nc1w1 c1w2\n' > "$WORK/sent.txt"
if "$WL" embed --input "$WORK/sent.txt" --output "$WORK/e.npy" --vectors "$WORK/v.bin" --model "$WORK/ft-mean.safetensors" \
  --method encoder-mean > /dev/null 2> "$WORK/embed.err" && [ -s "$WORK/e.npy" ]; then
  ok "embed reads the fine-tuned model"
else
  not_ok "embed reads the fine-tuned model" "$(head -c 400 "$WORK/embed.err")"
fi
if "$WL" "${F[@]}" --output "$WORK/kb.safetensors" --keep-best > "$WORK/kb.txt" 2> "$WORK/kb.err" &&
  grep -qE '^kept +the weights after epoch [0-9]+ \(--keep-best\)' "$WORK/kb.txt" &&
  [ "$(grep -cE '^epoch [0-9]+/20  train loss .* dev Spearman x100' "$WORK/kb.err")" -eq 20 ]; then
  ok "--keep-best: the kept epoch named; one stderr line per epoch with the dev score"
else
  not_ok "--keep-best" "$(cat "$WORK/kb.txt" "$WORK/kb.err" | head -c 600)"
fi

# 2. Bad files: one line naming file:line, no output.
O="$WORK/bad.safetensors"
{ head -n 2 "$WORK/train.csv"; printf 'main-news\tf\t2012\t3\t2.5\tonly one sentence\n'; } > "$WORK/cols.csv"
expect_fail "a line with 6 columns" "cols.csv:3: expected 7 tab-separated columns .* got 6" "$O" -- \
  "$WL" "${B[@]}" --train "$WORK/cols.csv" --output "$O"
{ head -n 3 "$WORK/train.csv"; printf 'main-news\tf\t2012\t4\tfour\tc0w1 c0w2\tc0w3\n'; } > "$WORK/score.csv"
expect_fail "a score that is not a number" "score.csv:4: score 'four' in column 5 is not a number" "$O" -- \
  "$WL" "${B[@]}" --train "$WORK/score.csv" --output "$O"
expect_fail "a bad --dev file" "score.csv:4: score 'four'" "$O" -- "$WL" "${B[@]}" --train "$WORK/train.csv" --dev "$WORK/score.csv" --output "$O"
expect_fail "a missing --train file" "nope.csv" "$O" -- "$WL" "${B[@]}" --train "$WORK/nope.csv" --output "$O"

# 3. Bad options, each named.
expect_fail "--pooling sif-weighted without --vocab" "--pooling sif-weighted needs --vocab" "$O" -- \
  "$WL" "${F[@]}" --pooling sif-weighted --output "$O"
expect_fail "--pooling spelled wrong" "--pooling: 'avg' is not one of mean, mean-no-cls, cls, sif-weighted" "$O" -- \
  "$WL" "${F[@]}" --pooling avg --output "$O"
expect_fail "--task spelled wrong" "--task: 'nli' is not one of sts, wic" "$O" -- "$WL" "${B[@]}" --train "$WORK/train.csv" --task nli --output "$O"
expect_fail "--batch 1" "--batch must be in \[2, 100000\]" "$O" -- "$WL" "${B[@]}" --train "$WORK/train.csv" --batch 1 --output "$O"
expect_fail "--warmup 5 (a fraction)" "--warmup is a fraction of the steps" "$O" -- "$WL" "${F[@]}" --warmup 5 --output "$O"
expect_fail "--lr nan" "--lr must be a positive number" "$O" -- "$WL" "${B[@]}" --train "$WORK/train.csv" --lr nan --output "$O"
expect_fail "--keep-best without --dev" "--keep-best chooses an epoch by its --dev score" "$O" -- \
  "$WL" encoder finetune --train "$WORK/train.csv" --init "$WORK/m.safetensors" --vectors "$WORK/v.bin" --keep-best --output "$O"
expect_fail "no --vectors for a model trained from vectors" "--vectors" "$O" -- \
  "$WL" encoder finetune --train "$WORK/train.csv" --init "$WORK/m.safetensors" --output "$O"
expect_fail "--output the same file as --init" "--output .* --init" "$WORK/none" -- \
  "$WL" "${F[@]}" --output "$WORK/m.safetensors"

# 4. --task wic: the target word "c<t>w<k>" in two contexts; the same sense when both contexts come from one class.
# make_wic DIR SPLIT ITEMS SEED
make_wic() {
  mkdir -p "$1"
  awk -v n="$3" -v seed="$4" -v data="$1/$2.data.txt" -v gold="$1/$2.gold.txt" 'BEGIN { srand(seed);
    for (i = 1; i <= n; i++) {
      t = "c" int(rand() * 6) "w" int(rand() * 8); c1 = int(rand() * 6); same = i % 2; c2 = same ? c1 : (c1 + 1 + int(rand() * 5)) % 6;
      p1 = int(rand() * 3); p2 = int(rand() * 3); a = ""; b = "";
      for (k = 0; k < 4; k++) a = a (k ? " " : "") (k == p1 ? t : "c" c1 "w" int(rand() * 8));
      for (k = 0; k < 5; k++) b = b (k ? " " : "") (k == p2 ? t : "c" c2 "w" int(rand() * 8));
      printf "%s\tN\t%d-%d\t%s\t%s\n", t, p1, p2, a, b > data; print (same ? "T" : "F") > gold } }'
}
make_wic "$WORK/wic" train 300 7
make_wic "$WORK/wic" dev 80 8
W=(encoder finetune --task wic --train "$WORK/wic" --dev "$WORK/wic" --init "$WORK/m.safetensors" --vectors "$WORK/v.bin"
  --epochs 8 --batch 16 --lr 1e-2 --head-lr 1e-2 --threads 2)
if "$WL" "${W[@]}" --output "$WORK/ft-wic.safetensors" --json > "$WORK/wic.json" 2> "$WORK/wic.err" &&
  "$WL" compare --vectors "$WORK/v.bin" --model "$WORK/ft-wic.safetensors" --wic "$WORK/wic" --json > "$WORK/cmp-wic.json" 2> "$WORK/cmp-wic.err" &&
  "$PY" - "$WORK/wic.json" "$WORK/cmp-wic.json" "$WORK/ft-wic.safetensors" <<'PY'
import json, struct, sys
r = json.loads(open(sys.argv[1]).read())
c = json.load(open(sys.argv[2]))["wic"]["dev"]["encoder"]
assert r["task"] == "wic" and r["pooling"] == "target" and r["train_pairs"] == 300 and r["dev_pairs"] == 80, r
e = r["epochs"]
assert len(e) == 8 and all(0 <= x["dev_head_accuracy"] <= 100 for x in e), r
assert abs(e[-1]["dev_accuracy"] - c) < 1e-9, (r, c)  # the reported dev score is compare's WiC encoder row
assert e[-1]["loss"] < e[0]["loss"], r
with open(sys.argv[3], "rb") as f:
    m = json.loads(f.read(struct.unpack("<Q", f.read(8))[0]))["__metadata__"]
assert m["finetuned"] == "wic-logistic" and m["finetune_train"] == "train.data.txt" and m["finetune_pooling"] == "target", m
PY
then
  ok "finetune --task wic: the loss falls, the dev accuracy is compare's WiC encoder row, metadata records the run"
else
  not_ok "finetune --task wic" "$(cat "$WORK/wic.err" "$WORK/cmp-wic.err" | head -c 800)"
fi
cp -r "$WORK/wic" "$WORK/wic-bad"
sed -i '5s/.*/X/' "$WORK/wic-bad/train.gold.txt"
WB=(encoder finetune --task wic --init "$WORK/m.safetensors" --vectors "$WORK/v.bin" --epochs 1 --threads 2)
expect_fail "wic: a gold label other than T/F" "train.gold.txt:5" "$O" -- "$WL" "${WB[@]}" --train "$WORK/wic-bad" --output "$O"
mkdir "$WORK/wic-nodev" && cp "$WORK"/wic/train.* "$WORK/wic-nodev/"
expect_fail "wic: --dev DIR without a dev split" "wic-nodev: no dev split" "$O" -- "$WL" "${WB[@]}" --train "$WORK/wic" --dev "$WORK/wic-nodev" --output "$O"
expect_fail "wic: --pooling" "--task wic pools the target word's states" "$O" -- "$WL" "${W[@]}" --pooling cls --output "$O"
finish
