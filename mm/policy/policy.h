/*
 * policy.h - the anonymous order policy as a pluggable interface.
 *
 * The mechanism (mm/memory.c's fault path, mm/rmap.c, mm/collapse.c,
 * mm/anon_reserve.c, mm/cow.c, mm/split.c, mm/vmscan.c) asks the current
 * policy questions and tells it what happened; each policy is one small file under mm/policy/ holding
 * decisions only.  The policies (docs/policylab.md "How to write a policy"):
 *
 *   linux        Linux's static mTHP rules: thp_anon=, per-size enabled,
 *                always/madvise/never/inherit, MADV_[NO]HUGEPAGE,
 *                PR_SET_THP_DISABLE (plus foliOS's allow_order1)
 *   adaptive     linux, capped per VMA by what its faults have shown
 *   reserve      FreeBSD's reservations (Navarro, OSDI'02): the large folio
 *                is allocated at first touch but only touched pages are
 *                mapped; the rest is mapped once enough of it is used
 *   utilisation  Ingens (OSDI'16): order 0 first; an aligned block is
 *                collapsed into one large folio once enough of it is used
 *
 * Writing a new policy: a file mm/policy/<name>.c defining
 * `const struct anon_policy <name>_policy`, plus one line in
 * ANON_POLICY_LIST below.  mm/mm.mk builds every .c file of mm/policy/.
 *
 * Per-VMA state: one word per VMA (vm_area_struct.policy_state) that the
 * policy owning it reads and writes through anon_policy_state() and
 * anon_policy_set_state() (mm/anon_order.h).  VMA split, mremap and fork
 * copy it with the VMA; a merge keeps the surviving VMA's.  A word written
 * under another policy is ignored: the current policy sees its own
 * vma_state_initial until it writes one (that is what switching policies
 * does to per-VMA state).
 *
 * Every hook but orders may be NULL (nothing to decide, or not
 * interested).  Hooks run with the mm's mmap_lock held and no PTE-table
 * lock unless said otherwise; they must not allocate, sleep or change page
 * tables: they answer, or note what happened in the VMA's word.
 *
 * The feedback hooks, each called from exactly one place of the mechanism:
 *   fault_mapped   a write fault mapped a folio        mm/anon_order.c, from the fault
 *   partial_unmap  a large folio lost part of its PTEs mm/rmap.c folio_remove_rmap_ptes
 *   cow            a CoW fault copied or reused        mm/cow.c do_wp_page
 *   split          a large folio was split             mm/split.c __folio_split
 *   reclaim        reclaim decided a lazyfree folio    mm/vmscan.c shrink_lazyfree_folio
 * split and reclaim are told once per VMA that maps the folio (an rmap
 * walk, mm/anon_order.c), from reclaim or madvise: the mmap_lock may not be
 * held, but the PTE-table lock of one of the folio's PTEs in that VMA is
 * (so the VMA cannot go away), and the folio lock; their write of the
 * VMA's word is a hint that a racing fault's write may overtake.  What a CoW fault
 * copies stays cow_policy's decision (mm/cow_policy.c); the hook hears the
 * outcome.
 */
#ifndef MM_POLICY_POLICY_H
#define MM_POLICY_POLICY_H

#include "mm/mm_types.h"
#include "mm/thp_sysfs_file.h"

/* What a fault just mapped (the fault_mapped hook's argument). */
struct policy_fault {
	unsigned long addr;	/* the faulting address, page aligned */
	unsigned int order;	/* order of the folio now mapping addr */
	bool neighbour_full;	/* the aligned block just below is one fully mapped folio of that order */
};

/* Why a large folio was split (the split hook's argument; mm/split.h). */
enum split_reason {
	SPLIT_DEFERRED,		/* the deferred-split shrinker: the unmapped part of a partially mapped folio */
	SPLIT_UNDERUSED,	/* the shrinker: an underused folio's zero-filled pages (thp_underused) */
	SPLIT_MADVISE,		/* MADV_FREE of part of the folio (mm/madvise.c) */
	SPLIT_KNOB,		/* asked for: split_huge_pages (folio/split_range), split_folio_to_order */
};

/* What reclaim did with a lazyfree folio (the reclaim hook's argument; mm/vmscan.c). */
enum reclaim_outcome {
	RECLAIM_FREED,		/* clean and idle since MADV_FREE: unmapped and freed (pglazyfreed) */
	RECLAIM_REFERENCED,	/* written or young since: kept (pgactivate, or back to the list) */
};

/* A CoW fault's outcome (the cow hook's copy_order) when nothing was copied. */
#define COW_REUSED	(-1)

struct anon_policy {
	const char *name;	/* the word in /sys/kernel/mm/folio/policy and folio.policy= */

	/*
	 * Bit k set: a write fault at addr in vma may allocate an order-k
	 * folio (bit 0 is always set).  Alignment, the VMA's bounds and PTE
	 * state are the mechanism's business.  Required.  Also asked by
	 * MADV_COLLAPSE (with VM_HUGEPAGE set on a copy of the VMA) and smaps.
	 */
	unsigned long (*orders)(const struct vm_area_struct *vma, unsigned long addr);

