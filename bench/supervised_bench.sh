#!/usr/bin/env bash
# supervised_bench.sh -- issue 15, supervised rows: `wordlens compare` on
# STS-B dev, WiC dev and Lee without and with supervision from the train
# splits (--sts-train sts-train.csv: a CoSENT linear map per sentence row;
# WiC: a logistic-regression classifier on the target vectors), the same
# procedure for the static and the encoder rows. Only train/dev splits are
# read. The peer is the unsupervised `compare` run, interleaved with the
# supervised one (--runs N each, medians of the wall times). The section
# goes to bench/RESULTS.md (<!-- supervised:begin/end -->) unless --no-write.
#
# usage: bench/supervised_bench.sh [--models DIR] [--data DIR] [--wordlens PATH] [--runs N] [--no-write]
#   --models DIR  vectors.bin, vocab.txt and an encoder (default /tmp/enc-train; bench/encoder_train_bench.sh --out DIR)
#   --model NAME  the encoder file in DIR (default mlm-vectors.safetensors; a fine-tuned one is labelled so)
#   --data DIR    holds eval/stsb/{sts-train,sts-dev}.csv, eval/wic, eval/lee (default ../shared/data)
set -euo pipefail
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$SCRIPT_DIR")
REPO_ROOT=$ROOT
. "$SCRIPT_DIR/common.sh"
MODELS=/tmp/enc-train
MODEL=mlm-vectors.safetensors
DATA="$ROOT/../shared/data"
WL="$ROOT/build/wordlens"
PY=/usr/bin/python3
RUNS=3
WRITE=1
while (($#)); do
  case "$1" in
    --models) MODELS=$2; shift 2 ;;
    --model) MODEL=$2; shift 2 ;;
    --data) DATA=$2; shift 2 ;;
    --wordlens) WL=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --no-write) WRITE=0; shift ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "supervised_bench: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
log() { echo "[supervised_bench] $*" >&2; }

for f in "$DATA/eval/stsb/sts-train.csv" "$DATA/eval/stsb/sts-dev.csv" "$DATA/eval/wic/train.data.txt" \
  "$DATA/eval/wic/dev.data.txt" "$DATA/eval/lee/lee.cor"; do
  [ -f "$f" ] || { echo "skipping: $f not found (--data DIR must hold eval/stsb, eval/wic, eval/lee)"; exit 0; }
done
DATA=$(cd "$DATA" && pwd)
for s in "$DATA"/eval/wic/*.data.txt; do
  case "$(basename "$s")" in train.data.txt|dev.data.txt) ;; *) echo "supervised_bench: $s: only train and dev may be read" >&2; exit 1 ;; esac
done
[ -x "$WL" ] || { echo "supervised_bench: wordlens binary not found or not executable: $WL (build it first)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "supervised_bench: /usr/bin/time not found (apt-get install time)" >&2; exit 1; }
for f in vectors.bin vocab.txt "$MODEL"; do
  [ -f "$MODELS/$f" ] || { echo "supervised_bench: $MODELS/$f not found: run bench/encoder_train_bench.sh --out $MODELS first" >&2; exit 1; }
done
MODELS=$(cd "$MODELS" && pwd)

TMP=$(mktemp -d -t supervised-bench.XXXXXX)
cp "$WL" "$TMP/wordlens"  # others may rebuild build/wordlens meanwhile
WL=$TMP/wordlens
REV=$(git -C "$ROOT" rev-parse --short HEAD 2> /dev/null || echo unknown)
if [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2> /dev/null)" ]; then REV="$REV + uncommitted changes"; fi
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

BASE=("$WL" compare --vectors "$MODELS/vectors.bin" --vocab "$MODELS/vocab.txt" --model "$MODELS/$MODEL"
  --sts "$DATA/eval/stsb/sts-dev.csv" --wic "$DATA/eval/wic" --lee "$DATA/eval/lee" --json)
SUP=("${BASE[@]}" --sts-train "$DATA/eval/stsb/sts-train.csv")
cmd_md() {
  local s
  s=$(show_cmd "$@")
  s=${s//"$MODELS"/\$MODELS}
  s=${s//"$DATA"/\$DATA}
  printf '%s\n' "$s"
}
{ cmd_md "${BASE[@]}"; cmd_md "${SUP[@]}"; } > "$TMP/commands.txt"
for ((r = 1; r <= RUNS; r++)); do  # interleaved: unsupervised, supervised
  for kind in unsup sup; do
    log "run $r/$RUNS: $kind"
    if [ $kind = unsup ]; then cmd=("${BASE[@]}"); else cmd=("${SUP[@]}"); fi
    /usr/bin/time -f '%e %M' -o "$TMP/$kind-$r.time" nice -n 19 "${cmd[@]}" > "$TMP/$kind-$r.json" 2> "$TMP/$kind-$r.err"
  done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

"$PY" - "$TMP" "$REV" "$LOAD_BEFORE" "$LOAD_AFTER" "$RUNS" "$MODEL" <<'PY'
import datetime, json, os, statistics, subprocess, sys
tmp, rev, load_before, load_after, runs, model = sys.argv[1:7]
runs = int(runs)
cpu = subprocess.run("lscpu | sed -n 's/^Model name: *//p'", shell=True, capture_output=True, text=True).stdout.strip()
u = json.load(open(f"{tmp}/unsup-1.json"))
s = json.load(open(f"{tmp}/sup-1.json"))
for r in range(2, runs + 1):  # deterministic: every run gives the same numbers
    assert json.load(open(f"{tmp}/sup-{r}.json")) == s, "supervised runs differ"
