/*
 * collapse.c - MADV_COLLAPSE: collapse a range of anonymous memory into the
 * largest allowed folios in place (Linux 6.1's madvise_collapse, adapted
 * to multi-size folios).
 *
 * Linux collapses each 2 MiB-aligned block of the range into one PMD-mapped
 * THP, "independent of the sysfs THP settings" (even `never`), refusing
 * only VM_NOHUGEPAGE.  foliOS keeps those rules and picks the block size
 * per VMA: the largest order the fault policy (mm/anon_order.c) would allow
 * if the VMA had MADV_HUGEPAGE (MADV_COLLAPSE is such advice) whose aligned
 * block fits the VMA; when the policy allows no large order, the PMD order
 * (Linux's behaviour).  So with Linux's settings foliOS does what Linux does,
 * and with only 64K enabled a range becomes 64K folios.
 *
 * One block, in phases (collapse_block):
 *   scan     under the PTE lock: every PTE none, the zero page, or a page of
 *            an anonymous folio nobody else holds (refcount == mapcount, no
 *            pin, not locked: else -EAGAIN, as Linux's SCAN_PAGE_COUNT); at
 *            least one PTE writable (else -EINVAL, Linux's SCAN_PAGE_RO: a
 *            block fork left read-only, a read-only VMA, only zero pages).
 *            Pages mapped by another process too (after fork) are copied
 *            like the others, as Linux does (max_ptes_shared is
 *            khugepaged's).  A block already mapped by one large enough
 *            folio (or a PMD) is done.
 *   alloc    with no lock held, GFP_NOWAIT as a fault's large folios
 *            (counted: thp_collapse_alloc[_failed] for the PMD order,
 *            stats/collapse_alloc[_failed] per size).  -ENOMEM ends the call.
 *   recheck  under the PTE lock again: every PTE maps what the scan saw and
 *            the folios are still unshared by references; else -EAGAIN.
 *   freeze   the present PTEs write-protected (atomically, dirty kept) and
 *            flushed from every CPU's TLB: mmap_lock stops faults, not a
 *            thread of this mm writing through a TLB entry on another CPU,
 *            whose write after the copy would be lost (Linux clears the
 *            PMD and flushes before its copy for the same reason).  A
 *            write now faults and waits for the PTE lock held here.
 *   copy     each present page copied, none and zero-page PTEs zero-filled.
 *   replace  old PTEs cleared and flushed, their rmap and references dropped
 *            (a folio left partly mapped is queued for deferred split), the
 *            new folio mapped by PTEs in one set_ptes, or, for 2 MiB with
 *            pmd_mapping on, by one PMD that takes the emptied PTE table as
 *            its deposit (collapse_huge_pmd, mm/huge_memory.c).
 * Nothing is lost on failure: up to the freeze no PTE changed, and the new
 * folio is simply freed; nothing fails from the freeze on.
 *
 * The result, as Linux: 0 when every block of the range (the aligned
 * blocks inside [start, end): none is 0) is collapsed, else the errno of
 * the last block that failed (-EINVAL, -EAGAIN, -ENOMEM).  Locks: the
 * caller holds mmap_lock for writing (no fault runs meanwhile); then the
 * PTE lock; the PMD step takes page_table_lock with no PTE lock held.
 */
#include "mm/collapse.h"
#include "kernel/slab.h"
#include "kernel/string.h"
#include "mm/anon_order.h"
#include "mm/huge_mm.h"
#include "mm/pgtable.h"
#include "mm/rmap.h"
#include "mm/vma.h"
#include "mm/vmstat.h"
#include <asm/page.h>
#include <uapi/errno.h>

/* One block's scan: what it found, for the recheck and the copy. */
struct collapse_scan {
	pte_t *seen;		/* the PTEs as scanned (nr of them) */
	unsigned int nr;
};

/*
 * The block order MADV_COLLAPSE uses in vma, or -EINVAL (VM_NOHUGEPAGE, no
 * anon_vma yet: nothing was ever faulted, a shmem VMA: its folios are order
 * 0 only, or no allowed block fits the VMA).
 */
static int collapse_order(struct vm_area_struct *vma)
{
	struct vm_area_struct advised = *vma;
	unsigned long orders;

	if ((vma->vm_flags & VM_NOHUGEPAGE) || !vma->anon_vma || vma->vm_shmem)
		return -EINVAL;
	advised.vm_flags |= VM_HUGEPAGE;
	orders = anon_orders_allowed(&advised, vma->vm_start) & ~1UL;
	if (!orders)
		orders = 1UL << HPAGE_PMD_ORDER;	/* Linux: the sysfs settings do not limit it */
	for (int order = MTHP_MAX_ORDER; order > 0; order--)
		if ((orders & (1UL << order)) &&
		    order_fits_vma(vma, ALIGN_DOWN(vma->vm_end - 1, PAGE_SIZE << order), order))
			return order;
	return -EINVAL;
}

