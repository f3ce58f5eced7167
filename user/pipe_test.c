/*
 * pipe_test: pipes and the descriptor calls around them, against Linux 6.12's
 * behaviour (the same binary passes natively on Linux: tools/user-host-test.sh).
 *
 *   pipe2          flags, fstat (S_IFIFO), F_GETFL/F_GETFD of the ends, bad flags and pointer
 *   capacity       a non-blocking writer stops with EAGAIN after exactly 65536 bytes in
 *                  page-sized writes, 64000 in 1000-byte ones (merged 4 to a page); a big
 *                  write is cut at 65536; F_GETPIPE_SZ / F_SETPIPE_SZ (EBUSY when too full)
 *   read           partial reads, EAGAIN when empty and non-blocking, EOF without writers
 *   atomic         two children write 1000-byte and 4096-byte records: none interleaved
 *   epipe          EPIPE and one SIGPIPE to a handler; the default action kills with SIGPIPE
 *   poll           POLLIN/POLLOUT/POLLHUP/POLLERR/POLLNVAL as Linux, a full pipe, a blocking
 *                  poll woken by a child's write, a timeout
 *   eintr          SIGALRM ends a blocking read with EINTR; with SA_RESTART it restarts
 *   cloexec        O_CLOEXEC / F_SETFD ends are closed by execve, the others stay
 *   dup-fork       dup/dup2/dup3 and fork share the ends: EOF after the last writer goes
 *   fcntl          the F_DUPFD/F_SETFL/... table with Linux's errno
 *   rw             pread64/pwrite64 (ESPIPE on a pipe, EINVAL, EBADF), readv/writev
 *   cwd            getcwd/chdir and relative paths; ERANGE, ENOENT, ENOTDIR, EFAULT
 *   wait4          a bad status pointer reaps the child, then EFAULT; again: ECHILD
 *   vmsplice       the errno table and a round trip (the pins: gup_test)
 *
 * On foliOS MemFree must come back after everything, once the deferred-split queue is
 * empty (no page of a pipe is leaked).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <mthp.h>
#include <test.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>

#define PG		4096
#define PIPE_CAP	65536

static volatile unsigned long bad_addr = 8;	/* an unmapped user address, hidden from the optimiser */

static char buf[2 * PIPE_CAP];
static char all[2 * 256 * PG];		/* the atomic test's records */
static char src[3 * PG] __attribute__((aligned(PG)));	/* vmsplice's */

/* RLIMIT_NOFILE's soft limit: the first descriptor number poll and F_DUPFD refuse. */
static long nofile_limit(void)
{
	struct rlimit rl;

	return getrlimit(RLIMIT_NOFILE, &rl) ? 64 : (long)rl.rlim_cur;
}

/* Write nonblocking chunks of n bytes until EAGAIN; the bytes written (-1: another error). */
static long fill_pipe(int wfd, size_t n)
{
	long total = 0;

	for (;;) {
		long w = write(wfd, buf, n);

		if (w < 0)
			return errno == EAGAIN ? total : -1;
		total += w;
	}
}

/* Read everything queued (the write end must be non-blocking-empty safe: O_NONBLOCK read end). */
static long drain(int rfd)
{
	long total = 0, r;

	while ((r = read(rfd, buf, sizeof(buf))) > 0)
		total += r;
	return total;
}

