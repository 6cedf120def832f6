// A process-wide request to stop long work early (the CLI's Ctrl-C / SIGTERM
// handler sets it; library code never installs handlers). Trainers poll it
// between sentences or steps and write a checkpoint; work that cannot be
// resumed (counting a vocabulary, reading a corpus) throws Interrupted.
#pragma once

#include <atomic>
#include <string>

#include "common/errors.h"

namespace common {

// The work was stopped on request; nothing was written. The CLI exits 130.
struct Interrupted : Error {
  using Error::Error;
};

namespace detail {
inline std::atomic<bool> g_stop_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free, "set from a signal handler");
}  // namespace detail

// Async-signal-safe: a lock-free atomic store.
inline void request_stop() { detail::g_stop_requested.store(true, std::memory_order_relaxed); }
inline bool stop_requested() { return detail::g_stop_requested.load(std::memory_order_relaxed); }
inline void clear_stop_request() { detail::g_stop_requested.store(false, std::memory_order_relaxed); }

// Throws Interrupted("interrupted while WHAT") if a stop was requested.
inline void throw_if_stop_requested(const std::string& what) {
  if (stop_requested()) throw Interrupted("interrupted while " + what + "; nothing was written");
}

}  // namespace common
