/* A 64-bit multiply-xorshift hash over bytes (8 bytes at a time, then the tail), and a byte comparison.
   Kept out of line in its own translation unit so that inlining them into the table's probe loop takes
   cross-unit optimization (-flto). */
#include <string.h>
#include "hashfn.h"

static uint64_t load64(const unsigned char *p) {
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v |= (uint64_t)p[i] << (8 * i);   /* little-endian, on any host */
    return v;
}

static uint64_t mix(uint64_t h) {
    h ^= h >> 33; h *= 0xFF51AFD7ED558CCDull;
    h ^= h >> 33; h *= 0xC4CEB9FE1A85EC53ull;
    return h ^ (h >> 33);
}

uint64_t hash_bytes(const unsigned char *p, size_t len, uint64_t seed) {
    uint64_t h = seed ^ (len * 0x9E3779B97F4A7C15ull);
    while (len >= 8) { h = (h ^ load64(p)) * 0x100000001B3ull; h ^= h >> 29; p += 8; len -= 8; }
    uint64_t tail = 0;
    for (size_t i = 0; i < len; i++) tail |= (uint64_t)p[i] << (8 * i);
    return mix(h ^ tail);
}

int bytes_equal(const unsigned char *a, const unsigned char *b, size_t len) {
    for (size_t i = 0; i < len; i++)
        if (a[i] != b[i]) return 0;
    return 1;
}
