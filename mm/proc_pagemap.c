/*
 * proc_pagemap.c - the binary page-information files of Linux's
 * Documentation/admin-guide/mm/pagemap.rst (fs/proc/task_mmu.c pagemap_read,
 * fs/proc/page.c): /proc/self/pagemap, /proc/kpageflags, /proc/kpagecount.
 * The entry formats and bit numbers are ABI, in <uapi/pagemap.h>.
 *
 * pagemap: one 64-bit entry per virtual page of the reading process, from
 * address 0 to TASK_SIZE (the file ends there).  A present page gives
 * PM_PRESENT and its PFN (bits 0-54: foliOS runs everything as root, so the
 * PFN is shown, as Linux shows it to CAP_SYS_ADMIN), PM_MMAP_EXCLUSIVE when
 * page_mapcount() is 1 (Linux 6.12's test: PMD mappings count, and the zero
 * page, which vm_normal_page() does not return, never has it), PM_FILE for a
 * present page that is not anonymous (the zero page is not returned either,
 * so not it).  Each page of a PMD block (mm/huge_memory.c) gets its own PFN.
 * PM_SOFT_DIRTY (bit 55, docs/mm/soft-dirty.md) as Linux's
 * pte_to_pagemap_entry and pagemap_pmd_range give it: the PTE's or PMD
 * block's soft-dirty bit (an arm64 contiguous block's gathered over its 16
 * PTEs, as its dirty state), or VM_SOFTDIRTY on the VMA, which also marks
 * its unmapped pages (pagemap_pte_hole).  There is no swap (PM_SWAP never
 * set); PM_UFFD_WP and PM_GUARD_REGION are 0.  Addresses outside every VMA
 * give 0.
 *
 * kpageflags: one entry per PFN from 0 to the last PFN with a struct page,
 * Linux's stable_page_flags() for what foliOS records: KPF_NOPAGE outside
 * the memmap; KPF_BUDDY on the head of a free block; KPF_ZERO_PAGE on the
 * zero page; a folio's LOCKED, REFERENCED, DIRTY, LRU, ACTIVE, ANON,
 * SWAPBACKED, MMAP (mapped), UPTODATE (every anon folio is: it was zeroed or
 * copied before it was mapped, as Linux's __folio_mark_uptodate); on a large
 * folio COMPOUND_HEAD (first page) or COMPOUND_TAIL (the others) and, for an
 * anonymous one of any order, KPF_THP (Linux 6.12 sets it for every large
 * rmappable folio, mTHP included).  foliOS does not mark slab or page-table
 * pages in struct page: KPF_SLAB and KPF_PGTABLE stay 0.
 *
 * kpagecount: the same index, page_mapcount() of each page (0 outside the
 * memmap and for free frames).
 */
#include "mm/proc_pagemap.h"
#include "kernel/sched.h"
#include "kernel/vfs.h"
#include "mm/huge_mm.h"
#include "mm/mm.h"
#include "mm/pgtable.h"
#include "mm/shmem.h"
#include "mm/vma.h"
#include <asm/uaccess.h>
#include <uapi/pagemap.h>

/*
 * The pagemap entry of a present page (pfn; soft_dirty: its entry's bit),
 * read under the lock of the entry mapping it.
 */
static u64 pagemap_present_entry(unsigned long pfn, bool soft_dirty)
{
	const struct page *page = pfn_to_page(pfn);
	u64 entry = PM_PRESENT | ((u64)pfn & PM_PFRAME_MASK) | (soft_dirty ? PM_SOFT_DIRTY : 0);

	if (page == zero_page)
		return entry;
	if (!folio_test_anon(page_folio(page)))
		entry |= PM_FILE;
	if (page_mapcount(page) == 1)
		entry |= PM_MMAP_EXCLUSIVE;
	return entry;
}

/* The entry of addr when a PMD block maps it (*entry set, true), else false.  mmap_lock held. */
static bool pagemap_pmd_entry(struct mm_struct *mm, unsigned long addr, u64 *entry)
{
	unsigned long haddr = addr;
	pmd_t *pmdp = pmd_next_huge(mm, &haddr, addr + 1);
	bool huge = false;
	pmd_t pmd;

	if (!pmdp)
		return false;
	spin_lock(&mm->page_table_lock);
	pmd = pmdp_get(pmdp);
	if (pmd_trans_huge(pmd)) {
		*entry = pagemap_present_entry(pmd_pfn(pmd) + ((addr - haddr) >> PAGE_SHIFT),
					       pmd_soft_dirty(pmd));
		huge = true;
	}
	spin_unlock(&mm->page_table_lock);
	return huge;
}

/* The entry of the page at addr of mm from its PTE or PMD block, VM_SOFTDIRTY aside.  mmap_lock held. */
static u64 pagemap_mapped_entry(struct mm_struct *mm, unsigned long addr)
{
	u64 entry = 0;
	spinlock_t *ptl;
	pte_t *ptep, pte;

	if (pagemap_pmd_entry(mm, addr, &entry))
		return entry;
	ptep = pte_offset_map_lock(mm, addr, &ptl);
	if (!ptep)
		return 0;
	pte = ptep_get(ptep);
	if (pte_present(pte))
		entry = pagemap_present_entry(pte_pfn(pte), pte_soft_dirty(pte));
	spin_unlock(ptl);
	return entry;
}

