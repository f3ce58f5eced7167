/* System-call wrappers: Linux ABI, -1 and errno on failure like libc. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <unistd.h>
#include <dirent.h>
#include <signal.h>
#include <time.h>
#include <termios.h>
#include <sys/syscall.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/random.h>
#include <sys/klog.h>
#include <sys/reboot.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/ioctl.h>
#include <sched.h>
#include <poll.h>
#include "syscall_arch.h"

long __syscall(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
	return __syscall6(nr, a1, a2, a3, a4, a5, a6);
}

/* Also reached from the vfork assembly stubs. */
long __syscall_ret(long r)
{
	if ((unsigned long)r > -4096UL) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

#define S0(n)			__syscall_ret(__syscall6(n, 0, 0, 0, 0, 0, 0))
#define S1(n, a)		__syscall_ret(__syscall6(n, (long)(a), 0, 0, 0, 0, 0))
#define S2(n, a, b)		__syscall_ret(__syscall6(n, (long)(a), (long)(b), 0, 0, 0, 0))
#define S3(n, a, b, c)		__syscall_ret(__syscall6(n, (long)(a), (long)(b), (long)(c), 0, 0, 0))
#define S4(n, a, b, c, d)	__syscall_ret(__syscall6(n, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0))
#define S5(n, a, b, c, d, e)	__syscall_ret(__syscall6(n, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0))
#define S6(n, a, b, c, d, e, f)	__syscall_ret(__syscall6(n, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f)))

long syscall(long nr, ...)
{
	va_list ap;
	long a[6];

	va_start(ap, nr);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	return S6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

ssize_t read(int fd, void *buf, size_t n) { return S3(__NR_read, fd, buf, n); }
ssize_t write(int fd, const void *buf, size_t n) { return S3(__NR_write, fd, buf, n); }
ssize_t writev(int fd, const struct iovec *iov, int cnt) { return S3(__NR_writev, fd, iov, cnt); }
ssize_t readv(int fd, const struct iovec *iov, int cnt) { return S3(__NR_readv, fd, iov, cnt); }
int close(int fd) { return S1(__NR_close, fd); }
ssize_t pread(int fd, void *buf, size_t n, off_t off) { return S4(__NR_pread64, fd, buf, n, off); }
ssize_t pwrite(int fd, const void *buf, size_t n, off_t off) { return S4(__NR_pwrite64, fd, buf, n, off); }
int pipe2(int fds[2], int flags) { return S2(__NR_pipe2, fds, flags); }
int pipe(int fds[2]) { return pipe2(fds, 0); }
int dup(int fd) { return S1(__NR_dup, fd); }
int dup3(int oldfd, int newfd, int flags) { return S3(__NR_dup3, oldfd, newfd, flags); }
/* dup2(fd, fd) checks fd and returns it, as glibc's on aarch64 (which has no dup2). */
int dup2(int oldfd, int newfd)
{
	if (oldfd == newfd)
		return fcntl(oldfd, F_GETFD) < 0 ? -1 : newfd;
	return dup3(oldfd, newfd, 0);
}
int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	long arg;

	va_start(ap, cmd);
	arg = va_arg(ap, long);
	va_end(ap);
	return S3(__NR_fcntl, fd, cmd, arg);
}
ssize_t vmsplice(int fd, const struct iovec *iov, size_t n, unsigned int flags)
{
	return S4(__NR_vmsplice, fd, iov, n, flags);
}
int ppoll(struct pollfd *fds, nfds_t n, const struct timespec *ts, const sigset_t *mask)
{
	return S5(__NR_ppoll, fds, n, ts, mask, sizeof(sigset_t));
}
/* poll as ppoll (aarch64 has no poll), as glibc. */
int poll(struct pollfd *fds, nfds_t n, int timeout_ms)
{
	struct timespec ts = { timeout_ms / 1000, (timeout_ms % 1000) * 1000000L };

	return ppoll(fds, n, timeout_ms < 0 ? NULL : &ts, NULL);
}
char *getcwd(char *buf, size_t size) { return S2(__NR_getcwd, buf, size) < 0 ? NULL : buf; }
int chdir(const char *path) { return S1(__NR_chdir, path); }
off_t lseek(int fd, off_t off, int whence) { return S3(__NR_lseek, fd, off, whence); }
int ftruncate(int fd, off_t len) { return S2(__NR_ftruncate, fd, len); }
int fallocate(int fd, int mode, off_t offset, off_t len) { return S4(__NR_fallocate, fd, mode, offset, len); }
int memfd_create(const char *name, unsigned int flags) { return S2(__NR_memfd_create, name, flags); }

int openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	unsigned int mode = 0;

	va_start(ap, flags);
	if (flags & O_CREAT)
		mode = va_arg(ap, unsigned int);
	va_end(ap);
	return S4(__NR_openat, dirfd, path, flags, mode);
}

