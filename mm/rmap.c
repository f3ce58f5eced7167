/*
 * rmap.c - the reverse map of anonymous folios (see rmap.h): mapcount
 * bookkeeping (shmem folios' too: their reverse map is their object's list
 * of VMAs, mm/shmem.c), the anon_vma tree that fork builds, and rmap_walk.  The
 * unmap side puts partially mapped large folios on the deferred-split
 * queue (mm/split.c), as Linux's __folio_remove_rmap does, and tells the
 * policy (anon_order_note_partial_unmap).
 *
 * anon_vma lifetime and locking: mm/rmap.h.  A folio points at the
 * anon_vma of the VMA that allocated it and holds a reference on it until
 * it is freed; the walks read the chains under the tree's rwsem.
 */
#include "kernel/slab.h"
#include "mm/anon_order.h"
#include "mm/anon_reserve.h"
#include "mm/huge_mm.h"
#include "mm/mmu_gather.h"
#include "mm/pgtable.h"
#include "mm/rmap.h"
#include "mm/shmem.h"
#include "mm/split.h"
#include "mm/vma.h"
#include "mm/vmstat.h"
#include <uapi/errno.h>

/* ---- mapcounts ---- */

void folio_add_new_anon_rmap_ptes(struct folio *folio, struct vm_area_struct *vma, unsigned long addr,
				  unsigned long first, unsigned long nr)
{
	VM_BUG_ON_FOLIO(folio_test_anon(folio) || folio_mapped(folio), folio);
	VM_BUG_ON_FOLIO(!nr || first + nr > folio_nr_pages(folio), folio);
	VM_BUG_ON(!vma->anon_vma);
	folio_set_anon(folio);
	folio_set_swapbacked(folio);
	get_anon_vma(vma->anon_vma);	/* dropped by folio_anon_freed */
	folio->mapping = vma->anon_vma;
	folio->index = ((addr - vma->vm_start) >> PAGE_SHIFT) + vma->vm_pgoff;
	if (folio_test_large(folio)) {
		atomic_set(&folio->_large_mapcount, -1);
		atomic_set(&folio->_nr_pages_mapped, 0);
	}
	mod_mthp_stat(folio_order(folio), MTHP_STAT_NR_ANON, 1);
	folio_add_anon_rmap_ptes(folio, folio_page(folio, first), (int)nr);
}

void folio_add_new_anon_rmap(struct folio *folio, struct vm_area_struct *vma, unsigned long addr)
{
	folio_add_new_anon_rmap_ptes(folio, vma, addr, 0, folio_nr_pages(folio));
}

void folio_add_anon_rmap_ptes(struct folio *folio, struct page *page, int nr)
{
	VM_BUG_ON_FOLIO(!folio_test_anon(folio), folio);
	for (int i = 0; i < nr; i++) {
		VM_BUG_ON_PAGE(atomic_read(&page[i]._mapcount) != -1, &page[i]);
		atomic_set(&page[i]._mapcount, 0);
		SetPageAnonExclusive(&page[i]);
	}
	if (folio_test_large(folio)) {
		atomic_add(nr, &folio->_large_mapcount);
		atomic_add(nr, &folio->_nr_pages_mapped);
	}
	atomic_long_add(nr, &nr_anon_pages);	/* AnonPages: these pages' mapcounts went -1 -> 0 */
}

void folio_dup_anon_rmap_ptes(struct folio *folio, struct page *page, int nr)
{
	VM_BUG_ON_FOLIO(!folio_test_anon(folio), folio);
	for (int i = 0; i < nr; i++) {
		VM_BUG_ON_PAGE(atomic_read(&page[i]._mapcount) < 0, &page[i]);
		atomic_inc(&page[i]._mapcount);
		ClearPageAnonExclusive(&page[i]);
	}
	if (folio_test_large(folio))
		atomic_add(nr, &folio->_large_mapcount);
}

void folio_add_file_rmap_ptes(struct folio *folio, struct page *page, int nr)
{
	VM_BUG_ON_FOLIO(folio_test_anon(folio) || folio_test_large(folio), folio);
	for (int i = 0; i < nr; i++)
		atomic_inc(&page[i]._mapcount);
}

