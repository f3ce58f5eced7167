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
 * PMD-mapped anon memory.  /proc/self/smaps_rollup sums the counters of
 * every VMA under one "[rollup]" header (Linux's show_smaps_rollup), with
 * Pss_Anon, Pss_File (0: no file pages) and Pss_Shmem (0).  foliOS has no KSM, shmem, file mappings,
 * hugetlb, swap or mlock: those lines read 0.
 */
#include "mm/proc_smaps.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/vfs.h"
#include "mm/anon_order.h"
#include "mm/huge_mm.h"
#include "mm/proc_maps.h"
#include "mm/shmem.h"
#include "mm/vma.h"

#define PSS_SHIFT	12
/* smap_counters' lines [FIRST, END): Pss_Anon, Pss_File, Pss_Shmem, in smaps_rollup only. */
#define SMAP_ROLLUP_FIRST	3
#define SMAP_ROLLUP_END		6

struct mem_size_stats {
	unsigned long resident, shared_clean, shared_dirty, private_clean, private_dirty;
	unsigned long referenced, anonymous, lazyfree, anonymous_thp;
	u64 pss, pss_dirty, pss_anon, pss_file, pss_shmem, pss_locked;
};

/* Linux's smaps_page_accumulate: one page's share, private or shared, dirty or clean. */
static void smaps_page_accumulate(struct mem_size_stats *mss, u64 pss, bool dirty, bool private,
				  const struct folio *folio)
{
	mss->pss += pss;
	*(folio_test_anon(folio) ? &mss->pss_anon : folio_test_shmem(folio) ? &mss->pss_shmem :
	  &mss->pss_file) += pss;
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
		smaps_page_accumulate(mss, pss, dirty, mapcount < 2, folio);
	}
}

/* One present PTE of vma into the counters (proc_walk_vma_ptes). */
static void smaps_pte_entry(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, pte_t pte,
			    void *arg)
{
	(void)vma, (void)addr, (void)ptep;
	smaps_account(arg, pfn_to_page(pte_pfn(pte)), 1, pte_young(pte), pte_dirty(pte));
}

/* One PMD block of vma into the counters (Linux's smaps_pmd_entry). */
static void smaps_pmd_entry(struct vm_area_struct *vma, unsigned long haddr, pmd_t *pmdp, pmd_t pmd,
			    void *arg)
{
	struct mem_size_stats *mss = arg;

	(void)vma, (void)haddr, (void)pmdp;
	smaps_account(mss, pfn_to_page(pmd_pfn(pmd)), HPAGE_PMD_NR, pmd_young(pmd), pmd_dirty(pmd));
	mss->anonymous_thp += PMD_SIZE;
}

