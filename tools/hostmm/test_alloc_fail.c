/*
 * test_alloc_fail.c - every kernel allocation a user can make fail (VMAs,
 * anon_vmas and their chains, PTE tables and their locks) fails cleanly:
 * the call returns -ENOMEM (a fault: VM_FAULT_OOM; fork: no child) and
 * leaves every mapping, page and byte as it was ("split before you zap;
 * check before you change"), never a panic.
 *
 * Each case builds a fresh address space, snapshots it (vm_snapshot), makes
 * the n-th kernel allocation of the call fail (hostmm_fail_alloc) and
 * checks the failure, for n = 1, 2, ... until the call makes fewer than n
 * allocations and succeeds; then the case's own checks of the result run.
 * After a failure the free pages and live heap objects are those of before
 * the call (a fault may keep the page tables and anon_vma it built, as
 * Linux's does), so is Committed_AS, memmap_check() and the rmap check
 * pass; every run ends with the mm released, every page free, every object
 * freed and nothing committed.
 *
 * The fixed cases cover the data-losing bugs of munmap, MAP_FIXED and brk
 * shrink, the all-or-nothing mprotect and mremap, shared memory (a new
 * object over an old one, a moved shared mapping); the random ones build a random
 * address space per seed and fail each allocation of a fault, fork,
 * munmap, mprotect or mmap on it.
 */
#include <stdio.h>
#include <stdlib.h>
#include "tools/hostmm/hostmm_vm.h"

#define K(x)	((unsigned long)(x) << 10)
#define PG(i)	((unsigned long)(i) << PAGE_SHIFT)
#define ANON_PRIV	(MAP_PRIVATE | MAP_ANONYMOUS)
#define RW		(PROT_READ | PROT_WRITE)

struct fail_case {
	/* Build the mappings of mm (current's, fresh, after vm_setup). */
	bool (*setup)(struct mm_struct *mm);
	/* The call under test: >= 0 on success, else -errno. */
	long (*call)(struct mm_struct *mm);
	/* Checks after the call succeeded (and releases what it made). */
	bool (*after)(struct mm_struct *mm, long ret);
	/* VM_SNAP_* a failure may leave changed; a fault's may also keep the tables it built. */
	unsigned int allow;
};

static struct vm_snapshot snap;

/* Fill page i of [VM_BASE, ...) with byte 'a' + i through the kernel's view of the frame. */
static bool write_pattern(struct mm_struct *mm, unsigned long pages)
{
	for (unsigned long i = 0; i < pages; i++) {
		ASSERT_EQ(vm_fault(mm, VM_BASE + PG(i), true), VM_FAULT_OK);
		memset(page_address(pfn_to_page(pte_pfn(vm_pte(mm, VM_BASE + PG(i))))), 'a' + (int)(i % 26),
		       PAGE_SIZE);
	}
	return true;
}

/* Page i of the pattern still mapped and whole. */
static bool pattern_intact(struct mm_struct *mm, unsigned long i)
{
	pte_t pte = vm_pte(mm, VM_BASE + PG(i));
	const unsigned char *p;

	ASSERT_TRUE(pte_present(pte));
	p = page_address(pfn_to_page(pte_pfn(pte)));
	for (unsigned long b = 0; b < PAGE_SIZE; b++)
		ASSERT_EQ(p[b], 'a' + (int)(i % 26));
	return true;
}

/*
 * Run c with the n-th allocation failing for n = 1, 2, ...; returns false
 * (test failed) unless every failing run left everything as it was and at
 * least min_failures runs failed.  *failuresp (if not NULL) gets the count.
 */
