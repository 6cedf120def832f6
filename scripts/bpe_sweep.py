#!/usr/bin/python3
"""Vocabulary-size sweep for the wordlens byte-level BPE tokenizer.

For every vocabulary size in --sizes a model is trained with
``wordlens bpe train`` on the *first* lines of the corpus and measured on the
*last* --heldout-fraction of the corpus lines (never seen in training):

tokens per word
    tokens of ``wordlens bpe encode --ids`` over the held-out text divided by
    the number of held-out words (whitespace-separated, like ``wc -w``).
bytes per token
    held-out bytes (newlines excluded) divided by the same token count.
coverage
    the fraction of held-out word occurrences (whitespace-separated words,
    counted with repetition) that encode to exactly one token, i.e. whose
    whole word -- with its leading space marker, `` word`` as in running
    text -- is a token of the vocabulary.  Measured by encoding a file with
    one distinct held-out word per line (each line is encoded independently
    and gets the leading space marker, so a line holds exactly that word's
    tokens) and weighting every word by its held-out count.  The table also
    shows the same fraction over distinct words ("type coverage").

The per-word token counts, weighted by frequency, must add up to the token
count of the running held-out text; the script checks this and warns if not
(it can differ only for text with runs of several spaces or tabs).

Training split: the first (1 - heldout-fraction) of the corpus lines, of which
only the first --max-lines (default 100000; 0 = all) are used so that the whole
sweep stays well under two minutes on bench.txt (266k lines).  The held-out
part is always the full last fraction.

Usage:
  scripts/bpe_sweep.py [--corpus FILE] [--sizes 1000,2000,4000,8000,16000,32000]
                       [--wordlens PATH] [--out sweep.png] [--heldout-fraction 0.1]
                       [--max-lines 100000] [--threads 2]

The default corpus is ../shared/data/corpus/bench.txt relative to the repo
root; if it is missing the script prints a message and exits 0.  Needs
python3-matplotlib (Agg backend, no display).
"""

import argparse
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def parse_args():
    p = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="See the module docstring (head -n 40 scripts/bpe_sweep.py) for the exact definitions.")
    p.add_argument("--corpus", default=os.path.join(REPO_ROOT, "..", "shared", "data", "corpus", "bench.txt"))
    p.add_argument("--sizes", default="1000,2000,4000,8000,16000,32000",
                   help="comma-separated vocabulary sizes (default %(default)s)")
    p.add_argument("--wordlens", default=os.path.join(REPO_ROOT, "build", "wordlens"))
    p.add_argument("--out", default="sweep.png", help="PNG to write (default %(default)s)")
    p.add_argument("--heldout-fraction", type=float, default=0.1,
                   help="last fraction of the corpus lines used for measuring (default %(default)s)")
    p.add_argument("--max-lines", type=int, default=100000,
                   help="use at most this many training lines, from the start (default %(default)s; 0 = all)")
    p.add_argument("--threads", type=int, default=2, help="wordlens --threads (default %(default)s)")
    a = p.parse_args()
    try:
        a.sizes = sorted({int(s) for s in a.sizes.split(",") if s.strip()})
    except ValueError:
        p.error("--sizes must be comma-separated integers")
    if not a.sizes or min(a.sizes) < 1:
        p.error("--sizes must be positive")
    if not 0.0 < a.heldout_fraction < 1.0:
        p.error("--heldout-fraction must be in (0, 1)")
    if a.max_lines < 0:
        p.error("--max-lines must be >= 0")
    return a


def run(cmd, stdin_path=None, stdout_path=None):
    """Run cmd; stdin/stdout optionally redirected to files. Returns stdout text (if not redirected)."""
    fin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    fout = open(stdout_path, "wb") if stdout_path else subprocess.PIPE
    try:
        r = subprocess.run(cmd, stdin=fin, stdout=fout, stderr=subprocess.PIPE)
    finally:
        if stdin_path:
            fin.close()
        if stdout_path:
            fout.close()
    if r.returncode != 0:
        sys.exit("bpe_sweep: command failed (exit %d): %s\n%s"
                 % (r.returncode, " ".join(cmd), r.stderr.decode(errors="replace")))
    return None if stdout_path else r.stdout.decode(errors="replace")


