/*
 * vma.c - the VMA list of an address space, and mm lifetime.
 *
 * mm->mmap is a list sorted by vm_start.  Invariants (asserted on every
 * insertion): page-aligned bounds, vm_start < vm_end, no overlap with the
 * neighbours.  Merging keeps the list short: two VMAs merge when they touch
 * and agree on flags (VM_ACCOUNT included), anon_vma and page offset.
 *
 * Changing a range is split, then change: vma_split_range() cuts the VMAs
 * at the range's edges (the only step that allocates, all or nothing), and
 * what follows (vma_unmap_range, new flags, merging) cannot fail, so a call
 * that runs out of memory changes nothing.
 */
#include "kernel/slab.h"
#include "kernel/string.h"
#include "mm/mm.h"
#include "mm/pgtable.h"
#include "mm/anon_order.h"
#include "mm/overcommit.h"
#include "mm/rmap.h"
#include "mm/vma.h"
#include <uapi/errno.h>

#define STACK_LIMIT_DEFAULT	(8UL << 20)	/* RLIMIT_STACK */

static struct vm_area_struct *vma_next(struct vm_area_struct *vma)
{
	struct list_head *n = vma->vm_list.next;

	return n == &vma->vm_mm->mmap ? NULL : list_entry(n, struct vm_area_struct, vm_list);
}

static struct vm_area_struct *vma_prev(struct vm_area_struct *vma)
{
	struct list_head *p = vma->vm_list.prev;

	return p == &vma->vm_mm->mmap ? NULL : list_entry(p, struct vm_area_struct, vm_list);
}

struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	struct list_head *pos;

	list_for_each(pos, &mm->mmap) {
		struct vm_area_struct *vma = list_entry(pos, struct vm_area_struct, vm_list);

		if (vma->vm_end > addr)
			return vma;
	}
	return NULL;
}

struct vm_area_struct *vma_lookup(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	return vma && vma->vm_start <= addr ? vma : NULL;
}

pgprot_t vm_get_page_prot(unsigned long vm_flags)
{
	if (!(vm_flags & VM_ACCESS_FLAGS))
		return PAGE_NONE;
	/* Private mappings start read-only: the first write faults (zero page, CoW). */
	return (vm_flags & VM_EXEC) ? PAGE_READONLY_EXEC : PAGE_READONLY;
}

/* Insert vma into its mm's sorted list; the range must be free. */
static void vma_link(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct vm_area_struct *next = find_vma(mm, vma->vm_start);

	BUG_ON(!IS_ALIGNED(vma->vm_start, PAGE_SIZE) || !IS_ALIGNED(vma->vm_end, PAGE_SIZE));
	BUG_ON(vma->vm_start >= vma->vm_end);
	if (next && next->vm_start < vma->vm_end)
		panic("vma_link: [%#lx, %#lx) overlaps [%#lx, %#lx)", vma->vm_start, vma->vm_end,
		      next->vm_start, next->vm_end);
	list_add_tail(&vma->vm_list, next ? &next->vm_list : &mm->mmap);
	mm->map_count++;
}

static bool vma_can_merge(const struct vm_area_struct *a, const struct vm_area_struct *b)
{
	return a->vm_end == b->vm_start && a->vm_flags == b->vm_flags &&
	       a->anon_vma == b->anon_vma &&
	       a->vm_pgoff + ((a->vm_end - a->vm_start) >> PAGE_SHIFT) == b->vm_pgoff;
}

/* Absorb the VMA after vma (touching it, mergeable) into vma. */
static void vma_merge_next(struct vm_area_struct *vma)
{
	struct vm_area_struct *next = vma_next(vma);

	vma->vm_end = next->vm_end;
	vma_remove(next);
}

struct vm_area_struct *vma_merge_neighbours(struct vm_area_struct *vma)
{
	struct vm_area_struct *prev = vma_prev(vma), *next = vma_next(vma);

