/* 2D Jacobi heat stencil on a fixed-point grid (integers scaled by 2^16), two buffers swapped per step.
   Sensitive to vectorization, unrolling and alignment; integer math keeps the checksum flag-independent. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

enum { N = 512 };
static int32_t grid[2][N][N];

int main(int argc, char **argv) {
    long scale = 600;
    if (argc > 1) {
        char *end; scale = strtol(argv[1], &end, 10);
        if (*end != '\0' || scale <= 0) { fprintf(stderr, "usage: %s [steps/10 > 0]\n", argv[0]); return 2; }
    }
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            grid[0][i][j] = (i == 0 || j == 0 || i == N - 1 || j == N - 1) ? (100 << 16) : ((i * 31 + j * 17) % 97) << 12;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) grid[1][i][j] = grid[0][i][j];

    int cur = 0;
    for (long step = 0; step < scale * 10; step++) {
        int nxt = cur ^ 1;
        for (int i = 1; i < N - 1; i++)
            for (int j = 1; j < N - 1; j++)
                grid[nxt][i][j] = (grid[cur][i - 1][j] + grid[cur][i + 1][j] + grid[cur][i][j - 1] + grid[cur][i][j + 1]) >> 2;
        cur = nxt;
    }
    uint64_t checksum = 0;
    for (int i = 0; i < N; i += 3)
        for (int j = 0; j < N; j += 5) checksum = checksum * 1000003u + (uint32_t)grid[cur][i][j];
    printf("checksum %llu\n", (unsigned long long)checksum);
    return 0;
}
