/*
 * madvise.c - madvise(2) with Linux's argument checks.
 *
 * MADV_DONTNEED drops the pages of private anonymous memory (the next
 * access sees zeros).  MADV_FREE lets reclaim drop them later, unless they
 * are written again first (madvise_free_single_vma, below): until then a
 * read sees the old data, afterwards zeros.  MADV_HUGEPAGE / MADV_NOHUGEPAGE set the VMA flags the
 * large-folio policy reads (splitting VMAs at the range's edges).
 * MADV_POPULATE_READ / MADV_POPULATE_WRITE fault the range in as reads or
 * writes through the normal fault path (so writes get the same folio
 * orders as touching the memory would); -EINVAL when the VMA does not allow
 * that access, as Linux.  MADV_COLLAPSE collapses the range into large
 * folios in place (mm/collapse.c).
 * NORMAL/RANDOM/SEQUENTIAL/WILLNEED are accepted hints with nothing to do.
 *
 * Flag advice (madvise_update_flags), each a VM_* flag another part reads:
 *   DONTFORK/DOFORK      VM_DONTCOPY: fork leaves the VMA out of the child
 *                        (mm/vma.c dup_mmap); DOFORK refuses VM_IO.
 *   WIPEONFORK/KEEPONFORK VM_WIPEONFORK: the child gets the VMA empty, reading
 *                        zeros; WIPEONFORK refuses shared memory.
 *   DONTDUMP/DODUMP      VM_DONTDUMP (no core dumps yet); DODUMP refuses VM_SPECIAL.
 *   MERGEABLE/UNMERGEABLE VM_MERGEABLE, as Linux with CONFIG_KSM (foliOS has
 *                        no KSM daemon: nothing is merged); shared VMAs ignored.
 * COLD and PAGEOUT: -EINVAL on a VM_LOCKED VMA (Linux's can_madv_lru_vma).
 * COLD then does nothing: foliOS has no active/inactive aging of anonymous
 * folios to move them in.  PAGEOUT reclaims the folios mapped whole in the
 * range at once (madvise_pageout): without swap, as Linux without swap,
 * only the clean lazyfree (MADV_FREE'd) ones can go; folios covered in
 * part and PMD blocks are left alone (Linux splits the former).
 * DONTNEED and FREE refuse VM_LOCKED
 * (-EINVAL); DONTNEED_LOCKED drops the pages of locked VMAs too.
 * MADV_REMOVE punches a hole in a shared mapping's shmem object (-EINVAL
 * on anonymous memory, -EACCES on a private mapping of an object); FREE
 * and WIPEONFORK are -EINVAL on shmem VMAs, DONTNEED on one only drops
 * the PTEs (the object keeps the data), as Linux's.
 * Unknown advice is -EINVAL (Linux's MADV_HWPOISON/SOFT_OFFLINE need
 * CONFIG_MEMORY_FAILURE, which foliOS does not have).  A range with
 * unmapped holes is applied to the mapped parts and returns -ENOMEM;
 * POPULATE_* stops at the first hole (Linux's madvise_populate).
 */
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "mm/anon_order.h"
#include "mm/collapse.h"
#include "mm/huge_mm.h"
#include "mm/mm_types.h"
#include "mm/pgtable.h"
#include "mm/shmem.h"
#include "mm/split.h"
#include "mm/vma.h"
#include "mm/vmscan.h"
#include <uapi/errno.h>
#include <uapi/mman.h>

static bool madvise_behavior_valid(int behavior)
{
	switch (behavior) {
	case MADV_NORMAL:
	case MADV_RANDOM:
	case MADV_SEQUENTIAL:
	case MADV_WILLNEED:
	case MADV_DONTNEED:
	case MADV_REMOVE:
	case MADV_FREE:
	case MADV_DONTFORK:
	case MADV_DOFORK:
	case MADV_MERGEABLE:
	case MADV_UNMERGEABLE:
	case MADV_HUGEPAGE:
	case MADV_NOHUGEPAGE:
	case MADV_DONTDUMP:
	case MADV_DODUMP:
	case MADV_WIPEONFORK:
	case MADV_KEEPONFORK:
	case MADV_COLD:
	case MADV_PAGEOUT:
	case MADV_POPULATE_READ:
	case MADV_POPULATE_WRITE:
	case MADV_DONTNEED_LOCKED:
	case MADV_COLLAPSE:
		return true;
	default:
		return false;
	}
}

#define VM_SPECIAL	(VM_IO | VM_DONTEXPAND)	/* (VM_PFNMAP, VM_MIXEDMAP: foliOS has none) */

