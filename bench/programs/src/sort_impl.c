/* Quicksort (median of three, Hoare partition, recursion on the smaller side) finishing small ranges with
   insertion sort. It lives in its own translation unit and calls the comparison through a pointer, so only
   cross-unit optimization (-flto, with IPA constant propagation/cloning) can inline the comparison. */
#include "sort_impl.h"

enum { INSERTION_CUTOFF = 16 };

static void swap(record *a, record *b) { record t = *a; *a = *b; *b = t; }

static void insertion_sort(record *base, size_t n, record_less less) {
    for (size_t i = 1; i < n; i++) {
        record v = base[i];
        size_t j = i;
        while (j > 0 && less(&v, &base[j - 1])) { base[j] = base[j - 1]; j--; }
        base[j] = v;
    }
}

void sort_records(record *base, size_t n, record_less less) {
    while (n > INSERTION_CUTOFF) {
        size_t mid = n / 2;
        if (less(&base[mid], &base[0])) swap(&base[mid], &base[0]);
        if (less(&base[n - 1], &base[0])) swap(&base[n - 1], &base[0]);
        if (less(&base[n - 1], &base[mid])) swap(&base[n - 1], &base[mid]);
        record pivot = base[mid];
        size_t i = 0, j = n - 1;
        for (;;) {
            while (less(&base[i], &pivot)) i++;
            while (less(&pivot, &base[j])) j--;
            if (i >= j) break;
            swap(&base[i], &base[j]);
            i++; j--;
        }
        size_t left = j + 1;   /* [0, left) <= pivot <= [left, n) */
        if (left < n - left) { sort_records(base, left, less); base += left; n -= left; }
        else { sort_records(base + left, n - left, less); n = left; }
    }
    insertion_sort(base, n, less);
}
