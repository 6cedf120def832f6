// Typed exceptions thrown by library code. The CLI turns them into one-line
// messages and exit codes; library code never prints and never exits.
#pragma once

#include <stdexcept>
#include <string>

namespace common {

// Base of every wordlens error.
struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Bad input data: missing files, empty corpora, invalid UTF-8, NUL bytes.
struct InputError : Error {
  using Error::Error;
};

// Inconsistent or out-of-range options (size 0, neither hs nor negative, ...).
struct OptionError : Error {
  using Error::Error;
};

// Malformed, truncated or foreign model/vector/checkpoint files.
struct FormatError : Error {
  using Error::Error;
};

// Training produced non-finite numbers (too high a learning rate): stopped,
// nothing written.
struct DivergedError : Error {
  using Error::Error;
};

// Operating-system level failures while writing (disk full, permission).
struct IoError : Error {
  using Error::Error;
};

}  // namespace common
