#!/usr/bin/env bash
# Russian from raw text on the shared corpus (skipped without ../shared/data):
# its first 12 MB (~1M words) of ru-lit.txt (capitals, « » — …, stress accents)
# trained with train --normalize; a capitalised, accented query finds its
# lowercase word; RUSSE's hj-dev.csv is read and scored; the vectors' record
# names the normaliser.
WL=${1:?usage: russian.sh path/to/wordlens}
. "$(dirname "$0")/lib.sh"
DATA=${WORDLENS_DATA:-$(cd "$(dirname "$0")/../.." && pwd)/../shared/data}
RAW=$DATA/corpus/ru-lit.txt
if [ ! -f "$RAW" ]; then
  echo "skip - $RAW is absent (../shared/data)"
  exit 77
fi
head -c 12000000 "$RAW" | sed '$d' > "$WORK/ru.txt"
if "$WL" train -train "$WORK/ru.txt" --normalize -output "$WORK/ru.bin" -binary 1 -cbow 0 -size 100 -iter 5 \
  -sample 1e-4 -min-count 5 -threads 2 -save-vocab "$WORK/ru.vocab" -debug 0 2> "$WORK/err"; then
  ok "train --normalize on $(wc -w < "$WORK/ru.txt") words of raw Russian"
else
  not_ok "train --normalize" "$(cat "$WORK/err")"
fi
# No capitals, no punctuation, no stress accents in the vocabulary.
if /usr/bin/python3 -c "
import sys
bad = [w for w in (l.split()[0] for l in open('$WORK/ru.vocab', encoding='utf-8'))
       if w != w.lower() or any(c in w for c in '«»—…,.!?\u0301')]
print(bad[:3]) if bad else None
sys.exit(1 if bad else 0)" > "$WORK/bad" 2>&1; then
  ok "vocabulary: lowercase words, no punctuation, no stress accents ($(wc -l < "$WORK/ru.vocab") words)"
else
  not_ok "vocabulary normalised" "$(cat "$WORK/bad")"
fi
if grep -q '"normalizer": "wordlens-normalizer 1 case=lower accents=strip' "$WORK/ru.bin.json"; then
  ok "the vectors' record names the normaliser"
else
  not_ok "vectors record" "$(cat "$WORK/ru.bin.json")"
fi
# "Жизнь" with a stress accent and a capital is looked up as "жизнь".
if "$WL" similar "$WORK/ru.bin" $'Жи\xcc\x81знь' -k 5 > "$WORK/sim" 2> "$WORK/err" && [ "$(wc -l < "$WORK/sim")" -ge 5 ]; then
  ok "similar Жи́знь (capital, stress accent): $(tr -s ' ' < "$WORK/sim" | head -3 | tr '\n' ';')"
else
  not_ok "similar Жи́знь" "$(cat "$WORK/sim" "$WORK/err")"
fi
if "$WL" eval "$WORK/ru.bin" --similarity "$DATA/eval/ru/hj-dev.csv" --json > "$WORK/eval.json" 2> "$WORK/err" &&
  /usr/bin/python3 -c "
import json, sys; r = json.load(open('$WORK/eval.json'))['similarity']['hj-dev.csv']
assert r['total'] == 65 and 0 < r['pairs'] <= 65, r
print(r['pairs'], 'of 65 pairs, spearman', round(r['spearman'], 3))" > "$WORK/ev" 2>&1; then
  ok "eval --similarity hj-dev.csv: $(cat "$WORK/ev")"
else
  not_ok "eval hj-dev" "$(cat "$WORK/ev" "$WORK/eval.json" "$WORK/err")"
fi
finish
