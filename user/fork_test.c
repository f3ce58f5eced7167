/* fork_test: copy-on-write isolation in both directions for an mmap region, the stack
 * and the brk heap; many children in a row, all reaped; sparse reservations of 1 GiB to
 * three quarters of the address space fork and exit walking only the page tables that exist. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <mthp.h>
#include <test.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <uapi/sched.h>

#define PG 4096UL
#define MIB (1UL << 20)

static int filled(const volatile unsigned char *p, size_t len, unsigned char v)
{
	for (size_t i = 0; i < len; i += 64)
		if (p[i] != v)
			return 0;
	return p[len - 1] == v;
}

static void fill(volatile unsigned char *p, size_t len, unsigned char v)
{
	for (size_t i = 0; i < len; i++)
		p[i] = v;
}

static int wait_status(int pid)
{
	int status = -1;

	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

/* One region, both directions: the child checks it sees the pre-fork contents even
 * after the parent has rewritten them (it sleeps first, so the parent writes first on
 * any sane scheduler), then writes its own pattern and checks it; the parent checks
 * its own pattern after the child exits. */
static void cow_both_ways(volatile unsigned char *p, size_t len, const char *what)
{
	fill(p, len, 0xa1);
	pid_t parent = getpid();
	int pid = fork();
	if (pid == 0) {
		int rc = 0;
		if (!filled(p, len, 0xa1))
			rc |= 1;		/* inherited the contents */
		usleep(50000);
		if (!filled(p, len, 0xa1))
			rc |= 2;		/* parent's writes did not leak in */
		fill(p, len, 0xc3);
		if (!filled(p, len, 0xc3))
			rc |= 4;		/* own writes stick */
		if (getppid() != parent || getpid() == parent)
			rc |= 8;
		_exit(rc);
	}
	ok(pid > 0, "%s: fork returns the child's pid", what);
	fill(p, len, 0xb2);
	int status = wait_status(pid);
	ok(WIFEXITED(status) && !(WEXITSTATUS(status) & 1), "%s: child inherits the contents", what);
	ok(WIFEXITED(status) && !(WEXITSTATUS(status) & 2),
	   "%s: parent writes after fork are not seen by the child", what);
	ok(WIFEXITED(status) && !(WEXITSTATUS(status) & 4), "%s: child's own writes stick", what);
	ok(WIFEXITED(status) && !(WEXITSTATUS(status) & 8), "%s: child's getpid/getppid", what);
	ok(filled(p, len, 0xb2), "%s: child's writes are not seen by the parent", what);
}

/* The other order: the child writes first while the parent only reads, then the parent
 * writes after the child exited (the last user of the page may reuse it). */
static void child_writes_first(volatile unsigned char *p, size_t len, const char *what)
{
	fill(p, len, 0x5e);
	int pid = fork();
	if (pid == 0) {
		fill(p, len, 0x6f);
		_exit(filled(p, len, 0x6f) ? 0 : 1);
	}
	int status = wait_status(pid);
	is(status, 0, what);
	ok(filled(p, len, 0x5e), "%s: parent still sees its contents", what);
	fill(p, len, 0x7a);
	ok(filled(p, len, 0x7a), "%s: parent writes after the child exited", what);
}

