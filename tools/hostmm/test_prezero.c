/*
 * test_prezero.c - pre-zeroed free blocks (mm/page_alloc.c's PG_zeroed
 * bookkeeping) and the idle zeroer (mm/prezero.c): highest order first,
 * halves of a zeroed block stay zeroed, a merge is zeroed only when both
 * buddies are, freed memory is never zeroed, zero requests prefer zeroed
 * blocks, the knob off forgets them all, stop() bounds the work
 * between two looks to one chunk, DEBUG_VM catches writes into free
 * blocks; then a randomized alloc/free/idle-zero sequence checking after
 * every step that every block marked zeroed is all zero.
 * Seed of the random test: HOSTMM_SEED in the environment, default 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include "tools/hostmm/hostmm.h"
#include "mm/prezero.h"
#include <asm/page.h>

static const u8 zero_frame[PAGE_SIZE];

static bool never_stop(void)
{
	return false;
}

/* Run the idle zeroer until every free block is zeroed; returns its steps. */
static unsigned long zero_all(void)
{
	unsigned long steps = 0;

	while (prezero_idle(never_stop))
		steps++;
	return steps;
}

static bool frames_zero(const struct page *page, unsigned long nr)
{
	for (unsigned long i = 0; i < nr; i++)
		if (memcmp(page_address(page + i), zero_frame, PAGE_SIZE))
			return false;
	return true;
}

/* The invariant: every free block marked zeroed is all zero. */
static bool zeroed_blocks_are_zero(void)
{
	for (unsigned int order = 0; order <= MAX_PAGE_ORDER; order++) {
		struct list_head *pos;

		list_for_each(pos, &zone_normal.free_area[order].free_list) {
			struct page *page = list_entry(pos, struct page, buddy_list);

			if (PageZeroed(page))
				ASSERT_TRUE(frames_zero(page, 1UL << order));
		}
	}
	return true;
}

/* Fill a block with a pattern, so that freeing it frees dirty memory. */
static void dirty(struct page *page, unsigned int order)
{
	memset(page_address(page), 0x5a, PAGE_SIZE << order);
}

/* Boot leaves nothing zeroed; the zeroer takes the highest order first, then zeroes everything. */
static bool test_prezero_idle_highest_order_first(void)
{
	unsigned long nr[11];
	char before[160], after[160];

	expected_free_blocks(nr);
	buddyinfo_show(before, sizeof(before));
	ASSERT_EQ(nr_free_zeroed(), 0);
	ASSERT_TRUE(prezero_idle(never_stop));
	ASSERT_EQ(zone_normal.free_area[MAX_PAGE_ORDER].nr_zeroed, 1);
	ASSERT_EQ(nr_free_zeroed(), MAX_ORDER_NR_PAGES);
	ASSERT_EQ(zone_normal.pgzero_idle, MAX_ORDER_NR_PAGES);
	/* One step per free block, then nothing to do. */
	ASSERT_EQ(zero_all() + 1, nr[0] + nr[1] + nr[2] + nr[3] + nr[4] + nr[5] + nr[6] + nr[7] +
				  nr[8] + nr[9] + nr[10]);
	ASSERT_FALSE(prezero_idle(never_stop));
	ASSERT_EQ(nr_free_zeroed(), HOSTMM_FREE_PAGES);
	ASSERT_EQ(zone_normal.pgzero_idle, HOSTMM_FREE_PAGES);
	for (unsigned int order = 0; order <= MAX_PAGE_ORDER; order++)
		ASSERT_EQ(zone_normal.free_area[order].nr_zeroed, nr[order]);
	buddyinfo_show(after, sizeof(after));
	ASSERT_STREQ(after, before);	/* zeroing moves no block */
	memmap_check();
	return zeroed_blocks_are_zero();
}

/*
 * Split: order-0 zero requests carve zeroed blocks and every piece left free
 * stays zeroed.  Free: the freed (dirty) pages are not zeroed and neither is
 * anything they merge into.
 */
