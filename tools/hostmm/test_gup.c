/*
 * test_gup.c - FOLL_PIN pins (mm/gup.c) and what fork and CoW do with them:
 * Linux's PageAnonExclusive rules, on the real fault, fork and CoW paths.
 */
#include "tools/hostmm/hostmm_vm.h"
#include "mm/gup.h"
#include "mm/split.h"

/* pin_user_pages() with mmap_lock taken. */
static long pin(struct mm_struct *mm, unsigned long addr, unsigned long nr, struct page **pages)
{
	long ret;

	mmap_write_lock(mm);
	ret = pin_user_pages(mm, addr, nr, pages);
	mmap_write_unlock(mm);
	return ret;
}

/* An exclusive large folio: pinned in place; fork copies every page for the child. */
static bool test_gup_pin_then_fork_copies(void)
{
	struct folio *folio;
	struct mm_struct *parent = vm_setup_64k_folio(&folio), *child;
	struct page *pages[2];

	ASSERT_EQ(pin(parent, VM_BASE + PG(2), 2, pages), 2);
	ASSERT_TRUE(pages[0] == folio_page(folio, 2) && pages[1] == folio_page(folio, 3));
	ASSERT_EQ(atomic_read(&folio->_pincount), 2);
	ASSERT_EQ(folio_ref_count(folio), 16 + 2);
	ASSERT_TRUE(folio_maybe_dma_pinned(folio));
	child = vm_mm_dup(parent);
	ASSERT_TRUE(child != NULL);
	for (unsigned int i = 0; i < 16; i++) {
		struct folio *copy = vm_folio_at(child, VM_BASE + PG(i));

		ASSERT_TRUE(copy != folio);
		ASSERT_EQ(folio_order(copy), 0);
		ASSERT_EQ(((char *)folio_address(copy))[100], 'a' + i);
		ASSERT_TRUE(PageAnonExclusive(folio_page(folio, i)));
		ASSERT_TRUE(pte_write(vm_pte(parent, VM_BASE + PG(i))));
	}
	ASSERT_EQ(folio_mapcount(folio), 16);
	ASSERT_EQ(get_mm_counter(child, MM_ANONPAGES), 16);
	/* The child's writes land in its copies; the pinned pages keep the parent's data. */
	ASSERT_EQ(vm_user_write(child, VM_BASE + PG(2), 'Z'), 0);
	ASSERT_EQ(((char *)folio_address(folio))[PG(2)], 'c');
	debug_vm_check_mm_rmap(parent);
	debug_vm_check_mm_rmap(child);
	vm_mm_put(child);
	unpin_user_page(pages[0]);
	unpin_user_page(pages[1]);
	ASSERT_FALSE(folio_maybe_dma_pinned(folio));
	ASSERT_EQ(folio_ref_count(folio), 16);
	vm_mm_put(parent);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	memmap_check();
	return true;
}

/* A page shared since fork: the pin's write fault copies it first; the pin holds the copy. */
static bool test_gup_pin_shared_unshares(void)
{
	struct folio *folio, *copy;
	struct mm_struct *parent = vm_setup_64k_folio(&folio), *child = vm_mm_dup(parent);
	struct page *page;

	ASSERT_EQ(pin(parent, VM_BASE + PG(5), 1, &page), 1);
	copy = page_folio(page);
	ASSERT_TRUE(copy != folio);
	ASSERT_EQ(folio_order(copy), 0);
	ASSERT_EQ(folio_ref_count(copy), 1 + GUP_PIN_COUNTING_BIAS);
	ASSERT_TRUE(folio_maybe_dma_pinned(copy));
	ASSERT_FALSE(folio_maybe_dma_pinned(folio));
	ASSERT_TRUE(vm_folio_at(child, VM_BASE + PG(5)) == folio);
	/* The child writes its page 5: reused or copied, never the pinned page. */
	ASSERT_EQ(vm_user_write(child, VM_BASE + PG(5), 'Z'), 0);
	ASSERT_EQ(((char *)folio_address(copy))[0], 'f');
	unpin_user_page(page);
	ASSERT_EQ(folio_ref_count(copy), 1);
	vm_mm_put(child);
	vm_mm_put(parent);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	memmap_check();
	return true;
}

