/*
 * folio.h - struct page, struct folio and the helpers that read them.
 *
 * Terms.  A *frame* is 4 KiB of physical RAM, named by its PFN.  The memmap
 * (mm/memmap.c) holds one `struct page` per frame from the lowest to the
 * highest RAM frame; frames in holes exist in the array but stay
 * PageReserved forever.  A *block* is 2^order frames starting at a PFN that
 * is a multiple of 2^order; the buddy allocator (mm/page_alloc.c) hands out
 * blocks.  A *folio* is an allocated block seen as one unit of memory
 * management: `struct folio` overlays the struct page of the block's first
 * frame (the *head*) and, for order >= 1, the second one (page[1]).  All
 * other struct pages of the block are *tails* that only say "my head is X,
 * the block has order N" plus their own per-page mapcount.
 *
 * Why two pages and not three: Linux keeps _deferred_list in page[2], which
 * an order-1 folio does not own; queueing an order-1 folio for deferred
 * split therefore scribbled over a neighbour's struct page (the RFC's
 * crash).  Here every folio-wide field lives in page[0] or page[1], and
 * sizeof(struct folio) == 2 * sizeof(struct page) is checked at compile time,
 * so no folio field can reach past page[1].  Fields that live in page[1]
 * are only touched through accessors that assert folio_test_large().
 * docs/mm/folio.md has the full table.
 *
 * Invariants (checked by memmap_check()):
 *   - a tail page has compound_head == head | 1 and compound_order == order
 *     of its block; head and order-0 pages have compound_head == 0;
 *   - an allocated head (or order-0 page) has _refcount > 0; tails have 0;
 *   - _mapcount is -1 ("unmapped") on every page that no PTE maps.
 *
 * Lock legend for struct page / struct folio fields:
 *   (b) buddy lock (zone_normal.lock) while the frame is free
 *   (o) owner: whoever holds a reference
 *   (a) atomic_t: changed only by atomic read-modify-writes (kernel/atomic.h),
 *       so two CPUs may take or drop references (or mappings under two
 *       PTE-table locks) at once
 *   (L) folio lock (PG_locked) for the anon mapping fields
 *   (c) constant while allocated
 *
 * flags: every PG_* bit of an allocated frame is set and cleared with an
 * atomic bit operation (kernel/bitops.h), so bits changed under different
 * locks (PG_referenced under the LRU lock, PG_anon_exclusive under a PTE
 * lock, PG_locked by anyone) never undo each other.  The whole word is
 * written plainly only where no other CPU can reach the frame: the buddy
 * allocator (zone lock, free or being handed out), the memmap at boot, and
 * mm/split.c's new folios (the old one locked, isolated and referenced only
 * by its mappings and the splitter).
 */
#ifndef MM_FOLIO_H
#define MM_FOLIO_H

#include "kernel/atomic.h"
#include "kernel/bitops.h"
#include "kernel/types.h"
#include "kernel/compiler.h"
#include "kernel/list.h"
#include "mm/debug_vm.h"
#include <asm/memory.h>

struct anon_vma;
struct shmem_inode;

/* Page flag bits.  Folio-wide bits live in the head page's flags. */
enum pageflags {
	PG_locked,		/* folio lock held (folio_lock below) */
	PG_reserved,		/* never given to the buddy allocator: hole, kernel, memmap */
	PG_buddy,		/* head of a free block; private = its order */
	PG_head,		/* head of an allocated block of order >= 1 ("large") */
	PG_lru,			/* on an LRU list through folio->lru */
	PG_active,		/* on the active LRU list */
	PG_referenced,		/* accessed since the last LRU scan */
	PG_dirty,		/* contents differ from backing store (none for anon yet) */
	PG_anon,		/* anonymous memory; mapping is a struct anon_vma * */
	PG_swapbacked,		/* anon that needs swap to be reclaimed; clear = lazyfree */
	PG_partially_mapped,	/* large folio with some pages unmapped: split candidate */
	PG_reservation,		/* anon large folio whose unmapped pages were never mapped (mm/anon_reserve.h) */
	PG_anon_exclusive,	/* per page: mapped by exactly one process, safe to reuse */
	PG_poisoned,		/* free frame filled with PAGE_POISON (DEBUG_VM); boot frames are not */
	PG_zeroed,		/* free head: every frame of the block is zero (mm/page_alloc.c);
				 * allocated head: handed out so by __GFP_PREZERO, the caller's to clear */
	PG_arch_1,		/* the arch's (Linux's name): arm64's PG_dcache_clean, the folio's
				 * D-cache cleaned and I-cache invalidated for an exec mapping */
	PG_waiters,		/* a task sleeps in folio_lock: folio_unlock wakes it (mm/folio_lock.c) */
	__NR_PAGEFLAGS
};

