/*
 * test_util.c - helpers shared by the host tests: the expected canonical
 * free-block decomposition, and draining memory to build exact states.
 */
#include "tools/hostmm/hostmm.h"

struct page *drained[HOSTMM_END_PFN];

/*
 * Greedy largest-aligned split of each free range: what a buddy allocator
 * with full merging must hold after boot (independent of memmap.c).
 */
void expected_free_blocks(unsigned long nr[11])
{
	memset(nr, 0, 11 * sizeof(nr[0]));
	for (unsigned int i = 0; i < hostmm_nr_free_ranges; i++) {
		unsigned long pfn = hostmm_free_ranges[i].start;

		while (pfn < hostmm_free_ranges[i].end) {
			unsigned int order = 10;

			while ((pfn & ((1UL << order) - 1)) ||
			       pfn + (1UL << order) > hostmm_free_ranges[i].end)
				order--;
			nr[order]++;
			pfn += 1UL << order;
		}
	}
}

void drain_all(void)
{
	struct page *page;

	memset(drained, 0, sizeof(drained));
	while ((page = alloc_pages(__GFP_NOWARN, 0)) != NULL)
		drained[page_to_pfn(page)] = page;
}

void undrain_range(unsigned long start, unsigned long end)
{
	for (unsigned long pfn = start; pfn < end; pfn++) {
		if (drained[pfn]) {
			free_pages(drained[pfn], 0);
			drained[pfn] = NULL;
		}
	}
}

void undrain_n(unsigned long n)
{
	for (unsigned long pfn = 0; pfn < HOSTMM_END_PFN && n; pfn++) {
		if (drained[pfn]) {
			undrain_range(pfn, pfn + 1);
			n--;
		}
	}
}

void drain_leaving(unsigned long n)
{
	drain_all();
	undrain_n(n);
}

void undrain_all(void)
{
	undrain_range(0, HOSTMM_END_PFN);
}
