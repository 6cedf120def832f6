#!/usr/bin/env bash
# The usability issues found by trying wordlens as a new user (issue 14):
# similar/analogy options (--top / -k, unknown options, --json), "did you
# mean" for a word not in the vocabulary, progress of compare and encoder
# bench, float defaults and metadata in their shortest form, thread
# defaults, paths and plurals, warnings marked as such, and JSON summaries
# of train and bpe train.
WL=${1:?usage: usability.sh path/to/wordlens}
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
[ -x "$PY" ] || { echo "skip: no $PY"; exit 77; }

make_corpus "$WORK/c.txt" 2000 5
"$WL" train -train "$WORK/c.txt" -output "$WORK/v.bin" -binary 1 -size 16 -iter 2 -threads 2 -min-count 1 -debug 0 > /dev/null 2>&1 ||
  { echo "FAIL - training the test vectors"; exit 1; }

# 1. The count option: --top N, -k N, -kN; unknown --options are errors; -word subtracts.
n1=$("$WL" similar "$WORK/v.bin" c2w3 --top 5 2> "$WORK/e1" | wc -l)
n2=$("$WL" similar "$WORK/v.bin" c2w3 -k 4 2>> "$WORK/e1" | wc -l)
n3=$("$WL" similar "$WORK/v.bin" --top=3 c2w3 2>> "$WORK/e1" | wc -l)
n4=$("$WL" analogy "$WORK/v.bin" c1w1 c1w2 c3w1 -k2 2>> "$WORK/e1" | wc -l)
if [ "$n1" -eq 5 ] && [ "$n2" -eq 4 ] && [ "$n3" -eq 3 ] && [ "$n4" -eq 2 ]; then ok "similar/analogy: --top 5, -k 4, --top=3, -k2"
else not_ok "similar/analogy --top / -k" "lines $n1 $n2 $n3 $n4: $(head -c 300 "$WORK/e1")"; fi
expect_fail "similar: an unknown --option is an error" "unknown option --foo; to subtract a word write -word \(one dash\)" \
  "$WORK/none" -- "$WL" similar "$WORK/v.bin" c2w3 --foo
expect_fail "similar: the old --k is an unknown option" "unknown option --k" "$WORK/none" -- "$WL" similar "$WORK/v.bin" c2w3 --k 3
expect_fail "similar: -top (one dash) is refused as a typo of --top" "'-top' looks like the option --top" "$WORK/none" -- \
  "$WL" similar "$WORK/v.bin" c2w3 -top 3
"$WL" similar "$WORK/v.bin" c2w3 --foo > /dev/null 2>&1
[ $? -eq 2 ] && ok "similar: unknown option exits 2" || not_ok "similar: unknown option exits 2"
"$WL" similar "$WORK/v.bin" c1w1 -- -c2w2 --top > /dev/null 2> "$WORK/dd"
if "$WL" similar "$WORK/v.bin" +c1w1 -c2w2 --top 3 > "$WORK/pm" 2>&1 && [ "$(wc -l < "$WORK/pm")" -eq 3 ] &&
  grep -q "(from '-top') is not in the vocabulary" "$WORK/dd"; then
  ok "similar: -word subtracts; after -- every argument is a word"
else not_ok "similar: -word / --" "$(cat "$WORK/pm" "$WORK/dd" | head -c 300)"; fi
"$WL" similar --help > "$WORK/help" 2>&1
grep -qF -- "-k [ --top ] arg (=10)" "$WORK/help" && grep -q "starting with one dash is a word" "$WORK/help" &&
  ok "similar --help documents --top and the dash rule" || not_ok "similar --help" "$(head -c 400 "$WORK/help")"

# 2. A word not in the vocabulary: the nearest spelling the vectors hold.
printf '5 3\n</s> 0.1 0.2 0.3\nWhale 0.3 0.1 0.2\ncafé 0.2 0.2 0.1\nelephant 0.1 0.3 0.1\ndog 0.3 0.3 0.3\n' > "$WORK/caps.txt"
"$WL" similar "$WORK/caps.txt" Whale > /dev/null 2> "$WORK/s1"
"$WL" similar "$WORK/caps.txt" --no-normalize cafe > /dev/null 2> "$WORK/s2"
"$WL" similar "$WORK/caps.txt" elephnat > /dev/null 2> "$WORK/s3"
if grep -q "'whale' (from 'Whale') is not in the vocabulary (5 words); did you mean 'Whale'? (--no-normalize" "$WORK/s1" &&
  grep -q "did you mean 'café'?" "$WORK/s2" && grep -q "did you mean 'elephant'?" "$WORK/s3" &&
  "$WL" similar "$WORK/caps.txt" --no-normalize Whale -k 2 > /dev/null 2>&1; then
  ok "similar: did you mean (case, accents, edit distance)"
else not_ok "similar: did you mean" "$(cat "$WORK/s1" "$WORK/s2" "$WORK/s3" | head -c 500)"; fi

