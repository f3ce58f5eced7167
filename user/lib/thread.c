/* thread.c - the thread helpers of <thread.h>. */
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <thread.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#if defined(__x86_64__)
#include <uapi/arch_prctl.h>
#endif

long futex(volatile uint32_t *uaddr, int op, uint32_t val, const struct timespec *ts, uint32_t val3)
{
	return __syscall(__NR_futex, (long)uaddr, op, val, (long)ts, 0, val3);
}

int thread_start_flags(struct uthread *t, int flags, int (*fn)(void *), void *arg, void *tls)
{
	int tid;

	t->tid = 0;
	t->ctid = -1;	/* non-zero until the exit clears it (CLONE_CHILD_SETTID may write the tid first) */
	t->stack = mmap(NULL, THREAD_STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK,
			-1, 0);
	if (t->stack == MAP_FAILED)
		return -12;	/* ENOMEM */
	tid = __clone(fn, (char *)t->stack + THREAD_STACK_SIZE, flags, arg, (pid_t *)&t->tid, tls,
		      (pid_t *)&t->ctid);
	if (tid < 0) {
		munmap(t->stack, THREAD_STACK_SIZE);
		return tid;
	}
	return tid;
}

int thread_start(struct uthread *t, int (*fn)(void *), void *arg)
{
	return thread_start_flags(t, THREAD_CLONE_FLAGS, fn, arg, t);
}

void thread_join(struct uthread *t)
{
	pid_t v;

	while ((v = t->ctid) != 0)
		futex((volatile uint32_t *)&t->ctid, FUTEX_WAIT, (uint32_t)v, NULL, 0);
	munmap(t->stack, THREAD_STACK_SIZE);
}

unsigned long tls_get(void)
{
	unsigned long v = 0;

#if defined(__x86_64__)
	__syscall(__NR_arch_prctl, ARCH_GET_FS, (long)&v, 0, 0, 0, 0);
#else
	__asm__ volatile("mrs %0, tpidr_el0" : "=r"(v));
#endif
	return v;
}

char task_state(pid_t pid, pid_t tid)
{
	char path[64], buf[256], *p;
	int fd;
	long n;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, tid);
	fd = (int)__syscall(__NR_openat, AT_FDCWD, (long)path, O_RDONLY, 0, 0, 0);
	if (fd < 0)
		return 0;
	n = __syscall(__NR_read, fd, (long)buf, sizeof(buf) - 1, 0, 0, 0);
	__syscall(__NR_close, fd, 0, 0, 0, 0, 0);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

int wait_sleeping(pid_t pid, pid_t tid)
{
	char s;

	while ((s = task_state(pid, tid)) != 'S') {
		if (!s || s == 'Z' || s == 'X')
			return -1;
		sched_yield();
	}
	return 0;
}
