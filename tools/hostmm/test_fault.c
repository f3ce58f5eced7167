/*
 * test_fault.c - the variable-order anonymous write fault (mm/memory.c with
 * mm/anon_order.c): which order a fault picks (alignment, VMA edges, PTEs
 * already set, the policy's combination rules), fallback when the buddy
 * allocator cannot give large blocks, folio metadata after the fault, the
 * re-check under the PTE lock (fault_race_inject), and the entry above it
 * all (mm/fault.c: do_page_fault, fault_user_address).
 */
#include "tools/hostmm/hostmm_vm.h"


/* Every PTE of [start, start + nr pages) maps page i of folio, writable and dirty. */
static bool folio_mapped_at(struct mm_struct *mm, struct folio *folio, unsigned long start)
{
	unsigned long nr = folio_nr_pages(folio);

	for (unsigned long i = 0; i < nr; i++) {
		pte_t pte = vm_pte(mm, start + PG(i));

		ASSERT_TRUE(pte_present(pte));
		ASSERT_EQ(pte_pfn(pte), folio_pfn(folio) + i);
		ASSERT_TRUE(pte_write(pte));
		ASSERT_TRUE(pte_dirty(pte));
	}
	return true;
}

/* ---- (1) order choice ---- */

static bool test_fault_64k_always(void)
{
	struct mm_struct *mm = vm_setup_mm(0, K(2048));
	struct folio *folio;

	vm_policy_only(4);
	ASSERT_EQ(vm_fault(mm, VM_BASE + 0x13456, true), VM_FAULT_OK);
	folio = vm_folio_at(mm, VM_BASE + 0x13000);
	ASSERT_TRUE(folio != NULL);
	ASSERT_EQ(folio_order(folio), 4);
	ASSERT_EQ(folio_pfn(folio) % 16, 0);
	if (!folio_mapped_at(mm, folio, VM_BASE + 0x10000))
		return false;
	ASSERT_TRUE(pte_none(vm_pte(mm, VM_BASE + 0xf000)));
	ASSERT_TRUE(pte_none(vm_pte(mm, VM_BASE + 0x20000)));
	ASSERT_EQ(sum_mthp_stat(4, MTHP_STAT_ANON_FAULT_ALLOC), 1);
	ASSERT_EQ(sum_pgalloc_order(4), 1);
	ASSERT_EQ(get_mm_counter(mm, MM_ANONPAGES), 16);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* Each size alone, fault in the middle of a 2 MiB VMA: exactly that order, aligned. */
static bool test_fault_each_order_alone(void)
{
	for (unsigned int k = 1; k <= MTHP_MAX_ORDER; k++) {
		struct mm_struct *mm = vm_setup_mm(0, K(2048));
		unsigned long addr = VM_BASE + PG(300) + 0x123;
		struct folio *folio;

		vm_policy_only(k);
		ASSERT_EQ(vm_fault(mm, addr, true), VM_FAULT_OK);
		folio = vm_folio_at(mm, addr);
		ASSERT_TRUE(folio != NULL);
		ASSERT_EQ(folio_order(folio), k);
		if (!folio_mapped_at(mm, folio, ALIGN_DOWN(addr, PAGE_SIZE << k)))
			return false;
		ASSERT_EQ(sum_mthp_stat(k, MTHP_STAT_ANON_FAULT_ALLOC), 1);
		ASSERT_EQ(sum_mthp_stat(k, MTHP_STAT_NR_ANON), 1);
		ASSERT_EQ(atomic_long_read(&nr_anon_pages), 1UL << k);
		ASSERT_EQ(sum_vm_event(THP_FAULT_ALLOC), k == 9 ? 1 : 0);
		vm_mm_put(mm);
		ASSERT_EQ(nr_free_pages(), vm_free_start);
		ASSERT_EQ(atomic_long_read(&nr_anon_pages), 0);
		ASSERT_EQ(sum_mthp_stat(k, MTHP_STAT_NR_ANON), 0);
	}
	return true;
}

/* VMA [B+5 pages, B+37 pages): the highest order whose aligned block fits. */
static bool test_fault_vma_edges(void)
{
	static const struct { unsigned int page; int order; unsigned int start; } cases[] = {
		{ 5, 0, 5 },	/* [4,6) starts below the VMA */
		{ 6, 1, 6 },	/* [6,8) fits, [4,8) does not */
		{ 8, 3, 8 },	/* [8,16) fits, [0,16) does not */
		{ 16, 4, 16 },	/* [16,32) fits, [0,32) does not */
		{ 33, 2, 32 },	/* [32,36) fits, [32,40) passes the end (37) */
		{ 36, 0, 36 },	/* [36,38) passes the end */
	};
	struct mm_struct *mm = vm_setup_mm(PG(5), PG(32));

	vm_policy(THP_ALWAYS, THP_INHERIT);
	for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
		unsigned long addr = VM_BASE + PG(cases[i].page);
		struct folio *folio;

		ASSERT_EQ(vm_fault(mm, addr, true), VM_FAULT_OK);
		folio = vm_folio_at(mm, addr);
		ASSERT_TRUE(folio != NULL);
		ASSERT_EQ(folio_order(folio), cases[i].order);
		ASSERT_EQ(pte_pfn(vm_pte(mm, VM_BASE + PG(cases[i].start))), folio_pfn(folio));
	}
	/* Pages 5..36 all mapped now: 32 pages. */
	ASSERT_EQ(get_mm_counter(mm, MM_ANONPAGES), 32);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* An unaligned VMA start/end in the middle of a 2 MiB region. */
static bool test_fault_unaligned_vma(void)
{
	/* VMA [B+0x3000, B+0x43000): 64 pages starting at page 3. */
	struct mm_struct *mm = vm_setup_mm(0x3000, 0x40000);

	vm_policy(THP_ALWAYS, THP_INHERIT);
	/* Page 40: order 5 [32,64) fits, order 6 [0,64) starts below 3. */
	ASSERT_EQ(vm_fault(mm, VM_BASE + PG(40), true), VM_FAULT_OK);
	ASSERT_EQ(vm_order_at(mm, VM_BASE + PG(40)), 5);
	/* Page 64: order 1 [64,66) fits (end 67), order 2 [64,68) does not. */
	ASSERT_EQ(vm_fault(mm, VM_BASE + PG(64), true), VM_FAULT_OK);
	ASSERT_EQ(vm_order_at(mm, VM_BASE + PG(64)), 1);
	/* Page 3: order 0.  Page 4: order 2 [4,8). Page 20: order 4 [16,32). */
	ASSERT_EQ(vm_fault(mm, VM_BASE + PG(3), true), VM_FAULT_OK);
	ASSERT_EQ(vm_order_at(mm, VM_BASE + PG(3)), 0);
	ASSERT_EQ(vm_fault(mm, VM_BASE + PG(4), true), VM_FAULT_OK);
	ASSERT_EQ(vm_order_at(mm, VM_BASE + PG(4)), 2);
	ASSERT_EQ(vm_fault(mm, VM_BASE + PG(20), true), VM_FAULT_OK);
	ASSERT_EQ(vm_order_at(mm, VM_BASE + PG(20)), 4);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* Map the zero page at page `set` (a read fault), then write-fault page `at`. */
static bool prepop_case(unsigned int set, unsigned int at, int expect)
{
	struct mm_struct *mm = vm_setup_mm(0, K(2048));

	vm_policy(THP_ALWAYS, THP_INHERIT);
	ASSERT_EQ(vm_fault(mm, VM_BASE + PG(set), false), VM_FAULT_OK);
	ASSERT_EQ(pte_pfn(vm_pte(mm, VM_BASE + PG(set))), page_to_pfn(zero_page));
	ASSERT_EQ(vm_fault(mm, VM_BASE + PG(at), true), VM_FAULT_OK);
	ASSERT_EQ(vm_order_at(mm, VM_BASE + PG(at)), expect);
	/* The zero page is still where it was. */
	ASSERT_EQ(pte_pfn(vm_pte(mm, VM_BASE + PG(set))), page_to_pfn(zero_page));
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* A set PTE inside the block: the highest all-none order (the RFC's first_set). */
static bool test_fault_prepopulated_pte(void)
{
	if (!prepop_case(7, 0, 2))
		return false;	/* [0,8) holds 7: [0,4) */
	if (!prepop_case(7, 8, 3))
		return false;	/* [8,16) */
	if (!prepop_case(5, 12, 3))
		return false;	/* set below the block: [8,16) */
	if (!prepop_case(300, 0, 8))
		return false;	/* [0,256) lies below 300 */
	if (!prepop_case(20, 3, 4))
		return false;	/* [0,16) below 20 */
	if (!prepop_case(1, 0, 0))
		return false;	/* [0,2) holds 1 */
	if (!prepop_case(0, 1, 0))
		return false;	/* [0,2) holds 0 */
	if (!prepop_case(0, 2, 1))
		return false;	/* [2,4) */
	if (!prepop_case(511, 256, 7))
		return false;	/* [256,384) */
	if (!prepop_case(256, 511, 7))
		return false;	/* [384,512): the set PTE lies below */
	return true;
}

/* 2 MiB VMA with order 9: one folio maps the whole PTE table. */
static bool test_fault_pmd_order_fills_table(void)
{
	struct mm_struct *mm = vm_setup_mm(0, K(2048));
	spinlock_t *ptl;
	pte_t *ptep;
	struct folio *folio;

	vm_policy(THP_ALWAYS, THP_NEVER);
	anon_order_config.size[9] = THP_INHERIT;
	ASSERT_EQ(vm_fault(mm, VM_BASE + K(1000), true), VM_FAULT_OK);
	folio = vm_folio_at(mm, VM_BASE);
	ASSERT_TRUE(folio != NULL);
	ASSERT_EQ(folio_order(folio), 9);
	ptep = pte_offset_map_lock(mm, VM_BASE, &ptl);
	ASSERT_TRUE(ptep != NULL);
	ASSERT_EQ((unsigned long)ptep % PAGE_SIZE, 0);	/* the table's first entry */
	for (unsigned int i = 0; i < PT_ENTRIES; i++) {
		if (pte_pfn(ptep_get(&ptep[i])) != folio_pfn(folio) + i || !pte_write(ptep_get(&ptep[i]))) {
			spin_unlock(ptl);
			ASSERT_EQ(i, PT_ENTRIES);
		}
	}
	spin_unlock(ptl);
	ASSERT_EQ(sum_vm_event(THP_FAULT_ALLOC), 1);
	ASSERT_EQ(sum_mthp_stat(9, MTHP_STAT_ANON_FAULT_ALLOC), 1);
	ASSERT_EQ(get_mm_counter(mm, MM_ANONPAGES), 512);
	ASSERT_EQ(folio_rmap_count(folio), 512);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* ---- (2) Linux's combination rules ---- */

/*
 * Order 4 alone set to `size`, the top level to `top`, the VMA advised
 * `madv` (0, MADV_HUGEPAGE, MADV_NOHUGEPAGE): expected order, written out
 * from Linux's documentation (admin-guide/mm/transhuge.rst), not computed.
 */
static const struct {
	enum thp_mode top, size;
	int madv;
	int order;
} combos[] = {
	{ THP_ALWAYS, THP_ALWAYS, 0, 4 },
	{ THP_ALWAYS, THP_ALWAYS, MADV_HUGEPAGE, 4 },
	{ THP_ALWAYS, THP_ALWAYS, MADV_NOHUGEPAGE, 0 },
	{ THP_ALWAYS, THP_INHERIT, 0, 4 },
	{ THP_ALWAYS, THP_INHERIT, MADV_HUGEPAGE, 4 },
	{ THP_ALWAYS, THP_INHERIT, MADV_NOHUGEPAGE, 0 },
	{ THP_ALWAYS, THP_MADVISE, 0, 0 },
	{ THP_ALWAYS, THP_MADVISE, MADV_HUGEPAGE, 4 },
	{ THP_ALWAYS, THP_MADVISE, MADV_NOHUGEPAGE, 0 },
	{ THP_ALWAYS, THP_NEVER, 0, 0 },
	{ THP_ALWAYS, THP_NEVER, MADV_HUGEPAGE, 0 },
	{ THP_ALWAYS, THP_NEVER, MADV_NOHUGEPAGE, 0 },
	{ THP_MADVISE, THP_ALWAYS, 0, 4 },
	{ THP_MADVISE, THP_ALWAYS, MADV_HUGEPAGE, 4 },
	{ THP_MADVISE, THP_ALWAYS, MADV_NOHUGEPAGE, 0 },
	{ THP_MADVISE, THP_INHERIT, 0, 0 },
	{ THP_MADVISE, THP_INHERIT, MADV_HUGEPAGE, 4 },
	{ THP_MADVISE, THP_INHERIT, MADV_NOHUGEPAGE, 0 },
	{ THP_MADVISE, THP_MADVISE, 0, 0 },
	{ THP_MADVISE, THP_MADVISE, MADV_HUGEPAGE, 4 },
	{ THP_MADVISE, THP_MADVISE, MADV_NOHUGEPAGE, 0 },
	{ THP_MADVISE, THP_NEVER, 0, 0 },
	{ THP_MADVISE, THP_NEVER, MADV_HUGEPAGE, 0 },
	{ THP_MADVISE, THP_NEVER, MADV_NOHUGEPAGE, 0 },
	{ THP_NEVER, THP_ALWAYS, 0, 4 },
	{ THP_NEVER, THP_ALWAYS, MADV_HUGEPAGE, 4 },
	{ THP_NEVER, THP_ALWAYS, MADV_NOHUGEPAGE, 0 },
	{ THP_NEVER, THP_INHERIT, 0, 0 },
	{ THP_NEVER, THP_INHERIT, MADV_HUGEPAGE, 0 },
	{ THP_NEVER, THP_INHERIT, MADV_NOHUGEPAGE, 0 },
	{ THP_NEVER, THP_MADVISE, 0, 0 },
	{ THP_NEVER, THP_MADVISE, MADV_HUGEPAGE, 4 },
	{ THP_NEVER, THP_MADVISE, MADV_NOHUGEPAGE, 0 },
	{ THP_NEVER, THP_NEVER, 0, 0 },
	{ THP_NEVER, THP_NEVER, MADV_HUGEPAGE, 0 },
	{ THP_NEVER, THP_NEVER, MADV_NOHUGEPAGE, 0 },
};

static bool test_fault_policy_combinations(void)
{
	ASSERT_EQ(ARRAY_SIZE(combos), 36);
	for (unsigned int i = 0; i < ARRAY_SIZE(combos); i++) {
		struct mm_struct *mm = vm_setup_mm(0, K(64));

		vm_policy(combos[i].top, THP_NEVER);
		anon_order_config.size[4] = combos[i].size;
		if (combos[i].madv)
			ASSERT_EQ(vm_madvise(VM_BASE, K(64), combos[i].madv), 0);
		ASSERT_EQ(vm_fault(mm, VM_BASE + K(20), true), VM_FAULT_OK);
		if (vm_order_at(mm, VM_BASE + K(20)) != combos[i].order)
			test_fail(__FILE__, __LINE__, "combo %u (top %d size %d madv %d): order %d, expected %d",
				  i, combos[i].top, combos[i].size, combos[i].madv,
				  vm_order_at(mm, VM_BASE + K(20)), combos[i].order);
		if (hostmm_why[0])
			return false;
		ASSERT_EQ(sum_mthp_stat(4, MTHP_STAT_ANON_FAULT_ALLOC), combos[i].order == 4);
		vm_mm_put(mm);
		ASSERT_EQ(nr_free_pages(), vm_free_start);
	}
	return true;
}

/* The same rules per order: madvise'd sizes only in the VM_HUGEPAGE VMA. */
static bool test_fault_policy_mixed_sizes(void)
{
	struct mm_struct *mm = vm_setup_mm(0, K(4096));

	vm_policy(THP_MADVISE, THP_NEVER);
	anon_order_config.size[2] = THP_ALWAYS;
	anon_order_config.size[5] = THP_MADVISE;
	anon_order_config.size[9] = THP_INHERIT;
	/* Second 2 MiB advised: orders {2,5,9} there, {2} in the first. */
	ASSERT_EQ(vm_madvise(VM_BASE + K(2048), K(2048), MADV_HUGEPAGE), 0);
	ASSERT_EQ(mm->map_count, 2);
	ASSERT_EQ(vm_fault(mm, VM_BASE + K(100), true), VM_FAULT_OK);
	ASSERT_EQ(vm_order_at(mm, VM_BASE + K(100)), 2);
	ASSERT_EQ(vm_fault(mm, VM_BASE + K(2048 + 100), true), VM_FAULT_OK);
	ASSERT_EQ(vm_order_at(mm, VM_BASE + K(2048 + 100)), 9);
	/* Top "never": inherit drops out, the advised VMA now gets 5. */
	anon_order_config.top = THP_NEVER;
	ASSERT_EQ(vm_munmap(VM_BASE + K(2048), K(2048)), 0);
	ASSERT_EQ(vm_map_rw(VM_BASE + K(2048), K(2048)), (long)(VM_BASE + K(2048)));
	ASSERT_EQ(vm_madvise(VM_BASE + K(2048), K(2048), MADV_HUGEPAGE), 0);
	ASSERT_EQ(vm_fault(mm, VM_BASE + K(2048 + 300), true), VM_FAULT_OK);
	ASSERT_EQ(vm_order_at(mm, VM_BASE + K(2048 + 300)), 5);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* allow_order1 = 0 removes order 1 and nothing else. */
static bool test_fault_allow_order1(void)
{
	struct mm_struct *mm = vm_setup_mm(0, K(8));

	vm_policy(THP_ALWAYS, THP_INHERIT);
	ASSERT_EQ(vm_fault(mm, VM_BASE, true), VM_FAULT_OK);
	ASSERT_EQ(vm_order_at(mm, VM_BASE), 1);
	vm_mm_put(mm);

	mm = vm_setup_mm(0, K(8));
	vm_policy(THP_ALWAYS, THP_INHERIT);
	anon_order_config.allow_order1 = false;
	ASSERT_EQ(vm_fault(mm, VM_BASE, true), VM_FAULT_OK);
	ASSERT_EQ(vm_order_at(mm, VM_BASE), 0);
	ASSERT_EQ(vm_order_at(mm, VM_BASE + K(4)), -1);
	ASSERT_EQ(sum_mthp_stat(1, MTHP_STAT_ANON_FAULT_ALLOC), 0);
	ASSERT_EQ(sum_mthp_stat(1, MTHP_STAT_ANON_FAULT_FALLBACK), 0);
	/* A 16K VMA: order 2 still allowed. */
	ASSERT_EQ(vm_munmap(VM_BASE, K(8)), 0);
	ASSERT_EQ(vm_map_rw(VM_BASE, K(16)), (long)VM_BASE);
	ASSERT_EQ(vm_fault(mm, VM_BASE + K(12), true), VM_FAULT_OK);
	ASSERT_EQ(vm_order_at(mm, VM_BASE), 2);
	/* Order 1 alone, not allowed: order 0. */
	vm_policy_only(1);
	anon_order_config.allow_order1 = false;
	ASSERT_EQ(vm_munmap(VM_BASE, K(16)), 0);
	ASSERT_EQ(vm_map_rw(VM_BASE, K(16)), (long)VM_BASE);
	ASSERT_EQ(vm_fault(mm, VM_BASE + K(4), true), VM_FAULT_OK);
	ASSERT_EQ(vm_order_at(mm, VM_BASE + K(4)), 0);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* ---- (3) fallback ---- */

static bool test_fault_fallback_fragmented(void)
{
	struct mm_struct *mm = vm_setup_mm(0, K(2048));
	struct buddy_frag frag;
	spinlock_t *ptl;
	unsigned long free_before;

	vm_policy(THP_NEVER, THP_NEVER);
	anon_order_config.size[2] = THP_ALWAYS;
	anon_order_config.size[4] = THP_ALWAYS;
	anon_order_config.size[9] = THP_ALWAYS;
	/* Allocate the page tables first so the count below is the folio's alone. */
	ASSERT_TRUE(pte_alloc_map_lock(mm, VM_BASE, &ptl) != NULL);
	spin_unlock(ptl);
	buddy_fragment(&frag);
	free_before = nr_free_pages();
	ASSERT_EQ(vm_fault(mm, VM_BASE + K(64), true), VM_FAULT_OK);
	ASSERT_EQ(vm_order_at(mm, VM_BASE + K(64)), 0);
	ASSERT_EQ(nr_free_pages(), free_before - 1);
	for (unsigned int k = 1; k <= MTHP_MAX_ORDER; k++) {
		ASSERT_EQ(sum_mthp_stat(k, MTHP_STAT_ANON_FAULT_FALLBACK), k == 2 || k == 4 || k == 9);
		ASSERT_EQ(sum_mthp_stat(k, MTHP_STAT_ANON_FAULT_ALLOC), 0);
	}
	ASSERT_EQ(sum_vm_event(THP_FAULT_FALLBACK), 1);
	ASSERT_EQ(sum_vm_event(THP_FAULT_ALLOC), 0);
	ASSERT_EQ(sum_pgalloc_order(0), 1);
	/* A second fault in the same 64K block: order 4 no longer fits; 2 and 0 tried. */
	ASSERT_EQ(vm_fault(mm, VM_BASE + K(64 + 32), true), VM_FAULT_OK);
	ASSERT_EQ(vm_order_at(mm, VM_BASE + K(64 + 32)), 0);
	ASSERT_EQ(sum_mthp_stat(2, MTHP_STAT_ANON_FAULT_FALLBACK), 2);
	ASSERT_EQ(sum_mthp_stat(4, MTHP_STAT_ANON_FAULT_FALLBACK), 1);
	ASSERT_EQ(sum_mthp_stat(9, MTHP_STAT_ANON_FAULT_FALLBACK), 1);
	buddy_unfragment(&frag);
	/* Memory back: the next fault gets its order. */
	ASSERT_EQ(vm_fault(mm, VM_BASE + K(1024), true), VM_FAULT_OK);
	ASSERT_EQ(vm_order_at(mm, VM_BASE + K(1024)), 4);
	memmap_check();
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* Out of memory altogether: VM_FAULT_OOM, nothing mapped, nothing leaked. */
static bool test_fault_oom(void)
{
	struct mm_struct *mm = vm_setup_mm(0, K(64));
	spinlock_t *ptl;

	vm_policy_only(4);
	ASSERT_TRUE(pte_alloc_map_lock(mm, VM_BASE, &ptl) != NULL);
	spin_unlock(ptl);
	drain_all();
	ASSERT_EQ(vm_fault(mm, VM_BASE, true), VM_FAULT_OOM);
	ASSERT_TRUE(pte_none(vm_pte(mm, VM_BASE)));
	ASSERT_EQ(sum_mthp_stat(4, MTHP_STAT_ANON_FAULT_FALLBACK), 1);
	undrain_all();
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* ---- (4) folio metadata after a fault ---- */

static bool test_fault_folio_metadata(void)
{
	struct mm_struct *mm = vm_setup_mm(0, K(256));
	struct vm_area_struct *vma;
	struct folio *folio;
	unsigned long nr = 16;

	vm_policy_only(4);
	ASSERT_EQ(vm_fault(mm, VM_BASE + K(64 + 8), true), VM_FAULT_OK);
	vma = vm_vma(mm, VM_BASE);
	folio = vm_folio_at(mm, VM_BASE + K(64));
	ASSERT_TRUE(folio != NULL);
	ASSERT_EQ(folio_nr_pages(folio), nr);
	ASSERT_EQ(folio_ref_count(folio), nr);
	for (unsigned long i = 0; i < nr; i++) {
		ASSERT_EQ(page_mapcount(folio_page(folio, i)), 1);
		ASSERT_TRUE(PageAnonExclusive(folio_page(folio, i)));
	}
	ASSERT_EQ(atomic_read(&folio->_large_mapcount), nr - 1);
	ASSERT_EQ(atomic_read(&folio->_nr_pages_mapped), nr);
	ASSERT_EQ(folio_mapcount(folio), nr);
	ASSERT_TRUE(folio_test_anon(folio));
	ASSERT_TRUE(folio_test_swapbacked(folio));
	ASSERT_FALSE(folio_test_partially_mapped(folio));
	ASSERT_TRUE(vma->anon_vma != NULL);
	ASSERT_TRUE(folio->mapping == vma->anon_vma);
	ASSERT_EQ(folio->index, (VM_BASE >> PAGE_SHIFT) + 16);
	ASSERT_EQ(folio_rmap_count(folio), nr);
	ASSERT_EQ(atomic_long_read(&nr_anon_pages), nr);
	ASSERT_EQ(sum_mthp_stat(4, MTHP_STAT_NR_ANON), 1);
	ASSERT_EQ(get_mm_counter(mm, MM_ANONPAGES), nr);
	/* The folio reads back zeroes. */
	for (unsigned long b = 0; b < nr * PAGE_SIZE; b++)
		ASSERT_EQ(((unsigned char *)folio_address(folio))[b], 0);
	debug_vm_check_mm_rmap(mm);
	memmap_check();
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	ASSERT_EQ(atomic_long_read(&nr_anon_pages), 0);
	return true;
}

/* ---- the re-check under the PTE lock ---- */

static bool test_fault_race_inject(void)
{
	struct mm_struct *mm = vm_setup_mm(0, K(64));
	const struct host_pseudo_file *f = hostmm_pseudo_file("/sys/kernel/mm/folio/fault_race_inject");
	char buf[32];
	unsigned long free_before;
	spinlock_t *ptl;

	vm_policy(THP_ALWAYS, THP_INHERIT);
	ASSERT_TRUE(f != NULL);
	ASSERT_EQ(f->store("x", 1), -EINVAL);
	ASSERT_EQ(vm_fault_race_inject("1\n"), 2);
	ASSERT_EQ(f->show(buf, sizeof(buf)), 2);
	ASSERT_TRUE(!strncmp(buf, "1\n", 2));
	ASSERT_TRUE(pte_alloc_map_lock(mm, VM_BASE, &ptl) != NULL);
	spin_unlock(ptl);
	free_before = nr_free_pages();
	/* Order 4 chosen, the racer maps page 15, the re-check fails: retry below order 4. */
	ASSERT_EQ(vm_fault(mm, VM_BASE + K(8), true), VM_FAULT_OK);
	ASSERT_EQ(pte_pfn(vm_pte(mm, VM_BASE + K(60))), page_to_pfn(zero_page));
	ASSERT_EQ(vm_order_at(mm, VM_BASE + K(8)), 3);
	ASSERT_EQ(nr_free_pages(), free_before - 8);
	ASSERT_EQ(sum_mthp_stat(4, MTHP_STAT_ANON_FAULT_ALLOC), 0);
	ASSERT_EQ(sum_mthp_stat(3, MTHP_STAT_ANON_FAULT_ALLOC), 1);
	ASSERT_EQ(sum_mthp_stat(4, MTHP_STAT_NR_ANON), 0);
	ASSERT_EQ(f->show(buf, sizeof(buf)), 2);
	ASSERT_TRUE(!strncmp(buf, "0\n", 2));
	memmap_check();
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* ---- do_page_fault: VMA lookup, access checks, stack growth ---- */

static bool test_do_page_fault(void)
{
	struct mm_struct *mm = vm_setup_mm(0, K(64));
	long stack;

	vm_policy_only(4);
	ASSERT_EQ(do_page_fault(VM_BASE - 1, FAULT_FLAG_WRITE), VM_FAULT_SIGSEGV);
	ASSERT_EQ(do_page_fault(TASK_SIZE, 0), VM_FAULT_SIGSEGV);
	ASSERT_EQ(do_page_fault(VM_BASE + 5, FAULT_FLAG_WRITE | FAULT_FLAG_USER), VM_FAULT_OK);
	ASSERT_EQ(vm_order_at(mm, VM_BASE), 4);
	ASSERT_EQ(current->minflt, 1);
	ASSERT_EQ(sum_vm_event(PGFAULT), 1);
	ASSERT_EQ(do_page_fault(VM_BASE, FAULT_FLAG_INSTRUCTION), VM_FAULT_SIGSEGV);
	/* The SIGSEGV's si_code: a VMA that forbids the access, or none. */
	ASSERT_EQ(fault_si_code(VM_BASE), SEGV_ACCERR);
	ASSERT_EQ(fault_si_code(VM_BASE - 1), SEGV_MAPERR);
	ASSERT_EQ(fault_si_code(VM_BASE + K(64)), SEGV_MAPERR);
	ASSERT_EQ(fault_si_code(TASK_SIZE), SEGV_MAPERR);
	/* Read-only VMA: reads map the zero page, writes fail. */
	ASSERT_EQ(vm_mmap(VM_BASE + K(1024), K(8), PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED),
		  (long)(VM_BASE + K(1024)));
	ASSERT_EQ(do_page_fault(VM_BASE + K(1024), FAULT_FLAG_WRITE), VM_FAULT_SIGSEGV);
	ASSERT_EQ(do_page_fault(VM_BASE + K(1024), 0), VM_FAULT_OK);
	ASSERT_EQ(pte_pfn(vm_pte(mm, VM_BASE + K(1024))), page_to_pfn(zero_page));
	ASSERT_FALSE(pte_write(vm_pte(mm, VM_BASE + K(1024))));
	/* A MAP_GROWSDOWN stack grows down to a fault just below it. */
	stack = vm_mmap(VM_BASE + K(8192), K(16), PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_GROWSDOWN);
	ASSERT_EQ(stack, (long)(VM_BASE + K(8192)));
	ASSERT_EQ(do_page_fault(VM_BASE + K(8192) - K(20), FAULT_FLAG_WRITE), VM_FAULT_OK);
	ASSERT_EQ(vm_vma(mm, VM_BASE + K(8192))->vm_start, VM_BASE + K(8192) - K(20));
	ASSERT_EQ(vm_order_at(mm, VM_BASE + K(8192) - K(20)), 0);
	/* Writing to the zero page: copy-on-write to a zeroed page. */
	ASSERT_EQ(vm_mprotect(VM_BASE + K(1024), K(8), PROT_READ | PROT_WRITE), 0);
	ASSERT_EQ(do_page_fault(VM_BASE + K(1024), FAULT_FLAG_WRITE), VM_FAULT_OK);
	ASSERT_EQ(vm_order_at(mm, VM_BASE + K(1024)), 0);
	ASSERT_TRUE(pte_write(vm_pte(mm, VM_BASE + K(1024))));
	ASSERT_EQ(get_mm_counter(mm, MM_ANONPAGES), 16 + 1 + 1);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/*
 * fault_user_address, the arch entry: true when the access can be retried;
 * a fault no VMA allows, or one in a kernel uaccess that runs out of
 * memory, returns false (the caller's SIGSEGV or fixup); a user-mode fault
 * that runs out of memory kills the task with SIGKILL.
 */
static bool test_fault_user_address(void)
{
	struct mm_struct *mm = vm_setup_mm(0, K(128));
	struct pt_regs user = { .user = true }, kernel = { .user = false };

	vm_policy_only(4);
	ASSERT_TRUE(fault_user_address(&user, VM_BASE + 5, FAULT_FLAG_WRITE | FAULT_FLAG_USER));
	ASSERT_EQ(vm_order_at(mm, VM_BASE), 4);
	ASSERT_FALSE(fault_user_address(&user, VM_BASE - 1, FAULT_FLAG_USER));
	ASSERT_FALSE(fault_user_address(&kernel, VM_BASE + K(128), FAULT_FLAG_WRITE));
	drain_all();
	ASSERT_FALSE(fault_user_address(&kernel, VM_BASE + K(64), FAULT_FLAG_WRITE));
	ASSERT_TRUE(pte_none(vm_pte(mm, VM_BASE + K(64))));
	ASSERT_PANICS("force_fatal_signal: signal 9 at 0x40010008: out of memory",
		      fault_user_address(&user, VM_BASE + K(64) + 8, FAULT_FLAG_WRITE | FAULT_FLAG_USER));
	return true;
}

const struct hostmm_test fault_tests[] = {
	HOSTMM_TEST(test_fault_64k_always),
	HOSTMM_TEST(test_fault_each_order_alone),
	HOSTMM_TEST(test_fault_vma_edges),
	HOSTMM_TEST(test_fault_unaligned_vma),
	HOSTMM_TEST(test_fault_prepopulated_pte),
	HOSTMM_TEST(test_fault_pmd_order_fills_table),
	HOSTMM_TEST(test_fault_policy_combinations),
	HOSTMM_TEST(test_fault_policy_mixed_sizes),
	HOSTMM_TEST(test_fault_allow_order1),
	HOSTMM_TEST(test_fault_fallback_fragmented),
	HOSTMM_TEST(test_fault_oom),
	HOSTMM_TEST(test_fault_folio_metadata),
	HOSTMM_TEST(test_fault_race_inject),
	HOSTMM_TEST(test_do_page_fault),
	HOSTMM_TEST(test_fault_user_address),
	{ NULL, NULL },
};
