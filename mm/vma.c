/*
 * vma.c - the VMAs of an address space, and mm lifetime.
 *
 * The VMAs of an mm are kept twice, in step: mm->mmap, a list sorted by
 * address (walks, and a VMA's neighbours in O(1)), and mm->mm_rb, a
 * red-black tree (mm/rbtree.c) keyed by vm_end, so find_vma(addr) -- the
 * first VMA ending above addr -- is a descent in O(log n), as Linux's was
 * before the maple tree.  vma_link() and vma_unlink() are the only places
 * that add to or take from either.  A VMA's bounds change in place (split,
 * merge) only while the tree order stays right: VMAs never overlap, so a
 * vm_end moved between its neighbours' keeps its place; a merge unlinks the
 * absorbed VMA before the survivor takes its vm_end (and frees it after),
 * so no two keys are ever equal.  Invariants (bounds and overlap asserted on every insertion;
 * all of them by debug_vm_check_vma_tree at fork and exit, and by the host
 * tests after every step): page-aligned bounds, vm_start < vm_end, no
 * overlap, the red-black rules, and the tree's in-order walk is the list.
 * Locking: mmap_lock (write) for both, held by every caller.
 *
 * Merging, as Linux's vma_merge_new_range / vma_merge_existing_range: a
 * new or changed VMA merges with a neighbour it touches when the flags
 * (VM_ACCOUNT included) are equal, the page offsets line up, and their
 * anon_vmas are compatible (is_mergeable_anon_vma: the same one, or at most
 * one of the two has one and the neighbour was not forked -- its
 * anon_vma_chain is a single entry); with both neighbours, prev and next
 * must be compatible too, else only prev is merged.  The survivor takes
 * the anon_vma (and chains) over from the VMA it absorbs when it has none
 * itself (anon_vma_move), so a heap grown by brk, or an mmap next to a
 * touched mapping, stays one VMA.  For anonymous memory vm_pgoff is the
 * page number of vm_start at creation and splits keep it linear, so
 * "offsets line up" holds for any two touching VMAs that never moved.
 *
 * Changing a range is split, then change: vma_split_range() cuts the VMAs
 * at the range's edges (the only step that allocates, all or nothing), and
 * what follows (vma_unmap_range, new flags, merging) cannot fail, so a call
 * that runs out of memory changes nothing.  vm.max_map_count is enforced
 * there, with Linux's comparisons (see vma.h).
 */
#include "kernel/slab.h"
#include "kernel/string.h"
#include "mm/mm.h"
#include "mm/mmu_gather.h"
#include "mm/pgtable.h"
#include "mm/anon_order.h"
#include "mm/huge_mm.h"
#include "mm/overcommit.h"
#include "mm/rmap.h"
#include "mm/shmem.h"
#include "mm/vma.h"
#include <uapi/errno.h>

#define STACK_LIMIT_DEFAULT	(8UL << 20)	/* RLIMIT_STACK */

int sysctl_max_map_count = DEFAULT_MAX_MAP_COUNT;

struct vm_area_struct *vma_next(struct vm_area_struct *vma)
{
	struct list_head *n = vma->vm_list.next;

	return n == &vma->vm_mm->mmap ? NULL : list_entry(n, struct vm_area_struct, vm_list);
}

static struct vm_area_struct *vma_prev(struct vm_area_struct *vma)
{
	struct list_head *p = vma->vm_list.prev;

	return p == &vma->vm_mm->mmap ? NULL : list_entry(p, struct vm_area_struct, vm_list);
}

static struct vm_area_struct *rb_vma(struct rb_node *node)
{
	return container_of(node, struct vm_area_struct, vm_rb);
}

struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	struct rb_node *node = mm->mm_rb.rb_node;
	struct vm_area_struct *found = NULL;

	while (node) {
		struct vm_area_struct *vma = rb_vma(node);

		if (vma->vm_end > addr) {
			found = vma;
			if (vma->vm_start <= addr)
				break;
			node = node->rb_child[0];
		} else {
			node = node->rb_child[1];
		}
	}
	return found;
}

