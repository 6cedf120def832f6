#!/usr/bin/env bash
# wordlens encoder forward on a PyTorch fixture (outputs must match), its
# bad-input errors, and (where Debian's python3-torch is installed) PyTorch
# loading a weights file that wordlens wrote.
WL=${1:?usage: encoder.sh path/to/wordlens}
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
FIX="$ROOT/tests/fixtures"
PY=/usr/bin/python3
if ! $PY -c 'import numpy' 2> /dev/null; then
  echo "skipping: python3-numpy is not installed"
  exit 77
fi

# The fixture's sequences as id lines (real tokens only), then compare rows.
$PY - "$ROOT/scripts" "$FIX/encoder_pre_gelu_io.safetensors" "$WORK/ids.txt" "$WORK/expect.npy" <<'PY'
import sys
import numpy as np
sys.path.insert(0, sys.argv[1])
import safetensors_io
t, _ = safetensors_io.load(sys.argv[2])
ids, lengths, out = t["ids"], t["lengths"], t["output"]
rows = []
with open(sys.argv[3], "w") as f:
    for b in range(ids.shape[0]):
        n = int(lengths[b])
        f.write(" ".join(str(int(x)) for x in ids[b, :n]) + "\n")
        rows.append(out[b, :n])
np.save(sys.argv[4], np.concatenate(rows).astype(np.float32))
PY
if "$WL" encoder forward --model "$FIX/encoder_pre_gelu.safetensors" --input "$WORK/ids.txt" --output "$WORK/out.npy" \
  --batch 2 2> "$WORK/err" &&
  $PY -c "
import numpy as np
a = np.load('$WORK/out.npy'); b = np.load('$WORK/expect.npy')
assert a.shape == b.shape and a.dtype == np.float32, (a.shape, b.shape)
d = float(np.abs(a - b).max()); assert d <= 1e-4, d
print(d)" > "$WORK/diff"; then
  ok "encoder forward matches PyTorch's outputs (max |diff| $(cat "$WORK/diff"))"
else
  not_ok "encoder forward" "$(cat "$WORK/err")"
fi

M="$FIX/encoder_pre_gelu.safetensors"
printf '1 2 3\n4 99 5\n' > "$WORK/oov.txt"
expect_fail "id outside the vocabulary" "oov.txt:2: token id 99 is outside the vocabulary \(size 40\)" "$WORK/o.npy" -- \
  "$WL" encoder forward --model "$M" --input "$WORK/oov.txt" --output "$WORK/o.npy"
seq 1 11 | tr '\n' ' ' > "$WORK/long.txt"
expect_fail "sequence longer than max_len" "long.txt:1: 11 tokens, longer than the model's max_len 10" "$WORK/o.npy" -- \
  "$WL" encoder forward --model "$M" --input "$WORK/long.txt" --output "$WORK/o.npy"
printf '1 two 3\n' > "$WORK/text.txt"
expect_fail "non-integer ids" "text.txt:1: expected integer token ids" "$WORK/o.npy" -- \
  "$WL" encoder forward --model "$M" --input "$WORK/text.txt" --output "$WORK/o.npy"
printf 'not weights' > "$WORK/junk.safetensors"
expect_fail "not a weights file" "junk.safetensors: " "$WORK/o.npy" -- \
  "$WL" encoder forward --model "$WORK/junk.safetensors" --input "$WORK/ids.txt" --output "$WORK/o.npy"
for opt in vocab dim heads layers ffn-mult max-len; do
  expect_fail "init: --$opt -1" "error: --$opt must be a positive whole number \(got '-1'\)" "$WORK/neg.safetensors" -- \
    "$WL" encoder init --output "$WORK/neg.safetensors" --$opt -1
done
expect_fail "init: --window -1" "--window must be a whole number, 0 or more \(got '-1'\)" "$WORK/neg.safetensors" -- \
  "$WL" encoder init --output "$WORK/neg.safetensors" --window -1
expect_fail "init: --ffn 0" "--ffn must be a positive whole number \(got '0'\)" "$WORK/neg.safetensors" -- \
  "$WL" encoder init --output "$WORK/neg.safetensors" --ffn 0
for opt in vocab batch seq threads repeats; do
  expect_fail "bench: --$opt -1" "--$opt must be a positive whole number \(got '-1'\)" "$WORK/none" -- \
    "$WL" encoder bench --$opt -1
done
expect_fail "bench: --threads too large" "--threads must be a positive whole number at most 2147483647" "$WORK/none" -- \
  "$WL" encoder bench --threads 99999999999
