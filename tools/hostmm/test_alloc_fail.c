/*
 * test_alloc_fail.c - the -ENOMEM paths of munmap, MAP_FIXED and brk: a
 * failed call leaves every mapping, page and byte as it was ("split before
 * you zap; check before you change").
 *
 * Each case builds a fresh address space, snapshots it (vm_snapshot), makes
 * the n-th kernel allocation of the call fail (hostmm_fail_alloc) and
 * checks the call failed with -ENOMEM and changed nothing, for n = 1, 2,
 * ... until the call makes fewer than n allocations and succeeds; then the
 * case's own checks of the result run.  Every run ends with the mm released
 * and every page free again (no leak; ASan checks the heap).
 */
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
	/* Checks after the call succeeded. */
	bool (*after)(struct mm_struct *mm, long ret);
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
 * (test failed) unless every failing run left the snapshot and the free
 * page count intact and at least min_failures runs failed.
 */
static bool run_fail_case(const struct fail_case *c, unsigned int min_failures)
{
	unsigned int failures = 0;

	vm_setup();
	for (unsigned long n = 1; ; n++) {
		struct mm_struct *mm;
		bool fired;
		long ret;

		mm = vm_mm_new();
		vm_use(mm);
		if (!c->setup(mm))
			return false;
		vm_snapshot(mm, &snap);
		hostmm_fail_alloc(n);
		ret = c->call(mm);
		fired = !hostmm_fail_alloc_pending();
		hostmm_fail_alloc(0);
		memmap_check();
		debug_vm_check_mm_rmap(mm);
		if (!fired) {
			ASSERT_TRUE(ret >= 0);
			if (!c->after(mm, ret))
				return false;
			vm_mm_put(mm);
			ASSERT_EQ(nr_free_pages(), vm_free_start);
			break;
		}
		ASSERT_EQ(ret, -ENOMEM);
		if (!vm_snapshot_same(mm, &snap))
			return false;
		failures++;
		vm_mm_put(mm);
		ASSERT_EQ(nr_free_pages(), vm_free_start);
	}
	ASSERT_TRUE(failures >= min_failures);
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
	ASSERT_EQ(mm->rss_anon, 8);
	return true;
}

/*
 * munmap used to zap the pages before splitting the VMA: a split that
 * could not allocate left -ENOMEM and the data gone.  Now nothing changes.
 */
static bool test_munmap_enomem_keeps_data(void)
{
	static const struct fail_case c = { setup_16_pages, call_munmap_middle, after_munmap_middle };

	return run_fail_case(&c, 2);
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
	static const struct fail_case c = { setup_three_vmas, call_munmap_across, after_munmap_across };

	return run_fail_case(&c, 2);
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
	static const struct fail_case c = { setup_16_pages, call_map_fixed_middle, after_map_fixed_middle };

	return run_fail_case(&c, 3);
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
	static const struct fail_case c = { setup_brk_heap, call_brk_shrink, after_brk_shrink };

	return run_fail_case(&c, 1);
}

const struct hostmm_test alloc_fail_tests[] = {
	HOSTMM_TEST(test_munmap_enomem_keeps_data),
	HOSTMM_TEST(test_munmap_multi_vma_all_or_nothing),
	HOSTMM_TEST(test_map_fixed_enomem_keeps_old),
	HOSTMM_TEST(test_brk_shrink_enomem_keeps_break),
	{ NULL, NULL },
};
