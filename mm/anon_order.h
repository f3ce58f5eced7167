/*
 * anon_order.h - which folio orders an anonymous fault may try: the policy
 * (mm/anon_order.c) and its knobs.
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
 *   policy         static|adaptive: adaptive also caps each VMA's order by
 *                  what its faults have shown (see anon_order.c)
 *   cow_policy     page|folio|adaptive: what a CoW fault on a large folio
 *                  copies (mm/cow_policy.c)
 */
#ifndef MM_ANON_ORDER_H
#define MM_ANON_ORDER_H

#include "mm/mm_types.h"
#include "mm/vmstat.h"

enum thp_mode {
	THP_NEVER,
	THP_ALWAYS,
	THP_MADVISE,
	THP_INHERIT,	/* per-size only: follow the top-level setting */
};

enum anon_policy {
	ANON_POLICY_STATIC,
	ANON_POLICY_ADAPTIVE,
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
	enum anon_policy policy;			/* /sys/kernel/mm/folio/policy */
	enum madv_free_split madv_free_split;		/* /sys/kernel/mm/folio/madv_free_split */
	enum cow_policy cow_policy;			/* /sys/kernel/mm/folio/cow_policy */
};

extern struct anon_order_config anon_order_config;

/*
 * Bit k set: the policy lets an anonymous fault at addr in vma allocate an
 * order-k folio (bit 0 is always set).  Alignment, VMA bounds and PTE state
 * are the fault path's business, not the policy's.
 */
unsigned long anon_orders_allowed(const struct vm_area_struct *vma, unsigned long addr);

/*
 * The largest order some anonymous VMA may fault right now: of the sizes
 * whose mode is not "never" (an "inherit" one: the top level not "never";
 * order 1 only with allow_order1), the largest; 0 when none.  What mmap
 * aligns large anonymous mappings to (mm/mmap.c).
 */
unsigned int anon_order_max_enabled(void);

/*
 * Adaptive policy feedback (no-ops under the static policy): a fault mapped
 * an order-`order` folio right after a fully mapped folio of the same order
 * (neighbour_full: sequential, dense use; from the fault path), or a large
 * folio of the VMA lost part of its mappings (sparse use; from
 * folio_remove_rmap_ptes).
 */
void anon_order_note_fault(struct vm_area_struct *vma, unsigned int order, bool neighbour_full);
/* Does the policy use that feedback?  The fault path skips computing neighbour_full if not. */
static inline bool anon_order_wants_feedback(void)
{
	return anon_order_config.policy == ANON_POLICY_ADAPTIVE;
}
void anon_order_note_partial_unmap(struct vm_area_struct *vma, unsigned int order);
/* The order cap a new VMA starts with under the adaptive policy. */
#define ANON_ORDER_CAP_INITIAL	4

/* Parse "always", "never", ... ; -1 when the word is not a mode. */
int thp_mode_parse(const char *word, size_t len);
extern const char *const thp_mode_names[];

#endif
