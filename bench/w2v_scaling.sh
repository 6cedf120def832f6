#!/usr/bin/env bash
# w2v_scaling.sh -- issue 16, thread scaling of Word2Vec training: words/s at
# 1 and 2 threads (and more with --threads "1 2 4") for skip-gram with the
# per-pair and the batched update, CBOW and hierarchical softmax, on
# bench.txt with the README's settings but --iter 2 (the rate is per epoch).
# Runs interleaved (every configuration at every thread count, --repeats
# times), medians; efficiency = rate(n) / (n × rate(1)). The words/s is
# train's own figure (--json words_per_second: trained words / training
# time, vocabulary building excluded).
#
# Hogwild contention: beside the 2-thread run (one process, both threads
# updating the same matrices without locks), two 1-thread processes run at
# once on the same corpus, each with its own matrices: the same cores, the
# same kind of work, but no row is ever shared. contention = 1 - rate(2
# threads) / (sum of the two processes' rates): the share of throughput lost
# to sharing rows (cache lines bouncing between the cores on frequent rows).
# The private processes hold twice the matrices in the shared cache, so this
# understates the cost of sharing, never overstates it.
# Section: <!-- w2v-scaling:begin/end -->.
#
# usage: bench/w2v_scaling.sh [--corpus FILE] [--threads "1 2"] [--repeats 3] [--wordlens PATH]
set -euo pipefail
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$SCRIPT_DIR")
REPO_ROOT=$ROOT
. "$SCRIPT_DIR/common.sh"
CORPUS="$ROOT/../shared/data/corpus/bench.txt"
WL="$ROOT/build/wordlens"
THREADS="1 2"
REPEATS=3
while (($#)); do
  case "$1" in
    --corpus) CORPUS=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --repeats) REPEATS=$2; shift 2 ;;
    --wordlens) WL=$2; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "w2v_scaling: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[ -f "$CORPUS" ] || { echo "skipping: corpus $CORPUS not found"; exit 0; }
[ -x "$WL" ] || { echo "w2v_scaling: wordlens binary not found: $WL (build it first)" >&2; exit 1; }
TMP=$(mktemp -d -t w2v-scaling.XXXXXX)
cp "$WL" "$TMP/wordlens"
WL=$TMP/wordlens
CONFIGS=("skip-gram, --update pair|-cbow 0 -hs 0 -negative 5 --update pair"
  "skip-gram, --update batch|-cbow 0 -hs 0 -negative 5 --update batch"
  "CBOW, --update pair|-cbow 1 -hs 0 -negative 5 -alpha 0.05 --update pair"
  "CBOW, --update batch|-cbow 1 -hs 0 -negative 5 -alpha 0.05 --update batch"
  "skip-gram, hierarchical softmax, --update pair|-cbow 0 -hs 1 -negative 0 --update pair"
  "skip-gram, hierarchical softmax, --update batch|-cbow 0 -hs 1 -negative 0 --update batch")
