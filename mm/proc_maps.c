/*
 * proc_maps.c - /proc/self/maps: for the reading process, one line per VMA
 * in address order, exactly as Linux's show_map_vma prints it
 * (fs/proc/task_mmu.c):
 *
 *   00400000-00401000 r-xp 00000000 00:00 0 <padding to column 73>[heap]
 *
 * start and end in hex (at least 8 digits), the access bits and p
 * (private; s for shared, which foliOS has not), the file offset (0: every
 * mapping is anonymous), device 00:00 and inode 0, then a blank, and for
 * the initial heap and stack their names after blanks up to column 73 (the
 * width Linux gives 64-bit addresses).  An unnamed line ends in the blank,
 * as Linux's does.  Output past PSEUDO_MAX_SIZE ends at the last whole line.
 */
#include "mm/proc_maps.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/vfs.h"
#include "mm/huge_mm.h"
#include "mm/mm.h"
#include "mm/pgtable.h"
#include "mm/shmem.h"
#include "mm/vma.h"

/* Linux's vma_is_initial_heap / vma_is_initial_stack names; NULL for the others. */
static const char *map_vma_name(const struct vm_area_struct *vma)
{
	const struct mm_struct *mm = vma->vm_mm;

	if (vma->vm_start < mm->brk && vma->vm_end > mm->start_brk)
		return "[heap]";
	if (vma->vm_start <= mm->start_stack && vma->vm_end >= mm->start_stack)
		return "[stack]";
	return NULL;
}

/*
 * A shmem VMA shows Linux's line for a file on its internal tmpfs (device
 * 00:01): its page offset, the object's inode and "/dev/zero (deleted)" or
 * "/memfd:<name> (deleted)".
 */
int show_map_vma(const struct vm_area_struct *vma, char *line)
{
	unsigned long f = vma->vm_flags;
	const struct shmem_inode *si = vma->vm_shmem;
	const char *name = map_vma_name(vma);
	int n = snprintf(line, MAP_VMA_LINE_MAX, "%08lx-%08lx %c%c%c%c %08lx %02x:%02x %lu ",
			 vma->vm_start, vma->vm_end, f & VM_READ ? 'r' : '-', f & VM_WRITE ? 'w' : '-',
			 f & VM_EXEC ? 'x' : '-', f & VM_SHARED ? 's' : 'p',
			 si ? vma->vm_pgoff << PAGE_SHIFT : 0UL, 0, si ? 1 : 0, si ? (unsigned long)si->ino : 0UL);

	if (si)
		n += snprintf(line + n, MAP_VMA_LINE_MAX - (size_t)n, "%*s /%s (deleted)",
			      n < MAP_NAME_COLUMN ? MAP_NAME_COLUMN - n : 0, "", si->name);
	else if (name)
		n += snprintf(line + n, MAP_VMA_LINE_MAX - (size_t)n, "%*s %s",
			      n < MAP_NAME_COLUMN ? MAP_NAME_COLUMN - n : 0, "", name);
	n += snprintf(line + n, MAP_VMA_LINE_MAX - (size_t)n, "\n");
	BUG_ON(n >= MAP_VMA_LINE_MAX);
	return n;
}

long proc_vmas_show(struct mm_struct *mm, char *buf, size_t len,
		    size_t (*show)(char *buf, size_t room, struct vm_area_struct *vma))
{
	struct list_head *pos;
	size_t n = 0;

	if (!mm)
		return 0;
	mmap_write_lock(mm);
	list_for_each(pos, &mm->mmap) {
		size_t l = show(buf + n, len - n, list_entry(pos, struct vm_area_struct, vm_list));

		if (n + l > len) {
			mmap_write_unlock(mm);
			return len < PSEUDO_MAX_SIZE ? (long)len : (long)n;
		}
		n += l;
	}
	mmap_write_unlock(mm);
	return (long)n;
}

void proc_walk_vma_ptes(struct vm_area_struct *vma,
			void (*fn)(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep,
				   pte_t pte, void *arg),
			void *arg)
{
	unsigned long addr = vma->vm_start;
	unsigned int nr;
	spinlock_t *ptl;
	pte_t *ptep;

	while ((ptep = pte_next_table_lock(vma->vm_mm, &addr, vma->vm_end, &nr, &ptl))) {
		for (unsigned int i = 0; i < nr; i++) {
			pte_t pte = ptep_get(&ptep[i]);

			if (pte_present(pte) && pfn_to_page(pte_pfn(pte)) != zero_page)
				fn(vma, addr + ((unsigned long)i << PAGE_SHIFT), &ptep[i], pte, arg);
		}
		spin_unlock(ptl);
		addr += (unsigned long)nr << PAGE_SHIFT;
	}
}

void proc_walk_vma_pmds(struct vm_area_struct *vma,
			void (*fn)(struct vm_area_struct *vma, unsigned long haddr, pmd_t *pmdp,
				   pmd_t pmd, void *arg),
			void *arg)
{
	spinlock_t *ptl = &vma->vm_mm->page_table_lock;
	unsigned long addr = vma->vm_start;
	pmd_t *pmdp, pmd;

	for (; (pmdp = pmd_next_huge(vma->vm_mm, &addr, vma->vm_end)); addr += PMD_SIZE) {
		spin_lock(ptl);
		pmd = pmdp_get(pmdp);
		if (pmd_trans_huge(pmd))
			fn(vma, addr, pmdp, pmd, arg);
		spin_unlock(ptl);
	}
}

/* One maps line into buf when it fits (room bytes); its length. */
static size_t show_map_line(char *buf, size_t room, struct vm_area_struct *vma)
{
	char line[MAP_VMA_LINE_MAX];
	size_t l = (size_t)show_map_vma(vma, line);

	if (l <= room)
		memcpy(buf, line, l);
	return l;
}

/* The file for current's mm; whole lines only, asking pseudofs for more room when they do not fit. */
static long proc_maps_show(struct task_struct *t, char *buf, size_t len)
{
	return proc_vmas_show(t->mm, buf, len, show_map_line);
}

void proc_maps_init(void)
{
	proc_pid_file_register("maps", proc_maps_show, NULL);
}
