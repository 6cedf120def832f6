#include "compare/report_writer.h"

#include <filesystem>
#include <initializer_list>
#include <string_view>

#include "common/atomic_file.h"
#include "common/errors.h"
#include "compare/svg_chart.h"

namespace cmp {

namespace {

// out += every piece (instead of chains of operator+, which GCC 12 flags
// with a false -Wrestrict warning).
void cat(std::string& out, std::initializer_list<std::string_view> pieces) {
  for (auto p : pieces) out.append(p.data(), p.size());
}

void check(const Report& r) {
  for (const auto& s : r.sections) {
    for (const auto& t : s.tables)
      for (const auto& row : t.rows)
        if (row.size() != t.header.size())
          throw common::InputError("report table in '" + s.title + "': a row has " + std::to_string(row.size()) +
                           " cells for " + std::to_string(t.header.size()) + " columns");
    for (const auto& im : s.images)
      if (im.file.empty() || im.file.find('/') != std::string::npos || im.file.find('\\') != std::string::npos)
        throw common::InputError("report image name '" + im.file + "' must be a plain file name");
  }
}

// Plain text with `code` spans.
std::string html_text(const std::string& s) {
  std::string out;
  bool code = false;
  std::string piece;
  for (char c : s) {
    if (c == '`') {
      out += xml_escape(piece);
      piece.clear();
      out += code ? "</code>" : "<code>";
      code = !code;
    } else {
      piece += c;
    }
  }
  out += xml_escape(piece);
  if (code) out += "</code>";
  return out;
}

std::string md_cell(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else if (c == '\n') out += ' ';
    else out += c;
  }
  return out;
}

const char* kStyle =
    "body{font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;max-width:1100px;margin:2em auto;"
    "padding:0 1em;color:#222;line-height:1.45}h1{font-size:1.7em}h2{border-bottom:1px solid #ddd;"
    "padding-bottom:.2em;margin-top:1.8em}table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;"
    "padding:.3em .7em}th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums}"
    "figure{margin:1em 0;overflow-x:auto}figcaption{color:#555;font-size:.9em}pre{background:#f7f7f7;"
    "padding:.7em;overflow-x:auto;font-size:.85em}code{background:#f3f3f3;padding:0 .2em}"
    ".figs{display:flex;flex-wrap:wrap;gap:0 1.5em;align-items:flex-start}";

std::string html_table(const ReportTable& t) {
  std::string h = "<table>\n<tr>";
  for (const auto& c : t.header) cat(h, {"<th>", xml_escape(c), "</th>"});
  h += "</tr>\n";
  for (const auto& row : t.rows) {
    h += "<tr>";
    for (std::size_t i = 0; i < row.size(); ++i) {
      const bool num = i < t.numeric.size() && t.numeric[i];
      h += num ? "<td class=\"num\">" : "<td>";
      h += xml_escape(row[i]);
      h += "</td>";
    }
    h += "</tr>\n";
  }
  return h + "</table>\n";
}

void write_file(const std::string& path, const std::string& text) {
  common::AtomicFile f(path);
  f.write(text);
  f.commit();
}

}  // namespace

std::string markdown_table(const ReportTable& t) {
  std::string m = "|";
  for (const auto& c : t.header) cat(m, {" ", md_cell(c), " |"});
  m += "\n|";
  for (std::size_t i = 0; i < t.header.size(); ++i) m += i < t.numeric.size() && t.numeric[i] ? "--:|" : "---|";
  m += "\n";
  for (const auto& row : t.rows) {
    m += "|";
    for (const auto& c : row) cat(m, {" ", md_cell(c), " |"});
    m += "\n";
  }
  return m;
}

void write_report(const std::string& dir, const Report& r) {
  check(r);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw common::IoError("cannot create the report directory '" + dir + "': " + ec.message());
  std::string md, html;
  cat(md, {"# ", r.title, "\n\n"});
  cat(html, {"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>", xml_escape(r.title),
             "</title>\n<style>", kStyle, "</style>\n</head>\n<body>\n<h1>", xml_escape(r.title), "</h1>\n"});
  for (const auto& p : r.intro) {
    cat(md, {p, "\n\n"});
    cat(html, {"<p>", html_text(p), "</p>\n"});
  }
  for (const auto& s : r.sections) {
    cat(md, {"## ", s.title, "\n\n"});
    cat(html, {"<h2>", xml_escape(s.title), "</h2>\n"});
    for (const auto& p : s.paragraphs) {
      cat(md, {p, "\n\n"});
      cat(html, {"<p>", html_text(p), "</p>\n"});
    }
    for (const auto& t : s.tables) {
      cat(md, {markdown_table(t), "\n"});
      html += html_table(t);
    }
    for (const auto& pre : s.preformatted) {
      cat(md, {"```\n", pre, pre.empty() || pre.back() != '\n' ? "\n" : "", "```\n\n"});
      cat(html, {"<pre>", xml_escape(pre), "</pre>\n"});
    }
    if (!s.images.empty()) html += "<div class=\"figs\">\n";
    for (const auto& im : s.images) {
      cat(md, {"![", md_cell(im.caption), "](", im.file, ")\n\n"});
      cat(html, {"<figure>\n", im.svg, "\n<figcaption>", html_text(im.caption), "</figcaption>\n</figure>\n"});
    }
    if (!s.images.empty()) html += "</div>\n";
  }
  html += "</body>\n</html>\n";
  // Images first, the documents that reference them last.
  for (const auto& s : r.sections)
    for (const auto& im : s.images) write_file((std::filesystem::path(dir) / im.file).string(), im.svg + "\n");
  write_file((std::filesystem::path(dir) / "report.md").string(), md);
  write_file((std::filesystem::path(dir) / "report.html").string(), html);
}

}  // namespace cmp
