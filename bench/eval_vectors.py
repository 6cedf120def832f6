#!/usr/bin/python3
"""Evaluate word vectors: Google analogies + WordSim-353; print one JSON object.

Usage:
    eval_vectors.py VECTORS [--questions questions-words.txt]
                            [--wordsim wordsim353.txt]
                            [--train-words N --wall SECONDS]

VECTORS is word2vec format; binary if it ends in .bin, text otherwise
(.vec / .txt, e.g. fastText's PREFIX.vec).

Output keys:
  analogy_acc        correct / ALL questions in the file (OOV counted wrong)
  analogy_acc_seen   gensim's own accuracy, over questions whose 4 words are
                     all in the top --restrict-vocab words (OOV skipped)
  analogy_correct, analogy_seen, analogy_total
  ws353_spearman, ws353_pearson, ws353_oov_pct (OOV pairs are skipped)
  vocab_size, words_per_sec (only if --train-words and --wall are given)
A metric whose eval file is missing is reported as null.
"""
import argparse
import json
import logging
import os
import sys

from gensim.models import KeyedVectors


def count_questions(path):
    """Number of analogy questions (non-empty, non-section lines) in the file."""
    n = 0
    with open(path, encoding="utf8") as f:
        for line in f:
            if line.strip() and not line.startswith(":"):
                n += 1
    return n


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("vectors")
    p.add_argument("--questions", help="Google analogy file (questions-words.txt)")
    p.add_argument("--wordsim", help="WordSim-353 file: word1<TAB>word2<TAB>score")
    p.add_argument("--restrict-vocab", type=int, default=30000)
    p.add_argument("--train-words", type=float, help="corpus words x iterations")
    p.add_argument("--wall", type=float, help="training wall time in seconds")
    args = p.parse_args()

    logging.basicConfig(level=logging.WARNING)
    binary = args.vectors.endswith(".bin")
    kv = KeyedVectors.load_word2vec_format(args.vectors, binary=binary,
                                           unicode_errors="ignore")
    out = {"vectors": args.vectors, "vocab_size": len(kv), "vector_size": kv.vector_size}

    # --- analogies -------------------------------------------------------
    out.update(analogy_acc=None, analogy_acc_seen=None, analogy_correct=None,
               analogy_seen=None, analogy_total=None)
    if args.questions and os.path.exists(args.questions):
        _, sections = kv.evaluate_word_analogies(
            args.questions, restrict_vocab=args.restrict_vocab, case_insensitive=True)
        total = sections[-1]  # the 'Total accuracy' pseudo-section
        assert total["section"] == "Total accuracy", total["section"]
        correct, incorrect = len(total["correct"]), len(total["incorrect"])
        seen = correct + incorrect
        n_questions = count_questions(args.questions)  # 19,544 for the Google set
        out.update(
            analogy_correct=correct,
            analogy_seen=seen,
            analogy_total=n_questions,
            analogy_acc=correct / n_questions if n_questions else None,
            analogy_acc_seen=correct / seen if seen else None,
        )

    # --- WordSim-353 -----------------------------------------------------
    out.update(ws353_spearman=None, ws353_pearson=None, ws353_oov_pct=None)
    if args.wordsim and os.path.exists(args.wordsim):
        # Lines starting with '#' are skipped by gensim; OOV pairs are skipped too.
        pearson, spearman, oov_pct = kv.evaluate_word_pairs(
            args.wordsim, delimiter="\t", case_insensitive=True)
        out.update(ws353_pearson=float(pearson[0]),
                   ws353_spearman=float(spearman[0]),
                   ws353_oov_pct=float(oov_pct))

    # --- throughput --------------------------------------------------------
    out["words_per_sec"] = None
    if args.train_words and args.wall:
        out["words_per_sec"] = args.train_words / args.wall

    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
