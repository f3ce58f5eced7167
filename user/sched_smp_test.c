/*
 * sched_smp_test: tasks on several CPUs, as Linux runs them.
 * sched_setaffinity / sched_getaffinity (their errno and its order, the
 * byte count, a short mask), /proc/self/status Cpus_allowed(_list), getcpu;
 * threads pinned to distinct CPUs each running where pinned; an unpinned
 * CPU-bound set seen on every CPU within a bounded number of yields; a
 * futex ping-pong between threads pinned to two CPUs and a pipe ping-pong
 * between processes pinned to two CPUs, with exact counts; wait4 of
 * children that exit on the other CPUs.  With one CPU the cross-CPU cases
 * run on that one.  Portable: it passes on Linux too.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <thread.h>
#include <unistd.h>
#include <test.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define MAX_CPUS	64	/* what one unsigned long of mask can name */
#define PINNED_ROUNDS	200	/* yields of each pinned thread, each checked */
#define SPREAD_YIELDS	200000	/* the bound for an unpinned set to reach every CPU */
#define PINGPONG_ROUNDS	500

static int nr_cpus;			/* CPUs this process may run on (all online at start) */
static int cpu_ids[MAX_CPUS];		/* their numbers */
static unsigned long all_mask;

static long setaffinity(int pid, unsigned int len, const void *mask)
{
	return __syscall(__NR_sched_setaffinity, pid, len, (long)mask, 0, 0, 0);
}

static long getaffinity(int pid, unsigned int len, void *mask)
{
	return __syscall(__NR_sched_getaffinity, pid, len, (long)mask, 0, 0, 0);
}

static int pin(int cpu)
{
	unsigned long mask = 1UL << cpu;

	return (int)setaffinity(0, sizeof(mask), &mask);
}

static int getcpu_now(void)
{
	unsigned int cpu = ~0U, node = ~0U;
	long err = __syscall(__NR_getcpu, (long)&cpu, (long)&node, 0, 0, 0, 0);

	return err ? (int)err : (int)cpu;
}

/* The last CPU this process may run on (the far end for the two-CPU cases). */
static int other_cpu(void)
{
	return cpu_ids[nr_cpus - 1];
}

/* Read the file at path into text (len bytes, NUL-terminated); 0, or -1. */
static int read_text(const char *path, char *text, size_t len)
{
	int fd = open(path, O_RDONLY), n;

	if (fd < 0)
		return -1;
	n = (int)read(fd, text, len - 1);
	close(fd);
	if (n <= 0)
		return -1;
	text[n] = 0;
	return 0;
}

/* The value of field `key` of /proc/self/status ("Cpus_allowed_list" ...) into buf. */
static int status_field(const char *key, char *buf, size_t len)
{
	static char text[4096];
	char *p;

	if (read_text("/proc/self/status", text, sizeof(text)))
		return -1;
	for (p = text; p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		size_t k = strlen(key), i = 0;

		if (strncmp(p, key, k) || p[k] != ':')
			continue;
		p += k + 1;
		while (*p == '\t' || *p == ' ')
			p++;
		while (p[i] && p[i] != '\n' && i + 1 < len) {
			buf[i] = p[i];
			i++;
		}
		buf[i] = 0;
		return 0;
	}
	return -1;
}

