/* Pointer chasing through a shuffled linked structure with a data-dependent branch per node: latency-bound
   and branchy, so vectorization does little while inlining, branch layout and prefetching can matter. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct node { struct node *next; uint32_t value; uint32_t weight; } node;

static uint32_t next_random(uint32_t *state) {
    *state ^= *state << 13; *state ^= *state >> 17; *state ^= *state << 5;
    return *state;
}

int main(int argc, char **argv) {
    long scale = 80;
    if (argc > 1) {
        char *end; scale = strtol(argv[1], &end, 10);
        if (*end != '\0' || scale <= 0) { fprintf(stderr, "usage: %s [walks > 0]\n", argv[0]); return 2; }
    }
    enum { COUNT = 1 << 18 };
    node *nodes = malloc(sizeof(node) * COUNT);
    uint32_t *order = malloc(sizeof(uint32_t) * COUNT);
    if (!nodes || !order) { fprintf(stderr, "out of memory\n"); return 1; }
    uint32_t state = 88172645u;
    for (uint32_t i = 0; i < COUNT; i++) order[i] = i;
    for (uint32_t i = COUNT - 1; i > 0; i--) { uint32_t j = next_random(&state) % (i + 1); uint32_t t = order[i]; order[i] = order[j]; order[j] = t; }
    for (uint32_t i = 0; i < COUNT; i++) {
        nodes[order[i]].next = &nodes[order[(i + 1) % COUNT]];
        nodes[order[i]].value = next_random(&state);
        nodes[order[i]].weight = next_random(&state) % 7;
    }

    uint64_t checksum = 0;
    node *p = &nodes[order[0]];
    for (long walk = 0; walk < scale; walk++) {
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
