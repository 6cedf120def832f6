#!/usr/bin/env bash
# wordlens attention / context / ffn on a tiny encoder trained in a few
# seconds: files and summary lines, option ranges, static vs contextual
# neighbours, feed-forward neurons, and models from other vectors refused.
WL=${1:?usage: inspect.sh path/to/wordlens}
. "$(dirname "$0")/lib.sh"

make_corpus "$WORK/c.txt" 3000 7
"$WL" train -train "$WORK/c.txt" -output "$WORK/v.bin" -binary 1 -size 16 -iter 1 -threads 2 -min-count 5 -debug 0 > /dev/null
"$WL" train -train "$WORK/c.txt" -output "$WORK/other.bin" -binary 1 -size 16 -iter 1 -threads 2 --max-vocab 20 -debug 0 > /dev/null
if ! "$WL" encoder train --corpus "$WORK/c.txt" --vectors "$WORK/v.bin" --output "$WORK/enc.safetensors" --layers 2 --heads 2 \
  --max-len 16 --batch-tokens 256 --steps 20 --threads 2 > /dev/null 2> "$WORK/train.err"; then
  not_ok "encoder train" "$(tail -n 3 "$WORK/train.err")"
  finish
  exit
fi
M=(--model "$WORK/enc.safetensors" --vectors "$WORK/v.bin")
OTHER=(--model "$WORK/enc.safetensors" --vectors "$WORK/other.bin")
# Normalised: [CLS] c0w1 c0w2 c0w3 zebra's c1w4 -> T = 6, zebra's unknown.
S="C0W1 c0w2, c0w3 zebra's c1w4!"
T=6

# attention: every layer x head, T x T cells each, one summary line per token per head.
if "$WL" attention "${M[@]}" "$S" --out "$WORK/att" > "$WORK/att.txt" 2> "$WORK/att.err"; then
  files=$(ls "$WORK/att" | grep -c '^attention_L[0-9]_H[0-9]\.svg$')
  bad=""
  for f in "$WORK"/att/attention_L{0,1}_H{0,1}.svg; do
    [ -f "$f" ] || { bad="$bad missing:$(basename "$f")"; continue; }
    [ "$(head -c 4 "$f")" = "<svg" ] || bad="$bad not-svg:$(basename "$f")"
    cells=$(grep -o '<rect class="cell"' "$f" | wc -l)
    [ "$cells" -eq $((T * T)) ] || bad="$bad $(basename "$f"):$cells-cells"
  done
  head_lines=$(grep -cE '^L[0-9]+ H[0-9]+ ' "$WORK/att.txt")
  mean_lines=$(grep -cE '^L[0-9]+ mean ' "$WORK/att.txt")
  if [ "$files" -eq 4 ] && [ -z "$bad" ] && [ "$head_lines" -eq $((2 * 2 * T)) ] && [ "$mean_lines" -eq $((2 * T)) ] &&
    grep -qE '^L0 H0 +\[CLS\] +-> ' "$WORK/att.txt" && grep -q '\[UNK\]:zebra'"'"'s' "$WORK/att.txt"; then
    ok "attention: 4 SVGs of $T x $T cells, $head_lines head lines + $mean_lines mean lines"
  else
    not_ok "attention" "files=$files bad=[$bad] head_lines=$head_lines mean_lines=$mean_lines $(head -n 3 "$WORK/att.txt")"
  fi
else
  not_ok "attention" "$(cat "$WORK/att.err")"
fi
if "$WL" attention "${M[@]}" "$S" --layer 1 --head 0 --out "$WORK/one" > "$WORK/one.txt" 2> /dev/null &&
  [ "$(ls "$WORK/one")" = "attention_L1_H0.svg" ] && [ "$(grep -cE '^L1 H0 ' "$WORK/one.txt")" -eq $T ] &&
  [ "$(grep -cE '^L[0-9]+ H[0-9]+ ' "$WORK/one.txt")" -eq $T ]; then
  ok "attention --layer 1 --head 0: one file, $T summary lines"
else
  not_ok "attention --layer/--head" "$(ls "$WORK/one" 2>&1) $(head -n 2 "$WORK/one.txt")"
fi
expect_fail "attention: --layer out of range" "--layer 2 is out of range: the model has 2 layers \(valid: 0\.\.1\)" "$WORK/bad" -- \
  "$WL" attention "${M[@]}" "$S" --layer 2 --out "$WORK/bad"
expect_fail "attention: --head out of range" "--head -3 is out of range: .*valid: 0\.\.1" "$WORK/bad" -- \
  "$WL" attention "${M[@]}" "$S" --head -3 --out "$WORK/bad"
expect_fail "attention: --format png" "--format must be svg" "$WORK/bad" -- \
  "$WL" attention "${M[@]}" "$S" --format png --out "$WORK/bad"
expect_fail "attention: sentence without tokens" "no tokens after normalisation" "$WORK/bad" -- \
  "$WL" attention "${M[@]}" "?! ..." --out "$WORK/bad"

