/* pointer_chase: walks a linked list of 2^18 nodes laid out in shuffled order (4 MB, beyond L2), with a
   data-dependent three-way branch per node. Each step waits on the previous load, so it is latency- and
   branch-bound: vectorization does nothing here, while branch layout, if-conversion, inlining and
   prefetching can matter. Integer arithmetic keeps the checksum identical under any flag that preserves
   semantics.
   Usage: pointer_chase [walks]   (default 90 walks over the whole list) */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct node { struct node *next; uint32_t value; uint32_t weight; } node;

static long parse_scale(int argc, char **argv, long fallback) {
    if (argc < 2) return fallback;
    char *end;
    errno = 0;
    long v = strtol(argv[1], &end, 10);
    if (argc > 2 || end == argv[1] || *end != '\0' || errno != 0 || v <= 0) {
        fprintf(stderr, "usage: %s [walks > 0]\n", argv[0]);
        exit(2);
    }
    return v;
}

static uint32_t xorshift32(uint32_t *state) {
    *state ^= *state << 13; *state ^= *state >> 17; *state ^= *state << 5;
    return *state;
}

int main(int argc, char **argv) {
    long walks = parse_scale(argc, argv, 90);
    enum { COUNT = 1 << 18 };
    node *nodes = malloc(sizeof(node) * COUNT);
    uint32_t *order = malloc(sizeof(uint32_t) * COUNT);
    if (!nodes || !order) { fprintf(stderr, "out of memory\n"); return 1; }

    /* Fisher-Yates shuffle of the visiting order, then link the nodes in that order (one cycle). */
    uint32_t state = 88172645u;
    for (uint32_t i = 0; i < COUNT; i++) order[i] = i;
    for (uint32_t i = COUNT - 1; i > 0; i--) {
        uint32_t j = xorshift32(&state) % (i + 1);
        uint32_t t = order[i]; order[i] = order[j]; order[j] = t;
    }
    for (uint32_t i = 0; i < COUNT; i++) {
        nodes[order[i]].next = &nodes[order[(i + 1) % COUNT]];
        nodes[order[i]].value = xorshift32(&state);
        nodes[order[i]].weight = xorshift32(&state) % 7;
    }

    uint64_t checksum = 0;
    node *p = &nodes[order[0]];
    for (long walk = 0; walk < walks; walk++) {
        for (uint32_t step = 0; step < COUNT; step++) {
            uint32_t v = p->value;
            if (v & 1) checksum += v >> 3;
            else if (v % 3 == 0) checksum ^= (uint64_t)v << p->weight;
            else checksum = checksum * 3 + p->weight;
            p = p->next;
        }
    }
    printf("checksum %llu\n", (unsigned long long)checksum);
    free(order);
    free(nodes);
    return 0;
}
