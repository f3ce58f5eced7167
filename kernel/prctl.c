/*
 * prctl.c - prctl(2): the options foliOS implements, with Linux's checks.
 *   PR_SET_NAME / PR_GET_NAME   the task's comm (16 bytes with the NUL).
 *   PR_SET_THP_DISABLE / PR_GET_THP_DISABLE  MMF_DISABLE_THP on the mm: while
 *       set, the anonymous order policy allows order 0 only
 *       (mm/anon_order.c), so no large folio or PMD block is made; kept
 *       by fork and execve, as Linux (MMF_INIT_MASK).
 *   PR_SET_MDWE / PR_GET_MDWE  memory-deny-write-execute: MMF_HAS_MDWE makes
 *       mmap and mprotect refuse a writable and executable mapping and one
 *       that gains PROT_EXEC (-EACCES, mm/mmap.c); kept by fork and execve
 *       unless PR_MDWE_NO_INHERIT; once set it cannot change (-EPERM).
 * Every other option is -EINVAL, as Linux's answer to an unknown one.
 *
 * prctl runs without the big kernel lock (kernel/syscall.c): the mm options
 * change mm->flags under mmap_lock taken for writing (Linux's
 * PR_SET_THP_DISABLE does so too; the fault path reads the word once, under
 * the read lock), and the name options take the big kernel lock, which
 * /proc's readers of another task's comm hold.
 */
#include "kernel/sched.h"
#include "kernel/smp_lock.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "mm/mm_types.h"
#include <uapi/errno.h>
#include <uapi/prctl.h>

/* The PR_MDWE_* bits the current mm has. */
static long prctl_get_mdwe(void)
{
	unsigned long flags = current->mm->flags;

	return (flags & MMF_HAS_MDWE ? PR_MDWE_REFUSE_EXEC_GAIN : 0) |
	       (flags & MMF_HAS_MDWE_NO_INHERIT ? PR_MDWE_NO_INHERIT : 0);
}

/*
 * Linux's prctl_set_mdwe: spare arguments and unknown bits -EINVAL,
 * NO_INHERIT only beside REFUSE_EXEC_GAIN (-EINVAL), and once set the bits
 * can only be set again as they are (-EPERM).
 */
static long prctl_set_mdwe(unsigned long bits, unsigned long arg3, unsigned long arg4, unsigned long arg5)
{
	long cur;

	if (arg3 || arg4 || arg5)
		return -EINVAL;
	if (bits & ~(PR_MDWE_REFUSE_EXEC_GAIN | PR_MDWE_NO_INHERIT))
		return -EINVAL;
	if ((bits & PR_MDWE_NO_INHERIT) && !(bits & PR_MDWE_REFUSE_EXEC_GAIN))
		return -EINVAL;
	mmap_write_lock(current->mm);
	cur = prctl_get_mdwe();
	if (!cur || (unsigned long)cur == bits) {
		if (bits & PR_MDWE_REFUSE_EXEC_GAIN)
			current->mm->flags |= MMF_HAS_MDWE;
		if (bits & PR_MDWE_NO_INHERIT)
			current->mm->flags |= MMF_HAS_MDWE_NO_INHERIT;
	}
	mmap_write_unlock(current->mm);
	return cur && (unsigned long)cur != bits ? -EPERM : 0;
}

SYSCALL_DEFINE5(prctl, int, option, unsigned long, arg2, unsigned long, arg3, unsigned long, arg4,
		unsigned long, arg5)
{
	char comm[TASK_COMM_LEN];
	long n;

	switch (option) {
	case PR_SET_NAME:
		/* Linux copies at most 15 bytes: a longer name is cut, not refused. */
		n = strncpy_from_user(comm, (const char __user *)arg2, sizeof(comm) - 1);
		if (n == -ENAMETOOLONG)
			n = sizeof(comm) - 1;
		else if (n < 0)
			return -EFAULT;
		comm[n] = '\0';
		lock_kernel();
		memcpy(current->comm, comm, sizeof(comm));
		unlock_kernel();
		return 0;
	case PR_GET_NAME:
		lock_kernel();
		memcpy(comm, current->comm, sizeof(comm));
		unlock_kernel();
		return copy_to_user((void __user *)arg2, comm, sizeof(comm)) ? -EFAULT : 0;
	case PR_SET_THP_DISABLE:
		if (arg3 || arg4 || arg5)
			return -EINVAL;
		mmap_write_lock(current->mm);
		if (arg2)
			current->mm->flags |= MMF_DISABLE_THP;
		else
			current->mm->flags &= ~MMF_DISABLE_THP;
		mmap_write_unlock(current->mm);
		return 0;
	case PR_GET_THP_DISABLE:
		if (arg2 || arg3 || arg4 || arg5)
			return -EINVAL;
		return (current->mm->flags & MMF_DISABLE_THP) != 0;
	case PR_SET_MDWE:
		return prctl_set_mdwe(arg2, arg3, arg4, arg5);
	case PR_GET_MDWE:
		if (arg2 || arg3 || arg4 || arg5)
			return -EINVAL;
		return prctl_get_mdwe();
	default:
		return -EINVAL;
	}
}