static void test_pipe2(void)
{
	int fds[2], fl, lowest;
	struct stat st, st1;

	is(pipe(fds), 0, "pipe");
	is(fstat(fds[0], &st), 0, "fstat read end");
	ok(S_ISFIFO(st.st_mode), "read end is S_IFIFO (mode %o)", st.st_mode);
	is(st.st_size, 0, "st_size 0");
	is(fstat(fds[1], &st1), 0, "fstat write end");
	ok(S_ISFIFO(st1.st_mode) && st1.st_ino == st.st_ino, "both ends: one FIFO inode");
	is(fcntl(fds[0], F_GETFL) & O_ACCMODE, O_RDONLY, "read end O_RDONLY");
	is(fcntl(fds[1], F_GETFL) & O_ACCMODE, O_WRONLY, "write end O_WRONLY");
	is(fcntl(fds[0], F_GETFD), 0, "no FD_CLOEXEC");
	is_errno(write(fds[0], "x", 1), EBADF, "write to the read end: EBADF");
	is_errno(read(fds[1], buf, 1), EBADF, "read from the write end: EBADF");
	is_errno(lseek(fds[0], 0, SEEK_SET), ESPIPE, "lseek: ESPIPE");
	close(fds[0]);
	close(fds[1]);

	is(pipe2(fds, O_CLOEXEC | O_NONBLOCK), 0, "pipe2(O_CLOEXEC|O_NONBLOCK)");
	fl = fcntl(fds[0], F_GETFL);
	ok(fl & O_NONBLOCK, "O_NONBLOCK on the read end");
	ok(fcntl(fds[1], F_GETFL) & O_NONBLOCK, "O_NONBLOCK on the write end");
	is(fcntl(fds[0], F_GETFD), FD_CLOEXEC, "FD_CLOEXEC on the read end");
	is(fcntl(fds[1], F_GETFD), FD_CLOEXEC, "FD_CLOEXEC on the write end");
	close(fds[0]);
	close(fds[1]);

	lowest = dup(0);
	close(lowest);
	is_errno(pipe2(fds, O_APPEND), EINVAL, "pipe2(O_APPEND): EINVAL");
	is_errno(pipe2(fds, 0x7fff0000), EINVAL, "pipe2(junk): EINVAL");
	is_errno(pipe2((int *)bad_addr, 0), EFAULT, "pipe2(bad pointer): EFAULT");
	is(pipe(fds), 0, "pipe after the failures");
	ok(fds[0] == lowest && fds[1] == lowest + 1, "the failed calls left no descriptor (%d %d)",
	   fds[0], fds[1]);
	close(fds[0]);
	close(fds[1]);
}

static void test_capacity(void)
{
	int fds[2];

	pipe2(fds, O_NONBLOCK);
	is(fcntl(fds[0], F_GETPIPE_SZ), PIPE_CAP, "F_GETPIPE_SZ 65536");
	is(fill_pipe(fds[1], PG), PIPE_CAP, "page writes: EAGAIN after exactly 65536 bytes");
	is_errno(write(fds[1], "x", 1), EAGAIN, "full: a 1-byte write is EAGAIN");
	is(drain(fds[0]), PIPE_CAP, "all 65536 bytes read back");
	is(fill_pipe(fds[1], 1000), 64000, "1000-byte writes: 4 to a page, EAGAIN after 64000");
	is(drain(fds[0]), 64000, "64000 read back");
	is(write(fds[1], buf, 100000), PIPE_CAP, "a 100000-byte write is cut at 65536");
	is(drain(fds[0]), PIPE_CAP, "drained");

	is(fcntl(fds[1], F_SETPIPE_SZ, 5000), 8192, "F_SETPIPE_SZ 5000 -> 8192");
	is(fcntl(fds[0], F_GETPIPE_SZ), 8192, "both ends see 8192");
	is(fill_pipe(fds[1], PG), 8192, "the smaller pipe holds 8192");
	is_errno(fcntl(fds[1], F_SETPIPE_SZ, 4096), EBUSY, "shrinking below its contents: EBUSY");
	is(fcntl(fds[1], F_SETPIPE_SZ, PIPE_CAP), PIPE_CAP, "back to 65536 with the data kept");
	is(drain(fds[0]), 8192, "the 8192 bytes are still there");
	is_errno(fcntl(0x7fff, F_GETPIPE_SZ), EBADF, "F_GETPIPE_SZ on a bad fd: EBADF");
	close(fds[0]);
	close(fds[1]);
}

static void test_read(void)
{
	int fds[2];
	char r[64];

	pipe2(fds, O_NONBLOCK);
	is_errno(read(fds[0], r, sizeof(r)), EAGAIN, "empty non-blocking read: EAGAIN");
	is(write(fds[1], "hello", 5), 5, "write 5");
	is(write(fds[1], "world", 5), 5, "write 5 more (merged)");
	is(read(fds[0], r, 3), 3, "read 3 of them");
	is(read(fds[0], r, sizeof(r)), 7, "a big read returns the 7 left");
	ok(!memcmp(r, "loworld", 7), "in order");
	is(read(fds[0], r, 0), 0, "read 0 bytes: 0");
	close(fds[1]);
	is(read(fds[0], r, sizeof(r)), 0, "no writer: EOF (0)");
	close(fds[0]);
}

