#!/usr/bin/env bash
# w2v_batch_bench.sh -- `--update pair` (word2vec.c's updates) against
# `--update batch` (issue 16: skip-gram's contexts share the negatives and the
# Huffman path, pWord2Vec; CBOW's neighbouring windows share the negatives)
# for each mode: speed and quality over several seeds, runs interleaved
# (for each seed and mode: pair, batch).
#
# Usage:
#   bench/w2v_batch_bench.sh [--wordlens build/wordlens] [--seeds "1 2 3"]
#                            [--modes "sg cbow hs hs-shared"] [--corpus FILE]
#                            [--threads 2] [--results FILE]
#
# Modes (w2v_bench.sh's rows): sg = skip-gram, negative 5, alpha 0.025;
# cbow = CBOW, negative 5, alpha 0.05; hs = skip-gram, hierarchical softmax,
# no negatives, alpha 0.025; hs-shared = hs with --private-nodes 0 (batch
# only, compared with hs's pair runs: the batched update without the
# threads' private copies of the heaviest Huffman nodes). All: size 100,
# window 5, sample 1e-4, iter 5, min-count 5, --seed S.
# Quality: `wordlens eval` on questions-words.txt (top 30000 words, unknown =
# wrong), wordsim353.txt and simlex999.txt (Spearman). The rule of issue 16:
# batch may be the default only if its mean is within 0.005 of pair's on all
# three. Times: wall and CPU (user + sys) by /usr/bin/time, whole command.
# GFLOP/s: the updates' nominal arithmetic as `train --json` counts it
# ("flops": 6 × size per score of an input vector against a target row,
# 4 × size per CBOW context row) / wall s of the whole command; beside
# the machine's sgemm rate (numpy float32 1024×1024 matmul, $THREADS OpenBLAS
# threads, median of 10, measured before and after the runs).
# The rule of issue 16 is checked per mode.
# The section goes between <!-- w2v-batch:begin --> and <!-- w2v-batch:end -->
# of RESULTS.md.
set -euo pipefail
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(dirname "$SCRIPT_DIR")
. "$SCRIPT_DIR/common.sh"
WL_SRC="$REPO_ROOT/build/wordlens" SEEDS="1 2 3" THREADS=2 MODES="sg cbow hs hs-shared"
CORPUS="$REPO_ROOT/../shared/data/corpus/bench.txt"
EVAL="$REPO_ROOT/../shared/data/eval"
RESULTS="$SCRIPT_DIR/RESULTS.md"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --wordlens) WL_SRC=${2:?}; shift 2 ;;
    --seeds) SEEDS=${2:?}; shift 2 ;;
    --modes) MODES=${2:?}; shift 2 ;;
    --corpus) CORPUS=${2:?}; shift 2 ;;
    --threads) THREADS=${2:?}; shift 2 ;;
    --results) RESULTS=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "w2v_batch_bench: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done
[[ -x $WL_SRC ]] || { echo "w2v_batch_bench: '$WL_SRC' is not an executable (build first or pass --wordlens)" >&2; exit 2; }
[[ -f $CORPUS ]] || { echo "w2v_batch_bench: skipped: corpus '$CORPUS' not found" >&2; exit 0; }
for f in questions-words.txt wordsim353.txt simlex999.txt; do
  [[ -f $EVAL/$f ]] || { echo "w2v_batch_bench: skipped: '$EVAL/$f' not found" >&2; exit 0; }
done
CORPUS=$(realpath "$CORPUS") EVAL=$(realpath "$EVAL")
TMP=$(mktemp -d "${TMPDIR:-/tmp}/w2v-batch-XXXXXX")
trap 'rm -rf "$TMP"' EXIT
WL="$TMP/wordlens"
cp "$WL_SRC" "$WL"
cat "$CORPUS" > /dev/null  # warm the page cache
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
match_blas_kernels "$WL" > /dev/null  # numpy's sgemm with wordlens' kernels
SGEMM_BEFORE=$(sgemm_gflops "$THREADS")

mode_flags() {  # mode -> its flags
  case "$1" in
    sg) echo "-negative 5 -hs 0 -cbow 0 -alpha 0.025" ;;
    cbow) echo "-negative 5 -hs 0 -cbow 1 -alpha 0.05" ;;
    hs) echo "-negative 0 -hs 1 -cbow 0 -alpha 0.025" ;;
    hs-shared) echo "-negative 0 -hs 1 -cbow 0 -alpha 0.025 --private-nodes 0" ;;
    *) echo "w2v_batch_bench: unknown mode '$1' (sg, cbow, hs, hs-shared)" >&2; exit 2 ;;
  esac
}
for mode in $MODES; do mode_flags "$mode" > /dev/null; done
train_cmd() {  # mode update seed -> the command
  # shellcheck disable=SC2046
  echo "$WL" train -train "$CORPUS" -output "$TMP/v.bin" -binary 1 -size 100 -window 5 -sample 1e-4 $(mode_flags "$1") \
    -iter 5 -min-count 5 -threads "$THREADS" --seed "$3" --update "$2" --debug 0 --json
}
ROWS="$TMP/rows.tsv"  # mode update seed wall cpu analogy ws353 simlex gflops
: > "$ROWS"
for seed in $SEEDS; do
  for mode in $MODES; do
  for update in pair batch; do
    [[ $mode == hs-shared && $update == pair ]] && continue  # the same runs as hs's pair
    # shellcheck disable=SC2046
    /usr/bin/time -f '%e %U %S' -o "$TMP/time" $(train_cmd "$mode" "$update" "$seed") > "$TMP/train.json"
    read -r wall user sys < <(tail -n 1 "$TMP/time")
    "$WL" eval "$TMP/v.bin" --analogy "$EVAL/questions-words.txt" \
      --similarity "$EVAL/wordsim353.txt" "$EVAL/simlex999.txt" --json > "$TMP/eval.json"
    python3 - "$TMP/eval.json" "$TMP/train.json" "$mode" "$update" "$seed" "$wall" "$user" "$sys" >> "$ROWS" << 'EOF'
