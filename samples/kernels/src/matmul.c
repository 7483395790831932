/* matmul: dense linear algebra, C = A * B on 256x256 matrices of 32-bit integers, i-k-j loop order.
   The inner j loop is a long, unit-stride multiply-add over rows of B and C, so its speed depends on
   vectorization (and the vector width -march allows), unrolling and loop interchange/blocking.
   Integer arithmetic (wrapping uint32) keeps the checksum identical under any flag that preserves semantics.
   Usage: matmul [repetitions]   (default 170) */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

enum { N = 256 };
static uint32_t a[N][N], b[N][N], c[N][N];

static long parse_scale(int argc, char **argv, long fallback) {
    if (argc < 2) return fallback;
    char *end;
    errno = 0;
    long v = strtol(argv[1], &end, 10);
    if (argc > 2 || end == argv[1] || *end != '\0' || errno != 0 || v <= 0) {
        fprintf(stderr, "usage: %s [repetitions > 0]\n", argv[0]);
        exit(2);
    }
    return v;
}

static uint32_t xorshift32(uint32_t *state) {
    *state ^= *state << 13; *state ^= *state >> 17; *state ^= *state << 5;
    return *state;
}

int main(int argc, char **argv) {
    long reps = parse_scale(argc, argv, 170);
    uint32_t state = 2463534242u;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) { a[i][j] = xorshift32(&state) & 0xff; b[i][j] = xorshift32(&state) & 0xff; }

    uint64_t checksum = 0;
    for (long r = 0; r < reps; r++) {
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) c[i][j] = 0;
        for (int i = 0; i < N; i++)
            for (int k = 0; k < N; k++) {
                uint32_t aik = a[i][k] + (uint32_t)r;   /* differs per repetition: no work can be hoisted */
                for (int j = 0; j < N; j++) c[i][j] += aik * b[k][j];
            }
        /* Fold every element of C into the checksum, so no part of the product is dead. */
        uint32_t fold = 0;
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) fold ^= c[i][j] * (uint32_t)(2 * j + 1) + (uint32_t)i;
        checksum = checksum * 1000003u + fold;
    }
    printf("checksum %llu\n", (unsigned long long)checksum);
    return 0;
}
