/*
 * test_fork.c - fork of an address space with large folios (dup_mm,
 * copy_page_range, anon_vma_fork) and copy-on-write afterwards.
 */
#include "tools/hostmm/hostmm_vm.h"


/* (6) both mms map the folio, write-protected; CoW copies exactly one page. */
static bool test_fork_shares_folio(void)
{
	struct folio *folio, *copy;
	struct mm_struct *parent = vm_setup_64k_folio(&folio), *child;
	unsigned long nr = 16, free_before;

	child = vm_mm_dup(parent);
	ASSERT_TRUE(child != NULL);
	ASSERT_EQ(child->map_count, 1);
	ASSERT_TRUE(vm_folio_at(child, VM_BASE) == folio);
	ASSERT_EQ(folio_ref_count(folio), 2 * nr);
	ASSERT_EQ(folio_mapcount(folio), 2 * nr);
	ASSERT_EQ(atomic_read(&folio->_large_mapcount), 2 * nr - 1);
	ASSERT_EQ(atomic_read(&folio->_nr_pages_mapped), nr);
	ASSERT_EQ(folio_rmap_count(folio), 2 * nr);
	for (unsigned long i = 0; i < nr; i++) {
		pte_t p = vm_pte(parent, VM_BASE + PG(i)), c = vm_pte(child, VM_BASE + PG(i));

		ASSERT_EQ(page_mapcount(folio_page(folio, i)), 2);
		ASSERT_FALSE(PageAnonExclusive(folio_page(folio, i)));
		ASSERT_TRUE(pte_present(p));
		ASSERT_FALSE(pte_write(p));
		ASSERT_FALSE(pte_write(c));
		ASSERT_EQ(pte_pfn(p), folio_pfn(folio) + i);
		ASSERT_EQ(pte_pfn(c), folio_pfn(folio) + i);
	}
	ASSERT_EQ(get_mm_counter(child, MM_ANONPAGES), nr);
	ASSERT_TRUE(vm_vma(child, VM_BASE)->anon_vma != vm_vma(parent, VM_BASE)->anon_vma);
	ASSERT_TRUE(vm_vma(child, VM_BASE)->anon_vma->root == vm_vma(parent, VM_BASE)->anon_vma);
	debug_vm_check_mm_rmap(parent);
	debug_vm_check_mm_rmap(child);

	/* The child writes page 3: one new page with page 3's contents. */
	free_before = nr_free_pages();
	ASSERT_EQ(vm_fault(child, VM_BASE + PG(3) + 10, true), VM_FAULT_OK);
	ASSERT_EQ(nr_free_pages(), free_before - 1);
	copy = vm_folio_at(child, VM_BASE + PG(3));
	ASSERT_TRUE(copy != folio);
	ASSERT_EQ(folio_order(copy), 0);
	ASSERT_TRUE(pte_write(vm_pte(child, VM_BASE + PG(3))));
	for (unsigned long b = 0; b < PAGE_SIZE; b++)
		ASSERT_EQ(((char *)folio_address(copy))[b], 'a' + 3);
	ASSERT_EQ(page_mapcount(folio_page(folio, 3)), 1);
	ASSERT_EQ(folio_ref_count(folio), 2 * nr - 1);
	ASSERT_EQ(folio_mapcount(folio), 2 * nr - 1);
	ASSERT_EQ(folio_rmap_count(folio), 2 * nr - 1);
	ASSERT_FALSE(folio_test_partially_mapped(folio));	/* the parent still maps page 3 */
	ASSERT_EQ(get_mm_counter(child, MM_ANONPAGES), nr);
	ASSERT_EQ(sum_vm_event(COW_FAULT), 1);
	ASSERT_TRUE(vm_folio_at(child, VM_BASE + PG(4)) == folio);
	ASSERT_FALSE(pte_write(vm_pte(parent, VM_BASE + PG(3))));
	debug_vm_check_mm_rmap(parent);
	debug_vm_check_mm_rmap(child);
	memmap_check();

	vm_mm_put(child);
	ASSERT_EQ(folio_ref_count(folio), nr);
	ASSERT_EQ(folio_mapcount(folio), nr);
	ASSERT_EQ(folio_rmap_count(folio), nr);
	vm_mm_put(parent);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	ASSERT_EQ(atomic_long_read(&nr_anon_pages), 0);
	ASSERT_EQ(deferred_split_count(), 0);
	return true;
}

