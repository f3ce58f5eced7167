/*
 * memory.c - the page-fault path for anonymous memory below the VMA level
 * (fault.c finds the VMA and checks the access, then calls
 * handle_mm_fault() here), and the batched PTE walks of unmap
 * (zap_page_range) and fork (copy_page_range).
 *
 * Locks: mmap_lock, then the PTE-table lock, in the order of kernel/spinlock.h.
 *
 * A fault on an address the VMA allows first meets its PMD
 * (do_huge_pmd_fault, mm/huge_memory.c: a 2 MiB block mapping, or a write
 * to a none PMD that gets one); at the PTE level it is one of:
 *   - none PTE, read:  map the shared zero page read-only (do_anonymous_page)
 *   - none PTE, write: allocate a zeroed folio and map it (do_anonymous_page);
 *     the allocator hands out a pre-zeroed block when it has one (mm/prezero.c),
 *     else the fault zeroes the folio, the faulting page last
 *   - none PTE of a shmem VMA (vm_shmem): the object's page (shmem_fault, mm/shmem.c)
 *   - present read-only PTE of a shared VMA, write: make it writable (do_shared_wp)
 *   - present read-only PTE, write: copy-on-write (do_wp_page, mm/cow.c):
 *     reuse the folio when this process is its only user, else copy the page
 *     or, as cow_policy decides, the whole folio
 * Anything else only needs the PTE marked young (and dirty for a write)
 * where the MMU leaves that to software, or was spurious (do_access_flags).
 */
#include "kernel/string.h"
#include "mm/mm.h"
#include "mm/mmu_gather.h"
#include "mm/pgtable.h"
#include "mm/rmap.h"
#include "mm/shmem.h"
#include "mm/split.h"
#include "mm/anon_order.h"
#include "mm/anon_reserve.h"
#include "mm/collapse.h"
#include "mm/cow.h"
#include "mm/debug_vm.h"
#include "mm/foliotrace.h"
#include "mm/huge_mm.h"
#include "mm/thp_sysfs.h"
#include "mm/vma.h"
#include "mm/vmscan.h"
#include "mm/vmstat.h"
#include <asm/page.h>
#include <uapi/errno.h>

struct page *zero_page;

void mm_fault_init(void)
{
	zero_page = alloc_pages(GFP_KERNEL | __GFP_ZERO, 0);
	if (!zero_page)
		panic("mm_fault_init: no memory for the zero page");
}

bool is_zero_pfn(unsigned long pfn)
{
	return pfn == page_to_pfn(zero_page);
}

pte_t mk_anon_page_pte(struct page *page, struct vm_area_struct *vma)
{
	return pte_mksoft_dirty(pte_mkdirty(pte_mkwrite(pfn_pte(page_to_pfn(page), vma->vm_page_prot))));
}

pte_t mk_anon_pte(struct folio *folio, struct vm_area_struct *vma)
{
	return mk_anon_page_pte(&folio->page, vma);
}

/* Read fault on a none PTE: the zero page, read-only (pte_special in Linux's terms). */
static int do_anonymous_read(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep)
{
	set_ptes(vma->vm_mm, addr, ptep, pfn_pte(page_to_pfn(zero_page), vma->vm_page_prot), 1);
	if (foliotrace_on())
		foliotrace_note(FT_OUT_ZERO, FT_ORDER_NONE);
	return VM_FAULT_OK;
}

/* ---- choosing the order (the RFC's calc_anonymous_folio_order) ---- */

bool order_fits_vma(const struct vm_area_struct *vma, unsigned long addr, unsigned int order)
{
	unsigned long start = ALIGN_DOWN(addr, PAGE_SIZE << order);

	return start >= vma->vm_start && start + (PAGE_SIZE << order) <= vma->vm_end;
}

unsigned int anon_block_mapped(struct vm_area_struct *vma, unsigned long addr, unsigned int order)
{
	unsigned long start = ALIGN_DOWN(addr, PAGE_SIZE << order);
	unsigned int n = 0;
	spinlock_t *ptl;
	pte_t *ptep;

	if (!order_fits_vma(vma, addr, order))
		return 0;
	ptep = pte_offset_map_lock(vma->vm_mm, start, &ptl);
	if (!ptep)
		return 0;
	for (unsigned int i = 0; i < (1U << order); i++) {
		pte_t pte = ptep_get(&ptep[i]);

		n += pte_present(pte) && !is_zero_pfn(pte_pfn(pte));
	}
	spin_unlock(ptl);
	return n;
}

