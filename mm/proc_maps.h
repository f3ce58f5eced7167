/*
 * proc_maps.h - /proc/self/maps (mm/proc_maps.c): the reading process's
 * VMAs, one line each, in Linux's format.  The line formatter is shared
 * with the per-VMA files that print the same header (smaps).
 */
#ifndef MM_PROC_MAPS_H
#define MM_PROC_MAPS_H

#include "mm/mm_types.h"

/* Longest line show_map_vma() writes, newline and NUL included. */
#define MAP_VMA_LINE_MAX	128
/* Linux's seq_setwidth(m, 25 + sizeof(void *) * 6 - 1): where a name's padding ends. */
#define MAP_NAME_COLUMN	(25 + 8 * 6 - 1)

/*
 * Linux's show_map_vma: "start-end rwxp offset dev inode", then, padded to
 * column 73, a name where the VMA has one ([heap], [stack]), then '\n'.
 * Writes at most MAP_VMA_LINE_MAX bytes into line (NUL-terminated);
 * returns the line's length.  mmap_lock held.
 */
int show_map_vma(const struct vm_area_struct *vma, char *line);

/*
 * A per-VMA pseudo-file of current's mm (maps, smaps): show(buf, room, vma)
 * writes vma's entry into buf when it fits in room and returns its length
 * (snprintf-style: more than room when it does not fit).  Whole entries
 * only: when one does not fit, returns len (pseudofs retries with a larger
 * buffer) or, at PSEUDO_MAX_SIZE, what fitted.  Takes mmap_lock.
 */
long proc_vmas_show(struct mm_struct *mm, char *buf, size_t len,
		    size_t (*show)(char *buf, size_t room, struct vm_area_struct *vma));

/* Register /proc/self/maps (after vfs_init). */
/*
 * The pseudo-files' page-table walks over one VMA (mmap_lock held): fn for
 * each present PTE that maps a page other than the zero page, under its
 * table's lock (proc_walk_vma_ptes), or for each PMD block, under
 * mm->page_table_lock (proc_walk_vma_pmds).  Only existing tables are visited.
 */
void proc_walk_vma_ptes(struct vm_area_struct *vma,
			void (*fn)(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep,
				   pte_t pte, void *arg),
			void *arg);
void proc_walk_vma_pmds(struct vm_area_struct *vma,
			void (*fn)(struct vm_area_struct *vma, unsigned long haddr, pmd_t *pmdp,
				   pmd_t pmd, void *arg),
			void *arg);

void proc_maps_init(void);

#endif
