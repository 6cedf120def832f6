#!/usr/bin/python3
"""STS-Benchmark Spearman (x100) of cosine similarity for wordlens sentence vectors.

usage: sts_eval.py --sts sts-dev.csv --vectors V.bin [--vocab COUNTS] [--model M.safetensors ...]
                   [--wordlens build/wordlens] [--json]

Writes the two sentence columns to temporary files, runs `wordlens embed` for
avg, sif (with --vocab) and encoder-mean / encoder-cls (for each --model), and
correlates the cosine of each pair with the gold score (column 5). Pairs whose
vector is zero (no known word) get cosine 0. Lines with extra tab-separated
columns (22 in sts-dev) keep columns 5-7.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
from scipy.stats import spearmanr


def cosines(a, b):
    na = np.linalg.norm(a, axis=1)
    nb = np.linalg.norm(b, axis=1)
    denom = np.where((na > 0) & (nb > 0), na * nb, 1.0)
    return np.where((na > 0) & (nb > 0), (a * b).sum(axis=1) / denom, 0.0)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--sts", required=True)
    p.add_argument("--vectors", required=True)
    p.add_argument("--vocab")
    p.add_argument("--model", action="append", default=[])
    p.add_argument("--wordlens", default=os.path.join(os.path.dirname(__file__), "..", "build", "wordlens"))
    p.add_argument("--json", action="store_true")
    a = p.parse_args()
    gold, s1, s2 = [], [], []
    for n, line in enumerate(open(a.sts, encoding="utf-8"), 1):
        f = line.rstrip("\n").split("\t")
        if len(f) < 7:
            sys.exit(f"sts_eval: {a.sts}:{n}: expected at least 7 tab-separated columns")
        gold.append(float(f[4]))
        s1.append(f[5])
        s2.append(f[6])
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, sents in (("s1", s1), ("s2", s2)):
            with open(f"{tmp}/{name}.txt", "w", encoding="utf-8") as out:
                out.write("\n".join(sents) + "\n")
        runs = [("avg", ["--method", "avg"])]
        if a.vocab:
            runs.append(("sif", ["--method", "sif", "--vocab", a.vocab]))
        for m in a.model:
            tag = os.path.basename(m).replace(".safetensors", "")
            runs.append((f"encoder_mean[{tag}]", ["--method", "encoder-mean", "--model", m]))
            runs.append((f"encoder_cls[{tag}]", ["--method", "encoder-cls", "--model", m]))
        for name, extra in runs:
            vecs = []
            for side in ("s1", "s2"):
                out = f"{tmp}/{side}.npy"
                subprocess.run([a.wordlens, "embed", "--input", f"{tmp}/{side}.txt", "--output", out, "--vectors", a.vectors]
                               + extra, check=True, stderr=subprocess.DEVNULL)
                vecs.append(np.load(out))
            results[name] = 100 * float(spearmanr(gold, cosines(*vecs))[0])
    if a.json:
        print(json.dumps(results))
    else:
        for k, v in results.items():
            print(f"{k:40s} {v:6.2f}")


if __name__ == "__main__":
    main()
