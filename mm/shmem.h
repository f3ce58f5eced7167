/*
 * shmem.h - shared memory objects (mm/shmem.c): what MAP_SHARED|MAP_ANONYMOUS
 * and memfd_create (kernel/memfd.c) map.  docs/mm/shmem.md has the whole story.
 *
 * Lock legend: (K) the big kernel lock (kernel/smp_lock.h): the object is
 * shared by every mm that maps it, and each of them changes it under its
 * own mmap_lock only (mm/shmem.c, "SMP"); (c) constant.
 */
#ifndef MM_SHMEM_H
#define MM_SHMEM_H

#include "kernel/atomic.h"
#include "kernel/list.h"
#include "kernel/types.h"

struct folio;
struct mm_struct;
struct vm_area_struct;

#define SHMEM_NAME_MAX	256	/* "memfd:" + 249 bytes of name + NUL fits */

struct shmem_inode {
	int refcount;			/* (K) open files + VMAs (vm_shmem) */
	u64 size;			/* (K) i_size in bytes: pages at or past it fault SIGBUS */
	struct folio ***leaves;		/* (K) index -> folio, two levels: leaves[i / 512][i % 512] */
	unsigned long nr_leaves;	/* (K) slots of leaves[] */
	unsigned long nr_pages;		/* (K) folios held (Linux's info->alloced) */
	struct list_head i_mmap;	/* (K) every VMA mapping it (vm_shmem_link), shared or private */
	unsigned int seals;		/* (K) F_SEAL_* (kernel/memfd.c) */
	long charged;			/* (c) pages charged to overcommit at creation (shared anon) */
	u64 ino;			/* (c) for fstat and /proc/self/maps */
	char name[SHMEM_NAME_MAX];	/* (c) "dev/zero" or "memfd:<name>" (maps: "/%s (deleted)") */
};

/*
 * A new object of size bytes named name, holding one reference, its pages
 * all holes; charged pages of overcommit are the caller's (0 for memfd)
 * and are given back when the object goes.  NULL when out of memory.
 */
struct shmem_inode *shmem_inode_alloc(u64 size, const char *name, long charged);
/* One more reference (a VMA copied or split, a file opened on it). */
void shmem_get(struct shmem_inode *si);
/* Drop a reference; the last one frees every folio, the table and the charge. */
void shmem_put(struct shmem_inode *si);

/*
 * The folio at page index of si, allocated zeroed (order 0, not anonymous:
 * PG_swapbacked set, mapping = si, index = index) when it is a hole.  The
 * object keeps one reference; the caller gets none.  0 and *res, -EFAULT
 * when index lies at or past the end of the object (a fault: SIGBUS), or
 * -ENOMEM (the allocation may reclaim and call the OOM killer).
 * overwrite: the caller is about to write the whole page (Linux's
 * SGP_WRITE): a new folio is not zeroed first and SHMEM_FOLIO_UNZEROED is
 * returned; the caller must zero whatever part it did not write.
 */
#define SHMEM_FOLIO_UNZEROED	1
int shmem_get_folio(struct shmem_inode *si, unsigned long index, bool overwrite, struct folio **res);
/* The folio at index, or NULL for a hole (no allocation). */
struct folio *shmem_find_folio(const struct shmem_inode *si, unsigned long index);
/*
 * Resize (ftruncate): a larger size only grows the index table (-ENOMEM when
 * it cannot, nothing changed); a smaller one unmaps every page at or past
 * the new end from every VMA (private CoW copies too, as Linux's truncate)
 * and frees them; the part of the last page past the end is zeroed.
 */
int shmem_setsize(struct shmem_inode *si, u64 size);
/*
 * Punch a hole in [start, end) pages (MADV_REMOVE, fallocate's PUNCH_HOLE):
 * the pages leave every shared mapping (private mappings keep their CoW
 * copies) and the object; the next access reads zeros.
 */
void shmem_punch_hole(struct shmem_inode *si, unsigned long start, unsigned long end);

/*
 * MAP_SHARED|MAP_ANONYMOUS (Linux's shmem_zero_setup): a new object of
 * vma's length, charged to overcommit unless VM_NORESERVE, mapped by vma
 * (which holds its only reference).  0 or -ENOMEM with nothing changed.
 */
int shmem_zero_setup(struct vm_area_struct *vma);
/*
 * vma (vm_shmem set) maps si: link it / unlink it (vma.c on insert, copy,
 * split and free).  Each takes the big kernel lock for the list; a caller
 * changing a linked VMA holds it already (shmem_lock_range).
 */
void shmem_vma_link(struct vm_area_struct *vma);
void shmem_vma_unlink(struct vm_area_struct *vma);

/*
 * For an mm call that changes, splits or removes the VMAs of [start, end)
 * (mmap_lock held for writing): take the big kernel lock when one of them
 * maps a shmem object, whose list and VMAs other mms read under it; returns
 * whether it was taken, for shmem_unlock_range.  A call that maps no shmem
 * object there takes nothing.
 */
bool shmem_lock_range(struct mm_struct *mm, unsigned long start, unsigned long end);
void shmem_unlock_range(bool locked);

/* Is folio a shmem folio (Linux's folio_test_swapbacked && !folio_test_anon)? */
bool folio_test_shmem(const struct folio *folio);

/*
 * The fault on a none PTE of a VMA with vm_shmem (memory.c): a shared VMA,
 * or a read of a private one, maps the object's page (writable when the
 * VMA is shared and writable, dirty for a write); a write to a private
 * one copies the object's page into a new anonymous folio.  VM_FAULT_OK,
 * VM_FAULT_SIGBUS past the end of the object, VM_FAULT_OOM.
 */
int shmem_fault(struct vm_area_struct *vma, unsigned long addr, unsigned int flags);

/* Pages held by all shmem objects (Shmem in /proc/meminfo, nr_shmem in /proc/vmstat). */
extern atomic_long_t nr_shmem_pages;	/* mm/vmstat.h legend (a) */

#endif