struct vm_area_struct *vma_lookup(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	return vma && vma->vm_start <= addr ? vma : NULL;
}

unsigned long mm_total_vm(const struct mm_struct *mm)
{
	return mm->total_vm;
}

/* (vma.h) */
void vm_stat_account(struct mm_struct *mm, long npages)
{
	if (npages < 0 && mm->hiwater_vm < mm->total_vm)
		mm->hiwater_vm = mm->total_vm;
	mm->total_vm += npages;
	VM_BUG_ON((long)mm->total_vm < 0);
}

/* The pages [start, end) spans, as a signed count for vm_stat_account. */
static long vma_span_pages(unsigned long start, unsigned long end)
{
	return (long)((end - start) >> PAGE_SHIFT);
}

#ifdef DEBUG_VM
/* The subtree at n under parent: links and colours sound; returns its black height. */
static int vma_tree_black_height(const struct rb_node *n, const struct rb_node *parent)
{
	int l, r;

	if (!n)
		return 1;
	if (n->rb_parent != parent)
		panic("vma tree: %p has a broken parent link", (const void *)n);
	if (n->rb_red && parent && parent->rb_red)
		panic("vma tree: red %p under a red parent", (const void *)n);
	l = vma_tree_black_height(n->rb_child[0], n);
	r = vma_tree_black_height(n->rb_child[1], n);
	if (l != r)
		panic("vma tree: black heights %d and %d differ under %p", l, r, (const void *)n);
	return l + !n->rb_red;
}

/* In-order walk of the subtree at n: it must meet the list's VMAs in order (*pos advances). */
static void vma_tree_inorder(const struct rb_node *n, struct mm_struct *mm, struct list_head **pos,
			     int *count)
{
	if (!n)
		return;
	vma_tree_inorder(n->rb_child[0], mm, pos, count);
	*pos = (*pos)->next;
	if (*pos == &mm->mmap || list_entry(*pos, struct vm_area_struct, vm_list) != rb_vma((struct rb_node *)n))
		panic("vma tree: in-order walk and list differ at VMA %d", *count);
	(*count)++;
	vma_tree_inorder(n->rb_child[1], mm, pos, count);
}

