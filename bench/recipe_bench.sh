#!/usr/bin/env bash
# recipe_bench.sh -- issue 15, pre-training recipes: trains the encoder with
# each `encoder train --preset` (weights snapshotted every N steps), then
# scores every snapshot with `wordlens compare` on dev splits (STS-B dev,
# WiC dev with the threshold from train, Lee) and writes, per preset, the
# curves against wall time: held-out MLM loss and accuracy, and the dev
# numbers of the encoder's pooled states beside the static rows. Results go
# to bench/RESULTS.md (<!-- recipe:begin/end -->) and bench/recipe_curves.png.
#
# usage: bench/recipe_bench.sh [--models DIR] [--out DIR] [--presets "quick standard"] [--reuse]
#                              [--data DIR] [--wordlens PATH]
#   --models DIR  vectors.bin and vocab.txt (bench/encoder_train_bench.sh --out DIR writes them)
#   --out DIR     where the runs go (default: a temporary directory)
#   --reuse       score the runs already in --out (PRESET.safetensors, .csv, .time, .start) instead of training
set -euo pipefail
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$SCRIPT_DIR")
REPO_ROOT=$ROOT
. "$SCRIPT_DIR/common.sh"
MODELS=/tmp/enc-train
DATA="$ROOT/../shared/data"
WL="$ROOT/build/wordlens"
PY=/usr/bin/python3
OUT=""
PRESETS="quick standard"
REUSE=0
while (($#)); do
  case "$1" in
    --models) MODELS=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --presets) PRESETS=$2; shift 2 ;;
    --reuse) REUSE=1; shift ;;
    --data) DATA=$2; shift 2 ;;
    --wordlens) WL=$2; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "recipe_bench: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
log() { echo "[recipe_bench] $*" >&2; }
for f in "$DATA/corpus/bench.txt" "$DATA/eval/stsb/sts-dev.csv" "$DATA/eval/wic/train.data.txt" "$DATA/eval/lee/lee.cor"; do
  [ -f "$f" ] || { echo "skipping: $f not found (--data DIR must hold corpus/bench.txt, eval/stsb, eval/wic, eval/lee)"; exit 0; }
done
DATA=$(cd "$DATA" && pwd)
for s in "$DATA"/eval/wic/*.data.txt; do
  case "$(basename "$s")" in train.data.txt|dev.data.txt) ;; *) echo "recipe_bench: $s: only train and dev may be read" >&2; exit 1 ;; esac
done
for f in vectors.bin vocab.txt; do
  [ -f "$MODELS/$f" ] || { echo "recipe_bench: $MODELS/$f not found: run bench/encoder_train_bench.sh --out $MODELS first" >&2; exit 1; }
done
MODELS=$(cd "$MODELS" && pwd)
[ -x "$WL" ] || { echo "recipe_bench: wordlens binary not found: $WL (build it first)" >&2; exit 1; }
OUT=${OUT:-$(mktemp -d -t recipe-bench.XXXXXX)}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
TMP=$(mktemp -d -t recipe-tmp.XXXXXX)
cp "$WL" "$TMP/wordlens"  # others may rebuild build/wordlens meanwhile
WL=$TMP/wordlens

snapshot_every() { case "$1" in quick) echo 200 ;; *) echo 400 ;; esac; }
: > "$TMP/commands.txt"
for p in $PRESETS; do
  cmd=("$WL" encoder train --preset "$p" --corpus "$DATA/corpus/bench.txt" --vectors "$MODELS/vectors.bin"
    --valid-fraction 0.01 --eval-every 100 --threads 2 --seed 1 --progress-every 60
    --snapshot-every "$(snapshot_every "$p")" --output "$OUT/$p.safetensors")
  show_cmd "${cmd[@]}" | sed "s|$DATA|\$DATA|g; s|$MODELS|\$MODELS|g; s|$OUT|\$OUT|g" >> "$TMP/commands.txt"; echo >> "$TMP/commands.txt"
  if [ "$REUSE" = 1 ]; then
    [ -f "$OUT/$p.safetensors" ] || { echo "recipe_bench: --reuse: $OUT/$p.safetensors not found" >&2; exit 1; }
    continue
  fi
  log "training --preset $p -> $OUT/$p.safetensors"
  { cut -d' ' -f1-3 /proc/loadavg; date -u '+%Y-%m-%d %H:%M'; } > "$OUT/$p.start"
  /usr/bin/time -f '%e %M' -o "$OUT/$p.time" "${cmd[@]}" > "$OUT/$p.out" 2> "$OUT/$p.err"
  cut -d' ' -f1-3 /proc/loadavg >> "$OUT/$p.start"
done
eval_cmd=("$WL" compare --vectors "$MODELS/vectors.bin" --vocab "$MODELS/vocab.txt" --model MODEL
  --sts "$DATA/eval/stsb/sts-dev.csv" --wic "$DATA/eval/wic" --lee "$DATA/eval/lee" --layer all-mean --json)
show_cmd "${eval_cmd[@]}" | sed "s|$DATA|\$DATA|g; s|$MODELS|\$MODELS|g" >> "$TMP/commands.txt"; echo >> "$TMP/commands.txt"
for p in $PRESETS; do
  for m in "$OUT/$p".step*.safetensors "$OUT/$p.safetensors"; do
    [ -f "$m" ] || continue
    j="$TMP/$(basename "$m" .safetensors).json"
    log "scoring $(basename "$m")"
    "${eval_cmd[@]/MODEL/$m}" > "$j" 2> "$j.err" || { cat "$j.err" >&2; exit 1; }
  done
done
REV=$(git -C "$ROOT" rev-parse --short HEAD 2> /dev/null || echo unknown)
CPU=$(lscpu | sed -n 's/^Model name: *//p')
"$PY" "$SCRIPT_DIR/recipe_report.py" --runs "$OUT" --scores "$TMP" --presets "$PRESETS" --commands "$TMP/commands.txt" \
  --rev "$REV" --cpu "$CPU" --plot "$SCRIPT_DIR/recipe_curves.png" > "$TMP/section.md"
"$SCRIPT_DIR/write_section.sh" "$SCRIPT_DIR/RESULTS.md" "$TMP/section.md"
cat "$TMP/section.md"
rm -rf "$TMP"