static void test_affinity_calls(void)
{
	unsigned long mask = 0, zero = 0, off = 0;
	char buf[64], want[64];
	long ret;

	ret = getaffinity(0, sizeof(mask), &mask);
	if (on_foliOS())
		is(ret, sizeof(long), "sched_getaffinity returns the bytes it wrote: one long (NR_CPUS 8)");
	else
		ok(ret >= (long)sizeof(long) && ret % sizeof(long) == 0, "sched_getaffinity returns the bytes it wrote");
	is(mask, all_mask, "... the mask it gives is every CPU the process started with");
	is(getaffinity(0, 4, &mask), -EINVAL, "sched_getaffinity with len not a multiple of a long: EINVAL");
	is(getaffinity(0, 0, &mask), -EINVAL, "sched_getaffinity with len 0 (fewer bits than CPUs): EINVAL");
	is(getaffinity(INT_MAX, 4, &mask), -EINVAL, "... len is checked before the pid");
	is(getaffinity(INT_MAX, sizeof(mask), &mask), -ESRCH, "sched_getaffinity of no such pid: ESRCH");
	is(getaffinity(INT_MAX, sizeof(mask), (void *)8), -ESRCH, "... the pid is checked before the buffer");
	is(getaffinity(0, sizeof(mask), (void *)8), -EFAULT, "sched_getaffinity into a bad buffer: EFAULT");
	is(setaffinity(0, sizeof(mask), (void *)8), -EFAULT, "sched_setaffinity from a bad buffer: EFAULT");
	is(setaffinity(INT_MAX, sizeof(mask), (void *)8), -EFAULT, "... the buffer is read before the pid is looked up");
	is(setaffinity(INT_MAX, sizeof(zero), &zero), -ESRCH, "sched_setaffinity of no such pid: ESRCH (before the mask)");
	is(setaffinity(-1, sizeof(all_mask), &all_mask), -ESRCH, "sched_setaffinity of pid -1: ESRCH");
	is(setaffinity(0, sizeof(zero), &zero), -EINVAL, "sched_setaffinity with an empty mask: EINVAL");
	if (cpu_ids[nr_cpus - 1] + 1 < MAX_CPUS) {
		off = 1UL << (cpu_ids[nr_cpus - 1] + 1);
		is(setaffinity(0, sizeof(off), &off), -EINVAL, "sched_setaffinity with only CPUs not online: EINVAL");
	}
	getaffinity(0, sizeof(mask), &mask);
	is(mask, all_mask, "... the refused calls changed nothing");

	mask = 1UL << other_cpu();
	is(setaffinity(0, 4, &mask), 0, "sched_setaffinity with a 4-byte mask (the rest taken as 0)");
	is(getcpu_now(), other_cpu(), "getcpu right after pinning: the pinned CPU");
	getaffinity(0, sizeof(mask), &mask);
	is(mask, 1UL << other_cpu(), "sched_getaffinity reads the new mask back");
	snprintf(want, sizeof(want), "%d", other_cpu());
	ok(!status_field("Cpus_allowed_list", buf, sizeof(buf)) && !strcmp(buf, want),
	   "/proc/self/status Cpus_allowed_list: %s (want %s)", buf, want);
	ok(!status_field("Cpus_allowed", buf, sizeof(buf)) && strtoul(buf, NULL, 16) == 1UL << other_cpu(),
	   "/proc/self/status Cpus_allowed: %s (hex mask)", buf);
	is(setaffinity(0, sizeof(all_mask), &all_mask), 0, "sched_setaffinity back to every CPU");
	if (nr_cpus > 1 && cpu_ids[0] == 0 && cpu_ids[nr_cpus - 1] == nr_cpus - 1) {
		snprintf(want, sizeof(want), "0-%d", nr_cpus - 1);
		ok(!status_field("Cpus_allowed_list", buf, sizeof(buf)) && !strcmp(buf, want),
		   "/proc/self/status Cpus_allowed_list: %s (want %s)", buf, want);
	}
}

/* ---- threads pinned to distinct CPUs ---- */

struct pinned {
	struct uthread t;
	int cpu;
	volatile int pin_err, first, misses;
};

static volatile uint32_t pinned_gate;

static int pinned_thread(void *arg)
{
	struct pinned *p = arg;

	p->pin_err = pin(p->cpu);
	p->first = getcpu_now();
	for (int i = 0; i < PINNED_ROUNDS; i++) {
		if (getcpu_now() != p->cpu)
			p->misses++;
		sched_yield();
	}
	while (!pinned_gate)	/* sleep: /proc shows where it ran last */
		futex(&pinned_gate, FUTEX_WAIT, 0, NULL, 0);
	return 0;
}

