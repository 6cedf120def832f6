#!/usr/bin/env bash
# wordlens index / search end to end: vectors trained on a planted-class
# corpus, avg and sif indexes of a text with capitals, punctuation, a CRLF
# line, an empty line and lines without a known word; queries from --query
# and stdin, --json checked with python3 against the file's lines, side by
# side output, fp16, and the one-line refusals.
WL=${1:?usage: search.sh path/to/wordlens}
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3

make_corpus "$WORK/c.txt" 6000 5
"$WL" train -train "$WORK/c.txt" -output "$WORK/v.bin" -binary 1 -cbow 0 -size 24 -window 4 -iter 3 -threads 2 \
  -min-count 5 -sample 0 --deterministic -debug 0 -save-vocab "$WORK/vocab.txt" > /dev/null
"$WL" train -train "$WORK/c.txt" -output "$WORK/v2.bin" -binary 1 -cbow 0 -size 24 -window 4 -iter 1 -threads 2 \
  -min-count 5 -sample 0 --seed 9 --deterministic -debug 0 > /dev/null

make_corpus "$WORK/lines.txt" 400 11
{
  head -n 100 "$WORK/lines.txt"
  printf 'C2W3, c2w1! c2w5.\r\n'   # line 101: capitals, punctuation, CRLF
  printf '\n'                       # line 102: empty
  printf 'Привет, мир — nothing known here\n'  # line 103: no known word
  tail -n 300 "$WORK/lines.txt"
} > "$WORK/text.txt"
LINES=$(wc -l < "$WORK/text.txt")

if "$WL" index --input "$WORK/text.txt" --output "$WORK/avg.idx" --method avg --vectors "$WORK/v.bin" \
     --chunk 64 2> "$WORK/idx.err" &&
   "$WL" index --input "$WORK/text.txt" --output "$WORK/sif.idx" --method sif --vectors "$WORK/v.bin" \
     --vocab "$WORK/vocab.txt" 2>> "$WORK/idx.err" &&
   grep -q "wrote .*avg.idx: $LINES lines x 24 (avg, f32)" "$WORK/idx.err" &&
   grep -q "2 lines without a known token" "$WORK/idx.err"; then
  ok "index avg and sif ($LINES lines, 2 without a known token)"
else
  not_ok "index" "$(cat "$WORK/idx.err")"
fi

# --query: the best lines of a class-2 query are class-2 lines; line 101 (its own words) first.
out=$("$WL" search "$WORK/avg.idx" --query "c2w3 c2w1 c2w5" -k 5 2>&1)
rows=$(echo "$out" | grep -cE '^ +[0-9]+  ')
if [ "$rows" -eq 5 ] && echo "$out" | sed -n 2p | grep -qE '^ +1  1\.0000 +101  C2W3, c2w1! c2w5\.$'; then
  ok "search --query: 5 rows, the matching line first with cosine 1"
else
  not_ok "search --query" "$out"
fi

# --json from stdin over two indexes: lines from 1, text equal to the file's line, scores descending.
printf 'c1w1 c1w2\n\nc4w4 c4w0 c4w2\nnothing known\n' |
  "$WL" search "$WORK/avg.idx" "$WORK/sif.idx" --json -k 4 > "$WORK/out.json" 2> "$WORK/json.err"
rc=$?
if check=$($PY - "$WORK/out.json" "$WORK/text.txt" "$WORK/avg.idx" "$WORK/sif.idx" <<'PYEOF' 2>&1
import json, sys
out, text, *indexes = sys.argv[1:]
lines = open(text, encoding="utf-8", newline="\n").read().split("\n")
objs = [json.loads(l) for l in open(out)]
assert [o["query"] for o in objs] == ["c1w1 c1w2", "c4w4 c4w0 c4w2", "nothing known"], [o["query"] for o in objs]
for o in objs[:2]:
    assert list(o["results"]) == indexes, list(o["results"])
    cls = o["query"][:2]
    for name, hits in o["results"].items():
        assert len(hits) == 4, hits
        scores = [h["score"] for h in hits]
        assert scores == sorted(scores, reverse=True), scores
        for h in hits:
            assert 1 <= h["line"] <= len(lines) - 1
            assert h["text"] == lines[h["line"] - 1].rstrip("\r"), (h, lines[h["line"] - 1])
            assert h["line"] not in (102, 103), h
        assert sum(h["text"].lower().count(cls) for h in hits) >= 8, hits
assert all(hits == [] for hits in objs[2]["results"].values()), objs[2]
print("ok")
PYEOF
) && [ $rc -eq 0 ] && [ "$check" = ok ]; then
  ok "search --json from stdin: 3 objects, lines from 1, texts equal the file's lines"
else
  not_ok "search --json" "rc=$rc $check $(cat "$WORK/json.err")"
fi

# Side by side: one header naming both indexes, rows with two columns aligned by display width.
printf 'c3w0 c3w1\n' | "$WL" search "$WORK/avg.idx" "$WORK/sif.idx" -k 3 --width 20 > "$WORK/side" 2>&1
if [ "$(grep -c '^# c3w0 c3w1$' "$WORK/side")" -eq 1 ] && sed -n 2p "$WORK/side" | grep -q 'avg.idx .*| .*sif.idx' &&
   [ "$(grep -c ' | ' "$WORK/side")" -eq 4 ] &&
   [ "$($PY -c 'import sys; print(len({l.index(" | ") for l in open(sys.argv[1]) if " | " in l}))' "$WORK/side")" -eq 1 ]; then
  ok "side by side: two aligned columns"
