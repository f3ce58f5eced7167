/*
 * mremap.c - mremap(2) (Linux 6.12's mm/mremap.c: the same argument
 * checks, in the same order, with the same errno).
 *
 * Four things mremap does to [addr, addr + old_len), which must lie in one
 * VMA:
 *   shrink     new_len < old_len without MREMAP_FIXED: the tail is unmapped;
 *   grow       in place when [addr, addr + old_len) ends the VMA and the
 *              space after it is free: the VMA's end moves (vma_extend,
 *              merging with the VMA after it as Linux's vma_merge_extend);
 *   move       otherwise, with MREMAP_MAYMOVE, to a new place (the highest
 *              gap, aligned as mmap aligns, congruent to the region's page
 *              offset: get_unmapped_area), with MREMAP_FIXED to new_addr
 *              (what is mapped there is unmapped first, as Linux);
 *   DONTUNMAP  a move (of the same length) that leaves the old range
 *              mapped but empty: its next touch faults in fresh zeros.
 *
 * A move moves page-table entries, never data (Linux's move_page_tables):
 * a PMD-mapped 2 MiB block whose source and destination are both 2 MiB
 * aligned moves as one PMD entry (move_huge_pmd); any other block is split
 * into 512 PTEs first; PTEs move batch by batch (consecutive pages of one
 * folio with equal bits), cleared at the old place and set with one
 * set_ptes at the new, so arm64 folds its contiguous blocks again wherever
 * the new place is 64 KiB aligned like the old.  Moved entries are marked
 * soft-dirty (Linux's move_soft_dirty_pte/pmd).  Folios keep their PFNs,
 * orders, mapcounts and rmap: the new VMA keeps the page offset
 * (vm_pgoff) of the range and shares its anon_vma (anon_vma_clone), so
 * folio->index - vm_pgoff still finds every page (mm/rmap.c), as in Linux.
 *
 * A folio moved to an address that is not a multiple of its size stays
 * whole, mapped unaligned (Linux does the same).  Everything that meets it
 * copes: rmap_walk and folio_pte_batch go by PFN; try_to_unmap takes one
 * PTE table at a time (such a folio may straddle two); CoW reuse counts the
 * mappings it sees in the faulting table, so a straddling folio is copied
 * page by page instead of reused; the folio copy and the fault only work on
 * naturally aligned blocks, which such a folio does not fill; arm64 folds a
 * 16-PTE block only when its frames are 64 KiB aligned too (contpte.c).
 * A move of part of a VMA splits the VMA; a folio across the cut stays
 * whole and fully mapped, in two places, and only when one of them is
 * unmapped later does it become partially mapped and go on the
 * deferred-split queue, as in Linux.
 *
 * Nothing is lost on failure: everything that can fail -- the checks, the
 * overcommit charge (VM_ACCOUNT: the grown part; the whole new length for
 * DONTUNMAP), the new VMA and its anon_vma chains, the destination's page
 * tables, the splits of the old VMA -- comes before the first entry moves,
 * and a failure undoes what was done (the tables built are freed again).  Linux's one exception stays: with
 * MREMAP_FIXED the destination (and a shrunk tail) is unmapped before the
 * move, so a move that then runs out of memory leaves it unmapped.
 * vm.max_map_count: Linux's two checks (map_count + 2 >= max - 3 with a
 * new address, map_count >= max - 3 for any move), so no split can hit
 * the limit.
 *
 * Locks: mmap_lock held throughout; the PTE-table locks of the source and
 * destination (one when they are the same table), page_table_lock for PMDs.
 */
#include "kernel/sched.h"
#include "kernel/slab.h"
#include "kernel/syscall.h"
#include "mm/huge_mm.h"
#include "mm/mlock.h"
#include "mm/mm.h"
#include "mm/overcommit.h"
#include "mm/pgtable.h"
#include "mm/rmap.h"
#include "mm/shmem.h"
#include "mm/vma.h"
#include <uapi/errno.h>
#include <uapi/mman.h>

/* ---- moving the page tables ---- */

/* The page offset of addr in vma (the region's linear page index). */
static unsigned long mremap_pgoff(const struct vm_area_struct *vma, unsigned long addr)
{
	return vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
}