/* The parent exits first; the child's mappings keep the folio alive. */
static bool test_fork_parent_exits_first(void)
{
	struct folio *folio;
	struct mm_struct *parent = vm_setup_64k_folio(&folio), *child;

	child = vm_mm_dup(parent);
	ASSERT_TRUE(child != NULL);
	vm_mm_put(parent);
	ASSERT_EQ(folio_ref_count(folio), 16);
	ASSERT_EQ(folio_rmap_count(folio), 16);
	ASSERT_EQ(((char *)folio_address(folio))[PG(15)], 'a' + 15);
	debug_vm_check_mm_rmap(child);
	/* The child partially unmaps it: queued for split; then exits. */
	vm_use(child);
	ASSERT_EQ(vm_munmap(VM_BASE, K(4)), 0);
	ASSERT_TRUE(folio_test_partially_mapped(folio));
	ASSERT_EQ(folio_rmap_count(folio), 15);
	vm_mm_put(child);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	ASSERT_EQ(deferred_split_count(), 0);
	return true;
}

/* Fork of a fork; zero-page and PROT_NONE PTEs copied too. */
static bool test_fork_grandchild(void)
{
	struct folio *folio;
	struct mm_struct *a = vm_setup_64k_folio(&folio), *b, *c;

	ASSERT_EQ(vm_mmap(VM_BASE + K(1024), K(8), PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED),
		  (long)(VM_BASE + K(1024)));
	ASSERT_EQ(vm_fault(a, VM_BASE + K(1024), false), VM_FAULT_OK);
	ASSERT_EQ(vm_mprotect(VM_BASE + K(32), K(32), PROT_NONE), 0);
	b = vm_mm_dup(a);
	ASSERT_TRUE(b != NULL);
	c = vm_mm_dup(b);
	ASSERT_TRUE(c != NULL);
	ASSERT_EQ(folio_mapcount(folio), 48);
	ASSERT_EQ(folio_ref_count(folio), 48);
	ASSERT_EQ(folio_rmap_count(folio), 48);
	ASSERT_EQ(pte_pfn(vm_pte(c, VM_BASE + K(1024))), page_to_pfn(zero_page));
	ASSERT_TRUE(pte_present(vm_pte(c, VM_BASE + K(40))));
	ASSERT_EQ(c->map_count, 3);
	debug_vm_check_mm_rmap(c);
	/* b writes: copies; its anon_vma chain reaches a's anon_vma for the rest. */
	ASSERT_EQ(vm_fault(b, VM_BASE, true), VM_FAULT_OK);
	ASSERT_EQ(folio_rmap_count(folio), 47);
	vm_use(b);
	ASSERT_EQ(do_page_fault(VM_BASE + K(1024), FAULT_FLAG_WRITE), VM_FAULT_SIGSEGV);
	ASSERT_EQ(do_page_fault(VM_BASE + K(40), 0), VM_FAULT_SIGSEGV);
	memmap_check();
	vm_mm_put(b);
	ASSERT_EQ(folio_rmap_count(folio), 32);
	debug_vm_check_mm_rmap(a);
	debug_vm_check_mm_rmap(c);
	vm_mm_put(a);
	ASSERT_EQ(folio_rmap_count(folio), 16);
	vm_mm_put(c);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/*
 * Fork with too little memory for the child's tables (root + 3 levels):
 * NULL, nothing leaked, the parent intact; with enough it succeeds.
 */
static bool test_fork_oom(void)
{
	struct folio *folio;
	struct mm_struct *parent = vm_setup_64k_folio(&folio), *child;

	for (unsigned int n = 0; n < 4; n++) {
		drain_all();
		undrain_n(n);
		ASSERT_TRUE(vm_mm_dup(parent) == NULL);
		ASSERT_EQ(nr_free_pages(), n);
		undrain_all();
		ASSERT_EQ(folio_ref_count(folio), 16);
		ASSERT_EQ(folio_mapcount(folio), 16);
		ASSERT_EQ(folio_rmap_count(folio), 16);
		debug_vm_check_mm_rmap(parent);
	}
	drain_all();
	undrain_n(4);
	child = vm_mm_dup(parent);
	ASSERT_TRUE(child != NULL);
	ASSERT_EQ(nr_free_pages(), 0);
	undrain_all();
	ASSERT_EQ(folio_rmap_count(folio), 32);
	vm_mm_put(child);
	vm_mm_put(parent);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/*
 * madvise's fork advice and mlock in dup_mm: of a 64K folio's four 16K
 * VMAs, the DONTFORK one is not in the child, the WIPEONFORK one is there
 * empty (no PTEs, no anon_vma), the mlocked one is there unlocked; the
 * child's pages are the shared folio's, and everything is freed after.
 */
static bool test_fork_advice(void)
{
	struct folio *folio;
	struct mm_struct *parent = vm_setup_64k_folio(&folio), *child;
	struct vm_area_struct *wipe;

	ASSERT_EQ(vm_madvise(VM_BASE, K(16), MADV_DONTFORK), 0);
	ASSERT_EQ(vm_madvise(VM_BASE + K(16), K(16), MADV_WIPEONFORK), 0);
	ASSERT_EQ(vm_mlock2(VM_BASE + K(32), K(16), 0), 0);
	ASSERT_EQ(parent->map_count, 4);
	ASSERT_TRUE(vm_vma(parent, VM_BASE + K(32))->vm_flags & VM_LOCKED);
	child = vm_mm_dup(parent);
	ASSERT_TRUE(child != NULL);
	ASSERT_TRUE(vm_vma(child, VM_BASE) == NULL);
	wipe = vm_vma(child, VM_BASE + K(16));
	ASSERT_TRUE(wipe && (wipe->vm_flags & VM_WIPEONFORK) && !wipe->anon_vma);
	for (unsigned long i = 4; i < 8; i++)
		ASSERT_FALSE(pte_present(vm_pte(child, VM_BASE + PG(i))));
	ASSERT_FALSE(vm_vma(child, VM_BASE + K(32))->vm_flags & VM_LOCKED_MASK);
	ASSERT_EQ(child->map_count, 3);	/* copied one by one, not merged (as Linux) */
	ASSERT_TRUE(vm_folio_at(child, VM_BASE + K(32)) == folio);
	ASSERT_EQ(get_mm_counter(child, MM_ANONPAGES), 8);
	ASSERT_EQ(folio_mapcount(folio), 16 + 8);
	ASSERT_EQ(vm_user_read(child, VM_BASE + K(16)), 0);	/* wiped: zeros */
	ASSERT_EQ(vm_user_read(parent, VM_BASE + K(16)), 'a' + 4);
	debug_vm_check_mm_rmap(parent);
	debug_vm_check_mm_rmap(child);
	vm_mm_put(child);
	vm_mm_put(parent);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

const struct hostmm_test fork_tests[] = {
	HOSTMM_TEST(test_fork_advice),
	HOSTMM_TEST(test_fork_shares_folio),
	HOSTMM_TEST(test_fork_parent_exits_first),
	HOSTMM_TEST(test_fork_grandchild),
	HOSTMM_TEST(test_fork_oom),
	{ NULL, NULL },
};