/*
 * The flag advice (the essay above): the VM_* bits each sets and clears;
 * a VMA with a `refuse` flag is -EINVAL, one with an `ignore` flag is left
 * as it is (Linux's ksm_madvise skips shared memory without an error).
 */
static const struct madvise_flag_advice {
	int advice;
	unsigned long set, clear, refuse, ignore;
} madvise_flag_advice[] = {
	{ MADV_HUGEPAGE, VM_HUGEPAGE, VM_NOHUGEPAGE, 0, 0 },
	{ MADV_NOHUGEPAGE, VM_NOHUGEPAGE, VM_HUGEPAGE, 0, 0 },
	{ MADV_DONTFORK, VM_DONTCOPY, 0, 0, 0 },
	{ MADV_DOFORK, 0, VM_DONTCOPY, VM_IO, 0 },
	{ MADV_WIPEONFORK, VM_WIPEONFORK, 0, VM_SHARED, 0 },
	{ MADV_KEEPONFORK, 0, VM_WIPEONFORK, 0, 0 },
	{ MADV_DONTDUMP, VM_DONTDUMP, 0, 0, 0 },
	{ MADV_DODUMP, 0, VM_DONTDUMP, VM_SPECIAL, 0 },
	{ MADV_MERGEABLE, VM_MERGEABLE, 0, 0, VM_SHARED | VM_SPECIAL },
	{ MADV_UNMERGEABLE, 0, VM_MERGEABLE, 0, 0 },
};

static const struct madvise_flag_advice *madvise_flag_lookup(int behavior)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(madvise_flag_advice); i++)
		if (madvise_flag_advice[i].advice == behavior)
			return &madvise_flag_advice[i];
	return NULL;
}

/* Apply flag advice fa to [start, end) of vma; -EAGAIN when a split cannot allocate (Linux's answer). */
static int madvise_update_flags(struct vm_area_struct *vma, unsigned long start, unsigned long end,
				const struct madvise_flag_advice *fa)
{
	if ((vma->vm_flags & fa->refuse) || (fa->advice == MADV_WIPEONFORK && vma->vm_shmem))
		return -EINVAL;	/* WIPEONFORK: private anonymous memory only (Linux: no vm_file) */
	if (vma->vm_flags & fa->ignore)
		return 0;
	return vma_modify_flags(vma, start, end, (vma->vm_flags & ~fa->clear) | fa->set) ? 0 : -EAGAIN;
}

static int madvise_populate(struct vm_area_struct *vma, unsigned long start, unsigned long end,
			    int behavior)
{
	bool write = behavior == MADV_POPULATE_WRITE;

	if (!(vma->vm_flags & (write ? VM_WRITE : VM_READ)))
		return -EINVAL;
	return populate_range(vma->vm_mm, start, end, write);
}

/* ---- MADV_FREE ---- */

/*
 * MADV_FREE covers only pages [first, first + nr) of the large folio
 * (the range starts or ends inside it, or only part of it is mapped here):
 * split it as /sys/kernel/mm/folio/madv_free_split says, so that the
 * covered pages become folios of their own that the caller's rescan
 * lazyfrees whole:
 *   order0  split_folio_to_order(folio, 0), as Linux: every page alone
 *           (as the range of the whole folio, to name the reason);
 *   around  folio_split_boundary over the covered pages: only the blocks
 *           that straddle an edge of the range are halved, so the pieces
 *           inside and outside stay as large as alignment allows.
 * Either way every covered page ends in a piece the range covers whole,
 * and each split makes the folio at the rescanned PTE strictly smaller,
 * so the rescan ends.  Counted by split.c (split, split_failed), and
 * told to the order policy as SPLIT_MADVISE.
 * Contract: folio locked with the caller's reference, which this drops
 * with the lock; no PTE-table lock (the split's DEBUG_VM rmap walk takes
 * them).  Returns 0 when split, else the split's error (-EBUSY: another
 * reference), on which the caller skips the pages, as Linux: they keep
 * their data, which MADV_FREE allows.
 */
static int madvise_free_partial(struct folio *folio, unsigned long first, unsigned int nr)
{
	int err;

	if (anon_order_config.madv_free_split == MADV_FREE_SPLIT_ORDER0)
		err = folio_split_range(folio, 0, folio_page(folio, 0),
					folio_page(folio, folio_nr_pages(folio)), SPLIT_MADVISE);
	else
		err = folio_split_boundary(folio, folio_page(folio, first),
					   folio_page(folio, first + nr), SPLIT_MADVISE);
	folio_unlock(folio);
	folio_put(folio);
	return err;
}

