#!/usr/bin/python3
"""Independent re-computation of the static-vector numbers of `wordlens compare`.

usage: compare_check.py --vectors V.bin [--text] [--sts FILE ...] [--wic DIR] [--lee DIR] [--wsi FILE ...] [--json]

Uses only numpy and scipy (no wordlens binary, no wordlens code), so a test can
compare its output with what `wordlens compare` reports.

Vectors: word2vec binary ("V D\\n", then per word: the word's bytes up to a
space, D little-endian float32 and an optional "\\n"), or word2vec text ("V D"
then "word f1 ... fD" lines; detected automatically, or forced with --text).

Normalisation of raw text (wordlens' default normaliser, re-implemented here
with unicodedata): a token is a run of letters, marks and digits (Unicode
categories L, M, N) that starts with a letter or digit, optionally followed by
one apostrophe (' U+2019 U+02BC, written ') and letters/marks; format
characters (Cf) inside a word are dropped, so are variation selectors and
enclosing marks; everything else separates tokens. A token is NFKC-normalised
(scanned again if that produced separators), lowercased, recomposed (NFC) and
stripped of combining U+0300/U+0301. For ASCII text this is exactly the corpus
rule: lowercase, tokens [a-z0-9]+('[a-z]+)?. (wordlens also splits runs of
scripts written without spaces, Han, kana, Thai, at UAX #29 word boundaries;
the English benchmarks hold none.)

avg sentence vector: mean of the vectors of the in-vocabulary tokens (with
repetition); no known token -> zero vector; cosine with a zero vector = 0.

  --sts FILE   STS-Benchmark (tab-separated; gold score in column 5, sentences
               in 6 and 7; extra columns ignored): Spearman x100 of
               cos(avg1, avg2) against the gold score, key "avg".
  --wic DIR    WiC (DIR/<split>.data.txt + DIR/<split>.gold.txt): accuracy x100
               per split for "static" (the lemma's vector with itself) and
               "static_window" (mean of the vectors within +-5 normalised
               tokens of the target, target included), with the threshold
               chosen on the train split (predict T when cos >= t; the
               candidates are the distinct cosines and +inf, ties -> smallest t).
  --lee DIR    Lee (DIR/lee.cor, DIR/similarities0-1.txt): Pearson x100 of
               cos(avg_i, avg_j) against the human score over the pairs i < j.
  --wsi FILE   word sense induction, RUSSE 2018 layout (header names the
               columns word, gold_sense_id, positions, context; CSV-quoted
               fields unquoted; the first non-empty "a-b" code-point range is
               the target, located in the normalised tokens by the token
               holding its first character, else the first token starting
               inside it; contexts without one dropped, then words with fewer
               than 2 contexts). Per word, "static" (the word column's first
               normalised token's vector) and "static_window" (as WiC's)
               vectors; zero vectors are singletons; the others, less their
               mean (unless a row would vanish), are clustered by scipy's
               average linkage on cosine distance, cut into k
               clusters for k = 2..min(10, n-1), and k is the one with the
               highest mean silhouette if positive, else 1. Adjusted Rand index
               against the gold senses (1 when both labelings are all one
               cluster or all singletons), mean over words weighted by their
               contexts.

--json prints one object:
  {"sts": {"<basename>": {"avg": x}},
   "wic": {"<split>": {"static": x, "static_window": x}},
   "wic_threshold": {"static": t, "static_window": t},
   "lee": {"avg": x},
   "wsi": {"<basename>": {"static": x, "static_window": x, "words": n, "contexts": n}}}
A threshold of +inf ("always F") is written as the string "inf"; an undefined
correlation (constant input) as null.
"""

import argparse
import json
import math
import os
import re
import sys
import unicodedata

import numpy as np
from scipy import stats
from scipy.cluster import hierarchy

APOSTROPHES = "'\u2019\u02bc"
KEEP_FORMAT = "\u200c\u200d"  # ZWNJ, ZWJ stay inside a word
WIC_WINDOW = 5


class CheckError(Exception):
    pass


def _kind(ch):
    if ch in APOSTROPHES:
        return "apos"
    cat = unicodedata.category(ch)
    if cat == "Cf":
        return "format"
    return {"L": "letter", "M": "mark", "N": "digit"}.get(cat[0], "sep")


