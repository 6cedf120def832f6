#!/usr/bin/python3
"""Write PyTorch reference fixtures for the wordlens C++ transformer encoder.

Usage:
  scripts/make_encoder_fixtures.py [--out tests/fixtures]

For each configuration in CONFIGS below:
  * builds the model (scripts/load_encoder_torch.py: WordlensEncoder =
    token embedding + sinusoidal or learned positions, no sqrt(d) scaling,
    then torch.nn.TransformerEncoder with dropout 0, batch_first=True,
    enable_nested_tensor=False) in float64;
  * fills every parameter with random values (torch.manual_seed(SEED + k)):
    Linear/attention weights N(0, 0.3^2), their biases N(0, 0.1^2),
    embedding and pos_embedding N(0, 0.5^2), LayerNorm weights U(0.8, 1.2),
    LayerNorm biases U(-0.1, 0.1); values are rounded to float32 before use,
    so the float64 reference is exact for the float32 weights in the file;
  * runs ids [B, T] (padding positions: id 0, masked with
    src_key_padding_mask; real tokens: ids in [1, V)) in train() mode
    (dropout 0, so deterministic and never PyTorch's fused fast path),
    computes L = sum over non-padding positions of output * R with a random
    R [B, T, d] (rounded to float32), and backpropagates;
  * writes encoder_<name>.safetensors (float32 weights + metadata) and
    encoder_<name>_io.safetensors (ids, lengths, R, output, loss,
    grad.<param> for every parameter, all float32 except the I32 ids and
    lengths).

Sliding-window configurations (attention_window w > 0) use the band mask
(0 where |i - j| <= w, else -inf) combined with key padding; padding query
rows that would see no key at all attend to themselves (see
load_encoder_torch.band_mask_with_padding) -- PyTorch's own band mask +
src_key_padding_mask turns whole sequences into NaN there.  Non-padding rows
are unaffected by that choice.

Every fixture is also verified here: each sequence is re-run alone,
unpadded (length L, no padding mask at all), and its rows and the summed
per-sequence gradients must match the batched run to 1e-10.
"""

import argparse
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402
from load_encoder_torch import WordlensEncoder, metadata_from_config, nonpad_mask, run_loss  # noqa: E402

SEED = 20240601

BASE = dict(vocab_size=40, d_model=16, n_heads=2, n_layers=2, d_ff=64, max_len=10,
            layer_norm_eps=1e-5)

CONFIGS = [
    ("post_relu", dict(BASE, norm_first=False, activation="relu", positional="sinusoidal",
                       final_norm=False, attention_window=0), [7, 5, 2], 7),
    ("pre_gelu", dict(BASE, norm_first=True, activation="gelu", positional="learned",
                      final_norm=True, attention_window=0), [7, 5, 2], 7),
    ("pre_gelu_window", dict(BASE, norm_first=True, activation="gelu", positional="learned",
                             final_norm=True, attention_window=2), [9, 6, 4], 9),
    ("post_gelu_3layers", dict(BASE, d_model=24, n_heads=3, n_layers=3, d_ff=48, norm_first=False,
                               activation="gelu", positional="sinusoidal", final_norm=True,
                               attention_window=0), [8, 3], 8),
]


def f32(t):
    """Round a float64 tensor to float32 and back."""
    return t.to(torch.float32).to(torch.float64)


def init_params(model, gen):
    with torch.no_grad():
        for name, p in model.named_parameters():
            leaf = name.rsplit(".", 1)[-1]
            is_norm = name.startswith("norm.") or ".norm1." in name or ".norm2." in name
            if is_norm and leaf == "weight":
                v = 0.8 + 0.4 * torch.rand(p.shape, generator=gen, dtype=torch.float64)
            elif is_norm and leaf == "bias":
                v = -0.1 + 0.2 * torch.rand(p.shape, generator=gen, dtype=torch.float64)
            elif name in ("embedding.weight", "pos_embedding"):
                v = 0.5 * torch.randn(p.shape, generator=gen, dtype=torch.float64)
            elif leaf.endswith("bias"):
                v = 0.1 * torch.randn(p.shape, generator=gen, dtype=torch.float64)
            else:
                v = 0.3 * torch.randn(p.shape, generator=gen, dtype=torch.float64)
            p.copy_(f32(v))


def ordered_names(model):
    names = [n for n, _ in model.named_parameters()]
    first = [n for n in ("embedding.weight", "pos_embedding") if n in names]
    return first + [n for n in names if n not in first]


