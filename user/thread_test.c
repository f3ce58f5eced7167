/*
 * thread_test: threads as Linux makes them: clone's flag checks and errno,
 * what CLONE_VM/FILES/FS/SIGHAND/THREAD share and what each thread keeps
 * (tid, TLS, mask, sigaltstack), CLONE_PARENT_SETTID/CHILD_SETTID/
 * CHILD_CLEARTID, getpid/gettid/getppid, process- and thread-directed
 * signals, exit versus exit_group, fatal signals killing every thread,
 * wait4 and the zombie leader, execve from a thread that is not the leader,
 * /proc/<pid>/task, and a fixed-seed stress of thread creation, exit and
 * exit_group.  Portable: it passes on Linux too.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <thread.h>
#include <unistd.h>
#include <test.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static volatile int shared_word;
static volatile pid_t seen_pid, seen_tid, seen_ppid, seen_settid;
static volatile unsigned long seen_tls;
static volatile int seen_fd;
static volatile pid_t handler_tid;
static volatile int handler_sig;
static volatile uint32_t gate;		/* threads wait on it with FUTEX_WAIT */

/* Sleep in FUTEX_WAIT until gate is non-zero. */
static void wait_gate(void)
{
	while (!gate)
		futex(&gate, FUTEX_WAIT, 0, NULL, 0);
}

static void open_gate(void)
{
	gate = 1;
	futex(&gate, FUTEX_WAKE, 1 << 30, NULL, 0);
}

static int identity_thread(void *arg)
{
	struct uthread *self = arg;

	seen_pid = (pid_t)__syscall(__NR_getpid, 0, 0, 0, 0, 0, 0);
	seen_tid = (pid_t)__syscall(__NR_gettid, 0, 0, 0, 0, 0, 0);
	seen_ppid = (pid_t)__syscall(__NR_getppid, 0, 0, 0, 0, 0, 0);
	seen_settid = self->ctid;
	seen_tls = tls_get();
	shared_word = 1234;
	seen_fd = (int)__syscall(__NR_openat, AT_FDCWD, (long)"/proc/self/status", O_RDONLY, 0, 0, 0);
	return 0;
}

static void on_winch(int sig)
{
	(void)sig;
}

/* What the thread changes of what it shares (directory, handlers) and of what it does not (mask). */
static int sharing_thread(void *arg)
{
	struct sigaction sa = { 0 };
	sigset_t usr1;

	(void)arg;
	__syscall(__NR_chdir, (long)"/proc", 0, 0, 0, 0, 0);
	sa.sa_handler = on_winch;
	__syscall(__NR_rt_sigaction, SIGWINCH, (long)&sa, 0, sizeof(sigset_t), 0, 0);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	__syscall(__NR_rt_sigprocmask, SIG_BLOCK, (long)&usr1, 0, sizeof(usr1), 0, 0);
	seen_tid = (pid_t)__syscall(__NR_set_tid_address, 0, 0, 0, 0, 0, 0);
	return 0;
}

static void test_sharing(void)
{
	char saved[256], now[256];
	struct sigaction old;
	sigset_t mask;
	struct uthread t;
	int tid;

	getcwd(saved, sizeof(saved));
	sigprocmask(SIG_SETMASK, NULL, &mask);
	tid = thread_start(&t, sharing_thread, NULL);
	/* set_tid_address(NULL) dropped its CLEARTID word: wait for its end in /proc instead. */
	while (task_state(getpid(), tid))
		sched_yield();
	munmap(t.stack, THREAD_STACK_SIZE);
	is(seen_tid, tid, "set_tid_address returns the caller's tid");
	ok(getcwd(now, sizeof(now)) && !strcmp(now, "/proc"), "CLONE_FS: the thread's chdir moved the parent too");
	sigaction(SIGWINCH, NULL, &old);
	ok(old.sa_handler == on_winch, "CLONE_SIGHAND: the handler the thread installed is the parent's");
	sigprocmask(SIG_SETMASK, NULL, &mask);
	ok(!sigismember(&mask, SIGUSR1), "the mask the thread changed is its own");
	chdir(saved);
	old.sa_handler = SIG_DFL;
	sigaction(SIGWINCH, &old, NULL);
}

