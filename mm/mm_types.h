/*
 * mm_types.h - address spaces (mm_struct) and their regions (vm_area_struct).
 *
 * An mm is a page-table root plus its VMAs, never overlapping, each
 * [vm_start, vm_end) page aligned, kept twice: a list sorted by address
 * (mm->mmap: walks and neighbours) and a red-black tree keyed by vm_end
 * (mm->mm_rb: find_vma in O(log n)); mm/vma.c keeps the two in step.  VMAs
 * that touch and agree (flags, page offset, anon_vma: mm/vma.c) are merged;
 * mprotect/munmap split them.  Anonymous memory (private, zero-filled,
 * copy-on-write after fork) and shmem objects (vm_shmem, mm/shmem.h:
 * MAP_SHARED|MAP_ANONYMOUS and memfd mappings, shared or private).
 *
 * Lock legend: (m) mm->mmap_lock held; (p) the PTE table's lock
 * (pte_lockptr) for PTE contents; (P) mm->page_table_lock (Linux's
 * pmd_lock) for PMD contents and the deposited PTE tables; (K) the big
 * kernel lock (kernel/smp_lock.h); (c) constant.
 * Lock order: kernel/spinlock.h.
 */
#ifndef MM_MM_TYPES_H
#define MM_MM_TYPES_H

#include "kernel/atomic.h"
#include "kernel/cpumask.h"
#include "kernel/list.h"
#include "kernel/rwsem.h"
#include "kernel/spinlock.h"
#include "kernel/types.h"
#include "mm/rbtree.h"
#include <asm/mmu.h>
#include <asm/pgtable.h>

/* vm_flags: Linux's values. */
#define VM_NONE		0x00000000UL
#define VM_READ		0x00000001UL
#define VM_WRITE	0x00000002UL
#define VM_EXEC		0x00000004UL
#define VM_SHARED	0x00000008UL
#define VM_MAYREAD	0x00000010UL
#define VM_MAYWRITE	0x00000020UL
#define VM_MAYEXEC	0x00000040UL
#define VM_MAYSHARE	0x00000080UL	/* MAP_SHARED asked (with VM_SHARED: foliOS has no read-only fds to drop it) */
#define VM_GROWSDOWN	0x00000100UL
#define VM_LOCKED	0x00002000UL	/* mlock: populated, never reclaimed (mm/mlock.c) */
#define VM_IO		0x00004000UL	/* never set for anonymous memory; MADV_DOFORK refuses it */
#define VM_DONTCOPY	0x00020000UL	/* MADV_DONTFORK: fork leaves it out of the child */
#define VM_DONTEXPAND	0x00040000UL
#define VM_LOCKONFAULT	0x00080000UL	/* with VM_LOCKED: MLOCK_ONFAULT, pages locked as they fault */
#define VM_ACCOUNT	0x00100000UL	/* its pages count in Committed_AS (mm/overcommit.h) */
#define VM_NORESERVE	0x00200000UL	/* MAP_NORESERVE (outside strict overcommit): not charged */
#define VM_WIPEONFORK	0x02000000UL	/* MADV_WIPEONFORK: the child gets it empty (zeros) */
#define VM_DONTDUMP	0x04000000UL	/* MADV_DONTDUMP (no core dumps yet: a flag only) */
#define VM_SOFTDIRTY	0x08000000UL	/* every page reads soft-dirty until clear_refs 4 (docs/mm/soft-dirty.md) */
#define VM_HUGEPAGE	0x20000000UL	/* MADV_HUGEPAGE */
#define VM_NOHUGEPAGE	0x40000000UL	/* MADV_NOHUGEPAGE */
#define VM_MERGEABLE	0x80000000UL	/* MADV_MERGEABLE (no KSM: a flag only) */

#define VM_ACCESS_FLAGS	(VM_READ | VM_WRITE | VM_EXEC)
#define VM_LOCKED_MASK	(VM_LOCKED | VM_LOCKONFAULT)

struct anon_vma;
struct anon_policy;
struct shmem_inode;

