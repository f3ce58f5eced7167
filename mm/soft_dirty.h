/*
 * soft_dirty.h - soft-dirty tracking (mm/soft_dirty.c; the design is in
 * docs/mm/soft-dirty.md): which pages were written since the last
 * clear_refs 4, as Linux's CONFIG_MEM_SOFT_DIRTY.
 */
#ifndef MM_SOFT_DIRTY_H
#define MM_SOFT_DIRTY_H

#include "mm/mm_types.h"
#include "mm/pgtable.h"

/*
 * Is the VMA tracking (Linux's vma_soft_dirty_enabled)?  Tracking is on when
 * VM_SOFTDIRTY is clear: a new VMA has it set (every page of it reads
 * soft-dirty) until clear_refs 4 clears it.
 */
static inline bool vma_soft_dirty_enabled(const struct vm_area_struct *vma)
{
	return !(vma->vm_flags & VM_SOFTDIRTY);
}

/*
 * May the present pte of vma become writable without a write fault (the
 * soft-dirty part of Linux's can_change_pte_writable)?  Not while tracking
 * a page that is not soft-dirty: the MMU would let the write through
 * without the kernel seeing it.  The rule every path keeps: in a tracking
 * VMA a writable PTE or PMD is soft-dirty.
 */
static inline bool soft_dirty_may_mkwrite(const struct vm_area_struct *vma, pte_t pte)
{
	return !vma_soft_dirty_enabled(vma) || pte_soft_dirty(pte);
}

/*
 * clear_refs 4 (Linux's clear_refs_write with CLEAR_REFS_SOFT_DIRTY): in
 * every VMA of mm clear VM_SOFTDIRTY, and on every present PTE and PMD
 * block clear soft-dirty and write-protect it, so the next write faults
 * (a reuse, mm/cow.c, mm/huge_memory.c: no copy) and sets the bit again.
 * A writable entry of a pinned folio is left as it is (Linux's
 * pte_is_pinned): its write fault could not copy.  The TLB is flushed once
 * over the PTEs changed (a PMD block as it changes); only existing tables
 * are visited.
 * mmap_lock held for writing.
 */
void clear_refs_soft_dirty(struct mm_struct *mm);

#endif
