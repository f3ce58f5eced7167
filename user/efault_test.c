/* efault_test: bad user pointers give EFAULT (never a kernel oops), unknown system
 * calls ENOSYS, and the simple informational calls work. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <test.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/utsname.h>

#define BAD ((void *)1)
#define KERNEL ((void *)0xffff800000001000UL)

int main(int argc, char **argv)
{
	struct timespec ts;
	(void)argc;

	is_errno(write(1, BAD, 10), EFAULT, "write(1, (void *)1, 10): EFAULT");
	is_errno(write(1, KERNEL, 10), EFAULT, "write(1, kernel address, 10): EFAULT");
	is_errno(clock_gettime(CLOCK_MONOTONIC, BAD), EFAULT, "clock_gettime(CLOCK_MONOTONIC, bad): EFAULT");
	is_errno(clock_gettime(CLOCK_MONOTONIC, KERNEL), EFAULT,
		 "clock_gettime(CLOCK_MONOTONIC, kernel address): EFAULT");
	is_errno(uname(BAD), EFAULT, "uname(bad): EFAULT");
	is_errno(getrusage(RUSAGE_SELF, BAD), EFAULT, "getrusage(bad): EFAULT");
	is_errno(open((const char *)BAD, O_RDONLY), EFAULT, "open(bad path): EFAULT");
	struct iovec iov = { BAD, 10 };
	is_errno(writev(1, &iov, 1), EFAULT, "writev with a bad iov_base: EFAULT");
	is_errno(writev(1, BAD, 1), EFAULT, "writev with a bad iovec array: EFAULT");
	is_errno(nanosleep(BAD, NULL), EFAULT, "nanosleep(bad): EFAULT");

	/* read() into a read-only mapping. */
	int fd = open(argv[0], O_RDONLY);
	ok(fd >= 0, "open own binary %s", argv[0]);
	void *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	is_errno(read(fd, ro, 64), EFAULT, "read into a PROT_READ mapping: EFAULT");
	is(*(volatile char *)ro, 0, "... which is left untouched");
	char buf[4];
	is(lseek(fd, 0, SEEK_SET), 0, "lseek back to 0");
	is(read(fd, buf, 4), 4, "the fd still reads after the EFAULT");
	ok(!memcmp(buf, "\177ELF", 4), "... the ELF magic");
	close(fd);
	munmap(ro, 4096);

	/* Unknown system calls. */
	is_errno(syscall(1000, 0, 0, 0, 0, 0, 0), ENOSYS, "system call 1000: ENOSYS");
	is_errno(syscall(5000, 0, 0, 0, 0, 0, 0), ENOSYS, "system call 5000: ENOSYS");
	is_errno(syscall(-1L, 0, 0, 0, 0, 0, 0), ENOSYS, "system call -1: ENOSYS");

	/* Bad descriptors and arguments. */
	is_errno(write(99, "x", 1), EBADF, "write to fd 99: EBADF");
	is_errno(close(99), EBADF, "close(99): EBADF");
	is_errno(clock_gettime(100, &ts), EINVAL, "clock_gettime of clock 100: EINVAL");
	struct timespec bad_ns = { 0, 1000000000L };
	is_errno(nanosleep(&bad_ns, NULL), EINVAL, "nanosleep with tv_nsec = 1e9: EINVAL");
	struct rusage ru;
	is_errno(getrusage(42, &ru), EINVAL, "getrusage(42): EINVAL");

	/* Things that work. */
	struct utsname u;
	memset(&u, 0, sizeof(u));
	is(uname(&u), 0, "uname");
#if defined(__x86_64__)
	ok(!strcmp(u.machine, "x86_64"), "uname machine is x86_64 (%s)", u.machine);
#else
	ok(!strcmp(u.machine, "aarch64"), "uname machine is aarch64 (%s)", u.machine);
#endif
	ok(u.sysname[0] && u.release[0] && u.version[0], "uname sysname/release/version set (%s %s)",
	   u.sysname, u.release);
	if (on_foliOS())
		ok(!strcmp(u.sysname, "foliOS"), "foliOS: sysname is foliOS");

	volatile unsigned long spin = 0;
	for (int i = 0; i < 2000000; i++)
		spin += i;
	memset(&ru, 0xff, sizeof(ru));
	is(getrusage(RUSAGE_SELF, &ru), 0, "getrusage(RUSAGE_SELF)");
	ok(ru.ru_utime.tv_sec >= 0 && ru.ru_utime.tv_usec >= 0 && ru.ru_utime.tv_usec < 1000000 &&
	   ru.ru_stime.tv_usec >= 0 && ru.ru_stime.tv_usec < 1000000, "ru_utime/ru_stime are valid timevals");
	ok(ru.ru_minflt > 0, "ru_minflt > 0 (%ld)", ru.ru_minflt);
	is(getrusage(RUSAGE_CHILDREN, &ru), 0, "getrusage(RUSAGE_CHILDREN)");

	struct timespec a, b;
	is(clock_gettime(CLOCK_MONOTONIC, &a), 0, "clock_gettime(CLOCK_MONOTONIC)");
	ok(a.tv_nsec >= 0 && a.tv_nsec < 1000000000L, "tv_nsec in range");
	int mono = 1;
	for (int i = 0; i < 1000; i++) {
		clock_gettime(CLOCK_MONOTONIC, &b);
		if (b.tv_sec < a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec < a.tv_nsec))
			mono = 0;
		a = b;
	}
	ok(mono, "CLOCK_MONOTONIC never goes backwards over 1000 reads");
	is(clock_gettime(CLOCK_REALTIME, &ts), 0, "clock_gettime(CLOCK_REALTIME)");
	struct timeval tv;
	is(gettimeofday(&tv, NULL), 0, "gettimeofday");
	ok(tv.tv_usec >= 0 && tv.tv_usec < 1000000, "tv_usec in range");
	is(clock_getres(CLOCK_MONOTONIC, &ts), 0, "clock_getres(CLOCK_MONOTONIC)");

	long t0 = now_ns();
	struct timespec ten = { 0, 10000000L };
	is(nanosleep(&ten, NULL), 0, "nanosleep 10 ms");
	long slept = now_ns() - t0;
	ok(slept >= 10000000L, "... slept at least 10 ms (%ld us)", slept / 1000);
	ok(slept < 2000000000L, "... and less than 2 s");

	is(sched_yield(), 0, "sched_yield");
	is(getpid(), gettid(), "getpid() == gettid() in a single-threaded process");
	ok(getppid() > 0, "getppid() > 0");
	unsigned char r1[16], r2[16];
	is(getrandom(r1, 16, 0), 16, "getrandom 16 bytes");
	getrandom(r2, 16, 0);
	ok(memcmp(r1, r2, 16) != 0, "two getrandom calls differ");
	return done_testing();
}
