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
 * Pre-zeroed blocks.  A free head may carry PG_zeroed: every frame of the
 * block is zero.  Only the idle zeroer (mm/prezero.c) sets it, on a block
 * it isolated and zeroed; nothing else ever makes a free block zeroed, and
 * freed memory is never zeroed (free_pages_prepare() clears every flag).
 * The flag follows the block through the buddy operations:
 *   - split (expand()): the halves of a zeroed block are zeroed;
 *   - merge (__free_one_page()): the merged block is zeroed only when both
 *     buddies are, so freeing a block next to a zeroed buddy makes the
 *     pair not zeroed (the zeroer later zeroes the whole merged block
 *     again: wasted idle work, never a wrong flag; keeping the pair apart
 *     would break "free buddies always merge");
 *   - allocation takes the flag off; a zero request (__GFP_ZERO,
 *     __GFP_PREZERO) that gets a zeroed block skips clearing it.
 * Instead of a second set of free lists, each free_area list is
 * partitioned: blocks not known zero at the head, zeroed ones at the tail
 * (Linux puts reported pages at the tail the same way, FPI_TO_TAIL).
 * Ordinary requests take the head, zero requests the tail when it is
 * zeroed (else the head, as ordinary ones), the zeroer the head again:
 * every choice stays O(1) and the per-order search, hence
 * fragmentation, is exactly that of the plain allocator (the smallest order
 * with any free block; only which block of that order is taken changes).
 * free_area.nr_zeroed and zone.nr_free_zeroed count the zeroed blocks and
 * frames; memmap_check() verifies the partition and the counts.  Turning
 * pre-zeroing off (mm/prezero.c) forgets every zeroed block
 * (forget_zeroed_blocks()): with no zeroed block left and none made, every
 * request is served and every zero request cleared as before pre-zeroing
 * existed.
 *
 * Watermarks (page_alloc.h) ration the last free frames: user memory
 * (__GFP_KSWAPD_RECLAIM) is taken only while the low watermark stays free
 * (the fast path); failing that, the slow path wakes kswapd and accepts down
 * to min; below min, a caller that may reclaim (__GFP_DIRECT_RECLAIM) runs
 * reclaim itself and retries.  GFP_KERNEL allocations ignore watermarks.
 *
 * With DEBUG_VM free frames are filled with PAGE_POISON and checked on
 * allocation, and every struct page of an allocated block is checked to be
 * in the clean state.  Zeroed blocks hold zeros instead of poison (the
 * zeroer checks the poison before overwriting it and clears PG_poisoned):
 * allocation checks that every frame of a zeroed block is still all zero,
 * which catches a write after free into it just as the poison does.
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
		zone_normal.free_area[order].nr_zeroed = 0;
		zone_normal.nr_alloc[order] = 0;
		zone_normal.nr_alloc_fail[order] = 0;
	}
	zone_normal.nr_free_pages = 0;
	zone_normal.nr_free_zeroed = 0;
	zone_normal.nr_isolated = 0;
	zone_normal.pgzero_idle = 0;
	zone_normal.managed_pages = 0;
	for (int mark = 0; mark < NR_WMARK; mark++)
		zone_normal._watermark[mark] = 0;
}

/*
 * Free frames, the block the idle zeroer holds off the lists included (it goes back
 * whole): what MemFree, zoneinfo and reclaim see.  Read under the lock, so that a block
 * moving between the lists and the zeroer is counted once: a task on another CPU never
 * sees MemFree short of the block being zeroed.
 */
unsigned long nr_free_pages(void)
{
	unsigned long n;

	spin_lock(&zone_normal.lock);
	n = zone_normal.nr_free_pages + zone_normal.nr_isolated;
	spin_unlock(&zone_normal.lock);
	return n;
}

unsigned long nr_free_zeroed(void)
{
	return READ_ONCE(zone_normal.nr_free_zeroed);
}

/* ---- free lists (zone lock held) ---- */

/*
 * Make page the free head of an order-order block.  It must be clean.
 * zeroed: every frame is zero (PG_zeroed, the tail of the list); else the head.
 */
static inline void add_to_free_list(struct page *page, unsigned int order, bool zeroed)
{
	struct zone *z = &zone_normal;
	struct free_area *area = &z->free_area[order];

	assert_spin_locked(&z->lock);
	VM_BUG_ON_PAGE(page_state_flags(page) != 0 || page_ref_count(page) != 0, page);
	VM_BUG_ON_PAGE(!IS_ALIGNED(page_to_pfn(page), 1UL << order), page);
	SetPageBuddy(page);
	page->private = order;
	if (zeroed) {
		SetPageZeroed(page);
		list_add_tail(&page->buddy_list, &area->free_list);
		area->nr_zeroed++;
		z->nr_free_zeroed += 1UL << order;
	} else {
		list_add(&page->buddy_list, &area->free_list);
	}
	area->nr_free++;
	z->nr_free_pages += 1UL << order;
}

/*
 * Take the free head page of an order-order block off its list; returns
 * whether the block was zeroed (the flag is taken off with PG_buddy).
 */
