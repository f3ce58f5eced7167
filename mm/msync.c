/*
 * msync.c - msync(2).  foliOS has anonymous memory only, which has no
 * backing store to write to: msync checks its arguments and the range as
 * Linux's mm/msync.c does and returns.  -EINVAL for unknown flags, an
 * unaligned start, or MS_ASYNC with MS_SYNC; -ENOMEM for a range that
 * wraps, or with unmapped parts (MS_SYNC alone stops at the first hole,
 * other flags look at the whole range first); -EBUSY for MS_INVALIDATE
 * over a VM_LOCKED VMA.  Length 0 is 0.
 */
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "mm/vma.h"
#include <uapi/errno.h>
#include <uapi/mman.h>

SYSCALL_DEFINE3(msync, unsigned long, start, size_t, len, int, flags)
{
	struct mm_struct *mm = current->mm;
	int unmapped_error = 0, error;
	unsigned long end;

	if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC))
		return -EINVAL;
	if (start & ~PAGE_MASK)
		return -EINVAL;
	if ((flags & MS_ASYNC) && (flags & MS_SYNC))
		return -EINVAL;
	len = ALIGN(len, PAGE_SIZE);
	end = start + len;
	if (end < start)
		return -ENOMEM;
	if (end == start)
		return 0;
	mmap_write_lock(mm);
	for (struct vm_area_struct *vma = find_vma(mm, start); ; vma = find_vma(mm, start)) {
		error = -ENOMEM;
		if (!vma)
			break;
		if (start < vma->vm_start) {
			if (flags == MS_SYNC)
				break;
			start = vma->vm_start;
			if (start >= end)
				break;
			unmapped_error = -ENOMEM;
		}
		if ((flags & MS_INVALIDATE) && (vma->vm_flags & VM_LOCKED)) {
			error = -EBUSY;
			break;
		}
		start = vma->vm_end;
		error = 0;
		if (start >= end)
			break;
	}
	mmap_write_unlock(mm);
	return error ? error : unmapped_error;
}
