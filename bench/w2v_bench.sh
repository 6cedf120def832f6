#!/usr/bin/env bash
# w2v_bench.sh -- run Word2Vec trainers side by side on one corpus and record
# speed (wall time, words/s, peak RSS) and quality (Google analogies,
# WordSim-353) in a markdown table inside bench/RESULTS.md.
#
# Usage:
#   bench/w2v_bench.sh [--corpus FILE] [--threads 2] [--modes "sg cbow hs"]
#                      [--tools "wordlens word2vec.c gensim fasttext"]   (also: wordlens-batch)
#                      [--wordlens PATH] [--questions FILE] [--wordsim FILE]
#                      [--results FILE] [--keep-logs]
#
# Tools:  wordlens   build/wordlens train <word2vec.c flags>
#         wordlens-batch  the same with --update batch (issue 16: skip-gram's
#                    contexts share the negatives and the Huffman path, CBOW's
#                    neighbouring windows the negatives); in the default list
#         word2vec.c original C code (npm package "word2vec"), compiled in a temp dir
#         gensim     bench/gensim_train.py (gensim.models.Word2Vec)
#         fasttext   Debian "fasttext" CLI with subwords disabled (-minn 0 -maxn 0)
# Modes:  sg   skip-gram, negative sampling  (alpha 0.025)
#         cbow CBOW, negative sampling       (alpha 0.05)
#         hs   skip-gram, hierarchical softmax, no negatives (alpha 0.025;
#              not run for fastText)
#
# Tools run strictly one after another; each run is wrapped in
# `/usr/bin/time -f '%e %M'`. GFLOP/s: the updates' nominal arithmetic as
# wordlens counts it (`train --json` "flops": 6 × size per score of an input
# vector against a target row, 4 × size per CBOW context row) / wall s; the
# peers do the same work as `wordlens` (--update pair, word2vec.c's
# algorithm), so their rows use its count; wordlens-batch uses its own. The
# fraction is of the machine's sgemm rate (numpy float32 1024×1024 matmul,
# --threads OpenBLAS threads, median of 10, before and after the runs).  A failing tool is recorded as "failed" and the
# benchmark continues; per-run logs are then kept and their path printed.
# The table is written between the markers
#   <!-- w2v-bench:begin --> ... <!-- w2v-bench:end -->
# of RESULTS.md (anything outside the markers is preserved).
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(dirname "$SCRIPT_DIR")
PY=/usr/bin/python3
. "$SCRIPT_DIR/common.sh"  # sgemm_gflops (show_cmd is redefined below)
TIME=/usr/bin/time

# ---------------------------------------------------------------- defaults ---
CORPUS="$REPO_ROOT/../shared/data/corpus/bench.txt"
QUESTIONS="$REPO_ROOT/../shared/data/eval/questions-words.txt"
WORDSIM="$REPO_ROOT/../shared/data/eval/wordsim353.txt"
THREADS=2
MODES="sg cbow hs"
TOOLS="wordlens wordlens-batch word2vec.c gensim fasttext"
WORDLENS="$REPO_ROOT/build/wordlens"
RESULTS="$SCRIPT_DIR/RESULTS.md"
KEEP_LOGS=0

# Hyper-parameters shared by every tool and mode.
SIZE=100 WINDOW=5 NEGATIVE=5 SAMPLE=1e-4 ITER=5 MIN_COUNT=5
RESTRICT_VOCAB=30000   # analogy evaluation: top-N words only

BEGIN_MARK='<!-- w2v-bench:begin -->'
END_MARK='<!-- w2v-bench:end -->'

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }
die() { echo "w2v_bench: error: $*" >&2; exit 1; }
log() { echo "[w2v_bench] $*" >&2; }

# ----------------------------------------------------------------- options ---
while (($#)); do
  case "$1" in
    --corpus)    CORPUS=${2:?}; shift 2 ;;
    --threads)   THREADS=${2:?}; shift 2 ;;
    --modes)     MODES=${2:?}; shift 2 ;;
    --tools)     TOOLS=${2:?}; shift 2 ;;
    --wordlens)  WORDLENS=${2:?}; shift 2 ;;
    --questions) QUESTIONS=${2:?}; shift 2 ;;
    --wordsim)   WORDSIM=${2:?}; shift 2 ;;
    --results)   RESULTS=${2:?}; shift 2 ;;
    --keep-logs) KEEP_LOGS=1; shift ;;
    -h|--help)   usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done

