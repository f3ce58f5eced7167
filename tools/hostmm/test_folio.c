/*
 * test_folio.c - folio helpers and the order-1 layout guarantee.
 *
 * test_order1_folio_leaves_neighbours_alone is the proof docs/mm/folio.md
 * refers to: an order-1 folio with every metadata field in use, the
 * deferred-split link queued, sits between two allocated frames whose
 * struct pages and contents must stay byte-identical.
 */
#include "tools/hostmm/hostmm.h"

static bool test_folio_helpers_large(void)
{
	struct folio *folio = folio_alloc(GFP_KERNEL, 3);
	unsigned long pfn = folio_pfn(folio);

	ASSERT_TRUE(folio_test_large(folio));
	ASSERT_EQ(folio_order(folio), 3);
	ASSERT_EQ(folio_nr_pages(folio), 8);
	ASSERT_EQ(folio_size(folio), 32768);
	ASSERT_TRUE(IS_ALIGNED(pfn, 8));
	ASSERT_TRUE(folio_address(folio) == __va(pfn << PAGE_SHIFT));
	for (unsigned long i = 0; i < 8; i++) {
		struct page *page = folio_page(folio, i);

		ASSERT_EQ(page_to_pfn(page), pfn + i);
		ASSERT_TRUE(page_folio(page) == folio);
		ASSERT_EQ(PageTail(page), i != 0);
		ASSERT_TRUE(virt_to_page((char *)folio_address(folio) + i * PAGE_SIZE + 7) == page);
		ASSERT_EQ(page_mapcount(page), 0);
	}
	ASSERT_EQ(folio_ref_count(folio), 1);
	ASSERT_EQ(folio_mapcount(folio), 0);
	ASSERT_FALSE(folio_mapped(folio));
	ASSERT_TRUE(list_empty(folio_deferred_list(folio)));
	folio_get(folio);
	ASSERT_EQ(folio_ref_count(folio), 2);
	folio_put(folio);
	ASSERT_EQ(folio_ref_count(folio), 1);
	ASSERT_EQ(nr_free_pages(), HOSTMM_FREE_PAGES - 8);
	folio_put(folio);
	ASSERT_EQ(nr_free_pages(), HOSTMM_FREE_PAGES);
	memmap_check();
	return true;
}

static bool test_folio_helpers_small(void)
{
	struct folio *folio = folio_alloc(GFP_KERNEL, 0);

	ASSERT_FALSE(folio_test_large(folio));
	ASSERT_EQ(folio_order(folio), 0);
	ASSERT_EQ(folio_nr_pages(folio), 1);
	ASSERT_TRUE(page_folio(&folio->page) == folio);
	ASSERT_TRUE(list_empty(&folio->lru));
	atomic_set(&folio->_mapcount, 0);
	ASSERT_EQ(folio_mapcount(folio), 1);
	ASSERT_TRUE(folio_mapped(folio));
	atomic_set(&folio->_mapcount, -1);
	folio_put(folio);
	ASSERT_EQ(nr_free_pages(), HOSTMM_FREE_PAGES);
	return true;
}

static bool test_folio_flags(void)
{
	struct folio *folio = folio_alloc(GFP_KERNEL, 2);

	ASSERT_FALSE(folio_test_anon(folio) || folio_test_lru(folio) || folio_test_dirty(folio));
	folio_set_anon(folio);
	folio_set_swapbacked(folio);
	ASSERT_TRUE(folio_test_anon(folio));
	ASSERT_FALSE(folio_test_lazyfree(folio));
	folio_clear_swapbacked(folio);		/* MADV_FREE: anon without swap backing */
	ASSERT_TRUE(folio_test_lazyfree(folio));
	folio_set_dirty(folio);
	ASSERT_TRUE(folio_test_dirty(folio));
	folio_set_partially_mapped(folio);
	ASSERT_TRUE(folio_test_partially_mapped(folio));
	folio_set_lru(folio);
	ASSERT_TRUE(folio_test_lru(folio));
	ASSERT_TRUE(folio_test_large(folio));
	/* Folio flags live in the head page only. */
	ASSERT_EQ(folio_page(folio, 1)->flags, 0);
	folio_clear_lru(folio);
	folio_put(folio);
	ASSERT_EQ(nr_free_pages(), HOSTMM_FREE_PAGES);
	memmap_check();
	return true;
}

static bool test_folio_lock(void)
{
	struct folio *folio = folio_alloc(GFP_KERNEL, 1);

	ASSERT_FALSE(folio_test_locked(folio));
	folio_lock(folio);
	ASSERT_TRUE(folio_test_locked(folio));
	ASSERT_FALSE(folio_trylock(folio));
	folio_unlock(folio);
	ASSERT_TRUE(folio_trylock(folio));
	folio_unlock(folio);
	ASSERT_FALSE(folio_test_locked(folio));
	folio_put(folio);
	return true;
}