import json, sys
e = json.load(open(sys.argv[1]))
t = json.load(open(sys.argv[2]))
mode, u, seed, wall, user, sys_ = sys.argv[3:9]
s = e["similarity"]
gflops = t["flops"] / float(wall) / 1e9
print("\t".join([mode, u, seed, wall, "%.2f" % (float(user) + float(sys_)), "%.4f" % e["analogy"]["accuracy"],
                 "%.4f" % s["wordsim353.txt"]["spearman"], "%.4f" % s["simlex999.txt"]["spearman"], "%.2f" % gflops]))
EOF
    echo "w2v_batch_bench: $(tail -n 1 "$ROWS" | tr '\t' ' ')" >&2
  done
  done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
SGEMM_AFTER=$(sgemm_gflops "$THREADS")

SECTION="$TMP/section.md"
{
  echo "<!-- w2v-batch:begin -->"
  echo "## Batched Word2Vec updates (issue 16)"
  echo
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); wordlens $(git -C "$REPO_ROOT" rev-parse --short HEAD 2> /dev/null || echo '?')"
  echo "- Machine: $(nproc) CPUs (nproc), $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -n1), $(uname -sr); load average before/after: $LOAD_BEFORE / $LOAD_AFTER"
  echo "- Runs interleaved: for each seed and mode, pair then batch. Wall and CPU (user + sys) s of the whole command by /usr/bin/time (vocabulary counting included)."
  echo "- Quality: \`wordlens eval v.bin --analogy questions-words.txt --similarity wordsim353.txt simlex999.txt\` (analogy: top 30000 words, 3CosAdd, unknown = wrong; Spearman ρ)."
  echo "- Commands (\`\$TMP\` = temporary directory; UPDATE = pair or batch, S = seed):"
  echo
  echo '```sh'
  for mode in $MODES; do
    show_cmd $(train_cmd "$mode" UPDATE S)
    echo
  done
  echo '```'
  echo
  echo "Per run:"
  echo
  echo "| mode | update | seed | wall s | CPU s | analogy | WS-353 ρ | SimLex ρ | GFLOP/s |"
  echo "|---|---|--:|--:|--:|--:|--:|--:|--:|"
  awk -F'\t' '{printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9}' "$ROWS"
  echo
  python3 - "$ROWS" "$SGEMM_BEFORE" "$SGEMM_AFTER" << 'EOF'
import statistics as st, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
sgemm = (float(sys.argv[2]) + float(sys.argv[3])) / 2
names = {"sg": "skip-gram, negative sampling", "cbow": "CBOW, negative sampling", "hs": "skip-gram, hierarchical softmax",
         "hs-shared": "skip-gram, hierarchical softmax, batch with --private-nodes 0 (pair: the hs runs)"}
modes = list(dict.fromkeys(r[0] for r in rows))
def spread(v): return "%.4f ± %.4f (%.4f–%.4f)" % (st.mean(v), st.stdev(v) if len(v) > 1 else 0.0, min(v), max(v))
for mode in modes:
    by = {u: [r for r in rows if r[0] == (("hs" if mode == "hs-shared" else mode) if u == "pair" else mode) and r[1] == u]
          for u in ("pair", "batch")}
    if not by["pair"] or not by["batch"]:
        continue
    def col(u, i): return [float(r[i]) for r in by[u]]
    print("**%s** (mean ± sample standard deviation (min–max) over %d seeds; times: median):" % (names[mode], len(by["pair"])))
    print()
    print("| measure | pair | batch | batch − pair | within 0.005 |")
    print("|---|--:|--:|--:|:-:|")
    ok_all = True
    for name, i in (("analogy accuracy", 5), ("WS-353 ρ", 6), ("SimLex-999 ρ", 7)):
        p, b = col("pair", i), col("batch", i)
        d = st.mean(b) - st.mean(p)
        ok = abs(d) <= 0.005
        ok_all &= ok
        print("| %s | %s | %s | %+.4f | %s |" % (name, spread(p), spread(b), d, "yes" if ok else "**no**"))
    for name, i in (("wall s", 3), ("CPU s", 4), ("GFLOP/s (nominal)", 8)):
        p, b = st.median(col("pair", i)), st.median(col("batch", i))
        print("| %s | %.2f | %.2f | batch / pair = %.3f | |" % (name, p, b, b / p))
    print("| fraction of sgemm (%s / %s GFLOP/s before / after) | %.3f | %.3f | | |" % (
        sys.argv[2], sys.argv[3], st.median(col("pair", 8)) / sgemm, st.median(col("batch", 8)) / sgemm))
    print()
    print("Rule of issue 16 (all three quality means within 0.005 of pair): **%s**." %
          ("met: batch may be the default" if ok_all else "not met: pair stays the default"))
    print()
EOF
  echo "<!-- w2v-batch:end -->"
} > "$SECTION"
bash "$SCRIPT_DIR/write_section.sh" "$RESULTS" "$SECTION"
cat "$SECTION"