/* clone3's argument checks in Linux's order, and clone3 as fork. */
static void test_clone3(void)
{
	struct { struct clone_args a; unsigned long long extra; } big = { { 0 }, 0 };
	struct clone_args a = { .exit_signal = SIGCHLD };
	int status;
	long pid;

	is(syscall(__NR_clone3, &a, 32) < 0 ? errno : 0, EINVAL, "clone3 with a size below 64: EINVAL");
	is(syscall(__NR_clone3, &a, 8192) < 0 ? errno : 0, E2BIG, "clone3 with a size above a page: E2BIG");
	big.a.exit_signal = SIGCHLD;
	big.extra = 1;
	is(syscall(__NR_clone3, &big, sizeof(big)) < 0 ? errno : 0, E2BIG, "clone3 with non-zero bytes past its struct: E2BIG");
	a.flags = CLONE_VM | CLONE_SIGHAND | CLONE_THREAD;
	is(syscall(__NR_clone3, &a, sizeof(a)) < 0 ? errno : 0, EINVAL, "clone3 of a thread with an exit signal: EINVAL");
	a.flags = 0;
	a.stack = 4096;
	is(syscall(__NR_clone3, &a, sizeof(a)) < 0 ? errno : 0, EINVAL, "clone3 with a stack but no size: EINVAL");
	a.stack = 0;
	a.flags = CLONE_DETACHED;
	is(syscall(__NR_clone3, &a, sizeof(a)) < 0 ? errno : 0, EINVAL, "clone3 with CLONE_DETACHED: EINVAL");
	a.flags = 0;
	pid = __syscall(__NR_clone3, (long)&a, sizeof(a), 0, 0, 0, 0);
	if (pid == 0)
		_exit(5);
	ok(pid > 0 && waitpid((pid_t)pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 5,
	   "clone3 with exit_signal SIGCHLD makes a process, as fork");
}

static void test_clone_flags(void)
{
	int bad[][2] = {
		{ CLONE_THREAD | CLONE_VM, EINVAL },		/* CLONE_THREAD needs CLONE_SIGHAND */
		{ CLONE_SIGHAND, EINVAL },			/* CLONE_SIGHAND needs CLONE_VM */
		{ CLONE_THREAD | CLONE_SIGHAND, EINVAL },	/* ... also through CLONE_THREAD */
	};

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		is(__syscall(__NR_clone, bad[i][0], 0, 0, 0, 0, 0), -bad[i][1], "clone with an invalid flag combination: EINVAL");
}

static void test_identity(void)
{
	struct uthread t;
	unsigned long my_tls = tls_get();
	int tid = thread_start_flags(&t, THREAD_CLONE_FLAGS | CLONE_CHILD_SETTID, identity_thread, &t, &t);

	ok(tid > 0, "clone(CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|...) gives a tid");
	is(t.tid, tid, "CLONE_PARENT_SETTID wrote the tid in the parent");
	thread_join(&t);
	is(t.ctid, 0, "CLONE_CHILD_CLEARTID cleared the word at exit and woke the joiner");
	is(seen_settid, tid, "CLONE_CHILD_SETTID wrote the tid in the child");
	is(seen_pid, getpid(), "getpid in a thread is the process's id (tgid)");
	is(seen_tid, tid, "gettid in a thread is its own id");
	isnt(seen_tid, getpid(), "a thread's tid differs from the pid");
	is(seen_ppid, getppid(), "getppid in a thread is the process's parent");
	is(gettid(), getpid(), "the first thread's tid is the pid");
	is(seen_tls, (unsigned long)&t, "CLONE_SETTLS set the thread's TLS register");
	is(tls_get(), my_tls, "the parent's TLS register is unchanged");
	is(shared_word, 1234, "CLONE_VM: the thread's store is seen by the parent");
	ok(seen_fd >= 0 && fcntl(seen_fd, F_GETFD) == 0, "CLONE_FILES: a file the thread opened is open in the parent");
	if (seen_fd >= 0)
		close(seen_fd);
}

static void on_sig(int sig)
{
	handler_sig = sig;
	handler_tid = (pid_t)__syscall(__NR_gettid, 0, 0, 0, 0, 0, 0);
}

static int unblocked_waiter(void *arg)
{
	sigset_t none;

	(void)arg;
	sigemptyset(&none);
	__syscall(__NR_rt_sigprocmask, SIG_SETMASK, (long)&none, 0, sizeof(none), 0, 0);
	wait_gate();
	return 0;
}

static void set_handler(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa = { .sa_flags = flags };

	sa.sa_handler = fn;
	sigaction(sig, &sa, NULL);
}

/* kill() goes to the process: a thread that does not block the signal runs the handler. */
static void test_process_signal(void)
{
	struct uthread t;
	sigset_t usr1, old, pend;
	int tid;

	set_handler(SIGUSR1, on_sig, 0);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, &old);
	gate = 0;
	handler_tid = 0;
	tid = thread_start(&t, unblocked_waiter, NULL);
	wait_sleeping(getpid(), tid);
	is(kill(getpid(), SIGUSR1), 0, "kill(getpid(), SIGUSR1) with the signal blocked in the first thread");
	while (!handler_tid)
		sched_yield();
	is(handler_tid, tid, "the process-directed signal ran its handler in the thread not blocking it");
	open_gate();
	thread_join(&t);

	/* Now nobody takes it: pending in the shared set, seen by sigpending. */
	kill(getpid(), SIGUSR1);
	sigpending(&pend);
	ok(sigismember(&pend, SIGUSR1), "a process-directed signal every thread blocks stays pending (sigpending)");
	handler_tid = 0;
	sigprocmask(SIG_SETMASK, &old, NULL);
	is(handler_tid, gettid(), "... and runs when the first thread unblocks it");
}

