/* bench.h - what the benchmarks (sysbench, faultbench, madvbench) share (user/lib/bench.c). */
#ifndef _BENCH_H
#define _BENCH_H
#include <stddef.h>

/* The architecture's name in BENCH lines: "x86_64" or "arm64" (uname's aarch64). */
const char *bench_arch(void);
/* Sort v[0..n) ascending (medians of a few runs). */
void bench_sort(unsigned long *v, int n);
/*
 * The folio orders named by argv[1..argc) ("4K" .. "2M"), or the ndef `defaults` when there
 * are none, into orders[0..max); returns how many, or -1 after printing prog's usage line
 * for a word that names no size.
 */
int bench_orders(int argc, char **argv, const char *prog, const unsigned int *defaults, int ndef,
		 unsigned int *orders, int max);
/* A private anonymous RW mapping of len bytes starting at a multiple of align; NULL on failure. */
char *bench_map_aligned(size_t len, size_t align);
#endif
