# Shell helpers shared by the bench scripts (source it; it defines functions only).

# show_cmd CMD...: the command as it is shown in RESULTS.md — the snapshot
# binary as build/wordlens, temporary paths as $TMP, repository paths relative.
# Uses the caller's $WL, $TMP and $REPO_ROOT.
show_cmd() {
  local s
  s=$(printf '%q ' "$@")
  s=${s% }
  s=${s//"$WL"/build/wordlens}
  s=${s//"$TMP"/\$TMP}
  s=${s//"$REPO_ROOT/"/}
  printf '%s' "$s"
}

# sgemm_gflops [THREADS]: the machine's float32 GEMM rate in GFLOP/s (numpy
# 1024×1024 matmul on THREADS OpenBLAS threads, default 2; median of 10 after
# a warm-up), the reference the Word2Vec benches divide by.
sgemm_gflops() {
  OPENBLAS_NUM_THREADS=${1:-2} /usr/bin/python3 -c '
import numpy as np, statistics, time
n = 1024
a = np.random.rand(n, n).astype(np.float32); b = np.random.rand(n, n).astype(np.float32)
a @ b
t = []
for _ in range(10):
    t0 = time.perf_counter(); a @ b; t.append(time.perf_counter() - t0)
print("%.1f" % (2 * n**3 / statistics.median(t) / 1e9))'
}
