/*
 * test_model.c - randomized alloc/free against a reference model.
 *
 * The model is one state byte per frame (free / allocated / never free),
 * built from the hand-written free ranges, plus the list of live blocks.
 * After every operation the allocator must agree with it:
 *   - a returned block is aligned, wholly free in the model, and its frames
 *     become allocated; nr_free_pages() equals the model's free count;
 *   - an order-n failure is only allowed when the model has no aligned run
 *     of 2^n free frames (full merging makes that exact);
 *   - a block's tag words survive until it is freed;
 * and both outcomes must occur often (fill phases exhaust memory).
 * and memmap_check() runs every 64 operations and at the end.  After all
 * blocks are freed the free lists must be the boot ones again.
 * Seed: HOSTMM_SEED in the environment, default 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include "tools/hostmm/hostmm.h"

#define MODEL_OPS	120000
#define MODEL_LIVE_MAX	4096

enum { M_NEVER, M_FREE, M_ALLOC };

struct live {
	struct page *page;
	unsigned int order;
	bool folio;
};

static u8 model[HOSTMM_END_PFN];
static struct live live[MODEL_LIVE_MAX];
static unsigned int nr_live;
static unsigned long model_free;
static u64 rng_state;
static unsigned long nr_ok, nr_fail;

/* xorshift64*: deterministic across hosts. */
static u64 rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

/* Mostly small orders (geometric), sometimes uniform up to MAX_PAGE_ORDER. */
static unsigned int random_order(void)
{
	u64 r = rng();

	if (r % 20 == 0)
		return (unsigned int)((r >> 8) % (MAX_PAGE_ORDER + 1));
	return min((unsigned int)__builtin_ctzll((r >> 8) | (1ULL << 40)), (unsigned int)MAX_PAGE_ORDER);
}

static void model_init(void)
{
	memset(model, M_NEVER, sizeof(model));
	model_free = 0;
	nr_live = 0;
	for (unsigned int i = 0; i < hostmm_nr_free_ranges; i++) {
		for (unsigned long pfn = hostmm_free_ranges[i].start; pfn < hostmm_free_ranges[i].end; pfn++)
			model[pfn] = M_FREE;
		model_free += hostmm_free_ranges[i].end - hostmm_free_ranges[i].start;
	}
}

/* True when the model holds an aligned, all-free run of 2^order frames. */
static bool model_has_free_run(unsigned int order)
{
	unsigned long nr = 1UL << order;

	for (unsigned long pfn = 0; pfn < HOSTMM_END_PFN; pfn += nr) {
		unsigned long i = 0;

		while (i < nr && model[pfn + i] == M_FREE)
			i++;
		if (i == nr)
			return true;
	}
	return false;
}

/* Tag = pfn in the first word of the first and last frame. */
static u64 *tag_word(struct page *page, unsigned long i)
{
	return page_address(page + i);
}

static bool model_alloc(void)
{
	unsigned int order = random_order();
	bool as_folio = rng() & 1;
	struct page *page;
	unsigned long pfn, nr = 1UL << order;

	if (as_folio) {
		struct folio *folio = folio_alloc(__GFP_NOWARN, order);

		page = folio ? &folio->page : NULL;
	} else {
		page = alloc_pages(__GFP_NOWARN, order);
	}
	if (!page) {
		ASSERT_FALSE(model_has_free_run(order));
		nr_fail++;
		return true;
	}
	nr_ok++;
	pfn = page_to_pfn(page);
	ASSERT_TRUE(IS_ALIGNED(pfn, nr) && pfn + nr <= HOSTMM_END_PFN);
	for (unsigned long i = 0; i < nr; i++) {
		ASSERT_EQ(model[pfn + i], M_FREE);
		model[pfn + i] = M_ALLOC;
	}
	model_free -= nr;
	*tag_word(page, 0) = pfn;
	*tag_word(page, nr - 1) = pfn;
	live[nr_live++] = (struct live){ page, order, as_folio };
	return true;
}

static bool model_free_one(unsigned int idx)
{
	struct live l = live[idx];
	unsigned long pfn = page_to_pfn(l.page), nr = 1UL << l.order;

	ASSERT_EQ(*tag_word(l.page, 0), pfn);
	ASSERT_EQ(*tag_word(l.page, nr - 1), pfn);
	if (l.folio) {
		ASSERT_EQ(folio_order(page_folio(l.page)), l.order);
		folio_put(page_folio(l.page));
	} else {
		free_pages(l.page, l.order);
	}
	for (unsigned long i = 0; i < nr; i++) {
		ASSERT_EQ(model[pfn + i], M_ALLOC);
		model[pfn + i] = M_FREE;
	}
	model_free += nr;
	live[idx] = live[--nr_live];
	return true;
}

/*
 * One random step.  Phases of 4096 operations alternate between filling
 * (70% allocations, so memory runs out and large orders fail) and
 * draining (30%).
 */
static bool model_step(unsigned long op)
{
	unsigned int alloc_pct = (op / 4096) & 1 ? 30 : 70;
	bool want_free = nr_live == MODEL_LIVE_MAX || rng() % 100 >= alloc_pct;

	if (want_free && nr_live)
		return model_free_one((unsigned int)(rng() % nr_live));
	return model_alloc();
}

static bool test_random_model(void)
{
	const char *seed = getenv("HOSTMM_SEED");
	char before[160], after[160];

	rng_state = seed ? strtoull(seed, NULL, 0) : 1;
	if (!rng_state)
		rng_state = 1;
	model_init();
	nr_ok = nr_fail = 0;
	ASSERT_EQ(model_free, nr_free_pages());
	buddyinfo_show(before, sizeof(before));
	for (unsigned long op = 0; op < MODEL_OPS; op++) {
		if (!model_step(op))
			return false;
		ASSERT_EQ(nr_free_pages(), model_free);
		if (op % 64 == 0)
			memmap_check();
	}
	memmap_check();
	fprintf(stderr, "# test_random_model: seed %llu, %lu ops, %lu allocations, %lu failed\n",
		seed ? strtoull(seed, NULL, 0) : 1ULL, (unsigned long)MODEL_OPS, nr_ok, nr_fail);
	/* Both outcomes must have been exercised for the model to mean anything. */
	ASSERT_TRUE(nr_ok > MODEL_OPS / 4 && nr_fail > 100);
	while (nr_live)
		if (!model_free_one(nr_live - 1))
			return false;
	memmap_check();
	ASSERT_EQ(nr_free_pages(), HOSTMM_FREE_PAGES);
	buddyinfo_show(after, sizeof(after));
	ASSERT_STREQ(after, before);
	return true;
}

const struct hostmm_test model_tests[] = {
	HOSTMM_TEST(test_random_model),
	{ NULL, NULL },
};
