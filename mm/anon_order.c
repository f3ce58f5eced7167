/*
 * anon_order.c - the mechanism's side of the order policy: the knobs'
 * largest enabled order, the per-VMA policy word, and the feedback calls
 * into the current policy (mm/policy/policy.h).  The decisions themselves
 * live in mm/policy/<name>.c.
 */
#include "mm/anon_order.h"
#include "mm/debug_vm.h"

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

unsigned long anon_policy_state(const struct vm_area_struct *vma)
{
	const struct anon_policy *p = anon_policy_current();

	return vma->policy_owner == p ? vma->policy_state : p->vma_state_initial;
}

void anon_policy_set_state(struct vm_area_struct *vma, unsigned long state)
{
	vma->policy_owner = anon_policy_current();
	vma->policy_state = state;
}

unsigned int anon_order_note_fault(struct vm_area_struct *vma, const struct policy_fault *f)
{
	const struct anon_policy *p = anon_policy_current();
	unsigned int order = p->fault_mapped ? p->fault_mapped(vma, f) : 0;

	VM_BUG_ON(order > MTHP_MAX_ORDER);
	return order > f->order ? order : 0;	/* collapsing into a smaller folio asks nothing */
}

void anon_order_note_partial_unmap(struct vm_area_struct *vma, unsigned int order)
{
	const struct anon_policy *p = anon_policy_current();

	if (p->partial_unmap)
		p->partial_unmap(vma, order);
}