/* A child writing nrec records of len bytes, each filled with tag. */
static int writer(int wfd, int tag, int nrec, size_t len)
{
	char rec[PG];

	memset(rec, tag, len);
	for (int i = 0; i < nrec; i++)
		if (write(wfd, rec, len) != (long)len)
			return 1;
	return 0;
}

static void test_atomic_size(size_t len, int nrec)
{
	int fds[2], pids[2], status, bad = 0;
	long total = 0, r;

	pipe(fds);
	for (int w = 0; w < 2; w++) {
		pids[w] = fork();
		if (pids[w] == 0) {
			close(fds[0]);
			_exit(writer(fds[1], 'A' + w, nrec, len));
		}
	}
	close(fds[1]);
	while ((r = read(fds[0], all + total, 777)) > 0)	/* odd chunks on purpose */
		total += r;
	close(fds[0]);
	for (int w = 0; w < 2; w++) {
		waitpid(pids[w], &status, 0);
		bad += !WIFEXITED(status) || WEXITSTATUS(status);
	}
	is(bad, 0, "both writers wrote everything");
	is(total, 2L * nrec * (long)len, "every byte arrived");
	for (long rec = 0; rec < total / (long)len; rec++)
		for (size_t i = 1; i < len; i++)
			if (all[rec * len + i] != all[rec * len]) {
				bad++;
				break;
			}
	ok(bad == 0, "%zu-byte writes (<= PIPE_BUF) never interleave (%d mixed records)", len, bad);
}

static volatile int got_sig, sig_count;

static void on_signal(int sig)
{
	got_sig = sig;
	sig_count++;
}

static void write_to_closed(void)
{
	int fds[2];

	pipe(fds);
	close(fds[0]);
	write(fds[1], "x", 1);
	_exit(0);		/* not reached: SIGPIPE kills */
}

static void test_epipe(void)
{
	struct sigaction sa = { .sa_handler = on_signal }, old;
	int fds[2];

	pipe(fds);
	close(fds[0]);
	sigaction(SIGPIPE, &sa, &old);
	sig_count = 0;
	is_errno(write(fds[1], "x", 1), EPIPE, "write without a reader: EPIPE");
	is(sig_count, 1, "one SIGPIPE, to the handler");
	is(got_sig, SIGPIPE, "it was SIGPIPE");
	sigaction(SIGPIPE, &old, NULL);
	close(fds[1]);
	is(expect_signal(write_to_closed), SIGPIPE, "default SIGPIPE kills the writer");
}

static short poll1(int fd, short events, int timeout)
{
	struct pollfd p = { .fd = fd, .events = events, .revents = 0x7f };
	int n = poll(&p, 1, timeout);

	return n < 0 ? -1 : p.revents;
}

