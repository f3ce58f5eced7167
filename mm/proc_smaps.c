/*
 * proc_smaps.c - /proc/self/smaps in Linux 6.12's format (fs/proc/task_mmu.c
 * show_smap and __show_smap): for each VMA its maps line
 * (show_map_vma, mm/proc_maps.c), then one "Name:  value kB" line per counter, the
 * values right-aligned in 8 columns (Private_Hugetlb in 7: its name is one
 * longer), then THPeligible and VmFlags.
 *
 * What is counted, as Linux's smaps_account: every present page but the
 * zero page (Linux's vm_normal_page skips it) is resident; Pss shares each
 * page among its mappings (page_mapcount, which counts PMD mappings too:
 * mm/huge_memory.c), in 1/4096 page units (PSS_SHIFT) before rounding down;
 * a page mapped once is private, else shared; dirty is the PTE's (PMD's)
 * dirty bit or PG_dirty; referenced the young bit or PG_referenced;
 * LazyFree the anon pages of clean MADV_FREE'd folios; AnonHugePages the
 * PMD-mapped anon memory.  foliOS has no KSM, shmem, file mappings,
 * hugetlb, swap or mlock: those lines read 0.
 */
#include "mm/proc_smaps.h"
#include "kernel/printk.h"
#include "kernel/vfs.h"
#include "mm/anon_order.h"
#include "mm/huge_mm.h"
#include "mm/proc_maps.h"
#include "mm/vma.h"

#define PROC_SMAPS_PATH	"/proc/self/smaps"
#define PSS_SHIFT	12

struct mem_size_stats {
	unsigned long resident, shared_clean, shared_dirty, private_clean, private_dirty;
	unsigned long referenced, anonymous, lazyfree, anonymous_thp;
	u64 pss, pss_dirty;
};

/* Linux's smaps_page_accumulate: one page's share, private or shared, dirty or clean. */
static void smaps_page_accumulate(struct mem_size_stats *mss, u64 pss, bool dirty, bool private)
{
	mss->pss += pss;
	if (dirty) {
		mss->pss_dirty += pss;
		*(private ? &mss->private_dirty : &mss->shared_dirty) += PAGE_SIZE;
	} else {
		*(private ? &mss->private_clean : &mss->shared_clean) += PAGE_SIZE;
	}
}

/* Linux's smaps_account: nr pages from page (one folio), mapped by one entry or a batch. */
static void smaps_account(struct mem_size_stats *mss, struct page *page, unsigned long nr, bool young,
			  bool dirty)
{
	struct folio *folio = page_folio(page);
	unsigned long size = nr << PAGE_SHIFT;

	dirty |= folio_test_dirty(folio);
	if (folio_test_anon(folio)) {
		mss->anonymous += size;
		if (!folio_test_swapbacked(folio) && !dirty)
			mss->lazyfree += size;
	}
	mss->resident += size;
	if (young || folio_test_referenced(folio))
		mss->referenced += size;
	for (unsigned long i = 0; i < nr; i++) {
		int mapcount = page_mapcount(page + i);
		u64 pss = (u64)PAGE_SIZE << PSS_SHIFT;

		if (mapcount >= 2)
			pss /= (u64)mapcount;
		smaps_page_accumulate(mss, pss, dirty, mapcount < 2);
	}
}

/* The PTEs of vma (each PTE table that exists, under its lock). */
static void smaps_ptes(struct vm_area_struct *vma, struct mem_size_stats *mss)
{
	unsigned long addr = vma->vm_start;
	unsigned int nr;
	spinlock_t *ptl;
	pte_t *ptep;

	while ((ptep = pte_next_table_lock(vma->vm_mm, &addr, vma->vm_end, &nr, &ptl))) {
		for (unsigned int i = 0; i < nr; i++) {
			pte_t pte = ptep_get(&ptep[i]);

			if (pte_present(pte) && pfn_to_page(pte_pfn(pte)) != zero_page)
				smaps_account(mss, pfn_to_page(pte_pfn(pte)), 1, pte_young(pte), pte_dirty(pte));
		}
		spin_unlock(ptl);
		addr += (unsigned long)nr << PAGE_SHIFT;
	}
}

/* The PMD blocks of vma (Linux's smaps_pmd_entry). */
static void smaps_pmds(struct vm_area_struct *vma, struct mem_size_stats *mss)
{
	spinlock_t *ptl = &vma->vm_mm->page_table_lock;
	unsigned long addr = vma->vm_start;
	pmd_t *pmdp, pmd;

	for (; (pmdp = pmd_next_huge(vma->vm_mm, &addr, vma->vm_end)); addr += PMD_SIZE) {
		spin_lock(ptl);
		pmd = pmdp_get(pmdp);
		if (pmd_trans_huge(pmd)) {
			smaps_account(mss, pfn_to_page(pmd_pfn(pmd)), HPAGE_PMD_NR, pmd_young(pmd),
				      pmd_dirty(pmd));
			mss->anonymous_thp += PMD_SIZE;
		}
		spin_unlock(ptl);
	}
}

