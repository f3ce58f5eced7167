/*
 * test_buddy.c - buddy allocator and memmap tests with exact outcomes:
 * boot counts, canonical free lists, split/merge by PFN, MAX_PAGE_ORDER
 * blocks, hole and reservation boundaries, zeroing, statistics, the
 * fragmentation helper.
 */
#include <stdio.h>
#include "tools/hostmm/hostmm.h"

static bool free_head(unsigned long pfn, unsigned int order)
{
	return page_is_buddy(pfn_to_page(pfn), order);
}

static unsigned long nr_free_blocks(unsigned int order)
{
	return zone_normal.free_area[order].nr_free;
}

static void format_buddyinfo(char *buf, size_t len, const unsigned long nr[11])
{
	size_t used = snprintf(buf, len, "Node 0, zone   Normal ");

	for (unsigned int order = 0; order <= 10; order++)
		used += snprintf(buf + used, len - used, "%6lu ", nr[order]);
	snprintf(buf + used, len - used, "\n");
}

static bool test_memmap_init_counts(void)
{
	char line[80];

	ASSERT_EQ(memmap_start_pfn, 0);
	ASSERT_EQ(memmap_end_pfn, HOSTMM_END_PFN);
	ASSERT_EQ(nr_free_pages(), HOSTMM_FREE_PAGES);
	snprintf(line, sizeof(line), "mm: total pages: %lu (%lu KiB)\n", HOSTMM_RAM_PAGES,
		 HOSTMM_RAM_PAGES * 4);
	ASSERT_TRUE(hostmm_log_contains(line));
	snprintf(line, sizeof(line), "mm: reserved pages: %lu (%lu KiB)\n",
		 HOSTMM_RESERVED_PAGES, HOSTMM_RESERVED_PAGES * 4);
	ASSERT_TRUE(hostmm_log_contains(line));
	snprintf(line, sizeof(line), "mm: free pages: %lu (%lu KiB)\n", HOSTMM_FREE_PAGES,
		 HOSTMM_FREE_PAGES * 4);
	ASSERT_TRUE(hostmm_log_contains(line));
	/* The memmap sits at the top of RAM, 256 frames of 64-byte struct pages. */
	ASSERT_EQ(page_to_pfn(virt_to_page(mem_map)), 16128);
	for (unsigned long pfn = 16128; pfn < 16384; pfn++)
		ASSERT_TRUE(PageReserved(pfn_to_page(pfn)));
	memmap_check();
	return true;
}

static bool test_reserved_and_holes_never_free(void)
{
	unsigned long expect_free = 0;

	for (unsigned int i = 0; i < hostmm_nr_free_ranges; i++)
		expect_free += hostmm_free_ranges[i].end - hostmm_free_ranges[i].start;
	ASSERT_EQ(expect_free, HOSTMM_FREE_PAGES);
	for (unsigned long pfn = 0, r = 0; pfn < HOSTMM_END_PFN; pfn++) {
		struct page *page = pfn_to_page(pfn);
		bool in_free = r < hostmm_nr_free_ranges && pfn >= hostmm_free_ranges[r].start;

		if (r < hostmm_nr_free_ranges && pfn + 1 == hostmm_free_ranges[r].end)
			r++;
		ASSERT_EQ(PageReserved(page), !in_free);
		if (!in_free)
			ASSERT_EQ(page_ref_count(page), 1);
	}
	return true;
}

static bool test_boot_free_lists_canonical(void)
{
	unsigned long nr[11];
	char want[160], got[160];

	expected_free_blocks(nr);
	for (unsigned int order = 0; order <= MAX_PAGE_ORDER; order++)
		ASSERT_EQ(nr_free_blocks(order), nr[order]);
	format_buddyinfo(want, sizeof(want), nr);
	ASSERT_EQ(buddyinfo_show(got, sizeof(got)), strlen(want));
	ASSERT_STREQ(got, want);
	/* Linux's exact shape: "Node 0, zone   Normal" then 11 right-aligned counts. */
	ASSERT_EQ(strncmp(got, "Node 0, zone   Normal      ", 27), 0);
	return true;
}

