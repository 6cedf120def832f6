#!/usr/bin/env bash
# eval_bench.sh -- wordlens eval vs gensim on the same word2vec.c vectors, and
# single-query latency of wordlens similar on a 100,000 x 300 matrix.
#
# usage: bench/eval_bench.sh [--vectors FILE.bin] [--corpus FILE] [--wordlens PATH] [--results FILE]
#
# Without --vectors, word2vec.c (npm package "word2vec", compiled in a temp
# dir) trains skip-gram vectors on the corpus: -cbow 0 -size 100 -window 5
# -negative 5 -hs 0 -sample 1e-4 -iter 5 -min-count 5 -threads 2 -binary 1.
# Then gensim (Debian python3-gensim) and wordlens evaluate them on
# questions-words (restrict 30000, case-insensitive), WordSim-353 and
# SimLex-999, printed side by side with the time each takes. Results go
# between <!-- eval-bench:begin --> and <!-- eval-bench:end --> in bench/RESULTS.md.
set -euo pipefail
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$SCRIPT_DIR")
PY=/usr/bin/python3
DATA="$ROOT/../shared/data"
CORPUS="$DATA/corpus/bench.txt"
VECTORS=""
WL="$ROOT/build/wordlens"
RESULTS="$SCRIPT_DIR/RESULTS.md"
while (($#)); do
  case "$1" in
    --vectors) VECTORS=$2; shift 2 ;;
    --corpus) CORPUS=$2; shift 2 ;;
    --wordlens) WL=$2; shift 2 ;;
    --results) RESULTS=$2; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "eval_bench: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
Q="$DATA/eval/questions-words.txt" WS="$DATA/eval/wordsim353.txt" SL="$DATA/eval/simlex999.txt"
for f in "$Q" "$WS" "$SL"; do
  [ -f "$f" ] || { echo "skipping: $f not found (the shared evaluation data is absent)"; exit 0; }