void debug_vm_check_vma_tree(struct mm_struct *mm)
{
	struct list_head *pos = &mm->mmap;
	unsigned long prev_end = 0, pages = 0;
	int count = 0;

	if (mm->mm_rb.rb_node && mm->mm_rb.rb_node->rb_red)
		panic("vma tree: red root");
	vma_tree_black_height(mm->mm_rb.rb_node, NULL);
	vma_tree_inorder(mm->mm_rb.rb_node, mm, &pos, &count);
	if (pos->next != &mm->mmap || count != mm->map_count)
		panic("vma tree: %d nodes, map_count %d, list longer: %d", count, mm->map_count,
		      pos->next != &mm->mmap);
	list_for_each(pos, &mm->mmap) {
		const struct vm_area_struct *vma = list_entry(pos, struct vm_area_struct, vm_list);

		pages += (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;

		if (!IS_ALIGNED(vma->vm_start | vma->vm_end, PAGE_SIZE) || vma->vm_start >= vma->vm_end ||
		    vma->vm_start < prev_end || vma->vm_mm != mm)
			panic("vma tree: bad VMA [%#lx, %#lx) after %#lx", vma->vm_start, vma->vm_end, prev_end);
		prev_end = vma->vm_end;
	}
	if (pages != mm->total_vm)
		panic("vma tree: VMAs span %lu pages, total_vm %lu", pages, mm->total_vm);
}
#endif

pgprot_t vm_get_page_prot(unsigned long vm_flags)
{
	if (!(vm_flags & VM_ACCESS_FLAGS))
		return PAGE_NONE;
	/* Private mappings start read-only: the first write faults (zero page, CoW). */
	return (vm_flags & VM_EXEC) ? PAGE_READONLY_EXEC : PAGE_READONLY;
}

/*
 * Insert vma into its mm's list and tree; its range must be free.  One
 * descent finds both the tree link and the list position: next is the
 * last node the descent passed on its left, the first VMA ending above.
 */
static void vma_link(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct rb_node **link = &mm->mm_rb.rb_node, *parent = NULL;
	struct vm_area_struct *next = NULL, *prev;

	BUG_ON(!IS_ALIGNED(vma->vm_start, PAGE_SIZE) || !IS_ALIGNED(vma->vm_end, PAGE_SIZE));
	BUG_ON(vma->vm_start >= vma->vm_end);
	while (*link) {
		parent = *link;
		if (vma->vm_end < rb_vma(parent)->vm_end) {
			next = rb_vma(parent);
			link = &parent->rb_child[0];
		} else {
			link = &parent->rb_child[1];
		}
	}
	prev = next ? vma_prev(next) : list_empty(&mm->mmap) ? NULL :
	       list_last_entry(&mm->mmap, struct vm_area_struct, vm_list);
	if ((next && next->vm_start < vma->vm_end) || (prev && prev->vm_end > vma->vm_start))
		panic("vma_link: [%#lx, %#lx) overlaps a neighbour", vma->vm_start, vma->vm_end);
	rb_link_node(&vma->vm_rb, parent, link);
	rb_insert_color(&vma->vm_rb, &mm->mm_rb);
	list_add_tail(&vma->vm_list, next ? &next->vm_list : &mm->mmap);
	mm->map_count++;
	vm_stat_account(mm, vma_span_pages(vma->vm_start, vma->vm_end));
}

/* A VMA out of its mm's list and tree: its chains and its object go, then the struct. */
static void vma_release(struct vm_area_struct *vma)
{
	unlink_anon_vmas(vma);
	if (vma->vm_shmem)
		shmem_vma_unlink(vma);
	kfree(vma);
}

/* Take vma out of its mm's list and tree (not freed). */
static void vma_unlink(struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;

	BUG_ON(mm->map_count <= 0);
	rb_erase(&vma->vm_rb, &mm->mm_rb);
	list_del_init(&vma->vm_list);
	mm->map_count--;
	vm_stat_account(mm, -vma_span_pages(vma->vm_start, vma->vm_end));
}

/*
 * Linux's is_mergeable_anon_vma: anon_vma av1 (of the range being mapped or
 * changed) and av2 (of the neighbour vma; vma NULL when both are existing
 * neighbours) may share one VMA.  One of them NULL is fine only when the
 * neighbour's chain is a single entry (never forked): merging a VMA cloned
 * from a parent would make the parent's anon_vma serve the child's folios.
 */
static bool is_mergeable_anon_vma(const struct anon_vma *av1, const struct anon_vma *av2,
				  const struct vm_area_struct *vma)
{
	if ((!av1 || !av2) && (!vma || list_is_singular(&vma->anon_vma_chain)))
		return true;
	return av1 == av2;
}

/*
 * a ends where b starts, with the same flags but VM_SOFTDIRTY (Linux's
 * is_mergeable_vma) and page offsets in line (the anon_vma aside).
 */
static bool vma_touch_compatible(const struct vm_area_struct *a, const struct vm_area_struct *b)
{
	return a->vm_end == b->vm_start && !((a->vm_flags ^ b->vm_flags) & ~VM_SOFTDIRTY) &&
	       a->vm_shmem == b->vm_shmem &&
	       a->vm_pgoff + ((a->vm_end - a->vm_start) >> PAGE_SHIFT) == b->vm_pgoff;
}

/*
 * Absorb the VMA after vma (touching it, mergeable) into vma.  vma takes
 * its anon_vma and chains over when it has none, and with them the order
 * policy's word (e.g. the adaptive cap: what the faults of the touched VMA taught);
 * otherwise they share one and the absorbed VMA's chains go with it.  The
 * merged VMA is VM_SOFTDIRTY when either was (its pages may read
 * soft-dirty, never miss it).  Never fails.
 */
static void vma_merge_next(struct vm_area_struct *vma)
{
	struct vm_area_struct *next = vma_next(vma);
	unsigned long end = next->vm_end;
	struct anon_vma *tree;

	VM_BUG_ON(vma->vm_end != next->vm_start || ((vma->vm_flags ^ next->vm_flags) & ~VM_SOFTDIRTY));
	vma->vm_flags |= next->vm_flags & VM_SOFTDIRTY;
	VM_BUG_ON(vma->anon_vma && next->anon_vma && vma->anon_vma != next->anon_vma);
	/*
	 * next leaves the tree first (vma's new end then keeps the keys distinct).
	 * Then, under the write lock of the anon_vma tree they are in, vma grows
	 * over next's range, next's range becomes empty and next's chains move to
	 * vma if vma has none: an rmap walk on another CPU finds each of next's
	 * PTEs once, in next before or in vma after, never in both.
	 */
	vma_unlink(next);
	vm_stat_account(vma->vm_mm, vma_span_pages(vma->vm_end, end));
	tree = vma_rmap_lock(vma->anon_vma ? vma : next);
	vma->vm_end = end;
	next->vm_end = next->vm_start;
	if (!vma->anon_vma && next->anon_vma) {
		anon_vma_move(vma, next);
		vma->policy_state = next->policy_state;
		vma->policy_owner = next->policy_owner;
	}
	debug_vm_check_vma_rmap_overlap(vma);
	vma_rmap_unlock(tree);
	vma_release(next);
}

struct vm_area_struct *vma_merge_neighbours(struct vm_area_struct *vma)
{
	struct vm_area_struct *prev = vma_prev(vma), *next = vma_next(vma);
	bool left = prev && vma_touch_compatible(prev, vma) &&
		    is_mergeable_anon_vma(vma->anon_vma, prev->anon_vma, prev);
	bool right = next && vma_touch_compatible(vma, next) &&
		     is_mergeable_anon_vma(vma->anon_vma, next->anon_vma, next) &&
		     (!left || is_mergeable_anon_vma(prev->anon_vma, next->anon_vma, NULL));

	if (right)
		vma_merge_next(vma);
	if (left) {
		vma_merge_next(prev);
		vma = prev;
	}
	return vma;
}

struct vm_area_struct *vma_alloc(struct mm_struct *mm, unsigned long start, unsigned long end,
				 unsigned long flags)
{
	struct vm_area_struct *vma = kzalloc(sizeof(*vma));

	if (!vma)
		return NULL;
	vma->vm_start = start;
	vma->vm_end = end;
	vma->vm_flags = flags;
	vma->vm_page_prot = vm_get_page_prot(flags);
	vma->vm_pgoff = start >> PAGE_SHIFT;
	vma->vm_mm = mm;
	INIT_LIST_HEAD(&vma->anon_vma_chain);
	return vma;
}

void vma_add(struct vm_area_struct *vma)
{
	vma_link(vma->vm_mm, vma);
}

/*
 * The right half of vma_merge_neighbours: Linux's vma_merge_extend merges
 * the grown range with the VMA after it only (vma itself is "prev").
 */
struct vm_area_struct *vma_extend(struct vm_area_struct *vma, unsigned long end)
{
	struct vm_area_struct *next = vma_next(vma);

	BUG_ON(end <= vma->vm_end || (next && next->vm_start < end));
	vm_stat_account(vma->vm_mm, vma_span_pages(vma->vm_end, end));
	vma->vm_end = end;	/* between its neighbours' keys: the tree stays in order */
	if (next && vma_touch_compatible(vma, next) &&
	    is_mergeable_anon_vma(vma->anon_vma, next->anon_vma, next))
		vma_merge_next(vma);
	return vma;
}

struct vm_area_struct *vma_insert(struct vm_area_struct *vma)
{
	vma_link(vma->vm_mm, vma);
	return vma_merge_neighbours(vma);
}

struct vm_area_struct *vma_create(struct mm_struct *mm, unsigned long start, unsigned long end,
				  unsigned long flags)
{
	struct vm_area_struct *vma = vma_alloc(mm, start, end, flags);

	return vma ? vma_insert(vma) : NULL;
}

/* Split vma at addr (page aligned, strictly inside): vma keeps the low part.  0 or -ENOMEM. */
static int vma_split(struct vm_area_struct *vma, unsigned long addr)
{
	struct vm_area_struct *new;
	struct anon_vma *tree;

	BUG_ON(addr <= vma->vm_start || addr >= vma->vm_end || !IS_ALIGNED(addr, PAGE_SIZE));
	new = kzalloc(sizeof(*new));
	if (!new)
		return -ENOMEM;
	*new = *vma;
	/*
	 * new is chained (visible to rmap walks) with an empty range at addr;
	 * under the tree's write lock it takes [addr, end) as vma gives it up,
	 * so a walk on another CPU finds each PTE there once, never in both.
	 */
	new->vm_start = addr;
	new->vm_end = addr;
	new->vm_pgoff += (addr - vma->vm_start) >> PAGE_SHIFT;
	if (anon_vma_clone(new, vma)) {
		kfree(new);
		return -ENOMEM;
	}
	if (new->vm_shmem)
		shmem_vma_link(new);
	split_huge_pmd_address(vma, addr);	/* no PMD block straddles two VMAs */
	vm_stat_account(vma->vm_mm, -vma_span_pages(addr, vma->vm_end));
	tree = vma_rmap_lock(vma);
	new->vm_end = vma->vm_end;
	vma->vm_end = addr;
	debug_vm_check_vma_rmap_overlap(new);
	vma_rmap_unlock(tree);
	vma_link(vma->vm_mm, new);
	return 0;
}

/*
 * Two splits at most: in the VMA straddling start, then in the one
 * straddling end.  When the second cannot happen, the first is merged
 * back (it allocated nothing the merge needs), so a failure changes nothing.
 * The vm.max_map_count checks are Linux 6.12's: for munmap
 * (vms_gather_munmap_vmas) only a VMA cut on both sides, which leaves one
 * VMA more, needs map_count < max_map_count; for a change (split_vma, as
 * mprotect and madvise call it) every split does.
 */
int vma_split_range(struct mm_struct *mm, unsigned long start, unsigned long end, enum vma_split_for why)
{
	struct vm_area_struct *first = vma_lookup(mm, start), *last;
	bool split_first = first && first->vm_start < start;
	bool at_limit = mm->map_count >= READ_ONCE(sysctl_max_map_count);

	if (split_first) {
		if (at_limit && (why == VMA_SPLIT_CHANGE || first->vm_end > end))
			return -ENOMEM;
		if (vma_split(first, start))
			return -ENOMEM;
	}
	last = vma_lookup(mm, end - 1);
	if (last && last->vm_end > end &&
	    ((why == VMA_SPLIT_CHANGE && mm->map_count >= READ_ONCE(sysctl_max_map_count)) || vma_split(last, end))) {
		if (split_first)
			vma_merge_next(first);
		return -ENOMEM;
	}
	return 0;
}

struct vm_area_struct *vma_isolate(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	struct mm_struct *mm = vma->vm_mm;

	return vma_split_range(mm, start, end, VMA_SPLIT_CHANGE) ? NULL : vma_lookup(mm, start);
}

unsigned long vma_pages_matching(const struct mm_struct *mm, unsigned long start, unsigned long end,
				 unsigned long mask, unsigned long value)
{
	unsigned long pages = 0;
	const struct list_head *pos;

	list_for_each(pos, &mm->mmap) {
		const struct vm_area_struct *vma = list_entry(pos, struct vm_area_struct, vm_list);

		if ((vma->vm_flags & mask) == value && vma->vm_end > start && vma->vm_start < end)
			pages += (min(end, vma->vm_end) - max(start, vma->vm_start)) >> PAGE_SHIFT;
	}
	return pages;
}

struct vm_area_struct *vma_modify_flags(struct vm_area_struct *vma, unsigned long start,
					unsigned long end, unsigned long newflags)
{
	if (newflags == vma->vm_flags)
		return vma;
	vma = vma_isolate(vma, start, end);
	if (!vma)
		return NULL;
	vma->vm_flags = newflags;
	return vma_merge_neighbours(vma);
}

void vma_remove(struct vm_area_struct *vma)
{
	vma_unlink(vma);
	vma_release(vma);
}

unsigned long vma_accounted_pages(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	unsigned long pages = 0;

	for (struct vm_area_struct *vma = find_vma(mm, start); vma && vma->vm_start < end; vma = vma_next(vma)) {
		if (vma->vm_flags & VM_ACCOUNT)
			pages += (min(end, vma->vm_end) - max(start, vma->vm_start)) >> PAGE_SHIFT;
	}
	return pages;
}

void vma_free_pgtables_gap(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct vm_area_struct *next = find_vma(mm, start);
	struct vm_area_struct *prev = next ? vma_prev(next) : list_empty(&mm->mmap) ? NULL :
				      list_last_entry(&mm->mmap, struct vm_area_struct, vm_list);

	struct mmu_gather tlb;

	BUG_ON(next && next->vm_start < end);
	tlb_gather_mmu(&tlb, mm);
	free_pgd_range(&tlb, start, end, prev ? prev->vm_end : 0, next ? next->vm_start : USER_PGTABLE_END);
	tlb_finish_mmu(&tlb);
}

unsigned long vma_unmap_range(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct vm_area_struct *vma = find_vma(mm, start), *prev;
	unsigned long accounted = 0;
	struct mmu_gather tlb;

	if (!vma || vma->vm_start >= end)
		return 0;
	prev = vma_prev(vma);
	tlb_gather_mmu(&tlb, mm);	/* one flush for every VMA and table (or one per full batch) */
	while (vma && vma->vm_start < end) {
		struct vm_area_struct *next = vma_next(vma);

		BUG_ON(vma->vm_start < start || vma->vm_end > end);
		if (vma->vm_flags & VM_ACCOUNT)
			accounted += (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
		unmap_page_range(&tlb, vma, vma->vm_start, vma->vm_end);
		vma_remove(vma);
		vma = next;
	}
	free_pgd_range(&tlb, start, end, prev ? prev->vm_end : 0, vma ? vma->vm_start : USER_PGTABLE_END);
	tlb_finish_mmu(&tlb);
	return accounted;
}

struct mm_struct *mm_alloc(void)
{
	struct mm_struct *mm = kzalloc(sizeof(*mm));

	if (!mm)
		return NULL;
	mm->pgd = pgd_alloc();
	if (!mm->pgd) {
		kfree(mm);
		return NULL;
	}
	INIT_LIST_HEAD(&mm->mmap);
	spin_lock_init(&mm->page_table_lock, "page_table_lock");
	init_rwsem(&mm->mmap_lock, "mmap_lock");
	INIT_LIST_HEAD(&mm->pmd_huge_pte);
	mm->mm_rb = RB_ROOT;
	mm->mm_users = 1;
	atomic_set(&mm->mm_count, 1);
	mm->stack_limit = STACK_LIMIT_DEFAULT;
	return mm;
}

/*
 * Unmap and free every VMA and the page tables below the root (one TLB
 * flush for all: mm/mmu_gather.h).  The root stays for the CPUs that may
 * still have it loaded; the last mmdrop frees it.
 */
static void exit_mmap(struct mm_struct *mm)
{
	debug_vm_check_vma_tree(mm);
	debug_vm_check_mm_rmap(mm);
	mmap_write_lock(mm);
	vm_unacct_memory((long)vma_unmap_range(mm, 0, TASK_SIZE));
	BUG_ON(get_mm_counter(mm, MM_ANONPAGES) != 0 || get_mm_counter(mm, MM_SHMEMPAGES) != 0);
	mmap_write_unlock(mm);
}

void mmput(struct mm_struct *mm)
{
	BUG_ON(mm->mm_users <= 0);
	if (--mm->mm_users)
		return;
	exit_mmap(mm);
	cleanup_lazy_tlbs(mm);
	mmdrop(mm);
}

void __mmdrop(struct mm_struct *mm)
{
	VM_BUG_ON(mm->mm_users || atomic_read(&mm->mm_count));
	free_pgtables(mm);
	kfree(mm);
}

/*
 * Copy oldmm's VMAs into mm and share their pages copy-on-write; both
 * mmap_locks held.  Each VM_ACCOUNT VMA is charged again for the child
 * (against oldmm's reserve, as Linux) before it joins mm, so a failure
 * leaves mm holding exactly what it was charged for: mmput gives it back.
 * As Linux: a VM_DONTCOPY VMA (MADV_DONTFORK) is left out; a VM_WIPEONFORK
 * one is copied without its pages and anon_vma (the child reads zeros); the
 * child's VMAs are not locked (mlock is not inherited); a shmem VMA with
 * no anon_vma (every shared one) is copied without its PTEs (Linux's
 * vma_needs_copy): the child's faults find the object's pages.
 */
static int dup_mmap(struct mm_struct *mm, struct mm_struct *oldmm)
{
	struct list_head *pos;

	list_for_each(pos, &oldmm->mmap) {
		struct vm_area_struct *old = list_entry(pos, struct vm_area_struct, vm_list);
		long charge = old->vm_flags & VM_ACCOUNT ? (long)((old->vm_end - old->vm_start) >> PAGE_SHIFT) : 0;
		struct vm_area_struct *vma;

		if (old->vm_flags & VM_DONTCOPY)
			continue;
		if (charge && vm_enough_memory(oldmm, charge))
			return -ENOMEM;
		vma = kzalloc(sizeof(*vma));
		if (!vma) {
			vm_unacct_memory(charge);
			return -ENOMEM;
		}
		*vma = *old;
		vma->vm_mm = mm;
		vma->vm_flags &= ~VM_LOCKED_MASK;
		vma_link(mm, vma);
		if (vma->vm_shmem)
			shmem_vma_link(vma);
		/* Linux's vma_needs_copy: a shmem VMA without anon pages is refaulted from its object. */
		if ((vma->vm_flags & VM_WIPEONFORK) || (vma->vm_shmem && !old->anon_vma)) {
			vma->anon_vma = NULL;
			INIT_LIST_HEAD(&vma->anon_vma_chain);
		} else if (anon_vma_fork(vma, old) || copy_page_range(vma, old)) {
			return -ENOMEM;
		}
	}
	return 0;
}

struct mm_struct *dup_mm(struct mm_struct *oldmm)
{
	struct mm_struct *mm = mm_alloc();
	int err;

	if (!mm)
		return NULL;
	mm->start_brk = oldmm->start_brk;
	mm->brk = oldmm->brk;
	mm->start_stack = oldmm->start_stack;
	mm->start_code = oldmm->start_code;
	mm->end_code = oldmm->end_code;
	mm->start_data = oldmm->start_data;
	mm->end_data = oldmm->end_data;
	mm->arg_start = oldmm->arg_start;
	mm->arg_end = oldmm->arg_end;
	mm->env_start = oldmm->env_start;
	mm->env_end = oldmm->env_end;
	mm->mmap_base = oldmm->mmap_base;
	mm->stack_limit = oldmm->stack_limit;
	mm->flags = mmf_init_flags(oldmm->flags);
	mmap_write_lock(oldmm);
	mmap_write_lock(mm);
	err = dup_mmap(mm, oldmm);
	mmap_write_unlock(mm);
	mmap_write_unlock(oldmm);
	if (err) {
		mmput(mm);
		return NULL;
	}
	debug_vm_check_vma_tree(mm);
	debug_vm_check_mm_rmap(mm);
	return mm;
}