/*
 * As Linux's __folio_remove_rmap: the mapcounts drop, and a large folio
 * that now has pages both unmapped (some by this call) and still mapped is
 * partially mapped: queued for deferred split, and the policy hears of it
 * unless vma is NULL (a CoW copy replaced the PTEs: not sparse use).
 */
void folio_remove_rmap_ptes(struct folio *folio, struct page *page, int nr,
			    struct vm_area_struct *vma)
{
	int unmapped = 0;

	for (int i = 0; i < nr; i++) {
		VM_BUG_ON_PAGE(atomic_read(&page[i]._mapcount) < 0, &page[i]);
		if (atomic_add_negative(-1, &page[i]._mapcount)) {
			unmapped++;
			ClearPageAnonExclusive(&page[i]);
		}
	}
	if (folio_test_anon(folio))
		atomic_long_sub(unmapped, &nr_anon_pages);	/* AnonPages: pages whose mapcount went 0 -> -1 */
	if (!folio_test_large(folio))
		return;
	atomic_sub(nr, &folio->_large_mapcount);
	atomic_sub(unmapped, &folio->_nr_pages_mapped);
	VM_BUG_ON_FOLIO(atomic_read(&folio->_large_mapcount) < -1 || atomic_read(&folio->_nr_pages_mapped) < 0, folio);
	if (!atomic_read(&folio->_nr_pages_mapped)) {
		folio_unqueue_deferred_split(folio);
	} else if (unmapped && atomic_read(&folio->_nr_pages_mapped) < (int)folio_nr_pages(folio)) {
		deferred_split_folio(folio, true);
		anon_reserve_break(folio);
		if (vma)
			anon_order_note_partial_unmap(vma, folio_order(folio));
	}
}

/* Drop a reference; the last frees av, and drops the one it held on its root. */
static void put_anon_vma(struct anon_vma *av)
{
	struct anon_vma *root = av->root;

	VM_BUG_ON(atomic_read(&av->refcount) <= 0);
	if (!atomic_dec_and_test(&av->refcount))
		return;
	VM_BUG_ON(!list_empty(&av->chains));
	kfree(av);
	if (root != av)
		put_anon_vma(root);
}

void folio_anon_freed(struct folio *folio)
{
	folio_clear_reservation(folio);	/* its memory goes with it: not a break */
	mod_mthp_stat(folio_order(folio), MTHP_STAT_NR_ANON, -1);
	if (folio->mapping)
		put_anon_vma(folio->mapping);
}

/* ---- anon_vma tree ---- */

/* A new anon_vma of root's tree (root NULL: a tree of its own), holding a reference on root. */
static struct anon_vma *anon_vma_alloc(struct anon_vma *root)
{
	struct anon_vma *av = kzalloc(sizeof(*av));

	if (!av)
		return NULL;
	av->root = root ? root : av;
	if (root)
		get_anon_vma(root);
	else
		init_rwsem(&av->rwsem, "anon_vma");
	INIT_LIST_HEAD(&av->chains);
	return av;
}

/* Free a new anon_vma nothing links to yet (NULL: nothing). */
static void anon_vma_free_unused(struct anon_vma *av)
{
	if (!av)
		return;
	VM_BUG_ON(atomic_read(&av->refcount));
	atomic_set(&av->refcount, 1);
	put_anon_vma(av);
}

/*
 * Link vma to av through the chain avc.  The tree's rwsem held for
 * writing, or av new and reachable by nobody else (anon_vma_prepare).
 */
static void anon_vma_chain_add(struct vm_area_struct *vma, struct anon_vma *av, struct anon_vma_chain *avc)
{
	avc->vma = vma;
	avc->anon_vma = av;
	list_add_tail(&avc->same_vma, &vma->anon_vma_chain);
	list_add_tail(&avc->same_anon_vma, &av->chains);
	get_anon_vma(av);
}

