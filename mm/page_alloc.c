/*
 * page_alloc.c - the buddy allocator.
 *
 * Purpose.  Hand out naturally aligned blocks of 2^order frames, order
 * 0..MAX_PAGE_ORDER (inclusive, 4 MiB), and take them back, keeping free
 * memory in blocks as large as possible.
 *
 * Terms.  The *buddy* of the order-n block at PFN p is the order-n block at
 * p ^ (1 << n); together they form the order-(n+1) block at p & ~(1 << n).
 * A *free head* is the first frame of a free block: PG_buddy, private ==
 * order, linked on free_area[order].  The other frames of a free block are
 * *free interior* frames: no flags, refcount 0, no compound head.
 *
 * Invariants (zone lock held; memmap_check() verifies them all):
 *   - every free block is aligned to its size and lies in one RAM range:
 *     frames in holes and reserved frames are PageReserved and never
 *     PG_buddy, so a merge never crosses them;
 *   - two free buddies of the same order never coexist (we always merge),
 *     so an order-n request fails only when no aligned 2^n run is free;
 *   - nr_free_pages == sum over orders of nr_free << order.
 *
 * Allocation takes the first block of the smallest order that fits and
 * splits it, giving back the upper halves (expand()).  Freeing merges with
 * the buddy while the buddy is a free head of the same order.
 *
 * Watermarks (page_alloc.h) ration the last free frames: user memory
 * (__GFP_KSWAPD_RECLAIM) is taken only while the low watermark stays free
 * (the fast path); failing that, the slow path wakes kswapd and accepts down
 * to min; below min, a caller that may reclaim (__GFP_DIRECT_RECLAIM) runs
 * reclaim itself and retries.  GFP_KERNEL allocations ignore watermarks.
 *
 * With DEBUG_VM free frames are filled with PAGE_POISON and checked on
 * allocation, and every struct page of an allocated block is checked to be
 * in the clean state.
 */
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/oom.h"
#include "mm/page_alloc.h"
#include "mm/vmscan.h"
#include <asm/page.h>

struct zone zone_normal;

void page_alloc_init(void)
{
	spin_lock_init(&zone_normal.lock, "zone_normal.lock");
	zone_normal.name = "Normal";
	for (unsigned int order = 0; order <= MAX_PAGE_ORDER; order++) {
		INIT_LIST_HEAD(&zone_normal.free_area[order].free_list);
		zone_normal.free_area[order].nr_free = 0;
		zone_normal.nr_alloc[order] = 0;
		zone_normal.nr_alloc_fail[order] = 0;
	}
	zone_normal.nr_free_pages = 0;
	zone_normal.managed_pages = 0;
	for (int mark = 0; mark < NR_WMARK; mark++)
		zone_normal._watermark[mark] = 0;
}

unsigned long nr_free_pages(void)
{
	return READ_ONCE(zone_normal.nr_free_pages);
}

/* ---- free lists (zone lock held) ---- */

/* Make page the free head of an order-order block.  It must be clean. */
static void add_to_free_list(struct page *page, unsigned int order)
{
	struct zone *z = &zone_normal;

	assert_spin_locked(&z->lock);
	VM_BUG_ON_PAGE(page_state_flags(page) != 0 || page_ref_count(page) != 0, page);
	VM_BUG_ON_PAGE(!IS_ALIGNED(page_to_pfn(page), 1UL << order), page);
	SetPageBuddy(page);
	page->private = order;
	list_add(&page->buddy_list, &z->free_area[order].free_list);
	z->free_area[order].nr_free++;
	z->nr_free_pages += 1UL << order;
}

/* Take the free head page of an order-order block off its list. */
static void del_from_free_list(struct page *page, unsigned int order)
{
	struct zone *z = &zone_normal;

	assert_spin_locked(&z->lock);
	VM_BUG_ON_PAGE(!PageBuddy(page) || page->private != order, page);
	list_del_init(&page->buddy_list);
	ClearPageBuddy(page);
	page->private = 0;
	z->free_area[order].nr_free--;
	z->nr_free_pages -= 1UL << order;
}

