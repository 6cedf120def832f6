#!/usr/bin/python3
"""Draw a 2-D map of word vectors and save it as a PNG.

usage: plot_embeddings.py VECTORS OUT.png [--words w1,w2,... | --top N]
                          [--method pca|tsne] [--skip-first K] [--title T]

VECTORS is a word2vec binary or text file (as written by `wordlens train`)
or a fastText .vec file. Without --words the N most frequent words are drawn
(default 150, skipping "</s>"). --method pca (default) projects on the first
two principal components of the unit-normalised vectors; --method tsne uses
scikit-learn's t-SNE (cosine metric) when python3-sklearn is installed.
Needs python3-numpy and python3-matplotlib (apt-get install python3-matplotlib).
"""
import argparse
import re
import sys

import numpy as np


def read_vectors(path, limit=None):
    """Reads word2vec binary/text (auto-detected) into (words, matrix)."""
    with open(path, "rb") as f:
        header = f.readline().split()
        if len(header) != 2:
            sys.exit(f"plot_embeddings: {path}: bad header (not a word2vec/fastText vectors file)")
        n, dim = int(header[0]), int(header[1])
        if limit:
            n = min(n, limit)
        data = f.read()
    words, rows = [], np.empty((n, dim), np.float32)
    pos = 0
    # Text if the first word is followed by a printable number (as wordlens decides).
    sp0 = data.index(b" ")
    binary = re.match(rb"[-+]?[0-9.]+([eE][-+]?[0-9]+)?[ \r\n]", data[sp0 + 1:sp0 + 40]) is None
    for i in range(n):
        sp = data.index(b" ", pos)
        words.append(data[pos:sp].decode("utf-8", "replace").strip())
        if binary:
            rows[i] = np.frombuffer(data, np.float32, dim, sp + 1)
            pos = sp + 1 + 4 * dim
            if pos < len(data) and data[pos:pos + 1] == b"\n":
                pos += 1
        else:
            end = data.find(b"\n", sp)
            end = len(data) if end < 0 else end
            rows[i] = np.array(data[sp + 1:end].split()[:dim], np.float32)
            pos = end + 1
    return words, rows


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("vectors")
    p.add_argument("out")
    p.add_argument("--words", help="comma-separated words to draw")
    p.add_argument("--top", type=int, default=150, help="draw the N most frequent words (default 150)")
    p.add_argument("--skip-first", type=int, default=1, help="skip the first K words (default 1: </s>)")
    p.add_argument("--method", choices=["pca", "tsne"], default="pca")
    p.add_argument("--title", default=None)
    a = p.parse_args()
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        sys.exit("plot_embeddings: matplotlib is missing: apt-get install python3-matplotlib")

    words, m = read_vectors(a.vectors)
    index = {w: i for i, w in enumerate(words)}
    if a.words:
        chosen = [w for w in a.words.split(",") if w]
        missing = [w for w in chosen if w not in index]
        if missing:
            sys.exit(f"plot_embeddings: not in the vocabulary: {', '.join(missing)}")
        ids = [index[w] for w in chosen]
    else:
        ids = list(range(a.skip_first, min(len(words), a.skip_first + a.top)))
    if len(ids) < 3:
        sys.exit("plot_embeddings: need at least 3 words to draw a map")
    x = m[ids]
    x = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
    method = a.method
    if method == "tsne":
        try:
            from sklearn.manifold import TSNE
            perplexity = max(2.0, min(30.0, (len(ids) - 1) / 3.0))
            y = TSNE(n_components=2, metric="cosine", init="pca", random_state=0,
                     perplexity=perplexity).fit_transform(x)
        except ImportError:
            print("plot_embeddings: scikit-learn is not installed; using PCA "
                  "(apt-get install python3-sklearn for t-SNE)", file=sys.stderr)
            method = "pca"
    if method == "pca":
        xc = x - x.mean(axis=0)
        _, s, vt = np.linalg.svd(xc, full_matrices=False)
        y = xc @ vt[:2].T
        explained = (s[:2] ** 2).sum() / (s ** 2).sum()
    fig, ax = plt.subplots(figsize=(11, 9), dpi=110)
    ax.scatter(y[:, 0], y[:, 1], s=8, color="#3060a0")
    for (px, py), i in zip(y, ids):
        ax.annotate(words[i], (px, py), fontsize=8, xytext=(2, 2), textcoords="offset points")
    sub = f"PCA, {explained:.0%} of variance" if method == "pca" else "t-SNE (cosine)"
    ax.set_title(a.title or f"{len(ids)} words of {a.vectors.split('/')[-1]} — {sub}")
    ax.set_xticks([])
    ax.set_yticks([])
    fig.tight_layout()
    fig.savefig(a.out)
    print(f"wrote {a.out}: {len(ids)} words, {sub}")


if __name__ == "__main__":
    main()
