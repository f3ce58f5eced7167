/*
 * tlb_test: TLB coherence across address-space switches, which keep other address
 * spaces' TLB entries once they are tagged (PCID on x86_64, ASIDs on arm64,
 * docs/mm/tlb.md), and instruction fetch from freshly written code.
 *
 *   cow       parent and child write the same pages after fork, alternating by
 *             sched_yield(): a write through a stale writable entry would land in
 *             the shared frame and show in the other process
 *   remap     the child munmaps and maps anew at the same address while the parent
 *             runs in between: the child must read zeros, the parent its own data
 *   many      more processes than ASIDs (boot with folio.asid_bits=2 for rollovers),
 *             each checking its own pages after every switch
 *   code      a page written with instructions, mprotect'ed PROT_EXEC (after
 *             __builtin___clear_cache, as user space must) and called; then rewritten
 *             and called again; also in a CoW'd copy after fork
 * Exact data checks only; a missed flush shows as a wrong byte.  (QEMU flushes its own
 * TLB at every ASID/PCID change, so under QEMU these pass even with a missed flush of
 * another address space; real CPUs do not.)  Portable: runs on Linux too.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <mthp.h>
#include <test.h>
#include <sys/mman.h>
#include <sys/wait.h>

#define PG		4096UL
#define NPAGES		32
#define ROUNDS		8
#define NPROCS		9

static int wait_ok(pid_t pid)
{
	int status = -1;

	return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	       WEXITSTATUS(status) == 0;
}

/* Does every byte of page i of p hold v (checked in words at a stride)? */
static int page_holds(const volatile unsigned char *p, size_t i, unsigned char v)
{
	for (size_t b = 0; b < PG; b += 64)
		if (p[i * PG + b] != v)
			return 0;
	return 1;
}

static void page_set(volatile unsigned char *p, size_t i, unsigned char v)
{
	for (size_t b = 0; b < PG; b += 64)
		p[i * PG + b] = v;
}

/*
 * One side of t_cow: in each round write its own value into every page, having
 * checked that the page still holds what this side last saw; yield between pages.
 * Returns the number of wrong pages.
 */
static int cow_side(volatile unsigned char *p, unsigned char base)
{
	int bad = 0;

	for (int r = 0; r < ROUNDS; r++) {
		for (size_t i = 0; i < NPAGES; i++) {
			unsigned char want = r ? (unsigned char)(base + r - 1) : 0x11;

			bad += !page_holds(p, i, want);
			page_set(p, i, (unsigned char)(base + r));
			sched_yield();
		}
	}
	return bad;
}

