/*
 * fault.c - the page-fault entry.  arch/'s trap handlers hand every fault on
 * a user address (from user mode, or from a uaccess instruction) to
 * fault_user_address(); do_page_fault() is the generic part: find the VMA
 * (growing a stack VMA down to the address), check the access against the
 * VMA's protection, let handle_mm_fault() (memory.c) map or copy, and count
 * one fault.
 *
 * Signals: a fault no VMA allows comes back to the arch handler, which
 * raises SIGSEGV (kernel/signal.h's force_sig_fault: a handler may run) with
 * fault_si_code()'s si_code and its own decoding of the cause.  A page
 * past the end of a shmem object (VM_FAULT_SIGBUS, mm/shmem.c) raises
 * SIGBUS with BUS_ADRERR here; a uaccess there fails (-EFAULT).  Running out of memory
 * is dealt with inside the fault's allocation: reclaim, then the OOM killer
 * (mm/oom_kill.c), which kills the largest process and frees its memory so
 * the fault goes on.  A fault still fails with VM_FAULT_OOM when the OOM
 * killer chose the faulting task itself, or when a kernel allocation (a
 * page table) failed: a user-mode fault then kills the task with SIGKILL
 * here (kernel/signal.c's force_fatal_signal).
 *
 * Locking: the fault takes mmap_lock for reading (Linux's
 * lock_mm_and_find_vma), so the faults of several tasks of one mm run at
 * once; handle_mm_fault() and everything below it is correct under that
 * (docs/smp.md, "Locks": the PTE-table lock orders PTE changes, missing
 * tables are installed under page_table_lock with a re-check).  Growing a
 * stack changes its VMA, so that fault trades the read lock for the write
 * lock, looks again, grows, and downgrades.  Lock order
 * (kernel/spinlock.h): mmap_lock before everything memory.c takes.
 */
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "mm/overcommit.h"
#include "mm/rmap.h"
#include "mm/vma.h"
#include "mm/vmstat.h"

/* Does vma allow this access? */
static bool access_allowed(const struct vm_area_struct *vma, unsigned int flags)
{
	if (flags & FAULT_FLAG_WRITE)
		return vma->vm_flags & VM_WRITE;
	if (flags & FAULT_FLAG_INSTRUCTION)
		return vma->vm_flags & VM_EXEC;
	return vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC);
}

/*
 * Grow a VM_GROWSDOWN vma down to cover addr, within the stack limit; the
 * growth of an accounted stack is charged last (Linux's acct_stack_growth;
 * Linux charges it even for a stack without VM_ACCOUNT, which munmap then
 * never gives back: foliOS charges only what it will uncharge).
 */
static bool expand_stack(struct vm_area_struct *vma, unsigned long addr)
{
	struct mm_struct *mm = vma->vm_mm;
	struct vm_area_struct *prev;
	unsigned long start = ALIGN_DOWN(addr, PAGE_SIZE);
	struct anon_vma *tree;

	mmap_assert_write_locked(mm);
	if (!(vma->vm_flags & VM_GROWSDOWN) || vma->vm_end - start > mm->stack_limit)
		return false;
	prev = find_vma(mm, start - 1);
	if (prev != vma && prev && prev->vm_end > start - PAGE_SIZE)
		return false;	/* keep a guard page below the stack */
	if ((vma->vm_flags & VM_ACCOUNT) && vm_enough_memory(mm, (long)((vma->vm_start - start) >> PAGE_SHIFT)))
		return false;
	vm_stat_account(mm, (long)((vma->vm_start - start) >> PAGE_SHIFT));
	tree = vma_rmap_lock(vma);	/* rmap walks read the two together */
	vma->vm_pgoff -= (vma->vm_start - start) >> PAGE_SHIFT;
	vma->vm_start = start;
	vma_rmap_unlock(tree);
	return true;
}

/*
 * Take mmap_lock for reading and find the VMA for addr, growing a stack
 * down to it (Linux's lock_mm_and_find_vma): the growth needs the write
 * lock, so the read lock is dropped, the write lock taken, the lookup
 * done again (the VMAs may have changed in between) and the write lock
 * downgraded.  Returns the VMA, or NULL; mmap_lock is held for reading
 * either way.
 */
static struct vm_area_struct *lock_mm_and_find_vma(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;

	mmap_read_lock(mm);
	vma = find_vma(mm, addr);
	if (!vma || addr >= vma->vm_start)
		return vma;
	if (!(vma->vm_flags & VM_GROWSDOWN))
		return NULL;
	mmap_read_unlock(mm);
	mmap_write_lock(mm);
	vma = find_vma(mm, addr);
	if (vma && addr < vma->vm_start && !expand_stack(vma, addr))
		vma = NULL;
	mmap_write_downgrade(mm);
	return vma;
}

int do_page_fault(unsigned long addr, unsigned int flags)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	int ret = VM_FAULT_SIGSEGV;

	if (!mm || addr >= TASK_SIZE)
		return VM_FAULT_SIGSEGV;
	vma = lock_mm_and_find_vma(mm, addr);
	if (vma && access_allowed(vma, flags)) {
		ret = handle_mm_fault(vma, addr, flags);
		current->minflt++;
		count_vm_event(PGFAULT);
	}
	mmap_read_unlock(mm);
	return ret;
}

bool fault_user_address(struct pt_regs *regs, unsigned long addr, unsigned int flags)
{
	int ret = do_page_fault(addr, flags);

	if (ret == VM_FAULT_OOM && user_mode(regs))
		force_fatal_signal(regs, SIGKILL, addr, "out of memory");
	if (ret == VM_FAULT_SIGBUS && user_mode(regs)) {
		/* Linux's do_sigbus: queued (a handler runs on the way out) or fatal now. */
		force_sig_fault(regs, SIGBUS, BUS_ADRERR, addr, "access past the end of a shared memory object");
		return true;
	}
	return ret == VM_FAULT_OK || ret == VM_FAULT_RETRY;	/* retry: the access faults again */
}

int fault_si_code(unsigned long addr)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	int code;

	if (!mm || addr >= TASK_SIZE)
		return SEGV_MAPERR;
	mmap_read_lock(mm);
	vma = find_vma(mm, addr);
	code = vma && vma->vm_start <= addr ? SEGV_ACCERR : SEGV_MAPERR;
	mmap_read_unlock(mm);
	return code;
}