static bool run_fail_case(const struct fail_case *c, unsigned int min_failures, unsigned int *failuresp)
{
	unsigned int failures = 0;
	long live_start;

	vm_setup();
	live_start = hostmm_kmalloc_live;
	for (unsigned long n = 1; ; n++) {
		unsigned long free_before;
		struct mm_struct *mm;
		long ret, live_before, committed_before;
		bool fired;

		mm = vm_mm_new();
		vm_use(mm);
		if (!c->setup(mm))
			return false;
		vm_snapshot(mm, &snap);
		free_before = nr_free_pages();
		live_before = hostmm_kmalloc_live;
		committed_before = atomic_long_read(&vm_committed_as);
		hostmm_fail_alloc(n);
		ret = c->call(mm);
		fired = !hostmm_fail_alloc_pending();
		hostmm_fail_alloc(0);
		memmap_check();
		debug_vm_check_mm_rmap(mm);
		if (!fired) {
			ASSERT_EQ(ret < 0 ? ret : 0, 0);
			if (!c->after(mm, ret))
				return false;
			vm_mm_put(mm);
			ASSERT_EQ(nr_free_pages(), vm_free_start);
			ASSERT_EQ(hostmm_kmalloc_live, live_start);
			ASSERT_EQ(atomic_long_read(&vm_committed_as), 0);
			break;
		}
		ASSERT_EQ(ret, -ENOMEM);
		if (!vm_snapshot_same(mm, &snap, c->allow))
			return false;
		ASSERT_EQ(atomic_long_read(&vm_committed_as), committed_before);
		if (!(c->allow & VM_SNAP_NEW_ANON_VMA)) {
			ASSERT_EQ(nr_free_pages(), free_before);
			ASSERT_EQ(hostmm_kmalloc_live, live_before);
		}
		failures++;
		vm_mm_put(mm);
		ASSERT_EQ(nr_free_pages(), vm_free_start);
		ASSERT_EQ(hostmm_kmalloc_live, live_start);
		ASSERT_EQ(atomic_long_read(&vm_committed_as), 0);
	}
	ASSERT_TRUE(failures >= min_failures);
	if (failuresp)
		*failuresp = failures;
	return true;
}

/* ---- munmap of the middle of a VMA: two splits ---- */

static bool setup_16_pages(struct mm_struct *mm)
{
	vm_policy_only(4);
	ASSERT_EQ(vm_map_rw(VM_BASE, PG(16)), (long)VM_BASE);
	return write_pattern(mm, 16);
}

static long call_munmap_middle(struct mm_struct *mm)
{
	(void)mm;
	return vm_munmap(VM_BASE + PG(4), PG(8));
}

static bool after_munmap_middle(struct mm_struct *mm, long ret)
{
	(void)ret;
	ASSERT_EQ(mm->map_count, 2);
	ASSERT_EQ(vm_vma(mm, VM_BASE)->vm_end, VM_BASE + PG(4));
	ASSERT_EQ(vm_vma(mm, VM_BASE + PG(12))->vm_start, VM_BASE + PG(12));
	ASSERT_TRUE(vm_vma(mm, VM_BASE + PG(4)) == NULL);
	ASSERT_TRUE(pte_none(vm_pte(mm, VM_BASE + PG(4))));
	for (unsigned long i = 0; i < 16; i = i == 3 ? 12 : i + 1)
		if (!pattern_intact(mm, i))
			return false;
	ASSERT_EQ(get_mm_counter(mm, MM_ANONPAGES), 8);
	return true;
}

/*
 * munmap used to zap the pages before splitting the VMA: a split that
 * could not allocate left -ENOMEM and the data gone.  Now nothing changes.
 */
static bool test_munmap_enomem_keeps_data(void)
{
	static const struct fail_case c = { setup_16_pages, call_munmap_middle, after_munmap_middle, 0 };

	return run_fail_case(&c, 2, NULL);
}

/* ---- munmap across three VMAs: all or nothing ---- */

static bool setup_three_vmas(struct mm_struct *mm)
{
	vm_policy_only(4);
	ASSERT_EQ(vm_map_rw(VM_BASE, PG(24)), (long)VM_BASE);
	if (!write_pattern(mm, 24))
		return false;
	ASSERT_EQ(vm_mprotect(VM_BASE + PG(8), PG(8), PROT_READ), 0);
	ASSERT_EQ(mm->map_count, 3);
	return true;
}

static long call_munmap_across(struct mm_struct *mm)
{
	(void)mm;
	return vm_munmap(VM_BASE + PG(4), PG(16));
}

