/*
 * futex_test: futex(2) as Linux's: FUTEX_WAIT's value check (EAGAIN), its
 * relative timeout and FUTEX_WAIT_BITSET's absolute one (ETIMEDOUT, either
 * clock), the argument errors (EINVAL, EFAULT, ENOSYS), wake counts, bitsets,
 * private versus shared keys (a private waiter is not woken by a shared
 * wake; a shared futex in a MAP_SHARED memfd is one futex at two addresses
 * and across fork), EINTR when a handler runs, and robust lists
 * (set_robust_list/get_robust_list, FUTEX_OWNER_DIED and one waiter woken
 * when the owner exits, a looping list walked to its bound).  Portable: it
 * passes on Linux too.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <thread.h>
#include <time.h>
#include <unistd.h>
#include <test.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <uapi/memfd.h>

static volatile uint32_t word __attribute__((aligned(8)));
static volatile long results[4];

struct waiter {
	volatile uint32_t *uaddr;
	int op;
	uint32_t val, bitset;
	const struct timespec *ts;
	volatile long *result;
};

static int waiter_fn(void *arg)
{
	struct waiter *w = arg;

	*w->result = futex(w->uaddr, w->op, w->val, w->ts, w->bitset);
	return 0;
}

/* Start a thread that waits in futex(op) on uaddr for val; it is asleep on return. */
static void start_waiter(struct uthread *t, struct waiter *w, volatile uint32_t *uaddr, int op, uint32_t bitset,
			 volatile long *result)
{
	*w = (struct waiter){ .uaddr = uaddr, .op = op, .val = *uaddr, .bitset = bitset, .result = result };
	*result = 1;	/* not yet returned */
	thread_start(t, waiter_fn, w);
	wait_sleeping(getpid(), t->tid);
}

static void test_errors(void)
{
	struct timespec ts = { 0, 1000 * 1000 }, bad_ts = { 0, 1000000000 };

	word = 5;
	is(futex(&word, FUTEX_WAIT_PRIVATE, 6, NULL, 0), -EAGAIN, "FUTEX_WAIT when the word differs: EAGAIN");
	is(futex(&word, FUTEX_WAIT, 6, NULL, 0), -EAGAIN, "FUTEX_WAIT (shared) when the word differs: EAGAIN");
	is(futex(&word, FUTEX_WAIT_PRIVATE, 5, &ts, 0), -ETIMEDOUT, "FUTEX_WAIT with a 1 ms relative timeout: ETIMEDOUT");
	is(futex(&word, FUTEX_WAIT_PRIVATE, 5, &bad_ts, 0), -EINVAL, "FUTEX_WAIT with tv_nsec 1e9: EINVAL");
	is(futex(&word, FUTEX_WAIT_PRIVATE, 5, (void *)8, 0), -EFAULT, "FUTEX_WAIT with a bad timeout pointer: EFAULT");
	is(futex((volatile uint32_t *)((char *)&word + 1), FUTEX_WAIT_PRIVATE, 5, NULL, 0), -EINVAL,
	   "FUTEX_WAIT on a misaligned word: EINVAL");
	is(futex((volatile uint32_t *)8, FUTEX_WAIT_PRIVATE, 5, NULL, 0), -EFAULT, "FUTEX_WAIT on an unmapped word: EFAULT");
	is(futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 5, NULL, 0), -EINVAL, "FUTEX_WAIT_BITSET with bitset 0: EINVAL");
	is(futex(&word, FUTEX_WAKE_BITSET_PRIVATE, 1, NULL, 0), -EINVAL, "FUTEX_WAKE_BITSET with bitset 0: EINVAL");
	is(futex(&word, FUTEX_WAKE_PRIVATE | FUTEX_CLOCK_REALTIME, 1, NULL, 0), -ENOSYS,
	   "FUTEX_CLOCK_REALTIME with FUTEX_WAKE: ENOSYS");
	is(futex(&word, 99, 1, NULL, 0), -ENOSYS, "an unknown futex operation: ENOSYS");
	is(futex(&word, FUTEX_WAKE_PRIVATE, 1, NULL, 0), 0, "FUTEX_WAKE with no waiter wakes 0");
}