int open(const char *path, int flags, ...)
{
	va_list ap;
	unsigned int mode = 0;

	va_start(ap, flags);
	if (flags & O_CREAT)
		mode = va_arg(ap, unsigned int);
	va_end(ap);
	return S4(__NR_openat, AT_FDCWD, path, flags, mode);
}

int fstat(int fd, struct stat *st) { return S2(__NR_fstat, fd, st); }
int fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	return S4(__NR_newfstatat, dirfd, path, st, flags);
}
int stat(const char *path, struct stat *st) { return fstatat(AT_FDCWD, path, st, 0); }
long getdents64(int fd, void *buf, size_t n) { return S3(__NR_getdents64, fd, buf, n); }

int ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	long arg;

	va_start(ap, req);
	arg = va_arg(ap, long);
	va_end(ap);
	return S3(__NR_ioctl, fd, req, arg);
}

int tcgetattr(int fd, struct termios *t) { return ioctl(fd, TCGETS, t); }

int isatty(int fd)
{
	struct termios t;
	return tcgetattr(fd, &t) == 0;
}

void _exit(int status)
{
	for (;;)
		__syscall6(__NR_exit_group, status, 0, 0, 0, 0, 0);
}

void _exit_thread(int status)
{
	for (;;)
		__syscall6(__NR_exit, status, 0, 0, 0, 0, 0);
}

pid_t getpid(void) { return S0(__NR_getpid); }
pid_t getppid(void) { return S0(__NR_getppid); }
pid_t gettid(void) { return S0(__NR_gettid); }
uid_t getuid(void) { return S0(__NR_getuid); }

pid_t fork(void)
{
#ifdef __NR_fork
	return S0(__NR_fork);
#else
	/* aarch64 clone(flags, newsp, parent_tid, tls, child_tid) */
	return S5(__NR_clone, SIGCHLD, 0, 0, 0, 0);
#endif
}

int execve(const char *path, char *const argv[], char *const envp[])
{
	return S3(__NR_execve, path, argv, envp);
}
int execv(const char *path, char *const argv[])
{
	extern char **environ;
	return execve(path, argv, environ);
}

pid_t wait4(pid_t pid, int *status, int options, struct rusage *ru)
{
	return S4(__NR_wait4, pid, status, options, ru);
}
pid_t waitpid(pid_t pid, int *status, int options) { return wait4(pid, status, options, 0); }
pid_t wait(int *status) { return wait4(-1, status, 0, 0); }

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	return (void *)S6(__NR_mmap, addr, len, prot, flags, fd, off);
}
int munmap(void *addr, size_t len) { return S2(__NR_munmap, addr, len); }
void *mremap(void *addr, size_t old_len, size_t new_len, int flags, void *new_addr)
{
	return (void *)S5(__NR_mremap, addr, old_len, new_len, flags, new_addr);
}
int mprotect(void *addr, size_t len, int prot) { return S3(__NR_mprotect, addr, len, prot); }
int madvise(void *addr, size_t len, int advice) { return S3(__NR_madvise, addr, len, advice); }
int mlock(const void *addr, size_t len) { return S2(__NR_mlock, addr, len); }
int munlock(const void *addr, size_t len) { return S2(__NR_munlock, addr, len); }
int mlock2(const void *addr, size_t len, unsigned int flags) { return S3(__NR_mlock2, addr, len, flags); }
int mlockall(int flags) { return S1(__NR_mlockall, flags); }
int munlockall(void) { return S1(__NR_munlockall, 0); }
int mincore(void *addr, size_t len, unsigned char *vec) { return S3(__NR_mincore, addr, len, vec); }
int msync(void *addr, size_t len, int flags) { return S3(__NR_msync, addr, len, flags); }
int prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5)
{
	return S5(__NR_prctl, option, a2, a3, a4, a5);
}

