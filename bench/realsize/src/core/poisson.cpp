// Red-black SOR for -laplace(u) = f on the unit square, Dirichlet boundary. The inner loop is a 5-point
// stencil with a stride of two (one colour per sweep), which vectorizers handle only with gathers or
// by unrolling: it responds to vectorization, unrolling and scheduling flags.
#include "kernels.hpp"

#include <cmath>
#include <vector>

namespace core {

std::uint64_t relax_poisson(int n, int sweeps) {
    const int stride = n + 2;
    std::vector<double> u(static_cast<std::size_t>(stride) * stride, 0.0);
    std::vector<double> f(u.size(), 0.0);
    const double h = 1.0 / (n + 1);
    for (int i = 1; i <= n; ++i)
        for (int j = 1; j <= n; ++j)
            f[static_cast<std::size_t>(i) * stride + j] = std::sin(3.0 * i * h) * std::cos(2.0 * j * h) * h * h;
    const double omega = 1.9;
    double residual = 0;
    for (int sweep = 0; sweep < sweeps; ++sweep) {
        for (int colour = 0; colour < 2; ++colour) {
            for (int i = 1; i <= n; ++i) {
                double* row = &u[static_cast<std::size_t>(i) * stride];
                const double* up = row - stride;
                const double* down = row + stride;
                const double* rhs = &f[static_cast<std::size_t>(i) * stride];
                for (int j = 1 + ((i + colour) & 1); j <= n; j += 2) {
                    double gauss_seidel = 0.25 * (up[j] + down[j] + row[j - 1] + row[j + 1] + rhs[j]);
                    row[j] += omega * (gauss_seidel - row[j]);
                }
            }
        }
    }
    for (int i = 1; i <= n; ++i)
        for (int j = 1; j <= n; ++j) {
            std::size_t k = static_cast<std::size_t>(i) * stride + j;
            double r = 4 * u[k] - u[k - 1] - u[k + 1] - u[k - stride] - u[k + stride] - f[k];
            residual += r * r;
        }
    double centre = u[static_cast<std::size_t>(n / 2) * stride + n / 2];
    // Rounded so that harmless reassociation (a different but equally right order of sums) keeps the checksum.
    return static_cast<std::uint64_t>(std::llround(centre * 1e9)) * 31 + static_cast<std::uint64_t>(std::llround(std::sqrt(residual) * 1e12));
}

}  // namespace core
