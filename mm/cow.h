/*
 * cow.h - the write fault on a read-only anonymous PTE (copy-on-write):
 * the mechanism (mm/cow.c: reuse, page copy, folio copy) and its
 * replaceable policy (mm/cow_policy.c: which copy), docs/mm/cow.md.
 */
#ifndef MM_COW_H
#define MM_COW_H

#include "kernel/spinlock.h"
#include "mm/anon_order.h"
#include "mm/mm_types.h"

/*
 * Write fault at addr (page aligned) of vma, a writable private anonymous
 * VMA, on the present read-only PTE ptep; its PTE-table lock ptl is held,
 * and is dropped before returning.  Reuses the folio when this process is
 * its only user (every PTE of this VMA and table that maps it is made
 * writable), else copies the page, or the whole folio when the policy
 * asks for it and it can.  VM_FAULT_OK (also when the PTE changed under
 * the unlocked allocation: the access faults again), VM_FAULT_RETRY (the
 * folio was being split: nothing done, fault again) or VM_FAULT_OOM,
 * with the mappings as they were.  flags FAULT_FLAG_UNSHARE instead of
 * FAULT_FLAG_WRITE (a pin in a read-only VMA, mm/gup.c): the same without
 * writing: a reuse only marks the page PageAnonExclusive, a copy is one
 * page and stays read-only.
 */
int do_wp_page(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, spinlock_t *ptl,
	       unsigned int flags);

/*
 * THE POLICY (mm/cow_policy.c).  A CoW fault in vma hit a large folio of
 * order `order` (> 0) whose whole naturally aligned block [start, start +
 * (PAGE_SIZE << order)) lies in vma and in one PTE table, every PTE of it
 * (sptep: the first) still mapping that folio read-only, and the order
 * policy allows the order: copy the whole folio (true) or one page
 * (false)?  Decides from anon_order_config.cow_policy; reads PTEs of the
 * same table only.  PTE-table lock held.
 */
bool cow_wants_folio_copy(const struct vm_area_struct *vma, unsigned long start, const pte_t *sptep,
			  unsigned int order);
/* Can the policy ask for a folio copy at all?  The mechanism skips checking the block if not. */
static inline bool cow_policy_copies_folios(void)
{
	return anon_order_config.cow_policy != COW_POLICY_PAGE;
}

#endif