/*
 * One per frame; 64 bytes.  Meaning of each field depends on the frame's
 * state (free head, free interior, allocated head, tail, reserved).
 */
struct page {
	unsigned long flags;		/* (b/o) PG_* bits */
	unsigned long compound_head;	/* (c) tail: head | 1; otherwise 0 */
	union {
		struct list_head lru;		/* (o) head: LRU or the owner's list */
		struct list_head buddy_list;	/* (b) free head: free_area list */
	};
	void *mapping;			/* (L) head: struct anon_vma * when PG_anon, struct shmem_inode * for shmem */
	unsigned long index;		/* (L) head: linear page index in the anon_vma */
	union {
		unsigned long private;		/* (b) free head: order of the free block */
		unsigned long compound_order;	/* (c) tail: order of its block */
	};
	atomic_t _mapcount;		/* (a) PTEs mapping this frame, minus 1 */
	atomic_t _refcount;		/* (a) head: references */
};

/*
 * The folio view of an allocated block.  The first union is page[0]; the
 * second is page[1] and is valid only when folio_test_large().  The
 * FOLIO_MATCH checks below pin each name to the struct page field it
 * overlays.
 */
struct folio {
	union {
		struct {
			unsigned long flags;		/* (o) PG_* of the folio */
			unsigned long _head_0;		/* always 0: a head is no tail */
			struct list_head lru;		/* (o) LRU link (PG_lru) */
			union {
				struct anon_vma *mapping;	/* (L) PG_anon: its anon_vma */
				struct shmem_inode *shmem;	/* (L) shmem: its object (mm/shmem.h) */
			};
			unsigned long index;		/* (L) anon: page index in the anon_vma; shmem: in the object */
			unsigned long private;		/* (o) owner's use */
			atomic_t _mapcount;		/* (a) page[0]'s own mapcount */
			atomic_t _refcount;		/* (a) folio references */
		};
		struct page page;
	};
	union {
		struct {
			unsigned long _flags_1;		/* page[1]'s per-page flags */
			unsigned long _head_1;		/* (c) page[1] is a tail: head | 1 */
			struct list_head _deferred_list; /* (o) deferred split queue link */
			atomic_t _large_mapcount;	/* (a) sum of page mapcounts, minus 1 */
			atomic_t _nr_pages_mapped;	/* (a) pages with mapcount >= 0 */
			atomic_t _entire_mapcount;	/* (a) PMD mappings, minus 1 */
			atomic_t _pincount;		/* (a) FOLL_PIN references */
			unsigned long _folio_order;	/* (c) = page[1].compound_order */
			atomic_t _mapcount_1;		/* (a) page[1]'s own mapcount */
			atomic_t _refcount_1;		/* always 0: tail */
		};
		struct page __page_1;
	};
};

#define FOLIO_MATCH(pg, fl) \
	BUILD_BUG_ON(__builtin_offsetof(struct page, pg) != __builtin_offsetof(struct folio, fl))
#define FOLIO_MATCH1(pg, fl) \
	BUILD_BUG_ON(__builtin_offsetof(struct page, pg) + sizeof(struct page) != \
		     __builtin_offsetof(struct folio, fl))