static bool test_prezero_split_keeps_zeroed(void)
{
	static struct page *pages[2048];

	zero_all();
	for (unsigned int i = 0; i < ARRAY_SIZE(pages); i++) {
		pages[i] = alloc_pages(__GFP_PREZERO, 0);
		ASSERT_TRUE(pages[i] != NULL);
		ASSERT_TRUE(PageZeroed(pages[i]));
		ASSERT_TRUE(folio_test_clear_zeroed(page_folio(pages[i])));
		ASSERT_FALSE(PageZeroed(pages[i]));
		ASSERT_TRUE(frames_zero(pages[i], 1));
		ASSERT_EQ(nr_free_zeroed(), nr_free_pages());
	}
	memmap_check();
	for (unsigned int i = 0; i < ARRAY_SIZE(pages); i++) {
		dirty(pages[i], 0);
		free_pages(pages[i], 0);
		ASSERT_FALSE(PageZeroed(pages[i]));
	}
	ASSERT_EQ(nr_free_pages(), HOSTMM_FREE_PAGES);
	ASSERT_TRUE(nr_free_zeroed() <= nr_free_pages() - ARRAY_SIZE(pages));
	memmap_check();
	if (!zeroed_blocks_are_zero())
		return false;
	zero_all();
	ASSERT_EQ(nr_free_zeroed(), HOSTMM_FREE_PAGES);
	return zeroed_blocks_are_zero();
}

/* Zero an isolated block by hand, as prezero_idle() does. */
static void zero_isolated(struct page *page, unsigned int order)
{
	page_poison_check(page, 1UL << order);
	clear_pages(page_address(page), 1U << order);
}

/*
 * Merge: two order-9 buddies B0 and B1 of one zeroed order-10 block.  A
 * zeroed half merging with an unzeroed one gives an unzeroed block; two
 * zeroed halves give a zeroed block.
 */
static bool test_prezero_merge_needs_both_zeroed(void)
{
	struct page *b0, *b1, *iso;
	unsigned int order;

	zero_all();
	/* Drain order 9 so that both order-9 requests split the same order-10 block. */
	while (zone_normal.free_area[9].nr_free)
		ASSERT_TRUE(alloc_pages(GFP_KERNEL, 9) != NULL);
	b0 = alloc_pages(__GFP_PREZERO, 9);
	b1 = alloc_pages(__GFP_PREZERO, 9);
	ASSERT_TRUE(b0 && b1 && folio_test_clear_zeroed(page_folio(b0)) &&
		    folio_test_clear_zeroed(page_folio(b1)));
	ASSERT_EQ(page_to_pfn(b1), page_to_pfn(b0) ^ 512);
	dirty(b0, 9);
	dirty(b1, 9);
	/* B0 freed, zeroed by the zeroer; B1 freed next to it: unzeroed order 10. */
	free_pages(b0, 9);
	ASSERT_TRUE(page_is_buddy(b0, 9) && !PageZeroed(b0));
	ASSERT_TRUE(prezero_idle(never_stop));
	ASSERT_TRUE(page_is_buddy(b0, 9) && PageZeroed(b0));
	free_pages(b1, 9);
	iso = page_to_pfn(b0) < page_to_pfn(b1) ? b0 : b1;
	ASSERT_TRUE(page_is_buddy(iso, 10) && !PageZeroed(iso));
	memmap_check();
	/* Take it again as two halves: both isolated, zeroed, put back: one zeroed block. */
	zero_all();
	b0 = alloc_pages(GFP_KERNEL, 9);
	b1 = alloc_pages(GFP_KERNEL, 9);
	ASSERT_EQ(page_to_pfn(b1), page_to_pfn(b0) ^ 512);
	dirty(b0, 9);
	dirty(b1, 9);
	free_pages(b0, 9);
	ASSERT_TRUE(isolate_unzeroed_block(&order) == b0 && order == 9);
	free_pages(b1, 9);	/* its buddy is isolated: no merge */
	ASSERT_TRUE(page_is_buddy(b1, 9));
	ASSERT_TRUE(isolate_unzeroed_block(&order) == b1 && order == 9);
	ASSERT_TRUE(isolate_unzeroed_block(&order) == NULL);
	zero_isolated(b0, 9);
	zero_isolated(b1, 9);
	putback_isolated_block(b0, 9, true);
	ASSERT_TRUE(page_is_buddy(b0, 9) && PageZeroed(b0));
	putback_isolated_block(b1, 9, true);
	iso = page_to_pfn(b0) < page_to_pfn(b1) ? b0 : b1;
	ASSERT_TRUE(page_is_buddy(iso, 10) && PageZeroed(iso));
	ASSERT_EQ(nr_free_zeroed(), nr_free_pages());
	memmap_check();
	return zeroed_blocks_are_zero();
}

