#!/usr/bin/env bash
# compare_bench.sh -- issue 7 on the benchmark-corpus models: `wordlens compare`
# (averaged Word2Vec vectors vs the encoders' contextual vectors on STS-B dev,
# WiC and Lee) for every encoder, the static numbers checked against and timed
# against an independent numpy computation (bench/compare_check.py), and the
# HTML report rendered to bench/compare_report.png by headless Chromium.
# Results go to bench/RESULTS.md (<!-- compare:begin/end -->).
#
# usage: bench/compare_bench.sh [--models DIR] [--data DIR] [--wordlens PATH]
#   --models DIR  vectors.bin, vocab.txt, mlm-vectors.safetensors (+ .csv), mlm-random.safetensors,
#                 optionally simcse.safetensors, simcse-small.safetensors (default /tmp/enc-train;
#                 written by bench/encoder_train_bench.sh --out DIR and bench/simcse_bench.sh --dir DIR)
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
STATIC_RUNS=5
while (($#)); do
  case "$1" in
    --models) MODELS=$2; shift 2 ;;
    --data) DATA=$2; shift 2 ;;
    --wordlens) WL=$2; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "compare_bench: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
log() { echo "[compare_bench] $*" >&2; }

STS="$DATA/eval/stsb/sts-dev.csv"
WIC="$DATA/eval/wic"
LEE="$DATA/eval/lee"
for f in "$STS" "$WIC/train.data.txt" "$WIC/dev.data.txt" "$LEE/lee.cor" "$LEE/similarities0-1.txt"; do
  [ -f "$f" ] || { echo "skipping: $f not found (--data DIR must hold eval/stsb/sts-dev.csv, eval/wic, eval/lee)"; exit 0; }
done
DATA=$(cd "$DATA" && pwd)
STS="$DATA/eval/stsb/sts-dev.csv" WIC="$DATA/eval/wic" LEE="$DATA/eval/lee"
[ -x "$WL" ] || { echo "compare_bench: wordlens binary not found or not executable: $WL (build it first)" >&2; exit 1; }
[ -x "$PY" ] || { echo "compare_bench: $PY not found" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "compare_bench: /usr/bin/time not found (apt-get install time)" >&2; exit 1; }

missing=()
for f in vectors.bin vocab.txt mlm-vectors.safetensors mlm-vectors.safetensors.csv mlm-random.safetensors; do
  [ -f "$MODELS/$f" ] || missing+=("$f")
