// A worker's private copy of the most-written rows of a shared matrix.
//
// Under Hogwild every hierarchical-softmax prediction writes the rows of the
// inner nodes near the Huffman root (the root's row on every one of them),
// so two threads spend much of their time moving those cache lines between
// cores (bench/RESULTS.md, thread scaling: contention 0.34 with --update
// batch). HotRows gives each worker its own copy of rows [begin, end): the
// kernel reads and writes the copy, and every sync() (BatchKernel: every
// kHotSyncEvery centre words) adds what this worker
// changed since the last sync to the shared rows and takes the other
// workers' changes:
//
//   shared += local - base;   local = base = shared        (row by row)
//
// No update is lost (the shared add is Hogwild, as every other write); the
// other workers' updates to these rows reach this worker one sync later.
// flush() adds the changes and drops the copy: the next row() reloads it
// from the shared matrix, so the shared rows may be replaced in between
// (a checkpoint, an MPI sync).
#pragma once

#include <cstddef>

#include "common/aligned.h"

namespace w2v {

class HotRows {
 public:
  // Rows [begin, end) of shared are private; begin == end: none.
  HotRows(common::Matrix& shared, std::size_t begin, std::size_t end);

  // The row to read and write for row r of the shared matrix.
  float* row(std::size_t r) {
    if (r < begin_ || r >= end_) return shared_.row(r);
    if (!loaded_) load();
    return local_.data() + (r - begin_) * ld_;
  }
  // True if r is private (its row is in this worker's cache).
  bool hot(std::size_t r) const { return r >= begin_ && r < end_; }

  // Publishes this worker's changes and takes the others' (header comment).
  void sync();
  // Publishes this worker's changes and drops the copy.
  void flush();

 private:
  void load();

  common::Matrix& shared_;
  std::size_t begin_, end_, ld_;
  bool loaded_ = false;
  common::AlignedFloats local_;  // [end - begin, ld] the rows this worker trains
  common::AlignedFloats base_;   // [end - begin, ld] the shared rows as of the last load or sync
};

}  // namespace w2v
