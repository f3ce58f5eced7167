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
 * Tunable: /sys/kernel/mm/folio/policy_utilisation/promote_percent
 * (1..100, default 90).  No per-VMA state.
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

/* Promote the block once promote_percent of its pages are mapped. */
static unsigned int utilisation_fault_mapped(struct vm_area_struct *vma, const struct policy_fault *f)
{
	unsigned int k = promote_target(vma, f->addr);

	if (!k || f->order >= k ||
	    !policy_percent_reached(anon_block_mapped(vma, f->addr, k), k, READ_ONCE(promote_percent)))
		return 0;
	return k;
}

static const struct thp_sysfs_file utilisation_files[] = {
	POLICY_PERCENT_FILE("promote_percent", promote_percent),
};

const struct anon_policy utilisation_policy = {
	.name = "utilisation",
	.orders = utilisation_orders,
	.fault_mapped = utilisation_fault_mapped,
	.files = utilisation_files,
	.nr_files = ARRAY_SIZE(utilisation_files),
};