	if (next && vma_can_merge(vma, next))
		vma_merge_next(vma);
	if (prev && vma_can_merge(prev, vma)) {
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
	vma->anon_order_cap = ANON_ORDER_CAP_INITIAL;
	INIT_LIST_HEAD(&vma->anon_vma_chain);
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

	BUG_ON(addr <= vma->vm_start || addr >= vma->vm_end || !IS_ALIGNED(addr, PAGE_SIZE));
	new = kzalloc(sizeof(*new));
	if (!new)
		return -ENOMEM;
	*new = *vma;
	if (anon_vma_clone(new, vma)) {
		kfree(new);
		return -ENOMEM;
	}
	new->vm_start = addr;
	new->vm_pgoff += (addr - vma->vm_start) >> PAGE_SHIFT;
	vma->vm_end = addr;
	list_add(&new->vm_list, &vma->vm_list);
	vma->vm_mm->map_count++;
	return 0;
}

/*
 * Two splits at most: in the VMA straddling start, then in the one
 * straddling end.  When the second cannot allocate, the first is merged
 * back (it allocated nothing the merge needs), so a failure changes nothing.
 */
int vma_split_range(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct vm_area_struct *first = vma_lookup(mm, start), *last;
	bool split_first = first && first->vm_start < start;

	if (split_first && vma_split(first, start))
		return -ENOMEM;
	last = vma_lookup(mm, end - 1);
	if (last && last->vm_end > end && vma_split(last, end)) {
		if (split_first)
			vma_merge_next(first);
		return -ENOMEM;
	}
	return 0;
}

struct vm_area_struct *vma_isolate(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	struct mm_struct *mm = vma->vm_mm;

	return vma_split_range(mm, start, end) ? NULL : vma_lookup(mm, start);
}

void vma_remove(struct vm_area_struct *vma)
{
	unlink_anon_vmas(vma);
	list_del_init(&vma->vm_list);
	vma->vm_mm->map_count--;
	kfree(vma);
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

unsigned long vma_unmap_range(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct vm_area_struct *vma = find_vma(mm, start), *prev;
	unsigned long accounted = 0;

	if (!vma || vma->vm_start >= end)
		return 0;
	prev = vma_prev(vma);
	while (vma && vma->vm_start < end) {
		struct vm_area_struct *next = vma_next(vma);

		BUG_ON(vma->vm_start < start || vma->vm_end > end);
		if (vma->vm_flags & VM_ACCOUNT)
			accounted += (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
		zap_page_range(vma, vma->vm_start, vma->vm_end);
		vma_remove(vma);
		vma = next;
	}
	free_pgd_range(mm, start, end, prev ? prev->vm_end : 0, vma ? vma->vm_start : USER_PGTABLE_END);
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
	mm->mm_users = 1;
	mm->stack_limit = STACK_LIMIT_DEFAULT;
	return mm;
}

/* Unmap and free every VMA, then the page tables and the mm. */
static void exit_mmap(struct mm_struct *mm)
{
	debug_vm_check_mm_rmap(mm);
	mmap_write_lock(mm);
	vm_unacct_memory((long)vma_unmap_range(mm, 0, TASK_SIZE));
	BUG_ON(mm->rss_anon != 0);
	free_pgtables(mm);
	mmap_write_unlock(mm);
}

void mmput(struct mm_struct *mm)
{
	BUG_ON(mm->mm_users <= 0);
	if (--mm->mm_users)
		return;
	exit_mmap(mm);
	kfree(mm);
}

/*
 * Copy oldmm's VMAs into mm and share their pages copy-on-write; both
 * mmap_locks held.  Each VM_ACCOUNT VMA is charged again for the child
 * (against oldmm's reserve, as Linux) before it joins mm, so a failure
 * leaves mm holding exactly what it was charged for: mmput gives it back.
 */
static int dup_mmap(struct mm_struct *mm, struct mm_struct *oldmm)
{
	struct list_head *pos;

	list_for_each(pos, &oldmm->mmap) {
		struct vm_area_struct *old = list_entry(pos, struct vm_area_struct, vm_list);
		long charge = old->vm_flags & VM_ACCOUNT ? (long)((old->vm_end - old->vm_start) >> PAGE_SHIFT) : 0;
		struct vm_area_struct *vma;

		if (charge && vm_enough_memory(oldmm, charge))
			return -ENOMEM;
		vma = kzalloc(sizeof(*vma));
		if (!vma) {
			vm_unacct_memory(charge);
			return -ENOMEM;
		}
		*vma = *old;
		vma->vm_mm = mm;
		list_add_tail(&vma->vm_list, &mm->mmap);
		mm->map_count++;
		if (anon_vma_fork(vma, old) || copy_page_range(vma, old))
			return -ENOMEM;
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
	mm->mmap_base = oldmm->mmap_base;
	mm->stack_limit = oldmm->stack_limit;
	mmap_write_lock(oldmm);
	mmap_write_lock(mm);
	err = dup_mmap(mm, oldmm);
	mmap_write_unlock(mm);
	mmap_write_unlock(oldmm);
	if (err) {
		mmput(mm);
		return NULL;
	}
	debug_vm_check_mm_rmap(mm);
	return mm;
}