def count_tokens(path):
    """Number of space-separated ids in an encode --ids output, and per-line counts."""
    per_line = []
    with open(path, "rb") as f:
        for line in f:
            per_line.append(len(line.split()))
    return sum(per_line), per_line


def main():
    a = parse_args()
    if not os.path.isfile(a.corpus):
        print("bpe_sweep: skipping: corpus %s not found" % a.corpus)
        return 0
    if not (os.path.isfile(a.wordlens) and os.access(a.wordlens, os.X_OK)):
        sys.exit("bpe_sweep: wordlens binary not found at %s (build it, or pass --wordlens)" % a.wordlens)
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    t0 = time.time()
    with open(a.corpus, "rb") as f:
        lines = f.read().split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    n_held = max(1, int(round(len(lines) * a.heldout_fraction)))
    n_train_all = len(lines) - n_held
    if n_train_all < 1:
        sys.exit("bpe_sweep: corpus too small for a held-out split")
    n_train = n_train_all if a.max_lines == 0 else min(a.max_lines, n_train_all)
    train, held = lines[:n_train], lines[n_train_all:]
    del lines

    held_words = collections.Counter(w for ln in held for w in ln.split())
    n_words = sum(held_words.values())
    held_bytes = sum(len(ln) for ln in held)  # newlines excluded
    if n_words == 0:
        sys.exit("bpe_sweep: held-out part has no words")
    vocab_words = sorted(held_words)  # distinct held-out words, one per line

    tmp = tempfile.mkdtemp(prefix="bpe-sweep.")
    try:
        train_path = os.path.join(tmp, "train.txt")
        held_path = os.path.join(tmp, "heldout.txt")
        words_path = os.path.join(tmp, "words.txt")
        with open(train_path, "wb") as f:
            f.write(b"\n".join(train) + b"\n")
        with open(held_path, "wb") as f:
            f.write(b"\n".join(held) + b"\n")
        with open(words_path, "wb") as f:
            f.write(b"\n".join(vocab_words) + b"\n")
        train_bytes = os.path.getsize(train_path)
        print("corpus     %s" % os.path.realpath(a.corpus))
        print("train      first %d of %d lines (%.1f MB)%s"
              % (n_train, n_train_all, train_bytes / 1e6,
                 "" if n_train == n_train_all else ", capped by --max-lines"))
        print("held-out   last %d lines: %d words, %d distinct, %.1f MB"
              % (len(held), n_words, len(vocab_words), held_bytes / 1e6))
        print()

        rows = []
        for v in a.sizes:
            model = os.path.join(tmp, "v%d.bpe" % v)
            t = time.time()
            summary = run([a.wordlens, "bpe", "train", "--input", train_path, "--vocab-size", str(v),
                           "--output", model, "--threads", str(a.threads)])
            train_s = time.time() - t
            m = re.search(r"^vocabulary size\s+(\d+)", summary, re.M)
            actual_v = int(m.group(1)) if m else v

            held_ids = os.path.join(tmp, "held.ids")
            run([a.wordlens, "bpe", "encode", "--model", model, "--ids", "--threads", str(a.threads)],
                stdin_path=held_path, stdout_path=held_ids)
            n_tokens, _ = count_tokens(held_ids)

            word_ids = os.path.join(tmp, "words.ids")
            run([a.wordlens, "bpe", "encode", "--model", model, "--ids", "--threads", str(a.threads)],
                stdin_path=words_path, stdout_path=word_ids)
            _, per_word = count_tokens(word_ids)
            if len(per_word) != len(vocab_words):
                sys.exit("bpe_sweep: encoder returned %d lines for %d words" % (len(per_word), len(vocab_words)))
            single = sum(held_words[w] for w, k in zip(vocab_words, per_word) if k == 1)
            single_types = sum(1 for k in per_word if k == 1)
            weighted = sum(held_words[w] * k for w, k in zip(vocab_words, per_word))
            if weighted != n_tokens:
                print("warning: vocab %d: per-word tokens sum to %d, running text has %d"
                      % (v, weighted, n_tokens), file=sys.stderr)
            rows.append(dict(vocab=actual_v, requested=v, train_s=train_s,
                             tpw=n_tokens / n_words, bpt=held_bytes / n_tokens,
                             cov=single / n_words, cov_types=single_types / len(vocab_words),
                             tokens=n_tokens))
            print("  vocab %6d done (%.2f s training)" % (v, train_s), file=sys.stderr)

        hdr = "%7s %12s %12s %14s %14s %10s" % ("vocab", "tokens/word", "bytes/token",
                                               "coverage", "type coverage", "train s")
        print(hdr)
        print("-" * len(hdr))
        for r in rows:
            print("%7d %12.3f %12.3f %13.2f%% %13.2f%% %10.2f"
                  % (r["vocab"], r["tpw"], r["bpt"], 100 * r["cov"], 100 * r["cov_types"], r["train_s"]))
        print()
        print("coverage      = share of held-out word occurrences encoded as a single token")
        print("type coverage = the same over distinct held-out words")

        # ------------------------------------------------------------- plot ---
        xs = [r["vocab"] for r in rows]
        fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4.2), dpi=100)

        def log_x(ax):
            ax.set_xscale("log")
            ax.xaxis.set_major_locator(FixedLocator(xs))
            ax.xaxis.set_minor_locator(NullLocator())
            ax.xaxis.set_major_formatter(FuncFormatter(
                lambda x, _: ("%gk" % (x / 1000)) if x >= 1000 else "%d" % x))
            ax.set_xlabel("vocabulary size (log scale)")
            ax.grid(True, which="major", alpha=0.3)

        ys = [r["tpw"] for r in rows]
        ax1.plot(xs, ys, "o-", color="tab:blue")
        for x, y in zip(xs, ys):
            ax1.annotate("%.2f" % y, (x, y), textcoords="offset points", xytext=(0, 7),
                         ha="center", fontsize=8)
        log_x(ax1)
        ax1.set_ylabel("tokens per word")
        ax1.set_title("Held-out tokens per word")
        ax1.set_ylim(min(1.0, min(ys)) - 0.05, max(ys) * 1.08)

        cs = [100 * r["cov"] for r in rows]
        ct = [100 * r["cov_types"] for r in rows]
        ax2.plot(xs, cs, "o-", color="tab:green", label="word occurrences (coverage)")
        ax2.plot(xs, ct, "s--", color="tab:gray", label="distinct words", markersize=4)
        for x, y in zip(xs, cs):
            ax2.annotate("%.1f%%" % y, (x, y), textcoords="offset points", xytext=(0, -13),
                         ha="center", fontsize=8, color="tab:green")
        log_x(ax2)
        ax2.set_ylim(0, 100)
        ax2.set_ylabel("% of held-out words")
        ax2.set_title("Coverage: held-out words that are a single token")
        ax2.legend(loc="lower right", fontsize=8)

        fig.suptitle("wordlens byte-level BPE: trained on %d lines of %s, measured on %d held-out lines (%d words)"
                     % (n_train, os.path.basename(a.corpus), len(held), n_words), fontsize=9)
        fig.text(0.5, 0.012,
                 "coverage = fraction of held-out word occurrences (whitespace-separated, counted with repetition)\n"
                 "that encode to a single token, i.e. whose ' word' is a vocabulary token; dashed: same over distinct words",
                 ha="center", va="bottom", fontsize=8, color="0.25")
        fig.tight_layout(rect=(0, 0.07, 1, 0.95))
        fig.savefig(a.out)
        plt.close(fig)
        print("\nwrote %s (%.1f s total)" % (a.out, time.time() - t0))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
