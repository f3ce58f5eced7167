/* wait_test: wait4 status encoding for exits and signals, kill, ECHILD, getppid. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>
#include <test.h>
#include <sys/resource.h>
#include <sys/wait.h>

static volatile uintptr_t null_addr;	/* 0, hidden from the optimiser */

static int spawn_exit(int code)
{
	int pid = fork();
	if (pid == 0)
		_exit(code);
	return pid;
}

static int spawn_loop(void)
{
	int pid = fork();
	if (pid == 0)
		for (;;)
			sched_yield();
	return pid;
}

int main(void)
{
	static const int codes[] = { 0, 1, 42, 255, 256 + 3 };
	int status, pid;
	pid_t me = getpid();

	for (unsigned i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		pid = spawn_exit(codes[i]);
		status = -1;
		pid_t w = wait4(pid, &status, 0, NULL);
		is(w, pid, "wait4 returns the child's pid");
		ok(WIFEXITED(status) && !WIFSIGNALED(status) && WEXITSTATUS(status) == (codes[i] & 0xff),
		   "_exit(%d): WIFEXITED, WEXITSTATUS == %d (status %#x)", codes[i], codes[i] & 0xff,
		   status);
	}
	pid = spawn_exit(42);
	waitpid(pid, &status, 0);
	is(status, 42 << 8, "raw status of exit 42 is 42 << 8");

	/* A crash: null write. */
	pid = fork();
	if (pid == 0) {
		*(volatile int *)null_addr = 1;
		_exit(0);
	}
	waitpid(pid, &status, 0);
	ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV && !WIFEXITED(status),
	   "null write: WIFSIGNALED, WTERMSIG == SIGSEGV (status %#x)", status);

	/* kill. */
	pid = spawn_loop();
	is(kill(pid, SIGKILL), 0, "kill(child, SIGKILL)");
	waitpid(pid, &status, 0);
	ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "SIGKILL: WTERMSIG == SIGKILL (status %#x)",
	   status);
	pid = spawn_loop();
	usleep(20000);	/* let it run first this time */
	is(kill(pid, SIGTERM), 0, "kill(child, SIGTERM)");
	waitpid(pid, &status, 0);
	ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM, "SIGTERM: WTERMSIG == SIGTERM (status %#x)",
	   status);
	is_errno(kill(0x3ffffff0, SIGTERM), ESRCH, "kill of a pid that does not exist: ESRCH");

	/* WNOHANG, waitpid(-1), and the rusage argument. */
	pid = fork();
	if (pid == 0) {
		usleep(100000);
		_exit(5);
	}
	is(waitpid(pid, &status, WNOHANG), 0, "WNOHANG on a running child returns 0");
	struct rusage ru;
	pid_t w = wait4(-1, &status, 0, &ru);
	is(w, pid, "wait4(-1) returns the child that exited");
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 5, "... with its status");
	ok(ru.ru_utime.tv_usec < 1000000 && ru.ru_stime.tv_usec < 1000000, "wait4 fills a struct rusage");

	/* Zombies: two children exit before we wait; both are collected. */
	int a = spawn_exit(11), b = spawn_exit(12);
	usleep(50000);
	int sa = -1, sb = -1;
	ok(waitpid(b, &sb, 0) == b && waitpid(a, &sa, 0) == a, "two zombies reaped out of order");
	ok(WEXITSTATUS(sa) == 11 && WEXITSTATUS(sb) == 12, "... with their own statuses");

	/* No children. */
	is_errno(wait4(-1, &status, 0, NULL), ECHILD, "wait4(-1) with no children: ECHILD");
	is_errno(wait4(me, &status, 0, NULL), ECHILD, "wait4 of a pid that is not a child: ECHILD");

	/* getppid in the child. */
	pid = fork();
	if (pid == 0)
		_exit(getppid() == me ? 0 : 1);
	waitpid(pid, &status, 0);
	is(status, 0, "getppid() in the child == the parent's pid");
	pid = fork();
	if (pid == 0)
		_exit(getpid() == gettid() && getpid() != me ? 0 : 1);
	waitpid(pid, &status, 0);
	is(status, 0, "child: getpid() == gettid() and differs from the parent's");
	return done_testing();
}
