/*
 * ftgen.c - the synthetic generators (ftgen.h).
 *
 * Each writes one complete trace: an FT_EXECVE of the program and its stack
 * FT_VMA, the program's calls and faults, FT_EXIT, FT_END.  Addresses are
 * those of a 47-bit user space (a region at GEN_BASE, the stack below
 * GEN_STACK_TOP, the heap at GEN_HEAP).  A first write to a page is a fault
 * with outcome FT_OUT_ALLOC order 0; a write to a page shared with a forked
 * child is FT_OUT_COW_COPY (order 0), with the child gone FT_OUT_COW_REUSE.
 * The event counts are formulas of the parameters (docs/policylab.md), but
 * for kbuild, whose shape comes from the seed.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <uapi/mman.h>
#include "tools/policylab/ftgen.h"

#define PG		4096ULL
#define GEN_BASE	0x7f0000000000ULL
#define GEN_STACK_TOP	0x7ffffffff000ULL
#define GEN_HEAP	0x600000ULL
#define RW		(PROT_READ | PROT_WRITE)
#define ANON		(MAP_PRIVATE | MAP_ANONYMOUS)

/* splitmix64: a tiny deterministic generator, the same on every host. */
static uint64_t rnd_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned long rnd_below(uint64_t *s, unsigned long n)
{
	return (unsigned long)(rnd_next(s) % n);
}

/* The program's start: execve and its stack VMA (16 pages below GEN_STACK_TOP). */
static void gen_exec(struct ft_writer *w, uint32_t pid, const char *path)
{
	ftw_execve(w, pid, path);
	ftw_vma(w, pid, GEN_STACK_TOP - 16 * PG, GEN_STACK_TOP, RW, FT_VMA_GROWSDOWN);
}

static void write_fault(struct ft_writer *w, uint32_t pid, uint64_t addr)
{
	ftw_fault(w, pid, addr, FT_ACC_WRITE, FT_OUT_ALLOC, 0);
}

/* mmap n pages at GEN_BASE, then write page order[i] for each i < n (order NULL: 0, 1, ...). */
static void touch_region(struct ft_writer *w, unsigned long n, const unsigned long *order,
			 unsigned long every)
{
	ftw_mmap(w, 1, 0, n * PG, RW, ANON, (int64_t)GEN_BASE);
	for (unsigned long i = 0; i < n; i += every)
		write_fault(w, 1, GEN_BASE + (order ? order[i] : i) * PG);
	ftw_range(w, FT_MUNMAP, 1, GEN_BASE, n * PG, 0, 0);
}

/* seq: n + 5 events. */
static void gen_seq(struct ft_writer *w, const struct ft_gen_params *p)
{
	gen_exec(w, 1, "/gen/seq");
	touch_region(w, p->pages, NULL, 1);
	ftw_exit(w, 1, 0);
}

/* rand: every page once, in a random order: n + 5 events. */
static void gen_rand(struct ft_writer *w, const struct ft_gen_params *p)
{
	unsigned long *perm = malloc(p->pages * sizeof(*perm));
	uint64_t s = p->seed;

	if (!perm)
		abort();
	for (unsigned long i = 0; i < p->pages; i++)
		perm[i] = i;
	for (unsigned long i = p->pages - 1; i > 0; i--) {
		unsigned long j = rnd_below(&s, i + 1), t = perm[i];

		perm[i] = perm[j];
		perm[j] = t;
	}
	gen_exec(w, 1, "/gen/rand");
	touch_region(w, p->pages, perm, 1);
	ftw_exit(w, 1, 0);
	free(perm);
}

/* sparse: 1 in `every` pages: ceil(n / every) + 5 events. */
static void gen_sparse(struct ft_writer *w, const struct ft_gen_params *p)
{
	gen_exec(w, 1, "/gen/sparse");
	touch_region(w, p->pages, NULL, p->every);
	ftw_exit(w, 1, 0);
}

/*
 * heap: R = n / 16 rounds of brk(+16 pages) and 16 writes; after every 4th
 * round brk(-8 pages) (free returns the top), so the next round writes those
 * 8 again.  Events: 3 + 17 R + R / 4 + 1 (execve, vma, brk(0), ..., exit).
 */
static void gen_heap(struct ft_writer *w, const struct ft_gen_params *p)
{
	unsigned long rounds = p->pages / 16;
	uint64_t brk = GEN_HEAP;

	gen_exec(w, 1, "/gen/heap");
	ftw_brk(w, 1, 0, (int64_t)brk);
	for (unsigned long r = 0; r < rounds; r++) {
		ftw_brk(w, 1, brk + 16 * PG, (int64_t)(brk + 16 * PG));
		for (unsigned int i = 0; i < 16; i++)
			write_fault(w, 1, brk + i * PG);
		brk += 16 * PG;
		if (r % 4 == 3) {
			brk -= 8 * PG;
			ftw_brk(w, 1, brk, (int64_t)brk);
		}
	}
	ftw_exit(w, 1, 0);
}

