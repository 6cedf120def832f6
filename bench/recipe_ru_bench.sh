#!/usr/bin/env bash
# recipe_ru_bench.sh -- issue 15 on Russian: `encoder train --preset quick`
# on the raw ru-lit.txt (normalised on the fly as the vectors' record says),
# from 128-dimensional skip-gram vectors trained as bench/ru_bench.sh trains
# them, then RUSSE 2018 word sense induction (wsi-wiki-dev, the dev file)
# with `compare --wsi`: static, static window and the encoder's contextual
# vectors. Results go to bench/RESULTS.md (<!-- recipe-ru:begin/end -->).
#
# usage: bench/recipe_ru_bench.sh [--out DIR] [--preset quick] [--data DIR] [--wordlens PATH]
set -euo pipefail
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$SCRIPT_DIR")
REPO_ROOT=$ROOT
. "$SCRIPT_DIR/common.sh"
DATA="$ROOT/../shared/data"
WL="$ROOT/build/wordlens"
OUT=""
PRESET=quick
while (($#)); do
  case "$1" in
    --out) OUT=$2; shift 2 ;;
    --preset) PRESET=$2; shift 2 ;;
    --data) DATA=$2; shift 2 ;;
    --wordlens) WL=$2; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "recipe_ru_bench: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
log() { echo "[recipe_ru_bench] $*" >&2; }
for f in "$DATA/corpus/ru-lit.txt" "$DATA/eval/ru/wsi-wiki-dev.tsv"; do [ -f "$f" ] || { echo "skipping: $f not found"; exit 0; }; done
DATA=$(cd "$DATA" && pwd)
[ -x "$WL" ] || { echo "recipe_ru_bench: wordlens binary not found: $WL (build it first)" >&2; exit 1; }
OUT=${OUT:-$(mktemp -d -t recipe-ru.XXXXXX)}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
TMP=$(mktemp -d -t recipe-ru-tmp.XXXXXX)
cp "$WL" "$TMP/wordlens"
WL=$TMP/wordlens
VEC=("$WL" train -train "$DATA/corpus/ru-lit.txt" --normalize -output "$OUT/ru-sg128.bin" -binary 1 -cbow 0 -size 128 -window 5
  -negative 5 -hs 0 -sample 1e-4 -iter 5 -min-count 5 -threads 2 --max-vocab 40000 -debug 0)
ENC=("$WL" encoder train --preset "$PRESET" --corpus "$DATA/corpus/ru-lit.txt" --vectors "$OUT/ru-sg128.bin" --valid-fraction 0.01
  --eval-every 100 --threads 2 --seed 1 --progress-every 60 --output "$OUT/ru-$PRESET.safetensors")
WSI=("$WL" compare --vectors "$OUT/ru-sg128.bin" --model "$OUT/ru-$PRESET.safetensors" --wsi "$DATA/eval/ru/wsi-wiki-dev.tsv" --json)
shown() { show_cmd "$@" | sed "s|$DATA|\$DATA|g; s|$OUT|\$OUT|g"; }
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
if [ ! -f "$OUT/ru-sg128.bin" ]; then log "vectors"; /usr/bin/time -f '%e' -o "$OUT/vec.time" "${VEC[@]}" > /dev/null 2> "$OUT/vec.err"; fi
log "encoder --preset $PRESET"
/usr/bin/time -f '%e %M' -o "$OUT/enc.time" "${ENC[@]}" > "$OUT/enc.out" 2> "$OUT/enc.err"
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)
"${WSI[@]}" > "$OUT/wsi.json" 2> "$OUT/wsi.err"
/usr/bin/python3 - "$OUT" "$PRESET" "$LOAD0" "$LOAD1" "$(shown "${VEC[@]}")" "$(shown "${ENC[@]}")" "$(shown "${WSI[@]}")" \
  "$(git -C "$ROOT" rev-parse --short HEAD)" "$(lscpu | sed -n 's/^Model name: *//p')" > "$TMP/section.md" <<'PY'
import datetime, json, os, re, sys
out, preset, load0, load1, vec, enc, wsi, rev, cpu = sys.argv[1:10]
r = json.load(open(f"{out}/wsi.json"))["wsi"]
wall = float(open(f"{out}/enc.time").read().split()[0])
held = [l for l in open(f"{out}/enc.out").read().splitlines() if l.startswith("held-out")]
L = ["<!-- recipe-ru:begin -->", f"## The `{preset}` preset on Russian: RUSSE 2018 word sense induction, dev (issue 15)", "",
     f"- Date: {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC; machine: {os.cpu_count()} cores ({cpu}); wordlens {rev}; "
     f"load average before / after: {load0} / {load1}.",
     f"- Encoder: {wall / 60:.1f} min; {held[0] if held else ''}", "", "```sh", vec, enc, wsi, "```", "",
     "| file | static | static window | encoder | words | contexts |", "|---|--:|--:|--:|--:|--:|"]
for f, b in r.items():
    cell = lambda v: "–" if v is None else f"{v:.3f}"
    L.append(f"| {f} | {cell(b.get('static'))} | {cell(b.get('static_window'))} | {cell(b.get('encoder'))} | "
             f"{b.get('words', '–')} | {b.get('contexts', '–')} |")
L.append("<!-- recipe-ru:end -->")
print("\n".join(L))
PY
"$SCRIPT_DIR/write_section.sh" "$SCRIPT_DIR/RESULTS.md" "$TMP/section.md"
cat "$TMP/section.md"
