#!/usr/bin/env bash
# Word2Vec under mpirun (issue 17): 2 ranks count the same vocabulary as one
# process, only rank 0 writes, the vectors learn the planted classes as well
# as one process does, deterministic runs and --resume are exact, and a
# failing rank ends the job with a non-zero exit instead of hanging.
# Skipped (77) when wordlens was built without MPI or mpirun is missing.
WL=${1:?usage: mpi_train.sh path/to/wordlens MPI_FOUND}
MPI_FOUND=${2:-OFF}
if [ "$MPI_FOUND" != ON ] || ! command -v mpirun > /dev/null; then
  echo "skipped: wordlens built without MPI (WORDLENS_MPI) or mpirun not installed"
  exit 77
fi
. "$(dirname "$0")/lib.sh"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
# Under scripts/sanitize.sh, LeakSanitizer reports OpenMPI's own allocations
# (in its dlopen'ed components, no symbols to suppress by) at exit; leak
# checking stays on for every other test, ASan and UBSan stay on here.
if [ "${WORDLENS_SANITIZED:-0}" = 1 ]; then export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"; fi
MPIRUN=(timeout 120 mpirun --oversubscribe -np 2)

make_corpus "$WORK/c.txt" 6000 11
B=(-train "$WORK/c.txt" -size 16 -window 3 -iter 3 -min-count 5 -sample 0 -cbow 0 -debug 0)
C=("${B[@]}" -threads 1)

# Same-class share of each word's 7 nearest neighbours (cosine), averaged.
purity() {
  python3 - "$1" <<'PY'
import math, sys
rows = {}
with open(sys.argv[1]) as f:
    next(f)
    for line in f:
        p = line.split()
        if p[0].startswith("c"):
            v = [float(x) for x in p[1:]]
            n = math.sqrt(sum(x * x for x in v)) or 1.0
            rows[p[0]] = [x / n for x in v]
words = sorted(rows)
score = 0.0
for w in words:
    sims = sorted(((sum(a * b for a, b in zip(rows[w], rows[o])), o) for o in words if o != w), reverse=True)[:7]
    score += sum(o[:2] == w[:2] for _, o in sims) / 7
print(f"{score / len(words):.3f}")
PY
}

# 1. Vocabulary: merged counts of the ranks' shards == one process's count.
"$WL" train "${C[@]}" -output "$WORK/one.txt" -save-vocab "$WORK/vocab1.txt"
if "${MPIRUN[@]}" "$WL" train "${C[@]}" -output "$WORK/two.txt" -save-vocab "$WORK/vocab2.txt" --sync-every 20k \
  > "$WORK/out2" 2> "$WORK/err2"; then
  ok "2 ranks train (exit 0)"
else
  not_ok "2 ranks train" "$(head -c 400 "$WORK/err2")"
fi
if cmp -s "$WORK/vocab1.txt" "$WORK/vocab2.txt"; then
  ok "vocabulary of 2 ranks == 1 process ($(wc -l < "$WORK/vocab1.txt") entries)"
else
  not_ok "vocabulary of 2 ranks == 1 process" "$(diff "$WORK/vocab1.txt" "$WORK/vocab2.txt" | head -5)"
fi

# 2. Only rank 0 writes: the expected files, nothing else (no second copy, no temporaries).
files=$(cd "$WORK" && ls two.txt* vocab2.txt* 2> /dev/null | tr '\n' ' ')
[ "$files" = "two.txt two.txt.json vocab2.txt " ] && ok "rank 0 alone wrote: $files" || not_ok "files written under mpirun" "$files"
rows=$(($(wc -l < "$WORK/two.txt") - 1))
[ "$(head -n 1 "$WORK/two.txt")" = "$rows 16" ] && ok "vectors complete ($rows rows)" || not_ok "vectors header" "$(head -n 1 "$WORK/two.txt")"

# 3. Quality: the planted classes are found as well as by one process.
p1=$(purity "$WORK/one.txt") p2=$(purity "$WORK/two.txt")
if awk -v a="$p1" -v b="$p2" 'BEGIN { exit !(b >= 0.8 && b >= a - 0.1) }'; then
  ok "class purity of neighbours: 2 ranks $p2, 1 process $p1"
else
  not_ok "class purity of neighbours" "2 ranks $p2, 1 process $p1 (want >= 0.8 and within 0.1)"
fi

# 4. Deterministic runs repeat exactly; a resume from a mid-run checkpoint gives the same vectors.
D=("${B[@]}" -threads 2 --deterministic --sync-every 30k)
"${MPIRUN[@]}" "$WL" train "${D[@]}" -output "$WORK/d1.txt" --checkpoint-every 100k --checkpoint "$WORK/mid.ckpt" > /dev/null 2>&1
"${MPIRUN[@]}" "$WL" train "${D[@]}" -output "$WORK/d2.txt" > /dev/null 2>&1
cmp -s "$WORK/d1.txt" "$WORK/d2.txt" && ok "--deterministic under mpirun repeats exactly" || not_ok "--deterministic under mpirun repeats"
if [ -s "$WORK/mid.ckpt" ] && "${MPIRUN[@]}" "$WL" train "${D[@]}" -output "$WORK/d3.txt" --checkpoint "$WORK/mid.ckpt" --resume \
  > /dev/null 2> "$WORK/err3" && cmp -s "$WORK/d1.txt" "$WORK/d3.txt"; then
  ok "--resume under mpirun from rank 0's checkpoint: identical vectors"
else
  not_ok "--resume under mpirun" "$(head -c 300 "$WORK/err3")"
fi
# A checkpoint of 2 ranks is refused by a different number of ranks.
if "$WL" train "${D[@]}" -output "$WORK/d4.txt" --checkpoint "$WORK/mid.ckpt" --resume > /dev/null 2> "$WORK/err4"; then
  not_ok "1 process resuming a 2-rank checkpoint is refused"
else
  ok "1 process resuming a 2-rank checkpoint is refused: $(head -n 1 "$WORK/err4")"
fi

# 5. A failing rank ends the job, non-zero, naming the rank, within the timeout.
#    Rank 1 alone cannot read its input (MPMD: rank 1 gets another -train).
start=$SECONDS
timeout 60 mpirun --oversubscribe -np 1 "$WL" train "${C[@]}" -output "$WORK/f.txt" : \
  -np 1 "$WL" train "${B[@]/#$WORK\/c.txt/$WORK/missing.txt}" -threads 1 -output "$WORK/f.txt" > /dev/null 2> "$WORK/errf"
rc=$?
if [ $rc -ne 0 ] && [ $rc -ne 124 ] && grep -q "rank 1 of 2 failed" "$WORK/errf" && [ ! -e "$WORK/f.txt" ]; then
  ok "rank 1 failing: job exit $rc after $((SECONDS - start)) s: $(grep -m1 'rank 1\]' "$WORK/errf")"
else
  not_ok "rank 1 failing ends the job" "exit $rc: $(head -c 400 "$WORK/errf")"
fi
# Rank 0 failing (its output directory does not exist) while rank 1 waits for it.
timeout 60 "${MPIRUN[@]:2}" "$WL" train "${C[@]}" -output "$WORK/no/dir/v.txt" > /dev/null 2> "$WORK/errg"
rc=$?
if [ $rc -ne 0 ] && [ $rc -ne 124 ] && grep -q "rank 0 of 2 failed" "$WORK/errg"; then
  ok "rank 0 failing: job exit $rc"
else
  not_ok "rank 0 failing ends the job" "exit $rc: $(head -c 400 "$WORK/errg")"
fi

finish
