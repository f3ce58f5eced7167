/*
 * test_anon_order.c - the RFC's order choice for an anonymous write fault
 * (mm/memory.c: order_fits_vma, anon_pick_order, anon_alloc_folio,
 * anon_map_rechecked) against an independent model, the tests the
 * anon-order lab (labs/anon-order) grades with test_fault.c's.
 *
 * test_fault.c holds the scripted cases (VMA edges, unaligned VMAs, set PTEs,
 * fallback, the injected race); here are the two a classic mistake slips
 * past there:
 *   - test_anon_order_pte_table_edge: a VMA across a PTE-table boundary, where
 *     a block that is not naturally aligned would fit the VMA but cross the
 *     table (and its ptep arithmetic run off the end of one table);
 *   - test_anon_order_random_model: random write, read, MADV_DONTNEED, knob,
 *     fragmentation and injected-race steps on a VMA of random bounds over
 *     two PTE tables.  A model of every page (none, the zero page, or data
 *     with a known byte) predicts each write fault's order: the highest
 *     enabled order whose naturally aligned block lies in the VMA and whose
 *     pages are all none, after the injected racer's page (the block's last)
 *     took its order and every larger one away; order 0 when memory is
 *     fragmented (buddy_fragment, nothing freed until it is undone).  After every step each page's PTE and contents must be the
 *     model's (a fault that mapped over a set PTE loses its data), each
 *     fresh folio naturally aligned, every page of it zero but the written
 *     byte; every 32 steps memmap_check() and the rmap check; at the end
 *     every page is free again.
 * HOSTMM_SEED=n picks the random test's seed (default 1).
 */
#include <stdio.h>
#include <stdlib.h>
#include "tools/hostmm/hostmm_vm.h"

/* ---- a VMA across a PTE-table boundary ---- */

/*
 * VMA [B + 2M - 64K, B + 2M + 64K): 32 pages, the PTE tables' boundary in
 * the middle.  Only order 5 (128K) enabled: the VMA could hold one 128K
 * block, but it would straddle the boundary (not naturally aligned), so
 * every fault is order 0.  Then with every order: each side gets the
 * largest aligned block inside its own table, and the other table's PTEs
 * stay none.
 */
