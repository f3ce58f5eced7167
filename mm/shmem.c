/*
 * shmem.c - shared memory objects: the pages behind MAP_SHARED|MAP_ANONYMOUS
 * (a "/dev/zero (deleted)" object of the mapping's length, Linux's
 * shmem_zero_setup) and memfd_create (kernel/memfd.c: an fd whose file
 * holds the object).  foliOS has no page cache; a shmem object is the one
 * thing besides anonymous memory a VMA can map (vma->vm_shmem, the stand-in
 * for Linux's vm_file).
 *
 * The object owns its pages in an index -> folio table of two levels
 * (leaves of 512 slots, allocated when a page in them is first needed; the
 * table of leaves grows by doubling), each folio order 0, holding the
 * object's one reference.  A shmem folio is not anonymous: PG_anon clear,
 * PG_swapbacked set (Linux's folio_test_swapbacked && !folio_test_anon),
 * folio->shmem the object and folio->index its page index.  Its reverse map
 * is the object's list of VMAs (i_mmap, as Linux's address_space): every
 * VMA that maps the object, shared or private, is on it, and
 * folio->index - vm_pgoff finds the page in each (mm/rmap.c's rmap_walk).
 * Mapcounts are per page, one per PTE, as for anon pages; no PageAnonExclusive.
 *
 * Pages appear on first touch (shmem_fault; fd writes through
 * kernel/memfd.c): a read of a shared mapping allocates a zeroed page too
 * (no zero-page sharing: a later write through another mapping or the fd
 * must be seen).  A private mapping of a memfd maps the object's page for
 * reads and copies it into an anonymous folio on a write (mm/cow.c does the
 * copy when the page is already mapped read-only).  Pages leave only by
 * ftruncate shrinking the object, MADV_REMOVE / hole punching, or the
 * object's last reference going: shmem folios are never on the LRU, so
 * reclaim cannot see them and nothing stored in one is ever lost (there is
 * no swap to put them in).  Without huge pages here, no PMD maps one.
 *
 * SMP: an object is shared by every mm that maps it, so its state (the
 * table, refcount, size, seals, i_mmap) and the place of every VMA on an
 * i_mmap list (vm_start, vm_end, vm_pgoff: another mm's truncation or hole
 * punch reads them to zap) are under the big kernel lock, as the VFS's
 * files are (kernel/smp_lock.h); the lock is recursive, so a path that
 * holds it already (memfd's calls, fork, exit) takes it again for nothing.
 * The mm calls, which run without it, take it when they reach a shmem VMA
 * (shmem_lock_range: mm/'s side of the rule), the fault for its whole
 * shmem part.  Every other mm/ path leaves shmem alone.
 *
 * Overcommit: a shared anonymous mapping charges its whole size when the
 * object is made (Linux's shmem_acct_size; MAP_NORESERVE charges nothing)
 * and the charge goes with the object; memfd objects are VM_NORESERVE in
 * Linux and charge per page there, foliOS not at all (docs/mm/shmem.md).
 */
#include "kernel/slab.h"
#include "kernel/smp_lock.h"
#include "kernel/string.h"
#include "mm/mm.h"
#include "mm/mmu_gather.h"
#include "mm/overcommit.h"
#include "mm/pgtable.h"
#include "mm/rmap.h"
#include "mm/shmem.h"
#include "mm/soft_dirty.h"
#include "mm/vma.h"
#include "mm/vmstat.h"
#include <asm/page.h>
#include <uapi/errno.h>

#define SHMEM_LEAF_SHIFT	9
#define SHMEM_LEAF_NR		(1UL << SHMEM_LEAF_SHIFT)

atomic_long_t nr_shmem_pages;
static u64 shmem_last_ino;	/* (K) */

/* Pages an object of size bytes has (the last one partly past the end included). */
static unsigned long shmem_size_pages(u64 size)
{
	return (unsigned long)((size + PAGE_SIZE - 1) >> PAGE_SHIFT);
}

bool folio_test_shmem(const struct folio *folio)
{
	return !folio_test_anon(folio) && folio_test_swapbacked(folio);
}

struct shmem_inode *shmem_inode_alloc(u64 size, const char *name, long charged)
{
	struct shmem_inode *si = kzalloc(sizeof(*si));

	if (!si)
		return NULL;
	si->refcount = 1;
	si->size = size;
	si->charged = charged;
	si->ino = ++shmem_last_ino;
	INIT_LIST_HEAD(&si->i_mmap);
	memcpy(si->name, name, strnlen(name, sizeof(si->name) - 1));	/* kzalloc: NUL-terminated */
	return si;
}

