#!/usr/bin/env bash
# encoder_train_bench.sh -- the documented default small encoder: masked-LM
# pre-training on the benchmark corpus, embeddings initialised from Word2Vec
# vectors vs at random (same vocabulary, same steps), curves in one plot,
# results into bench/RESULTS.md (<!-- encoder-train:begin/end -->).
#
# usage: bench/encoder_train_bench.sh [--corpus FILE] [--epochs 3] [--wordlens PATH] [--out DIR]
set -euo pipefail
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$SCRIPT_DIR")
CORPUS="$ROOT/../shared/data/corpus/bench.txt"
EPOCHS=3
WL="$ROOT/build/wordlens"
OUT=""
while (($#)); do
  case "$1" in
    --corpus) CORPUS=$2; shift 2 ;;
    --epochs) EPOCHS=$2; shift 2 ;;
    --wordlens) WL=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "encoder_train_bench: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[ -f "$CORPUS" ] || { echo "skipping: corpus $CORPUS not found"; exit 0; }
[ -x "$WL" ] || { echo "encoder_train_bench: build wordlens first ($WL)" >&2; exit 1; }
OUT=${OUT:-$(mktemp -d -t encoder-train.XXXXXX)}
mkdir -p "$OUT"
log() { echo "[encoder_train_bench] $*" >&2; }

VEC_CMD=(train -train "$CORPUS" -output "$OUT/vectors.bin" -binary 1 -cbow 0 -size 128 -window 5 -negative 5 -sample 1e-4
  -iter 5 -min-count 5 -threads 2 -save-vocab "$OUT/vocab.txt")
ENC_ARGS=(--corpus "$CORPUS" --vectors "$OUT/vectors.bin" --layers 2 --heads 4 --ffn-mult 4 --max-len 64
  --batch-tokens 8192 --epochs "$EPOCHS" --lr 5e-4 --warmup 200 --schedule linear --dropout 0.1 --weight-decay 0.01
  --clip 1 --valid-fraction 0.01 --eval-every 100 --threads 2 --seed 1 --progress-every 60)

log "Word2Vec vectors (size 128) -> $OUT/vectors.bin"
"$WL" "${VEC_CMD[@]}" -debug 1 > "$OUT/vectors.log" 2>&1
for init in vectors random; do
  extra=()
  [ "$init" = random ] && extra=(--random-init)
  log "encoder MLM, embeddings from $init"
  s=$(date +%s)
  "$WL" encoder train "${ENC_ARGS[@]}" "${extra[@]}" --output "$OUT/mlm-$init.safetensors" > "$OUT/mlm-$init.out" 2> "$OUT/mlm-$init.err"
  e=$(date +%s)
  echo $((e - s)) > "$OUT/mlm-$init.seconds"
done
/usr/bin/python3 "$ROOT/scripts/plot_training.py" "$SCRIPT_DIR/encoder_mlm_ablation.png" "$OUT/mlm-vectors.safetensors.csv" \
  "$OUT/mlm-random.safetensors.csv" --labels "init from Word2Vec,random init" \
  --title "masked-LM pre-training on bench.txt (d=128, 2 layers, $EPOCHS epochs)" > /dev/null

/usr/bin/python3 - "$OUT" "$SCRIPT_DIR/RESULTS.md" "$EPOCHS" "${ENC_ARGS[*]}" "${VEC_CMD[*]}" <<'PY'
import csv, os, re, subprocess, sys, datetime
out, results, epochs, enc_args, vec_cmd = sys.argv[1:6]
rows = []
for init in ("vectors", "random"):
    log = list(csv.DictReader(open(f"{out}/mlm-{init}.safetensors.csv")))
    valid = [r for r in log if r["valid_loss"]]
    last = valid[-1]
    secs = int(open(f"{out}/mlm-{init}.seconds").read())
    mid = valid[len(valid) // 2]
    rows.append((init, int(last["step"]), secs, float(mid["valid_acc"]), int(mid["step"]), float(last["valid_loss"]),
                 float(last["valid_ppl"]), float(last["valid_acc"])))
summary = open(f"{out}/mlm-vectors.out").read()
cpu = subprocess.run("lscpu | sed -n 's/^Model name: *//p'", shell=True, capture_output=True, text=True).stdout.strip()
lines = ["<!-- encoder-train:begin -->", "## Encoder masked-LM pre-training (issue 6): Word2Vec init vs random", "",
         f"Measured {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores ({cpu}). Corpus `bench.txt`; "
         "held-out slice = last 1% of the sequences; masks of the held-out slice are fixed, so the numbers are comparable.", "",
         "Default small configuration: d = 128 (the Word2Vec size), 2 pre-norm layers, 4 heads, d_ff = 512, GELU, "
         f"sinusoidal positions, max_len 64, 8192 tokens per batch, {epochs} epochs, AdamW lr 5e-4 (200 warm-up steps, "
         "linear decay), dropout 0.1, weight decay 0.01, clipping 1.0.", "",
         "```sh", f"wordlens {vec_cmd}", f"wordlens encoder train {enc_args} --output mlm-vectors.safetensors",
         f"wordlens encoder train {enc_args} --random-init --output mlm-random.safetensors", "```", "",
         "| embeddings | steps | wall time | held-out acc. halfway (step) | held-out loss | perplexity | masked-token accuracy |",
         "|---|--:|--:|--:|--:|--:|--:|"]
for init, steps, secs, macc, mstep, loss, ppl, acc in rows:
    lines.append(f"| {'from Word2Vec' if init == 'vectors' else 'random'} | {steps} | {secs // 60} min {secs % 60} s | "
                 f"{macc:.4f} ({mstep}) | {loss:.4f} | {ppl:.1f} | {acc:.4f} |")
lines += ["", "![MLM curves](encoder_mlm_ablation.png)", "<!-- encoder-train:end -->"]
section = "\n".join(lines) + "\n"
print(section)
open(f"{out}/section.md", "w").write(section)
PY
"$SCRIPT_DIR/write_section.sh" "$SCRIPT_DIR/RESULTS.md" "$OUT/section.md"
log "done; logs and models in $OUT"
