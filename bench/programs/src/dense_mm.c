/* dense_mm: dense linear algebra, C = A * B on 512x512 doubles with cache blocking (64x64 tiles,
   i-k-j order inside a tile). The inner loop is a unit-stride multiply-add over a row of B and C, so it
   responds to vectorization and its width (-march), unrolling, and blocking/interchange decisions.
   The matrices hold small integers, so every product and sum is exact in double precision: the result
   does not depend on evaluation order or FMA contraction, and the checksum is an integer.
   Usage: dense_mm [repetitions]   (default 20) */
#include "common.h"

enum { N = 512, TILE = 64, LD = N + 8 };   /* rows padded: a 4 KB row stride would alias in the caches */
static double a[N][LD], b[N][LD], c[N][LD];

static void multiply(void) {
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) c[i][j] = 0.0;
    for (int ii = 0; ii < N; ii += TILE)
        for (int kk = 0; kk < N; kk += TILE)
            for (int jj = 0; jj < N; jj += TILE)
                for (int i = ii; i < ii + TILE; i++)
                    for (int k = kk; k < kk + TILE; k++) {
                        double aik = a[i][k];
                        for (int j = jj; j < jj + TILE; j++) c[i][j] += aik * b[k][j];
                    }
}

int main(int argc, char **argv) {
    long reps = bench_scale(argc, argv, 20, "repetitions");
    uint64_t state = 0x9E3779B97F4A7C15ull;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            a[i][j] = (double)((int)(xorshift64(&state) % 17) - 8);   /* -8..8 */
            b[i][j] = (double)((int)(xorshift64(&state) % 17) - 8);
        }

    uint64_t checksum = 0;
    for (long r = 0; r < reps; r++) {
        /* Change one column of A per repetition so no repetition repeats the last one's work. */
        int col = (int)(r % N);
        for (int i = 0; i < N; i++) a[i][col] = (double)((int)((a[i][col] + 9.0)) % 17 - 8);
        multiply();
        uint64_t fold = 0;   /* |c| <= 512 * 64: exact, and the sum of integers is order-independent */
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) fold += (uint64_t)(int64_t)c[i][j] * (uint64_t)(i * N + j + 1);
        checksum = checksum * 1000003u + fold;
    }
    printf("checksum %llu\n", (unsigned long long)checksum);
    return 0;
}
