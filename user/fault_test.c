/* fault_test: user faults that cannot be resolved kill only the faulting process,
 * with the signal Linux would send. */
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <test.h>
#include <sys/mman.h>
#include <sys/wait.h>

static volatile uintptr_t addr_arg;

static void read_addr(void) { (void)*(volatile long *)addr_arg; }
static void write_addr(void) { *(volatile long *)addr_arg = 0x1234; }
static void jump_addr(void) { ((void (*)(void))addr_arg)(); }

static void illegal(void)
{
#if defined(__x86_64__)
	__asm__ __volatile__("ud2");
#else
	__asm__ __volatile__("udf #0");
#endif
}

#if defined(__x86_64__)
static void divide_by_zero(void)
{
	long q, r;
	__asm__ __volatile__("cqto; idivq %2" : "=a"(q), "=d"(r) : "r"(0L), "a"(1L));
}

static void divide_overflow(void)
{
	long q, r;
	__asm__ __volatile__("cqto; idivq %2" : "=a"(q), "=d"(r) : "r"(-1L), "a"(INT64_MIN));
}

static void privileged(void)
{
	__asm__ __volatile__("hlt");	/* #GP at CPL 3 */
}
#endif

static int sig_at(void (*fn)(void), uintptr_t addr)
{
	addr_arg = addr;
	return expect_signal(fn);
}

int main(void)
{
	static const uintptr_t kaddrs[] = { 0xffff800000000000UL, 0xffffffff80000000UL };
	volatile long canary = 0x600dcafe;

	for (unsigned i = 0; i < 2; i++) {
		is(sig_at(read_addr, kaddrs[i]), SIGSEGV, "user read of a kernel address: SIGSEGV");
		is(sig_at(write_addr, kaddrs[i]), SIGSEGV, "user write of a kernel address: SIGSEGV");
	}
	is(sig_at(jump_addr, 0xffffffff80000000UL), SIGSEGV, "user jump to a kernel address: SIGSEGV");
	is(sig_at(read_addr, 0), SIGSEGV, "read of address 0: SIGSEGV");
	is(sig_at(write_addr, 8), SIGSEGV, "write of address 8: SIGSEGV");
	is(sig_at(read_addr, 0x0000700000000000UL), SIGSEGV, "read of an unmapped user address: SIGSEGV");
#if defined(__x86_64__)
	is(sig_at(read_addr, 0x8000000000000000UL), SIGSEGV, "read of a non-canonical address (#GP): SIGSEGV");
	is(sig_at(read_addr, 0x0000800000000000UL), SIGSEGV, "read of the first non-canonical address: SIGSEGV");
#endif

	/* Writing the program's own text, executing its data. */
	extern char _start[];
	is(sig_at(write_addr, (uintptr_t)_start), SIGSEGV, "write to the program's text: SIGSEGV");
	unsigned char *rw = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
#if defined(__x86_64__)
	rw[0] = 0xc3;				/* ret */
#else
	memcpy(rw, "\xc0\x03\x5f\xd6", 4);	/* ret */
#endif
	is(sig_at(jump_addr, (uintptr_t)rw), SIGSEGV, "executing a PROT_READ|PROT_WRITE page (NX): SIGSEGV");
	munmap(rw, 4096);

	is(expect_signal(illegal), SIGILL, "illegal instruction: SIGILL");
#if defined(__x86_64__)
	is(expect_signal(divide_by_zero), SIGFPE, "integer divide by zero: SIGFPE");
	is(expect_signal(divide_overflow), SIGFPE, "INT64_MIN / -1: SIGFPE");
	is(expect_signal(privileged), SIGSEGV, "hlt in user mode (#GP): SIGSEGV");
#else
	skip("aarch64 integer division does not trap");
#endif

	/* Only the children died. */
	is(canary, 0x600dcafe, "the parent survives all of it, its memory intact");
	int status = -1, pid = fork();
	if (pid == 0)
		_exit(3);
	waitpid(pid, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 3, "and can still fork and wait");
	return done_testing();
}
