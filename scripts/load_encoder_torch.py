#!/usr/bin/python3
"""Load a wordlens encoder weights file into PyTorch (and optionally check a fixture).

Usage:
  scripts/load_encoder_torch.py WEIGHTS.safetensors [--check IO.safetensors]
                                [--dtype float64|float32]

Builds the model described by the file's __metadata__ (see WordlensEncoder
below) and loads every tensor with load_state_dict(strict=True): the file's
tensor names are exactly the torch.nn.TransformerEncoder state-dict names
(layers.{i}.self_attn.in_proj_weight, ..., norm.weight) plus embedding.weight
and, for learned positions, pos_embedding.  A missing, extra or misshapen
tensor is an error.

With --check IO.safetensors (a fixture written by make_encoder_fixtures.py)
the fixture's ids/lengths are run through the model in train() mode
(dropout is 0, so this is deterministic and never takes PyTorch's fused
inference fast path), the loss sum(output * R) over non-padding positions is
backpropagated, and output (non-padding rows), loss and every grad.<name>
are compared with the fixture.  Also runs eval() under no_grad (the path
that may use torch._transformer_encoder_layer_fwd) and compares its
non-padding rows.  Exit status 1 if the max abs output difference exceeds
1e-4, or any gradient's max abs difference exceeds 1e-4 * max(1, max|grad|).

This module is also imported by make_encoder_fixtures.py and
bench/torch_encoder_bench.py for the model definition.
"""

import argparse
import math
import os
import sys

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402