/*
 * Insert the clean block [pfn, pfn + 2^order) into the free lists, merging
 * with free buddies as far as possible.  Zone lock held.
 */
static void __free_one_page(unsigned long pfn, unsigned int order)
{
	while (order < MAX_PAGE_ORDER) {
		unsigned long buddy_pfn = pfn ^ (1UL << order);
		struct page *buddy;

		if (!pfn_valid(buddy_pfn))
			break;
		buddy = pfn_to_page(buddy_pfn);
		if (!page_is_buddy(buddy, order))
			break;
		del_from_free_list(buddy, order);
		pfn &= buddy_pfn;
		order++;
	}
	add_to_free_list(pfn_to_page(pfn), order);
}

/* Lock, insert and merge a clean, poisoned block. */
static void free_one_block(struct page *page, unsigned int order)
{
	spin_lock(&zone_normal.lock);
	__free_one_page(page_to_pfn(page), order);
	spin_unlock(&zone_normal.lock);
}

/*
 * Split the free block at page from order high down to order low: the
 * upper halves go back on the free lists.  Zone lock held; page is off
 * the lists.
 */
static void expand(struct page *page, unsigned int low, unsigned int high)
{
	while (high > low) {
		high--;
		add_to_free_list(page + (1UL << high), high);
	}
}

/* Remove and return an order-order block, or NULL.  Zone lock held. */
static struct page *__rmqueue(unsigned int order)
{
	for (unsigned int cur = order; cur <= MAX_PAGE_ORDER; cur++) {
		struct free_area *area = &zone_normal.free_area[cur];
		struct page *page;

		if (list_empty(&area->free_list))
			continue;
		page = list_first_entry(&area->free_list, struct page, buddy_list);
		del_from_free_list(page, cur);
		expand(page, order, cur);
		return page;
	}
	return NULL;
}

/* ---- watermarks ---- */

/* Largest x with x * x <= n (Linux's int_sqrt). */
static unsigned long int_sqrt(unsigned long n)
{
	unsigned long x = 0;

	for (unsigned long bit = 1UL << (sizeof(long) * 8 - 2); bit; bit >>= 2) {
		if (n >= x + bit) {
			n -= x + bit;
			x = (x >> 1) + bit;
		} else {
			x >>= 1;
		}
	}
	return x;
}

static void setup_per_zone_wmarks(unsigned long min_free_kbytes)
{
	struct zone *z = &zone_normal;
	unsigned long min = min_free_kbytes >> (PAGE_SHIFT - 10);
	unsigned long step = max(min >> 2, z->managed_pages * 10 / 10000);

	z->_watermark[WMARK_MIN] = min;
	z->_watermark[WMARK_LOW] = min + step;
	z->_watermark[WMARK_HIGH] = min + 2 * step;
}

void init_per_zone_wmark_min(void)
{
	unsigned long kb = int_sqrt(zone_normal.managed_pages * (PAGE_SIZE >> 10) * 16);

	kb = min(max(kb, 128UL), 262144UL);
	setup_per_zone_wmarks(kb);
	pr_info("mm: min_free_kbytes %lu: watermarks min %lu low %lu high %lu pages\n", kb,
		min_wmark_pages(&zone_normal), low_wmark_pages(&zone_normal),
		high_wmark_pages(&zone_normal));
}

/*
 * The watermark an allocation must leave free: `mark` for user memory, 0 for
 * GFP_KERNEL (which never reclaims and so may use the reserve).
 */
static unsigned long gfp_wmark(gfp_t gfp, enum zone_watermarks mark)
{
	return (gfp & __GFP_RECLAIM) ? zone_normal._watermark[mark] : 0;
}

/* ---- allocation ---- */

/*
 * Make the fresh block at page compound: PG_head, every tail pointing at
 * it with the order, folio-wide fields in page[1] in their unmapped state.
 */
