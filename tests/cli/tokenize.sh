#!/usr/bin/env bash
# wordlens tokenize --compare: the numbers against an independent count in
# Python (code points, whitespace words), the JSON, the SVG chart, Russian
# text, and bad input.
WL=${1:?usage: tokenize.sh path/to/wordlens}
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3

make_corpus "$WORK/en.txt" 400 3
printf '\n\n' >> "$WORK/en.txt"  # blank lines are skipped, not sentences
# Python's count of the same: the last 10% of the non-blank lines held out.
check_json() {  # check_json JSON TEXT MIN_COUNT: exit 1 with a message on the first difference
  $PY - "$1" "$2" "$3" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
lines = [l.rstrip("\r") for l in open(sys.argv[2], encoding="utf-8").read().split("\n")]
sent = [l for l in lines if l.strip(" \t\r\n\v\f")]
held = max(1, min(len(sent) - 1, round(len(sent) * 0.1)))
train, ev = sent[:-held], sent[-held:]
mc = int(sys.argv[3])
def check(name, got, want):
    if abs(got - want) > 1e-9 * max(1, abs(want)):
        sys.exit(f"{name}: wordlens {got}, python {want}")
check("held out", r["held_out_sentences"], held)
s = {x["scheme"] + str(x.get("requested_vocab", "")): x for x in r["schemes"]}
chars = set("".join(train))
c = s["characters"]
check("char vocab", c["vocab_size"], len(chars))
check("char tokens", c["tokens"], sum(len(l) for l in ev))
check("char sum T2", c["sum_t2"], sum(len(l) ** 2 for l in ev))
check("char oov", c["oov_tokens"], sum(ch not in chars for l in ev for ch in l))
check("char p50", c["tokens_per_sentence"]["p50"], sorted(len(l) for l in ev)[(len(ev) - 1) // 2])
counts = {}
for l in train:
    for w in l.lower().split():
        counts[w] = counts.get(w, 0) + 1
vocab = {w for w, n in counts.items() if n >= mc}
w = s["words"]
check("word vocab", w["vocab_size"], len(vocab))
check("word sum T2", w["sum_t2"], sum(len(l.split()) ** 2 for l in ev))
check("word oov", w["oov_tokens"], sum(x not in vocab for l in ev for x in l.lower().split()))
for k, x in s.items():
    if k.startswith("bpe"):
        check(k + " oov", x["oov_tokens"], 0)
        check(k + " embedding", x["embedding_parameters"], x["vocab_size"] * r["dim"])
print(f"chars {c['vocab_size']}, words {w['vocab_size']}, {len(s)} schemes")
PY
}

if "$WL" tokenize --compare "$WORK/en.txt" --bpe-sizes 300,400 --min-count 3 --dim 8 --json > "$WORK/en.json" 2> "$WORK/err" &&
  check_json "$WORK/en.json" "$WORK/en.txt" 3 > "$WORK/msg" 2>&1; then
  ok "tokenize --json agrees with Python's count ($(cat "$WORK/msg"))"
else
  not_ok "tokenize --json" "$(cat "$WORK/msg" "$WORK/err" 2> /dev/null | tail -n 3)"
fi

if "$WL" tokenize --compare "$WORK/en.txt" --bpe-sizes 300 --plot "$WORK/chart.svg" > "$WORK/table.txt" 2> "$WORK/err" &&
  grep -qE '^characters +[0-9]+' "$WORK/table.txt" && grep -qE '^words +[0-9]+' "$WORK/table.txt" &&
  grep -qE '^bpe 300 +[0-9]+' "$WORK/table.txt" && grep -q 'held out: --held-out 0.1' "$WORK/table.txt"; then
  ok "tokenize prints the table"
else
  not_ok "tokenize table" "$(cat "$WORK/table.txt" "$WORK/err")"
fi
if $PY - "$WORK/chart.svg" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
ns = "{http://www.w3.org/2000/svg}"
assert root.tag == ns + "svg", root.tag
assert len(root.findall(ns + "svg")) == 3, "three panels"
text = " ".join(t.text or "" for t in root.iter(ns + "text"))
for label in ("characters", "words", "bpe 300"):
    assert label in text, label
PY
then
  ok "the --plot chart is valid SVG with three panels"
else
  not_ok "the --plot chart"
fi

# Russian, raw: characters are code points (not bytes), words normalised (lowercased).
$PY - "$WORK/ru.txt" <<'PY'
import random, sys
random.seed(4)
w = "Кошка мышь молоко хвост Дом квартира комната окно река море озеро волна".split()
with open(sys.argv[1], "w", encoding="utf-8") as f:
    for _ in range(300):
        f.write(" ".join(random.choice(w) for _ in range(random.randint(4, 9))) + random.choice(["", ".", "!"]) + "\n")
PY
if "$WL" tokenize --compare "$WORK/ru.txt" --bpe-sizes 300 --min-count 1 --json > "$WORK/ru.json" 2> "$WORK/err" &&
  $PY -c "
import json, sys
r = json.load(open('$WORK/ru.json'))
s = {x['scheme']: x for x in r['schemes']}
text = open('$WORK/ru.txt', encoding='utf-8').read().split('\n')
chars = set(''.join(l for l in text if l.strip()))
assert s['characters']['vocab_size'] <= len(chars) and s['characters']['vocab_size'] > 20, s['characters']
assert s['words']['vocab_size'] == 12, s['words']   # Кошка and кошка are one word
assert s['words']['oov_tokens'] == 0
assert s['characters']['tokens_per_sentence']['mean'] > 5 * s['words']['tokens_per_sentence']['mean']
" 2> "$WORK/msg"; then
  ok "tokenize on Russian text: code points, 12 normalised words"
else
  not_ok "tokenize on Russian text" "$(cat "$WORK/msg" "$WORK/err" | tail -n 3)"
fi

printf 'good line\n\xff bad\nmore\n' > "$WORK/bad.txt"
expect_fail "invalid UTF-8" "bad.txt:2: byte 0: " "$WORK/p.svg" -- \
  "$WL" tokenize --compare "$WORK/bad.txt" --plot "$WORK/p.svg"
expect_fail "missing file" "cannot open text file '.*missing.txt'" "$WORK/p.svg" -- \
  "$WL" tokenize --compare "$WORK/missing.txt" --plot "$WORK/p.svg"
expect_fail "--held-out 2" "--held-out must be between 0 and 0.9" "$WORK/p.svg" -- \
  "$WL" tokenize --compare "$WORK/en.txt" --held-out 2 --plot "$WORK/p.svg"
expect_fail "--bpe-sizes 100" "--bpe-sizes: 100 is not a BPE vocabulary size: between 261" "$WORK/p.svg" -- \
  "$WL" tokenize --compare "$WORK/en.txt" --bpe-sizes 100 --plot "$WORK/p.svg"
expect_fail "--bpe-sizes x" "--bpe-sizes must be a positive whole number" "$WORK/p.svg" -- \
  "$WL" tokenize --compare "$WORK/en.txt" --bpe-sizes 300,x --plot "$WORK/p.svg"
expect_fail "no --compare" "--compare FILE is required" "$WORK/p.svg" -- "$WL" tokenize --plot "$WORK/p.svg"
printf '\n  \n' > "$WORK/blank.txt"
expect_fail "only blank lines" "no text" "$WORK/p.svg" -- "$WL" tokenize --compare "$WORK/blank.txt" --plot "$WORK/p.svg"
expect_fail "--plot into a missing folder" "" "$WORK/no/p.svg" -- \
  "$WL" tokenize --compare "$WORK/en.txt" --plot "$WORK/no/p.svg"
finish