static bool after_munmap_across(struct mm_struct *mm, long ret)
{
	(void)ret;
	ASSERT_EQ(mm->map_count, 2);
	ASSERT_EQ(vm_vma(mm, VM_BASE)->vm_end, VM_BASE + PG(4));
	ASSERT_EQ(vm_vma(mm, VM_BASE + PG(20))->vm_start, VM_BASE + PG(20));
	for (unsigned long i = 4; i < 20; i++)
		ASSERT_TRUE(pte_none(vm_pte(mm, VM_BASE + PG(i))));
	return pattern_intact(mm, 3) && pattern_intact(mm, 20);
}

/* Linux splits the first and the last VMA before unmapping anything; a failed split unmaps nothing. */
static bool test_munmap_multi_vma_all_or_nothing(void)
{
	static const struct fail_case c = { setup_three_vmas, call_munmap_across, after_munmap_across, 0 };

	return run_fail_case(&c, 2, NULL);
}

/* ---- MAP_FIXED over the middle of a mapping ---- */

static long call_map_fixed_middle(struct mm_struct *mm)
{
	(void)mm;
	return vm_mmap(VM_BASE + PG(4), PG(8), PROT_READ, ANON_PRIV | MAP_FIXED);
}

static bool after_map_fixed_middle(struct mm_struct *mm, long ret)
{
	ASSERT_EQ(ret, (long)(VM_BASE + PG(4)));
	ASSERT_EQ(mm->map_count, 3);
	ASSERT_EQ(vm_vma(mm, VM_BASE + PG(4))->vm_flags & VM_ACCESS_FLAGS, VM_READ);
	ASSERT_TRUE(pte_none(vm_pte(mm, VM_BASE + PG(4))));
	return pattern_intact(mm, 3) && pattern_intact(mm, 12);
}

/* MAP_FIXED over a mapping: the new VMA and the splits come first, so -ENOMEM keeps the old data. */
static bool test_map_fixed_enomem_keeps_old(void)
{
	static const struct fail_case c = { setup_16_pages, call_map_fixed_middle, after_map_fixed_middle, 0 };

	return run_fail_case(&c, 3, NULL);
}

/* ---- brk shrink ---- */

static bool setup_brk_heap(struct mm_struct *mm)
{
	mm->start_brk = mm->brk = VM_BASE;
	ASSERT_EQ(vm_brk(VM_BASE + PG(16)), (long)(VM_BASE + PG(16)));
	return write_pattern(mm, 16);
}

/* Shrink to an address inside page 8: the VMA splits at page 9. */
static long call_brk_shrink(struct mm_struct *mm)
{
	long ret = vm_brk(VM_BASE + PG(8) + 100);

	if (ret == (long)(VM_BASE + PG(16))) {
		ASSERT_EQ(mm->brk, VM_BASE + PG(16));
		return -ENOMEM;		/* brk reports failure by returning the old break */
	}
	return ret;
}

static bool after_brk_shrink(struct mm_struct *mm, long ret)
{
	ASSERT_EQ(ret, (long)(VM_BASE + PG(8) + 100));
	ASSERT_EQ(mm->brk, VM_BASE + PG(8) + 100);
	ASSERT_EQ(vm_vma(mm, VM_BASE)->vm_end, VM_BASE + PG(9));
	ASSERT_TRUE(pte_none(vm_pte(mm, VM_BASE + PG(9))));
	return pattern_intact(mm, 8);
}

/* brk shrink that cannot split returns the old break, and the heap keeps its pages (Linux). */
static bool test_brk_shrink_enomem_keeps_break(void)
{
	static const struct fail_case c = { setup_brk_heap, call_brk_shrink, after_brk_shrink, 0 };

	return run_fail_case(&c, 1, NULL);
}

/* ---- mremap of the middle of a VMA into another PTE table: splits, VMA, tables ---- */

#define MREMAP_DST	(VM_BASE + PG(1024 + 4))	/* two PTE tables away, 64K-congruent */

static long call_mremap_middle(struct mm_struct *mm)
{
	(void)mm;
	return vm_mremap(VM_BASE + PG(4), PG(8), PG(8), MREMAP_MAYMOVE | MREMAP_FIXED, MREMAP_DST);
}

