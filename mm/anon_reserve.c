/*
 * anon_reserve.c - reservations, the mechanism of the reserve policy
 * (mm/policy/reserve.c): FreeBSD's vm_reserv (Navarro, OSDI'02) built from
 * foliOS's partially mapped folios.
 *
 * A reservation is an anonymous large folio with PG_reservation set: its
 * mapped pages are mapped by this VMA's PTEs at their natural place (the
 * folio's block aligned to its size), every unmapped page has never been
 * mapped, so it still holds the zeroes the fault wrote.  Made by a write
 * fault (anon_reserve_map_new) that maps only the touched page; the folio
 * is partially mapped from birth, so it sits on the deferred-split queue.
 *
 *   fill      a later fault on a none PTE inside the block maps its page
 *             of the folio (anon_reserve_fill): no allocation, no zeroing;
 *             a read maps it read-only (instead of the zero page), so the
 *             first write reuses it.  Only the VMA whose anon_vma the folio belongs to
 *             fills (a forked child has its own: it never maps the parent's
 *             never-mapped pages), only at the natural place (mremap to an
 *             unaligned address, or a VMA cut through the block, ends
 *             filling; mremap to an aligned one keeps it, each page still
 *             mapped at most once), only a page nobody maps, never a
 *             lazyfree folio (MADV_FREE: reclaim may drop it whole), only
 *             under a policy that reserves.
 *   promote   when the policy says enough pages are mapped, every
 *             never-mapped page whose PTE is none is mapped at once; a
 *             folio mapped whole this way is an ordinary folio again (off
 *             the queue).
 *   break     any page of it unmapped (munmap, MADV_DONTNEED, mremap of
 *             part) or any split clears PG_reservation (anon_reserve_break):
 *             an unmapped page may hold data now, so it is never filled.
 *             The deferred-split shrinker (under memory pressure, or
 *             folio/deferred_split_scan) then splits the never-mapped part
 *             off and frees it (folio_split_unmapped).
 *   free     munmap/exit of every mapped page frees the whole folio, the
 *             never-mapped part with it.
 *
 * References and counts follow the usual rules: one folio reference and
 * one mapcount per PTE, MM_ANONPAGES counts mapped pages only.
 */
#include "mm/anon_reserve.h"
#include "mm/anon_order.h"
#include "mm/foliotrace.h"
#include "mm/pgtable.h"
#include "mm/rmap.h"
#include "mm/split.h"
#include "mm/vma.h"
#include "mm/vmscan.h"

/*
 * The PTE mapping page of a reservation in vma: writable and dirty for a
 * write, else read-only (and young) as vm_page_prot says, so the first write
 * is a CoW fault that reuses the exclusive page (mm/cow.c).
 */
static pte_t reserve_pte(struct page *page, struct vm_area_struct *vma, bool write)
{
	return write ? mk_anon_page_pte(page, vma) : pte_mkyoung(pfn_pte(page_to_pfn(page), vma->vm_page_prot));
}

/* Map pages [page, page + nr) of reservation folio at addr.. (ptep..): rmap, refs, rss.  PTE lock held. */
static void reserve_map_pages(struct vm_area_struct *vma, struct folio *folio, struct page *page,
			      unsigned long addr, pte_t *ptep, unsigned int nr, bool write)
{
	folio_add_anon_rmap_ptes(folio, page, (int)nr);
	folio_ref_add(folio, (int)nr);
	add_mm_counter(vma->vm_mm, MM_ANONPAGES, nr);
	set_ptes(vma->vm_mm, addr, ptep, reserve_pte(page, vma, write), nr);
}

void anon_reserve_map_new(struct vm_area_struct *vma, struct folio *folio, unsigned long start,
			  pte_t *sptep, unsigned long addr)
{
	unsigned long idx = (addr - start) >> PAGE_SHIFT;
	unsigned int order = folio_order(folio);

	VM_BUG_ON_FOLIO(!order || folio_test_reservation(folio), folio);
	folio_add_new_anon_rmap_ptes(folio, vma, start, idx, 1);
	folio_add_lru(folio);
	inc_mm_counter(vma->vm_mm, MM_ANONPAGES);		/* the allocation reference is the PTE's */
	set_ptes(vma->vm_mm, addr, sptep + idx, mk_anon_page_pte(folio_page(folio, idx), vma), 1);
	folio_set_reservation(folio);
	deferred_split_folio(folio, true);	/* partially mapped: the shrinker may break it */
	count_anon_fault_alloc(order);
	count_vm_event(ANON_RESERVE_ALLOC);
}