def verify_unpadded(model, ids, lengths, R, out, grads):
    """Each sequence alone, unpadded, must reproduce its rows and (summed) the gradients."""
    acc = {n: torch.zeros_like(p) for n, p in model.named_parameters()}
    worst_out = 0.0
    for b in range(ids.shape[0]):
        L = int(lengths[b])
        o, _ = _run_unpadded(model, ids[b:b + 1, :L], R[b:b + 1, :L])
        worst_out = max(worst_out, (o[0] - out[b, :L]).abs().max().item())
        for n, p in model.named_parameters():
            if p.grad is not None:
                acc[n] += p.grad
    worst_grad = max((acc[n] - grads[n]).abs().max().item() for n in acc)
    return worst_out, worst_grad


def _run_unpadded(model, ids, R):
    model.train()
    model.zero_grad(set_to_none=True)
    out = model(ids, None)
    loss = (out * R).sum()
    loss.backward()
    return out.detach(), loss.detach()


def make_one(name, cfg, lengths_list, T, seed, out_dir):
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    model = WordlensEncoder(cfg, torch.float64)
    init_params(model, gen)

    B = len(lengths_list)
    lengths = torch.tensor(lengths_list, dtype=torch.int64)
    keep = nonpad_mask(lengths, T)
    ids = torch.randint(1, cfg["vocab_size"], (B, T), generator=gen)
    ids = torch.where(keep, ids, torch.zeros_like(ids))
    R = f32(torch.randn(B, T, cfg["d_model"], generator=gen, dtype=torch.float64))

    out, loss = run_loss(model, ids, lengths, R)
    if not torch.isfinite(out).all():
        raise SystemExit("%s: non-finite output" % name)
    names = ordered_names(model)
    params = dict(model.named_parameters())
    grads = {n: params[n].grad.detach().clone() if params[n].grad is not None
             else torch.zeros_like(params[n]) for n in names}
    for n, g in grads.items():
        if not torch.isfinite(g).all():
            raise SystemExit("%s: non-finite gradient %s" % (name, n))

    # independent check of the masking semantics: unpadded per-sequence runs
    d_out, d_grad = verify_unpadded(model, ids, lengths, R, out, grads)
    if d_out > 1e-10 or d_grad > 1e-10:
        raise SystemExit("%s: batched vs unpadded mismatch: output %.3g grad %.3g" % (name, d_out, d_grad))

    # float32 run of the same weights: how close a float32 implementation can expect to be
    m32 = WordlensEncoder(cfg, torch.float32)
    m32.load_state_dict({k: v.to(torch.float32) for k, v in model.state_dict().items()}, strict=True)
    out32, loss32 = run_loss(m32, ids, lengths, R.to(torch.float32))
    d32 = (out32.to(torch.float64)[keep] - out[keep]).abs().max().item()
    g32 = max((p.grad.to(torch.float64) - grads[n]).abs().max().item() / max(1.0, grads[n].abs().max().item())
              for n, p in m32.named_parameters())

    meta = metadata_from_config(cfg)
    weights = {n: params[n].detach().numpy().astype(np.float32) for n in names}
    wpath = os.path.join(out_dir, "encoder_%s.safetensors" % name)
    safetensors_io.save(wpath, weights, meta)

    io = {
        "ids": ids.numpy().astype(np.int32),
        "lengths": lengths.numpy().astype(np.int32),
        "R": R.numpy().astype(np.float32),
        "output": out.numpy().astype(np.float32),
        "loss": np.array([loss.item()], dtype=np.float32),
    }
    for n in names:
        io["grad." + n] = grads[n].numpy().astype(np.float32)
    io_meta = dict(meta)
    io_meta.update({
        "config": name,
        "loss": repr(loss.item()),
        "torch_version": torch.__version__,
        "computed_in": "float64 (weights and R rounded to float32 first), train() mode, dropout 0",
        "loss_definition": "sum over b, t < lengths[b], k of output[b,t,k] * R[b,t,k]",
        "seed": str(seed),
        "float32_torch_max_abs_diff_output": "%.3g" % d32,
        "float32_torch_max_scaled_diff_grad": "%.3g" % g32,
    })
    if cfg["attention_window"] > 0:
        io_meta["padding_rows"] = ("band mask + key padding; padding query rows with no visible key "
                                   "attend to themselves only")
    iopath = os.path.join(out_dir, "encoder_%s_io.safetensors" % name)
    safetensors_io.save(iopath, io, io_meta)
    print("%-18s loss %+.6f  weights %6d B  io %6d B  unpadded-check out %.1e grad %.1e  "
          "float32 torch: out %.1e grad %.1e"
          % (name, loss.item(), os.path.getsize(wpath), os.path.getsize(iopath), d_out, d_grad, d32, g32))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                                   "tests", "fixtures"))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.set_num_threads(1)
    print("torch %s" % torch.__version__)
    for k, (name, cfg, lengths, T) in enumerate(CONFIGS):
        make_one(name, cfg, lengths, T, SEED + k, args.out)


if __name__ == "__main__":
    main()