# 8. JSON of similar and analogy: one object per query, nothing else on stdout.
"$WL" similar "$WORK/v.bin" c2w3 --top 3 --json > "$WORK/j1" 2> "$WORK/je" &&
  printf 'c0w1\nunicorn\nc4w4 -c0w1\n' | "$WL" similar "$WORK/v.bin" --json -k 2 > "$WORK/j2" 2>> "$WORK/je"
printf 'c0w1 c0w2 c1w1\n' | "$WL" analogy "$WORK/v.bin" --json --method mul -k 2 > "$WORK/j3" 2>> "$WORK/je"
if "$PY" -c "
import json
a = [json.loads(l) for l in open('$WORK/j1')]
assert len(a) == 1 and a[0]['query'] == 'c2w3' and len(a[0]['results']) == 3, a
assert list(a[0]['results'][0]) == ['word', 'cosine'] and -1 <= a[0]['results'][0]['cosine'] <= 1, a
b = [json.loads(l) for l in open('$WORK/j2')]
assert [x['query'] for x in b] == ['c0w1', 'c4w4 -c0w1'] and all(len(x['results']) == 2 for x in b), b
c = [json.loads(l) for l in open('$WORK/j3')]
assert len(c) == 1 and list(c[0]['results'][0]) == ['word', 'score'], c
" && grep -q "^wordlens similar: error: 'unicorn' is not in the vocabulary" "$WORK/je"; then ok "similar/analogy --json (batch errors on stderr)"
else not_ok "similar/analogy --json" "$(cat "$WORK/j1" "$WORK/j2" "$WORK/j3" "$WORK/je" | head -c 600)"; fi

# 8. JSON summaries of train and bpe train.
"$WL" train -train "$WORK/c.txt" -output "$WORK/vj.bin" -size 8 -iter 1 -threads 2 -min-count 1 --json -save-vocab "$WORK/vj.vocab" \
  > "$WORK/tj" 2> /dev/null
"$WL" bpe train --input "$WORK/c.txt" --vocab-size 300 --output "$WORK/m.bpe" --json > "$WORK/bj" 2> /dev/null
if "$PY" -c "
import json
t = [json.loads(l) for l in open('$WORK/tj')]
assert len(t) == 1, t
t = t[0]
assert list(t) == ['vocab_size', 'words_per_epoch', 'words_trained', 'seconds', 'words_per_second', 'predictions', 'flops', 'output', 'record', 'save_vocab'], t
assert 0 < t['predictions'] <= t['words_trained'], t  # CBOW with negatives only: one per window
assert t['flops'] >= t['predictions'] * (6 + 4) * 8, t  # -size 8: at least the positive and one context row per window
assert t['vocab_size'] == 49 and t['output'] == '$WORK/vj.bin' and t['record'] == '$WORK/vj.bin.json' and t['save_vocab'] == '$WORK/vj.vocab', t
b = [json.loads(l) for l in open('$WORK/bj')]
assert len(b) == 1 and b[0]['vocab_size'] == 300 and b[0]['output'] == '$WORK/m.bpe' and len(b[0]['samples']) > 0, b
"; then ok "train --json / bpe train --json: one summary object"
else not_ok "train / bpe train --json" "$(cat "$WORK/tj" "$WORK/bj" | head -c 600)"; fi

# 4. Float defaults and metadata in their shortest form.
"$WL" encoder train --help > "$WORK/eh" 2>&1
"$WL" train --help >> "$WORK/eh" 2>&1
"$WL" embed --help >> "$WORK/eh" 2>&1
if grep -q -- "--lr arg (=5e-4)" "$WORK/eh" && ! grep -E "[0-9]\.[0-9]*(0000|9999)[0-9]" "$WORK/eh"; then
  ok "help texts print float defaults in their shortest form"
else not_ok "float defaults in --help" "$(grep -E -- "--lr|[0-9]\.[0-9]*(0000|9999)[0-9]" "$WORK/eh" | head -5)"; fi
"$WL" encoder init --output "$WORK/e.safetensors" --vocab 20 --dim 8 --heads 2 --layers 1 --max-len 8 > /dev/null 2>&1
head -c 2000 "$WORK/e.safetensors" | grep -aq '"layer_norm_eps":"1e-5"' && ok "metadata: layer_norm_eps 1e-5" ||
  not_ok "metadata layer_norm_eps" "$(head -c 600 "$WORK/e.safetensors" | tr -d '\0' | grep -ao 'layer_norm_eps[^,]*')"

# 5. Threads default to the cores.
cores=$(nproc)
"$WL" train --help | grep -q -- "-threads arg (=$cores: the cores)" && "$WL" normalize --help | grep -q "(=$cores: the cores)" &&
  ok "train / normalize: --threads defaults to the $cores cores" || not_ok "thread defaults" "$("$WL" train --help | grep threads)"

