/*
 * linux.c - the `linux` order policy: Linux's static mTHP rules, nothing
 * learnt (the policy foliOS called `static`; that word still selects it).
 *
 * A VMA may use order k when the per-size mode of k is "always"; or
 * "madvise" and the VMA has MADV_HUGEPAGE; or "inherit" and the top level
 * is "always", or "madvise" with MADV_HUGEPAGE (mm/anon_order.h has the
 * knobs).  MADV_NOHUGEPAGE and prctl(PR_SET_THP_DISABLE) forbid every
 * order above 0, as does a shmem mapping (mm/shmem.c: order-0 folios only);
 * foliOS's allow_order1 0 forbids order 1.
 */
#include "mm/anon_order.h"
#include "mm/policy/policy.h"

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

unsigned long linux_orders_allowed(const struct vm_area_struct *vma)
{
	const struct anon_order_config *c = &anon_order_config;
	bool madv = vma->vm_flags & VM_HUGEPAGE;
	unsigned long orders = 1;	/* order 0 is always possible */

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
	return orders;
}

static unsigned long linux_orders(const struct vm_area_struct *vma, unsigned long addr)
{
	(void)addr;
	return linux_orders_allowed(vma);
}

const struct anon_policy linux_policy = {
	.name = "linux",
	.orders = linux_orders,
};
