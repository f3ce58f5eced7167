/*
 * test_debug_vm.c - misuse and corruption are caught with a clear report:
 * the panic message names the function and the reason, and the log holds
 * the page dump.  Each test ends at its panic; the runner reboots.
 */
#include "tools/hostmm/hostmm.h"

static bool test_double_free_order0(void)
{
	struct page *page = alloc_pages(GFP_KERNEL, 0);

	free_pages(page, 0);
	ASSERT_PANICS("free_pages: double free (page is not allocated)", free_pages(page, 0));
	ASSERT_TRUE(hostmm_log_contains("page dumped because: double free"));
	return true;
}

static bool test_double_free_after_merge(void)
{
	struct page *page;

	drain_all();
	undrain_range(1024, 1026);		/* 1024+1025 merge to an order-1 block */
	page = pfn_to_page(1025);		/* now a free interior frame */
	ASSERT_FALSE(PageBuddy(page));
	ASSERT_PANICS("free_pages: double free", free_pages(page, 0));
	return true;
}

static bool test_free_tail_page(void)
{
	struct page *page = alloc_pages(GFP_KERNEL, 2);
	char msg[80];

	snprintf(msg, sizeof(msg), "free_pages: freeing a tail page (head pfn 0x%lx)",
		 page_to_pfn(page));
	ASSERT_PANICS(msg, free_pages(page + 1, 0));
	ASSERT_TRUE(hostmm_log_contains("page: tail of head pfn:"));
	return true;
}

static bool test_free_wrong_order_smaller(void)
{
	struct page *page = alloc_pages(GFP_KERNEL, 2);

	ASSERT_PANICS("free_pages: wrong order 1, block was allocated with order 2",
		      free_pages(page, 1));
	ASSERT_TRUE(hostmm_log_contains("flags: 0x8(head)"));
	return true;
}

static bool test_free_wrong_order_larger(void)
{
	struct page *page = alloc_pages(GFP_KERNEL, 0);

	ASSERT_PANICS("free_pages: wrong order 3, block was allocated with order 0",
		      free_pages(page, 3));
	return true;
}

static bool test_free_reserved(void)
{
	ASSERT_PANICS("free_pages: freeing a reserved page", free_pages(pfn_to_page(4096), 0));
	ASSERT_TRUE(hostmm_log_contains("page: pfn:0x1000 refcount:1 mapcount:-1"));
	return true;
}

static bool test_folio_put_underflow(void)
{
	struct folio *folio = folio_alloc(GFP_KERNEL, 1);

	folio_put(folio);
	ASSERT_PANICS("folio_put: refcount underflow", folio_put(folio));
	return true;
}

static bool test_free_mapped_folio(void)
{
	struct folio *folio = folio_alloc(GFP_KERNEL, 0);

	atomic_set(&folio->_mapcount, 0);
	ASSERT_PANICS("free_pages_prepare: freeing a mapped page", folio_put(folio));
	return true;
}

static bool test_free_folio_on_deferred_list(void)
{
	struct folio *folio = folio_alloc(GFP_KERNEL, 1);
	LIST_HEAD(queue);

	list_add(folio_deferred_list(folio), &queue);
	ASSERT_PANICS("free_pages_prepare: freeing a folio still on the deferred split queue",
		      folio_put(folio));
	ASSERT_TRUE(hostmm_log_contains("deferred_list:queued"));
	return true;
}

static bool test_free_locked_folio(void)
{
	struct folio *folio = folio_alloc(GFP_KERNEL, 0);

	folio_lock(folio);
	ASSERT_PANICS("free_pages_prepare: freeing a page that is locked", folio_put(folio));
	return true;
}

static bool test_folio_unlock_unlocked(void)
{
	struct folio *folio = folio_alloc(GFP_KERNEL, 0);

	ASSERT_PANICS("folio_unlock: not locked", folio_unlock(folio));
	return true;
}

static bool test_use_after_free_poison(void)
{
	u8 *bytes;

	drain_all();
	undrain_range(1025, 1026);		/* the only free frame */
	bytes = page_address(pfn_to_page(1025));
	bytes[100] = 0;				/* write after free */
	ASSERT_PANICS("page_poison_check: poison overwritten at offset 0x60 (use after free)",
		      alloc_pages(GFP_KERNEL, 0));
	return true;
}

static bool test_order_above_max(void)
{
	ASSERT_PANICS("alloc_pages: order 11 > MAX_PAGE_ORDER", alloc_pages(GFP_KERNEL, 11));
	return true;
}

static bool test_memmap_check_tail_order(void)
{
	struct page *page = alloc_pages(GFP_KERNEL, 3);

	memmap_check();
	page[5].compound_order = 2;
	ASSERT_PANICS("memmap_check: tail does not agree with its head", memmap_check());
	return true;
}

static bool test_memmap_check_free_interior(void)
{
	struct page *page = pfn_to_page(3072);	/* an order-10 free block */

	ASSERT_TRUE(page_is_buddy(page, 10));
	atomic_set(&page[17]._refcount, 1);
	ASSERT_PANICS("memmap_check: free interior frame in use", memmap_check());
	return true;
}

static bool test_memmap_check_counter(void)
{
	zone_normal.free_area[4].nr_free++;
	ASSERT_PANICS("memmap_check: free_area[4]", memmap_check());
	return true;
}

static bool test_memmap_check_leak(void)
{
	struct page *page = alloc_pages(GFP_KERNEL, 0);

	atomic_set(&page->_refcount, 0);		/* dropped without freeing */
	ASSERT_PANICS("memmap_check: frame neither free nor allocated (leak?)", memmap_check());
	return true;
}

static bool test_memmap_check_orphan_tail(void)
{
	struct page *page = alloc_pages(GFP_KERNEL, 2);

	ClearPageHead(page);
	atomic_set(&page->_refcount, 1);
	ASSERT_PANICS("memmap_check: tail page outside its head's block", memmap_check());
	return true;
}

static bool test_memmap_check_reserved_on_free_list(void)
{
	struct page *page = pfn_to_page(158);	/* order-0 free head */

	ASSERT_TRUE(page_is_buddy(page, 0));
	SetPageReserved(page);
	ASSERT_PANICS("memmap_check: reserved frame free or compound", memmap_check());
	return true;
}

const struct hostmm_test debug_vm_tests[] = {
	HOSTMM_TEST(test_double_free_order0),
	HOSTMM_TEST(test_double_free_after_merge),
	HOSTMM_TEST(test_free_tail_page),
	HOSTMM_TEST(test_free_wrong_order_smaller),
	HOSTMM_TEST(test_free_wrong_order_larger),
	HOSTMM_TEST(test_free_reserved),
	HOSTMM_TEST(test_folio_put_underflow),
	HOSTMM_TEST(test_free_mapped_folio),
	HOSTMM_TEST(test_free_folio_on_deferred_list),
	HOSTMM_TEST(test_free_locked_folio),
	HOSTMM_TEST(test_folio_unlock_unlocked),
	HOSTMM_TEST(test_use_after_free_poison),
	HOSTMM_TEST(test_order_above_max),
	HOSTMM_TEST(test_memmap_check_tail_order),
	HOSTMM_TEST(test_memmap_check_free_interior),
	HOSTMM_TEST(test_memmap_check_counter),
	HOSTMM_TEST(test_memmap_check_leak),
	HOSTMM_TEST(test_memmap_check_orphan_tail),
	HOSTMM_TEST(test_memmap_check_reserved_on_free_list),
	{ NULL, NULL },
};
