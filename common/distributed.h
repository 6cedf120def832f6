// The processes of one job (MPI ranks under `mpirun`), and the few
// collectives the trainers need. This wrapper is the only place that
// includes mpi.h: built without MPI (WORDLENS_MPI=OFF, or OpenMPI absent),
// or started without mpirun, it is a single rank — rank() 0, size() 1,
// every collective a no-op or a copy — and the program runs as before.
// Collectives are called from the main thread only (MPI_THREAD_FUNNELED).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace common::dist {

// Starts MPI when this process was launched by mpirun (OMPI_COMM_WORLD_SIZE,
// PMI_SIZE or PMIX_RANK set) and MPI was compiled in; otherwise does
// nothing. Call once, first thing in main. finalize() at a normal exit.
void init(int* argc, char*** argv);
void finalize();

// True when wordlens was built with MPI.
bool compiled_in();
int rank();
int size();
inline bool is_root() { return rank() == 0; }
inline bool distributed() { return size() > 1; }

// Ends every rank of the job with `code` (MPI_Abort); a single rank exits.
[[noreturn]] void abort(int code);

void barrier();
// Element-wise sums over the ranks, in place, identical on every rank.
void allreduce_sum(float* data, std::size_t n);
void allreduce_sum(double* data, std::size_t n);
void allreduce_sum(std::uint64_t* data, std::size_t n);
// Rank 0's bytes to every rank (size and content).
void broadcast(std::string& bytes);
void broadcast(void* data, std::size_t bytes);
// Every rank's bytes, in rank order, on rank 0 (empty elsewhere).
std::vector<std::string> gather(const std::string& mine);

// Time spent in, and bytes handed to, the collectives above since init.
struct CommStats {
  double seconds = 0;
  std::uint64_t bytes = 0;  // payload this rank contributed (allreduce: n × element size)
  std::uint64_t calls = 0;
};
CommStats comm_stats();

}  // namespace common::dist