static void t_cow(void)
{
	volatile unsigned char *p = mmap(NULL, NPAGES * PG, PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pid_t pid;
	int bad;

	if (!ok(p != MAP_FAILED, "cow: map"))
		return;
	for (size_t i = 0; i < NPAGES; i++)
		page_set(p, i, 0x11);	/* writable TLB entries in the parent before fork */
	pid = fork();
	if (pid == 0)
		_exit(cow_side(p, 0x80) ? 1 : 0);
	bad = cow_side(p, 0x40);
	is(bad, 0, "cow: the parent always reads its own last writes");
	ok(wait_ok(pid), "cow: so does the child (exit 0)");
	munmap((void *)p, NPAGES * PG);
}

/* The child of t_remap: drop the region, map a fresh one at the same address, check zeros. */
static int remap_child(volatile unsigned char *p)
{
	int bad = 0;

	sched_yield();
	if (munmap((void *)p, NPAGES * PG))
		return 2;
	sched_yield();
	if (mmap((void *)p, NPAGES * PG, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != (void *)p)
		return 3;
	for (size_t i = 0; i < NPAGES; i++) {
		bad += !page_holds(p, i, 0);
		page_set(p, i, 0x99);
		sched_yield();
	}
	for (size_t i = 0; i < NPAGES; i++)
		bad += !page_holds(p, i, 0x99);
	return bad ? 1 : 0;
}

static void t_remap(void)
{
	volatile unsigned char *p = mmap(NULL, NPAGES * PG, PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int bad = 0;
	pid_t pid;

	if (!ok(p != MAP_FAILED, "remap: map"))
		return;
	for (size_t i = 0; i < NPAGES; i++)
		page_set(p, i, 0x22);
	pid = fork();
	if (pid == 0) {
		(void)page_holds(p, 0, 0x22);	/* the child's TLB now holds the old page */
		_exit(remap_child(p));
	}
	for (int r = 0; r < 4 * NPAGES; r++) {
		bad += !page_holds(p, (size_t)r % NPAGES, 0x22);
		sched_yield();
	}
	ok(wait_ok(pid), "remap: the child reads zeros after munmap + mmap at the same address");
	is(bad, 0, "remap: the parent keeps reading its own data meanwhile");
	munmap((void *)p, NPAGES * PG);
}

/* One of t_many's processes: its own value in its own pages, checked after every yield. */
static int many_child(int k)
{
	volatile unsigned char *p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int bad = 0;

	if (p == MAP_FAILED)
		return 2;
	for (int r = 0; r < 4 * ROUNDS; r++) {
		unsigned char v = (unsigned char)(k * 16 + r);

		for (size_t i = 0; i < 4; i++)
			page_set(p, i, v);
		sched_yield();
		for (size_t i = 0; i < 4; i++)
			bad += !page_holds(p, i, v);
	}
	return bad ? 1 : 0;
}

static void t_many(void)
{
	long roll0 = vmstat_get("asid_rollover");
	pid_t pids[NPROCS];
	int good = 0;

	for (int k = 0; k < NPROCS; k++) {
		pids[k] = fork();
		if (pids[k] == 0)
			_exit(many_child(k + 1));
	}
	for (int k = 0; k < NPROCS; k++)
		good += wait_ok(pids[k]);
	is(good, NPROCS, "many: every process read its own pages after every switch");
	if (roll0 >= 0)
		diag("many: asid_rollover +%ld", vmstat_get("asid_rollover") - roll0);
}

/* ---- code written at run time ---- */

/* Instructions of `int f(void) { return v; }` for this architecture (v < 65536). */
static size_t emit_return(unsigned char *buf, unsigned int v)
{
#if defined(__aarch64__)
	unsigned int insn[2] = { 0x52800000u | (v << 5), 0xd65f03c0u };	/* mov w0, #v; ret */
#else
	unsigned char insn[6] = { 0xb8, (unsigned char)v, (unsigned char)(v >> 8), 0, 0, 0xc3 };
#endif
	memcpy(buf, insn, sizeof(insn));
	return sizeof(insn);
}

/* Write `return v` at p (mapped RW), make it executable, run it. */
static int run_code(unsigned char *p, unsigned int v)
{
	size_t n;
	int (*fn)(void);

	if (mprotect(p, PG, PROT_READ | PROT_WRITE))
		return -1;
	n = emit_return(p, v);
	__builtin___clear_cache((char *)p, (char *)p + n);
	if (mprotect(p, PG, PROT_READ | PROT_EXEC))
		return -1;
	fn = (int (*)(void))(void *)p;
	return fn();
}

static void t_code(void)
{
	unsigned char *p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pid_t pid;

	if (!ok(p != MAP_FAILED, "code: map"))
		return;
	is(run_code(p, 1234), 1234, "code: written, made executable, run");
	is(run_code(p, 4321), 4321, "code: rewritten in place, run again");
	pid = fork();
	if (pid == 0)
		_exit(run_code(p, 777) == 777 && ((int (*)(void))(void *)p)() == 777 ? 0 : 1);
	ok(wait_ok(pid), "code: the child's CoW copy rewritten and run");
	is(((int (*)(void))(void *)p)(), 4321, "code: the parent still runs its own code");
	munmap(p, PG);
}

int main(void)
{
	t_cow();
	t_remap();
	t_many();
	t_code();
	return done_testing();
}
