/*
 * cpu.h - which CPUs a test may use (user/lib/cpu.c): Linux's
 * sched_getaffinity / sched_setaffinity, raw, for tests that want their
 * threads on different CPUs.  A kernel without the calls (-ENOSYS) runs
 * every task wherever it likes: the tests then run unpinned, and say so.
 * They touch no global state (errno included), so threads may call them.
 */
#ifndef _CPU_H
#define _CPU_H

/* CPUs the calling thread may run on (its affinity mask's population), 1 on -ENOSYS. */
int cpus_allowed(void);
/* Pin the calling thread to CPU cpu: 0, or -errno (-ENOSYS: no affinity calls, -EINVAL: no such CPU). */
int pin_to_cpu(int cpu);
#endif