/* Link vma to av through a new chain; 0 or -ENOMEM. */
static int anon_vma_chain_link(struct vm_area_struct *vma, struct anon_vma *av)
{
	struct anon_vma_chain *avc = kzalloc(sizeof(*avc));

	rwsem_assert_held_write(&av->root->rwsem);
	if (!avc)
		return -ENOMEM;
	anon_vma_chain_add(vma, av, avc);
	return 0;
}

/*
 * Faults of one VMA run at once (mmap_lock read), so the anon_vma is
 * allocated with no lock held and installed under mm->page_table_lock
 * only if the VMA still has none, as Linux's; the loser frees its copy.
 * The new anon_vma is a tree of its own that no walker can reach before
 * it is installed, so its rwsem is not needed (the VMA's chain list is
 * guarded by page_table_lock against the racing fault).
 */
int anon_vma_prepare(struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;
	struct anon_vma_chain *avc;
	struct anon_vma *av;

	if (READ_ONCE(vma->anon_vma))
		return 0;
	av = anon_vma_alloc(NULL);
	avc = av ? kzalloc(sizeof(*avc)) : NULL;
	if (!avc) {
		kfree(av);
		return -ENOMEM;
	}
	spin_lock(&mm->page_table_lock);
	if (!vma->anon_vma) {
		anon_vma_chain_add(vma, av, avc);
		WRITE_ONCE(vma->anon_vma, av);
		av = NULL;
		avc = NULL;
	}
	spin_unlock(&mm->page_table_lock);
	kfree(avc);
	anon_vma_free_unused(av);
	return 0;
}

/* The anon_vma whose tree vma's chains belong to (every chain of a VMA is in one tree), or NULL. */
static struct anon_vma *vma_anon_vma_tree(struct vm_area_struct *vma)
{
	if (list_empty(&vma->anon_vma_chain))
		return NULL;
	return list_first_entry(&vma->anon_vma_chain, struct anon_vma_chain, same_vma)->anon_vma;
}

struct anon_vma *vma_rmap_lock(struct vm_area_struct *vma)
{
	struct anon_vma *tree = vma_anon_vma_tree(vma);

	if (tree)
		anon_vma_lock_write(tree);
	return tree;
}

void vma_rmap_unlock(struct anon_vma *tree)
{
	if (tree)
		anon_vma_unlock_write(tree);
}

int anon_vma_clone(struct vm_area_struct *dst, struct vm_area_struct *src)
{
	struct anon_vma *tree = vma_anon_vma_tree(src);
	struct list_head *pos;
	int err = 0;

	INIT_LIST_HEAD(&dst->anon_vma_chain);
	if (!tree)
		return 0;
	anon_vma_lock_write(tree);
	list_for_each(pos, &src->anon_vma_chain) {
		struct anon_vma_chain *avc = list_entry(pos, struct anon_vma_chain, same_vma);

		err = anon_vma_chain_link(dst, avc->anon_vma);
		if (err)
			break;
	}
	if (!err)
		debug_vm_check_vma_rmap_overlap(dst);
	anon_vma_unlock_write(tree);
	if (err)
		unlink_anon_vmas(dst);
	return err;
}

int anon_vma_fork(struct vm_area_struct *dst, struct vm_area_struct *src)
{
	struct anon_vma *av;

	dst->anon_vma = NULL;
	if (anon_vma_clone(dst, src))
		return -ENOMEM;
	if (!src->anon_vma)
		return 0;
	av = anon_vma_alloc(src->anon_vma->root);
	if (av) {
		anon_vma_lock_write(av);
		if (anon_vma_chain_link(dst, av)) {
			anon_vma_unlock_write(av);
			anon_vma_free_unused(av);
			av = NULL;
		} else {
			anon_vma_unlock_write(av);
		}
	}
	if (!av) {
		unlink_anon_vmas(dst);
		return -ENOMEM;
	}
	dst->anon_vma = av;
	return 0;
}

void anon_vma_move(struct vm_area_struct *dst, struct vm_area_struct *src)
{
	struct list_head *pos;

	VM_BUG_ON(dst->anon_vma || !list_empty(&dst->anon_vma_chain));
	if (!list_empty(&src->anon_vma_chain))
		rwsem_assert_held_write(&vma_anon_vma_tree(src)->root->rwsem);
	list_for_each(pos, &src->anon_vma_chain)
		list_entry(pos, struct anon_vma_chain, same_vma)->vma = dst;
	list_splice_init(&src->anon_vma_chain, &dst->anon_vma_chain);
	dst->anon_vma = src->anon_vma;
	src->anon_vma = NULL;
}

