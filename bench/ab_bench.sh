#!/usr/bin/env bash
# ab_bench.sh -- two wordlens binaries on the same work, interleaved: did a
# change (a refactor, a new guard in a hot loop) cost speed?
#
# Usage:
#   bench/ab_bench.sh --base OLD_BINARY [--new build/wordlens] [--runs 3]
#                     [--corpus FILE] [--label "before/after issue N"]
#                     [--results FILE] [--no-encoder]
#
# Work: Word2Vec skip-gram, CBOW and hierarchical softmax on the corpus with
# the README's settings (size 100, window 5, sample 1e-4, iter 5, 2 threads),
# and `encoder bench` (B=32, T=128, d=256, 4 layers, 2 threads; its forward
# and training-step medians). Each run goes base, new, base, new, ... so that
# a change of the host's speed hits both; the table gives each binary's
# median and the ratio new / base (< 1 = the new binary is faster). Both
# binaries are copied to a temp dir first. The section is written between
# <!-- ab-bench:begin --> and <!-- ab-bench:end --> of RESULTS.md.
set -euo pipefail
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(dirname "$SCRIPT_DIR")
BASE="" NEW="$REPO_ROOT/build/wordlens" RUNS=3 LABEL="base vs new" ENCODER=1
CORPUS="$REPO_ROOT/../shared/data/corpus/bench.txt"
RESULTS="$SCRIPT_DIR/RESULTS.md"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --base) BASE=${2:?}; shift 2 ;;
    --new) NEW=${2:?}; shift 2 ;;
    --runs) RUNS=${2:?}; shift 2 ;;
    --corpus) CORPUS=${2:?}; shift 2 ;;
    --label) LABEL=${2:?}; shift 2 ;;
    --results) RESULTS=${2:?}; shift 2 ;;
    --no-encoder) ENCODER=0; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "ab_bench: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done
[[ -x $BASE ]] || { echo "ab_bench: --base BINARY is required (an executable wordlens)" >&2; exit 2; }
[[ -x $NEW ]] || { echo "ab_bench: '$NEW' is not an executable" >&2; exit 2; }
[[ -f $CORPUS ]] || { echo "ab_bench: skipped: corpus '$CORPUS' not found" >&2; exit 0; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ab-bench-XXXXXX")
trap 'rm -rf "$TMP"' EXIT
cp "$BASE" "$TMP/base"; cp "$NEW" "$TMP/new"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

w2v_args() {  # mode -> flags
  local common=(-train "$CORPUS" -binary 1 -size 100 -window 5 -sample 1e-4 -iter 5 -min-count 5 -threads 2)
  case "$1" in
    sg) echo "${common[*]} -cbow 0 -negative 5 -hs 0 -alpha 0.025" ;;
    cbow) echo "${common[*]} -cbow 1 -negative 5 -hs 0 -alpha 0.05" ;;
    hs) echo "${common[*]} -cbow 0 -negative 0 -hs 1 -alpha 0.025" ;;
  esac
}
ENC_ARGS=(encoder bench --batch 32 --seq 128 --dim 256 --heads 4 --layers 4 --vocab 30000 --threads 2 --repeats 5 --json)

declare -A T  # T[key] = space-separated times
for ((r = 1; r <= RUNS; r++)); do
  for mode in sg cbow hs; do
    for who in base new; do
      # shellcheck disable=SC2046
      /usr/bin/time -f %e -o "$TMP/time" "$TMP/$who" train $(w2v_args "$mode") -output "$TMP/v.bin" > /dev/null 2>&1
      T[$mode.$who]+="$(cat "$TMP/time") "
      echo "ab_bench: run $r/$RUNS $mode $who $(cat "$TMP/time") s" >&2
    done
  done
  if [[ $ENCODER == 1 ]]; then
    for who in base new; do
      # The flag spelling of the feed-forward width changed once (--ffn vs
      # --ffn-mult); each binary gets the one it knows.
      ffn=(--ffn 1024); "$TMP/$who" encoder bench --help 2>&1 | grep -q -- '--ffn-mult' && ffn=(--ffn-mult 4)
      json=$("$TMP/$who" "${ENC_ARGS[@]}" "${ffn[@]}" 2> /dev/null)
      T[fwd.$who]+="$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["forward_ms"])' "$json") "
      T[step.$who]+="$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["train_step_ms"])' "$json") "
      echo "ab_bench: run $r/$RUNS encoder $who $json" >&2
    done
  fi
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
row() {  # key label unit
  local b n
  b=$(echo "${T[$1.base]}" | median); n=$(echo "${T[$1.new]}" | median)
  printf '| %s | %s | %s | %s | %s | %.3f |\n' "$2" "$3" "${T[$1.base]% }" "${T[$1.new]% }" "$b / $n" \
    "$(python3 -c "print($n / $b)")"
}
SECTION="$TMP/section.md"
{
  echo "<!-- ab-bench:begin -->"
  echo "## Same work, two wordlens binaries: $LABEL"
  echo
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); base $(basename "$BASE"), new $(git -C "$REPO_ROOT" rev-parse --short HEAD 2> /dev/null || echo '?')"
  echo "- Machine: $(nproc) CPUs (nproc), $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -n1), $(uname -sr); load average before/after: $LOAD_BEFORE / $LOAD_AFTER"
  echo "- $RUNS runs per binary, interleaved (base, new, base, new, ...); medians; ratio = new / base (< 1: new is faster)."
  echo "- Word2Vec: \`wordlens train $(w2v_args sg | sed "s|$CORPUS|$(basename "$CORPUS")|") -output v.bin\` (cbow: \`-cbow 1 -alpha 0.05\`; hs: \`-negative 0 -hs 1\`), wall s by /usr/bin/time."
  [[ $ENCODER == 1 ]] && echo "- Encoder: \`wordlens ${ENC_ARGS[*]}\` plus a feed-forward width of 1024 (\`--ffn-mult 4\` or \`--ffn 1024\`, as each binary spells it), ms per forward / training step (median of 5 inside each run)."
  echo
  echo "| work | unit | base runs | new runs | median base / new | new / base |"
  echo "|---|---|---|---|---|--:|"
  row sg "Word2Vec skip-gram" "wall s"
  row cbow "Word2Vec CBOW" "wall s"
  row hs "Word2Vec hierarchical softmax" "wall s"
  if [[ $ENCODER == 1 ]]; then
    row fwd "encoder forward" "ms"
    row step "encoder training step" "ms"
  fi
  echo "<!-- ab-bench:end -->"
} > "$SECTION"
bash "$SCRIPT_DIR/write_section.sh" "$RESULTS" "$SECTION"
cat "$SECTION"