/* The raw brk returns the new break, or the unchanged old one on failure. */
static unsigned long cur_brk;

int brk(void *addr)
{
	unsigned long r = __syscall6(__NR_brk, (long)addr, 0, 0, 0, 0, 0);

	cur_brk = r;
	if (r != (unsigned long)addr) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

void *sbrk(long incr)
{
	unsigned long old;

	if (!cur_brk)
		cur_brk = __syscall6(__NR_brk, 0, 0, 0, 0, 0, 0);
	old = cur_brk;
	if (incr == 0)
		return (void *)old;
	if (brk((void *)(old + incr)) < 0)
		return (void *)-1;
	return (void *)old;
}

int clock_gettime(clockid_t clk, struct timespec *ts) { return S2(__NR_clock_gettime, clk, ts); }
int clock_getres(clockid_t clk, struct timespec *ts) { return S2(__NR_clock_getres, clk, ts); }
int gettimeofday(struct timeval *tv, void *tz) { return S2(__NR_gettimeofday, tv, tz); }
int nanosleep(const struct timespec *req, struct timespec *rem) { return S2(__NR_nanosleep, req, rem); }
int getitimer(int which, struct itimerval *v) { return S2(__NR_getitimer, which, v); }
int setitimer(int which, const struct itimerval *v, struct itimerval *old)
{
	return S3(__NR_setitimer, which, v, old);
}

/* aarch64 has no alarm(2): ITIMER_REAL one-shot, the old one's seconds rounded (as glibc). */
unsigned int alarm(unsigned int sec)
{
#ifdef __NR_alarm
	return (unsigned int)__syscall6(__NR_alarm, sec, 0, 0, 0, 0, 0);
#else
	struct itimerval v = { { 0, 0 }, { (long)sec, 0 } }, old;

	if (setitimer(ITIMER_REAL, &v, &old) < 0)
		return 0;
	return (unsigned int)(old.it_value.tv_sec + ((!old.it_value.tv_sec && old.it_value.tv_usec) ||
						    old.it_value.tv_usec >= 500000));
#endif
}

long now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
		return 0;
	return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

unsigned int sleep(unsigned int sec)
{
	struct timespec ts = { sec, 0 };
	return nanosleep(&ts, &ts) ? (unsigned int)ts.tv_sec : 0;
}

int usleep(unsigned long usec)
{
	struct timespec ts = { (long)(usec / 1000000), (long)(usec % 1000000) * 1000 };
	return nanosleep(&ts, 0);
}

int sched_yield(void) { return S0(__NR_sched_yield); }
int getrusage(int who, struct rusage *ru) { return S2(__NR_getrusage, who, ru); }
int prlimit(pid_t pid, int res, const struct rlimit *nl, struct rlimit *old)
{
	return S4(__NR_prlimit64, pid, res, nl, old);
}
int getrlimit(int res, struct rlimit *rl) { return prlimit(0, res, 0, rl); }
int setrlimit(int res, const struct rlimit *rl) { return prlimit(0, res, rl, 0); }
int uname(struct utsname *u) { return S1(__NR_uname, u); }

int mount(const char *source, const char *target, const char *fstype,
	  unsigned long flags, const void *data)
{
	return S5(__NR_mount, source, target, fstype, flags, data);
}

int reboot(int cmd)
{
	return S4(__NR_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, cmd, 0);
}

ssize_t getrandom(void *buf, size_t n, unsigned int flags)
{
	return S3(__NR_getrandom, buf, n, flags);
}

int klogctl(int type, char *bufp, int len)
{
	return S3(__NR_syslog, type, bufp, len);
}

long getpagesize(void)
{
	extern unsigned long getauxval(unsigned long);
	unsigned long p = getauxval(6 /* AT_PAGESZ */);
	return p ? (long)p : 4096;
}