/*
 * Every chain leaves its anon_vma's list under the tree's rwsem; the
 * references go after the unlock (a put may free the root holding it).
 */
void unlink_anon_vmas(struct vm_area_struct *vma)
{
	struct anon_vma *tree = vma_anon_vma_tree(vma), *root;
	struct list_head *pos;

	if (!tree)
		goto out;
	root = tree->root;
	get_anon_vma(root);		/* the lock's anon_vma outlives the unlock */
	anon_vma_lock_write(tree);
	list_for_each(pos, &vma->anon_vma_chain)
		list_del_init(&list_entry(pos, struct anon_vma_chain, same_vma)->same_anon_vma);
	anon_vma_unlock_write(tree);
	while (!list_empty(&vma->anon_vma_chain)) {
		struct anon_vma_chain *avc =
			list_first_entry(&vma->anon_vma_chain, struct anon_vma_chain, same_vma);
		struct anon_vma *av = avc->anon_vma;

		list_del_init(&avc->same_vma);
		kfree(avc);
		put_anon_vma(av);
	}
	put_anon_vma(root);
out:
	vma->anon_vma = NULL;
}

/* ---- rmap_walk ---- */

/*
 * Where in vma the pages of folio would be mapped: pages [*first, *end) of
 * the folio, page *first at address *addr.  false when none lies inside vma.
 */
static bool folio_vma_range(const struct folio *folio, const struct vm_area_struct *vma,
			    unsigned long *first, unsigned long *end, unsigned long *addr)
{
	long start = (long)(folio->index - vma->vm_pgoff);
	long vma_pages = (long)((vma->vm_end - vma->vm_start) >> PAGE_SHIFT);
	long nr = (long)folio_nr_pages(folio);

	*first = (unsigned long)max(-start, 0L);
	*end = (unsigned long)min(vma_pages - start, nr);
	*addr = vma->vm_start + ((unsigned long)(start + (long)*first) << PAGE_SHIFT);
	return (long)*first < (long)*end;
}

/* Visit the PTEs of vma that map pages of folio. */
static void rmap_walk_vma(struct folio *folio, struct vm_area_struct *vma,
			  void (*fn)(struct vm_area_struct *, unsigned long, pte_t *, struct page *, void *),
			  void *arg)
{
	unsigned long i, end, addr;

	if (!folio_vma_range(folio, vma, &i, &end, &addr))
		return;
	for (; i < end; i++, addr += PAGE_SIZE) {
		spinlock_t *ptl;
		pte_t *ptep = pte_offset_map_lock(vma->vm_mm, addr, &ptl);

		if (!ptep)
			continue;
		if (pte_present(ptep_get(ptep)) && pte_pfn(ptep_get(ptep)) == folio_pfn(folio) + i)
			fn(vma, addr, ptep, folio_page(folio, i), arg);
		spin_unlock(ptl);
	}
}

/* What rmap_walk does in each VMA. */
struct rmap_walk_control {
	void (*fn)(struct vm_area_struct *, unsigned long, pte_t *, struct page *, void *);
	void *arg;
};

static void rmap_walk_one(struct folio *folio, struct vm_area_struct *vma, void *rwc)
{
	rmap_walk_vma(folio, vma, ((struct rmap_walk_control *)rwc)->fn,
		      ((struct rmap_walk_control *)rwc)->arg);
}

/* visit(folio, vma, ctx) for every VMA chained to anon folio's anon_vma; its lock held. */
static void anon_for_each_vma(struct folio *folio,
			      void (*visit)(struct folio *, struct vm_area_struct *, void *), void *ctx)
{
	struct list_head *pos;

	rwsem_assert_held(&folio->mapping->root->rwsem);
	list_for_each(pos, &folio->mapping->chains) {
		struct anon_vma_chain *avc = list_entry(pos, struct anon_vma_chain, same_anon_vma);

		visit(folio, avc->vma, ctx);
	}
}