static bool after_mremap_middle(struct mm_struct *mm, long ret)
{
	ASSERT_EQ(ret, (long)MREMAP_DST);
	ASSERT_EQ(mm->map_count, 3);
	for (unsigned long i = 0; i < 8; i++) {
		pte_t pte = vm_pte(mm, MREMAP_DST + PG(i));

		ASSERT_TRUE(pte_none(vm_pte(mm, VM_BASE + PG(4 + i))));
		ASSERT_TRUE(pte_present(pte));
		ASSERT_EQ(*(unsigned char *)page_address(pfn_to_page(pte_pfn(pte))), 'a' + (int)(4 + i));
	}
	return pattern_intact(mm, 3) && pattern_intact(mm, 12);
}

static bool test_mremap_enomem_changes_nothing(void)
{
	static const struct fail_case c = { setup_16_pages, call_mremap_middle, after_mremap_middle, 0 };

	return run_fail_case(&c, 3, NULL);
}

/* ---- shared memory: a new object over an old one, a moved shared mapping ---- */

static bool setup_shared_8(struct mm_struct *mm)
{
	ASSERT_EQ(vm_mmap(VM_BASE, PG(8), RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED), (long)VM_BASE);
	return write_pattern(mm, 8);
}

static long call_map_shared_middle(struct mm_struct *mm)
{
	(void)mm;
	return vm_mmap(VM_BASE + PG(2), PG(4), RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED);
}

static bool after_map_shared_middle(struct mm_struct *mm, long ret)
{
	ASSERT_EQ(ret, (long)(VM_BASE + PG(2)));
	ASSERT_EQ(mm->map_count, 3);
	ASSERT_TRUE(vm_vma(mm, VM_BASE + PG(2))->vm_shmem != vm_vma(mm, VM_BASE)->vm_shmem);
	ASSERT_TRUE(vm_vma(mm, VM_BASE + PG(6))->vm_shmem == vm_vma(mm, VM_BASE)->vm_shmem);
	ASSERT_EQ(vm_user_read(mm, VM_BASE + PG(3)), 0);
	for (unsigned long i = 0; i < 8; i = i == 1 ? 6 : i + 1)
		if (!pattern_intact(mm, i))
			return false;
	return true;
}

/* The object (charged) and the VMA splits fail cleanly: the old object's pages stay mapped. */
static bool test_map_shared_enomem_keeps_old(void)
{
	static const struct fail_case c = { setup_shared_8, call_map_shared_middle, after_map_shared_middle, 0 };

	return run_fail_case(&c, 2, NULL);
}

static long call_mremap_shared(struct mm_struct *mm)
{
	(void)mm;
	return vm_mremap(VM_BASE, PG(8), PG(8), MREMAP_MAYMOVE | MREMAP_FIXED, VM_BASE + PG(64));
}

static bool after_mremap_shared(struct mm_struct *mm, long ret)
{
	ASSERT_EQ(ret, (long)(VM_BASE + PG(64)));
	ASSERT_TRUE(vm_vma(mm, VM_BASE) == NULL);
	for (unsigned long i = 0; i < 8; i++)
		ASSERT_EQ(vm_user_read(mm, VM_BASE + PG(64 + i)), 'a' + (int)i);
	ASSERT_EQ(get_mm_counter(mm, MM_SHMEMPAGES), 8);
	return true;
}

static bool test_mremap_shared_enomem_changes_nothing(void)
{
	static const struct fail_case c = { setup_shared_8, call_mremap_shared, after_mremap_shared, 0 };

	return run_fail_case(&c, 1, NULL);	/* the new VMA (the destination's PTE table exists) */
}

/* ---- mprotect: the middle of one VMA, and across three ---- */

static long call_mprotect_middle(struct mm_struct *mm)
{
	(void)mm;
	return vm_mprotect(VM_BASE + PG(4), PG(8), PROT_READ);
}