static int tgkill_target(void *arg)
{
	(void)arg;
	wait_gate();
	return 0;
}

static void test_thread_signal(void)
{
	struct uthread t;
	int tid;

	set_handler(SIGUSR2, on_sig, 0);
	gate = 0;
	handler_tid = 0;
	tid = thread_start(&t, tgkill_target, NULL);
	wait_sleeping(getpid(), tid);
	is(tgkill(getpid(), tid, SIGUSR2), 0, "tgkill(pid, tid, SIGUSR2)");
	while (!handler_tid)
		sched_yield();
	is(handler_tid, tid, "tgkill ran the handler in the thread it named");
	is_errno(tgkill(getpid() + 100000, tid, SIGUSR2), ESRCH, "tgkill with another tgid: ESRCH");
	is_errno(tgkill(getpid(), 0, SIGUSR2), EINVAL, "tgkill with tid 0: EINVAL");
	is_errno(syscall(__NR_tkill, -1, SIGUSR2), EINVAL, "tkill with tid -1: EINVAL");
	open_gate();
	thread_join(&t);
	is_errno(tgkill(getpid(), tid, 0), ESRCH, "tgkill of a thread that has exited: ESRCH");
	set_handler(SIGUSR1, SIG_DFL, 0);
	set_handler(SIGUSR2, SIG_DFL, 0);
}

/* ---- in child processes: how processes with threads end ---- */

static int sleeper(void *arg)
{
	(void)arg;
	for (;;)
		futex(&gate, FUTEX_WAIT, 0, NULL, 0);
	return 0;
}

static int exit_group_thread(void *arg)
{
	__syscall(__NR_exit_group, (long)arg, 0, 0, 0, 0, 0);
	return 0;
}

/* What a child process runs: sleepers threads that sleep forever, then one running last(arg) (if any). */
struct thread_plan {
	int sleepers;
	int (*last)(void *);
	void *arg;
};

static int child_threads(void *arg)
{
	const struct thread_plan *plan = arg;
	struct uthread t[4];

	gate = 0;
	for (int i = 0; i < plan->sleepers; i++)
		thread_start(&t[i], sleeper, NULL);
	if (plan->last)
		thread_start(&t[plan->sleepers], plan->last, plan->arg);
	for (;;)
		pause();
	return 1;
}

static int segv_thread(void *arg)
{
	volatile int *volatile bad = (volatile int *)arg;

	*bad = 1;	/* arg: an unmapped address */
	return 0;
}

static volatile uint32_t *release_word;	/* MAP_SHARED: the parent releases the last thread */

static int late_thread(void *arg)
{
	struct timespec poll = { 0, 10 * 1000 * 1000 };

	(void)arg;
	while (!*release_word)	/* the timeout only makes it look again: no outcome depends on it */
		futex(release_word, FUTEX_WAIT, 0, &poll, 0);
	return 9;	/* exit(9): the last thread's, so the process's status (Linux's) */
}