/* stack: n pages written downwards from the top, the VMA growing: n + 3 events. */
static void gen_stack(struct ft_writer *w, const struct ft_gen_params *p)
{
	gen_exec(w, 1, "/gen/stack");
	for (unsigned long i = 1; i <= p->pages; i++)
		write_fault(w, 1, GEN_STACK_TOP - i * PG);
	ftw_exit(w, 1, 0);
}

/*
 * fork: the parent writes n pages, forks; the child writes 1 in 4 (a CoW
 * copy each) and exits; the parent then writes the pages 2 mod 4 (reused:
 * the child is gone).  Events: 3 + n + 1 + n/4 + 1 + n/4 + 2 (munmap, exit).
 */
static void gen_fork(struct ft_writer *w, const struct ft_gen_params *p)
{
	unsigned long n = p->pages;

	gen_exec(w, 1, "/gen/fork");
	ftw_mmap(w, 1, 0, n * PG, RW, ANON, (int64_t)GEN_BASE);
	for (unsigned long i = 0; i < n; i++)
		write_fault(w, 1, GEN_BASE + i * PG);
	ftw_fork(w, 1, 2);
	for (unsigned long i = 0; i < n; i += 4)
		ftw_fault(w, 2, GEN_BASE + i * PG, FT_ACC_WRITE, FT_OUT_COW_COPY, 0);
	ftw_exit(w, 2, 0);
	for (unsigned long i = 2; i < n; i += 4)
		ftw_fault(w, 1, GEN_BASE + i * PG, FT_ACC_WRITE, FT_OUT_COW_REUSE, FT_ORDER_NONE);
	ftw_range(w, FT_MUNMAP, 1, GEN_BASE, n * PG, 0, 0);
	ftw_exit(w, 1, 0);
}

/*
 * madvfree: an allocator cycling through 4 chunks of n/4 pages: each of 8
 * rounds writes one chunk and MADV_FREEs it; after rounds 3 and 7 the whole
 * region is MADV_DONTNEEDed (memory pressure took the lazyfree pages), so
 * every chunk faults once per 4 rounds.  Lazyfree pages written again do
 * not fault.  Events: 3 + 2n + 8 + 2 + 2.
 */
static void gen_madvfree(struct ft_writer *w, const struct ft_gen_params *p)
{
	unsigned long n = p->pages, c = n / 4;
	bool *mapped = calloc(n, sizeof(*mapped));

	if (!mapped)
		abort();
	gen_exec(w, 1, "/gen/madvfree");
	ftw_mmap(w, 1, 0, n * PG, RW, ANON, (int64_t)GEN_BASE);
	for (unsigned int r = 0; r < 8; r++) {
		uint64_t chunk = GEN_BASE + (r % 4) * c * PG;

		for (unsigned long i = 0; i < c; i++) {
			unsigned long pg = (r % 4) * c + i;

			if (!mapped[pg])
				write_fault(w, 1, chunk + i * PG);
			mapped[pg] = true;
		}
		ftw_range(w, FT_MADVISE, 1, chunk, c * PG, MADV_FREE, 0);
		if (r % 4 == 3) {
			ftw_range(w, FT_MADVISE, 1, GEN_BASE, n * PG, MADV_DONTNEED, 0);
			memset(mapped, 0, n * sizeof(*mapped));
		}
	}
	ftw_range(w, FT_MUNMAP, 1, GEN_BASE, n * PG, 0, 0);
	ftw_exit(w, 1, 0);
	free(mapped);
}

/*
 * kbuild: `make` (pid 1) forks `procs` short compilers one after another;
 * each execs, grows its heap 1..8 times by 4 pages (written), maps 2..6
 * regions of 1..64 pages and writes a random half of their pages (reads of
 * the other half, each a zero-page fault with probability 1/4), unmaps
 * them and exits.  Then make exits.
 */
static void gen_kbuild(struct ft_writer *w, const struct ft_gen_params *p)
{
	uint64_t s = p->seed;

	gen_exec(w, 1, "/gen/make");
	for (unsigned int k = 0; k < p->procs; k++) {
		uint32_t pid = 2 + k;
		unsigned long grows = 1 + rnd_below(&s, 8), maps = 2 + rnd_below(&s, 5);
		uint64_t brk = GEN_HEAP;

		ftw_fork(w, 1, pid);
		gen_exec(w, pid, "/gen/cc1");
		ftw_brk(w, pid, 0, (int64_t)brk);
		for (unsigned long g = 0; g < grows; g++) {
			ftw_brk(w, pid, brk + 4 * PG, (int64_t)(brk + 4 * PG));
			for (unsigned int i = 0; i < 4; i++)
				write_fault(w, pid, brk + i * PG);
			brk += 4 * PG;
		}
		for (unsigned long m = 0; m < maps; m++) {
			unsigned long n = 1 + rnd_below(&s, 64);
			uint64_t base = GEN_BASE - (m + 1) * 0x100000ULL;

			ftw_mmap(w, pid, 0, n * PG, RW, ANON, (int64_t)base);
			for (unsigned long i = 0; i < n; i++) {
				if (rnd_below(&s, 2))
					write_fault(w, pid, base + i * PG);
				else if (!rnd_below(&s, 4))
					ftw_fault(w, pid, base + i * PG, FT_ACC_READ, FT_OUT_ZERO, FT_ORDER_NONE);
			}
			ftw_range(w, FT_MUNMAP, pid, base, n * PG, 0, 0);
		}
		ftw_exit(w, pid, 0);
	}
	ftw_exit(w, 1, 0);
}