/* May the collapse take this folio's pages?  Nobody but the PTEs holds it. */
static bool collapse_folio_free_to_copy(struct folio *folio)
{
	if (!folio_test_anon(folio))
		return false;
	if (folio_maybe_dma_pinned(folio))
		return false;
	return !folio_test_locked(folio) && folio_ref_count(folio) == folio_mapcount(folio);
}

/*
 * Scan the block's nr PTEs at ptep (PTE lock held) into sc->seen: 0 when
 * it may be collapsed, 1 when besides one folio of at least the block's
 * order maps it already, page after page; -EINVAL or -EAGAIN (see the top).
 */
static int collapse_scan_ptes(pte_t *ptep, struct collapse_scan *sc, unsigned int order)
{
	bool writable = false, one_folio = true;
	struct folio *first = NULL;

	for (unsigned int i = 0; i < sc->nr; i++) {
		pte_t pte = ptep_get(&ptep[i]);
		struct folio *folio;

		sc->seen[i] = pte;
		if (pte_none(pte) || is_zero_pfn(pte_pfn(pte))) {
			one_folio = false;
			continue;
		}
		if (!pte_present(pte))
			return -EINVAL;
		writable |= pte_write(pte);
		folio = page_folio_mapped(pfn_to_page(pte_pfn(pte)));
		if (!folio)
			return -EAGAIN;	/* being split */
		if (!collapse_folio_free_to_copy(folio))
			return folio_test_anon(folio) ? -EAGAIN : -EINVAL;
		if (i == 0)
			first = folio;
		one_folio &= folio == first && pte_pfn(pte) == pte_pfn(sc->seen[0]) + i;
	}
	if (!writable)
		return -EINVAL;
	return one_folio && folio_order(first) >= order ? 1 : 0;
}

/* Under the PTE lock again: does every PTE still map what the scan saw, unshared? */
static bool collapse_recheck(pte_t *ptep, const struct collapse_scan *sc)
{
	for (unsigned int i = 0; i < sc->nr; i++) {
		pte_t pte = ptep_get(&ptep[i]), old = sc->seen[i];

		if (pte_none(pte) != pte_none(old) || (!pte_none(old) && pte_pfn(pte) != pte_pfn(old)))
			return false;
		if (!pte_none(pte) && !is_zero_pfn(pte_pfn(pte))) {
			struct folio *folio = page_folio_mapped(pfn_to_page(pte_pfn(pte)));

			if (!folio || !collapse_folio_free_to_copy(folio))
				return false;	/* shared now, or being split */
		}
	}
	return true;
}

/* The new folio's contents: each mapped page copied, the rest zeroed. */
static void collapse_copy(struct folio *folio, const struct collapse_scan *sc)
{
	char *dst = folio_address(folio);

	for (unsigned int i = 0; i < sc->nr; i++, dst += PAGE_SIZE) {
		pte_t pte = sc->seen[i];

		if (pte_none(pte) || is_zero_pfn(pte_pfn(pte)))
			clear_pages(dst, 1);
		else
			copy_page(dst, page_address(pfn_to_page(pte_pfn(pte))));
	}
}

/* Write-protect every run of present PTEs of the block and flush it (the freeze phase); PTE lock held. */
static void collapse_freeze(struct mm_struct *mm, unsigned long haddr, pte_t *ptep, unsigned int nr)
{
	for (unsigned int i = 0, run; i < nr; i += run + 1) {
		for (run = 0; i + run < nr && pte_present(ptep_get(&ptep[i + run])); run++)
			;
		if (run)
			wrprotect_ptes(mm, haddr + ((unsigned long)i << PAGE_SHIFT), &ptep[i], run);
	}
	flush_tlb_range(mm, haddr, haddr + ((unsigned long)nr << PAGE_SHIFT));
}

/* Unmap the block's old pages (PTE lock held): PTEs cleared, rmap and references dropped. */
static void collapse_unmap_old(struct vm_area_struct *vma, unsigned long haddr, pte_t *ptep,
			       unsigned int nr)
{
	struct mm_struct *mm = vma->vm_mm;

	for (unsigned int i = 0, n; i < nr; i += n) {
		unsigned long addr = haddr + ((unsigned long)i << PAGE_SHIFT);
		pte_t pte = ptep_get(&ptep[i]);
		struct folio *folio;
		struct page *page;

		n = 1;
		if (pte_none(pte))
			continue;
		if (is_zero_pfn(pte_pfn(pte))) {
			clear_ptes(mm, addr, &ptep[i], 1);
			continue;
		}
		page = pfn_to_page(pte_pfn(pte));
		folio = page_folio(page);
		n = folio_pte_batch(folio, &ptep[i], nr - i);
		clear_ptes(mm, addr, &ptep[i], n);
		folio_remove_rmap_ptes(folio, page, (int)n, NULL);	/* not sparse use */
		add_mm_counter(mm, MM_ANONPAGES, -(long)(n));
		folio_put_refs(folio, (int)n);
	}
	flush_tlb_range(mm, haddr, haddr + ((unsigned long)nr << PAGE_SHIFT));
}

