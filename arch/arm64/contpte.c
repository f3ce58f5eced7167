/*
 * contpte.c (arm64) - the contiguous bit on user PTEs (Linux's
 * arch/arm64/mm/contpte.c, the same rules in fewer lines).
 *
 * A block is CONT_PTES (16) PTEs of one PTE table whose first address is
 * 64 KiB aligned.  It is *folded* when all 16 carry PTE_CONT: the TLB may
 * then cache the block as one 64 KiB entry (Arm ARM D8.6.1).  That is only
 * allowed, and foliOS only folds, when the block is complete and uniform:
 *   - all 16 PTEs valid (PROT_NONE is not: the MMU must fault on it),
 *   - mapping 16 consecutive frames, the first 64 KiB aligned,
 *   - of one folio (so a folio of order >= 4 mapped whole is folded block
 *     by block; the zero page, order 0, never is),
 *   - with identical attributes but young, dirty and soft-dirty
 *     (contpte_attrs equal): the MMU keeps the first two per PTE, and the
 *     kernel sets soft-dirty on the one PTE a write fault replaces.
 *
 * The generic PTE stores of mm/pgtable_user.c call the hooks below
 * (asm/pgtable.h): set_ptes writes PTE_CONT straight into the blocks its
 * batch covers whole (contpte_set_ptes_pte: they were none, so no TLB
 * entry can exist, as in Linux's contpte_set_ptes); set_ptes and ptep_set
 * fold (arch_ptes_fold) each block they leave complete and uniform; clear_ptes, wrprotect_ptes,
 * clear_young_dirty_ptes and ptep_set first unfold (arch_ptes_unfold) a
 * folded block they would change only in part.  A change applied to every
 * PTE of a folded block keeps it folded (fork's write-protect, MADV_FREE's
 * clean/old, munmap of the whole block), as Linux's does.  A split of the
 * folio unfolds the blocks that end up in several folios (mm/split.c).
 *
 * Folding valid PTEs and unfolding rewrite them with a different contiguous bit,
 * which the architecture allows only by break-before-make: clear all 16,
 * invalidate the block's TLB entries, write the new 16 (contpte_convert).
 * Counted in /proc/vmstat as contpte_fold and contpte_unfold.
 *
 * Young and dirty: with PTE_CONT the MMU (FEAT_HAFDBS) may record an access
 * or a write in any PTE of the block, so reads gather them over the block
 * (contpte_ptep_get, what ptep_get() returns: reclaim, MADV_FREE and
 * /proc/self/folios see the block's state).  Without FEAT_HAFDBS the
 * access-flag and write faults set young/dirty through ptep_set(); that
 * change is made to all 16 PTEs without unfolding
 * (arch_ptep_set_access_flags), so one fault serves the whole block, and
 * ptep_clear_flush_young() ages the block as a whole the same way.
 *
 * Soft-dirty (docs/mm/soft-dirty.md) is gathered the same way: a write
 * through the block's one TLB entry is a write to the block, so the bit set
 * on the entry written reads set on each of the 16 pages (pagemap bit 55, as
 * their dirty state reads), contpte_convert writes it into all 16, and
 * clear_refs 4 clears a whole block without unfolding it.
 *
 * Locks: the PTE table's lock (every caller holds it; a block never spans
 * two tables).
 */
#include "mm/folio.h"
#include "mm/mm.h"
#include "mm/pgtable.h"
#include "mm/vmstat.h"

/* The first PTE of ptep's block, and its address. */
static pte_t *contpte_align_down(pte_t *ptep)
{
	return (pte_t *)ALIGN_DOWN((unsigned long)ptep, CONT_PTES * sizeof(pte_t));
}

/* pte without young, dirty and soft-dirty: what must be equal (pfn aside) across a folded block. */
static u64 contpte_attrs(pte_t pte)
{
	return pte_val(pte_mknoncont(pte_clear_soft_dirty(pte_mkold(pte_mkclean(pte)))));
}

/* pte with young, dirty and soft-dirty as `from` has them. */
static pte_t pte_copy_young_dirty(pte_t pte, pte_t from)
{
	return pte_gather_young_dirty(pte_clear_soft_dirty(pte_mkold(pte_mkclean(pte))), from);
}

/* Young, dirty and soft-dirty all set: nothing more to gather. */
static bool pte_all_gathered(pte_t pte)
{
	return pte_young(pte) && pte_dirty(pte) && pte_soft_dirty(pte);
}

pte_t contpte_ptep_get(const pte_t *ptep, pte_t pte)
{
	const pte_t *first = contpte_align_down((pte_t *)ptep);

	for (int i = 0; i < CONT_PTES && !pte_all_gathered(pte); i++)
		pte = pte_gather_young_dirty(pte, __ptep_get(&first[i]));
	return pte;
}

/* Valid, and of one folio from the block's first frame (pfn - off) to its last? */
static bool contpte_one_folio(pte_t pte, unsigned int off)
{
	unsigned long pfn = pte_pfn(pte) - off;

	return pte_valid(pte) && !(pfn & (CONT_PTES - 1)) &&
	       page_folio(pfn_to_page(pfn)) == page_folio(pfn_to_page(pfn + CONT_PTES - 1));
}

pte_t contpte_set_ptes_pte(pte_t pte, unsigned int off)
{
	if (!contpte_one_folio(pte, off))
		return pte;
	if (!off)
		count_vm_event(CONTPTE_FOLD);
	return pte_mkcont(pte);
}