/*
 * visit(folio, vma, ctx) for every VMA that may map mapped folio: its shmem
 * object's, or those chained to its anon_vma (under that lock, for reading).
 */
static void rmap_for_each_vma(struct folio *folio,
			      void (*visit)(struct folio *, struct vm_area_struct *, void *), void *ctx)
{
	struct anon_vma *av = folio->mapping;
	struct list_head *pos;

	if (folio_test_shmem(folio) && folio->shmem && folio_mapped(folio)) {
		list_for_each(pos, &folio->shmem->i_mmap)
			visit(folio, list_entry(pos, struct vm_area_struct, vm_shmem_link), ctx);
		return;
	}
	if (!folio_test_anon(folio) || !av || !folio_mapped(folio))
		return;
	anon_vma_lock_read(av);
	anon_for_each_vma(folio, visit, ctx);
	anon_vma_unlock_read(av);
}

void rmap_walk(struct folio *folio,
	       void (*fn)(struct vm_area_struct *, unsigned long, pte_t *, struct page *, void *),
	       void *arg)
{
	struct rmap_walk_control rwc = { .fn = fn, .arg = arg };

	rmap_for_each_vma(folio, rmap_walk_one, &rwc);
}

/* Take and drop the PMD lock of vma's mm and each PTE-table lock at folio's addresses in vma. */
static void sync_vma_page_table_locks(struct folio *folio, struct vm_area_struct *vma, void *unused)
{
	unsigned long i, end, addr;

	(void)unused;
	if (!folio_vma_range(folio, vma, &i, &end, &addr))
		return;
	spin_lock(&vma->vm_mm->page_table_lock);
	spin_unlock(&vma->vm_mm->page_table_lock);
	while (i < end) {
		unsigned long n = min(end - i, (ALIGN_DOWN(addr, PTE_TABLE_SPAN) + PTE_TABLE_SPAN - addr) >> PAGE_SHIFT);
		spinlock_t *ptl;

		if (pte_offset_map_lock(vma->vm_mm, addr, &ptl))
			spin_unlock(ptl);
		i += n;
		addr += n << PAGE_SHIFT;
	}
}

void rmap_sync_page_table_locks(struct folio *folio)
{
	VM_BUG_ON_FOLIO(!folio_test_anon(folio) || !folio->mapping, folio);
	anon_for_each_vma(folio, sync_vma_page_table_locks, NULL);
}

/*
 * Was the batch of folio's PTEs at ptep (address addr, at most max) written
 * since MADV_FREE cleaned it?  Reclaim read the dirty bits earlier
 * (folio_referenced), but another CPU may write through its TLB entry
 * until the PTE is gone.  Linux checks the dirty bit its clear returned
 * and puts the PTE back; here the batch is first write-protected (an
 * atomic update that keeps a dirty bit) and flushed from every TLB, after
 * which no CPU can set dirty, and only then is the dirty bit read: clean
 * now means clean until the zap.  A written batch stays mapped read-only;
 * its next write faults and reuses the page (do_wp_page).  PTE lock held.
 */
static bool lazyfree_ptes_redirtied(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep,
				    struct folio *folio, unsigned int max)
{
	unsigned int nr = folio_pte_batch(folio, ptep, max);

	wrprotect_ptes(vma->vm_mm, addr, ptep, nr);
	flush_tlb_range(vma->vm_mm, addr, addr + ((unsigned long)nr << PAGE_SHIFT));
	for (unsigned int i = 0; i < nr; i++) {
		if (pte_dirty(ptep_get(&ptep[i])))
			return true;
	}
	return false;
}

/*
 * Unmap folio's PTEs in vma, one PTE table at a time (a folio mapped
 * naturally aligned lies in one; one that mremap moved to an unaligned
 * address may straddle two): one lock per table, and one zap per batch of
 * consecutive pages (one rmap update each), one TLB flush for the VMA
 * before the references drop (mm/mmu_gather.h), each batch checked first
 * (lazyfree_ptes_redirtied).  False, with the rest of the folio left
 * mapped, at the first batch written again.
 */
