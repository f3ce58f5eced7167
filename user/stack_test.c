/* stack_test: the main stack grows on demand to ~6 MiB; going past the 8 MiB limit
 * kills the process with SIGSEGV (checked when the limit is 8 MiB: always on foliOS,
 * on Linux when RLIMIT_STACK says so). */
#include <signal.h>
#include <stdint.h>
#include <unistd.h>
#include <test.h>
#include <sys/resource.h>
#include <sys/mman.h>
#include <sys/wait.h>

#define FRAME 4096

/* Each level keeps a 4 KiB array live across the recursive call (no tail call). */
static __attribute__((noinline)) long recurse(int depth, uintptr_t *lowest)
{
	volatile char buf[FRAME];

	for (int i = 0; i < FRAME; i += 512)
		buf[i] = (char)depth;
	if ((uintptr_t)buf < *lowest)
		*lowest = (uintptr_t)buf;
	long sum = depth ? recurse(depth - 1, lowest) : 0;
	for (int i = 0; i < FRAME; i += 512)
		sum += buf[i] == (char)depth;	/* still intact after the deeper calls */
	return sum;
}

static int depth_for(unsigned long bytes)
{
	return (int)(bytes / FRAME);	/* frames are a little over FRAME bytes */
}

static void overflow(void)
{
	uintptr_t lowest = ~0UL;
	recurse(depth_for(16UL << 20), &lowest);	/* 16 MiB: must not return */
}

int main(void)
{
	volatile char here;
	uintptr_t lowest = (uintptr_t)&here;
	int depth = depth_for(6UL << 20);

	long sum = recurse(depth, &lowest);
	is(sum, (long)(depth + 1) * (FRAME / 512), "6 MiB deep recursion returns, every frame intact");
	unsigned long used = (uintptr_t)&here - lowest;
	ok(used >= (6UL << 20), "stack really grew by ~6 MiB (%lu KiB)", used >> 10);

	/* Again: the grown stack is still mapped and reusable. */
	sum = recurse(depth, &lowest);
	is(sum, (long)(depth + 1) * (FRAME / 512), "recursing again over the grown stack");

	/* mmap placement must keep away from the stack: a big mapping works now. */
	void *p = mmap(NULL, 64 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ok(p != MAP_FAILED, "64 MiB mmap after the stack grew");
	if (p != MAP_FAILED)
		munmap(p, 64 << 20);

	struct rlimit rl;
	int have_rl = getrlimit(RLIMIT_STACK, &rl) == 0;
	if (on_foliOS() || (have_rl && rl.rlim_cur == 8UL << 20)) {
		if (have_rl)
			diag("RLIMIT_STACK cur %#lx max %#lx", rl.rlim_cur, rl.rlim_max);
		is(expect_signal(overflow), SIGSEGV, "recursing past 8 MiB of stack: SIGSEGV");
	} else {
		skip("stack limit is not 8 MiB here");
	}
	return done_testing();
}
