/*
 * proc_map_header.c - one VMA as a line of /proc/<pid>/maps (Linux 6.12's
 * show_vma_header_prefix + show_map_vma, fs/proc/task_mmu.c), for the
 * /proc/self/smaps headers.  Every foliOS VMA is anonymous: offset, device
 * and inode print as Linux prints them for anonymous memory (0, 00:00, 0),
 * and the name is "[heap]" (the VMA holds the brk area) or "[stack]" (it
 * holds mm->start_stack), else nothing: the line then ends "0 ", trailing
 * space included, as Linux's.
 */
#include "mm/proc_map_header.h"
#include "kernel/printk.h"
#include "mm/mm_types.h"

/* Linux pads the prefix to 25 + 6 * sizeof(void *) - 1 columns before a name. */
#define MAP_NAME_COLUMN	(25 + 6 * (int)sizeof(void *) - 1)

static const char *vma_name(const struct vm_area_struct *vma)
{
	const struct mm_struct *mm = vma->vm_mm;

	if (vma->vm_start <= mm->brk && vma->vm_end >= mm->start_brk && mm->start_brk)
		return "[heap]";
	if (vma->vm_start <= mm->start_stack && vma->vm_end >= mm->start_stack)
		return "[stack]";
	return NULL;
}

int show_map_vma(char *buf, size_t len, const struct vm_area_struct *vma)
{
	unsigned long f = vma->vm_flags;
	const char *name = vma_name(vma);
	int n = snprintf(buf, len, "%08lx-%08lx %c%c%c%c %08lx %02x:%02x %lu ", vma->vm_start,
			 vma->vm_end, f & VM_READ ? 'r' : '-', f & VM_WRITE ? 'w' : '-',
			 f & VM_EXEC ? 'x' : '-', f & VM_SHARED ? 's' : 'p', 0UL, 0, 0, 0UL);
	size_t at = min((size_t)n, len);

	if (name)
		n += snprintf(buf + at, len - at, "%*s %s\n", n < MAP_NAME_COLUMN ? MAP_NAME_COLUMN - n : 0,
			      "", name);
	else
		n += snprintf(buf + at, len - at, "\n");
	return n;
}
