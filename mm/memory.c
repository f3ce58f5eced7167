/*
 * memory.c - the page-fault path for anonymous memory.
 *
 * Lock order (see mm_types.h): mmap_lock -> PTE-table lock -> zone lock.
 *
 * A fault on an address the VMA allows is one of:
 *   - none PTE, read:  map the shared zero page read-only (do_anonymous_page)
 *   - none PTE, write: allocate a zeroed folio and map it (do_anonymous_page)
 *   - present read-only PTE, write: copy-on-write (do_wp_page): reuse the
 *     page when this mapping is its only user, else copy it to a new page
 * Anything else is a spurious fault (another path already fixed the PTE).
 */
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "mm/mm.h"
#include "mm/pgtable.h"
#include "mm/rmap.h"
#include "mm/vma.h"
#include <asm/page.h>

struct page *zero_page;

void mm_fault_init(void)
{
	zero_page = alloc_pages(GFP_KERNEL | __GFP_ZERO, 0);
	if (!zero_page)
		panic("mm_fault_init: no memory for the zero page");
}

static bool is_zero_pfn(unsigned long pfn)
{
	return pfn == page_to_pfn(zero_page);
}

/* Write faults map writable and dirty; read faults take vm_page_prot as is. */
static pte_t mk_anon_pte(struct folio *folio, struct vm_area_struct *vma)
{
	return pte_mkdirty(pte_mkwrite(pfn_pte(folio_pfn(folio), vma->vm_page_prot)));
}

/* Read fault on a none PTE: the zero page, read-only (pte_special in Linux's terms). */
static int do_anonymous_read(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep)
{
	set_ptes(vma->vm_mm, addr, ptep, pfn_pte(page_to_pfn(zero_page), vma->vm_page_prot), 1);
	return VM_FAULT_OK;
}

/*
 * Write fault on a none PTE.  Allocate (without the PTE lock: allocation
 * may zero a lot), then re-check under the lock that the PTE is still none;
 * if it is not, someone else mapped it: drop ours, the fault is done.
 */
static int do_anonymous_page(struct vm_area_struct *vma, unsigned long addr, unsigned int flags)
{
	struct mm_struct *mm = vma->vm_mm;
	struct folio *folio;
	spinlock_t *ptl;
	pte_t *ptep;

	if (!(flags & FAULT_FLAG_WRITE)) {
		int ret;

		ptep = pte_offset_map_lock(mm, addr, true, &ptl);
		if (!ptep)
			return VM_FAULT_OOM;
		ret = pte_none(ptep_get(ptep)) ? do_anonymous_read(vma, addr, ptep) : VM_FAULT_OK;
		spin_unlock(ptl);
		return ret;
	}
	folio = folio_alloc(GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN, 0);
	if (!folio)
		return VM_FAULT_OOM;
	ptep = pte_offset_map_lock(mm, addr, true, &ptl);
	if (!ptep) {
		folio_put(folio);
		return VM_FAULT_OOM;
	}
	if (!pte_none(ptep_get(ptep))) {
		spin_unlock(ptl);
		folio_put(folio);
		return VM_FAULT_OK;
	}
	folio_add_new_anon_rmap(folio, vma, addr);
	set_ptes(mm, addr, ptep, mk_anon_pte(folio, vma), 1);
	mm->rss_anon++;
	spin_unlock(ptl);
	return VM_FAULT_OK;
}

/*
 * Can the faulting mapping simply be made writable?  Yes when the folio is
 * anon, this page is mapped only here and no one else holds a reference
 * (order 0: refcount 1 = our PTE).
 */
static bool wp_can_reuse(struct folio *folio, struct page *page)
{
	return !folio_test_large(folio) && folio_test_anon(folio) &&
	       page_mapcount(page) == 1 && folio_ref_count(folio) == 1;
}

/* Write fault on a present read-only PTE in a writable VMA.  PTE lock held. */
static int do_wp_page(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, spinlock_t *ptl)
{
	struct mm_struct *mm = vma->vm_mm;
	pte_t old = ptep_get(ptep);
	unsigned long pfn = pte_pfn(old);
	struct folio *new, *folio = NULL;
	struct page *page = NULL;

	if (!is_zero_pfn(pfn)) {
		page = pfn_to_page(pfn);
		folio = page_folio(page);
		if (wp_can_reuse(folio, page)) {
			SetPageAnonExclusive(page);
			ptep_set(mm, addr, ptep, pte_mkdirty(pte_mkwrite(old)));
			spin_unlock(ptl);
			return VM_FAULT_OK;
		}
	}
	/* Copy: allocation happens under the PTE lock (one page, no sleeping here). */
	new = folio_alloc(GFP_KERNEL | __GFP_NOWARN | (page ? 0 : __GFP_ZERO), 0);
	if (!new) {
		spin_unlock(ptl);
		return VM_FAULT_OOM;
	}
	if (page)
		copy_page(folio_address(new), page_address(page));
	folio_add_new_anon_rmap(new, vma, addr);
	ptep_get_and_clear(mm, addr, ptep);
	set_ptes(mm, addr, ptep, mk_anon_pte(new, vma), 1);
	if (folio) {
		folio_remove_rmap_ptes(folio, page, 1);
		folio_put(folio);
	} else {
		mm->rss_anon++;
	}
	spin_unlock(ptl);
	return VM_FAULT_OK;
}

