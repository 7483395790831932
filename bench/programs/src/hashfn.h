/* Byte-string hash used by hash.c; defined in its own translation unit (hashfn.c). */
#ifndef HASHFN_H
#define HASHFN_H
#include <stddef.h>
#include <stdint.h>

uint64_t hash_bytes(const unsigned char *p, size_t len, uint64_t seed);
int bytes_equal(const unsigned char *a, const unsigned char *b, size_t len);

#endif
