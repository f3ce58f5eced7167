/*
 * test_policy.c - the order policies of mm/policy/ (policy.h), each one's
 * decisions on scripted fault sequences with exact folio orders, mapped
 * pages, counters and contents: linux (the static rules), adaptive (the
 * per-VMA cap; more in test_vm.c), reserve (reservations: fill, promote,
 * break under pressure, fork, munmap), utilisation (promotion by
 * collapse at the threshold), the policy knob and tunables, and a switch
 * of policy with live VMAs and reservations.  The randomized sequences per
 * policy are test_vm_random.c's.  Every page free at the end of each test.
 */
#include "tools/hostmm/hostmm_vm.h"
#include "mm/split.h"

/* A fresh current mm with [VM_BASE, + len) RW, only 64K allowed, under policy id. */
static struct mm_struct *policy_setup(enum anon_policy_id id, unsigned long len)
{
	struct mm_struct *mm = vm_setup_mm(0, len);

	vm_policy_only(4);
	anon_order_config.policy = id;
	vm_knob_write(FOLIO_SYSFS_DIR "/policy_reserve/promote_percent", "50");	/* the defaults */
	vm_knob_write(FOLIO_SYSFS_DIR "/policy_utilisation/promote_percent", "90");
	return mm;
}

/* How many of the 16 pages of the 64K block at addr are mapped (not none). */
static unsigned int block_mapped(struct mm_struct *mm, unsigned long addr)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < 16; i++)
		n += !pte_none(vm_pte(mm, addr + PG(i)));
	return n;
}

static bool test_policy_knob(void)
{
	char buf[64];

	ASSERT_EQ(vm_knob_read(FOLIO_SYSFS_DIR "/policy", buf, sizeof(buf)), 37);
	ASSERT_STREQ(buf, "[linux] adaptive reserve utilisation\n");
	ASSERT_EQ(vm_knob_write(FOLIO_SYSFS_DIR "/policy", "utilisation\n"), 12);
	ASSERT_EQ(anon_order_config.policy, ANON_POLICY_UTILISATION);
	ASSERT_EQ(vm_knob_write(FOLIO_SYSFS_DIR "/policy", "static"), 6);	/* linux's old name */
	ASSERT_EQ(anon_order_config.policy, ANON_POLICY_LINUX);
	ASSERT_EQ(vm_knob_write(FOLIO_SYSFS_DIR "/policy", "reserve"), 7);
	vm_knob_read(FOLIO_SYSFS_DIR "/policy", buf, sizeof(buf));
	ASSERT_STREQ(buf, "linux adaptive [reserve] utilisation\n");
	ASSERT_EQ(vm_knob_write(FOLIO_SYSFS_DIR "/policy", "Linux"), -EINVAL);
	ASSERT_EQ(vm_knob_write(FOLIO_SYSFS_DIR "/policy", "linux\n\n"), -EINVAL);
	ASSERT_EQ(anon_order_config.policy, ANON_POLICY_RESERVE);
	vm_knob_read(FOLIO_SYSFS_DIR "/policy_reserve/promote_percent", buf, sizeof(buf));
	ASSERT_STREQ(buf, "50\n");
	ASSERT_EQ(vm_knob_write(FOLIO_SYSFS_DIR "/policy_reserve/promote_percent", "0"), -EINVAL);
	ASSERT_EQ(vm_knob_write(FOLIO_SYSFS_DIR "/policy_reserve/promote_percent", "101"), -EINVAL);
	ASSERT_EQ(vm_knob_write(FOLIO_SYSFS_DIR "/policy_reserve/promote_percent", "99999999999999999999999"),
		  -EINVAL);
	ASSERT_EQ(vm_knob_write(FOLIO_SYSFS_DIR "/policy_reserve/promote_percent", "100\n"), 4);
	vm_knob_read(FOLIO_SYSFS_DIR "/policy_reserve/promote_percent", buf, sizeof(buf));
	ASSERT_STREQ(buf, "100\n");
	ASSERT_EQ(vm_knob_write(FOLIO_SYSFS_DIR "/policy_reserve/promote_percent", "50"), 2);
	vm_knob_read(FOLIO_SYSFS_DIR "/policy_utilisation/promote_percent", buf, sizeof(buf));
	ASSERT_STREQ(buf, "90\n");
	return true;
}