static void prep_compound_page(struct page *page, unsigned int order)
{
	struct folio *folio = (struct folio *)page;

	SetPageHead(page);
	for (unsigned long i = 1; i < (1UL << order); i++) {
		page[i].compound_head = (unsigned long)page | 1;
		page[i].compound_order = order;
	}
	folio->_large_mapcount = -1;
	folio->_nr_pages_mapped = 0;
	folio->_entire_mapcount = -1;
	folio->_pincount = 0;
	INIT_LIST_HEAD(&folio->_deferred_list);
}

#ifdef DEBUG_VM
/* Every struct page of a block just taken off the free lists must be clean. */
static void check_new_pages(struct page *page, unsigned int order)
{
	for (unsigned long i = 0; i < (1UL << order); i++) {
		struct page *p = page + i;

		if (page_state_flags(p) || p->compound_head || p->_refcount ||
		    p->_mapcount != -1)
			bad_page(__func__, p, "free frame in a dirty state");
	}
	page_poison_check(page, 1UL << order);
}
#else
static void check_new_pages(struct page *page, unsigned int order)
{
	(void)page;
	(void)order;
}
#endif

/* Account a failed allocation and warn unless the caller expects it. */
static void alloc_failed(gfp_t gfp, unsigned int order)
{
	spin_lock(&zone_normal.lock);
	zone_normal.nr_alloc_fail[order]++;
	spin_unlock(&zone_normal.lock);
	if (gfp & __GFP_NOWARN)
		return;
	pr_warn("alloc_pages: page allocation failure: order:%u, mode:0x%x\n", order, gfp);
	show_free_areas();
}

/* Take an order-order block if doing so leaves at least `mark` frames free, else NULL. */
static struct page *rmqueue(unsigned int order, unsigned long mark)
{
	struct zone *z = &zone_normal;
	struct page *page = NULL;

	spin_lock(&z->lock);
	if (z->nr_free_pages >= mark + (1UL << order))
		page = __rmqueue(order);
	if (page)
		z->nr_alloc[order]++;
	spin_unlock(&z->lock);
	return page;
}

/*
 * The fast path (rmqueue above the low watermark) failed for user memory:
 * wake kswapd, accept down to the min watermark; below it a caller that may
 * reclaim does (mm/vmscan.c) and retries while reclaim makes progress, at
 * most MAX_RECLAIM_RETRIES times; when it makes none, the OOM killer frees
 * memory by killing a process (mm/oom_kill.c; not for costly orders), or
 * decides the caller itself dies: then NULL.
 */
static struct page *__alloc_pages_slowpath(gfp_t gfp, unsigned int order)
{
	unsigned int retries = 0;

	if (gfp & __GFP_KSWAPD_RECLAIM)
		wakeup_kswapd();

	for (;;) {
		struct page *page = rmqueue(order, gfp_wmark(gfp, WMARK_MIN));

		if (page || !(gfp & __GFP_DIRECT_RECLAIM))
			return page;
		if (try_to_free_pages(gfp, order) && ++retries <= MAX_RECLAIM_RETRIES)
			continue;
		if (order > PAGE_ALLOC_COSTLY_ORDER || !out_of_memory(gfp, order))
			return NULL;
		retries = 0;
	}
}

struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	struct page *page;

	if (order > MAX_PAGE_ORDER)
		panic("alloc_pages: order %u > MAX_PAGE_ORDER", order);
	page = rmqueue(order, gfp_wmark(gfp, WMARK_LOW));
	if (!page && (gfp & __GFP_RECLAIM))
		page = __alloc_pages_slowpath(gfp, order);
	if (!page) {
		alloc_failed(gfp, order);
		return NULL;
	}
	check_new_pages(page, order);
	page->_refcount = 1;
	if (order)
		prep_compound_page(page, order);
	if (gfp & __GFP_ZERO)
		clear_pages(page_address(page), 1U << order);
	return page;
}

struct folio *folio_alloc(gfp_t gfp, unsigned int order)
{
	struct page *page = alloc_pages(gfp, order);
	struct folio *folio;

	if (!page)
		return NULL;
	folio = page_folio(page);
	INIT_LIST_HEAD(&folio->lru);
	return folio;
}

/* ---- freeing ---- */