/* May the PMD block at haddr move whole from [old, end) to the place new + (haddr - old)? */
static bool pmd_moves_whole(unsigned long haddr, unsigned long old, unsigned long end,
			    unsigned long new)
{
	return haddr >= old && haddr + PMD_SIZE <= end && !((haddr - old + new) & ~PMD_MASK);
}

/* Build the PTE tables (and their locks) over [start, end); 0 or -ENOMEM. */
static int alloc_pte_tables(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	for (unsigned long a = start; a < end; a = ALIGN_DOWN(a, PTE_TABLE_SPAN) + PTE_TABLE_SPAN) {
		spinlock_t *ptl;

		if (!pte_alloc_map_lock(mm, a, &ptl))
			return -ENOMEM;
		spin_unlock(ptl);
	}
	return 0;
}

/*
 * Build the destination's page tables for what [old, old + len) holds: a
 * PMD table for each block that moves whole, PTE tables where PTEs will go
 * (under each source PTE table, and under each block that will be split).
 * 0, or -ENOMEM (move_vma frees the tables built so far).
 */
static int mremap_alloc_tables(struct mm_struct *mm, unsigned long old, unsigned long new,
			       unsigned long len)
{
	unsigned long end = old + len, addr = old;
	unsigned int nr;
	spinlock_t *ptl;
	pmd_t *pmdp;

	for (; (pmdp = pmd_next_huge(mm, &addr, end)); addr += PMD_SIZE) {
		unsigned long s = max(addr, old), e = min(addr + PMD_SIZE, end);

		if (pmd_moves_whole(addr, old, end, new) ?
		    !mm_pgtable_alloc(mm, addr - old + new, PT_LEVELS - 2) :
		    alloc_pte_tables(mm, s - old + new, e - old + new))
			return -ENOMEM;
	}
	for (addr = old; pte_next_table_lock(mm, &addr, end, &nr, &ptl);
	     addr += (unsigned long)nr << PAGE_SHIFT) {
		spin_unlock(ptl);
		if (alloc_pte_tables(mm, addr - old + new, addr - old + new + ((unsigned long)nr << PAGE_SHIFT)))
			return -ENOMEM;
	}
	return 0;
}

/*
 * How many PTEs from ptep on (at most max) one set_ptes can move with the
 * present pte (*ptep without the contiguous bit): consecutive pages of one
 * folio whose entries differ in the PFN only.
 */
static unsigned int move_pte_batch(pte_t *ptep, pte_t pte, unsigned int max)
{
	unsigned int n = 1, nr;
	pte_t want = pte_next_pfn(pte);

	if (is_zero_pfn(pte_pfn(pte)))
		return 1;
	nr = folio_pte_batch(page_folio(pfn_to_page(pte_pfn(pte))), ptep, max);
	for (; n < nr && pte_val(pte_mknoncont(ptep_get(&ptep[n]))) == pte_val(want); n++)
		want = pte_next_pfn(want);
	return n;
}

/*
 * Move the nr PTEs at old (one PTE table) to new (one PTE table, built and
 * none there), batch by batch, then flush the old range's TLB entries once.
 * Pages, folios, mapcounts and rss stay as they are; the moved PTEs are
 * soft-dirty.  No lock held; takes
 * both tables' locks (one when they are the same table).
 */
static void move_ptes(struct mm_struct *mm, unsigned long old, unsigned long new, unsigned int nr)
{
	spinlock_t *optl, *nptl;
	pte_t *optep = pte_offset_map_lock(mm, old, &optl);
	pte_t *nptep = (pte_t *)pgtable_walk(mm->pgd, new, PT_LEVELS - 1, false);
	bool moved = false;

	VM_BUG_ON(!optep || !nptep);
	nptl = pte_lockptr(nptep);
	if (nptl != optl)
		spin_lock_nested(nptl, SINGLE_DEPTH_NESTING);
	for (unsigned int i = 0, n; i < nr; i += n) {
		pte_t pte = pte_mknoncont(ptep_get(&optep[i]));

		n = 1;
		if (pte_none(pte))
			continue;
		VM_BUG_ON(!pte_present(pte));
		n = move_pte_batch(&optep[i], pte, nr - i);
		/* What the MMU recorded up to the clear (a dirty bit of one page dirties the batch). */
		pte = get_and_clear_ptes(mm, old + ((unsigned long)i << PAGE_SHIFT), &optep[i], n);
		/* Linux's move_soft_dirty_pte: the pages read written at their new place. */
		set_ptes(mm, new + ((unsigned long)i << PAGE_SHIFT), &nptep[i], pte_mksoft_dirty(pte), n);
		moved = true;
	}
	if (moved)
		flush_tlb_range(mm, old, old + ((unsigned long)nr << PAGE_SHIFT));
	if (nptl != optl)
		spin_unlock(nptl);
	spin_unlock(optl);
}