/* Set every metadata field of the order-1 folio, queue it everywhere. */
static void order1_use_every_field(struct folio *folio, struct list_head *lru,
				   struct list_head *deferred)
{
	folio_lock(folio);
	folio_set_anon(folio);
	folio_set_swapbacked(folio);
	folio_set_dirty(folio);
	folio_set_active(folio);
	folio_set_referenced(folio);
	folio_set_partially_mapped(folio);
	folio_set_lru(folio);
	list_add(&folio->lru, lru);
	folio->mapping = (struct anon_vma *)0x1234;
	folio->index = 0x77;
	folio->private = 0x99;
	atomic_set(&folio_page(folio, 0)->_mapcount, 0);
	atomic_set(&folio_page(folio, 1)->_mapcount, 0);
	SetPageAnonExclusive(folio_page(folio, 0));
	SetPageAnonExclusive(folio_page(folio, 1));
	atomic_set(&folio->_large_mapcount, 1);
	atomic_set(&folio->_nr_pages_mapped, 2);
	atomic_set(&folio->_entire_mapcount, 0);
	atomic_set(&folio->_pincount, 3);
	list_add(folio_deferred_list(folio), deferred);
	memset(folio_address(folio), 0x11, 2 * PAGE_SIZE);
}

/* Undo order1_use_every_field() so the folio may be freed. */
static void order1_release_every_field(struct folio *folio)
{
	list_del_init(&folio->lru);
	folio_clear_lru(folio);
	list_del_init(folio_deferred_list(folio));
	atomic_set(&folio_page(folio, 0)->_mapcount, -1);
	atomic_set(&folio_page(folio, 1)->_mapcount, -1);
	atomic_set(&folio->_large_mapcount, -1);
	atomic_set(&folio->_nr_pages_mapped, 0);
	atomic_set(&folio->_entire_mapcount, -1);
	atomic_set(&folio->_pincount, 0);
	folio->mapping = NULL;		/* no anon_vma reference to drop */
	folio_unlock(folio);
}

static bool test_order1_folio_leaves_neighbours_alone(void)
{
	enum { P = 2050, LO = P - 8, HI = P + 2 + 8 };	/* folio at P, P+1 */
	static struct page before[HI - LO];
	static u8 data_before[(HI - LO) * 4096];
	LIST_HEAD(lru);
	LIST_HEAD(deferred);
	struct folio *folio;

	drain_all();
	/* Neighbours are allocated frames; give them distinctive data. */
	for (unsigned long pfn = LO; pfn < HI; pfn++)
		memset(page_address(pfn_to_page(pfn)), (int)pfn, PAGE_SIZE);
	undrain_range(P, P + 2);
	ASSERT_TRUE(page_is_buddy(pfn_to_page(P), 1));	/* buddy 2048 is held */
	memcpy(before, pfn_to_page(LO), sizeof(before));
	memcpy(data_before, page_address(pfn_to_page(LO)), sizeof(data_before));

	folio = folio_alloc(GFP_KERNEL, 1);
	ASSERT_EQ(folio_pfn(folio), P);
	order1_use_every_field(folio, &lru, &deferred);
	ASSERT_EQ(folio_mapcount(folio), 2);
	ASSERT_TRUE(deferred.next == folio_deferred_list(folio));
	/* Everything below and above the two frames is untouched. */
	ASSERT_EQ(memcmp(before, pfn_to_page(LO), (P - LO) * sizeof(struct page)), 0);
	ASSERT_EQ(memcmp(&before[P + 2 - LO], pfn_to_page(P + 2), (HI - P - 2) * sizeof(struct page)), 0);
	ASSERT_EQ(memcmp(data_before, page_address(pfn_to_page(LO)), (P - LO) * PAGE_SIZE), 0);
	ASSERT_EQ(memcmp(&data_before[(P + 2 - LO) * PAGE_SIZE], page_address(pfn_to_page(P + 2)),
			 (HI - P - 2) * PAGE_SIZE), 0);
	memmap_check();

	order1_release_every_field(folio);
	folio_put(folio);
	ASSERT_TRUE(page_is_buddy(pfn_to_page(P), 1));
	ASSERT_EQ(memcmp(before, pfn_to_page(LO), (P - LO) * sizeof(struct page)), 0);
	memmap_check();
	undrain_all();
	ASSERT_EQ(nr_free_pages(), HOSTMM_FREE_PAGES);
	return true;
}

static bool test_order0_folio_has_no_deferred_list(void)
{
	struct folio *folio = folio_alloc(GFP_KERNEL, 0);

	ASSERT_PANICS("folio_deferred_list: VM_BUG_ON_FOLIO(!folio_test_large(folio))",
		      folio_deferred_list(folio));
	return true;
}

const struct hostmm_test folio_tests[] = {
	HOSTMM_TEST(test_folio_helpers_large),
	HOSTMM_TEST(test_folio_helpers_small),
	HOSTMM_TEST(test_folio_flags),
	HOSTMM_TEST(test_folio_lock),
	HOSTMM_TEST(test_order1_folio_leaves_neighbours_alone),
	HOSTMM_TEST(test_order0_folio_has_no_deferred_list),
	{ NULL, NULL },
};
