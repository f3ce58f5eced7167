/* cpu.c - the affinity helpers of <cpu.h>. */
#include <cpu.h>
#include <errno.h>
#include <sys/syscall.h>

/* The mask: 1024 CPUs, as glibc's cpu_set_t. */
#define CPU_MASK_WORDS	(1024 / 64)

int cpus_allowed(void)
{
	unsigned long mask[CPU_MASK_WORDS] = { 0 };
	long n = __syscall(__NR_sched_getaffinity, 0, sizeof(mask), (long)mask, 0, 0, 0);
	int cpus = 0;

	if (n <= 0)
		return 1;
	for (long w = 0; w < n / 8; w++)
		cpus += __builtin_popcountl(mask[w]);
	return cpus ? cpus : 1;
}

int pin_to_cpu(int cpu)
{
	unsigned long mask[CPU_MASK_WORDS] = { 0 };

	if (cpu < 0 || cpu >= 1024)
		return -EINVAL;
	mask[cpu / 64] = 1UL << (cpu % 64);
	return (int)__syscall(__NR_sched_setaffinity, 0, sizeof(mask), (long)mask, 0, 0, 0);
}
