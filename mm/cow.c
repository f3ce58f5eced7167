/*
 * cow.c - copy-on-write of anonymous memory: the write fault on a present
 * read-only PTE of a writable private VMA (handle_mm_fault -> do_wp_page).
 * The design is in docs/mm/cow.md; in short, one of:
 *
 *   reuse       the folio is this process's alone (Linux 6.15's test for a
 *               large folio: refcount == mapcount, no pins, every mapping in
 *               this mm; here: every mapping in this PTE table, which this
 *               file can see under one lock).  No copy: every PTE of this
 *               VMA and table that maps the folio becomes writable and its
 *               page AnonExclusive, so a large folio stays large after fork
 *               once the other side has exited or exec'ed.
 *   page copy   one new 4 KiB page (Linux's wp_page_copy); also the write to
 *               the zero page.
 *   folio copy  a new folio of the old one's order, mapped over its whole
 *               block, when the policy (cow_policy.c) asks for it and the
 *               block fits: inside the VMA, every PTE still mapping the old
 *               folio read-only, the order allowed by anon_orders_allowed().
 *
 * Copies are allocated with the PTE lock dropped and the old folio pinned
 * (a reference: reclaim and split leave it alone); the PTEs are re-checked
 * after: a folio copy needs its whole block unchanged, a page copy its PTE.
 * A folio copy that cannot be allocated (GFP_NOWAIT, never reclaims) falls
 * back to the page copy, which may reclaim and OOM-kill as an anonymous
 * fault does: nothing is changed until the copy is there.
 *
 * The old folio losing PTEs to a copy is not sparse use: its rmap update
 * passes no VMA, so the order policy's partial_unmap hears nothing of it;
 * its cow hook hears the outcome instead (do_wp_page: reused, or copied
 * at which order).
 */
#include "mm/cow.h"
#include "mm/anon_order.h"
#include "mm/foliotrace.h"
#include "mm/mm.h"
#include "mm/pgtable.h"
#include "mm/rmap.h"
#include "mm/soft_dirty.h"
#include "mm/vma.h"
#include "mm/vmscan.h"
#include "mm/vmstat.h"
#include <asm/page.h>

/* ---- reuse ---- */

/*
 * The part of the folio's natural block (the page mapped at addr is page
 * `idx` of folio) that lies in addr's PTE table and, when vma is not NULL,
 * in vma: [*first, *end) as page indexes of the folio, page *first at *start.
 */
static void folio_block_here(const struct folio *folio, unsigned long idx, unsigned long addr,
			     const struct vm_area_struct *vma, unsigned long *first, unsigned long *end,
			     unsigned long *start)
{
	unsigned long base = addr - (idx << PAGE_SHIFT);	/* where page 0 would be */
	unsigned long lo = ALIGN_DOWN(addr, PTE_TABLE_SPAN), hi = lo + PTE_TABLE_SPAN;
	unsigned long last = base + folio_size(folio);

	if (vma) {
		lo = max(lo, vma->vm_start);
		hi = min(hi, vma->vm_end);
	}
	lo = max(lo, base);
	hi = min(hi, last);
	*first = (lo - base) >> PAGE_SHIFT;
	*end = (hi - base) >> PAGE_SHIFT;
	*start = lo;
}

/* Does the PTE map page i of folio? */
static bool pte_maps_folio_page(pte_t pte, const struct folio *folio, unsigned long i)
{
	return pte_present(pte) && pte_pfn(pte) == folio_pfn(folio) + i;
}

/*
 * Can the faulting process simply write to folio (page at addr, ptep)?
 * Order 0: this PTE is the only mapping and the only reference.  Large:
 * no pins, no reference but the mappings', and every mapping is a PTE of
 * this table mapping its page in natural position (so all are in this mm).
 * PTE-table lock held.
 */
static bool wp_can_reuse(struct folio *folio, struct page *page, unsigned long addr, pte_t *ptep)
{
	unsigned long idx = (unsigned long)(page - folio_page(folio, 0)), first, end, start;
	int here = 0;

	if (!folio_test_anon(folio))
		return false;
	if (!folio_test_large(folio))
		return page_mapcount(page) == 1 && folio_ref_count(folio) == 1;
	if (folio_maybe_dma_pinned(folio) || folio_ref_count(folio) != folio_mapcount(folio))
		return false;
	folio_block_here(folio, idx, addr, NULL, &first, &end, &start);
	for (unsigned long i = first; i < end; i++)
		here += pte_maps_folio_page(ptep_get(ptep - idx + i), folio, i);
	return here == folio_mapcount(folio);
}