/* Field 39 (processor) of /proc/self/task/<tid>/stat, -1 if unreadable. */
static int stat_processor(pid_t tid)
{
	char path[64], text[1024], *p;
	int field;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	if (read_text(path, text, sizeof(text)))
		return -1;
	p = strrchr(text, ')');	/* comm may hold spaces: count from its end (field 2) */
	if (!p)
		return -1;
	for (field = 2; *p && field < 39; p++)
		if (*p == ' ')
			field++;
	return field == 39 ? atoi(p) : -1;
}

static void test_pinned_threads(void)
{
	static struct pinned p[MAX_CPUS];
	int bad_pin = 0, bad_first = 0, misses = 0, bad_stat = 0;

	pinned_gate = 0;
	for (int i = 0; i < nr_cpus; i++) {
		p[i] = (struct pinned){ .cpu = cpu_ids[i] };
		if (thread_start(&p[i].t, pinned_thread, &p[i]) <= 0)
			bad_pin++;
	}
	for (int i = 0; i < nr_cpus; i++)
		wait_sleeping(getpid(), p[i].t.tid);
	for (int i = 0; i < nr_cpus; i++) {
		bad_pin += p[i].pin_err != 0;
		bad_first += p[i].first != p[i].cpu;
		misses += p[i].misses;
		bad_stat += stat_processor(p[i].t.tid) != p[i].cpu;
	}
	pinned_gate = 1;
	futex(&pinned_gate, FUTEX_WAKE, INT_MAX, NULL, 0);
	for (int i = 0; i < nr_cpus; i++)
		thread_join(&p[i].t);
	is(bad_pin, 0, "a thread per CPU, each pinned to its own with sched_setaffinity(0)");
	is(bad_first, 0, "... each one's getcpu right after: its CPU");
	is(misses, 0, "... and on all of its yields");
	is(bad_stat, 0, "... /proc/self/task/<tid>/stat processor: its CPU");
}

/* ---- an unpinned CPU-bound set spreads ---- */

static volatile unsigned long seen_cpus;
static volatile int spread_yields;

static int spread_thread(void *arg)
{
	(void)arg;
	for (int i = 0; i < SPREAD_YIELDS && seen_cpus != all_mask; i++) {
		int cpu = getcpu_now();

		if (cpu >= 0 && cpu < MAX_CPUS)
			__atomic_fetch_or(&seen_cpus, 1UL << cpu, __ATOMIC_RELAXED);
		__atomic_fetch_add(&spread_yields, 1, __ATOMIC_RELAXED);
		sched_yield();
	}
	return 0;
}

static void test_spread(void)
{
	static struct uthread t[MAX_CPUS];

	seen_cpus = 0;
	for (int i = 0; i < nr_cpus; i++)
		thread_start(&t[i], spread_thread, NULL);
	for (int i = 0; i < nr_cpus; i++)
		thread_join(&t[i]);
	is(seen_cpus, all_mask, "an unpinned CPU-bound thread per CPU: every CPU seen by getcpu within the yield bound");
	diag("%d yields in all until then", spread_yields);
}

/* ---- futex ping-pong between two pinned threads ---- */

struct pingpong {
	struct uthread t;
	int cpu, side, pin_err, misses, rounds;
};

static volatile uint32_t turn;		/* 0: side 0 plays, 1: side 1 */

static int futex_player(void *arg)
{
	struct pingpong *p = arg;

	p->pin_err = pin(p->cpu);
	for (int i = 0; i < PINGPONG_ROUNDS; i++) {
		while (__atomic_load_n(&turn, __ATOMIC_ACQUIRE) != (uint32_t)p->side)
			futex(&turn, FUTEX_WAIT, !p->side, NULL, 0);
		if (getcpu_now() != p->cpu)
			p->misses++;
		p->rounds++;
		__atomic_store_n(&turn, !p->side, __ATOMIC_RELEASE);
		futex(&turn, FUTEX_WAKE, 1, NULL, 0);
	}
	return 0;
}

