/*
 * gup.c - FOLL_PIN pins on user pages (Linux's mm/gup.c, the pinning part;
 * mm/gup.h has the rules).
 *
 * A pin of a large folio adds one to _pincount and takes one reference; a
 * pin of an order-0 folio takes GUP_PIN_COUNTING_BIAS references (it has
 * no page[1] for a pin count).  Only anonymous pages exclusive to the
 * pinning mm (PageAnonExclusive) are pinned: a shared page (after fork), the
 * zero page or a none PTE is first faulted: a write fault when the VMA is
 * writable, else an unshare fault, then looked at again.  A PMD-mapped 2M
 * folio is first PTE-mapped (split_huge_pmd_range: the folio stays whole
 * and keeps its pages; the deposit makes that split infallible), so the pin
 * works page by page as for any other size.
 */
#include "mm/gup.h"
#include "mm/folio.h"
#include "mm/huge_mm.h"
#include "mm/mm.h"
#include "mm/pgtable.h"
#include "mm/vma.h"
#include <uapi/errno.h>

#define GUP_MAX_FAULTS	3	/* none -> zero page -> unshared copy: then it must be pinnable */

static void folio_pin(struct folio *folio)
{
	if (folio_test_large(folio)) {
		folio_ref_add(folio, 1);
		folio->_pincount++;
	} else {
		folio_ref_add(folio, GUP_PIN_COUNTING_BIAS);
	}
}

void unpin_user_page(struct page *page)
{
	struct folio *folio = page_folio(page);

	VM_BUG_ON_FOLIO(!folio_maybe_dma_pinned(folio), folio);
	if (folio_test_large(folio)) {
		folio->_pincount--;
		folio_put(folio);
	} else {
		folio_put_refs(folio, GUP_PIN_COUNTING_BIAS);
	}
}

/*
 * Pin the page addr maps if it is an anon page exclusive to vma's mm, or
 * a shmem object's page in a shared mapping (every mapping sees the same
 * page: nothing to unshare, as Linux's gup_must_unshare): the page, else NULL.
 */
static struct page *follow_page_pin(struct vm_area_struct *vma, unsigned long addr)
{
	struct page *page = NULL;
	spinlock_t *ptl;
	pte_t *ptep = pte_offset_map_lock(vma->vm_mm, addr, &ptl);
	pte_t pte;

	if (!ptep)
		return NULL;
	pte = ptep_get(ptep);
	if (pte_present(pte) && !is_zero_pfn(pte_pfn(pte))) {
		struct page *p = pfn_to_page(pte_pfn(pte));

		if (folio_test_anon(page_folio(p)) ? PageAnonExclusive(p) : (vma->vm_flags & VM_SHARED) != 0) {
			folio_pin(page_folio(p));
			page = p;
		}
	}
	spin_unlock(ptl);
	return page;
}

/* Pin the page at addr, faulting it exclusive first: 0 and *res, or -EFAULT/-ENOMEM. */
static int pin_one_page(struct mm_struct *mm, unsigned long addr, struct page **res)
{
	struct vm_area_struct *vma = find_vma(mm, addr);
	unsigned int flags;

	if (!vma || vma->vm_start > addr || !(vma->vm_flags & VM_READ))
		return -EFAULT;
	flags = (vma->vm_flags & VM_WRITE) ? FAULT_FLAG_WRITE : FAULT_FLAG_UNSHARE;
	for (int faults = 0; faults <= GUP_MAX_FAULTS; faults++) {
		int ret;

		split_huge_pmd_range(vma, addr, addr + PAGE_SIZE);	/* a fault may map a block */
		*res = follow_page_pin(vma, addr);
		if (*res)
			return 0;
		ret = handle_mm_fault(vma, addr, flags);
		if (ret == VM_FAULT_OOM)
			return -ENOMEM;
		if (ret != VM_FAULT_OK)
			return -EFAULT;
	}
	panic("pin_one_page: %#lx still not exclusive after %d faults", addr, GUP_MAX_FAULTS);
}

long pin_user_pages(struct mm_struct *mm, unsigned long start, unsigned long nr_pages,
		    struct page **pages)
{
	unsigned long i;

	mmap_assert_locked(mm);
	for (i = 0; i < nr_pages; i++) {
		int err = pin_one_page(mm, start + (i << PAGE_SHIFT), &pages[i]);

		if (err)
			return i ? (long)i : err;
	}
	return (long)i;
}