struct vm_area_struct {
	unsigned long vm_start;		/* (m) first byte */
	unsigned long vm_end;		/* (m) first byte after */
	unsigned long vm_flags;		/* (m) VM_* */
	pgprot_t vm_page_prot;		/* (m) PTE bits for vm_flags (write bit added on write faults) */
	unsigned long vm_pgoff;		/* (m) page index of vm_start in the anon_vma */
	struct mm_struct *vm_mm;	/* (c) */
	struct anon_vma *anon_vma;	/* (m) reverse map; NULL until the first anon folio */
	struct list_head anon_vma_chain; /* (m) anon_vma_chain.same_vma: every anon_vma we are on */
	struct list_head vm_list;	/* (m) in mm->mmap, sorted */
	struct rb_node vm_rb;		/* (m) in mm->mm_rb, by vm_end */
	/*
	 * (m, and written by faults under mmap_lock read: a single word, so a
	 * racing fault's update may be lost, never torn) the order policy's
	 * word, valid while policy_owner is the current policy (mm/policy/policy.h)
	 */
	unsigned long policy_state;
	const struct anon_policy *policy_owner;	/* (m) the policy that wrote policy_state, or NULL */
	struct shmem_inode *vm_shmem;	/* (m) the shmem object mapped (mm/shmem.h; Linux's vm_file), or NULL */
	struct list_head vm_shmem_link;	/* (K) in vm_shmem->i_mmap; a VMA on it changes under the BKL too (mm/shmem.h) */
};

/*
 * The resident-set counters (Linux's rss_stat, mm_counter): pages mapped
 * by this mm's PTEs and PMDs, by kind.  Faults of one mm under different
 * PTE-table locks change them at once, so they are atomic (Linux's are
 * per-CPU counters summed when read; the smp step may do the same).
 */
enum {
	MM_ANONPAGES,		/* anonymous pages (RssAnon) */
	MM_SHMEMPAGES,		/* shmem pages (RssShmem) */
	NR_MM_COUNTERS
};

struct mm_struct {
	phys_addr_t pgd;		/* (c) page-table root (physical) */
	struct list_head mmap;		/* (m) VMAs sorted by vm_start */
	struct rb_root mm_rb;		/* (m) the same VMAs, a tree keyed by vm_end */
	int map_count;			/* (m) number of VMAs (vm.max_map_count bounds it) */
	struct rw_semaphore mmap_lock;	/* (c) faults read, VMA changes write (kernel/rwsem.h) */
	int mm_users;			/* references (tasks) */
	atomic_t mm_count;		/* (a) references to the struct and root: the users' one and each CPU's loaded_mm (mmgrab) */

	unsigned long start_brk, brk;	/* (m) heap: [start_brk, brk) */
	unsigned long start_stack;	/* (m) initial user stack pointer region */
	unsigned long start_code, end_code, start_data, end_data; /* (c) the ELF segments (execve, as Linux's) */
	unsigned long arg_start, arg_end, env_start, env_end;	/* (c) argv and envp strings on the stack */
	unsigned long mmap_base;	/* (c) top of the top-down mmap area */
	unsigned long stack_limit;	/* (c) maximum stack size (RLIMIT_STACK) */
	unsigned long def_flags;	/* (m) VM_LOCKED_MASK bits every new VMA gets (mlockall MCL_FUTURE) */

	unsigned long total_vm;		/* (m) pages of every VMA (VmSize), kept by mm/vma.c */
	unsigned long hiwater_vm;	/* (m) peak of total_vm before it last fell (VmPeak) */
	atomic_long_t rss_stat[NR_MM_COUNTERS];	/* (a) resident pages by kind: get_mm_counter() */
	atomic_long_t hiwater_rss;	/* (a) peak of MM_ANONPAGES before it last fell (VmHWM): an atomic maximum */
	spinlock_t page_table_lock;	/* the PMD lock (mm/huge_memory.c) */
	struct list_head pmd_huge_pte;	/* (P) deposited PTE tables (page->lru), one per PMD mapping */
	unsigned long nr_pgtables_deposited; /* (P) their number */
	unsigned long flags;		/* (m) MMF_* */
	mm_context_t context;		/* the arch's: ASID / PCID (asm/mmu.h) */
	cpumask_t cpu_bitmap;		/* (a) CPUs that may hold its TLB entries: mm_cpumask() */
	int ft_pid;			/* (c) folio.trace: the process it is of, set by fork and execve's records */
};

/*
 * The CPUs that have mm loaded or may still hold its TLB entries (Linux's
 * mm_cpumask): switch_mm sets this CPU's bit before it loads the root, and
 * nothing clears it (an ASID / PCID keeps entries after a switch away), so
 * a TLB shootdown that reads it after changing a PTE reaches every CPU
 * that could use the old entry (kernel/cpumask.h's ordering rule).
 */
static inline cpumask_t *mm_cpumask(struct mm_struct *mm)
{
	return &mm->cpu_bitmap;
}