static void test_poll(void)
{
	struct pollfd p[3];
	int fds[2], fds2[2], pid, status;

	pipe2(fds, O_NONBLOCK);
	is(poll1(fds[0], POLLIN, 0), 0, "empty: read end not ready");
	is(poll1(fds[1], POLLOUT, 0), POLLOUT, "empty: write end POLLOUT");
	is(poll1(fds[1], POLLIN, 0), 0, "write end never POLLIN");
	write(fds[1], "ab", 2);
	is(poll1(fds[0], POLLIN | POLLRDNORM, 0), POLLIN | POLLRDNORM, "data: POLLIN|POLLRDNORM");
	fill_pipe(fds[1], PG);
	is(poll1(fds[1], POLLOUT, 0), 0, "full: no POLLOUT");
	close(fds[1]);
	is(poll1(fds[0], POLLIN, 0), POLLIN | POLLHUP, "writer gone with data left: POLLIN|POLLHUP");
	drain(fds[0]);
	is(poll1(fds[0], POLLIN, 0), POLLHUP, "drained: POLLHUP only");
	is(poll1(fds[0], 0, 0), POLLHUP, "POLLHUP even when not asked");
	close(fds[0]);

	pipe(fds);
	close(fds[0]);
	is(poll1(fds[1], POLLOUT, 0), POLLOUT | POLLERR, "reader gone: POLLOUT|POLLERR");
	close(fds[1]);

	pipe(fds);
	pipe(fds2);
	p[0] = (struct pollfd){ .fd = fds[0], .events = POLLIN };
	p[1] = (struct pollfd){ .fd = -1, .events = POLLIN, .revents = 0x55 };
	p[2] = (struct pollfd){ .fd = 60, .events = POLLIN };
	is(poll(p, 3, 0), 1, "a bad fd counts, a negative one does not");
	is(p[0].revents, 0, "nothing to read");
	is(p[1].revents, 0, "fd -1: revents 0");
	is(p[2].revents, POLLNVAL, "fd not open: POLLNVAL");
	is(poll(p, 1, 20), 0, "a 20 ms timeout with nothing ready: 0");
	pid = fork();
	if (pid == 0) {
		usleep(30000);
		write(fds[1], "z", 1);
		_exit(0);
	}
	p[0].revents = 0;
	is(poll(p, 1, -1), 1, "a blocking poll wakes for a child's write");
	is(p[0].revents, POLLIN, "POLLIN");
	waitpid(pid, &status, 0);
	is_errno(poll(p, nofile_limit() + 1, 0), EINVAL, "nfds over RLIMIT_NOFILE: EINVAL");
	is_errno(poll((struct pollfd *)bad_addr, 1, 0), EFAULT, "bad pointer: EFAULT");
	{
		struct timespec zero = { 0, 0 }, bad_ts = { 0, 1000000000L };
		sigset_t mask = 0;

		is_errno(syscall(__NR_ppoll, p, 1, &bad_ts, NULL, 8), EINVAL, "ppoll tv_nsec 1e9: EINVAL");
		is_errno(syscall(__NR_ppoll, p, 1, &zero, &mask, 4), EINVAL, "ppoll sigsetsize 4: EINVAL");
		is(syscall(__NR_ppoll, p, 1, &zero, &mask, 8), 1, "ppoll with a mask: the child's byte, 1");
	}
	if (on_foliOS())
		is(poll1(1, POLLOUT, 0), POLLOUT, "console: POLLOUT");
	close(fds[0]);
	close(fds[1]);
	close(fds2[0]);
	close(fds2[1]);
}

static int alarm_wfd;

static void on_alarm(int sig)
{
	(void)sig;
	sig_count++;
	if (alarm_wfd >= 0)
		write(alarm_wfd, "r", 1);
}

/* A blocking read interrupted by SIGALRM 50 ms in; flags for the handler. */
static long read_with_alarm(int rfd, int flags, char *c)
{
	struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = flags }, old;
	struct itimerval it = { .it_value = { 0, 50000 } };
	long r;

	sigaction(SIGALRM, &sa, &old);
	sig_count = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	r = read(rfd, c, 1);
	sigaction(SIGALRM, &old, NULL);
	return r;
}

static void test_eintr(void)
{
	int fds[2];
	char c = 0;

	pipe(fds);
	alarm_wfd = -1;
	is_errno(read_with_alarm(fds[0], 0, &c), EINTR, "SIGALRM, no SA_RESTART: EINTR");
	is(sig_count, 1, "the handler ran");
	alarm_wfd = fds[1];	/* the handler writes a byte, the restarted read gets it */
	is(read_with_alarm(fds[0], SA_RESTART, &c), 1, "SA_RESTART: the read restarts and returns 1");
	is(c, 'r', "with the handler's byte");
	is(sig_count, 1, "the handler ran once");
	close(fds[0]);
	close(fds[1]);
}

/* After execve: fd a must be closed, fd b open. */
static int exec_check(int a, int b)
{
	int bad = 0;

	bad += fcntl(a, F_GETFD) != -1 || errno != EBADF;
	bad += fcntl(b, F_GETFD) != 0;
	bad += write(b, "e", 1) != 1;
	return bad;
}

