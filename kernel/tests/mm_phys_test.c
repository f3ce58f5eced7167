/*
 * mm_phys_test.c - boot tests of the physical memory layer in the guest.
 *
 * The same mm/ code is unit-tested on the host (tools/hostmm); these tests
 * check it on real RAM of each architecture: every order can be allocated
 * and freed, all of memory can be taken at order 0 and given back with the
 * free count returning to its boot value, the memmap invariants hold, and
 * the statistics tables print.  Every test ends with nothing leaked.
 */
#include "kernel/ktest.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/mm.h"

KTEST(buddy_alloc_every_order)
{
	unsigned long before = nr_free_pages();

	for (unsigned int order = 0; order <= MAX_PAGE_ORDER; order++) {
		struct page *page = alloc_pages(__GFP_ZERO, order);
		const u64 *word;

		KT_ASSERT_MSG(page, "order %u allocation failed", order);
		KT_ASSERT_EQ(page_to_pfn(page) & ((1UL << order) - 1), 0);
		KT_ASSERT_EQ(folio_order(page_folio(page)), order);
		word = page_address(page);
		KT_ASSERT_EQ(word[0], 0);
		KT_ASSERT_EQ(word[((PAGE_SIZE << order) / sizeof(u64)) - 1], 0);
		KT_ASSERT_EQ(nr_free_pages(), before - (1UL << order));
		free_pages(page, order);
		KT_ASSERT_EQ(nr_free_pages(), before);
	}
}

KTEST(folio_alloc_every_order)
{
	unsigned long before = nr_free_pages();

	for (unsigned int order = 0; order <= MAX_PAGE_ORDER; order++) {
		struct folio *folio = folio_alloc(GFP_KERNEL, order);

		KT_ASSERT_MSG(folio, "order %u folio allocation failed", order);
		KT_ASSERT_EQ(folio_nr_pages(folio), 1UL << order);
		KT_ASSERT_EQ(folio_ref_count(folio), 1);
		KT_ASSERT_EQ(folio_mapcount(folio), 0);
		KT_ASSERT(page_folio(folio_page(folio, folio_nr_pages(folio) - 1)) == folio);
		KT_ASSERT(virt_to_page(folio_address(folio)) == &folio->page);
		folio_put(folio);
	}
	KT_ASSERT_EQ(nr_free_pages(), before);
}

KTEST(buddy_alloc_all_memory)
{
	unsigned long before = nr_free_pages(), count = 0;
	struct list_head *pos, *next;
	LIST_HEAD(held);
	struct page *page;

	while ((page = alloc_pages(__GFP_NOWARN, 0)) != NULL) {
		list_add(&page->lru, &held);
		count++;
	}
	KT_ASSERT_EQ(count, before);
	KT_ASSERT_EQ(nr_free_pages(), 0);
	list_for_each_safe(pos, next, &held) {
		list_del_init(pos);
		free_pages(list_entry(pos, struct page, lru), 0);
	}
	KT_ASSERT_EQ(nr_free_pages(), before);
	memmap_check();
}

KTEST(buddy_fragment_blocks_order1)
{
	unsigned long before = nr_free_pages();
	char info_before[160], info_after[160];
	struct buddy_frag frag;

	buddyinfo_show(info_before, sizeof(info_before));
	KT_ASSERT(buddy_fragment(&frag) > 0);
	KT_ASSERT(alloc_pages(__GFP_NOWARN, 1) == NULL);
	buddy_unfragment(&frag);
	KT_ASSERT_EQ(nr_free_pages(), before);
	/* Full merging makes the free lists come back exactly. */
	buddyinfo_show(info_after, sizeof(info_after));
	KT_ASSERT_EQ(strcmp(info_before, info_after), 0);
}

KTEST(order1_folio_deferred_link)
{
	struct folio *folio = folio_alloc(GFP_KERNEL, 1);
	LIST_HEAD(queue);

	KT_ASSERT(folio);
	list_add(folio_deferred_list(folio), &queue);
	KT_ASSERT(queue.next == folio_deferred_list(folio));
	list_del_init(folio_deferred_list(folio));
	folio_put(folio);
	memmap_check();
}

KTEST(memmap_check_passes)
{
	memmap_check();
}

KTEST(buddyinfo_table_prints)
{
	char buf[160];
	int n = buddyinfo_show(buf, sizeof(buf));

	KT_ASSERT(n > 0 && (size_t)n < sizeof(buf));
	KT_ASSERT_EQ(strncmp(buf, "Node 0, zone   Normal ", 22), 0);
	printk(KERN_INFO "%s", buf);
	show_free_areas();
}