FOLIO_MATCH(flags, flags);
FOLIO_MATCH(compound_head, _head_0);
FOLIO_MATCH(lru, lru);
FOLIO_MATCH(mapping, mapping);
FOLIO_MATCH(index, index);
FOLIO_MATCH(private, private);
FOLIO_MATCH(_mapcount, _mapcount);
FOLIO_MATCH(_refcount, _refcount);
FOLIO_MATCH1(flags, _flags_1);
FOLIO_MATCH1(compound_head, _head_1);
FOLIO_MATCH1(compound_order, _folio_order);
FOLIO_MATCH1(_mapcount, _mapcount_1);
FOLIO_MATCH1(_refcount, _refcount_1);
BUILD_BUG_ON(sizeof(struct page) > 64);
/* The order-1 guarantee: a folio never reaches past its second page. */
BUILD_BUG_ON(sizeof(struct folio) != 2 * sizeof(struct page));

/* ---- memmap: PFN <-> struct page <-> address (FLATMEM) ---- */

extern struct page *mem_map;		/* (c) after memmap_init() */
extern unsigned long memmap_start_pfn;	/* (c) first PFN with a struct page */
extern unsigned long memmap_end_pfn;	/* (c) one past the last */

static inline bool pfn_valid(unsigned long pfn)
{
	return pfn >= memmap_start_pfn && pfn < memmap_end_pfn;
}

static inline struct page *pfn_to_page(unsigned long pfn)
{
	VM_BUG_ON(!pfn_valid(pfn));
	return mem_map + (pfn - memmap_start_pfn);
}

static inline unsigned long page_to_pfn(const struct page *page)
{
	return (unsigned long)(page - mem_map) + memmap_start_pfn;
}

static inline void *page_address(const struct page *page)
{
	return __va((phys_addr_t)page_to_pfn(page) << PAGE_SHIFT);
}

/* addr must be in the direct map. */
static inline struct page *virt_to_page(const void *addr)
{
	return pfn_to_page(__pa(addr) >> PAGE_SHIFT);
}

/* ---- flags ---- */

#define PAGE_FLAG(Name, bit) \
static inline bool Page##Name(const struct page *p) { return test_bit(bit, &p->flags); } \
static inline void SetPage##Name(struct page *p) { set_bit(bit, &p->flags); } \
static inline void ClearPage##Name(struct page *p) { clear_bit(bit, &p->flags); }

#define FOLIO_FLAG(name, bit) \
static inline bool folio_test_##name(const struct folio *f) { return test_bit(bit, &f->flags); } \
static inline void folio_set_##name(struct folio *f) { set_bit(bit, &f->flags); } \
static inline void folio_clear_##name(struct folio *f) { clear_bit(bit, &f->flags); }

/* A frame's state flags: all but PG_poisoned, which is DEBUG_VM bookkeeping of free frames. */
static inline unsigned long page_state_flags(const struct page *page)
{
	return page->flags & ~BIT(PG_poisoned);
}

PAGE_FLAG(Reserved, PG_reserved)
PAGE_FLAG(Buddy, PG_buddy)
PAGE_FLAG(Head, PG_head)
PAGE_FLAG(AnonExclusive, PG_anon_exclusive)
PAGE_FLAG(Zeroed, PG_zeroed)

FOLIO_FLAG(lru, PG_lru)
FOLIO_FLAG(active, PG_active)
FOLIO_FLAG(referenced, PG_referenced)
FOLIO_FLAG(dirty, PG_dirty)
FOLIO_FLAG(anon, PG_anon)
FOLIO_FLAG(swapbacked, PG_swapbacked)
FOLIO_FLAG(arch_1, PG_arch_1)
FOLIO_FLAG(reservation, PG_reservation)

static inline bool folio_test_locked(const struct folio *f)
{
	return test_bit(PG_locked, &f->flags);
}

static inline bool folio_test_large(const struct folio *f)
{
	return test_bit(PG_head, &f->flags);
}

/* Linux's definition: anon memory that may be dropped without swap (MADV_FREE). */
static inline bool folio_test_lazyfree(const struct folio *f)
{
	return folio_test_anon(f) && !folio_test_swapbacked(f);
}

/* partially_mapped is only meaningful for large folios. */
static inline bool folio_test_partially_mapped(const struct folio *f)
{
	return test_bit(PG_partially_mapped, &f->flags);
}

static inline void folio_set_partially_mapped(struct folio *f)
{
	VM_BUG_ON_FOLIO(!folio_test_large(f), f);
	set_bit(PG_partially_mapped, &f->flags);
}

