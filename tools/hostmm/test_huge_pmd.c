/*
 * test_huge_pmd.c - PMD-mapped 2M folios (mm/huge_memory.c): the fault,
 * the deposit, the split of the PMD mapping under munmap / mprotect /
 * MADV_DONTNEED / MADV_FREE / a folio split, fork and the write-protect
 * fault, reclaim of a lazyfree PMD-mapped folio, allocation failures.
 * Exact counts throughout; every test ends with every page free.
 */
#include "tools/hostmm/hostmm_vm.h"

#define BLOCK	K(2048)
#define NR	512UL

/* A fresh mm, current, with [VM_BASE, + len) RW, only 2M enabled and PMD mapping on. */
static struct mm_struct *pmd_setup(unsigned long len)
{
	struct mm_struct *mm = vm_setup_mm(0, len);

	vm_policy_only(9);
	thp_pmd_mapping = true;
	return mm;
}

/* Write byte i + 1 at the start of each page of [addr, addr + nr pages) through the MMU. */
static bool fill(struct mm_struct *mm, unsigned long addr, unsigned long nr)
{
	for (unsigned long i = 0; i < nr; i++)
		ASSERT_EQ(vm_user_write(mm, addr + PG(i), (unsigned char)(i + 1)), 0);
	return true;
}

/* The pages of [addr, addr + nr) read as fill() wrote them, but for [skip0, skip1). */
static bool intact(struct mm_struct *mm, unsigned long addr, unsigned long nr, unsigned long skip0,
		   unsigned long skip1)
{
	for (unsigned long i = 0; i < nr; i++)
		if (i < skip0 || i >= skip1)
			ASSERT_EQ(vm_user_read(mm, addr + PG(i)), (unsigned char)(i + 1));
	return true;
}

