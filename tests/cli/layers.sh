#!/usr/bin/env bash
# The rooms depend only downwards (cli -> compare -> encoder -> word2vec ->
# tokenizer -> common): scripts/check_layers.py passes on the tree, and fails,
# naming the file and line, on a copy with one upward include or link.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WL=${1:-}
source "$ROOT/tests/cli/lib.sh"
CHECK="$ROOT/scripts/check_layers.py"

if out=$(python3 "$CHECK" "$ROOT" 2>&1); then ok "the tree depends only downwards"
else not_ok "the tree depends only downwards" "$out"; fi

# plant NAME EXPECT PATTERN FILE SED: on a fresh copy of the rooms, apply one
# sed edit to FILE; the check must then pass (EXPECT=pass) or fail with a line
# matching PATTERN (EXPECT=fail).
plant() {
  local name=$1 expect=$2 pattern=$3 file=$4 edit=$5 out rc
  rm -rf "$WORK/tree"; mkdir -p "$WORK/tree"
  for room in common tokenizer word2vec encoder compare cli; do cp -r "$ROOT/$room" "$WORK/tree/"; done
  sed -i "$edit" "$WORK/tree/$file"
  out=$(python3 "$CHECK" "$WORK/tree" 2>&1); rc=$?
  if [ "$expect" = pass ] && [ $rc -eq 0 ]; then ok "$name"
  elif [ "$expect" = fail ] && [ $rc -ne 0 ] && grep -q -- "$pattern" <<< "$out"; then ok "$name"
  else not_ok "$name" "exit $rc: $out"; fi
}

plant "an upward include is refused, naming file and line" fail 'word2vec/vocab.cc:1: word2vec/ includes encoder/' \
  word2vec/vocab.cc '1i #include "encoder/model.h"'
plant "common/ including cli/ is refused" fail 'common/utf8.h:1: common/ includes cli/' \
  common/utf8.h '1i #include "cli/commands.h"'
plant "an upward link is refused" fail 'wl_tokenizer links wl_encoder' \
  tokenizer/CMakeLists.txt 's/PUBLIC wl_common /PUBLIC wl_common wl_encoder /'
plant "a downward include is allowed" pass '' encoder/model.cc '1i #include "tokenizer/normalizer.h"'

finish