/* Order recorded at allocation: 0 unless page heads a compound block. */
static unsigned int page_alloc_order(const struct page *page)
{
	return PageHead(page) ? (unsigned int)page[1].compound_order : 0;
}

/*
 * Check that the allocated block at page may be freed (nothing maps it, it
 * is on no list) and return every struct page to the clean state.
 */
static void free_pages_prepare(struct page *page, unsigned int order)
{
	const unsigned long bad_flags = BIT(PG_lru) | BIT(PG_locked) | BIT(PG_buddy) |
					BIT(PG_reserved);
	struct folio *folio = (struct folio *)page;

	if (page->flags & bad_flags)
		bad_page(__func__, page, "freeing a page that is locked, on the LRU or not allocated");
	if (order && (folio->_large_mapcount != -1 || folio->_nr_pages_mapped != 0 ||
		      folio->_entire_mapcount != -1 || folio->_pincount != 0))
		bad_folio(__func__, folio, "freeing a mapped or pinned folio");
	if (order && !list_empty(&folio->_deferred_list))
		bad_folio(__func__, folio, "freeing a folio still on the deferred split queue");
	if (folio_test_anon(folio))
		folio_anon_freed(folio);
	for (unsigned long i = 0; i < (1UL << order); i++) {
		struct page *p = page + i;

		if (p->_mapcount != -1)
			bad_page(__func__, p, "freeing a mapped page");
		p->flags = 0;
		p->compound_head = 0;
		p->mapping = NULL;
		p->index = 0;
		p->private = 0;
	}
	page_poison(page, 1UL << order);
}

/* The last reference to the block at page is gone: give it back. */
static void __free_pages_ok(struct page *page, unsigned int order)
{
	free_pages_prepare(page, order);
	free_one_block(page, order);
}

void free_pages(struct page *page, unsigned int order)
{
	if (PageTail(page))
		bad_page(__func__, page, "freeing a tail page (head pfn 0x%lx)",
			 page_to_pfn(compound_head(page)));
	if (PageReserved(page))
		bad_page(__func__, page, "freeing a reserved page");
	if (PageBuddy(page) || page_ref_count(page) <= 0)
		bad_page(__func__, page, "double free (page is not allocated)");
	if (page_alloc_order(page) != order)
		bad_page(__func__, page, "wrong order %u, block was allocated with order %u",
			 order, page_alloc_order(page));
	if (--page->_refcount == 0)
		__free_pages_ok(page, order);
}

void folio_put(struct folio *folio)
{
	if (PageTail(&folio->page))
		bad_folio(__func__, folio, "folio pointer is a tail page");
	if (folio->_refcount <= 0)
		bad_folio(__func__, folio, "refcount underflow (double put or free)");
	if (--folio->_refcount == 0) {
		if (folio_test_lru(folio))
			folio_lru_release(folio);
		__free_pages_ok(&folio->page, folio_order(folio));
	}
}

void __free_pages_core(struct page *page, unsigned int order)
{
	for (unsigned long i = 0; i < (1UL << order); i++) {
		struct page *p = page + i;

		if (!PageReserved(p) || page_ref_count(p) != 1)
			bad_page(__func__, p, "boot frame not in the reserved state");
		ClearPageReserved(p);
		p->_refcount = 0;
	}
	zone_normal.managed_pages += 1UL << order;
	free_one_block(page, order);
}

/* ---- statistics ---- */

int buddyinfo_show(char *buf, size_t len)
{
	unsigned long nr[NR_PAGE_ORDERS];

	spin_lock(&zone_normal.lock);
	for (unsigned int order = 0; order <= MAX_PAGE_ORDER; order++)
		nr[order] = zone_normal.free_area[order].nr_free;
	spin_unlock(&zone_normal.lock);
	BUILD_BUG_ON(NR_PAGE_ORDERS != 11);
	return snprintf(buf, len,
			"Node 0, zone %8s %6lu %6lu %6lu %6lu %6lu %6lu %6lu %6lu %6lu %6lu %6lu \n",
			zone_normal.name, nr[0], nr[1], nr[2], nr[3], nr[4], nr[5],
			nr[6], nr[7], nr[8], nr[9], nr[10]);
}

