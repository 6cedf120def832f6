#!/usr/bin/env bash
# bpe_bench.sh -- compare the wordlens byte-level BPE tokenizer with
# SentencePiece (BPE mode) on one corpus: training time and memory, encoding
# throughput, tokens per word / bytes per token, and wordlens round trips.
#
# Usage:
#   bench/bpe_bench.sh [--corpus FILE] [--vocab-size 16000] [--wordlens PATH]
#                      [--results FILE] [--runs 3] [--keep-logs]
#
#   --corpus FILE      training/evaluation text (default ../shared/data/corpus/bench.txt
#                      relative to the repo root; a missing corpus skips the benchmark)
#   --vocab-size N     vocabulary size for both tools (default 16000)
#   --wordlens PATH    wordlens binary (default build/wordlens)
#   --results FILE     markdown file to update (default bench/RESULTS.md)
#   --runs N           timed repetitions per measurement (default 3; medians reported)
#   --keep-logs        keep the temp dir with the per-run logs
#
# What is measured (every run wrapped in `/usr/bin/time -f '%e %M %U %S'`):
#   training   wordlens `bpe train --threads 2` and `spm_train --model_type=bpe`
#              (SentencePiece defaults otherwise), run alternately N times each
#              (wl, spm, wl, spm, ...); median wall, max peak RSS, ratio
#              wordlens/spm.  wordlens --threads 1 is run once more.
#   encoding   `wordlens bpe encode --ids` with --threads 1 and 2, and
#              `spm_encode --output_format=id`, corpus on stdin (a regular file),
#              output to a file in the temp dir; MB/s = corpus bytes / 1e6 / wall s.
#   tokens     tokens = space-separated ids in the encoded corpus; words = `wc -w`;
#              bytes = corpus bytes minus newlines.
#   round trip wordlens encode --ids | decode must equal the input byte for byte
#              (bench corpus and moby-raw.txt next to it, if present).
#
# The wordlens binary is copied into the temp dir first, so a concurrent rebuild
# cannot change it mid-benchmark.  sentencepiece (Debian package) and time are
# installed with apt-get if missing.  The report is written between the markers
#   <!-- bpe-bench:begin --> ... <!-- bpe-bench:end -->
# of RESULTS.md (anything outside the markers is preserved) and printed.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(dirname "$SCRIPT_DIR")
TIME=/usr/bin/time

# ---------------------------------------------------------------- defaults ---
CORPUS="$REPO_ROOT/../shared/data/corpus/bench.txt"
VOCAB=16000
WORDLENS="$REPO_ROOT/build/wordlens"
RESULTS="$SCRIPT_DIR/RESULTS.md"
RUNS=3
KEEP_LOGS=0
WL_THREADS=2

BEGIN_MARK='<!-- bpe-bench:begin -->'
END_MARK='<!-- bpe-bench:end -->'

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }
die() { echo "bpe_bench: error: $*" >&2; exit 1; }
log() { echo "[bpe_bench] $*" >&2; }

# ----------------------------------------------------------------- options ---
while (($#)); do
  case "$1" in
    --corpus)     CORPUS=${2:?}; shift 2 ;;
    --vocab-size) VOCAB=${2:?}; shift 2 ;;
    --wordlens)   WORDLENS=${2:?}; shift 2 ;;
    --results)    RESULTS=${2:?}; shift 2 ;;
    --runs)       RUNS=${2:?}; shift 2 ;;
    --keep-logs)  KEEP_LOGS=1; shift ;;
    -h|--help)    usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
[[ $VOCAB =~ ^[1-9][0-9]*$ ]] || die "--vocab-size must be a positive integer"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer"

# Missing corpus is not an error (e.g. CI without the shared data set).
if [[ ! -f $CORPUS ]]; then
  echo "bpe_bench: skipping: corpus $CORPUS not found"
  exit 0