[[ $THREADS =~ ^[1-9][0-9]*$ ]] || die "--threads must be a positive integer"
read -r -a MODE_LIST <<<"$MODES"
read -r -a TOOL_LIST <<<"$TOOLS"
((${#MODE_LIST[@]})) || die "--modes is empty"
((${#TOOL_LIST[@]})) || die "--tools is empty"
for m in "${MODE_LIST[@]}"; do
  [[ $m == sg || $m == cbow || $m == hs ]] || die "unknown mode '$m' (expected sg, cbow, hs)"
done
for t in "${TOOL_LIST[@]}"; do
  case "$t" in wordlens|wordlens-batch|word2vec.c|gensim|fasttext) ;; *)
    die "unknown tool '$t' (expected wordlens, wordlens-batch, word2vec.c, gensim, fasttext)" ;; esac
done
has_tool() { [[ " ${TOOL_LIST[*]} " == *" $1 "* ]]; }

# Missing corpus is not an error (e.g. CI without the shared data set).
if [[ ! -f $CORPUS ]]; then
  echo "w2v_bench: skipping: corpus $CORPUS not found"
  exit 0
fi
CORPUS=$(realpath "$CORPUS")
[[ -f $QUESTIONS ]] && QUESTIONS=$(realpath "$QUESTIONS") || log "warning: $QUESTIONS not found; analogy column will be n/a"
[[ -f $WORDSIM ]] && WORDSIM=$(realpath "$WORDSIM") || log "warning: $WORDSIM not found; WS-353 column will be n/a"

if has_tool wordlens || has_tool wordlens-batch; then
  [[ -x $WORDLENS ]] || die "wordlens binary not found at $WORDLENS
  build it first, e.g.:  cmake -S $REPO_ROOT -B $REPO_ROOT/build -DCMAKE_BUILD_TYPE=Release && cmake --build $REPO_ROOT/build -j$(nproc)
  (or pass --wordlens PATH, or drop wordlens from --tools)"
  WORDLENS=$(realpath "$WORDLENS")
fi

# -------------------------------------------------------------- temp dirs ---
# $TMP_ROOT/build: word2vec.c sources+binary; out: vectors; logs: per-run logs.
TMP_ROOT=$(mktemp -d -t w2v-bench.XXXXXX)
BUILD_DIR=$TMP_ROOT/build OUT_DIR=$TMP_ROOT/out LOG_DIR=$TMP_ROOT/logs
mkdir -p "$BUILD_DIR" "$OUT_DIR" "$LOG_DIR"
FAILURES=0
cleanup() {
  local rc=$?
  rm -rf "$BUILD_DIR" "$OUT_DIR"
  if ((FAILURES > 0 || KEEP_LOGS || rc != 0)); then
    echo "w2v_bench: per-run logs kept in $LOG_DIR" >&2
  else
    rm -rf "$TMP_ROOT"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------ dependencies ---
# Install only what is missing (Debian packages).
ensure_packages() {
  local pkgs=()
  [[ -x $TIME ]] || pkgs+=(time)
  if has_tool fasttext && ! command -v fasttext >/dev/null; then pkgs+=(fasttext); fi
  # gensim/numpy/scipy are needed for evaluation even when gensim is not benchmarked.
  local mod
  for mod in gensim numpy scipy; do
    "$PY" -c "import $mod" 2>/dev/null || pkgs+=("python3-$mod")
  done
  if ((${#pkgs[@]})); then
    log "installing missing packages: ${pkgs[*]}"
    local sudo=()
    ((EUID == 0)) || sudo=(sudo)
    "${sudo[@]}" apt-get install -y "${pkgs[@]}" >&2
  fi
}
ensure_packages

# word2vec.c: fetch the npm package "word2vec" (ships Mikolov's src/word2vec.c)
# and compile it inside the temp dir.  Sets W2V_BIN / W2V_VERSION.
W2V_BIN="" W2V_VERSION=""
build_word2vec_c() {
  local blog=$LOG_DIR/word2vec.c-build.log
  log "building word2vec.c (npm pack word2vec) in $BUILD_DIR"
  if W2V_BIN=$("$SCRIPT_DIR/build_word2vec_c.sh" "$BUILD_DIR" 2>"$blog"); then
    W2V_VERSION=$(cat "$BUILD_DIR/VERSION")
  else
    log "word2vec.c build FAILED (see $blog); its rows will be marked failed"
    FAILURES=$((FAILURES + 1))
  fi
}
if has_tool word2vec.c; then build_word2vec_c; fi

# ------------------------------------------------------------- corpus info ---
cat "$CORPUS" >/dev/null          # warm the page cache so the first tool is not penalised
CORPUS_WORDS=$(wc -w <"$CORPUS")
CORPUS_BYTES=$(stat -c %s "$CORPUS")
TRAIN_WORDS=$((CORPUS_WORDS * ITER))

# ---------------------------------------------------------- command lines ---
# mode -> "cbow hs negative alpha"
mode_params() {
  case "$1" in
    sg)   echo "0 0 $NEGATIVE 0.025" ;;
    cbow) echo "1 0 $NEGATIVE 0.05" ;;
    hs)   echo "0 1 0 0.025" ;;
  esac
}

# make_cmd MODE TOOL OUTBASE -> sets CMD (array) and OUTVEC; returns 1 if the
# tool is not run in this mode.
make_cmd() {
  local mode=$1 tool=$2 base=$3 cbow hs neg alpha
  read -r cbow hs neg alpha <<<"$(mode_params "$mode")"
  # Identical flag set for word2vec.c and wordlens (alpha passed explicitly).
  local w2v_flags=(-train "$CORPUS" -output "$base.bin" -binary 1 -size "$SIZE"
                   -window "$WINDOW" -sample "$SAMPLE" -negative "$neg" -hs "$hs"
                   -cbow "$cbow" -iter "$ITER" -min-count "$MIN_COUNT"
                   -threads "$THREADS" -alpha "$alpha")
  OUTVEC=$base.bin
  case "$tool" in
    wordlens)   CMD=("$WORDLENS" train "${w2v_flags[@]}" --json) ;;
    wordlens-batch) CMD=("$WORDLENS" train "${w2v_flags[@]}" --update batch --json) ;;
    word2vec.c) CMD=("${W2V_BIN:-word2vec}" "${w2v_flags[@]}") ;;
    gensim)     CMD=("$PY" "$SCRIPT_DIR/gensim_train.py" --corpus "$CORPUS" --output "$base.bin"
                     --mode "$mode" --threads "$THREADS" --size "$SIZE" --window "$WINDOW"
                     --negative "$neg" --sample "$SAMPLE" --iter "$ITER"
                     --min-count "$MIN_COUNT" --alpha "$alpha") ;;
    fasttext)
      [[ $mode == hs ]] && return 1     # fastText's hs is not part of this comparison
      local sub=skipgram
      [[ $cbow == 1 ]] && sub=cbow
      CMD=(fasttext "$sub" -input "$CORPUS" -output "$base" -dim "$SIZE" -ws "$WINDOW"
           -neg "$NEGATIVE" -t "$SAMPLE" -epoch "$ITER" -minCount "$MIN_COUNT"
           -thread "$THREADS" -minn 0 -maxn 0 -lr "$alpha")
      OUTVEC=$base.vec ;;
  esac
}