def _dropped(ch):
    cat = unicodedata.category(ch)
    vs = 0xFE00 <= ord(ch) <= 0xFE0F or 0xE0100 <= ord(ch) <= 0xE01EF
    return (cat == "Cf" and ch not in KEEP_FORMAT) or cat == "Me" or vs


def _run_spans(text):
    """The code-point ranges of the raw word runs of text (see the module docstring)."""
    i, n = 0, len(text)
    while i < n:
        if _kind(text[i]) not in ("letter", "digit"):
            i += 1
            continue
        start, suffix, i = i, False, i + 1
        while i < n:
            k = _kind(text[i])
            if k in ("letter", "mark") or (k == "digit" and not suffix):
                i += 1
            elif k == "format":
                j = i
                while j < n and _kind(text[j]) == "format":
                    j += 1
                if j < n and (_kind(text[j]) in ("letter", "mark") or (_kind(text[j]) == "digit" and not suffix)):
                    i = j
                else:
                    break
            elif k == "apos" and not suffix and i + 1 < n and _kind(text[i + 1]) == "letter":
                suffix, i = True, i + 2
            else:
                break
        yield start, i


def _runs(text):
    for start, end in _run_spans(text):
        yield text[start:end]


def _tokens(text, depth):
    out = []
    for run in _runs(text):
        t = "".join("'" if c in APOSTROPHES else c for c in run if not _dropped(c))
        if t.isascii():
            out.append(t.lower())
            continue
        k = unicodedata.normalize("NFKC", t)
        if k != t and depth == 0:
            out.extend(_tokens(k, 1))
            continue
        k = unicodedata.normalize("NFC", k.lower()).replace("\u0300", "").replace("\u0301", "")
        if k:
            out.append(k)
    return out


def normalize(text):
    return _tokens(text, 0)


def read_text_file(path):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise CheckError(f"cannot open {path}: {e.strerror}")
    return data.decode("utf-8", errors="replace")


# ----------------------------------------------------------------------------
# Vectors


def _looks_like_text(data, pos, dim):
    """True if the line starting at pos is 'word f1 ... fD' in ASCII."""
    end = data.find(b"\n", pos)
    if end < 0:
        end = len(data)
    line = data[pos:end]
    try:
        fields = line.decode("ascii").split()
    except UnicodeDecodeError:
        return False
    if len(fields) != dim + 1:
        return False
    try:
        [float(x) for x in fields[1:]]
    except ValueError:
        return False
    return True