static bool test_split_from_max_block(void)
{
	struct page *page, *p3;

	drain_all();
	ASSERT_EQ(nr_free_pages(), 0);
	undrain_range(1024, 2048);
	ASSERT_EQ(nr_free_pages(), 1024);
	ASSERT_TRUE(free_head(1024, 10));
	page = alloc_pages(GFP_KERNEL, 0);
	ASSERT_EQ(page_to_pfn(page), 1024);
	/* The upper halves 1024 + 2^k for k = 9..0 are free heads of order k. */
	for (unsigned int k = 0; k < 10; k++) {
		ASSERT_TRUE(free_head(1024 + (1UL << k), k));
		ASSERT_EQ(nr_free_blocks(k), 1);
	}
	ASSERT_EQ(nr_free_blocks(10), 0);
	p3 = alloc_pages(GFP_KERNEL, 3);
	ASSERT_EQ(page_to_pfn(p3), 1032);
	ASSERT_EQ(nr_free_blocks(3), 0);
	memmap_check();
	free_pages(p3, 3);
	ASSERT_TRUE(free_head(1032, 3));
	free_pages(page, 0);
	ASSERT_TRUE(free_head(1024, 10));
	ASSERT_EQ(nr_free_blocks(0), 0);
	memmap_check();
	undrain_all();
	ASSERT_EQ(nr_free_pages(), HOSTMM_FREE_PAGES);
	return true;
}

static bool test_merge_only_same_order_buddies(void)
{
	drain_all();
	undrain_range(1024, 1025);
	undrain_range(1026, 1027);
	ASSERT_EQ(nr_free_blocks(0), 2);	/* 1024 and 1026 are not buddies */
	undrain_range(1025, 1026);		/* 1024+1025 -> order 1; 1026 stays order 0 */
	ASSERT_TRUE(free_head(1024, 1));
	ASSERT_TRUE(free_head(1026, 0));
	ASSERT_EQ(nr_free_blocks(0), 1);
	ASSERT_EQ(nr_free_blocks(1), 1);
	memmap_check();
	undrain_range(1027, 1028);		/* 1026+1027 -> order 1, + 1024 -> order 2 */
	ASSERT_TRUE(free_head(1024, 2));
	ASSERT_EQ(nr_free_blocks(0), 0);
	ASSERT_EQ(nr_free_blocks(1), 0);
	ASSERT_EQ(nr_free_blocks(2), 1);
	ASSERT_EQ(nr_free_pages(), 4);
	memmap_check();
	undrain_all();
	return true;
}

static bool test_max_order_blocks(void)
{
	struct page *blocks[16];
	unsigned long nr[11], count = 0;
	char before[160], after[160];

	expected_free_blocks(nr);
	buddyinfo_show(before, sizeof(before));
	while ((blocks[count] = alloc_pages(__GFP_ZERO | __GFP_NOWARN, MAX_PAGE_ORDER)) != NULL) {
		const u64 *word = page_address(blocks[count]);

		ASSERT_TRUE(IS_ALIGNED(page_to_pfn(blocks[count]), MAX_ORDER_NR_PAGES));
		for (unsigned long w = 0; w < (MAX_ORDER_NR_PAGES * PAGE_SIZE) / 8; w++)
			ASSERT_EQ(word[w], 0);
		ASSERT_TRUE(++count < ARRAY_SIZE(blocks));
	}
	ASSERT_EQ(count, nr[10]);
	ASSERT_EQ(zone_normal.nr_alloc[10], count);
	ASSERT_EQ(zone_normal.nr_alloc_fail[10], 1);
	ASSERT_FALSE(hostmm_log_contains("page allocation failure"));
	ASSERT_TRUE(alloc_pages(GFP_KERNEL, MAX_PAGE_ORDER) == NULL);
	ASSERT_TRUE(hostmm_log_contains("alloc_pages: page allocation failure: order:10, mode:0x0\n"));
	ASSERT_EQ(zone_normal.nr_alloc_fail[10], 2);
	memmap_check();
	while (count)
		free_pages(blocks[--count], MAX_PAGE_ORDER);
	buddyinfo_show(after, sizeof(after));
	ASSERT_STREQ(after, before);
	return true;
}

