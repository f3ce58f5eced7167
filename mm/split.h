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
 * (thp_split_page for the PMD size); the caller's reference and the lock
 * stay with the new folio that holds the old head page, so `folio` still
 * names a locked folio the caller must unlock and put; every other new
 * folio is unlocked, and those no PTE maps have gone back to the buddy
 * allocator.  PTEs are not touched.
 */
#ifndef MM_SPLIT_H
#define MM_SPLIT_H

#include "mm/mm_types.h"
#include "mm/folio.h"

/* Uniform split: every new folio has order new_order (0 .. order - 1). */
int split_folio_to_order(struct folio *folio, unsigned int new_order);

/*
 * Non-uniform split: pages [start, end) of folio end up in folios of order
 * <= new_order, every other page in the largest naturally aligned folio
 * that does not overlap the range (an order-9 folio split around one page
 * to order 0 gives 10 folios: 8, 7, ..., 1, 0, 0).
 */
int folio_split_range(struct folio *folio, unsigned int new_order, struct page *start,
		      struct page *end);

/* Linux 6.15's folio_split(): non-uniform around the one page split_at. */
static inline int folio_split(struct folio *folio, unsigned int new_order, struct page *split_at)
{
	return folio_split_range(folio, new_order, split_at, split_at + 1);
}

/*
 * Boundary split: no new folio has pages both inside and outside
 * [start, end) of folio, each is as large as alignment allows; only the
 * blocks that straddle an edge of the range are halved (pages [4, 12) of
 * an order-4 folio give orders 2, 2, 2, 2).  MADV_FREE's "around" policy.
 */
int folio_split_boundary(struct folio *folio, struct page *start, struct page *end);

/*
 * Split a partially mapped folio so that no new folio mixes mapped and
 * unmapped pages, each as large as alignment allows: the unmapped ones go
 * back to the buddy allocator, the mapped ones stay as large as possible.
 */
int folio_split_unmapped(struct folio *folio);

/*
 * The deferred-split queue (Linux's names): a large folio that just became
 * partially mapped is queued once (PG_partially_mapped; counted in
 * split_deferred and nr_anon_partially_mapped of its size,
 * thp_deferred_split_page for the PMD size); it leaves the queue when it is
 * split or nobody maps it any more.  Queued <=> partially_mapped.
 */
void deferred_split_folio(struct folio *folio);
void folio_unqueue_deferred_split(struct folio *folio);
/* Folios on the queue now. */
unsigned long deferred_split_count(void);
/*
 * Try folio_split_unmapped() on up to nr_to_scan queued folios, oldest
 * first; a folio that cannot be split now (locked, extra reference) goes
 * to the back.  Returns the number split.  No lock held.
 */
unsigned long deferred_split_scan(unsigned long nr_to_scan);

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
