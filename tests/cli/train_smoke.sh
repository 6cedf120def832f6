#!/usr/bin/env bash
# End-to-end `wordlens train`: formats, inputs (file, directory, stdin),
# progress when piped, and interrupt + --resume giving identical vectors.
WL=${1:?usage: train_smoke.sh path/to/wordlens}
. "$(dirname "$0")/lib.sh"

make_corpus "$WORK/c.txt" 3000 7
COMMON=(-size 16 -window 3 -iter 2 -threads 2 -min-count 5 -sample 0)

# Text format as word2vec.c writes it.
if "$WL" train -train "$WORK/c.txt" -output "$WORK/v.txt" "${COMMON[@]}" -debug 0 > /dev/null 2>&1; then
  header=$(head -n 1 "$WORK/v.txt")
  second=$(sed -n 2p "$WORK/v.txt")
  rows=$(($(wc -l < "$WORK/v.txt") - 1))
  nvals=$(echo "$second" | awk '{print NF - 1}')
  if [ "$header" = "$rows 16" ] && [ "${second%% *}" = "</s>" ] && [ "$nvals" = 16 ] &&
    echo "$second" | grep -qE '^</s> (-?[0-9]+\.[0-9]{6} ){16}$'; then
    ok "text format: header '$header', </s> first, 16 '%lf ' values per row"
  else
    not_ok "text format" "header='$header' rows=$rows second='${second:0:80}'"
  fi
else
  not_ok "text training run"
fi

# Binary format: header, then "word " + 16 float32 + "\n" per row.
"$WL" train -train "$WORK/c.txt" -output "$WORK/v.bin" -binary 1 "${COMMON[@]}" -debug 0 > /dev/null 2>&1
vocab=$(head -n 1 "$WORK/v.txt" | cut -d' ' -f1)
expect_bytes=$(($(head -n 1 "$WORK/v.bin" | wc -c) + vocab * (16 * 4 + 2)))
words_bytes=$(tail -n +2 "$WORK/v.txt" | awk '{s += length($1)} END {print s}')
expect_bytes=$((expect_bytes + words_bytes))
actual=$(wc -c < "$WORK/v.bin")
[ "$actual" -eq "$expect_bytes" ] && ok "binary format size ($actual bytes)" || not_ok "binary format size" "$actual != $expect_bytes"

# -save-vocab then -read-vocab gives the same vocabulary.
"$WL" train -train "$WORK/c.txt" -output "$WORK/a.txt" "${COMMON[@]}" -save-vocab "$WORK/vocab.txt" -debug 0 > /dev/null 2>&1
"$WL" train -train "$WORK/c.txt" -output "$WORK/b.txt" "${COMMON[@]}" -read-vocab "$WORK/vocab.txt" -debug 0 > /dev/null 2>&1
if [ "$(head -n 1 "$WORK/vocab.txt")" = "</s> 3000" ] && [ "$(cut -d' ' -f1 "$WORK/a.txt")" = "$(cut -d' ' -f1 "$WORK/b.txt")" ]; then
  ok "-save-vocab / -read-vocab"
else
  not_ok "-save-vocab / -read-vocab" "$(head -n 2 "$WORK/vocab.txt" | tr '\n' '|')"
fi

# Directory and stdin input read the same words as the file.
mkdir -p "$WORK/dir/sub"
head -n 1500 "$WORK/c.txt" > "$WORK/dir/a.txt"
tail -n 1500 "$WORK/c.txt" > "$WORK/dir/sub/b.txt"
"$WL" train -train "$WORK/dir" -output "$WORK/d.txt" "${COMMON[@]}" -save-vocab "$WORK/vocab-dir.txt" -debug 0 > /dev/null 2>&1
"$WL" train -train - -output "$WORK/s.txt" "${COMMON[@]}" -save-vocab "$WORK/vocab-stdin.txt" -debug 0 < "$WORK/c.txt" > /dev/null 2>&1
if cmp -s "$WORK/vocab.txt" "$WORK/vocab-dir.txt" && cmp -s "$WORK/vocab.txt" "$WORK/vocab-stdin.txt"; then
  ok "directory and stdin input count the same vocabulary as the file"
else
  not_ok "directory / stdin input"
fi

# Progress when piped: plain lines with percent, words/s, alpha, loss, ETA.
"$WL" train -train "$WORK/c.txt" -output "$WORK/p.txt" "${COMMON[@]}" --progress-every 0 > "$WORK/summary" 2> "$WORK/progress"
if grep -qE '^progress +[0-9.]+%  [0-9.]+[kMG]? words/s  alpha [0-9.]+  loss [0-9.]+  ETA [0-9:]+$' "$WORK/progress" &&
  ! grep -q $'\r' "$WORK/progress" && grep -q '^words/s' "$WORK/summary" && grep -q '^vocabulary size' "$WORK/summary"; then
  ok "progress lines when piped, and a final summary"
else
  not_ok "progress output" "$(head -c 300 "$WORK/progress")"
fi

# Interrupt (SIGINT) + --resume == uninterrupted run, bit for bit (deterministic mode).
make_corpus "$WORK/big.txt" 60000 3
RUN=(-train "$WORK/big.txt" -cbow 0 -size 32 -window 5 -iter 10 -threads 3 -min-count 1 -sample 0 --deterministic -debug 0)
"$WL" train "${RUN[@]}" -output "$WORK/full.bin" -binary 1 > /dev/null 2>&1
"$WL" train "${RUN[@]}" -output "$WORK/part.bin" -binary 1 > /dev/null 2> "$WORK/int.err" &
pid=$!
sleep 1
kill -INT $pid
wait $pid
rc=$?
if [ $rc -eq 130 ] && [ -s "$WORK/part.bin.ckpt" ] && [ ! -e "$WORK/part.bin" ]; then
  ok "SIGINT writes a checkpoint, exits 130, writes no vectors"
  "$WL" train "${RUN[@]}" -output "$WORK/part.bin" -binary 1 --resume > /dev/null 2>&1
  if cmp -s "$WORK/full.bin" "$WORK/part.bin"; then
    ok "--resume after SIGINT gives bit-identical vectors"
  else
    not_ok "--resume after SIGINT" "vectors differ from the uninterrupted run"
  fi
  expect_fail "resume with other options" "written with -size 32, not 48" "$WORK/other.bin" -- \
    "$WL" train -train "$WORK/big.txt" -cbow 0 -size 48 -window 5 -iter 10 -threads 3 -min-count 1 -sample 0 \
    --deterministic -output "$WORK/other.bin" --checkpoint "$WORK/part.bin.ckpt" --resume
else
  not_ok "SIGINT handling" "rc=$rc (the run may have finished within 1 s) $(cat "$WORK/int.err")"
fi

finish
