#!/usr/bin/env bash
# wordlens encoder train on bad input: divergence, non-finite and
# out-of-range options, damaged or mismatched checkpoints, the CSV log on
# resume. Each must fail with one clear line and leave no output behind.
WL=${1:?usage: encoder_train.sh path/to/wordlens}
. "$(dirname "$0")/lib.sh"

make_corpus "$WORK/c.txt" 200 5
"$WL" train -train "$WORK/c.txt" -output "$WORK/v.bin" -binary 1 -size 8 -iter 1 -threads 1 -min-count 1 -debug 0 > /dev/null 2>&1
T=(--corpus "$WORK/c.txt" --vectors "$WORK/v.bin" --layers 1 --heads 2 --ffn-mult 2 --max-len 16 --batch-tokens 256
  --warmup 1 --threads 1)
O="$WORK/t.safetensors"
# CMD with its corpus summary and progress lines dropped from stderr (the
# error must still be the one line left).
filtered() {
  "$@" 2> "$WORK/raw_err"
  local rc=$?
  grep -vE '^(wordlens: corpus|step [0-9]+/)' "$WORK/raw_err" >&2
  return $rc
}

# 1. Divergence: a non-finite loss stops training, with no weights and no checkpoint.
expect_fail "train: diverging at --lr 5e4" "training diverged at step [0-9]+ \(loss (nan|inf)\): lower --lr \(now 50000\)" "$O" -- \
  filtered "$WL" encoder train "${T[@]}" --output "$O" --steps 30 --lr 5e4
if [ -e "$O.ckpt" ]; then not_ok "train: no checkpoint of a diverged run"; else ok "train: no checkpoint of a diverged run"; fi
rm -f "$WORK"/t.*

# 2. Non-finite and out-of-range options, each named in one line.
bad_option() {  # NAME PATTERN OPTION VALUE
  expect_fail "train: $1" "$2" "$O" -- "$WL" encoder train "${T[@]}" --output "$O" --steps 2 "$3" "$4"
}
bad_option "--epochs inf" "--epochs must be a finite number" --epochs inf
expect_fail "train: --epochs 1e30" "--epochs E in \(0, 1e6\]" "$O" -- "$WL" encoder train "${T[@]}" --output "$O" --epochs 1e30
bad_option "--checkpoint-every nan" "checkpoint-every' is invalid" --checkpoint-every nan
bad_option "--checkpoint-every 1e30" "checkpoint-every' is invalid" --checkpoint-every 1e30
bad_option "--checkpoint-every -1" "--checkpoint-every 18446744073709551615 is out of range" --checkpoint-every -1
bad_option "--snapshot-every -1" "--snapshot-every 18446744073709551615 is out of range" --snapshot-every -1
bad_option "--eval-every -1" "--eval-every 18446744073709551615 is out of range" --eval-every -1
bad_option "--dim 16 with 8-dimensional --vectors" "--dim 16: the vectors .*v.bin have 8 dimensions" --dim 16
bad_option "--lr nan" "--lr must be a finite number" --lr nan
bad_option "--lr inf" "--lr must be a finite number" --lr inf
bad_option "--lr -1" "--lr must be positive" --lr -1
bad_option "--weight-decay nan" "--weight-decay must be a finite number" --weight-decay nan
bad_option "--weight-decay -1" "--weight-decay must be in \[0, 1\]" --weight-decay -1
bad_option "--clip inf" "--clip must be a finite number" --clip inf
bad_option "--clip -1" "--clip must be at least 0" --clip -1
bad_option "--dropout nan" "--dropout must be a finite number" --dropout nan
bad_option "--temperature inf" "--temperature must be a finite number" --temperature inf
bad_option "--valid-fraction nan" "--valid-fraction must be a finite number" --valid-fraction nan

# 4. A damaged checkpoint or a directory as --checkpoint.
"$WL" encoder train "${T[@]}" --output "$O" --steps 4 --checkpoint-every 2 > /dev/null 2>&1
cp "$O.ckpt" "$WORK/good.ckpt"
rm -f "$O"
perl -0pi -e 's/"step":"2"/"step":"x"/' "$O.ckpt"
expect_fail "resume: 'step' not a number" "checkpoint '.*t.safetensors.ckpt': metadata 'step' is not a number" "$O" -- \
  filtered "$WL" encoder train "${T[@]}" --output "$O" --steps 4 --checkpoint-every 2 --resume
cp "$WORK/good.ckpt" "$O.ckpt"
perl -0pi -e 's/"tokens_seen":/"tokens_seex":/' "$O.ckpt"
expect_fail "resume: 'tokens_seen' missing" "checkpoint '.*t.safetensors.ckpt': metadata 'tokens_seen' is missing" "$O" -- \
  filtered "$WL" encoder train "${T[@]}" --output "$O" --steps 4 --checkpoint-every 2 --resume
mkdir -p "$WORK/ckdir"
expect_fail "train: --checkpoint a directory" "--checkpoint '.*ckdir' is a directory" "$O" -- \
  "$WL" encoder train "${T[@]}" --output "$O" --steps 4 --checkpoint "$WORK/ckdir"
rm -f "$WORK"/t.*

# 3. Resume with other vectors at the same path, or another corpus.
R=(--corpus "$WORK/c.txt" --vectors "$WORK/v.bin" --layers 1 --heads 2 --ffn-mult 2 --max-len 16 --batch-tokens 256
  --warmup 1 --threads 1 --output "$O" --steps 6 --checkpoint-every 2)