fi
CORPUS=$(realpath "$CORPUS")
MOBY=$(dirname "$CORPUS")/moby-raw.txt
[[ -x $WORDLENS ]] || die "wordlens binary not found at $WORDLENS
  build it first, e.g.:  cmake -S $REPO_ROOT -B $REPO_ROOT/build -DCMAKE_BUILD_TYPE=Release && cmake --build $REPO_ROOT/build -j$(nproc)
  (or pass --wordlens PATH)"
WORDLENS=$(realpath "$WORDLENS")

# ------------------------------------------------------------ dependencies ---
pkgs=()
[[ -x $TIME ]] || pkgs+=(time)
if ! command -v spm_train >/dev/null || ! command -v spm_encode >/dev/null \
   || ! command -v spm_decode >/dev/null; then
  pkgs+=(sentencepiece)
fi
if ((${#pkgs[@]})); then
  log "installing missing packages: ${pkgs[*]}"
  sudo=()
  ((EUID == 0)) || sudo=(sudo)
  "${sudo[@]}" apt-get install -y "${pkgs[@]}" >&2 || die "apt-get install ${pkgs[*]} failed"
fi
SPM_VERSION=$(dpkg-query -W -f='${Version}' sentencepiece 2>/dev/null || echo '?')

# ----------------------------------------------------------------- tempdir ---
TMP=$(mktemp -d -t bpe-bench.XXXXXX)
cleanup() {
  local rc=$?
  if ((KEEP_LOGS || rc != 0)); then
    rm -f "$TMP"/*.ids "$TMP"/*.txt 2>/dev/null || true
    echo "bpe_bench: logs kept in $TMP" >&2
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
if [[ -n $(git -C "$REPO_ROOT" status --porcelain --untracked-files=no 2>/dev/null) ]]; then
  WL_VERSION+=" + uncommitted changes"
fi

# ------------------------------------------------------------- corpus info ---
cat "$CORPUS" >/dev/null          # warm the page cache
CORPUS_BYTES=$(stat -c %s "$CORPUS")
CORPUS_LINES=$(wc -l <"$CORPUS")
CORPUS_WORDS=$(wc -w <"$CORPUS")
CORPUS_TEXT_BYTES=$((CORPUS_BYTES - CORPUS_LINES))   # newlines excluded
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------- helpers ---
# Human-readable command: temp paths -> $TMP, repo paths -> relative,
# the snapshot binary -> build/wordlens.
# shellcheck source=bench/common.sh
. "$SCRIPT_DIR/common.sh"  # show_cmd

# timed NAME STDIN STDOUT CMD... : run CMD under /usr/bin/time; stderr goes to
# $TMP/NAME.log.  Sets T_WALL, T_RSS (KiB), T_CPU (user+sys s).  Fails loudly.
timed() {
  local name=$1 in=$2 out=$3
  shift 3
  local timef=$TMP/$name.time rc=0
  "$TIME" -f '%e %M %U %S' -o "$timef" "$@" <"$in" >"$out" 2>"$TMP/$name.log" || rc=$?
  if ((rc != 0)); then
    KEEP_LOGS=1
    die "$name failed (exit $rc): $(show_cmd "$@"); log: $TMP/$name.log"
  fi
  local u s
  read -r T_WALL T_RSS u s < <(tail -n 1 "$timef")
  T_CPU=$(awk -v u="$u" -v s="$s" 'BEGIN{printf "%.2f", u + s}')
}

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END{ if (NR % 2) print a[(NR+1)/2]; else printf "%.2f\n", (a[NR/2]+a[NR/2+1])/2 }'; }
maxval() { printf '%s\n' "$@" | sort -g | tail -n 1; }
mib() { awk -v k="$1" 'BEGIN{printf "%.0f", k/1024}'; }
mbps() { awk -v b="$CORPUS_BYTES" -v s="$1" 'BEGIN{ if (s > 0) printf "%.1f", b/1e6/s; else print "n/a" }'; }
div() { awk -v a="$1" -v b="$2" -v f="${3:-%.3f}" 'BEGIN{ if (b > 0) printf f, a/b; else print "n/a" }'; }
# Value of a "name   value ..." line in the wordlens train summary.
summary_field() { sed -n "s/^$2[[:space:]]\{2,\}//p" "$1" | head -n 1; }

# ---------------------------------------------------------------- training ---
WL_MODEL=$TMP/wl.bpe
SPM_PREFIX=$TMP/spm
WL_TRAIN=("$WL" bpe train --input "$CORPUS" --vocab-size "$VOCAB" --output "$WL_MODEL" --threads "$WL_THREADS")
WL_TRAIN1=("$WL" bpe train --input "$CORPUS" --vocab-size "$VOCAB" --output "$TMP/wl-t1.bpe" --threads 1)
SPM_TRAIN=(spm_train "--input=$CORPUS" "--model_prefix=$SPM_PREFIX" "--vocab_size=$VOCAB" --model_type=bpe)

declare -a WL_WALLS=() WL_RSSS=() WL_CPUS=() SPM_WALLS=() SPM_RSSS=() SPM_CPUS=()
for ((i = 1; i <= RUNS; i++)); do
  log "train $i/$RUNS: wordlens --threads $WL_THREADS"
  timed "wl-train-$i" /dev/null "$TMP/wl-train-$i.out" "${WL_TRAIN[@]}"
  WL_WALLS+=("$T_WALL") WL_RSSS+=("$T_RSS") WL_CPUS+=("$T_CPU")
  log "  ${T_WALL}s, $(mib "$T_RSS") MiB"
  log "train $i/$RUNS: spm_train"
  timed "spm-train-$i" /dev/null "$TMP/spm-train-$i.out" "${SPM_TRAIN[@]}"
  SPM_WALLS+=("$T_WALL") SPM_RSSS+=("$T_RSS") SPM_CPUS+=("$T_CPU")
  log "  ${T_WALL}s, $(mib "$T_RSS") MiB"
done
log "train: wordlens --threads 1"
timed wl-train-t1 /dev/null "$TMP/wl-train-t1.out" "${WL_TRAIN1[@]}"
WL1_WALL=$T_WALL WL1_RSS=$T_RSS WL1_CPU=$T_CPU
WL1_SAME="no"
cmp -s "$WL_MODEL" "$TMP/wl-t1.bpe" && WL1_SAME="yes"

WL_WALL=$(median "${WL_WALLS[@]}") SPM_WALL=$(median "${SPM_WALLS[@]}")
WL_RSS=$(maxval "${WL_RSSS[@]}") SPM_RSS=$(maxval "${SPM_RSSS[@]}")
WL_CPU=$(median "${WL_CPUS[@]}") SPM_CPU=$(median "${SPM_CPUS[@]}")
TRAIN_RATIO=$(div "$WL_WALL" "$SPM_WALL" "%.3f")

SUM=$TMP/wl-train-1.out
WL_SUM_VOCAB=$(summary_field "$SUM" "vocabulary size")
WL_SUM_BPT=$(summary_field "$SUM" "bytes per token")
WL_SUM_TPW=$(summary_field "$SUM" "tokens per word")
WL_SUM_TIMES=()
for ((i = 1; i <= RUNS; i++)); do WL_SUM_TIMES+=("$(summary_field "$TMP/wl-train-$i.out" "time")"); done
SPM_PIECES=$(wc -l <"$SPM_PREFIX.vocab")
SPM_ALPHABET=$(sed -n 's/.*Alphabet size=\([0-9]*\).*/\1/p' "$TMP/spm-train-1.log" | head -n 1)
SPM_COVERAGE=$(sed -n 's/.*Final character coverage=\([0-9.]*\).*/\1/p' "$TMP/spm-train-1.log" | head -n 1)
SPM_SENTENCES=$(sed -n 's/.*Loaded all \([0-9]*\) sentences.*/\1/p' "$TMP/spm-train-1.log" | head -n 1)
SPM_SKIPPED=$(sed -n 's/.*Skipped \([0-9]*\) too long sentences.*/\1/p' "$TMP/spm-train-1.log" | head -n 1)
SPM_THREADS=$(sed -n 's/^[[:space:]]*num_threads: *\([0-9]*\).*/\1/p' "$TMP/spm-train-1.log" | head -n 1)

# ---------------------------------------------------------------- encoding ---
WL_ENC1=("$WL" bpe encode --model "$WL_MODEL" --ids --threads 1)
WL_ENC2=("$WL" bpe encode --model "$WL_MODEL" --ids --threads 2)
WL_DEC=("$WL" bpe decode --model "$WL_MODEL")
SPM_ENC=(spm_encode "--model=$SPM_PREFIX.model" --output_format=id)
SPM_DEC=(spm_decode "--model=$SPM_PREFIX.model" --input_format=id)

declare -a E1=() E2=() ES=() C1=() C2=() CS=()
for ((i = 1; i <= RUNS; i++)); do
  log "encode $i/$RUNS: wordlens --threads 1, --threads 2, spm_encode"
  timed "wl-enc1-$i" "$CORPUS" "$TMP/wl-t1.ids" "${WL_ENC1[@]}"; E1+=("$T_WALL") C1+=("$T_CPU")
  timed "wl-enc2-$i" "$CORPUS" "$TMP/wl-t2.ids" "${WL_ENC2[@]}"; E2+=("$T_WALL") C2+=("$T_CPU")
  timed "spm-enc-$i" "$CORPUS" "$TMP/spm.ids" "${SPM_ENC[@]}"; ES+=("$T_WALL") CS+=("$T_CPU")
  log "  ${E1[-1]}s, ${E2[-1]}s, ${ES[-1]}s"
done
E1_WALL=$(median "${E1[@]}") E2_WALL=$(median "${E2[@]}") ES_WALL=$(median "${ES[@]}")
E1_MBPS=$(mbps "$E1_WALL") E2_MBPS=$(mbps "$E2_WALL") ES_MBPS=$(mbps "$ES_WALL")
SCALING=$(div "$E1_WALL" "$E2_WALL" "%.2f")
ENC_SAME="no"
cmp -s "$TMP/wl-t1.ids" "$TMP/wl-t2.ids" && ENC_SAME="yes"

# ------------------------------------------------------------------ tokens ---
WL_TOKENS=$(wc -w <"$TMP/wl-t1.ids")
SPM_TOKENS=$(wc -w <"$TMP/spm.ids")
WL_TPW=$(div "$WL_TOKENS" "$CORPUS_WORDS") SPM_TPW=$(div "$SPM_TOKENS" "$CORPUS_WORDS")
WL_BPT=$(div "$CORPUS_TEXT_BYTES" "$WL_TOKENS") SPM_BPT=$(div "$CORPUS_TEXT_BYTES" "$SPM_TOKENS")
# <unk> (id 0 unless overridden) = characters dropped by character_coverage.
SPM_UNK_ID=$(awk -F'\t' '$1 == "<unk>" {print NR - 1; exit}' "$SPM_PREFIX.vocab")
SPM_UNK=$(tr ' ' '\n' <"$TMP/spm.ids" | grep -cx "${SPM_UNK_ID:-0}" || true)

# -------------------------------------------------------------- round trip ---
declare -A RT=()
RT_FILES=("$CORPUS")
[[ -f $MOBY ]] && RT_FILES+=("$(realpath "$MOBY")")
for f in "${RT_FILES[@]}"; do
  log "round trip: $(basename "$f")"
  if "${WL_ENC2[@]}" <"$f" 2>"$TMP/rt.log" | "${WL_DEC[@]}" 2>>"$TMP/rt.log" | cmp -s - "$f"; then
    RT[$f]=ok
  else
    RT[$f]=FAILED
  fi
done
# SentencePiece for reference (not expected to be lossless: NFKC, whitespace
# normalisation, <unk> for characters outside character_coverage).
log "round trip (reference): spm_decode on the corpus"
"${SPM_DEC[@]}" <"$TMP/spm.ids" >"$TMP/spm-decoded.txt" 2>"$TMP/spm-dec.log"
SPM_RT_DIFF=$(paste -d '\n' "$CORPUS" "$TMP/spm-decoded.txt" | awk 'NR % 2 { a = $0; next } $0 != a { n++ } END { print n + 0 }')
if cmp -s "$TMP/spm-decoded.txt" "$CORPUS"; then SPM_RT="identical"; else SPM_RT="differs in $SPM_RT_DIFF of $CORPUS_LINES lines"; fi
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# ------------------------------------------------------------------ report ---
SECTION=$TMP/section.md
fmt_list() { local IFS=,; echo "$*" | sed 's/,/, /g'; }
{
  echo "$BEGIN_MARK"
  echo "## BPE tokenizers: wordlens vs SentencePiece"
  echo
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- Machine: $(nproc) CPUs (nproc), $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -n1), $(uname -sr); load average before/after: $LOAD_BEFORE / $LOAD_AFTER"
  echo "- Corpus: \`$CORPUS\`, $CORPUS_BYTES bytes ($(awk -v b="$CORPUS_BYTES" 'BEGIN{printf "%.1f", b/1048576}') MiB), $CORPUS_LINES lines, $CORPUS_WORDS words (\`wc -w\`)"
  echo "- Versions: wordlens $WL_VERSION; sentencepiece $SPM_VERSION (Debian)"
  echo "- Vocabulary $VOCAB for both. wordlens: ${WL_SUM_VOCAB:-?}. SentencePiece: $SPM_PIECES pieces incl. <unk>, <s>, </s>; alphabet ${SPM_ALPHABET:-?} characters (character_coverage 0.9995 default → final coverage ${SPM_COVERAGE:-?}; rarer characters become <unk>)."
  echo "- SentencePiece defaults kept: normalization nmt_nfkc, add_dummy_prefix, remove_extra_whitespaces, max_sentence_length 4192 (loaded ${SPM_SENTENCES:-?} sentences, ${SPM_SKIPPED:-0} skipped as too long), input_sentence_size 0 (= all), num_threads ${SPM_THREADS:-?} (default; the BPE trainer runs on one core — compare CPU s with wall s)."
  echo "- Each measurement wrapped in \`/usr/bin/time -f '%e %M %U %S'\`; $RUNS runs, training alternating wordlens/spm; medians reported (peak RSS: max over runs). Encoders read the corpus from stdin (a regular file) and write ids to a file."
  echo
  echo "### Commands (\`\$TMP\` = temporary directory)"
  echo
  echo '```sh'
  echo "$(show_cmd "${WL_TRAIN[@]}")"
  echo "$(show_cmd "${WL_TRAIN1[@]}")   # once"
  echo "$(show_cmd "${SPM_TRAIN[@]}")"
  echo "$(show_cmd "${WL_ENC1[@]}") < $(show_cmd "$CORPUS") > \$TMP/wl-t1.ids"
  echo "$(show_cmd "${WL_ENC2[@]}") < $(show_cmd "$CORPUS") > \$TMP/wl-t2.ids"
  echo "$(show_cmd "${SPM_ENC[@]}") < $(show_cmd "$CORPUS") > \$TMP/spm.ids"
  echo "$(show_cmd "${WL_ENC2[@]}") < FILE | $(show_cmd "${WL_DEC[@]}") | cmp - FILE   # round trip"
  echo '```'
  echo
  echo "### Training"
  echo
  echo "| tool | train wall s (median) | runs (s) | CPU s (median) | peak RSS MiB | wordlens × |"
  echo "|---|--:|---|--:|--:|--:|"
  echo "| wordlens --threads $WL_THREADS | $WL_WALL | $(fmt_list "${WL_WALLS[@]}") | $WL_CPU | $(mib "$WL_RSS") | 1.00 |"
  echo "| wordlens --threads 1 | $WL1_WALL | (1 run) | $WL1_CPU | $(mib "$WL1_RSS") | – |"
  echo "| spm_train (bpe) | $SPM_WALL | $(fmt_list "${SPM_WALLS[@]}") | $SPM_CPU | $(mib "$SPM_RSS") | $TRAIN_RATIO |"
  echo
  echo "Ratio = wordlens (--threads $WL_THREADS) median wall / spm_train median wall (< 1 means wordlens is faster; spm_train is $(div "$SPM_WALL" "$WL_WALL" "%.1f")× slower here)."
  echo "wordlens' own timer (summary line \`time\`): $(IFS=';'; echo "${WL_SUM_TIMES[*]}" | sed 's/;/; /g')."
  echo "Model from --threads 1 identical to --threads $WL_THREADS: $WL1_SAME."
  echo
  echo "### Encoding throughput (corpus bytes / wall s, median of $RUNS)"
  echo
  echo "| encoder | wall s (median) | runs (s) | CPU s (median) | MB/s |"
  echo "|---|--:|---|--:|--:|"
  echo "| wordlens --threads 1 | $E1_WALL | $(fmt_list "${E1[@]}") | $(median "${C1[@]}") | $E1_MBPS |"
  echo "| wordlens --threads 2 | $E2_WALL | $(fmt_list "${E2[@]}") | $(median "${C2[@]}") | $E2_MBPS |"
  echo "| spm_encode | $ES_WALL | $(fmt_list "${ES[@]}") | $(median "${CS[@]}") | $ES_MBPS |"
  echo
  echo "CPU s = user + sys; a single-threaded run whose wall time is well above its CPU time was competing for a core (see the load average above)."
  echo
  echo "Scaling 1 → 2 threads: ${SCALING}× (wall t1 / wall t2). Output of --threads 1 and --threads 2 identical: $ENC_SAME. wordlens --threads 1 vs spm_encode: $(div "$ES_WALL" "$E1_WALL" "%.1f")× faster."
  echo
  echo "### Tokens per word / bytes per token (whole corpus)"
  echo
  echo "| tool | tokens | tokens/word | bytes/token |"
  echo "|---|--:|--:|--:|"
  echo "| wordlens | $WL_TOKENS | $WL_TPW | $WL_BPT |"
  echo "| spm (bpe) | $SPM_TOKENS | $SPM_TPW | $SPM_BPT |"
  echo
  echo "tokens = space-separated ids in the encoder output; words = \`wc -w\` = $CORPUS_WORDS; bytes = corpus bytes minus newlines = $CORPUS_TEXT_BYTES. wordlens' training summary reports tokens per word ${WL_SUM_TPW:-?}, bytes per token ${WL_SUM_BPT:-?}. spm output contains $SPM_UNK <unk> tokens."
  echo
  echo "### Round trip (encode --ids | decode, byte for byte)"
  echo
  for f in "${RT_FILES[@]}"; do
    echo "- wordlens, \`$(basename "$f")\` ($(stat -c %s "$f") bytes): ${RT[$f]}"
  done
  echo "- for reference, spm_encode | spm_decode on \`$(basename "$CORPUS")\`: $SPM_RT (lossy by design: normalisation and <unk>)"
  echo "$END_MARK"
} >"$SECTION"

# Insert/replace the marked section, preserving the rest of RESULTS.md.
"$SCRIPT_DIR/write_section.sh" "$RESULTS" "$SECTION"

sed -e "/^$BEGIN_MARK\$/d" -e "/^$END_MARK\$/d" "$SECTION"
log "wrote $RESULTS"
FAILED=0
for f in "${RT_FILES[@]}"; do [[ ${RT[$f]} == ok ]] || FAILED=1; done
if ((FAILED)); then
  log "wordlens round trip FAILED (see above)"
  exit 1
fi
