/* compress: an LZ77 compressor and decompressor in the style of LZ4: a 4-byte hash with chains over a
   64 KB window (greedy parse, up to 32 candidates per position), byte-oriented tokens, then decompression
   and a byte-for-byte check of the round trip. Input: 1 MB of generated log-like text with numbers and
   some noise. Match-extension loops, hash-chain walks and unpredictable branches: it responds to
   unrolling, inlining, branch layout and loop versioning. Integer checksum over the compressed bytes.
   Usage: compress [rounds]   (default 20) */
#include <string.h>
#include "common.h"

enum { INPUT = 1 << 20, WINDOW = 1 << 16, HASH_BITS = 15, MAX_CHAIN = 32, MIN_MATCH = 4 };

static unsigned char input[INPUT], output[INPUT + INPUT / 8 + 64], restored[INPUT];
static int32_t head[1 << HASH_BITS];
static int32_t prev_pos[WINDOW];

static uint32_t hash4(const unsigned char *p) {
    uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    return (v * 2654435761u) >> (32 - HASH_BITS);
}

static unsigned char *put_length(unsigned char *out, size_t len) {   /* LZ4-style 255-continuation */
    while (len >= 255) { *out++ = 255; len -= 255; }
    *out++ = (unsigned char)len;
    return out;
}

static unsigned char *put_sequence(unsigned char *out, const unsigned char *lit, size_t lit_len, size_t match_len, size_t offset) {
    size_t ml = match_len ? match_len - MIN_MATCH : 0;
    *out++ = (unsigned char)((lit_len < 15 ? lit_len : 15) << 4 | (ml < 15 ? ml : 15));
    if (lit_len >= 15) out = put_length(out, lit_len - 15);
    for (size_t k = 0; k < lit_len; k++) *out++ = lit[k];
    if (match_len) {
        *out++ = (unsigned char)(offset & 0xff);
        *out++ = (unsigned char)(offset >> 8);
        if (ml >= 15) out = put_length(out, ml - 15);
    }
    return out;
}

/* Returns the compressed size. The last sequence has only literals (match length 0 and no offset). */
static size_t compress(const unsigned char *in, size_t n, unsigned char *out) {
    for (size_t k = 0; k < (1u << HASH_BITS); k++) head[k] = -1;
    unsigned char *o = out;
    size_t anchor = 0, i = 0;
    while (i + MIN_MATCH <= n) {
        uint32_t h = hash4(in + i);
        size_t best_len = 0, best_off = 0;
        int32_t cand = head[h];
        for (int chain = 0; chain < MAX_CHAIN && cand >= 0 && i - (size_t)cand < WINDOW; chain++) {
            const unsigned char *a = in + cand, *b = in + i;
            size_t len = 0, limit = n - i;
            while (len < limit && a[len] == b[len]) len++;
            if (len > best_len) { best_len = len; best_off = i - (size_t)cand; }
            cand = prev_pos[cand & (WINDOW - 1)];
        }
        prev_pos[i & (WINDOW - 1)] = head[h];
        head[h] = (int32_t)i;
        if (best_len >= MIN_MATCH) {
            o = put_sequence(o, in + anchor, i - anchor, best_len, best_off);
            for (size_t k = i + 1; k < i + best_len && k + MIN_MATCH <= n; k++) {   /* index the matched bytes */
                uint32_t hk = hash4(in + k);
                prev_pos[k & (WINDOW - 1)] = head[hk];
                head[hk] = (int32_t)k;
            }
            i += best_len;
            anchor = i;
        } else {
            i++;
        }
    }
    o = put_sequence(o, in + anchor, n - anchor, 0, 0);
    return (size_t)(o - out);
}

static size_t get_length(const unsigned char **p) {
    size_t len = 0;
    unsigned char b;
    do { b = *(*p)++; len += b; } while (b == 255);
    return len;
}

static size_t decompress(const unsigned char *in, size_t n, unsigned char *out) {
    const unsigned char *p = in, *end = in + n;
    unsigned char *o = out;
    while (p < end) {
        unsigned token = *p++;
        size_t lit = token >> 4;
        if (lit == 15) lit += get_length(&p);
        for (size_t k = 0; k < lit; k++) *o++ = *p++;
        if (p >= end) break;                       /* the last sequence has no match */
        size_t offset = (size_t)p[0] | (size_t)p[1] << 8;
        p += 2;
        size_t ml = token & 15;
        if (ml == 15) ml += get_length(&p);
        ml += MIN_MATCH;
        const unsigned char *from = o - offset;
        for (size_t k = 0; k < ml; k++) o[k] = from[k];   /* may overlap: byte by byte, forwards */
        o += ml;
    }
    return (size_t)(o - out);
}

static void make_input(uint64_t *state, long round) {
    static const char *fields[] = { "GET /index.html", "POST /api/v1/items", "status=200", "status=404",
        "user=alice", "user=bob", "latency_ms=", "bytes=", "cache=HIT", "cache=MISS", "region=eu-west" };
    size_t n = 0;
    while (n < INPUT - 64) {
        uint64_t r = xorshift64(state);
        if (r % 97 == 0) {                          /* a burst of noise */
            for (int k = 0; k < 24; k++) input[n++] = (unsigned char)(xorshift64(state) >> 56);
            continue;
        }
        const char *f = fields[r % 11];
        size_t len = strlen(f);
        memcpy(input + n, f, len);
        n += len;
        if (r % 3 == 0) n += (size_t)snprintf((char *)input + n, 24, "%llu", (unsigned long long)((r >> 20) % (1000u + (uint64_t)round * 10)));
        input[n++] = (r >> 12) % 9 == 0 ? '\n' : ' ';
    }
    while (n < INPUT) input[n++] = '\n';
}

int main(int argc, char **argv) {
    long rounds = bench_scale(argc, argv, 20, "rounds");
    uint64_t state = 0xE7037ED1A0B428DBull;
    uint64_t checksum = 0;
    for (long round = 0; round < rounds; round++) {
        make_input(&state, round);
        size_t packed = compress(input, INPUT, output);
        size_t unpacked = decompress(output, packed, restored);
        if (unpacked != INPUT || memcmp(input, restored, INPUT) != 0) {
            fprintf(stderr, "compress: round trip failed in round %ld\n", round);
            return 1;
        }
        uint64_t h = 0xCBF29CE484222325ull;        /* FNV-1a over the compressed stream */
        for (size_t k = 0; k < packed; k++) h = (h ^ output[k]) * 0x100000001B3ull;
        checksum = checksum * 1000003u + (h ^ packed);
    }
    printf("checksum %llu\n", (unsigned long long)checksum);
    return 0;
}
