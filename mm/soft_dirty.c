/*
 * soft_dirty.c - clear_refs 4: the start of a soft-dirty tracking round
 * (Linux's Documentation/admin-guide/mm/soft-dirty.rst; the design is in
 * docs/mm/soft-dirty.md).
 *
 * A soft-dirty bit (_PAGE_SOFT_DIRTY: x86_64 bit 11, arm64 software bit 57)
 * in a PTE or PMD block says "written since the last clear".  The kernel
 * sets it wherever a write makes a page writable and dirty (the anonymous,
 * CoW and reuse write faults, a PMD fault, fork's copy of a pinned page,
 * mremap's moved entries); the MMU never does.  So a round starts here by
 * clearing the bit and the write permission together: the next write to
 * each page faults, and the fault, finding the page exclusively ours,
 * makes it writable again without a copy and sets the bit (mm/cow.c's
 * reuse, do_huge_pmd_wp_page for a block), whether or not the MMU manages
 * the dirty bit itself (arm64 DBM needs PTE_WRITE, which is gone).
 *
 * VM_SOFTDIRTY on a VMA (every new one has it) makes each of its pages,
 * mapped or not, read soft-dirty in pagemap; clearing it turns tracking on
 * for the VMA.  While tracking, no path may make an entry writable without
 * it being soft-dirty (soft_dirty_may_mkwrite(): mprotect, a large folio's
 * reuse), else writes would go unseen.
 *
 * Cost follows what is mapped: the walks skip empty page-table levels
 * (pte_next_table_lock, pmd_next_huge), entries that are neither writable
 * nor soft-dirty are left alone, and the changed PTEs take one TLB flush.
 */
#include "mm/soft_dirty.h"
#include "mm/folio.h"
#include "mm/huge_mm.h"
#include "mm/mm.h"
#include "mm/vma.h"

/* Is the present pte a writable mapping of a pinned folio (Linux's pte_is_pinned)? */
static bool pte_is_pinned(pte_t pte)
{
	if (!pte_write(pte) || is_zero_pfn(pte_pfn(pte)))
		return false;
	return folio_maybe_dma_pinned(page_folio(pfn_to_page(pte_pfn(pte))));
}

/* Does clear_refs 4 change the PTE: present, writable or soft-dirty, not pinned? */
static bool pte_needs_clear(pte_t pte)
{
	return pte_present(pte) && (pte_write(pte) || pte_soft_dirty(pte)) && !pte_is_pinned(pte);
}

/*
 * How many PTEs from the one at addr (pte, i of nr left in its table) read as
 * it does: the rest of a folded arm64 block (ptep_get gathers over the 16),
 * else 1.  A block is looked at once, not 16 times 16.
 */
static unsigned int pte_same_span(pte_t pte, unsigned long addr, unsigned int left)
{
	unsigned int off = (unsigned int)((addr >> PAGE_SHIFT) & (CONT_PTES - 1));

	return pte_cont(pte) ? min(left, CONT_PTES - off) : 1;
}

/*
 * Clear soft-dirty on the PTEs of vma, table by table: each run of PTEs that
 * need it in one clear_soft_dirty_ptes (a folded arm64 block reads the same
 * on all 16, so a run never cuts one).  [*lo, *hi) grows to cover what
 * changed; the caller flushes it.
 */
static void clear_soft_dirty_pte_range(struct vm_area_struct *vma, unsigned long *lo, unsigned long *hi)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long addr = vma->vm_start;
	unsigned int nr;
	spinlock_t *ptl;
	pte_t *ptep;

	while ((ptep = pte_next_table_lock(mm, &addr, vma->vm_end, &nr, &ptl))) {
		unsigned int run = 0;

		for (unsigned int i = 0, n = 1; i <= nr; i += n) {
			pte_t pte = i < nr ? ptep_get(&ptep[i]) : __pte(0);

			n = i < nr ? pte_same_span(pte, addr + ((unsigned long)i << PAGE_SHIFT), nr - i) : 1;
			if (i < nr && pte_needs_clear(pte))
				continue;
			if (i > run) {
				unsigned long start = addr + ((unsigned long)run << PAGE_SHIFT);

				clear_soft_dirty_ptes(mm, start, &ptep[run], i - run);
				*lo = min(*lo, start);
				*hi = max(*hi, addr + ((unsigned long)i << PAGE_SHIFT));
			}
			run = i + n;
		}
		spin_unlock(ptl);
		addr += (unsigned long)nr << PAGE_SHIFT;
	}
}

void clear_refs_soft_dirty(struct mm_struct *mm)
{
	unsigned long lo = ~0UL, hi = 0;
	struct list_head *pos;

	mmap_assert_locked(mm);
	list_for_each(pos, &mm->mmap) {
		struct vm_area_struct *vma = list_entry(pos, struct vm_area_struct, vm_list);

		vma->vm_flags &= ~VM_SOFTDIRTY;
		clear_soft_dirty_pmds(vma);
		clear_soft_dirty_pte_range(vma, &lo, &hi);
	}
	/*
	 * One flush for every PTE changed, as Linux's flush_tlb_mm at the end:
	 * mmap_lock is held for writing, so no fault of mm runs meanwhile.
	 */
	if (lo < hi)
		flush_tlb_range(mm, lo, hi);
}