/* Linux's show_smap_vma_flags: two letters per set flag, in bit order. */
static size_t smaps_vm_flags(char *buf, size_t len, unsigned long flags)
{
	static const struct { unsigned long flag; const char name[3]; } mnemonics[] = {
		{ VM_READ, "rd" }, { VM_WRITE, "wr" }, { VM_EXEC, "ex" }, { VM_SHARED, "sh" },
		{ VM_MAYREAD, "mr" }, { VM_MAYWRITE, "mw" }, { VM_MAYEXEC, "me" }, { VM_MAYSHARE, "ms" },
		{ VM_GROWSDOWN, "gd" }, { VM_LOCKED, "lo" }, { VM_IO, "io" }, { VM_DONTCOPY, "dc" },
		{ VM_DONTEXPAND, "de" }, { VM_LOCKONFAULT, "lf" }, { VM_ACCOUNT, "ac" }, { VM_NORESERVE, "nr" },
		{ VM_WIPEONFORK, "wf" }, { VM_DONTDUMP, "dd" }, { VM_SOFTDIRTY, "sd" },
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

	proc_walk_vma_ptes(vma, smaps_pte_entry, &mss);
	proc_walk_vma_pmds(vma, smaps_pmd_entry, &mss);
	if (vma->vm_flags & VM_LOCKED)	/* Linux's smap_gather_stats: a locked VMA's Pss */
		mss.pss_locked = mss.pss;
	return mss;
}

/*
 * Linux's __show_smap: the counter lines of mss into buf (len bytes), its
 * length snprintf-style; rollup adds Pss_Anon, Pss_File and Pss_Shmem.
 */
static size_t smap_counters(char *buf, size_t len, const struct mem_size_stats *mss, bool rollup)
{
	const struct { const char *name; unsigned long bytes; } lines[] = {
		{ "Rss:            ", mss->resident },
		{ "Pss:            ", (unsigned long)(mss->pss >> PSS_SHIFT) },
		{ "Pss_Dirty:      ", (unsigned long)(mss->pss_dirty >> PSS_SHIFT) },
		{ "Pss_Anon:       ", (unsigned long)(mss->pss_anon >> PSS_SHIFT) },
		{ "Pss_File:       ", (unsigned long)(mss->pss_file >> PSS_SHIFT) },
		{ "Pss_Shmem:      ", (unsigned long)(mss->pss_shmem >> PSS_SHIFT) },
		{ "Shared_Clean:   ", mss->shared_clean },
		{ "Shared_Dirty:   ", mss->shared_dirty },
		{ "Private_Clean:  ", mss->private_clean },
		{ "Private_Dirty:  ", mss->private_dirty },
		{ "Referenced:     ", mss->referenced },
		{ "Anonymous:      ", mss->anonymous },
		{ "KSM:            ", 0 },
		{ "LazyFree:       ", mss->lazyfree },
		{ "AnonHugePages:  ", mss->anonymous_thp },
		{ "ShmemPmdMapped: ", 0 },
		{ "FilePmdMapped:  ", 0 },
		{ "Shared_Hugetlb: ", 0 },
		{ "Private_Hugetlb: ", 0 },
		{ "Swap:           ", 0 },
		{ "SwapPss:        ", 0 },
		{ "Locked:         ", (unsigned long)(mss->pss_locked >> PSS_SHIFT) },
	};
	size_t n = 0;

	/* Values end at column 24 (Private_Hugetlb's longer name leaves 7 columns). */
	for (unsigned int i = 0; i < ARRAY_SIZE(lines); i++)
		if (rollup || i < SMAP_ROLLUP_FIRST || i >= SMAP_ROLLUP_END)
			n += (size_t)snprintf(buf + min(n, len), len - min(n, len), "%s%*lu kB\n",
					      lines[i].name, 24 - (int)strlen(lines[i].name),
					      lines[i].bytes >> 10);
	return n;
}

/* Linux's show_smap for one VMA into buf (room bytes); its length, snprintf-style. */
static size_t show_smap(char *buf, size_t len, struct vm_area_struct *vma)
{
	const struct mem_size_stats mss = smap_gather_stats(vma);
	char header[MAP_VMA_LINE_MAX];
	size_t n = (size_t)show_map_vma(vma, header);

	snprintf(buf, len, "%s", header);
	n += (size_t)snprintf(buf + min(n, len), len - min(n, len),
			      "Size:           %8lu kB\nKernelPageSize: %8lu kB\nMMUPageSize:    %8lu kB\n",
			      (vma->vm_end - vma->vm_start) >> 10, PAGE_SIZE >> 10, PAGE_SIZE >> 10);
	n += smap_counters(buf + min(n, len), len - min(n, len), &mss, false);
	/* THPeligible: may a fault here get any large folio (Linux: THP_ORDERS_ALL)? */
	n += (size_t)snprintf(buf + min(n, len), len - min(n, len), "THPeligible:    %8u\n",
			      (anon_orders_allowed(vma, vma->vm_start) & ~1UL) ? 1U : 0U);
	return n + smaps_vm_flags(buf + min(n, len), len - min(n, len), vma->vm_flags);
}

/* Add the counters of one VMA to the rollup's. */
static void smap_add(struct mem_size_stats *sum, const struct mem_size_stats *mss)
{
	sum->resident += mss->resident;
	sum->shared_clean += mss->shared_clean;
	sum->shared_dirty += mss->shared_dirty;
	sum->private_clean += mss->private_clean;
	sum->private_dirty += mss->private_dirty;
	sum->referenced += mss->referenced;
	sum->anonymous += mss->anonymous;
	sum->lazyfree += mss->lazyfree;
	sum->anonymous_thp += mss->anonymous_thp;
	sum->pss += mss->pss;
	sum->pss_dirty += mss->pss_dirty;
	sum->pss_anon += mss->pss_anon;
	sum->pss_file += mss->pss_file;
	sum->pss_shmem += mss->pss_shmem;
	sum->pss_locked += mss->pss_locked;
}

/*
 * Linux's show_smaps_rollup: a maps-style header from the first VMA's start
 * to the last one's end with no access bits ("---p"), "[rollup]" at column
 * 73, then the sums of every VMA's counters (Pss rounded once, of the sum).
 */
static long proc_smaps_rollup_show(struct task_struct *t, char *buf, size_t len)
{
	struct mm_struct *mm = t->mm;
	struct mem_size_stats sum = { 0 };
	unsigned long start = 0, end = 0;
	struct list_head *pos;
	int n;

	if (mm) {
		mmap_write_lock(mm);
		list_for_each(pos, &mm->mmap) {
			struct vm_area_struct *vma = list_entry(pos, struct vm_area_struct, vm_list);
			const struct mem_size_stats mss = smap_gather_stats(vma);

			start = start ? start : vma->vm_start;
			end = vma->vm_end;
			smap_add(&sum, &mss);
		}
		mmap_write_unlock(mm);
	}
	n = snprintf(buf, len, "%08lx-%08lx ---p %08lx %02x:%02x %lu ", start, end, 0UL, 0, 0, 0UL);
	n += snprintf(buf + min((size_t)n, len), len - min((size_t)n, len), "%*s [rollup]\n",
		      n < MAP_NAME_COLUMN ? MAP_NAME_COLUMN - n : 0, "");
	return (long)(n + smap_counters(buf + min((size_t)n, len), len - min((size_t)n, len), &sum, true));
}

static long proc_smaps_show(struct task_struct *t, char *buf, size_t len)
{
	return proc_vmas_show(t->mm, buf, len, show_smap);
}

void proc_smaps_init(void)
{
	proc_pid_file_register("smaps", proc_smaps_show, NULL);
	proc_pid_file_register("smaps_rollup", proc_smaps_rollup_show, NULL);
}