static inline void folio_clear_partially_mapped(struct folio *f)
{
	clear_bit(PG_partially_mapped, &f->flags);
}

/*
 * Did the allocator hand this fresh folio out known zero (__GFP_PREZERO)?
 * Consumes the mark: the caller zeroes the folio itself when this is false.
 */
static inline bool folio_test_clear_zeroed(struct folio *f)
{
	return test_and_clear_bit(PG_zeroed, &f->flags);
}

/* ---- compound structure ---- */

static inline bool PageTail(const struct page *page)
{
	return page->compound_head & 1;
}

/* One read of the link: a split (mm/split.c) rewrites it while PTEs map the page. */
static inline struct page *compound_head(const struct page *page)
{
	unsigned long head = READ_ONCE(page->compound_head);

	if (head & 1)
		return (struct page *)(head - 1);
	return (struct page *)page;
}

static inline struct folio *page_folio(const struct page *page)
{
	return (struct folio *)compound_head(page);
}

static inline struct page *folio_page(struct folio *folio, unsigned long n)
{
	return &folio->page + n;
}

static inline unsigned int folio_order(const struct folio *folio)
{
	return folio_test_large(folio) ? (unsigned int)folio->_folio_order : 0;
}

static inline unsigned long folio_nr_pages(const struct folio *folio)
{
	return 1UL << folio_order(folio);
}

static inline unsigned long folio_pfn(const struct folio *folio)
{
	return page_to_pfn(&folio->page);
}

static inline void *folio_address(const struct folio *folio)
{
	return page_address(&folio->page);
}

static inline unsigned long folio_size(const struct folio *folio)
{
	return PAGE_SIZE << folio_order(folio);
}

/* Deferred split link; only large folios own page[1]. */
static inline struct list_head *folio_deferred_list(struct folio *folio)
{
	VM_BUG_ON_FOLIO(!folio_test_large(folio), folio);
	return &folio->_deferred_list;
}

/* ---- references and mappings ---- */

static inline int page_ref_count(const struct page *page)
{
	return atomic_read(&page->_refcount);
}

static inline int folio_ref_count(const struct folio *folio)
{
	return atomic_read(&folio->_refcount);
}

/* Take a reference; the caller must already hold one. */
/* Take nr more references (one per PTE when a folio gets mapped by nr PTEs). */
static inline void folio_ref_add(struct folio *folio, int nr)
{
	VM_BUG_ON_FOLIO(atomic_read(&folio->_refcount) <= 0, folio);
	atomic_add(nr, &folio->_refcount);
}

static inline void folio_get(struct folio *folio)
{
	VM_BUG_ON_FOLIO(atomic_read(&folio->_refcount) <= 0, folio);
	atomic_inc(&folio->_refcount);
}

/*
 * A large folio being split (mm/split.c) has FOLIO_REF_SPLITTING added to
 * its reference count from the moment the split begins until it fails or
 * its pieces are published; the pieces' counts read 0 until then.  No new
 * reference can be taken meanwhile (folio_try_get, page_folio_mapped).
 * Far above any real count: a pin of an order-0 folio is 1024 references.
 */
#define FOLIO_REF_SPLITTING	(1 << 30)

static inline bool folio_ref_frozen(int count)
{
	return count <= 0 || count >= FOLIO_REF_SPLITTING;
}

/*
 * Take a reference unless the folio has none (another CPU is freeing it)
 * or is being split: for finders that hold no reference yet, under the
 * lock of the list they found it on (Linux's folio_try_get).
 */
static inline bool folio_try_get(struct folio *folio)
{
	int count = atomic_read(&folio->_refcount);

	do {
		if (folio_ref_frozen(count))
			return false;
	} while (!atomic_try_cmpxchg(&folio->_refcount, &count, count + 1));
	return true;
}

/*
 * page_folio() for a caller holding the lock of a PTE (or PMD) that maps
 * page, before it changes the folio's mappings (unmap, fork, map more of
 * it), takes a reference on it or reads its counts: the folio, which no
 * split can change until that lock is dropped (a split waits for every
 * such lock after it begins: mm/split.c); NULL while a split of it is in
 * progress, when the caller drops its lock, calls folio_split_wait() and
 * tries again.  The folio is read again after its count so that a split
 * finished meanwhile is not missed (its pieces are published last).
 */
