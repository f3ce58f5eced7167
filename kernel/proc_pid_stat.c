/*
 * proc_pid_stat.c - /proc/<pid>/stat, cmdline and comm: who a process is,
 * in Linux 6.12's formats (fs/proc/array.c do_task_stat, base.c
 * proc_pid_cmdline_read and comm_show/comm_write).
 *
 * - stat: the one line of 52 fields (man 5 proc_pid_stat).  What foliOS
 *   does not have reads as Linux prints it for "none": pgrp, session and
 *   tty 0, tpgid -1, majflt 0, priority 20, nice 0, one thread, no
 *   itrealvalue, kstkesp/kstkeip 0 (Linux's too, outside a core dump),
 *   nswap 0, exit_signal SIGCHLD, processor (the CPU it runs or ran on last),
 *   SCHED_OTHER, no delay accounting or guest time.  Times are in USER_HZ (100) ticks; starttime is from boot;
 *   vsize bytes, rss pages; startstack is the stack's top (foliOS keeps no
 *   initial stack pointer).  The signal fields are decimal, the low 31
 *   signals (Linux: "use status for real-time signals").  wchan is 1 while
 *   the task sleeps.  The code, data, brk, argv and envp bounds are execve's
 *   (0 without an mm); exit_code is the wait status of a zombie.
 * - cmdline: the bytes of argv as execve laid them on the stack, NUL after
 *   each, read from the process's memory (access_remote_vm); empty without
 *   an mm (zombies, kernel threads).
 * - comm: the name and "\n".  A write (only to the writer's own comm, else
 *   -EINVAL, as Linux's same_thread_group check) takes the first 15 bytes
 *   as they are, a newline included, and returns the whole count.
 */
#include "kernel/fs.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "mm/gup.h"
#include "mm/mm.h"
#include "mm/vma.h"
#include <uapi/errno.h>
#include <uapi/time.h>

#define NS_PER_TICK	(1000000000ULL / USER_HZ)
#define STAT_SIG_MASK	0x7fffffffULL	/* the signals stat shows */

static long proc_pid_stat_show(struct task_struct *t, char *buf, size_t len)
{
	struct mm_struct *mm = t->mm;
	unsigned long vsize = 0, rss = 0, code[3] = { 0 }, data[7] = { 0 };
	int ppid = task_ppid_nr(t);
	u64 ign, catch;

	task_sigign_sigcatch(t, &ign, &catch);
	if (mm) {
		mmap_write_lock(mm);
		vsize = mm_total_vm(mm) << PAGE_SHIFT;
		rss = get_mm_counter(mm, MM_ANONPAGES);
		code[0] = mm->start_code;
		code[1] = mm->end_code;
		code[2] = mm->start_stack;
		data[0] = mm->start_data;
		data[1] = mm->end_data;
		data[2] = mm->start_brk;
		data[3] = mm->arg_start;
		data[4] = mm->arg_end;
		data[5] = mm->env_start;
		data[6] = mm->env_end;
		mmap_write_unlock(mm);
	}
	return snprintf(buf, len,
			"%d (%s) %c %d 0 0 0 -1 %u %llu %llu 0 0 %llu %llu %llu %llu 20 0 %d 0 %llu %lu %lu %lu "
			"%lu %lu %lu 0 0 %llu %llu %llu %llu %d 0 0 17 %d 0 0 0 0 0 %lu %lu %lu %lu %lu %lu %lu %d\n",
			t->pid, t->comm, task_state_name(t)[0], ppid, t->flags, t->minflt, t->cminflt,
			t->utime_ns / NS_PER_TICK, t->stime_ns / NS_PER_TICK, t->cutime_ns / NS_PER_TICK,
			t->cstime_ns / NS_PER_TICK, t->signal->nr_threads, t->start_time_ns / NS_PER_TICK, vsize, rss,
			t->rlim[RLIMIT_RSS].rlim_cur, code[0], code[1], code[2],
			(u64)t->sigpending & STAT_SIG_MASK, (u64)t->blocked & STAT_SIG_MASK, ign & STAT_SIG_MASK,
			catch & STAT_SIG_MASK, t->state == TASK_SLEEPING, task_cpu(t), data[0], data[1], data[2], data[3],
			data[4], data[5], data[6], t->state == TASK_ZOMBIE ? t->exit_status : 0);
}

/* raw_read of cmdline: argv's bytes from pos (Linux's get_mm_cmdline without setproctitle's cases). */
static ssize_t proc_pid_cmdline_read(struct task_struct *t, char *buf, size_t count, u64 pos)
{
	struct mm_struct *mm = t->mm;
	unsigned long len;

	if (!mm || mm->arg_end <= mm->arg_start)
		return 0;
	len = mm->arg_end - mm->arg_start;
	if (pos >= len)
		return 0;
	return (ssize_t)access_remote_vm(mm, mm->arg_start + pos, buf, min(count, (size_t)(len - pos)),
					 FOLL_FORCE);
}

static long proc_pid_comm_show(struct task_struct *t, char *buf, size_t len)
{
	return snprintf(buf, len, "%s\n", t->comm);
}

/* Linux's comm_write: the writer's own name only; the first TASK_COMM_LEN - 1 bytes as given. */
static long proc_pid_comm_store(struct task_struct *t, const char *buf, size_t len)
{
	if (t != current)
		return -EINVAL;
	memset(t->comm, 0, sizeof(t->comm));
	memcpy(t->comm, buf, min(len, sizeof(t->comm) - 1));
	return (long)len;
}

void proc_pid_stat_register(void)
{
	proc_pid_file_register("stat", proc_pid_stat_show, NULL);
	proc_pid_file_register_raw("cmdline", proc_pid_cmdline_read, 1);
	proc_pid_file_register("comm", proc_pid_comm_show, proc_pid_comm_store);
}