void shmem_get(struct shmem_inode *si)
{
	VM_BUG_ON(si->refcount <= 0);
	si->refcount++;
}

/* Take the folio out of its slot: the object's reference goes (a pin may keep the folio). */
static void shmem_remove_folio(struct shmem_inode *si, struct folio **slot)
{
	struct folio *folio = *slot;

	VM_BUG_ON_FOLIO(folio->shmem != si || folio_mapped(folio), folio);
	*slot = NULL;
	folio->shmem = NULL;
	si->nr_pages--;
	atomic_long_dec(&nr_shmem_pages);
	folio_put(folio);
}

/* The slot of index, or NULL when its leaf was never allocated. */
static struct folio **shmem_slot(const struct shmem_inode *si, unsigned long index)
{
	unsigned long leaf = index >> SHMEM_LEAF_SHIFT;

	if (leaf >= si->nr_leaves || !si->leaves[leaf])
		return NULL;
	return &si->leaves[leaf][index & (SHMEM_LEAF_NR - 1)];
}

/* The slot of index, its leaf (and a larger table of leaves) allocated; NULL when out of memory. */
static struct folio **shmem_slot_alloc(struct shmem_inode *si, unsigned long index)
{
	unsigned long leaf = index >> SHMEM_LEAF_SHIFT;

	if (leaf >= si->nr_leaves) {
		unsigned long nr = max(leaf + 1, 2 * si->nr_leaves);
		struct folio ***leaves = kzalloc(nr * sizeof(*leaves));

		if (!leaves)
			return NULL;
		if (si->nr_leaves)
			memcpy(leaves, si->leaves, si->nr_leaves * sizeof(*leaves));
		kfree(si->leaves);
		si->leaves = leaves;
		si->nr_leaves = nr;
	}
	if (!si->leaves[leaf])
		si->leaves[leaf] = kzalloc(SHMEM_LEAF_NR * sizeof(struct folio *));
	return si->leaves[leaf] ? &si->leaves[leaf][index & (SHMEM_LEAF_NR - 1)] : NULL;
}

void shmem_put(struct shmem_inode *si)
{
	VM_BUG_ON(si->refcount <= 0);
	if (--si->refcount)
		return;
	VM_BUG_ON(!list_empty(&si->i_mmap));
	for (unsigned long leaf = 0; leaf < si->nr_leaves; leaf++) {
		for (unsigned long i = 0; si->leaves[leaf] && i < SHMEM_LEAF_NR; i++)
			if (si->leaves[leaf][i])
				shmem_remove_folio(si, &si->leaves[leaf][i]);
		kfree(si->leaves[leaf]);
	}
	VM_BUG_ON(si->nr_pages);
	kfree(si->leaves);
	vm_unacct_memory(si->charged);
	kfree(si);
}

struct folio *shmem_find_folio(const struct shmem_inode *si, unsigned long index)
{
	struct folio **slot = shmem_slot(si, index);

	return slot ? *slot : NULL;
}

int shmem_get_folio(struct shmem_inode *si, unsigned long index, bool overwrite, struct folio **res)
{
	struct folio **slot, *folio;

	VM_BUG_ON(!kernel_locked());
	for (;;) {
		if (index >= shmem_size_pages(si->size))
			return -EFAULT;
		slot = shmem_slot_alloc(si, index);
		if (!slot)
			return -ENOMEM;
		if (*slot) {
			*res = *slot;
			return 0;
		}
		folio = folio_alloc(GFP_HIGHUSER_MOVABLE | (overwrite ? 0 : __GFP_ZERO) | __GFP_NOWARN, 0);
		if (!folio)
			return -ENOMEM;
		/*
		 * The allocation may have slept in reclaim, and the big kernel lock
		 * was let go meanwhile: another task may have filled the slot,
		 * grown the table or shrunk the object.  Install only into the
		 * slot as it was, else look again.
		 */
		slot = shmem_slot(si, index);
		if (index < shmem_size_pages(si->size) && slot && !*slot)
			break;
		folio_put(folio);
	}
	folio_set_swapbacked(folio);
	folio->shmem = si;
	folio->index = index;
	*slot = folio;
	si->nr_pages++;
	atomic_long_inc(&nr_shmem_pages);
	*res = folio;
	return overwrite ? SHMEM_FOLIO_UNZEROED : 0;
}

/* ---- unmapping a range of the object from every VMA ---- */