/* The fault maps one PMD: no PTE table, one deposit, 512 per-page mappings, counted. */
static bool test_pmd_fault_maps_block(void)
{
	struct mm_struct *mm = pmd_setup(BLOCK);
	struct folio *folio;
	spinlock_t *ptl;

	ASSERT_EQ(vm_user_write(mm, VM_BASE + 0x12345, 7), 0);
	ASSERT_TRUE(vm_huge_pmd(mm, VM_BASE) != NULL);
	ASSERT_TRUE(pte_offset_map_lock(mm, VM_BASE, &ptl) == NULL);
	folio = vm_folio_at(mm, VM_BASE + 0x1ff000);
	ASSERT_EQ(folio_order(folio), 9);
	ASSERT_EQ(folio_mapcount(folio), NR);
	ASSERT_EQ(folio_ref_count(folio), NR);
	ASSERT_EQ(folio_rmap_count(folio), NR);
	ASSERT_EQ(atomic_read(&folio->_entire_mapcount), 0);
	ASSERT_EQ(atomic_read(&folio->_nr_pages_mapped), NR);
	ASSERT_EQ(atomic_long_read(&nr_anon_thps), 1);
	ASSERT_EQ(atomic_long_read(&nr_anon_pages), NR);
	ASSERT_EQ(get_mm_counter(mm, MM_ANONPAGES), NR);
	ASSERT_EQ(mm->nr_pgtables_deposited, 1);
	ASSERT_EQ(sum_vm_event(THP_FAULT_ALLOC), 1);
	ASSERT_EQ(sum_vm_event(THP_SPLIT_PMD), 0);
	ASSERT_TRUE(pmd_write(pmdp_get(vm_huge_pmd(mm, VM_BASE))));
	ASSERT_TRUE(pmd_dirty(pmdp_get(vm_huge_pmd(mm, VM_BASE))));
	ASSERT_EQ(vm_user_read(mm, VM_BASE + 0x12345), 7);
	ASSERT_EQ(vm_user_read(mm, VM_BASE + 0x12346), 0);
	vm_mm_put(mm);
	ASSERT_EQ(atomic_long_read(&nr_anon_thps), 0);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* Knob off, a VMA too small, a read first, an unaligned block: no PMD mapping. */
static bool test_pmd_not_mapped(void)
{
	struct mm_struct *mm = pmd_setup(BLOCK);

	thp_pmd_mapping = false;
	ASSERT_EQ(vm_user_write(mm, VM_BASE, 1), 0);
	ASSERT_TRUE(vm_huge_pmd(mm, VM_BASE) == NULL);
	ASSERT_EQ(vm_order_at(mm, VM_BASE), 9);	/* order 9, 512 PTEs, as before */
	vm_mm_put(mm);

	mm = pmd_setup(BLOCK - PG(1));
	ASSERT_EQ(vm_user_write(mm, VM_BASE, 1), 0);
	ASSERT_TRUE(vm_huge_pmd(mm, VM_BASE) == NULL);
	vm_mm_put(mm);

	mm = pmd_setup(BLOCK);
	ASSERT_EQ(vm_user_read(mm, VM_BASE), 0);	/* the zero page: a PTE table with a PTE */
	ASSERT_EQ(vm_user_write(mm, VM_BASE + PG(8), 1), 0);
	ASSERT_TRUE(vm_huge_pmd(mm, VM_BASE) == NULL);
	ASSERT_EQ(atomic_long_read(&nr_anon_thps), 0);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* An empty PTE table left by munmap is taken over as the deposit. */
static bool test_pmd_reuses_empty_table(void)
{
	struct mm_struct *mm = pmd_setup(BLOCK);
	unsigned long tables;

	thp_pmd_mapping = false;
	ASSERT_EQ(vm_user_write(mm, VM_BASE, 1), 0);	/* PTE-mapped: a PTE table */
	ASSERT_EQ(vm_madvise(VM_BASE, BLOCK, MADV_DONTNEED), 0);
	tables = mm_pgtables_bytes(mm);
	thp_pmd_mapping = true;
	ASSERT_EQ(vm_user_write(mm, VM_BASE + PG(3), 2), 0);
	ASSERT_TRUE(vm_huge_pmd(mm, VM_BASE) != NULL);
	ASSERT_EQ(mm->nr_pgtables_deposited, 1);
	ASSERT_EQ(mm_pgtables_bytes(mm), tables);	/* the same table, now deposited */
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* munmap of one page splits the PMD mapping: same folio, same counts, data intact. */
static bool test_pmd_split_on_partial_munmap(void)
{
	struct mm_struct *mm = pmd_setup(BLOCK);
	struct folio *folio;

	ASSERT_TRUE(fill(mm, VM_BASE, NR));
	folio = vm_folio_at(mm, VM_BASE);
	ASSERT_EQ(vm_munmap(VM_BASE + PG(100), PG(1)), 0);
	ASSERT_EQ(sum_vm_event(THP_SPLIT_PMD), 1);
	ASSERT_TRUE(vm_huge_pmd(mm, VM_BASE) == NULL);
	ASSERT_EQ(mm->nr_pgtables_deposited, 0);
	ASSERT_EQ(atomic_long_read(&nr_anon_thps), 0);
	ASSERT_EQ(atomic_read(&folio->_entire_mapcount), -1);
	ASSERT_EQ(folio_mapcount(folio), NR - 1);
	ASSERT_EQ(folio_ref_count(folio), NR - 1);
	ASSERT_EQ(atomic_read(&folio->_nr_pages_mapped), NR - 1);
	ASSERT_TRUE(folio_test_partially_mapped(folio));
	for (unsigned long i = 0; i < NR; i++)
		if (i != 100)
			ASSERT_EQ(pte_pfn(vm_pte(mm, VM_BASE + PG(i))), folio_pfn(folio) + i);
	ASSERT_TRUE(intact(mm, VM_BASE, NR, 100, 101));
	ASSERT_TRUE(pte_write(vm_pte(mm, VM_BASE)) && pte_dirty(vm_pte(mm, VM_BASE)));
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* mprotect: the whole block rewrites the PMD; a part splits it first. */
static bool test_pmd_mprotect(void)
{
	struct mm_struct *mm = pmd_setup(BLOCK);
	pmd_t *pmdp;

	ASSERT_TRUE(fill(mm, VM_BASE, NR));
	ASSERT_EQ(vm_mprotect(VM_BASE, BLOCK, PROT_READ), 0);
	pmdp = vm_huge_pmd(mm, VM_BASE);
	ASSERT_TRUE(pmdp && !pmd_write(pmdp_get(pmdp)) && pmd_dirty(pmdp_get(pmdp)));
	ASSERT_EQ(vm_mprotect(VM_BASE, BLOCK, PROT_NONE), 0);
	pmdp = vm_huge_pmd(mm, VM_BASE);
	ASSERT_TRUE(pmdp && pmd_trans_huge(pmdp_get(pmdp)));
	ASSERT_EQ(vm_mprotect(VM_BASE, BLOCK, PROT_READ | PROT_WRITE), 0);
	pmdp = vm_huge_pmd(mm, VM_BASE);
	ASSERT_TRUE(pmdp && pmd_write(pmdp_get(pmdp)));	/* exclusive: writable again */
	ASSERT_EQ(sum_vm_event(THP_SPLIT_PMD), 0);
	ASSERT_EQ(vm_mprotect(VM_BASE + PG(7), PG(2), PROT_READ), 0);
	ASSERT_EQ(sum_vm_event(THP_SPLIT_PMD), 1);
	ASSERT_FALSE(pte_write(vm_pte(mm, VM_BASE + PG(8))));
	ASSERT_TRUE(pte_write(vm_pte(mm, VM_BASE + PG(9))));
	ASSERT_EQ(folio_mapcount(vm_folio_at(mm, VM_BASE)), NR);
	ASSERT_TRUE(intact(mm, VM_BASE, NR, 0, 0));
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* MADV_DONTNEED / MADV_FREE: whole block whole, a part after a split. */
static bool test_pmd_madvise(void)
{
	struct mm_struct *mm = pmd_setup(BLOCK);
	struct folio *folio;

	ASSERT_TRUE(fill(mm, VM_BASE, NR));
	ASSERT_EQ(vm_madvise(VM_BASE + PG(16), PG(16), MADV_DONTNEED), 0);
	ASSERT_EQ(sum_vm_event(THP_SPLIT_PMD), 1);
	ASSERT_EQ(folio_mapcount(vm_folio_at(mm, VM_BASE)), NR - 16);
	ASSERT_TRUE(intact(mm, VM_BASE, NR, 16, 32));
	ASSERT_EQ(vm_user_read(mm, VM_BASE + PG(20)), 0);
	ASSERT_EQ(vm_munmap(VM_BASE, BLOCK), 0);
	ASSERT_EQ(vm_map_rw(VM_BASE, BLOCK), (long)VM_BASE);

	ASSERT_TRUE(fill(mm, VM_BASE, NR));	/* the empty table becomes the deposit */
	ASSERT_TRUE(vm_huge_pmd(mm, VM_BASE) != NULL);
	folio = vm_folio_at(mm, VM_BASE);
	ASSERT_EQ(vm_madvise(VM_BASE, BLOCK, MADV_FREE), 0);
	ASSERT_EQ(sum_vm_event(THP_SPLIT_PMD), 1);
	ASSERT_TRUE(folio_test_lazyfree(folio));
	ASSERT_FALSE(pmd_dirty(pmdp_get(vm_huge_pmd(mm, VM_BASE))));
	ASSERT_EQ(vm_madvise(VM_BASE + PG(64), PG(16), MADV_FREE), 0);	/* already lazyfree: split, pieces */
	ASSERT_EQ(sum_vm_event(THP_SPLIT_PMD), 2);
	ASSERT_TRUE(intact(mm, VM_BASE, NR, 0, 0));
	ASSERT_EQ(vm_madvise(VM_BASE, BLOCK, MADV_DONTNEED), 0);
	ASSERT_EQ(get_mm_counter(mm, MM_ANONPAGES), 0);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* Reclaim drops a clean lazyfree PMD-mapped folio whole, without a split; a dirty one stays. */
static bool test_pmd_lazyfree_reclaim(void)
{
	struct mm_struct *mm = pmd_setup(BLOCK);

	ASSERT_TRUE(fill(mm, VM_BASE, NR));
	ASSERT_EQ(vm_madvise(VM_BASE, BLOCK, MADV_FREE), 0);
	ASSERT_EQ(vm_user_write(mm, VM_BASE + PG(5), 9), 0);	/* dirty again */
	try_to_free_pages(GFP_HIGHUSER_MOVABLE, 0);
	ASSERT_TRUE(vm_huge_pmd(mm, VM_BASE) != NULL);
	ASSERT_EQ(vm_user_read(mm, VM_BASE + PG(5)), 9);
	ASSERT_EQ(vm_madvise(VM_BASE, BLOCK, MADV_FREE), 0);
	vm_knob_write(FOLIO_SYSFS_DIR "/reclaim", "all");
	ASSERT_EQ(sum_vm_event(PGLAZYFREED), NR);
	ASSERT_TRUE(vm_huge_pmd(mm, VM_BASE) == NULL);
	ASSERT_EQ(get_mm_counter(mm, MM_ANONPAGES), 0);
	ASSERT_EQ(mm->nr_pgtables_deposited, 0);
	ASSERT_EQ(sum_vm_event(THP_SPLIT_PMD), 0);
	ASSERT_EQ(vm_user_read(mm, VM_BASE + PG(5)), 0);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* fork shares the block read-only; writes split each side's PMD; a lone PMD is reused. */
static bool test_pmd_fork_cow_reuse(void)
{
	struct mm_struct *mm = pmd_setup(BLOCK), *child;
	struct folio *folio;

	ASSERT_TRUE(fill(mm, VM_BASE, NR));
	folio = vm_folio_at(mm, VM_BASE);
	child = vm_mm_dup(mm);
	ASSERT_TRUE(child != NULL);
	ASSERT_TRUE(vm_huge_pmd(child, VM_BASE) != NULL);
	ASSERT_FALSE(pmd_write(pmdp_get(vm_huge_pmd(mm, VM_BASE))));
	ASSERT_FALSE(pmd_write(pmdp_get(vm_huge_pmd(child, VM_BASE))));
	ASSERT_EQ(folio_mapcount(folio), 2 * NR);
	ASSERT_EQ(folio_ref_count(folio), 2 * NR);
	ASSERT_EQ(atomic_read(&folio->_entire_mapcount), 1);
	ASSERT_EQ(folio_rmap_count(folio), 2 * NR);
	ASSERT_EQ(child->nr_pgtables_deposited, 1);
	ASSERT_FALSE(PageAnonExclusive(folio_page(folio, 0)));

	ASSERT_EQ(vm_user_write(child, VM_BASE + PG(3), 'c'), 0);
	ASSERT_EQ(sum_vm_event(THP_SPLIT_PMD), 1);
	ASSERT_TRUE(vm_folio_at(child, VM_BASE + PG(3)) != folio);
	ASSERT_EQ(folio_mapcount(folio), 2 * NR - 1);
	ASSERT_TRUE(intact(mm, VM_BASE, NR, 0, 0));
	ASSERT_TRUE(intact(child, VM_BASE, NR, 3, 4));
	vm_mm_put(child);
	ASSERT_EQ(folio_mapcount(folio), NR);

	/* Alone again: the write reuses the folio under its PMD. */
	ASSERT_EQ(vm_user_write(mm, VM_BASE + PG(4), 'p'), 0);
	ASSERT_EQ(sum_vm_event(THP_SPLIT_PMD), 1);
	ASSERT_TRUE(pmd_write(pmdp_get(vm_huge_pmd(mm, VM_BASE))));
	ASSERT_TRUE(vm_folio_at(mm, VM_BASE + PG(4)) == folio);
	ASSERT_TRUE(PageAnonExclusive(folio_page(folio, 4)));
	ASSERT_TRUE(intact(mm, VM_BASE, NR, 4, 5));

	/* Shared again, the parent writes: its PMD splits, one page copied. */
	child = vm_mm_dup(mm);
	ASSERT_EQ(vm_user_write(mm, VM_BASE + PG(6), 'q'), 0);
	ASSERT_EQ(sum_vm_event(THP_SPLIT_PMD), 2);
	ASSERT_TRUE(vm_huge_pmd(child, VM_BASE) != NULL);
	ASSERT_EQ(vm_user_read(child, VM_BASE + PG(6)), 7);
	vm_mm_put(child);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/*
 * Both sides write while both map the block (pmd_test's fork case): two PMD
 * splits, two one-page copies; the child's exit leaves the folio partially
 * mapped, the deferred split frees the unmapped page; nothing leaks.
 */
static bool test_pmd_fork_both_write(void)
{
	struct mm_struct *mm = pmd_setup(BLOCK + BLOCK), *child;
	unsigned long free0;

	ASSERT_TRUE(fill(mm, VM_BASE + BLOCK, 1));	/* the neighbour block: tables above exist */
	free0 = nr_free_pages();
	ASSERT_TRUE(fill(mm, VM_BASE, NR));
	child = vm_mm_dup(mm);
	ASSERT_EQ(vm_user_write(mm, VM_BASE + PG(7), 'q'), 0);
	ASSERT_EQ(vm_user_write(child, VM_BASE + PG(3), 'c'), 0);
	ASSERT_EQ(sum_vm_event(THP_SPLIT_PMD), 2);
	ASSERT_TRUE(intact(child, VM_BASE, NR, 3, 4));
	ASSERT_TRUE(intact(mm, VM_BASE, NR, 7, 8));
	vm_mm_put(child);
	ASSERT_EQ(folio_mapcount(vm_folio_at(mm, VM_BASE)), NR - 1);
	ASSERT_TRUE(folio_test_partially_mapped(vm_folio_at(mm, VM_BASE)));
	deferred_split_scan(~0UL);
	ASSERT_TRUE(intact(mm, VM_BASE, NR, 7, 8));
	ASSERT_EQ(vm_munmap(VM_BASE, BLOCK), 0);
	ASSERT_EQ(nr_free_pages(), free0);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* Splitting a PMD-mapped folio splits its PMD mappings in every mm first. */
static bool test_pmd_folio_split(void)
{
	struct mm_struct *mm = pmd_setup(BLOCK), *child;
	struct folio *folio;

	ASSERT_TRUE(fill(mm, VM_BASE, NR));
	child = vm_mm_dup(mm);
	folio = vm_folio_at(mm, VM_BASE);
	folio_get(folio);
	folio_lock(folio);
	ASSERT_EQ(split_folio_to_order(folio, 4), 0);
	folio_unlock(folio);
	folio_put(folio);
	ASSERT_EQ(sum_vm_event(THP_SPLIT_PMD), 2);
	ASSERT_TRUE(vm_huge_pmd(mm, VM_BASE) == NULL && vm_huge_pmd(child, VM_BASE) == NULL);
	ASSERT_EQ(vm_order_at(mm, VM_BASE + PG(40)), 4);
	ASSERT_EQ(folio_mapcount(vm_folio_at(child, VM_BASE + PG(40))), 32);
	ASSERT_TRUE(intact(mm, VM_BASE, NR, 0, 0));
	ASSERT_TRUE(intact(child, VM_BASE, NR, 0, 0));
	vm_mm_put(child);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* The split_range knob over a PMD-mapped folio (pmd_test's split case): nothing leaks. */
static bool test_pmd_split_range_knob(void)
{
	struct mm_struct *mm = pmd_setup(BLOCK + BLOCK);
	unsigned long free0;
	char cmd[64];

	ASSERT_TRUE(fill(mm, VM_BASE + BLOCK, 1));
	free0 = nr_free_pages();
	ASSERT_TRUE(fill(mm, VM_BASE, NR));
	snprintf(cmd, sizeof(cmd), "%#lx %#lx 4", VM_BASE, VM_BASE + BLOCK);
	ASSERT_TRUE(vm_knob_write(FOLIO_SYSFS_DIR "/split_range", cmd) >= 0);
	ASSERT_EQ(sum_vm_event(THP_SPLIT_PMD), 1);
	ASSERT_EQ(vm_order_at(mm, VM_BASE + PG(100)), 4);
	ASSERT_TRUE(intact(mm, VM_BASE, NR, 0, 0));
	ASSERT_EQ(vm_munmap(VM_BASE, BLOCK), 0);
	ASSERT_EQ(nr_free_pages(), free0);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/*
 * Allocation failures: the deposit's table (or its lock) -> the fault falls
 * back; fork's copy of a PMD -> -ENOMEM with the parent as it was.
 */
static bool test_pmd_alloc_fail(void)
{
	struct mm_struct *mm = pmd_setup(BLOCK);
	struct vm_snapshot snap;

	for (unsigned long n = 1; n <= 3; n++) {
		hostmm_fail_alloc(n);
		vm_fault(mm, VM_BASE, true);
		hostmm_fail_alloc(0);
		ASSERT_EQ(atomic_long_read(&nr_anon_thps), vm_huge_pmd(mm, VM_BASE) != NULL);
		vm_madvise(VM_BASE, BLOCK, MADV_DONTNEED);
	}
	ASSERT_TRUE(fill(mm, VM_BASE, NR));
	ASSERT_TRUE(vm_huge_pmd(mm, VM_BASE) != NULL);
	for (unsigned long n = 1, failed = 0; n <= 8; n++) {
		struct mm_struct *child;

		vm_snapshot(mm, &snap);
		hostmm_fail_alloc(n);
		child = vm_mm_dup(mm);
		hostmm_fail_alloc(0);
		if (child)
			vm_mm_put(child);
		else
			ASSERT_TRUE(vm_snapshot_same(mm, &snap, 0));
		failed += !child;
		ASSERT_TRUE(n < 8 || failed >= 3);	/* the PMD copy's allocations failed too */
		ASSERT_TRUE(vm_huge_pmd(mm, VM_BASE) != NULL);
		ASSERT_EQ(folio_mapcount(vm_folio_at(mm, VM_BASE)), NR);
		ASSERT_EQ(mm->nr_pgtables_deposited, 1);
	}
	ASSERT_TRUE(intact(mm, VM_BASE, NR, 0, 0));
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

const struct hostmm_test huge_pmd_tests[] = {
	HOSTMM_TEST(test_pmd_fault_maps_block),
	HOSTMM_TEST(test_pmd_not_mapped),
	HOSTMM_TEST(test_pmd_reuses_empty_table),
	HOSTMM_TEST(test_pmd_split_on_partial_munmap),
	HOSTMM_TEST(test_pmd_mprotect),
	HOSTMM_TEST(test_pmd_madvise),
	HOSTMM_TEST(test_pmd_lazyfree_reclaim),
	HOSTMM_TEST(test_pmd_fork_cow_reuse),
	HOSTMM_TEST(test_pmd_fork_both_write),
	HOSTMM_TEST(test_pmd_folio_split),
	HOSTMM_TEST(test_pmd_split_range_knob),
	HOSTMM_TEST(test_pmd_alloc_fail),
	{ NULL, NULL },
};