	/* The per-VMA word this policy sees before it ever wrote one. */
	unsigned long vma_state_initial;

	/*
	 * A write fault mapped an order-f->order folio at f->addr (a fresh
	 * folio, or a page of a reservation).  Returns the order of the
	 * aligned block around addr the mechanism should now collapse into one
	 * folio in place (mm/collapse.c), or 0 for none.  The PTE-table lock
	 * is not held; the hook may call anon_block_mapped() (mm/vma.h).
	 */
	unsigned int (*fault_mapped)(struct vm_area_struct *vma, const struct policy_fault *f);

	/*
	 * A large folio of order `order` lost part of its mappings in vma (the
	 * VMA that keeps the rest: munmap, MADV_DONTNEED, mremap of part of it;
	 * not a CoW copy).  PTE-table lock held.
	 */
	void (*partial_unmap)(struct vm_area_struct *vma, unsigned int order);

	/*
	 * A write (or unshare) fault on a read-only PTE of vma mapping a folio
	 * of order `order` (mm/cow.c): the fault copied an order-copy_order
	 * folio (0: one page, Linux's wp_page_copy; `order`: the whole folio),
	 * or reused the folio in place (copy_order COW_REUSED).  Not told: a
	 * write to the zero page, a copy that found the PTE changed.  No
	 * PTE-table lock held.
	 */
	void (*cow)(struct vm_area_struct *vma, unsigned int order, int copy_order);

	/*
	 * A folio of order `order` mapped in vma was split, its smallest piece
	 * of order new_order (< order), for the reason why (mm/split.c).  The
	 * folio lock and a PTE-table lock of vma held (above: split and
	 * reclaim); the mmap_lock may not be.
	 */
	void (*split)(struct vm_area_struct *vma, unsigned int order, unsigned int new_order,
		      enum split_reason why);

	/*
	 * Reclaim looked at a lazyfree (MADV_FREE) folio of order `order`
	 * mapped in vma and freed it or kept it as referenced (mm/vmscan.c).
	 * Told before the folio is unmapped.  Locks as split.
	 */
	void (*reclaim)(struct vm_area_struct *vma, unsigned int order, enum reclaim_outcome what);

	/*
	 * Reservations: should a fresh order-`order` folio (order >= 1) at
	 * addr be mapped only at the touched page, the rest held as a
	 * reservation (mm/anon_reserve.c)?  NULL: never.
	 */
	bool (*reserve)(const struct vm_area_struct *vma, unsigned int order);

	/*
	 * A reservation of 1 << order pages now has `mapped` of them mapped:
	 * map all the rest now (promote)?  Asked after every page mapped from
	 * it, PTE-table lock held.  NULL: never.
	 */
	bool (*reserve_promote)(const struct vm_area_struct *vma, unsigned int order,
				unsigned int mapped);

	/*
	 * The policy's tunables: files under /sys/kernel/mm/folio/policy_<name>/
	 * (path: the file name there), parsed by kstrtoul_buf (uint_knob).
	 */
	const struct thp_sysfs_file *files;
	unsigned int nr_files;
};

/*
 * The policies, in the order /sys/kernel/mm/folio/policy lists them:
 * X(ENUM_SUFFIX, name).  Index 0 is the default.
 */
#define ANON_POLICY_LIST(X) \
	X(LINUX, linux) \
	X(ADAPTIVE, adaptive) \
	X(RESERVE, reserve) \
	X(UTILISATION, utilisation)

#define ANON_POLICY_ENUM(id, name) ANON_POLICY_##id,
enum anon_policy_id { ANON_POLICY_LIST(ANON_POLICY_ENUM) NR_ANON_POLICIES };
#undef ANON_POLICY_ENUM

/* anon_policies[id]: the policy of each id (mm/policy/table.c). */
extern const struct anon_policy *const anon_policies[NR_ANON_POLICIES];

/*
 * A tunable percentage, 1..100, as one entry of a policy's files[]: the
 * file `name` over the unsigned int `var`, parsed by kstrtoul_buf
 * (uint_knob: -EINVAL outside the range).
 */
#define POLICY_PERCENT_FILE(name, var) \
	{ name, uint_knob_show, uint_knob_store, &(struct uint_knob){ &(var), 1, 100, false } }

/* Are `used` pages of a block of 1 << order at least `percent`% of it? */
static inline bool policy_percent_reached(unsigned int used, unsigned int order, unsigned int percent)
{
	return (unsigned long)used * 100 >= (unsigned long)percent << order;
}

/* Linux's static mTHP rules (mm/policy/linux.c): what the other policies start from. */
unsigned long linux_orders_allowed(const struct vm_area_struct *vma);

/*
 * The id of the policy named by buf[0..len) (one trailing newline
 * allowed; "static" is the old name of linux), or -EINVAL.
 */
int anon_policy_parse(const char *buf, size_t len);

#endif