static bool test_no_merge_across_hole(void)
{
	char before[160], after[160];

	buddyinfo_show(before, sizeof(before));
	/* Range [8, 159) ends in an order-0 block: its buddy 159 is a hole frame. */
	ASSERT_TRUE(free_head(158, 0));
	ASSERT_TRUE(free_head(156, 1));
	/* Range [8453, 12291) starts unaligned: 8452 is a hole frame. */
	ASSERT_TRUE(free_head(8453, 0));
	for (unsigned long pfn = 159; pfn < 256; pfn++)
		ASSERT_TRUE(PageReserved(pfn_to_page(pfn)) && !PageBuddy(pfn_to_page(pfn)));
	drain_all();
	undrain_range(158, 159);
	undrain_range(8453, 8454);
	ASSERT_TRUE(free_head(158, 0));
	ASSERT_TRUE(free_head(8453, 0));
	ASSERT_EQ(nr_free_pages(), 2);
	undrain_all();
	buddyinfo_show(after, sizeof(after));
	ASSERT_STREQ(after, before);
	memmap_check();
	return true;
}

static bool test_no_merge_with_reserved(void)
{
	/* The "kernel" [4096, 5120) is one order-10 slot: both neighbours stay apart. */
	ASSERT_TRUE(free_head(3072, 10));
	ASSERT_TRUE(free_head(5120, 10));
	for (unsigned long pfn = 4096; pfn < 5120; pfn++)
		ASSERT_FALSE(PageBuddy(pfn_to_page(pfn)));
	/* The initrd's rounded-out frames 12291..12308 split their neighbours. */
	drain_all();
	undrain_range(12290, 12291);
	undrain_range(12309, 12310);
	ASSERT_TRUE(free_head(12290, 0));
	ASSERT_TRUE(free_head(12309, 0));
	ASSERT_EQ(nr_free_blocks(0), 2);
	undrain_all();
	memmap_check();
	return true;
}

static bool test_gfp_zero_and_poison(void)
{
	struct page *page = alloc_pages(GFP_KERNEL, 2), *again;
	const u8 *bytes = page_address(page);

	/*
	 * DEBUG_VM: a freed block is poisoned, and the free list hands it out
	 * again still holding the poison (whatever state the first block was
	 * in: the boot may have pre-zeroed it).
	 */
	memset(page_address(page), 0x5a, 4 * PAGE_SIZE);
	free_pages(page, 2);
	again = alloc_pages(GFP_KERNEL, 2);
	ASSERT_TRUE(again == page);
	for (unsigned long i = 0; i < 4 * PAGE_SIZE; i++)
		ASSERT_EQ(bytes[i], PAGE_POISON);
	free_pages(page, 2);
	page = alloc_pages(__GFP_ZERO, 2);
	bytes = page_address(page);
	for (unsigned long i = 0; i < 4 * PAGE_SIZE; i++)
		ASSERT_EQ(bytes[i], 0);
	free_pages(page, 2);
	ASSERT_EQ(nr_free_pages(), HOSTMM_FREE_PAGES);
	return true;
}

static bool test_free_pages_drops_one_reference(void)
{
	struct page *page = alloc_pages(GFP_KERNEL, 1);

	folio_get(page_folio(page));
	free_pages(page, 1);
	ASSERT_EQ(page_ref_count(page), 1);
	ASSERT_EQ(nr_free_pages(), HOSTMM_FREE_PAGES - 2);
	free_pages(page, 1);
	ASSERT_EQ(nr_free_pages(), HOSTMM_FREE_PAGES);
	memmap_check();
	return true;
}

