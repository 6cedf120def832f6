#!/usr/bin/env bash
# encoder_bench.sh -- the wordlens transformer encoder against PyTorch
# (torch.nn.TransformerEncoder, same shapes) on the CPU, plus a
# sequence-length sweep of wordlens alone (full vs sliding-window attention).
#
# Usage:
#   bench/encoder_bench.sh [--wordlens PATH] [--results FILE] [--quick] [--keep-logs]
#
#   --wordlens PATH    wordlens binary (default build/wordlens)
#   --results FILE     markdown file to update (default bench/RESULTS.md); the
#                      plot encoder_seq_sweep.png is written next to it
#   --quick            sweep only up to T = 1024 (the main comparison is unchanged)
#   --keep-logs        keep the temp dir with the per-run JSON and logs
#
# What is measured:
#   main       B=32, T=128, d=256, h=4, L=4, ffn=1024, V=30000, 2 threads, full
#              attention.  `wordlens encoder bench --json` and
#              bench/torch_encoder_bench.py run alternately 3 times each
#              (wl, torch, wl, torch, wl, torch), each with --repeats 5 (one
#              warm-up, median of 5 inside the process).  Reported: the median of
#              the three per-run medians of forward_ms and train_step_ms, speed-up
#              = torch ms / wordlens ms, wordlens forward/train GFLOP/s (its own
#              FLOP count, median of 3) and their fraction of the sgemm GFLOP/s
#              (4096x1024x256 OpenBLAS). wordlens measures that reference
#              around every timed pass (median of 3 calls before the
#              forward, between it and the training step, and after the
#              step; then 0.25 s of rest while OpenBLAS's threads stop
#              spinning) and reports each pass against the mean of the
#              two points around it,
#              since the host's GEMM rate drifts; the fraction shown is the
#              median of the 3 runs' median fractions.  For torch the
#              same FLOP counts are divided by its times ("GFLOP/s at wordlens'
#              FLOP count") and compared with its own torch.matmul sgemm.
#   sweep      T = 64 ... 4096 (--quick: ... 1024), B = 4096 / T (4096 tokens per
#              batch), same model, window 0 (full) and 64; wordlens only,
#              --repeats 3, each run under `/usr/bin/time -f %M` (peak RSS of the
#              whole process: forward and training step, MLM logits included).
#              A failing run is recorded as "failed" and the sweep continues.
#
# python3-torch (Debian, big) and time are installed with apt-get if missing.
# The wordlens binary is copied into the temp dir first, so a concurrent rebuild
# cannot change it mid-benchmark.  The report is written between the markers
#   <!-- encoder-bench:begin --> ... <!-- encoder-bench:end -->
# of RESULTS.md (anything outside the markers is preserved) and printed.
# Run it on an otherwise idle machine: before every run the script samples
# /proc/stat for 1 s and waits (up to 300 s) while other processes keep more
# than 15% of the CPUs busy, and afterwards repeats the run (at most twice) if
# other processes took more than 10% of the CPUs while it ran (busy time in
# /proc/stat minus the run's own user+sys time from /usr/bin/time); waits,
# repeats and the load average are recorded in the report.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(dirname "$SCRIPT_DIR")
TIME=/usr/bin/time
PY=/usr/bin/python3

# ---------------------------------------------------------------- defaults ---
WORDLENS="$REPO_ROOT/build/wordlens"
RESULTS="$SCRIPT_DIR/RESULTS.md"
QUICK=0
KEEP_LOGS=0
RUNS=3            # alternating process runs per tool (main comparison)
MAIN_REPEATS=5    # --repeats inside each main run
SWEEP_REPEATS=3   # --repeats inside each sweep run
SWEEP_TOKENS=4096
SWEEP_WINDOW=64
MODEL=(--dim 256 --heads 4 --layers 4 --ffn-mult 4 --vocab 30000 --threads 2)
MAIN_B=32 MAIN_T=128

BEGIN_MARK='<!-- encoder-bench:begin -->'
END_MARK='<!-- encoder-bench:end -->'

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }
die() { echo "encoder_bench: error: $*" >&2; exit 1; }
log() { echo "[encoder_bench] $*" >&2; }