static void test_absolute_timeouts(void)
{
	struct timespec now;

	word = 0;
	clock_gettime(CLOCK_MONOTONIC, &now);
	now.tv_nsec += 2 * 1000 * 1000;
	if (now.tv_nsec >= 1000000000) {
		now.tv_sec++;
		now.tv_nsec -= 1000000000;
	}
	is(futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 0, &now, FUTEX_BITSET_MATCH_ANY), -ETIMEDOUT,
	   "FUTEX_WAIT_BITSET with an absolute CLOCK_MONOTONIC deadline 2 ms ahead: ETIMEDOUT");
	clock_gettime(CLOCK_REALTIME, &now);	/* passed by the time the call looks */
	is(futex(&word, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 0, &now, FUTEX_BITSET_MATCH_ANY), -ETIMEDOUT,
	   "FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME with an absolute deadline just passed: ETIMEDOUT");
	now.tv_sec = 0;
	now.tv_nsec = 0;
	is(futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 0, &now, FUTEX_BITSET_MATCH_ANY), -ETIMEDOUT,
	   "FUTEX_WAIT_BITSET with the absolute time 0: ETIMEDOUT at once");
}

static void test_wake_counts(void)
{
	struct uthread t[3];
	struct waiter w[3];

	word = 0;
	for (int i = 0; i < 3; i++)
		start_waiter(&t[i], &w[i], &word, FUTEX_WAIT_PRIVATE, 0, &results[i]);
	is(futex(&word, FUTEX_WAKE_PRIVATE, 2, NULL, 0), 2, "FUTEX_WAKE(2) with three waiters wakes 2");
	is(futex(&word, FUTEX_WAKE_PRIVATE, 0x7fffffff, NULL, 0), 1, "FUTEX_WAKE(INT_MAX) wakes the last one");
	for (int i = 0; i < 3; i++)
		thread_join(&t[i]);
	ok(results[0] == 0 && results[1] == 0 && results[2] == 0, "each woken FUTEX_WAIT returned 0");
	is(futex(&word, FUTEX_WAKE_PRIVATE, 1, NULL, 0), 0, "then nobody is left to wake");

	/* nr 0 wakes one, as Linux's futex_wake. */
	start_waiter(&t[0], &w[0], &word, FUTEX_WAIT_PRIVATE, 0, &results[0]);
	start_waiter(&t[1], &w[1], &word, FUTEX_WAIT_PRIVATE, 0, &results[1]);
	is(futex(&word, FUTEX_WAKE_PRIVATE, 0, NULL, 0), 1, "FUTEX_WAKE(0) wakes one waiter (Linux's rule)");
	is(futex(&word, FUTEX_WAKE_PRIVATE, 5, NULL, 0), 1, "... and the other is still waiting");
	thread_join(&t[0]);
	thread_join(&t[1]);
}

struct wake_step {
	int op;
	uint32_t bitset;
	long want;		/* FUTEX_WAKE's result */
	const char *name;
};

/* One waiter in futex(wait_op, bitset) on word, then the wakes of steps in order; the last must wake it. */
static void waiter_case(int wait_op, uint32_t bitset, const struct wake_step *steps, int n)
{
	struct uthread t;
	struct waiter w;

	word = 0;
	start_waiter(&t, &w, &word, wait_op, bitset, &results[0]);
	for (int i = 0; i < n; i++)
		is(futex(&word, steps[i].op, 1, NULL, steps[i].bitset), steps[i].want, steps[i].name);
	thread_join(&t);
	is(results[0], 0, "... and the woken waiter's futex returned 0");
}

