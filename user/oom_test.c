/*
 * oom_test: running out of memory kills only the process that faulted.
 * A child writes to more anonymous memory than the machine has; it must die
 * by SIGKILL (the kernel prints "out of memory"), the parent lives on, the
 * next child gets the memory back, and nothing leaks (runtests' check).
 * foliOS only: on Linux this would test the host's OOM killer.
 */
#include <stdio.h>
#include <unistd.h>
#include <signal.h>
#include <sys/mman.h>
#include <test.h>
#include <mthp.h>

#define PG 4096UL

static unsigned long touch_len;

/* Write one byte per page of touch_len bytes of fresh anonymous memory. */
static void touch_too_much(void)
{
	char *p = mmap(NULL, touch_len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		_exit(2);
	for (unsigned long off = 0; off < touch_len; off += PG)
		p[off] = 1;
	_exit(0);
}

int main(void)
{
	long total_kb, before;

	if (!on_foliOS()) {
		skip("not foliOS");
		return done_testing();
	}
	total_kb = meminfo_kb("MemTotal");
	ok(total_kb > 0, "MemTotal readable (%ld kB)", total_kb);
	touch_len = ((unsigned long)total_kb << 10) + (64UL << 20);
	is(expect_signal(touch_too_much), SIGKILL, "writing more than RAM: the child is killed by SIGKILL");
	/* Measured after the first round, so our own stack and heap are already warm. */
	before = free_pages_now();
	is(expect_signal(touch_too_much), SIGKILL, "... and again: the memory came back");
	is(free_pages_now(), before, "free pages after the second child equal free pages before it");
	char *p = mmap(NULL, 16 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ok(p != MAP_FAILED && (p[0] = 7) == 7 && p[15 * PG] == 0, "the parent can still fault memory in");
	return done_testing();
}