/* A read-only VMA: an unshare fault copies the shared page and maps it read-only. */
static bool test_gup_pin_readonly_unshares(void)
{
	struct folio *folio, *copy;
	struct mm_struct *parent = vm_setup_64k_folio(&folio), *child = vm_mm_dup(parent);
	struct page *page;

	vm_use(parent);
	ASSERT_EQ(vm_mprotect(VM_BASE, K(64), PROT_READ), 0);
	ASSERT_EQ(pin(parent, VM_BASE + PG(1), 1, &page), 1);
	copy = page_folio(page);
	ASSERT_TRUE(copy != folio);
	ASSERT_TRUE(PageAnonExclusive(page));
	ASSERT_FALSE(pte_write(vm_pte(parent, VM_BASE + PG(1))));
	ASSERT_EQ(((char *)folio_address(copy))[7], 'b');
	vm_mm_put(child);
	/* Alone now: an unshare of page 2 reuses the folio's page without copying. */
	ASSERT_EQ(pin(parent, VM_BASE + PG(2), 1, &page), 1);
	ASSERT_TRUE(page == folio_page(folio, 2));
	ASSERT_FALSE(pte_write(vm_pte(parent, VM_BASE + PG(2))));
	unpin_user_page(page);
	unpin_user_page(folio_page(copy, 0));
	vm_mm_put(parent);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	memmap_check();
	return true;
}

/* A pinned folio is never reused by CoW nor split. */
static bool test_gup_pinned_not_reused(void)
{
	struct folio *folio;
	struct mm_struct *parent = vm_setup_64k_folio(&folio), *child = vm_mm_dup(parent);
	struct page *page;

	vm_mm_put(child);
	/* Only the parent maps it, but a pin (taken by the child side's pipe, say) stays. */
	atomic_inc(&folio->_pincount);
	folio_ref_add(folio, 1);
	ASSERT_EQ(vm_user_write(parent, VM_BASE + PG(0), 'Z'), 0);
	ASSERT_TRUE(vm_folio_at(parent, VM_BASE) != folio);	/* copied, not reused */
	folio_lock(folio);
	ASSERT_EQ(split_folio_to_order(folio, 0), -EBUSY);
	folio_unlock(folio);
	page = folio_page(folio, 0);
	unpin_user_page(page);
	vm_mm_put(parent);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	memmap_check();
	return true;
}

