#!/usr/bin/env bash
# ru_bench.sh -- wordlens on Russian, from raw text: the normaliser, skip-gram
# and CBOW vectors, a BPE model, a word-level and a BPE encoder trained on
# ../shared/data/corpus/ru-lit.txt, then RUSSE word similarity (hj-dev),
# RUSSE 2018 word sense induction (wsi-wiki-dev) and the lecture's "рама"
# examples. Prints every command and its figures; the tables in
# bench/RESULTS.md ("Russian") come from this script.
#
# Usage: bench/ru_bench.sh [--out DIR] [--wordlens PATH] [--encoder-epochs N]
#                          [--bpe-steps N] [--skip-encoders]
#
#   --out DIR           where models and logs go (default /tmp/wordlens-ru)
#   --encoder-epochs N  epochs of the word-level encoder (default 2: ~15 min
#                       on 2 idle cores, 27 min on a loaded machine)
#   --bpe-steps N       steps of the BPE encoder (default 1000)
#   --skip-encoders     reuse DIR/ru-mlm.safetensors, DIR/ru-bpe-mlm.safetensors and
#                       the vectors DIR/ru-sg128.bin the first was trained from
#
# Needs ../shared/data (skips with a message, exit 0, where it is absent).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DATA=$ROOT/../shared/data
OUT=/tmp/wordlens-ru WL=$ROOT/build/wordlens EPOCHS=2 BPE_STEPS=1000 SKIP_ENC=0
while (($#)); do
  case "$1" in
    --out) OUT=${2:?}; shift 2 ;;
    --wordlens) WL=${2:?}; shift 2 ;;
    --encoder-epochs) EPOCHS=${2:?}; shift 2 ;;
    --bpe-steps) BPE_STEPS=${2:?}; shift 2 ;;
    --skip-encoders) SKIP_ENC=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "ru_bench: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done
RAW=$DATA/corpus/ru-lit.txt
if [[ ! -f $RAW ]]; then echo "ru_bench: skip: $RAW is absent (../shared/data)"; exit 0; fi
[[ -x $WL ]] || { echo "ru_bench: no wordlens binary at $WL (build it first)" >&2; exit 1; }
mkdir -p "$OUT"
cd "$OUT"
echo "# $(date -u '+%F %H:%M UTC'), $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
# run NAME CMD...: prints the command, runs it with its wall time and peak RSS in NAME.time.
run() {
  local name=$1; shift
  echo "\$ $*"
  /usr/bin/time -f "%e s wall, %M KB peak" -o "$name.time" "$@"
  echo "  ($(cat "$name.time"))"
}

run normalize "$WL" normalize --input "$RAW" --output ru-lit.norm.txt --threads 2 --json
for mode in sg cbow; do
  cbow=0; [[ $mode == cbow ]] && cbow=1
  run "train-$mode" "$WL" train -train "$RAW" --normalize -output "ru-$mode.bin" -binary 1 -cbow $cbow -size 100 \
    -window 5 -negative 5 -hs 0 -sample 1e-4 -iter 5 -min-count 5 -threads 2 -save-vocab ru.vocab -debug 0
  "$WL" eval "ru-$mode.bin" --similarity "$DATA/eval/ru/hj-dev.csv" --json > "eval-$mode.json"
  echo "  hj-dev ($mode): $(cat "eval-$mode.json")"
done
run bpe "$WL" bpe train --input ru-lit.norm.txt --vocab-size 16000 --output ru16k.bpe --threads 2
# The word-level encoder's vectors: 128 dimensions, the 40k most frequent words
# (kept with --skip-encoders: the encoder was initialised from them).
((SKIP_ENC)) && [[ -f ru-sg128.bin ]] || run train-sg128 "$WL" train -train "$RAW" --normalize -output ru-sg128.bin -binary 1 -cbow 0 -size 128 -window 5 \
  -negative 5 -hs 0 -sample 1e-4 -iter 5 -min-count 5 -threads 2 --max-vocab 40000 -debug 0
if ((!SKIP_ENC)); then
  run encoder-words "$WL" encoder train --corpus "$RAW" --vectors ru-sg128.bin --output ru-mlm.safetensors --layers 2 \
    --heads 4 --max-len 128 --batch-tokens 8192 --epochs "$EPOCHS" --lr 5e-4 --warmup 200 --dropout 0.1 --threads 2
  run encoder-bpe "$WL" encoder train --corpus ru-lit.norm.txt --tokenizer ru16k.bpe --output ru-bpe-mlm.safetensors \
    --dim 128 --layers 2 --heads 4 --max-len 128 --batch-tokens 8192 --steps "$BPE_STEPS" --lr 5e-4 --warmup 200 \
    --dropout 0.1 --threads 2
fi
echo "held-out MLM (last row of the logs):"
for m in ru-mlm ru-bpe-mlm; do [[ -f $m.safetensors.csv ]] && echo "  $m: $(head -1 "$m.safetensors.csv") / $(tail -1 "$m.safetensors.csv")"; done
echo "\$ $WL compare --vectors ru-sg128.bin --model ru-mlm.safetensors --wsi $DATA/eval/ru/wsi-wiki-dev.tsv --json"
"$WL" compare --vectors ru-sg128.bin --model ru-mlm.safetensors --wsi "$DATA/eval/ru/wsi-wiki-dev.tsv" --json > wsi.json
echo "  $(cat wsi.json)"
# The lecture's examples, as written: "рама" is rarer than 5 times in ru-lit, so the word vectors do
# not have it; the BPE encoder reads it as pieces.
for s in "дверная рама рассохлась" "рама картины" "рама велосипеда"; do
  echo "\$ $WL context --model ru-bpe-mlm.safetensors \"$s\" рама --top 8"
  "$WL" context --model ru-bpe-mlm.safetensors "$s" рама --top 8
done
echo "\$ $WL attention --model ru-bpe-mlm.safetensors \"кошка не перешла улицу потому что она устала\" --layer 1 --out attention-ru"
"$WL" attention --model ru-bpe-mlm.safetensors "кошка не перешла улицу потому что она устала" --layer 1 --out attention-ru
# Polysemy with the word-level encoder: "замок" (a lock, a castle) is in its vocabulary.
for s in "ключом он открыл замок на двери" "на горе стоял старый замок короля"; do
  echo "\$ $WL context --model ru-mlm.safetensors --vectors ru-sg128.bin \"$s\" замок --top 6"
  "$WL" context --model ru-mlm.safetensors --vectors ru-sg128.bin "$s" замок --top 6
done
