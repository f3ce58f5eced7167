/*
 * prctl.c - prctl(2): the options foliOS implements, with Linux's checks.
 *   PR_SET_NAME / PR_GET_NAME   the task's comm (16 bytes with the NUL).
 *   PR_SET_THP_DISABLE / PR_GET_THP_DISABLE  MMF_DISABLE_THP on the mm: while
 *       set, the anonymous order policy allows order 0 only
 *       (mm/anon_order.c), so no large folio or PMD block is made; kept
 *       by fork and execve, as Linux (MMF_INIT_MASK).
 * Every other option is -EINVAL, as Linux's answer to an unknown one.
 */
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "mm/mm_types.h"
#include <uapi/errno.h>
#include <uapi/prctl.h>

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
		memcpy(current->comm, comm, sizeof(comm));
		return 0;
	case PR_GET_NAME:
		return copy_to_user((void __user *)arg2, current->comm, sizeof(current->comm)) ? -EFAULT : 0;
	case PR_SET_THP_DISABLE:
		if (arg3 || arg4 || arg5)
			return -EINVAL;
		if (arg2)
			current->mm->flags |= MMF_DISABLE_THP;
		else
			current->mm->flags &= ~MMF_DISABLE_THP;
		return 0;
	case PR_GET_THP_DISABLE:
		if (arg2 || arg3 || arg4 || arg5)
			return -EINVAL;
		return (current->mm->flags & MMF_DISABLE_THP) != 0;
	default:
		return -EINVAL;
	}
}