for opt in batch threads; do
  expect_fail "forward: --$opt -1" "--$opt must be a positive whole number \(got '-1'\)" "$WORK/o.npy" -- \
    "$WL" encoder forward --model "$M" --input "$WORK/ids.txt" --output "$WORK/o.npy" --$opt -1
done
expect_fail "init: vocab 2^62" "vocab_size must be between 1 and 268435456 \(got 4611686018427387904\)" "$WORK/big.safetensors" -- \
  "$WL" encoder init --output "$WORK/big.safetensors" --vocab 4611686018427387904
expect_fail "init: max-len 2^62" "max_len must be between 1 and 1048576" "$WORK/big.safetensors" -- \
  "$WL" encoder init --output "$WORK/big.safetensors" --max-len 4611686018427387904
expect_fail "init: 10^8 layers" "n_layers must be between 1 and 1024 \(got 100000000\)" "$WORK/big.safetensors" -- \
  "$WL" encoder init --output "$WORK/big.safetensors" --layers 100000000
expect_fail "init: ffn-mult x dim overflows" "--ffn-mult 4611686018427387904 x --dim 256 is too large" "$WORK/big.safetensors" -- \
  "$WL" encoder init --output "$WORK/big.safetensors" --ffn-mult 4611686018427387904
expect_fail "init: larger than memory" "the model needs [0-9.]+ GiB \(1024 layers x d_model 65536.*more than this machine's" \
  "$WORK/big.safetensors" -- "$WL" encoder init --output "$WORK/big.safetensors" --vocab 1000 --layers 1024 --dim 65536 --ffn 65536
expect_fail "bench: vocab too small" "--vocab must be at least 6 for the bench: 5 special tokens and at least one regular token \(got 1\)" \
  "$WORK/none" -- "$WL" encoder bench --vocab 1 --batch 1 --seq 4 --dim 8 --heads 1 --layers 1 --repeats 1
expect_fail "bench: batch larger than memory" "the model needs [0-9.]+ GiB .*plus activations for 100000000000 x 128 tokens" \
  "$WORK/none" -- "$WL" encoder bench --batch 100000000000 --dim 8 --heads 1 --layers 1 --vocab 10
for opt in max-len batch-tokens threads; do
  expect_fail "train: --$opt -1" "--$opt must be a positive whole number \(got '-1'\)" "$WORK/t.safetensors" -- \
    "$WL" encoder train --corpus "$WORK/ids.txt" --tokenizer x.bpe --output "$WORK/t.safetensors" --$opt -1
done
expect_fail "train: --steps -1" "--steps must be a whole number, 0 or more \(got '-1'\)" "$WORK/t.safetensors" -- \
  "$WL" encoder train --corpus "$WORK/ids.txt" --tokenizer x.bpe --output "$WORK/t.safetensors" --steps -1
mkdir -p "$WORK/idsdir"
expect_fail "forward: input is a directory" "idsdir.*is a directory" "$WORK/o.npy" -- \
  "$WL" encoder forward --model "$M" --input "$WORK/idsdir" --output "$WORK/o.npy"
head -c 20000 "$M" > "$WORK/cut.safetensors"
expect_fail "truncated weights file" "cut.safetensors: .*truncated" "$WORK/o.npy" -- \
  "$WL" encoder forward --model "$WORK/cut.safetensors" --input "$WORK/ids.txt" --output "$WORK/o.npy"

# encoder train: inconsistent options and missing input.
printf 'a b c\n' > "$WORK/tiny.txt"
expect_fail "train: neither vectors nor tokenizer" "exactly one of --vectors .* or --tokenizer" "$WORK/t.safetensors" -- \
  "$WL" encoder train --corpus "$WORK/tiny.txt" --output "$WORK/t.safetensors" --steps 1
expect_fail "train: simcse without --init" "simcse starts from an MLM model" "$WORK/t.safetensors" -- \
  "$WL" encoder train --corpus "$WORK/tiny.txt" --vectors "$WORK/none.bin" --objective simcse --output "$WORK/t.safetensors" --steps 1
expect_fail "train: missing vectors file" "cannot open vectors file" "$WORK/t.safetensors" -- \
  "$WL" encoder train --corpus "$WORK/tiny.txt" --vectors "$WORK/none.bin" --output "$WORK/t.safetensors" --steps 1
expect_fail "train: attention dropout out of range" "--attention-dropout must be in \\[0, 1\\)" "$WORK/t.safetensors" -- \
  "$WL" encoder train --corpus "$WORK/tiny.txt" --vectors "$WORK/none.bin" --output "$WORK/t.safetensors" --steps 1 --attention-dropout 1.5
