#!/usr/bin/env bash
# Bad input to `wordlens train`: each case must give a one-line actionable
# error, a non-zero exit, and no partial output file.
WL=${1:?usage: bad_input.sh path/to/wordlens}
. "$(dirname "$0")/lib.sh"

OUT="$WORK/out.vec"
T=(train -output "$OUT" -iter 1)

expect_fail "missing corpus" "cannot open.*no-such-file" "$OUT" -- "$WL" "${T[@]}" -train "$WORK/no-such-file.txt"
: > "$WORK/empty.txt"
expect_fail "empty corpus" "empty" "$OUT" -- "$WL" "${T[@]}" -train "$WORK/empty.txt"
printf '   \n\t\n \n' > "$WORK/blank.txt"
expect_fail "whitespace-only corpus" "no words" "$OUT" -- "$WL" "${T[@]}" -train "$WORK/blank.txt"
printf 'one two three\nfour five six\n' > "$WORK/rare.txt"
expect_fail "every word below min-count" "min-count" "$OUT" -- "$WL" "${T[@]}" -train "$WORK/rare.txt"
printf 'good line here\nbad \xff\xfe bytes\n' > "$WORK/latin1.txt"
expect_fail "invalid UTF-8" "latin1.txt:2: invalid UTF-8" "$OUT" -- "$WL" "${T[@]}" -train "$WORK/latin1.txt" -min-count 1
printf 'some text\nwith a \0 NUL byte\n' > "$WORK/nul.txt"
expect_fail "NUL byte" "nul.txt:2: NUL byte" "$OUT" -- "$WL" "${T[@]}" -train "$WORK/nul.txt" -min-count 1
mkdir -p "$WORK/emptydir"
expect_fail "directory without files" "contains no files" "$OUT" -- "$WL" "${T[@]}" -train "$WORK/emptydir"

make_corpus "$WORK/ok.txt" 2000 1
expect_fail "size 0" "-size must be" "$OUT" -- "$WL" "${T[@]}" -train "$WORK/ok.txt" -size 0
expect_fail "window 0" "-window must be" "$OUT" -- "$WL" "${T[@]}" -train "$WORK/ok.txt" -window 0
expect_fail "neither hs nor negative" "neither hierarchical softmax nor negative" "$OUT" -- "$WL" "${T[@]}" -train "$WORK/ok.txt" -hs 0 -negative 0
expect_fail "--update misspelt" "--update: 'batched' is not one of pair, batch" "$OUT" -- "$WL" "${T[@]}" -train "$WORK/ok.txt" --update batched
expect_fail "--update batch with CBOW and -hs 1" "--update batch is implemented for CBOW with negative sampling only.*use --update pair" "$OUT" -- "$WL" "${T[@]}" -train "$WORK/ok.txt" -cbow 1 -hs 1 --update batch
expect_fail "--cache-mib -1" "--cache-mib must be between 0" "$OUT" -- "$WL" "${T[@]}" -train "$WORK/ok.txt" --cache-mib -1
expect_fail "--private-nodes -1" "--private-nodes must be between 0" "$OUT" -- "$WL" "${T[@]}" -train "$WORK/ok.txt" --private-nodes -1
expect_fail "threads 0" "-threads must be" "$OUT" -- "$WL" "${T[@]}" -train "$WORK/ok.txt" -threads 0
expect_fail "unknown option" "unrecognised|unrecognized" "$OUT" -- "$WL" "${T[@]}" -train "$WORK/ok.txt" -frobnicate 3
expect_fail "non-numeric value" "argument.*big.*--size.*invalid" "$OUT" -- "$WL" "${T[@]}" -train "$WORK/ok.txt" -size big
expect_fail "output directory missing" "cannot write" "$WORK/nodir/out.vec" -- "$WL" train -train "$WORK/ok.txt" -output "$WORK/nodir/out.vec" -size 8 -iter 1
expect_fail "resume without checkpoint" "cannot open checkpoint" "$OUT" -- "$WL" "${T[@]}" -train "$WORK/ok.txt" --resume
printf 'justoneword\n' > "$WORK/vocab.txt"
expect_fail "malformed -read-vocab" "vocab.txt:1: .*expected 'word count'" "$OUT" -- "$WL" "${T[@]}" -train "$WORK/ok.txt" -read-vocab "$WORK/vocab.txt"
expect_fail "embed: --input is a directory" "cannot read input '.*emptydir': it is a directory" "$WORK/emb.npy" -- \
  "$WL" embed --input "$WORK/emptydir" --output "$WORK/emb.npy" --vectors "$WORK/none.bin"

