/*
 * test_policy_hooks.c - the order policies' feedback hooks (mm/policy/policy.h:
 * cow, split, reclaim): each bundled policy's decision after an exact event
 * sequence, as the orders the next faults get and the VMA's word; the split
 * reasons (a requested split is no signal); every VMA mapping a split folio
 * told; linux hearing nothing.  Only 64K (order 4) is allowed throughout, so a
 * cap below 4 means order 0.  The randomized sequences with the decisions
 * checked at every fault are test_vm_random.c's.  Every page free at the end.
 */
#include "tools/hostmm/hostmm_vm.h"
#include "mm/split.h"

#define RECLAIM_KNOB	FOLIO_SYSFS_DIR "/reclaim"

/* A fresh current mm with [VM_BASE, + len) RW, only 64K allowed, under policy id. */
static struct mm_struct *hooks_setup(enum anon_policy_id id, unsigned long len)
{
	struct mm_struct *mm = vm_setup_mm(0, len);

	vm_policy_only(4);
	anon_order_config.policy = id;
	anon_order_config.cow_policy = COW_POLICY_PAGE;
	return mm;
}

/* Write every page of the 64K blocks [first, first + n) of mm (the value: the block number + 1). */
static bool write_blocks(struct mm_struct *mm, unsigned int first, unsigned int n)
{
	for (unsigned int b = first; b < first + n; b++)
		for (unsigned int i = 0; i < 16; i++)
			ASSERT_EQ(vm_user_write(mm, VM_BASE + K(64) * b + PG(i), (unsigned char)(b + 1)), 0);
	return true;
}

static unsigned long word(struct mm_struct *mm)
{
	return anon_policy_state(vm_vma(mm, VM_BASE));
}

/* The adaptive cap of mm's first VMA back to 4, score 0 (sequential writes raised it). */
static void cap4(struct mm_struct *mm)
{
	anon_policy_set_state(vm_vma(mm, VM_BASE), 4);
}

static bool hooks_done(struct mm_struct *mm)
{
	vm_mm_put(mm);
	anon_order_config.cow_policy = COW_POLICY_PAGE;
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	ASSERT_EQ(deferred_split_count(), 0);
	return true;
}

/* linux: static rules, no feedback hook at all; the VMA's word is never written. */
static bool test_hooks_linux_hears_nothing(void)
{
	const struct anon_policy *p = anon_policies[ANON_POLICY_LINUX];
	struct mm_struct *mm = hooks_setup(ANON_POLICY_LINUX, K(256));

	ASSERT_TRUE(!p->fault_mapped && !p->partial_unmap && !p->cow && !p->split && !p->reclaim);
	ASSERT_TRUE(write_blocks(mm, 0, 2));
	ASSERT_EQ(vm_madvise(VM_BASE + PG(2), PG(2), MADV_FREE), 0);	/* a split */
	ASSERT_EQ(vm_madvise(VM_BASE + K(64), K(64), MADV_FREE), 0);
	ASSERT_EQ(vm_knob_write(RECLAIM_KNOB, "all"), 3);		/* a lazyfree drop */
	ASSERT_TRUE(vm_vma(mm, VM_BASE)->policy_owner == NULL);
	ASSERT_EQ(vm_fault(mm, VM_BASE + K(128), true), VM_FAULT_OK);
	ASSERT_EQ(vm_order_at(mm, VM_BASE + K(128)), 4);
	return hooks_done(mm);
}

/*
 * adaptive, split: MADV_FREE of part of a 64K folio splits it (SPLIT_MADVISE):
 * the cap drops to 3, the next fault gets order 0.  A requested split
 * (split_huge_pages, SPLIT_KNOB) leaves the cap alone.  A deferred split after
 * a partial munmap lowers it again once the fault path raised it back.
 */
