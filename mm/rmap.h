/*
 * rmap.h - reverse-map accounting of anonymous folios: who maps which page.
 *
 * Linux's rules (see docs/mm/folio.md): each PTE mapping a page of a folio
 * holds one folio reference and counts in that page's _mapcount; a large
 * folio also keeps _large_mapcount (sum over its pages) and _nr_pages_mapped
 * (pages with at least one mapping).  A folio mapped by fewer PTEs than it
 * has pages is partially mapped.
 */
#ifndef MM_RMAP_H
#define MM_RMAP_H

#include "mm/mm.h"
#include "mm/mm_types.h"

/*
 * A freshly allocated anon folio becomes mapped by nr_pages(folio) PTEs
 * starting at address addr of vma: PG_anon, anon_vma and index set, every
 * page's mapcount 1 and AnonExclusive.  The caller owns the allocation
 * reference and adds one per PTE minus that one.  PTE-table lock held.
 */
void folio_add_new_anon_rmap(struct folio *folio, struct vm_area_struct *vma, unsigned long addr);
/*
 * The same for a fresh folio of which only pages [first, first + nr) are
 * mapped now (a reservation, mm/anon_reserve.c): addr is still the address
 * of the folio's first page; the other pages keep mapcount -1.
 */
void folio_add_new_anon_rmap_ptes(struct folio *folio, struct vm_area_struct *vma, unsigned long addr,
				  unsigned long first, unsigned long nr);
/*
 * nr PTEs of this process now map pages [page, page + nr) of anon folio,
 * pages nobody mapped (mapcount -1): each becomes mapcount 0 and
 * AnonExclusive (Linux's folio_add_anon_rmap_ptes with RMAP_EXCLUSIVE).
 * The caller adds one reference per PTE.  PTE-table lock held.
 */
void folio_add_anon_rmap_ptes(struct folio *folio, struct page *page, int nr);
/*
 * nr more PTEs map pages [page, page + nr) of a shmem folio (order 0:
 * a fault, or fork copying a private mapping's PTEs), as Linux's
 * folio_add_file_rmap_ptes.  The caller holds a reference per PTE.
 */
void folio_add_file_rmap_ptes(struct folio *folio, struct page *page, int nr);
/* nr more PTEs (fork: the child's copies) map pages [page, page + nr) of folio. */
void folio_dup_anon_rmap_ptes(struct folio *folio, struct page *page, int nr);
/*
 * nr PTEs mapping pages [page, page + nr) of folio are gone (the caller
 * drops their references).  When this unmaps some page of a large folio
 * entirely while others stay mapped, the folio is partially mapped: queued
 * for a deferred split (once; counted in split_deferred) and reported to
 * the policy (anon_order_note_partial_unmap on vma: the VMA the PTEs were
 * in, or the one that keeps the rest of the folio when the zap knows it,
 * memory.c's zap_feedback_vma; NULL: nobody, because a CoW fault copied
 * the pages, which is not sparse use).  A large folio nobody maps any more leaves
 * the queue.  PTE-table lock held.
 */
void folio_remove_rmap_ptes(struct folio *folio, struct page *page, int nr,
			    struct vm_area_struct *vma);



/*
 * The anon_vma reverse map.  Each VMA that has anonymous folios has an
 * anon_vma; fork links the child's VMA to every anon_vma of the parent's
 * (through anon_vma_chain entries) and gives it one of its own, so
 * rmap_walk() over a folio's anon_vma reaches every VMA that may map it.
 *
 * Locking (Linux's): one reader-writer semaphore per fork tree, the root
 * anon_vma's rwsem.  Changes of any chains list of the tree (fork, VMA
 * split, merge, munmap and exit: anon_vma_clone/fork/move, unlink_anon_vmas)
 * take it for writing (anon_vma_lock_write), the walks (rmap_walk,
 * rmap_walk_pmd, try_to_unmap: split, reclaim, MADV_FREE's split, the
 * policy's feedback) for reading.  Lock order (kernel/spinlock.h):
 * mmap_lock > folio lock > anon_vma lock > PTE lock; a walk takes the PTE
 * locks inside it.
 *
 * Lifetime: refcount (atomic) counts the chains linking VMAs here, the
 * anon folios whose mapping it is (folio_add_new_anon_rmap, each piece of
 * a split; dropped when the folio is freed) and, on a root, the other
 * anon_vmas of its tree; the last put frees it.  So a walker holding a
 * reference on a folio finds its anon_vma, and that one's root, alive
 * whatever munmap or exit do on other CPUs meanwhile.
 */
struct anon_vma {
	struct anon_vma *root;		/* (c) the anon_vma at the top of this fork tree */
	atomic_t refcount;		/* (a) chains, folios, and (root) the tree's anon_vmas */
	struct rw_semaphore rwsem;	/* root only: the tree's chains lists */
	struct list_head chains;	/* (rwsem) anon_vma_chain.same_anon_vma */
};

/* Chain changes: the tree's rwsem for writing (Linux's anon_vma_lock_write). */
static inline void anon_vma_lock_write(struct anon_vma *av) { down_write(&av->root->rwsem); }
static inline void anon_vma_unlock_write(struct anon_vma *av) { up_write(&av->root->rwsem); }
/* rmap walks: for reading (Linux's anon_vma_lock_read). */
static inline void anon_vma_lock_read(struct anon_vma *av) { down_read(&av->root->rwsem); }
static inline void anon_vma_unlock_read(struct anon_vma *av) { up_read(&av->root->rwsem); }
/*
 * Around a change of vma's vm_start, vm_end or vm_pgoff (split, merge, stack
 * growth): the tree its chains are in, locked for writing, so an rmap walk
 * never computes an address from a half-changed VMA or finds a page in no
 * VMA's range (Linux's vma_prepare / vma_complete).  NULL (nothing locked)
 * when vma is on no chain.
 */
