/*
 * syslog_test: syslog(2) (glibc's klogctl) against Linux 6.12's behaviour (portable:
 * the same binary passes natively on Linux, tools/user-host-test.sh).
 *
 *   errors     EINVAL for an unknown action, READ_ALL with a NULL buffer or a negative
 *              length; READ_ALL of length 0 returns 0; CLOSE and OPEN return 0
 *   size       SIZE_BUFFER is positive (foliOS: 65536, kernel/printk.c's LOG_BUF_SIZE)
 *   read       READ_ALL returns at most len bytes, whole lines, each "<N>" with N a level
 *              0-7; a 1 KiB read holds lines of the full one (foliOS: its newest lines)
 *   foliOS     the log holds the kernel's ready line and "Run /bin/... as init process";
 *              a bad buffer gives EFAULT (Linux's container log may be empty: not checked
 *              there); MemFree after equals MemFree before (the kernel's snapshot freed)
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <test.h>
#include <sys/klog.h>

#define PART_LEN 1024

static char full[1 << 17], part[PART_LEN];

/* Is buf[0..n) whole lines, each starting "<N>" (N 0-7)? */
static bool whole_level_lines(const char *buf, int n)
{
	int start = 0;

	if (n > 0 && buf[n - 1] != '\n')
		return false;
	for (int i = 0; i < n; i++) {
		if (buf[i] != '\n')
			continue;
		if (i - start < 3 || buf[start] != '<' || buf[start + 1] < '0' || buf[start + 1] > '7' ||
		    buf[start + 2] != '>')
			return false;
		start = i + 1;
	}
	return true;
}

static void test_errors(void)
{
	char b[16];

	is_errno(klogctl(42, b, sizeof(b)), EINVAL, "unknown action: EINVAL");
	is_errno(klogctl(-1, b, sizeof(b)), EINVAL, "action -1: EINVAL");
	is_errno(klogctl(SYSLOG_ACTION_READ_ALL, NULL, 16), EINVAL, "READ_ALL, NULL buffer: EINVAL");
	is_errno(klogctl(SYSLOG_ACTION_READ_ALL, b, -1), EINVAL, "READ_ALL, negative length: EINVAL");
	is(klogctl(SYSLOG_ACTION_READ_ALL, b, 0), 0, "READ_ALL of length 0 returns 0");
	is(klogctl(SYSLOG_ACTION_CLOSE, NULL, 0), 0, "CLOSE returns 0");
	is(klogctl(SYSLOG_ACTION_OPEN, NULL, 0), 0, "OPEN returns 0");
}

/* Does part[0..m) occur in full[0..n)?  (memmem) */
static bool contains(const char *full, int n, const char *part, int m)
{
	for (int i = 0; i + m <= n; i++)
		if (!memcmp(full + i, part, m))
			return true;
	return false;
}

/*
 * A partial read first, then the full one: new lines between the two only add to the
 * full read's end, so the partial one is inside it (Linux), and on foliOS, where nothing
 * prints meanwhile, exactly its end.
 */
static void test_read(void)
{
	int size = klogctl(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0);
	int m = klogctl(SYSLOG_ACTION_READ_ALL, part, PART_LEN);
	int n = klogctl(SYSLOG_ACTION_READ_ALL, full, sizeof(full));

	ok(size > 0, "SIZE_BUFFER is positive (%d)", size);
	if (on_foliOS())
		is(size, 65536, "SIZE_BUFFER: foliOS keeps 64 KiB");
	ok(n >= 0 && n <= size, "READ_ALL returns 0..SIZE_BUFFER bytes (%d)", n);
	ok(whole_level_lines(full, n), "READ_ALL: whole lines, each with its <level>");
	if (n <= PART_LEN) {
		skip("the log is too short for a partial read (%d bytes)", n);
		return;
	}
	ok(m > 0 && m <= PART_LEN && whole_level_lines(part, m), "READ_ALL of %d: whole lines (%d bytes)", PART_LEN, m);
	ok(m > 0 && contains(full, n, part, m), "READ_ALL of %d: lines of the full read", PART_LEN);
	if (on_foliOS())
		ok(m > 0 && !memcmp(part, full + n - m, m), "READ_ALL of %d: the newest lines", PART_LEN);
}

static void test_foliOS(void)
{
	int n = klogctl(SYSLOG_ACTION_READ_ALL, full, sizeof(full) - 1);

	full[n > 0 ? n : 0] = 0;
	ok(strstr(full, "] foliOS ready: ") != NULL, "the log holds the ready line");
	ok(strstr(full, "<6>") && strstr(full, "as init process\n"), "the log holds init's start, at level 6");
	is_errno(klogctl(SYSLOG_ACTION_READ_ALL, (char *)8, 65536), EFAULT, "READ_ALL to a bad buffer: EFAULT");
}

int main(void)
{
	long free0 = on_foliOS() ? free_pages_now() : 0;

	test_errors();
	test_read();
	if (on_foliOS()) {
		test_foliOS();
		is(free_pages_now(), free0, "MemFree back: the kernel's copy of the log freed");
	}
	return done_testing();
}