else
  not_ok "side by side" "$(cat "$WORK/side")"
fi

# Long lines are cut with … in the table, whole in --json.
long=$(printf 'c0w1 %.0s' $(seq 40))
printf '%s\n' "$long" > "$WORK/long.txt"
"$WL" index --input "$WORK/long.txt" --output "$WORK/long.idx" --vectors "$WORK/v.bin" 2> /dev/null
t=$("$WL" search "$WORK/long.idx" --query c0w1 --width 30 | sed -n 2p)
j=$("$WL" search "$WORK/long.idx" --query c0w1 --json | $PY -c 'import json,sys; print(json.load(sys.stdin)["results"][sys.argv[1]][0]["text"])' "$WORK/long.idx")
if echo "$t" | grep -q '…$' && [ "$j" = "$long" ]; then ok "long lines cut to --width with …, whole in --json"; else not_ok "long lines" "$t / $j"; fi

# fp16: half the vectors' bytes, the same best lines.
"$WL" index --input "$WORK/text.txt" --output "$WORK/h.idx" --vectors "$WORK/v.bin" --dtype f16 2> /dev/null
a=$("$WL" search "$WORK/avg.idx" --query "c5w1 c5w2" -k 3 --json | $PY -c 'import json,sys; print([h["line"] for h in list(json.load(sys.stdin)["results"].values())[0]])')
b=$("$WL" search "$WORK/h.idx" --query "c5w1 c5w2" -k 3 --json | $PY -c 'import json,sys; print([h["line"] for h in list(json.load(sys.stdin)["results"].values())[0]])')
if [ "$a" = "$b" ] && [ "$(stat -c %s "$WORK/h.idx")" -lt "$(stat -c %s "$WORK/avg.idx")" ]; then
  ok "f16 index: same top 3 ($a), smaller file"
else
  not_ok "f16 index" "$a vs $b"
fi

# encoder-mean: a line's own text finds it first; another model is refused.
if "$WL" encoder train --corpus "$WORK/c.txt" --vectors "$WORK/v.bin" --output "$WORK/enc.safetensors" --layers 1 --heads 2 \
     --max-len 16 --batch-tokens 256 --steps 10 --threads 2 > /dev/null 2> "$WORK/enc.err" &&
   "$WL" encoder train --corpus "$WORK/c.txt" --vectors "$WORK/v.bin" --output "$WORK/enc2.safetensors" --layers 1 --heads 2 \
     --max-len 16 --batch-tokens 256 --steps 5 --threads 2 > /dev/null 2>> "$WORK/enc.err" &&
   "$WL" index --input "$WORK/text.txt" --output "$WORK/enc.idx" --method encoder-mean --model "$WORK/enc.safetensors" \
     --vectors "$WORK/v.bin" 2>> "$WORK/enc.err"; then
  first=$("$WL" search "$WORK/enc.idx" "$WORK/avg.idx" --query 'C2W3, c2w1! c2w5.' --json -k 1 |
    $PY -c 'import json,sys; print(" ".join(str(h[0]["line"]) for h in json.load(sys.stdin)["results"].values()))')
  [ "$first" = "101 101" ] && ok "encoder-mean index beside avg: line 101 first in both" || not_ok "encoder-mean search" "$first"
  expect_fail "search: another encoder refused" "enc2.safetensors.*is not the file .*enc.idx was built with" "$WORK/none" -- \
    "$WL" search "$WORK/enc.idx" --model "$WORK/enc2.safetensors" --query c1w1
else
  not_ok "encoder-mean index" "$(tail -n 3 "$WORK/enc.err")"
fi

# Refusals: one line, non-zero exit, no partial index.
expect_fail "search: unknown option" "unrecognised option|unknown option" "$WORK/none" -- "$WL" search "$WORK/avg.idx" --bogus
expect_fail "search: other vectors refused, both named" "v2.bin.*is not the file .*avg.idx was built with .*v.bin" "$WORK/none" -- \
  "$WL" search "$WORK/avg.idx" --vectors "$WORK/v2.bin" --query c1w1
printf 'not an index\n' > "$WORK/bad.idx"
expect_fail "search: not an index" "bad.idx: not a wordlens index" "$WORK/none" -- "$WL" search "$WORK/bad.idx" --query c1w1
expect_fail "index: sif without --vocab" "--method sif needs --vocab" "$WORK/x.idx" -- \
  "$WL" index --input "$WORK/text.txt" --output "$WORK/x.idx" --method sif --vectors "$WORK/v.bin"
printf 'c1w1 c1w2\nc2w2 \xff\xfe\n' > "$WORK/badutf.txt"
expect_fail "index: invalid UTF-8 names file and line" "badutf.txt:2: byte 5" "$WORK/x.idx" -- \
  "$WL" index --input "$WORK/badutf.txt" --output "$WORK/x.idx" --vectors "$WORK/v.bin"
: > "$WORK/empty.txt"
expect_fail "index: empty input" "empty.txt' has no lines to index" "$WORK/x.idx" -- \
  "$WL" index --input "$WORK/empty.txt" --output "$WORK/x.idx" --vectors "$WORK/v.bin"
printf 'c0w0 c0w1\n' >> "$WORK/text.txt"
expect_fail "search: changed source refused" "text.txt' changed since .*avg.idx was built" "$WORK/none" -- \
  "$WL" search "$WORK/avg.idx" --query c1w1

finish
