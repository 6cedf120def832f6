#!/usr/bin/env bash
# Makes the seed corpora of the fuzz targets, tests/fuzz/corpus/<target>/,
# with the wordlens binary: small valid inputs of every loader (a few KB
# each), so that fuzzing starts from files that load and mutates from there.
#
# Usage: scripts/make_fuzz_seeds.sh [--wordlens PATH] [--out DIR] [--check FUZZ_BUILD_DIR]
#
#   --wordlens PATH  the binary (default build/wordlens; build it first)
#   --out DIR        where to write (default tests/fuzz/corpus; its target
#                    folders are emptied first)
#   --check DIR      afterwards, run every fuzz target of DIR/tests/fuzz (a
#                    -DWORDLENS_FUZZ=ON build) once over its seeds with
#                    WORDLENS_FUZZ_DEBUG=1 and fail if one is refused
#
# The checkpoints must match the fixed options of fuzz_w2v_checkpoint.cc and
# fuzz_encoder_checkpoint.cc: change both together. Nothing here reads
# ../shared/data: the STS, WiC, Lee and WSI samples are written out below in
# those data sets' formats.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WL=$ROOT/build/wordlens
OUT=$ROOT/tests/fuzz/corpus
CHECK=
while (($#)); do
  case "$1" in
    --wordlens) WL=${2:?}; shift 2 ;;
    --out) OUT=${2:?}; shift 2 ;;
    --check) CHECK=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "make_fuzz_seeds: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done
[[ -x $WL ]] || { echo "make_fuzz_seeds: no wordlens binary at $WL (build it, or pass --wordlens)" >&2; exit 1; }
WL=$(realpath "$WL")
[[ -z $CHECK ]] || CHECK=$(realpath "$CHECK")
OUT=$(realpath -m "$OUT")
TMP=$(mktemp -d -t wordlens-seeds.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
TARGETS=(vectors safetensors bpe_model w2v_checkpoint encoder_checkpoint vocab sts wic lee wsi sentence_index)
for t in "${TARGETS[@]}"; do
  mkdir -p "$OUT/$t"
  rm -f "$OUT/$t"/*
done
cd "$TMP"
run() { "$@" > "$TMP/log" 2>&1 || { echo "make_fuzz_seeds: failed: $*" >&2; cat "$TMP/log" >&2; exit 1; }; }

# A tiny corpus: 12 distinct words, 3 lines repeated.
for _ in 1 2 3 4 5 6 7 8; do
  echo "the cat sat on the mat"
  echo "a dog ate the old bone"
  echo "my cat and a dog sat"
done > c.txt

# --- vectors: text and binary word2vec files, and a CRLF text file
W2V=(-train c.txt -size 4 -window 2 -sample 0 -negative 2 -threads 1 -iter 1 -min-count 1 -cbow 0 -debug 0)
run "$WL" train "${W2V[@]}" -output v.txt -binary 0 -save-vocab vocab.txt
run "$WL" train "${W2V[@]}" -output v.bin -binary 1
cp v.txt "$OUT/vectors/text.txt"
cp v.bin "$OUT/vectors/binary.bin"
head -n 4 v.txt | sed '1s/.*/3 4/; s/$/\r/' > "$OUT/vectors/crlf.vec"

# --- vocab: word2vec.c's -save-vocab format
cp vocab.txt "$OUT/vocab/save_vocab.txt"
printf 'the 40\ncat 16\nsat 16\n</s> 24\nb\xc3\xa4r 3\n' > "$OUT/vocab/unordered.txt"

# --- bpe_model: a few merges, with and without specials
run "$WL" bpe train --input c.txt --vocab-size 270 --output "$OUT/bpe_model/specials.bpe"
run "$WL" bpe train --input c.txt --vocab-size 262 --special "" --output "$OUT/bpe_model/plain.bpe"

# --- safetensors: tiny encoders of each kind of layer
init() { run "$WL" encoder init --vocab 10 --dim 4 --ffn-mult 2 --max-len 6 "$@"; }
init --heads 2 --layers 1 --output "$OUT/safetensors/pre_gelu.safetensors"
init --heads 2 --layers 1 --output "$OUT/safetensors/post_relu_learned.safetensors" --post-norm --activation relu --positional learned
init --heads 1 --layers 2 --output "$OUT/safetensors/window_2layers.safetensors" --window 1

# header_form FILE: a safetensors file as JSON HEADER, separator, DATA (the
# form fuzz_util.h's safetensors_file turns back into a file, so that the
# fuzzer can grow a number in the header without breaking its length prefix)
header_form() {
  local n
  n=$(od -An -tu8 -N8 "$1" | tr -d ' ')
  tail -c +9 "$1" | head -c "$n"
  printf '\n=====\n'
  tail -c +$((9 + n)) "$1"
}
header_form "$OUT/safetensors/pre_gelu.safetensors" > "$OUT/safetensors/pre_gelu.header_form"
# file_form HEADER_FORM: the inverse, a safetensors file again
file_form() {
  local header LC_ALL=C
  header=$(sed -n 1p "$1")
  perl -e 'print pack("Q<", $ARGV[0])' "${#header}"
  printf '%s' "$header"
  tail -n +3 "$1"
}

# --- w2v_checkpoint: the options of fuzz_w2v_checkpoint.cc. Workers publish
# their word counts every 10000 words, so the corpus is c.txt 600 times
# (86400 words, still 12 distinct) with a checkpoint every 20000 words: the
# last one is left once training ends.
for _ in $(seq 600); do cat c.txt; done > big.txt
run "$WL" train -train big.txt -output ck.bin -size 4 -window 2 -sample 0 -hs 1 -negative 2 -threads 1 -iter 1 \
  -min-count 1 -cbow 0 --deterministic -debug 0 --checkpoint-every 20000
[[ -s ck.bin.ckpt ]] || { echo "make_fuzz_seeds: training left no checkpoint ck.bin.ckpt" >&2; exit 1; }
cp ck.bin.ckpt "$OUT/w2v_checkpoint/hs_negative.ckpt"

# --- encoder_checkpoint: the run of fuzz_encoder_checkpoint.cc (relative
# paths: they are part of the options signature)
run "$WL" encoder train --corpus c.txt --vectors v.bin --output m.safetensors --layers 1 --heads 2 --ffn-mult 2 \
  --max-len 8 --batch-tokens 64 --steps 2 --warmup 1 --threads 1 --checkpoint-every 1
# The vocabulary and corpus fingerprints depend on the files' mtimes: the
# seeds carry the fixed ones that fuzz_loaders.h's ResumeKey expects, so that
# a seed passes the key check and the fuzzer reaches the tensors.
header_form m.safetensors.ckpt |
  sed -E '1s/"train_vocab_fingerprint":"[^"]*"/"train_vocab_fingerprint":"fuzz-vocab"/;
          1s/"train_corpus_fingerprint":"[^"]*"/"train_corpus_fingerprint":"fuzz-corpus"/' \
  > "$OUT/encoder_checkpoint/step1.header_form"