static void test_cloexec(const char *self)
{
	int fds[2], fds2[2], pid, status;
	char a[16], b[16], c;

	pipe2(fds, O_CLOEXEC);
	pipe(fds2);
	is(fcntl(fds2[0], F_SETFD, FD_CLOEXEC), 0, "F_SETFD FD_CLOEXEC");
	is(fcntl(fds2[0], F_GETFD), FD_CLOEXEC, "F_GETFD reads it back");
	pid = fork();
	if (pid == 0) {
		char *argv[] = { (char *)self, "exec-check", a, b, NULL };

		snprintf(a, sizeof(a), "%d", fds[1]);
		snprintf(b, sizeof(b), "%d", fds2[1]);
		execve(self, argv, NULL);
		_exit(99);
	}
	close(fds[1]);
	close(fds2[1]);
	waitpid(pid, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	   "execve closed the O_CLOEXEC end and kept the other (status %#x)", status);
	is(read(fds2[0], &c, 1), 1, "the kept end carried the new program's byte");
	is(read(fds[0], &c, 1), 0, "the closed end: EOF once the child is gone");
	close(fds[0]);
	close(fds2[0]);
}

static void test_dup_fork(void)
{
	int fds[2], d, pid, status;
	char r[8];

	pipe(fds);
	d = dup(fds[1]);
	ok(d > fds[1], "dup of the write end: %d", d);
	close(fds[1]);
	is(write(d, "ab", 2), 2, "write through the dup");
	is(dup2(d, 20), 20, "dup2 to 20");
	is(dup2(20, 20), 20, "dup2(fd, fd) returns fd");
	is_errno(dup3(20, 20, 0), EINVAL, "dup3(fd, fd): EINVAL");
	is_errno(dup3(20, 21, O_NONBLOCK), EINVAL, "dup3 with O_NONBLOCK: EINVAL");
	is(dup3(20, 21, O_CLOEXEC), 21, "dup3 O_CLOEXEC");
	is(fcntl(21, F_GETFD), FD_CLOEXEC, "the dup3 has FD_CLOEXEC");
	is(fcntl(20, F_GETFD), 0, "the dup2 has not");
	close(d);
	close(20);
	is(read(fds[0], r, sizeof(r)), 2, "data written through a dup");
	pid = fork();
	if (pid == 0) {
		write(21, "child", 5);
		_exit(0);
	}
	close(21);
	is(read(fds[0], r, sizeof(r)), 5, "the forked child's write arrives");
	waitpid(pid, &status, 0);
	is(read(fds[0], r, sizeof(r)), 0, "EOF after the child, the last writer, exited");
	close(fds[0]);
}

static void test_fcntl(void)
{
	int fds[2], d;
	char c;

	pipe(fds);
	d = fcntl(fds[0], F_DUPFD, 30);
	is(d, 30, "F_DUPFD 30: the lowest free >= 30");
	is(fcntl(fds[0], F_DUPFD, 30), 31, "again: 31");
	is(fcntl(30, F_GETFD), 0, "F_DUPFD clears FD_CLOEXEC");
	is(fcntl(fds[0], F_DUPFD_CLOEXEC, 0), fds[1] + 1, "F_DUPFD_CLOEXEC 0: the lowest free");
	is(fcntl(fds[1] + 1, F_GETFD), FD_CLOEXEC, "with FD_CLOEXEC");
	close(30);
	close(31);
	close(fds[1] + 1);
	is(fcntl(fds[0], F_SETFD, FD_CLOEXEC | 0x10), 0, "F_SETFD with extra bits");
	is(fcntl(fds[0], F_GETFD), FD_CLOEXEC, "only FD_CLOEXEC kept");
	is(fcntl(fds[0], F_SETFD, 0), 0, "F_SETFD 0");
	is(fcntl(fds[0], F_SETFL, O_NONBLOCK), 0, "F_SETFL O_NONBLOCK");
	is(fcntl(fds[0], F_GETFL), O_RDONLY | O_NONBLOCK, "F_GETFL: O_RDONLY|O_NONBLOCK");
	is_errno(read(fds[0], &c, 1), EAGAIN, "the read end is now non-blocking");
	is(fcntl(fds[0], F_SETFL, O_RDWR | O_APPEND), 0, "F_SETFL cannot change the access mode");
	is(fcntl(fds[0], F_GETFL), O_RDONLY | O_APPEND, "O_APPEND set, O_NONBLOCK cleared, O_RDONLY kept");
	is_errno(fcntl(fds[0], 9999), EINVAL, "unknown command: EINVAL");
	is_errno(fcntl(-1, F_GETFD), EBADF, "fd -1: EBADF");
	is_errno(fcntl(63, F_GETFL), EBADF, "fd not open: EBADF");
	is_errno(fcntl(63, 9999), EBADF, "bad fd before bad command: EBADF");
	is_errno(fcntl(fds[0], F_DUPFD, nofile_limit()), EINVAL, "F_DUPFD at RLIMIT_NOFILE: EINVAL");
	close(fds[0]);
	close(fds[1]);
}