static void test_bitsets_keys(void)
{
	static const struct wake_step bits[] = {
		{ FUTEX_WAKE_BITSET_PRIVATE, 0x2, 0, "FUTEX_WAKE_BITSET 0x2 does not wake a 0x1 waiter" },
		{ FUTEX_WAKE_BITSET_PRIVATE, 0x3, 1, "FUTEX_WAKE_BITSET 0x3 wakes it" },
	}, any[] = {
		{ FUTEX_WAKE_BITSET_PRIVATE, 0x80, 1, "plain FUTEX_WAIT matches any wake bitset" },
	}, priv[] = {
		{ FUTEX_WAKE, 0, 0, "a shared FUTEX_WAKE does not wake a FUTEX_WAIT_PRIVATE waiter" },
		{ FUTEX_WAKE_PRIVATE, 0, 1, "FUTEX_WAKE_PRIVATE does" },
	}, shared[] = {
		{ FUTEX_WAKE, 0, 1, "shared FUTEX_WAIT and FUTEX_WAKE on private memory meet" },
	};

	waiter_case(FUTEX_WAIT_BITSET_PRIVATE, 0x1, bits, 2);
	waiter_case(FUTEX_WAIT_PRIVATE, 0, any, 1);
	waiter_case(FUTEX_WAIT_PRIVATE, 0, priv, 2);
	waiter_case(FUTEX_WAIT, 0, shared, 1);
}

