/* spmv: sparse linear algebra, repeated y = A * x with A in CSR form (2^18 rows, 6-14 nonzeros per row:
   a band plus scattered columns, some far away). The gathers x[col[k]] make it memory-bound with
   irregular access; the short, variable-length inner loop responds to unrolling/peeling, prefetching
   (-fprefetch-loop-arrays) and, with gathers, -march.
   A holds small nonzero integers and x integers in [0, 1023], so every sum is exact in double precision
   (independent of order and FMA) and the checksum is an integer.
   Usage: spmv [iterations]   (default 90) */
#include "common.h"

enum { ROWS = 1 << 18, MAX_ROW = 14 };

typedef struct { uint32_t *row_start; uint32_t *col; double *val; } csr;

static csr build_matrix(uint64_t *state) {
    csr m;
    m.row_start = bench_alloc(sizeof(uint32_t) * (ROWS + 1));
    m.col = bench_alloc(sizeof(uint32_t) * (size_t)ROWS * MAX_ROW);
    m.val = bench_alloc(sizeof(double) * (size_t)ROWS * MAX_ROW);
    uint32_t nnz = 0;
    for (uint32_t i = 0; i < ROWS; i++) {
        m.row_start[i] = nnz;
        uint32_t cols[MAX_ROW];
        int n = 0;
        cols[n++] = i;                                  /* diagonal */
        cols[n++] = (i + 1) % ROWS;
        cols[n++] = (i + ROWS - 1) % ROWS;
        cols[n++] = (i + 512) % ROWS;                   /* a 2D-grid-like neighbour */
        int extra = 2 + (int)(xorshift64(state) % 9);   /* 2..10 more: near, then far */
        for (int e = 0; e < extra; e++) {
            uint64_t r = xorshift64(state);
            cols[n++] = e < extra - 1 ? (uint32_t)((i + (r % 4096)) % ROWS) : (uint32_t)(r % ROWS);
        }
        for (int p = 1; p < n; p++)                     /* sorted columns, as CSR usually has */
            for (int q = p; q > 0 && cols[q - 1] > cols[q]; q--) { uint32_t t = cols[q]; cols[q] = cols[q - 1]; cols[q - 1] = t; }
        for (int p = 0; p < n; p++) {
            int v = (int)(xorshift64(state) % 6) - 3;   /* -3..2, never 0 */
            m.col[nnz] = cols[p];
            m.val[nnz] = (double)(v >= 0 ? v + 1 : v);
            nnz++;
        }
    }
    m.row_start[ROWS] = nnz;
    return m;
}

static void multiply(const csr *m, const double *x, double *y) {
    for (uint32_t i = 0; i < ROWS; i++) {
        double sum = 0.0;
        for (uint32_t k = m->row_start[i]; k < m->row_start[i + 1]; k++) sum += m->val[k] * x[m->col[k]];
        y[i] = sum;
    }
}

int main(int argc, char **argv) {
    long iterations = bench_scale(argc, argv, 90, "iterations");
    uint64_t state = 0x2545F4914F6CDD1Dull;
    csr m = build_matrix(&state);
    double *x = bench_alloc(sizeof(double) * ROWS);
    double *y = bench_alloc(sizeof(double) * ROWS);
    for (uint32_t i = 0; i < ROWS; i++) x[i] = (double)(xorshift64(&state) % 1024);

    uint64_t checksum = 0;
    for (long it = 0; it < iterations; it++) {
        multiply(&m, x, y);
        /* Fold y into the checksum and map it back to [0, 1023] as the next x (|y| < 2^17: exact). */
        uint64_t fold = 0;
        for (uint32_t i = 0; i < ROWS; i++) {
            int64_t v = (int64_t)y[i];
            fold += (uint64_t)v * (2 * i + 1);
            x[i] = (double)(((uint64_t)v * 2654435761u + (uint64_t)it) >> 7 & 1023);
        }
        checksum = checksum * 1000003u + fold;
    }
    printf("checksum %llu\n", (unsigned long long)checksum);
    free(m.row_start); free(m.col); free(m.val); free(x); free(y);
    return 0;
}