/*
 * knobs: a run that changes the configuration as it goes (format version 2's
 * FT_KNOB and FT_FILL), written as the kernel would have recorded it under
 * the header's configuration (every size never, policy linux) and Linux's
 * rules: n pages (a multiple of 64) mapped 2M-aligned, in four quarters of
 * q = n/4 pages, each written page by page:
 *   1  every size never: q order-0 faults;
 *   2  after hugepages-64kB/enabled=always: one order-4 fault per 64K block
 *      (its other 15 pages are mapped by it: no fault);
 *   3  after folio/policy=reserve: per block an order-4 fault that maps only
 *      the touched page (a reservation), then 7 faults filling pages 1..7
 *      from it (FT_FILL, mapped 2..7, then 16: page 7 is promote_percent's
 *      50%, so the fill maps the rest);
 *   4  after hugepages-64kB/enabled=never: q order-0 faults.
 * Events: 8 + 3q.  A replay under `recorded` must apply each knob record
 * where it stands to give these faults and fills (the faithfulness check).
 */
static void gen_knobs(struct ft_writer *w, const struct ft_gen_params *p)
{
	unsigned long q = p->pages / 4 / 16 * 16;
	uint64_t at = GEN_BASE;

	gen_exec(w, 1, "/gen/knobs");
	ftw_mmap(w, 1, 0, 4 * q * PG, RW, ANON, (int64_t)GEN_BASE);
	for (unsigned long i = 0; i < q; i++, at += PG)
		write_fault(w, 1, at);
	ftw_knob(w, 1, "transparent_hugepage/hugepages-64kB/enabled", "always", 7);
	for (unsigned long i = 0; i < q; i += 16, at += 16 * PG)
		ftw_fault(w, 1, at, FT_ACC_WRITE, FT_OUT_ALLOC, 4);
	ftw_knob(w, 1, "folio/policy", "reserve", 8);
	for (unsigned long i = 0; i < q; i += 16, at += 16 * PG) {
		ftw_fault(w, 1, at, FT_ACC_WRITE, FT_OUT_ALLOC, 4);
		for (unsigned int j = 1; j < 8; j++) {
			ftw_fill(w, 1, at + j * PG, 4, j < 7 ? j + 1 : 16);
			ftw_fault(w, 1, at + j * PG, FT_ACC_WRITE, FT_OUT_NONE, FT_ORDER_NONE);
		}
	}
	ftw_knob(w, 1, "transparent_hugepage/hugepages-64kB/enabled", "never", 6);
	for (unsigned long i = 0; i < q; i++, at += PG)
		write_fault(w, 1, at);
	ftw_range(w, FT_MUNMAP, 1, GEN_BASE, 4 * q * PG, 0, 0);
	ftw_exit(w, 1, 0);
}

const struct ft_gen ft_gens[] = {
	{ "seq", "sequential first writes to one region", gen_seq },
	{ "rand", "every page of a region once, in a random order", gen_rand },
	{ "sparse", "1 in every N pages of a region", gen_sparse },
	{ "heap", "brk growth with malloc/free churn at the top", gen_heap },
	{ "stack", "a stack growing down page by page", gen_stack },
	{ "fork", "fork, CoW copies in the child, reuse in the parent", gen_fork },
	{ "madvfree", "an allocator reusing MADV_FREE chunks under pressure", gen_madvfree },
	{ "kbuild", "make forking many short compiler processes", gen_kbuild },
	{ "knobs", "sizes and policy changed mid-run: knob and fill records", gen_knobs },
	{ NULL, NULL, NULL },
};

const struct ft_gen *ft_gen_find(const char *name)
{
	for (const struct ft_gen *g = ft_gens; g->name; g++)
		if (!strcmp(g->name, name))
			return g;
	return NULL;
}

void ft_gen_defaults(struct ft_gen_params *p)
{
	if (!p->seed)
		p->seed = 1;
	if (!p->pages)
		p->pages = 256;
	if (!p->every)
		p->every = 8;
	if (!p->procs)
		p->procs = 16;
}