#define MMF_OOM_SKIP	(1UL << 0)	/* the OOM killer reaped it: never its victim again */
#define MMF_DISABLE_THP	(1UL << 1)	/* prctl(PR_SET_THP_DISABLE): order-0 folios only */
#define MMF_HAS_MDWE	(1UL << 2)	/* prctl(PR_SET_MDWE): refuse W+X and gaining X (mm/mmap.c) */
#define MMF_HAS_MDWE_NO_INHERIT (1UL << 3) /* ... and fork/execve start without it */
#define MMF_INIT_MASK	(MMF_DISABLE_THP | MMF_HAS_MDWE | MMF_HAS_MDWE_NO_INHERIT) /* fork and execve keep (Linux's) */

/* The MMF_* a new mm of fork or execve starts with (Linux's mmf_init_flags). */
static inline unsigned long mmf_init_flags(unsigned long flags)
{
	if (flags & MMF_HAS_MDWE_NO_INHERIT)
		flags &= ~(MMF_HAS_MDWE | MMF_HAS_MDWE_NO_INHERIT);
	return flags & MMF_INIT_MASK;
}

static inline unsigned long get_mm_counter(const struct mm_struct *mm, int member)
{
	return (unsigned long)atomic_long_read(&mm->rss_stat[member]);
}

static inline void add_mm_counter(struct mm_struct *mm, int member, long value)
{
	atomic_long_add(value, &mm->rss_stat[member]);
}

static inline void inc_mm_counter(struct mm_struct *mm, int member)
{
	atomic_long_inc(&mm->rss_stat[member]);
}

static inline void dec_mm_counter(struct mm_struct *mm, int member)
{
	atomic_long_dec(&mm->rss_stat[member]);
}

/* Every resident page (VmRSS, the OOM killer's badness): Linux's get_mm_rss. */
static inline unsigned long get_mm_rss(const struct mm_struct *mm)
{
	return get_mm_counter(mm, MM_ANONPAGES) + get_mm_counter(mm, MM_SHMEMPAGES);
}

/*
 * Linux's update_hiwater_rss: called before the anon rss goes down, so the peak
 * (get_mm_hiwater_rss) is kept without a test on every fault.  Two CPUs may
 * lower the rss of one mm at once (under different PTE-table locks), so the
 * peak is raised with a compare-and-exchange loop: it ends at least as high
 * as every rss any caller read, whatever the interleaving.
 */
static inline void update_hiwater_rss(struct mm_struct *mm)
{
	long rss = (long)get_mm_counter(mm, MM_ANONPAGES);
	long peak = atomic_long_read(&mm->hiwater_rss);

	while (peak < rss && !atomic_long_try_cmpxchg(&mm->hiwater_rss, &peak, rss))
		;	/* peak now holds what another CPU stored: retry while still lower */
}

/* The peak resident set (VmHWM) in pages. */
static inline unsigned long get_mm_hiwater_rss(const struct mm_struct *mm)
{
	unsigned long rss = get_mm_counter(mm, MM_ANONPAGES);
	unsigned long peak = (unsigned long)atomic_long_read(&mm->hiwater_rss);

	return peak > rss ? peak : rss;
}

/* The peak address-space size (VmPeak) in pages: Linux's hiwater_vm and total_vm. */
static inline unsigned long get_mm_hiwater_vm(const struct mm_struct *mm)
{
	return mm->hiwater_vm > mm->total_vm ? mm->hiwater_vm : mm->total_vm;
}

/*
 * The mmap lock (Linux's mmap_lock wrappers): page faults take it for
 * reading, so faults of several tasks of one mm may run at once, each
 * serialised against the others only by the page-table locks; whatever
 * changes the VMAs (mmap, munmap, mprotect, madvise, brk, a stack's
 * growth, fork, exec, exit) takes it for writing.
 */
static inline void mmap_read_lock(struct mm_struct *mm) { down_read(&mm->mmap_lock); }
static inline void mmap_read_unlock(struct mm_struct *mm) { up_read(&mm->mmap_lock); }
static inline void mmap_write_lock(struct mm_struct *mm) { down_write(&mm->mmap_lock); }
static inline void mmap_write_unlock(struct mm_struct *mm) { up_write(&mm->mmap_lock); }
/* Take it for writing if that needs no wait: true, else false (the OOM reaper, on another task's mm). */
static inline bool mmap_write_trylock(struct mm_struct *mm) { return down_write_trylock(&mm->mmap_lock); }
/* The write hold becomes a read hold (a fault after growing the stack). */
static inline void mmap_write_downgrade(struct mm_struct *mm) { downgrade_write(&mm->mmap_lock); }

/* Held, for reading or writing. */
static inline void mmap_assert_locked(const struct mm_struct *mm)
{
	rwsem_assert_held(&mm->mmap_lock);
}

/* Held for writing by current. */
static inline void mmap_assert_write_locked(const struct mm_struct *mm)
{
	rwsem_assert_held_write(&mm->mmap_lock);
}

#endif