/*
 * May wp_reuse make another PTE, pte (mapping page i of folio), writable
 * too?  Its page must be ours: the whole folio is (wp_can_reuse), or the
 * page is AnonExclusive.  And soft-dirty must allow it
 * (soft_dirty_may_mkwrite), unless it shares the faulting PTE's folded
 * contiguous block (arm64, in_block): the block is one TLB entry, the
 * write is the block's, and the caller marks the whole block soft-dirty.
 */
static bool wp_reuse_other(struct vm_area_struct *vma, struct folio *folio, unsigned long i, pte_t pte,
			   bool whole, bool in_block)
{
	if (pte_write(pte) || !(whole || PageAnonExclusive(folio_page(folio, i))))
		return false;
	return in_block || soft_dirty_may_mkwrite(vma, pte);
}

/*
 * Reuse folio (wp_can_reuse said yes: whole; or the faulting page is
 * AnonExclusive, as after clear_refs 4 or mprotect: only such pages): make
 * every PTE of vma in this table that maps a page of it wp_reuse_other
 * allows writable, its page AnonExclusive; the faulting one also young,
 * dirty and soft-dirty, the others keep their dirty state (a lazyfree page
 * not written again stays discardable).  PTE-table lock held.
 */
static void wp_reuse(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep,
		     struct folio *folio, struct page *page, bool whole)
{
	unsigned long idx = (unsigned long)(page - folio_page(folio, 0)), first, end, start;
	unsigned long blk = ALIGN_DOWN(addr, CONT_PTES * PAGE_SIZE);
	bool cont = pte_cont(ptep_get(ptep));

	folio_block_here(folio, idx, addr, vma, &first, &end, &start);
	for (unsigned long i = first; i < end; i++, start += PAGE_SIZE) {
		pte_t *p = ptep - idx + i;
		pte_t pte = ptep_get(p);
		bool in_block = cont && ALIGN_DOWN(start, CONT_PTES * PAGE_SIZE) == blk;

		if (!pte_maps_folio_page(pte, folio, i))
			continue;
		if (p == ptep)
			pte = pte_mksoft_dirty(pte_mkyoung(pte_mkdirty(pte_mkwrite(pte))));
		else if (wp_reuse_other(vma, folio, i, pte, whole, in_block))
			pte = in_block ? pte_mksoft_dirty(pte_mkwrite(pte)) : pte_mkwrite(pte);
		else
			continue;
		SetPageAnonExclusive(folio_page(folio, i));
		ptep_set(vma->vm_mm, start, p, pte);
	}
	count_vm_event(COW_REUSE);
	count_mthp_stat(folio_order(folio), MTHP_STAT_COW_REUSE);
	if (foliotrace_on())
		foliotrace_note(FT_OUT_COW_REUSE, FT_ORDER_NONE);
}

/* ---- folio copy ---- */

/* Do the nr PTEs at sptep map pages 0..nr of folio, read-only, in order? */
static bool ptes_map_folio_ro(const pte_t *sptep, const struct folio *folio, unsigned int nr)
{
	for (unsigned int i = 0; i < nr; i++) {
		pte_t pte = ptep_get(&sptep[i]);

		if (!pte_maps_folio_page(pte, folio, i) || pte_write(pte))
			return false;
	}
	return true;
}

/*
 * The order to copy for a CoW fault at addr (ptep) on folio: its own order
 * when the folio is large, its block fits (vma, PTE table, every PTE still
 * mapping it read-only), the order policy allows the order and the CoW
 * policy wants the folio copied; else 0 (a page).  PTE-table lock held.
 */
static unsigned int wp_copy_order(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep,
				  struct folio *folio)
{
	unsigned int order = folio_order(folio);
	unsigned long start = ALIGN_DOWN(addr, PAGE_SIZE << order);
	const pte_t *sptep = ptep - ((addr - start) >> PAGE_SHIFT);

	if (!order || !cow_policy_copies_folios() ||
	    !order_fits_vma(vma, addr, order) || !(anon_orders_allowed(vma, addr) & (1UL << order)) ||
	    !ptes_map_folio_ro(sptep, folio, 1U << order))
		return 0;
	return cow_wants_folio_copy(vma, start, sptep, order) ? order : 0;
}

