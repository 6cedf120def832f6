#!/usr/bin/env bash
# finetune_bench.sh -- issue 15, supervised fine-tuning of the encoder:
# `wordlens encoder finetune --task sts` of the MLM encoder on STS-B train
# with CoSENT, swept over the peak learning rate, the number of epochs and the
# pooling trained through (mean = compare's encoder-mean, sif-weighted =
# encoder-sif-weighted), batch 32, each run scored on STS-B dev after every
# epoch (the dev Spearman the command prints is compare's row: checked by
# running `compare` on the best model of each pooling). Wall time of each
# run. Only the train and dev splits are read. The best model of each pooling
# (by its final dev score) is copied to OUT/ft-sts-POOLING.safetensors; the
# section goes to RESULTS (<!-- finetune:begin/end -->), not bench/RESULTS.md.
# Then `encoder finetune --task wic` on the WiC train split (logistic head on
# the target word's states), swept over --wic-lrs x --wic-epochs, scored by
# compare's WiC encoder row on dev; the best copied to OUT/ft-wic.safetensors.
#
# usage: bench/finetune_bench.sh [--models DIR] [--data DIR] [--wordlens PATH] [--out DIR]
#                                [--results FILE] [--lrs "2e-5 5e-5 1e-4"] [--epochs "1 2 4"]
#                                [--poolings "mean sif-weighted"] [--threads N]
#                                [--wic-lrs "3e-4 5e-4"] [--wic-epochs "2 4"]   (--wic-lrs "" skips WiC)
#   --models DIR  vectors.bin, vocab.txt, mlm-vectors.safetensors (default /tmp/enc-train;
#                 written by bench/encoder_train_bench.sh --out DIR)
#   --data DIR    holds eval/stsb/sts-train.csv and sts-dev.csv, eval/wic (default ../shared/data)
#   --out DIR     where the best models are copied (default: the --models directory)
#   --results F   the markdown file the section is written into (default bench/RESULTS.md)
set -euo pipefail
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$SCRIPT_DIR")
REPO_ROOT=$ROOT
. "$SCRIPT_DIR/common.sh"
MODELS=/tmp/enc-train
DATA="$ROOT/../shared/data"
WL="$ROOT/build/wordlens"
OUT=""
RESULTS="$SCRIPT_DIR/RESULTS.md"
LRS="2e-5 5e-5 1e-4"
EPOCHS="1 2 4"
POOLINGS="mean sif-weighted"
THREADS=$(nproc)
WIC_LRS="3e-4 5e-4"
WIC_EPOCHS="2 4"
PY=/usr/bin/python3
while (($#)); do
  case "$1" in
    --models) MODELS=$2; shift 2 ;;
    --data) DATA=$2; shift 2 ;;
    --wordlens) WL=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --results) RESULTS=$2; shift 2 ;;
    --lrs) LRS=$2; shift 2 ;;
    --epochs) EPOCHS=$2; shift 2 ;;
    --poolings) POOLINGS=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --wic-lrs) WIC_LRS=$2; shift 2 ;;
    --wic-epochs) WIC_EPOCHS=$2; shift 2 ;;
    -h|--help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "finetune_bench: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
log() { echo "[finetune_bench] $*" >&2; }

for f in "$DATA/eval/stsb/sts-train.csv" "$DATA/eval/stsb/sts-dev.csv"; do
  [ -f "$f" ] || { echo "skipping: $f not found (--data DIR must hold eval/stsb/sts-train.csv and sts-dev.csv)"; exit 0; }
