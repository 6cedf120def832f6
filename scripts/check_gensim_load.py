#!/usr/bin/python3
"""Proves that gensim reads wordlens vectors: loads a binary and a text file
written by the same (deterministic) training run with Debian's python3-gensim
KeyedVectors.load_word2vec_format, and checks that both hold the same words,
in the same order, with the same values (text has 6 decimals).

usage: check_gensim_load.py VECTORS.bin VECTORS.txt
Exit 0 and one 'ok' line on success; 1 with the reason otherwise.
"""
import sys

import numpy as np
from gensim.models import KeyedVectors


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    binp, txtp = sys.argv[1], sys.argv[2]
    kb = KeyedVectors.load_word2vec_format(binp, binary=True)
    kt = KeyedVectors.load_word2vec_format(txtp, binary=False)
    with open(binp, "rb") as f:
        n, dim = (int(x) for x in f.readline().split())
    problems = []
    if len(kb.index_to_key) != n or kb.vector_size != dim:
        problems.append(f"binary: gensim read {len(kb.index_to_key)}x{kb.vector_size}, header says {n}x{dim}")
    if kb.index_to_key != kt.index_to_key:
        problems.append("binary and text files list different words")
    if kb.index_to_key[0] != "</s>":
        problems.append(f"first word is {kb.index_to_key[0]!r}, expected '</s>'")
    diff = float(np.max(np.abs(kb.vectors - kt.vectors))) if kb.vectors.shape == kt.vectors.shape else float("inf")
    if not diff <= 5.1e-7:
        problems.append(f"binary and text values differ by {diff}")
    if not np.all(np.isfinite(kb.vectors)):
        problems.append("non-finite values")
    word = kb.index_to_key[1]
    sims = kb.most_similar(word, topn=3)
    if problems:
        print("FAIL: " + "; ".join(problems))
        return 1
    print(f"ok: gensim loaded {n} x {dim} from both formats (max |bin - text| = {diff:.2e}); "
          f"most_similar({word!r}) = {[w for w, _ in sims]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
