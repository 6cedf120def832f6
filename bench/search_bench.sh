#!/usr/bin/env bash
# search_bench.sh -- wordlens index / search against numpy on the same vectors:
# index build throughput (wordlens index vs wordlens embed + numpy normalise
# and save) and query latency (wordlens search, exact top 10, vs a numpy
# brute force U @ q + argpartition), with the top-10 lists compared, on
# 100k and 1M lines made from ../shared/data/corpus/bench.txt.
#
# usage: bench/search_bench.sh [--vectors V.bin] [--runs N] [--wordlens PATH] [--results FILE]
#   (or WORDLENS_SEARCH_VECTORS=V.bin)
#
# Without vectors, wordlens trains CBOW vectors on bench.txt (-size 100 -iter 2).
# 100k lines: the first 100,000 lines of bench.txt. 1M lines: bench.txt has
# 266,606 lines, so its words are cut into lines of 5 words (the first
# 1,000,000 such lines). Queries: 40 lines of bench.txt after line 200,000,
# their first 8 words. Runs are interleaved (wordlens, numpy, wordlens, ...)
# and medians reported. Results go between <!-- search-bench:begin --> and
# <!-- search-bench:end --> in bench/RESULTS.md.
set -euo pipefail
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(dirname "$SCRIPT_DIR")
. "$SCRIPT_DIR/common.sh"
PY=/usr/bin/python3
CORPUS="$REPO_ROOT/../shared/data/corpus/bench.txt"
VECTORS=${WORDLENS_SEARCH_VECTORS:-}
WL="$REPO_ROOT/build/wordlens"
RESULTS="$SCRIPT_DIR/RESULTS.md"
RUNS=3
while (($#)); do
  case "$1" in
    --vectors) VECTORS=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --wordlens) WL=$2; shift 2 ;;
    --results) RESULTS=$2; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "search_bench: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[ -f "$CORPUS" ] || { echo "skipping: $CORPUS not found (the shared data is absent)"; exit 0; }
