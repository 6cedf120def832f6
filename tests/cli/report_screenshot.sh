#!/usr/bin/env bash
# `wordlens compare --report DIR`: report.md and a self-contained report.html
# (no external references, figures inline), rendered by headless Chromium to a
# PNG that must not be blank (non-white pixels and several colours: the bars
# and heat-maps are coloured). Uses WORDLENS_REPORT_DIR if set (a report of the
# bench-corpus models), otherwise builds a tiny one from a synthetic corpus.
# WORDLENS_SCREENSHOT_OUT=FILE keeps a copy of the screenshot.
# Skips (exit 77) where Chromium is not installed.
WL=${1:?usage: report_screenshot.sh path/to/wordlens}
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PY=/usr/bin/python3

CHROME=
for c in chromium chromium-browser google-chrome; do
  if command -v "$c" > /dev/null 2>&1; then
    CHROME=$(command -v "$c")
    break
  fi
done
if [ -z "$CHROME" ]; then
  echo "skip: chromium not installed (apt-get install chromium)"
  exit 77
fi
if [ ! -x "$PY" ]; then
  echo "skip: $PY not installed (needed to decode the screenshot)"
  exit 77
fi

if [ -n "${WORDLENS_REPORT_DIR:-}" ]; then
  DIR=$(cd "$WORDLENS_REPORT_DIR" 2> /dev/null && pwd) || DIR=$WORDLENS_REPORT_DIR
  echo "# report from WORDLENS_REPORT_DIR=$DIR"
else
  # Tiny models: 6 planted classes x 8 words, 32-dimensional vectors, a
  # one-layer encoder trained for a few steps.
  make_corpus "$WORK/c.txt" 2000 5
  if "$WL" train --train "$WORK/c.txt" --output "$WORK/v.bin" --binary 1 --size 32 --min-count 1 --iter 3 \
    --threads 1 --save-vocab "$WORK/counts.txt" --debug 0 > "$WORK/train.log" 2>&1; then
    ok "train tiny vectors"
  else
    not_ok "train tiny vectors" "$(tail -n 3 "$WORK/train.log")"
  fi
  if "$WL" encoder train --corpus "$WORK/c.txt" --vectors "$WORK/v.bin" --output "$WORK/m.safetensors" \
    --layers 1 --heads 2 --ffn-mult 2 --max-len 16 --batch-tokens 512 --steps 20 --warmup 2 --eval-every 10 \
    --threads 1 > "$WORK/enc.log" 2>&1; then
    ok "train tiny encoder"
  else
    not_ok "train tiny encoder" "$(tail -n 3 "$WORK/enc.log")"
  fi
  # STS pairs: same class -> high score, different classes -> low (7 columns).
  awk -v seed=9 'BEGIN {
    srand(seed);
    for (p = 0; p < 40; p++) {
      c1 = int(rand() * 6); c2 = (p % 2) ? c1 : (c1 + 1 + int(rand() * 5)) % 6;
      s1 = ""; s2 = "";
      for (i = 0; i < 6; i++) {
        s1 = s1 (i ? " " : "") "C" c1 "w" int(rand() * 8);
        s2 = s2 (i ? " " : "") "c" c2 "w" int(rand() * 8);
      }
      score = (c1 == c2) ? 4 + rand() : rand() * 1.5;
      printf "synthetic\tplanted\t2024\t%04d\t%.3f\t%s.\t%s!\n", p, score, s1, s2;
    }
  }' > "$WORK/sts.tsv"
  DIR=$WORK/report
  if "$WL" compare --vectors "$WORK/v.bin" --model "$WORK/m.safetensors" --vocab "$WORK/counts.txt" \
    --sts "$WORK/sts.tsv" --report "$DIR" > "$WORK/compare.out" 2> "$WORK/compare.err"; then
    ok "compare --report writes $DIR"
  else
    not_ok "compare --report" "$(head -c 300 "$WORK/compare.err")"
  fi
fi

HTML=$DIR/report.html
MD=$DIR/report.md
if [ -s "$HTML" ] && [ -s "$MD" ]; then
  ok "report.html ($(wc -c < "$HTML") bytes) and report.md ($(wc -c < "$MD") bytes) are non-empty"
else
  not_ok "report files" "missing or empty: $(ls -la "$HTML" "$MD" 2>&1 | tr '\n' ' ')"
  finish
  exit
fi

bad=$(grep -oiE 'src="http|href="http|<script src' "$HTML" | sort -u | tr '\n' ' ')
if [ -z "$bad" ]; then
  ok "report.html has no external references"
else
  not_ok "report.html is not self-contained" "found: $bad"
fi
figs=$(grep -oiE '<svg|data:image' "$HTML" | wc -l)
if [ "$figs" -ge 1 ]; then
  ok "report.html has $figs inline figure(s) (<svg or data:image)"
else
  not_ok "report.html inline figures" "no <svg or data:image in $HTML"
fi

# Screenshot with a throwaway profile; no network, no first-run UI.
SHOT=$WORK/shot.png
start=$(date +%s.%N)
timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-background-networking \
  --disable-component-update --no-first-run --hide-scrollbars --user-data-dir="$WORK/chrome-profile" \
  --window-size=1200,3000 --screenshot="$SHOT" "file://$HTML" > "$WORK/chrome.log" 2>&1
rc=$?
secs=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
sig=$(head -c 8 "$SHOT" 2> /dev/null | od -An -tx1 | tr -d ' \n')
if [ $rc -ne 0 ]; then
  not_ok "chromium screenshot" "exit $rc after ${secs}s (124 = timeout): $(grep -v dbus "$WORK/chrome.log" | tail -n 3)"
elif [ "$sig" != "89504e470d0a1a0a" ]; then
  not_ok "chromium screenshot" "$SHOT is missing or not a PNG (first bytes: ${sig:-none})"
else
  ok "chromium screenshot in ${secs}s ($(wc -c < "$SHOT") bytes)"
  if [ -n "${WORDLENS_SCREENSHOT_OUT:-}" ]; then
    cp "$SHOT" "$WORDLENS_SCREENSHOT_OUT" && echo "# screenshot copied to $WORDLENS_SCREENSHOT_OUT"
  fi
  if stats=$("$PY" "$ROOT/scripts/png_stats.py" "$SHOT" 2>&1) &&
    "$PY" -c "
import json, sys
s = json.loads(sys.argv[1])
assert s['non_white_fraction'] >= 0.01, 'only %.4f of the pixels are non-white' % s['non_white_fraction']
assert s['colours'] >= 3, 'only %d colours beyond white/black/grey' % s['colours']" "$stats" 2> "$WORK/py.err"; then
    ok "screenshot is not blank: $stats"
  else
    not_ok "screenshot content" "$stats $(tail -n 1 "$WORK/py.err")"
  fi
fi
finish