# A 200 MB line with no newline and no whitespace: one (cut) token, read in
# constant memory, then rejected by min-count.
head -c 200000000 /dev/zero | tr '\0' 'x' > "$WORK/huge-token.txt"
expect_fail "200 MB line, no whitespace" "min-count" "$OUT" -- "$WL" "${T[@]}" -train "$WORK/huge-token.txt"
rm -f "$WORK/huge-token.txt"

# A 200 MB line with no newline but ordinary words (like text8): trains, in
# memory that does not grow with the line.
yes 'the quick brown fox jumps over the lazy dog' | head -c 200000000 | tr '\n' ' ' > "$WORK/huge-line.txt"
if command -v /usr/bin/time > /dev/null; then
  /usr/bin/time -f '%M' -o "$WORK/rss" "$WL" train -train "$WORK/huge-line.txt" -output "$OUT" -size 8 -iter 1 \
    -threads 2 -min-count 1 -sample 1e-3 -debug 0 > /dev/null 2> "$WORK/err"
  rc=$?
  rss_kb=$(tail -n 1 "$WORK/rss")
else
  "$WL" train -train "$WORK/huge-line.txt" -output "$OUT" -size 8 -iter 1 -threads 2 -min-count 1 -debug 0 \
    > /dev/null 2> "$WORK/err"
  rc=$?
  rss_kb=0
fi
if [ "${WORDLENS_SANITIZED:-0}" = 1 ] && [ $rc -eq 0 ] && [ -s "$OUT" ]; then
  # scripts/sanitize.sh: ASan's shadow memory and quarantine inflate the RSS,
  # so only the run itself is checked; the Release build checks the memory.
  ok "200 MB line of words trains (peak RSS ${rss_kb} KiB not checked: WORDLENS_SANITIZED=1)"
elif [ $rc -eq 0 ] && [ -s "$OUT" ] && [ "$rss_kb" -lt 100000 ]; then
  ok "200 MB line of words trains in constant memory (peak RSS ${rss_kb} KiB)"
else
  not_ok "200 MB line of words" "rc=$rc rss=${rss_kb}KiB $(head -c 300 "$WORK/err")"
fi
rm -f "$WORK/huge-line.txt" "$OUT"

# Non-finite and out-of-range numbers are refused, never silently the default.
make_corpus "$WORK/num.txt" 500 5
for bad in "-alpha -1" "-alpha nan" "-alpha inf" "-alpha 0" "-alpha 2"; do
  expect_fail "train $bad" "-alpha must be in \\(0, 1\\]" "$WORK/num.bin" -- \
    "$WL" train -train "$WORK/num.txt" -output "$WORK/num.bin" -size 8 -iter 1 $bad
done
for bad in "-sample nan" "-sample -1" "-sample inf"; do
  expect_fail "train $bad" "-sample must be a number >= 0" "$WORK/num.bin" -- \
    "$WL" train -train "$WORK/num.txt" -output "$WORK/num.bin" -size 8 -iter 1 $bad
done

# Too high a learning rate: the loss turns NaN. Stop with the learning rate
# named, write nothing (it used to segfault on a NaN table index).
make_corpus "$WORK/div.txt" 20000 3
for threads in 1 2; do
  expect_fail "train -alpha 1 -threads $threads diverges cleanly" \
    "training diverged after [0-9]+ words .*lower the learning rate \\(-alpha 1\\)" "$WORK/div.bin" -- \
    "$WL" train -train "$WORK/div.txt" -output "$WORK/div.bin" -alpha 1 -threads $threads -size 16 -iter 3 \
    -min-count 1 -negative 15 -window 10 -sample 0 --checkpoint-every 50k -debug 0
  rm -f "$WORK/div.bin.ckpt"  # a periodic checkpoint from before the divergence may exist
done

finish