/*
 * Move every entry of [old, old + len) of vma to new (Linux's
 * move_page_tables): PMD blocks whole where both places are 2 MiB aligned,
 * else split into PTEs; then the PTEs, in pieces that stay inside one
 * source and one destination table.  The destination's tables exist
 * (mremap_alloc_tables), so nothing here fails.
 */
static void move_page_tables(struct vm_area_struct *vma, unsigned long old, unsigned long new,
			     unsigned long len)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long end = old + len, addr = old;
	unsigned int nr;
	spinlock_t *ptl;
	pmd_t *pmdp;

	for (; (pmdp = pmd_next_huge(mm, &addr, end)); addr += PMD_SIZE) {
		if (!pmd_moves_whole(addr, old, end, new) || !move_huge_pmd(vma, addr, addr - old + new))
			split_huge_pmd_range(vma, max(addr, old), min(addr + PMD_SIZE, end));
	}
	for (addr = old; pte_next_table_lock(mm, &addr, end, &nr, &ptl); ) {
		unsigned long e = addr + ((unsigned long)nr << PAGE_SHIFT);

		spin_unlock(ptl);
		while (addr < e) {
			unsigned long to = addr - old + new;
			unsigned long step = min(e - addr, ALIGN_DOWN(to, PTE_TABLE_SPAN) + PTE_TABLE_SPAN - to);

			move_ptes(mm, addr, to, (unsigned int)(step >> PAGE_SHIFT));
			addr += step;
		}
	}
}

/* ---- moving the VMA ---- */

/*
 * The VMA [new_addr, new_addr + new_len) that takes over [old, ...) of vma
 * (Linux's copy_vma without its merge, which comes after the move): vma's
 * flags; when vma has an anon_vma, its page offset at old and every
 * anon_vma vma is on; when it has none (never written), the page offset
 * of the new place, as for a new mapping; a shmem VMA's object and its
 * page offset at old (the moved or grown mapping stays shared).  Not
 * linked; NULL on OOM.
 */
static struct vm_area_struct *mremap_new_vma(struct vm_area_struct *vma, unsigned long old,
					     unsigned long new_addr, unsigned long new_len)
{
	struct vm_area_struct *new = vma_alloc(vma->vm_mm, new_addr, new_addr + new_len, vma->vm_flags);

	if (new && vma->vm_shmem) {
		new->vm_shmem = vma->vm_shmem;	/* linked by move_vma once nothing can fail */
		new->vm_pgoff = mremap_pgoff(vma, old);
	}
	if (!new || !vma->anon_vma)
		return new;
	new->vm_pgoff = mremap_pgoff(vma, old);
	if (anon_vma_clone(new, vma)) {
		kfree(new);
		return NULL;
	}
	new->anon_vma = vma->anon_vma;
	new->policy_state = vma->policy_state;
	new->policy_owner = vma->policy_owner;
	return new;
}

/*
 * Move [old, old + old_len) of vma to new_addr as a VMA of new_len bytes
 * (Linux's move_vma): charge, the new VMA, the destination's tables and the
 * splits of the old VMA first (-ENOMEM with nothing changed); then the
 * entries move, the old range goes (its charge passes to the new VMA) or,
 * with MREMAP_DONTUNMAP, stays mapped but empty (its VMA keeps its charge
 * and loses its anon_vma when the whole VMA moved), and the new VMA merges
 * with its neighbours.  Returns new_addr.
 */
