/*
 * spinlock.h - spinlocks.  One CPU for now: taking a lock disables
 * interrupts and marks the lock held, so assert_spin_locked() catches callers
 * that forgot it and a recursive acquire panics instead of deadlocking.
 * The SMP version replaces the flag by an atomic test-and-set here, callers
 * stay the same.
 *
 * The lock order of the whole kernel (written here only; everything else
 * refers to it).  A lock may be taken while holding the ones to its left:
 *
 *   mm->mmap_lock -> folio lock -> page_table_lock -> PTE-table lock -> split_queue_lock -> zone (buddy) lock
 *   PTE-table lock -> lru_lock
 *   slab_lock -> zone lock
 *   console_lock: a leaf (printk runs anywhere)
 *   foliotrace_lock: a leaf (mm/foliotrace.c: a record from under any mm lock)
 *
 * As in Linux, the folio lock comes before the PTE-table locks: a split
 * (mm/split.c) holds it while DEBUG_VM walks the rmap, reclaim holds it
 * while it walks a folio's PTEs (mm/vmscan.c), and the split_range knob
 * finds the folio under the PTE lock, drops it, then locks the folio; under
 * a PTE-table lock a folio may only be trylocked.  split_queue_lock (the
 * deferred-split queue) is taken under a PTE lock by the unmap path and
 * under the folio lock by a split; nothing but the zone lock may be taken
 * inside it.  lru_lock is taken under a PTE-table lock (a fault adds its
 * folio, the last folio_put of a zap takes it off) and nothing is taken
 * inside it.  mm->page_table_lock (the PMD lock, mm/huge_memory.c) comes
 * before the PTE-table lock of the table a PMD split fills; fork takes the
 * parent's, then the child's.  The OOM killer takes a victim's mmap_lock while holding the
 * faulting task's, with a trylock (mm/oom_kill.c).
 *
 * mm->mmap_lock is a sleeping lock's stand-in (mm/mm_types.h), the folio
 * lock a page flag (mm/folio.h); the others are spinlocks.  fork takes the
 * parent's and the child's mmap_lock and PTE tables together: parent first
 * (dup_mmap, mm/vma.c).
 */
#ifndef KERNEL_SPINLOCK_H
#define KERNEL_SPINLOCK_H

#include "kernel/types.h"
#include "kernel/printk.h"
#include <asm/irqflags.h>

typedef struct spinlock {
	const char *name;
	int locked;
	unsigned long saved_flags;
} spinlock_t;

#define SPINLOCK_INIT(n) { .name = (n), .locked = 0, .saved_flags = 0 }

static inline void spin_lock_init(spinlock_t *l, const char *name)
{
	l->name = name;
	l->locked = 0;
	l->saved_flags = 0;
}

static inline void spin_lock(spinlock_t *l)
{
	unsigned long flags = arch_local_irq_save();

	if (l->locked)
		panic("spin_lock: %s already held (recursive lock)", l->name);
	l->locked = 1;
	l->saved_flags = flags;
}

static inline void spin_unlock(spinlock_t *l)
{
	unsigned long flags = l->saved_flags;

	if (!l->locked)
		panic("spin_unlock: %s not held", l->name);
	l->locked = 0;
	arch_local_irq_restore(flags);
}

static inline bool spin_is_locked(const spinlock_t *l)
{
	return l->locked != 0;
}

#define assert_spin_locked(l) do { \
	if (!spin_is_locked(l)) \
		panic("%s: lock %s not held", __func__, (l)->name); \
} while (0)

#endif