static bool after_mprotect_middle(struct mm_struct *mm, long ret)
{
	(void)ret;
	ASSERT_EQ(mm->map_count, 3);
	ASSERT_FALSE(pte_write(vm_pte(mm, VM_BASE + PG(4))));
	ASSERT_TRUE(pte_write(vm_pte(mm, VM_BASE + PG(12))));
	return pattern_intact(mm, 4);
}

static bool test_mprotect_enomem_changes_nothing(void)
{
	static const struct fail_case c = { setup_16_pages, call_mprotect_middle, after_mprotect_middle, 0 };

	return run_fail_case(&c, 2, NULL);
}

/* RW, R, RW made R from the middle of the first to the middle of the last. */
static long call_mprotect_across(struct mm_struct *mm)
{
	(void)mm;
	return vm_mprotect(VM_BASE + PG(4), PG(16), PROT_READ);
}

static bool after_mprotect_across(struct mm_struct *mm, long ret)
{
	(void)ret;
	ASSERT_EQ(mm->map_count, 3);
	ASSERT_EQ(vm_vma(mm, VM_BASE + PG(4))->vm_start, VM_BASE + PG(4));
	ASSERT_EQ(vm_vma(mm, VM_BASE + PG(4))->vm_end, VM_BASE + PG(20));
	ASSERT_TRUE(pte_write(vm_pte(mm, VM_BASE + PG(3))));
	ASSERT_FALSE(pte_write(vm_pte(mm, VM_BASE + PG(19))));
	ASSERT_TRUE(pte_write(vm_pte(mm, VM_BASE + PG(20))));
	return true;
}

/* Linux changes the VMAs before a failed split and keeps them changed; foliOS changes none. */
static bool test_mprotect_multi_vma_all_or_nothing(void)
{
	static const struct fail_case c = { setup_three_vmas, call_mprotect_across, after_mprotect_across, 0 };

	return run_fail_case(&c, 2, NULL);
}

/* ---- random address spaces, each allocation of one call failed in turn ---- */

#define RND_WIN_PAGES	1024UL	/* 4 MiB: two PTE tables */
#define FAR_VMA		(VM_BASE + (1UL << 30))

static u64 case_seed;

static unsigned long rnd_addr(void)
{
	return VM_BASE + PG(vm_rnd_below(RND_WIN_PAGES) & ~(vm_rnd_below(2) ? 15UL : 0UL));
}

static unsigned long rnd_len(void)
{
	static const unsigned long pages[] = { 1, 2, 5, 16, 17, 64, 200, 600 };

	return PG(pages[vm_rnd_below(ARRAY_SIZE(pages))]);
}

static unsigned long rnd_prot(void)
{
	static const unsigned long prots[] = { RW, RW, PROT_READ, PROT_NONE };

	return prots[vm_rnd_below(ARRAY_SIZE(prots))];
}

/* An address inside some VMA of mm (the window when it has none). */
static unsigned long rnd_addr_in_vma(struct mm_struct *mm)
{
	unsigned long addr = vm_rnd_addr_in_vma(mm);

	return addr ? addr : rnd_addr();
}

/* A few mappings of mixed protection with some pages written, read and shared with a forked child. */
static bool setup_random(struct mm_struct *mm)
{
	unsigned int nr_maps = 2 + (unsigned int)vm_rnd_below(5);

	vm_rng = case_seed;
	vm_policy_only((unsigned int)vm_rnd_below(MTHP_MAX_ORDER + 1));
	anon_order_config.allow_order1 = true;
	for (unsigned int i = 0; i < nr_maps; i++)
		vm_mmap(rnd_addr(), rnd_len(), rnd_prot(),
			ANON_PRIV | MAP_FIXED | (vm_rnd_below(4) ? 0 : MAP_NORESERVE));
	for (unsigned int i = 0; i < 24; i++)
		do_page_fault(rnd_addr_in_vma(mm), vm_rnd_below(4) ? FAULT_FLAG_WRITE : 0);
	if (vm_rnd_below(2)) {
		struct mm_struct *child = vm_mm_dup(mm);

		ASSERT_TRUE(child != NULL);
		vm_mm_put(child);
	}
	/* Untouched, 1 GiB away: no anon_vma, no page tables yet. */
	ASSERT_EQ(vm_mmap(FAR_VMA, PG(64), RW, ANON_PRIV | MAP_FIXED), (long)FAR_VMA);
	return true;
}