"$WL" encoder train "${R[@]}" > /dev/null 2>&1
rm -f "$O"
cp "$O.ckpt" "$WORK/ckpt6"
cp "$WORK/v.bin" "$WORK/v8.bin"
"$WL" train -train "$WORK/c.txt" -output "$WORK/v.bin" -binary 1 -size 12 -iter 1 -threads 1 -min-count 1 -debug 0 > /dev/null 2>&1
expect_fail "resume: other vectors (another size) at the same path" \
  "checkpoint '.*t.safetensors.ckpt': tensor 'embedding.weight' has shape \[[0-9]+, 8\], the model \[[0-9]+, 12\]" "$O" -- \
  filtered "$WL" encoder train "${R[@]}" --resume
head -c 2000 "$WORK/c.txt" > "$WORK/c2.txt"
"$WL" train -train "$WORK/c2.txt" -output "$WORK/v.bin" -binary 1 -size 8 -iter 1 -threads 1 -min-count 1 -debug 0 > /dev/null 2>&1
expect_fail "resume: other vectors (another vocabulary) at the same path" \
  "checkpoint '.*' was written with another vocabulary .*: resume with the same --vectors or --tokenizer" "$O" -- \
  filtered "$WL" encoder train "${R[@]}" --resume
cp "$WORK/v8.bin" "$WORK/v.bin"
make_corpus "$WORK/c.txt" 200 6
expect_fail "resume: another corpus" "checkpoint '.*' was written for another corpus .*: resume with the same --corpus" "$O" -- \
  filtered "$WL" encoder train "${R[@]}" --resume
make_corpus "$WORK/c.txt" 200 5
cp "$WORK/good.ckpt" "$O.ckpt"
perl -0pi -e 's/"train_corpus_fingerprint":/"train_corpus_fingerprinX":/' "$O.ckpt"
expect_fail "resume: a checkpoint of an older wordlens" "written by an older wordlens: start again without --resume" "$O" -- \
  filtered "$WL" encoder train "${T[@]}" --output "$O" --steps 4 --checkpoint-every 2 --resume
rm -f "$WORK"/t.*

# 5. The CSV log after a kill and --resume: each step once, seconds going on.
L=(--corpus "$WORK/c.txt" --vectors "$WORK/v.bin" --layers 1 --heads 2 --ffn-mult 2 --max-len 16 --batch-tokens 256
  --warmup 1 --threads 1 --output "$O" --steps 40 --eval-every 0 --checkpoint-every 20)
# The checkpoint is written at step 20 (not at the last step): like a run
# killed after step 40 was logged but before it finished.
"$WL" encoder train "${L[@]}" > /dev/null 2>&1
rm -f "$O"
sleep 1
if "$WL" encoder train "${L[@]}" --resume > /dev/null 2> "$WORK/err" && [ -s "$O" ]; then
  steps=$(cut -d, -f1 "$O.csv" | tail -n +2 | tr '\n' ' ')
  if [ "$steps" != "10 20 30 40 " ]; then
    not_ok "resume: each step once in the log" "steps: $steps"
  elif ! awk -F, 'NR > 1 { if ($4 + 0 < last) exit 1; last = $4 + 0 }' "$O.csv"; then
    not_ok "resume: seconds go on in the log" "$(cat "$O.csv")"
  else
    ok "resume: the log has each step once and its seconds go on"
  fi
else
  not_ok "resume for the log test" "$(cat "$WORK/err")"
fi
rm -f "$WORK"/t.*

# 6. --snapshot-every writes the weights at those steps (not at the last,
# which is the output); --preset sets defaults that given options override.
"$WL" encoder train "${T[@]}" --output "$O" --steps 5 --snapshot-every 2 > /dev/null 2>&1
snaps=$(cd "$WORK" && ls t.step*.safetensors 2> /dev/null | tr '\n' ' ')
if [ "$snaps" = "t.step2.safetensors t.step4.safetensors " ] && [ -s "$O" ] &&
   "$WL" encoder info "$WORK/t.step2.safetensors" > /dev/null 2>&1; then
  ok "train: --snapshot-every 2 of 5 steps writes steps 2 and 4, loadable"
else
  not_ok "train: --snapshot-every" "snapshots: '$snaps'"
fi
help_default() {  # ARGS... -> "--layers (=N) --epochs (=E) --lr (=R)" from --help
  "$WL" encoder train "$@" --help | sed -nE 's/^ *--(layers|epochs|lr) arg \(=([^)]*)\).*/\1=\2/p' | tr '\n' ' '
}
std=$(help_default --preset standard)
quick=$(help_default --preset=quick)
if [ "$std" = "layers=4 epochs=5 lr=5e-4 " ] && [ "$quick" = "layers=2 epochs=1.5 lr=0.001 " ]; then
  ok "train: --preset sets the defaults shown by --help"
else
  not_ok "train: --preset defaults" "standard: '$std'; quick: '$quick'"
fi
"$WL" encoder train --preset quick "${T[@]}" --output "$O" --steps 2 > /dev/null 2>&1
layers=$("$WL" encoder info "$O" --json | /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["config"]["n_layers"])')
if [ "$layers" = 1 ]; then ok "train: a given --layers wins over --preset's"; else not_ok "train: --layers with --preset" "n_layers $layers"; fi
rm -f "$WORK"/t.*
expect_fail "train: --preset fast" "--preset: 'fast' is not one of quick, standard" "$O" -- \
  "$WL" encoder train "${T[@]}" --output "$O" --steps 2 --preset fast
finish
