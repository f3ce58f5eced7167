/*
 * reserve.c - the `reserve` order policy: FreeBSD's superpage reservations
 * (Navarro et al., OSDI'02; sys/vm/vm_reserv.c) on foliOS's folios.
 *
 * On the first write fault in an aligned block, the order Linux's rules
 * allow (linux.c) is picked and the large folio allocated, but only the
 * touched page is mapped: the rest of the folio is held as a reservation.
 * Later faults in the block map their page of the same folio; once
 * promote_percent of its pages are mapped, the mechanism maps all the rest
 * at once (FreeBSD promotes when every page is populated: promote_percent
 * 100).  Under memory pressure the deferred-split shrinker breaks
 * reservations: the never-mapped part is split off and freed
 * (mm/anon_reserve.c has the mechanism and its rules).  A VMA in which
 * that happened (the shrinker split a partially mapped folio of it, giving
 * back the never-used part of a reservation, or the unmapped part of one
 * broken by munmap) makes no new reservations: its per-VMA word says so,
 * and its faults allocate the large folio mapped whole, as linux's.
 * FreeBSD breaks reservations when memory runs short; not making them
 * again where they were not used keeps the VMA from paying twice.
 *
 * Tunable: /sys/kernel/mm/folio/policy_reserve/promote_percent (1..100,
 * default 50).
 */
#include "mm/anon_order.h"
#include "mm/policy/policy.h"

static unsigned int promote_percent = 50;

static unsigned long reserve_orders(const struct vm_area_struct *vma, unsigned long addr)
{
	(void)addr;
	return linux_orders_allowed(vma);
}

/* The per-VMA word: RESERVE_RECLAIMED once the shrinker took back pages of this VMA's reservations. */
#define RESERVE_RECLAIMED	1UL

/* Every large folio starts as a reservation, but in a VMA whose reservations were reclaimed. */
static bool reserve_reserve(const struct vm_area_struct *vma, unsigned int order)
{
	return order >= 1 && anon_policy_state(vma) != RESERVE_RECLAIMED;
}

/* The shrinker split a partially mapped folio of vma: reserve no more there. */
static void reserve_split(struct vm_area_struct *vma, unsigned int order, unsigned int new_order,
			  enum split_reason why)
{
	(void)order;
	(void)new_order;
	if (why == SPLIT_DEFERRED)
		anon_policy_set_state(vma, RESERVE_RECLAIMED);
}

/* Promote once promote_percent of the pages are mapped. */
static bool reserve_promote(const struct vm_area_struct *vma, unsigned int order, unsigned int mapped)
{
	(void)vma;
	return policy_percent_reached(mapped, order, READ_ONCE(promote_percent));
}

static const struct thp_sysfs_file reserve_files[] = {
	POLICY_PERCENT_FILE("promote_percent", promote_percent),
};

const struct anon_policy reserve_policy = {
	.name = "reserve",
	.orders = reserve_orders,
	.reserve = reserve_reserve,
	.reserve_promote = reserve_promote,
	.split = reserve_split,
	.files = reserve_files,
	.nr_files = ARRAY_SIZE(reserve_files),
};