def read_vectors(path, force_text=False):
    """Returns (word -> row index, float32 matrix V x D)."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise CheckError(f"cannot open vectors file {path}: {e.strerror}")
    nl = data.find(b"\n")
    header = data[:nl].split() if nl >= 0 else []
    if len(header) != 2 or not header[0].isdigit() or not header[1].isdigit():
        raise CheckError(f"{path}: not a word2vec file (expected a 'V D' header line)")
    n, dim = int(header[0]), int(header[1])
    if n == 0 or dim == 0:
        raise CheckError(f"{path}: empty vocabulary or dimension in the header")
    pos = nl + 1
    text = force_text or _looks_like_text(data, pos, dim)
    index = {}
    mat = np.zeros((n, dim), dtype=np.float32)
    if text:
        lines = data[pos:].decode("utf-8", errors="surrogateescape").split("\n")
        lines = [l for l in lines if l.strip()]
        if len(lines) < n:
            raise CheckError(f"{path}: truncated: {len(lines)} of {n} vectors")
        for i in range(n):
            fields = lines[i].rstrip("\r").split(" ")
            fields = [x for x in fields if x != ""]
            if len(fields) != dim + 1:
                raise CheckError(f"{path}: vector {i + 1}: expected a word and {dim} numbers")
            index.setdefault(fields[0], i)
            mat[i] = np.array(fields[1:], dtype=np.float32)
        return index, mat
    rec = dim * 4
    for i in range(n):
        # word2vec.c's readers skip a leading newline before each word.
        while pos < len(data) and data[pos : pos + 1] == b"\n":
            pos += 1
        sp = data.find(b" ", pos)
        if sp < 0 or sp + 1 + rec > len(data):
            raise CheckError(f"{path}: truncated: {i} of {n} vectors")
        word = data[pos:sp].decode("utf-8", errors="surrogateescape")
        mat[i] = np.frombuffer(data, dtype="<f4", count=dim, offset=sp + 1)
        index.setdefault(word, i)
        pos = sp + 1 + rec
    return index, mat


# ----------------------------------------------------------------------------
# Sentence vectors and cosines


def avg_vector(tokens, index, mat):
    rows = [index[t] for t in tokens if t in index]
    if not rows:
        return np.zeros(mat.shape[1], dtype=np.float64)
    return mat[rows].astype(np.float64).mean(axis=0)


def cosine(a, b):
    na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    if na == 0.0 or nb == 0.0:
        return 0.0
    return float(np.dot(a, b)) / (na * nb)


def finite_or_none(x):
    x = float(x)
    return None if math.isnan(x) else x


# ----------------------------------------------------------------------------
# STS-Benchmark


def eval_sts(path, index, mat):
    text = read_text_file(path)
    gold, cos = [], []
    for lineno, line in enumerate(text.split("\n"), 1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        cols = line.split("\t")
        if len(cols) < 7:
            raise CheckError(f"{path}:{lineno}: expected at least 7 tab-separated columns, got {len(cols)}")
        try:
            score = float(cols[4])
        except ValueError:
            raise CheckError(f"{path}:{lineno}: column 5 is not a number: {cols[4]!r}")
        a = avg_vector(normalize(cols[5]), index, mat)
        b = avg_vector(normalize(cols[6]), index, mat)
        gold.append(score)
        cos.append(cosine(a, b))
    if len(gold) < 2:
        raise CheckError(f"{path}: fewer than 2 sentence pairs")
    rho = stats.spearmanr(cos, gold).correlation
    return {"avg": finite_or_none(100.0 * rho)}, len(gold)


# ----------------------------------------------------------------------------
# WiC


def target_position(space_tokens, target):
    """Normalised tokens of a space-split sentence, and the target's position
    among them (None if the sentence has no normalised token)."""
    norm, first = [], []
    for tok in space_tokens:
        first.append(len(norm))
        norm.extend(normalize(tok))
    if not norm:
        return norm, None
    p = first[target]
    if p >= len(norm):  # target (and everything after it) produced nothing
        p = len(norm) - 1
    return norm, p


def window_vector(sentence, target, index, mat, where):
    toks = sentence.split(" ")
    if not 0 <= target < len(toks):
        raise CheckError(f"{where}: target index {target} outside the sentence ({len(toks)} tokens)")
    norm, p = target_position(toks, target)
    if p is None:
        return np.zeros(mat.shape[1], dtype=np.float64)
    lo, hi = max(0, p - WIC_WINDOW), min(len(norm), p + WIC_WINDOW + 1)
    return avg_vector(norm[lo:hi], index, mat)


def read_wic_split(data_path, gold_path, index, mat):
    data = read_text_file(data_path).split("\n")
    gold = read_text_file(gold_path).split("\n")
    data = [l.rstrip("\r") for l in data]
    gold = [l.strip() for l in gold]
    while data and not data[-1].strip():
        data.pop()
    while gold and not gold[-1]:
        gold.pop()
    if len(data) != len(gold):
        raise CheckError(f"{data_path}: {len(data)} lines but {gold_path} has {len(gold)}")
    static, window, labels = [], [], []
    for i, (line, g) in enumerate(zip(data, gold), 1):
        where = f"{data_path}:{i}"
        cols = line.split("\t")
        if len(cols) < 5:
            raise CheckError(f"{where}: expected 5 tab-separated columns, got {len(cols)}")
        m = re.fullmatch(r"(\d+)-(\d+)", cols[2].strip())
        if not m:
            raise CheckError(f"{where}: column 3 is not 'i-j': {cols[2]!r}")
        if g not in ("T", "F"):
            raise CheckError(f"{gold_path}:{i}: expected T or F, got {g!r}")
        lemma = normalize(cols[0])
        lemma_known = len(lemma) > 0 and all(t in index for t in lemma)
        # cos(v, v) is 1 by definition (exactly, not 1 - rounding, so that
        # all pairs tie); an OOV lemma gets the zero vector, cosine 0.
        static.append(1.0 if lemma_known else 0.0)
        a = window_vector(cols[3], int(m.group(1)), index, mat, where)
        b = window_vector(cols[4], int(m.group(2)), index, mat, where)
        window.append(cosine(a, b))
        labels.append(g == "T")
    return {"static": np.array(static), "static_window": np.array(window)}, np.array(labels, dtype=bool)


def accuracy(cos, labels, t):
    pred = cos >= t
    return 100.0 * float(np.mean(pred == labels))


def best_threshold(cos, labels):
    """Threshold maximising the accuracy of 'T iff cos >= t' (ties: smallest t)."""
    cands = np.unique(cos)  # sorted ascending
    n = len(cos)
    # For candidate t = cands[k]: predicted T are cos >= t.
    pos_sorted = np.sort(cos[labels])
    neg_sorted = np.sort(cos[~labels])
    # correct = #T with cos >= t  +  #F with cos < t
    t_hi = len(pos_sorted) - np.searchsorted(pos_sorted, cands, side="left")
    f_lo = np.searchsorted(neg_sorted, cands, side="left")
    correct = t_hi + f_lo
    inf_correct = len(neg_sorted)  # always F
    best_k = int(np.argmax(correct)) if len(cands) else -1
    if best_k >= 0 and correct[best_k] >= inf_correct:
        return float(cands[best_k]), 100.0 * correct[best_k] / n
    return math.inf, 100.0 * inf_correct / n


def eval_wic(directory, index, mat):
    if not os.path.isdir(directory):
        raise CheckError(f"cannot open WiC directory {directory}")
    splits = sorted(f[: -len(".data.txt")] for f in os.listdir(directory) if f.endswith(".data.txt"))
    if "train" not in splits:
        raise CheckError(f"{directory}: no train.data.txt (the threshold is chosen on train)")
    data = {}
    for s in splits:
        gold_path = os.path.join(directory, s + ".gold.txt")
        if not os.path.exists(gold_path):
            raise CheckError(f"cannot open {gold_path}: missing gold labels for split {s}")
        data[s] = read_wic_split(os.path.join(directory, s + ".data.txt"), gold_path, index, mat)
    thresholds = {}
    for row in ("static", "static_window"):
        cos, labels = data["train"]
        thresholds[row], _ = best_threshold(cos[row], labels)
    result = {}
    for s in splits:
        cos, labels = data[s]
        result[s] = {row: accuracy(cos[row], labels, thresholds[row]) for row in ("static", "static_window")}
    counts = {s: len(data[s][1]) for s in splits}
    return result, thresholds, counts


# ----------------------------------------------------------------------------
# Lee


def eval_lee(directory, index, mat):
    cor = os.path.join(directory, "lee.cor")
    sim = os.path.join(directory, "similarities0-1.txt")
    text = read_text_file(cor)
    docs = [l.rstrip("\r") for l in text.split("\n")]
    if docs and docs[-1] == "":
        docs.pop()
    rows = [l.split() for l in read_text_file(sim).split("\n") if l.strip()]
    n = len(rows)
    if any(len(r) != n for r in rows):
        raise CheckError(f"{sim}: expected a square matrix ({n} rows)")
    try:
        m = np.array([[float(x) for x in r] for r in rows])
    except ValueError:
        raise CheckError(f"{sim}: non-numeric entry")
    if len(docs) != n:
        raise CheckError(f"{cor}: {len(docs)} documents but {sim} is {n}x{n}")
    vecs = [avg_vector(normalize(d), index, mat) for d in docs]
    human, cos = [], []
    for i in range(n):
        for j in range(i + 1, n):
            human.append(max(m[i][j], m[j][i]))
            cos.append(cosine(vecs[i], vecs[j]))
    r = stats.pearsonr(cos, human)[0] if len(cos) >= 2 else float("nan")
    return {"avg": finite_or_none(100.0 * r)}, n


# ----------------------------------------------------------------------------
# Word sense induction


def token_spans(text):
    """The normalised tokens of text with the code-point ranges of the raw
    runs they came from."""
    return [(a, b, t) for a, b in _run_spans(text) for t in _tokens(text[a:b], 0)]


def unquote(field):
    if len(field) < 2 or field[0] != '"' or field[-1] != '"':
        return field
    inner = field[1:-1]
    if '"' in inner.replace('""', ""):
        return field
    return inner.replace('""', '"')


def ari(a, b):
    """Adjusted Rand index (Hubert & Arabie) from the contingency table."""
    n = len(a)
    pairs = lambda c: c * (c - 1) / 2
    cells, ra, rb = {}, {}, {}
    for x, y in zip(a, b):
        cells[(x, y)] = cells.get((x, y), 0) + 1
        ra[x] = ra.get(x, 0) + 1
        rb[y] = rb.get(y, 0) + 1
    both = sum(pairs(c) for c in cells.values())
    sa, sb, total = sum(pairs(c) for c in ra.values()), sum(pairs(c) for c in rb.values()), pairs(n)
    if sa == sb and (sa == 0 or sa == total):
        return 1.0
    expected = sa * sb / total
    return (both - expected) / ((sa + sb) / 2 - expected)


def silhouette(d, labels):
    n, ks = len(labels), sorted(set(labels))
    if len(ks) < 2:
        return 0.0
    total = 0.0
    for i in range(n):
        own = labels == labels[i]
        if own.sum() == 1:
            continue
        a = d[i, own].sum() / (own.sum() - 1)
        b = min(d[i, labels == k].mean() for k in ks if k != labels[i])
        m = max(a, b)
        total += (b - a) / m if m > 0 else 0.0
    return total / n


def cluster(vectors):
    """Labels of the rows: zero rows alone, the others as described above."""
    known = [i for i, v in enumerate(vectors) if np.any(v != 0)]
    labels = -np.ones(len(vectors), dtype=np.int64)
    best, k_best = np.zeros(len(known), dtype=np.int64), 1
    m = len(known)
    if m >= 3:
        x = np.array([vectors[i] for i in known], dtype=np.float64)
        # The word's mean context vector removed, unless a row would vanish.
        c = x - x.mean(axis=0)
        if np.all(np.sum(c * c, axis=1) > 1e-12 * np.sum(x * x, axis=1)):
            x = c
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        d = np.clip(1.0 - x @ x.T, 0.0, 2.0)
        # BLAS rounds the products of identical rows differently: distances
        # of 1e-12 and less are such rounding, not a structure to cluster.
        d[d <= 1e-12] = 0.0
        np.fill_diagonal(d, 0.0)
        z = hierarchy.linkage(d[np.triu_indices(m, 1)], method="average")
        s_best = 0.0
        for k in range(2, min(10, m - 1) + 1):
            lab = hierarchy.cut_tree(z, n_clusters=k).ravel()
            s = silhouette(d, lab)
            if s > s_best:
                s_best, best, k_best = s, lab, k
    labels[known] = best
    nxt = k_best
    for i in range(len(labels)):
        if labels[i] < 0:
            labels[i], nxt = nxt, nxt + 1
    return labels


def eval_wsi(path, index, mat):
    lines = [l.rstrip("\r") for l in read_text_file(path).split("\n")]
    lines = [l for l in lines if l]
    if not lines:
        raise CheckError(f"{path}: empty")
    col = {name.lstrip("\ufeff"): i for i, name in enumerate(lines[0].split("\t"))}
    for need in ("word", "gold_sense_id", "positions", "context"):
        if need not in col:
            raise CheckError(f"{path}: no column {need!r} in the header")
    words = {}  # word -> [(tokens, target, gold)], in order of first appearance
    for lineno, line in enumerate(lines[1:], 2):
        f = [unquote(x) for x in line.split("\t")]
        if len(f) != len(col):
            raise CheckError(f"{path}:{lineno}: {len(f)} columns, the header has {len(col)}")
        ctx, ranges = f[col["context"]], []
        for r in f[col["positions"]].split(","):
            a, b = (int(x) for x in r.strip().split("-"))
            if a < b:
                ranges.append((a, b))
        if not ranges:
            raise CheckError(f"{path}:{lineno}: no non-empty range")
        a, b = ranges[0]
        spans = token_spans(ctx)
        at = next((i for i, (s, e, _) in enumerate(spans) if s <= a < e), None)
        if at is None:
            at = next((i for i, (s, _, _) in enumerate(spans) if a <= s < b), None)
        entry = words.setdefault(f[col["word"]], [])
        if at is not None:
            entry.append(([t for _, _, t in spans], at, int(f[col["gold_sense_id"]])))
    out, weighted, n_ctx, n_words = {}, {"static": 0.0, "static_window": 0.0}, 0, 0
    for word, items in words.items():
        if len(items) < 2:
            continue
        lemma = token_spans(word)
        lemma = lemma[0][2] if lemma else ""
        static = [avg_vector([lemma], index, mat) for _ in items]
        window = [avg_vector(t[max(0, p - WIC_WINDOW) : p + WIC_WINDOW + 1], index, mat) for t, p, _ in items]
        gold = [g for _, _, g in items]
        for row, vecs in (("static", static), ("static_window", window)):
            weighted[row] += ari(gold, list(cluster(vecs))) * len(items)
        n_ctx, n_words = n_ctx + len(items), n_words + 1
    if n_words == 0:
        raise CheckError(f"{path}: no word with two located contexts")
    out = {row: v / n_ctx for row, v in weighted.items()}
    out.update({"words": n_words, "contexts": n_ctx})
    return out


# ----------------------------------------------------------------------------


def fmt(x):
    return "n/a" if x is None else f"{x:.2f}"


def fmt_t(t):
    return "+inf" if t == math.inf else f"{t:.6f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--vectors", required=True, help="word2vec vectors (binary or text)")
    ap.add_argument("--text", action="store_true", help="the vectors are in word2vec text format")
    ap.add_argument("--sts", nargs="+", action="extend", default=[], metavar="FILE", help="STS-Benchmark files")
    ap.add_argument("--wic", metavar="DIR", help="WiC directory (<split>.data.txt, <split>.gold.txt)")
    ap.add_argument("--lee", metavar="DIR", help="Lee directory (lee.cor, similarities0-1.txt)")
    ap.add_argument("--wsi", nargs="+", action="extend", default=[], metavar="FILE", help="RUSSE 2018 WSI files")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args()

    prog = os.path.basename(sys.argv[0])
    try:
        # Fail on missing inputs before the (slow) vector read.
        for f in args.sts:
            if not os.path.isfile(f):
                raise CheckError(f"cannot open STS file {f}")
        if args.wic and not os.path.isdir(args.wic):
            raise CheckError(f"cannot open WiC directory {args.wic}")
        if args.lee:
            for f in ("lee.cor", "similarities0-1.txt"):
                if not os.path.isfile(os.path.join(args.lee, f)):
                    raise CheckError(f"cannot open {os.path.join(args.lee, f)}")
        index, mat = read_vectors(args.vectors, args.text)
        out = {}
        counts = {}
        if args.sts:
            out["sts"] = {}
            for f in args.sts:
                out["sts"][os.path.basename(f)], counts[f] = eval_sts(f, index, mat)
        if args.wic:
            out["wic"], thr, wic_counts = eval_wic(args.wic, index, mat)
            out["wic_threshold"] = {k: ("inf" if v == math.inf else v) for k, v in thr.items()}
        if args.lee:
            out["lee"], lee_n = eval_lee(args.lee, index, mat)
        if args.wsi:
            out["wsi"] = {os.path.basename(f): eval_wsi(f, index, mat) for f in args.wsi}
    except CheckError as e:
        print(f"{prog}: {e}", file=sys.stderr)
        return 1

    if args.json:
        print(json.dumps(out))
        return 0
    print(f"vectors: {args.vectors} ({mat.shape[0]} words, dim {mat.shape[1]})")
    for f in args.sts:
        b = os.path.basename(f)
        print(f"STS  {b:<24} pairs {counts[f]:>6}   avg Spearman x100  {fmt(out['sts'][b]['avg'])}")
    if args.wic:
        for s, r in out["wic"].items():
            print(f"WiC  {s:<24} pairs {wic_counts[s]:>6}   static {fmt(r['static'])}   "
                  f"static_window {fmt(r['static_window'])}   (accuracy x100)")
        print(f"WiC  thresholds (from train)          static {fmt_t(thr['static'])}   "
              f"static_window {fmt_t(thr['static_window'])}")
    if args.lee:
        print(f"Lee  {'documents':<24} {lee_n:>12}   avg Pearson x100   {fmt(out['lee']['avg'])}")
    for b, r in out.get("wsi", {}).items():
        print(f"WSI  {b:<24} words {r['words']:>4} contexts {r['contexts']:>6}   static {r['static']:.4f}   "
              f"static_window {r['static_window']:.4f}   (ARI)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