[ -x "$WL" ] || { echo "search_bench: $WL not found: build first" >&2; exit 1; }
$PY -c 'import numpy' 2> /dev/null || apt-get install -y python3-numpy > /dev/null
TMP=$(mktemp -d -t search-bench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
log() { echo "[search_bench] $*" >&2; }
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

if [ -z "$VECTORS" ]; then
  log "training CBOW vectors on bench.txt"
  "$WL" train -train "$CORPUS" -output "$TMP/v.bin" -binary 1 -cbow 1 -size 100 -window 5 -negative 5 -sample 1e-4 \
    -iter 2 -min-count 5 -threads 2 -debug 0 > /dev/null 2>&1
  VECTORS="$TMP/v.bin"
  SOURCE="\`wordlens train -train bench.txt -cbow 1 -size 100 -window 5 -negative 5 -sample 1e-4 -iter 2 -min-count 5 -threads 2\`"
else
  SOURCE="given file \`$VECTORS\`"
fi

head -n 100000 "$CORPUS" > "$TMP/100k.txt"
awk '{ for (i = 1; i <= NF; i++) { line = line (n ? " " : "") $i; if (++n == 5) { print line; line = ""; n = 0; if (++c == 1000000) exit } } }' \
  "$CORPUS" > "$TMP/1M.txt"
sed -n '200001,$p' "$CORPUS" | awk 'NF >= 8 && n < 40 { print $1, $2, $3, $4, $5, $6, $7, $8; n++ }' > "$TMP/queries.txt"
"$WL" embed --input "$TMP/queries.txt" --output "$TMP/queries.npy" --method avg --vectors "$VECTORS" 2> /dev/null

# time_ms CMD...: wall milliseconds of CMD (output discarded) appended to the file named by $T.
time_ms() {
  local s e
  s=$(date +%s%N)
  "$@" > /dev/null 2>&1
  e=$(date +%s%N)
  echo $(((e - s) / 1000000)) >> "$T"
}

for size in 100k 1M; do
  log "$size lines: index build, $RUNS interleaved runs"
  for ((r = 0; r < RUNS; r++)); do
    T="$TMP/$size.index.ms" time_ms "$WL" index --input "$TMP/$size.txt" --output "$TMP/$size.idx" --method avg \
      --vectors "$VECTORS" --threads 2
    T="$TMP/$size.embed.ms" time_ms bash -c "'$WL' embed --input '$TMP/$size.txt' --output '$TMP/$size.npy' --method avg \
      --vectors '$VECTORS' && $PY -c 'import numpy as np; m = np.load(\"$TMP/$size.npy\"); n = np.linalg.norm(m, axis=1, keepdims=True); np.save(\"$TMP/$size.unit.npy\", np.divide(m, n, out=np.zeros_like(m), where=n > 0))'"
  done
  "$WL" index --input "$TMP/$size.txt" --output "$TMP/$size.f16.idx" --method avg --vectors "$VECTORS" --dtype f16 2> /dev/null
  log "$size lines: query latency, $RUNS interleaved sessions of 40 queries"
  for ((r = 0; r < RUNS; r++)); do
    "$WL" search "$TMP/$size.idx" -k 10 --json --timing < "$TMP/queries.txt" > "$TMP/$size.wl.json" 2>> "$TMP/$size.wl.timing"
    "$WL" search "$TMP/$size.f16.idx" -k 10 --json --timing < "$TMP/queries.txt" > "$TMP/$size.f16.json" 2>> "$TMP/$size.f16.timing"
    $PY - "$TMP/$size.unit.npy" "$TMP/queries.npy" "$TMP/$size.np.json" >> "$TMP/$size.np.timing" <<'PYEOF'
import json, sys, time, numpy as np
U = np.load(sys.argv[1]); Q = np.load(sys.argv[2])
Q = Q / np.linalg.norm(Q, axis=1, keepdims=True)
zero = ~U.any(axis=1)
out = []
for q in Q:
    t = time.perf_counter()
    s = U @ q
    s[zero] = -np.inf
    top = np.argpartition(-s, 10)[:10]
    top = top[np.lexsort((top, -s[top]))]
    print(f"numpy {1000 * (time.perf_counter() - t):.3f}")
    out.append({"lines": (top + 1).tolist(), "scores": s[top].tolist()})
json.dump(out, open(sys.argv[3], "w"))
PYEOF
  done
  stat -c %s "$TMP/$size.idx" > "$TMP/$size.bytes"; stat -c %s "$TMP/$size.f16.idx" >> "$TMP/$size.bytes"
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

$PY - "$TMP" "$RESULTS" "$SOURCE" "$RUNS" "$LOAD_BEFORE" "$LOAD_AFTER" <<'PYEOF'
import json, os, subprocess, sys, datetime, statistics as st
d, results, source, runs, load0, load1 = sys.argv[1:7]
cpu = subprocess.run("lscpu | sed -n 's/^Model name: *//p'", shell=True, capture_output=True, text=True).stdout.strip()
def med(xs): return st.median(xs)
def wl_times(path):
    tot, srch = [], []
    for l in open(path):
        if l.startswith("query time:"):
            f = l.split()
            tot.append(float(f[2])); srch.append(float(f[8]))
    return tot, srch
rows, agree = [], []
for size, n in (("100k", 100000), ("1M", 1000000)):
    idx = [int(x) / 1000 for x in open(f"{d}/{size}.index.ms")]
    emb = [int(x) / 1000 for x in open(f"{d}/{size}.embed.ms")]
    tot, srch = wl_times(f"{d}/{size}.wl.timing")
    tot16, srch16 = wl_times(f"{d}/{size}.f16.timing")
    npt = [float(l.split()[1]) for l in open(f"{d}/{size}.np.timing")]
    ref = json.load(open(f"{d}/{size}.np.json"))
    counts = {}
    for name, got_path, tol in (("f32", f"{d}/{size}.wl.json", 1e-5), ("f16", f"{d}/{size}.f16.json", 2e-3)):
        got = [list(json.loads(l)["results"].values())[0] for l in open(got_path)]
        # strict: the same line numbers in the same order; within tol: the same scores rank by rank
        # (lists that differ only by lines whose cosines tie within tol).
        strict = sum([h["line"] for h in g] == r["lines"] for g, r in zip(got, ref))
        close = sum(len(g) == len(r["scores"]) and all(abs(h["score"] - x) < tol for h, x in zip(g, r["scores"]))
                    for g, r in zip(got, ref))
        counts[name] = f"{strict}/{len(ref)} ({close})"
    b32, b16 = [int(x) for x in open(f"{d}/{size}.bytes")]
    rows.append((size, n, med(idx), med(emb), med(srch), med(tot), med(srch16), med(npt), counts["f32"], counts["f16"], b32, b16))
out = ["<!-- search-bench:begin -->", "## Sentence search: wordlens index / search vs numpy (issue 14)", "",
       f"Measured {datetime.date.today()} on {os.cpu_count()} cores ({cpu}); load average before/after {load0} / {load1}. "
       f"Vectors: {source}. `bench/search_bench.sh`, {runs} interleaved runs, medians. 100k lines: the first 100,000 lines of "
       "bench.txt; 1M lines: bench.txt's words cut into lines of 5 words (bench.txt has 266,606 lines). "
       "Queries: 40 lines of bench.txt after line 200,000, first 8 words.", "",
       "Index build (`build/wordlens index --input LINES --output I.idx --method avg --vectors V --threads 2`) against "
       "`build/wordlens embed --input LINES --output E.npy --method avg --vectors V` plus numpy normalising the rows and `np.save` "
       "(both whole commands, loading the vectors included):", "",
       "| lines | wordlens index | lines/s | embed + numpy | lines/s | index / (embed + numpy) |", "|---|--:|--:|--:|--:|--:|"]
for size, n, idx, emb, *_ in rows:
    out.append(f"| {size} | {idx:.2f} s | {n / idx:,.0f} | {emb:.2f} s | {n / emb:,.0f} | {idx / emb:.2f}× |")
out += ["", "Query latency after loading, top 10 by cosine, per query (median of "
        f"{runs} × 40 queries). wordlens: `build/wordlens search I.idx -k 10 --json --timing < queries.txt`, the search "
        "alone (`search` in the `--timing` line: fp16 scan then float32 rescoring of the candidates) and with the query's "
        "embedding; numpy: `s = U @ q` (float32, the rows of `embed` normalised), zero rows masked, `argpartition` "
        "then sort of the 10. Same lists: wordlens' top-10 line numbers equal numpy's (in brackets: the 10 cosines equal "
        "numpy's rank by rank within 1e-5, f16 within 2e-3).", "",
        "| lines | wordlens search (f32 index) | with embedding | wordlens search (f16 index) | numpy brute force | wordlens / numpy | same lists f32 / f16 | index size f32 / f16 |",
        "|---|--:|--:|--:|--:|--:|--:|--:|"]
for size, n, idx, emb, srch, tot, srch16, npt, c32, c16, b32, b16 in rows:
    out.append(f"| {size} | {srch:.2f} ms | {tot:.2f} ms | {srch16:.2f} ms | {npt:.2f} ms | {srch / npt:.2f}× | "
               f"{c32} / {c16} | {b32 / 2**20:.0f} / {b16 / 2**20:.0f} MiB |")
out.append("<!-- search-bench:end -->")
section = "\n".join(out) + "\n"
print(section)
open(f"{d}/section.md", "w").write(section)
PYEOF
"$SCRIPT_DIR/write_section.sh" "$RESULTS" "$TMP/section.md"
