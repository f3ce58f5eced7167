/*
 * mlock.c - mlock, mlock2, munlock, mlockall, munlockall (Linux's mm/mlock.c).
 *
 * A locked range is a VMA flag: VM_LOCKED, with VM_LOCKONFAULT for
 * MLOCK_ONFAULT / MCL_ONFAULT.  Locking without ONFAULT faults the range
 * in at once (mlock_populate); with it the pages come as they are touched.
 * Either way reclaim leaves the pages of a VM_LOCKED VMA alone (mm/vmscan.c
 * checks the mappings of each folio it would free: Linux's unevictable idea,
 * without an unevictable list: foliOS reclaims only lazyfree folios, so the
 * check is on that one path).  mlockall(MCL_FUTURE) puts the flags in
 * mm->def_flags, which mmap and brk give every new VMA.  Neither fork's
 * child (its VMAs lose VM_LOCKED_MASK: mm/vma.c dup_mmap) nor execve keep
 * a lock, as Linux.
 *
 * RLIMIT_MEMLOCK: foliOS has no capabilities.  Linux's CAP_IPC_LOCK would
 * let root ignore the limit; foliOS enforces it for every process, as
 * Linux does for one without CAP_IPC_LOCK: a limit of 0 makes mlock and
 * mlockall -EPERM, a request beyond it -ENOMEM (mmap(MAP_LOCKED) -EAGAIN).
 * The locked amount is counted from the VMAs when asked (mm_locked_vm):
 * splits, merges, munmap and fork keep it right with nothing to update.
 */
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "mm/mlock.h"
#include "mm/shmem.h"
#include "mm/vma.h"
#include <uapi/errno.h>
#include <uapi/mman.h>

unsigned long mm_locked_vm(const struct mm_struct *mm)
{
	return vma_pages_matching(mm, 0, TASK_SIZE, VM_LOCKED, VM_LOCKED);
}

bool mlock_future_ok(const struct mm_struct *mm, unsigned long flags, unsigned long len)
{
	if (!(flags & VM_LOCKED))
		return true;
	return (len >> PAGE_SHIFT) + mm_locked_vm(mm) <= rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;
}

bool can_do_mlock(void)
{
	return rlimit(RLIMIT_MEMLOCK) != 0;
}

int mlock_populate(struct mm_struct *mm, unsigned long start, unsigned long end, bool ignore_errors)
{
	for (unsigned long addr = start; addr < end; ) {
		struct vm_area_struct *vma = find_vma(mm, addr);
		unsigned long next;
		int err = 0;

		if (!vma || vma->vm_start >= end)
			break;
		addr = max(addr, vma->vm_start);
		next = min(end, vma->vm_end);
		if ((vma->vm_flags & VM_LOCKED_MASK) == VM_LOCKED) {
			err = (vma->vm_flags & VM_ACCESS_FLAGS) ?
			      populate_range(mm, addr, next, vma->vm_flags & VM_WRITE) : -EFAULT;
		}
		if (err && !ignore_errors)
			return err == -ENOMEM ? -EAGAIN : -ENOMEM;
		addr = next;
	}
	return 0;
}

/*
 * Linux's apply_vma_lock_flags: set the VM_LOCKED_MASK bits of every VMA
 * in [start, end) to flags.  start must be inside a VMA; a hole further on
 * is -ENOMEM after the VMAs before it changed (as Linux).
 */
static int apply_vma_lock_flags(struct mm_struct *mm, unsigned long start, unsigned long end,
				unsigned long flags)
{
	struct vm_area_struct *vma = vma_lookup(mm, start);
	unsigned long addr = start;

	if (!vma)
		return -ENOMEM;
	while (addr < end) {
		unsigned long next = min(end, vma->vm_end);

		vma = vma_modify_flags(vma, addr, next, (vma->vm_flags & ~VM_LOCKED_MASK) | flags);
		if (!vma)
			return -ENOMEM;
		addr = next;
		if (addr >= end)
			break;
		vma = vma_lookup(mm, addr);
		if (!vma)
			return -ENOMEM;
	}
	return 0;
}

/*
 * Linux's do_mlock (flags VM_LOCKED ...) and munlock (flags 0) after their
 * own checks: the range rounded out to pages (start need not be aligned),
 * -EINVAL when it wraps; for locking, the RLIMIT_MEMLOCK check counts the
 * part already locked once (-ENOMEM beyond), then the range is populated.
 */