/* Index of the first non-none PTE in ptep[0..nr), or nr. */
static unsigned int pte_range_first_set(pte_t *ptep, unsigned int nr)
{
	for (unsigned int i = 0; i < nr; i++) {
		if (!pte_none(ptep_get(&ptep[i])))
			return i;
	}
	return nr;
}

/*
 * The highest order in `orders` whose aligned block around addr lies in the
 * VMA and covers only none PTEs; ptep is addr's PTE (table lock held).
 * Blocks of successive orders nest, so a set PTE found while checking one
 * order rules out every larger order that contains it (the RFC's first_set).
 */
static unsigned int anon_pick_order(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep,
				    unsigned long orders)
{
	pte_t *first_set = NULL;

	for (int order = MTHP_MAX_ORDER; order > 0; order--) {
		unsigned int nr = 1U << order;
		unsigned long start = ALIGN_DOWN(addr, PAGE_SIZE << order);
		pte_t *sptep = ptep - ((addr - start) >> PAGE_SHIFT);

		if (!(orders & (1UL << order)) || !order_fits_vma(vma, addr, order))
			continue;
		if (first_set && first_set >= sptep && first_set < sptep + nr)
			continue;	/* a set PTE we already saw lies inside */
		if (first_set && sptep + nr <= first_set)
			return order;	/* entirely below the set PTE: checked by a larger order */
		first_set = sptep + pte_range_first_set(sptep, nr);
		if (first_set == sptep + nr)
			return order;
	}
	return 0;
}

/*
 * Allocate a folio of the highest order in `orders` at or below `order`,
 * falling back one allowed order at a time (each failure counted as
 * anon_fault_fallback of that size).  Large folios are a bonus: they wake
 * kswapd but never reclaim (GFP_NOWAIT); order 0 may reclaim and OOM-kill
 * (GFP_HIGHUSER_MOVABLE).  Returns NULL only when order 0 fails.  No spinlock held.
 * The folio may come pre-zeroed (__GFP_PREZERO): anon_folio_zero() next.
 */
static struct folio *anon_alloc_folio(unsigned long orders, unsigned int order)
{
	for (int k = (int)order; k >= 0; k--) {
		gfp_t gfp = (k ? GFP_NOWAIT : GFP_HIGHUSER_MOVABLE) | __GFP_NOWARN;
		struct folio *folio;

		if (!(orders & (1UL << k)))
			continue;
		folio = folio_alloc(gfp | __GFP_PREZERO, (unsigned int)k);
		if (folio)
			return folio;
		count_mthp_stat(k, MTHP_STAT_ANON_FAULT_FALLBACK);
		if (k == MTHP_MAX_ORDER)
			count_vm_event(THP_FAULT_FALLBACK);
	}
	return NULL;
}

/* Zero a fresh folio for the user, the page at addr (about to be used) last. */
static void folio_zero_user(struct folio *folio, unsigned long start, unsigned long addr)
{
	unsigned long nr = folio_nr_pages(folio), target = (addr - start) >> PAGE_SHIFT;
	char *base = folio_address(folio);

	if (target)
		clear_pages(base, (unsigned int)target);
	if (target + 1 < nr)
		clear_pages(base + ((target + 1) << PAGE_SHIFT), (unsigned int)(nr - target - 1));
	clear_pages(base + (target << PAGE_SHIFT), 1);
}

void anon_folio_zero(struct folio *folio, unsigned long start, unsigned long addr)
{
	unsigned long nr = folio_nr_pages(folio);

	if (folio_test_clear_zeroed(folio)) {
		count_vm_events(PGZERO_PREZEROED, nr);
		return;
	}
	folio_zero_user(folio, start, addr);
	count_vm_events(PGZERO_FAULT, nr);
}

/* ---- the anonymous write fault ---- */