static inline bool del_from_free_list(struct page *page, unsigned int order)
{
	struct zone *z = &zone_normal;
	struct free_area *area = &z->free_area[order];
	bool zeroed = PageZeroed(page);

	assert_spin_locked(&z->lock);
	VM_BUG_ON_PAGE(!PageBuddy(page) || page->private != order, page);
	list_del_init(&page->buddy_list);
	ClearPageBuddy(page);
	page->private = 0;
	if (zeroed) {
		ClearPageZeroed(page);
		area->nr_zeroed--;
		z->nr_free_zeroed -= 1UL << order;
	}
	area->nr_free--;
	z->nr_free_pages -= 1UL << order;
	return zeroed;
}

/*
 * Insert the clean block [pfn, pfn + 2^order) into the free lists, merging
 * with free buddies as far as possible; the result is zeroed only when the
 * block and every buddy merged into it were.  Zone lock held.
 */
static void __free_one_page(unsigned long pfn, unsigned int order, bool zeroed)
{
	while (order < MAX_PAGE_ORDER) {
		unsigned long buddy_pfn = pfn ^ (1UL << order);
		struct page *buddy;

		if (!pfn_valid(buddy_pfn))
			break;
		buddy = pfn_to_page(buddy_pfn);
		if (!page_is_buddy(buddy, order))
			break;
		zeroed &= del_from_free_list(buddy, order);
		pfn &= buddy_pfn;
		order++;
	}
	add_to_free_list(pfn_to_page(pfn), order, zeroed);
}

/* Lock, insert and merge a clean block: freed memory is not zeroed. */
static void free_one_block(struct page *page, unsigned int order)
{
	spin_lock(&zone_normal.lock);
	__free_one_page(page_to_pfn(page), order, false);
	spin_unlock(&zone_normal.lock);
}

/*
 * Split the free block at page from order high down to order low: the
 * upper halves go back on the free lists, zeroed when the block was.  Zone
 * lock held; page is off the lists.
 */
static void expand(struct page *page, unsigned int low, unsigned int high, bool zeroed)
{
	while (high > low) {
		high--;
		add_to_free_list(page + (1UL << high), high, zeroed);
	}
}

/*
 * Remove and return an order-order block, or NULL; *zeroed tells whether
 * it is all zero.  The smallest order with a free block is split, as
 * always; of its blocks want_zeroed takes the last when that one is zeroed,
 * otherwise the first: the most recently freed block, as without
 * pre-zeroing (it is the likeliest to be in the cache).  Zone lock held.
 */
static struct page *__rmqueue(unsigned int order, bool want_zeroed, bool *zeroed)
{
	for (unsigned int cur = order; cur <= MAX_PAGE_ORDER; cur++) {
		struct free_area *area = &zone_normal.free_area[cur];
		struct page *page;

		if (list_empty(&area->free_list))
			continue;
		page = want_zeroed && area->nr_zeroed ?
			list_last_entry(&area->free_list, struct page, buddy_list) :
			list_first_entry(&area->free_list, struct page, buddy_list);
		*zeroed = del_from_free_list(page, cur);
		expand(page, order, cur, *zeroed);
		return page;
	}
	return NULL;
}

struct page *isolate_unzeroed_block(unsigned int *order)
{
	struct page *page = NULL;

	spin_lock(&zone_normal.lock);
	for (int cur = MAX_PAGE_ORDER; cur >= 0 && !page; cur--) {
		struct free_area *area = &zone_normal.free_area[cur];

		if (area->nr_free == area->nr_zeroed)
			continue;	/* empty, or every block zeroed */
		page = list_first_entry(&area->free_list, struct page, buddy_list);
		VM_BUG_ON_PAGE(PageZeroed(page), page);	/* the partition: unzeroed first */
		del_from_free_list(page, (unsigned int)cur);
		zone_normal.nr_isolated += 1UL << cur;
		*order = (unsigned int)cur;
	}
	spin_unlock(&zone_normal.lock);
	return page;
}

void forget_zeroed_blocks(void)
{
	spin_lock(&zone_normal.lock);
	for (unsigned int order = 0; order <= MAX_PAGE_ORDER; order++) {
		struct free_area *area = &zone_normal.free_area[order];
		struct list_head *pos = area->free_list.prev;

		for (; area->nr_zeroed; area->nr_zeroed--, pos = pos->prev) {
			struct page *page = list_entry(pos, struct page, buddy_list);

			VM_BUG_ON_PAGE(!PageZeroed(page), page);	/* the tail holds them all */
			ClearPageZeroed(page);
		}
	}
	zone_normal.nr_free_zeroed = 0;
	spin_unlock(&zone_normal.lock);
}

void putback_isolated_block(struct page *page, unsigned int order, bool zeroed)
{
	for (unsigned long i = 0; zeroed && i < (1UL << order); i++)
		VM_BUG_ON_PAGE(page[i].flags & BIT(PG_poisoned), page + i);
	spin_lock(&zone_normal.lock);
	VM_BUG_ON(zone_normal.nr_isolated < (1UL << order));
	zone_normal.nr_isolated -= 1UL << order;
	if (zeroed)
		zone_normal.pgzero_idle += 1UL << order;
	__free_one_page(page_to_pfn(page), order, zeroed);
	spin_unlock(&zone_normal.lock);
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
	atomic_set(&folio->_large_mapcount, -1);
	atomic_set(&folio->_nr_pages_mapped, 0);
	atomic_set(&folio->_entire_mapcount, -1);
	atomic_set(&folio->_pincount, 0);
	INIT_LIST_HEAD(&folio->_deferred_list);
}