static inline struct folio *page_folio_mapped(struct page *page)
{
	for (;;) {
		struct folio *folio = page_folio(page);

		if (folio_ref_frozen(atomic_read_acquire(&folio->_refcount)))
			return NULL;
		if (page_folio(page) == folio)
			return folio;
	}
}

/* After page_folio_mapped() said NULL, no spinlock held: let the split finish (mm/split.c). */
void folio_split_wait(void);

/* Drop a reference; the last one frees the folio (mm/page_alloc.c). */
void folio_put(struct folio *folio);

/* Drop nr references at once (nr PTEs unmapped); frees the folio on the last. */
static inline void folio_put_refs(struct folio *folio, int nr)
{
	VM_BUG_ON_FOLIO(atomic_read(&folio->_refcount) < nr, folio);
	atomic_sub(nr - 1, &folio->_refcount);
	folio_put(folio);
}

/*
 * FOLL_PIN pins (mm/gup.c), Linux's scheme: a large folio counts them in
 * _pincount (and each also holds a reference); an order-0 folio, which has
 * no page[1], takes GUP_PIN_COUNTING_BIAS references per pin.
 */
#define GUP_PIN_COUNTING_BIAS	1024

/*
 * May someone hold folio by a pin (and read or write its pages behind the
 * PTEs)?  Exact for large folios; for order 0 a false positive needs 1024
 * ordinary references.  CoW reuse, split and reclaim leave such a folio alone,
 * and fork copies its exclusive pages for the child (mm/memory.c).
 */
static inline bool folio_maybe_dma_pinned(const struct folio *folio)
{
	if (folio_test_large(folio))
		return atomic_read(&folio->_pincount) > 0;
	return atomic_read(&folio->_refcount) >= GUP_PIN_COUNTING_BIAS;
}

/* Number of PTE (and PMD) mappings of the whole folio. */
static inline int folio_mapcount(const struct folio *folio)
{
	if (!folio_test_large(folio))
		return atomic_read(&folio->_mapcount) + 1;
	return atomic_read(&folio->_large_mapcount) + 1;
}

static inline bool folio_mapped(const struct folio *folio)
{
	return folio_mapcount(folio) > 0;
}

/* Mappings of one page (its own count, whatever the folio size). */
static inline int page_mapcount(const struct page *page)
{
	return atomic_read(&page->_mapcount) + 1;
}

/*
 * ---- the folio lock: a sleeping bit lock (PG_locked; mm/folio_lock.c) ----
 *
 * Lock order (kernel/spinlock.h): mmap_lock > folio lock > anon_vma lock >
 * PTE-table lock.  folio_lock may sleep, so it is never taken with a
 * spinlock held (might_sleep); a path holding one (a PTE lock, the LRU or
 * deferred-split lock) uses folio_trylock and backs off, as Linux's do.
 * The caller holds a reference on the folio while it waits and while it
 * holds the lock.
 */

/* Take the lock if free: true when taken (test_and_set_bit_lock: acquire). */
static inline bool folio_trylock(struct folio *folio)
{
	return !test_and_set_bit_lock(PG_locked, &folio->flags);
}

/* Sleep (TASK_UNINTERRUPTIBLE) until the lock is ours; process context, no spinlock held. */
void folio_lock(struct folio *folio);

/* Wake the task sleeping longest on folio's lock (PG_waiters set); mm/folio_lock.c. */
void folio_wake_bit(struct folio *folio);

/*
 * Release the lock (clear_bit_unlock: the critical section is visible
 * first) and wake a waiter if one sleeps.  Panics (bad_folio) when it is
 * not locked.  Never sleeps: callable under a spinlock.
 */
static inline void folio_unlock(struct folio *folio)
{
	if (!folio_test_locked(folio))
		bad_folio(__func__, folio, "not locked");
	clear_bit_unlock(PG_locked, &folio->flags);
	smp_mb();	/* the clear before the PG_waiters read (folio_lock's pairs it) */
	if (test_bit(PG_waiters, &folio->flags))
		folio_wake_bit(folio);
}

#endif