/*
 * The reservation of order `order` whose block holds addr and that vma may
 * fill, found from the first anon PTE of the block (sptep, PTE lock held);
 * NULL if there is none (or it is being split: page_folio_mapped).
 */
static struct folio *reserve_lookup(struct vm_area_struct *vma, pte_t *sptep, unsigned int order)
{
	for (unsigned int i = 0; i < (1U << order); i++) {
		pte_t pte = ptep_get(&sptep[i]);
		struct folio *folio;

		if (!pte_present(pte) || is_zero_pfn(pte_pfn(pte)))
			continue;
		folio = page_folio_mapped(pfn_to_page(pte_pfn(pte)));
		if (!folio || !folio_test_reservation(folio) || folio_order(folio) != order ||
		    folio_pfn(folio) + i != pte_pfn(pte) || folio->mapping != vma->anon_vma ||
		    !folio_test_swapbacked(folio))
			return NULL;	/* not one, not at its natural place, not ours, or lazyfree */
		return folio;
	}
	return NULL;
}

/*
 * Promote: map every never-mapped page of folio whose PTE is none (block at
 * start, sptep), writable when the VMA is, as a fault's fresh folio.
 */
static void reserve_promote(struct vm_area_struct *vma, struct folio *folio, unsigned long start,
			    pte_t *sptep)
{
	unsigned int nr = (unsigned int)folio_nr_pages(folio);

	for (unsigned int i = 0; i < nr; ) {
		unsigned int run = 0;

		while (i + run < nr && pte_none(ptep_get(&sptep[i + run])) &&
		       atomic_read(&folio_page(folio, i + run)->_mapcount) == -1)
			run++;
		if (run)
			reserve_map_pages(vma, folio, folio_page(folio, i), start + ((unsigned long)i << PAGE_SHIFT),
					  sptep + i, run, vma->vm_flags & VM_WRITE);
		i += run ? run : 1;
	}
	if (atomic_read(&folio->_nr_pages_mapped) == (int)nr) {
		folio_clear_reservation(folio);
		folio_unqueue_deferred_split(folio);	/* whole: an ordinary folio */
		count_vm_event(ANON_RESERVE_PROMOTE);
	}
}

unsigned int anon_reserve_fill(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, bool write)
{
	const struct anon_policy *p = anon_policy_current();
	unsigned long orders;

	if (!p->reserve || !vma->anon_vma)
		return 0;
	orders = anon_orders_allowed(vma, addr);
	for (unsigned int order = MTHP_MAX_ORDER; order >= 1; order--) {
		unsigned long start = ALIGN_DOWN(addr, PAGE_SIZE << order);
		pte_t *sptep = ptep - ((addr - start) >> PAGE_SHIFT);
		struct folio *folio;
		struct page *page;

		if (!(orders & (1UL << order)) || !order_fits_vma(vma, addr, order))
			continue;
		folio = reserve_lookup(vma, sptep, order);
		if (!folio)
			continue;
		page = folio_page(folio, (addr - start) >> PAGE_SHIFT);
		if (atomic_read(&page->_mapcount) != -1)
			continue;	/* mapped elsewhere: mremap moved this part of the folio */
		reserve_map_pages(vma, folio, page, addr, ptep, 1, write);
		count_vm_event(ANON_RESERVE_FILL);
		if (p->reserve_promote && p->reserve_promote(vma, order, (unsigned int)atomic_read(&folio->_nr_pages_mapped)))
			reserve_promote(vma, folio, start, sptep);
		if (foliotrace_on())
			foliotrace_fill(vma->vm_mm, addr, order, (unsigned int)atomic_read(&folio->_nr_pages_mapped));
		return order;
	}
	return 0;
}
