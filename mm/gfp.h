/*
 * gfp.h - page allocation flags and the allocation entry points.
 *
 * gfp_t says how an allocation may behave ("get free pages" flags, Linux's
 * names):
 *   __GFP_ZERO            the block comes back zero-filled: a pre-zeroed free
 *                         block when the order taken has one (no work), else
 *                         cleared here (arch clear_pages()).
 *   __GFP_PREZERO         the caller needs zeroed memory and zeroes it itself
 *                         in its own order (the anon fault path: the faulting
 *                         page last): the allocator prefers a pre-zeroed block
 *                         as for __GFP_ZERO and marks the head PG_zeroed when
 *                         it hands one out, else returns the block as it is.
 *                         The caller must consume the mark with
 *                         folio_test_clear_zeroed() and zero the block when it
 *                         was not set.  Never together with __GFP_ZERO.  With
 *                         pre-zeroing off (/sys/kernel/mm/folio/prezero,
 *                         mm/prezero.h) there is no pre-zeroed block:
 *                         __GFP_ZERO always clears, __GFP_PREZERO never marks.
 *   __GFP_NOWARN          failure is expected and handled (the anon fault path
 *                         falls back order by order): no warning, no table dump.
 *   __GFP_KSWAPD_RECLAIM  user memory: keep free memory above the zone's
 *                         watermarks, and wake kswapd when this takes it below
 *                         the low one (mm/vmscan.c).
 *   __GFP_DIRECT_RECLAIM  the caller may reclaim, and run the OOM killer, itself
 *                         when the min watermark is reached: process context, no
 *                         spinlock held (reclaim takes PTE-table locks).
 * GFP_KERNEL is the ordinary kernel allocation.  Unlike Linux's it never
 * reclaims (many callers hold spinlocks), and so it may use the reserve below
 * the min watermark that user memory leaves: that reserve is what the page
 * tables and slab objects of a faulting task come from.  GFP_HIGHUSER_MOVABLE
 * is an order-0 user page (both reclaim flags); GFP_NOWAIT, a large folio
 * that the fault path can do without (wakes kswapd, never reclaims itself,
 * as Linux's mTHP allocations without MADV_HUGEPAGE).
 *
 * MAX_PAGE_ORDER is INCLUSIVE: orders 0..MAX_PAGE_ORDER exist, the largest
 * block is 2^10 frames = 4 MiB, NR_PAGE_ORDERS == 11 free lists, as in
 * Linux >= 6.8.  Older Linux called it MAX_ORDER: exclusive (11, for the
 * same 4 MiB) before 6.4, inclusive (10) in 6.4..6.7; 6.8 renamed it to end
 * the confusion, so there is no MAX_ORDER here and loops read
 * `order <= MAX_PAGE_ORDER`.
 */
#ifndef MM_GFP_H
#define MM_GFP_H

#include "kernel/types.h"
#include "mm/folio.h"

typedef unsigned int gfp_t;

#define __GFP_ZERO		0x100u	/* return zeroed memory */
#define __GFP_NOWARN		0x200u	/* may fail quietly */
#define __GFP_DIRECT_RECLAIM	0x400u	/* may reclaim and OOM-kill in the caller's context */
#define __GFP_KSWAPD_RECLAIM	0x800u	/* watermarked; may wake kswapd */
#define __GFP_PREZERO		0x1000u	/* prefer a pre-zeroed block, mark it, zero nothing */
#define __GFP_RECLAIM		(__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL		0x0u
#define GFP_NOWAIT		__GFP_KSWAPD_RECLAIM
#define GFP_HIGHUSER_MOVABLE	__GFP_RECLAIM

#define MAX_PAGE_ORDER	10			/* inclusive */
#define NR_PAGE_ORDERS	(MAX_PAGE_ORDER + 1)	/* number of free lists */
#define MAX_ORDER_NR_PAGES (1UL << MAX_PAGE_ORDER)
#define PAGE_ALLOC_COSTLY_ORDER	3	/* larger allocations never invoke the OOM killer */

/*
 * Allocate a naturally aligned block of 2^order frames.  Returns its first
 * struct page with refcount 1, or NULL (warning unless __GFP_NOWARN).  With
 * __GFP_KSWAPD_RECLAIM it fails rather than take free memory below the min
 * watermark; with __GFP_DIRECT_RECLAIM it first reclaims (page_alloc.c's
 * slow path).
 * Order >= 1 blocks are always compound: page[0] is PageHead, the others
 * tails recording head and order, so free_pages() can check the order.
 * Takes the buddy lock; must not be called with it held.
 */
struct page *alloc_pages(gfp_t gfp, unsigned int order);

/*
 * Drop the caller's reference on a block from alloc_pages(); the last one
 * returns it to the buddy allocator.  order must be the allocation order.
 * Panics (with a dump) on a tail page, a free page (double free), a
 * reserved page or a wrong order.
 */
void free_pages(struct page *page, unsigned int order);

/*
 * alloc_pages() seen as a folio: refcount 1, unmapped (all mapcounts
 * -1/0), not on any list, deferred-split link initialised for order >= 1.
 * Free with folio_put().
 */
struct folio *folio_alloc(gfp_t gfp, unsigned int order);

/* Frames currently free in the buddy allocator (lockless snapshot). */
unsigned long nr_free_pages(void);

#endif