/* A folio of order for the block, counted; NULL (counted) when none can be had. */
static struct folio *collapse_alloc(unsigned int order)
{
	struct folio *folio = folio_alloc(GFP_NOWAIT | __GFP_NOWARN, order);

	count_mthp_stat(order, folio ? MTHP_STAT_COLLAPSE_ALLOC : MTHP_STAT_COLLAPSE_ALLOC_FAILED);
	if (order == HPAGE_PMD_ORDER)
		count_vm_event(folio ? THP_COLLAPSE_ALLOC : THP_COLLAPSE_ALLOC_FAILED);
	return folio;
}

/*
 * Replace the block's mappings by folio (recheck passed, contents copied;
 * PTE lock *ptl held, released here).  2 MiB with pmd_mapping on: one PMD.
 */
static void collapse_replace(struct vm_area_struct *vma, unsigned long haddr, pte_t *ptep,
			     spinlock_t *ptl, struct folio *folio)
{
	unsigned int nr = (unsigned int)folio_nr_pages(folio);

	collapse_unmap_old(vma, haddr, ptep, nr);
	if (folio_order(folio) == HPAGE_PMD_ORDER && READ_ONCE(thp_pmd_mapping)) {
		spin_unlock(ptl);
		if (collapse_huge_pmd(vma, haddr, folio))
			return;
		ptep = pte_offset_map_lock(vma->vm_mm, haddr, &ptl);	/* the table is still there */
	}
	add_new_anon_folio(vma, folio, haddr);
	set_ptes(vma->vm_mm, haddr, ptep, mk_anon_pte(folio, vma), nr);
	spin_unlock(ptl);
}

/* Collapse the order-`order` block at haddr of vma: 0, or -EINVAL/-EAGAIN/-ENOMEM. */
static int collapse_block(struct vm_area_struct *vma, unsigned long haddr, unsigned int order,
			  struct collapse_scan *sc)
{
	struct mm_struct *mm = vma->vm_mm;
	struct folio *folio;
	spinlock_t *ptl;
	pte_t *ptep;
	int ret;

	if (order == HPAGE_PMD_ORDER && huge_pmd_lookup(mm, haddr, &(pmd_t){ 0 }))
		return 0;	/* PMD-mapped already (Linux's SCAN_PMD_MAPPED) */
	ptep = pte_offset_map_lock(mm, haddr, &ptl);
	if (!ptep)
		return -EINVAL;	/* nothing was ever mapped here */
	sc->nr = 1U << order;
	ret = collapse_scan_ptes(ptep, sc, order);
	spin_unlock(ptl);
	if (ret < 0)
		return ret;
	if (ret > 0 && !(order == HPAGE_PMD_ORDER && READ_ONCE(thp_pmd_mapping)))
		return 0;	/* one folio maps the block already (a PTE-mapped 2M one is PMD-mapped) */
	folio = collapse_alloc(order);
	if (!folio)
		return -ENOMEM;
	ptep = pte_offset_map_lock(mm, haddr, &ptl);
	if (!ptep || !collapse_recheck(ptep, sc)) {
		if (ptep)
			spin_unlock(ptl);
		folio_put(folio);
		return -EAGAIN;
	}
	collapse_freeze(mm, haddr, ptep, sc->nr);
	collapse_copy(folio, sc);
	collapse_replace(vma, haddr, ptep, ptl, folio);
	return 0;
}

int collapse_anon_block(struct vm_area_struct *vma, unsigned long haddr, unsigned int order)
{
	struct collapse_scan sc = { .seen = kmalloc(sizeof(pte_t) << order) };
	int ret;

	mmap_assert_locked(vma->vm_mm);
	VM_BUG_ON(!order || order > MTHP_MAX_ORDER || !order_fits_vma(vma, haddr, order));
	if (!sc.seen)
		return -ENOMEM;
	ret = collapse_block(vma, haddr, order, &sc);
	kfree(sc.seen);
	return ret;
}

int madvise_collapse(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	int order = collapse_order(vma), last_fail = 0;
	unsigned long size, hstart, hend, blocks = 0, done = 0;
	struct collapse_scan sc;

	mmap_assert_locked(vma->vm_mm);
	if (order < 0)
		return order;
	size = PAGE_SIZE << order;
	hstart = ALIGN(start, size);
	hend = ALIGN_DOWN(end, size);
	if (hstart >= hend)
		return 0;	/* no whole block in the range: nothing asked (Linux) */
	sc.seen = kmalloc(sizeof(pte_t) << order);
	if (!sc.seen)
		return -ENOMEM;
	for (unsigned long addr = hstart; addr < hend; addr += size, blocks++) {
		int ret = collapse_block(vma, addr, (unsigned int)order, &sc);

		if (!ret)
			done++;
		else
			last_fail = ret;
		if (ret == -ENOMEM)
			break;	/* Linux stops at an allocation failure */
	}
	kfree(sc.seen);
	return done == (hend - hstart) / size ? 0 : last_fail;
}