static bool test_anon_order_pte_table_edge(void)
{
	const unsigned long edge = VM_BASE + K(2048);
	struct mm_struct *mm = vm_setup_mm(K(2048) - K(64), K(128));

	vm_policy_only(5);
	ASSERT_EQ(vm_fault(mm, edge - K(4), true), VM_FAULT_OK);
	ASSERT_EQ(vm_order_at(mm, edge - K(4)), 0);
	ASSERT_EQ(vm_fault(mm, edge, true), VM_FAULT_OK);
	ASSERT_EQ(vm_order_at(mm, edge), 0);
	ASSERT_TRUE(pte_none(vm_pte(mm, edge - K(8))));
	ASSERT_TRUE(pte_none(vm_pte(mm, edge + K(4))));
	ASSERT_EQ(sum_mthp_stat(5, MTHP_STAT_ANON_FAULT_ALLOC), 0);
	ASSERT_EQ(get_mm_counter(mm, MM_ANONPAGES), 2);
	ASSERT_EQ(vm_munmap(edge - K(64), K(128)), 0);

	ASSERT_EQ(vm_map_rw(edge - K(64), K(128)), (long)(edge - K(64)));
	vm_policy(THP_ALWAYS, THP_INHERIT);
	/* Below the edge: [2M-64K, 2M) is order 4, the whole of the VMA's first table part. */
	ASSERT_EQ(vm_fault(mm, edge - K(4), true), VM_FAULT_OK);
	ASSERT_EQ(vm_order_at(mm, edge - K(4)), 4);
	ASSERT_EQ(pte_pfn(vm_pte(mm, edge - K(64))), folio_pfn(vm_folio_at(mm, edge - K(4))));
	ASSERT_TRUE(pte_none(vm_pte(mm, edge)));
	/* Above it: [2M, 2M+64K), the first 16 entries of the next table. */
	ASSERT_EQ(vm_fault(mm, edge + K(60), true), VM_FAULT_OK);
	ASSERT_EQ(vm_order_at(mm, edge + K(60)), 4);
	ASSERT_EQ(pte_pfn(vm_pte(mm, edge)), folio_pfn(vm_folio_at(mm, edge + K(60))));
	ASSERT_EQ(sum_mthp_stat(4, MTHP_STAT_ANON_FAULT_ALLOC), 2);
	ASSERT_EQ(get_mm_counter(mm, MM_ANONPAGES), 32);
	debug_vm_check_mm_rmap(mm);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* ---- the random model ---- */

#define RM_PAGES	1024U		/* the window: two PTE tables from VM_BASE */
#define RM_STEPS	3000U
#define RM_NONE		(-1)		/* model page states; 0..255: data, that byte at offset 0 */
#define RM_ZERO		(-2)

static int rm_page[RM_PAGES];
static unsigned int rm_start, rm_end;	/* the VMA: pages [rm_start, rm_end) of the window */
static unsigned long rm_orders;		/* bit k: order k enabled (bit 0 always) */
static bool rm_fragmented;
static unsigned int rm_race;		/* injections left (fault_race_inject) */

/* Is every page of the aligned order-k block at page p in the VMA and none? */
static bool rm_block_free(unsigned int p, unsigned int k)
{
	unsigned int b = p & ~((1U << k) - 1);

	if (b < rm_start || b + (1U << k) > rm_end)
		return false;
	for (unsigned int i = b; i < b + (1U << k); i++)
		if (rm_page[i] != RM_NONE)
			return false;
	return true;
}

/*
 * The order a write fault on none page p maps, as the RFC picks it: the
 * highest enabled order whose block is free; the racer then maps the zero
 * page at the block's last page (when one injection is left and the order
 * is above 0), which the re-check sees: try again below that order.
 */
static unsigned int rm_expected_order(unsigned int p)
{
	unsigned long orders = rm_orders;

	for (;;) {
		unsigned int k = 0;

		for (unsigned int o = MTHP_MAX_ORDER; o > 0; o--) {
			if ((orders & (1UL << o)) && rm_block_free(p, o)) {
				k = o;
				break;
			}
		}
		if (rm_fragmented)
			k = 0;		/* no free block above order 0: the allocation falls back */
		if (!k || !rm_race)
			return k;
		rm_page[(p & ~((1U << k) - 1)) + (1U << k) - 1] = RM_ZERO;	/* the racer's page */
		rm_race--;
		orders &= (1UL << k) - 1;
	}
}

/* Every page of the window as the model says: PTE, zero page, contents. */
static bool rm_check_pages(struct mm_struct *mm, unsigned int step)
{
	for (unsigned int i = 0; i < RM_PAGES; i++) {
		pte_t pte = vm_pte(mm, VM_BASE + PG(i));
		const unsigned char *data;

		if (rm_page[i] == RM_NONE) {
			if (!pte_none(pte))
				printf("# step %u: page %u should be none\n", step, i);
			ASSERT_TRUE(pte_none(pte));
			continue;
		}
		if (!pte_present(pte))
			printf("# step %u: page %u (model %d) not mapped\n", step, i, rm_page[i]);
		ASSERT_TRUE(pte_present(pte));
		if (rm_page[i] == RM_ZERO) {
			ASSERT_EQ(pte_pfn(pte), page_to_pfn(zero_page));
			continue;
		}
		ASSERT_TRUE(pte_pfn(pte) != page_to_pfn(zero_page));
		data = page_address(pfn_to_page(pte_pfn(pte)));
		if (data[0] != rm_page[i])
			printf("# step %u: page %u holds %d, the model %d\n", step, i, data[0], rm_page[i]);
		ASSERT_EQ(data[0], rm_page[i]);
	}
	return true;
}

/* A write fault at none page p: the expected order, aligned, zeroed, mapped in order. */
static bool rm_write_none(struct mm_struct *mm, unsigned int p, unsigned char val, unsigned long *per_order)
{
	unsigned int k = rm_expected_order(p), b = p & ~((1U << k) - 1);
	struct folio *folio;

	ASSERT_EQ(vm_user_write(mm, VM_BASE + PG(p), val), VM_FAULT_OK);
	folio = vm_folio_at(mm, VM_BASE + PG(p));
	ASSERT_TRUE(folio != NULL);
	if (folio_order(folio) != k)
		printf("# write fault at page %u (VMA [%u,%u), orders %#lx): order %u, the model %u\n", p, rm_start,
		     rm_end, rm_orders, folio_order(folio), k);
	ASSERT_EQ(folio_order(folio), k);
	ASSERT_EQ(folio_pfn(folio) % (1UL << k), 0);
	for (unsigned int i = 0; i < (1U << k); i++) {
		const unsigned char *data = folio_address(folio) + PG(i);

		ASSERT_EQ(pte_pfn(vm_pte(mm, VM_BASE + PG(b + i))), folio_pfn(folio) + i);
		for (unsigned long off = b + i == p; off < PAGE_SIZE; off += 509)
			ASSERT_EQ(data[off], 0);
		rm_page[b + i] = 0;
	}
	rm_page[p] = val;
	per_order[k]++;
	return true;
}

/* New random knobs: each order 1..9 always or never (linux policy), or fragmentation flipped. */
static void rm_random_knobs(void)
{
	vm_policy(THP_NEVER, THP_NEVER);
	rm_orders = 1;
	for (unsigned int k = 1; k <= MTHP_MAX_ORDER; k++) {
		if (vm_rnd_below(2)) {
			anon_order_config.size[k] = THP_ALWAYS;
			rm_orders |= 1UL << k;
		}
	}
}

static bool test_anon_order_random_model(void)
{
	struct mm_struct *mm;
	struct buddy_frag frag;
	unsigned long per_order[MTHP_MAX_ORDER + 1] = { 0 }, races = 0;
	const char *seed = getenv("HOSTMM_SEED");

	vm_rng = seed ? strtoull(seed, NULL, 0) : 1;
	if (!vm_rng)
		vm_rng = 1;	/* xorshift: never 0 */
	rm_start = (unsigned int)vm_rnd_below(RM_PAGES / 2);
	rm_end = rm_start + 1 + (unsigned int)vm_rnd_below(RM_PAGES - rm_start);
	mm = vm_setup_mm(PG(rm_start), PG(rm_end - rm_start));
	for (unsigned int i = 0; i < RM_PAGES; i++)
		rm_page[i] = RM_NONE;
	rm_fragmented = false;
	rm_race = 0;
	rm_random_knobs();
	for (unsigned int step = 0; step < RM_STEPS; step++) {
		unsigned int op = (unsigned int)vm_rnd_below(100);
		unsigned int p = rm_start + (unsigned int)vm_rnd_below(rm_end - rm_start);

		if (op < 55) {
			unsigned char val = (unsigned char)(1 + vm_rnd_below(255));

			if (rm_page[p] == RM_NONE) {
				if (!rm_write_none(mm, p, val, per_order))
					return false;
			} else {	/* a write to a data page, or the zero page's CoW: that page only */
				ASSERT_EQ(vm_user_write(mm, VM_BASE + PG(p), val), VM_FAULT_OK);
				rm_page[p] = val;
			}
		} else if (op < 70) {
			ASSERT_EQ(vm_user_read(mm, VM_BASE + PG(p)), rm_page[p] < 0 ? 0 : rm_page[p]);
			if (rm_page[p] == RM_NONE)
				rm_page[p] = RM_ZERO;
		} else if (op < 85 && !rm_fragmented) {	/* a free while fragmented would make blocks */
			unsigned int n = 1 + (unsigned int)vm_rnd_below(64);

			if (n > rm_end - p)
				n = rm_end - p;
			ASSERT_EQ(vm_madvise(VM_BASE + PG(p), PG(n), MADV_DONTNEED), 0);
			for (unsigned int i = p; i < p + n; i++)
				rm_page[i] = RM_NONE;
		} else if (op < 92) {
			rm_random_knobs();
		} else if (op < 96) {
			if (rm_fragmented)
				buddy_unfragment(&frag);
			else
				buddy_fragment(&frag);
			rm_fragmented = !rm_fragmented;
		} else if (!rm_race) {
			ASSERT_EQ(vm_fault_race_inject("1"), 1);
			rm_race = 1;
			races++;
		}
		if (!rm_check_pages(mm, step))
			return false;
		if (step % 32 == 0) {
			memmap_check();
			debug_vm_check_mm_rmap(mm);
		}
	}
	if (rm_fragmented)
		buddy_unfragment(&frag);
	vm_fault_race_inject("0");
	printf("# test_anon_order_random_model: VMA [%u,%u), %u steps, faults per order 0..9: %lu %lu %lu %lu %lu %lu "
	     "%lu %lu %lu %lu, %lu races armed\n", rm_start, rm_end, RM_STEPS, per_order[0], per_order[1],
	     per_order[2], per_order[3], per_order[4], per_order[5], per_order[6], per_order[7], per_order[8],
	     per_order[9], races);
	ASSERT_TRUE(per_order[0] > 0 && races > 0);
	memmap_check();
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

const struct hostmm_test anon_order_tests[] = {
	HOSTMM_TEST(test_anon_order_pte_table_edge),
	HOSTMM_TEST(test_anon_order_random_model),
	{ NULL, NULL },
};