#ifdef DEBUG_VM
/*
 * Every struct page of a block just taken off the free lists must be clean;
 * a zeroed block must still be all zero, any other still hold its poison.
 */
static void check_new_pages(struct page *page, unsigned int order, bool zeroed)
{
	for (unsigned long i = 0; i < (1UL << order); i++) {
		struct page *p = page + i;

		if (page_state_flags(p) || p->compound_head || atomic_read(&p->_refcount) ||
		    atomic_read(&p->_mapcount) != -1)
			bad_page(__func__, p, "free frame in a dirty state");
	}
	if (zeroed)
		page_zero_check(page, 1UL << order);
	else
		page_poison_check(page, 1UL << order);
}
#else
static void check_new_pages(struct page *page, unsigned int order, bool zeroed)
{
	(void)page;
	(void)order;
	(void)zeroed;
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

/*
 * Take an order-order block if doing so leaves at least `mark` frames free,
 * else NULL; a pre-zeroed one when gfp asks for zeroed memory and there is
 * one of the order taken.  *zeroed: the block taken was pre-zeroed.
 */
static struct page *rmqueue(gfp_t gfp, unsigned int order, unsigned long mark, bool *zeroed)
{
	struct zone *z = &zone_normal;
	struct page *page = NULL;

	spin_lock(&z->lock);
	if (z->nr_free_pages >= mark + (1UL << order))
		page = __rmqueue(order, gfp & (__GFP_ZERO | __GFP_PREZERO), zeroed);
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
static struct page *__alloc_pages_slowpath(gfp_t gfp, unsigned int order, bool *zeroed)
{
	unsigned int retries = 0;

	if (gfp & __GFP_KSWAPD_RECLAIM)
		wakeup_kswapd();

	for (;;) {
		struct page *page = rmqueue(gfp, order, gfp_wmark(gfp, WMARK_MIN), zeroed);

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
	bool want_zeroed = gfp & (__GFP_ZERO | __GFP_PREZERO);
	struct page *page;
	bool zeroed;

	if (order > MAX_PAGE_ORDER)
		panic("alloc_pages: order %u > MAX_PAGE_ORDER", order);
	VM_BUG_ON((gfp & (__GFP_ZERO | __GFP_PREZERO)) == (__GFP_ZERO | __GFP_PREZERO));
	if (gfp & __GFP_DIRECT_RECLAIM)
		might_sleep();	/* it may reclaim, which takes PTE locks, and run the OOM killer */
	page = rmqueue(gfp, order, gfp_wmark(gfp, WMARK_LOW), &zeroed);
	if (!page && (gfp & __GFP_RECLAIM))
		page = __alloc_pages_slowpath(gfp, order, &zeroed);
	if (!page) {
		alloc_failed(gfp, order);
		return NULL;
	}
	check_new_pages(page, order, zeroed);
	atomic_set(&page->_refcount, 1);
	if (order)
		prep_compound_page(page, order);
	zeroed &= want_zeroed;
	if (zeroed && (gfp & __GFP_PREZERO))
		SetPageZeroed(page);	/* the caller's: folio_test_clear_zeroed() */
	else if (!zeroed && (gfp & __GFP_ZERO))
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
	const unsigned long bad_flags = BIT(PG_lru) | BIT(PG_locked) | BIT(PG_waiters) | BIT(PG_buddy) |
					BIT(PG_reserved);
	struct folio *folio = (struct folio *)page;

	if (page->flags & bad_flags)
		bad_page(__func__, page, "freeing a page that is locked, on the LRU or not allocated");
	if (order && (atomic_read(&folio->_large_mapcount) != -1 || atomic_read(&folio->_nr_pages_mapped) != 0 ||
		      atomic_read(&folio->_entire_mapcount) != -1 || atomic_read(&folio->_pincount) != 0))
		bad_folio(__func__, folio, "freeing a mapped or pinned folio");
	if (order && !list_empty(&folio->_deferred_list))
		bad_folio(__func__, folio, "freeing a folio still on the deferred split queue");
	if (folio_test_anon(folio))
		folio_anon_freed(folio);
	for (unsigned long i = 0; i < (1UL << order); i++) {
		struct page *p = page + i;

		if (atomic_read(&p->_mapcount) != -1)
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
	if (atomic_dec_and_test(&page->_refcount))
		__free_pages_ok(page, order);
}

void folio_put(struct folio *folio)
{
	if (PageTail(&folio->page))
		bad_folio(__func__, folio, "folio pointer is a tail page");
	if (atomic_read(&folio->_refcount) <= 0)
		bad_folio(__func__, folio, "refcount underflow (double put or free)");
	if (atomic_dec_and_test(&folio->_refcount)) {
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
		atomic_set(&p->_refcount, 0);
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