static void test_process_exits(void)
{
	struct thread_plan exit_group_plan = { 3, exit_group_thread, (void *)7L }, segv_plan = { 1, segv_thread, (void *)8 },
			   sleep_plan = { 2, NULL, NULL };
	int status = 0;
	pid_t pid;
	struct uthread t;

	status = run_child(child_threads, &exit_group_plan);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 7, "exit_group(7) from a thread ends every thread: status 7 (got %#x)", status);
	status = run_child(child_threads, &segv_plan);
	ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV, "a SIGSEGV in one thread kills the process (got %#x)", status);

	pid = fork();
	if (pid == 0)
		child_threads(&sleep_plan);
	for (int i = 0; i < 100 && task_state(pid, pid) != 'S'; i++)
		usleep(1000);
	is(kill(pid, SIGTERM), 0, "kill(SIGTERM) of a process with three threads");
	is(waitpid(pid, &status, 0), pid, "wait4 reaps it once");
	ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM, "SIGTERM (no handler) killed every thread (got %#x)", status);

	/* The leader exits first (exit, not exit_group): a zombie wait4 cannot reap yet. */
	release_word = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	*release_word = 0;
	pid = fork();
	if (pid == 0) {
		thread_start(&t, late_thread, NULL);
		__syscall(__NR_exit, 3, 0, 0, 0, 0, 0);
	}
	for (int i = 0; i < 1000 && task_state(pid, pid) != 'Z'; i++)
		usleep(1000);
	is(task_state(pid, pid), 'Z', "the leader that called exit is a zombie while its thread runs");
	is(waitpid(pid, &status, WNOHANG), 0, "wait4(WNOHANG) does not reap a process with a live thread");
	*release_word = 1;
	futex(release_word, FUTEX_WAKE, 1, NULL, 0);
	is(waitpid(pid, &status, 0), pid, "wait4 reaps it when the last thread exits");
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 9, "the status is the last thread's exit(9), not the leader's exit(3) (got %#x)", status);
	munmap((void *)release_word, 4096);
}

/* ---- execve from a thread that is not the leader ---- */

static const char *self_path;

static int exec_thread(void *arg)
{
	char *argv[] = { (char *)self_path, "exec-child", NULL };
	char *envp[] = { NULL };

	(void)arg;
	__syscall(__NR_execve, (long)self_path, (long)argv, (long)envp, 0, 0, 0);
	__syscall(__NR_exit_group, 99, 0, 0, 0, 0, 0);	/* execve failed */
	return 99;
}

/* argv[1] == "exec-child": the program execve'd from a thread; 42 if it is alone and its tid is the pid. */
static int exec_child_main(void)
{
	char buf[4096];
	int fd = open("/proc/self/status", O_RDONLY);
	long n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	if (n <= 0)
		return 1;
	buf[n] = 0;
	if (!strstr(buf, "\nThreads:\t1\n"))
		return 2;
	return gettid() == getpid() ? 42 : 3;
}

static void test_exec_from_thread(void)
{
	struct thread_plan plan = { 1, exec_thread, NULL };
	int status;
	pid_t pid = fork();

	if (pid == 0)
		child_threads(&plan);
	is(waitpid(pid, &status, 0), pid, "execve from a non-leader thread: the process keeps its pid");
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 42,
	   "the new program runs alone, its tid the pid (got %#x)", status);
}

/* ---- /proc/<pid>/task ---- */

/* The value after field (e.g. "\nThreads:\t") in the file at path, as a number; -1 if none. */
static int status_field(const char *path, const char *field)
{
	char buf[4096], *p;
	int fd = open(path, O_RDONLY);
	long n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	p = strstr(buf, field);
	return p ? atoi(p + strlen(field)) : -1;
}