"$WL" bpe train --input "$WORK/tiny.txt" --vocab-size 270 --output "$WORK/tiny.bpe" > /dev/null 2>&1
expect_fail "train: resume without checkpoint" "cannot open checkpoint .*t.safetensors.ckpt" "$WORK/t.safetensors" -- \
  "$WL" encoder train --corpus "$WORK/tiny.txt" --tokenizer "$WORK/tiny.bpe" --output "$WORK/t.safetensors" --steps 1 --resume

expect_fail "train: bad --activation" "--activation: 'tanh' is not one of gelu, relu" "$WORK/t.safetensors" -- \
  "$WL" encoder train --corpus "$WORK/tiny.txt" --tokenizer "$WORK/tiny.bpe" --output "$WORK/t.safetensors" --steps 1 --activation tanh
expect_fail "train: bad --schedule" "--schedule: 'step' is not one of linear, cosine, constant" "$WORK/t.safetensors" -- \
  "$WL" encoder train --corpus "$WORK/tiny.txt" --tokenizer "$WORK/tiny.bpe" --output "$WORK/t.safetensors" --steps 1 --schedule step
expect_fail "init: bad --positional" "--positional: 'rotary' is not one of sinusoidal, learned" "$WORK/i.safetensors" -- \
  "$WL" encoder init --output "$WORK/i.safetensors" --positional rotary

# encoder train --objective simcse keeps the --init model's shape: a shape
# option given on the command line must agree with it, not be ignored.
make_corpus "$WORK/c.txt" 200 5
"$WL" train -train "$WORK/c.txt" -output "$WORK/v.bin" -binary 1 -size 8 -iter 1 -threads 1 -min-count 1 -debug 0 > /dev/null 2>&1
"$WL" encoder train --corpus "$WORK/c.txt" --vectors "$WORK/v.bin" --output "$WORK/mlm.safetensors" --layers 1 --heads 2 \
  --ffn-mult 2 --max-len 16 --batch-tokens 256 --steps 2 --warmup 1 --threads 1 > /dev/null 2>&1
SIM=(--corpus "$WORK/c.txt" --vectors "$WORK/v.bin" --objective simcse --init "$WORK/mlm.safetensors" --max-len 16
  --batch-tokens 256 --steps 2 --warmup 1 --threads 1)
expect_fail "simcse: --layers disagreeing with the --init model" \
  "--layers 4: the --init model .*mlm.safetensors has n_layers 1 \(--objective simcse keeps the model's shape" \
  "$WORK/s.safetensors" -- "$WL" encoder train "${SIM[@]}" --output "$WORK/s.safetensors" --layers 4
expect_fail "simcse: --ffn-mult disagreeing with the --init model" "--ffn-mult 4: the --init model .* has d_ff 16 = 2 x d_model 8" \
  "$WORK/s.safetensors" -- "$WL" encoder train "${SIM[@]}" --output "$WORK/s.safetensors" --ffn-mult 4
expect_fail "simcse: --post-norm disagreeing with the --init model" "--post-norm: the --init model .* has pre-norm layers" \
  "$WORK/s.safetensors" -- "$WL" encoder train "${SIM[@]}" --output "$WORK/s.safetensors" --post-norm
if "$WL" encoder train "${SIM[@]}" --output "$WORK/s.safetensors" --layers 1 --heads 2 > /dev/null 2>&1 &&
  [ -s "$WORK/s.safetensors" ]; then
  ok "simcse: shape options that agree with the --init model are accepted"
else
  not_ok "simcse: agreeing shape options"
fi

if "$WL" encoder bench --batch 2 --seq 16 --dim 32 --heads 2 --layers 1 --ffn-mult 2 --vocab 100 --repeats 1 --json > "$WORK/b.json" &&
  $PY -c "import json; d = json.load(open('$WORK/b.json')); assert d['forward_ms'] > 0 and d['train_step_ms'] > 0; assert d['sgemm_gflops'] > 0 and 0 < d['forward_of_sgemm'] < 100 and 0 < d['train_of_sgemm'] < 100"; then
  ok "encoder bench --json (times, and fractions of the sgemm reference measured around the repetitions)"
else
  not_ok "encoder bench"
fi

# PyTorch loads what wordlens writes (strict names and shapes).
if $PY -c 'import torch' 2> /dev/null; then
  if "$WL" encoder init --output "$WORK/init.safetensors" --vocab 50 --dim 16 --heads 2 --layers 2 --ffn-mult 2 --max-len 12 \
    --positional learned --post-norm > /dev/null && $PY "$ROOT/scripts/load_encoder_torch.py" "$WORK/init.safetensors" > /dev/null; then
    ok "PyTorch loads a wordlens-written encoder (load_state_dict strict)"
  else
    not_ok "PyTorch load"
  fi
else
  echo "skip - PyTorch loading: python3-torch is not installed"
fi
finish