/* Zap the PTEs of [start, end) of a private vma that map pages of si (its CoW copies stay). */
static void shmem_zap_private(struct vm_area_struct *vma, struct shmem_inode *si, unsigned long start,
			      unsigned long end)
{
	unsigned long addr = start;
	struct mmu_gather tlb;
	unsigned int nr;
	spinlock_t *ptl;
	pte_t *ptep;

	tlb_gather_mmu(&tlb, vma->vm_mm);
	while ((ptep = pte_next_table_lock(vma->vm_mm, &addr, end, &nr, &ptl))) {
		for (unsigned int i = 0; i < nr; i++) {
			pte_t pte = ptep_get(&ptep[i]);

			if (pte_present(pte) && !is_zero_pfn(pte_pfn(pte)) &&
			    page_folio(pfn_to_page(pte_pfn(pte)))->shmem == si &&
			    folio_test_shmem(page_folio(pfn_to_page(pte_pfn(pte)))))
				zap_present_ptes(&tlb, vma, addr + ((unsigned long)i << PAGE_SHIFT), &ptep[i], 1);
		}
		spin_unlock(ptl);
		addr += (unsigned long)nr << PAGE_SHIFT;
	}
	tlb_finish_mmu(&tlb);
}

/*
 * Linux's unmap_mapping_range for pages [first, last) of si: every VMA on
 * i_mmap loses its PTEs there; private VMAs keep their CoW copies unless
 * even_cows (truncation).
 */
static void shmem_unmap_range(struct shmem_inode *si, unsigned long first, unsigned long last,
			      bool even_cows)
{
	struct list_head *pos;

	list_for_each(pos, &si->i_mmap) {
		struct vm_area_struct *vma = list_entry(pos, struct vm_area_struct, vm_shmem_link);
		unsigned long vfirst = vma->vm_pgoff, vlast = vfirst + ((vma->vm_end - vma->vm_start) >> PAGE_SHIFT);
		unsigned long lo = max(first, vfirst), hi = min(last, vlast), start, end;

		if (lo >= hi)
			continue;
		start = vma->vm_start + ((lo - vfirst) << PAGE_SHIFT);
		end = vma->vm_start + ((hi - vfirst) << PAGE_SHIFT);
		if ((vma->vm_flags & VM_SHARED) || even_cows)
			zap_page_range(vma, start, end);
		else
			shmem_zap_private(vma, si, start, end);
	}
}

/* Unmap pages [first, last) everywhere and free them from the object. */
static void shmem_remove_range(struct shmem_inode *si, unsigned long first, unsigned long last,
			       bool even_cows)
{
	if (first >= last)
		return;
	shmem_unmap_range(si, first, last, even_cows);
	for (unsigned long index = first; index < last; index++) {
		struct folio **slot = shmem_slot(si, index);

		if (!slot) {
			index |= SHMEM_LEAF_NR - 1;	/* the whole leaf is a hole */
			continue;
		}
		if (*slot)
			shmem_remove_folio(si, slot);
	}
}

/* The last allocated page index + 1 (no page at or past it). */
static unsigned long shmem_index_end(const struct shmem_inode *si)
{
	return si->nr_leaves << SHMEM_LEAF_SHIFT;
}

int shmem_setsize(struct shmem_inode *si, u64 size)
{
	u64 old = si->size;
	struct folio *partial;

	si->size = size;
	if (size >= old)
		return 0;
	partial = (size & ~PAGE_MASK) ? shmem_find_folio(si, (unsigned long)(size >> PAGE_SHIFT)) : NULL;
	if (partial)
		memset((char *)folio_address(partial) + (size & ~PAGE_MASK), 0, PAGE_SIZE - (size & ~PAGE_MASK));
	shmem_remove_range(si, shmem_size_pages(size), min(shmem_size_pages(old), shmem_index_end(si)), true);
	return 0;
}

void shmem_punch_hole(struct shmem_inode *si, unsigned long start, unsigned long end)
{
	shmem_remove_range(si, start, min(end, shmem_index_end(si)), false);
}

void shmem_vma_link(struct vm_area_struct *vma)
{
	lock_kernel();
	shmem_get(vma->vm_shmem);
	list_add_tail(&vma->vm_shmem_link, &vma->vm_shmem->i_mmap);
	unlock_kernel();
}

void shmem_vma_unlink(struct vm_area_struct *vma)
{
	lock_kernel();
	list_del_init(&vma->vm_shmem_link);
	shmem_put(vma->vm_shmem);
	unlock_kernel();
}

bool shmem_lock_range(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	mmap_assert_write_locked(mm);
	for (struct vm_area_struct *vma = find_vma(mm, start); vma && vma->vm_start < end; vma = vma_next(vma)) {
		if (vma->vm_shmem) {
			lock_kernel();
			return true;
		}
	}
	return false;
}

