/*
 * test_cow.c - copy-on-write of large folios (mm/cow.c, mm/cow_policy.c):
 * the reuse decision, the folio copy and its fallback, the adaptive CoW
 * rule, and that a CoW does not feed the adaptive order policy.
 */
#include "tools/hostmm/hostmm_vm.h"

#define NR	16	/* pages of the 64K folios these tests use */

/* An mm with `blocks` 64K folios at VM_BASE, page i holding 'a' + i % 26; current = it. */
static struct mm_struct *mm_with_64k_folios(unsigned int blocks)
{
	struct mm_struct *mm;

	vm_setup();
	mm = vm_mm_new();
	vm_use(mm);
	vm_policy_only(4);
	if (vm_map_rw(VM_BASE, blocks * K(64)) != (long)VM_BASE)
		panic("mm_with_64k_folios: mmap failed");
	for (unsigned int i = 0; i < blocks * NR; i++)
		if (vm_user_write(mm, VM_BASE + PG(i), 'a' + i % 26) != VM_FAULT_OK)
			panic("mm_with_64k_folios: fault failed");
	return mm;
}

/* Do pages [first, first + n) of mm hold their 'a' + i % 26? */
static bool pages_hold(struct mm_struct *mm, unsigned int first, unsigned int n)
{
	for (unsigned int i = first; i < first + n; i++)
		if (vm_user_read(mm, VM_BASE + PG(i)) != 'a' + (int)(i % 26))
			return false;
	return true;
}

/* Is every PTE of the 64K block at addr writable (want) or read-only (!want)? */
static bool block_writable(struct mm_struct *mm, unsigned long addr, bool want)
{
	for (unsigned int i = 0; i < NR; i++)
		if (pte_write(vm_pte(mm, addr + PG(i))) != want)
			return false;
	return true;
}

