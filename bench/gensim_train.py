#!/usr/bin/python3
"""Train a gensim Word2Vec model with word2vec.c-equivalent settings.

Used by bench/w2v_bench.sh. The benchmark times the *whole* run of this
script (interpreter start-up, vocabulary scan and training) so that it is
comparable with word2vec.c / fastText / wordlens, whose wall times also
include building the vocabulary.

Usage:
    gensim_train.py --corpus FILE --output OUT.bin --mode sg|cbow|hs
                    [--threads 2] [--size 100] [--window 5] [--negative N]
                    [--sample 1e-4] [--iter 5] [--min-count 5] [--alpha A]
"""
import argparse
import logging
import sys
import time

from gensim.models import Word2Vec
from gensim.models.word2vec import FAST_VERSION, LineSentence

# Per-mode (sg, hs, default negative, default alpha), mirroring word2vec.c flags
#   sg:   -cbow 0 -hs 0 -negative 5  (alpha 0.025)
#   cbow: -cbow 1 -hs 0 -negative 5  (alpha 0.05)
#   hs:   -cbow 0 -hs 1 -negative 0  (alpha 0.025)
MODES = {
    "sg": (1, 0, 5, 0.025),
    "cbow": (0, 0, 5, 0.05),
    "hs": (1, 1, 0, 0.025),
}


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--corpus", required=True)
    p.add_argument("--output", required=True, help="word2vec binary output file")
    p.add_argument("--mode", required=True, choices=sorted(MODES))
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--size", type=int, default=100)
    p.add_argument("--window", type=int, default=5)
    p.add_argument("--negative", type=int, default=None,
                   help="negative samples (default: 5 sg/cbow, 0 hs)")
    p.add_argument("--sample", type=float, default=1e-4)
    p.add_argument("--iter", type=int, default=5)
    p.add_argument("--min-count", type=int, default=5)
    p.add_argument("--alpha", type=float, default=None,
                   help="start learning rate (default: 0.025 sg/hs, 0.05 cbow)")
    args = p.parse_args()

    logging.basicConfig(format="%(asctime)s %(levelname)s %(message)s", level=logging.INFO)
    if FAST_VERSION < 0:
        # Pure-python fallback would be ~100x slower and make the benchmark meaningless.
        sys.exit("gensim: compiled Cython routines not available (FAST_VERSION < 0)")

    sg, hs, default_negative, default_alpha = MODES[args.mode]
    negative = args.negative if args.negative is not None else default_negative
    alpha = args.alpha if args.alpha is not None else default_alpha

    t0 = time.time()
    model = Word2Vec(
        sentences=LineSentence(args.corpus),
        vector_size=args.size,
        window=args.window,
        sg=sg,
        hs=hs,
        negative=negative,
        sample=args.sample,
        epochs=args.iter,
        min_count=args.min_count,
        workers=args.threads,
        alpha=alpha,
        # word2vec.c decays linearly to starting_alpha * 1e-4 (gensim's
        # default min_alpha is an absolute 1e-4).
        min_alpha=alpha * 1e-4,
        cbow_mean=1,  # word2vec.c averages context vectors in CBOW
    )
    t1 = time.time()
    model.wv.save_word2vec_format(args.output, binary=True)
    logging.info("gensim: vocab=%d, train (incl. vocab scan) %.2fs, save %.2fs",
                 len(model.wv), t1 - t0, time.time() - t1)


if __name__ == "__main__":
    main()
