/* bench.h - what the benchmarks (sysbench, faultbench, madvbench, cowbench) share (user/lib/bench.c). */
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
/* The median of field f over runs[0..n) (n <= 16), as unsigned long. */
#define BENCH_MEDIAN(runs, n, f) ({ unsigned long __v[16]; \
	for (int __i = 0; __i < (n); __i++) __v[__i] = (runs)[__i].f; \
	bench_sort(__v, (n)); __v[(n) / 2]; })
/*
 * Make order k the only anonymous folio size ("always", the others "never"; k = 0: every
 * large size never; order 1 also needs allow_order1) when have_knobs; 0, or -1 after
 * printing "# prog: size S: cannot set the knobs: skipped" (k > 0 without knobs too).
 */
int bench_only_size(const char *prog, unsigned int k, int have_knobs);
/*
 * The mTHP counter hugepages-<S>kB/stats/<name> of order k > 0; for k = 0 the sum over every
 * size (0 when no large folio was counted); -1 where k's file is unreadable.
 */
long bench_size_stat(unsigned int k, const char *name);
/* Microseconds per fork + child _exit + wait4, over n of them (sysbench's and threadbench's fork_exit_wait). */
unsigned long long bench_fork_exit_wait_us(int n);
/* A private anonymous RW mapping of len bytes starting at a multiple of align; NULL on failure. */
char *bench_map_aligned(size_t len, size_t align);
#endif
