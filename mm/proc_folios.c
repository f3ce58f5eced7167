/*
 * proc_folios.c - /proc/self/folios (foliOS): for the reading process, one
 * line per run of present PTEs at consecutive addresses that map consecutive
 * pages of one folio (or that all map the zero page).  The line format and
 * the flags are ABI, written down in <uapi/folios.h>.  Runs never cross a
 * VMA; a folio mapped in pieces gives one line per piece.  Output past
 * PSEUDO_MAX_SIZE ends at the last whole line.
 */
#include "mm/proc_folios.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/vfs.h"
#include "mm/huge_mm.h"
#include "mm/mm.h"
#include "mm/pgtable.h"
#include "mm/rmap.h"
#include "mm/shmem.h"
#include "mm/vma.h"
#include <uapi/folios.h>

static const char *const run_flag_names[NR_FOLIO_RUN_FLAGS] = FOLIO_RUN_FLAG_NAMES;

/* The run being collected; folio NULL when none is open. */
struct open_run {
	unsigned long start, end;	/* [start, end) */
	struct folio *folio;
	unsigned long next_pfn;		/* the PFN at end that would extend the run */
	bool zero, dirty, writable, exclusive, shared, cont, pmd;
};

/* The show() buffer: n bytes of whole lines so far; full once a line did not fit. */
struct folios_out {
	char *buf;
	size_t len, n;
	bool full;
};

/* The flags of a run that ended, as FOLIO_RUN_* bits (folio-wide ones read now). */
static unsigned long run_flags(const struct open_run *run)
{
	const struct folio *folio = run->folio;

	if (run->zero)
		return FOLIO_RUN_ZERO;
	return (folio_test_anon(folio) ? FOLIO_RUN_ANON : 0) |
	       (run->dirty ? FOLIO_RUN_DIRTY : 0) |
	       (run->writable ? FOLIO_RUN_WRITABLE : 0) |
	       (run->exclusive ? FOLIO_RUN_EXCLUSIVE : 0) |
	       (run->shared ? FOLIO_RUN_SHARED : 0) |
	       (folio_test_partially_mapped(folio) ? FOLIO_RUN_PARTIALLY_MAPPED : 0) |
	       (folio_test_lazyfree(folio) ? FOLIO_RUN_LAZYFREE : 0) |
	       (run->cont ? FOLIO_RUN_CONT : 0) |
	       (run->pmd ? FOLIO_RUN_PMD : 0) |
	       (folio_maybe_dma_pinned(folio) ? FOLIO_RUN_PINNED : 0) |
	       (folio_test_shmem(folio) ? FOLIO_RUN_SHMEM : 0);
}

/* "a,b,c" for the bits of flags, "-" for none, into str (big enough for all names). */
static void run_flags_str(unsigned long flags, char *str, size_t size)
{
	size_t n = 0;

	for (int f = 0; f < NR_FOLIO_RUN_FLAGS; f++)
		if (flags & (1UL << f))
			n += snprintf(str + n, size - n, "%s%s", n ? "," : "", run_flag_names[f]);
	if (!n)
		snprintf(str, size, "-");
}

/* Print the open run (if any) as one line and close it.  No PTE lock held (rmap_walk takes them). */
static void run_flush(struct open_run *run, struct folios_out *out)
{
	struct folio *folio = run->folio;
	char flags[80];
	size_t room = out->len - out->n;
	int len;

	if (!folio || out->full)
		return;
	run_flags_str(run_flags(run), flags, sizeof(flags));
	len = snprintf(out->buf + out->n, room, FOLIO_RUN_FMT,
		       run->start, run->end, run->zero ? 0 : folio_order(folio),
		       (run->end - run->start) >> PAGE_SHIFT,
		       run->zero ? 0 : folio_mapcount(folio),
		       run->zero ? 0 : folio_rmap_count(folio),
		       folio_ref_count(folio), flags);
	if ((size_t)len >= room)
		out->full = true;
	else
		out->n += len;
	run->folio = NULL;
}

/*
 * Add the present PTE pte at addr (exclusive/shared: its page's state, read
 * under the PTE lock) to the run, first printing the open run when pte does
 * not continue it.
 */
static void run_add(struct open_run *run, struct folios_out *out, unsigned long addr,
		    pte_t pte, bool exclusive, bool shared)
{
	unsigned long pfn = pte_pfn(pte);
	struct page *page = pfn_to_page(pfn);
	bool zero = page == zero_page;

	if (run->folio != page_folio(page) || run->end != addr || (!zero && run->next_pfn != pfn)) {
		run_flush(run, out);
		*run = (struct open_run){ .start = addr, .folio = page_folio(page), .zero = zero,
					   .exclusive = true, .cont = true };
	}
	run->end = addr + PAGE_SIZE;
	run->next_pfn = pfn + 1;
	run->dirty |= pte_dirty(pte);
	run->writable |= pte_write(pte);
	run->exclusive &= exclusive;
	run->shared |= shared;
	run->cont &= pte_cont(pte);
}

