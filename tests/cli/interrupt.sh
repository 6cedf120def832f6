#!/usr/bin/env bash
# Ctrl-C is honoured at once everywhere, not only once training has begun:
# while the vocabulary is being counted it ends the command with status 130,
# one line saying so, and nothing written.
WL=$(realpath "${1:?usage: interrupt.sh path/to/wordlens}")
. "$(dirname "$0")/lib.sh"

# One 480 MB line of words: counting it takes about 2 s on a fast core (an
# AMD EPYC counts 120 MB in 0.4 s, which ended before the Ctrl-C at 0.5 s).
yes "alpha beta gamma delta epsilon zeta eta theta" | head -c 480000000 | tr '\n' ' ' > "$WORK/long.txt"
"$WL" train -train "$WORK/long.txt" -output "$WORK/v.bin" -size 8 -iter 1 -threads 2 -min-count 1 \
  > /dev/null 2> "$WORK/err" &
pid=$!
sleep 0.5
start=$(date +%s%N)
kill -INT $pid
wait $pid
rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
if [ $rc -eq 130 ] && [ "$ms" -lt 1500 ] && grep -q "interrupted while counting the vocabulary" "$WORK/err" &&
   [ ! -e "$WORK/v.bin" ] && [ ! -e "$WORK/v.bin.ckpt" ] && ! ls "$WORK"/v.bin*.tmp-* > /dev/null 2>&1; then
  ok "Ctrl-C while counting: exit 130 after ${ms} ms, '$(tail -n 1 "$WORK/err")', nothing written"
else
  not_ok "Ctrl-C while counting" "exit $rc after ${ms} ms; $(tail -n 2 "$WORK/err"); left: $(ls "$WORK")"
fi
rm -f "$WORK/long.txt"

finish