COMMON=(-train "$CORPUS" -binary 1 -size 100 -window 5 -sample 1e-4 -iter 2 -min-count 5 -debug 0 --json)
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
: > "$TMP/runs.tsv"
for r in $(seq "$REPEATS"); do
  for c in "${CONFIGS[@]}"; do
    for t in $THREADS; do
      # shellcheck disable=SC2086
      rate=$("$WL" train "${COMMON[@]}" -output "$TMP/v.bin" --seed 1 ${c#*|} -threads "$t" 2> /dev/null | /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["words_per_second"])')
      printf '%s\t%s\t%s\n' "${c%%|*}" "$t" "$rate" >> "$TMP/runs.tsv"
    done
    # Two 1-thread processes at once, private matrices (contention reference).
    # shellcheck disable=SC2086
    "$WL" train "${COMMON[@]}" ${c#*|} -threads 1 -output "$TMP/pa.bin" --seed 1 > "$TMP/pa.json" 2> /dev/null &
    pid=$!
    # shellcheck disable=SC2086
    "$WL" train "${COMMON[@]}" ${c#*|} -threads 1 -output "$TMP/pb.bin" --seed 2 > "$TMP/pb.json" 2> /dev/null
    wait "$pid"
    rate=$(/usr/bin/python3 -c 'import json, sys; print(sum(json.load(open(f))["words_per_second"] for f in sys.argv[1:]))' \
      "$TMP/pa.json" "$TMP/pb.json")
    printf '%s\t%s\t%s\n' "${c%%|*}" private2 "$rate" >> "$TMP/runs.tsv"
  done
done
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)
{ for c in "${CONFIGS[@]}"; do show_cmd "$WL" train "${COMMON[@]}" -output "$TMP/v.bin" --seed 1 ${c#*|} -threads N | sed "s|$CORPUS|bench.txt|"; echo; done
  echo "# 2 processes: the 1-thread command twice at once, -output \$TMP/pa.bin --seed 1 and -output \$TMP/pb.bin --seed 2"; } > "$TMP/commands.txt"
/usr/bin/python3 - "$TMP" "$THREADS" "$REPEATS" "$LOAD0" "$LOAD1" "$(git -C "$ROOT" rev-parse --short HEAD)" \
  "$(lscpu | sed -n 's/^Model name: *//p')" > "$TMP/section.md" <<'PY'
import collections, datetime, os, statistics, sys
tmp, threads, repeats, load0, load1, rev, cpu = sys.argv[1:8]
threads = [int(t) for t in threads.split()]
runs = collections.defaultdict(list)
order = []
for line in open(f"{tmp}/runs.tsv"):
    name, t, rate = line.rstrip("\n").split("\t")
    runs[(name, t if t == "private2" else int(t))].append(float(rate))
    if name not in order:
        order.append(name)
L = ["<!-- w2v-scaling:begin -->", "## Word2Vec thread scaling (issue 16)", "",
     f"- Date: {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC; machine: {os.cpu_count()} cores ({cpu}); wordlens {rev}; "
     f"load average before / after: {load0} / {load1}.",
     f"- bench.txt, size 100, window 5, sample 1e-4, min-count 5, 2 epochs; words/s from `train --json` (training only); "
     f"median of {repeats} interleaved runs; efficiency = rate(n) / (n × rate(1)).",
     "- Contention: \"2 processes\" = two 1-thread runs at the same time, each with its own matrices (their words/s "
     "summed; the second with --seed 2); contention = 1 − rate(2 threads) / rate(2 processes): throughput lost because "
     "the two Hogwild threads share rows (a lower bound: the two processes also hold twice the matrices in the cache).",
     "", "```sh"]
L += [c for c in open(f"{tmp}/commands.txt").read().splitlines() if c] + ["```", ""]
L += ["| configuration | " + " | ".join(f"{t} thread{'s' if t > 1 else ''} (words/s)" for t in threads) + " | " +
      " | ".join(f"efficiency at {t}" for t in threads[1:]) + " | 2 processes × 1 thread (words/s) | contention | runs |",
      "|---|" + "--:|" * (2 * len(threads) + 1) + "---|"]
for name in order:
    med = {t: statistics.median(runs[(name, t)]) for t in threads}
    eff = [med[t] / (t * med[threads[0]]) * threads[0] for t in threads[1:]]
    raw = "; ".join(f"{t}: " + ", ".join(f"{x / 1e6:.2f}M" for x in runs[(name, t)]) for t in threads + ["private2"])
    priv = statistics.median(runs[(name, "private2")])
    contention = (1 - med[2] / priv) if 2 in med else float("nan")
    L.append(f"| {name} | " + " | ".join(f"{med[t] / 1e6:.2f}M" for t in threads) + " | " +
             " | ".join(f"{e:.2f}" for e in eff) + f" | {priv / 1e6:.2f}M | {contention:+.3f} | {raw} |")
L.append("<!-- w2v-scaling:end -->")
print("\n".join(L))
PY
"$SCRIPT_DIR/write_section.sh" "$SCRIPT_DIR/RESULTS.md" "$TMP/section.md"
cat "$TMP/section.md"
rm -rf "$TMP"