/* Is the folio mapped just below start (same order, fully mapped)? Policy feedback (adaptive). */
static bool neighbour_folio_full(struct vm_area_struct *vma, unsigned long start, pte_t *sptep,
				 unsigned int order)
{
	unsigned long nr = 1UL << order;
	pte_t pte;
	struct folio *folio;

	if (!order || start < vma->vm_start + (PAGE_SIZE << order))
		return false;
	if (((unsigned long)sptep & (PAGE_SIZE - 1)) < nr * sizeof(pte_t))
		return false;	/* the block below is in another PTE table */
	pte = ptep_get(sptep - nr);
	if (!pte_present(pte) || pte_pfn(pte) == page_to_pfn(zero_page))
		return false;
	folio = page_folio_mapped(pfn_to_page(pte_pfn(pte)));
	return folio && folio_order(folio) == order && atomic_read(&folio->_nr_pages_mapped) == (int)nr;
}

void add_new_anon_folio(struct vm_area_struct *vma, struct folio *folio, unsigned long start)
{
	unsigned int order = folio_order(folio), nr = 1U << order;

	folio_add_new_anon_rmap(folio, vma, start);
	folio_add_lru(folio);
	if (thp_underused_active(order))
		deferred_split_folio(folio, false);	/* an underused candidate */
	folio_ref_add(folio, (int)nr - 1);
	add_mm_counter(vma->vm_mm, MM_ANONPAGES, nr);
}

void count_anon_fault_alloc(unsigned int order)
{
	count_pgalloc_order(order);
	count_mthp_stat(order, MTHP_STAT_ANON_FAULT_ALLOC);
	if (order == MTHP_MAX_ORDER)
		count_vm_event(THP_FAULT_ALLOC);
	if (foliotrace_on())
		foliotrace_note(FT_OUT_ALLOC, order);
}

void account_new_anon_folio(struct vm_area_struct *vma, struct folio *folio, unsigned long start)
{
	add_new_anon_folio(vma, folio, start);
	count_anon_fault_alloc(folio_order(folio));
}

/*
 * Map folio (fresh, zeroed, order k) at the block starting at start: one
 * batched set_ptes, the rmap for the whole range, one reference per PTE;
 * or, when the policy reserves large folios, only the page at addr
 * (mm/anon_reserve.c).  PTE-table lock held; every PTE of the block is none.
 * Returns the policy feedback's neighbour_full.
 */
static bool map_anon_folio(struct vm_area_struct *vma, struct folio *folio, unsigned long start,
			   pte_t *sptep, unsigned long addr)
{
	const struct anon_policy *p = anon_policy_current();
	unsigned int order = folio_order(folio);

	if (order && p->reserve && p->reserve(vma, order)) {
		anon_reserve_map_new(vma, folio, start, sptep, addr);
		return false;
	}
	account_new_anon_folio(vma, folio, start);
	set_ptes(vma->vm_mm, start, sptep, mk_anon_pte(folio, vma), 1U << order);
	return anon_order_wants_feedback() && neighbour_folio_full(vma, start, sptep, order);
}

/*
 * Tell the policy a write fault at addr mapped an order-`order` folio, and
 * do the collapse it may ask for (the utilisation policy's promotion),
 * counted in anon_promote_collapse[_failed].  A failed collapse changes
 * nothing: the fault is done either way.  No PTE-table lock held.
 */
static void anon_fault_feedback(struct vm_area_struct *vma, unsigned long addr, unsigned int order,
				bool neighbour_full)
{
	struct policy_fault f = { .addr = addr, .order = order, .neighbour_full = neighbour_full };
	unsigned int promote;

	if (!anon_order_wants_feedback())
		return;
	promote = anon_order_note_fault(vma, &f);
	if (promote)
		count_vm_event(collapse_anon_block(vma, ALIGN_DOWN(addr, PAGE_SIZE << promote), promote) ?
			       ANON_PROMOTE_COLLAPSE_FAILED : ANON_PROMOTE_COLLAPSE);
}

/*
 * The RFC's re-check under the PTE lock.  folio is fresh and zeroed, of the
 * order picked for addr's naturally aligned block while the lock was held;
 * the lock was dropped to allocate and zero it, so a PTE of the block may
 * have been set meanwhile.  Take the lock: when every PTE of the block is
 * still none, map folio there (map_anon_folio) and return true with
 * *neighbour_full the policy feedback's.  Else map nothing, drop the folio
 * (folio_put), take its order and every larger one out of *orders (order 0
 * stays in) and return false: the caller tries again.  No spinlock held on
 * entry or return; addr's PTE table exists.
 */
