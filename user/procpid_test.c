/*
 * procpid_test: /proc/<pid>/ of other processes, /proc/self as a symlink, the errors of
 * dead processes, /proc/<pid>/mem (FOLL_FORCE), VmPeak/VmHWM/VmLck, RLIMIT_AS for mremap.
 *
 *   procpid_test            every test
 *   procpid_test NAME...    only those (see tests[] below)
 *
 * Portable: every check holds on Linux too (folios is foliOS's and skipped there, so is
 * the leak check, which compares MemFree before and after on foliOS).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>
#include <dirent.h>
#include <folios.h>
#include <test.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define PG	4096UL

static char text[256 * 1024], other[256 * 1024];	/* file contents (pre-faulted) */

/* The whole file at path into buf (size bytes, NUL-terminated): bytes, or -errno. */
static long slurp(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	long n = 0, r;

	if (fd < 0)
		return -errno;
	while ((r = read(fd, buf + n, size - 1 - n)) > 0)
		n += r;
	if (r < 0)
		r = -errno;
	close(fd);
	buf[n] = 0;
	return r < 0 ? r : n;
}

/* "/proc/<pid>/<name>" in a static buffer. */
static const char *pid_path(int pid, const char *name)
{
	static char path[64];

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, name);
	return path;
}

/* The number after key (e.g. "\nVmRSS:") in buf, or -1. */
static long value_of(const char *buf, const char *key)
{
	const char *p = strstr(buf, key);

	return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

/* A status line's value of the calling process. */
static long self_status(const char *key)
{
	slurp("/proc/self/status", text, sizeof(text));
	return value_of(text, key);
}

/* addr as /proc/<pid>/folios starts its lines ("0x%012lx-"), in a static buffer. */
static const char *hexaddr(const void *addr)
{
	static char buf[32];

	snprintf(buf, sizeof(buf), "0x%012lx-", (unsigned long)(uintptr_t)addr);
	return buf;
}

/*
 * Cut buf after the lines of the 64 KiB region at addr (folios lines are sorted by
 * address); how many there are.
 */
static int region_lines(char *buf, const char *addr)
{
	char *p = strstr(buf, hexaddr(addr));
	int n = 0;

	while (p && *p && strtoul(p, NULL, 16) < (uintptr_t)addr + 16 * PG) {
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
		n++;
	}
	if (p)
		*p = 0;
	return n;
}

/* ------------------------------------------------------------------ a child to look at */

struct child {
	int pid;
	int go[2];	/* parent -> child: one byte lets it exit */
	int out[2];	/* child -> parent: what it read of itself */
	char *mem;	/* its 64 KiB region, filled with 'c' (the same address in both) */
};

/* Send file path of the calling process down fd: the length, then the bytes. */
static void send_file(int fd, const char *path)
{
	long n = slurp(path, other, sizeof(other));

	write(fd, &n, sizeof(n));
	if (n > 0)
		write(fd, other, n);
}

/* Fork a child that maps and fills c->mem, sends its maps, folios, status then waits. */
static int child_start(struct child *c)
{
	if (pipe(c->go) || pipe(c->out))
		return -1;
	c->mem = mmap(NULL, 16 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (c->mem == MAP_FAILED)
		return -1;
	c->pid = fork();
	if (c->pid == 0) {
		char b;

		memset(other, 0, sizeof(other));	/* its own copy now: reading into it faults nothing later */
		memset(c->mem, 'c', 16 * PG);
		send_file(c->out[1], "/proc/self/maps");
		send_file(c->out[1], on_foliOS() ? "/proc/self/folios" : "/proc/self/smaps_rollup");
		send_file(c->out[1], "/proc/self/status");
		read(c->go[0], &b, 1);
		_exit(0);
	}
	return c->pid > 0 ? 0 : -1;
}

/* Receive one file the child sent into buf: its length. */
static long child_recv(struct child *c, char *buf)
{
	long n = -1, got = 0, r;

	if (read(c->out[0], &n, sizeof(n)) != sizeof(n))
		return -1;
	while (n > 0 && got < n && (r = read(c->out[0], buf + got, n - got)) > 0)
		got += r;
	buf[n > 0 ? n : 0] = 0;
	return n;
}

/* Let the child exit, and wait until it is a zombie (not reaped until child_reap). */
static void child_release(struct child *c)
{
	char b = 1;

	write(c->go[1], &b, 1);
	close(c->out[1]);
	c->out[1] = -1;
	while (read(c->out[0], &b, 1) > 0)	/* EOF: the child's files are closed */
		;
	for (int i = 0; i < 100000; i++) {	/* Linux may still be between exit_files and exit_notify */
		if (slurp(pid_path(c->pid, "status"), text, sizeof(text)) < 0 ||
		    strstr(text, "\nState:\tZ") || strstr(text, "\nState:\tX"))
			break;
		sched_yield();
	}
}

static int child_reap(struct child *c)
{
	int status = -1;

	waitpid(c->pid, &status, 0);
	close(c->go[0]); close(c->go[1]); close(c->out[0]);
	if (c->out[1] >= 0)
		close(c->out[1]);
	munmap(c->mem, 16 * PG);
	return status;
}

/* ------------------------------------------------------------------ tests */

/* The names in directory path other than . and .. into names (one per line); how many, or -1. */
static int list_dir(const char *path, char *names, size_t size)
{
	char dents[4096];
	int fd = open(path, O_RDONLY | O_DIRECTORY), n = 0;
	size_t used = 0;
	long r;

	if (fd < 0)
		return -1;
	names[0] = 0;
	while ((r = getdents64(fd, dents, sizeof(dents))) > 0) {
		for (long off = 0; off < r;) {
			const char *name = dents + off + 19;
			unsigned short reclen;

			memcpy(&reclen, dents + off + 16, 2);
			if (strcmp(name, ".") && strcmp(name, "..") && used + strlen(name) + 2 < size) {
				used += snprintf(names + used, size - used, "%s\n", name);
				n++;
			}
			off += reclen;
		}
	}
	close(fd);
	return n;
}

/* /proc/thread-self and /proc/<pid>/task/<pid>: one thread, its pid. */
static void test_thread_self(const char *pid)
{
	char buf[64], want[64], names[256];
	long n;

	snprintf(want, sizeof(want), "%s/task/%s", pid, pid);
	n = syscall(__NR_readlinkat, AT_FDCWD, "/proc/thread-self", buf, sizeof(buf));
	buf[n > 0 ? n : 0] = 0;
	ok(!strcmp(buf, want), "readlink /proc/thread-self is <pid>/task/<pid> (%s)", buf);
	slurp("/proc/thread-self/status", text, sizeof(text));
	is(value_of(text, "\nPid:\t"), getpid(), "/proc/thread-self/status: our Pid");
	snprintf(want, sizeof(want), "%s\n", pid);
	ok(list_dir("/proc/self/task", names, sizeof(names)) == 1 && !strcmp(names, want),
	   "readdir /proc/self/task: only the pid");
	snprintf(buf, sizeof(buf), "/proc/self/task/%s/maps", pid);
	slurp(buf, other, sizeof(other));
	slurp("/proc/self/maps", text, sizeof(text));
	ok(text[0] && !strcmp(text, other), "/proc/self/task/<pid>/maps = /proc/self/maps");
	snprintf(buf, sizeof(buf), "/proc/self/task/%s/task", pid);
	is(open(buf, O_RDONLY) == -1 ? errno : 0, ENOENT, "no task/ inside a task's directory");
	is(open("/proc/self/task/1", O_RDONLY) == -1 ? errno : 0, ENOENT, "task/<another pid>: ENOENT");
}

/* /proc/self is a symlink to the pid; /proc lists the live pids. */
static void test_self_and_readdir(void)
{
	char buf[32], want[32], dents[8192];
	struct stat st;
	struct child c;
	long n, r;
	int fd, found_self = 0, found_child = 0;

	snprintf(want, sizeof(want), "%d", getpid());
	n = syscall(__NR_readlinkat, AT_FDCWD, "/proc/self", buf, sizeof(buf));
	is(n, strlen(want), "readlink /proc/self: length of the pid");
	buf[n > 0 ? n : 0] = 0;
	ok(!strcmp(buf, want), "readlink /proc/self is the pid (%s)", buf);
	ok(fstatat(AT_FDCWD, "/proc/self", &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode),
	   "lstat /proc/self: a symlink");
	ok(stat("/proc/self", &st) == 0 && S_ISDIR(st.st_mode), "stat /proc/self: the directory");
	is(syscall(__NR_readlinkat, AT_FDCWD, "/proc/self/status", buf, sizeof(buf)) == -1 ? errno : 0,
	   EINVAL, "readlink of a regular file: EINVAL");
	test_thread_self(want);
	{	/* what top and ps read beside /proc/<pid>/: /proc/stat's cpu line, /proc/loadavg */
		char *p = text + 4, *end;
		int nums = 0;

		slurp("/proc/stat", text, sizeof(text));
		while (!strncmp(text, "cpu ", 4) && (strtoul(p, &end, 10), end != p)) {
			p = end;
			nums++;
		}
		ok(nums >= 4, "/proc/stat starts with the cpu line (%d numbers: user nice system idle ...)", nums);
		slurp("/proc/loadavg", text, sizeof(text));
		p = strrchr(text, ' ');
		ok(p && atoi(p + 1) >= getpid() && strchr(text, '/'), "/proc/loadavg: running/total and the last pid");
	}
	if (child_start(&c)) {
		ok(0, "child # errno %d", errno);
		return;
	}
	child_recv(&c, other); child_recv(&c, other); child_recv(&c, other);
	fd = open("/proc", O_RDONLY | O_DIRECTORY);
	while (fd >= 0 && (r = getdents64(fd, dents, sizeof(dents))) > 0) {
		for (long off = 0; off < r;) {
			const char *name = dents + off + 19;
			unsigned short reclen;

			memcpy(&reclen, dents + off + 16, 2);
			found_self |= !strcmp(name, want);
			found_child |= atoi(name) == c.pid;
			off += reclen;
		}
	}
	close(fd);
	ok(found_self && found_child, "readdir /proc lists this pid and the child's");
	ok(stat(pid_path(c.pid, "status"), &st) == 0 && S_ISREG(st.st_mode), "stat /proc/<child>/status");
	child_release(&c);
	is(child_reap(&c), 0, "child exited 0");
}

/*
 * The next record of the open directory fd, one per call (47 bytes hold one record of a
 * name up to 20 bytes, never two; longer names get a bigger buffer): its name into name
 * (size bytes); 1, 0 at the end, -1 on an error.
 */
static int next_dirent(int fd, char *name, size_t size)
{
	char rec[512];
	long r = getdents64(fd, rec, 47);

	if (r < 0 && errno == EINVAL)
		r = getdents64(fd, rec, sizeof(rec));
	if (r <= 0)
		return r < 0 ? -1 : 0;
	snprintf(name, size, "%s", rec + 19);
	return 1;
}

/*
 * readdir's cursor is the pid (Linux's): two children a < b wait on a pipe; /proc is read
 * one record per getdents64 until a's, then a is killed and reaped: the next records must
 * still list b (a cursor counting entries would skip it), and never a again.
 */
static void test_readdir_cursor(void)
{
	char name[64], byte;
	int pfd[2], a, b = -1, fd, status, seen_a = 0, seen_b = 0, again_a = 0, r;

	if (pipe(pfd))
		return (void)ok(0, "pipe # errno %d", errno);
	a = fork();
	if (a > 0)
		b = fork();
	if (a == 0 || b == 0) {
		close(pfd[1]);
		_exit(read(pfd[0], &byte, 1) == 0 ? 0 : 1);	/* until the parent closes its end */
	}
	close(pfd[0]);
	ok(a > 0 && b > a, "two children, pids %d < %d", a, b);
	fd = open("/proc", O_RDONLY | O_DIRECTORY);
	while (fd >= 0 && (r = next_dirent(fd, name, sizeof(name))) > 0) {
		int pid = atoi(name);

		again_a += pid == a && seen_a;
		if (pid == a && !seen_a) {
			seen_a = 1;
			kill(a, SIGKILL);
			ok(waitpid(a, &status, 0) == a && WIFSIGNALED(status),
			   "the first child killed and reaped after its record was read");
		}
		seen_b |= pid == b;
	}
	close(fd);
	close(pfd[1]);
	ok(seen_a && seen_b, "readdir /proc: the second child listed after the first was reaped");
	is(again_a, 0, "readdir /proc: the reaped child not listed again");
	ok(waitpid(b, &status, 0) == b && WIFEXITED(status) && WEXITSTATUS(status) == 0, "the second child exited 0");
}

/* The parent reads its child's maps, folios (smaps_rollup on Linux), status and pagemap. */
static void test_other_process(void)
{
	static char theirs[256 * 1024];
	uint64_t ent[16];
	struct child c;
	int fd;

	if (child_start(&c)) {
		ok(0, "child # errno %d", errno);
		return;
	}
	child_recv(&c, theirs);
	ok(slurp(pid_path(c.pid, "maps"), text, sizeof(text)) > 0 && !strcmp(text, theirs),
	   "/proc/<child>/maps = what the child read of itself");
	child_recv(&c, theirs);
	if (on_foliOS()) {	/* its region's lines: the rest is shared with us, and our writes unshare it */
		slurp(pid_path(c.pid, "folios"), text, sizeof(text));
		ok(region_lines(text, c.mem) > 0 && region_lines(theirs, c.mem) > 0 &&
		   !strcmp(strstr(text, hexaddr(c.mem)), strstr(theirs, hexaddr(c.mem))),
		   "/proc/<child>/folios of its region = the child's own");
	} else {	/* Linux's counters are per-CPU approximations: the Rss line only */
		slurp(pid_path(c.pid, "smaps_rollup"), text, sizeof(text));
		is(value_of(text, "\nRss:"), value_of(theirs, "\nRss:"), "/proc/<child>/smaps_rollup: Rss as the child saw it");
	}
	child_recv(&c, theirs);
	slurp(pid_path(c.pid, "status"), text, sizeof(text));
	is(value_of(text, "\nPid:\t"), c.pid, "/proc/<child>/status: Pid");
	is(value_of(text, "\nPPid:\t"), getpid(), "/proc/<child>/status: PPid is ours");
	is(value_of(text, "\nVmSize:"), value_of(theirs, "\nVmSize:"), "status: VmSize as the child saw it");
	is(value_of(text, "\nVmRSS:"), value_of(theirs, "\nVmRSS:"), "status: VmRSS as the child saw it");
	fd = open(pid_path(c.pid, "pagemap"), O_RDONLY);
	is(pread(fd, ent, sizeof(ent), (uintptr_t)c.mem / PG * 8), sizeof(ent), "pagemap of the child: 16 entries");
	ok((ent[0] >> 63) && (ent[15] >> 63), "pagemap: the child's written pages are present");
	close(fd);
	child_release(&c);
	is(child_reap(&c), 0, "child exited 0");
}

/* A zombie's status and maps; after the reap: ENOENT, and ESRCH (pagemap: 0) on old fds. */
static void test_dead(void)
{
	struct child c;
	uint64_t ent;
	int fd_status, fd_maps, fd_pagemap, fd_dir;

	if (child_start(&c)) {
		ok(0, "child # errno %d", errno);
		return;
	}
	child_recv(&c, other); child_recv(&c, other); child_recv(&c, other);
	fd_status = open(pid_path(c.pid, "status"), O_RDONLY);
	fd_maps = open(pid_path(c.pid, "maps"), O_RDONLY);
	fd_pagemap = open(pid_path(c.pid, "pagemap"), O_RDONLY);
	fd_dir = open(pid_path(c.pid, ""), O_RDONLY | O_DIRECTORY);
	ok(fd_status >= 0 && fd_maps >= 0 && fd_pagemap >= 0 && fd_dir >= 0, "open the child's files");
	child_release(&c);
	slurp(pid_path(c.pid, "status"), text, sizeof(text));
	ok(strstr(text, "\nState:\tZ (zombie)") != NULL, "zombie: State: Z (zombie)");
	ok(strstr(text, "\nVmSize:") == NULL, "zombie: no Vm lines (no mm)");
	is(slurp(pid_path(c.pid, "maps"), text, sizeof(text)), 0, "zombie: maps is empty");
	is(child_reap(&c), 0, "child exited 0");
	is(open(pid_path(c.pid, "status"), O_RDONLY) == -1 ? errno : 0, ENOENT, "reaped: open status ENOENT");
	is(open(pid_path(c.pid, ""), O_RDONLY) == -1 ? errno : 0, ENOENT, "reaped: open /proc/<pid> ENOENT");
	is(openat(fd_dir, "maps", O_RDONLY) == -1 ? errno : 0, ESRCH, "reaped: openat(old dir fd) ESRCH");
	is(getdents64(fd_dir, other, sizeof(other)) == -1 ? errno : 0, ENOENT, "reaped: getdents64(old dir fd) ENOENT");
	is(read(fd_status, text, 100) == -1 ? errno : 0, ESRCH, "reaped: read of an old status fd ESRCH");
	is(read(fd_maps, text, 100) == -1 ? errno : 0, ESRCH, "reaped: read of an old maps fd ESRCH");
	is(pread(fd_pagemap, &ent, 8, 0), 0, "reaped: read of an old pagemap fd: 0 bytes");
	close(fd_status); close(fd_maps); close(fd_pagemap); close(fd_dir);
}

/* pwrite at addr through fd (lseek + write: addresses can be past pread's off_t). */
static long mem_write(int fd, const void *addr, const void *buf, size_t n)
{
	if (lseek(fd, (off_t)(uintptr_t)addr, SEEK_SET) != (off_t)(uintptr_t)addr)
		return -2;
	return write(fd, buf, n);
}

static long mem_read(int fd, const void *addr, void *buf, size_t n)
{
	if (lseek(fd, (off_t)(uintptr_t)addr, SEEK_SET) != (off_t)(uintptr_t)addr)
		return -2;
	return read(fd, buf, n);
}

/*
 * Shared memory through mem fd: a writable MAP_SHARED mapping is written in place (the
 * object sees it); a read-only one is refused (EIO); a read-only MAP_PRIVATE mapping of
 * the object gets a private copy, the object keeps its bytes.
 */
static void test_mem_shared(int fd)
{
	int mfd = memfd_create("procpid", 0);
	char *rw, *ro, *priv, b[2];

	if (mfd < 0 || ftruncate(mfd, PG)) {
		ok(0, "memfd_create # errno %d", errno);
		return;
	}
	rw = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	ro = mmap(NULL, PG, PROT_READ, MAP_SHARED, mfd, 0);
	priv = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, mfd, 0);
	ok(rw != MAP_FAILED && ro != MAP_FAILED && priv != MAP_FAILED, "memfd mapped shared rw, shared ro, private ro");
	memset(rw, 's', PG);
	is(mem_write(fd, rw + 10, "W", 1), 1, "mem write to a writable shared mapping");
	ok(ro[10] == 'W', "the object has it (seen through the other mapping)");
	is(mem_write(fd, ro + 11, "X", 1) == -1 ? errno : 0, EIO, "mem write to a read-only shared mapping: EIO");
	ok(rw[11] == 's', "the object unchanged");
	(void)*(volatile char *)priv;
	is(mem_write(fd, priv + 12, "P", 1), 1, "FOLL_FORCE write to a read-only private mapping of the object");
	ok(priv[12] == 'P' && rw[12] == 's', "a private copy: the object keeps its bytes");
	is(mem_read(fd, priv + 11, b, 2), 2, "read the private copy back");
	ok(b[0] == 's' && b[1] == 'P', "the copy holds the object's bytes and the write");
	munmap(rw, PG);
	munmap(ro, PG);
	munmap(priv, PG);
	close(mfd);
}

/* /proc/self/mem and /proc/<child>/mem: FOLL_FORCE writes break CoW, EIO for holes, lseek. */
static void test_mem(void)
{
	char *p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *z = mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *hole = mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char buf[PG];
	int fd = open("/proc/self/mem", O_RDWR), go[2], status = -1, pid;
	volatile char zc;

	ok(fd >= 0 && p != MAP_FAILED && z != MAP_FAILED && hole != MAP_FAILED, "open /proc/self/mem, mmap");
	munmap(hole, PG);
	munmap(p + 2 * PG, PG);	/* a hole right after the two pages */
	memset(p, 'A', 2 * PG);
	mprotect(p, 2 * PG, PROT_READ);
	pipe(go);
	pid = fork();
	if (pid == 0) {	/* waits for the parent's writes, then checks its own copy */
		char b;
		int bad = 0;

		read(go[0], &b, 1);
		for (unsigned long i = 0; i < 2 * PG; i++)
			bad += p[i] != 'A';
		_exit(bad ? 1 : 0);
	}
	memset(buf, 'B', PG);
	is(mem_write(fd, p + 100, buf, PG), PG, "FOLL_FORCE write of 4 KiB over two PROT_READ pages");
	ok(p[99] == 'A' && p[100] == 'B' && p[PG + 99] == 'B' && p[PG + 100] == 'A',
	   "the parent sees its write, exactly where it went");
	write(go[1], "x", 1);
	waitpid(pid, &status, 0);
	is(status, 0, "the forked child still sees its old data (CoW broken for the parent only)");
	is(mem_read(fd, p + 98, buf, 4), 4, "read back through mem");
	ok(!memcmp(buf, "AABB", 4), "mem reads what memory holds");
	zc = z[0];
	(void)zc;
	is(mem_write(fd, z + 5, "Z", 1), 1, "FOLL_FORCE write to the zero page of a PROT_READ mapping");
	ok(z[5] == 'Z' && z[4] == 0 && z[6] == 0, "the write allocated a page of its own");
	is(mem_read(fd, hole, buf, 8) == -1 ? errno : 0, EIO, "read of an unmapped address: EIO");
	is(mem_write(fd, hole, buf, 8) == -1 ? errno : 0, EIO, "write of an unmapped address: EIO");
	is(mem_read(fd, p + 2 * PG - 4, buf, 8), 4, "a read running into a hole stops there");
	is(lseek(fd, (off_t)(1ULL << 63), SEEK_SET), (off_t)(1ULL << 63), "lseek to 2^63: unsigned offset kept");
	is(read(fd, buf, 8) == -1 ? errno : 0, EIO, "read at 2^63: EIO");
	is(lseek(fd, 0, SEEK_END) == -1 ? errno : 0, EINVAL, "lseek SEEK_END: EINVAL");
	test_mem_shared(fd);
	close(fd);
	close(go[0]); close(go[1]);
	/* Another process's memory: written through its page tables only. */
	{
		struct child c;
		char b[4];

		if (child_start(&c)) {
			ok(0, "child # errno %d", errno);
			return;
		}
		child_recv(&c, other); child_recv(&c, other); child_recv(&c, other);
		memset(c.mem, 'p', 16 * PG);
		fd = open(pid_path(c.pid, "mem"), O_RDWR);
		is(mem_read(fd, c.mem + 7, b, 4), 4, "read the child's memory");
		ok(!memcmp(b, "cccc", 4), "the child's bytes, not ours");
		is(mem_write(fd, c.mem + PG, "WXYZ", 4), 4, "write the child's memory");
		mem_read(fd, c.mem + PG - 1, b, 4);
		ok(!memcmp(b, "cWXY", 4) && c.mem[PG] == 'p', "the child has it, our copy does not");
		close(fd);
		child_release(&c);
		is(child_reap(&c), 0, "child exited 0");
	}
	munmap(p, 2 * PG);
	munmap(z, PG);
}

/* VmPeak and VmHWM keep the peaks of VmSize and VmRSS; VmLck counts mlocked memory. */
static void test_peaks(void)
{
	size_t len = 64UL << 20;
	long size_mapped, hwm_mapped, rss_mapped;
	char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ok(m != MAP_FAILED, "mmap 64 MiB");
	for (size_t i = 0; i < len; i += PG)
		m[i] = 1;
	size_mapped = self_status("\nVmSize:");
	rss_mapped = value_of(text, "\nVmRSS:");
	hwm_mapped = value_of(text, "\nVmHWM:");
	is(value_of(text, "\nVmPeak:"), size_mapped, "mapped: VmPeak = VmSize at its peak");
	ok(hwm_mapped >= rss_mapped && rss_mapped >= 65536, "mapped: VmHWM >= VmRSS >= 64 MiB");
	munmap(m, len);
	is(self_status("\nVmPeak:"), size_mapped, "after munmap: VmPeak keeps the peak");
	is(value_of(text, "\nVmSize:"), size_mapped - 65536, "after munmap: VmSize is 64 MiB less");
	/* Linux's RSS counters are per-CPU approximations: within 512 kB there */
	ok(labs(value_of(text, "\nVmHWM:") - hwm_mapped) <= (on_foliOS() ? 0 : 512), "after munmap: VmHWM keeps the peak");
	ok(value_of(text, "\nVmRSS:") <= rss_mapped - 65536, "after munmap: VmRSS is 64 MiB less");
	m = mmap(NULL, 16 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	is(self_status("\nVmLck:"), 0, "VmLck 0 before mlock");
	is(mlock(m, 16 * PG), 0, "mlock 64 KiB");
	is(self_status("\nVmLck:"), 64, "VmLck 64 kB");
	munlock(m, 16 * PG);
	is(self_status("\nVmLck:"), 0, "VmLck 0 after munlock");
	is(value_of(text, "\nVmPin:"), 0, "VmPin 0 (no long-term pins)");
	munmap(m, 16 * PG);
}

/* RLIMIT_AS refuses a growing mremap with ENOMEM and leaves the mapping as it was (in a child). */
static void test_rlimit_as(void)
{
	int pid = fork(), status = -1;

	if (pid == 0) {
		char *m = mmap(NULL, 256 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		struct rlimit rl;
		int fails = 0;

		memset(m, 'r', 256 * PG);
		rl.rlim_cur = rl.rlim_max = (self_status("\nVmSize:") << 10) + 64 * PG;
		if (setrlimit(RLIMIT_AS, &rl))
			_exit(100);
		fails += mremap(m, 256 * PG, 512 * PG, 0, NULL) != MAP_FAILED || errno != ENOMEM;
		fails += mremap(m, 256 * PG, 512 * PG, MREMAP_MAYMOVE, NULL) != MAP_FAILED || errno != ENOMEM;
		for (unsigned long i = 0; i < 256 * PG; i += PG)
			fails += m[i] != 'r';
		fails += mremap(m, 256 * PG, 300 * PG, MREMAP_MAYMOVE, NULL) == MAP_FAILED;
		_exit(fails);
	}
	waitpid(pid, &status, 0);
	is(status, 0, "RLIMIT_AS: mremap growth past it ENOMEM (in place and MAYMOVE), data kept, growth within it works");
}

/* Field n (1-based) of a /proc/<pid>/stat line in buf (fields 3.. are after the last ')'). */
static long stat_field(const char *buf, int n)
{
	const char *p = strrchr(buf, ')');

	if (n < 3 || !p)
		return n == 1 ? strtol(buf, NULL, 10) : -1;
	p += 2;
	for (int i = 3; i < n && p; i++) {
		p = strchr(p, ' ');
		p = p ? p + 1 : NULL;
	}
	return p ? (n == 3 ? *p : strtol(p, NULL, 10)) : -1;
}

static int main_argc;
static char **main_argv;

/* stat, cmdline and comm of this process, of a child and of a zombie. */
static void test_stat_cmdline_comm(void)
{
	static char want[4096], st[1024];
	struct child c;
	char name[32];
	size_t n = 0;
	long got;
	int fd;

	for (int i = 0; i < main_argc; i++) {
		size_t l = strlen(main_argv[i]) + 1;

		memcpy(want + n, main_argv[i], l);
		n += l;
	}
	got = slurp("/proc/self/cmdline", text, sizeof(text));
	ok(got == (long)n && !memcmp(text, want, n), "/proc/self/cmdline: argv, NUL after each (%ld bytes)", got);
	slurp("/proc/self/stat", st, sizeof(st));
	is(stat_field(st, 1), getpid(), "stat: pid");
	is(stat_field(st, 3), 'R', "stat: state R while it reads");
	is(stat_field(st, 4), getppid(), "stat: ppid");
	is(stat_field(st, 20), 1, "stat: one thread");
	is(stat_field(st, 52), 0, "stat: exit_code 0 while alive (52 fields)");
	ok(stat_field(st, 48) > 0 && stat_field(st, 49) - stat_field(st, 48) == (long)n,
	   "stat: arg_end - arg_start is cmdline's length");
	slurp("/proc/self/comm", name, sizeof(name));
	strcpy(want, strrchr(main_argv[0], '/') ? strrchr(main_argv[0], '/') + 1 : main_argv[0]);
	want[15] = 0;
	strcat(want, "\n");
	ok(!strcmp(name, want), "comm: the program's name and a newline");
	fd = open("/proc/self/comm", O_WRONLY);
	is(write(fd, "renamed-to-a-long-name\n", 23), 23, "comm write returns the whole count");
	close(fd);
	slurp("/proc/self/comm", name, sizeof(name));
	ok(!strcmp(name, "renamed-to-a-lo\n"), "comm: its first 15 bytes");
	fd = open("/proc/self/comm", O_WRONLY);
	write(fd, want, strlen(want) - 1);
	close(fd);
	if (child_start(&c)) {
		ok(0, "child # errno %d", errno);
		return;
	}
	child_recv(&c, other); child_recv(&c, other); child_recv(&c, other);
	ok(slurp(pid_path(c.pid, "cmdline"), text, sizeof(text)) == (long)n && !memcmp(text, main_argv[0], 4),
	   "/proc/<child>/cmdline: the parent's argv (fork keeps it)");
	fd = open(pid_path(c.pid, "comm"), O_WRONLY);
	is(write(fd, "x", 1) == -1 ? errno : 0, EINVAL, "comm of another process: EINVAL");
	close(fd);
	slurp(pid_path(c.pid, "stat"), st, sizeof(st));
	slurp(pid_path(c.pid, "status"), text, sizeof(text));
	is(stat_field(st, 1), c.pid, "child stat: pid");
	is(stat_field(st, 4), getpid(), "child stat: ppid");
	is(stat_field(st, 23), value_of(text, "\nVmSize:") * 1024, "child stat: vsize = VmSize in bytes");
	/* Linux's RSS counters are per-CPU approximations: within 512 kB there */
	ok(labs(stat_field(st, 24) - value_of(text, "\nVmRSS:") / 4) <= (on_foliOS() ? 0 : 128),
	   "child stat: rss = VmRSS in pages");
	child_release(&c);
	slurp(pid_path(c.pid, "stat"), st, sizeof(st));
	is(stat_field(st, 3), 'Z', "zombie stat: state Z");
	is(stat_field(st, 23), 0, "zombie stat: vsize 0 (no mm)");
	is(slurp(pid_path(c.pid, "cmdline"), text, sizeof(text)), 0, "zombie cmdline: empty");
	is(child_reap(&c), 0, "child exited 0");
}

static const struct { const char *name; void (*fn)(void); } tests[] = {
	{ "self", test_self_and_readdir },
	{ "cursor", test_readdir_cursor },
	{ "other", test_other_process },
	{ "dead", test_dead },
	{ "mem", test_mem },
	{ "peaks", test_peaks },
	{ "rlimit_as", test_rlimit_as },
	{ "stat", test_stat_cmdline_comm },
};

static void run_tests(int argc, char **argv)
{
	for (unsigned int t = 0; t < sizeof(tests) / sizeof(tests[0]); t++) {
		if (!test_selected(argc, argv, tests[t].name))
			continue;
		diag("procpid_test: %s", tests[t].name);
		tests[t].fn();
	}
}

/*
 * On foliOS the tests run twice: the first round leaves this process's page tables
 * (and pseudo-file buffers' slab pages) in place, so the second must give back every
 * page it took: MemFree after it = before it (no folio, page table, inode or file leaked).
 */
int main(int argc, char **argv)
{
	long free0;

	memset(text, 0, sizeof(text));
	memset(other, 0, sizeof(other));
	main_argc = argc;
	main_argv = argv;
	run_tests(argc, argv);
	if (on_foliOS()) {
		free0 = free_pages_now();
		run_tests(argc, argv);
		is(free_pages_now(), free0, "MemFree back where it was (no page or inode leaked)");
	}
	return done_testing();
}
