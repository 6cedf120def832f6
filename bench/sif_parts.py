#!/usr/bin/env python3
"""Which part of static SIF makes it strong on STS-B dev, computed independently
of wordlens with numpy (bench/compare_check.py's reader and normaliser): the
plain average, the average with the first principal component removed, the
SIF-weighted average alone, and both (= sif). Spearman x100; one JSON object.

usage: bench/sif_parts.py --vectors V.bin --vocab COUNTS --sts sts-dev.csv [--a 1e-3]
"""
import argparse
import json
import os
import sys

import numpy as np
from scipy import stats

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare_check as cc  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--vectors", required=True)
    p.add_argument("--vocab", required=True)
    p.add_argument("--sts", required=True)
    p.add_argument("--a", type=float, default=1e-3)
    o = p.parse_args()
    index, mat = cc.read_vectors(o.vectors)
    counts = np.ones(len(index))  # words without a count get 1, as wordlens does
    for line in open(o.vocab, encoding="utf-8"):
        parts = line.split()
        if len(parts) == 2 and parts[0] in index:
            counts[index[parts[0]]] = float(parts[1])
    weight = o.a / (o.a + counts / counts.sum())
    gold, sides = [], ([], [])
    for line in cc.read_text_file(o.sts).split("\n"):
        cols = line.rstrip("\r").split("\t")
        if len(cols) < 7:
            continue
        gold.append(float(cols[4]))
        for k in (0, 1):
            sides[k].append([index[t] for t in cc.normalize(cols[5 + k]) if t in index])

    def vectors(weighted):
        out = np.zeros((2 * len(gold), mat.shape[1]))
        for i, rows in enumerate(sides[0] + sides[1]):
            if rows:
                w = weight[rows] if weighted else np.ones(len(rows))
                out[i] = (w[:, None] * mat[rows].astype(np.float64)).sum(axis=0) / len(rows)
        return out

    def score(x):
        n = len(gold)
        a, b = x[:n], x[n:]
        na, nb = np.linalg.norm(a, axis=1), np.linalg.norm(b, axis=1)
        cos = np.where((na > 0) & (nb > 0), (a * b).sum(axis=1) / np.maximum(na * nb, 1e-300), 0.0)
        return 100.0 * stats.spearmanr(cos, gold).correlation

    def without_pc(x):
        u = np.linalg.svd(x, full_matrices=False)[2][0]
        return x - np.outer(x @ u, u)

    avg, sifw = vectors(False), vectors(True)
    print(json.dumps({"avg": score(avg), "avg_pc_removed": score(without_pc(avg)), "sif_weights": score(sifw),
                      "sif": score(without_pc(sifw)), "pairs": len(gold)}))


if __name__ == "__main__":
    main()
