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

# A copy of the rooms' sources with one violation planted at a time.
copy_tree() {
  rm -rf "$WORK/tree"; mkdir -p "$WORK/tree"
  for room in common tokenizer word2vec encoder compare cli; do cp -r "$ROOT/$room" "$WORK/tree/"; done
}
copy_tree
sed -i '1i #include "encoder/model.h"' "$WORK/tree/word2vec/vocab.cc"
if out=$(python3 "$CHECK" "$WORK/tree" 2>&1); then not_ok "an upward include is refused" "passed: $out"
elif grep -q 'word2vec/vocab.cc:1: word2vec/ includes encoder/' <<< "$out"; then ok "an upward include is refused, naming file and line"
else not_ok "an upward include is refused, naming file and line" "$out"; fi

copy_tree
sed -i '1i #include "cli/commands.h"' "$WORK/tree/common/utf8.h"
if python3 "$CHECK" "$WORK/tree" > /dev/null 2>&1; then not_ok "common/ including cli/ is refused"
else ok "common/ including cli/ is refused"; fi

copy_tree
sed -i 's/target_link_libraries(wl_tokenizer PUBLIC wl_common)/target_link_libraries(wl_tokenizer PUBLIC wl_common wl_encoder)/' "$WORK/tree/tokenizer/CMakeLists.txt"
if out=$(python3 "$CHECK" "$WORK/tree" 2>&1); then not_ok "an upward link is refused" "passed: $out"
elif grep -q 'wl_tokenizer links wl_encoder' <<< "$out"; then ok "an upward link is refused"
else not_ok "an upward link is refused" "$out"; fi

copy_tree
sed -i '1i #include "tokenizer/normalize.h"' "$WORK/tree/encoder/model.cc"
if python3 "$CHECK" "$WORK/tree" > /dev/null 2>&1; then ok "a downward include is allowed"
else not_ok "a downward include is allowed"; fi

finish
