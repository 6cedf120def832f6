// Raw text read paragraph by paragraph, in constant memory, for `normalize`:
// with kBlank, consecutive non-blank lines are joined with one space into a
// paragraph (a blank line — empty or only whitespace — ends it); with kLine,
// every line is a paragraph. A paragraph stops growing at max_bytes: it ends
// at the line end that reaches the cap, and a single line longer than that
// is cut into pieces at an ASCII space (or, with none, at a UTF-8 character
// boundary). CRLF reads like LF; a UTF-8 byte order mark at the start is
// skipped. Every paragraph knows where its bytes came from (line and byte),
// so that errors can name them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tok {

enum class ParagraphMode { kBlank, kLine };

// "blank", "line" and the parse (OptionError "WHAT: 'x' is not one of blank, line").
std::string_view to_string(ParagraphMode m);
ParagraphMode parse_paragraph_mode(std::string_view text, std::string_view what);

struct Paragraph {
  // Where a piece of text starts: its offset in `text`, its 1-based line,
  // and the byte of that line it starts at.
  struct Piece {
    std::size_t at = 0;
    std::uint64_t line = 0, line_byte = 0;
  };
  std::string text;
  std::vector<Piece> pieces;
  std::uint64_t lines = 0;  // input lines that ended inside this paragraph

  // The line (from 1) and the byte of that line (from 0) text[at] came from.
  std::pair<std::uint64_t, std::uint64_t> locate(std::size_t at) const;
};

class ParagraphReader {
 public:
  static constexpr std::size_t kMaxBytes = 1 << 20;

  // Opens `path` ("-" = standard input). InputError for a directory or a
  // path that cannot be opened, naming it.
  ParagraphReader(const std::string& path, ParagraphMode mode, std::size_t max_bytes = kMaxBytes);
  ParagraphReader(const ParagraphReader&) = delete;
  ParagraphReader& operator=(const ParagraphReader&) = delete;
  ~ParagraphReader();

  // The next paragraph that has text (blank paragraphs are skipped); false
  // at the end. InputError on a read error.
  bool next(Paragraph* p);

  const std::string& name() const { return name_; }
  std::uint64_t bytes_read() const { return consumed_; }  // input bytes taken so far
  std::uint64_t total_bytes() const { return total_; }    // input size, 0 if unknown (a pipe)
  std::uint64_t lines_read() const { return lines_; }  // lines taken so far (a last one without '\n' too)

 private:
  bool fill();  // reads more into buf_; false at the end of the input
  // The next line, or a max-sized piece of a longer one; false at the end.
  // *ended: the piece ends its line. *start_line / *start_byte: its origin.
  bool next_piece(std::string_view* piece, bool* ended, std::uint64_t* start_line, std::uint64_t* start_byte);

  std::string name_;
  int fd_ = -1;
  bool own_fd_ = false, eof_ = false, bom_checked_ = false;
  ParagraphMode mode_;
  std::size_t max_bytes_;
  std::string buf_;
  std::size_t pos_ = 0;
  std::uint64_t consumed_ = 0, total_ = 0;
  std::uint64_t line_ = 1, line_byte_ = 0;  // position of buf_[pos_]
  std::uint64_t lines_ = 0;
};

}  // namespace tok
