/* Dense linear algebra: C = A * B on 32-bit integers, i-k-j loop order.
   Sensitive to vectorization, unrolling and loop interchange/blocking. Integer arithmetic, so the
   checksum is identical under any flag that preserves semantics. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint32_t next(uint32_t *state) {
    *state ^= *state << 13; *state ^= *state >> 17; *state ^= *state << 5;
    return *state;
}

int main(int argc, char **argv) {
    long scale = 200;
    if (argc > 1) {
        char *end; scale = strtol(argv[1], &end, 10);
        if (*end != '\0' || scale <= 0) { fprintf(stderr, "usage: %s [repetitions > 0]\n", argv[0]); return 2; }
    }
    enum { N = 256 };
    static uint32_t a[N][N], b[N][N], c[N][N];
    uint32_t state = 2463534242u;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) { a[i][j] = next(&state) & 0xff; b[i][j] = next(&state) & 0xff; }

    uint64_t checksum = 0;
    for (long r = 0; r < scale; r++) {
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) c[i][j] = 0;
        for (int i = 0; i < N; i++)
            for (int k = 0; k < N; k++) {
                uint32_t aik = a[i][k] + (uint32_t)r;
                for (int j = 0; j < N; j++) c[i][j] += aik * b[k][j];
            }
        for (int i = 0; i < N; i++) checksum = checksum * 31 + c[i][(i * 7 + r) % N];
    }
    printf("checksum %llu\n", (unsigned long long)checksum);
    return 0;
}
