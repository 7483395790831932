/* strsearch: string processing over a generated 2 MB English-like text: a tokenizer (a character-class
   state machine counting words, numbers, lines and word lengths) and substring search for eight patterns,
   with a first-byte scan for short patterns and Boyer-Moore-Horspool for long ones. Byte loops with
   data-dependent exits and table lookups: they respond to unrolling, loop versioning, branch layout and
   inlining; libc's strstr/memchr are deliberately not used, so all the work is compiled with the flags
   under test. Integer checksum.
   Usage: strsearch [passes]   (default 32) */
#include <string.h>
#include "common.h"

enum { TEXT = 2 << 20 };
static unsigned char text[TEXT];

static void make_text(uint64_t *state) {
    static const char *words[] = { "the", "of", "and", "compiler", "flags", "loop", "vector", "branch",
        "memory", "a", "to", "in", "is", "optimization", "register", "schedule", "inline", "function",
        "cache", "prefetch", "unroll", "interchange", "benchmark", "measure", "noise", "median" };
    size_t n = 0, line = 0;
    while (n < TEXT - 32) {
        uint64_t r = xorshift64(state);
        if (r % 23 == 0) n += (size_t)snprintf((char *)text + n, 16, "%u", (unsigned)(r >> 40) % 100000);
        else {
            const char *w = words[(r >> 8) % 26];
            size_t len = strlen(w);
            memcpy(text + n, w, len);
            if (r % 17 == 0) text[n] = (unsigned char)(text[n] - 'a' + 'A');
            n += len;
        }
        unsigned char sep = (r >> 20) % 11 == 0 ? ',' : (r >> 20) % 13 == 0 ? '.' : ' ';
        text[n++] = sep;
        if (n - line > 70) { text[n++] = '\n'; line = n; }
    }
    while (n < TEXT) text[n++] = ' ';
}

enum cls { SPACE, ALPHA, DIGIT, PUNCT, NEWLINE };
static uint8_t cls_of[256];

typedef struct { uint64_t words, numbers, lines, punct, length_hash; } token_stats;

static token_stats tokenize(const unsigned char *s, size_t n) {
    token_stats st = { 0, 0, 0, 0, 0 };
    enum cls state = SPACE;
    uint64_t len = 0;
    for (size_t i = 0; i < n; i++) {
        enum cls c = (enum cls)cls_of[s[i]];
        if (c == state && (c == ALPHA || c == DIGIT)) { len++; continue; }
        if (state == ALPHA) { st.words++; st.length_hash = st.length_hash * 31 + len; }
        else if (state == DIGIT) st.numbers++;
        if (c == NEWLINE) st.lines++;
        else if (c == PUNCT) st.punct++;
        state = c;
        len = 1;
    }
    if (state == ALPHA) st.words++;
    else if (state == DIGIT) st.numbers++;
    return st;
}

/* Short patterns: scan for the first byte, then compare the rest. Returns count; adds positions to *pos_sum. */
static uint64_t search_scan(const unsigned char *s, size_t n, const unsigned char *p, size_t m, uint64_t *pos_sum) {
    uint64_t count = 0;
    for (size_t i = 0; i + m <= n; i++) {
        if (s[i] != p[0]) continue;
        size_t k = 1;
        while (k < m && s[i + k] == p[k]) k++;
        if (k == m) { count++; *pos_sum += i; }
    }
    return count;
}

/* Long patterns: Boyer-Moore-Horspool with a bad-character shift table. */
static uint64_t search_horspool(const unsigned char *s, size_t n, const unsigned char *p, size_t m, uint64_t *pos_sum) {
    size_t shift[256];
    for (int c = 0; c < 256; c++) shift[c] = m;
    for (size_t k = 0; k + 1 < m; k++) shift[p[k]] = m - 1 - k;
    uint64_t count = 0;
    for (size_t i = 0; i + m <= n; i += shift[s[i + m - 1]]) {
        size_t k = m;
        while (k > 0 && s[i + k - 1] == p[k - 1]) k--;
        if (k == 0) { count++; *pos_sum += i; }
    }
    return count;
}

int main(int argc, char **argv) {
    long passes = bench_scale(argc, argv, 32, "passes");
    static const char *patterns[] = { "the", "loop", ", a", "12", "optimization", "prefetch unroll",
                                      "benchmark measure noise", "register schedule inline" };
    uint64_t state = 0x94D049BB133111EBull;
    make_text(&state);
    for (int c = 0; c < 256; c++)
        cls_of[c] = (uint8_t)((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ? ALPHA
                              : c >= '0' && c <= '9' ? DIGIT : c == '\n' ? NEWLINE : c == ' ' ? SPACE : PUNCT);

    uint64_t checksum = 0;
    for (long pass = 0; pass < passes; pass++) {
        /* Each pass looks at a different window, so no pass repeats another. */
        size_t off = (size_t)(pass * 4099) % 65536, n = TEXT - off;
        const unsigned char *s = text + off;
        token_stats st = tokenize(s, n);
        uint64_t pos_sum = 0, found = 0;
        for (int k = 0; k < 8; k++) {
            const unsigned char *p = (const unsigned char *)patterns[k];
            size_t m = strlen(patterns[k]);
            found = found * 131 + (m <= 4 ? search_scan(s, n, p, m, &pos_sum) : search_horspool(s, n, p, m, &pos_sum));
        }
        checksum = checksum * 1000003u + (st.words ^ st.numbers << 20 ^ st.lines << 40) + st.punct + st.length_hash + found + pos_sum;
    }
    printf("checksum %llu\n", (unsigned long long)checksum);
    return 0;
}