static long call_random(struct mm_struct *mm)
{
	switch (case_seed % 5) {
	case 0: {	/* fault: a write (or read) where the VMA allows it, often where nothing is built */
		unsigned long addr = vm_rnd_below(2) ? FAR_VMA + PG(vm_rnd_below(64)) : rnd_addr_in_vma(mm);
		int r = do_page_fault(addr, vm_rnd_below(4) ? FAULT_FLAG_WRITE : 0);

		return r == VM_FAULT_OOM ? -ENOMEM : 0;
	}
	case 1: {	/* fork */
		struct mm_struct *child = vm_mm_dup(mm);

		if (!child)
			return -ENOMEM;
		vm_mm_put(child);
		return 0;
	}
	case 2:
		return vm_munmap(vm_rnd_below(2) ? rnd_addr_in_vma(mm) : rnd_addr(), rnd_len());
	case 3: {
		long r = vm_mprotect(rnd_addr_in_vma(mm), rnd_len(), rnd_prot());

		return r == -ENOMEM && hostmm_fail_alloc_pending() ? 0 : r;	/* a hole: Linux's -ENOMEM */
	}
	default: {	/* mmap: MAP_FIXED over what is there, or a hint, or anywhere */
		unsigned long how = vm_rnd_below(4), addr = how ? rnd_addr() : 0;

		return vm_mmap(addr, rnd_len(), rnd_prot(), ANON_PRIV | (how > 1 ? MAP_FIXED : 0));
	}
	}
}

static bool after_random(struct mm_struct *mm, long ret)
{
	(void)mm;
	(void)ret;
	return true;
}

static bool test_alloc_fail_random(void)
{
	static const struct fail_case cases[5] = {
		{ setup_random, call_random, after_random, VM_SNAP_NEW_ANON_VMA },	/* fault */
		{ setup_random, call_random, after_random, VM_SNAP_WRPROTECTED },	/* fork */
		{ setup_random, call_random, after_random, 0 },
		{ setup_random, call_random, after_random, 0 },
		{ setup_random, call_random, after_random, 0 },
	};
	const char *seed = getenv("HOSTMM_SEED");
	unsigned long base = seed ? strtoull(seed, NULL, 0) : 1, failed[5] = { 0 };

	for (unsigned long i = 0; i < 60; i++) {
		unsigned int failures;

		case_seed = base * 1000 + i;
		if (!run_fail_case(&cases[case_seed % 5], 0, &failures)) {
			size_t l = strnlen(hostmm_why, 200);

			snprintf(hostmm_why + l, sizeof(hostmm_why) - l, " (case seed %llu)",
				 (unsigned long long)case_seed);
			return false;
		}
		failed[case_seed % 5] += failures;
	}
	printf("# test_alloc_fail_random: failed allocations survived: fault %lu, fork %lu, munmap %lu, "
	       "mprotect %lu, mmap %lu\n", failed[0], failed[1], failed[2], failed[3], failed[4]);
	for (unsigned int k = 0; k < 5; k++)
		ASSERT_TRUE(failed[k] > 0);
	return true;
}

const struct hostmm_test alloc_fail_tests[] = {
	HOSTMM_TEST(test_munmap_enomem_keeps_data),
	HOSTMM_TEST(test_munmap_multi_vma_all_or_nothing),
	HOSTMM_TEST(test_map_fixed_enomem_keeps_old),
	HOSTMM_TEST(test_brk_shrink_enomem_keeps_break),
	HOSTMM_TEST(test_mprotect_enomem_changes_nothing),
	HOSTMM_TEST(test_mremap_enomem_changes_nothing),
	HOSTMM_TEST(test_mprotect_multi_vma_all_or_nothing),
	HOSTMM_TEST(test_map_shared_enomem_keeps_old),
	HOSTMM_TEST(test_mremap_shared_enomem_changes_nothing),
	HOSTMM_TEST(test_alloc_fail_random),
	{ NULL, NULL },
};
