/* sort: sorts arrays of 2^18 16-byte records by (key, id) with a hand-written quicksort that takes the
   comparison as a function pointer (sort_impl.c, another translation unit). Branch-heavy with
   unpredictable compares: it responds to inlining across units (-flto), if-conversion and branch layout,
   and little to vectorization. Key distributions alternate between random, few distinct values and
   nearly sorted, to exercise different paths. Integer checksum.
   Usage: sort [arrays]   (default 16) */
#include "common.h"
#include "sort_impl.h"

enum { COUNT = 1 << 18 };

static int by_key_then_id(const record *a, const record *b) {
    if (a->key != b->key) return a->key < b->key;
    return a->id < b->id;
}

static void fill(record *r, long round, uint64_t *state) {
    for (uint32_t i = 0; i < COUNT; i++) {
        uint64_t x = xorshift64(state);
        uint64_t key;
        switch (round % 3) {
        case 0: key = x >> 16; break;                                          /* random 48-bit */
        case 1: key = x % 1000; break;                                         /* many duplicates */
        default: key = (uint64_t)i * 8 + (x % 64 == 0 ? x % 4096 : 0); break;  /* nearly sorted */
        }
        r[i].key = key;
        r[i].id = i;
        r[i].tag = (uint32_t)(x >> 40);
    }
}

int main(int argc, char **argv) {
    long arrays = bench_scale(argc, argv, 16, "arrays");
    record *r = bench_alloc(sizeof(record) * COUNT);
    uint64_t state = 0xA0761D6478BD642Full;
    uint64_t checksum = 0;
    for (long round = 0; round < arrays; round++) {
        fill(r, round, &state);
        sort_records(r, COUNT, by_key_then_id);
        uint64_t fold = 0;
        for (uint32_t i = 0; i < COUNT; i++) {
            if (i > 0 && by_key_then_id(&r[i], &r[i - 1])) { fprintf(stderr, "sort: not sorted at %u\n", i); return 1; }
            fold = fold * 31 + (r[i].key ^ r[i].tag) + (uint64_t)r[i].id * i;
        }
        checksum = checksum * 1000003u + fold;
    }
    printf("checksum %llu\n", (unsigned long long)checksum);
    free(r);
    return 0;
}
