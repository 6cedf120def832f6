#!/usr/bin/env bash
# Outputs appear whole or not at all: a directory as -output fails before any
# training, a write past `ulimit -f` is an error that leaves no temporary
# file, and temporary files of a killed run are removed by the next run.
WL=$(realpath "${1:?usage: output_safety.sh path/to/wordlens}")
. "$(dirname "$0")/lib.sh"

make_corpus "$WORK/c.txt" 3000 7
COMMON=(-window 3 -threads 2 -min-count 5 -sample 0 -debug 0)

mkdir "$WORK/outdir"
start=$(date +%s%N)
expect_fail "train -output DIRECTORY fails before training" "outdir': it is a directory" "$WORK/outdir/x" -- \
  "$WL" train -train "$WORK/c.txt" -output "$WORK/outdir" "${COMMON[@]}" -size 16 -iter 50
ms=$(( ($(date +%s%N) - start) / 1000000 ))
if [ -d "$WORK/outdir" ] && [ -z "$(ls -A "$WORK/outdir")" ] && [ "$ms" -lt 5000 ]; then
  ok "the directory is untouched and the refusal came first (${ms} ms for 50 epochs' worth of options)"
else
  not_ok "the directory is untouched and the refusal came first" "${ms} ms; contents: $(ls -A "$WORK/outdir")"
fi

# A write past the file-size limit: EFBIG, not death by SIGXFSZ.
err="$WORK/xfsz.err"
bash -c 'ulimit -f 8; exec "$@"' _ "$WL" train -train "$WORK/c.txt" -output "$WORK/big.txt" "${COMMON[@]}" -size 200 -iter 1 \
  > /dev/null 2> "$err"
rc=$?
if [ $rc -ne 0 ] && [ $rc -lt 128 ] && grep -q "cannot write .*big.txt" "$err" && [ ! -e "$WORK/big.txt" ] &&
   ! ls "$WORK"/big.txt.tmp-* > /dev/null 2>&1; then
  ok "past ulimit -f: exit $rc, '$(tail -n 1 "$err")', no output and no temporary file"
else
  not_ok "past ulimit -f" "exit $rc; $(tail -n 2 "$err"); left: $(ls "$WORK" | grep big)"
fi

# A temporary file of a process that is gone (kill -9) is removed, with a
# warning; one of a running process is left alone.
( exit 0 ) & dead=$!; wait $dead
touch "$WORK/v.bin.tmp-$dead-Ab12Cd" "$WORK/v.bin.tmp-$$-Ef34Gh"
if "$WL" train -train "$WORK/c.txt" -output "$WORK/v.bin" -binary 1 "${COMMON[@]}" -size 16 -iter 1 > /dev/null 2> "$WORK/stale.err" &&
   [ ! -e "$WORK/v.bin.tmp-$dead-Ab12Cd" ] && [ -e "$WORK/v.bin.tmp-$$-Ef34Gh" ] &&
   grep -q "removed '.*v.bin.tmp-$dead-Ab12Cd', a temporary file left by an interrupted run" "$WORK/stale.err"; then
  ok "a dead run's temporary file is removed with a warning; a live one's is kept"
else
  not_ok "stale temporary files" "$(cat "$WORK/stale.err"); left: $(ls "$WORK" | grep tmp)"
fi

# An output that is one of the inputs (however it is spelled) is refused
# before anything is written: the corpus survives.
cp "$WORK/c.txt" "$WORK/keep.txt"
sum_before=$(md5sum < "$WORK/keep.txt")
expect_fail "train -output = -train (./keep.txt vs keep.txt)" \
  "-output 'keep.txt' is the same file as -train './keep.txt'" "$WORK/none" -- \
  bash -c 'cd "$1" && shift && exec "$@"' _ "$WORK" "$WL" train -train ./keep.txt -output keep.txt "${COMMON[@]}" -size 16 -iter 1
ln "$WORK/keep.txt" "$WORK/hardlink.txt"
expect_fail "train -save-vocab = a hard link of -train" "-save-vocab '.*hardlink.txt' is the same file as -train" "$WORK/none" -- \
  "$WL" train -train "$WORK/keep.txt" -output "$WORK/v2.bin" -save-vocab "$WORK/hardlink.txt" "${COMMON[@]}" -size 16 -iter 1
expect_fail "bpe train --output = --input" "--output '.*keep.txt' is the same file as --input" "$WORK/none" -- \
  "$WL" bpe train --input "$WORK/keep.txt" --output "$WORK/keep.txt" --vocab-size 300
if [ "$(md5sum < "$WORK/keep.txt")" = "$sum_before" ]; then ok "the corpus is unchanged"
else not_ok "the corpus is unchanged"; fi

# export writes two files: both or neither. Words of 90 bytes and one
# dimension make the word list far larger than the numbers, so a file-size
# limit between the two sizes fails the second file after the first was done.
awk 'BEGIN { print "400 1"; for (i = 0; i < 400; i++) { w = sprintf("w%04d", i); while (length(w) < 90) w = w "x"; print w " 0.5" } }' \
  > "$WORK/long-words.txt"
bash -c 'ulimit -f 16; exec "$@"' _ "$WL" export "$WORK/long-words.txt" --format npy "$WORK/ex.npy" > /dev/null 2> "$WORK/ex.err"
rc=$?
if [ $rc -ne 0 ] && [ ! -e "$WORK/ex.npy" ] && [ ! -e "$WORK/ex.vocab.txt" ] && ! ls "$WORK"/ex.*tmp-* > /dev/null 2>&1; then
  ok "export npy past ulimit -f: exit $rc, neither ex.npy nor ex.vocab.txt ($(tail -n 1 "$WORK/ex.err"))"
else
  not_ok "export npy past ulimit -f" "exit $rc; left: $(ls "$WORK" | grep '^ex')"
fi
bash -c 'ulimit -f 16; exec "$@"' _ "$WL" export "$WORK/long-words.txt" --format tsv "$WORK/proj" > /dev/null 2> "$WORK/ex.err"
rc=$?
if [ $rc -ne 0 ] && [ ! -e "$WORK/proj" ]; then
  ok "export tsv past ulimit -f: exit $rc, no directory left"
else
  not_ok "export tsv past ulimit -f" "exit $rc; left: $(ls -R "$WORK/proj" 2>&1 | head -5)"
fi

finish
