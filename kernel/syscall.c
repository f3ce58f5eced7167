/*
 * syscall.c - system-call dispatch through the arch's table (see syscall.h).
 *
 * Every call runs holding the big kernel lock (kernel/smp_lock.h) but the
 * ones in unlocked_calls: the few that read only the caller's own identity
 * or its CPU, or only ask for a reschedule, and the address-space calls,
 * which run under mmap_lock and mm/'s own locks and take the big kernel
 * lock themselves for the part that reaches state it guards (an fd, a
 * shmem object, the task's name: docs/smp.md, "The mm calls without the
 * big kernel lock").
 */
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/smp_lock.h"
#include "kernel/syscalls.h"
#include "mm/foliotrace.h"
#include <uapi/errno.h>

/* The calls that need no big kernel lock around them (above). */
static const syscall_fn_t unlocked_calls[] = {
	sys_getpid, sys_gettid, sys_getcpu, sys_sched_yield,
	sys_mmap, sys_munmap, sys_mprotect, sys_madvise, sys_mremap, sys_brk, sys_mincore, sys_msync,
	sys_mlock, sys_mlock2, sys_munlock, sys_mlockall, sys_munlockall, sys_prctl,
};

static bool needs_kernel_lock(syscall_fn_t fn)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(unlocked_calls); i++)
		if (fn == unlocked_calls[i])
			return false;
	return true;
}

long do_syscall(unsigned long nr, const struct syscall_args *args)
{
	bool locked;
	long ret;

	if (nr >= nr_syscalls || !syscall_table[nr]) {
		pr_debug("pid %d (%s): unknown system call %lu\n", current->pid, current->comm, nr);
		return -ENOSYS;
	}
	locked = needs_kernel_lock(syscall_table[nr]);
	if (locked)
		lock_kernel();
	ret = syscall_table[nr](args);
	if (foliotrace_on())
		foliotrace_syscall(nr, args, ret);
	if (locked)
		unlock_kernel();
	return ret;
}
