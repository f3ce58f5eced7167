/*
 * mincore.c - mincore(2): which pages of a range are resident, one byte
 * per page (bit 0), as Linux's mm/mincore.c: a page mapped by a PTE or a
 * PMD block (the shared zero page too) is 1, and so is one the shmem
 * object of the VMA holds (mm/shmem.c: after MADV_DONTNEED, or touched
 * through another mapping or the fd); an anonymous page never touched or
 * dropped (MADV_DONTNEED, reclaimed) is 0 (there is no swap to look into).  Checks in Linux's order: start unaligned
 * -EINVAL; the range beyond the user address space -ENOMEM; vec -EFAULT;
 * then an address in no VMA -ENOMEM, after the bytes of the pages before
 * it were written.  As Linux, each batch is looked up under mmap_lock and
 * copied out without it (a fault on vec takes the lock).
 */
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "mm/shmem.h"
#include "mm/vma.h"
#include <uapi/errno.h>

#define MINCORE_BATCH	256	/* vector bytes written per copy_to_user */

/* addr's byte: mapped, or (Linux's mincore_page) held by the shmem object the VMA maps. */
static unsigned char mincore_one(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr)
{
	if (page_populated(mm, addr, false))
		return 1;
	return vma->vm_shmem &&
	       shmem_find_folio(vma->vm_shmem, vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT));
}

SYSCALL_DEFINE3(mincore, unsigned long, start, size_t, len, unsigned char __user *, vec)
{
	struct mm_struct *mm = current->mm;
	unsigned char buf[MINCORE_BATCH];
	unsigned long pages;
	long ret = 0;

	if (start & ~PAGE_MASK)
		return -EINVAL;
	if (len > TASK_SIZE || start > TASK_SIZE - len)
		return -ENOMEM;
	pages = (len >> PAGE_SHIFT) + ((len & ~PAGE_MASK) != 0);
	if (!access_ok(vec, pages))
		return -EFAULT;
	while (pages) {
		unsigned long n = min(pages, (unsigned long)MINCORE_BATCH), i;
		bool locked;

		mmap_write_lock(mm);
		locked = shmem_lock_range(mm, start, start + (n << PAGE_SHIFT));	/* the objects' tables */
		for (i = 0; i < n; i++) {
			unsigned long addr = start + (i << PAGE_SHIFT);
			struct vm_area_struct *vma = vma_lookup(mm, addr);

			if (!vma)
				break;
			buf[i] = mincore_one(mm, vma, addr);
		}
		shmem_unlock_range(locked);
		mmap_write_unlock(mm);
		if (i && copy_to_user(vec, buf, i)) {
			ret = -EFAULT;
			break;
		}
		if (i < n) {
			ret = -ENOMEM;
			break;
		}
		vec += n;
		start += n << PAGE_SHIFT;
		pages -= n;
	}
	return ret;
}
