// The hot core of the realsize benchmark: three kernels that take nearly all of a run's time.
#pragma once
#include <cstdint>

namespace core {

// Red-black successive over-relaxation of a Poisson problem on an n x n grid (dense, vectorizable loops).
std::uint64_t relax_poisson(int n, int sweeps);

// Conjugate gradient on a sparse (CSR) matrix with n rows: indirect loads, reductions.
std::uint64_t solve_sparse(int n, int iterations);

// Shortest paths on a weighted grid graph with a binary heap, from several sources: branchy, pointer-light.
std::uint64_t route_grid(int side, int sources);

}  // namespace core
