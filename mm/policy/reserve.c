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
 * (mm/anon_reserve.c has the mechanism and its rules).
 *
 * Tunable: /sys/kernel/mm/folio/policy_reserve/promote_percent (1..100,
 * default 50).  No per-VMA state.
 */
#include "mm/anon_order.h"
#include "mm/policy/policy.h"

static unsigned int promote_percent = 50;

static unsigned long reserve_orders(const struct vm_area_struct *vma, unsigned long addr)
{
	(void)addr;
	return linux_orders_allowed(vma);
}

/* Every large folio starts as a reservation. */
static bool reserve_reserve(const struct vm_area_struct *vma, unsigned int order)
{
	(void)vma;
	return order >= 1;
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
	.files = reserve_files,
	.nr_files = ARRAY_SIZE(reserve_files),
};