/* A new order-k folio holding old's contents, or NULL (never reclaims).  No spinlock held. */
static struct folio *wp_folio_copy_alloc(struct folio *old, unsigned int order)
{
	struct folio *new = folio_alloc(GFP_NOWAIT | __GFP_NOWARN, order);

	if (!new) {
		count_mthp_stat(order, MTHP_STAT_COW_COPY_FOLIO_FALLBACK);
		return NULL;
	}
	for (unsigned long i = 0; i < folio_nr_pages(old); i++)
		copy_page(page_address(folio_page(new, i)), page_address(folio_page(old, i)));
	return new;
}

/*
 * Replace the whole block at start (sptep), whose PTEs map folio read-only
 * (re-checked), by the copy new: one batched set_ptes, the rmap of both
 * folios for the whole range, one reference per PTE moving over.  rss is
 * unchanged.  PTE-table lock held.
 */
static void wp_folio_map_copy(struct vm_area_struct *vma, unsigned long start, pte_t *sptep,
			      struct folio *new, struct folio *folio)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned int order = folio_order(new), nr = 1U << order;

	VM_BUG_ON_FOLIO(folio_order(folio) != order, folio);
	folio_add_new_anon_rmap(new, vma, start);
	folio_add_lru(new);
	folio_ref_add(new, (int)nr - 1);
	clear_ptes(mm, start, sptep, nr);
	flush_tlb_range(mm, start, start + ((unsigned long)nr << PAGE_SHIFT));
	set_ptes(mm, start, sptep, mk_anon_pte(new, vma), nr);
	folio_remove_rmap_ptes(folio, folio_page(folio, 0), (int)nr, NULL);
	folio_put_refs(folio, (int)nr);
	count_pgalloc_order(order);
	count_vm_event(COW_COPY_FOLIO);
	count_mthp_stat(order, MTHP_STAT_COW_COPY_FOLIO);
	if (foliotrace_on())
		foliotrace_note(FT_OUT_COW_COPY, order);
}

/* ---- page copy ---- */

/*
 * The copy of a CoW fault at addr: a fresh page holding page's contents
 * (zeros for the zero page, page NULL: pre-zeroed or zeroed here, as an
 * anonymous fault's), or NULL when memory ran out.  May reclaim: no
 * spinlock held.
 */
static struct folio *wp_page_copy_alloc(unsigned long addr, struct page *page)
{
	struct folio *new = folio_alloc(GFP_HIGHUSER_MOVABLE | __GFP_NOWARN | (page ? 0 : __GFP_PREZERO), 0);

	if (!new)
		return NULL;
	if (page)
		copy_page(folio_address(new), page_address(page));
	else
		anon_folio_zero(new, addr, addr);	/* a write to the zero page */
	return new;
}

/*
 * Replace the PTE at ptep, which maps page of folio (NULL: the zero page), by
 * the copy new: writable, or as the VMA's protection for an unshare fault.
 * PTE lock held.
 */
static void wp_page_map_copy(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep,
			     struct folio *new, struct folio *folio, struct page *page, bool unshare)
{
	struct mm_struct *mm = vma->vm_mm;
	pte_t old = ptep_get(ptep);
	pte_t entry = unshare ? pte_mkdirty(pfn_pte(folio_pfn(new), vma->vm_page_prot))
			      : mk_anon_pte(new, vma);
	bool was_anon = folio && folio_test_anon(folio);	/* read before the folio_put below */

	if (unshare && pte_soft_dirty(old))
		entry = pte_mksoft_dirty(entry);	/* no write: the soft-dirty state stays (Linux) */

	folio_add_new_anon_rmap(new, vma, addr);
	folio_add_lru(new);
	count_pgalloc_order(0);
	if (foliotrace_on())
		foliotrace_note(FT_OUT_COW_COPY, 0);
	ptep_get_and_clear(mm, addr, ptep);
	set_ptes(mm, addr, ptep, entry, 1);
	if (folio) {
		folio_remove_rmap_ptes(folio, page, 1, NULL);
		folio_put(folio);
	}
	if (folio && !was_anon)
		dec_mm_counter(mm, MM_SHMEMPAGES);	/* a memfd's page in a private mapping: now an anon copy */
	if (!was_anon)
		inc_mm_counter(mm, MM_ANONPAGES);	/* the zero page or a shmem page replaced by an anon one */
}

/* ---- the fault ---- */

/* wp_copy's *copied when it mapped nothing (memory ran out, or the PTEs changed meanwhile). */
#define WP_COPIED_NOTHING	(-2)