static void test_rw(const char *self)
{
	struct iovec iov[3];
	char a[4], b[5], c[8], head[4];
	int fds[2], fd = open(self, O_RDONLY);

	ok(fd >= 0, "open %s", self);
	is(pread(fd, head, 4, 0), 4, "pread 4 at 0");
	ok(!memcmp(head, "\177ELF", 4), "an ELF header");
	is(pread(fd, head, 3, 1), 3, "pread 3 at 1");
	ok(!memcmp(head, "ELF", 3), "from offset 1");
	is(read(fd, head, 1), 1, "read after pread");
	is(head[0], 0177, "pread did not move the offset");
	is_errno(pread(fd, head, 1, -1), EINVAL, "pread at -1: EINVAL");
	is_errno(pread(0x3f, head, 1, -1), EINVAL, "negative offset checked before the fd: EINVAL");
	is_errno(pread(0x3f, head, 1, 0), EBADF, "pread on a bad fd: EBADF");
	is_errno(pwrite(fd, head, 1, 0), EBADF, "pwrite on a read-only fd: EBADF");
	is_errno(pread(fd, (char *)bad_addr, 1, 0), EFAULT, "pread to a bad buffer: EFAULT");
	close(fd);

	pipe(fds);
	is_errno(pread(fds[0], head, 1, 0), ESPIPE, "pread on a pipe: ESPIPE");
	is_errno(pwrite(fds[1], head, 1, 0), ESPIPE, "pwrite on a pipe: ESPIPE");
	is_errno(pread(fds[1], head, 1, 0), ESPIPE, "pread on the write end: ESPIPE before EBADF");
	iov[0] = (struct iovec){ "0123", 4 };
	iov[1] = (struct iovec){ "", 0 };
	iov[2] = (struct iovec){ "456789abcdef", 12 };
	is(writev(fds[1], iov, 3), 16, "writev 16 bytes");
	iov[0] = (struct iovec){ a, sizeof(a) };
	iov[1] = (struct iovec){ b, sizeof(b) };
	iov[2] = (struct iovec){ c, sizeof(c) };
	is(readv(fds[0], iov, 3), 16, "readv all 16");
	ok(!memcmp(a, "0123", 4) && !memcmp(b, "45678", 5) && !memcmp(c, "9abcdef", 7),
	   "readv filled the buffers in order");
	is_errno(readv(fds[0], iov, -1), EINVAL, "readv iovcnt -1: EINVAL");
	is_errno(readv(fds[0], iov, 1025), EINVAL, "readv iovcnt 1025: EINVAL");
	is_errno(readv(fds[1], iov, 1), EBADF, "readv on the write end: EBADF");
	is(readv(fds[0], iov, 0), 0, "readv of nothing: 0");
	close(fds[0]);
	close(fds[1]);
}

static void test_cwd(void)
{
	char saved[512], cwd[512];
	struct stat st;
	int fd;

	ok(getcwd(saved, sizeof(saved)) != NULL, "getcwd: %s", saved);
	is(chdir("/proc"), 0, "chdir /proc");
	ok(getcwd(cwd, sizeof(cwd)) && !strcmp(cwd, "/proc"), "getcwd: /proc");
	fd = open("meminfo", O_RDONLY);
	ok(fd >= 0, "open a relative path: meminfo");
	close(fd);
	is(stat("self", &st), 0, "stat a relative path");
	is_errno(chdir("meminfo"), ENOTDIR, "chdir to a file: ENOTDIR");
	is_errno(chdir("/no/such/dir"), ENOENT, "chdir to nothing: ENOENT");
	is_errno(chdir("meminfo/x"), ENOTDIR, "through a file: ENOTDIR");
	is_errno(chdir((char *)bad_addr), EFAULT, "bad pointer: EFAULT");
	is(chdir(".."), 0, "chdir ..");
	ok(getcwd(cwd, sizeof(cwd)) && !strcmp(cwd, "/"), "getcwd: /");
	is(syscall(__NR_getcwd, cwd, 2), 2, "getcwd returns the length with the NUL");
	is_errno(syscall(__NR_getcwd, cwd, 1), ERANGE, "a 1-byte buffer: ERANGE");
	is_errno(syscall(__NR_getcwd, cwd, 0), ERANGE, "size 0: ERANGE");
	is_errno(syscall(__NR_getcwd, (char *)bad_addr, 64), EFAULT, "bad buffer: EFAULT");
	is(chdir(saved), 0, "back to where we were");
}