/* linux: the static rules, whatever the faults show; MADV_NOHUGEPAGE: order 0. */
static bool test_policy_linux_static(void)
{
	struct mm_struct *mm = policy_setup(ANON_POLICY_LINUX, K(256));

	for (unsigned int i = 0; i < 4; i++) {
		ASSERT_EQ(vm_fault(mm, VM_BASE + K(64) * i, true), VM_FAULT_OK);
		ASSERT_EQ(vm_order_at(mm, VM_BASE + K(64) * i), 4);
	}
	ASSERT_EQ(vm_madvise(VM_BASE, K(64), MADV_DONTNEED), 0);
	ASSERT_EQ(vm_madvise(VM_BASE, K(64), MADV_NOHUGEPAGE), 0);
	ASSERT_EQ(vm_fault(mm, VM_BASE, true), VM_FAULT_OK);
	ASSERT_EQ(vm_order_at(mm, VM_BASE), 0);
	ASSERT_EQ(get_mm_counter(mm, MM_ANONPAGES), 49);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/*
 * reserve, sequential: the first touch allocates the 64K folio and maps one
 * page; pages 1..6 come from the reservation; the 8th page mapped reaches
 * 50%: the other 8 are mapped at once, the folio whole and off the queue.
 * 8 faults for 16 pages, one allocation.
 */
static bool test_reserve_sequential(void)
{
	struct mm_struct *mm = policy_setup(ANON_POLICY_RESERVE, K(64));
	struct folio *folio;

	ASSERT_EQ(vm_user_write(mm, VM_BASE, 0x5a), 0);
	folio = vm_folio_at(mm, VM_BASE);
	ASSERT_EQ(folio_order(folio), 4);
	ASSERT_TRUE(folio_test_reservation(folio) && folio_test_partially_mapped(folio));
	ASSERT_EQ(block_mapped(mm, VM_BASE), 1);
	ASSERT_EQ(get_mm_counter(mm, MM_ANONPAGES), 1);
	ASSERT_EQ(folio_ref_count(folio), 1);
	for (unsigned int i = 1; i < 7; i++) {
		ASSERT_EQ(vm_user_write(mm, VM_BASE + PG(i), (unsigned char)i), 0);
		ASSERT_TRUE(vm_folio_at(mm, VM_BASE + PG(i)) == folio);
		ASSERT_EQ(block_mapped(mm, VM_BASE), i + 1);
	}
	ASSERT_EQ(sum_vm_event(ANON_RESERVE_FILL), 6);
	ASSERT_EQ(sum_vm_event(ANON_RESERVE_PROMOTE), 0);
	ASSERT_EQ(vm_user_write(mm, VM_BASE + PG(7), 7), 0);
	ASSERT_EQ(block_mapped(mm, VM_BASE), 16);
	ASSERT_EQ(atomic_read(&folio->_nr_pages_mapped), 16);
	ASSERT_FALSE(folio_test_reservation(folio) || folio_test_partially_mapped(folio));
	ASSERT_EQ(deferred_split_count(), 0);
	ASSERT_EQ(sum_vm_event(ANON_RESERVE_ALLOC), 1);
	ASSERT_EQ(sum_vm_event(ANON_RESERVE_PROMOTE), 1);
	ASSERT_EQ(sum_vm_event(PGFAULT), 8);
	ASSERT_EQ(sum_mthp_stat(4, MTHP_STAT_ANON_FAULT_ALLOC), 1);
	ASSERT_EQ(get_mm_counter(mm, MM_ANONPAGES), 16);
	ASSERT_EQ(folio_ref_count(folio), 16);
	ASSERT_EQ(vm_user_read(mm, VM_BASE), 0x5a);
	for (unsigned int i = 1; i < 16; i++)
		ASSERT_EQ(vm_user_read(mm, VM_BASE + PG(i)), i < 8 ? (int)i : 0);
	ASSERT_EQ(sum_vm_event(PGFAULT), 8);	/* the reads found everything mapped */
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/*
 * reserve, reads: a read in a reservation maps its page read-only (not the
 * zero page) and counts toward the promotion; the first write reuses it
 * (a CoW reuse, no copy).  In a VMA made read-only the promotion maps
 * the rest read-only.
 */
static bool test_reserve_reads(void)
{
	struct mm_struct *mm = policy_setup(ANON_POLICY_RESERVE, K(128));
	struct folio *folio;

	ASSERT_EQ(vm_user_write(mm, VM_BASE, 1), 0);
	folio = vm_folio_at(mm, VM_BASE);
	ASSERT_EQ(vm_user_read(mm, VM_BASE + PG(1)), 0);
	ASSERT_TRUE(vm_folio_at(mm, VM_BASE + PG(1)) == folio);
	ASSERT_FALSE(pte_write(vm_pte(mm, VM_BASE + PG(1))));
	ASSERT_EQ(vm_user_write(mm, VM_BASE + PG(1), 2), 0);
	ASSERT_TRUE(vm_folio_at(mm, VM_BASE + PG(1)) == folio);
	ASSERT_TRUE(pte_write(vm_pte(mm, VM_BASE + PG(1))));
	ASSERT_EQ(sum_vm_event(COW_REUSE), 1);
	ASSERT_EQ(sum_vm_event(ANON_RESERVE_FILL), 1);
	ASSERT_EQ(vm_user_read(mm, VM_BASE + PG(1)), 2);

	ASSERT_EQ(vm_user_write(mm, VM_BASE + K(64), 3), 0);
	folio = vm_folio_at(mm, VM_BASE + K(64));
	ASSERT_EQ(vm_mprotect(VM_BASE + K(64), K(64), PROT_READ), 0);
	for (unsigned int i = 1; i < 8; i++)
		ASSERT_EQ(vm_user_read(mm, VM_BASE + K(64) + PG(i)), 0);
	ASSERT_EQ(sum_vm_event(ANON_RESERVE_PROMOTE), 1);
	for (unsigned int i = 0; i < 16; i++) {
		ASSERT_TRUE(vm_folio_at(mm, VM_BASE + K(64) + PG(i)) == folio);
		ASSERT_FALSE(pte_write(vm_pte(mm, VM_BASE + K(64) + PG(i))));
	}
	ASSERT_EQ(vm_user_read(mm, VM_BASE + K(64)), 3);
	ASSERT_EQ(get_mm_counter(mm, MM_ANONPAGES), 18);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/*
 * reserve, sparse then pressure: 2 pages of each of 4 blocks touched hold
 * 4 reservations (64 pages allocated, 8 mapped); the deferred-split
 * shrinker breaks them, freeing the 56 never-mapped pages; the touched
 * pages stay, order 0, with their data.
 */
static bool test_reserve_sparse_pressure(void)
{
	struct mm_struct *mm = policy_setup(ANON_POLICY_RESERVE, K(256));
	unsigned long before;

	for (unsigned int b = 0; b < 4; b++) {
		ASSERT_EQ(vm_user_write(mm, VM_BASE + K(64) * b, (unsigned char)(b + 1)), 0);
		ASSERT_EQ(vm_user_write(mm, VM_BASE + K(64) * b + PG(8), (unsigned char)(b + 9)), 0);
	}
	ASSERT_EQ(sum_vm_event(ANON_RESERVE_ALLOC), 4);
	ASSERT_EQ(sum_vm_event(ANON_RESERVE_FILL), 4);
	ASSERT_EQ(get_mm_counter(mm, MM_ANONPAGES), 8);
	ASSERT_EQ(deferred_split_count(), 4);
	before = nr_free_pages();
	deferred_split_scan(~0UL);
	ASSERT_EQ(nr_free_pages(), before + 56);
	ASSERT_EQ(sum_vm_event(ANON_RESERVE_BREAK), 4);
	ASSERT_EQ(deferred_split_count(), 0);
	for (unsigned int b = 0; b < 4; b++) {
		ASSERT_EQ(vm_order_at(mm, VM_BASE + K(64) * b), 0);
		ASSERT_EQ(vm_order_at(mm, VM_BASE + K(64) * b + PG(8)), 0);
		ASSERT_EQ(vm_user_read(mm, VM_BASE + K(64) * b), b + 1);
		ASSERT_EQ(vm_user_read(mm, VM_BASE + K(64) * b + PG(8)), b + 9);
	}
	/* A fault in a broken block: no reservation to fill, no all-none block: order 0. */
	ASSERT_EQ(vm_fault(mm, VM_BASE + PG(1), true), VM_FAULT_OK);
	ASSERT_EQ(vm_order_at(mm, VM_BASE + PG(1)), 0);
	ASSERT_EQ(vm_user_read(mm, VM_BASE + PG(1)), 0);
	ASSERT_EQ(sum_vm_event(ANON_RESERVE_FILL), 4);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/*
 * reserve, unmaps: MADV_DONTNEED of a touched page breaks the reservation
 * (that page's data is gone: it must never be filled back); munmap of the
 * whole range frees every page, never-mapped ones included.
 */
static bool test_reserve_unmap_breaks(void)
{
	struct mm_struct *mm = policy_setup(ANON_POLICY_RESERVE, K(128));
	struct folio *folio;

	ASSERT_EQ(vm_user_write(mm, VM_BASE, 1), 0);
	ASSERT_EQ(vm_user_write(mm, VM_BASE + PG(1), 2), 0);
	folio = vm_folio_at(mm, VM_BASE);
	ASSERT_EQ(vm_madvise(VM_BASE + PG(1), PG(1), MADV_DONTNEED), 0);
	ASSERT_FALSE(folio_test_reservation(folio));
	ASSERT_EQ(sum_vm_event(ANON_RESERVE_BREAK), 1);
	ASSERT_EQ(vm_user_read(mm, VM_BASE + PG(1)), 0);	/* the zero page, not the old data */
	ASSERT_EQ(vm_fault(mm, VM_BASE + PG(1), true), VM_FAULT_OK);
	ASSERT_FALSE(vm_folio_at(mm, VM_BASE + PG(1)) == folio);
	ASSERT_EQ(vm_order_at(mm, VM_BASE + PG(1)), 0);
	/* A second block: reserved, then unmapped whole with the VMA. */
	ASSERT_EQ(vm_user_write(mm, VM_BASE + K(64) + PG(5), 3), 0);
	ASSERT_EQ(sum_vm_event(ANON_RESERVE_ALLOC), 2);
	ASSERT_EQ(vm_munmap(VM_BASE, K(128)), 0);
	ASSERT_EQ(sum_vm_event(ANON_RESERVE_BREAK), 1);	/* freed whole: not a break */
	ASSERT_EQ(deferred_split_count(), 0);
	ASSERT_EQ(get_mm_counter(mm, MM_ANONPAGES), 0);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/*
 * reserve, fork: the child never maps the parent's never-mapped pages (its
 * faults there allocate its own, order 0: the block is not all none); the
 * parent keeps filling its reservation.
 */
static bool test_reserve_fork(void)
{
	struct mm_struct *mm = policy_setup(ANON_POLICY_RESERVE, K(64)), *child;
	struct folio *folio;

	ASSERT_EQ(vm_user_write(mm, VM_BASE, 7), 0);
	folio = vm_folio_at(mm, VM_BASE);
	child = vm_mm_dup(mm);
	ASSERT_TRUE(child != NULL);
	ASSERT_EQ(vm_user_write(child, VM_BASE + PG(1), 8), 0);
	ASSERT_EQ(vm_order_at(child, VM_BASE + PG(1)), 0);
	ASSERT_FALSE(vm_folio_at(child, VM_BASE + PG(1)) == folio);
	ASSERT_TRUE(pte_none(vm_pte(mm, VM_BASE + PG(1))));
	ASSERT_EQ(vm_user_write(mm, VM_BASE + PG(1), 9), 0);
	ASSERT_TRUE(vm_folio_at(mm, VM_BASE + PG(1)) == folio);
	ASSERT_EQ(vm_user_read(child, VM_BASE + PG(1)), 8);
	ASSERT_EQ(vm_user_read(mm, VM_BASE + PG(1)), 9);
	ASSERT_EQ(vm_user_read(child, VM_BASE), 7);
	ASSERT_EQ(folio_mapcount(folio), 3);	/* page 0 in both, page 1 in the parent */
	vm_mm_put(child);
	vm_use(mm);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/*
 * reserve, mremap: moved whole to an aligned address the reservation is
 * filled there; split across two places by a partial move, each page is
 * still mapped once (a page mapped at one place is not filled at the other).
 */
static bool test_reserve_mremap(void)
{
	struct mm_struct *mm = policy_setup(ANON_POLICY_RESERVE, K(64));
	const unsigned long b = VM_BASE + K(1024), c = VM_BASE + K(2048);
	struct folio *folio;

	ASSERT_EQ(vm_user_write(mm, VM_BASE + PG(2), 1), 0);
	folio = vm_folio_at(mm, VM_BASE + PG(2));
	ASSERT_EQ(vm_mremap(VM_BASE, K(64), K(64), MREMAP_MAYMOVE | MREMAP_FIXED, b), (long)b);
	ASSERT_EQ(vm_user_write(mm, b + PG(3), 2), 0);
	ASSERT_TRUE(vm_folio_at(mm, b + PG(3)) == folio);
	ASSERT_TRUE(folio_test_reservation(folio));
	/* Pages 8.. move on to c: the PTEs of 2 and 3 stay at b. */
	ASSERT_EQ(vm_mremap(b + PG(8), K(32), K(32), MREMAP_MAYMOVE | MREMAP_FIXED, c + PG(8)),
		  (long)(c + PG(8)));
	ASSERT_EQ(vm_user_write(mm, b + PG(4), 3), 0);	/* inside b's VMA: its block no longer fits */
	ASSERT_EQ(vm_order_at(mm, b + PG(4)), 0);
	ASSERT_EQ(vm_user_read(mm, b + PG(2)), 1);
	ASSERT_EQ(vm_user_read(mm, b + PG(3)), 2);
	ASSERT_EQ(folio_mapcount(folio), 2);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/*
 * reserve, MADV_FREE of the whole block: the folio becomes lazyfree, and a
 * lazyfree folio is never filled (reclaim may drop it whole): the next write
 * there gets its own page.
 */
static bool test_reserve_lazyfree_not_filled(void)
{
	struct mm_struct *mm = policy_setup(ANON_POLICY_RESERVE, K(64));
	struct folio *folio;

	ASSERT_EQ(vm_user_write(mm, VM_BASE, 1), 0);
	folio = vm_folio_at(mm, VM_BASE);
	ASSERT_EQ(vm_madvise(VM_BASE, K(64), MADV_FREE), 0);
	ASSERT_FALSE(folio_test_swapbacked(folio));
	ASSERT_EQ(vm_user_write(mm, VM_BASE + PG(1), 2), 0);
	ASSERT_FALSE(vm_folio_at(mm, VM_BASE + PG(1)) == folio);
	ASSERT_EQ(vm_order_at(mm, VM_BASE + PG(1)), 0);
	ASSERT_EQ(sum_vm_event(ANON_RESERVE_FILL), 0);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/*
 * utilisation: order 0 faults; the 15th page of a 64K block mapped reaches
 * 90% (15 * 100 >= 90 * 16): the block is collapsed into one 64K folio,
 * every byte kept, the untouched page zero.  A block half used stays 4K.
 */
static bool test_utilisation_promotes(void)
{
	struct mm_struct *mm = policy_setup(ANON_POLICY_UTILISATION, K(128));

	for (unsigned int i = 0; i < 14; i++) {
		ASSERT_EQ(vm_user_write(mm, VM_BASE + PG(i), (unsigned char)(i + 1)), 0);
		ASSERT_EQ(vm_order_at(mm, VM_BASE + PG(i)), 0);
	}
	ASSERT_EQ(sum_vm_event(ANON_PROMOTE_COLLAPSE), 0);
	ASSERT_EQ(vm_user_write(mm, VM_BASE + PG(14), 15), 0);
	ASSERT_EQ(sum_vm_event(ANON_PROMOTE_COLLAPSE), 1);
	ASSERT_EQ(sum_mthp_stat(4, MTHP_STAT_COLLAPSE_ALLOC), 1);
	ASSERT_EQ(vm_order_at(mm, VM_BASE), 4);
	ASSERT_TRUE(vm_folio_at(mm, VM_BASE) == vm_folio_at(mm, VM_BASE + PG(15)));
	for (unsigned int i = 0; i < 16; i++)
		ASSERT_EQ(vm_user_read(mm, VM_BASE + PG(i)), i < 15 ? (int)i + 1 : 0);
	ASSERT_EQ(sum_vm_event(PGFAULT), 15);
	ASSERT_EQ(get_mm_counter(mm, MM_ANONPAGES), 16);
	/* Sparse: every other page of the second block, 8 of 16, stays order 0. */
	for (unsigned int i = 0; i < 16; i += 2)
		ASSERT_EQ(vm_user_write(mm, VM_BASE + K(64) + PG(i), 1), 0);
	ASSERT_EQ(sum_vm_event(ANON_PROMOTE_COLLAPSE), 1);
	ASSERT_EQ(vm_order_at(mm, VM_BASE + K(64) + PG(14)), 0);
	ASSERT_EQ(get_mm_counter(mm, MM_ANONPAGES), 24);
	/* A lower threshold (50%) promotes it at the next fault there. */
	ASSERT_EQ(vm_knob_write(FOLIO_SYSFS_DIR "/policy_utilisation/promote_percent", "50"), 2);
	ASSERT_EQ(vm_user_write(mm, VM_BASE + K(64) + PG(1), 2), 0);
	ASSERT_EQ(vm_knob_write(FOLIO_SYSFS_DIR "/policy_utilisation/promote_percent", "90"), 2);
	ASSERT_EQ(sum_vm_event(ANON_PROMOTE_COLLAPSE), 2);
	ASSERT_EQ(vm_order_at(mm, VM_BASE + K(64)), 4);
	ASSERT_EQ(vm_user_read(mm, VM_BASE + K(64) + PG(1)), 2);
	ASSERT_EQ(vm_user_read(mm, VM_BASE + K(64) + PG(3)), 0);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* utilisation, shared after fork: the collapse is refused (read-only pages) and counted; nothing changes. */
static bool test_utilisation_collapse_fails_safely(void)
{
	struct mm_struct *mm = policy_setup(ANON_POLICY_UTILISATION, K(64)), *child;

	for (unsigned int i = 0; i < 14; i++)
		ASSERT_EQ(vm_user_write(mm, VM_BASE + PG(i), (unsigned char)(i + 1)), 0);
	child = vm_mm_dup(mm);
	ASSERT_TRUE(child != NULL);
	vm_use(mm);
	vm_prealloc_tables(mm, VM_BASE);
	ASSERT_EQ(vm_user_write(mm, VM_BASE + PG(14), 15), 0);
	/* 14 pages shared read-only, one writable: collapse copies them for the parent. */
	ASSERT_EQ(sum_vm_event(ANON_PROMOTE_COLLAPSE) + sum_vm_event(ANON_PROMOTE_COLLAPSE_FAILED), 1);
	for (unsigned int i = 0; i < 15; i++) {
		ASSERT_EQ(vm_user_read(mm, VM_BASE + PG(i)), i + 1);
		ASSERT_EQ(vm_user_read(child, VM_BASE + PG(i)), i < 14 ? (int)i + 1 : 0);
	}
	vm_mm_put(child);
	vm_use(mm);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/*
 * Switching with live state: the adaptive cap is ignored under linux and
 * resumed when adaptive is back; a reservation is not filled under linux
 * (order 0 there: the block is not all none), stays consistent, and is
 * freed by the shrinker and munmap as ever.
 */
static bool test_policy_switch_live(void)
{
	struct mm_struct *mm = policy_setup(ANON_POLICY_ADAPTIVE, K(256));
	struct vm_area_struct *vma = vm_vma(mm, VM_BASE);

	anon_policy_set_state(vma, 2);
	ASSERT_EQ(vm_fault(mm, VM_BASE, true), VM_FAULT_OK);
	ASSERT_EQ(vm_order_at(mm, VM_BASE), 0);	/* cap 2 < 4: order 0 */
	anon_order_config.policy = ANON_POLICY_LINUX;
	ASSERT_EQ(anon_policy_state(vma), 0);
	ASSERT_EQ(vm_fault(mm, VM_BASE + K(64), true), VM_FAULT_OK);
	ASSERT_EQ(vm_order_at(mm, VM_BASE + K(64)), 4);
	anon_order_config.policy = ANON_POLICY_ADAPTIVE;
	ASSERT_EQ(anon_policy_state(vma), 2);

	anon_order_config.policy = ANON_POLICY_RESERVE;
	ASSERT_EQ(vm_user_write(mm, VM_BASE + K(128), 1), 0);
	ASSERT_TRUE(folio_test_reservation(vm_folio_at(mm, VM_BASE + K(128))));
	anon_order_config.policy = ANON_POLICY_LINUX;
	ASSERT_EQ(vm_user_write(mm, VM_BASE + K(128) + PG(1), 2), 0);
	ASSERT_EQ(vm_order_at(mm, VM_BASE + K(128) + PG(1)), 0);
	ASSERT_TRUE(folio_test_reservation(vm_folio_at(mm, VM_BASE + K(128))));
	ASSERT_EQ(sum_vm_event(ANON_RESERVE_FILL), 0);
	deferred_split_scan(~0UL);
	ASSERT_EQ(sum_vm_event(ANON_RESERVE_BREAK), 1);
	ASSERT_EQ(vm_user_read(mm, VM_BASE + K(128)), 1);
	ASSERT_EQ(vm_user_read(mm, VM_BASE + K(128) + PG(1)), 2);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

const struct hostmm_test policy_tests[] = {
	HOSTMM_TEST(test_policy_knob),
	HOSTMM_TEST(test_policy_linux_static),
	HOSTMM_TEST(test_reserve_sequential),
	HOSTMM_TEST(test_reserve_reads),
	HOSTMM_TEST(test_reserve_sparse_pressure),
	HOSTMM_TEST(test_reserve_unmap_breaks),
	HOSTMM_TEST(test_reserve_fork),
	HOSTMM_TEST(test_reserve_mremap),
	HOSTMM_TEST(test_reserve_lazyfree_not_filled),
	HOSTMM_TEST(test_utilisation_promotes),
	HOSTMM_TEST(test_utilisation_collapse_fails_safely),
	HOSTMM_TEST(test_policy_switch_live),
	{ NULL, NULL },
};
