// Splits text into the pieces byte-level BPE merges within ("words"), as
// GPT-2 and sentencepiece do: every line gets a leading space (so the first
// word is marked like the others), a word is a run of non-whitespace bytes
// together with the one space before it, and other whitespace forms pieces
// of its own. Pieces are cut at kMaxPieceBytes (at a UTF-8 boundary where
// possible) so memory stays bounded on any input. Concatenating a line's
// pieces and dropping the first byte gives the line back exactly.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tok {

class PieceScanner {
 public:
  static constexpr std::size_t kMaxPieceBytes = 256;

  // Feeds bytes; calls on_piece(std::string_view) for each piece and
  // on_eol() at each '\n' (after the line's last piece).
  template <class OnPiece, class OnEol>
  void feed(const char* data, std::size_t n, OnPiece&& on_piece, OnEol&& on_eol);
  // Ends the input: a last line without '\n' is finished as if it had one.
  template <class OnPiece, class OnEol>
  void finish(OnPiece&& on_piece, OnEol&& on_eol);
  // True if no byte of the current line has been fed yet.
  bool at_line_start() const { return fresh_; }

 private:
  static bool ws(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
  template <class OnPiece>
  void emit(std::size_t n, OnPiece&& on_piece);

  std::string cur_ = " ";  // the piece being built; starts with the line's leading space
  bool in_word_ = false;
  bool fresh_ = true;
};

template <class OnPiece>
void PieceScanner::emit(std::size_t n, OnPiece&& on_piece) {
  if (n == 0) return;
  on_piece(std::string_view(cur_).substr(0, n));
  cur_.erase(0, n);
}

template <class OnPiece, class OnEol>
void PieceScanner::feed(const char* data, std::size_t n, OnPiece&& on_piece, OnEol&& on_eol) {
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned char c = static_cast<unsigned char>(data[i]);
    if (c == '\n') {
      emit(cur_.size(), on_piece);
      on_eol();
      cur_.assign(1, ' ');
      in_word_ = false;
      fresh_ = true;
      continue;
    }
    fresh_ = false;
    if (ws(c)) {
      if (in_word_) emit(cur_.size(), on_piece);
      in_word_ = false;
    } else if (!in_word_) {
      // A space just before a word belongs to the word.
      if (!cur_.empty() && cur_.back() == ' ') emit(cur_.size() - 1, on_piece);
      else emit(cur_.size(), on_piece);
      in_word_ = true;
    }
    cur_.push_back(static_cast<char>(c));
    if (cur_.size() >= kMaxPieceBytes) {
      // Cut an over-long piece before its last, possibly incomplete, UTF-8 character.
      std::size_t j = cur_.size() - 1;
      while (j > 0 && (static_cast<unsigned char>(cur_[j]) & 0xC0) == 0x80 && cur_.size() - j < 4) --j;
      std::size_t cut = static_cast<unsigned char>(cur_[j]) >= 0xC0 && j > 0 ? j : cur_.size();
      emit(cut, on_piece);
    }
  }
}

template <class OnPiece, class OnEol>
void PieceScanner::finish(OnPiece&& on_piece, OnEol&& on_eol) {
  if (fresh_) return;
  emit(cur_.size(), on_piece);
  on_eol();
  cur_.assign(1, ' ');
  in_word_ = false;
  fresh_ = true;
}

}  // namespace tok