static void test_wait4(void)
{
	int pid = fork(), status;

	if (pid == 0)
		_exit(7);
	usleep(20000);
	is_errno(wait4(pid, (int *)bad_addr, 0, NULL), EFAULT, "wait4 with a bad status pointer: EFAULT");
	is_errno(wait4(pid, &status, 0, NULL), ECHILD, "the child was reaped all the same: ECHILD");
}

static void test_vmsplice(void)
{
	struct iovec iov = { src, sizeof(src) }, bad = { NULL, 16 };
	struct sigaction sa = { .sa_handler = SIG_IGN }, old;
	int fds[2], fd;

	memset(src, 'v', sizeof(src));
	bad.iov_base = (void *)bad_addr;
	pipe(fds);
	is(vmsplice(fds[1], &iov, 1, 0), (long)sizeof(src), "vmsplice 3 pages");
	is(read(fds[0], buf, sizeof(buf)), (long)sizeof(src), "read them");
	ok(buf[0] == 'v' && buf[sizeof(src) - 1] == 'v', "the data");
	is_errno(vmsplice(fds[1], &iov, 1, 0x10), EINVAL, "unknown flag: EINVAL");
	is_errno(vmsplice(0x3f, &iov, 1, 0), EBADF, "bad fd: EBADF");
	fd = open("/proc/meminfo", O_RDONLY);
	is_errno(vmsplice(fd, &iov, 1, 0), EBADF, "not a pipe: EBADF");
	close(fd);
	is_errno(vmsplice(fds[1], &iov, 1025, 0), EINVAL, "1025 iovecs: EINVAL");
	is_errno(vmsplice(fds[1], (struct iovec *)bad_addr, 1, 0), EFAULT, "bad iovec array: EFAULT");
	is_errno(vmsplice(fds[1], &bad, 1, 0), EFAULT, "bad buffer: EFAULT");
	is(vmsplice(fds[1], &iov, 0, 0), 0, "no iovec: 0");
	fcntl(fds[1], F_SETFL, O_NONBLOCK);
	is(fill_pipe(fds[1], PG), PIPE_CAP, "fill the pipe");
	is_errno(vmsplice(fds[1], &iov, 1, SPLICE_F_NONBLOCK), EAGAIN, "full, SPLICE_F_NONBLOCK: EAGAIN");
	close(fds[0]);
	sigaction(SIGPIPE, &sa, &old);
	is_errno(vmsplice(fds[1], &iov, 1, 0), EPIPE, "no reader: EPIPE");
	sigaction(SIGPIPE, &old, NULL);
	close(fds[1]);
}

/* MemFree once the deferred-split queue is empty (the CoW after each fork leaves old folios
 * partially mapped; their unmapped pages come back when they are split). */
static long settled_free_pages(void)
{
	sysfs_write(FOLIO_DIR "/deferred_split_scan", "1");
	return free_pages_now();
}

int main(int argc, char **argv)
{
	long free0;

	if (argc == 4 && !strcmp(argv[1], "exec-check"))
		return exec_check(atoi(argv[2]), atoi(argv[3]));
	/* Fault in the buffers, the stack and libfolio's state before the baseline. */
	memset(buf, 0, sizeof(buf));
	memset(all, 0, sizeof(all));
	memset(src, 0, sizeof(src));
	test_read();
	free0 = on_foliOS() ? settled_free_pages() : 0;
	test_pipe2();
	test_capacity();
	test_read();
	test_atomic_size(1000, 200);
	test_atomic_size(PG, 100);
	test_epipe();
	test_poll();
	test_eintr();
	test_cloexec(argv[0]);
	test_dup_fork();
	test_fcntl();
	test_rw(argv[0]);
	test_cwd();
	test_wait4();
	test_vmsplice();
	if (on_foliOS())
		is(settled_free_pages(), free0, "MemFree back: no page of any pipe leaked");
	return done_testing();
}
