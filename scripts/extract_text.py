#!/usr/bin/env python3
"""Extract running text from documentation files (HTML, man pages, fortune
files, gettext .mo catalogues) into raw UTF-8 text: one paragraph per line,
a blank line after each document.

Usage: extract_text.py --manifest LIST [--output FILE] [--min-words 3]
                       [--min-share 0.5]

LIST has one input per line, three tab-separated fields:
    SOURCE <TAB> KIND <TAB> PATH
SOURCE names where the file came from (a package name; used in the summary),
KIND is how to read it:
    html     HTML/XHTML: the text of block elements (p, li, td, h1..h6, ...);
             <head>, <script>, <style> and <pre> (code listings) are skipped.
    man      a man page in roff (gzip-compressed if the name ends in .gz):
             requests are dropped (the text arguments of .SH/.SS/.B/.I/.BR/...
             are kept), escapes are decoded, .nf/.fi, .EX/.EE and .TS/.TE
             blocks (listings, tables) are skipped.
    fortune  a fortune file: entries separated by lines holding only '%'.
    mo       a gettext .mo catalogue: every translated string (msgstr).
    text     plain UTF-8 text, paragraphs separated by blank lines.

Which paragraphs are kept: text is decoded as UTF-8 (invalid bytes replaced),
whitespace inside a paragraph collapsed to single spaces; a paragraph is kept
when it has at least --min-words Russian words (runs of the Russian alphabet
А-Я а-я Ё ё, hyphenated runs counted once) and they are at least
--min-share of its words (runs of letters or digits of any script) -- this
drops code, English text and lists of names. A paragraph seen before (the
same text, in any file) is kept only the first time, so navigation bars and
boilerplate repeated on every page count once.

The summary on stderr is a table: SOURCE, files, paragraphs kept, Russian
words kept. Only the Python 3 standard library is used. Exits 1 with a
message naming the file for a manifest line that is malformed or names a
file that cannot be read or parsed; --output FILE is then left untouched
(it is written to FILE.tmp-PID and renamed when complete).
"""

import argparse
import gzip
import hashlib
import html
import html.parser
import os
import re
import struct
import sys

RU_WORD_RE = re.compile(r"[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*")
ANY_WORD_RE = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
SPACE_RE = re.compile(r"\s+")


class InputProblem(Exception):
    """A file that cannot be read as its KIND says."""


