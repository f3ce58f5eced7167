/*
 * anon_order.c - THE POLICY: which folio orders an anonymous fault may try.
 *
 * This file is small on purpose: labs and experiments replace it.  The
 * mechanism (mm/memory.c) asks anon_orders_allowed() for a bitmask, then
 * keeps the orders whose naturally aligned block fits the VMA and the PTE
 * table and is all-none, and allocates the highest it can get.
 *
 * Static policy: Linux's mTHP rules (anon_order.h), plus allow_order1.
 * Adaptive policy (the RFC's "per-vma value that gets dynamically
 * tuned"): each VMA also carries anon_order_cap, starting at
 * ANON_ORDER_CAP_INITIAL.  A fault that maps a folio of the cap's order
 * right after a fully mapped folio of that order (dense, sequential use)
 * raises the cap by one; a large folio losing part of its mappings
 * (munmap/MADV_DONTNEED of part of it: sparse use) drops the cap below
 * that folio's order.  A CoW copy taking pages off a folio is not sparse
 * use: it does not report (mm/cow.c).
 */
#include "mm/anon_order.h"

/* Does the per-size mode `m` let a VMA with these flags use the size? */
static bool size_mode_allows(enum thp_mode m, enum thp_mode top, bool madv)
{
	switch (m) {
	case THP_ALWAYS:
		return true;
	case THP_MADVISE:
		return madv;
	case THP_INHERIT:
		return top == THP_ALWAYS || (top == THP_MADVISE && madv);
	default:
		return false;
	}
}

unsigned long anon_orders_allowed(const struct vm_area_struct *vma, unsigned long addr)
{
	const struct anon_order_config *c = &anon_order_config;
	bool madv = vma->vm_flags & VM_HUGEPAGE;
	unsigned long orders = 1;	/* order 0 is always possible */

	(void)addr;
	if ((vma->vm_flags & VM_NOHUGEPAGE) || (vma->vm_mm->flags & MMF_DISABLE_THP))
		return orders;	/* MADV_NOHUGEPAGE, prctl(PR_SET_THP_DISABLE) */
	if (vma->vm_shmem)
		return orders;	/* shmem objects and their private CoW copies: order 0 (mm/shmem.c) */
	for (unsigned int k = 1; k <= MTHP_MAX_ORDER; k++) {
		if (size_mode_allows(c->size[k], c->top, madv))
			orders |= 1UL << k;
	}
	if (!c->allow_order1)
		orders &= ~2UL;
	if (c->policy == ANON_POLICY_ADAPTIVE)
		orders &= (2UL << vma->anon_order_cap) - 1;
	return orders;
}

unsigned int anon_order_max_enabled(void)
{
	const struct anon_order_config *c = &anon_order_config;

	for (unsigned int k = MTHP_MAX_ORDER; k >= 1; k--) {
		enum thp_mode m = c->size[k] == THP_INHERIT ? c->top : c->size[k];

		if (m != THP_NEVER && (k > 1 || c->allow_order1))
			return k;
	}
	return 0;
}

void anon_order_note_fault(struct vm_area_struct *vma, unsigned int order, bool neighbour_full)
{
	if (anon_order_config.policy != ANON_POLICY_ADAPTIVE)
		return;
	if (neighbour_full && order == vma->anon_order_cap && vma->anon_order_cap < MTHP_MAX_ORDER)
		vma->anon_order_cap++;
}

void anon_order_note_partial_unmap(struct vm_area_struct *vma, unsigned int order)
{
	if (anon_order_config.policy != ANON_POLICY_ADAPTIVE)
		return;
	if (order && vma->anon_order_cap >= order && vma->anon_order_cap > 0)
		vma->anon_order_cap = order - 1;
}
