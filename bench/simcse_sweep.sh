#!/usr/bin/env bash
# simcse_sweep.sh -- issue 15: why unsupervised SimCSE lowered STS-B dev.
# SimCSE from the same MLM encoder under several settings (dropout,
# temperature, learning rate, batch size, frozen embeddings), each run's
# weights snapshotted every 100 steps and scored on STS-B dev (`compare
# --sts`, mean of the final states as SimCSE trains it, and the SIF-weighted
# mean), with the held-out SimCSE loss and own-twin accuracy at the same
# steps. Dev split only. Results go to bench/RESULTS.md
# (<!-- simcse-sweep:begin/end -->).
#
# usage: bench/simcse_sweep.sh [--models DIR] [--steps 400] [--threads 1] [--data DIR] [--wordlens PATH]
#   --models DIR  vectors.bin, vocab.txt, mlm-vectors.safetensors (bench/encoder_train_bench.sh --out DIR)
set -euo pipefail
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$SCRIPT_DIR")
REPO_ROOT=$ROOT
. "$SCRIPT_DIR/common.sh"
MODELS=/tmp/enc-train
DATA="$ROOT/../shared/data"
WL="$ROOT/build/wordlens"
STEPS=400
THREADS=1
while (($#)); do
  case "$1" in
    --models) MODELS=$2; shift 2 ;;
    --steps) STEPS=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --data) DATA=$2; shift 2 ;;
    --wordlens) WL=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "simcse_sweep: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
log() { echo "[simcse_sweep] $*" >&2; }
for f in "$DATA/corpus/bench.txt" "$DATA/eval/stsb/sts-dev.csv"; do [ -f "$f" ] || { echo "skipping: $f not found"; exit 0; }; done
DATA=$(cd "$DATA" && pwd)
for f in vectors.bin vocab.txt mlm-vectors.safetensors; do
  [ -f "$MODELS/$f" ] || { echo "simcse_sweep: $MODELS/$f not found: run bench/encoder_train_bench.sh --out $MODELS first" >&2; exit 1; }
done
MODELS=$(cd "$MODELS" && pwd)
[ -x "$WL" ] || { echo "simcse_sweep: wordlens binary not found: $WL (build it first)" >&2; exit 1; }
TMP=$(mktemp -d -t simcse-sweep.XXXXXX)
cp "$WL" "$TMP/wordlens"
WL=$TMP/wordlens
# name|the settings varied (base: the issue-6 settings); each run changes one of them
VARIED="--dropout 0.1 --temperature 0.05 --lr 1e-4 --batch-tokens 4096"
CONFIGS=("base|$VARIED"
  "dropout 0.3|--dropout 0.3 --temperature 0.05 --lr 1e-4 --batch-tokens 4096"
  "temperature 0.2|--dropout 0.1 --temperature 0.2 --lr 1e-4 --batch-tokens 4096"
  "lr 1e-5|--dropout 0.1 --temperature 0.05 --lr 1e-5 --batch-tokens 4096"
  "batch ×4 (16384 tokens)|--dropout 0.1 --temperature 0.05 --lr 1e-4 --batch-tokens 16384"
  "frozen embeddings|$VARIED --freeze-embeddings")
BASE=(--objective simcse --init "$MODELS/mlm-vectors.safetensors" --vectors "$MODELS/vectors.bin" --corpus "$DATA/corpus/bench.txt"
  --steps "$STEPS" --max-len 64 --warmup 50 --schedule linear
  --weight-decay 0.01 --clip 1 --valid-fraction 0.01 --eval-every 100 --snapshot-every 100 --threads "$THREADS" --seed 1
  --progress-every 60)
score() {  # MODEL OUT.json
  "$WL" compare --vectors "$MODELS/vectors.bin" --vocab "$MODELS/vocab.txt" --model "$1" --sts "$DATA/eval/stsb/sts-dev.csv" \
    --threads "$THREADS" --json > "$2" 2> "$2.err" || { cat "$2.err" >&2; exit 1; }
}
score "$MODELS/mlm-vectors.safetensors" "$TMP/init.json"
{ echo "BASE: $(show_cmd "$WL" encoder train "${BASE[@]}" SETTINGS --output "\$TMP/NAME.safetensors" | sed "s|$DATA|\$DATA|g; s|$MODELS|\$MODELS|g")"
  echo "SCORE: $(show_cmd "$WL" compare --vectors "$MODELS/vectors.bin" --vocab "$MODELS/vocab.txt" --model "\$TMP/NAME.stepN.safetensors" \
    --sts "$DATA/eval/stsb/sts-dev.csv" --threads "$THREADS" --json | sed "s|$DATA|\$DATA|g; s|$MODELS|\$MODELS|g")"; } > "$TMP/commands.txt"