/*
 * MADV_FREE nr PTEs from ptep (address *addr), inside one PTE table; lock
 * held.  Every folio mapped whole in the range keeps its size: its PTEs are
 * made clean and old in one batch and it becomes lazyfree
 * (folio_mark_lazyfree); *changed is set (the caller flushes the TLB).
 * Stops at a large folio mapped here only in part: returns it locked and
 * with a reference (Linux's folio_get + folio_trylock before it drops the
 * PTE lock), *addr at its first PTE here, *first the folio's page there
 * and *nr_partial its PTEs, for madvise_free_partial; one it cannot lock
 * is skipped.  NULL when done.
 */
/*
 * The folio mapped by the PTE at ptep and how many of the next `left` PTEs
 * map it in a row (*n, folio_pte_batch); NULL with *n = 1 for a PTE that
 * maps nothing or the zero page, or a folio being split by someone else
 * (page_folio_mapped: its pages keep their data, which both advices
 * allow, as Linux skips a folio it cannot lock).  PTE-table lock held.
 */
static struct folio *pte_batch_folio(pte_t *ptep, unsigned int left, unsigned int *n)
{
	pte_t pte = ptep_get(ptep);
	struct folio *folio;

	*n = 1;
	if (!pte_present(pte) || pte_pfn(pte) == page_to_pfn(zero_page))
		return NULL;
	folio = page_folio_mapped(pfn_to_page(pte_pfn(pte)));
	if (folio)
		*n = folio_pte_batch(folio, ptep, left);
	return folio;
}

static struct folio *madvise_free_pte_range(struct vm_area_struct *vma, unsigned long *addr,
					    pte_t *ptep, unsigned int nr, bool *changed,
					    unsigned long *first, unsigned int *nr_partial)
{
	for (unsigned int i = 0, n; i < nr; i += n) {
		unsigned long pte_addr = *addr + ((unsigned long)i << PAGE_SHIFT);
		struct folio *folio = pte_batch_folio(&ptep[i], nr - i, &n);

		if (!folio)
			continue;
		if (n < folio_nr_pages(folio)) {
			folio_get(folio);
			if (!folio_trylock(folio)) {
				folio_put(folio);
				continue;
			}
			*addr = pte_addr;
			*first = pte_pfn(ptep_get(&ptep[i])) - folio_pfn(folio);
			*nr_partial = n;
			return folio;
		}
		clear_young_dirty_ptes(vma->vm_mm, pte_addr, &ptep[i], n);
		folio_mark_lazyfree(folio);
		*changed = true;
	}
	return NULL;
}

/*
 * MADV_FREE [start, end) of vma (Linux's madvise_free_single_vma), one PTE
 * table at a time, and one TLB flush for the range at the end: until then no
 * user code runs that could write through a stale, dirty TLB entry.  A
 * folio covered in part is split with the PTE lock dropped
 * (madvise_free_partial), then the table is locked again and rescanned from
 * that folio's first PTE, as Linux's madvise_free_pte_range does; when the
 * split fails its pages are skipped.  PMD blocks come first: covered whole
 * they are lazyfreed whole, else their PMD mapping is split for the PTE walk.
 */
static void madvise_free_single_vma(struct vm_area_struct *vma, unsigned long start,
				    unsigned long end)
{
	unsigned long addr = start;
	unsigned int nr, nr_partial;
	unsigned long first;
	bool changed = madvise_free_huge_pmds(vma, start, end);
	struct folio *folio;
	spinlock_t *ptl;
	pte_t *ptep;

	while ((ptep = pte_next_table_lock(vma->vm_mm, &addr, end, &nr, &ptl))) {
		unsigned long next = addr + ((unsigned long)nr << PAGE_SHIFT);

		folio = madvise_free_pte_range(vma, &addr, ptep, nr, &changed, &first,
					       &nr_partial);
		spin_unlock(ptl);
		if (!folio) {
			addr = next;
			continue;
		}
		if (madvise_free_partial(folio, first, nr_partial))
			addr += (unsigned long)nr_partial << PAGE_SHIFT;
	}
	if (changed)
		flush_tlb_range(vma->vm_mm, start, end);
}

/* ---- MADV_PAGEOUT ---- */

/*
 * Isolate the lazyfree folios mapped whole among nr PTEs from ptep (at
 * addr) onto list, each with a reference (Linux's folio_isolate_lru in
 * madvise_cold_or_pageout_pte_range); PTE-table lock held.  Normal anon
 * folios are not taken: without swap reclaim could only put them back.
 */
static void madvise_pageout_pte_range(pte_t *ptep, unsigned int nr, struct list_head *list)
{
	for (unsigned int i = 0, n; i < nr; i += n) {
		struct folio *folio = pte_batch_folio(&ptep[i], nr - i, &n);

		if (!folio || n < folio_nr_pages(folio) || folio_test_swapbacked(folio) ||
		    !folio_trylock(folio))
			continue;
		folio_get(folio);
		if (folio_isolate_lru(folio))
			list_add(&folio->lru, list);
		else
			folio_put(folio);
		folio_unlock(folio);
	}
}

