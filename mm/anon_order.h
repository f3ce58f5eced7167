/*
 * anon_order.h - which folio orders an anonymous fault may try: the knobs,
 * and the mechanism's door to the current order policy (mm/anon_order.c
 * dispatches to the policies of mm/policy/, policy.h).
 *
 * Linux's mTHP controls, same names and meaning:
 *   /sys/kernel/mm/transparent_hugepage/enabled           always|madvise|never
 *   /sys/kernel/mm/transparent_hugepage/hugepages-<N>kB/enabled
 *                                                          always|inherit|madvise|never
 * (orders 1..9: 8kB..2048kB; Linux has no order 1, foliOS does) and the boot
 * words transparent_hugepage= and thp_anon=.  A VMA may use order k when:
 *   k is "always"; or k is "madvise" and the VMA has MADV_HUGEPAGE; or k is
 *   "inherit" and the top level is "always", or "madvise" with MADV_HUGEPAGE.
 * MADV_NOHUGEPAGE forbids every order above 0.
 *
 * foliOS extras under /sys/kernel/mm/folio/:
 *   allow_order1   0|1: may order 1 (8 KiB) be used at all (default 1)
 *   policy         linux|adaptive|reserve|utilisation (static: linux), the
 *                  order policy (mm/policy/policy.h); tunables under
 *                  policy_<name>/
 *   cow_policy     page|folio|adaptive: what a CoW fault on a large folio
 *                  copies (mm/cow_policy.c)
 */
#ifndef MM_ANON_ORDER_H
#define MM_ANON_ORDER_H

#include "mm/mm_types.h"
#include "mm/vmstat.h"
#include "mm/policy/policy.h"

struct folio;

enum thp_mode {
	THP_NEVER,
	THP_ALWAYS,
	THP_MADVISE,
	THP_INHERIT,	/* per-size only: follow the top-level setting */
};

/* How MADV_FREE splits a large folio it covers in part (mm/madvise.c). */
enum madv_free_split {
	MADV_FREE_SPLIT_ORDER0,		/* split_folio_to_order(folio, 0), as Linux */
	MADV_FREE_SPLIT_AROUND,		/* folio_split_boundary: covered pieces stay large */
};

/* What a CoW fault on a shared large folio copies (mm/cow.h, mm/cow_policy.c). */
enum cow_policy {
	COW_POLICY_PAGE,		/* the faulting page only, as Linux */
	COW_POLICY_FOLIO,		/* the whole folio when it can */
	COW_POLICY_ADAPTIVE,		/* the whole folio when its neighbourhood is densely written */
};

struct anon_order_config {
	enum thp_mode top;				/* .../transparent_hugepage/enabled */
	enum thp_mode size[MTHP_MAX_ORDER + 1];		/* per order 1..9; [0] unused */
	bool allow_order1;				/* /sys/kernel/mm/folio/allow_order1 */
	enum anon_policy_id policy;			/* /sys/kernel/mm/folio/policy */
	enum madv_free_split madv_free_split;		/* /sys/kernel/mm/folio/madv_free_split */
	enum cow_policy cow_policy;			/* /sys/kernel/mm/folio/cow_policy */
};

extern struct anon_order_config anon_order_config;

/* The order policy in force now. */
static inline const struct anon_policy *anon_policy_current(void)
{
	return anon_policies[anon_order_config.policy];
}

/*
 * Bit k set: the policy lets an anonymous fault at addr in vma allocate an
 * order-k folio (bit 0 is always set).  Alignment, VMA bounds and PTE state
 * are the fault path's business, not the policy's.
 */
static inline unsigned long anon_orders_allowed(const struct vm_area_struct *vma, unsigned long addr)
{
	return anon_policy_current()->orders(vma, addr);
}

/*
 * The largest order some anonymous VMA may fault right now: of the sizes
 * whose mode is not "never" (an "inherit" one: the top level not "never";
 * order 1 only with allow_order1), the largest; 0 when none.  What mmap
 * aligns large anonymous mappings to (mm/mmap.c).
 */
unsigned int anon_order_max_enabled(void);

/*
 * The current policy's word of vma (policy.h, "Per-VMA state"): the one it
 * wrote last, or its vma_state_initial when another policy (or none) wrote
 * the word.  Set: the word, now the current policy's.  mmap_lock held.
 */
unsigned long anon_policy_state(const struct vm_area_struct *vma);
void anon_policy_set_state(struct vm_area_struct *vma, unsigned long state);

/*
 * Feedback from the mechanism to the current policy (no-ops for hooks it
 * leaves NULL).  anon_order_note_fault: a write fault mapped f (PTE lock
 * not held); returns the order of the block to collapse around f->addr,
 * or 0.  anon_order_note_partial_unmap: a large folio of vma lost part of
 * its mappings (from folio_remove_rmap_ptes, PTE lock held).
 */
unsigned int anon_order_note_fault(struct vm_area_struct *vma, const struct policy_fault *f);
void anon_order_note_partial_unmap(struct vm_area_struct *vma, unsigned int order);
/*
 * anon_order_note_cow: a CoW fault in vma on a folio of order `order`
 * copied an order-copy_order folio or reused it (COW_REUSED); no PTE lock.
 * anon_order_note_split: the locked folio, still whole, is being split
 * into pieces of order >= new_order for the reason why; the policy hears
 * it once per VMA that maps the folio (an rmap walk: no PTE lock held by
 * the caller).  anon_order_note_reclaim: reclaim freed the locked lazyfree
 * folio or keeps it (what), told before it is unmapped, the same way.
 */
void anon_order_note_cow(struct vm_area_struct *vma, unsigned int order, int copy_order);
void anon_order_note_split(struct folio *folio, unsigned int new_order, enum split_reason why);
void anon_order_note_reclaim(struct folio *folio, enum reclaim_outcome what);
/* Does the policy hear of faults / partial unmaps / splits / reclaim?  The mechanism skips the work if not. */
static inline bool anon_order_wants_feedback(void)
{
	return anon_policy_current()->fault_mapped != NULL;
}
static inline bool anon_order_wants_unmap_feedback(void)
{
	return anon_policy_current()->partial_unmap != NULL;
}
static inline bool anon_order_wants_split_feedback(void)
{
	return anon_policy_current()->split != NULL;
}
static inline bool anon_order_wants_reclaim_feedback(void)
{
	return anon_policy_current()->reclaim != NULL;
}
/*
 * The order cap a new VMA starts with under the adaptive policy; its word
 * holds the cap below ADAPTIVE_COW_SHIFT and its CoW score above
 * (mm/policy/adaptive.c).
 */
#define ANON_ORDER_CAP_INITIAL	4
#define ADAPTIVE_COW_SHIFT	8
#define ADAPTIVE_CAP(state)	((state) & ((1UL << ADAPTIVE_COW_SHIFT) - 1))

/* Parse "always", "never", ... ; -1 when the word is not a mode. */
int thp_mode_parse(const char *word, size_t len);
extern const char *const thp_mode_names[];

#endif