static bool anon_map_rechecked(struct vm_area_struct *vma, unsigned long addr, struct folio *folio,
			       unsigned long *orders, bool *neighbour_full)
{
	unsigned int order = folio_order(folio), nr = 1U << order;
	unsigned long start = ALIGN_DOWN(addr, PAGE_SIZE << order);
	spinlock_t *ptl;
	pte_t *ptep = pte_offset_map_lock(vma->vm_mm, addr, &ptl);	/* built by the caller: not NULL */
	pte_t *sptep = ptep - ((addr - start) >> PAGE_SHIFT);

	VM_BUG_ON(!(*orders & (1UL << order)));	/* anon_alloc_folio gives an allowed order */
	if (pte_range_first_set(sptep, nr) == nr) {
		*neighbour_full = map_anon_folio(vma, folio, start, sptep, addr);
		spin_unlock(ptl);
		return true;
	}
	spin_unlock(ptl);
	folio_put(folio);
	*orders &= (1UL << order) - 1;	/* the block is no longer all-none: go lower */
	*orders |= 1;
	return false;
}

/*
 * Write fault on a none PTE: the RFC's algorithm.  Ask the policy which
 * orders are allowed, pick the highest whose aligned block fits the VMA and
 * is all-none, allocate (falling back order by order), zero it without the
 * PTE lock unless it came pre-zeroed, then take the lock and re-check the block: if a PTE appeared
 * meanwhile, drop the folio and try again from a lower order.
 */
static int do_anonymous_write(struct vm_area_struct *vma, unsigned long addr, unsigned int flags)
{
	unsigned long orders = anon_orders_allowed(vma, addr);

	if (flags & FAULT_FLAG_HUGE_FALLBACK)
		orders &= ~(1UL << HPAGE_PMD_ORDER);	/* the PMD fault tried it */

	if (anon_vma_prepare(vma))
		return VM_FAULT_OOM;
	for (;;) {
		struct folio *folio;
		unsigned long start;
		unsigned int order;
		bool neighbour_full;
		spinlock_t *ptl;
		pte_t *ptep;

		ptep = pte_alloc_map_lock(vma->vm_mm, addr, &ptl);
		if (!ptep)
			return VM_FAULT_OOM;
		if (!pte_none(ptep_get(ptep))) {
			spin_unlock(ptl);
			return VM_FAULT_OK;	/* someone else mapped it */
		}
		order = anon_reserve_fill(vma, addr, ptep, true);
		if (order) {
			spin_unlock(ptl);
			anon_fault_feedback(vma, addr, order, false);
			return VM_FAULT_OK;	/* a page of a reservation */
		}
		order = anon_pick_order(vma, addr, ptep, orders);
		spin_unlock(ptl);

		folio = anon_alloc_folio(orders, order);
		if (!folio)
			return VM_FAULT_OOM;
		order = folio_order(folio);
		start = ALIGN_DOWN(addr, PAGE_SIZE << order);
		anon_folio_zero(folio, start, addr);
		fault_race_maybe_inject(vma, start, order);
		if (anon_map_rechecked(vma, addr, folio, &orders, &neighbour_full)) {
			anon_fault_feedback(vma, addr, order, neighbour_full);
			return VM_FAULT_OK;
		}
	}
}

/* A none PTE: read faults map the zero page (or a page of a reservation), write faults allocate. */
static int do_anonymous_page(struct vm_area_struct *vma, unsigned long addr, unsigned int flags)
{
	spinlock_t *ptl;
	pte_t *ptep;

	if (flags & FAULT_FLAG_WRITE)
		return do_anonymous_write(vma, addr, flags);
	ptep = pte_alloc_map_lock(vma->vm_mm, addr, &ptl);
	if (!ptep)
		return VM_FAULT_OOM;
	if (pte_none(ptep_get(ptep)) && !anon_reserve_fill(vma, addr, ptep, false))
		do_anonymous_read(vma, addr, ptep);
	spin_unlock(ptl);
	return VM_FAULT_OK;
}

/*
 * A fault on a PTE that allows the access: the access flag or the dirty
 * state is kept in software (arm64 without FEAT_HAFDBS: pte_mkold() and
 * pte_mkclean() make the next access or write fault, asm/pgtable.h), or the
 * fault was spurious (already fixed).  Mark the PTE young, and dirty for a
 * write, as Linux's ptep_set_access_flags(); x86_64's MMU does this itself.
 * PTE-table lock held.
 */