/* Zero requests take a zeroed block of the order split, others an unzeroed one; the knob. */
static bool test_prezero_requests_prefer_zeroed(void)
{
	struct page *dirty_block, *page, *head;

	/* Nothing zeroed: a zero request takes the block freed last, as an ordinary one. */
	dirty_block = alloc_pages(GFP_KERNEL, MAX_PAGE_ORDER);
	free_pages(dirty_block, MAX_PAGE_ORDER);
	page = alloc_pages(__GFP_PREZERO, MAX_PAGE_ORDER);
	ASSERT_TRUE(page == dirty_block && !PageZeroed(page));
	free_pages(page, MAX_PAGE_ORDER);
	zero_all();
	dirty_block = alloc_pages(GFP_KERNEL, MAX_PAGE_ORDER);
	dirty(dirty_block, MAX_PAGE_ORDER);
	free_pages(dirty_block, MAX_PAGE_ORDER);	/* the one unzeroed order-10 block */
	ASSERT_EQ(nr_free_zeroed(), nr_free_pages() - MAX_ORDER_NR_PAGES);
	/* An ordinary request leaves the zeroed blocks alone. */
	page = alloc_pages(GFP_KERNEL, MAX_PAGE_ORDER);
	ASSERT_TRUE(page == dirty_block && !PageZeroed(page));
	free_pages(page, MAX_PAGE_ORDER);
	/* __GFP_PREZERO: a zeroed block, marked; __GFP_ZERO: a zeroed block, unmarked. */
	page = alloc_pages(__GFP_PREZERO, MAX_PAGE_ORDER);
	ASSERT_TRUE(page != dirty_block && folio_test_clear_zeroed(page_folio(page)));
	ASSERT_TRUE(frames_zero(page, MAX_ORDER_NR_PAGES));
	free_pages(page, MAX_PAGE_ORDER);
	page = alloc_pages(__GFP_ZERO, MAX_PAGE_ORDER);
	ASSERT_TRUE(page != dirty_block && !PageZeroed(page));
	ASSERT_TRUE(frames_zero(page, MAX_ORDER_NR_PAGES));
	free_pages(page, MAX_PAGE_ORDER);
	/* Pre-zeroing off: every zeroed block forgotten, no mark; __GFP_ZERO zeroes. */
	prezero_set(false);
	ASSERT_EQ(nr_free_zeroed(), 0);
	memmap_check();
	head = list_first_entry(&zone_normal.free_area[MAX_PAGE_ORDER].free_list, struct page,
				buddy_list);
	page = alloc_pages(__GFP_PREZERO, MAX_PAGE_ORDER);
	ASSERT_TRUE(page == head && !PageZeroed(page));
	dirty(page, MAX_PAGE_ORDER);
	free_pages(page, MAX_PAGE_ORDER);
	page = alloc_pages(__GFP_ZERO, MAX_PAGE_ORDER);
	ASSERT_TRUE(page == head && frames_zero(page, MAX_ORDER_NR_PAGES));
	free_pages(page, MAX_PAGE_ORDER);
	ASSERT_FALSE(prezero_idle(never_stop));	/* and the zeroer rests */
	prezero_set(true);
	ASSERT_TRUE(prezero_idle(never_stop));
	memmap_check();
	return true;
}

