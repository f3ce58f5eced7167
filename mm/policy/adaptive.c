/*
 * adaptive.c - the `adaptive` order policy (the RFC's "per-vma value that
 * gets dynamically tuned"): Linux's rules (linux.c), and each VMA's order
 * capped by what its faults, splits, reclaim and CoW faults have shown.
 *
 * The per-VMA word holds the cap (ADAPTIVE_CAP: its low byte), starting at
 * ANON_ORDER_CAP_INITIAL, and a CoW score above it.  Raised: a fault that
 * maps a folio of the cap's order right after a fully mapped folio of that
 * order (dense, sequential use) raises the cap by one.  Lowered below the
 * order k of a large folio of the VMA (sparse use) when:
 *   - it loses part of its mappings (munmap/MADV_DONTNEED of part of it);
 *   - it is split for any reason but a request (the deferred-split or
 *     underused shrinker, MADV_FREE of part: its pages were not all used);
 *   - reclaim frees it as lazyfree (MADV_FREE'd and never used again);
 *   - CoW faults on large folios of the VMA copy single pages more often
 *     than they copy or reuse whole folios, by ADAPTIVE_COW_DOMINATE (the
 *     score: +1 per page copy of a large folio, -1 per folio copy or reuse,
 *     never below 0; reaching the threshold lowers the cap below that
 *     fault's folio and starts the score again).  Forked memory written a
 *     page at a time gains nothing from large folios: each stays shared,
 *     partly copied, on both sides.
 * A CoW copy taking pages off a folio is not a partial unmap (mm/cow.c
 * passes no VMA); the cow hook counts it instead.
 */
#include "mm/anon_order.h"
#include "mm/debug_vm.h"
#include "mm/policy/policy.h"

#define ADAPTIVE_COW_DOMINATE	8	/* the CoW score that lowers the cap */

static unsigned long adaptive_orders(const struct vm_area_struct *vma, unsigned long addr)
{
	(void)addr;
	return linux_orders_allowed(vma) & ((2UL << ADAPTIVE_CAP(anon_policy_state(vma))) - 1);
}

/* The VMA's word with cap `cap` and CoW score `score`. */
static void adaptive_set(struct vm_area_struct *vma, unsigned long cap, unsigned long score)
{
	VM_BUG_ON(cap > MTHP_MAX_ORDER || score >= ADAPTIVE_COW_DOMINATE);
	anon_policy_set_state(vma, cap | score << ADAPTIVE_COW_SHIFT);
}

static unsigned long adaptive_score(const struct vm_area_struct *vma)
{
	return anon_policy_state(vma) >> ADAPTIVE_COW_SHIFT;
}

/* Dense use: one more order, up to the PMD order. */
static unsigned int adaptive_fault_mapped(struct vm_area_struct *vma, const struct policy_fault *f)
{
	unsigned long cap = ADAPTIVE_CAP(anon_policy_state(vma));

	if (f->neighbour_full && f->order == cap && cap < MTHP_MAX_ORDER)
		adaptive_set(vma, cap + 1, adaptive_score(vma));
	return 0;
}

/* Sparse use of a folio of this order: the cap below it. */
static void adaptive_sparse_use(struct vm_area_struct *vma, unsigned int order)
{
	unsigned long cap = ADAPTIVE_CAP(anon_policy_state(vma));

	if (order && cap >= order)
		adaptive_set(vma, order - 1, adaptive_score(vma));
}

/* Page copies of large folios dominating: the cap below the folio's order. */
static void adaptive_cow(struct vm_area_struct *vma, unsigned int order, int copy_order)
{
	unsigned long cap = ADAPTIVE_CAP(anon_policy_state(vma)), score = adaptive_score(vma);

	if (!order)
		return;
	if (copy_order) {	/* the folio copied whole, or reused */
		score = score ? score - 1 : 0;
	} else if (++score == ADAPTIVE_COW_DOMINATE) {
		cap = min(cap, (unsigned long)order - 1);
		score = 0;
	}
	adaptive_set(vma, cap, score);
}

/* Split because not all of it was used (not on request): sparse use. */
static void adaptive_split(struct vm_area_struct *vma, unsigned int order, unsigned int new_order,
			   enum split_reason why)
{
	(void)new_order;
	if (why != SPLIT_KNOB)
		adaptive_sparse_use(vma, order);
}

/* Freed by reclaim after MADV_FREE, never used again: sparse use. */
static void adaptive_reclaim(struct vm_area_struct *vma, unsigned int order, enum reclaim_outcome what)
{
	if (what == RECLAIM_FREED)
		adaptive_sparse_use(vma, order);
}

const struct anon_policy adaptive_policy = {
	.name = "adaptive",
	.orders = adaptive_orders,
	.vma_state_initial = ANON_ORDER_CAP_INITIAL,
	.fault_mapped = adaptive_fault_mapped,
	.partial_unmap = adaptive_sparse_use,
	.cow = adaptive_cow,
	.split = adaptive_split,
	.reclaim = adaptive_reclaim,
};
