/*
 * split.h - splitting anonymous large folios into smaller ones, and the
 * deferred-split queue of partially mapped folios (mm/split.c; the
 * algorithm and the reference rules are in docs/mm/split.md).
 *
 * The split contract (every split function): the caller holds the folio
 * lock and exactly one reference of its own besides the mappings' (one per
 * PTE); no PTE-table lock (DEBUG_VM walks the rmap).  A split succeeds (0)
 * or changes nothing:
 *   -EINVAL  not an anonymous large folio, or the shape asks for nothing
 *            (new_order >= the folio's order, an empty range, a fully
 *            mapped folio for folio_split_unmapped); not counted
 *   -EBUSY   the folio has a reference nobody can account for
 *            (refcount != mapcount + 1) or is pinned (_pincount > 0);
 *            counted in split_failed of its size (thp_split_page_failed
 *            for the PMD size)
 * On success the split is counted once in split of the original size
 * (thp_split_page for the PMD size) and told to the order policy, with the
 * reason `why` (SPLIT_KNOB for split_folio_to_order and folio_split,
 * Linux's calls; policy.h's split hook); the caller's reference and the lock
 * stay with the new folio that holds the old head page, so `folio` still
 * names a locked folio the caller must unlock and put; every other new
 * folio is unlocked, and those no PTE maps have gone back to the buddy
 * allocator.  PTEs are not touched.
 */
#ifndef MM_SPLIT_H
#define MM_SPLIT_H

#include "mm/mm_types.h"
#include "mm/folio.h"
#include "mm/policy/policy.h"

/* Uniform split: every new folio has order new_order (0 .. order - 1). */
int split_folio_to_order(struct folio *folio, unsigned int new_order);

/*
 * Non-uniform split: pages [start, end) of folio end up in folios of order
 * <= new_order, every other page in the largest naturally aligned folio
 * that does not overlap the range (an order-9 folio split around one page
 * to order 0 gives 10 folios: 8, 7, ..., 1, 0, 0).
 */
int folio_split_range(struct folio *folio, unsigned int new_order, struct page *start,
		      struct page *end, enum split_reason why);

/* Linux 6.15's folio_split(): non-uniform around the one page split_at. */
static inline int folio_split(struct folio *folio, unsigned int new_order, struct page *split_at)
{
	return folio_split_range(folio, new_order, split_at, split_at + 1, SPLIT_KNOB);
}

/*
 * Boundary split: no new folio has pages both inside and outside
 * [start, end) of folio, each is as large as alignment allows; only the
 * blocks that straddle an edge of the range are halved (pages [4, 12) of
 * an order-4 folio give orders 2, 2, 2, 2).  MADV_FREE's "around" policy.
 */
int folio_split_boundary(struct folio *folio, struct page *start, struct page *end,
			 enum split_reason why);

/*
 * Split a partially mapped folio so that no new folio mixes mapped and
 * unmapped pages, each as large as alignment allows: the unmapped ones go
 * back to the buddy allocator, the mapped ones stay as large as possible.
 */
int folio_split_unmapped(struct folio *folio, enum split_reason why);

/*
 * The deferred-split queue (Linux's names).  deferred_split_folio(folio,
 * true): a large folio that just became partially mapped is marked once
 * (PG_partially_mapped; counted in split_deferred and
 * nr_anon_partially_mapped of its size, thp_deferred_split_page for the PMD
 * size) and queued unless it already is.  deferred_split_folio(folio,
 * false): the fault queues a fresh folio as an underused candidate (Linux
 * 6.12), when thp_underused_active(its order).  A folio leaves the queue
 * when it is split, nobody maps it any more, or the scan found it fully
 * mapped and not underused.  Queued <=> folio_deferred_list not empty;
 * partially_mapped => queued.
 */
void deferred_split_folio(struct folio *folio, bool partially_mapped);
void folio_unqueue_deferred_split(struct folio *folio);
/* Folios on the queue now. */
unsigned long deferred_split_count(void);
/*
 * Scan up to nr_to_scan queued folios, oldest first: folio_split_unmapped()
 * on the partially mapped ones; the others are split if underused (their
 * zero pages remapped to the zero page and freed) and leave the queue.  A
 * folio that cannot be split now (locked, extra reference) goes to the
 * back.  Returns the number split.  No lock held.
 */
unsigned long deferred_split_scan(unsigned long nr_to_scan);

/*
 * Underused folios (Linux 6.12's THP shrinker, here for every order >=
 * UNDERUSED_MIN_ORDER, 64K: smaller ones give back too little to pay for
 * the queueing).  A folio of order k is underused when more than
 * khugepaged_max_ptes_none >> (9 - k) of its pages are zero-filled; a
 * threshold of 2^k - 1 (max_ptes_none 511, Linux's default) disables it, and
 * so does shrink_underused = 0.  Knobs: transparent_hugepage/shrink_underused,
 * transparent_hugepage/khugepaged/max_ptes_none (mm/thp_sysfs.c).
 */
#define UNDERUSED_MIN_ORDER	4U
extern bool shrink_underused;
extern unsigned int khugepaged_max_ptes_none;
/* Would the scan split an underused folio of this order (and so must the fault queue it)? */
bool thp_underused_active(unsigned int order);
/* Are all the bytes of page zero? */
bool page_is_zero(const struct page *page);

/*
 * Linux's split_huge_pages_pid() for mm: every large folio mapped in
 * [start, end) of order > new_order is split, uniformly to new_order, or,
 * when in_folio_offset >= 0, with folio_split() around its page
 * in_folio_offset (folios with fewer pages are skipped).  Takes the mmap
 * lock.  0, or -EBUSY when some folio could not be split (the others are).
 */
int split_huge_pages_mm(struct mm_struct *mm, unsigned long start, unsigned long end,
			unsigned int new_order, long in_folio_offset);

#endif