# ----------------------------------------------------------------- options ---
while (($#)); do
  case "$1" in
    --wordlens)  WORDLENS=${2:?}; shift 2 ;;
    --results)   RESULTS=${2:?}; shift 2 ;;
    --quick)     QUICK=1; shift ;;
    --keep-logs) KEEP_LOGS=1; shift ;;
    -h|--help)   usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
if ((QUICK)); then SWEEP_T=(64 128 256 512 1024); else SWEEP_T=(64 128 256 512 1024 2048 4096); fi

[[ -x $WORDLENS ]] || die "wordlens binary not found at $WORDLENS
  build it first, e.g.:  cmake -S $REPO_ROOT -B $REPO_ROOT/build -DCMAKE_BUILD_TYPE=Release && cmake --build $REPO_ROOT/build -j$(nproc)
  (or pass --wordlens PATH)"
WORDLENS=$(realpath "$WORDLENS")
TORCH_BENCH=$SCRIPT_DIR/torch_encoder_bench.py
[[ -f $TORCH_BENCH ]] || die "$TORCH_BENCH not found"
mkdir -p "$(dirname "$RESULTS")"
RESULTS=$(realpath -m "$RESULTS")
PNG=$(dirname "$RESULTS")/encoder_seq_sweep.png

# ------------------------------------------------------------ dependencies ---
[[ -x $PY ]] || die "$PY not found (apt-get install python3)"
pkgs=()
[[ -x $TIME ]] || pkgs+=(time)
"$PY" -c 'import numpy' 2>/dev/null || pkgs+=(python3-numpy)
"$PY" -c 'import matplotlib' 2>/dev/null || pkgs+=(python3-matplotlib)
if ! "$PY" -c 'import torch' 2>/dev/null; then
  log "PyTorch not found for $PY: installing Debian's python3-torch -- this is BIG (several hundred MB download, >1 GB installed)"
  pkgs+=(python3-torch)
