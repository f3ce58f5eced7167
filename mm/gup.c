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
 *
 * access_remote_vm (Linux's, for /proc/<pid>/mem) reads and writes another
 * mm's pages under the FOLL_FORCE rules of Linux's check_vma_flags: a read
 * needs VM_READ or (forced) VM_MAYREAD; a write VM_WRITE or (forced) a
 * private VM_MAYWRITE mapping (is_cow_mapping).  A read follows the PTE or
 * PMD block as it is (a missing page is read-faulted: the zero page), so it
 * never unshares nor splits anything.  A write takes the page the way a pin
 * does (exclusive to mm: a write fault in a writable VMA, an unshare fault
 * in a read-only one, so CoW is broken and a page shared with another
 * process or the zero page is never written), writes through the kernel's
 * mapping and drops the pin; the PTE stays as the fault left it.
 */
#include "mm/gup.h"
#include "kernel/string.h"
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
		atomic_inc(&folio->_pincount);
	} else {
		folio_ref_add(folio, GUP_PIN_COUNTING_BIAS);
	}
}

void unpin_user_page(struct page *page)
{
	struct folio *folio = page_folio(page);

	VM_BUG_ON_FOLIO(!folio_maybe_dma_pinned(folio), folio);
	if (folio_test_large(folio)) {
		atomic_dec(&folio->_pincount);
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
	for (;;) {
		struct page *page = NULL;
		bool splitting = false;
		spinlock_t *ptl;
		pte_t *ptep = pte_offset_map_lock(vma->vm_mm, addr, &ptl);
		pte_t pte;

		if (!ptep)
			return NULL;
		pte = ptep_get(ptep);
		if (pte_present(pte) && !is_zero_pfn(pte_pfn(pte))) {
			struct page *p = pfn_to_page(pte_pfn(pte));
			struct folio *folio = page_folio_mapped(p);

			splitting = !folio;
			if (folio && (folio_test_anon(folio) ? PageAnonExclusive(p) :
				      (vma->vm_flags & VM_SHARED) != 0)) {
				folio_pin(folio);
				page = p;
			}
		}
		spin_unlock(ptl);
		if (!splitting)
			return page;
		folio_split_wait();	/* then look again */
	}
}

/* Pin the page at addr of vma, faulting it exclusive first: 0 and *res, or -EFAULT/-ENOMEM. */
static int pin_vma_page(struct vm_area_struct *vma, unsigned long addr, struct page **res)
{
	unsigned int flags = (vma->vm_flags & VM_WRITE) ? FAULT_FLAG_WRITE : FAULT_FLAG_UNSHARE;

	for (int faults = 0; faults <= GUP_MAX_FAULTS; ) {
		int ret;

		split_huge_pmd_range(vma, addr, addr + PAGE_SIZE);	/* a fault may map a block */
		*res = follow_page_pin(vma, addr);
		if (*res)
			return 0;
		ret = handle_mm_fault(vma, addr, flags);
		if (ret == VM_FAULT_OOM)
			return -ENOMEM;
		if (ret != VM_FAULT_OK && ret != VM_FAULT_RETRY)
			return -EFAULT;
		faults += ret == VM_FAULT_OK;	/* a retry did nothing: not one of the three */
	}
	panic("pin_vma_page: %#lx still not exclusive after %d faults", addr, GUP_MAX_FAULTS);
}

/* Pin the page at addr of mm (in a readable VMA): 0 and *res, or -EFAULT/-ENOMEM. */
static int pin_one_page(struct mm_struct *mm, unsigned long addr, struct page **res)
{
	struct vm_area_struct *vma = vma_lookup(mm, addr);

	if (!vma || !(vma->vm_flags & VM_READ))
		return -EFAULT;
	return pin_vma_page(vma, addr, res);
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

/* Private and may be written: CoW applies (Linux's is_cow_mapping). */
static bool is_cow_mapping(unsigned long vm_flags)
{
	return (vm_flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE;
}

/* Linux's check_vma_flags: may gup_flags reach vma?  0 or -EFAULT. */
static int check_vma_flags(const struct vm_area_struct *vma, unsigned int gup_flags)
{
	unsigned long vm_flags = vma->vm_flags;
	bool force = gup_flags & FOLL_FORCE;

	if (vm_flags & VM_IO)
		return -EFAULT;
	if (gup_flags & FOLL_WRITE) {
		if (!(vm_flags & VM_WRITE) && (!force || !is_cow_mapping(vm_flags)))
			return -EFAULT;
	} else if (!(vm_flags & VM_READ) && (!force || !(vm_flags & VM_MAYREAD))) {
		return -EFAULT;
	}
	return 0;
}

/* The frame addr maps now, through a PMD block or a present PTE (the zero page too): true and *pfn. */
static bool follow_pfn(struct mm_struct *mm, unsigned long addr, unsigned long *pfn)
{
	spinlock_t *ptl;
	pte_t *ptep, pte;
	pmd_t pmd;

	if (huge_pmd_lookup(mm, addr, &pmd)) {
		*pfn = pmd_pfn(pmd) + ((addr & (PMD_SIZE - 1)) >> PAGE_SHIFT);
		return true;
	}
	ptep = pte_offset_map_lock(mm, addr, &ptl);
	if (!ptep)
		return false;
	pte = ptep_get(ptep);
	*pfn = pte_pfn(pte);
	spin_unlock(ptl);
	return pte_present(pte);
}

/* Copy n bytes at addr (within one page) of vma out to buf, read-faulting a missing page. */
static int remote_read_page(struct vm_area_struct *vma, unsigned long addr, void *buf, size_t n)
{
	unsigned long pfn;

	for (int faults = 0; faults <= GUP_MAX_FAULTS; faults++) {
		int ret;

		if (follow_pfn(vma->vm_mm, addr, &pfn)) {
			memcpy(buf, (char *)page_address(pfn_to_page(pfn)) + (addr & ~PAGE_MASK), n);
			return 0;
		}
		ret = handle_mm_fault(vma, addr, 0);
		if (ret != VM_FAULT_OK)
			return ret == VM_FAULT_OOM ? -ENOMEM : -EFAULT;
	}
	return -EFAULT;
}

/* Copy n bytes from buf to addr (within one page) of vma, into a page made exclusive to its mm. */
static int remote_write_page(struct vm_area_struct *vma, unsigned long addr, const void *buf, size_t n)
{
	struct page *page;
	int err = pin_vma_page(vma, addr, &page);

	if (err)
		return err;
	memcpy((char *)page_address(page) + (addr & ~PAGE_MASK), buf, n);
	folio_set_dirty(page_folio(page));
	unpin_user_page(page);
	return 0;
}

size_t access_remote_vm(struct mm_struct *mm, unsigned long addr, void *buf, size_t len,
			unsigned int gup_flags)
{
	size_t done = 0;

	mmap_write_lock(mm);
	while (done < len) {
		unsigned long at = addr + done;
		size_t n = min(len - done, (size_t)(PAGE_SIZE - (at & ~PAGE_MASK)));
		struct vm_area_struct *vma = at >= addr ? vma_lookup(mm, at) : NULL;
		int err = vma ? check_vma_flags(vma, gup_flags) : -EFAULT;

		if (!err && (gup_flags & FOLL_WRITE))
			err = remote_write_page(vma, at, (const char *)buf + done, n);
		else if (!err)
			err = remote_read_page(vma, at, (char *)buf + done, n);
		if (err)
			break;
		done += n;
	}
	mmap_write_unlock(mm);
	return done;
}