static int touch_mib(void)
{
	volatile unsigned char *m = mmap(NULL, MIB, PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return 2;
	for (size_t i = 0; i < MIB; i += PG)
		m[i] = (unsigned char)(i >> 12);
	for (size_t i = 0; i < MIB; i += PG)
		if (m[i] != (unsigned char)(i >> 12))
			return 3;
	return 0;
}

/*
 * A MAP_NORESERVE reservation of len bytes with one page touched at each end, forked:
 * the child sees and rewrites both pages and exits, the parent keeps its own.  Returns
 * the PTE tables the fork and the child's exit visited (foliOS's pgtable_walk_tables in
 * /proc/vmstat; -1 where that counter does not exist), which must not depend on len:
 * fork, exit and the DEBUG_VM checks skip the empty upper-level tables.
 */
static long fork_reservation(unsigned long len, const char *what)
{
	volatile unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	long w0, w1;
	int pid;

	if (p == MAP_FAILED) {
		ok(0, "%s: mmap MAP_NORESERVE (errno %d)", what, errno);
		return -2;
	}
	p[0] = 0x31;
	p[len - 1] = 0x32;
	w0 = vmstat_get("pgtable_walk_tables");
	pid = fork();
	if (pid == 0) {
		int seen = p[0] == 0x31 && p[len - 1] == 0x32;

		p[0] = 0x41;
		p[len - 1] = 0x42;
		_exit(seen && p[0] == 0x41 && p[len - 1] == 0x42 ? 0 : 1);
	}
	ok(wait_status(pid) == 0, "%s: the child sees both touched pages and writes its own", what);
	w1 = vmstat_get("pgtable_walk_tables");
	ok(p[0] == 0x31 && p[len - 1] == 0x32, "%s: the parent keeps its pages", what);
	ok(munmap((void *)p, len) == 0, "%s: munmap", what);
	return w0 < 0 ? -1 : w1 - w0;
}

static void sparse_reservations(void)
{
	mthp_prefault();
	long g = fork_reservation(1UL << 30, "1 GiB reservation");
	long t = fork_reservation(1UL << 40, "1 TiB reservation");
	long h = fork_reservation(32UL << 40, "32 TiB reservation");
	long q = fork_reservation(USER_VA_END / 4 * 3, "reservation of 3/4 of the address space");

	if (g == -1) {
		diag("no pgtable_walk_tables counter (not foliOS): walk counts not checked");
		return;
	}
	ok(g > 0, "fork + exit of a 1 GiB reservation visits PTE tables (%ld)", g);
	ok(t == g, "fork + exit of a 1 TiB reservation visits as many PTE tables as of 1 GiB (%ld)", t);
	ok(h == g, "fork + exit of a 32 TiB reservation visits as many PTE tables as of 1 GiB (%ld)", h);
	ok(q == g, "fork + exit of a reservation of 3/4 of the address space visits as many PTE tables as of 1 GiB (%ld)", q);
}

/* The program a vfork child execs (fork_test vfork-exec-child FD): read FD to its end, exit 0. */
static int vfork_exec_child(int fd)
{
	char c;

	while (read(fd, &c, 1) > 0)
		;
	return 0;
}

static volatile int vfork_shared_word;

/*
 * CLONE_VFORK (Linux's vfork is CLONE_VM | CLONE_VFORK | SIGCHLD): the parent sleeps until
 * the child exits or execs.  Each child gives a parent that went on too early a chance to
 * show it (a 50 ms sleep before its last write, a program that waits after its exec); the
 * outcome asserted is exact either way.
 */
static void vfork_tests(const char *self)
{
	volatile int *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct timespec ms50 = { 0, 50000000L };
	char fdarg[16], *child_argv[4] = { (char *)self, "vfork-exec-child", fdarg, NULL }, *envp[] = { NULL };
	int pid, fds[2], status;

	ok(shared != MAP_FAILED, "a MAP_SHARED word");
	*shared = 0;
	pid = (int)syscall(__NR_clone, CLONE_VFORK | SIGCHLD, 0, 0, 0, 0);
	if (pid == 0) {		/* its own copy of memory (no CLONE_VM): returning through C is fine */
		nanosleep(&ms50, NULL);
		*shared = 1;
		_exit(3);
	}
	is(*shared, 1, "clone(CLONE_VFORK): the parent went on after the child's exit (its last write seen)");
	status = wait_status(pid);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 3, "clone(CLONE_VFORK): the child exited 3");

	vfork_shared_word = 0;
	pid = vfork();
	if (pid == 0) {
		vfork_shared_word = 42;	/* CLONE_VM: the parent's memory */
		_exit(0);
	}
	is(vfork_shared_word, 42, "vfork: the child's write to the shared memory is the parent's");
	is(wait_status(pid), 0, "vfork: the child exited 0");

	ok(pipe(fds) == 0, "a pipe for the exec'd child");
	snprintf(fdarg, sizeof(fdarg), "%d", fds[0]);
	pid = vfork();
	if (pid == 0) {
		close(fds[1]);
		execve(self, child_argv, envp);
		_exit(127);
	}
	close(fds[0]);
	is(waitpid(pid, &status, WNOHANG), 0, "vfork + execve: the parent went on at the exec, the program still runs");
	close(fds[1]);		/* its end of input: it exits */
	is(wait_status(pid), 0, "vfork + execve: the program exited 0 once its input ended");
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "vfork-exec-child"))
		return vfork_exec_child(atoi(argv[2]));
	/* 1 MiB anonymous region. */
	volatile unsigned char *region = mmap(NULL, MIB, PROT_READ | PROT_WRITE,
					      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ok(region != MAP_FAILED, "mmap 1 MiB");
	cow_both_ways(region, MIB, "1 MiB mmap");
	child_writes_first(region, MIB, "1 MiB mmap, child writes first");

	/* The stack. */
	volatile unsigned char stackbuf[64 * 1024];
	cow_both_ways(stackbuf, sizeof(stackbuf), "64 KiB of stack");
	child_writes_first(stackbuf, sizeof(stackbuf), "64 KiB of stack, child writes first");

	/* The brk heap. */
	unsigned char *heap = sbrk(MIB);
	ok(heap != (void *)-1, "sbrk 1 MiB");
	cow_both_ways(heap, MIB, "1 MiB of brk heap");
	child_writes_first(heap, MIB, "1 MiB of brk heap, child writes first");

	/* A never-touched region: the child's writes, the parent's zeros. */
	volatile unsigned char *fresh = mmap(NULL, MIB, PROT_READ | PROT_WRITE,
					     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int pid = fork();
	if (pid == 0) {
		fill(fresh, MIB, 0x11);
		_exit(filled(fresh, MIB, 0x11) ? 0 : 1);
	}
	is(wait_status(pid), 0, "child writes a region never touched before fork");
	ok(filled(fresh, MIB, 0), "parent still reads zeros there");

	/* Fork inside a child: grandchild isolation. */
	pid = fork();
	if (pid == 0) {
		fill(region, MIB, 0x21);
		int gpid = fork();
		if (gpid == 0) {
			int rc = filled(region, MIB, 0x21) ? 0 : 1;
			fill(region, MIB, 0x22);
			_exit(rc);
		}
		int st = wait_status(gpid);
		_exit(st == 0 && filled(region, MIB, 0x21) ? 0 : 1);
	}
	is(wait_status(pid), 0, "grandchild: inherits the child's data, writes stay private");
	ok(filled(region, MIB, 0x7a), "parent's region untouched by child and grandchild");

	/* 20 children alive at once, each touching 1 MiB of its own, all reaped. */
	int pids[20], nforked = 0;
	for (int i = 0; i < 20; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			_exit(touch_mib());
		if (pids[i] > 0)
			nforked++;
	}
	is(nforked, 20, "20 forks in a row succeed");
	int reaped = 0, clean = 0;
	for (int i = 0; i < 20; i++) {
		int status;
		pid_t w = wait4(-1, &status, 0, NULL);
		int known = 0;
		for (int j = 0; j < 20; j++)
			if (pids[j] == w) {
				known = 1;
				pids[j] = -2;	/* reaped once only */
			}
		reaped += known;
		clean += known && status == 0;
	}
	is(reaped, 20, "all 20 children reaped, each exactly once");
	is(clean, 20, "all 20 children touched 1 MiB and exited with status 0");
	is_errno(wait4(-1, NULL, 0, NULL), ECHILD, "no child left: ECHILD");

	/* 20 more, sequentially: fork, touch, reap. */
	int ok_seq = 0;
	for (int i = 0; i < 20; i++) {
		pid = fork();
		if (pid == 0)
			_exit(touch_mib());
		ok_seq += wait_status(pid) == 0;
	}
	is(ok_seq, 20, "20 sequential fork+touch 1 MiB+exit+wait");

	sparse_reservations();

	/* vfork: the child only calls _exit. */
	pid = vfork();
	if (pid == 0)
		_exit(7);
	int status = wait_status(pid);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 7, "vfork + _exit(7) in the child");
	vfork_tests(argv[0]);
	return done_testing();
}
