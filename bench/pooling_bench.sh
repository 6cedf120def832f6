#!/usr/bin/env bash
# pooling_bench.sh -- issue 15, pooling the encoder's states: `wordlens compare`
# on STS-B dev, WiC dev (threshold from train) and Lee for every pooling of
# the encoder (mean, mean without [CLS], [CLS], SIF-weighted mean with and
# without the first principal component removed) at every layer and for the
# mean of all layers (--layer), for the MLM encoder initialised from Word2Vec
# and the random-init control; the static avg and sif rows beside them.
# Only dev/train splits are read (no test split). Results go to
# bench/RESULTS.md (<!-- pooling:begin/end -->).
#
# usage: bench/pooling_bench.sh [--models DIR] [--data DIR] [--wordlens PATH]
#   --models DIR  vectors.bin, vocab.txt, mlm-vectors.safetensors, mlm-random.safetensors (optional)
#                 (default /tmp/enc-train; written by bench/encoder_train_bench.sh --out DIR)
#   --data DIR    holds eval/stsb/sts-dev.csv, eval/wic, eval/lee (default ../shared/data)
set -euo pipefail
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$SCRIPT_DIR")
REPO_ROOT=$ROOT
. "$SCRIPT_DIR/common.sh"
MODELS=/tmp/enc-train
DATA="$ROOT/../shared/data"
WL="$ROOT/build/wordlens"
PY=/usr/bin/python3
while (($#)); do
  case "$1" in
    --models) MODELS=$2; shift 2 ;;
    --data) DATA=$2; shift 2 ;;
    --wordlens) WL=$2; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "pooling_bench: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
log() { echo "[pooling_bench] $*" >&2; }

for f in "$DATA/eval/stsb/sts-dev.csv" "$DATA/eval/wic/train.data.txt" "$DATA/eval/wic/dev.data.txt" "$DATA/eval/lee/lee.cor"; do
  [ -f "$f" ] || { echo "skipping: $f not found (--data DIR must hold eval/stsb/sts-dev.csv, eval/wic, eval/lee)"; exit 0; }
