#!/usr/bin/env bash
# wordlens bpe train / encode / decode end to end, and train --tokenizer.
WL=${1:?usage: bpe.sh path/to/wordlens}
. "$(dirname "$0")/lib.sh"

make_corpus "$WORK/c.txt" 4000 2
{
  cat "$WORK/c.txt"
  printf 'Привет, мир! Съешь же ещё этих мягких булок\n日本語のテキストと中文文本\nemoji \xf0\x9f\x98\x80\xf0\x9f\x91\x8d ok\n'
} > "$WORK/train.txt"
"$WL" bpe train --input "$WORK/train.txt" --vocab-size 400 --output "$WORK/m.bpe" --threads 2 > "$WORK/train.out" 2>&1
if grep -qE '^vocabulary size +[0-9]+ \(5 specials \+ 256 bytes \+ [0-9]+ merges\)' "$WORK/train.out" &&
  grep -qE '^bytes per token +[0-9.]+$' "$WORK/train.out" && grep -qE '^tokens per word +[0-9.]+$' "$WORK/train.out" &&
  head -n 1 "$WORK/m.bpe" | grep -q '^wordlens-bpe 1$'; then
  ok "bpe train: summary and model header"
else
  not_ok "bpe train" "$(head -c 400 "$WORK/train.out")"
fi
"$WL" bpe train --input "$WORK/train.txt" --vocab-size 400 --output "$WORK/m1.bpe" --threads 1 > /dev/null 2>&1
cmp -s "$WORK/m.bpe" "$WORK/m1.bpe" && ok "same model with 1 and 2 threads" || not_ok "thread-independent model"

# Round trip: the training text, scripts, emoji, invalid UTF-8, random bytes, a line without '\n'.
{
  cat "$WORK/train.txt"
  printf 'bad \xff\xfe utf8 \xc3\x28 and tabs\t\t and  double  spaces \r\n\n\n'
  head -c 20000 /dev/urandom
  printf '\nno final newline'
} > "$WORK/rt.txt"
"$WL" bpe encode --model "$WORK/m.bpe" --ids < "$WORK/rt.txt" > "$WORK/ids.txt"
"$WL" bpe decode --model "$WORK/m.bpe" < "$WORK/ids.txt" > "$WORK/back.txt"
{ cat "$WORK/rt.txt"; echo; } > "$WORK/rt-nl.txt"   # encode ends the last line
if cmp -s "$WORK/back.txt" "$WORK/rt-nl.txt" && [ "$(wc -l < "$WORK/ids.txt")" -eq "$(wc -l < "$WORK/rt-nl.txt")" ]; then
  ok "decode(encode(x)) == x for mixed scripts, invalid UTF-8 and random bytes"
else
  not_ok "round trip"
fi
"$WL" bpe encode --model "$WORK/m.bpe" --ids --threads 2 < "$WORK/rt.txt" > "$WORK/ids2.txt"
cmp -s "$WORK/ids.txt" "$WORK/ids2.txt" && ok "encode with 2 threads gives the same ids" || not_ok "threaded encode"
out=$(printf 'c1w1 c1w2\n' | "$WL" bpe encode --model "$WORK/m.bpe")
echo "$out" | grep -q '^Ġc1w1 Ġc1w2$' && ok "shown tokens: '$out'" || not_ok "shown tokens" "$out"

expect_fail "empty stdin" "empty" "$WORK/e.bpe" -- bash -c "'$WL' bpe train --input - --vocab-size 300 --output '$WORK/e.bpe' < /dev/null"
: > "$WORK/empty.txt"
expect_fail "empty input file" "empty" "$WORK/e.bpe" -- "$WL" bpe train --input "$WORK/empty.txt" --vocab-size 300 --output "$WORK/e.bpe"
expect_fail "vocab size too small" "at least 261" "$WORK/e.bpe" -- "$WL" bpe train --input "$WORK/train.txt" --vocab-size 100 --output "$WORK/e.bpe"
head -c 2000 "$WORK/m.bpe" > "$WORK/trunc.bpe"
expect_fail "truncated model" "trunc.bpe:[0-9]+: " "$WORK/none" -- "$WL" bpe encode --model "$WORK/trunc.bpe"
printf '#version: 0.2\nG t\n' > "$WORK/foreign.bpe"
expect_fail "foreign model" "not a wordlens BPE model" "$WORK/none" -- "$WL" bpe decode --model "$WORK/foreign.bpe"
expect_fail "id out of range" "line 2: token id 4000 is outside the vocabulary" "$WORK/none" -- bash -c "printf '5 6\n4000\n' | '$WL' bpe decode --model '$WORK/m.bpe'"
expect_fail "non-integer ids" "line 1: expected integer token ids" "$WORK/none" -- bash -c "printf 'Ġc1w1\n' | '$WL' bpe decode --model '$WORK/m.bpe'"

# Word2Vec over BPE tokens.
if "$WL" train -train "$WORK/c.txt" --tokenizer "$WORK/m.bpe" -output "$WORK/v.txt" -size 16 -iter 2 -threads 2 -min-count 1 \
  -debug 0 > /dev/null 2>&1 && grep -q '^Ġc1w1 ' "$WORK/v.txt"; then
  ok "train --tokenizer writes vectors of BPE tokens"
else
  not_ok "train --tokenizer"
fi
finish
