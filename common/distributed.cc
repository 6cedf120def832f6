#include "common/distributed.h"

#include <chrono>
#include <climits>
#include <cstdlib>
#include <cstring>

#ifdef WORDLENS_HAVE_MPI
#include <mpi.h>
#endif

namespace common::dist {

namespace {

CommStats g_stats;
int g_rank = 0, g_size = 1;
bool g_active = false;  // MPI_Init was called

// Counts one collective's time and payload.
class Timed {
 public:
  explicit Timed(std::uint64_t bytes) : t0_(std::chrono::steady_clock::now()) {
    g_stats.bytes += bytes;
    ++g_stats.calls;
  }
  ~Timed() { g_stats.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count(); }

 private:
  std::chrono::steady_clock::time_point t0_;
};

bool launched_by_mpirun() {
  return std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMI_SIZE") || std::getenv("PMIX_RANK");
}

#ifdef WORDLENS_HAVE_MPI
constexpr std::size_t kChunk = std::size_t{1} << 28;  // elements per MPI call (counts are int)

template <class T>
void allreduce_chunks(T* data, std::size_t n, MPI_Datatype type) {
  if (!g_active || g_size == 1) return;
  Timed t(n * sizeof(T));
  for (std::size_t i = 0; i < n; i += kChunk) {
    const std::size_t k = std::min(kChunk, n - i);
    MPI_Allreduce(MPI_IN_PLACE, data + i, static_cast<int>(k), type, MPI_SUM, MPI_COMM_WORLD);
  }
}
#endif

}  // namespace

bool compiled_in() {
#ifdef WORDLENS_HAVE_MPI
  return true;
#else
  return false;
#endif
}

void init(int* argc, char*** argv) {
#ifdef WORDLENS_HAVE_MPI
  if (g_active || !launched_by_mpirun()) return;
  int provided = 0;
  MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
  g_active = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &g_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &g_size);
#else
  (void)argc, (void)argv;
#endif
}

void finalize() {
#ifdef WORDLENS_HAVE_MPI
  if (!g_active) return;
  MPI_Finalize();
  g_active = false;
#endif
}

int rank() { return g_rank; }
int size() { return g_size; }

void abort(int code) {
#ifdef WORDLENS_HAVE_MPI
  if (g_active && g_size > 1) MPI_Abort(MPI_COMM_WORLD, code);
#endif
  std::exit(code);
}

void barrier() {
#ifdef WORDLENS_HAVE_MPI
  if (!g_active || g_size == 1) return;
  Timed t(0);
  MPI_Barrier(MPI_COMM_WORLD);
#endif
}

void allreduce_sum(float* data, std::size_t n) {
#ifdef WORDLENS_HAVE_MPI
  allreduce_chunks(data, n, MPI_FLOAT);
#else
  (void)data, (void)n;
#endif
}

void allreduce_sum(double* data, std::size_t n) {
#ifdef WORDLENS_HAVE_MPI
  allreduce_chunks(data, n, MPI_DOUBLE);
#else
  (void)data, (void)n;
#endif
}

void allreduce_sum(std::uint64_t* data, std::size_t n) {
#ifdef WORDLENS_HAVE_MPI
  allreduce_chunks(data, n, MPI_UINT64_T);
#else
  (void)data, (void)n;
#endif
}

void broadcast(void* data, std::size_t bytes) {
#ifdef WORDLENS_HAVE_MPI
  if (!g_active || g_size == 1) return;
  Timed t(bytes);
  auto* p = static_cast<char*>(data);
  for (std::size_t i = 0; i < bytes; i += kChunk) {
    const std::size_t k = std::min(kChunk, bytes - i);
    MPI_Bcast(p + i, static_cast<int>(k), MPI_BYTE, 0, MPI_COMM_WORLD);
  }
#else
  (void)data, (void)bytes;
#endif
}

void broadcast(std::string& bytes) {
  if (g_size == 1) return;
  std::uint64_t n = bytes.size();
  broadcast(&n, sizeof n);
  bytes.resize(n);
  broadcast(bytes.data(), n);
}

std::vector<std::string> gather(const std::string& mine) {
#ifdef WORDLENS_HAVE_MPI
  if (g_active && g_size > 1) {
    Timed t(mine.size());
    const int n = static_cast<int>(mine.size());  // a shard's vocabulary or worker states: < 2 GB
    std::vector<int> sizes(static_cast<std::size_t>(g_size)), offsets(static_cast<std::size_t>(g_size));
    MPI_Gather(&n, 1, MPI_INT, sizes.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
    std::string all;
    if (g_rank == 0) {
      long total = 0;
      for (int r = 0; r < g_size; ++r) {
        offsets[static_cast<std::size_t>(r)] = static_cast<int>(total);
        total += sizes[static_cast<std::size_t>(r)];
      }
      all.resize(static_cast<std::size_t>(total));
    }
    MPI_Gatherv(mine.data(), n, MPI_BYTE, all.data(), sizes.data(), offsets.data(), MPI_BYTE, 0, MPI_COMM_WORLD);
    std::vector<std::string> out;
    if (g_rank == 0)
      for (int r = 0; r < g_size; ++r)
        out.push_back(all.substr(static_cast<std::size_t>(offsets[static_cast<std::size_t>(r)]),
                                 static_cast<std::size_t>(sizes[static_cast<std::size_t>(r)])));
    return out;
  }
#endif
  return {mine};
}

CommStats comm_stats() { return g_stats; }

}  // namespace common::dist