static long move_vma(struct vm_area_struct *vma, unsigned long old, unsigned long old_len,
		     unsigned long new_addr, unsigned long new_len, unsigned long flags)
{
	struct mm_struct *mm = vma->vm_mm;
	bool dontunmap = flags & MREMAP_DONTUNMAP;
	struct vm_area_struct *new;
	struct anon_vma *tree;
	unsigned long hiwater_vm;
	long charge = 0;

	if (mm->map_count >= READ_ONCE(sysctl_max_map_count) - 3)
		return -ENOMEM;
	if (vma->vm_flags & VM_ACCOUNT) {
		charge = (long)((dontunmap ? new_len : new_len - old_len) >> PAGE_SHIFT);
		if (charge && vm_enough_memory(mm, charge))
			return -ENOMEM;
	}
	new = mremap_new_vma(vma, old, new_addr, new_len);
	if (!new || mremap_alloc_tables(mm, old, new_addr, old_len) ||
	    (!dontunmap && vma_split_range(mm, old, old + old_len, VMA_SPLIT_UNMAP))) {
		if (new) {
			unlink_anon_vmas(new);
			kfree(new);
		}
		vma_free_pgtables_gap(mm, new_addr, new_addr + new_len);	/* the ones built */
		vm_unacct_memory(charge);
		return -ENOMEM;
	}
	/* Nothing below fails. */
	vma = vma_lookup(mm, old);
	hiwater_vm = mm->hiwater_vm;
	vma_add(new);
	if (new->vm_shmem)
		shmem_vma_link(new);
	tree = vma_rmap_lock(vma);	/* Linux's take_rmap_locks: a walk sees each PTE once, old or new */
	move_page_tables(vma, old, new_addr, old_len);
	vma_rmap_unlock(tree);
	if (!dontunmap)
		vma_unmap_range(mm, old, old + old_len);	/* no charge given back: new has it */
	else if (vma->vm_start == old && vma->vm_end == old + old_len)
		unlink_anon_vmas(vma);
	mm->hiwater_vm = hiwater_vm;	/* both ranges mapped for a moment: no peak (Linux's move_vma) */
	vma_merge_neighbours(new);
	return (long)new_addr;
}

/* ---- the checks ---- */

/*
 * Linux's vma_to_resize: the VMA holding [addr, addr + old_len) in *res,
 * or -EFAULT (none there, or the range leaves it), -EINVAL (old_len 0 on a
 * private mapping: Linux refuses to "duplicate" those; the page offset of
 * the grown range overflows), then for growth -EAGAIN (a VM_LOCKED VMA over
 * RLIMIT_MEMLOCK) and -ENOMEM (RLIMIT_AS or RLIMIT_DATA: may_expand_vm).
 */
