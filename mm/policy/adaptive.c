/*
 * adaptive.c - the `adaptive` order policy (the RFC's "per-vma value that
 * gets dynamically tuned"): Linux's rules (linux.c), and each VMA's order
 * capped by what its faults have shown.
 *
 * The per-VMA word is the cap, starting at ANON_ORDER_CAP_INITIAL.  A
 * fault that maps a folio of the cap's order right after a fully mapped
 * folio of that order (dense, sequential use) raises the cap by one; a
 * large folio losing part of its mappings (munmap/MADV_DONTNEED of part
 * of it: sparse use) drops the cap below that folio's order.  A CoW copy
 * taking pages off a folio is not sparse use: the mechanism does not
 * report it (mm/cow.c).
 */
#include "mm/anon_order.h"
#include "mm/policy/policy.h"

static unsigned long adaptive_orders(const struct vm_area_struct *vma, unsigned long addr)
{
	(void)addr;
	return linux_orders_allowed(vma) & ((2UL << anon_policy_state(vma)) - 1);
}

/* Dense use: one more order, up to the PMD order. */
static unsigned int adaptive_fault_mapped(struct vm_area_struct *vma, const struct policy_fault *f)
{
	unsigned long cap = anon_policy_state(vma);

	if (f->neighbour_full && f->order == cap && cap < MTHP_MAX_ORDER)
		anon_policy_set_state(vma, cap + 1);
	return 0;
}

/* Sparse use: below the order of the folio that lost mappings. */
static void adaptive_partial_unmap(struct vm_area_struct *vma, unsigned int order)
{
	unsigned long cap = anon_policy_state(vma);

	if (order && cap >= order)
		anon_policy_set_state(vma, order - 1);
}

const struct anon_policy adaptive_policy = {
	.name = "adaptive",
	.orders = adaptive_orders,
	.vma_state_initial = ANON_ORDER_CAP_INITIAL,
	.fault_mapped = adaptive_fault_mapped,
	.partial_unmap = adaptive_partial_unmap,
};