wall = {k: [float(open(f"{tmp}/{k}-{r}.time").read().split()[0]) for r in range(1, runs + 1)] for k in ("unsup", "sup")}
rss = {k: max(int(open(f"{tmp}/{k}-{r}.time").read().split()[1]) for r in range(1, runs + 1)) // 1024 for k in ("unsup", "sup")}
f2 = lambda x: "–" if x is None else f"{x:.2f}"
sup = s["supervision"]
ft = sup.get("encoder_finetuned")
rows = [("avg", "avg"), ("sif", "sif"), ("sif_weighted", "sif-weighted"), ("encoder_mean", "encoder-mean"),
        ("encoder_cls", "encoder-cls"), ("encoder_mean_no_cls", "encoder-mean-no-cls"), ("encoder_sif", "encoder-sif"),
        ("encoder_sif_weighted", "encoder-sif-weighted")]
sd, ss = s["sts"]["sts-dev.csv"], s["sts_supervised"]["sts-dev.csv"]
L = ["<!-- supervised:begin -->", "## Supervised rows: the same supervision for static and encoder (issue 15)", "",
     f"- Date: {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC; machine: {os.cpu_count()} cores ({cpu}); load average "
     f"before/after: {load_before} / {load_after}; every run under `nice -n 19`.",
     f"- Version: wordlens {rev}; vectors `$MODELS/vectors.bin`, encoder `$MODELS/{model}`"
     + (f" (fine-tuned: {ft}; its unsupervised rows are supervised already)" if ft else "") +
     "; data `$DATA` = `../shared/data`, train and dev splits only.",
     f"- STS maps: CoSENT (scale {sup['map']['scale']:g}), Adam (step {sup['map']['lr']:g}), minibatches of {sup['map']['batch']} pairs, "
     f"W from the identity; weight decay toward I from {sup['map']['decays_tried']} and epochs (≤ {sup['map']['max_epochs']}) chosen "
     f"on {sup['map']['held_out_pairs']} held-out pairs of sts-train.csv ({sup['sts_train_pairs']} pairs), never on dev.",
     f"- WiC: logistic regression on [u⊙v, |u−v|, cos] standardised on train, L2 penalty from {sup['wic_classifier']['lambdas_tried']} "
     f"by {sup['wic_classifier']['folds']}-fold cross-validation on train, L-BFGS.", "", "```sh"]
L += open(f"{tmp}/commands.txt").read().splitlines() + ["```", "",
     "### STS-B dev (1,500 pairs): Spearman ×100", "",
     "| row | unsupervised | + linear map | decay | epochs | held-out (no map → map) |", "|---|--:|--:|--:|--:|--:|"]
for k, name in rows:
    m = sup["sts_maps"].get(k)
    L.append(f"| {name} | {f2(sd[k])} | {f2(ss[k])} | " + (f"{m['weight_decay']:g} | {m['epochs']} | {m['held_out_identity']:.2f} → {m['held_out']:.2f} |" if m else "– | – | – |"))
static_best, enc_best = max((v, k) for k, v in ss.items() if v is not None and not k.startswith("encoder")), \
    max((v, k) for k, v in ss.items() if v is not None and k.startswith("encoder"))
L += ["", f"Best supervised static row {static_best[1]} {static_best[0]:.2f}, best supervised encoder row {enc_best[1]} "
      f"{enc_best[0]:.2f}: {enc_best[0] - static_best[0]:+.2f} (goal: encoder ≥ static + 5, "
      f"{'reached' if enc_best[0] >= static_best[0] + 5 else 'not reached'}).", "",
      "### WiC dev (638 pairs): accuracy %", "", "| method | threshold on cosine | classifier | L2 penalty | cross-validated (train) |",
      "|---|--:|--:|--:|--:|"]
for k, name in [("static_window", "static ±5"), ("encoder", "encoder")]:
    c = sup["wic_classifier"]["methods"].get(k)
    L.append(f"| {name} | {f2(s['wic']['dev'][k])} | {f2(s['wic_supervised']['dev'][k])} | "
             + (f"{c['lambda']:g} | {c['cv_accuracy']:.2f} |" if c else "– | – |"))
enc = s["wic_supervised"]["dev"]["encoder"]
L += ["", f"Goal: supervised encoder ≥ 60% on WiC dev: {f2(enc)}, {'reached' if enc is not None and enc >= 60 else 'not reached'}.",
      "", "### Lee (unsupervised; no train split)", "", "| " + " | ".join(n for _, n in rows) + " |", "|" + "--:|" * len(rows),
      "| " + " | ".join(f2(s["lee"][k]) for k, _ in rows) + " |", "",
      f"### Wall time (medians of {runs} interleaved runs; the peer is the unsupervised run)", "",
      "| run | wall s | peak RSS MiB |", "|---|--:|--:|",
      f"| unsupervised | {statistics.median(wall['unsup']):.1f} | {rss['unsup']} |",
      f"| with --sts-train (maps + WiC classifier) | {statistics.median(wall['sup']):.1f} | {rss['sup']} |", "",
      f"Supervised / unsupervised wall time: {statistics.median(wall['sup']) / statistics.median(wall['unsup']):.2f}×.",
      "<!-- supervised:end -->"]
section = "\n".join(L) + "\n"
open(f"{tmp}/section.md", "w").write(section)
print(section)
PY
if ((WRITE)); then "$SCRIPT_DIR/write_section.sh" "$SCRIPT_DIR/RESULTS.md" "$TMP/section.md"; fi
log "done; outputs in $TMP"