def sinusoidal_table(max_len, d, dtype=torch.float64):
    """PE[p, 2i] = sin(p / 10000^(2i/d)), PE[p, 2i+1] = cos(p / 10000^(2i/d)).

    Computed in float64 then cast.  (d odd: the last column is a sin.)
    """
    pe = torch.zeros(max_len, d, dtype=torch.float64)
    pos = torch.arange(max_len, dtype=torch.float64)[:, None]
    two_i = torch.arange(0, d, 2, dtype=torch.float64)
    angle = pos / torch.pow(torch.tensor(10000.0, dtype=torch.float64), two_i / d)
    pe[:, 0::2] = torch.sin(angle)
    pe[:, 1::2] = torch.cos(angle[:, : d // 2])
    return pe.to(dtype)


def parse_bool(s):
    if s not in ("true", "false"):
        raise ValueError("expected 'true' or 'false', got %r" % s)
    return s == "true"


def config_from_metadata(meta):
    need = ["vocab_size", "d_model", "n_heads", "n_layers", "d_ff", "max_len", "norm_first",
            "activation", "positional", "attention_window", "layer_norm_eps", "final_norm"]
    missing = [k for k in need if k not in meta]
    if missing:
        raise ValueError("metadata lacks %s" % ", ".join(missing))
    cfg = dict(
        vocab_size=int(meta["vocab_size"]),
        d_model=int(meta["d_model"]),
        n_heads=int(meta["n_heads"]),
        n_layers=int(meta["n_layers"]),
        d_ff=int(meta["d_ff"]),
        max_len=int(meta["max_len"]),
        norm_first=parse_bool(meta["norm_first"]),
        activation=meta["activation"],
        positional=meta["positional"],
        attention_window=int(meta["attention_window"]),
        layer_norm_eps=float(meta["layer_norm_eps"]),
        final_norm=parse_bool(meta["final_norm"]),
    )
    if cfg["activation"] not in ("relu", "gelu"):
        raise ValueError("activation must be relu or gelu, got %r" % cfg["activation"])
    if cfg["positional"] not in ("sinusoidal", "learned"):
        raise ValueError("positional must be sinusoidal or learned, got %r" % cfg["positional"])
    return cfg


def metadata_from_config(cfg):
    return {
        "vocab_size": str(cfg["vocab_size"]),
        "d_model": str(cfg["d_model"]),
        "n_heads": str(cfg["n_heads"]),
        "n_layers": str(cfg["n_layers"]),
        "d_ff": str(cfg["d_ff"]),
        "max_len": str(cfg["max_len"]),
        "norm_first": "true" if cfg["norm_first"] else "false",
        "activation": cfg["activation"],
        "positional": cfg["positional"],
        "attention_window": str(cfg["attention_window"]),
        "layer_norm_eps": repr(float(cfg["layer_norm_eps"])),
        "final_norm": "true" if cfg["final_norm"] else "false",
    }


class WordlensEncoder(nn.TransformerEncoder):
    """nn.TransformerEncoder plus token embedding and positions.

    Subclassing TransformerEncoder keeps the state-dict names identical to the
    plain encoder's (layers.*, norm.*); the extra parameters are
    embedding.weight [V, d] and, for learned positions, pos_embedding
    [max_len, d].  The sinusoidal table is a non-persistent buffer, so it is
    not part of the state dict.
    """

    def __init__(self, cfg, dtype=torch.float64):
        d = cfg["d_model"]
        layer = nn.TransformerEncoderLayer(
            d, cfg["n_heads"], cfg["d_ff"], dropout=0.0, activation=cfg["activation"],
            layer_norm_eps=cfg["layer_norm_eps"], batch_first=True, norm_first=cfg["norm_first"])
        norm = nn.LayerNorm(d, eps=cfg["layer_norm_eps"]) if cfg["final_norm"] else None
        super().__init__(layer, cfg["n_layers"], norm=norm, enable_nested_tensor=False)
        self.cfg = dict(cfg)
        self.embedding = nn.Embedding(cfg["vocab_size"], d)
        if cfg["positional"] == "learned":
            self.pos_embedding = nn.Parameter(torch.zeros(cfg["max_len"], d))
        else:
            self.register_buffer("pe_table", sinusoidal_table(cfg["max_len"], d), persistent=False)
        self.to(dtype)
        if cfg["positional"] == "sinusoidal":
            # re-make the buffer from float64 so float32 models get the correctly rounded table
            self.pe_table = sinusoidal_table(cfg["max_len"], d, dtype)

    def attention_masks(self, T, lengths):
        """(mask, src_key_padding_mask) as passed to nn.TransformerEncoder.forward.

        window == 0: mask None, src_key_padding_mask bool [B, T] (True = padding).
        window  > 0: see band_mask_with_padding().
        lengths None means no padding.
        """
        w = self.cfg["attention_window"]
        dtype = self.embedding.weight.dtype
        if w <= 0:
            if lengths is None:
                return None, None
            pad = torch.arange(T)[None, :] >= lengths[:, None]
            return None, pad
        if lengths is None:
            return band_mask(T, w, dtype), None
        return band_mask_with_padding(T, w, lengths, self.cfg["n_heads"], dtype), None

    def forward(self, ids, lengths=None):
        B, T = ids.shape
        if T > self.cfg["max_len"]:
            raise ValueError("sequence length %d > max_len %d" % (T, self.cfg["max_len"]))
        x = self.embedding(ids)
        if self.cfg["positional"] == "learned":
            x = x + self.pos_embedding[:T]
        else:
            x = x + self.pe_table[:T]
        mask, pad = self.attention_masks(T, lengths)
        return super().forward(x, mask=mask, src_key_padding_mask=pad)


def band_mask(T, w, dtype):
    """Float [T, T]: 0 where |i - j| <= w, -inf elsewhere."""
    i = torch.arange(T)
    far = (i[:, None] - i[None, :]).abs() > w
    return torch.zeros(T, T, dtype=dtype).masked_fill(far, float("-inf"))


def band_mask_with_padding(T, w, lengths, n_heads, dtype):
    """Float [B * n_heads, T, T] mask = band mask + key padding, with one fix.

    With a [T, T] band mask plus src_key_padding_mask, a padding query
    position p >= length + w sees only padding keys: every score is -inf,
    softmax gives NaN, and in the next layer that NaN row is a key/value of
    every other row (NaN * 0 = NaN), so the whole sequence -- non-padding rows
    included -- becomes NaN (PyTorch 1.13 does this).  Here such fully masked
    rows (padding queries only; a real token always sees itself) may attend
    to themselves: mask[b, p, p] = 0.  Non-padding rows are exactly what
    band + key padding defines; padding rows are merely kept finite.
    """
    B = lengths.shape[0]
    i = torch.arange(T)
    allowed = ((i[:, None] - i[None, :]).abs() <= w)[None, :, :] & (i[None, None, :] < lengths[:, None, None])
    dead = ~allowed.any(-1)  # [B, T] query rows with nothing to attend to
    allowed = allowed | (dead[:, :, None] & torch.eye(T, dtype=torch.bool)[None])
    m = torch.zeros(B, T, T, dtype=dtype).masked_fill(~allowed, float("-inf"))
    # MultiheadAttention wants [B * n_heads, T, T], batch-major
    return m.repeat_interleave(n_heads, dim=0)


def build_from_file(path, dtype=torch.float64):
    tensors, meta = safetensors_io.load(path)
    cfg = config_from_metadata(meta)
    model = WordlensEncoder(cfg, dtype)
    state = {k: torch.from_numpy(v).to(dtype) for k, v in tensors.items()}
    model.load_state_dict(state, strict=True)
    return model, cfg, tensors


def nonpad_mask(lengths, T):
    return torch.arange(T)[None, :] < lengths[:, None]


def run_loss(model, ids, lengths, R):
    """Train-mode forward; loss = sum over non-padding positions of output * R."""
    model.train()
    model.zero_grad(set_to_none=True)
    out = model(ids, lengths)
    keep = nonpad_mask(lengths, ids.shape[1])
    loss = (out[keep] * R[keep]).sum()
    loss.backward()
    return out.detach(), loss.detach()


def check(model, cfg, io_path, dtype):
    io, meta = safetensors_io.load(io_path)
    ids = torch.from_numpy(io["ids"].astype(np.int64))
    lengths = torch.from_numpy(io["lengths"].astype(np.int64))
    R = torch.from_numpy(io["R"]).to(dtype)
    ref_out = torch.from_numpy(io["output"]).to(torch.float64)
    ref_loss = float(io["loss"][0])
    B, T = ids.shape
    keep = nonpad_mask(lengths, T)

    out, loss = run_loss(model, ids, lengths, R)
    out = out.to(torch.float64)
    ok = True
    d_out = (out[keep] - ref_out[keep]).abs().max().item()
    d_pad = (out[~keep] - ref_out[~keep]).abs().max().item() if (~keep).any() else 0.0
    print("output   max|diff| non-padding rows %.3g  (padding rows %.3g, not checked)" % (d_out, d_pad))
    if not (d_out <= 1e-4):
        ok = False
    rel_loss = abs(loss.item() - ref_loss) / max(1.0, abs(ref_loss))
    print("loss     %.9g vs fixture %.9g (rel diff %.3g)" % (loss.item(), ref_loss, rel_loss))
    if not (rel_loss <= 1e-4):
        ok = False
    worst = (0.0, "")
    params = dict(model.named_parameters())
    for name, p in params.items():
        key = "grad." + name
        if key not in io:
            print("fixture lacks %s" % key)
            ok = False
            continue
        g = p.grad.to(torch.float64) if p.grad is not None else torch.zeros_like(p, dtype=torch.float64)
        ref = torch.from_numpy(io[key]).to(torch.float64)
        diff = (g - ref).abs().max().item() / max(1.0, ref.abs().max().item())
        if not (diff <= worst[0]):
            worst = (diff, name)
        if not (diff <= 1e-4):
            print("grad %s: scaled max|diff| %.3g" % (name, diff))
            ok = False
    extra = [k for k in io if k.startswith("grad.") and k[5:] not in params]
    if extra:
        print("fixture has gradients of unknown parameters: %s" % ", ".join(extra))
        ok = False
    print("grads    %d tensors, worst max|diff|/max(1,max|g|) %.3g (%s)" % (len(params), worst[0], worst[1]))

    # eval() + no_grad: PyTorch 1.13 may take the fused fast path here
    model.eval()
    with torch.no_grad():
        out_eval = model(ids, lengths).to(torch.float64)
    d_eval = (out_eval[keep] - ref_out[keep]).abs().max().item()
    print("eval/no_grad output max|diff| non-padding rows %.3g" % d_eval)
    if not (d_eval <= 1e-4):
        ok = False
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("weights")
    ap.add_argument("--check", metavar="IO.safetensors")
    ap.add_argument("--dtype", choices=["float64", "float32"], default="float64")
    args = ap.parse_args()
    dtype = getattr(torch, args.dtype)
    model, cfg, tensors = build_from_file(args.weights, dtype)
    n = sum(v.size for v in tensors.values())
    print("%s: loaded %d tensors (%d parameters) with load_state_dict(strict=True); config %s"
          % (args.weights, len(tensors), n, cfg))
    if args.check:
        ok = check(model, cfg, args.check, dtype)
        print("CHECK %s" % ("OK" if ok else "FAILED"))
        sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