i=0
for c in "${CONFIGS[@]}"; do
  name=${c%%|*}; extra=${c#*|}; i=$((i + 1))
  log "$name"
  cut -d' ' -f1 /proc/loadavg > "$TMP/run$i.load"
  # shellcheck disable=SC2086  # $extra is a list of options
  /usr/bin/time -f '%e' -o "$TMP/run$i.time" "$WL" encoder train "${BASE[@]}" $extra --output "$TMP/run$i.safetensors" \
    > "$TMP/run$i.out" 2> "$TMP/run$i.err" || { tail -3 "$TMP/run$i.err" >&2; exit 1; }
  cut -d' ' -f1 /proc/loadavg >> "$TMP/run$i.load"
  printf '%s\t%s\n' "$name" "$extra" > "$TMP/run$i.name"
  for s in $(seq 100 100 $((STEPS - 1))); do score "$TMP/run$i.step$s.safetensors" "$TMP/run$i.s$s.json"; done
  score "$TMP/run$i.safetensors" "$TMP/run$i.s$STEPS.json"
done
/usr/bin/python3 - "$TMP" "$i" "$STEPS" "$(git -C "$ROOT" rev-parse --short HEAD)" "$(lscpu | sed -n 's/^Model name: *//p')" > "$TMP/section.md" <<'PY'
import csv, datetime, json, os, sys
tmp, n, steps, rev, cpu = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
sts = lambda f: json.load(open(f))["sts"]["sts-dev.csv"]
init = sts(f"{tmp}/init.json")
cmds = dict(l.split(": ", 1) for l in open(f"{tmp}/commands.txt").read().splitlines())
marks = list(range(100, steps, 100)) + [steps]
L = ["<!-- simcse-sweep:begin -->", "## Why unsupervised SimCSE lowered STS-B dev (issue 15)", "",
     f"- Date: {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC; machine: {os.cpu_count()} cores ({cpu}); wordlens {rev}.",
     "- Every run starts from `$MODELS/mlm-vectors.safetensors` (MLM, Word2Vec init, 3 epochs) and changes one setting of "
     "the base run (the issue-6 settings); weights snapshotted every 100 steps; STS-B dev Spearman ×100 of the mean of the "
     "final states (what SimCSE trains) and of their SIF-weighted mean. Held-out SimCSE loss and own-twin accuracy "
     "(the first view finds its own second view among the batch) on the fixed held-out 1%.",
     f"- Before SimCSE (step 0): mean {init['encoder_mean']:.2f}, SIF-weighted {init['encoder_sif_weighted']:.2f}; "
     f"static avg {init['avg']:.2f}, sif {init['sif']:.2f}.", "", "```sh", cmds["BASE"], cmds["SCORE"], "```", "",
     "| run | settings | wall s (load before/after) | " + " | ".join(f"mean @{s}" for s in marks) +
     f" | sif-w. @{steps} | held-out loss @100 → @{steps} | own-twin acc. @{steps} | first training loss |",
     "|---|---|--:|" + "--:|" * len(marks) + "--:|---|--:|--:|"]
for i in range(1, n + 1):
    name, extra = open(f"{tmp}/run{i}.name").read().rstrip("\n").split("\t")
    log = list(csv.DictReader(open(f"{tmp}/run{i}.safetensors.csv")))
    valid = [r for r in log if r["valid_loss"]]
    first_loss = float(log[0]["loss"])
    wall = float(open(f"{tmp}/run{i}.time").read().split()[0])
    load = open(f"{tmp}/run{i}.load").read().split()
    means = [sts(f"{tmp}/run{i}.s{s}.json")["encoder_mean"] for s in marks]
    sifw = sts(f"{tmp}/run{i}.s{steps}.json")["encoder_sif_weighted"]
    L.append(f"| {name} | `{extra}` | {wall:.0f} ({load[0]}/{load[1]}) | " + " | ".join(f"{m:.2f}" for m in means) +
             f" | {sifw:.2f} | {float(valid[0]['valid_loss']):.4f} → {float(valid[-1]['valid_loss']):.4f} | "
             f"{float(valid[-1]['valid_acc']):.4f} | {first_loss:.4f} (step {log[0]['step']}) |")
L.append("<!-- simcse-sweep:end -->")
print("\n".join(L))
PY
"$SCRIPT_DIR/write_section.sh" "$SCRIPT_DIR/RESULTS.md" "$TMP/section.md"
cat "$TMP/section.md"