/* The PTE at addr of vma into the open run (or the end of it).  mmap_lock held. */
static void show_pte(struct vm_area_struct *vma, unsigned long addr, struct open_run *run,
		     struct folios_out *out)
{
	spinlock_t *ptl;
	pte_t *ptep = pte_offset_map_lock(vma->vm_mm, addr, &ptl), pte;
	bool exclusive = false, shared = false;

	if (!ptep)
		return;		/* the table went away: none with mmap_lock held, but read it as none */
	pte = ptep_get(ptep);
	if (pte_present(pte)) {
		const struct page *page = pfn_to_page(pte_pfn(pte));

		exclusive = PageAnonExclusive(page);
		shared = page_mapcount(page) > 1;
	}
	spin_unlock(ptl);	/* run_add may print, and printing walks the rmap */
	if (pte_present(pte))
		run_add(run, out, addr, pte, exclusive, shared);
	else
		run_flush(run, out);
}

/*
 * The PMD block at haddr of vma: a run of its own (flag pmd), printed at
 * once after the open one.  Its pages share one state, read from the
 * first.  mmap_lock held.
 */
static void show_pmd(struct vm_area_struct *vma, unsigned long haddr, pmd_t *pmdp,
		     struct open_run *run, struct folios_out *out)
{
	spinlock_t *ptl = &vma->vm_mm->page_table_lock;
	const struct page *head = NULL;
	bool exclusive = false, shared = false;
	pmd_t pmd;

	spin_lock(ptl);
	pmd = pmdp_get(pmdp);
	if (pmd_trans_huge(pmd)) {
		head = pfn_to_page(pmd_pfn(pmd));
		exclusive = PageAnonExclusive(head);
		shared = page_mapcount(head) > 1;
	}
	spin_unlock(ptl);
	run_flush(run, out);
	if (!head)
		return;
	*run = (struct open_run){ .start = haddr, .end = haddr + PMD_SIZE,
				  .folio = page_folio((struct page *)head), .dirty = pmd_dirty(pmd),
				  .writable = pmd_write(pmd), .exclusive = exclusive, .shared = shared,
				  .pmd = true };
	run_flush(run, out);
}

/* The PTE runs of [addr, end) of vma, visiting only the PTE tables that exist. */
static void show_ptes(struct vm_area_struct *vma, unsigned long addr, unsigned long end,
		      struct open_run *run, struct folios_out *out)
{
	unsigned int nr;
	spinlock_t *ptl;

	while (!out->full && pte_next_table_lock(vma->vm_mm, &addr, end, &nr, &ptl)) {
		spin_unlock(ptl);
		for (unsigned int i = 0; i < nr && !out->full; i++, addr += PAGE_SIZE)
			show_pte(vma, addr, run, out);
	}
}

/*
 * Print the runs of vma in address order: PTE runs between the PMD blocks
 * (pmd_next_huge), each block one run.  Only the tables that exist are
 * visited (a terabyte reservation costs what is touched).  A run never
 * spans a missing table: run_add starts a new one where addresses jump.
 * mmap_lock held.
 */
static void show_vma(struct vm_area_struct *vma, struct folios_out *out)
{
	struct open_run run = { 0 };
	unsigned long addr = vma->vm_start, haddr = addr;
	pmd_t *pmdp;

	while (!out->full) {
		pmdp = pmd_next_huge(vma->vm_mm, &haddr, vma->vm_end);
		show_ptes(vma, addr, pmdp ? haddr : vma->vm_end, &run, out);
		if (!pmdp)
			break;
		show_pmd(vma, haddr, pmdp, &run, out);
		addr = haddr = haddr + PMD_SIZE;
	}
	run_flush(&run, out);
}

long proc_folios_show(struct mm_struct *mm, char *buf, size_t len)
{
	struct folios_out out = { .buf = buf, .len = len };
	struct list_head *pos;

	if (!mm)
		return 0;
	mmap_write_lock(mm);
	list_for_each(pos, &mm->mmap) {
		show_vma(list_entry(pos, struct vm_area_struct, vm_list), &out);
		if (out.full)
			break;
	}
	mmap_write_unlock(mm);
	/* Full: ask pseudofs for a bigger buffer, or at its limit keep the whole lines. */
	return out.full && len < PSEUDO_MAX_SIZE ? (long)len : (long)out.n;
}

/* /proc/<pid>/folios: t's mm (none for a zombie: empty). */
static long proc_pid_folios_show(struct task_struct *t, char *buf, size_t len)
{
	return proc_folios_show(t->mm, buf, len);
}

void proc_folios_init(void)
{
	proc_pid_file_register("folios", proc_pid_folios_show, NULL);
}
