/*
 * sched_affinity.c - where a task may run and where it runs:
 * sched_setaffinity, sched_getaffinity and getcpu (Linux's ABI), and the
 * Cpus_allowed lines of /proc/<pid>/status.
 *
 * An affinity mask is one unsigned long, a bit per CPU (NR_CPUS = 8):
 * Linux's cpumask_size() is then 8 bytes.  sched_setaffinity reads
 * min(len, 8) bytes (a shorter mask is zero-extended), then finds the task
 * (pid 0: the caller), then refuses a mask with no online CPU: -EFAULT,
 * -ESRCH, -EINVAL, Linux's order.  A task running on a CPU it may no
 * longer use moves at once when it is the caller (it reschedules before
 * the call returns, so getcpu() right after answers an allowed CPU) and at
 * its next return to user mode otherwise (its CPU gets a reschedule IPI).
 * sched_getaffinity checks len first (at least nr_cpu_ids bits, a multiple
 * of sizeof(long): -EINVAL), then the task (-ESRCH), then copies
 * min(len, 8) bytes of the mask limited to the online CPUs (-EFAULT) and
 * returns that byte count, as Linux's system call does (glibc zeroes the
 * rest of its cpu_set_t).  getcpu stores the CPU and node 0 where asked;
 * foliOS has no vDSO, so glibc's and musl's sched_getcpu() come here.
 */
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include <uapi/errno.h>

/* find_process_by_pid: 0 is the caller; zombies too, as Linux's. */
static struct task_struct *find_process_by_pid(int pid)
{
	return pid ? find_task_by_vpid(pid) : current;
}

SYSCALL_DEFINE3(sched_setaffinity, int, pid, unsigned int, len, const unsigned long __user *, user_mask_ptr)
{
	unsigned long mask = 0;
	struct task_struct *t;

	if (copy_from_user(&mask, user_mask_ptr, min((size_t)len, sizeof(mask))))
		return -EFAULT;
	t = find_process_by_pid(pid);
	if (!t)
		return -ESRCH;
	return set_cpus_allowed(t, mask);
}

SYSCALL_DEFINE3(sched_getaffinity, int, pid, unsigned int, len, unsigned long __user *, user_mask_ptr)
{
	size_t retlen = min((size_t)len, sizeof(unsigned long));
	struct task_struct *t;
	unsigned long mask;

	if ((size_t)len * 8 < nr_cpu_ids || (len & (sizeof(unsigned long) - 1)))
		return -EINVAL;
	t = find_process_by_pid(pid);
	if (!t)
		return -ESRCH;
	mask = READ_ONCE(t->cpus_allowed) & cpu_online_mask();
	return copy_to_user(user_mask_ptr, &mask, retlen) ? -EFAULT : (long)retlen;
}

SYSCALL_DEFINE3(getcpu, unsigned int __user *, cpup, unsigned int __user *, nodep, void __user *, unused)
{
	unsigned int cpu = smp_processor_id();
	int err = 0;

	(void)unused;	/* Linux's tcache argument, ignored since 2.6.24 */
	if (cpup)
		err |= put_user(cpu, cpup);
	if (nodep)
		err |= put_user(0U, nodep);
	return err ? -EFAULT : 0;
}

int cpumask_print(char *buf, size_t len, unsigned long mask, bool list)
{
	int n = 0;

	mask &= (1UL << nr_cpu_ids) - 1;
	if (!list)	/* Linux's %*pb: hex, one digit per 4 possible CPUs */
		return snprintf(buf, len, "%0*lx", (int)((nr_cpu_ids + 3) / 4), mask);
	buf[0] = 0;
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {	/* %*pbl: "0-2,5" */
		unsigned int last = cpu;

		if (!(mask & (1UL << cpu)))
			continue;
		while (last + 1 < nr_cpu_ids && (mask & (1UL << (last + 1))))
			last++;
		if (last > cpu)
			n += snprintf(buf + n, len - n, "%s%u-%u", n ? "," : "", cpu, last);
		else
			n += snprintf(buf + n, len - n, "%s%u", n ? "," : "", cpu);
		cpu = last;
	}
	return n;
}
