/* stencil3d: 7-point 3D Jacobi heat stencil on a 128^3 float grid (8 MB per buffer, two buffers), one
   hot face, the rest of the boundary cold. A streaming loop nest with three neighbouring planes live
   at once: it responds to vectorization, unrolling, prefetching and loop blocking.
   The update (six neighbours + 2 * centre) * 0.125 uses only exact scalings by powers of two besides the
   additions, which the compiler must keep in source order, so the result is the same with or without
   FMA contraction; the checksum is an integer sum over the bit patterns of the final grid.
   Usage: stencil3d [sweeps]   (default 400) */
#include <string.h>
#include "common.h"

enum { N = 128 };
#define AT(g, z, y, x) (g)[((size_t)(z) * N + (size_t)(y)) * N + (size_t)(x)]

static void sweep(const float *restrict in, float *restrict out) {
    for (int z = 1; z < N - 1; z++)
        for (int y = 1; y < N - 1; y++)
            for (int x = 1; x < N - 1; x++)
                AT(out, z, y, x) = (AT(in, z - 1, y, x) + AT(in, z + 1, y, x) + AT(in, z, y - 1, x) +
                                    AT(in, z, y + 1, x) + AT(in, z, y, x - 1) + AT(in, z, y, x + 1) +
                                    2.0f * AT(in, z, y, x)) * 0.125f;
}

int main(int argc, char **argv) {
    long sweeps = bench_scale(argc, argv, 400, "sweeps");
    size_t cells = (size_t)N * N * N;
    float *grid[2] = { bench_alloc(sizeof(float) * cells), bench_alloc(sizeof(float) * cells) };
    uint64_t state = 0xD1B54A32D192ED03ull;
    for (int z = 0; z < N; z++)
        for (int y = 0; y < N; y++)
            for (int x = 0; x < N; x++) {
                float v;
                if (z == 0) v = 100.0f;                                     /* hot face */
                else if (z == N - 1 || y == 0 || y == N - 1 || x == 0 || x == N - 1) v = 0.0f;
                else v = (float)(xorshift64(&state) % 64);                  /* rough interior */
                AT(grid[0], z, y, x) = v;
            }
    memcpy(grid[1], grid[0], sizeof(float) * cells);

    int cur = 0;
    for (long s = 0; s < sweeps; s++) {
        sweep(grid[cur], grid[cur ^ 1]);
        cur ^= 1;
    }

    uint64_t checksum = 0;
    for (size_t i = 0; i < cells; i++) {
        uint32_t bits;
        memcpy(&bits, &grid[cur][i], sizeof bits);
        checksum += (uint64_t)bits * (i % 1021 + 1);
    }
    printf("checksum %llu\n", (unsigned long long)checksum);
    free(grid[0]); free(grid[1]);
    return 0;
}