done
DATA=$(cd "$DATA" && pwd)
[ -x "$WL" ] || { echo "pooling_bench: wordlens binary not found or not executable: $WL (build it first)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "pooling_bench: /usr/bin/time not found (apt-get install time)" >&2; exit 1; }
for f in vectors.bin vocab.txt mlm-vectors.safetensors; do
  [ -f "$MODELS/$f" ] || { echo "pooling_bench: $MODELS/$f not found: run bench/encoder_train_bench.sh --out $MODELS first" >&2; exit 1; }
done
MODELS=$(cd "$MODELS" && pwd)
NAMES=(mlm-vectors)
if [ -f "$MODELS/mlm-random.safetensors" ]; then NAMES+=(mlm-random); else log "no $MODELS/mlm-random.safetensors: the control rows are left out"; fi
# Only the dev and train splits: a directory holding a WiC test split is refused (compare scores every split).
for s in "$DATA"/eval/wic/*.data.txt; do
  case "$(basename "$s")" in train.data.txt|dev.data.txt) ;; *) echo "pooling_bench: $s: only train and dev may be read" >&2; exit 1 ;; esac
done

TMP=$(mktemp -d -t pooling-bench.XXXXXX)
WL_SRC=$WL
cp "$WL_SRC" "$TMP/wordlens"  # others may rebuild build/wordlens meanwhile
WL=$TMP/wordlens
REV=$(git -C "$ROOT" rev-parse --short HEAD 2> /dev/null || echo unknown)
if [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2> /dev/null)" ]; then REV="$REV + uncommitted changes"; fi
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

cmd_md() {  # show_cmd with the models and data directories as $MODELS / $DATA
  local s
  s=$(show_cmd "$@")
  s=${s//"$MODELS"/\$MODELS}
  s=${s//"$DATA"/\$DATA}
  printf '%s\n' "$s"
}

: > "$TMP/runs.txt"
: > "$TMP/commands.txt"
for n in "${NAMES[@]}"; do
  layers=$("$WL" encoder info "$MODELS/$n.safetensors" --json | "$PY" -c 'import json, sys
d = json.load(sys.stdin)
def find(x):
    if isinstance(x, dict):
        for k, v in x.items():
            if k == "n_layers": return v
            r = find(v)
            if r is not None: return r
print(find(d))')
  for layer in $(seq 0 $((layers - 1))) all-mean; do
    cmd=("$WL" compare --vectors "$MODELS/vectors.bin" --vocab "$MODELS/vocab.txt" --model "$MODELS/$n.safetensors"
      --sts "$DATA/eval/stsb/sts-dev.csv" --wic "$DATA/eval/wic" --lee "$DATA/eval/lee" --layer "$layer" --json)
    log "compare $n --layer $layer"
    if ! /usr/bin/time -f '%e %M' -o "$TMP/$n-$layer.time" "${cmd[@]}" > "$TMP/$n-$layer.json" 2> "$TMP/$n-$layer.err"; then
      log "FAILED: $(cmd_md "${cmd[@]}")"
      tail -n 5 "$TMP/$n-$layer.err" >&2
      exit 1
    fi
    echo "$n $layer $((layers - 1))" >> "$TMP/runs.txt"
    cmd_md "${cmd[@]}" >> "$TMP/commands.txt"
  done
done
PARTS_CMD=("$PY" "$SCRIPT_DIR/sif_parts.py" --vectors "$MODELS/vectors.bin" --vocab "$MODELS/vocab.txt"
  --sts "$DATA/eval/stsb/sts-dev.csv")
log "static SIF in parts (numpy)"
"${PARTS_CMD[@]}" > "$TMP/sif-parts.json"
cmd_md "${PARTS_CMD[@]}" >> "$TMP/commands.txt"
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

MODELS=$MODELS "$PY" - "$TMP" "$REV" "$LOAD_BEFORE" "$LOAD_AFTER" <<'PY'
import csv, datetime, json, os, subprocess, sys
tmp, rev, load_before, load_after = sys.argv[1:5]
runs = [l.split() for l in open(f"{tmp}/runs.txt")]
cpu = subprocess.run("lscpu | sed -n 's/^Model name: *//p'", shell=True, capture_output=True, text=True).stdout.strip()
res = {(n, layer): json.load(open(f"{tmp}/{n}-{layer}.json")) for n, layer, _ in runs}
times = {(n, layer): open(f"{tmp}/{n}-{layer}.time").read().split() for n, layer, _ in runs}
last = {n: l for n, _, l in runs}
names = {"mlm-vectors": "MLM, Word2Vec init", "mlm-random": "MLM, random init (control)"}
cols = [("encoder_mean", "mean"), ("encoder_mean_no_cls", "mean, no [CLS]"), ("encoder_cls", "[CLS]"),
        ("encoder_sif_weighted", "SIF weights"), ("encoder_sif", "SIF weights, PC removed")]
def layer_name(n, layer):
    if layer == "all-mean": return "mean of all layers"
    return f"layer {layer}" + (" (last)" if layer == last[n] else "")
def f2(x): return "–" if x is None else f"{x:.2f}"
first = res[(runs[0][0], runs[0][1])]
sts = lambda r: r["sts"]["sts-dev.csv"]
static_sts = (sts(first)["avg"], sts(first)["sif"])
static_lee = (first["lee"]["avg"], first["lee"]["sif"])
static_wic = (first["wic"]["dev"]["static"], first["wic"]["dev"]["static_window"])
for r in res.values():  # the static rows do not depend on the encoder
    assert (sts(r)["avg"], sts(r)["sif"], r["lee"]["avg"], r["lee"]["sif"]) == static_sts + static_lee
best = max(((sts(r)[k], n, layer, label) for (n, layer), r in res.items() if n == "mlm-vectors" for k, label in cols
            if sts(r)[k] is not None), default=(None,) * 4)
L = ["<!-- pooling:begin -->", "## Pooling the encoder's states (issue 15)", "",
     f"- Date: {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC; machine: {os.cpu_count()} cores ({cpu}); load average before/after: "
     f"{load_before} / {load_after}",
     f"- Version: wordlens {rev}; models: `$MODELS` written by `bench/encoder_train_bench.sh --out $MODELS` (2 layers, d = 128; "
     "training settings in the encoder-train section); data `$DATA` = `../shared/data`, dev and train splits only.",
     "- Pooling over the hidden states after the chosen layer, read through the final LayerNorm as `context --layer` reads "
     "them (the last layer's are the final hidden states); \"mean of all layers\" averages those states over the layers "
     "first. SIF weights: a/(a + p(w)), a = 1e-3, from `vocab.txt` — the same weights as static sif — on the words' "
     "states ([CLS] and unknown words left out), divided by the number of words; \"PC removed\": the first principal "
     "component of all the benchmark's vectors removed (STS: both sides together; Lee: the 50 documents), as sif does.",
     f"- Static rows (the same in every run): STS-B dev avg {f2(static_sts[0])}, sif {f2(static_sts[1])}; "
     f"Lee avg {f2(static_lee[0])}, sif {f2(static_lee[1])}; WiC dev static {f2(static_wic[0])}, static ±5 {f2(static_wic[1])}.",
     ]
for n in dict.fromkeys(n for n, _, _ in runs):  # what each model is, from its training log
    log = f"{os.environ['MODELS']}/{n}.safetensors.csv"
    if os.path.exists(log):
        rows = list(csv.DictReader(open(log)))
        valid = [r for r in rows if r["valid_acc"]]
        L.append(f"- `{n}` ({names[n]}): {int(rows[-1]['step'])} steps, {float(rows[-1]['epoch']):.1f} epochs"
                 + (f", held-out masked-token accuracy {float(valid[-1]['valid_acc']):.4f}" if valid else "") + ".")
L += ["", "```sh"] + open(f"{tmp}/commands.txt").read().splitlines() + ["```", ""]
parts = json.load(open(f"{tmp}/sif-parts.json"))
L += ["### Static SIF in parts, STS-B dev (numpy, `bench/sif_parts.py`): Spearman ×100", "",
      "| avg | avg, PC removed | SIF weights | SIF weights, PC removed (= sif) |", "|--:|--:|--:|--:|",
      f"| {f2(parts['avg'])} | {f2(parts['avg_pc_removed'])} | {f2(parts['sif_weights'])} | {f2(parts['sif'])} |", ""]
for title, get, static, label in [("STS-B dev (1,500 pairs): Spearman ×100", sts, static_sts, "STS"),
                                  ("Lee (50 documents): Pearson ×100", lambda r: r["lee"], static_lee, "Lee")]:
    L += [f"### {title}", "", f"Static: avg {f2(static[0])}, sif {f2(static[1])}.", "",
          "| model | states | " + " | ".join(c for _, c in cols) + " |", "|---|---|" + "--:|" * len(cols)]
    for n, layer, _ in runs:
        L.append(f"| {names[n]} | {layer_name(n, layer)} | " + " | ".join(f2(get(res[(n, layer)])[k]) for k, _ in cols) + " |")
    L.append("")
L += ["### WiC dev (638 pairs): accuracy %, threshold chosen on train", "",
      f"The target word's own state at the chosen layer (pooling does not apply). Static {f2(static_wic[0])}, "
      f"static ±5 {f2(static_wic[1])}.", "", "| model | states | encoder | threshold (train acc. %) |", "|---|---|--:|--:|"]
for n, layer, _ in runs:
    r = res[(n, layer)]
    t = r["wic_threshold"]["encoder"]
    L.append(f"| {names[n]} | {layer_name(n, layer)} | {f2(r['wic']['dev']['encoder'])} | {t['threshold']:.4f} ({t['train_accuracy']:.2f}) |")
L += ["", "### Wall time per `compare` run (whole process: loading, 7 sentence rows × STS + Lee, WiC train + dev)", "",
      "| model | --layer | wall s | peak RSS MiB |", "|---|---|--:|--:|"]
for n, layer, _ in runs:
    w, kib = times[(n, layer)]
    L.append(f"| {n} | {layer} | {float(w):.2f} | {int(kib) // 1024} |")
if static_sts[1] is not None and best[0] is not None:
    goal = static_sts[1] + 3
    L += ["", f"Best encoder row on STS-B dev (MLM, Word2Vec init): {best[3]} at {layer_name(best[1], best[2])}, {best[0]:.2f} — "
          f"{'reaches' if best[0] >= goal else 'does not reach'} the goal sif + 3 = {goal:.2f} "
          f"({best[0] - static_sts[1]:+.2f} against sif)."]
L.append("<!-- pooling:end -->")
section = "\n".join(L) + "\n"
open(f"{tmp}/section.md", "w").write(section)
print(section)
PY
"$SCRIPT_DIR/write_section.sh" "$SCRIPT_DIR/RESULTS.md" "$TMP/section.md"
log "done; outputs in $TMP"
