/*
 * test_reclaim.c - MADV_FREE (mm/madvise.c) and the lazyfree folios it
 * makes (mm/vmscan.c): whole folios of every order keep their order, their
 * PTEs turn clean and old in one batch, they move to the inactive file
 * list and count in pglazyfree; folios the range covers only in part are
 * skipped (until split.c); the argument checks are Linux's.
 */
#include "tools/hostmm/hostmm_vm.h"

/* Fault [start, start + len) in by writing one byte per page: value i + 1 at page i. */
static bool write_pages(struct mm_struct *mm, unsigned long start, unsigned long len)
{
	for (unsigned long i = 0; i < len >> PAGE_SHIFT; i++)
		ASSERT_EQ(vm_user_write(mm, start + PG(i), (unsigned char)(i + 1)), VM_FAULT_OK);
	return true;
}

/* Every PTE of [start, start + nr pages) is present, clean and old (dirty: dirty instead). */
static bool ptes_clean_old(struct mm_struct *mm, unsigned long start, unsigned long nr, bool dirty)
{
	for (unsigned long i = 0; i < nr; i++) {
		pte_t pte = vm_pte(mm, start + PG(i));

		ASSERT_TRUE(pte_present(pte));
		ASSERT_EQ(pte_dirty(pte), dirty);
		ASSERT_EQ(pte_young(pte), dirty);
		ASSERT_TRUE(pte_write(pte));
	}
	return true;
}

/* Each order 0..9 alone: MADV_FREE of the whole folio keeps it whole and makes it lazyfree. */
static bool test_madv_free_whole_folios_keep_order(void)
{
	for (unsigned int order = 0; order <= MTHP_MAX_ORDER; order++) {
		unsigned long nr = 1UL << order, len = PG(nr);
		struct mm_struct *mm = vm_setup_mm(0, K(2048));
		struct folio *folio;

		vm_policy_only(order);
		if (!write_pages(mm, VM_BASE, len))
			return false;
		folio = vm_folio_at(mm, VM_BASE);
		ASSERT_EQ(folio_order(folio), order);
		ASSERT_EQ(folio_lru_list(folio), LRU_INACTIVE_ANON);
		ASSERT_EQ(vm_madvise(VM_BASE, len, MADV_FREE), 0);
		ASSERT_EQ(vm_folio_at(mm, VM_BASE), folio);
		ASSERT_EQ(folio_order(folio), order);
		ASSERT_TRUE(folio_test_lazyfree(folio));
		ASSERT_TRUE(folio_test_lru(folio));
		ASSERT_EQ(folio_lru_list(folio), LRU_INACTIVE_FILE);
		ASSERT_EQ(lruvec.nr_pages[LRU_INACTIVE_FILE], nr);
		ASSERT_EQ(lruvec.nr_pages[LRU_INACTIVE_ANON], 0);
		ASSERT_EQ(vm_events[PGLAZYFREE], nr);
		ASSERT_EQ(folio_mapcount(folio), nr);
		ASSERT_EQ(folio_ref_count(folio), nr);
		if (!ptes_clean_old(mm, VM_BASE, nr, false))
			return false;
		/* Again: nothing more to do, nothing counted. */
		ASSERT_EQ(vm_madvise(VM_BASE, len, MADV_FREE), 0);
		ASSERT_EQ(vm_events[PGLAZYFREE], nr);
		for (unsigned long i = 0; i < nr; i++)
			ASSERT_EQ(vm_user_read(mm, VM_BASE + PG(i)), (unsigned char)(i + 1));
		vm_mm_put(mm);
		ASSERT_EQ(nr_free_pages(), vm_free_start);
	}
	return true;
}

/* A range that covers a 64K folio only in part leaves it alone (no split yet); whole ones go lazyfree. */
static bool test_madv_free_partial_folio_skipped(void)
{
	struct mm_struct *mm = vm_setup_mm(0, K(256));
	struct folio *first, *second;

	vm_policy_only(4);
	if (!write_pages(mm, VM_BASE, K(128)))
		return false;
	first = vm_folio_at(mm, VM_BASE);
	second = vm_folio_at(mm, VM_BASE + K(64));
	ASSERT_EQ(vm_madvise(VM_BASE + K(32), K(96), MADV_FREE), 0);
	ASSERT_FALSE(folio_test_lazyfree(first));
	ASSERT_TRUE(folio_test_lazyfree(second));
	if (!ptes_clean_old(mm, VM_BASE, 16, true) || !ptes_clean_old(mm, VM_BASE + K(64), 16, false))
		return false;
	ASSERT_EQ(vm_events[PGLAZYFREE], 16);
	ASSERT_EQ(folio_order(first), 4);
	vm_mm_put(mm);
	return true;
}

/* Linux's checks: EINVAL for an unaligned start or a wrapping range, ENOMEM over holes (the mapped part is done). */
static bool test_madv_free_errors(void)
{
	struct mm_struct *mm = vm_setup_mm(0, K(64));
	struct folio *folio;

	vm_policy_only(0);
	if (!write_pages(mm, VM_BASE, K(8)))
		return false;
	folio = vm_folio_at(mm, VM_BASE);
	ASSERT_EQ(vm_madvise(VM_BASE + 1, PAGE_SIZE, MADV_FREE), -EINVAL);
	ASSERT_EQ(vm_madvise(VM_BASE, -PAGE_SIZE, MADV_FREE), -EINVAL);
	ASSERT_EQ(vm_madvise(VM_BASE, 0, MADV_FREE), 0);
	ASSERT_EQ(vm_madvise(VM_BASE + K(64), PAGE_SIZE, MADV_FREE), -ENOMEM);
	ASSERT_FALSE(folio_test_lazyfree(folio));
	ASSERT_EQ(vm_madvise(VM_BASE, K(128), MADV_FREE), -ENOMEM);
	ASSERT_TRUE(folio_test_lazyfree(folio));
	ASSERT_TRUE(folio_test_lazyfree(vm_folio_at(mm, VM_BASE + PG(1))));
	/* Zero-page PTEs and none PTEs: nothing to do. */
	ASSERT_EQ(vm_user_read(mm, VM_BASE + K(16)), 0);
	ASSERT_EQ(vm_madvise(VM_BASE + K(16), K(48), MADV_FREE), 0);
	ASSERT_EQ(vm_events[PGLAZYFREE], 2);
	vm_mm_put(mm);
	return true;
}

const struct hostmm_test reclaim_tests[] = {
	HOSTMM_TEST(test_madv_free_whole_folios_keep_order),
	HOSTMM_TEST(test_madv_free_partial_folio_skipped),
	HOSTMM_TEST(test_madv_free_errors),
	{ NULL, NULL },
};