def read_bytes(path):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise InputProblem(f"cannot read {path}: {e.strerror}")
    if path.endswith(".gz"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as e:
            raise InputProblem(f"{path}: not a valid gzip file ({e})")
    return data


def read_text(path):
    """The file as text: UTF-8 (invalid bytes replaced), CRLF as LF."""
    return read_bytes(path).decode("utf-8", "replace").replace("\r\n", "\n")


# ------------------------------------------------------------------ HTML
class _HtmlText(html.parser.HTMLParser):
    BLOCK = {"p", "div", "li", "dt", "dd", "td", "th", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
             "br", "title", "table", "ul", "ol", "dl", "blockquote", "section", "article",
             "caption", "figcaption", "hr", "body", "header", "footer", "nav"}
    SKIP = {"script", "style", "pre", "head", "noscript", "svg", "math", "textarea"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs, self._buf, self._skip = [], [], 0

    def _flush(self):
        text = "".join(self._buf)
        self._buf = []
        if text.strip():
            self.paragraphs.append(text)

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skip += 1
        elif tag in self.BLOCK:
            self._flush()

    def handle_startendtag(self, tag, attrs):
        if tag in self.BLOCK:
            self._flush()

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in self.BLOCK:
            self._flush()

    def handle_data(self, data):
        if not self._skip:
            self._buf.append(data)

    def close(self):
        super().close()
        self._flush()


def html_paragraphs(path):
    parser = _HtmlText()
    parser.feed(read_text(path))
    parser.close()
    return parser.paragraphs


# ------------------------------------------------------------- man (roff)
ROFF_CHARS = {"em": "—", "en": "–", "hy": "-", "lq": "“", "rq": "”", "Fo": "«", "Fc": "»",
              "aq": "'", "dq": '"', "bu": "•", "co": "©", "rg": "®", "tm": "™", "oq": "‘",
              "cq": "’", "ha": "^", "ti": "~", "rs": "\\", "mi": "-", "pl": "+", "eq": "=",
              "mu": "×", "de": "°", "ga": "`", "aa": "´", "Do": "$", "at": "@", "sl": "/",
              "ba": "|", "br": "|", "lh": "☜", "rh": "☞", "->": "→", "<-": "←"}
ROFF_ESCAPE_RE = re.compile(
    r"\\(?:f(?:\[[^\]]*\]|\(..|.)"      # font changes
    r"|s[+-]?(?:\d|\(\d\d|\[\d+\])"       # size changes
    r"|\*(?:\[[^\]]*\]|\(..|.)"          # strings
    r"|\((..)"                            # \(xx characters
    r"|\[([^\]]*)\]"                      # \[name] characters
    r"|[kgnz](?:\(..|\[[^\]]*\]|.)"       # registers and friends
    r"|[hvwlLoxbDNRXYZ]'[^']*'"           # motions, widths, ...
    r"|(.))", re.S)                       # one-character escapes


def _roff_escape(m):
    if m.group(1) is not None:
        return ROFF_CHARS.get(m.group(1), "")
    if m.group(2) is not None:
        name = m.group(2)
        if name.startswith("u") and re.fullmatch(r"u[0-9A-Fa-f]{4,6}", name):
            return chr(int(name[1:], 16))
        return ROFF_CHARS.get(name, "")
    c = m.group(3)
    if c is None:
        return ""
    return {"-": "-", "e": "\\", "\\": "\\", " ": " ", "~": " ", "0": " ", "'": "´", "`": "`",
            ".": ".", "%": "", "&": "", "|": "", "^": "", "c": "", ")": "", "/": "", ",": ""}.get(c, "")


def roff_text(s):
    s = re.sub(r'\\".*', "", s)  # comment to end of line
    return ROFF_ESCAPE_RE.sub(_roff_escape, s)


def _roff_args(rest):
    # Macro arguments: space-separated, "quoted" ones may contain spaces.
    return [a[1:-1] if a.startswith('"') and a.endswith('"') and len(a) > 1 else a
            for a in re.findall(r'"[^"]*"|\S+', rest)]


MAN_BREAK = {"PP", "LP", "P", "TP", "IP", "HP", "sp", "br", "SH", "SS", "RS", "RE", "in", "ti", "bp",
             "TQ", "SY", "YS", "OP", "UR", "UE", "MT", "ME", "Dd", "Sh", "Ss", "Pp", "It", "Bl", "El"}
MAN_INLINE = {"B", "I", "BR", "RB", "IR", "RI", "BI", "IB", "SM", "SB", "Nm", "Ar", "Fl", "Em", "Sy"}
MAN_SKIP_BLOCKS = {"nf": "fi", "EX": "EE", "TS": "TE", "EQ": "EN", "de": "..", "ig": "..", "PS": "PE"}


def man_paragraphs(path):
    lines = read_text(path).split("\n")
    paragraphs, buf, end_of_skip = [], [], None
    tag_line = False  # after .TP the next line is the tag: a paragraph of its own

    def flush():
        if buf:
            paragraphs.append(" ".join(buf))
            buf.clear()

    def add(text):
        nonlocal tag_line
        buf.append(text)
        if tag_line:
            tag_line = False
            flush()

    for line in lines:
        if end_of_skip is not None:
            if line.startswith((".", "'")) and line[1:].strip().split(" ")[0] == end_of_skip:
                end_of_skip = None
            continue
        if line.startswith((".", "'")):
            req, _, rest = line[1:].strip().partition(" ")
            if req in MAN_SKIP_BLOCKS:
                flush()
                end_of_skip = MAN_SKIP_BLOCKS[req]
            elif req in ("SH", "SS", "Sh", "Ss"):
                flush()
                paragraphs.append(roff_text(" ".join(_roff_args(rest))))
            elif req == "IP" and rest:
                flush()
                buf.append(roff_text(_roff_args(rest)[0]))
                flush()
            elif req in MAN_BREAK:
                flush()
                tag_line = req in ("TP", "TQ")
            elif req in MAN_INLINE:
                sep = "" if len(req) == 2 and req.isupper() and req not in ("SM", "SB") else " "
                add(roff_text(sep.join(_roff_args(rest))))
            continue  # other requests (TH, ad, hy, ...) carry no running text
        text = roff_text(line).strip()
        if text:
            add(text)
        else:
            flush()
    flush()
    return paragraphs


# -------------------------------------------------------------- fortune
def fortune_paragraphs(path):
    text = read_text(path)
    return [entry for entry in re.split(r"^%[ \t]*$", text, flags=re.M) if entry.strip()]


# ------------------------------------------------------------- gettext
def mo_paragraphs(path):
    data = read_bytes(path)
    if len(data) < 28:
        raise InputProblem(f"{path}: too short for a .mo file ({len(data)} bytes)")
    magic = struct.unpack("<I", data[:4])[0]
    order = "<" if magic == 0x950412DE else ">" if magic == 0xDE120495 else None
    if order is None:
        raise InputProblem(f"{path}: not a gettext .mo file (magic number 0x{magic:08x})")
    _, count, _, trans_off = struct.unpack(order + "4I", data[4:20])
    out = []
    for i in range(count):
        at = trans_off + 8 * i
        if at + 8 > len(data):
            raise InputProblem(f"{path}: truncated .mo file (string table at byte {at})")
        length, off = struct.unpack(order + "2I", data[at:at + 8])
        if off + length > len(data):
            raise InputProblem(f"{path}: truncated .mo file (string {i} at byte {off})")
        # Plural forms are separated by NUL bytes; each is its own paragraph.
        for form in data[off:off + length].split(b"\0"):
            out.append(form.decode("utf-8", "replace"))
    return out


def text_paragraphs(path):
    text = read_text(path)
    return re.split(r"\n[ \t\r]*\n", text)


READERS = {"html": html_paragraphs, "man": man_paragraphs, "fortune": fortune_paragraphs,
           "mo": mo_paragraphs, "text": text_paragraphs}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--manifest", required=True, help="SOURCE<TAB>KIND<TAB>PATH lines")
    ap.add_argument("--output", default="-", help="output file (default stdout)")
    ap.add_argument("--min-words", type=int, default=3)
    ap.add_argument("--min-share", type=float, default=0.5)
    args = ap.parse_args()

    seen = set()
    stats = {}  # source -> [files, paragraphs, words]
    # A file output is written beside its target and renamed when complete.
    tmp = None if args.output == "-" else f"{args.output}.tmp-{os.getpid()}"
    out = sys.stdout if tmp is None else open(tmp, "w", encoding="utf-8")
    try:
        with open(args.manifest, encoding="utf-8") as manifest:
            for lineno, line in enumerate(manifest, 1):
                line = line.rstrip("\n")
                if not line:
                    continue
                fields = line.split("\t")
                if len(fields) != 3 or fields[1] not in READERS:
                    raise InputProblem(f"{args.manifest}:{lineno}: expected SOURCE<TAB>KIND<TAB>PATH "
                                       f"with KIND one of {', '.join(READERS)}")
                source, kind, path = fields
                s = stats.setdefault(source, [0, 0, 0])
                s[0] += 1
                kept = 0
                for para in READERS[kind](path):
                    para = SPACE_RE.sub(" ", para).strip()
                    ru = len(RU_WORD_RE.findall(para))
                    if ru < args.min_words or ru < args.min_share * len(ANY_WORD_RE.findall(para)):
                        continue
                    key = hashlib.blake2b(para.encode("utf-8"), digest_size=12).digest()
                    if key in seen:
                        continue
                    seen.add(key)
                    out.write(para + "\n")
                    kept += 1
                    s[1] += 1
                    s[2] += ru
                if kept:
                    out.write("\n")
    except (InputProblem, OSError) as e:
        print(f"extract_text: error: {e}", file=sys.stderr)
        if tmp is not None:
            out.close()
            os.unlink(tmp)
        return 1
    if tmp is not None:
        out.close()
        os.replace(tmp, args.output)
    print(f"{'source':32} {'files':>6} {'paragraphs':>10} {'words':>9}", file=sys.stderr)
    for source, (files, paras, words) in stats.items():
        print(f"{source:32} {files:6d} {paras:10d} {words:9d}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
