/*
 * resource.c - resource limits: getrlimit, setrlimit and prlimit64 with
 * Linux's checks (do_prlimit), and the limits a process starts with.
 *
 * Each task holds its own array (Linux keeps it in signal_struct, shared by
 * threads; foliOS has one thread per process); fork copies it, execve keeps
 * it.  Enforced where Linux enforces them:
 *   RLIMIT_AS, RLIMIT_DATA  mmap and brk (mm/mmap.c: may_expand_vm);
 *   RLIMIT_STACK            stack growth (mm->stack_limit, set here and at execve);
 *   RLIMIT_MEMLOCK          mlock, mlock2, mlockall, MAP_LOCKED (mm/mlock.c);
 *   RLIMIT_NOFILE           every new descriptor (kernel/fd.c: -EMFILE; dup2/dup3 -EBADF).
 * The others are stored and reported only.
 *
 * Privilege: every foliOS process is root, and Linux lets CAP_SYS_RESOURCE
 * raise a hard limit, so foliOS allows it too; but the limits themselves
 * bind every process, as for a Linux process without CAP_IPC_LOCK (see
 * mm/mlock.c).  The descriptor table has NR_OPEN_DEFAULT slots, which plays
 * Linux's fs.nr_open: a RLIMIT_NOFILE hard limit above it is -EPERM.
 */
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "kernel/vfs.h"
#include "mm/mm_types.h"
#include <uapi/errno.h>
#include <uapi/resource.h>

#define MLOCK_LIMIT	(8UL << 20)	/* Linux's default RLIMIT_MEMLOCK (5.16+) */
#define STACK_LIM	(8UL << 20)	/* Linux's _STK_LIM */
#define MQ_BYTES_MAX	819200UL

void rlimits_init(struct task_struct *t)
{
	for (unsigned int r = 0; r < RLIM_NLIMITS; r++)
		t->rlim[r] = (struct rlimit){ RLIM_INFINITY, RLIM_INFINITY };
	t->rlim[RLIMIT_STACK].rlim_cur = STACK_LIM;
	t->rlim[RLIMIT_CORE].rlim_cur = 0;
	t->rlim[RLIMIT_NOFILE] = (struct rlimit){ NR_OPEN_DEFAULT, NR_OPEN_DEFAULT };
	t->rlim[RLIMIT_MEMLOCK] = (struct rlimit){ MLOCK_LIMIT, MLOCK_LIMIT };
	t->rlim[RLIMIT_MSGQUEUE] = (struct rlimit){ MQ_BYTES_MAX, MQ_BYTES_MAX };
	t->rlim[RLIMIT_NICE] = (struct rlimit){ 0, 0 };
	t->rlim[RLIMIT_RTPRIO] = (struct rlimit){ 0, 0 };
}

/*
 * Linux's do_prlimit: report t's limit of resource in *old (if given), then
 * set it to *new (if given).  -EINVAL for an unknown resource or a soft
 * limit above the hard one, -EPERM for a NOFILE hard limit above the table.
 */
static int do_prlimit(struct task_struct *t, unsigned int resource, const struct rlimit *new,
		      struct rlimit *old)
{
	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	if (new) {
		if (new->rlim_cur > new->rlim_max)
			return -EINVAL;
		if (resource == RLIMIT_NOFILE && new->rlim_max > NR_OPEN_DEFAULT)
			return -EPERM;
	}
	if (old)
		*old = t->rlim[resource];
	if (new) {
		t->rlim[resource] = *new;
		if (resource == RLIMIT_STACK && t->mm)
			t->mm->stack_limit = new->rlim_cur;
	}
	return 0;
}

SYSCALL_DEFINE2(getrlimit, unsigned int, resource, struct rlimit __user *, rlim)
{
	struct rlimit value;
	int ret = do_prlimit(current, resource, NULL, &value);

	if (!ret && copy_to_user(rlim, &value, sizeof(value)))
		ret = -EFAULT;
	return ret;
}

SYSCALL_DEFINE2(setrlimit, unsigned int, resource, const struct rlimit __user *, rlim)
{
	struct rlimit new;

	if (copy_from_user(&new, rlim, sizeof(new)))
		return -EFAULT;
	return do_prlimit(current, resource, &new, NULL);
}

/* Linux's order: read the new limit, find the task, set, then write the old one out. */
SYSCALL_DEFINE4(prlimit64, int, pid, unsigned int, resource, const struct rlimit __user *, new_rlim,
		struct rlimit __user *, old_rlim)
{
	struct rlimit new, old;
	struct task_struct *t = current;
	int ret;

	if (new_rlim && copy_from_user(&new, new_rlim, sizeof(new)))
		return -EFAULT;
	if (pid && !(t = find_task(pid)))
		return -ESRCH;
	ret = do_prlimit(t, resource, new_rlim ? &new : NULL, old_rlim ? &old : NULL);
	if (!ret && old_rlim && copy_to_user(old_rlim, &old, sizeof(old)))
		ret = -EFAULT;
	return ret;
}