static long mlock_apply(unsigned long start, size_t len, unsigned long flags)
{
	struct mm_struct *mm = current->mm;
	unsigned long end, locked, lock_limit = rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;
	bool shmem_locked;
	long err;

	len = ALIGN(len + (start & ~PAGE_MASK), PAGE_SIZE);
	start &= PAGE_MASK;
	end = start + len;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	mmap_write_lock(mm);
	shmem_locked = shmem_lock_range(mm, start, end);
	locked = (len >> PAGE_SHIFT) + mm_locked_vm(mm);
	if (flags && locked > lock_limit)
		locked -= vma_pages_matching(mm, start, end, VM_LOCKED, VM_LOCKED);
	err = !flags || locked <= lock_limit ? apply_vma_lock_flags(mm, start, end, flags) : -ENOMEM;
	if (!err && flags)
		err = mlock_populate(mm, start, end, false);
	shmem_unlock_range(shmem_locked);
	mmap_write_unlock(mm);
	return err;
}

SYSCALL_DEFINE2(mlock, unsigned long, start, size_t, len)
{
	if (!can_do_mlock())
		return -EPERM;
	return mlock_apply(start, len, VM_LOCKED);
}

SYSCALL_DEFINE3(mlock2, unsigned long, start, size_t, len, int, flags)
{
	if (flags & ~MLOCK_ONFAULT)
		return -EINVAL;
	if (!can_do_mlock())
		return -EPERM;
	return mlock_apply(start, len, VM_LOCKED | ((flags & MLOCK_ONFAULT) ? VM_LOCKONFAULT : 0));
}

SYSCALL_DEFINE2(munlock, unsigned long, start, size_t, len)
{
	return mlock_apply(start, len, 0);
}

/*
 * Linux's apply_mlockall_flags: MCL_FUTURE (and MCL_ONFAULT) go into
 * def_flags; MCL_CURRENT sets the lock bits of every VMA (a split that
 * cannot allocate leaves that VMA as it was: Linux ignores the error too).
 * flags 0 (munlockall) clears both.
 */
static void apply_mlockall_flags(struct mm_struct *mm, int flags)
{
	unsigned long lock = VM_LOCKED | ((flags & MCL_ONFAULT) ? VM_LOCKONFAULT : 0);
	unsigned long to_add = (flags & MCL_CURRENT) ? lock : 0;
	struct list_head *pos;

	mm->def_flags &= ~VM_LOCKED_MASK;
	if (flags & MCL_FUTURE) {
		mm->def_flags |= lock;
		if (!(flags & MCL_CURRENT))
			return;
	}
	for (pos = mm->mmap.next; pos != &mm->mmap; ) {
		struct vm_area_struct *vma = list_entry(pos, struct vm_area_struct, vm_list);
		struct vm_area_struct *now = vma_modify_flags(vma, vma->vm_start, vma->vm_end,
							      (vma->vm_flags & ~VM_LOCKED_MASK) | to_add);

		pos = (now ? now : vma)->vm_list.next;
	}
}

SYSCALL_DEFINE1(mlockall, int, flags)
{
	struct mm_struct *mm = current->mm;
	long err = -ENOMEM;
	bool locked;

	if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) || flags == MCL_ONFAULT)
		return -EINVAL;
	if (!can_do_mlock())
		return -EPERM;
	mmap_write_lock(mm);
	locked = shmem_lock_range(mm, 0, TASK_SIZE);
	if (!(flags & MCL_CURRENT) ||
	    vma_pages_matching(mm, 0, TASK_SIZE, 0, 0) <= rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT) {
		apply_mlockall_flags(mm, flags);
		err = 0;
	}
	/* Linux populates what MCL_CURRENT locked and ignores what cannot be (PROT_NONE ...). */
	if (!err && (flags & MCL_CURRENT))
		(void)mlock_populate(mm, 0, TASK_SIZE, true);
	shmem_unlock_range(locked);
	mmap_write_unlock(mm);
	return err;
}

SYSCALL_DEFINE0(munlockall)
{
	struct mm_struct *mm = current->mm;
	bool locked;

	mmap_write_lock(mm);
	locked = shmem_lock_range(mm, 0, TASK_SIZE);
	apply_mlockall_flags(mm, 0);
	shmem_unlock_range(locked);
	mmap_write_unlock(mm);
	return 0;
}
