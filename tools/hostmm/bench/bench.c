/*
 * bench.c - host benchmark of the buddy allocator (not a test).
 *
 * For each order, repeat: allocate a batch of blocks, free them in reverse
 * order; report nanoseconds per alloc+free pair, best of five runs (the
 * host is shared and noisy).  Built -O2 without
 * sanitizers and without DEBUG_VM (no poisoning), on the fake machine of
 * the host harness.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "tools/hostmm/hostmm.h"

#define BATCH 16

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* Returns ns per alloc+free pair over `rounds` batches. */
static double bench_order(unsigned int order, unsigned long rounds)
{
	struct page *pages[BATCH];
	double start = now_ns();

	for (unsigned long r = 0; r < rounds; r++) {
		for (int i = 0; i < BATCH; i++) {
			pages[i] = alloc_pages(GFP_KERNEL, order);
			if (!pages[i]) {
				fprintf(stderr, "bench: out of memory at order %u\n", order);
				exit(1);
			}
		}
		for (int i = BATCH - 1; i >= 0; i--)
			free_pages(pages[i], order);
	}
	return (now_ns() - start) / ((double)rounds * BATCH);
}

int main(void)
{
	static const unsigned int orders[] = { 0, 4, 9 };

	hostmm_boot();
	for (unsigned int i = 0; i < ARRAY_SIZE(orders); i++) {
		unsigned long rounds = 200000UL >> orders[i];

		double best = bench_order(orders[i], rounds);

		for (int run = 1; run < 5; run++) {
			double ns = bench_order(orders[i], rounds);

			best = ns < best ? ns : best;
		}
		printf("BENCH name=buddy_alloc_free arch=host order=%u ns_per_op=%.1f\n", orders[i], best);
	}
	if (nr_free_pages() != HOSTMM_FREE_PAGES) {
		fprintf(stderr, "bench: leaked %lu pages\n", HOSTMM_FREE_PAGES - nr_free_pages());
		return 1;
	}
	return 0;
}
