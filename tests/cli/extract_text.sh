#!/usr/bin/env bash
# scripts/extract_text.py, which turns the Debian packages of
# scripts/fetch_corpus_ru.sh into running text: on small files of every kind
# (HTML, a gzipped roff man page, a CRLF fortune file, a .mo catalogue) the
# Russian paragraphs come out, one per line, markup, code listings, English
# and repeated paragraphs do not; bad input fails with a message naming it.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WL=${1:-}
source "$ROOT/tests/cli/lib.sh"
EXTRACT="$ROOT/scripts/extract_text.py"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3) || { echo "skipped: python3 not found"; exit 77; }

cat > "$WORK/page.html" <<'EOF'
<html><head><title>Заголовок из head пропускается</title><script>var x = "скрипт не текст вовсе";</script></head>
<body><div class="nav">Назад Вперёд Содержание Справка</div>
<h1>Работа с цифровыми фотографиями</h1>
<p>Одно из наиболее распространённых применений &laquo;GIMP&raquo; &mdash; исправление
   цифровых фотографий.</p>
<pre>gimp --batch "код на русском тоже пропускается"</pre>
<p>This paragraph is English and has only один русский word.</p>
<ul><li>Первый пункт списка здесь</li><li>Второй пункт списка здесь</li></ul>
</body></html>
EOF
# The same navigation bar on a second page: kept once.
printf '<p>Назад Вперёд Содержание Справка</p><p>Вторая страница с другим текстом.</p>\n' > "$WORK/page2.html"