grep -q '"train_corpus_fingerprint":"fuzz-corpus"' "$OUT/encoder_checkpoint/step1.header_form" ||
  { echo "make_fuzz_seeds: the encoder checkpoint has no train_corpus_fingerprint to replace" >&2; exit 1; }
file_form "$OUT/encoder_checkpoint/step1.header_form" > "$OUT/encoder_checkpoint/step1.ckpt"

# --- sts: genre, file, year, id, score, sentence 1, sentence 2 (tab-separated)
printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
  main-captions MSRvid 2012test 0001 5.000 "A cat sits on a mat." "A cat is sitting on the mat." \
  main-news headlines 2015 0002 1.25 "Dog eats old bone" "Markets fall in Asia" \
  main-forums answers-forums 2016 0003 3.6 "Is it safe?" "Is this safe?" > "$OUT/sts/sample.csv"

# --- wic: train.data.txt, train.gold.txt, dev.data.txt, dev.gold.txt joined
# by fuzz_util.h's separator "\n=====\n"
sep=$'\n=====\n'
{
  printf 'sit\tV\t2-1\tThe cat sat on the mat .\tWe sit down .'
  printf "$sep"
  printf 'T'
  printf "$sep"
  printf 'bone\tN\t3-0\tThe dog ate a bone .\tBone , broken .\nrun\tV\t0-3\tRunning late !\tThe engine is running .'
  printf "$sep"
  printf 'F\nT'
} > "$OUT/wic/train_dev.txt"

# --- lee: lee.cor and similarities0-1.txt joined by the separator
{
  printf 'The cat sat on the mat.\nA dog ate the old bone.\nMarkets fell in Asia today.\nMy cat and a dog sat.'
  printf "$sep"
  printf '1\t0.3\t0.1\t0.8\n0\t1\t0.2\t0.6\n0\t0\t1\t0.1\n0\t0\t0\t1'
} > "$OUT/lee/four_docs.txt"

# --- wsi: RUSSE 2018 layout; character ranges in code points (Cyrillic, a
# stress accent, a CSV-quoted context, an empty range)
{
  printf 'context_id\tword\tgold_sense_id\tpredict_sense_id\tpositions\tcontext\n'
  printf '1\tзамок\t1\t\t7-13\tстарый за́мок стоит\n'
  printf '2\tзамок\t2\t\t2-2,1-6\t"""замок"" на двери"\n'
  printf '3\tbank\t1\t\t4-8\tthe bank of the river\n'
  printf '4\tbank\t2\t\t0-4,13-17\tbank loans , bank\n'
} > "$OUT/wsi/sample.tsv"

# --- sentence_index: avg (f32) and sif (f16) indexes of the tiny corpus
run "$WL" index --input c.txt --output "$OUT/sentence_index/avg.idx" --vectors v.txt --chunk 5
run "$WL" index --input c.txt --output "$OUT/sentence_index/sif.idx" --vectors v.txt --vocab vocab.txt --method sif --dtype f16

total=0
for t in "${TARGETS[@]}"; do
  n=$(find "$OUT/$t" -type f | wc -l)
  b=$(du -cb "$OUT/$t"/* | tail -n 1 | cut -f1)
  total=$((total + b))
  printf 'make_fuzz_seeds: %-20s %d files, %6d bytes\n' "$t" "$n" "$b"
done
echo "make_fuzz_seeds: total $total bytes in $OUT"

if [[ -n $CHECK ]]; then
  bad=0
  for t in "${TARGETS[@]}"; do
    bin=$CHECK/tests/fuzz/fuzz_$t
    [[ -x $bin ]] || { echo "make_fuzz_seeds: no $bin" >&2; exit 1; }
    if WORDLENS_FUZZ_DEBUG=1 "$bin" "$OUT/$t"/* 2>&1 | grep '^refused:' >&2; then
      echo "make_fuzz_seeds: a seed of $t is refused (see above)" >&2
      bad=1
    fi
  done
  ((bad == 0)) && echo "make_fuzz_seeds: every seed loads"
  exit "$bad"
fi