/* No VMA, or a hole after the first page: -EFAULT, or the pages before the hole. */
static bool test_gup_pin_errors(void)
{
	struct folio *folio;
	struct mm_struct *mm = vm_setup_64k_folio(&folio);
	struct page *pages[2];

	ASSERT_EQ(pin(mm, VM_BASE + K(64), 1, pages), -EFAULT);
	ASSERT_EQ(pin(mm, VM_BASE + K(60), 2, pages), 1);
	unpin_user_page(pages[0]);
	ASSERT_EQ(folio_ref_count(folio), 16);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* access_remote_vm reads follow the mapping as it is: a shared page stays shared, a hole is read-faulted. */
static bool test_remote_read_shares(void)
{
	struct folio *folio;
	struct mm_struct *parent = vm_setup_64k_folio(&folio), *child = vm_mm_dup(parent);
	char buf[8];

	ASSERT_EQ(access_remote_vm(child, VM_BASE + PG(3) - 2, buf, 4, FOLL_FORCE), 4);
	ASSERT_TRUE(!memcmp(buf, "ccdd", 4));
	ASSERT_TRUE(vm_folio_at(child, VM_BASE + PG(3)) == folio);	/* not unshared */
	ASSERT_EQ(folio_mapcount(folio), 32);
	ASSERT_EQ(access_remote_vm(child, VM_BASE + K(64) - 2, buf, 4, FOLL_FORCE), 2);	/* the VMA ends */
	ASSERT_EQ(access_remote_vm(child, VM_BASE + K(64), buf, 4, FOLL_FORCE), 0);
	vm_mm_put(child);
	vm_mm_put(parent);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	memmap_check();
	return true;
}

/* A forced write to a read-only page shared after fork copies it for the target only. */
static bool test_remote_force_write_cows(void)
{
	struct folio *folio, *copy;
	struct mm_struct *parent = vm_setup_64k_folio(&folio), *child;
	char buf[2];

	vm_use(parent);
	ASSERT_EQ(vm_mprotect(VM_BASE, K(64), PROT_READ), 0);
	child = vm_mm_dup(parent);
	ASSERT_EQ(access_remote_vm(child, VM_BASE + PG(5) + 9, "XY", 2, FOLL_WRITE), 0);	/* not forced */
	ASSERT_EQ(access_remote_vm(child, VM_BASE + PG(5) + 9, "XY", 2, FOLL_FORCE | FOLL_WRITE), 2);
	copy = vm_folio_at(child, VM_BASE + PG(5));
	ASSERT_TRUE(copy != folio);
	ASSERT_EQ(folio_mapcount(copy), 1);
	ASSERT_FALSE(pte_write(vm_pte(child, VM_BASE + PG(5))));	/* stays read-only */
	ASSERT_EQ(((char *)folio_address(copy))[8], 'f');
	ASSERT_EQ(((char *)folio_address(copy))[9], 'X');
	ASSERT_EQ(((char *)folio_address(folio))[PG(5) + 9], 'f');	/* the parent's data */
	ASSERT_EQ(access_remote_vm(parent, VM_BASE + PG(5) + 9, buf, 2, FOLL_FORCE), 2);
	ASSERT_TRUE(!memcmp(buf, "ff", 2));
	ASSERT_EQ(get_mm_counter(child, MM_ANONPAGES), 16);
	debug_vm_check_mm_rmap(parent);
	debug_vm_check_mm_rmap(child);
	vm_mm_put(child);
	vm_mm_put(parent);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	memmap_check();
	return true;
}

/* A forced write to a none PTE of a read-only VMA: zero page, then a page of its own. */
static bool test_remote_force_write_zero_page(void)
{
	struct mm_struct *mm = vm_setup_mm(0, K(64));
	char buf[3];

	vm_policy_only(0);
	ASSERT_EQ(vm_mprotect(VM_BASE, K(64), PROT_READ), 0);
	ASSERT_EQ(access_remote_vm(mm, VM_BASE + 100, buf, 1, FOLL_FORCE), 1);
	ASSERT_EQ(buf[0], 0);
	ASSERT_TRUE(is_zero_pfn(pte_pfn(vm_pte(mm, VM_BASE))));
	ASSERT_EQ(get_mm_counter(mm, MM_ANONPAGES), 0);
	ASSERT_EQ(access_remote_vm(mm, VM_BASE + 100, "Z", 1, FOLL_FORCE | FOLL_WRITE), 1);
	ASSERT_FALSE(is_zero_pfn(pte_pfn(vm_pte(mm, VM_BASE))));
	ASSERT_EQ(get_mm_counter(mm, MM_ANONPAGES), 1);
	ASSERT_EQ(access_remote_vm(mm, VM_BASE + 99, buf, 3, FOLL_FORCE), 3);
	ASSERT_TRUE(buf[0] == 0 && buf[1] == 'Z' && buf[2] == 0);
	ASSERT_EQ(((char *)page_address(zero_page))[100], 0);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	memmap_check();
	return true;
}

const struct hostmm_test gup_tests[] = {
	HOSTMM_TEST(test_gup_pin_then_fork_copies),
	HOSTMM_TEST(test_gup_pin_shared_unshares),
	HOSTMM_TEST(test_gup_pin_readonly_unshares),
	HOSTMM_TEST(test_gup_pinned_not_reused),
	HOSTMM_TEST(test_gup_pin_errors),
	HOSTMM_TEST(test_remote_read_shares),
	HOSTMM_TEST(test_remote_force_write_cows),
	HOSTMM_TEST(test_remote_force_write_zero_page),
	{ NULL, NULL },
};
