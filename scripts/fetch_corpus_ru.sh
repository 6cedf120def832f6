#!/usr/bin/env bash
# Build the Russian demo corpus: DIR/corpus-ru-raw.txt, raw UTF-8 running text
# (capitals and punctuation kept), one paragraph per line, a blank line after
# each document.
#
# Usage: scripts/fetch_corpus_ru.sh [--out DIR] [--packages "PKG ..."]
#                                   [--force] [-h|--help]
#
#   --out DIR        Output directory (default: <repo>/data).
#   --packages LIST  Debian packages to take the text from (default: the list
#                    below: 1.27M Russian words from 92 MB of packages).
#   --force          Rebuild even if DIR/corpus-ru-raw.txt already exists.
#
# Only Debian's package archive is contacted: each package is fetched with
# `apt-get download` and unpacked with `dpkg-deb -x` into a temporary
# directory -- nothing is installed. If apt's package lists are missing or
# stale, `apt-get update` is run once (as root; otherwise the error says to
# run it). The text is what these packages say in Russian:
#   man pages (usr/share/man/ru/)     manpages-ru, manpages-ru-dev
#   HTML / Mallard help in Russian    libreoffice-help-ru, gimp-help-ru,
#                                     gnome-user-docs, doublecmd-help-ru,
#                                     aptitude-doc-ru, developers-reference-ru,
#                                     maint-guide-ru, debian-faq-ru,
#                                     ubuntu-packaging-guide-html-ru
#   fortune cookies                   fortunes-ru
#   gettext translations (.mo)        freeciv-data, libreoffice-l10n-ru
# A file is read when its path has a directory named ru, ru-RU or ru_RU (any
# HTML file of a package whose name ends in -ru); fortune files, roff man
# pages, HTML and .mo catalogues are turned into text by
# scripts/extract_text.py, which keeps only paragraphs that are mostly Russian
# words and drops repeated paragraphs (see its header for the rule).
#
# Prints the words each package gave and the total. Exits non-zero with a
# one-line message (nothing written) if a tool is missing, a package cannot be
# downloaded or unpacked, or the text comes out empty.
#
# Environment: PYTHON (interpreter for extract_text.py, default
# /usr/bin/python3 if present, else python3).
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)

DEFAULT_PACKAGES="manpages-ru manpages-ru-dev libreoffice-help-ru gimp-help-ru gnome-user-docs
doublecmd-help-ru aptitude-doc-ru developers-reference-ru maint-guide-ru debian-faq-ru
ubuntu-packaging-guide-html-ru fortunes-ru freeciv-data libreoffice-l10n-ru"

log() { echo "fetch_corpus_ru: $*"; }
die() { echo "fetch_corpus_ru: error: $*" >&2; exit 1; }