fi
if ((${#pkgs[@]})); then
  log "installing missing packages: ${pkgs[*]}"
  sudo=()
  ((EUID == 0)) || sudo=(sudo)
  "${sudo[@]}" apt-get install -y "${pkgs[@]}" >&2 \
    || { "${sudo[@]}" apt-get update >&2 && "${sudo[@]}" apt-get install -y "${pkgs[@]}" >&2; } \
    || die "apt-get install ${pkgs[*]} failed"
fi
TORCH_PKG=$(dpkg-query -W -f='${Version}' python3-torch 2>/dev/null || echo '?')
OPENBLAS_PKG=$(dpkg-query -W -f='${Version}' libopenblas0-pthread 2>/dev/null || echo '?')

# ----------------------------------------------------------------- tempdir ---
TMP=$(mktemp -d -t encoder-bench.XXXXXX)
cleanup() {
  local rc=$?
  if ((KEEP_LOGS || rc != 0)); then
    echo "encoder_bench: logs kept in $TMP" >&2
  else
    rm -rf "$TMP"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Snapshot the binary (the lead may rebuild build/wordlens while we run).
WL=$TMP/wordlens
cp "$WORDLENS" "$WL"
WL_VERSION=$(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo '(no commit)')
WL_MTIME=$(date -u -r "$WORDLENS" '+%Y-%m-%d %H:%M UTC')
if [[ -n $(git -C "$REPO_ROOT" status --porcelain --untracked-files=no 2>/dev/null) ]]; then
  WL_VERSION+=" + uncommitted changes"
fi
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------- helpers ---
# shellcheck source=bench/common.sh
. "$SCRIPT_DIR/common.sh"  # show_cmd, match_blas_kernels
match_blas_kernels "$WL" > /dev/null  # exports OPENBLAS_CORETYPE: torch gets wordlens' OpenBLAS kernels
BLAS_CORE=$OPENBLAS_CORETYPE
# jget FILE KEY...: fields of the last JSON line of FILE, space-separated.
jget() {
  "$PY" - "$@" <<'EOF'
import json, sys
lines = [l for l in open(sys.argv[1]) if l.lstrip().startswith("{")]
d = json.loads(lines[-1])
print(" ".join(str(d[k]) for k in sys.argv[2:]))
EOF
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END{ if (NR % 2) print a[(NR+1)/2]; else printf "%.2f\n", (a[NR/2]+a[NR/2+1])/2 }'; }
calc() { awk "BEGIN{ printf \"$1\", $2 }"; }   # calc FORMAT EXPR
fmt_list() { local IFS=,; echo "$*" | sed 's/,/, /g'; }

# Busy share (0..1) of all CPUs over 1 s, from /proc/stat (iowait counts as idle).
cpu_busy() {
  local a b
  a=$(head -n1 /proc/stat); sleep 1; b=$(head -n1 /proc/stat)
  awk -v a="$a" -v b="$b" 'BEGIN{ split(a, x); split(b, y); t = 0
    for (i = 2; i <= 9; i++) t += y[i] - x[i]
    idle = (y[5] - x[5]) + (y[6] - x[6])
    printf "%.2f", (t > 0 ? 1 - idle / t : 0) }'
}
# wait_quiet: before each measurement wait (up to QUIET_MAX s) until the other
# processes use less than QUIET_BUSY of the machine; counted for the report.
QUIET_BUSY=0.15 QUIET_MAX=300 QUIET_WAITED=0 NOISY_RUNS=0
wait_quiet() {
  local busy waited=0
  busy=$(cpu_busy)
  while awk -v b="$busy" -v t="$QUIET_BUSY" 'BEGIN{exit !(b > t)}'; do
    if ((waited >= QUIET_MAX)); then
      log "warning: CPU still ${busy} busy after ${waited}s -- measuring anyway"
      NOISY_RUNS=$((NOISY_RUNS + 1))
      return 0
    fi
    ((waited % 30 == 0)) && log "CPU ${busy} busy (other processes) -- waiting for a quiet machine"
    sleep 4
    waited=$((waited + 5))
    busy=$(cpu_busy)
  done
  QUIET_WAITED=$((QUIET_WAITED + waited))
}

# Busy and total jiffies summed over all CPUs (steal counts as busy).
cpu_jiffies() { awk 'NR == 1 { t = 0; for (i = 2; i <= 9; i++) t += $i; print t - $5 - $6, t; exit }' /proc/stat; }
HZ=$(getconf CLK_TCK)
OTHER_MAX=0.10 MAX_RETRIES=2 RETRIES=0 MAX_OTHER=0
# measure NAME CMD...: wait_quiet, then run CMD under /usr/bin/time (stdout
# $TMP/NAME.json, stderr $TMP/NAME.log).  Sets M_RC, M_RSS_KIB and M_OTHER =
# share of all CPUs used by other processes during the run (busy jiffies from
# /proc/stat minus the run's own user+sys time).  A run disturbed by more than
# OTHER_MAX is repeated (at most MAX_RETRIES times).
measure() {
  local name=$1 attempt b0 t0 b1 t1 wall u s
  shift
  for ((attempt = 0; ; attempt++)); do
    wait_quiet
    read -r b0 t0 < <(cpu_jiffies)
    M_RC=0 M_RSS_KIB=0 M_OTHER=0
    "$TIME" -f '%e %U %S %M' -o "$TMP/$name.time" "$@" >"$TMP/$name.json" 2>"$TMP/$name.log" </dev/null || M_RC=$?
    read -r b1 t1 < <(cpu_jiffies)
    ((M_RC == 0)) || return 0
    read -r wall u s M_RSS_KIB < <(tail -n 1 "$TMP/$name.time")
    M_OTHER=$(awk -v b=$((b1 - b0)) -v t=$((t1 - t0)) -v hz="$HZ" -v u="$u" -v s="$s" \
      'BEGIN{ o = b / hz - u - s; if (o < 0) o = 0; printf "%.3f", (t > 0 ? o / (t / hz) : 0) }')
    if awk -v o="$M_OTHER" -v m="$OTHER_MAX" 'BEGIN{exit !(o > m)}'; then
      if ((attempt < MAX_RETRIES)); then
        log "  other processes used $(calc %.0f "100 * $M_OTHER")% of the CPUs during the run -- repeating it"
        RETRIES=$((RETRIES + 1))
        continue
      fi
      log "  warning: still disturbed ($(calc %.0f "100 * $M_OTHER")% other CPU use) after $MAX_RETRIES repeats -- keeping it"
      NOISY_RUNS=$((NOISY_RUNS + 1))
    fi
    MAX_OTHER=$(awk -v a="$MAX_OTHER" -v b="$M_OTHER" 'BEGIN{ m = (b > a) ? b : a; print m }')
    log "  ${wall}s wall, other processes $(calc %.1f "100 * $M_OTHER")% of the CPUs"
    return 0
  done
}

# run_json NAME CMD...: measure; fatal on failure.
run_json() {
  local name=$1
  shift
  measure "$name" "$@"
  if ((M_RC != 0)) || ! grep -q '^{' "$TMP/$name.json"; then
    KEEP_LOGS=1
    die "$name failed (exit $M_RC): $(show_cmd "$@"); log: $TMP/$name.log"
  fi
}

# --------------------------------------------------------- main comparison ---
WL_MAIN=("$WL" encoder bench --batch "$MAIN_B" --seq "$MAIN_T" "${MODEL[@]}" --window 0 --repeats "$MAIN_REPEATS" --json)
TORCH_MAIN=("$PY" "$TORCH_BENCH" --batch "$MAIN_B" --seq "$MAIN_T" "${MODEL[@]}" --window 0 --repeats "$MAIN_REPEATS")

declare -a WF=() WS=() WFG=() WSG=() WGEMM=() WFF=() WSF=() TF=() TS=() TGEMM=() FWD_GFLOP=() STEP_GFLOP=()
for ((i = 1; i <= RUNS; i++)); do
  log "main $i/$RUNS: wordlens"
  run_json "wl-main-$i" "${WL_MAIN[@]}"
  read -r f s fg sg g ff sf < <(jget "$TMP/wl-main-$i.json" forward_ms train_step_ms forward_gflops train_gflops sgemm_gflops \
    forward_of_sgemm train_of_sgemm)
  WF+=("$f") WS+=("$s") WFG+=("$fg") WSG+=("$sg") WGEMM+=("$g") WFF+=("$ff") WSF+=("$sf")
  # FLOPs of one forward / one step as counted by wordlens (GFLOP).
  FWD_GFLOP+=("$(calc %.4f "$fg * $f / 1000")") STEP_GFLOP+=("$(calc %.4f "$sg * $s / 1000")")
  log "  forward $f ms, step $s ms, $fg / $sg GFLOP/s, sgemm $g GFLOP/s, fractions $ff / $sf"
  log "main $i/$RUNS: torch"
  run_json "torch-main-$i" "${TORCH_MAIN[@]}"
  read -r f s g TORCH_VERSION < <(jget "$TMP/torch-main-$i.json" forward_ms train_step_ms sgemm_gflops torch_version)
  TF+=("$f") TS+=("$s") TGEMM+=("$g")
  log "  forward $f ms, step $s ms, sgemm $g GFLOP/s"
done

WL_F=$(median "${WF[@]}") WL_S=$(median "${WS[@]}")
T_F=$(median "${TF[@]}") T_S=$(median "${TS[@]}")
WL_FG=$(median "${WFG[@]}") WL_SG=$(median "${WSG[@]}") WL_GEMM=$(median "${WGEMM[@]}")
T_GEMM=$(calc %.1f "$(median "${TGEMM[@]}")")
FWD_GF=$(calc %.2f "$(median "${FWD_GFLOP[@]}")") STEP_GF=$(calc %.2f "$(median "${STEP_GFLOP[@]}")")
SPEEDUP_F=$(calc %.2f "$T_F / $WL_F") SPEEDUP_S=$(calc %.2f "$T_S / $WL_S")
WL_FPCT=$(calc %.0f "100 * $(median "${WFF[@]}")") WL_SPCT=$(calc %.0f "100 * $(median "${WSF[@]}")")
T_FG=$(calc %.1f "$FWD_GF * 1000 / $T_F") T_SG=$(calc %.1f "$STEP_GF * 1000 / $T_S")
T_FPCT=$(calc %.0f "100 * $T_FG / $T_GEMM") T_SPCT=$(calc %.0f "100 * $T_SG / $T_GEMM")

# ------------------------------------------------------------------- sweep ---
SWEEP_TSV=$TMP/sweep.tsv
printf 'T\tB\twindow\tforward_ms\tstep_ms\trss_mib\n' >"$SWEEP_TSV"
declare -A SW=()   # SW[T,w,field]
sweep_cmd() { printf '%s\n' "$WL" encoder bench --batch "$2" --seq "$1" "${MODEL[@]}" --window "$3" --repeats "$SWEEP_REPEATS" --json; }
for T in "${SWEEP_T[@]}"; do
  B=$((SWEEP_TOKENS / T))
  for w in 0 "$SWEEP_WINDOW"; do
    name="sweep-T$T-w$w"
    mapfile -t cmd < <(sweep_cmd "$T" "$B" "$w")
    log "sweep T=$T B=$B window=$w"
    measure "$name" "${cmd[@]}"
    rc=$M_RC
    if ((rc == 0)) && grep -q '^{' "$TMP/$name.json"; then
      read -r f s < <(jget "$TMP/$name.json" forward_ms train_step_ms)
      rss=$(calc %.0f "$M_RSS_KIB / 1024")
      log "  forward $f ms, step $s ms, peak RSS $rss MiB"
    else
      KEEP_LOGS=1
      f=failed s=failed rss=failed
      log "  FAILED (exit $rc): $(tail -n 3 "$TMP/$name.log" "$TMP/$name.time" 2>/dev/null | tr '\n' ' ')"
    fi
    SW[$T,$w,f]=$f SW[$T,$w,s]=$s SW[$T,$w,r]=$rss
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$T" "$B" "$w" "$f" "$s" "$rss" >>"$SWEEP_TSV"
  done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# -------------------------------------------------------------------- plot ---
log "plot: $PNG"
"$PY" - "$SWEEP_TSV" "$PNG" "$SWEEP_TOKENS" "$SWEEP_WINDOW" <<'EOF'
import csv, sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.ticker import FixedLocator, FixedFormatter, NullLocator, FuncFormatter, LogLocator, NullFormatter

tsv, png, tokens, window = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rows = list(csv.DictReader(open(tsv), delimiter="\t"))
Ts = sorted({int(r["T"]) for r in rows})

def series(w, key):
    xs, ys = [], []
    for r in rows:
        if int(r["window"]) == w and r[key] != "failed":
            xs.append(int(r["T"])); ys.append(float(r[key]))
    return xs, ys

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.4))
styles = {0: dict(color="tab:red", marker="o", label="full attention"),
          window: dict(color="tab:blue", marker="s", label=f"sliding window w={window}")}
for w, st in styles.items():
    x, y = series(w, "step_ms")
    ax1.plot(x, y, "-", lw=2, **st)
    x, y = series(w, "forward_ms")
    ax1.plot(x, y, "--", lw=1.2, color=st["color"], marker=st["marker"], ms=4, alpha=0.6,
             label=st["label"] + " (forward only)")
    x, y = series(w, "rss_mib")
    ax2.plot(x, y, "-", lw=2, **st)
# failed points: mark along the bottom axis
for w, st in styles.items():
    bad = [int(r["T"]) for r in rows if int(r["window"]) == w and r["step_ms"] == "failed"]
    for ax in (ax1, ax2):
        for t in bad:
            ax.axvline(t, color=st["color"], ls=":", lw=1)
            ax.annotate("failed", (t, 0.02), xycoords=("data", "axes fraction"), color=st["color"],
                        rotation=90, fontsize=8, ha="right")

ax1.set_title("time per MLM training step (solid) and forward (dashed)")
ax1.set_ylabel("ms")
ax2.set_title("peak RSS of the whole process")
ax2.set_ylabel("MiB")
for ax in (ax1, ax2):
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.xaxis.set_major_locator(FixedLocator(Ts))
    ax.xaxis.set_major_formatter(FixedFormatter([str(t) for t in Ts]))
    ax.xaxis.set_minor_locator(NullLocator())
    # plain-number y ticks (1-1.5-2-3-5 per decade, thinned to <= 10 labels)
    lo, hi = ax.get_ylim()
    cand = [m * 10 ** e for e in range(0, 7) for m in (1, 1.5, 2, 3, 4, 5, 6, 8)]
    ticks = [v for v in cand if lo <= v <= hi]
    while len(ticks) > 10:
        ticks = ticks[::2]
    ax.yaxis.set_major_locator(FixedLocator(ticks))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.yaxis.set_minor_locator(LogLocator(base=10, subs=(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0)))
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel(f"sequence length T  (batch B = {tokens}/T)")
    ax.grid(True, which="both", alpha=0.3)
ax1.legend(fontsize=8, loc="upper left")
ax2.legend(fontsize=8, loc="upper left")
fig.suptitle(f"wordlens encoder, sequence-length sweep, tokens per batch constant = {tokens} "
             f"(d=256, h=4, L=4, ffn=1024, V=30000, 2 threads)\n"
             f"full attention grows with T (O(B·T²) = O({tokens}·T)); the sliding window stays flat (O({tokens}·w))",
             fontsize=10)
fig.tight_layout()
fig.savefig(png, dpi=90)
EOF
PNG_KB=$(( $(stat -c %s "$PNG") / 1024 ))
((PNG_KB < 150)) || log "warning: $PNG is ${PNG_KB} KiB (>= 150 KiB)"

# ------------------------------------------------------------------ report ---
SECTION=$TMP/section.md
{
  echo "$BEGIN_MARK"
  echo "## Transformer encoder: wordlens vs PyTorch, and a sequence-length sweep"
  echo
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC')$( ((QUICK)) && echo ' (--quick: sweep up to T = 1024)')"
  echo "- Machine: $(nproc) CPUs (nproc), $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -n1), $(uname -sr); load average before/after: $LOAD_BEFORE / $LOAD_AFTER; before each run the script waits until other processes use < $(calc %.0f "100 * $QUIET_BUSY")% of the CPUs (waited ${QUIET_WAITED} s in total), and repeats a run (at most $MAX_RETRIES times) if other processes took > $(calc %.0f "100 * $OTHER_MAX")% of the CPUs during it (/proc/stat busy time minus the run's own CPU time): $RETRIES repeats, $NOISY_RUNS runs kept although disturbed, worst kept run $(calc %.1f "100 * $MAX_OTHER")% other CPU use"
  echo "- Versions: wordlens $WL_VERSION (binary built $WL_MTIME; OpenBLAS $OPENBLAS_PKG, pthread, kernels $BLAS_CORE for both tools: \`OPENBLAS_CORETYPE=$BLAS_CORE\`); PyTorch $TORCH_VERSION (Debian python3-torch $TORCH_PKG)"
  echo "- Model: d=256, h=4, L=4, ffn=1024, V=30000, pre-norm, GELU, no dropout, float32, 2 threads. Forward = full forward pass (PyTorch: eval() + no_grad(), its fused fast path); train step = forward + tied-embedding MLM loss at ~15% masked positions + backward + AdamW (wordlens also clips the gradient norm to 1)."
  echo "- Main comparison: B=32, T=128, full attention; $RUNS process runs per tool, alternating wordlens/torch, each with --repeats $MAIN_REPEATS (1 warm-up, median inside the run); the table shows the median of the $RUNS per-run medians."
  echo "- GFLOP/s use wordlens' FLOP count ($FWD_GF GFLOP per forward, $STEP_GF GFLOP per train step: 3 × forward + 3 × the masked-row logits GEMM); PyTorch's column divides the same counts by its times. sgemm = plain 4096×1024×256 float32 GEMM with 2 threads measured in the same runs (wordlens: OpenBLAS \`cblas_sgemm\`; torch: \`torch.matmul\`), median of the $RUNS runs."
  echo
  echo "### Commands (\`\$TMP\` = temporary directory holding a copy of the binary)"
  echo
  echo '```sh'
  echo "# main comparison, run alternately $RUNS times each"
  echo "$(show_cmd "${WL_MAIN[@]}")"
  echo "$(show_cmd "${TORCH_MAIN[@]}")"
  echo "# sweep: T in ${SWEEP_T[*]}, B = $SWEEP_TOKENS/T, W in 0 $SWEEP_WINDOW"
  echo "/usr/bin/time -f %M $(show_cmd "$WL" encoder bench --batch B --seq T "${MODEL[@]}" --window W --repeats "$SWEEP_REPEATS" --json)"
  echo '```'
  echo
  echo "### Main comparison (B=32, T=128, full attention)"
  echo
  echo "| | forward ms | train step ms | forward GFLOP/s | train GFLOP/s | sgemm GFLOP/s | forward % of sgemm | train % of sgemm |"
  echo "|---|--:|--:|--:|--:|--:|--:|--:|"
  echo "| wordlens | $WL_F | $WL_S | $WL_FG | $WL_SG | $WL_GEMM | $WL_FPCT% | $WL_SPCT% |"
  echo "| PyTorch $TORCH_VERSION | $T_F | $T_S | $T_FG | $T_SG | $T_GEMM | $T_FPCT% | $T_SPCT% |"
  echo "| **speed-up** (torch ms / wordlens ms) | **${SPEEDUP_F}×** | **${SPEEDUP_S}×** | | | | | |"
  echo
  echo "Per-run medians (ms) — wordlens forward: $(fmt_list "${WF[@]}"); step: $(fmt_list "${WS[@]}"). PyTorch forward: $(fmt_list "${TF[@]}"); step: $(fmt_list "${TS[@]}")."
  echo "sgemm GFLOP/s per run — wordlens: $(fmt_list "${WGEMM[@]}") (median of its reference points, measured around every timed pass); torch: $(fmt_list "${TGEMM[@]}") (after its runs)."
  echo "wordlens' % of sgemm: each timed pass's GFLOP/s (forward; training step) over the mean of the sgemm reference measured just before and just after that pass, median over the repetitions, then over the runs — forward per run: $(fmt_list "${WFF[@]}"); train step: $(fmt_list "${WSF[@]}"). PyTorch's: its median GFLOP/s over its median sgemm."
  echo
  echo "### Sequence-length sweep (wordlens; $SWEEP_TOKENS tokens per batch, B = $SWEEP_TOKENS/T, --repeats $SWEEP_REPEATS)"
  echo
  echo "| T | B | full fwd ms | full step ms | full RSS MiB | w=$SWEEP_WINDOW fwd ms | w=$SWEEP_WINDOW step ms | w=$SWEEP_WINDOW RSS MiB |"
  echo "|--:|--:|--:|--:|--:|--:|--:|--:|"
  for T in "${SWEEP_T[@]}"; do
    echo "| $T | $((SWEEP_TOKENS / T)) | ${SW[$T,0,f]} | ${SW[$T,0,s]} | ${SW[$T,0,r]} | ${SW[$T,$SWEEP_WINDOW,f]} | ${SW[$T,$SWEEP_WINDOW,s]} | ${SW[$T,$SWEEP_WINDOW,r]} |"
  done
  echo
  echo "Peak RSS = \`/usr/bin/time -f %M\` of the whole \`encoder bench\` process (model, AdamW state, activations saved for backward incl. the attention probabilities B·H·T·key_width floats per layer, MLM logits). With the token count fixed, full attention costs O(B·T²) = O($SWEEP_TOKENS·T) time and memory, i.e. it grows linearly in T here (quadratically per sequence); the window keeps it O($SWEEP_TOKENS·w), flat in T. At T ≤ 2w+1 the window covers the whole sequence."
  echo
  echo "![sequence-length sweep]($(basename "$PNG"))"
  echo "$END_MARK"
} >"$SECTION"

"$SCRIPT_DIR/write_section.sh" "$RESULTS" "$SECTION"

sed -e "/^$BEGIN_MARK\$/d" -e "/^$END_MARK\$/d" "$SECTION"
log "wrote $RESULTS and $PNG (${PNG_KB} KiB)"
