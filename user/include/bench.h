/* bench.h - what the benchmarks (sysbench, faultbench, madvbench) share (user/lib/bench.c). */
#ifndef _BENCH_H
#define _BENCH_H
#include <stddef.h>

/* The architecture's name in BENCH lines: "x86_64" or "arm64" (uname's aarch64). */
const char *bench_arch(void);
/* Sort v[0..n) ascending (medians of a few runs). */
void bench_sort(unsigned long *v, int n);
/* A private anonymous RW mapping of len bytes starting at a multiple of align; NULL on failure. */
char *bench_map_aligned(size_t len, size_t align);
#endif
