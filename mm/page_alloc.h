/*
 * page_alloc.h - the buddy allocator's state, statistics and debug helpers.
 *
 * Callers that only allocate include mm/gfp.h.  This header is for code
 * that looks inside: memmap init, debug_vm.c, statistics files and tests.
 */
#ifndef MM_PAGE_ALLOC_H
#define MM_PAGE_ALLOC_H

#include "kernel/types.h"
#include "kernel/list.h"
#include "kernel/spinlock.h"
#include "mm/gfp.h"

/*
 * Free blocks of one order.  Each block is linked through its head page's
 * buddy_list; the head has PG_buddy and private == order.  The list is
 * partitioned: blocks not known zero first, then the PG_zeroed ones, so
 * both kinds are found in O(1) (page_alloc.c's essay).
 */
struct free_area {
	struct list_head free_list;	/* (z) heads of free blocks of this order */
	unsigned long nr_free;		/* (z) blocks on free_list */
	unsigned long nr_zeroed;	/* (z) of those, PG_zeroed (the tail of the list) */
};

/*
 * The zone's watermarks, in frames (Linux's enum zone_watermarks).  User
 * memory (__GFP_KSWAPD_RECLAIM) is handed out while free frames stay above
 * `low`; below it kswapd is woken and reclaims up to `high`; user memory
 * never takes free frames below `min` (direct reclaim, then the OOM killer,
 * happen there instead).  The frames below min are the reserve that
 * non-reclaiming kernel allocations (GFP_KERNEL) may still use.
 */
enum zone_watermarks {
	WMARK_MIN,
	WMARK_LOW,
	WMARK_HIGH,
	NR_WMARK
};

/*
 * The single memory zone ("Normal").  Lock legend:
 *   (z) zone->lock, the buddy lock; taken with interrupts off
 *   (c) constant after page_alloc_init()
 *   (b) set while boot frees memory (memmap_init), constant afterwards
 * Lock order (kernel/spinlock.h): the buddy lock is a leaf; nothing is taken inside it.
 */
struct zone {
	spinlock_t lock;
	const char *name;				/* (c) "Normal" */
	struct free_area free_area[NR_PAGE_ORDERS];	/* (z) */
	unsigned long nr_free_pages;			/* (z) frames on all free lists */
	unsigned long nr_free_zeroed;			/* (z) of those, in PG_zeroed blocks */
	unsigned long nr_isolated;			/* (z) free frames off the lists: the idle zeroer's block */
	unsigned long pgzero_idle;			/* (z) frames the idle zeroer zeroed */
	unsigned long nr_alloc[NR_PAGE_ORDERS];		/* (z) successful allocations */
	unsigned long nr_alloc_fail[NR_PAGE_ORDERS];	/* (z) failed allocations */
	unsigned long managed_pages;			/* (b) frames given to the allocator */
	unsigned long _watermark[NR_WMARK];		/* (b) setup_per_zone_wmarks() */
};

extern struct zone zone_normal;

/* True when page heads a free block of exactly this order (so may merge). */
static inline bool page_is_buddy(const struct page *page, unsigned int order)
{
	return PageBuddy(page) && page->private == order;
}

/* Frames in free PG_zeroed blocks (lockless snapshot): /proc/vmstat's nr_free_zeroed. */
unsigned long nr_free_zeroed(void);

/*
 * The idle zeroer's side door (mm/prezero.c), after Linux's
 * __isolate_free_page()/__putback_isolated_page() of free page reporting.
 * isolate_unzeroed_block() takes the highest-order free block that is not
 * PG_zeroed off the free lists and returns its head with its order in
 * *order, or NULL when every free block is zeroed.  The block is then
 * neither free nor allocated (its struct pages are in the free-interior
 * state, poison and PG_poisoned as they were): the caller zeroes it without
 * the lock and must hand it back with putback_isolated_block() before
 * anything else can look at the memmap (it does not sleep or schedule in
 * between).  zeroed says every frame is now zero and none is PG_poisoned;
 * the block then merges as PG_zeroed with PG_zeroed buddies (any other
 * buddy makes the merged block not zeroed).  Zeroed frames are counted in
 * pgzero_idle.
 */
struct page *isolate_unzeroed_block(unsigned int *order);
void putback_isolated_block(struct page *page, unsigned int order, bool zeroed);

/*
 * Take PG_zeroed off every free block: they become ordinary free memory
 * (still zero, not known to be).  O(zeroed free blocks) with the zone lock
 * held; pre-zeroing's off switch (prezero_set()).
 */
void forget_zeroed_blocks(void);

/* Reset the zone to empty lists and zero statistics (memmap_init()). */
void page_alloc_init(void);

static inline unsigned long min_wmark_pages(const struct zone *z) { return z->_watermark[WMARK_MIN]; }
static inline unsigned long low_wmark_pages(const struct zone *z) { return z->_watermark[WMARK_LOW]; }
static inline unsigned long high_wmark_pages(const struct zone *z) { return z->_watermark[WMARK_HIGH]; }

/*
 * Set the watermarks from the memory boot gave the allocator, with Linux's
 * defaults: min_free_kbytes = sqrt(16 * managed kB) clamped to 128 kB..256 MiB
 * (1 GiB of RAM: about 4 MiB), and low and high each a further
 * max(min / 4, managed / 1000) above (watermark_scale_factor 10).  Called by
 * memmap_init() once all boot memory is free.
 */
void init_per_zone_wmark_min(void);

/*
 * Write Linux's /proc/zoneinfo lines for the zone ("Node 0, zone   Normal",
 * "  pages free     N", then min, low, high and managed, each
 * "        name     N") into buf.  Returns what snprintf() returns.
 */
int zoneinfo_show(char *buf, size_t len);

/*
 * Give a boot-reserved block to the allocator: every frame in it must be
 * PageReserved with refcount 1 (as memmap_init() leaves them); they become
 * free.  The block must be aligned to 2^order and inside one RAM range.
 */
void __free_pages_core(struct page *page, unsigned int order);

/*
 * Write Linux's /proc/buddyinfo line ("Node 0, zone   Normal" and 11
 * counts of free blocks) into buf.  Returns what snprintf() returns.
 */
int buddyinfo_show(char *buf, size_t len);

/* Print the per-order free/alloc/fail table (FreeBSD vm.phys_free shape). */
void show_free_areas(void);

/*
 * Fragmentation helper for tests of fallback paths.
 * buddy_fragment() allocates every free frame at order 0, then frees those
 * with an odd PFN whose buddy it holds too (or that is reserved): every free
 * frame's buddy is now held, so no free block of order >= 1 exists, and
 * none appears when other owners free order-0 frames later.  The held
 * frames are kept on frag->held.  Returns the number of free frames left
 * (all order 0).  buddy_unfragment() frees the held frames, restoring the
 * free count of before.
 */
struct buddy_frag {
	struct list_head held;		/* held order-0 pages, linked by page->lru */
	unsigned long nr_held;
};
unsigned long buddy_fragment(struct buddy_frag *frag);
void buddy_unfragment(struct buddy_frag *frag);

/*
 * Called by the allocator when it frees an anonymous folio (rmap.c keeps
 * the per-size nr_anon count).
 */
void folio_anon_freed(struct folio *folio);

#endif
