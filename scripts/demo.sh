#!/usr/bin/env bash
# The wordlens demo: install what is missing, build, fetch the default corpus
# from the npm registry (State of the Union addresses + Moby Dick, ~2M
# words), train skip-gram vectors, and print the nearest neighbours of a few
# words.
#
# Usage: scripts/demo.sh [--source stdlib|text8] [--threads N]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
SOURCE=stdlib
THREADS=$(nproc)
while [ $# -gt 0 ]; do
  case "$1" in
    --source) SOURCE=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "demo: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done

bash scripts/install_deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build build -j "$(nproc)"
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