static unsigned int stop_calls, stop_at;

static bool stop_after(void)
{
	return ++stop_calls >= stop_at;
}

/* stop() comes before every chunk; a stopped block goes back unmarked, nothing held. */
static bool test_prezero_stop_bounds_chunks(void)
{
	unsigned long free = nr_free_pages();

	stop_calls = 0;
	stop_at = ~0U;
	ASSERT_TRUE(prezero_idle(stop_after));
	ASSERT_EQ(stop_calls, MAX_ORDER_NR_PAGES / PREZERO_CHUNK_PAGES);
	ASSERT_EQ(nr_free_zeroed(), MAX_ORDER_NR_PAGES);
	stop_calls = 0;
	stop_at = 5;
	ASSERT_TRUE(prezero_idle(stop_after));
	ASSERT_EQ(stop_calls, 5);
	ASSERT_EQ(nr_free_zeroed(), MAX_ORDER_NR_PAGES);
	ASSERT_EQ(zone_normal.pgzero_idle, MAX_ORDER_NR_PAGES);
	ASSERT_EQ(nr_free_pages(), free);
	memmap_check();
	/* Stopped before the first chunk: the block goes back as it was. */
	stop_calls = 0;
	stop_at = 1;
	ASSERT_TRUE(prezero_idle(stop_after));
	ASSERT_EQ(nr_free_zeroed(), MAX_ORDER_NR_PAGES);
	memmap_check();
	return true;
}

/* DEBUG_VM: a write into a zeroed free block is caught when it is allocated. */
static bool test_prezero_write_after_free_caught(void)
{
	struct page *page;

	zero_all();
	page = alloc_pages(GFP_KERNEL, 0);
	dirty(page, 0);
	free_pages(page, 0);
	zero_all();
	ASSERT_EQ(nr_free_zeroed(), nr_free_pages());
	((u8 *)page_address(page))[100] = 1;	/* in the word at 0x60 */
	ASSERT_PANICS("pre-zeroed frame written at offset 0x60", {
		while (alloc_pages(__GFP_NOWARN | __GFP_PREZERO, 0))
			;
	});
	return true;
}

/* DEBUG_VM: the zeroer checks the poison before it overwrites it. */
static bool test_prezero_checks_poison(void)
{
	struct page *page = alloc_pages(GFP_KERNEL, MAX_PAGE_ORDER);

	zero_all();
	free_pages(page, MAX_PAGE_ORDER);
	((u8 *)page_address(page + 3))[8] = 0;
	ASSERT_PANICS("poison overwritten at offset 0x8", zero_all());
	return true;
}

/* ---- randomized ---- */

#define RANDOM_STEPS	6000
#define RANDOM_LIVE	512

static struct {
	struct page *page;
	unsigned int order;
} live[RANDOM_LIVE];
static unsigned int nr_live;
static u64 rng_state;
static unsigned long was_zeroed[HOSTMM_END_PFN];	/* step + 1 when in a zeroed free block after it */

static u64 rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

/* Stops the zeroer at a random chunk, sometimes freeing a block meanwhile (as another CPU would). */
static bool random_stop(void)
{
	if (nr_live && rng() % 8 == 0) {
		unsigned int i = (unsigned int)(rng() % nr_live);

		free_pages(live[i].page, live[i].order);
		live[i] = live[--nr_live];
	}
	return rng() % 32 == 0;
}

static bool random_alloc(void)
{
	static const gfp_t kinds[] = { GFP_KERNEL, __GFP_ZERO, __GFP_PREZERO };
	unsigned int tz = (unsigned int)__builtin_ctzll(rng() | (1ULL << 40));
	unsigned int order = min(tz, (unsigned int)MAX_PAGE_ORDER);	/* mostly small */
	gfp_t gfp = kinds[rng() % 3];
	struct page *page = alloc_pages(gfp | __GFP_NOWARN, order);

	if (!page)
		return true;
	ASSERT_EQ(PageZeroed(page) && !(gfp & __GFP_PREZERO), 0);
	if ((gfp & __GFP_ZERO) || folio_test_clear_zeroed(page_folio(page)))
		ASSERT_TRUE(frames_zero(page, 1UL << order));
	dirty(page, order);
	live[nr_live].page = page;
	live[nr_live++].order = order;
	return true;
}