/* MADV_PAGEOUT of [start, end) in vma: gather under the PTE locks, reclaim without them. */
static void madvise_pageout(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	LIST_HEAD(folios);
	unsigned long addr = start;
	unsigned int nr;
	spinlock_t *ptl;
	pte_t *ptep;

	for (; (ptep = pte_next_table_lock(vma->vm_mm, &addr, end, &nr, &ptl));
	     addr += (unsigned long)nr << PAGE_SHIFT) {
		madvise_pageout_pte_range(ptep, nr, &folios);
		spin_unlock(ptl);
	}
	reclaim_pages(&folios);
}

/*
 * Linux's madvise_remove: punch [start, end) out of the shmem object vma
 * maps (every shared mapping reads zeros there after).  -EINVAL on a
 * locked VMA or one without an object (private anonymous memory), -EACCES
 * on a private or read-only-opened mapping of one.
 */
static int madvise_remove(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	unsigned long first = vma->vm_pgoff + ((start - vma->vm_start) >> PAGE_SHIFT);

	if ((vma->vm_flags & VM_LOCKED) || !vma->vm_shmem)
		return -EINVAL;
	if ((vma->vm_flags & (VM_SHARED | VM_MAYWRITE)) != (VM_SHARED | VM_MAYWRITE))
		return -EACCES;
	shmem_punch_hole(vma->vm_shmem, first, first + ((end - start) >> PAGE_SHIFT));
	return 0;
}

/* Apply behavior to [start, end) of one VMA. */
static int madvise_vma(struct vm_area_struct *vma, unsigned long start, unsigned long end,
		       int behavior)
{
	const struct madvise_flag_advice *fa;

	switch (behavior) {
	case MADV_DONTNEED:
	case MADV_DONTNEED_LOCKED:
	case MADV_FREE:
		/* Linux's madvise_dontneed_free_valid_vma */
		if (behavior != MADV_DONTNEED_LOCKED && (vma->vm_flags & VM_LOCKED))
			return -EINVAL;
		if (behavior == MADV_FREE && vma->vm_shmem)
			return -EINVAL;	/* madvise_free_single_vma: anonymous VMAs only */
		if (behavior == MADV_FREE)
			madvise_free_single_vma(vma, start, end);
		else
			zap_page_range(vma, start, end);	/* a shmem object keeps its pages */
		return 0;
	case MADV_REMOVE:
		return madvise_remove(vma, start, end);
	case MADV_COLD:
	case MADV_PAGEOUT:
		if (vma->vm_flags & VM_LOCKED)
			return -EINVAL;	/* can_madv_lru_vma */
		if (behavior == MADV_PAGEOUT)
			madvise_pageout(vma, start, end);
		return 0;
	case MADV_POPULATE_READ:
	case MADV_POPULATE_WRITE:
		return madvise_populate(vma, start, end, behavior);
	case MADV_COLLAPSE:
		return madvise_collapse(vma, start, end);
	default:
		fa = madvise_flag_lookup(behavior);
		return fa ? madvise_update_flags(vma, start, end, fa) : 0;	/* else a hint */
	}
}

SYSCALL_DEFINE3(madvise, unsigned long, start, size_t, len_in, int, behavior)
{
	struct mm_struct *mm = current->mm;
	unsigned long end, len, addr;
	bool locked;
	int ret = 0;

	if (start & ~PAGE_MASK)
		return -EINVAL;
	if (!madvise_behavior_valid(behavior))
		return -EINVAL;
	len = ALIGN(len_in, PAGE_SIZE);
	if (len_in && !len)
		return -EINVAL;
	end = start + len;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	mmap_write_lock(mm);
	locked = shmem_lock_range(mm, start, end);	/* MADV_REMOVE, splits of shmem VMAs */
	for (addr = start; addr < end; ) {
		struct vm_area_struct *vma = find_vma(mm, addr);
		unsigned long next;
		int err;

		if (!vma || vma->vm_start >= end) {
			ret = -ENOMEM;
			break;
		}
		if (vma->vm_start > addr) {
			ret = -ENOMEM;	/* a hole before this VMA */
			if (behavior == MADV_POPULATE_READ || behavior == MADV_POPULATE_WRITE)
				break;	/* populate stops at the hole */
		}
		next = min(end, vma->vm_end);
		err = madvise_vma(vma, max(addr, vma->vm_start), next, behavior);
		if (err) {
			ret = err;
			break;
		}
		addr = next;
	}
	shmem_unlock_range(locked);
	mmap_write_unlock(mm);
	return ret;
}
