#!/usr/bin/python3
"""gensim's evaluation of word vectors, timed, as one JSON object.

usage: gensim_eval.py VECTORS.bin --analogy FILE --similarity FILE [FILE ...]
                      [--restrict-vocab 30000]

analogy: KeyedVectors.evaluate_word_analogies(restrict_vocab, case_insensitive=True);
"accuracy" counts questions with unknown words as wrong (correct / all questions),
"accuracy_covered" is gensim's own score. similarity: evaluate_word_pairs
(case_insensitive=True). Seconds exclude loading the vectors.
"""
import argparse
import json
import os
import time

from gensim.models import KeyedVectors


def main():
    p = argparse.ArgumentParser()
    p.add_argument("vectors")
    p.add_argument("--analogy", required=True)
    p.add_argument("--similarity", nargs="+", default=[])
    p.add_argument("--restrict-vocab", type=int, default=30000)
    a = p.parse_args()
    kv = KeyedVectors.load_word2vec_format(a.vectors, binary=a.vectors.endswith(".bin"))
    total = sum(1 for line in open(a.analogy) if line.strip() and not line.startswith(":"))
    t0 = time.perf_counter()
    score, sections = kv.evaluate_word_analogies(a.analogy, restrict_vocab=a.restrict_vocab, case_insensitive=True)
    t_analogy = time.perf_counter() - t0
    tot = sections[-1]
    correct = len(tot["correct"])
    covered = correct + len(tot["incorrect"])
    out = {"analogy": {"accuracy": correct / total, "accuracy_covered": score, "coverage": covered / total,
                       "correct": correct, "covered": covered, "total": total, "seconds": t_analogy},
           "similarity": {}}
    for f in a.similarity:
        t0 = time.perf_counter()
        pearson, spearman, oov = kv.evaluate_word_pairs(f, delimiter="\t", case_insensitive=True)
        out["similarity"][os.path.basename(f)] = {"spearman": float(spearman[0]), "pearson": float(pearson[0]),
                                                  "coverage": 1 - oov / 100.0,
                                                  "seconds": time.perf_counter() - t0}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
