/*
 * anon_reserve.h - reservations: large anonymous folios mapped only where
 * they are touched (mm/anon_reserve.c; the reserve policy,
 * mm/policy/reserve.c, decides when).
 */
#ifndef MM_ANON_RESERVE_H
#define MM_ANON_RESERVE_H

#include "mm/mm_types.h"
#include "mm/folio.h"
#include "mm/vmstat.h"

/*
 * Map only the page at addr of fresh zeroed folio (order >= 1, its block
 * at start, every PTE of the block none; sptep the block's first PTE) and
 * hold the rest as a reservation: PG_reservation, partially mapped, on the
 * deferred-split queue.  Counted in anon_reserve_alloc and as a fault's
 * allocation.  PTE-table lock held.
 */
void anon_reserve_map_new(struct vm_area_struct *vma, struct folio *folio, unsigned long start,
			  pte_t *sptep, unsigned long addr);

/*
 * A fault at addr (ptep its PTE, none; PTE-table lock held) in vma: if the
 * current policy reserves and a reservation of an order it allows covers
 * addr, map its page there, writable for a write, read-only for a read
 * (and, when the policy says so, every never-mapped page of it whose PTE
 * is none: the promotion).  Returns the reservation's order, or 0 when none
 * covers addr (nothing changed).
 */
unsigned int anon_reserve_fill(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, bool write);

/*
 * folio stops being a reservation (some page of it was unmapped, or it is
 * being split): counted in anon_reserve_break when it was one.  The
 * never-mapped pages are freed by the split (the deferred-split shrinker
 * under pressure, folio_split_unmapped).
 */
static inline void anon_reserve_break(struct folio *folio)
{
	if (folio_test_reservation(folio)) {
		folio_clear_reservation(folio);
		count_vm_event(ANON_RESERVE_BREAK);
	}
}

#endif
