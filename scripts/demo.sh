#!/usr/bin/env bash
# The wordlens demo: install what is missing, build, fetch the default corpus
# from the npm registry (State of the Union addresses + Moby Dick, ~2M
# words), train skip-gram vectors, and print the nearest neighbours of a few
# words. With --encoder it then pre-trains a small transformer encoder on the
# same corpus and vocabulary (masked LM, 1200 steps, about 5 minutes on 2
# cores) and shows a word's static vs contextual neighbours and attention
# heatmaps. With --lang ru it trains and shows neighbours in Russian: the corpus is the
# Russian text of Debian packages (scripts/fetch_corpus_ru.sh, ~1.3M words),
# normalised by `wordlens normalize`, and the vectors go to data/vectors-ru.bin.
#
# Usage: scripts/demo.sh [--lang en|ru] [--source stdlib|text8] [--threads N] [--encoder]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
SOURCE=
THREADS=$(nproc)
ENCODER=0
LANGUAGE=en
die() { echo "demo: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --source) [ $# -ge 2 ] || die "--source needs a value"; SOURCE=$2; shift 2 ;;
    --threads) [ $# -ge 2 ] || die "--threads needs a value"; THREADS=$2; shift 2 ;;
    --encoder) ENCODER=1; shift ;;
    --lang) [ $# -ge 2 ] || die "--lang needs a value"; LANGUAGE=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (try --help)" ;;
  esac
done
case "$LANGUAGE" in
  en) SOURCE=${SOURCE:-stdlib} ;;
  ru) [ -z "$SOURCE" ] || die "--source is for the English corpus; --lang ru always uses Debian's packages"
      [ "$ENCODER" = 0 ] || die "--encoder is not available with --lang ru yet (its example sentences are English)" ;;
  *) die "--lang must be 'en' or 'ru', got '$LANGUAGE'" ;;
esac

bash scripts/install_deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build build -j "$(nproc)"
if [ "$LANGUAGE" = ru ]; then
  bash scripts/fetch_corpus_ru.sh --out data
  # Russian needs Unicode-aware lowercasing and tokens, which `wordlens
  # normalize` does (a binary built before it existed lacks the command).
  if ! build/wordlens normalize --help > /dev/null 2>&1; then
    echo "demo: build/wordlens has no 'normalize' command, which --lang ru needs to turn" \
      "data/corpus-ru-raw.txt into data/corpus-ru.txt: update the source tree and run the demo again" >&2
    exit 1
  fi
  echo
  echo "== normalising data/corpus-ru-raw.txt into data/corpus-ru.txt"
  build/wordlens normalize --input data/corpus-ru-raw.txt --output data/corpus-ru.txt
  echo
  echo "== training skip-gram vectors on data/corpus-ru.txt"
  build/wordlens train -train data/corpus-ru.txt -output data/vectors-ru.bin -binary 1 -cbow 0 -size 100 \
    -window 5 -negative 5 -hs 0 -sample 1e-4 -iter 5 -min-count 5 -threads "$THREADS"
  # Words the corpus has often (counted in the fetched text): file, image,
  # colour, function (the manuals), woman, love (the fortunes).
  for w in файл изображение цвет функция женщина любовь; do
    echo
    echo "== nearest neighbours of '$w'"
    build/wordlens similar data/vectors-ru.bin "$w" -k 8
  done
  exit 0
fi

bash scripts/fetch_corpus.sh --source "$SOURCE" --out data
CORPUS=data/corpus.txt
[ "$SOURCE" = text8 ] && CORPUS=data/text8.txt

echo
echo "== training skip-gram vectors on $CORPUS"
build/wordlens train -train "$CORPUS" -output data/vectors.bin -binary 1 -cbow 0 -size 100 -window 5 \
  -negative 5 -hs 0 -sample 1e-4 -iter 5 -min-count 5 -threads "$THREADS"

for w in whale ship war freedom president; do
  echo
  echo "== nearest neighbours of '$w'"
  build/wordlens similar data/vectors.bin "$w" -k 8
done

[ "$ENCODER" = 1 ] || exit 0
echo
echo "== pre-training a small encoder (2 layers, masked LM, 1200 steps) on $CORPUS with the vectors' vocabulary"
build/wordlens encoder train --corpus "$CORPUS" --vectors data/vectors.bin --output data/mlm.safetensors \
  --layers 2 --heads 4 --max-len 64 --batch-tokens 8192 --steps 1200 --warmup 100 --lr 5e-4 --eval-every 200 \
  --threads "$THREADS"
M=(--model data/mlm.safetensors --vectors data/vectors.bin)
echo
echo "== 'state' in two sentences: one static list, one contextual list per sentence"
build/wordlens context "${M[@]}" "the state of the union is strong" "he was in a sad state of mind" state --top 6
echo
echo "== 'right', layer by layer"
build/wordlens context "${M[@]}" "you have the right to vote" right --top 6 --layer all
echo
echo "== one attention head step by step: q, k, v, scores, softmax, weighted values"
build/wordlens attention "${M[@]}" "thinking machines" --explain --layer 0 --head 0 --dims 6
echo
echo "== attention rollout: how far information reaches, full attention vs a window of ±2"
build/wordlens attention "${M[@]}" "the whale swam under the ship because it was hungry" --rollout --window 2 --out data/rollout
echo
echo "== attention of the last layer (heatmaps in data/attention/, open them in a browser)"
build/wordlens attention "${M[@]}" "the whale swam under the ship because it was hungry" --layer 1 --out data/attention