static bool test_hooks_adaptive_split(void)
{
	struct mm_struct *mm = hooks_setup(ANON_POLICY_ADAPTIVE, K(512));

	ASSERT_TRUE(write_blocks(mm, 0, 2));
	ASSERT_EQ(word(mm), 5);		/* dense: raised */
	cap4(mm);
	ASSERT_EQ(split_huge_pages_mm(mm, VM_BASE + K(64), VM_BASE + K(128), 0, -1), 0);
	ASSERT_EQ(vm_order_at(mm, VM_BASE + K(64)), 0);
	ASSERT_EQ(word(mm), 4);		/* asked for: no signal */
	ASSERT_EQ(vm_madvise(VM_BASE + PG(2), PG(2), MADV_FREE), 0);
	ASSERT_EQ(vm_order_at(mm, VM_BASE), 1);		/* madv_free_split around */
	ASSERT_EQ(word(mm), 3);
	ASSERT_EQ(vm_fault(mm, VM_BASE + K(128), true), VM_FAULT_OK);
	ASSERT_EQ(vm_order_at(mm, VM_BASE + K(128)), 0);
	/* Cap 4 again; a 64K folio loses its first half (the cap drops), is raised, then split. */
	cap4(mm);
	ASSERT_TRUE(write_blocks(mm, 4, 1));
	ASSERT_EQ(vm_order_at(mm, VM_BASE + K(256)), 4);
	ASSERT_EQ(vm_munmap(VM_BASE + K(256), K(32)), 0);
	ASSERT_EQ(anon_policy_state(vm_vma(mm, VM_BASE + K(288))), 3);	/* partial_unmap */
	anon_policy_set_state(vm_vma(mm, VM_BASE + K(288)), 4);
	ASSERT_EQ(deferred_split_count(), 1);
	deferred_split_scan(~0UL);
	ASSERT_EQ(anon_policy_state(vm_vma(mm, VM_BASE + K(288))), 3);	/* split: SPLIT_DEFERRED */
	ASSERT_EQ(vm_user_read(mm, VM_BASE + K(288)), 5);
	return hooks_done(mm);
}

/*
 * adaptive, reclaim: a 64K folio MADV_FREE'd and written again is kept by
 * reclaim (referenced): the cap stays 4; one left alone is freed: cap 3.
 */
static bool test_hooks_adaptive_reclaim(void)
{
	struct mm_struct *mm = hooks_setup(ANON_POLICY_ADAPTIVE, K(256));

	ASSERT_TRUE(write_blocks(mm, 0, 2));
	cap4(mm);
	ASSERT_EQ(vm_madvise(VM_BASE, K(64), MADV_FREE), 0);
	ASSERT_EQ(vm_user_write(mm, VM_BASE + PG(3), 9), 0);	/* reused */
	ASSERT_EQ(vm_knob_write(RECLAIM_KNOB, "all"), 3);
	ASSERT_EQ(sum_vm_event(PGLAZYFREED), 0);
	ASSERT_EQ(word(mm), 4);
	ASSERT_EQ(vm_madvise(VM_BASE + K(64), K(64), MADV_FREE), 0);
	ASSERT_EQ(vm_knob_write(RECLAIM_KNOB, "all"), 3);
	ASSERT_EQ(sum_vm_event(PGLAZYFREED), 16);
	ASSERT_EQ(word(mm), 3);
	ASSERT_EQ(vm_user_read(mm, VM_BASE + PG(3)), 9);
	ASSERT_EQ(vm_fault(mm, VM_BASE + K(128), true), VM_FAULT_OK);
	ASSERT_EQ(vm_order_at(mm, VM_BASE + K(128)), 0);
	return hooks_done(mm);
}

/*
 * adaptive, CoW: after fork, the child writes one page of each 64K block.
 * Each page copy of a large folio scores 1, a whole-folio copy takes 1 back;
 * at 8 the cap drops below the folio's order (3) and the score restarts.
 * The parent's VMA heard nothing (its folios were not written).
 */
static bool test_hooks_adaptive_cow(void)
{
	struct mm_struct *mm = hooks_setup(ANON_POLICY_ADAPTIVE, K(768)), *child;
	static const unsigned long score_after[] = { 1, 2, 3, 4, 5, 6, 7, 6, 7, 0 };

	ASSERT_TRUE(write_blocks(mm, 0, 10));
	cap4(mm);
	child = vm_mm_dup(mm);
	ASSERT_TRUE(child != NULL);
	vm_use(child);
	for (unsigned int b = 0; b < 10; b++) {
		anon_order_config.cow_policy = b == 7 ? COW_POLICY_FOLIO : COW_POLICY_PAGE;
		ASSERT_EQ(vm_user_write(child, VM_BASE + K(64) * b + PG(5), 0x77), 0);
		ASSERT_EQ(vm_order_at(child, VM_BASE + K(64) * b + PG(5)), b == 7 ? 4 : 0);
		ASSERT_EQ(word(child), (b == 9 ? 3UL : 4UL) | score_after[b] << ADAPTIVE_COW_SHIFT);
	}
	ASSERT_EQ(word(mm), 4);
	ASSERT_EQ(sum_vm_event(COW_COPY_FOLIO), 1);
	ASSERT_EQ(vm_fault(child, VM_BASE + K(640), true), VM_FAULT_OK);
	ASSERT_EQ(vm_order_at(child, VM_BASE + K(640)), 0);	/* cap 3 */
	ASSERT_EQ(vm_user_read(mm, VM_BASE + PG(5)), 1);
	vm_mm_put(child);
	vm_use(mm);
	return hooks_done(mm);
}