/*
 * Every block marked zeroed is all zero.  Frames already in a zeroed block
 * after the last step were checked then and nothing writes free memory, so
 * only newly zeroed frames are read; all of them every 500 steps.
 */
static bool random_check(unsigned long step)
{
	memmap_check();
	for (unsigned int order = 0; order <= MAX_PAGE_ORDER; order++) {
		struct list_head *pos;

		list_for_each(pos, &zone_normal.free_area[order].free_list) {
			struct page *page = list_entry(pos, struct page, buddy_list);
			unsigned long pfn = page_to_pfn(page);

			for (unsigned long i = 0; PageZeroed(page) && i < (1UL << order); i++) {
				if (step % 500 && was_zeroed[pfn + i] == step)
					continue;
				ASSERT_TRUE(frames_zero(page + i, 1));
			}
		}
	}
	/* Mark this step's zeroed frames; a frame not marked now is stale next step. */
	for (unsigned int order = 0; order <= MAX_PAGE_ORDER; order++) {
		struct list_head *pos;

		list_for_each(pos, &zone_normal.free_area[order].free_list) {
			struct page *page = list_entry(pos, struct page, buddy_list);

			for (unsigned long i = 0; PageZeroed(page) && i < (1UL << order); i++)
				was_zeroed[page_to_pfn(page) + i] = step + 1;
		}
	}
	return true;
}

static bool test_prezero_random(void)
{
	const char *seed = getenv("HOSTMM_SEED");
	unsigned long idle_steps = 0, zeroed_max = 0;

	rng_state = seed ? strtoull(seed, NULL, 0) : 1;
	if (!rng_state)
		rng_state = 1;
	nr_live = 0;
	memset(was_zeroed, 0xff, sizeof(was_zeroed));
	for (unsigned long step = 0; step < RANDOM_STEPS; step++) {
		u64 r = rng() % 100;

		if (r < 40 && nr_live < RANDOM_LIVE) {
			if (!random_alloc())
				return false;
		} else if (r < 75 && nr_live) {
			unsigned int i = (unsigned int)(rng() % nr_live);

			free_pages(live[i].page, live[i].order);
			live[i] = live[--nr_live];
		} else {
			idle_steps += prezero_idle(random_stop);
		}
		if (!random_check(step))
			return false;
		zeroed_max = max(zeroed_max, nr_free_zeroed());
	}
	fprintf(stderr, "# test_prezero_random: %d steps, %lu idle steps, up to %lu frames zeroed\n",
		RANDOM_STEPS, idle_steps, zeroed_max);
	ASSERT_TRUE(idle_steps > RANDOM_STEPS / 10 && zeroed_max > HOSTMM_FREE_PAGES / 4);
	while (nr_live) {
		nr_live--;
		free_pages(live[nr_live].page, live[nr_live].order);
	}
	zero_all();
	ASSERT_EQ(nr_free_zeroed(), HOSTMM_FREE_PAGES);
	memmap_check();
	return zeroed_blocks_are_zero();
}

const struct hostmm_test prezero_tests[] = {
	HOSTMM_TEST(test_prezero_idle_highest_order_first),
	HOSTMM_TEST(test_prezero_split_keeps_zeroed),
	HOSTMM_TEST(test_prezero_merge_needs_both_zeroed),
	HOSTMM_TEST(test_prezero_requests_prefer_zeroed),
	HOSTMM_TEST(test_prezero_stop_bounds_chunks),
	HOSTMM_TEST(test_prezero_write_after_free_caught),
	HOSTMM_TEST(test_prezero_checks_poison),
	HOSTMM_TEST(test_prezero_random),
	{ NULL, NULL },
};
