/*
 * madvise.c - madvise(2) with Linux's argument checks.
 *
 * MADV_DONTNEED drops the pages of private anonymous memory (the next
 * access sees zeros).  MADV_HUGEPAGE / MADV_NOHUGEPAGE set the VMA flags the
 * large-folio policy reads (splitting VMAs at the range's edges).
 * MADV_POPULATE_READ / MADV_POPULATE_WRITE fault the range in as reads or
 * writes through the normal fault path (so writes get the same folio
 * orders as touching the memory would); -EINVAL when the VMA does not allow
 * that access, as Linux.
 * NORMAL/RANDOM/SEQUENTIAL/WILLNEED are accepted hints with nothing to do.
 * Other advice is -EINVAL until implemented.  A range with unmapped holes
 * is applied to the mapped parts and returns -ENOMEM.
 */
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "mm/vma.h"
#include <uapi/errno.h>
#include <uapi/mman.h>

static bool madvise_behavior_valid(int behavior)
{
	switch (behavior) {
	case MADV_NORMAL:
	case MADV_RANDOM:
	case MADV_SEQUENTIAL:
	case MADV_WILLNEED:
	case MADV_DONTNEED:
	case MADV_HUGEPAGE:
	case MADV_NOHUGEPAGE:
	case MADV_POPULATE_READ:
	case MADV_POPULATE_WRITE:
		return true;
	default:
		return false;
	}
}

/* MADV_HUGEPAGE sets VM_HUGEPAGE and clears VM_NOHUGEPAGE; MADV_NOHUGEPAGE the reverse. */
static int madvise_hugepage(struct vm_area_struct *vma, unsigned long start, unsigned long end,
			    int behavior)
{
	unsigned long set = behavior == MADV_HUGEPAGE ? VM_HUGEPAGE : VM_NOHUGEPAGE;
	unsigned long clear = behavior == MADV_HUGEPAGE ? VM_NOHUGEPAGE : VM_HUGEPAGE;
	unsigned long newflags = (vma->vm_flags & ~clear) | set;

	if (newflags == vma->vm_flags)
		return 0;
	vma = vma_isolate(vma, start, end);
	if (!vma)
		return -EAGAIN;	/* Linux's answer when a split cannot allocate */
	vma->vm_flags = newflags;
	vma_merge_neighbours(vma);
	return 0;
}

static int madvise_populate(struct vm_area_struct *vma, unsigned long start, unsigned long end,
			    int behavior)
{
	bool write = behavior == MADV_POPULATE_WRITE;

	if (!(vma->vm_flags & (write ? VM_WRITE : VM_READ)))
		return -EINVAL;
	return populate_range(vma->vm_mm, start, end, write);
}

/* Apply behavior to [start, end) of one VMA. */
static int madvise_vma(struct vm_area_struct *vma, unsigned long start, unsigned long end,
		       int behavior)
{
	switch (behavior) {
	case MADV_DONTNEED:
		zap_page_range(vma, start, end);
		return 0;
	case MADV_HUGEPAGE:
	case MADV_NOHUGEPAGE:
		return madvise_hugepage(vma, start, end, behavior);
	case MADV_POPULATE_READ:
	case MADV_POPULATE_WRITE:
		return madvise_populate(vma, start, end, behavior);
	default:
		return 0;
	}
}

SYSCALL_DEFINE3(madvise, unsigned long, start, size_t, len_in, int, behavior)
{
	struct mm_struct *mm = current->mm;
	unsigned long end, len, addr;
	int ret = 0;

	if (start & ~PAGE_MASK)
		return -EINVAL;
	if (!madvise_behavior_valid(behavior))
		return -EINVAL;
	len = ALIGN(len_in, PAGE_SIZE);
	if (len_in && !len)
		return -EINVAL;
	end = start + len;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	mmap_write_lock(mm);
	for (addr = start; addr < end; ) {
		struct vm_area_struct *vma = find_vma(mm, addr);
		unsigned long next;
		int err;

		if (!vma || vma->vm_start >= end) {
			ret = -ENOMEM;
			break;
		}
		if (vma->vm_start > addr)
			ret = -ENOMEM;	/* a hole before this VMA */
		next = min(end, vma->vm_end);
		err = madvise_vma(vma, max(addr, vma->vm_start), next, behavior);
		if (err) {
			ret = err;
			break;
		}
		addr = next;
	}
	mmap_write_unlock(mm);
	return ret;
}
