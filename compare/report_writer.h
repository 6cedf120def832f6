// A small document model written twice: report.md (Markdown, pictures as
// .svg files beside it) and report.html (one self-contained page: styles
// and pictures inline, no external references, opens from disk).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace cmp {

struct ReportTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;  // each row header.size() cells
  std::vector<bool> numeric;                   // per column: right-aligned (optional)
};

struct ReportImage {
  std::string file;     // name of the .svg written beside report.md
  std::string caption;
  std::string svg;      // <svg ...>...</svg>
};

struct ReportSection {
  std::string title;
  std::vector<std::string> paragraphs;   // plain text (escaped in HTML; `code` spans kept)
  std::vector<ReportTable> tables;
  std::vector<ReportImage> images;
  std::vector<std::string> preformatted; // monospace blocks
};

struct Report {
  std::string title;
  std::vector<std::string> intro;        // plain paragraphs
  std::vector<ReportSection> sections;
};

// Creates dir if needed and writes report.md, report.html and every image
// file, each atomically (a failure leaves no partial file). Throws IoError
// or InputError (a row with the wrong number of cells, an image file name
// with a path separator).
void write_report(const std::string& dir, const Report& report);

std::string markdown_table(const ReportTable& t);

}  // namespace cmp