cat > "$WORK/hosts.5" <<'EOF'
.\" комментарий с русскими словами не текст
.TH hosts 5 "30 октября 2022 г."
.SH ОПИСАНИЕ
Данная справочная страница описывает формат файла \fI/etc/hosts\fP. Это
простой текстовый файл\(em он связывает IP\-адреса с именами узлов.
.SH СИНТАКСИС
.nf
пример кода в блоке nf
.fi
.TP
\fBначальная загрузка системы\fP
Большинство систем имеют маленькую таблицу узлов.
.PP
.B "Жирный текст макроса"
остаётся в абзаце.
EOF
gzip -9 "$WORK/hosts.5"

printf 'Аппетит приходит и уходит, а кушать хочется всегда.\r\n\t\t-- Евгений Кащеев\r\n%%\r\nБеззубым остаётся в утешение око за око.\r\n%%\r\n' > "$WORK/fortune"

"$PY" - "$WORK/ru.mo" <<'PY'
import struct, sys
pairs = [(b"", b"Content-Type: text/plain; charset=UTF-8\n"),
         (b"Open the file", "Открыть этот файл сейчас".encode()),
         (b"one file\0%d files", "один файл на диске\0%d файла на диске\0%d файлов на диске".encode())]
n = len(pairs); head = 28; orig = head; trans = orig + 8 * n; data = trans + 8 * n
blob, otab, ttab = b"", b"", b""
for k, _ in pairs:
    otab += struct.pack("<2I", len(k), data + len(blob)); blob += k + b"\0"
for _, v in pairs:
    ttab += struct.pack("<2I", len(v), data + len(blob)); blob += v + b"\0"
open(sys.argv[1], "wb").write(struct.pack("<7I", 0x950412DE, 0, n, orig, trans, 0, 0) + otab + ttab + blob)
PY

printf 'docs\thtml\t%s\ndocs\thtml\t%s\nman\tman\t%s\nfun\tfortune\t%s\nl10n\tmo\t%s\n' \
  "$WORK/page.html" "$WORK/page2.html" "$WORK/hosts.5.gz" "$WORK/fortune" "$WORK/ru.mo" > "$WORK/list.tsv"
if "$PY" "$EXTRACT" --manifest "$WORK/list.tsv" --output "$WORK/out.txt" 2> "$WORK/summary"; then
  ok "extract_text.py runs on HTML, man, fortune and .mo files"
else
  not_ok "extract_text.py runs" "$(cat "$WORK/summary")"
fi
out="$WORK/out.txt"

expect_line() {  # NAME LINE: LINE is one whole line of the output
  if grep -qxF -- "$2" "$out"; then ok "$1"; else not_ok "$1" "no line '$2' in: $(head -c 600 "$out")"; fi
}
expect_absent() {  # NAME TEXT: TEXT is nowhere in the output
  if grep -qF -- "$2" "$out"; then not_ok "$1" "'$2' found in the output"; else ok "$1"; fi
}
expect_line "HTML: entities decoded, line breaks inside a paragraph joined" \
  "Одно из наиболее распространённых применений «GIMP» — исправление цифровых фотографий."
expect_line "HTML: list items are paragraphs" "Первый пункт списка здесь"
expect_absent "HTML: <head>, <script> and <pre> skipped" "пропускается"
expect_absent "HTML: <script> skipped" "скрипт"
expect_absent "mostly English paragraphs dropped" "This paragraph"
n=$(grep -cxF "Назад Вперёд Содержание Справка" "$out")
if [ "$n" = 1 ]; then ok "a repeated paragraph is kept once"; else not_ok "repeated paragraph" "kept $n times"; fi
expect_line "man: escapes decoded, lines of a paragraph joined" \
  "Данная справочная страница описывает формат файла /etc/hosts. Это простой текстовый файл— он связывает IP-адреса с именами узлов."
expect_line "man: the .TP tag is its own paragraph" "начальная загрузка системы"
expect_line "man: macro text stays in its paragraph" "Жирный текст макроса остаётся в абзаце."
expect_absent "man: comments and .nf blocks skipped" "комментарий"
expect_absent "man: .nf block skipped" "пример кода"
expect_line "fortune: CRLF entries split at %" "Аппетит приходит и уходит, а кушать хочется всегда. -- Евгений Кащеев"
expect_line "mo: translations, not the English originals" "Открыть этот файл сейчас"
expect_line "mo: each plural form" "%d файлов на диске"
expect_absent "mo: msgid not taken" "Open the file"
# Paragraphs of a document end with a blank line; none is empty otherwise.
if [ "$(grep -c '^$' "$out")" = 5 ]; then ok "one blank line after each of the 5 documents"
else not_ok "blank lines" "$(grep -c '^$' "$out") blank lines"; fi
if awk '$1 == "man" && $2 == 1 && $4 > 20 {m = 1} $1 == "l10n" && $2 == 1 && $3 == 4 {l = 1} END {exit !(m && l)}' "$WORK/summary"; then
  ok "summary table: files, paragraphs and Russian words per source"
else
  not_ok "summary table" "$(cat "$WORK/summary")"
fi

# Bad input: one line naming the file, exit 1, no output file.
bad() {  # NAME PATTERN MANIFEST-CONTENT
  printf '%b' "$3" > "$WORK/bad.tsv"
  rm -f "$WORK/bad.txt"
  "$PY" "$EXTRACT" --manifest "$WORK/bad.tsv" --output "$WORK/bad.txt" > /dev/null 2> "$WORK/err"
  local rc=$?
  if [ $rc -eq 1 ] && [ "$(grep -c . "$WORK/err")" = 1 ] && grep -qE -- "$2" "$WORK/err" && [ ! -e "$WORK/bad.txt" ]; then
    ok "$1 ($(cat "$WORK/err"))"
  else
    not_ok "$1" "rc=$rc output=$([ -e "$WORK/bad.txt" ] && echo left) $(cat "$WORK/err")"
  fi
}
bad "unknown kind" "bad.tsv:1: expected SOURCE<TAB>KIND<TAB>PATH" "x\tpdf\t$WORK/page.html\n"
bad "missing file" "cannot read $WORK/nope.html" "x\thtml\t$WORK/nope.html\n"
printf 'not a catalogue at all, just text' > "$WORK/bad.mo"
bad "not a .mo file" "bad.mo: not a gettext .mo file" "x\tmo\t$WORK/bad.mo\n"
head -c 40 "$WORK/ru.mo" > "$WORK/short.mo"
bad "truncated .mo file" "short.mo: truncated .mo file" "x\tmo\t$WORK/short.mo\n"
printf 'not gzip' > "$WORK/fake.1.gz"
bad "not gzip" "fake.1.gz: not a valid gzip file" "x\tman\t$WORK/fake.1.gz\n"

finish