static void test_futex_pingpong(void)
{
	static struct pingpong p[2];

	turn = 0;
	for (int s = 0; s < 2; s++) {
		p[s] = (struct pingpong){ .cpu = s ? other_cpu() : cpu_ids[0], .side = s };
		thread_start(&p[s].t, futex_player, &p[s]);
	}
	for (int s = 0; s < 2; s++)
		thread_join(&p[s].t);
	is(p[0].pin_err + p[1].pin_err, 0, "futex ping-pong: two threads pinned to the first and the last CPU");
	is(p[0].rounds + p[1].rounds, 2 * PINGPONG_ROUNDS, "... every turn played: 2 x 500, each woken by the other");
	is(p[0].misses + p[1].misses, 0, "... each woke on its own CPU every time");
	is(turn, 0, "... and the turn word ends where it started");
}

/* ---- pipe ping-pong between two pinned processes ---- */

static void test_pipe_pingpong(void)
{
	int up[2], down[2], status, bad = 0;
	unsigned int value = 0;
	pid_t pid;

	if (pipe(up) || pipe(down)) {
		ok(0, "pipe ping-pong: pipes");
		return;
	}
	pid = fork();
	if (pid == 0) {
		int errs = pin(other_cpu()) != 0;

		close(up[0]);
		close(down[1]);
		for (int i = 0; i < PINGPONG_ROUNDS; i++) {
			if (read(down[0], &value, sizeof(value)) != sizeof(value) || value != 2U * i)
				errs++;
			errs += getcpu_now() != other_cpu();
			value++;
			if (write(up[1], &value, sizeof(value)) != sizeof(value))
				errs++;
		}
		_exit(errs > 100 ? 100 : errs);
	}
	close(up[1]);
	close(down[0]);
	bad += pin(cpu_ids[0]) != 0;
	for (int i = 0; i < PINGPONG_ROUNDS; i++) {
		value = 2U * i;
		if (write(down[1], &value, sizeof(value)) != sizeof(value))
			bad++;
		if (read(up[0], &value, sizeof(value)) != sizeof(value) || value != 2U * i + 1)
			bad++;
		bad += getcpu_now() != cpu_ids[0];
	}
	close(up[0]);
	close(down[1]);
	ok(waitpid(pid, &status, 0) == pid && WIFEXITED(status), "pipe ping-pong: the child on the last CPU exited");
	is(WEXITSTATUS(status), 0, "... it read 0, 2, 4 ... in order on its own CPU, every time");
	is(bad, 0, "... the parent on the first CPU read 1, 3, 5 ... (500 round trips) on its own");
	setaffinity(0, sizeof(all_mask), &all_mask);
}

/* ---- wait4 of children that exit on the other CPUs ---- */

static void test_wait_other_cpus(void)
{
	pid_t pids[MAX_CPUS];
	int statuses_ok = 0, reaped = 0, status;

	pin(cpu_ids[0]);
	for (int i = 0; i < nr_cpus; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			if (pin(cpu_ids[i]) || getcpu_now() != cpu_ids[i])
				_exit(99);
			_exit(10 + i);
		}
	}
	for (int i = 0; i < nr_cpus; i++) {
		pid_t pid = wait4(-1, &status, 0, NULL);

		for (int j = 0; j < nr_cpus; j++) {
			if (pid != pids[j])
				continue;
			reaped++;
			statuses_ok += WIFEXITED(status) && WEXITSTATUS(status) == 10 + j;
			pids[j] = 0;
		}
	}
	is(reaped, nr_cpus, "wait4 from the first CPU reaps a child pinned to each CPU");
	is(statuses_ok, nr_cpus, "... each exited with its own status, having run on its own CPU");
	is(wait4(-1, &status, WNOHANG, NULL), -1, "... and none is left");
	setaffinity(0, sizeof(all_mask), &all_mask);
}

int main(void)
{
	if (getaffinity(0, sizeof(all_mask), &all_mask) <= 0) {
		ok(0, "sched_getaffinity of the test itself");
		return done_testing();
	}
	for (int cpu = 0; cpu < MAX_CPUS; cpu++)
		if (all_mask & (1UL << cpu))
			cpu_ids[nr_cpus++] = cpu;
	diag("%d CPUs", nr_cpus);
	test_affinity_calls();
	test_pinned_threads();
	test_spread();
	test_futex_pingpong();
	test_pipe_pingpong();
	test_wait_other_cpus();
	return done_testing();
}
