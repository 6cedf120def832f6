#!/usr/bin/env bash
# gensim's KeyedVectors.load_word2vec_format reads wordlens output, binary and
# text. Skips (exit 77) where Debian's python3-gensim is not installed.
WL=${1:?usage: gensim_load.sh path/to/wordlens}
. "$(dirname "$0")/lib.sh"
if ! /usr/bin/python3 -c 'import gensim' 2> /dev/null; then
  echo "skipping: python3-gensim is not installed (apt-get install python3-gensim)"
  exit 77
fi
make_corpus "$WORK/c.txt" 3000 11
ARGS=(-train "$WORK/c.txt" -size 24 -iter 2 -threads 2 --deterministic -debug 0)
"$WL" train "${ARGS[@]}" -output "$WORK/v.bin" -binary 1 > /dev/null
"$WL" train "${ARGS[@]}" -output "$WORK/v.txt" -binary 0 > /dev/null
if msg=$(/usr/bin/python3 "$(dirname "$0")/../../scripts/check_gensim_load.py" "$WORK/v.bin" "$WORK/v.txt" 2>&1); then
  ok "$msg"
else
  not_ok "gensim load" "$msg"
fi
finish