static bool try_to_unmap_vma(struct folio *folio, struct vm_area_struct *vma)
{
	unsigned long i, end, addr;
	struct mmu_gather tlb;
	bool clean = true;

	rwsem_assert_held(&folio->mapping->root->rwsem);	/* the chain walked stays */
	if (!folio_vma_range(folio, vma, &i, &end, &addr))
		return true;
	tlb_gather_mmu(&tlb, vma->vm_mm);
	while (clean && i < end) {
		unsigned long n = min(end - i, (ALIGN_DOWN(addr, PTE_TABLE_SPAN) + PTE_TABLE_SPAN - addr) >> PAGE_SHIFT);
		spinlock_t *ptl;
		pte_t *ptep = pte_offset_map_lock(vma->vm_mm, addr, &ptl);

		for (unsigned long j = 0; ptep && clean && j < n; ) {
			unsigned long a = addr + (j << PAGE_SHIFT);
			pte_t pte = ptep_get(&ptep[j]);

			if (!pte_present(pte) || pte_pfn(pte) != folio_pfn(folio) + i + j)
				j++;
			else if (lazyfree_ptes_redirtied(vma, a, &ptep[j], folio, (unsigned int)(n - j)))
				clean = false;
			else
				j += zap_present_ptes(&tlb, vma, a, &ptep[j], (unsigned int)(n - j));	/* > 0: locked */
		}
		if (ptep)
			spin_unlock(ptl);
		i += n;
		addr += n << PAGE_SHIFT;
	}
	tlb_finish_mmu(&tlb);
	return clean;
}

bool try_to_unmap(struct folio *folio)
{
	struct list_head *pos;

	VM_BUG_ON_FOLIO(!folio_test_lazyfree(folio) || !folio_test_locked(folio), folio);
	if (!folio_mapped(folio))
		return true;
	if (!try_to_unmap_pmds(folio))	/* its own walk, under the lock too */
		return false;
	anon_vma_lock_read(folio->mapping);
	list_for_each(pos, &folio->mapping->chains) {
		if (!try_to_unmap_vma(folio, list_entry(pos, struct anon_vma_chain, same_anon_vma)->vma)) {
			anon_vma_unlock_read(folio->mapping);
			return false;
		}
	}
	anon_vma_unlock_read(folio->mapping);
	VM_BUG_ON_FOLIO(folio_mapped(folio), folio);
	return true;
}

static void count_pte(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep,
		      struct page *page, void *arg)
{
	(void)vma;
	(void)addr;
	(void)ptep;
	(void)page;
	(*(int *)arg)++;
}

/* A PMD mapping counts as the 512 PTEs it stands for (mm/huge_memory.c). */
static void count_pmd(struct vm_area_struct *vma, unsigned long addr, pmd_t *pmdp, void *arg)
{
	(void)vma;
	(void)addr;
	(void)pmdp;
	*(int *)arg += HPAGE_PMD_NR;
}

int folio_rmap_count(struct folio *folio)
{
	int n = 0;

	rmap_walk(folio, count_pte, &n);
	rmap_walk_pmd(folio, count_pmd, &n);
	return n;
}

#ifdef DEBUG_VM
/* Walks per folio before a mismatch is believed (debug_vm_check_folio_rmap). */
#define RMAP_CHECK_TRIES	4

void debug_vm_check_folio_rmap(struct folio *folio)
{
	int mapped = 0, found = 0;

	for (int i = 0; i < RMAP_CHECK_TRIES; i++) {
		mapped = folio_mapcount(folio);
		found = folio_rmap_count(folio);
		if (found == mapped)
			return;
		if (folio_mapcount(folio) != mapped)
			return;
	}
	bad_folio(__func__, folio, "rmap_walk finds %d PTEs, mapcount is %d", found, mapped);
}