/*
 * Copy after the PTE lock was dropped: allocate an order-`order` copy of
 * folio (order 0: of page, or zeros when folio is NULL), falling back to
 * a page, then re-take the lock and map it if the PTEs it replaces are
 * unchanged (old: the faulting PTE as it was).  The caller's reference on
 * folio is dropped.  unshare: the copy stays read-only (FAULT_FLAG_UNSHARE).
 * *copied: the order of the copy mapped, or WP_COPIED_NOTHING.
 */
static int wp_copy(struct vm_area_struct *vma, unsigned long addr, pte_t old, struct folio *folio,
		   struct page *page, unsigned int order, bool unshare, int *copied)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long start = ALIGN_DOWN(addr, PAGE_SIZE << order);
	struct folio *new = NULL;
	spinlock_t *ptl;
	pte_t *ptep;
	int ret;

	*copied = WP_COPIED_NOTHING;
	if (anon_vma_prepare(vma)) {
		ret = VM_FAULT_OOM;
		goto out;
	}
	if (order)
		new = wp_folio_copy_alloc(folio, order);
	if (!new) {
		order = 0;
		start = addr;
		new = wp_page_copy_alloc(addr, page);
	}
	ret = new ? VM_FAULT_OK : VM_FAULT_OOM;
	ptep = pte_offset_map_lock(mm, addr, &ptl);
	if (ptep) {
		pte_t *sptep = ptep - ((addr - start) >> PAGE_SHIFT);

		if (new && order && ptes_map_folio_ro(sptep, folio, 1U << order)) {
			wp_folio_map_copy(vma, start, sptep, new, folio);
			new = NULL;
			*copied = (int)order;
		} else if (new && !order && pte_val(ptep_get(ptep)) == pte_val(old)) {
			wp_page_map_copy(vma, addr, ptep, new, folio, page, unshare);
			new = NULL;
			*copied = 0;
		}
		spin_unlock(ptl);
	}
	if (new)
		folio_put(new);
out:
	if (folio)
		folio_put(folio);
	return ret;
}

/*
 * A CoW fault on a folio (page at addr, ptep; PTE lock held, dropped
 * here): reuse it or copy.  Returns the fault's result; *copied: the order
 * copied, COW_REUSED, or WP_COPIED_NOTHING.
 */
static int wp_folio(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, spinlock_t *ptl,
		    struct folio *folio, struct page *page, bool unshare, int *copied)
{
	pte_t old = ptep_get(ptep);
	unsigned int order = 0;
	bool whole;

	count_vm_event(COW_FAULT);
	whole = wp_can_reuse(folio, page, addr, ptep);
	if (whole || (folio_test_anon(folio) && PageAnonExclusive(page))) {
		if (unshare)
			SetPageAnonExclusive(page);	/* Linux: reuse without write */
		else
			wp_reuse(vma, addr, ptep, folio, page, whole);
		spin_unlock(ptl);
		*copied = COW_REUSED;
		return VM_FAULT_OK;
	}
	if (!unshare)
		order = wp_copy_order(vma, addr, ptep, folio);
	folio_get(folio);
	spin_unlock(ptl);
	return wp_copy(vma, addr, old, folio, page, order, unshare, copied);
}

int do_wp_page(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, spinlock_t *ptl,
	       unsigned int flags)
{
	bool unshare = !(flags & FAULT_FLAG_WRITE);
	pte_t old = ptep_get(ptep);
	unsigned long pfn = pte_pfn(old);
	struct folio *folio;
	unsigned int order;
	int ret, copied;

	VM_BUG_ON(pte_write(old) || !pte_present(old));
	VM_BUG_ON(unshare && !(flags & FAULT_FLAG_UNSHARE));
	if (is_zero_pfn(pfn)) {
		spin_unlock(ptl);
		return wp_copy(vma, addr, old, NULL, NULL, 0, unshare, &copied);	/* no folio: not told */
	}
	folio = page_folio_mapped(pfn_to_page(pfn));
	if (!folio) {
		spin_unlock(ptl);
		folio_split_wait();
		return VM_FAULT_RETRY;	/* being split: the access faults again, after it */
	}
	order = folio_order(folio);	/* before a copy drops the old folio */
	ret = wp_folio(vma, addr, ptep, ptl, folio, pfn_to_page(pfn), unshare, &copied);
	if (copied != WP_COPIED_NOTHING)
		anon_order_note_cow(vma, order, copied);
	return ret;
}