static void do_access_flags(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, pte_t pte,
			    unsigned int flags)
{
	pte_t entry = pte_mkyoung(pte);

	if (flags & FAULT_FLAG_WRITE)
		entry = pte_mkdirty(entry);
	if (pte_val(entry) != pte_val(pte))
		ptep_set(vma->vm_mm, addr, ptep, entry);
}

/*
 * A write to a read-only PTE of a shared mapping (mprotect or clear_refs 4
 * made it read-only): the page is the object's, soft-dirty from now, the write
 * goes to it (Linux's wp_page_shared); an unshare (a read-only pin) has
 * nothing to do.  PTE-table lock held.
 */
static void do_shared_wp(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, pte_t pte,
			 unsigned int flags)
{
	if (!(flags & FAULT_FLAG_WRITE))
		return;
	folio_set_dirty(page_folio(pfn_to_page(pte_pfn(pte))));
	ptep_set(vma->vm_mm, addr, ptep, pte_mksoft_dirty(pte_mkyoung(pte_mkdirty(pte_mkwrite(pte)))));
}

static int __handle_mm_fault(struct vm_area_struct *vma, unsigned long addr, unsigned int flags)
{
	spinlock_t *ptl;
	pte_t *ptep, pte;
	int ret;

	mmap_assert_locked(vma->vm_mm);
	addr = ALIGN_DOWN(addr, PAGE_SIZE);
	ret = vma->vm_shmem ? VM_FAULT_FALLBACK : do_huge_pmd_fault(vma, addr, &flags);
	if (ret != VM_FAULT_FALLBACK)
		return ret;
	ptep = pte_alloc_map_lock(vma->vm_mm, addr, &ptl);
	if (!ptep)
		return VM_FAULT_OOM;
	pte = ptep_get(ptep);
	if (pte_none(pte)) {
		spin_unlock(ptl);
		return vma->vm_shmem ? shmem_fault(vma, addr, flags) : do_anonymous_page(vma, addr, flags);
	}
	if ((flags & (FAULT_FLAG_WRITE | FAULT_FLAG_UNSHARE)) && !pte_write(pte) && (vma->vm_flags & VM_SHARED)) {
		do_shared_wp(vma, addr, ptep, pte, flags);
		spin_unlock(ptl);
		return VM_FAULT_OK;
	}
	if ((flags & (FAULT_FLAG_WRITE | FAULT_FLAG_UNSHARE)) && !pte_write(pte))
		return do_wp_page(vma, addr, ptep, ptl, flags);	/* unlocks */
	do_access_flags(vma, addr, ptep, pte, flags);
	spin_unlock(ptl);
	return VM_FAULT_OK;
}

/* The fault, and under folio.trace=on its FT_FAULT record with what it mapped. */
int handle_mm_fault(struct vm_area_struct *vma, unsigned long addr, unsigned int flags)
{
	int ret;

	if (!foliotrace_on())
		return __handle_mm_fault(vma, addr, flags);
	foliotrace_fault_begin();
	ret = __handle_mm_fault(vma, addr, flags);
	foliotrace_fault(vma->vm_mm, addr, flags, ret);
	return ret;
}

unsigned int folio_pte_batch(struct folio *folio, pte_t *ptep, unsigned int max)
{
	unsigned long pfn = pte_pfn(ptep_get(ptep)), end_pfn = folio_pfn(folio) + folio_nr_pages(folio);
	unsigned int n = 1;

	while (n < max && pfn + n < end_pfn) {
		pte_t pte = ptep_get(&ptep[n]);

		if (!pte_present(pte) || pte_pfn(pte) != pfn + n)
			break;
		n++;
	}
	return n;
}

/*
 * The VMA that keeps the rest of folio when vma's PTEs from addr (mapping
 * pfn, a page of folio) go: the adaptive policy hears of a partial unmap there
 * (folio_remove_rmap_ptes).  munmap splits the range off before zapping
 * it, so a folio cut by the unmap reaches past vma's edge into the
 * neighbour that survives: the one above when the folio reaches past
 * vma's end, else the one below when it starts before vma; vma itself
 * when the folio lies inside it (MADV_DONTNEED) or no neighbour is there.
 */
static struct vm_area_struct *zap_feedback_vma(struct vm_area_struct *vma, unsigned long addr,
					       struct folio *folio, unsigned long pfn)
{
	unsigned long start = addr - ((pfn - folio_pfn(folio)) << PAGE_SHIFT);
	struct vm_area_struct *keep = NULL;