int zoneinfo_show(char *buf, size_t len)
{
	const struct zone *z = &zone_normal;

	return snprintf(buf, len, "Node 0, zone %8s\n  pages free     %lu\n        min      %lu\n"
			"        low      %lu\n        high     %lu\n        managed  %lu\n",
			z->name, nr_free_pages(), min_wmark_pages(z), low_wmark_pages(z),
			high_wmark_pages(z), z->managed_pages);
}

/*
 * FreeBSD's sysctl vm.phys_free table, with our allocation counters as
 * extra columns, largest order first.  Line format (regex-friendly):
 *   "  10 (  4096K)  |      12  |      3  |      0"
 */
void show_free_areas(void)
{
	struct zone *z = &zone_normal;

	spin_lock(&z->lock);
	printk(KERN_INFO "DOMAIN 0: zone %s\n", z->name);
	printk(KERN_INFO "  ORDER (SIZE)  |  NUMBER  |  ALLOCS  |  FAILS\n");
	printk(KERN_INFO "--            -- --      -- --      -- --      --\n");
	for (int order = MAX_PAGE_ORDER; order >= 0; order--)
		printk(KERN_INFO "  %2d (%6luK)  |  %6lu  |  %6lu  |  %6lu\n", order,
		       (PAGE_SIZE << order) / 1024, z->free_area[order].nr_free,
		       z->nr_alloc[order], z->nr_alloc_fail[order]);
	printk(KERN_INFO "free pages: %lu (%lu KiB)\n", z->nr_free_pages,
	       z->nr_free_pages * (PAGE_SIZE / 1024));
	spin_unlock(&z->lock);
}

/* ---- fragmentation helper ---- */

/* page->private of the frames buddy_fragment() holds (free_pages() clears it). */
#define FRAG_HELD	0x46524147UL	/* "FRAG" */

/*
 * May buddy_fragment() give the held frame page back?  Only when its buddy
 * can never become free while the rest stays held: held too, reserved, or
 * outside the memmap.  A buddy in use elsewhere, freed later by its owner,
 * would merge with page into a free order-1 block.
 */
static bool frag_may_release(const struct page *page)
{
	unsigned long buddy = page_to_pfn(page) ^ 1;

	return !pfn_valid(buddy) || PageReserved(pfn_to_page(buddy)) ||
	       pfn_to_page(buddy)->private == FRAG_HELD;
}

unsigned long buddy_fragment(struct buddy_frag *frag)
{
	struct list_head *pos, *next;
	struct page *page;

	INIT_LIST_HEAD(&frag->held);
	frag->nr_held = 0;
	/* Phase 1: take every free frame. */
	while ((page = alloc_pages(__GFP_NOWARN, 0)) != NULL) {
		page->private = FRAG_HELD;
		list_add_tail(&page->lru, &frag->held);
		frag->nr_held++;
	}
	/* Phase 2: give back the odd PFNs whose (even) buddies stay held. */
	list_for_each_safe(pos, next, &frag->held) {
		page = list_entry(pos, struct page, lru);
		if ((page_to_pfn(page) & 1) && frag_may_release(page)) {
			list_del_init(&page->lru);
			frag->nr_held--;
			free_pages(page, 0);
		}
	}
	for (unsigned int order = 1; order <= MAX_PAGE_ORDER; order++)
		if (zone_normal.free_area[order].nr_free)
			panic("buddy_fragment: free block of order %u remains", order);
	pr_info("buddy_fragment: %lu frames held, %lu free, no free block of order >= 1\n",
		frag->nr_held, nr_free_pages());
	return nr_free_pages();
}

void buddy_unfragment(struct buddy_frag *frag)
{
	struct list_head *pos, *next;

	list_for_each_safe(pos, next, &frag->held) {
		struct page *page = list_entry(pos, struct page, lru);

		list_del_init(&page->lru);
		free_pages(page, 0);
	}
	frag->nr_held = 0;
}