static bool test_alloc_stats_and_table(void)
{
	struct page *a = alloc_pages(GFP_KERNEL, 0), *b = alloc_pages(GFP_KERNEL, 0);
	struct page *c = alloc_pages(GFP_KERNEL, 3);
	char line[80];

	ASSERT_EQ(zone_normal.nr_alloc[0], 2);
	ASSERT_EQ(zone_normal.nr_alloc[3], 1);
	ASSERT_EQ(zone_normal.nr_alloc[1], 0);
	hostmm_log_reset();
	show_free_areas();
	ASSERT_TRUE(hostmm_log_contains("DOMAIN 0: zone Normal\n"));
	ASSERT_TRUE(hostmm_log_contains("  ORDER (SIZE)  |  NUMBER  |  ALLOCS  |  FAILS\n"));
	snprintf(line, sizeof(line), "   3 (    32K)  |  %6lu  |       1  |       0\n",
		 nr_free_blocks(3));
	ASSERT_TRUE(hostmm_log_contains(line));
	snprintf(line, sizeof(line), "  10 (  4096K)  |  %6lu  |       0  |       0\n",
		 nr_free_blocks(10));
	ASSERT_TRUE(hostmm_log_contains(line));
	snprintf(line, sizeof(line), "free pages: %lu (%lu KiB)\n", HOSTMM_FREE_PAGES - 10,
		 (HOSTMM_FREE_PAGES - 10) * 4);
	ASSERT_TRUE(hostmm_log_contains(line));
	free_pages(a, 0);
	free_pages(b, 0);
	free_pages(c, 3);
	return true;
}

static bool test_fragment_helper(void)
{
	struct buddy_frag frag;
	unsigned long odd = 0, left;
	char before[160], after[160];

	for (unsigned int i = 0; i < hostmm_nr_free_ranges; i++)
		for (unsigned long pfn = hostmm_free_ranges[i].start; pfn < hostmm_free_ranges[i].end; pfn++)
			odd += pfn & 1;
	buddyinfo_show(before, sizeof(before));
	left = buddy_fragment(&frag);
	ASSERT_EQ(left, odd);
	ASSERT_EQ(nr_free_pages(), odd);
	ASSERT_EQ(frag.nr_held, HOSTMM_FREE_PAGES - odd);
	ASSERT_EQ(nr_free_blocks(0), odd);
	for (unsigned int order = 1; order <= MAX_PAGE_ORDER; order++)
		ASSERT_TRUE(alloc_pages(__GFP_NOWARN, order) == NULL);
	ASSERT_FALSE(hostmm_log_contains("page allocation failure"));
	ASSERT_TRUE(hostmm_log_contains("no free block of order >= 1"));
	memmap_check();
	buddy_unfragment(&frag);
	ASSERT_EQ(nr_free_pages(), HOSTMM_FREE_PAGES);
	buddyinfo_show(after, sizeof(after));
	ASSERT_STREQ(after, before);
	memmap_check();
	return true;
}

const struct hostmm_test buddy_tests[] = {
	HOSTMM_TEST(test_memmap_init_counts),
	HOSTMM_TEST(test_reserved_and_holes_never_free),
	HOSTMM_TEST(test_boot_free_lists_canonical),
	HOSTMM_TEST(test_split_from_max_block),
	HOSTMM_TEST(test_merge_only_same_order_buddies),
	HOSTMM_TEST(test_max_order_blocks),
	HOSTMM_TEST(test_no_merge_across_hole),
	HOSTMM_TEST(test_no_merge_with_reserved),
	HOSTMM_TEST(test_gfp_zero_and_poison),
	HOSTMM_TEST(test_free_pages_drops_one_reference),
	HOSTMM_TEST(test_alloc_stats_and_table),
	HOSTMM_TEST(test_fragment_helper),
	{ NULL, NULL },
};
