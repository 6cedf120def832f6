#!/usr/bin/env bash
# simcse_bench.sh -- SimCSE tuning of the MLM encoder from encoder_train_bench.sh,
# then STS-Benchmark dev Spearman of avg, sif and the encoders' pooled vectors.
# Results go to bench/RESULTS.md (<!-- simcse:begin/end -->).
#
# usage: bench/simcse_bench.sh --dir DIR [--steps 1000] [--corpus FILE] [--wordlens PATH]
#   DIR holds vectors.bin, vocab.txt, mlm-vectors.safetensors, mlm-random.safetensors
#   (bench/encoder_train_bench.sh --out DIR writes them).
set -euo pipefail
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$SCRIPT_DIR")
CORPUS="$ROOT/../shared/data/corpus/bench.txt"
STS="$ROOT/../shared/data/eval/stsb/sts-dev.csv"
WL="$ROOT/build/wordlens"
DIR=""
STEPS=1000
while (($#)); do
  case "$1" in
    --dir) DIR=$2; shift 2 ;;
    --steps) STEPS=$2; shift 2 ;;
    --corpus) CORPUS=$2; shift 2 ;;
    --wordlens) WL=$2; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "simcse_bench: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[ -n "$DIR" ] || { echo "simcse_bench: --dir is required" >&2; exit 2; }
for f in "$CORPUS" "$STS"; do [ -f "$f" ] || { echo "skipping: $f not found"; exit 0; }; done
SIM_ARGS=(--objective simcse --init "$DIR/mlm-vectors.safetensors" --vectors "$DIR/vectors.bin" --corpus "$CORPUS"
  --steps "$STEPS" --batch-tokens 4096 --max-len 64 --lr 1e-4 --warmup 50 --schedule linear --dropout 0.1
  --temperature 0.05 --weight-decay 0.01 --clip 1 --valid-fraction 0.01 --eval-every 200 --threads 2 --seed 1 --progress-every 60)
s=$(date +%s)
"$WL" encoder train "${SIM_ARGS[@]}" --output "$DIR/simcse.safetensors" > "$DIR/simcse.out" 2> "$DIR/simcse.err"
e=$(date +%s)
/usr/bin/python3 "$SCRIPT_DIR/sts_eval.py" --sts "$STS" --vectors "$DIR/vectors.bin" --vocab "$DIR/vocab.txt" \
  --model "$DIR/mlm-vectors.safetensors" --model "$DIR/mlm-random.safetensors" --model "$DIR/simcse.safetensors" \
  --wordlens "$WL" --json > "$DIR/sts.json"
/usr/bin/python3 - "$DIR" "$((e - s))" "${SIM_ARGS[*]}" > "$DIR/simcse-section.md" <<'PY'
import json, sys, datetime, os
d, secs, args = sys.argv[1], int(sys.argv[2]), sys.argv[3]
r = json.load(open(f"{d}/sts.json"))
out = open(f"{d}/simcse.out").read()
lines = ["<!-- simcse:begin -->", "## SimCSE tuning and STS-Benchmark dev (issue 6)", "",
         f"Measured {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores. STS-B dev (1,500 pairs): "
         "Spearman ×100 of the cosine against the gold score, sentences normalised like bench.txt; "
         "vectors from `bench/encoder_train_bench.sh` (skip-gram, size 128) and its two MLM encoders.", "",
         "```sh", f"wordlens encoder train {args} --output simcse.safetensors   # {secs // 60} min {secs % 60} s",
         "bench/sts_eval.py --sts sts-dev.csv --vectors vectors.bin --vocab vocab.txt --model ... ", "```", "",
         "| sentence vectors | STS-B dev Spearman ×100 |", "|---|--:|"]
names = {"avg": "avg (mean of Word2Vec vectors)", "sif": "sif (Arora et al.)"}
for k, v in r.items():
    label = names.get(k, k.replace("[", " (").replace("]", ")").replace("_", "-"))
    lines.append(f"| {label} | {v:.2f} |")
held = [l for l in out.splitlines() if l.startswith("held-out")]
lines += ["", "SimCSE run: " + (held[0] if held else "(no summary)"), "<!-- simcse:end -->"]
print("\n".join(lines))
PY
"$SCRIPT_DIR/write_section.sh" "$SCRIPT_DIR/RESULTS.md" "$DIR/simcse-section.md"
cat "$DIR/simcse-section.md"
