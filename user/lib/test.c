/* The TAP helper behind <test.h>. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <test.h>
#include <sys/auxv.h>
#include <sys/utsname.h>
#include <sys/wait.h>

static int n_tests, n_pass, n_fail;

static int result(int cond, const char *why, const char *fmt, va_list ap)
{
	char line[512];
	int len;

	n_tests++;
	if (cond)
		n_pass++;
	else
		n_fail++;
	len = snprintf(line, sizeof(line), "%sok %d - ", cond ? "" : "not ", n_tests);
	len += vsnprintf(line + len, sizeof(line) - len, fmt, ap);
	if (len < (int)sizeof(line) && why)
		len += snprintf(line + len, sizeof(line) - len, " # %s", why);
	if (len > (int)sizeof(line) - 2)
		len = sizeof(line) - 2;
	line[len++] = '\n';
	write(1, line, len);
	return cond;
}

int ok(int cond, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = result(cond, NULL, fmt, ap);
	va_end(ap);
	return r;
}

static int named(int cond, const char *why, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = result(cond, why, fmt, ap);
	va_end(ap);
	return r;
}

int _is(long got, long want, const char *name)
{
	char why[96];

	snprintf(why, sizeof(why), "got %ld (%#lx) want %ld (%#lx)", got, got, want, want);
	return named(got == want, got == want ? NULL : why, "%s", name);
}

int _isnt(long got, long bad, const char *name)
{
	char why[64];

	snprintf(why, sizeof(why), "got %ld (%#lx)", got, got);
	return named(got != bad, got != bad ? NULL : why, "%s", name);
}

int _is_errno(long ret, int err, const char *name)
{
	char why[128];
	int e = errno;
	int cond = ret == -1 && e == err;

	if (ret != -1)
		snprintf(why, sizeof(why), "returned %ld (%#lx), want -1 errno %d (%s)", ret, ret,
			 err, strerror(err));
	else
		snprintf(why, sizeof(why), "errno %d (%s), want %d (%s)", e, strerror(e), err,
			 strerror(err));
	return named(cond, cond ? NULL : why, "%s", name);
}

void skip(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int len;

	n_tests++;
	n_pass++;
	len = snprintf(line, sizeof(line), "ok %d - # SKIP ", n_tests);
	va_start(ap, fmt);
	len += vsnprintf(line + len, sizeof(line) - len, fmt, ap);
	va_end(ap);
	if (len > (int)sizeof(line) - 2)
		len = sizeof(line) - 2;
	line[len++] = '\n';
	write(1, line, len);
}

void diag(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int len = 2;

	line[0] = '#';
	line[1] = ' ';
	va_start(ap, fmt);
	len += vsnprintf(line + len, sizeof(line) - len, fmt, ap);
	va_end(ap);
	if (len > (int)sizeof(line) - 2)
		len = sizeof(line) - 2;
	line[len++] = '\n';
	write(1, line, len);
}

int done_testing(void)
{
	printf("%d passed, %d failed\n", n_pass, n_fail);
	return n_fail || !n_tests ? 1 : 0;
}

bool on_foliOS(void)
{
	static int cached = -1;
	struct utsname u;

	if (cached < 0)
		cached = uname(&u) == 0 && !strcmp(u.sysname, "foliOS");
	return cached;
}

long free_pages_now(void)
{
	char buf[2048];
	int fd = open("/proc/meminfo", O_RDONLY);
	long n = 0;

	if (fd < 0)
		return -1;
	while (n < (long)sizeof(buf) - 1) {
		long r = read(fd, buf + n, sizeof(buf) - 1 - n);
		if (r <= 0)
			break;
		n += r;
	}
	close(fd);
	buf[n] = 0;
	char *p = strstr(buf, "MemFree:");
	if (!p)
		return -1;
	long kb = strtol(p + 8, NULL, 10);
	return kb / (long)(page_size() / 1024);
}

unsigned long page_size(void)
{
	unsigned long p = getauxval(AT_PAGESZ);
	return p ? p : 4096;
}

static int wait_for(int pid)
{
	int status;

	if (pid < 0)
		return -1;
	while (wait4(pid, &status, 0, NULL) != pid)
		if (errno != EINTR)
			return -1;
	return status;
}

static void (*child_fn)(void);
static void call_plain(void *arg)
{
	(void)arg;
	child_fn();
}

int expect_signal_arg(void (*fn)(void *), void *arg)
{
	int pid = fork();

	if (pid == 0) {
		fn(arg);
		_exit(0);
	}
	int status = wait_for(pid);
	if (status < 0)
		return -1;
	return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

int expect_signal(void (*fn)(void))
{
	child_fn = fn;
	return expect_signal_arg(call_plain, NULL);
}

/* Bit a: argv[a] named a case test_selected() was asked about (test_cases_known). */
static unsigned long long cases_named;

bool test_selected(int argc, char **argv, const char *name)
{
	for (int a = 1; a < argc; a++) {
		if (!strcmp(argv[a], name)) {
			if (a < 64)
				cases_named |= 1ULL << a;
			return true;
		}
	}
	return argc < 2;
}

void test_cases_known(int argc, char **argv)
{
	for (int a = 1; a < argc; a++)
		if (a >= 64 || !(cases_named & (1ULL << a)))
			ok(0, "case '%s' selected on the command line exists (%s)", argv[a], argv[0]);
}

int run_child(int (*fn)(void *), void *arg)
{
	int pid = fork();

	if (pid == 0)
		_exit(fn(arg));
	return wait_for(pid);
}

void run_child_case(const char *name, int (*fn)(void *))
{
	long free0 = free_pages_now();
	int status = run_child(fn, NULL);

	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s: every check passed (in a child)", name);
	if (on_foliOS())
		ok(free_pages_now() == free0, "%s: MemFree back where it was (no page leaked)", name);
	else	/* Linux's MemFree is the whole machine's: other processes move it */
		skip("%s: MemFree is checked on foliOS only", name);
}
