/* dp_lcs: dynamic programming, the length of the longest common subsequence of DNA-like strings (4-letter
   alphabet), 3000 x 3000 cells per pair, with one rolling row. Each cell depends on its left neighbour, so
   the row loop is a serial chain of compare/max: it responds to if-conversion (cmov vs branches), unrolling
   and scheduling rather than to vectorization. The second string of each pair is a mutated copy of the
   first, so matches are frequent and the branch is hard to predict. Integer checksum.
   Usage: dp_lcs [pairs]   (default 64) */
#include "common.h"

enum { LEN = 3000 };

static unsigned lcs_length(const unsigned char *a, const unsigned char *b, uint32_t *row, uint64_t *row_fold) {
    for (int j = 0; j <= LEN; j++) row[j] = 0;
    for (int i = 1; i <= LEN; i++) {
        uint32_t diag = 0;                       /* row[i-1][j-1] */
        unsigned char ai = a[i - 1];
        for (int j = 1; j <= LEN; j++) {
            uint32_t up = row[j];                /* row[i-1][j] */
            uint32_t v;
            if (ai == b[j - 1]) v = diag + 1;
            else v = up > row[j - 1] ? up : row[j - 1];
            diag = up;
            row[j] = v;
        }
        *row_fold = *row_fold * 31 + row[(i * 7) % LEN + 1];
    }
    return row[LEN];
}

int main(int argc, char **argv) {
    long pairs = bench_scale(argc, argv, 64, "pairs");
    static unsigned char a[LEN], b[LEN];
    static uint32_t row[LEN + 1];
    static const unsigned char bases[4] = { 'A', 'C', 'G', 'T' };
    uint64_t state = 0xBF58476D1CE4E5B9ull;

    uint64_t checksum = 0;
    for (long p = 0; p < pairs; p++) {
        for (int i = 0; i < LEN; i++) a[i] = bases[xorshift64(&state) & 3];
        /* b: a copy of a with about 1 in 4 positions substituted, inserted after or deleted */
        int i = 0, j = 0;
        while (j < LEN) {
            uint64_t r = xorshift64(&state) % 16;
            if (r < 12 || i >= LEN) b[j++] = i < LEN ? a[i++] : bases[r & 3];
            else if (r < 14) { b[j++] = bases[xorshift64(&state) & 3]; i++; }   /* substitute */
            else if (r == 14) b[j++] = bases[xorshift64(&state) & 3];          /* insert */
            else i++;                                                          /* delete */
        }
        uint64_t row_fold = 0;
        unsigned len = lcs_length(a, b, row, &row_fold);
        checksum = checksum * 1000003u + len * 65537u + row_fold;
    }
    printf("checksum %llu\n", (unsigned long long)checksum);
    return 0;
}
