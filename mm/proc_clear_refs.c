/*
 * proc_clear_refs.c - /proc/self/clear_refs, Linux's clear_refs_write
 * (fs/proc/task_mmu.c): a write of one integer of enum clear_refs_types.
 *
 *   1 (CLEAR_REFS_ALL), 2 (ANON), 3 (MAPPED: file pages, foliOS has none):
 *     clear the accessed (young) bit of every PTE and PMD block mapping
 *     such pages and their folios' PG_referenced, so the next access is
 *     recorded again (smaps' Referenced, kpageflags' KPF_REFERENCED);
 *   4 (SOFT_DIRTY): start a soft-dirty round (clear_refs_soft_dirty,
 *     mm/soft_dirty.c): every PTE and PMD block clean of soft-dirty and
 *     write-protected, every VMA's VM_SOFTDIRTY cleared (pagemap bit 55);
 *   5 (MM_HIWATER_RSS): VmHWM is reset to the current VmRSS.
 * Anything else is -EINVAL; the file is write-only in meaning (reads give
 * nothing), as Linux's 0200 file.
 */
#include "mm/proc_clear_refs.h"
#include "kernel/sched.h"
#include "kernel/vfs.h"
#include "mm/huge_mm.h"
#include "mm/mm.h"
#include "mm/overcommit.h"
#include "mm/pgtable.h"
#include "mm/proc_maps.h"
#include "mm/soft_dirty.h"
#include "mm/vma.h"
#include <uapi/errno.h>

enum clear_refs_types {
	CLEAR_REFS_ALL = 1,
	CLEAR_REFS_ANON,
	CLEAR_REFS_MAPPED,
	CLEAR_REFS_SOFT_DIRTY,
	CLEAR_REFS_MM_HIWATER_RSS,
	CLEAR_REFS_LAST,
};

/* Make one PMD block and its folio old (proc_walk_vma_pmds). */
static void clear_refs_pmd_entry(struct vm_area_struct *vma, unsigned long haddr, pmd_t *pmdp,
				 pmd_t pmd, void *arg)
{
	(void)arg;
	folio_clear_referenced(pmd_folio(pmd));
	pmdp_clear_flush_young(vma->vm_mm, haddr, pmdp);
}

/* Make one present PTE and its folio old (Linux's clear_refs_pte_range, the young part). */
static void clear_refs_pte_entry(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep,
				 pte_t pte, void *arg)
{
	(void)arg;
	folio_clear_referenced(page_folio(pfn_to_page(pte_pfn(pte))));
	ptep_clear_flush_young(vma->vm_mm, addr, ptep);
}

static long clear_refs_store(struct task_struct *t, const char *buf, size_t len)
{
	struct mm_struct *mm = t->mm;
	int type;
	long ret = sysctl_int_store(buf, len, CLEAR_REFS_ALL, CLEAR_REFS_LAST - 1, &type);
	struct list_head *pos;

	if (ret < 0 || !mm)
		return ret < 0 ? ret : (long)len;
	mmap_write_lock(mm);
	if (type == CLEAR_REFS_MM_HIWATER_RSS)
		atomic_long_set(&mm->hiwater_rss, (long)get_mm_counter(mm, MM_ANONPAGES));	/* Linux's reset_mm_hiwater_rss */
	if (type == CLEAR_REFS_SOFT_DIRTY)
		clear_refs_soft_dirty(mm);
	if (type == CLEAR_REFS_ALL || type == CLEAR_REFS_ANON) {
		list_for_each(pos, &mm->mmap) {
			struct vm_area_struct *vma = list_entry(pos, struct vm_area_struct, vm_list);

			proc_walk_vma_pmds(vma, clear_refs_pmd_entry, NULL);
			proc_walk_vma_ptes(vma, clear_refs_pte_entry, NULL);
		}
	}
	mmap_write_unlock(mm);
	return (long)len;
}

static long clear_refs_show(struct task_struct *t, char *buf, size_t len)
{
	(void)t;
	(void)buf;
	(void)len;
	return 0;
}

void proc_clear_refs_init(void)
{
	proc_pid_file_register("clear_refs", clear_refs_show, clear_refs_store);
}
