/*
 * cow_policy.c - THE POLICY: what a CoW fault on a shared large folio
 * copies, one page or the whole folio (/sys/kernel/mm/folio/cow_policy).
 *
 * Small on purpose, like anon_order.c: experiments replace it.  The
 * mechanism (mm/cow.c) asks only when a folio copy is possible at all (the
 * block fits the VMA, every PTE of it still maps the old folio read-only,
 * the order policy allows the order) and does whatever it is told.
 *
 *   page      never: one page per write fault, as Linux.
 *   folio     always.
 *   adaptive  when the old folio's block is written densely, which this
 *             policy reads as: the neighbouring block of the same size
 *             (the one just below, or else the one just above) lies in the
 *             same VMA and PTE table and every PTE of it is present and
 *             writable, i.e. this process has already written all of it
 *             since the fork write-protected it (or faulted it in fresh).
 *             A program writing a range in either direction pays one page
 *             copy per page of its first block in each PTE table, then one
 *             folio copy per block; a scattered writer copies pages.  Blocks
 *             of 2 MiB have no neighbour in their table: always a page.
 *             The signal is the PTEs, not the dirty bits (a fresh folio is
 *             mapped all dirty, whatever its program touched) nor the
 *             order policy's state (per VMA, not per region).
 */
#include "mm/cow.h"
#include "mm/anon_order.h"
#include "mm/pgtable.h"

/* Does the block of `order` starting at start (sptep) have every PTE present and writable? */
static bool block_written(const struct vm_area_struct *vma, unsigned long start, const pte_t *sptep,
			  unsigned int order)
{
	unsigned long size = PAGE_SIZE << order;

	if (start < vma->vm_start || start + size > vma->vm_end)
		return false;
	for (unsigned int i = 0; i < 1U << order; i++) {
		pte_t pte = ptep_get(&sptep[i]);

		if (!pte_present(pte) || !pte_write(pte))
			return false;
	}
	return true;
}

/* The adaptive rule: a neighbouring block in the same table, fully written. */
static bool neighbour_block_written(const struct vm_area_struct *vma, unsigned long start,
				    const pte_t *sptep, unsigned int order)
{
	unsigned long size = PAGE_SIZE << order, nr = 1UL << order;
	unsigned long table = ALIGN_DOWN(start, PTE_TABLE_SPAN);

	if (start != table && block_written(vma, start - size, sptep - nr, order))
		return true;
	return start + size != table + PTE_TABLE_SPAN &&
	       block_written(vma, start + size, sptep + nr, order);
}

bool cow_wants_folio_copy(const struct vm_area_struct *vma, unsigned long start, const pte_t *sptep,
			  unsigned int order)
{
	switch (anon_order_config.cow_policy) {
	case COW_POLICY_FOLIO:
		return true;
	case COW_POLICY_ADAPTIVE:
		return neighbour_block_written(vma, start, sptep, order);
	default:
		return false;
	}
}