	if (start + folio_size(folio) > vma->vm_end)
		keep = vma_lookup(vma->vm_mm, vma->vm_end);
	else if (start < vma->vm_start)
		keep = vma_lookup(vma->vm_mm, vma->vm_start - PAGE_SIZE);
	return keep ? keep : vma;
}

unsigned int zap_present_ptes(struct mmu_gather *tlb, struct vm_area_struct *vma, unsigned long addr,
			      pte_t *ptep, unsigned int max)
{
	struct mm_struct *mm = vma->vm_mm;
	struct vm_area_struct *keep = vma;
	pte_t pte = ptep_get(ptep);
	struct folio *folio;
	struct page *page;
	unsigned int nr;

	VM_BUG_ON(tlb->mm != mm);
	if (is_zero_pfn(pte_pfn(pte))) {
		clear_ptes(mm, addr, ptep, 1);
		tlb_flush_pte_range(tlb, addr, PAGE_SIZE);	/* the zero page is never freed */
		return 1;
	}
	page = pfn_to_page(pte_pfn(pte));
	folio = page_folio_mapped(page);
	if (!folio)
		return 0;	/* being split: the caller waits and comes back */
	nr = folio_pte_batch(folio, ptep, max);
	pte = get_and_clear_ptes(mm, addr, ptep, nr);	/* dirty as of the clear, on any CPU */
	tlb_flush_pte_range(tlb, addr, (unsigned long)nr << PAGE_SHIFT);
	if (!folio_test_anon(folio) && pte_dirty(pte))
		folio_set_dirty(folio);		/* Linux's zap_present_folio_ptes: shmem keeps the write */
	if (folio_test_large(folio) && anon_order_wants_unmap_feedback())
		keep = zap_feedback_vma(vma, addr, folio, pte_pfn(pte));
	folio_remove_rmap_ptes(folio, page, (int)nr, keep);
	update_hiwater_rss(mm);
	add_mm_counter(mm, folio_test_anon(folio) ? MM_ANONPAGES : MM_SHMEMPAGES, -(long)nr);
	tlb_remove_folio_refs(tlb, folio, (int)nr);	/* dropped after the flush */
	return nr;
}

void unmap_page_range(struct mmu_gather *tlb, struct vm_area_struct *vma, unsigned long start,
		      unsigned long end)
{
	unsigned long addr = start;
	unsigned int left;
	spinlock_t *ptl;
	pte_t *ptep;

	zap_huge_pmds(vma, start, end);
	while ((ptep = pte_next_table_lock(vma->vm_mm, &addr, end, &left, &ptl))) {
		unsigned int i = 0, n = 1;

		for (; i < left && n; i += n) {
			n = 1;
			if (pte_present(ptep_get(&ptep[i])))
				n = zap_present_ptes(tlb, vma, addr + ((unsigned long)i << PAGE_SHIFT), &ptep[i],
						     left - i);
		}
		spin_unlock(ptl);
		addr += (unsigned long)i << PAGE_SHIFT;
		if (!n)
			folio_split_wait();	/* then this PTE again */
	}
}

void zap_page_range(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	struct mmu_gather tlb;

	tlb_gather_mmu(&tlb, vma->vm_mm);
	unmap_page_range(&tlb, vma, start, end);
	tlb_finish_mmu(&tlb);
}

/*
 * fork of one page of a folio that may be pinned (Linux's copy_present_page):
 * the pin may read or write the page behind the PTEs, so when the page is
 * exclusive to the parent the child gets its own copy now, and the parent's
 * PTE stays as it was (writable, exclusive): neither process ever sees the
 * other's later writes through the pinned page.  A GFP_NOWAIT allocation
 * (PTE locks held).  0, or -ENOMEM with nothing changed.
 */
static int copy_present_page(struct vm_area_struct *dst, unsigned long addr, pte_t *dst_ptep,
			     struct page *page)
{
	struct folio *new = folio_alloc(GFP_NOWAIT | __GFP_NOWARN, 0);
	pte_t entry;