# Human-readable command: temp paths -> $OUT, repo paths -> relative.
show_cmd() {
  local s
  s=$(printf '%q ' "$@")
  s=${s% }
  s=${s//"$OUT_DIR"/\$OUT}
  [[ -n $W2V_BIN ]] && s=${s//"$W2V_BIN"/word2vec}
  s=${s//"$REPO_ROOT/"/}
  printf '%s' "$s"
}

# ------------------------------------------------------------- formatting ---
# fmt_eval JSON -> "words/s<TAB>analogy cell<TAB>ws353 cell"
fmt_eval() {
  "$PY" - "$1" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
wps = d.get("words_per_sec")
if wps is None:
    w = "n/a"
elif wps >= 1e6:
    w = "%.2fM" % (wps / 1e6)
else:
    w = "%.0fk" % (wps / 1e3)
if d.get("analogy_acc") is None:
    a = "n/a"
else:
    seen = d["analogy_acc_seen"]
    a = "%.2f%% (%s on %d seen)" % (100 * d["analogy_acc"],
        "n/a" if seen is None else "%.2f%%" % (100 * seen), d["analogy_seen"])
if d.get("ws353_spearman") is None:
    s = "n/a"
else:
    s = "%.3f" % d["ws353_spearman"]
    if d.get("ws353_oov_pct"):
        s += " (%.1f%% OOV)" % d["ws353_oov_pct"]
print("\t".join([w, a, s]))
EOF
}

# ------------------------------------------------------------------- runs ---
declare -A WALL RSS WPS ACC WS STATUS CMDS FLOPS
RAN_KEYS=()

run_one() {
  local mode=$1 tool=$2 key="$1-$2"
  local base=$OUT_DIR/$key logf=$LOG_DIR/$key.log timef=$LOG_DIR/$key.time
  make_cmd "$mode" "$tool" "$base" || return 0
  RAN_KEYS+=("$key")
  CMDS[$key]=$(show_cmd "${CMD[@]}")
  WALL[$key]="" RSS[$key]="" WPS[$key]="" ACC[$key]="" WS[$key]=""

  if [[ $tool == word2vec.c && -z $W2V_BIN ]]; then
    STATUS[$key]="failed (build)"; return 0
  fi
  log "[$mode] $tool: ${CMDS[$key]}"
  local rc=0
  "$TIME" -f '%e %M' -o "$timef" "${CMD[@]}" >"$logf" 2>&1 || rc=$?
  # GNU time writes "Command exited with non-zero status N" before the numbers.
  local wall rss
  read -r wall rss < <(tail -n 1 "$timef" 2>/dev/null || true) || true
  if ((rc != 0)) || [[ ! -s $OUTVEC ]]; then
    log "[$mode] $tool FAILED (exit $rc); log: $logf"
    STATUS[$key]="failed"; FAILURES=$((FAILURES + 1))
    return 0
  fi
  STATUS[$key]=ok WALL[$key]=$wall RSS[$key]=$rss
  if [[ $tool == wordlens* ]]; then  # its --json summary: the nominal flops
    FLOPS[$key]=$(grep '^{"vocab_size"' "$logf" | "$PY" -c 'import json, sys; print(json.load(sys.stdin)["flops"])') || FLOPS[$key]=""
  fi
  log "[$mode] $tool: ${wall}s, $((rss / 1024)) MiB; evaluating $OUTVEC"

  local ej=$LOG_DIR/$key.eval.json eval_args=()
  [[ -f $QUESTIONS ]] && eval_args+=(--questions "$QUESTIONS")
  [[ -f $WORDSIM ]] && eval_args+=(--wordsim "$WORDSIM")
  if "$PY" "$SCRIPT_DIR/eval_vectors.py" "$OUTVEC" "${eval_args[@]}" \
       --restrict-vocab "$RESTRICT_VOCAB" --train-words "$TRAIN_WORDS" --wall "$wall" \
       >"$ej" 2>"$LOG_DIR/$key.eval.log"; then
    IFS=$'\t' read -r "WPS[$key]" "ACC[$key]" "WS[$key]" < <(fmt_eval "$ej")
  else
    log "[$mode] $tool: evaluation FAILED; log: $LOG_DIR/$key.eval.log"
    WPS[$key]=$(awk -v n="$TRAIN_WORDS" -v s="$wall" 'BEGIN{printf "%.0fk", n/s/1e3}')
    ACC[$key]="eval failed" WS[$key]="eval failed"; FAILURES=$((FAILURES + 1))
  fi
  rm -f "$base".*    # vectors can be large; drop them once evaluated
}

SGEMM_BEFORE=$(sgemm_gflops "$THREADS")
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for mode in "${MODE_LIST[@]}"; do
  for tool in "${TOOL_LIST[@]}"; do
    run_one "$mode" "$tool"
  done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
SGEMM_AFTER=$(sgemm_gflops "$THREADS")
SGEMM=$(awk -v a="$SGEMM_BEFORE" -v b="$SGEMM_AFTER" 'BEGIN{printf "%.1f", (a + b) / 2}')

# ------------------------------------------------------------------ report ---
SECTION=$TMP_ROOT/section.md
{
  echo "$BEGIN_MARK"
  echo "## Word2Vec trainers side by side"
  echo
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- Machine: $(nproc) CPUs (nproc), $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -n1), $(uname -sr); load average before / after: $LOAD_BEFORE / $LOAD_AFTER"
  echo "- sgemm (numpy float32 1024×1024, $THREADS threads, median of 10): $SGEMM_BEFORE GFLOP/s before, $SGEMM_AFTER after; the fraction below is of their mean, $SGEMM"
  echo "- Corpus: \`$CORPUS\`, $CORPUS_WORDS words (\`wc -w\`), $(awk -v b="$CORPUS_BYTES" 'BEGIN{printf "%.1f", b/1048576}') MiB"
  echo "- Settings (all tools): size $SIZE, window $WINDOW, negative $NEGATIVE (0 for hs), sample $SAMPLE, iter $ITER, min-count $MIN_COUNT, threads $THREADS; alpha 0.025 (sg, hs) / 0.05 (cbow)"
  vers=()
  { has_tool wordlens || has_tool wordlens-batch; } && vers+=("wordlens $(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo '(no commit)')")
  has_tool word2vec.c && vers+=("word2vec.c (npm word2vec ${W2V_VERSION:-?}, gcc -O3 -march=native -funroll-loops)")
  has_tool gensim && vers+=("gensim $("$PY" -c 'import gensim; print(gensim.__version__)')")
  has_tool fasttext && vers+=("fastText $(dpkg-query -W -f='${Version}' fasttext 2>/dev/null || echo '?')")
  vers_str=$(printf '%s; ' "${vers[@]}")
  echo "- Versions: ${vers_str%; }"
  echo "- Wall time includes vocabulary building (and interpreter start-up for gensim); words/s = corpus words × iter / wall s."
  echo "- Analogy: \`$(basename "$QUESTIONS")\`, top $RESTRICT_VOCAB words, case-insensitive, 3CosAdd; accuracy = correct / all questions (OOV counted wrong); in parentheses gensim's accuracy over the questions it could answer."
  echo "- WS-353: Spearman ρ on \`$(basename "$WORDSIM")\` (OOV pairs skipped, share shown if any)."
  echo "- Last column: wordlens wall time / this tool's wall time (< 1× means wordlens is faster)."
  has_tool fasttext && [[ " ${MODE_LIST[*]} " == *" hs "* ]] && echo "- fastText is not run in the hs mode."
  if has_tool wordlens-batch; then echo "- wordlens-batch: wordlens with \`--update batch\` (issue 16: skip-gram's contexts share the negatives and the Huffman path; CBOW's 4 neighbouring windows share the negatives). Not the default: see the quality table of the batched updates."; fi
  echo "- GFLOP/s: nominal flops (wordlens' \`train --json\` count for this mode; wordlens-batch its own) / wall s; peers are credited with wordlens' count for the same work."
  echo
  echo "### Commands (\`\$OUT\` = temporary output directory)"
  for mode in "${MODE_LIST[@]}"; do
    echo
    echo "**$mode**"
    echo
    echo '```sh'
    for key in "${RAN_KEYS[@]}"; do
      [[ $key == "$mode-"* ]] && echo "${CMDS[$key]}"
    done
    echo '```'
  done
  echo
  echo "### Results"
  echo
  echo "| mode | tool | wall s | words/s | peak RSS MiB | analogy acc (OOV=wrong) | WS-353 ρ | GFLOP/s | of sgemm | wordlens × |"
  echo "|---|---|--:|--:|--:|---|--:|--:|--:|--:|"
  for mode in "${MODE_LIST[@]}"; do
    wl_key="$mode-wordlens"
    wl_wall=""
    [[ ${STATUS[$wl_key]:-} == ok ]] && wl_wall=${WALL[$wl_key]}
    for tool in "${TOOL_LIST[@]}"; do
      key="$mode-$tool"
      [[ -n ${STATUS[$key]:-} ]] || continue      # not run in this mode
      if [[ ${STATUS[$key]} != ok ]]; then
        echo "| $mode | $tool | ${STATUS[$key]} | – | – | – | – | – | – | – |"
        continue
      fi
      ratio="n/a"
      [[ -n $wl_wall ]] && ratio=$(awk -v a="$wl_wall" -v b="${WALL[$key]}" \
                                     'BEGIN{ if (b > 0) printf "%.2f×", a/b; else print "n/a" }')
      rss_mib=$(awk -v k="${RSS[$key]}" 'BEGIN{printf "%.0f", k/1024}')
      flops=${FLOPS[$key]:-${FLOPS[$wl_key]:-}}
      gf="n/a" frac="n/a"
      if [[ -n $flops ]]; then
        gf=$(awk -v f="$flops" -v w="${WALL[$key]}" 'BEGIN{printf "%.1f", f / w / 1e9}')
        frac=$(awk -v g="$gf" -v s="$SGEMM" 'BEGIN{printf "%.3f", g / s}')
      fi
      echo "| $mode | $tool | ${WALL[$key]} | ${WPS[$key]} | $rss_mib | ${ACC[$key]} | ${WS[$key]} | $gf | $frac | $ratio |"
    done
  done
  echo "$END_MARK"
} >"$SECTION"

# Insert/replace the marked section, preserving the rest of RESULTS.md.
"$SCRIPT_DIR/write_section.sh" "$RESULTS" "$SECTION"

# Echo the table (and the header notes) to stdout as well.
sed -e "/^$BEGIN_MARK\$/d" -e "/^$END_MARK\$/d" "$SECTION"
log "wrote $RESULTS"
if ((FAILURES > 0)); then
  log "$FAILURES failure(s); see logs in $LOG_DIR"
fi