# context: static list depends on the word only, the contextual one on the sentence.
column() { awk -F'|' -v c="$1" 'NR > 2 { print $c }' "$2"; }
if "$WL" context "${M[@]}" "c0w1 c0w2 c0w3 c1w4" c0w2 --top 5 > "$WORK/ctx1.txt" 2> "$WORK/ctx.err" &&
  "$WL" context "${M[@]}" "c3w1 c3w2 C0W2 c3w3 c3w4" c0w2 --top 5 > "$WORK/ctx2.txt" 2>> "$WORK/ctx.err"; then
  n1=$(column 1 "$WORK/ctx1.txt" | grep -c 'c[0-9]w[0-9]')
  n2=$(column 2 "$WORK/ctx1.txt" | grep -c 'c[0-9]w[0-9]')
  if [ "$n1" -eq 5 ] && [ "$n2" -eq 5 ] && grep -q 'static.*|.*contextual' "$WORK/ctx1.txt" &&
    [ "$(column 1 "$WORK/ctx1.txt")" = "$(column 1 "$WORK/ctx2.txt")" ] &&
    [ "$(column 2 "$WORK/ctx1.txt")" != "$(column 2 "$WORK/ctx2.txt")" ] &&
    ! column 1 "$WORK/ctx1.txt" | grep -qw c0w2 && ! column 2 "$WORK/ctx1.txt" | grep -qw c0w2; then
    ok "context: 2 x 5 neighbours, static list the same and contextual list different across sentences"
  else
    not_ok "context" "n1=$n1 n2=$n2 $(cat "$WORK/ctx1.txt" "$WORK/ctx2.txt")"
  fi
else
  not_ok "context" "$(cat "$WORK/ctx.err")"
fi
if "$WL" context "${M[@]}" "c0w1 c0w2 c0w3" c0w3 --top 3 --json > "$WORK/ctx.json" &&
  grep -qE '^\{"word":"c0w3","static":\[(\{[^}]*\},?){3}\],"contextual":\[\{"sentence":1,"layer":1,"tokens":\["\[CLS\]","c0w1","c0w2","c0w3"\],"position":3,"neighbours":\[(\{[^}]*\},?){3}\]\}\],"cosines":\[\]\}$' "$WORK/ctx.json"; then
  ok "context --json"
else
  not_ok "context --json" "$(cat "$WORK/ctx.json")"
fi
expect_fail "context: word not in the sentence" "'c5w5' does not occur in the sentence \(its tokens: c0w1 c0w2\)" "$WORK/none" -- \
  "$WL" context "${M[@]}" "c0w1 c0w2" c5w5
expect_fail "context: word not in the vocabulary" "'zebra' is not a word of the vectors" "$WORK/none" -- \
  "$WL" context "${M[@]}" "a zebra" zebra
expect_fail "context: two words" "must be a single token" "$WORK/none" -- \
  "$WL" context "${M[@]}" "c0w1 c0w2" "c0w1 c0w2"

# ffn: the requested number of neurons, --top words each.
if "$WL" ffn "${M[@]}" "$S" --layer 0 --neurons 3 --top 4 > "$WORK/ffn.txt" 2> "$WORK/ffn.err" &&
  [ "$(grep -c '^neuron ' "$WORK/ffn.txt")" -eq 3 ] &&
  [ "$(grep '^neuron ' "$WORK/ffn.txt" | awk -F' -> ' '{ n = split($2, a, " "); if (n != 8) bad = 1 } END { print bad + 0 }')" -eq 0 ] &&
  grep -q '^layer 0 feed-forward' "$WORK/ffn.txt"; then
  ok "ffn: 3 neurons x 4 words"
else
  not_ok "ffn" "$(cat "$WORK/ffn.txt" "$WORK/ffn.err")"
fi
if "$WL" ffn "${M[@]}" "$S" --score max > "$WORK/ffn2.txt" && [ "$(grep -c '^neuron .* max ' "$WORK/ffn2.txt")" -eq 5 ] &&
  grep -q '^layer 1 feed-forward' "$WORK/ffn2.txt"; then
  ok "ffn defaults: last layer, 5 neurons, --score max"
else
  not_ok "ffn defaults" "$(cat "$WORK/ffn2.txt")"
fi
expect_fail "ffn: --layer out of range" "--layer 7 is out of range" "$WORK/none" -- "$WL" ffn "${M[@]}" "$S" --layer 7
expect_fail "ffn: --score" "--score: 'mean' is not one of sum, max" "$WORK/none" -- "$WL" ffn "${M[@]}" "$S" --score mean

# A model trained on other vectors is refused by all three.
expect_fail "attention: other vectors" "differs from the one" "$WORK/bad" -- "$WL" attention "${OTHER[@]}" "$S" --out "$WORK/bad"
expect_fail "context: other vectors" "differs from the one" "$WORK/none" -- "$WL" context "${OTHER[@]}" "$S" c0w2
expect_fail "ffn: other vectors" "differs from the one" "$WORK/none" -- "$WL" ffn "${OTHER[@]}" "$S"
finish