/*
 * The pagemap entry of the page at addr of mm (Linux's pte_to_pagemap_entry,
 * pagemap_pmd_range and pagemap_pte_hole): a VM_SOFTDIRTY VMA's pages all
 * read soft-dirty, mapped or not.  mmap_lock held.
 */
static u64 pagemap_entry(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = vma_lookup(mm, addr);

	if (!vma)
		return 0;
	return pagemap_mapped_entry(mm, addr) | (vma->vm_flags & VM_SOFTDIRTY ? PM_SOFT_DIRTY : 0);
}

/* raw_read of /proc/<pid>/pagemap: the entries of t's pages from byte pos (8-aligned). */
static ssize_t pagemap_read(struct task_struct *t, char *buf, size_t count, u64 pos)
{
	struct mm_struct *mm = t->mm;
	u64 *out = (u64 *)buf;
	u64 first = pos / PM_ENTRY_BYTES, last = TASK_SIZE >> PAGE_SHIFT;
	size_t nr = count / PM_ENTRY_BYTES;

	if (!mm || first >= last)
		return 0;
	nr = min(nr, (size_t)(last - first));
	mmap_write_lock(mm);
	for (size_t i = 0; i < nr; i++)
		out[i] = pagemap_entry(mm, (unsigned long)(first + i) << PAGE_SHIFT);
	mmap_write_unlock(mm);
	return (ssize_t)(nr * PM_ENTRY_BYTES);
}

/* Linux's stable_page_flags() for the frame pfn, from what foliOS's struct page holds. */
u64 stable_page_flags(unsigned long pfn)
{
	const struct page *page;
	const struct folio *folio;
	u64 k = 0;

	if (!pfn_valid(pfn))
		return 1ULL << KPF_NOPAGE;
	page = pfn_to_page(pfn);
	if (PageBuddy(page))
		return 1ULL << KPF_BUDDY;
	if (page == zero_page)
		k |= 1ULL << KPF_ZERO_PAGE;
	folio = page_folio(page);
	if (folio_test_large(folio)) {
		k |= 1ULL << (&folio->page == page ? KPF_COMPOUND_HEAD : KPF_COMPOUND_TAIL);
		if (folio_test_anon(folio))
			k |= 1ULL << KPF_THP;
	}
	if (folio_mapped(folio))
		k |= 1ULL << KPF_MMAP;
	if (folio_test_anon(folio))
		k |= 1ULL << KPF_ANON;
	if (folio_test_anon(folio) || folio_test_shmem(folio))
		k |= 1ULL << KPF_UPTODATE;	/* shmem: no KPF_ANON, KPF_SWAPBACKED below (Linux) */
	k |= (u64)folio_test_locked(folio) << KPF_LOCKED |
	     (u64)folio_test_referenced(folio) << KPF_REFERENCED |
	     (u64)folio_test_dirty(folio) << KPF_DIRTY |
	     (u64)folio_test_lru(folio) << KPF_LRU |
	     (u64)folio_test_active(folio) << KPF_ACTIVE |
	     (u64)folio_test_swapbacked(folio) << KPF_SWAPBACKED;
	return k;
}

/* page_mapcount() of the frame pfn, 0 outside the memmap and for free frames. */
static u64 kpagecount_of(unsigned long pfn)
{
	const struct page *page;

	if (!pfn_valid(pfn))
		return 0;
	page = pfn_to_page(pfn);
	return PageBuddy(page) || PageReserved(page) ? 0 : (u64)page_mapcount(page);
}

/* One entry per PFN from byte pos (8-aligned) up to the last memmap PFN, each of(pfn). */
static ssize_t kpage_read(char *buf, size_t count, u64 pos, u64 (*of)(unsigned long pfn))
{
	u64 *out = (u64 *)buf, first = pos / PM_ENTRY_BYTES;
	size_t nr = count / PM_ENTRY_BYTES;

	if (first >= memmap_end_pfn)
		return 0;
	nr = min(nr, (size_t)(memmap_end_pfn - first));
	for (size_t i = 0; i < nr; i++)
		out[i] = of((unsigned long)(first + i));
	return (ssize_t)(nr * PM_ENTRY_BYTES);
}

static ssize_t kpageflags_read(char *buf, size_t count, u64 pos)
{
	return kpage_read(buf, count, pos, stable_page_flags);
}

static ssize_t kpagecount_read(char *buf, size_t count, u64 pos)
{
	return kpage_read(buf, count, pos, kpagecount_of);
}

void proc_pagemap_init(void)
{
	proc_pid_file_register_raw("pagemap", pagemap_read, PM_ENTRY_BYTES);
	pseudo_file_register_raw(PROC_KPAGEFLAGS_PATH, kpageflags_read, PM_ENTRY_BYTES);
	pseudo_file_register_raw(PROC_KPAGECOUNT_PATH, kpagecount_read, PM_ENTRY_BYTES);
}
