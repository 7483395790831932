// Conjugate gradient on a symmetric positive definite sparse matrix in CSR form: a 2D 5-point Laplacian
// plus symmetric long-range couplings, so the matrix-vector product gathers from far-apart rows.
#include "kernels.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace core {

namespace {

struct Csr {
    std::vector<int> row_start;
    std::vector<int> column;
    std::vector<double> value;
};

Csr build_matrix(int side) {
    const int n = side * side;
    std::vector<std::vector<std::pair<int, double>>> rows(n);
    std::uint64_t state = 0x243F6A8885A308D3ull;
    auto couple = [&](int a, int b, double w) {
        rows[a].emplace_back(b, -w);
        rows[b].emplace_back(a, -w);
        rows[a].emplace_back(a, w);
        rows[b].emplace_back(b, w);
    };
    for (int i = 0; i < side; ++i)
        for (int j = 0; j < side; ++j) {
            int k = i * side + j;
            if (j + 1 < side) couple(k, k + 1, 1.0);
            if (i + 1 < side) couple(k, k + side, 1.0);
            state ^= state << 13; state ^= state >> 7; state ^= state << 17;
            if (state % 4 == 0) couple(k, static_cast<int>((state >> 20) % n), 0.25);
        }
    Csr m;
    m.row_start.push_back(0);
    for (int r = 0; r < n; ++r) {
        auto& entries = rows[r];
        std::sort(entries.begin(), entries.end());
        double diagonal_shift = 0.01;  // strictly positive definite
        int last = -1;
        for (auto [c, v] : entries) {
            if (c == r) v += diagonal_shift, diagonal_shift = 0;
            if (c == last) m.value.back() += v;
            else { m.column.push_back(c); m.value.push_back(v); last = c; }
        }
        m.row_start.push_back(static_cast<int>(m.column.size()));
    }
    return m;
}

void multiply(const Csr& m, const std::vector<double>& x, std::vector<double>& y) {
    const int n = static_cast<int>(y.size());
    for (int r = 0; r < n; ++r) {
        double sum = 0;
        for (int k = m.row_start[r]; k < m.row_start[r + 1]; ++k) sum += m.value[k] * x[m.column[k]];
        y[r] = sum;
    }
}

double dot(const std::vector<double>& a, const std::vector<double>& b) {
    double sum = 0;
    for (std::size_t i = 0; i < a.size(); ++i) sum += a[i] * b[i];
    return sum;
}

}  // namespace

std::uint64_t solve_sparse(int side, int iterations) {
    Csr m = build_matrix(side);
    const std::size_t n = static_cast<std::size_t>(side) * side;
    std::vector<double> b(n), x(n, 0.0), r(n), p(n), ap(n);
    for (std::size_t i = 0; i < n; ++i) b[i] = std::sin(0.001 * static_cast<double>(i)) + 1.0;
    r = b;
    p = r;
    double rr = dot(r, r);
    for (int it = 0; it < iterations && rr > 1e-30; ++it) {
        multiply(m, p, ap);
        double alpha = rr / dot(p, ap);
        for (std::size_t i = 0; i < n; ++i) {
            x[i] += alpha * p[i];
            r[i] -= alpha * ap[i];
        }
        double rr_next = dot(r, r);
        double beta = rr_next / rr;
        rr = rr_next;
        for (std::size_t i = 0; i < n; ++i) p[i] = r[i] + beta * p[i];
    }
    double norm = std::sqrt(dot(x, x));
    return static_cast<std::uint64_t>(std::llround(norm * 1e6));
}

}  // namespace core