/* adaptive, CoW reuse: the child gone, the parent's writes reuse its 64K folios: the score falls. */
static bool test_hooks_adaptive_cow_reuse(void)
{
	struct mm_struct *mm = hooks_setup(ANON_POLICY_ADAPTIVE, K(256)), *child;

	ASSERT_TRUE(write_blocks(mm, 0, 4));
	cap4(mm);
	child = vm_mm_dup(mm);
	ASSERT_TRUE(child != NULL);
	vm_use(mm);
	ASSERT_EQ(vm_user_write(mm, VM_BASE + PG(1), 3), 0);		/* a page copy: 1 */
	ASSERT_EQ(vm_user_write(mm, VM_BASE + K(64) + PG(1), 3), 0);	/* 2 */
	ASSERT_EQ(word(mm), 4 | 2UL << ADAPTIVE_COW_SHIFT);
	vm_mm_put(child);
	vm_use(mm);
	ASSERT_EQ(vm_user_write(mm, VM_BASE + K(128), 3), 0);		/* reuse: 1 */
	ASSERT_EQ(vm_order_at(mm, VM_BASE + K(128)), 4);
	ASSERT_EQ(word(mm), 4 | 1UL << ADAPTIVE_COW_SHIFT);
	ASSERT_EQ(vm_user_write(mm, VM_BASE + K(192), 3), 0);		/* 0 */
	ASSERT_EQ(word(mm), 4);
	return hooks_done(mm);
}

/*
 * adaptive, a folio shared by parent and child: split once, both VMAs told.
 * Pages 0..7 of a 64K folio unmapped in both make it partially mapped; the
 * shrinker's split lowers both caps (reset to 4 after partial_unmap did).
 */
static bool test_hooks_split_tells_every_vma(void)
{
	struct mm_struct *mm = hooks_setup(ANON_POLICY_ADAPTIVE, K(64)), *child;

	ASSERT_TRUE(write_blocks(mm, 0, 1));
	child = vm_mm_dup(mm);
	ASSERT_TRUE(child != NULL);
	vm_use(child);
	ASSERT_EQ(vm_munmap(VM_BASE, K(32)), 0);
	ASSERT_EQ(deferred_split_count(), 0);	/* the parent maps it all */
	vm_use(mm);
	ASSERT_EQ(vm_munmap(VM_BASE, K(32)), 0);
	anon_policy_set_state(vm_vma(mm, VM_BASE + K(32)), 4);
	anon_policy_set_state(vm_vma(child, VM_BASE + K(32)), 4);
	ASSERT_EQ(deferred_split_count(), 1);
	deferred_split_scan(~0UL);
	ASSERT_EQ(anon_policy_state(vm_vma(mm, VM_BASE + K(32))), 3);
	ASSERT_EQ(anon_policy_state(vm_vma(child, VM_BASE + K(32))), 3);
	ASSERT_EQ(vm_user_read(child, VM_BASE + K(32)), 1);
	vm_mm_put(child);
	vm_use(mm);
	return hooks_done(mm);
}

/*
 * reserve: a VMA whose reservations the shrinker broke makes no more: its next
 * large folio is mapped whole at the fault (16 pages, no reservation); another
 * VMA still reserves; a requested split stops nothing.
 */