done
if ((${#missing[@]})); then
  {
    echo "compare_bench: $MODELS lacks: ${missing[*]}"
    echo "produce the models with (about 35 min on 2 cores; the second command adds simcse.safetensors, optional):"
    echo "  bench/encoder_train_bench.sh --out $MODELS"
    echo "  bench/simcse_bench.sh --dir $MODELS"
    echo "then run: bench/compare_bench.sh --models $MODELS"
  } >&2
  exit 1
fi
MODELS=$(cd "$MODELS" && pwd)

# model name (file stem) in table order; the SimCSE models are optional
NAMES=(mlm-vectors mlm-random)
for n in simcse simcse-small; do
  if [ -f "$MODELS/$n.safetensors" ]; then NAMES+=("$n"); else log "no $MODELS/$n.safetensors (optional), skipped"; fi
done

TMP=$(mktemp -d -t compare-bench.XXXXXX)
# Run a copy of the binary: others may rebuild build/wordlens meanwhile.
WL_SRC=$WL
cp "$WL_SRC" "$TMP/wordlens"
WL=$TMP/wordlens
REV=$(git -C "$ROOT" rev-parse --short HEAD 2> /dev/null || echo unknown)
if [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2> /dev/null)" ]; then REV="$REV + uncommitted changes"; fi
BUILT=$(date -u -r "$WL_SRC" '+%Y-%m-%d %H:%M UTC')
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# cmd_md CMD...: show_cmd with the models and data directories as $MODELS / $DATA.
cmd_md() {
  local a args=()
  for a in "$@"; do
    a=${a//"$MODELS"/@MODELS@}
    a=${a//"$DATA"/@DATA@}
    args+=("$a")
  done
  local s
  s=$(show_cmd "${args[@]}")
  s=${s//@MODELS@/\$MODELS}
  s=${s//@DATA@/\$DATA}
  printf '%s\n' "$s"
}
# timed NAME CMD...: stdout -> $TMP/NAME.out, stderr -> $TMP/NAME.err, "wall_s peak_KiB" -> $TMP/NAME.time
timed() {
  local name=$1
  shift
  if ! /usr/bin/time -f '%e %M' -o "$TMP/$name.time" "$@" > "$TMP/$name.out" 2> "$TMP/$name.err"; then
    log "FAILED: $(show_cmd "$@")"
    tail -n 5 "$TMP/$name.err" >&2
    exit 1
  fi
}

EVAL_ARGS=(--sts "$STS" --wic "$WIC" --lee "$LEE")
: > "$TMP/commands.txt"
for n in "${NAMES[@]}"; do
  cmd=("$WL" compare --vectors "$MODELS/vectors.bin" --vocab "$MODELS/vocab.txt" --model "$MODELS/$n.safetensors"
    "${EVAL_ARGS[@]}" --json)
  [ "$n" = mlm-vectors ] && cmd+=(--report "$TMP/report")
  log "wordlens compare, model $n"
  timed "model-$n" "${cmd[@]}"
  cmd_md "${cmd[@]}" >> "$TMP/commands.txt"
done

STATIC_CMD=("$WL" compare --vectors "$MODELS/vectors.bin" "${EVAL_ARGS[@]}" --json)
CHECK_CMD=("$PY" "$SCRIPT_DIR/compare_check.py" --vectors "$MODELS/vectors.bin" "${EVAL_ARGS[@]}" --json)
IMPORT_CMD=("$PY" -c 'import numpy; from scipy import stats')
log "static methods only: wordlens compare vs compare_check.py, $STATIC_RUNS alternating runs"
for i in $(seq 1 "$STATIC_RUNS"); do
  timed "static-$i" "${STATIC_CMD[@]}"
  timed "check-$i" "${CHECK_CMD[@]}"
  timed "import-$i" "${IMPORT_CMD[@]}"
done
{
  cmd_md "${STATIC_CMD[@]}"
  cmd_md "${CHECK_CMD[@]}"
} >> "$TMP/commands.txt"

# Agreement of the static numbers (fails the script if STS avg differs by >= 0.005).
log "agreement with bench/compare_check.py"
"$PY" - "$TMP" "$STATIC_RUNS" "${NAMES[@]}" <<'PY'
import json, sys
tmp, runs, names = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
wl = json.load(open(f"{tmp}/model-mlm-vectors.out"))
np_ = json.load(open(f"{tmp}/check-1.out"))
rows = [("STS-B dev avg (Spearman x100)", wl["sts"]["sts-dev.csv"]["avg"], np_["sts"]["sts-dev.csv"]["avg"]),
        ("WiC dev static (accuracy %)", wl["wic"]["dev"]["static"], np_["wic"]["dev"]["static"]),
        ("WiC dev static +-5 (accuracy %)", wl["wic"]["dev"]["static_window"], np_["wic"]["dev"]["static_window"]),
        ("Lee avg (Pearson x100)", wl["lee"]["avg"], np_["lee"]["avg"])]
for label, a, b in rows:
    print(f"  {label:<34} wordlens {a:10.5f}  numpy {b:10.5f}  |diff| {abs(a - b):.2e}", file=sys.stderr)
# the static numbers must not depend on the model, nor on the run
def static_of(r):
    return (r["sts"]["sts-dev.csv"]["avg"], r["wic"]["dev"]["static"], r["wic"]["dev"]["static_window"], r["lee"]["avg"])
wl_all = [json.load(open(f"{tmp}/model-{n}.out")) for n in names] + \
         [json.load(open(f"{tmp}/static-{i}.out")) for i in range(1, runs + 1)]
same_wl = len({static_of(r) for r in wl_all}) == 1
same_np = len({json.dumps(json.load(open(f"{tmp}/check-{i}.out")), sort_keys=True) for i in range(1, runs + 1)}) == 1
print(f"  static numbers identical in all {len(wl_all)} wordlens runs: {same_wl}; "
      f"compare_check.py output identical in all {runs} runs: {same_np}", file=sys.stderr)
d = abs(rows[0][1] - rows[0][2])
if not d < 0.005:
    print(f"compare_bench: STS-B dev avg differs from numpy by {d:.6f} (limit 0.005)", file=sys.stderr)
    sys.exit(1)
if not (same_wl and same_np):
    print("compare_bench: repeated runs disagree", file=sys.stderr)
    sys.exit(1)
PY

log "screenshot of the report"
SHOT="$SCRIPT_DIR/compare_report.png"
SHOT_CMD=(bash "$ROOT/tests/cli/report_screenshot.sh" "$WL")
set +e
WORDLENS_REPORT_DIR="$TMP/report" WORDLENS_SCREENSHOT_OUT="$SHOT" /usr/bin/time -f '%e %M' -o "$TMP/shot.time" \
  "${SHOT_CMD[@]}" > "$TMP/shot.out" 2>&1
rc=$?
set -e
sed 's/^/  /' "$TMP/shot.out" >&2
if [ $rc -ne 0 ]; then
  log "FAILED: tests/cli/report_screenshot.sh exited $rc (77 = skipped: chromium or $PY missing)"
  exit 1
fi
SHOT_BYTES_RAW=$(wc -c < "$SHOT")
SHOT_NOTE="${SHOT_BYTES_RAW} bytes as captured"
if [ "$SHOT_BYTES_RAW" -gt 614400 ]; then
  if "$PY" -c 'import PIL' 2> /dev/null; then
    "$PY" - "$SHOT" <<'PY'
import sys
from PIL import Image
p = sys.argv[1]
im = Image.open(p).convert("RGB")
im = im.crop((0, 0, im.width, min(im.height, 3000)))
im.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(p, optimize=True)
PY
    SHOT_NOTE="$SHOT_BYTES_RAW bytes as captured, $(wc -c < "$SHOT") bytes after cropping to 3000 px and a 256-colour palette"
  else
    SHOT_NOTE="$SHOT_BYTES_RAW bytes (PIL not importable, not shrunk)"
  fi
fi
log "screenshot: $SHOT ($SHOT_NOTE)"
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

{
  printf 'WORDLENS_REPORT_DIR=$TMP/report WORDLENS_SCREENSHOT_OUT=bench/compare_report.png %s\n' \
    "$(cmd_md "${SHOT_CMD[@]}")"
} >> "$TMP/commands.txt"

VERSIONS=$("$PY" -c 'import sys, numpy, scipy; print(f"numpy {numpy.__version__}, scipy {scipy.__version__}, Python {sys.version.split()[0]}")')
CPU=$(sed -n 's/^model name[[:space:]]*: *//p' /proc/cpuinfo | head -n 1)
MODELS_SHOWN=$MODELS
DATA_SHOWN=$(realpath -m --relative-to="$ROOT" "$DATA")
"$PY" - "$TMP" "$STATIC_RUNS" "$(nproc)" "$CPU" "$LOAD_BEFORE" "$LOAD_AFTER" "$REV" "$BUILT" "$VERSIONS" \
  "$MODELS_SHOWN" "$DATA_SHOWN" "$MODELS" "${NAMES[@]}" > "$TMP/section.md" <<'PY'
import csv, datetime, json, statistics, sys
(tmp, runs, ncpu, cpu, load_before, load_after, rev, built, versions, models_shown, data_shown, models) = sys.argv[1:13]
names = sys.argv[13:]
runs = int(runs)

def load(n):
    return json.load(open(f"{tmp}/{n}.out"))

def timing(n):
    s, kib = open(f"{tmp}/{n}.time").read().split()[:2]
    return float(s), int(kib) / 1024

def steps(n):
    rows = list(csv.DictReader(open(f"{models}/{n}.safetensors.csv")))
    return int(rows[-1]["step"]) if rows else None

def label(n):
    if n == "mlm-vectors":
        return "MLM, Word2Vec init (`mlm-vectors`)"
    if n == "mlm-random":
        return "MLM, random init (`mlm-random`)"
    try:
        k = steps(n)
    except OSError:
        k = None
    return f"SimCSE{f', {k} steps' if k else ''} (`{n}`)"

def f2(x):
    return "–" if x is None else f"{x:.2f}"

def thresholds(result):
    # compare --json: {"wic_threshold": {method: {"threshold": t (null = +inf), "train_accuracy": x}}}
    return {m: (float("inf") if t["threshold"] is None else t["threshold"], t["train_accuracy"])
            for m, t in result["wic_threshold"].items()}

res = {n: load(f"model-{n}") for n in names}
thr = {n: thresholds(res[n]) for n in names}
thr_static = thresholds(load("static-1"))
check = load("check-1")
base = res["mlm-vectors"]
now = datetime.datetime.now(datetime.timezone.utc)

L = ["<!-- compare:begin -->", "## Word2Vec averages vs contextual encoder vectors (issue 7): `wordlens compare`", "",
     f"- Date: {now:%Y-%m-%d %H:%M} UTC",
     f"- Machine: {ncpu} CPUs (nproc), {cpu}; load average before/after: {load_before} / {load_after} "
     "(timings are single measurements unless stated)",
     f"- Versions: wordlens {rev} (binary built {built}; a copy in `$TMP` was run); bench/compare_check.py with {versions}",
     f"- Models: `$MODELS` = `{models_shown}`, written by `bench/encoder_train_bench.sh --out $MODELS` "
     "and `bench/simcse_bench.sh --dir $MODELS` (training settings in the sections above)."
     + (" `simcse-small` is not written by these scripts; its step count is from its training log." if "simcse-small" in names else ""),
     f"- Data: `$DATA` = `{data_shown}` (STS-B dev 1,500 pairs; WiC train 5,428 / dev 638 pairs; Lee 50 documents).",
     "- avg and sif (and the static WiC rows) use only `vectors.bin` (+ `vocab.txt` for sif), so they are the same in every row.",
     "", "### Commands (`$TMP` = temporary directory)", "",
     "Each wordlens and numpy run wrapped in `/usr/bin/time -f '%e %M'`; the WiC thresholds are in the same JSON "
     "(`wic_threshold`).", "", "```sh"]
L += [l.rstrip("\n") for l in open(f"{tmp}/commands.txt")]
L += ["```", ""]

L += ["### STS-Benchmark dev: Spearman ×100", "", "| model | avg | sif | encoder-mean | encoder-cls |", "|---|--:|--:|--:|--:|"]
for n in names:
    r = res[n]["sts"]["sts-dev.csv"]
    L.append(f"| {label(n)} | {f2(r['avg'])} | {f2(r['sif'])} | {f2(r['encoder_mean'])} | {f2(r['encoder_cls'])} |")

ts = thr["mlm-vectors"]
L += ["", "### WiC dev (638 pairs, 319 T): accuracy %, threshold chosen on train (one pair = 0.16 points)", "",
      "| model | static | static ±5 | encoder | encoder threshold (train acc. %) |", "|---|--:|--:|--:|--:|"]
for n in names:
    r = res[n]["wic"]["dev"]
    t = thr[n].get("encoder")
    L.append(f"| {label(n)} | {f2(r['static'])} | {f2(r['static_window'])} | {f2(r['encoder'])} | "
             + (f"{t[0]:.4f} ({t[1]:.2f})" if t else "–") + " |")
L += ["", "Static thresholds (train accuracy %): static "
      + f"{ts['static'][0]:.4f} ({ts['static'][1]:.2f}) — the target's vector is the same in both sentences, so this row "
      "is 50% by construction; static ±5 " + f"{ts['static_window'][0]:.4f} ({ts['static_window'][1]:.2f})."]

L += ["", "### Lee (50 documents, 1,225 pairs): Pearson ×100", "",
      "| model | avg | sif | encoder-mean | encoder-cls |", "|---|--:|--:|--:|--:|"]
for n in names:
    r = res[n]["lee"]
    L.append(f"| {label(n)} | {f2(r['avg'])} | {f2(r['sif'])} | {f2(r['encoder_mean'])} | {f2(r['encoder_cls'])} |")

rows = [("STS-B dev avg (Spearman ×100)", base["sts"]["sts-dev.csv"]["avg"], check["sts"]["sts-dev.csv"]["avg"], 5),
        ("WiC dev static (accuracy %)", base["wic"]["dev"]["static"], check["wic"]["dev"]["static"], 5),
        ("WiC dev static ±5 (accuracy %)", base["wic"]["dev"]["static_window"], check["wic"]["dev"]["static_window"], 5),
        ("Lee avg (Pearson ×100)", base["lee"]["avg"], check["lee"]["avg"], 5),
        ("WiC threshold static", thr_static["static"][0], float(check["wic_threshold"]["static"]), 6),
        ("WiC threshold static ±5", thr_static["static_window"][0], float(check["wic_threshold"]["static_window"]), 6)]
L += ["", "### Agreement with an independent numpy computation (`bench/compare_check.py`)", "",
      "| number | wordlens | numpy | abs. difference |", "|---|--:|--:|--:|"]
for lab, a, b, d in rows:
    L.append(f"| {lab} | {a:.{d}f} | {b:.{d}f} | {abs(a - b):.6f} |")
L += ["", "Required: STS-B dev avg difference < 0.005 (the script fails otherwise). "
      f"The static numbers were identical in all {len(names) + runs} wordlens runs and the numpy output in all {runs} runs."]

def med(prefix):
    t = [timing(f"{prefix}-{i}") for i in range(1, runs + 1)]
    return statistics.median(x[0] for x in t), max(x[1] for x in t), ", ".join(f"{x[0]:.2f}" for x in t)

L += ["", "### Timing (whole process: loading the vectors, the model and the data included)", "",
      "| run | wall s | peak RSS MiB |", "|---|--:|--:|"]
for n in names:
    s, m = timing(f"model-{n}")
    L.append(f"| `compare`, {label(n)}{' + `--report`' if n == 'mlm-vectors' else ''} | {s:.2f} | {m:.0f} |")
ws, wm, wruns = med("static")
ns, nm, nruns = med("check")
imps, impm, impruns = med("import")
L += [f"| `compare`, static methods only (median of {runs}: {wruns}) | {ws:.2f} | {wm:.0f} |",
      f"| `compare_check.py`, same static work (median of {runs}: {nruns}) | {ns:.2f} | {nm:.0f} |",
      f"| for reference: `python3 -c 'import numpy; from scipy import stats'` (median of {runs}) | {imps:.2f} | {impm:.0f} |",
      f"| `report_screenshot.sh` (headless Chromium and the checks) | {timing('shot')[0]:.2f} | – |",
      "", f"Static work, wordlens / numpy wall time: **{ws / ns:.2f}×** ({ws:.2f} s vs {ns:.2f} s, runs alternated; "
      f"{'wordlens faster' if ws < ns else 'numpy faster'}). "
      "Both compute the same things: STS avg, WiC static and static ±5 with the train threshold, Lee avg.",
      "", "### Report", "",
      "Top 3000 px of `report.html` rendered by headless Chromium (1200 px wide); the full report (`report.html`, "
      "`report.md`, SVG figures) is generated by the `--report` command above and is not committed.", "",
      "![wordlens compare report, MLM with Word2Vec init](compare_report.png)", "<!-- compare:end -->"]
print("\n".join(L))
PY
"$SCRIPT_DIR/write_section.sh" "$SCRIPT_DIR/RESULTS.md" "$TMP/section.md"
cat "$TMP/section.md"
log "done; report and logs in $TMP (report: $TMP/report/report.html)"