	if (!new)
		return -ENOMEM;
	copy_page(folio_address(new), page_address(page));
	folio_add_new_anon_rmap(new, dst, addr);
	folio_add_lru(new);
	count_pgalloc_order(0);
	entry = pte_mksoft_dirty(pte_mkdirty(pfn_pte(folio_pfn(new), dst->vm_page_prot)));
	if (dst->vm_flags & VM_WRITE)
		entry = pte_mkwrite(entry);
	set_ptes(dst->vm_mm, addr, dst_ptep, entry, 1);
	inc_mm_counter(dst->vm_mm, MM_ANONPAGES);
	return 0;
}

/*
 * fork: copy the batch of present PTEs at src_ptep (one folio, at most max)
 * into the child, sharing the pages read-only in both: one write-protect
 * pass and one TLB flush per folio batch.  A folio that may be pinned goes
 * one page at a time, its exclusive pages copied (copy_present_page).
 * Returns the batch length, -ENOMEM, or -EAGAIN with nothing done when
 * the folio is being split (page_folio_mapped).
 */
static int copy_present_ptes(struct vm_area_struct *dst, struct vm_area_struct *src,
			     unsigned long addr, pte_t *src_ptep, pte_t *dst_ptep, unsigned int max)
{
	pte_t pte = ptep_get(src_ptep);
	unsigned int nr = 1;

	if (!is_zero_pfn(pte_pfn(pte))) {
		struct page *page = pfn_to_page(pte_pfn(pte));
		struct folio *folio = page_folio_mapped(page);

		if (!folio)
			return -EAGAIN;
		if (folio_maybe_dma_pinned(folio)) {
			if (PageAnonExclusive(page))
				return copy_present_page(dst, addr, dst_ptep, page) ? -ENOMEM : 1;
		} else {
			nr = folio_pte_batch(folio, src_ptep, max);
		}
		folio_ref_add(folio, (int)nr);
		if (folio_test_anon(folio)) {
			folio_dup_anon_rmap_ptes(folio, page, (int)nr);
			add_mm_counter(dst->vm_mm, MM_ANONPAGES, nr);
		} else {
			folio_add_file_rmap_ptes(folio, page, (int)nr);	/* a private mapping of a memfd */
			add_mm_counter(dst->vm_mm, MM_SHMEMPAGES, nr);
		}
	}
	wrprotect_ptes(src->vm_mm, addr, src_ptep, nr);
	/* The child's PTEs one by one: each copies its own (now read-only) source. */
	for (unsigned int i = 0; i < nr; i++)
		set_ptes(dst->vm_mm, addr + ((unsigned long)i << PAGE_SHIFT), &dst_ptep[i],
			 ptep_get(&src_ptep[i]), 1);
	flush_tlb_range(src->vm_mm, addr, addr + ((unsigned long)nr << PAGE_SHIFT));
	return (int)nr;
}

int copy_page_range(struct vm_area_struct *dst, struct vm_area_struct *src)
{
	unsigned long addr = src->vm_start;
	unsigned int left, i;
	spinlock_t *sptl, *dptl;
	pte_t *sptep, *dptep;
	int n = 0;

	if (copy_huge_pmds(dst, src))
		return -ENOMEM;
	while ((sptep = pte_next_table_lock(src->vm_mm, &addr, src->vm_end, &left, &sptl))) {
		dptep = (pte_t *)pgtable_walk(dst->vm_mm->pgd, addr, PT_LEVELS - 1, false);
		if (!dptep) {
			/* Build the child's table with no lock held, then this table again. */
			spin_unlock(sptl);
			if (!mm_pgtable_alloc(dst->vm_mm, addr, PT_LEVELS - 1))
				return -ENOMEM;
			continue;
		}
		dptl = pte_lockptr(dptep);
		spin_lock_nested(dptl, SINGLE_DEPTH_NESTING);	/* the child's, under the parent's */
		for (i = 0; i < left; ) {
			unsigned long a = addr + ((unsigned long)i << PAGE_SHIFT);

			n = 1;
			if (pte_present(ptep_get(&sptep[i])))
				n = copy_present_ptes(dst, src, a, &sptep[i], &dptep[i], left - i);
			if (n < 0)
				break;
			i += (unsigned int)n;
		}
		spin_unlock(dptl);
		spin_unlock(sptl);
		addr += (unsigned long)i << PAGE_SHIFT;
		if (i < left && n != -EAGAIN)
			return n;
		if (i < left)
			folio_split_wait();	/* then this PTE again */
	}
	return 0;
}