done
DATA=$(cd "$DATA" && pwd)
[ -x "$WL" ] || { echo "finetune_bench: wordlens binary not found or not executable: $WL (build it first)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "finetune_bench: /usr/bin/time not found (apt-get install time)" >&2; exit 1; }
for f in vectors.bin vocab.txt mlm-vectors.safetensors; do
  [ -f "$MODELS/$f" ] || { echo "finetune_bench: $MODELS/$f not found: run bench/encoder_train_bench.sh --out $MODELS first" >&2; exit 1; }
done
MODELS=$(cd "$MODELS" && pwd)
OUT=${OUT:-$MODELS}
mkdir -p "$OUT"

TMP=$(mktemp -d -t finetune-bench.XXXXXX)
cp "$WL" "$TMP/wordlens"  # others may rebuild build/wordlens meanwhile
WL=$TMP/wordlens
REV=$(git -C "$ROOT" rev-parse --short HEAD 2> /dev/null || echo unknown)
if [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2> /dev/null)" ]; then REV="$REV + uncommitted changes"; fi
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

cmd_md() {  # show_cmd with the models, output and data directories as $MODELS / $OUT / $DATA
  local s
  s=$(show_cmd "$@")
  s=${s//"$MODELS"/\$MODELS}
  s=${s//"$DATA"/\$DATA}
  printf '%s\n' "$s"
}

: > "$TMP/runs.txt"
: > "$TMP/commands.txt"
for pooling in $POOLINGS; do
  vocab=()
  [ "$pooling" = sif-weighted ] && vocab=(--vocab "$MODELS/vocab.txt")
  for lr in $LRS; do
    for ep in $EPOCHS; do
      name="$pooling-lr$lr-e$ep"
      cmd=("$WL" encoder finetune --task sts --train "$DATA/eval/stsb/sts-train.csv" --dev "$DATA/eval/stsb/sts-dev.csv"
        --init "$MODELS/mlm-vectors.safetensors" --vectors "$MODELS/vectors.bin" "${vocab[@]}" --pooling "$pooling"
        --lr "$lr" --epochs "$ep" --batch 32 --seed 1 --threads "$THREADS" --output "$TMP/$name.safetensors" --json)
      log "$name"
      if ! /usr/bin/time -f '%e %M' -o "$TMP/$name.time" "${cmd[@]}" > "$TMP/$name.json" 2> "$TMP/$name.err"; then
        log "FAILED: $(cmd_md "${cmd[@]}")"
        tail -n 5 "$TMP/$name.err" >&2
        exit 1
      fi
      echo "$name $pooling $lr $ep" >> "$TMP/runs.txt"
      cmd_md "${cmd[@]}" | sed "s|$TMP/$name.safetensors|\$TMP/$name.safetensors|" >> "$TMP/commands.txt"
    done
  done
done

# The best run of each pooling (final dev score), copied out and scored by compare.
"$PY" - "$TMP" > "$TMP/best.txt" <<'PY'
import json, sys
tmp = sys.argv[1]
best = {}
for line in open(f"{tmp}/runs.txt"):
    name, pooling, lr, ep = line.split()
    r = json.load(open(f"{tmp}/{name}.json"))
    score = r["epochs"][-1]["dev_spearman"]
    if pooling not in best or score > best[pooling][0]:
        best[pooling] = (score, name)
for pooling, (score, name) in best.items():
    print(pooling, name)
PY
while read -r pooling name; do
  cp "$TMP/$name.safetensors" "$OUT/ft-sts-$pooling.safetensors"
  cmd=("$WL" compare --vectors "$MODELS/vectors.bin" --vocab "$MODELS/vocab.txt" --model "$OUT/ft-sts-$pooling.safetensors"
    --sts "$DATA/eval/stsb/sts-dev.csv" --json)
  log "compare ft-sts-$pooling ($name)"
  "${cmd[@]}" > "$TMP/compare-$pooling.json" 2> "$TMP/compare-$pooling.err"
  cmd_md "${cmd[@]}" | sed "s|$OUT|\$OUT|g" >> "$TMP/commands.txt"
done < "$TMP/best.txt"
cmd=("$WL" compare --vectors "$MODELS/vectors.bin" --vocab "$MODELS/vocab.txt" --model "$MODELS/mlm-vectors.safetensors"
  --sts "$DATA/eval/stsb/sts-dev.csv" --json)
"${cmd[@]}" > "$TMP/compare-init.json" 2> "$TMP/compare-init.err"
cmd_md "${cmd[@]}" >> "$TMP/commands.txt"

# WiC: only the train and dev splits may be read.
: > "$TMP/runs-wic.txt"
if [ -n "$WIC_LRS" ] && [ -f "$DATA/eval/wic/train.data.txt" ] && [ -f "$DATA/eval/wic/dev.data.txt" ]; then
  for s in "$DATA"/eval/wic/*.data.txt; do
    case "$(basename "$s")" in train.data.txt|dev.data.txt) ;; *) echo "finetune_bench: $s: only train and dev may be read" >&2; exit 1 ;; esac
  done
  for lr in $WIC_LRS; do
    for ep in $WIC_EPOCHS; do
      name="wic-lr$lr-e$ep"
      cmd=("$WL" encoder finetune --task wic --train "$DATA/eval/wic" --dev "$DATA/eval/wic"
        --init "$MODELS/mlm-vectors.safetensors" --vectors "$MODELS/vectors.bin" --lr "$lr" --epochs "$ep" --batch 32
        --seed 1 --threads "$THREADS" --output "$TMP/$name.safetensors" --json)
      log "$name"
      if ! /usr/bin/time -f '%e %M' -o "$TMP/$name.time" "${cmd[@]}" > "$TMP/$name.json" 2> "$TMP/$name.err"; then
        log "FAILED: $(cmd_md "${cmd[@]}")"
        tail -n 5 "$TMP/$name.err" >&2
        exit 1
      fi
      echo "$name $lr $ep" >> "$TMP/runs-wic.txt"
      cmd_md "${cmd[@]}" >> "$TMP/commands.txt"
    done
  done
  best=$("$PY" -c 'import json, sys
runs = [l.split()[0] for l in open(sys.argv[1] + "/runs-wic.txt")]
print(max(runs, key=lambda n: json.load(open(f"{sys.argv[1]}/{n}.json"))["epochs"][-1]["dev_accuracy"]))' "$TMP")
  cp "$TMP/$best.safetensors" "$OUT/ft-wic.safetensors"
  echo "$best" > "$TMP/best-wic.txt"
  for m in "$OUT/ft-wic.safetensors" "$MODELS/mlm-vectors.safetensors"; do
    cmd=("$WL" compare --vectors "$MODELS/vectors.bin" --model "$m" --wic "$DATA/eval/wic" --json)
    "${cmd[@]}" > "$TMP/compare-wic-$(basename "$m" .safetensors).json" 2> /dev/null
    cmd_md "${cmd[@]}" | sed "s|$OUT|\$OUT|g" >> "$TMP/commands.txt"
  done
else
  log "WiC skipped (--wic-lrs empty or no eval/wic)"
fi
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

"$PY" - "$TMP" "$REV" "$LOAD_BEFORE" "$LOAD_AFTER" <<'PY'
import datetime, json, os, subprocess, sys
tmp, rev, load_before, load_after = sys.argv[1:5]
runs = [l.split() for l in open(f"{tmp}/runs.txt")]
best = dict(l.split() for l in open(f"{tmp}/best.txt"))
cpu = subprocess.run("lscpu | sed -n 's/^Model name: *//p'", shell=True, capture_output=True, text=True).stdout.strip()
res = {n: json.load(open(f"{tmp}/{n}.json")) for n, *_ in runs}
times = {n: open(f"{tmp}/{n}.time").read().split() for n, *_ in runs}
sts = lambda f: json.load(open(f))["sts"]["sts-dev.csv"]
init = sts(f"{tmp}/compare-init.json")
key = {"mean": "encoder_mean", "sif-weighted": "encoder_sif_weighted", "mean-no-cls": "encoder_mean_no_cls", "cls": "encoder_cls"}
f2 = lambda x: "–" if x is None else f"{x:.2f}"
L = ["<!-- finetune:begin -->", "## Supervised fine-tuning of the encoder on STS-B train, CoSENT (issue 15)", "",
     f"- Date: {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC; machine: {os.cpu_count()} cores ({cpu}); load average "
     f"before/after: {load_before} / {load_after} (the machine is shared: wall times are indicative)",
     f"- Version: wordlens {rev}; init `$MODELS/mlm-vectors.safetensors` (2 layers, d = 128, MLM from the skip-gram "
     "vectors); data `$DATA` = `../shared/data`, STS-B train (5,749 pairs) to tune, dev (1,500 pairs) to score; no test split.",
     "- Each step: 32 pairs, both sentences through the encoder with dropout 0.1, pooled as compare's row (mean: every "
     "final state, [CLS] included; sif-weighted: a/(a + p(w)) weights from `vocab.txt`, a = 1e-3), CoSENT (λ = 20) over "
     "the batch's cosines, AdamW (weight decay 0.01), clipping at 1, linear warm-up over 10% of the steps then linear decay to 0; seed 1.",
     f"- Static rows for reference (unsupervised): avg {f2(init['avg'])}, sif {f2(init['sif'])}; the init model: "
     f"encoder-mean {f2(init['encoder_mean'])}, encoder-sif-weighted {f2(init['encoder_sif_weighted'])}.",
     "", "```sh"] + open(f"{tmp}/commands.txt").read().splitlines() + ["```", "",
     "### STS-B dev Spearman ×100 after each epoch", "",
     "| pooling | lr | epochs | before | epoch 1 | epoch 2 | epoch 3 | epoch 4 | final | wall s | peak RSS MiB |",
     "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
for n, pooling, lr, ep in runs:
    r = res[n]
    per = [e["dev_spearman"] for e in r["epochs"]] + [None] * (4 - len(r["epochs"]))
    w, kib = times[n]
    mark = " **" if best.get(pooling) == n else ""
    L.append(f"| {pooling} | {lr} | {ep} | {f2(r['dev_spearman_initial'])} | " + " | ".join(f2(x) for x in per[:4])
             + f" | {mark.strip()}{f2(r['epochs'][-1]['dev_spearman'])}{mark.strip()} | {float(w):.1f} | {int(kib) // 1024} |")
L += ["", "Bold: the best run of each pooling (by its final dev score), copied to `ft-sts-POOLING.safetensors`; "
      "`compare` on it gives:", "", "| model | pooling trained | compare row | STS-B dev | vs static sif |", "|---|---|---|--:|--:|"]
for pooling, n in best.items():
    c = sts(f"{tmp}/compare-{pooling}.json")
    v = c[key[pooling]]
    assert abs(v - res[n]["epochs"][-1]["dev_spearman"]) < 1e-6, (pooling, v)  # the command's dev score is compare's row
    L.append(f"| ft-sts-{pooling} ({n}) | {pooling} | {key[pooling]} | {f2(v)} | {v - init['sif']:+.2f} |")
wic_runs = [l.split() for l in open(f"{tmp}/runs-wic.txt")]
if wic_runs:
    best_wic = open(f"{tmp}/best-wic.txt").read().strip()
    cw = json.load(open(f"{tmp}/compare-wic-ft-wic.json"))["wic"]["dev"]
    c0 = json.load(open(f"{tmp}/compare-wic-mlm-vectors.json"))["wic"]["dev"]
    L += ["", "### WiC dev (638 pairs), `--task wic`: accuracy %", "",
          "The target word's final states in the two sentences through a logistic head on [u⊙v, |u−v|] (binary "
          "cross-entropy, head lr 1e-3), trained with the encoder on WiC train (5,428 pairs); only the encoder is "
          "written. \"compare row\": compare's WiC encoder row on the written model (cosine threshold chosen on train); "
          "\"head\": the trained head's own dev accuracy.", "",
          f"Unsupervised: static {f2(c0['static'])}, static ±5 {f2(c0['static_window'])}, the init encoder {f2(c0['encoder'])}.", "",
          "| lr | epochs | before | compare row after each epoch | head after each epoch | wall s |", "|--:|--:|--:|---|---|--:|"]
    for n, lr, ep in wic_runs:
        r = json.load(open(f"{tmp}/{n}.json"))
        w, _ = open(f"{tmp}/{n}.time").read().split()
        b = "**" if n == best_wic else ""
        L.append(f"| {lr} | {ep} | {f2(r['dev_accuracy_initial'])} | {b}" + ", ".join(f2(e["dev_accuracy"]) for e in r["epochs"])
                 + f"{b} | " + ", ".join(f2(e["dev_head_accuracy"]) for e in r["epochs"]) + f" | {float(w):.1f} |")
    L += ["", f"`compare --wic` on `ft-wic.safetensors` ({best_wic}): encoder {f2(cw['encoder'])} "
          f"(static {f2(cw['static'])}, static ±5 {f2(cw['static_window'])})."]
L.append("<!-- finetune:end -->")
section = "\n".join(L) + "\n"
open(f"{tmp}/section.md", "w").write(section)
print(section)
PY
"$SCRIPT_DIR/write_section.sh" "$RESULTS" "$TMP/section.md"
log "done; outputs in $TMP"