# ---------------------------------------------------------------- arguments
out_dir="$REPO_ROOT/data"
packages=$DEFAULT_PACKAGES
force=0
while [[ $# -gt 0 ]]; do
    case "$1" in
        --out) [[ $# -ge 2 ]] || die "--out needs a value"; out_dir=$2; shift 2 ;;
        --out=*) out_dir=${1#*=}; shift ;;
        --packages) [[ $# -ge 2 ]] || die "--packages needs a value"; packages=$2; shift 2 ;;
        --packages=*) packages=${1#*=}; shift ;;
        --force) force=1; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument '$1' (try --help)" ;;
    esac
done
read -r -d "" -a pkgs <<< "$packages" || true
[[ ${#pkgs[@]} -gt 0 ]] || die "--packages is empty"
for p in "${pkgs[@]}"; do
    [[ "$p" =~ ^[a-z0-9][a-z0-9.+-]+$ ]] || die "'$p' is not a Debian package name"
done

corpus="$out_dir/corpus-ru-raw.txt"
if [[ "$force" == 0 && -s "$corpus" ]]; then
    log "$corpus already exists and is non-empty; skipping (use --force to rebuild)"
    exit 0
fi
for tool in apt-get dpkg-deb; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool not found: this script needs a Debian system (apt-get, dpkg-deb)"
done
if [[ -n "${PYTHON:-}" ]]; then py=$PYTHON
elif [[ -x /usr/bin/python3 ]]; then py=/usr/bin/python3
else py=$(command -v python3) || die "python3 not found (needed by extract_text.py)"
fi
mkdir -p "$out_dir" || die "cannot create output directory $out_dir"

# ------------------------------------------------------------ temp handling
# Downloads and unpacked packages live in $work; the corpus is written next
# to its target and renamed, so a failed run leaves no partial file.
work=$(mktemp -d "${TMPDIR:-/tmp}/wordlens-corpus-ru.XXXXXX")
tmp_out=$(mktemp "$out_dir/.corpus-ru-raw.txt.XXXXXX")
cleanup() { rm -rf "$work"; rm -f "$tmp_out"; }
trap cleanup EXIT
start=$SECONDS

# ---------------------------------------------------------------- download
# apt_error LOG: the most informative line of apt's output.
apt_error() { grep -m1 '^E: ' "$1" || tail -n 1 "$1"; }

download() {
    (cd "$work/debs" && apt-get download "${pkgs[@]}") > "$work/apt.log" 2>&1
}

mkdir -p "$work/debs"
log "apt-get download ${pkgs[*]}"
if ! download; then
    # Usually missing or stale package lists: refresh them once if we may.
    if [[ $(id -u) == 0 ]]; then
        log "apt-get download failed ($(apt_error "$work/apt.log")); running apt-get update and trying again"
        apt-get update > "$work/update.log" 2>&1 || die "apt-get update failed: $(apt_error "$work/update.log")"
        download || die "apt-get download failed: $(apt_error "$work/apt.log")"
    else
        die "apt-get download failed: $(apt_error "$work/apt.log") (run 'sudo apt-get update' first?)"
    fi
fi

# ------------------------------------------------------- unpack and select
manifest="$work/manifest.tsv"
: > "$manifest"
declare -A deb_size
for p in "${pkgs[@]}"; do
    debs=("$work/debs/${p}"_*.deb)
    [[ -f "${debs[0]}" ]] || die "apt-get download gave no .deb for $p"
    deb_size[$p]=$(stat -c %s "${debs[0]}")
    mkdir -p "$work/x/$p"
    dpkg-deb -x "${debs[0]}" "$work/x/$p" || die "cannot unpack $(basename "${debs[0]}")"
    before=$(wc -l < "$manifest")
    (
        cd "$work/x/$p"
        all_html=0
        [[ "$p" == *-ru ]] && all_html=1
        find . -type f | LC_ALL=C sort | while IFS= read -r f; do
            f=${f#./}
            case "$f" in
                usr/share/man/ru/*) kind="man" ;;
                usr/share/games/fortunes/ru/*.dat) continue ;;
                usr/share/games/fortunes/ru/*) kind="fortune" ;;
                */ru/LC_MESSAGES/*.mo|*/ru_RU/LC_MESSAGES/*.mo) kind="mo" ;;
                *.html|*.htm|*.xhtml|*.page)
                    if [[ $all_html == 1 || "/$f" =~ /(ru|ru-RU|ru_RU)/ ]]; then kind="html"; else continue; fi ;;
                *) continue ;;
            esac
            printf '%s\t%s\t%s\n' "$p" "$kind" "$work/x/$p/$f"
        done
    ) >> "$manifest"
    [[ $(wc -l < "$manifest") -gt $before ]] || die "package $p has no Russian text files (man/ru, ru/ HTML, ru .mo, fortunes/ru)"
done

# ----------------------------------------------------------------- extract
log "extracting text from $(wc -l < "$manifest") files"
"$py" "$SCRIPT_DIR/extract_text.py" --manifest "$manifest" --output "$tmp_out" 2> "$work/extract.log" \
    || die "text extraction failed: $(tail -n 1 "$work/extract.log")"
[[ -s "$tmp_out" ]] || die "the packages gave no Russian text"

# The extractor's table, with each package's download size.
echo
printf '%-32s %8s %6s %10s %9s\n' package MB files paragraphs ru-words
tail -n +2 "$work/extract.log" | while read -r src files paras words; do
    printf '%-32s %8.1f %6d %10d %9d\n' "$src" "$(echo "${deb_size[$src]}" | awk '{print $1 / 1e6}')" \
        "$files" "$paras" "$words"
done
total=$(tail -n +2 "$work/extract.log" | awk '{s += $4} END {print s}')
echo

chmod 644 "$tmp_out"
mv -f "$tmp_out" "$corpus"
read -r lines words < <(wc -lw < "$corpus")
log "wrote $corpus: $total Russian words ($words whitespace-separated tokens), $lines lines, from ${#pkgs[@]} packages ($((SECONDS - start)) s)"
