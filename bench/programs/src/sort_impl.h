/* A generic in-place sort of records through a comparison callback (like qsort, but typed). */
#ifndef SORT_IMPL_H
#define SORT_IMPL_H
#include <stddef.h>
#include <stdint.h>

typedef struct { uint64_t key; uint32_t id; uint32_t tag; } record;
typedef int (*record_less)(const record *a, const record *b);

void sort_records(record *base, size_t n, record_less less);

#endif