struct anon_vma *vma_rmap_lock(struct vm_area_struct *vma);
void vma_rmap_unlock(struct anon_vma *tree);
/* A folio piece (mm/split.c) takes a reference on the anon_vma it points to. */
static inline void get_anon_vma(struct anon_vma *av) { atomic_inc(&av->refcount); }

struct anon_vma_chain {
	struct vm_area_struct *vma;
	struct anon_vma *anon_vma;
	struct list_head same_vma;	/* in vma->anon_vma_chain */
	struct list_head same_anon_vma;	/* in anon_vma->chains */
};

/* Give vma an anon_vma before its first anon folio (mmap_lock read is enough); 0 or -ENOMEM. */
int anon_vma_prepare(struct vm_area_struct *vma);
/* fork: link child vma dst to src's anon_vmas and a fresh one of its own; 0 or -ENOMEM. */
int anon_vma_fork(struct vm_area_struct *dst, struct vm_area_struct *src);
/* vma split: dst (a copy of src) joins every anon_vma src is on; 0 or -ENOMEM. */
int anon_vma_clone(struct vm_area_struct *dst, struct vm_area_struct *src);
/*
 * VMA merge: dst (no anon_vma, no chains) takes over src's anon_vma and
 * every chain of src, which is left with none (about to be freed).  Never
 * allocates, so a merge cannot fail.  The caller guarantees the page
 * offsets line up (dst->vm_pgoff + pages before src == src->vm_pgoff), so
 * folio->index - vm_pgoff still finds every folio of src.  src's tree
 * locked for writing (vma_rmap_lock(src)): walkers read avc->vma.
 */
void anon_vma_move(struct vm_area_struct *dst, struct vm_area_struct *src);
/* vma removal: drop its chains (and anon_vmas nobody needs any more). */
void unlink_anon_vmas(struct vm_area_struct *vma);

/*
 * Call fn(vma, addr, ptep, page, arg) for every PTE, in every mm, that maps
 * a page of folio (anonymous: through its anon_vma; shmem: its object's
 * VMAs).  PTE-table lock held around each call.  PMD mappings are not
 * PTEs: rmap_walk_pmd (mm/huge_mm.h) visits those.
 */
void rmap_walk(struct folio *folio,
	       void (*fn)(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep,
			  struct page *page, void *arg),
	       void *arg);
/*
 * Wait out every page-table critical section that may be changing folio's
 * mappings or references now: take and drop, in every VMA that may map
 * folio, its mm's PMD lock (page_table_lock) and the lock of each PTE table
 * at folio's addresses.  mm/split.c's freeze calls it after marking the
 * count: a section that looked at the folio before the mark is over when
 * this returns, and one that looks after it sees the mark.  The caller
 * holds the (anonymous) folio's lock and its anon_vma lock for reading; no
 * page-table lock.
 */
void rmap_sync_page_table_locks(struct folio *folio);
/*
 * Unmap folio from every PTE that maps it, in every mm (reclaim of a clean
 * lazyfree folio: Linux's try_to_unmap, the discard case), dropping the
 * PTEs' references and rss.  A folio mapped whole in a VMA leaves it in one
 * rmap update, so it never looks partially mapped on the way.  The caller
 * holds the folio lock and a reference; no PTE-table lock held.  Returns
 * false when a PTE was found written since MADV_FREE (another CPU's write
 * through its TLB after reclaim looked: Linux's "redirtied" abort): the
 * pages not unmapped yet stay mapped (their data kept), and the caller
 * makes the folio swapbacked again.  PMD mappings get the same check
 * (try_to_unmap_pmds).
 */
bool try_to_unmap(struct folio *folio);
#ifdef DEBUG_VM
void debug_vm_check_mm_rmap(struct mm_struct *mm);
/*
 * rmap_walk must find as many PTEs (a PMD: 512) as folio's mapcount says,
 * else bad_folio().  Caller: a reference and the folio lock (split, reclaim
 * and MADV_FREE's split leave it alone).  Other mms mapping the folio
 * (shared after fork, or shmem) still map and unmap it meanwhile under
 * their own PTE-table locks, none held here, so one walk may find a PTE the
 * mapcount read before it did not count, or miss one it did.  A walk counts
 * as a mismatch only when the mapcount read before and after it agree; the
 * report needs RMAP_CHECK_TRIES such walks in a row.  A folio whose mapcount
 * moves during every walk is given up on: it is being changed, not corrupt.
 */
void debug_vm_check_folio_rmap(struct folio *folio);
/*
 * No other VMA of vma's mm in the anon_vma tree overlaps vma, else BUG: an
 * rmap walk would find the PTEs there twice (once per VMA).  A VMA split,
 * merge or clone leaves the tree's write lock only in that state.  The
 * tree locked for writing; costs one pass over the root's chains (every VMA
 * of the tree is chained to its root).
 */
void debug_vm_check_vma_rmap_overlap(struct vm_area_struct *vma);
#else
static inline void debug_vm_check_mm_rmap(struct mm_struct *mm) { (void)mm; }
static inline void debug_vm_check_folio_rmap(struct folio *folio) { (void)folio; }
static inline void debug_vm_check_vma_rmap_overlap(struct vm_area_struct *vma) { (void)vma; }
#endif
/*
 * How many PTEs map folio, as rmap_walk finds them, a PMD mapping counting
 * 512 (DEBUG_VM checks it against the mapcounts).
 */
int folio_rmap_count(struct folio *folio);

#endif