static bool test_hooks_reserve_reclaimed(void)
{
	struct mm_struct *mm = hooks_setup(ANON_POLICY_RESERVE, K(256));
	struct folio *folio;

	ASSERT_EQ(vm_mmap(VM_BASE + K(1024), K(128), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED),
		  (long)(VM_BASE + K(1024)));
	ASSERT_EQ(vm_user_write(mm, VM_BASE + K(1024), 1), 0);	/* the other VMA's reservation */
	folio = vm_folio_at(mm, VM_BASE + K(1024));
	ASSERT_TRUE(folio_test_reservation(folio));
	ASSERT_TRUE(folio_trylock(folio));
	folio_get(folio);
	ASSERT_EQ(split_folio_to_order(folio, 0), 0);	/* SPLIT_KNOB */
	folio_unlock(folio);
	folio_put(folio);
	ASSERT_EQ(anon_policy_state(vm_vma(mm, VM_BASE + K(1024))), 0);
	ASSERT_EQ(vm_user_write(mm, VM_BASE, 1), 0);
	ASSERT_EQ(vm_user_write(mm, VM_BASE + PG(8), 2), 0);
	ASSERT_EQ(sum_vm_event(ANON_RESERVE_ALLOC), 2);
	deferred_split_scan(~0UL);
	ASSERT_EQ(sum_vm_event(ANON_RESERVE_BREAK), 2);
	ASSERT_EQ(word(mm), 1);
	ASSERT_EQ(vm_user_write(mm, VM_BASE + K(64), 3), 0);
	folio = vm_folio_at(mm, VM_BASE + K(64));
	ASSERT_EQ(folio_order(folio), 4);
	ASSERT_FALSE(folio_test_reservation(folio));
	ASSERT_EQ(atomic_read(&folio->_nr_pages_mapped), 16);
	ASSERT_EQ(sum_vm_event(ANON_RESERVE_ALLOC), 2);
	ASSERT_EQ(vm_user_write(mm, VM_BASE + K(1024) + K(64), 4), 0);	/* the other VMA reserves */
	ASSERT_EQ(sum_vm_event(ANON_RESERVE_ALLOC), 3);
	ASSERT_EQ(vm_user_read(mm, VM_BASE + PG(8)), 2);
	return hooks_done(mm);
}

/* Write pages [0, 15) of the 64K block b: utilisation's 90% promotes it at the 15th. */
static bool promote_block(struct mm_struct *mm, unsigned int b)
{
	for (unsigned int i = 0; i < 15; i++)
		ASSERT_EQ(vm_user_write(mm, VM_BASE + K(64) * b + PG(i), (unsigned char)(i + 1)), 0);
	return true;
}

/*
 * utilisation: a promoted folio split (part munmapped, the shrinker; or
 * MADV_FREE of part) stops promotion in its VMA; a requested split does not.
 */
static bool test_hooks_utilisation_demoted(void)
{
	for (unsigned int how = 0; how < 3; how++) {
		struct mm_struct *mm = hooks_setup(ANON_POLICY_UTILISATION, K(256));
		struct folio *folio;

		vm_knob_write(FOLIO_SYSFS_DIR "/policy_utilisation/promote_percent", "90");
		ASSERT_TRUE(promote_block(mm, 0));
		ASSERT_EQ(sum_vm_event(ANON_PROMOTE_COLLAPSE), 1);
		folio = vm_folio_at(mm, VM_BASE);
		ASSERT_EQ(folio_order(folio), 4);
		if (how == 0) {
			ASSERT_EQ(vm_madvise(VM_BASE, PG(2), MADV_DONTNEED), 0);
			deferred_split_scan(~0UL);
		} else if (how == 1) {
			ASSERT_EQ(vm_madvise(VM_BASE, PG(2), MADV_FREE), 0);
		} else {
			ASSERT_EQ(split_huge_pages_mm(mm, VM_BASE, VM_BASE + K(64), 0, -1), 0);
		}
		ASSERT_TRUE(vm_order_at(mm, VM_BASE + PG(4)) < 4);
		ASSERT_EQ(word(mm), how < 2 ? 1UL : 0UL);
		ASSERT_TRUE(promote_block(mm, 1));
		ASSERT_EQ(sum_vm_event(ANON_PROMOTE_COLLAPSE), how < 2 ? 1UL : 2UL);
		ASSERT_EQ(vm_order_at(mm, VM_BASE + K(64)), how < 2 ? 0 : 4);
		ASSERT_EQ(vm_user_read(mm, VM_BASE + K(64) + PG(14)), 15);
		if (!hooks_done(mm))
			return false;
	}
	return true;
}

const struct hostmm_test policy_hooks_tests[] = {
	HOSTMM_TEST(test_hooks_linux_hears_nothing),
	HOSTMM_TEST(test_hooks_adaptive_split),
	HOSTMM_TEST(test_hooks_adaptive_reclaim),
	HOSTMM_TEST(test_hooks_adaptive_cow),
	HOSTMM_TEST(test_hooks_adaptive_cow_reuse),
	HOSTMM_TEST(test_hooks_split_tells_every_vma),
	HOSTMM_TEST(test_hooks_reserve_reclaimed),
	HOSTMM_TEST(test_hooks_utilisation_demoted),
	{ NULL, NULL },
};
