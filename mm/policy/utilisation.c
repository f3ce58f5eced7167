/*
 * utilisation.c - the `utilisation` order policy: Ingens (Kwon et al.,
 * OSDI'16) on foliOS's folios.
 *
 * Faults allocate order 0 only.  After each write fault, the aligned block
 * around it of the largest order Linux's rules allow (linux.c) that fits
 * the VMA is looked at: once promote_percent of its pages are mapped
 * (Ingens' utilisation threshold, 90% there), the mechanism collapses the
 * block in place into one folio of that order (mm/collapse.c, MADV_COLLAPSE's
 * copy; the pages never touched are zero-filled).  The promotion runs in
 * the fault that crosses the threshold, not in a background worker.
 *
 * A VMA whose large folios (under this policy: its promotions) get split
 * for any reason but a request (part of one unmapped and the shrinker
 * giving it back, its zero pages found underused, MADV_FREE of part) is
 * promoted no more: the threshold was crossed but the block was not used
 * as one (Ingens demotes such huge pages and counts them against the
 * process).  Its per-VMA word says so.
 *
 * Tunable: /sys/kernel/mm/folio/policy_utilisation/promote_percent
 * (1..100, default 90).
 */
#include "mm/anon_order.h"
#include "mm/policy/policy.h"
#include "mm/vma.h"

static unsigned int promote_percent = 90;

/* Start small: order 0 only. */
static unsigned long utilisation_orders(const struct vm_area_struct *vma, unsigned long addr)
{
	(void)vma;
	(void)addr;
	return 1;
}

/* The largest order Linux's rules allow whose aligned block around addr fits vma; 0 if none. */
static unsigned int promote_target(const struct vm_area_struct *vma, unsigned long addr)
{
	unsigned long orders = linux_orders_allowed(vma) & ~1UL;

	for (unsigned int k = MTHP_MAX_ORDER; k >= 1; k--)
		if ((orders & (1UL << k)) && order_fits_vma(vma, ALIGN_DOWN(addr, PAGE_SIZE << k), k))
			return k;
	return 0;
}

/* The per-VMA word: UTILISATION_DEMOTED once a promoted folio of the VMA was split. */
#define UTILISATION_DEMOTED	1UL

/* Promote the block once promote_percent of its pages are mapped, unless the VMA's promotions were split. */
static unsigned int utilisation_fault_mapped(struct vm_area_struct *vma, const struct policy_fault *f)
{
	unsigned int k = anon_policy_state(vma) == UTILISATION_DEMOTED ? 0 : promote_target(vma, f->addr);

	if (!k || f->order >= k ||
	    !policy_percent_reached(anon_block_mapped(vma, f->addr, k), k, READ_ONCE(promote_percent)))
		return 0;
	return k;
}

/* A large folio of vma split but on request: stop promoting there. */
static void utilisation_split(struct vm_area_struct *vma, unsigned int order, unsigned int new_order,
			      enum split_reason why)
{
	(void)order;
	(void)new_order;
	if (why != SPLIT_KNOB)
		anon_policy_set_state(vma, UTILISATION_DEMOTED);
}

static const struct thp_sysfs_file utilisation_files[] = {
	POLICY_PERCENT_FILE("promote_percent", promote_percent),
};

const struct anon_policy utilisation_policy = {
	.name = "utilisation",
	.orders = utilisation_orders,
	.fault_mapped = utilisation_fault_mapped,
	.split = utilisation_split,
	.files = utilisation_files,
	.nr_files = ARRAY_SIZE(utilisation_files),
};