done
[ -x "$WL" ] || { echo "eval_bench: $WL not found: build first (cmake -S . -B build && cmake --build build)" >&2; exit 1; }
$PY -c 'import gensim, numpy' 2> /dev/null || apt-get install -y python3-gensim python3-numpy > /dev/null
TMP=$(mktemp -d -t eval-bench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
log() { echo "[eval_bench] $*" >&2; }

W2V_CMD="word2vec -train $(basename "$CORPUS") -output vectors.bin -cbow 0 -size 100 -window 5 -negative 5 -hs 0 -sample 1e-4 -iter 5 -min-count 5 -threads 2 -binary 1"
if [ -z "$VECTORS" ]; then
  [ -f "$CORPUS" ] || { echo "skipping: corpus $CORPUS not found"; exit 0; }
  log "building word2vec.c and training skip-gram vectors (about 2 minutes)"
  W2V=$("$SCRIPT_DIR/build_word2vec_c.sh" "$TMP/w2v" 2> "$TMP/build.log")
  "$W2V" -train "$CORPUS" -output "$TMP/vectors.bin" -cbow 0 -size 100 -window 5 -negative 5 -hs 0 -sample 1e-4 \
    -iter 5 -min-count 5 -threads 2 -binary 1 > "$TMP/train.log" 2>&1
  VECTORS="$TMP/vectors.bin"
  SOURCE="word2vec.c: \`$W2V_CMD\`"
else
  SOURCE="given file \`$VECTORS\`"
fi

log "gensim evaluation"
$PY "$SCRIPT_DIR/gensim_eval.py" "$VECTORS" --analogy "$Q" --similarity "$WS" "$SL" > "$TMP/gensim.json"
log "wordlens evaluation (3 runs, whole command incl. loading)"
for i in 1 2 3; do
  s=$(date +%s%N)
  "$WL" eval "$VECTORS" --analogy "$Q" --similarity "$WS" "$SL" --json > "$TMP/wordlens.json"
  e=$(date +%s%N)
  echo $((e - s)) >> "$TMP/wl_times"  # nanoseconds
done

log "single-query latency on a random 100000 x 300 matrix"
$PY - "$TMP/big.bin" <<'PYEOF'
import sys, numpy as np
rng = np.random.default_rng(0)
V, D = 100000, 300
m = rng.standard_normal((V, D)).astype(np.float32)
with open(sys.argv[1], "wb") as f:
    f.write(f"{V} {D}\n".encode())
    for i in range(V):
        f.write(f"w{i} ".encode()); f.write(m[i].tobytes()); f.write(b"\n")
PYEOF
seq 0 50 1999 | sed 's/^/w/' > "$TMP/queries.txt"   # 40 queries
"$WL" similar "$TMP/big.bin" -k 10 --timing < "$TMP/queries.txt" > "$TMP/similar.out" 2> "$TMP/similar.err"
$PY - "$TMP" <<'PYEOF' > "$TMP/latency.json"
import json, sys, numpy as np
d = sys.argv[1]
times = sorted(float(l.split()[2]) for l in open(f"{d}/similar.err") if l.startswith("query time"))
with open(f"{d}/big.bin", "rb") as f:
    V, D = map(int, f.readline().split())
    raw = f.read()
M = np.empty((V, D), np.float32); pos = 0
for i in range(V):
    sp = raw.index(b" ", pos); M[i] = np.frombuffer(raw, np.float32, D, sp + 1); pos = sp + 1 + 4 * D + 1
U = M / np.linalg.norm(M, axis=1, keepdims=True)
blocks = open(f"{d}/similar.out").read().split("# ")[1:]
exact = 0
for b in blocks:
    lines = b.strip().split("\n"); q = int(lines[0][1:]); got = [int(l.split()[1][1:]) for l in lines[1:]]
    s = U @ U[q]; s[q] = -9
    exact += got == list(np.argsort(-s, kind="stable")[:10])
print(json.dumps({"median_ms": times[len(times) // 2], "max_ms": times[-1], "queries": len(times),
                  "exact": exact}))
PYEOF

$PY - "$TMP" "$RESULTS" "$SOURCE" <<'PYEOF'
import json, os, re, subprocess, sys, datetime
d, results, source = sys.argv[1:4]
g = json.load(open(f"{d}/gensim.json")); w = json.load(open(f"{d}/wordlens.json"))
lat = json.load(open(f"{d}/latency.json"))
wl_times = sorted(float(x) / 1e9 for x in open(f"{d}/wl_times"))
wl_med = wl_times[1]
cpu = subprocess.run("lscpu | sed -n 's/^Model name: *//p'", shell=True, capture_output=True, text=True).stdout.strip()
rows = [("analogy accuracy (unknown = wrong)", g["analogy"]["accuracy"], w["analogy"]["accuracy"]),
        ("analogy accuracy on covered", g["analogy"]["accuracy_covered"], w["analogy"]["accuracy_covered"]),
        ("analogy coverage", g["analogy"]["coverage"], w["analogy"]["coverage"])]
for f in ("wordsim353.txt", "simlex999.txt"):
    for k in ("spearman", "pearson", "coverage"):
        rows.append((f"{f} {k}", g["similarity"][f][k], w["similarity"][f][k]))
out = ["<!-- eval-bench:begin -->", "## Evaluation: wordlens eval vs gensim (issue 3)", "",
       f"Measured {datetime.date.today()} on {os.cpu_count()} cores ({cpu}). Vectors: {source}. "
       "gensim: Debian python3-gensim, `bench/gensim_eval.py` "
       "(`evaluate_word_analogies(restrict_vocab=30000, case_insensitive=True)`, `evaluate_word_pairs`). "
       "wordlens: `wordlens eval VECTORS --analogy questions-words.txt --similarity wordsim353.txt simlex999.txt --json`.",
       "", "| metric | gensim | wordlens | abs. difference |", "|---|--:|--:|--:|"]
for name, a, b in rows:
    out.append(f"| {name} | {a:.4f} | {b:.4f} | {abs(a - b):.5f} |")
ratio = wl_med / g["analogy"]["seconds"]
out += ["", "| time | gensim | wordlens | wordlens / gensim |", "|---|--:|--:|--:|",
        f"| questions-words, restrict 30000 | {g['analogy']['seconds']:.2f} s (evaluation only) | "
        f"{wl_med:.2f} s (whole command incl. loading; median of 3) | {ratio:.2f}× |", "",
        f"`wordlens similar` on a random 100,000 × 300 matrix (`bench/eval_bench.sh`, {lat['queries']} queries "
        f"after loading, `--timing`): median {lat['median_ms']:.2f} ms, max {lat['max_ms']:.2f} ms per query; "
        f"{lat['exact']}/{lat['queries']} top-10 lists identical to an exact numpy computation.",
        "<!-- eval-bench:end -->"]
section = "\n".join(out) + "\n"
print(section)
open(f"{d}/section.md", "w").write(section)
PYEOF
"$SCRIPT_DIR/write_section.sh" "$RESULTS" "$TMP/section.md"
