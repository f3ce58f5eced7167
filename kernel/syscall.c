/* syscall.c - system-call dispatch through the arch's table (see syscall.h). */
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/syscalls.h"
#include "mm/foliotrace.h"
#include <uapi/errno.h>

long do_syscall(unsigned long nr, const struct syscall_args *args)
{
	if (nr >= nr_syscalls || !syscall_table[nr]) {
		pr_debug("pid %d (%s): unknown system call %lu\n", current->pid, current->comm, nr);
		return -ENOSYS;
	}
	if (foliotrace_on()) {
		long ret = syscall_table[nr](args);

		foliotrace_syscall(nr, args, ret);
		return ret;
	}
	return syscall_table[nr](args);
}