static long vma_to_resize(struct mm_struct *mm, unsigned long addr, unsigned long old_len,
			  unsigned long new_len, struct vm_area_struct **res)
{
	struct vm_area_struct *vma = vma_lookup(mm, addr);

	if (!vma)
		return -EFAULT;
	if (!old_len && !(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	if (old_len > vma->vm_end - addr)
		return -EFAULT;
	*res = vma;
	if (new_len <= old_len)
		return 0;
	if (mremap_pgoff(vma, addr) + (new_len >> PAGE_SHIFT) < mremap_pgoff(vma, addr))
		return -EINVAL;
	if (!mlock_future_ok(mm, vma->vm_flags, new_len - old_len))
		return -EAGAIN;
	/* The growth is not mapped yet: nothing of [TASK_SIZE, ...) to leave out of the count. */
	if (!may_expand_vm(mm, vma->vm_flags, TASK_SIZE, (new_len - old_len) >> PAGE_SHIFT))
		return -ENOMEM;
	return 0;
}

/* Can vma grow in place by delta bytes (free space after it, below TASK_SIZE)? */
static bool vma_expandable(struct vm_area_struct *vma, unsigned long delta)
{
	unsigned long end = vma->vm_end + delta;
	struct vm_area_struct *next = find_vma(vma->vm_mm, vma->vm_end);

	if (end < vma->vm_end || (next && next->vm_start < end))
		return false;
	return get_unmapped_area(vma->vm_mm, vma->vm_start, end - vma->vm_start, 0, MAP_FIXED) >= 0;
}

/*
 * MREMAP_FIXED or MREMAP_DONTUNMAP (Linux's mremap_to).  Linux unmaps the
 * destination and the shrunk tail before it validates the rest; here the
 * validation (same checks, same order) and the placement come first, so a
 * refused call changes nothing.
 */
static long mremap_to(struct mm_struct *mm, unsigned long addr, unsigned long old_len,
		      unsigned long new_addr, unsigned long new_len, unsigned long flags)
{
	struct vm_area_struct *vma;
	long ret;

	if (new_addr & ~PAGE_MASK)
		return -EINVAL;
	if (new_len > TASK_SIZE || new_addr > TASK_SIZE - new_len)
		return -EINVAL;
	if (addr + old_len > new_addr && new_addr + new_len > addr)
		return -EINVAL;	/* the ranges overlap */
	if (mm->map_count + 2 >= READ_ONCE(sysctl_max_map_count) - 3)
		return -ENOMEM;
	ret = vma_to_resize(mm, addr, min(old_len, new_len), new_len, &vma);
	if (ret)
		return ret;
	ret = get_unmapped_area(mm, new_addr, new_len, mremap_pgoff(vma, addr),
				(flags & MREMAP_FIXED) ? MAP_FIXED : 0);
	if (ret < 0)
		return ret;
	new_addr = (unsigned long)ret;
	if ((flags & MREMAP_FIXED) && (ret = do_munmap(mm, new_addr, new_len)))
		return ret;
	if (old_len > new_len) {
		ret = do_munmap(mm, addr + new_len, old_len - new_len);
		if (ret)
			return ret;
		old_len = new_len;
	}
	return move_vma(vma_lookup(mm, addr), addr, old_len, new_addr, new_len, flags);
}

/* The call with lengths page aligned and the flags checked; mmap_lock held. */
static long do_mremap(struct mm_struct *mm, unsigned long addr, unsigned long old_len,
		      unsigned long new_len, unsigned long flags, unsigned long new_addr)
{
	struct vm_area_struct *vma;
	unsigned long delta;
	long ret;

	if (!vma_lookup(mm, addr))
		return -EFAULT;
	if (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP))
		return mremap_to(mm, addr, old_len, new_addr, new_len, flags);
	if (old_len >= new_len) {	/* shrinking always works: the tail goes */
		if (old_len == new_len)
			return (long)addr;
		delta = old_len - new_len;
		if (addr + new_len > TASK_SIZE || delta > TASK_SIZE - (addr + new_len))
			return -EINVAL;
		ret = do_munmap(mm, addr + new_len, delta);
		return ret ? ret : (long)addr;
	}
	ret = vma_to_resize(mm, addr, old_len, new_len, &vma);
	if (ret)
		return ret;
	delta = new_len - old_len;
	if (old_len == vma->vm_end - addr && vma_expandable(vma, delta)) {
		if ((vma->vm_flags & VM_ACCOUNT) && vm_enough_memory(mm, (long)(delta >> PAGE_SHIFT)))
			return -ENOMEM;
		vma_extend(vma, vma->vm_end + delta);
		return (long)addr;
	}
	if (!(flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	ret = get_unmapped_area(mm, 0, new_len, mremap_pgoff(vma, addr), 0);
	if (ret < 0)
		return ret;
	return move_vma(vma, addr, old_len, (unsigned long)ret, new_len, flags);
}

SYSCALL_DEFINE5(mremap, unsigned long, addr, unsigned long, old_len, unsigned long, new_len,
		unsigned long, flags, unsigned long, new_addr)
{
	struct mm_struct *mm = current->mm;
	bool locked;
	long ret;

	if (flags & ~(unsigned long)(MREMAP_FIXED | MREMAP_MAYMOVE | MREMAP_DONTUNMAP))
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	/* DONTUNMAP is always a move, and never resizes (the lengths as passed). */
	if ((flags & MREMAP_DONTUNMAP) && (!(flags & MREMAP_MAYMOVE) || old_len != new_len))
		return -EINVAL;
	if (addr & ~PAGE_MASK)
		return -EINVAL;
	old_len = PAGE_ALIGN(old_len);
	new_len = PAGE_ALIGN(new_len);
	if (!new_len)
		return -EINVAL;
	mmap_write_lock(mm);
	/* The VMA at addr (moved, grown or cut) and what MREMAP_FIXED replaces (mm/shmem.h). */
	locked = shmem_lock_range(mm, addr, addr + max(old_len, PAGE_SIZE)) ||
		 ((flags & MREMAP_FIXED) && shmem_lock_range(mm, new_addr, new_addr + new_len));
	ret = do_mremap(mm, addr, old_len, new_len, flags, new_addr);
	shmem_unlock_range(locked);
	mmap_write_unlock(mm);
	return ret;
}
