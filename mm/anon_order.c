/*
 * anon_order.c - the mechanism's side of the order policy: the knobs'
 * largest enabled order, the per-VMA policy word, and the feedback calls
 * into the current policy (mm/policy/policy.h).  The decisions themselves
 * live in mm/policy/<name>.c.
 */
#include "mm/anon_order.h"
#include "mm/debug_vm.h"
#include "mm/huge_mm.h"
#include "mm/rmap.h"

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

void anon_order_note_cow(struct vm_area_struct *vma, unsigned int order, int copy_order)
{
	const struct anon_policy *p = anon_policy_current();

	VM_BUG_ON(copy_order != COW_REUSED && (copy_order < 0 || (unsigned int)copy_order > order));
	if (p->cow)
		p->cow(vma, order, copy_order);
}

/*
 * Split and reclaim feedback: one folio event told to the policy once per
 * VMA that maps the folio, found by an rmap walk (each VMA's PTEs come
 * together, a folio is mapped by PTEs or by a PMD in one VMA, never both).
 */
struct folio_feedback {
	struct vm_area_struct *last;	/* the VMA told last */
	unsigned int order;		/* the folio's */
	bool reclaim;			/* the reclaim hook, else split */
	unsigned int new_order;		/* split: the smallest piece's order */
	enum split_reason why;		/* split */
	enum reclaim_outcome what;	/* reclaim */
};

/* Tell the policy of fb's event in vma, unless vma was just told. */
static void feedback_tell(struct folio_feedback *fb, struct vm_area_struct *vma)
{
	const struct anon_policy *p = anon_policy_current();

	if (vma == fb->last)
		return;
	fb->last = vma;
	if (fb->reclaim)
		p->reclaim(vma, fb->order, fb->what);
	else
		p->split(vma, fb->order, fb->new_order, fb->why);
}

static void feedback_pte(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, struct page *page,
			 void *arg)
{
	(void)addr;
	(void)ptep;
	(void)page;
	feedback_tell(arg, vma);
}

static void feedback_pmd(struct vm_area_struct *vma, unsigned long addr, pmd_t *pmdp, void *arg)
{
	(void)addr;
	(void)pmdp;
	feedback_tell(arg, vma);
}

/* Tell fb's event for folio to every VMA mapping it (locks: policy.h's split hook). */
static void feedback_walk(struct folio *folio, struct folio_feedback *fb)
{
	VM_BUG_ON_FOLIO(!folio_test_locked(folio), folio);
	fb->order = folio_order(folio);
	rmap_walk(folio, feedback_pte, fb);
	rmap_walk_pmd(folio, feedback_pmd, fb);
}

void anon_order_note_split(struct folio *folio, unsigned int new_order, enum split_reason why)
{
	struct folio_feedback fb = { .new_order = new_order, .why = why };

	VM_BUG_ON_FOLIO(new_order >= folio_order(folio), folio);
	feedback_walk(folio, &fb);
}

void anon_order_note_reclaim(struct folio *folio, enum reclaim_outcome what)
{
	struct folio_feedback fb = { .reclaim = true, .what = what };

	feedback_walk(folio, &fb);
}