/* Linux's show_smap_vma_flags: two letters per set flag, in bit order. */
static size_t smaps_vm_flags(char *buf, size_t len, unsigned long flags)
{
	static const struct { unsigned long flag; const char name[3]; } mnemonics[] = {
		{ VM_READ, "rd" }, { VM_WRITE, "wr" }, { VM_EXEC, "ex" }, { VM_SHARED, "sh" },
		{ VM_MAYREAD, "mr" }, { VM_MAYWRITE, "mw" }, { VM_MAYEXEC, "me" },
		{ VM_GROWSDOWN, "gd" }, { VM_LOCKED, "lo" }, { VM_IO, "io" }, { VM_DONTCOPY, "dc" },
		{ VM_DONTEXPAND, "de" }, { VM_LOCKONFAULT, "lf" }, { VM_ACCOUNT, "ac" }, { VM_NORESERVE, "nr" },
		{ VM_WIPEONFORK, "wf" }, { VM_DONTDUMP, "dd" },
		{ VM_HUGEPAGE, "hg" }, { VM_NOHUGEPAGE, "nh" }, { VM_MERGEABLE, "mg" },
	};
	size_t n = (size_t)snprintf(buf, len, "VmFlags: ");

	for (unsigned int i = 0; i < ARRAY_SIZE(mnemonics); i++)
		if (flags & mnemonics[i].flag)
			n += (size_t)snprintf(buf + min(n, len), len - min(n, len), "%s ", mnemonics[i].name);
	return n + (size_t)snprintf(buf + min(n, len), len - min(n, len), "\n");
}

/* The counters of vma, walked once (PTE tables and PMD blocks that exist). */
static struct mem_size_stats smap_gather_stats(struct vm_area_struct *vma)
{
	struct mem_size_stats mss = { 0 };

	smaps_ptes(vma, &mss);
	smaps_pmds(vma, &mss);
	return mss;
}

/* Linux's show_smap for one VMA into buf (room bytes); its length, snprintf-style. */
static size_t show_smap(char *buf, size_t len, struct vm_area_struct *vma)
{
	const struct mem_size_stats mss = smap_gather_stats(vma);
	const struct { const char *name; int width; unsigned long bytes; } lines[] = {
		{ "Size:           ", 8, vma->vm_end - vma->vm_start },
		{ "KernelPageSize: ", 8, PAGE_SIZE },
		{ "MMUPageSize:    ", 8, PAGE_SIZE },
		{ "Rss:            ", 8, mss.resident },
		{ "Pss:            ", 8, (unsigned long)(mss.pss >> PSS_SHIFT) },
		{ "Pss_Dirty:      ", 8, (unsigned long)(mss.pss_dirty >> PSS_SHIFT) },
		{ "Shared_Clean:   ", 8, mss.shared_clean },
		{ "Shared_Dirty:   ", 8, mss.shared_dirty },
		{ "Private_Clean:  ", 8, mss.private_clean },
		{ "Private_Dirty:  ", 8, mss.private_dirty },
		{ "Referenced:     ", 8, mss.referenced },
		{ "Anonymous:      ", 8, mss.anonymous },
		{ "KSM:            ", 8, 0 },
		{ "LazyFree:       ", 8, mss.lazyfree },
		{ "AnonHugePages:  ", 8, mss.anonymous_thp },
		{ "ShmemPmdMapped: ", 8, 0 },
		{ "FilePmdMapped:  ", 8, 0 },
		{ "Shared_Hugetlb: ", 8, 0 },
		{ "Private_Hugetlb: ", 7, 0 },
		{ "Swap:           ", 8, 0 },
		{ "SwapPss:        ", 8, 0 },
		{ "Locked:         ", 8, (vma->vm_flags & VM_LOCKED) ? (unsigned long)(mss.pss >> PSS_SHIFT) : 0 },
	};

	char header[MAP_VMA_LINE_MAX];
	size_t n = (size_t)show_map_vma(vma, header);

	snprintf(buf, len, "%s", header);
	for (unsigned int i = 0; i < ARRAY_SIZE(lines); i++)
		n += (size_t)snprintf(buf + min(n, len), len - min(n, len), "%s%*lu kB\n", lines[i].name,
				      lines[i].width, lines[i].bytes >> 10);
	/* THPeligible: may a fault here get any large folio (Linux: THP_ORDERS_ALL)? */
	n += (size_t)snprintf(buf + min(n, len), len - min(n, len), "THPeligible:    %8u\n",
			      (anon_orders_allowed(vma, vma->vm_start) & ~1UL) ? 1U : 0U);
	return n + smaps_vm_flags(buf + min(n, len), len - min(n, len), vma->vm_flags);
}

static long proc_smaps_show(char *buf, size_t len)
{
	return proc_vmas_show(buf, len, show_smap);
}

void proc_smaps_init(void)
{
	pseudo_file_register(PROC_SMAPS_PATH, proc_smaps_show, NULL);
}