int handle_mm_fault(struct vm_area_struct *vma, unsigned long addr, unsigned int flags)
{
	spinlock_t *ptl;
	pte_t *ptep, pte;

	mmap_assert_locked(vma->vm_mm);
	addr = ALIGN_DOWN(addr, PAGE_SIZE);
	ptep = pte_offset_map_lock(vma->vm_mm, addr, true, &ptl);
	if (!ptep)
		return VM_FAULT_OOM;
	pte = ptep_get(ptep);
	if (pte_none(pte)) {
		spin_unlock(ptl);
		return do_anonymous_page(vma, addr, flags);
	}
	if ((flags & FAULT_FLAG_WRITE) && !pte_write(pte))
		return do_wp_page(vma, addr, ptep, ptl);	/* unlocks */
	spin_unlock(ptl);	/* spurious: already fixed */
	return VM_FAULT_OK;
}

/* Does vma allow this access? */
static bool access_allowed(const struct vm_area_struct *vma, unsigned int flags)
{
	if (flags & FAULT_FLAG_WRITE)
		return vma->vm_flags & VM_WRITE;
	if (flags & FAULT_FLAG_INSTRUCTION)
		return vma->vm_flags & VM_EXEC;
	return vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC);
}

/* Grow a VM_GROWSDOWN vma down to cover addr, within the stack limit. */
static bool expand_stack(struct vm_area_struct *vma, unsigned long addr)
{
	struct mm_struct *mm = vma->vm_mm;
	struct vm_area_struct *prev;
	unsigned long start = ALIGN_DOWN(addr, PAGE_SIZE);

	if (!(vma->vm_flags & VM_GROWSDOWN) || vma->vm_end - start > mm->stack_limit)
		return false;
	prev = find_vma(mm, start - 1);
	if (prev != vma && prev && prev->vm_end > start - PAGE_SIZE)
		return false;	/* keep a guard page below the stack */
	vma->vm_pgoff -= (vma->vm_start - start) >> PAGE_SHIFT;
	vma->vm_start = start;
	return true;
}

int do_page_fault(unsigned long addr, unsigned int flags)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	int ret = VM_FAULT_SIGSEGV;

	if (!mm || addr >= TASK_SIZE)
		return VM_FAULT_SIGSEGV;
	mmap_write_lock(mm);
	vma = find_vma(mm, addr);
	if (vma && addr < vma->vm_start && !expand_stack(vma, addr))
		vma = NULL;
	if (vma && access_allowed(vma, flags)) {
		ret = handle_mm_fault(vma, addr, flags);
		current->minflt++;
	}
	mmap_write_unlock(mm);
	return ret;
}

void zap_page_range(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	struct mm_struct *mm = vma->vm_mm;

	for (unsigned long addr = start; addr < end; addr += PAGE_SIZE) {
		spinlock_t *ptl;
		pte_t *ptep = pte_offset_map_lock(mm, addr, false, &ptl);
		pte_t pte;

		if (!ptep) {
			addr = ALIGN(addr + 1, 1UL << pt_level_shift(PT_LEVELS - 2)) - PAGE_SIZE;
			continue;	/* no PTE table here: skip to the next one */
		}
		pte = ptep_get(ptep);
		if (pte_present(pte)) {
			ptep_get_and_clear(mm, addr, ptep);
			if (!is_zero_pfn(pte_pfn(pte))) {
				struct page *page = pfn_to_page(pte_pfn(pte));

				folio_remove_rmap_ptes(page_folio(page), page, 1);
				folio_put(page_folio(page));
				mm->rss_anon--;
			}
		}
		spin_unlock(ptl);
	}
}

/* Copy one present PTE for fork: share the page read-only in both. */
static void copy_present_pte(struct vm_area_struct *dst, struct vm_area_struct *src,
			     unsigned long addr, pte_t *src_ptep, pte_t *dst_ptep)
{
	pte_t pte = ptep_get(src_ptep);

	if (!is_zero_pfn(pte_pfn(pte))) {
		struct page *page = pfn_to_page(pte_pfn(pte));
		struct folio *folio = page_folio(page);

		folio_get(folio);
		folio_dup_anon_rmap_ptes(folio, page, 1);
		dst->vm_mm->rss_anon++;
	}
	if (pte_write(pte)) {
		pte = pte_wrprotect(pte);
		ptep_set(src->vm_mm, addr, src_ptep, pte);
	}
	set_ptes(dst->vm_mm, addr, dst_ptep, pte, 1);
}

int copy_page_range(struct vm_area_struct *dst, struct vm_area_struct *src)
{
	for (unsigned long addr = src->vm_start; addr < src->vm_end; addr += PAGE_SIZE) {
		spinlock_t *sptl, *dptl;
		pte_t *sptep = pte_offset_map_lock(src->vm_mm, addr, false, &sptl), *dptep;

		if (!sptep) {
			addr = ALIGN(addr + 1, 1UL << pt_level_shift(PT_LEVELS - 2)) - PAGE_SIZE;
			continue;
		}
		if (!pte_present(ptep_get(sptep))) {
			spin_unlock(sptl);
			continue;
		}
		dptep = pte_offset_map_lock(dst->vm_mm, addr, true, &dptl);
		if (!dptep) {
			spin_unlock(sptl);
			return -ENOMEM;
		}
		copy_present_pte(dst, src, addr, sptep, dptep);
		spin_unlock(dptl);
		spin_unlock(sptl);
	}
	return 0;
}
