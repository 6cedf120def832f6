#!/usr/bin/python3
"""PyTorch CPU baseline for the wordlens transformer encoder.

Usage:
  bench/torch_encoder_bench.py [--batch 32] [--seq 128] [--dim 256] [--heads 4]
                               [--layers 4] [--ffn-mult 4 | --ffn 1024] [--vocab 30000]
                               [--threads 2] [--window 0] [--repeats 5]

Model: the wordlens encoder (scripts/load_encoder_torch.py: WordlensEncoder)
in float32 -- token embedding + sinusoidal positions (no sqrt(d) scaling),
torch.nn.TransformerEncoder, pre-norm, GELU (exact erf), dropout 0,
layer_norm_eps 1e-5, final LayerNorm, batch_first, enable_nested_tensor=False.
--window > 0 adds the float band mask [T, T] (0 where |i - j| <= w, else -inf).
No padding: every sequence is --seq tokens long.

Timed (wall clock, median over --repeats after one warm-up):
  forward_ms      eval() mode under torch.no_grad() on random ids [B, T]
                  (with window 0 PyTorch 1.13 takes its fused
                  _transformer_encoder_layer_fwd fast path here)
  train_step_ms   one MLM step in train() mode: forward, 15% of the B*T
                  positions (a fixed random choice), logits =
                  h[masked] @ embedding.weight.T (tied output, no bias),
                  cross-entropy against the original ids, backward,
                  AdamW(lr 1e-4, weight_decay 0.01).step(), zero_grad()
  sgemm_gflops    2*M*N*K / t for torch.matmul of float32 [4096, 256] x
                  [256, 1024] (M=4096, N=1024, K=256), median of 20 after a
                  warm-up

Prints one JSON line.
"""

import argparse
import json
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts"))
from load_encoder_torch import WordlensEncoder  # noqa: E402


def timed(fn, repeats, warmup=1):
    for _ in range(warmup):
        fn()
    ts = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts), ts


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--seq", type=int, default=128)
    ap.add_argument("--dim", type=int, default=256)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--ffn-mult", type=int, default=4, help="feed-forward width = ffn-mult x dim (as wordlens encoder bench)")
    ap.add_argument("--ffn", type=int, default=None, help="feed-forward width (overrides --ffn-mult)")
    ap.add_argument("--vocab", type=int, default=30000)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--window", type=int, default=0)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    if args.ffn is None:
        args.ffn = args.ffn_mult * args.dim

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    cfg = dict(vocab_size=args.vocab, d_model=args.dim, n_heads=args.heads, n_layers=args.layers,
               d_ff=args.ffn, max_len=args.seq, norm_first=True, activation="gelu",
               positional="sinusoidal", attention_window=args.window, layer_norm_eps=1e-5,
               final_norm=True)
    model = WordlensEncoder(cfg, torch.float32)
    with torch.no_grad():
        model.embedding.weight.normal_(0.0, 0.02)
    B, T = args.batch, args.seq
    ids = torch.randint(0, args.vocab, (B, T))

    # (i) inference forward
    model.eval()

    def forward():
        with torch.no_grad():
            model(ids)

    fwd, fwd_all = timed(forward, args.repeats)

    # (ii) MLM training step
    n_mask = max(1, round(0.15 * B * T))
    masked = torch.zeros(B * T, dtype=torch.bool)
    masked[torch.randperm(B * T)[:n_mask]] = True
    masked = masked.view(B, T)
    inputs = ids.clone()
    inputs[masked] = 0  # stands in for a [MASK] token id
    targets = ids[masked]
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.01)
    losses = []

    def train_step():
        model.train()
        h = model(inputs)
        logits = h[masked] @ model.embedding.weight.t()
        loss = F.cross_entropy(logits, targets)
        loss.backward()
        opt.step()
        opt.zero_grad(set_to_none=True)
        losses.append(loss.item())

    step, step_all = timed(train_step, args.repeats)

    # (iii) sgemm
    M, N, K = 4096, 1024, 256
    a = torch.randn(M, K)
    b = torch.randn(K, N)
    gemm, _ = timed(lambda: torch.matmul(a, b), 20)

    print(json.dumps({
        "forward_ms": round(fwd * 1e3, 2),
        "train_step_ms": round(step * 1e3, 2),
        "sgemm_gflops": round(2.0 * M * N * K / gemm / 1e9, 2),
        "tokens_per_s_forward": round(B * T / fwd, 1),
        "tokens_per_s_train": round(B * T / step, 1),
        "forward_ms_all": [round(t * 1e3, 2) for t in fwd_all],
        "train_step_ms_all": [round(t * 1e3, 2) for t in step_all],
        "mlm_loss_first_last": [round(losses[0], 4), round(losses[-1], 4)],
        "config": dict(batch=B, seq=T, dim=args.dim, heads=args.heads, layers=args.layers,
                       ffn=args.ffn, vocab=args.vocab, threads=args.threads, window=args.window,
                       repeats=args.repeats, masked_positions=n_mask, norm_first=True,
                       activation="gelu", positional="sinusoidal", dtype="float32",
                       params=sum(p.numel() for p in model.parameters())),
        "torch_version": torch.__version__,
        "torch_threads": torch.get_num_threads(),
    }))


if __name__ == "__main__":
    main()
