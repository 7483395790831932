/* Shared by the benchmark programs: the optional scale argument and a deterministic PRNG. */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* argv[1], when given, must be a positive integer; otherwise print usage and exit 2. */
static inline long bench_scale(int argc, char **argv, long fallback, const char *meaning) {
    if (argc < 2) return fallback;
    char *end;
    errno = 0;
    long v = strtol(argv[1], &end, 10);
    if (argc > 2 || end == argv[1] || *end != '\0' || errno != 0 || v <= 0 || v > 1000000000L) {
        fprintf(stderr, "usage: %s [%s, a positive integer; default %ld]\n", argv[0], meaning, fallback);
        exit(2);
    }
    return v;
}

/* xorshift64: fixed seed in, same sequence out, on every compiler and flag set. */
static inline uint64_t xorshift64(uint64_t *state) {
    uint64_t x = *state;
    x ^= x << 13; x ^= x >> 7; x ^= x << 17;
    return *state = x;
}

static inline void *bench_alloc(size_t bytes) {
    void *p = malloc(bytes);
    if (!p) { fprintf(stderr, "out of memory (%zu bytes)\n", bytes); exit(1); }
    return p;
}

#endif
