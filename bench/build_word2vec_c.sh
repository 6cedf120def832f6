#!/usr/bin/env bash
# Fetch the original word2vec.c (Mikolov et al.) from the npm package
# "word2vec", which ships it under src/, and compile it in DIR — never inside
# the repository. Prints the binary's path; DIR/VERSION holds the package version.
#
# usage: bench/build_word2vec_c.sh DIR
set -euo pipefail
dir=${1:?usage: build_word2vec_c.sh DIR}
mkdir -p "$dir"
cd "$dir"
npm pack --silent word2vec > /dev/null
tar xzf word2vec-*.tgz
gcc -O3 -march=native -funroll-loops -pthread package/src/word2vec.c -o word2vec -lm
sed -n 's/^[[:space:]]*"version":[[:space:]]*"\([^"]*\)".*/\1/p' package/package.json | head -n 1 > VERSION
echo "$dir/word2vec"
