#!/usr/bin/env python3
"""Normalise raw English text into a word2vec training corpus (stdin -> stdout).

This reproduces the rule used to build the wordlens benchmark corpus
(bench.txt), so text prepared with it looks the same:

  1. Curly apostrophes (U+2019 RIGHT SINGLE QUOTATION MARK, and the modifier
     letter apostrophe U+02BC) are mapped to an ASCII apostrophe first, so
     "don’t" becomes "don't".
  2. The text is split into paragraphs at blank lines, and each paragraph is
     split into sentences after any of  . ! ? ; :  that is followed by
     whitespace or the end of the paragraph.  (A terminator directly followed
     by another character does not split: "(Applause.) Thank you." stays one
     sentence and "3.5" / "U.S.A" stay inside their sentence.)
  3. Each sentence is lowercased and its tokens are the matches of the regex
     [a-z0-9]+('[a-z]+)?  -- i.e. ASCII letters/digits, optionally followed by
     one apostrophe suffix ("don't", "ahab's").  Everything else is dropped
     and acts as a token separator.  Non-ASCII letters are NOT transliterated,
     they are simply dropped: "naïve" -> "na ve", "Guaidó" -> "guaid".
  4. Tokens are joined by single spaces, one sentence per line.  Sentences
     with fewer than --min-tokens tokens (default 1, i.e. only empty ones) are
     dropped.  The benchmark corpus was built with --min-tokens 3.

Only the Python 3 standard library is used.  Input is read as UTF-8 (invalid
bytes are replaced) and processed one paragraph at a time, so memory use is
bounded by the longest paragraph, not by the input size.
"""

import argparse
import io
import re
import sys

# Tokens: ASCII letters/digits with an optional apostrophe suffix.
TOKEN_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# Sentence boundary: a terminator followed by whitespace (or end of paragraph,
# handled by stripping the paragraph before splitting).
SENT_SPLIT_RE = re.compile(r"(?<=[.!?;:])\s+")
# Apostrophe look-alikes mapped to ASCII "'" before tokenising.
APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'"})


def sentences(paragraph, min_tokens):
    """Yield normalised sentences (token strings) of one paragraph."""
    text = paragraph.translate(APOSTROPHES).strip()
    for sent in SENT_SPLIT_RE.split(text):
        tokens = TOKEN_RE.findall(sent.lower())
        if tokens and len(tokens) >= min_tokens:
            yield " ".join(tokens)


def paragraphs(stream):
    """Yield paragraphs: runs of non-blank lines joined by single spaces."""
    buf = []
    for line in stream:
        if line.strip():
            buf.append(line.strip())
        elif buf:
            yield " ".join(buf)
            buf = []
    if buf:
        yield " ".join(buf)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--min-tokens", type=int, default=1, metavar="N",
                    help="drop sentences with fewer than N tokens (default 1; "
                         "the benchmark corpus uses 3)")
    args = ap.parse_args()

    stdin = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8",
                             errors="replace", newline=None)
    out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="\n")
    for para in paragraphs(stdin):
        for sent in sentences(para, args.min_tokens):
            out.write(sent)
            out.write("\n")
    out.flush()


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:  # e.g. piped into `head`
        sys.exit(0)