static void test_proc_task(void)
{
	struct uthread t;
	char path[96], comm[32] = "";
	int tid, fd, n, entries = 0, found = 0;
	char dents[4096];

	gate = 0;
	tid = thread_start(&t, tgkill_target, NULL);
	wait_sleeping(getpid(), tid);
	is(status_field("/proc/self/status", "\nThreads:\t"), 2, "/proc/self/status Threads: 2 with one thread started");
	snprintf(path, sizeof(path), "/proc/%d/task/%d/status", getpid(), tid);
	is(status_field(path, "\nTgid:\t"), getpid(), "/proc/<pid>/task/<tid>/status Tgid: is the pid");
	is(status_field(path, "\nPid:\t"), tid, "/proc/<pid>/task/<tid>/status Pid: is the tid");
	snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", getpid(), tid);
	fd = open(path, O_RDONLY);
	n = fd >= 0 ? (int)read(fd, comm, sizeof(comm) - 1) : -1;
	if (fd >= 0)
		close(fd);
	ok(n > 1 && comm[n - 1] == '\n', "/proc/<pid>/task/<tid>/comm reads a name");
	is(task_state(getpid(), tid), 'S', "/proc/<pid>/task/<tid>/stat shows the thread sleeping");
	fd = open("/proc/self/task", O_RDONLY | O_DIRECTORY);
	while (fd >= 0 && (n = (int)syscall(__NR_getdents64, fd, dents, sizeof(dents))) > 0) {
		for (int off = 0; off < n;) {
			struct { unsigned long ino; long off; unsigned short reclen; unsigned char type; char name[]; } *d =
				(void *)(dents + off);

			if (d->name[0] != '.') {
				entries++;
				found += atoi(d->name) == tid || atoi(d->name) == getpid();
			}
			off += d->reclen;
		}
	}
	if (fd >= 0)
		close(fd);
	ok(entries == 2 && found == 2, "/proc/self/task lists the two threads (%d entries, %d matched)", entries, found);
	open_gate();
	thread_join(&t);
	snprintf(path, sizeof(path), "/proc/%d/task/%d", getpid(), tid);
	is_errno(open(path, O_RDONLY | O_DIRECTORY), ENOENT, "/proc/<pid>/task/<tid> of an exited thread: ENOENT");
}

/* ---- stress: thread creation, exit and exit_group with fixed seeds ---- */

static unsigned long rng;

static unsigned rnd(unsigned n)
{
	rng = rng * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned)(rng >> 33) % n;
}

static int stress_worker(void *arg)
{
	long action = (long)arg;

	if (action >= 100)
		__syscall(__NR_exit_group, action - 100, 0, 0, 0, 0, 0);
	for (long i = 0; i < action; i++)
		__syscall(__NR_sched_yield, 0, 0, 0, 0, 0, 0);
	return 0;
}

/* A process that starts n threads, joins some, and ends by exit_group(code) from one thread or from main. */
static int stress_child(void *arg)
{
	struct uthread t[8];
	unsigned long seed = (unsigned long)arg;
	int n, code, killer;

	rng = seed;
	n = 1 + (int)rnd(8);
	code = (int)rnd(100);
	killer = (int)rnd((unsigned)n + 1);	/* n: main itself */
	for (int i = 0; i < n; i++)
		if (thread_start(&t[i], stress_worker, (void *)(long)(i == killer ? 100 + code : (int)rnd(4))) < 0)
			return 200;
	for (int i = 0; i < n; i++)
		if (i != killer && rnd(2))
			thread_join(&t[i]);
	if (killer == n)
		exit(code);
	for (;;)
		pause();
	return 201;
}

/* In a child (run_child_case checks no page leaked): 40 rounds. */
static int stress_rounds(void *arg)
{
	int bad = 0, rounds = 40;

	(void)arg;
	for (int r = 0; r < rounds; r++) {
		unsigned long seed = 0x5eed0000UL + (unsigned long)r;
		int status = run_child(stress_child, (void *)seed);

		rng = seed;
		(void)rnd(8);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != (int)rnd(100)) {
			diag("seed %#lx: status %#x", seed, status);
			bad++;
		}
	}
	return bad;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "exec-child"))
		return exec_child_main();
	self_path = argv[0];
	test_clone_flags();
	test_identity();
	test_sharing();
	test_clone3();
	test_process_signal();
	test_thread_signal();
	test_process_exits();
	test_exec_from_thread();
	test_proc_task();
	run_child_case("stress: 40 processes of 1-8 threads (fixed seeds) end with exit_group's status", stress_rounds);
	return done_testing();
}