void debug_vm_check_vma_rmap_overlap(struct vm_area_struct *vma)
{
	struct anon_vma *tree = vma_anon_vma_tree(vma);
	struct list_head *pos;

	if (!tree)
		return;
	rwsem_assert_held_write(&tree->root->rwsem);
	list_for_each(pos, &tree->root->chains) {
		struct vm_area_struct *other = list_entry(pos, struct anon_vma_chain, same_anon_vma)->vma;

		if (other != vma && other->vm_mm == vma->vm_mm &&
		    max(other->vm_start, vma->vm_start) < min(other->vm_end, vma->vm_end))
			panic("debug_vm_check_vma_rmap_overlap: VMAs %lx-%lx and %lx-%lx of one mm in one anon_vma tree",
			      vma->vm_start, vma->vm_end, other->vm_start, other->vm_end);
	}
}

/*
 * debug_vm_check_folio_rmap() on folio, which the caller got while a PTE or PMD
 * mapped it under that table's lock (now dropped), with the reference
 * taken there: locks it, checks, unlocks, drops the reference.  A folio
 * locked by someone else (a split or reclaim in progress) is skipped.
 */
static void check_folio_rmap_ref(struct folio *folio)
{
	if (folio_trylock(folio)) {
		debug_vm_check_folio_rmap(folio);
		folio_unlock(folio);
	}
	folio_put(folio);
}

/* The check above for the PTE at addr of mm; *last: the folio checked just before. */
static void check_pte_rmap(struct mm_struct *mm, unsigned long addr, struct folio **last)
{
	spinlock_t *ptl;
	pte_t *ptep = pte_offset_map_lock(mm, addr, &ptl);
	struct folio *folio = NULL;
	pte_t pte;

	if (!ptep)
		return;
	pte = ptep_get(ptep);
	if (pte_present(pte) && pte_pfn(pte) != page_to_pfn(zero_page)) {
		folio = page_folio_mapped(pfn_to_page(pte_pfn(pte)));	/* NULL: a split's, skipped */
		if (folio && folio != *last)
			folio_get(folio);	/* kept alive once the lock is dropped */
	}
	spin_unlock(ptl);	/* rmap_walk takes the PTE locks */
	if (!folio || folio == *last)
		return;
	*last = folio;
	check_folio_rmap_ref(folio);
}

/* The check for the PMD at pmdp, found huge without its lock: read again under it. */
static void check_pmd_rmap(struct mm_struct *mm, pmd_t *pmdp)
{
	struct folio *folio = NULL;
	pmd_t pmd;

	spin_lock(&mm->page_table_lock);
	pmd = pmdp_get(pmdp);
	if (pmd_trans_huge(pmd)) {
		folio = page_folio_mapped(&pmd_folio(pmd)->page);	/* NULL: a split's, skipped */
		if (folio)
			folio_get(folio);
	}
	spin_unlock(&mm->page_table_lock);
	if (folio)
		check_folio_rmap_ref(folio);
}

/*
 * DEBUG_VM: for every folio mapped in mm, the PTEs rmap_walk finds must
 * equal its mapcount.  Run at fork (child), exit and by the debug_vm_check
 * knob; panics with a dump.  Visits only the PMD blocks and PTE tables that
 * exist.  The caller keeps mm's VMAs and page tables in place (its
 * mmap_lock, or no task left that could change them); folios and PTEs may
 * still change under it (reclaim, other mms), which debug_vm_check_folio_rmap allows.
 */
void debug_vm_check_mm_rmap(struct mm_struct *mm)
{
	struct list_head *pos;

	list_for_each(pos, &mm->mmap) {
		struct vm_area_struct *vma = list_entry(pos, struct vm_area_struct, vm_list);
		unsigned long addr = vma->vm_start;
		struct folio *last = NULL;
		unsigned int nr;
		spinlock_t *ptl;
		pmd_t *pmdp;

		for (; (pmdp = pmd_next_huge(mm, &addr, vma->vm_end)); addr += PMD_SIZE)
			check_pmd_rmap(mm, pmdp);
		addr = vma->vm_start;
		while (pte_next_table_lock(mm, &addr, vma->vm_end, &nr, &ptl)) {
			spin_unlock(ptl);
			for (unsigned int i = 0; i < nr; i++, addr += PAGE_SIZE)
				check_pte_rmap(mm, addr, &last);
		}
	}
}
#endif