/* Is the block at ptep (its first PTE) complete and uniform, as the essay says? */
static bool contpte_foldable(const pte_t *ptep)
{
	pte_t first = __ptep_get(ptep);
	u64 attrs = contpte_attrs(first);

	if (pte_cont(first) || !contpte_one_folio(first, 0))
		return false;
	for (int i = 1; i < CONT_PTES; i++) {
		if (contpte_attrs(__ptep_get(&ptep[i])) != attrs + ((u64)i << PAGE_SHIFT))
			return false;
	}
	return true;
}

/*
 * Rewrite the block at ptep (first PTE, address start; every PTE valid, none
 * with PTE_CONT when folding, all with it when unfolding: asserted) with
 * PTE_CONT set (cont) or clear, break-before-make across CPUs: clear the 16,
 * each by an atomic exchange whose result is gathered (an access or write
 * the MMU records on any CPU until its PTE is gone is kept), flush their TLB
 * entries on every CPU that may hold them (flush_tlb_range), only then
 * write the new 16, each with the young, dirty and soft-dirty gathered over
 * the block.  Between the clear and the write another CPU touching the
 * block faults and waits for the PTE lock, held here.
 */
static void contpte_convert(struct mm_struct *mm, unsigned long start, pte_t *ptep, bool cont)
{
	pte_t pte = __pte(0), gathered = __pte(0);

	VM_BUG_ON(((start >> PAGE_SHIFT) ^ ((unsigned long)ptep / sizeof(pte_t))) & (CONT_PTES - 1));
	for (int i = 0; i < CONT_PTES; i++) {
		pte_t e = __ptep_xchg(&ptep[i], __pte(0));

		VM_BUG_ON(!pte_valid(e) || pte_cont(e) == cont);
		if (!i)
			pte = e;
		gathered = pte_gather_young_dirty(gathered, e);
	}
	flush_tlb_range(mm, start, start + CONT_PTE_SIZE);
	pte = pte_copy_young_dirty(pte_mknoncont(pte), gathered);
	if (cont)
		pte = pte_mkcont(pte);
	for (int i = 0; i < CONT_PTES; i++, pte = pte_next_pfn(pte))
		*(volatile pte_t *)&ptep[i] = pte;
	pgtable_sync();
	count_vm_event(cont ? CONTPTE_FOLD : CONTPTE_UNFOLD);
}

/* Unfold the block holding addr (ptep its PTE) if it is folded. */
static void contpte_try_unfold(struct mm_struct *mm, unsigned long addr, pte_t *ptep)
{
	pte_t *first = contpte_align_down(ptep);

	if (pte_cont(__ptep_get(first)))
		contpte_convert(mm, ALIGN_DOWN(addr, CONT_PTE_SIZE), first, false);
}

void arch_ptes_unfold(struct mm_struct *mm, unsigned long addr, pte_t *ptep, unsigned int nr)
{
	unsigned long end = addr + ((unsigned long)nr << PAGE_SHIFT);

	if (!nr)
		return;
	if (!IS_ALIGNED(addr, CONT_PTE_SIZE) || end - addr < CONT_PTE_SIZE)
		contpte_try_unfold(mm, addr, ptep);
	if (!IS_ALIGNED(end, CONT_PTE_SIZE))
		contpte_try_unfold(mm, end - PAGE_SIZE, &ptep[nr - 1]);
}

void arch_ptes_fold(struct mm_struct *mm, unsigned long addr, pte_t *ptep, unsigned int nr)
{
	unsigned long start = ALIGN_DOWN(addr, CONT_PTE_SIZE);
	unsigned long end = addr + ((unsigned long)nr << PAGE_SHIFT);
	pte_t *first = contpte_align_down(ptep);

	for (; start < end; start += CONT_PTE_SIZE, first += CONT_PTES) {
		if (contpte_foldable(first))
			contpte_convert(mm, start, first, true);
	}
}

/* One PTE e of a block given the block's new state pte: young as pte's, dirty and soft-dirty only added. */
static pte_t pte_set_access(pte_t e, pte_t pte)
{
	return pte_gather_young_dirty(pte_young(pte) ? e : pte_mkold(e), pte);
}

/*
 * Young is set or cleared on all 16 (a fault's access, reclaim's aging);
 * dirty and soft-dirty are only ever added, as ptep_set's rule: each PTE
 * changes by one atomic update, so a write the MMU records on any CPU
 * meanwhile stays (a compare-and-exchange loop per PTE, pt_entry_modify's).
 */
bool arch_ptep_set_access_flags(struct mm_struct *mm, unsigned long addr, pte_t *ptep, pte_t pte)
{
	pte_t old = __ptep_get(ptep), *first = contpte_align_down(ptep);
	unsigned long start = ALIGN_DOWN(addr, CONT_PTE_SIZE);

	if (!pte_cont(old) || contpte_attrs(old) != contpte_attrs(pte))
		return false;
	for (int i = 0; i < CONT_PTES; i++) {
		u64 *entry = &pte_val(first[i]), e = READ_ONCE(*entry);

		while (!pt_entry_try_cmpxchg(entry, &e, pte_val(pte_set_access(__pte(e), pte))))
			;
	}
	flush_tlb_range(mm, start, start + CONT_PTE_SIZE);
	return true;
}