static void test_shared_mapping(void)
{
	int fd = (int)syscall(__NR_memfd_create, "futex", 0);
	volatile uint32_t *a, *b;
	struct uthread t;
	struct waiter w;
	int status;
	pid_t pid;

	if (fd < 0 || ftruncate(fd, 4096)) {
		ok(0, "memfd_create + ftruncate");
		return;
	}
	a = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	b = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	a[16] = 0;
	start_waiter(&t, &w, &a[16], FUTEX_WAIT, 0, &results[0]);
	is(futex(&b[16], FUTEX_WAKE, 1, NULL, 0), 1, "a shared futex in a memfd: waiting at one mapping, woken through another");
	thread_join(&t);
	start_waiter(&t, &w, &a[16], FUTEX_WAIT_PRIVATE, 0, &results[0]);
	is(futex(&b[16], FUTEX_WAKE_PRIVATE, 1, NULL, 0), 0, "... private ones are keyed by address: not woken");
	is(futex(&a[16], FUTEX_WAKE_PRIVATE, 1, NULL, 0), 1, "... but at the same address");
	thread_join(&t);

	pid = fork();
	if (pid == 0)
		_exit(futex(&a[16], FUTEX_WAIT, 0, NULL, 0) == 0 ? 0 : 1);
	wait_sleeping(pid, pid);
	is(futex(&b[16], FUTEX_WAKE, 1, NULL, 0), 1, "a shared futex across fork: the parent wakes the child");
	waitpid(pid, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the child's FUTEX_WAIT returned 0");
	munmap((void *)a, 4096);
	munmap((void *)b, 4096);
	close(fd);
}

static void on_usr1(int sig)
{
	(void)sig;
}

static void test_eintr(void)
{
	struct sigaction sa = { 0 };
	struct timespec long_ts = { 30, 0 };
	struct uthread t;
	struct waiter w;

	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	word = 0;
	start_waiter(&t, &w, &word, FUTEX_WAIT_PRIVATE, 0, &results[0]);
	tgkill(getpid(), t.tid, SIGUSR1);
	thread_join(&t);
	is(results[0], -EINTR, "FUTEX_WAIT interrupted by a handler (no SA_RESTART): EINTR");
	w = (struct waiter){ .uaddr = &word, .op = FUTEX_WAIT_PRIVATE, .val = 0, .ts = &long_ts, .result = &results[0] };
	thread_start(&t, waiter_fn, &w);
	wait_sleeping(getpid(), t.tid);
	tgkill(getpid(), t.tid, SIGUSR1);
	thread_join(&t);
	is(results[0], -EINTR, "FUTEX_WAIT with a timeout interrupted by a handler: EINTR");
	sa.sa_handler = SIG_DFL;
	sigaction(SIGUSR1, &sa, NULL);
}

/* ---- robust lists ---- */

struct robust_lock {
	struct robust_list list;
	volatile uint32_t lock;
};

static struct robust_list_head rhead;
static struct robust_lock rlocks[2];

/* Take both locks (as glibc's robust mutexes do: the tid in the word, the lock on the list), then exit. */
static int robust_owner(void *arg)
{
	pid_t tid = (pid_t)__syscall(__NR_gettid, 0, 0, 0, 0, 0, 0);

	(void)arg;
	rhead.list.next = &rlocks[0].list;
	rlocks[0].list.next = &rlocks[1].list;
	rlocks[1].list.next = &rhead.list;
	rhead.futex_offset = (long)offsetof(struct robust_lock, lock);
	rhead.list_op_pending = NULL;
	rlocks[0].lock = (uint32_t)tid | FUTEX_WAITERS;	/* someone waits for this one */
	rlocks[1].lock = (uint32_t)tid;
	__syscall(__NR_set_robust_list, (long)&rhead, sizeof(rhead), 0, 0, 0, 0);
	return 0;
}

static struct robust_list_head loop_head;
static struct robust_lock loop_lock;

/* A list that loops on itself forever: the exit walk must stop at ROBUST_LIST_LIMIT. */
static int robust_looper(void *arg)
{
	(void)arg;
	loop_head.list.next = &loop_lock.list;
	loop_lock.list.next = &loop_lock.list;
	loop_head.futex_offset = (long)offsetof(struct robust_lock, lock);
	loop_lock.lock = (uint32_t)__syscall(__NR_gettid, 0, 0, 0, 0, 0, 0);
	__syscall(__NR_set_robust_list, (long)&loop_head, sizeof(loop_head), 0, 0, 0, 0);
	return 0;
}

static void test_robust(void)
{
	struct robust_list_head *head = NULL;
	size_t len = 0;
	struct uthread t;

	is(syscall(__NR_set_robust_list, &rhead, sizeof(rhead) + 1), -1, "set_robust_list with a wrong size fails");
	is(errno, EINVAL, "... with EINVAL");
	is(syscall(__NR_set_robust_list, &rhead, sizeof(rhead)), 0, "set_robust_list(head, 24)");
	is(syscall(__NR_get_robust_list, 0, &head, &len), 0, "get_robust_list(0)");
	ok(head == &rhead && len == sizeof(rhead), "... gives back the head and its size");
	is_errno(syscall(__NR_get_robust_list, 0x3ffffff0, &head, &len), ESRCH, "get_robust_list of no such task: ESRCH");
	is_errno(syscall(__NR_get_robust_list, 0, (void *)8, &len), EFAULT, "get_robust_list to a bad pointer: EFAULT");
	syscall(__NR_set_robust_list, NULL, sizeof(rhead));

	thread_start(&t, robust_owner, NULL);
	thread_join(&t);
	is(rlocks[0].lock, FUTEX_OWNER_DIED | FUTEX_WAITERS, "the owner's exit marked its lock FUTEX_OWNER_DIED, FUTEX_WAITERS kept");
	is(rlocks[1].lock, FUTEX_OWNER_DIED, "... and the other lock it held");

	thread_start(&t, robust_looper, NULL);
	thread_join(&t);
	is(loop_lock.lock, FUTEX_OWNER_DIED, "a looping robust list is walked (to its bound) and the exit finishes");
}

/* A waiter on a robust lock is woken when the owner dies. */
static volatile long robust_wait_result = 1;

static int robust_waiter(void *arg)
{
	(void)arg;
	robust_wait_result = futex(&rlocks[0].lock, FUTEX_WAIT, rlocks[0].lock, NULL, 0);
	return 0;
}

static int robust_owner_waits(void *arg)
{
	struct uthread *waiter = arg;

	robust_owner(NULL);
	thread_start(waiter, robust_waiter, NULL);
	wait_sleeping(getpid(), waiter->tid);
	return 0;
}

static void test_robust_wake(void)
{
	struct uthread owner, waiter;

	thread_start(&owner, robust_owner_waits, &waiter);
	thread_join(&owner);
	while (robust_wait_result == 1)
		sched_yield();
	is(robust_wait_result, 0, "the owner's exit woke the waiter on its FUTEX_WAITERS lock");
	thread_join(&waiter);
}

int main(void)
{
	test_errors();
	test_absolute_timeouts();
	test_wake_counts();
	test_bitsets_keys();
	test_shared_mapping();
	test_eintr();
	test_robust();
	test_robust_wake();
	return done_testing();
}
