/* hash: word counting with an open-addressing (linear probing) hash table keyed by byte strings of 4-30
   bytes: a stream of 2^20 tokens drawn with a skewed distribution from a 30k-word vocabulary, then
   lookups of present and absent words. Hashing a short string, probing a 2^16-slot table and comparing
   keys, with a working set (about 2 MB) near the L2 size: it responds to inlining of the hash and compare
   (in hashfn.c, another unit: -flto), unrolling of the byte loops and branch layout. Integer checksum,
   independent of the order in which the table is walked.
   Usage: hash [passes]   (default 9) */
#include <string.h>
#include "common.h"
#include "hashfn.h"

enum { VOCAB = 30000, TOKENS = 1 << 20, SLOTS = 1 << 16, MAX_WORD = 32 };

typedef struct { uint32_t tag; uint32_t word; uint32_t count; uint32_t len; } slot;   /* word == 0: empty */

static unsigned char words[VOCAB + 1][MAX_WORD];   /* word 0 unused, so 0 can mean "empty slot" */
static uint8_t word_len[VOCAB + 1];
static slot table[SLOTS];

static void make_vocabulary(uint64_t *state) {
    static const char *syllables[] = { "ka", "to", "ri", "zen", "mo", "la", "qua", "shi", "pe", "dor",
                                       "x", "un", "bel", "tr", "io", "gha", "s", "wy", "nn", "e" };
    for (uint32_t w = 1; w <= VOCAB; w++) {
        size_t len = 0;
        uint64_t r = xorshift64(state);
        int parts = 2 + (int)(r % 9);
        for (int p = 0; p < parts && len < MAX_WORD - 6; p++) {   /* at most 28 letters */
            const char *s = syllables[xorshift64(state) % 20];
            while (*s) words[w][len++] = (unsigned char)*s++;
        }
        words[w][len++] = (unsigned char)('0' + w % 10);          /* two digits: fewer duplicates */
        words[w][len++] = (unsigned char)('0' + w / 10 % 10);
        word_len[w] = (uint8_t)len;
    }
}

/* Insert the word or add one to its count; returns the slot. */
static slot *upsert(uint32_t w) {
    uint64_t h = hash_bytes(words[w], word_len[w], 0x51ED27u);
    uint32_t tag = (uint32_t)(h >> 32);
    for (uint32_t i = (uint32_t)h & (SLOTS - 1);; i = (i + 1) & (SLOTS - 1)) {
        slot *s = &table[i];
        if (s->word == 0) { s->tag = tag; s->word = w; s->len = word_len[w]; s->count = 1; return s; }
        if (s->tag == tag && s->len == word_len[w] && bytes_equal(words[s->word], words[w], word_len[w])) { s->count++; return s; }
    }
}

static uint32_t lookup(const unsigned char *key, size_t len) {
    uint64_t h = hash_bytes(key, len, 0x51ED27u);
    uint32_t tag = (uint32_t)(h >> 32);
    for (uint32_t i = (uint32_t)h & (SLOTS - 1);; i = (i + 1) & (SLOTS - 1)) {
        const slot *s = &table[i];
        if (s->word == 0) return 0;
        if (s->tag == tag && s->len == len && bytes_equal(words[s->word], key, len)) return s->count;
    }
}

int main(int argc, char **argv) {
    long passes = bench_scale(argc, argv, 9, "passes");
    uint64_t state = 0x853C49E6748FEA9Bull;
    make_vocabulary(&state);

    uint64_t checksum = 0;
    for (long pass = 0; pass < passes; pass++) {
        /* Skewed token stream: the minimum of two uniform draws favours low word numbers. */
        memset(table, 0, sizeof table);
        uint64_t inserted = 0;
        for (uint32_t t = 0; t < TOKENS; t++) {
            uint64_t r = xorshift64(&state);
            uint32_t a = (uint32_t)(r % VOCAB), b = (uint32_t)((r >> 32) % VOCAB);
            inserted += upsert(1 + (a < b ? a : b))->count;
        }

        /* Lookups: every word of the vocabulary, and the same words with their last byte changed. */
        uint64_t found = 0;
        unsigned char probe[MAX_WORD];
        for (uint32_t w = 1; w <= VOCAB; w++) {
            found += lookup(words[w], word_len[w]) * (uint64_t)w;
            memcpy(probe, words[w], word_len[w]);
            probe[word_len[w] - 1] ^= 0x20;
            found += lookup(probe, word_len[w]);
        }

        uint64_t fold = 0;   /* a sum over slots: independent of where each word landed */
        for (uint32_t i = 0; i < SLOTS; i++)
            if (table[i].word) fold += (uint64_t)table[i].word * 2654435761u * table[i].count;
        checksum = checksum * 1000003u + (fold ^ inserted ^ (found << 20));
    }
    printf("checksum %llu\n", (unsigned long long)checksum);
    return 0;
}