# 6. Paths joined without '//', counted nouns without "1 sentences".
printf 'c0w1 c0w2\n' > "$WORK/one.txt"
"$WL" embed --input "$WORK/one.txt" --output "$WORK/one.npy" --method avg --vectors "$WORK/v.bin" 2> "$WORK/pl"
grep -q ": 1 sentence x 16 (avg); 2 of 2 tokens known (100.0%); 0 sentences without" "$WORK/pl" &&
  ok "embed: '1 sentence'" || not_ok "embed plural" "$(cat "$WORK/pl")"
"$WL" export "$WORK/v.bin" --format tsv "$WORK/proj/" > "$WORK/ex" 2>&1
printf 'news\tf\t2012\t1\t5.0\tc0w1 c0w2 c0w3\tc0w2 c0w3 c0w4\nforum\tf\t2012\t2\t0.5\tc1w1 c1w2\tc3w1 c3w5\nnews\tf\t2012\t3\t4.0\tc2w1 c2w2\tc2w3 c2w4\n' > "$WORK/sts.csv"
"$WL" compare --vectors "$WORK/v.bin" --sts "$WORK/sts.csv" --report "$WORK/rep/" > /dev/null 2> "$WORK/cmp.err"
if grep -q "report written to $WORK/rep/report.html and $WORK/rep/report.md" "$WORK/cmp.err" && ! grep -q "//" "$WORK/cmp.err" "$WORK/ex"; then
  ok "paths joined without '//'"
else not_ok "paths" "$(cat "$WORK/cmp.err" "$WORK/ex" | head -c 500)"; fi

# 3. Progress of compare (per phase) and encoder bench (per repetition), on stderr.
grep -q "^sts.csv: avg" "$WORK/cmp.err" && ok "compare: progress per phase" || not_ok "compare progress" "$(head -c 500 "$WORK/cmp.err")"
"$WL" encoder bench --batch 2 --seq 8 --dim 16 --heads 2 --layers 1 --vocab 50 --repeats 3 --threads 1 > "$WORK/bo" 2> "$WORK/be"
grep -q "^forward + MLM train step  0 / 4 repetitions" "$WORK/be" &&
  grep -q "^forward " "$WORK/bo" && grep -q "^sgemm" "$WORK/bo" &&
  ok "encoder bench: progress per repetition" || not_ok "encoder bench progress" "$(head -c 500 "$WORK/be")"

# 7. Warnings are marked as warnings.
cp "$WORK/vj.bin" "$WORK/w.bin" && cp "$WORK/v.bin.json" "$WORK/w.bin.json"  # a record of another file
"$WL" similar "$WORK/w.bin" c2w3 -k 1 > /dev/null 2> "$WORK/warn"
grep -q "^wordlens: warning: .*ignored" "$WORK/warn" && ok "warnings read 'wordlens: warning: ...'" || not_ok "warning mark" "$(cat "$WORK/warn")"
"$WL" train -train "$WORK/c.txt" -output "$WORK/v3.bin" -size 8 -iter 1 -threads 2 -min-count 1 -debug 1 > "$WORK/info" 2>&1
grep -q "^wordlens: vocabulary:" "$WORK/info" &&
  ok "info lines stay unmarked" || not_ok "info lines unmarked"

# 10. OpenBLAS's kernels: --version names them; where OpenBLAS alone would
# fall back to its SSE3 "Prescott" kernels on an AVX-512 or AVX2 CPU it does
# not know, wordlens starts again with the fitting ones (common/blas.h).
ver=$("$WL" --version)
kept=$(WORDLENS_KEEP_BLAS_CORE=1 "$WL" --version)
case "$ver" in "wordlens "*"(OpenBLAS kernels: "*")") ok "--version names the BLAS kernels: $ver" ;;
  *) not_ok "--version names the BLAS kernels" "$ver" ;; esac
if [[ $kept == *Prescott* ]] && grep -qw avx512f /proc/cpuinfo; then
  [[ $ver == *SkylakeX* ]] && ok "Prescott fallback replaced by SkylakeX" || not_ok "Prescott fallback replaced" "$ver"
elif [[ $kept == *Prescott* ]] && grep -qw avx2 /proc/cpuinfo; then
  [[ $ver == *Haswell* ]] && ok "Prescott fallback replaced by Haswell" || not_ok "Prescott fallback replaced" "$ver"
else
  [[ $ver == "$kept" ]] && ok "OpenBLAS's own choice kept: $kept" || not_ok "OpenBLAS's choice kept" "$ver vs $kept"
fi
[[ $(OPENBLAS_CORETYPE=Haswell "$WL" --version) == *Haswell* ]] && ok "OPENBLAS_CORETYPE given by the user wins" ||
  not_ok "OPENBLAS_CORETYPE wins" "$(OPENBLAS_CORETYPE=Haswell "$WL" --version)"

finish