void shmem_unlock_range(bool locked)
{
	if (locked)
		unlock_kernel();
}

int shmem_zero_setup(struct vm_area_struct *vma)
{
	long pages = (long)((vma->vm_end - vma->vm_start) >> PAGE_SHIFT);
	long charge = (vma->vm_flags & VM_NORESERVE) ? 0 : pages;
	struct shmem_inode *si;

	if (charge && vm_enough_memory(vma->vm_mm, charge))
		return -ENOMEM;
	lock_kernel();	/* the inode number */
	si = shmem_inode_alloc((u64)pages << PAGE_SHIFT, "dev/zero", charge);
	if (si) {
		vma->vm_shmem = si;
		shmem_vma_link(vma);
		shmem_put(si);	/* the VMA's reference is the only one */
	}
	unlock_kernel();
	if (!si) {
		vm_unacct_memory(charge);
		return -ENOMEM;
	}
	return 0;
}

/* ---- the fault ---- */

/* A write to a private mapping of si at a none PTE: copy the object's page into an anon folio. */
static int shmem_cow_fault(struct vm_area_struct *vma, unsigned long addr, struct folio *folio)
{
	struct folio *new;
	spinlock_t *ptl;
	pte_t *ptep;

	if (anon_vma_prepare(vma))
		return VM_FAULT_OOM;
	/*
	 * The allocation may sleep and let the big kernel lock go: a truncation
	 * may take the page out of the object meanwhile.  Keep it alive with a
	 * reference, and fault again (now past the end or on the hole) if it left.
	 */
	folio_get(folio);
	new = folio_alloc(GFP_HIGHUSER_MOVABLE | __GFP_NOWARN, 0);
	if (!new || folio->shmem != vma->vm_shmem) {
		folio_put(folio);
		if (new)
			folio_put(new);
		return new ? VM_FAULT_OK : VM_FAULT_OOM;
	}
	copy_page(folio_address(new), folio_address(folio));
	folio_put(folio);
	ptep = pte_alloc_map_lock(vma->vm_mm, addr, &ptl);
	if (!ptep) {
		folio_put(new);
		return VM_FAULT_OOM;
	}
	if (pte_none(ptep_get(ptep))) {
		account_new_anon_folio(vma, new, addr);
		set_ptes(vma->vm_mm, addr, ptep, mk_anon_pte(new, vma), 1);
	} else {
		folio_put(new);
	}
	spin_unlock(ptl);
	return VM_FAULT_OK;
}

/* The fault's object part, under the big kernel lock (shmem_fault). */
static int shmem_fault_locked(struct vm_area_struct *vma, unsigned long addr, unsigned int flags)
{
	unsigned long index = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
	bool shared = vma->vm_flags & VM_SHARED, write = flags & FAULT_FLAG_WRITE;
	struct folio *folio;
	spinlock_t *ptl;
	pte_t *ptep;
	int err;

	err = shmem_get_folio(vma->vm_shmem, index, false, &folio);
	if (err)
		return err == -EFAULT ? VM_FAULT_SIGBUS : VM_FAULT_OOM;
	if (write && !shared)
		return shmem_cow_fault(vma, addr, folio);
	ptep = pte_alloc_map_lock(vma->vm_mm, addr, &ptl);
	if (!ptep)
		return VM_FAULT_OOM;
	if (pte_none(ptep_get(ptep))) {
		pte_t entry = pfn_pte(folio_pfn(folio), vma->vm_page_prot);

		if (write) {
			entry = pte_mksoft_dirty(pte_mkdirty(entry));
			folio_set_dirty(folio);
		}
		/* No dirty tracking needed (no writeback), but soft-dirty's: a clean page stays read-only. */
		if (shared && (vma->vm_flags & VM_WRITE) && soft_dirty_may_mkwrite(vma, entry))
			entry = pte_mkwrite(entry);
		folio_get(folio);
		folio_add_file_rmap_ptes(folio, &folio->page, 1);
		inc_mm_counter(vma->vm_mm, MM_SHMEMPAGES);
		set_ptes(vma->vm_mm, addr, ptep, entry, 1);
	}
	spin_unlock(ptl);
	return VM_FAULT_OK;
}

int shmem_fault(struct vm_area_struct *vma, unsigned long addr, unsigned int flags)
{
	int ret;

	lock_kernel();
	ret = shmem_fault_locked(vma, addr, flags);
	unlock_kernel();
	return ret;
}
