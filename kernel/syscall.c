/*
 * syscall.c - system-call dispatch through the arch's table (see syscall.h).
 *
 * Every call runs holding the big kernel lock (kernel/smp_lock.h) but the
 * few that read only the caller's own identity or its CPU, or only ask for
 * a reschedule (unlocked_calls).
 */
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/smp_lock.h"
#include "kernel/syscalls.h"
#include "mm/foliotrace.h"
#include <uapi/errno.h>

/* The calls that need no big kernel lock: what they read only the caller changes. */
static const syscall_fn_t unlocked_calls[] = { sys_getpid, sys_gettid, sys_getcpu, sys_sched_yield };

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