/* The child exited: one write reuses the whole folio, no page allocated. */
static bool test_cow_reuse_after_child_exit(void)
{
	struct mm_struct *mm = mm_with_64k_folios(1), *child;
	struct folio *folio = vm_folio_at(mm, VM_BASE);
	unsigned long free0;

	child = vm_mm_dup(mm);
	ASSERT_TRUE(child != NULL);
	vm_mm_put(child);
	ASSERT_TRUE(block_writable(mm, VM_BASE, false));
	free0 = nr_free_pages();
	ASSERT_EQ(vm_fault(mm, VM_BASE + PG(5), true), VM_FAULT_OK);
	ASSERT_EQ(nr_free_pages(), free0);
	ASSERT_TRUE(vm_folio_at(mm, VM_BASE) == folio);
	ASSERT_TRUE(block_writable(mm, VM_BASE, true));
	for (unsigned int i = 0; i < NR; i++)
		ASSERT_TRUE(PageAnonExclusive(folio_page(folio, i)));
	ASSERT_TRUE(pte_dirty(vm_pte(mm, VM_BASE + PG(5))));
	ASSERT_EQ(sum_vm_event(COW_FAULT), 1);
	ASSERT_EQ(sum_vm_event(COW_REUSE), 1);
	ASSERT_EQ(sum_mthp_stat(4, MTHP_STAT_COW_REUSE), 1);
	ASSERT_EQ(folio_ref_count(folio), NR);
	ASSERT_EQ(folio_mapcount(folio), NR);
	ASSERT_TRUE(pages_hold(mm, 0, NR));
	debug_vm_check_mm_rmap(mm);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* Not reused: the child still maps one page, or someone holds a reference, or a pin. */
static bool test_cow_no_reuse(void)
{
	struct mm_struct *mm = mm_with_64k_folios(1), *child;
	struct folio *folio = vm_folio_at(mm, VM_BASE);

	child = vm_mm_dup(mm);
	ASSERT_TRUE(child != NULL);
	vm_use(child);
	ASSERT_EQ(vm_munmap(VM_BASE, K(60)), 0);	/* the child keeps page 15 only */
	vm_use(mm);
	ASSERT_EQ(vm_fault(mm, VM_BASE, true), VM_FAULT_OK);
	ASSERT_TRUE(vm_folio_at(mm, VM_BASE) != folio);
	ASSERT_EQ(sum_vm_event(COW_REUSE), 0);
	vm_mm_put(child);
	/* Only this mm maps it now, but an extra reference (a GUP, say) forbids reuse. */
	folio_get(folio);
	ASSERT_EQ(vm_fault(mm, VM_BASE + PG(1), true), VM_FAULT_OK);
	ASSERT_TRUE(vm_folio_at(mm, VM_BASE + PG(1)) != folio);
	folio_put(folio);
	atomic_set(&folio->_pincount, 1);
	ASSERT_EQ(vm_fault(mm, VM_BASE + PG(2), true), VM_FAULT_OK);
	ASSERT_TRUE(vm_folio_at(mm, VM_BASE + PG(2)) != folio);
	atomic_set(&folio->_pincount, 0);
	ASSERT_EQ(sum_vm_event(COW_REUSE), 0);
	/* Without them: reused, the 13 PTEs left made writable. */
	ASSERT_EQ(vm_fault(mm, VM_BASE + PG(3), true), VM_FAULT_OK);
	ASSERT_TRUE(vm_folio_at(mm, VM_BASE + PG(15)) == folio);
	ASSERT_TRUE(pte_write(vm_pte(mm, VM_BASE + PG(15))));
	ASSERT_EQ(sum_vm_event(COW_REUSE), 1);
	ASSERT_TRUE(pages_hold(mm, 0, NR));
	debug_vm_check_mm_rmap(mm);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	ASSERT_EQ(deferred_split_count(), 0);
	return true;
}

/* A folio split between two VMAs of this mm: reuse makes only this VMA's PTEs writable. */
static bool test_cow_reuse_split_vma(void)
{
	struct mm_struct *mm = mm_with_64k_folios(1), *child;
	struct folio *folio = vm_folio_at(mm, VM_BASE);

	ASSERT_EQ(vm_mprotect(VM_BASE + K(32), K(32), PROT_READ), 0);
	child = vm_mm_dup(mm);
	ASSERT_TRUE(child != NULL);
	vm_mm_put(child);
	ASSERT_EQ(vm_fault(mm, VM_BASE, true), VM_FAULT_OK);
	ASSERT_TRUE(vm_folio_at(mm, VM_BASE) == folio);
	for (unsigned int i = 0; i < NR; i++)
		ASSERT_EQ(pte_write(vm_pte(mm, VM_BASE + PG(i))), i < 8);
	ASSERT_EQ(vm_mprotect(VM_BASE + K(32), K(32), PROT_READ | PROT_WRITE), 0);
	ASSERT_EQ(vm_fault(mm, VM_BASE + PG(9), true), VM_FAULT_OK);
	ASSERT_TRUE(block_writable(mm, VM_BASE, true));
	ASSERT_EQ(sum_vm_event(COW_REUSE), 2);
	ASSERT_TRUE(pages_hold(mm, 0, NR));
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* cow_policy folio: one fault copies the whole folio; the child keeps the old one whole. */
static bool test_cow_copy_folio(void)
{
	struct mm_struct *mm = mm_with_64k_folios(1), *child;
	struct folio *folio = vm_folio_at(mm, VM_BASE), *copy;
	unsigned long free0;

	anon_order_config.cow_policy = COW_POLICY_FOLIO;
	child = vm_mm_dup(mm);
	ASSERT_TRUE(child != NULL);
	free0 = nr_free_pages();
	ASSERT_EQ(vm_user_write(mm, VM_BASE + PG(7), 'Z'), VM_FAULT_OK);
	ASSERT_EQ(nr_free_pages(), free0 - NR);
	copy = vm_folio_at(mm, VM_BASE);
	ASSERT_TRUE(copy != folio);
	ASSERT_EQ(folio_order(copy), 4);
	ASSERT_TRUE(block_writable(mm, VM_BASE, true));
	for (unsigned int i = 0; i < NR; i++)
		ASSERT_EQ(pte_pfn(vm_pte(mm, VM_BASE + PG(i))), folio_pfn(copy) + i);
	ASSERT_EQ(folio_mapcount(copy), NR);
	ASSERT_EQ(folio_ref_count(copy), NR);
	ASSERT_EQ(folio_mapcount(folio), NR);
	ASSERT_EQ(folio_ref_count(folio), NR);
	ASSERT_FALSE(folio_test_partially_mapped(folio));
	ASSERT_EQ(get_mm_counter(mm, MM_ANONPAGES), NR);
	ASSERT_EQ(sum_vm_event(COW_COPY_FOLIO), 1);
	ASSERT_EQ(sum_mthp_stat(4, MTHP_STAT_COW_COPY_FOLIO), 1);
	ASSERT_EQ(vm_user_read(mm, VM_BASE + PG(7)), 'Z');
	ASSERT_TRUE(pages_hold(mm, 0, 7) && pages_hold(mm, 8, 8));
	ASSERT_TRUE(pages_hold(child, 0, NR));
	debug_vm_check_mm_rmap(mm);
	debug_vm_check_mm_rmap(child);
	vm_mm_put(child);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	ASSERT_EQ(deferred_split_count(), 0);
	return true;
}

/* No memory for the folio copy: a page copy (counted); for neither: OOM, nothing changed. */
static bool test_cow_copy_folio_fallback(void)
{
	struct mm_struct *mm = mm_with_64k_folios(1), *child;
	struct folio *folio = vm_folio_at(mm, VM_BASE);
	struct vm_snapshot snap;

	anon_order_config.cow_policy = COW_POLICY_FOLIO;
	child = vm_mm_dup(mm);
	ASSERT_TRUE(child != NULL);
	vm_snapshot(mm, &snap);
	drain_all();
	ASSERT_EQ(vm_fault(mm, VM_BASE + PG(2), true), VM_FAULT_OOM);
	ASSERT_TRUE(vm_snapshot_same(mm, &snap, 0));
	ASSERT_EQ(folio_ref_count(folio), 2 * NR);
	undrain_all();
	ASSERT_EQ(vm_knob_write("/sys/kernel/mm/folio/fragment", "1"), 1);	/* no free block above order 0 */
	ASSERT_EQ(vm_fault(mm, VM_BASE + PG(2), true), VM_FAULT_OK);
	ASSERT_EQ(vm_knob_write("/sys/kernel/mm/folio/fragment", "0"), 1);
	ASSERT_EQ(vm_order_at(mm, VM_BASE + PG(2)), 0);
	ASSERT_TRUE(vm_folio_at(mm, VM_BASE + PG(3)) == folio);
	ASSERT_EQ(sum_vm_event(COW_COPY_FOLIO), 0);
	ASSERT_EQ(sum_mthp_stat(4, MTHP_STAT_COW_COPY_FOLIO_FALLBACK), 2);
	ASSERT_TRUE(pages_hold(mm, 0, NR) && pages_hold(child, 0, NR));
	vm_mm_put(child);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* cow_policy adaptive: page copies until a neighbouring block is written whole, then folios. */
static bool test_cow_adaptive(void)
{
	struct mm_struct *mm = mm_with_64k_folios(4), *child;
	char buf[64];

	ASSERT_EQ(vm_knob_write(FOLIO_SYSFS_DIR "/cow_policy", "adaptive\n"), 9);
	ASSERT_TRUE(vm_knob_read(FOLIO_SYSFS_DIR "/cow_policy", buf, sizeof(buf)) > 0);
	ASSERT_TRUE(!strcmp(buf, "page folio [adaptive]\n"));
	ASSERT_EQ(anon_order_config.cow_policy, COW_POLICY_ADAPTIVE);
	child = vm_mm_dup(mm);
	ASSERT_TRUE(child != NULL);
	/* Block 2 first: neither neighbour written, a page. */
	ASSERT_EQ(vm_fault(mm, VM_BASE + K(128), true), VM_FAULT_OK);
	ASSERT_EQ(vm_order_at(mm, VM_BASE + K(128)), 0);
	/* Block 0, page by page: 16 page copies (not whole after the first). */
	for (unsigned int i = 0; i < NR; i++)
		ASSERT_EQ(vm_fault(mm, VM_BASE + PG(i), true), VM_FAULT_OK);
	ASSERT_EQ(sum_vm_event(COW_COPY_FOLIO), 0);
	/* Block 1: block 0 below is all written -> the whole folio. */
	ASSERT_EQ(vm_fault(mm, VM_BASE + K(64) + PG(9), true), VM_FAULT_OK);
	ASSERT_EQ(vm_order_at(mm, VM_BASE + K(64)), 4);
	ASSERT_TRUE(block_writable(mm, VM_BASE + K(64), true));
	/* Block 3: block 2 below is not whole, block 3 has no block above in the VMA: a page. */
	ASSERT_EQ(vm_fault(mm, VM_BASE + K(192), true), VM_FAULT_OK);
	ASSERT_EQ(vm_order_at(mm, VM_BASE + K(192)), 0);
	ASSERT_EQ(sum_vm_event(COW_COPY_FOLIO), 1);
	ASSERT_TRUE(pages_hold(mm, 0, 4 * NR) && pages_hold(child, 0, 4 * NR));
	vm_mm_put(child);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	ASSERT_EQ(deferred_split_count(), 0);
	return true;
}

/*
 * A CoW that unmaps a page of the old folio entirely (the child copied that page
 * first) does not lower the adaptive order policy's cap, be it a page copy or a
 * folio copy.
 */
static bool test_cow_not_sparse_use(void)
{
	for (int p = COW_POLICY_PAGE; p <= COW_POLICY_FOLIO; p++) {
		struct mm_struct *mm = mm_with_64k_folios(1), *child;
		struct folio *folio = vm_folio_at(mm, VM_BASE);
		unsigned int cap;

		anon_order_config.policy = ANON_POLICY_ADAPTIVE;
		cap = anon_policy_state(vm_vma(mm, VM_BASE));
		child = vm_mm_dup(mm);
		ASSERT_TRUE(child != NULL);
		ASSERT_EQ(vm_fault(child, VM_BASE + PG(4), true), VM_FAULT_OK);	/* a page */
		anon_order_config.cow_policy = p;
		ASSERT_EQ(vm_fault(mm, VM_BASE + PG(4), true), VM_FAULT_OK);
		ASSERT_TRUE(folio_test_partially_mapped(folio));
		ASSERT_EQ(vm_order_at(mm, VM_BASE + PG(4)), (p == COW_POLICY_FOLIO ? 4 : 0));
		ASSERT_EQ(ADAPTIVE_CAP(anon_policy_state(vm_vma(mm, VM_BASE))), cap);
		ASSERT_TRUE(pages_hold(mm, 0, NR));
		vm_mm_put(child);
		vm_mm_put(mm);
		ASSERT_EQ(nr_free_pages(), vm_free_start);
	}
	return true;
}

const struct hostmm_test cow_tests[] = {
	HOSTMM_TEST(test_cow_reuse_after_child_exit),
	HOSTMM_TEST(test_cow_no_reuse),
	HOSTMM_TEST(test_cow_reuse_split_vma),
	HOSTMM_TEST(test_cow_copy_folio),
	HOSTMM_TEST(test_cow_copy_folio_fallback),
	HOSTMM_TEST(test_cow_adaptive),
	HOSTMM_TEST(test_cow_not_sparse_use),
	{ NULL, NULL },
};
