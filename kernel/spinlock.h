/*
 * spinlock.h - spinlocks: ticket locks on atomics (kernel/atomic.h).
 *
 * A lock is two counters: `next`, the ticket the next arrival draws
 * (atomic fetch-and-add), and `owner`, the ticket being served.  A CPU
 * draws a ticket and spins until owner reaches it; unlock hands the lock
 * to the next ticket with a release store.  Waiters are served strictly in
 * arrival order (no starvation), and a lock is free when the two are equal.
 * Taking a lock disables interrupts on this CPU first, and releasing the
 * last lock this CPU holds restores what they were before the first (every
 * spin_lock is Linux's spin_lock_irqsave: the callers keep one API), so an
 * interrupt handler never spins on a lock its own CPU holds.  The state is
 * per CPU, not per lock (xv6's push_off/pop_off): struct cpu_info counts
 * how deep this CPU's interrupts-off sections nest and keeps the interrupt
 * state from before the outermost, so locks may be released in any order
 * (A, B taken; A released first leaves interrupts off until B goes too).
 * A lock is never held across a sleep (might_sleep()).
 *
 * Lock debugging (DEBUG_VM builds, kernel/spinlock_debug.c): each lock
 * records the CPU, task and call site holding it; assert_spin_locked()
 * means "held by this CPU"; taking a lock this CPU holds (recursion) and
 * releasing one it does not hold panic with the lock's name and both call
 * sites; and every acquire goes through the lock-order checker
 * (kernel/lockdep.h), which reports an acquisition order that contradicts
 * one seen before.  Two locks of one class (the same name: every PTE-table
 * lock is "ptl") are nested with spin_lock_nested(l, SINGLE_DEPTH_NESTING),
 * as fork's parent-then-child tables are.
 *
 * The lock order of the whole kernel (written here only; everything else
 * refers to it).  A lock may be taken while holding the ones to its left:
 *
 *   mm->mmap_lock -> folio lock -> anon_vma lock -> page_table_lock -> PTE-table lock -> split_queue_lock -> zone (buddy) lock
 *   PTE-table lock -> lru_lock
 *   folio_wait_table: a leaf (mm/folio_lock.c: folio_unlock wakes under any lock)
 *   slab_lock -> zone lock
 *   tasklist_lock -> sighand->siglock -> rq_lock
 *   console_lock -> rq_lock;  kswapd_lock -> rq_lock;  rwsem.wait_lock -> rq_lock
 *   rq_lock (kernel/sched.c): a leaf; a wake-up takes it under whatever its caller holds
 *   fbcon_lock: a leaf (kernel/fbcon.c: printk draws on the screen from anywhere; a bare
 *     ticket lock outside lockdep, which prints its reports under its graph_lock)
 *   foliotrace_lock: a leaf (mm/foliotrace.c: a record from under any mm lock)
 *   output_lock (kernel/printk.c): below everything, outside the checker (printk runs anywhere)
 *
 * The big kernel lock (kernel/smp_lock.h) is not a spinlock: it comes before
 * all of them (taken with none held), and a task sleeping with it lets go of it.
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
 * before the PTE-table lock of the table a PMD split fills, and is also
 * what a fault installs a missing page-table level under (Linux's
 * pmd_install, mm/pgtable_user.c): taken and dropped with nothing else
 * held but mmap_lock.  fork takes the parent's, then the child's (the
 * child's nested).  The OOM killer takes a victim's mmap_lock while
 * holding the faulting task's, with a trylock (mm/oom_kill.c).
 *
 * mm->mmap_lock is a sleeping reader-writer semaphore (kernel/rwsem.h; page
 * faults take it for reading, everything that changes VMAs for writing);
 * the folio lock a sleeping bit lock (PG_locked, mm/folio_lock.c: under a
 * spinlock only folio_trylock); the anon_vma lock the root anon_vma's
 * rwsem (mm/rmap.h: chain changes write, rmap walks read, the walks taking
 * the PTE-table and page_table_lock inside it); the others are spinlocks.
 * A sleeping lock taken under a spinlock panics in might_sleep() (DEBUG_VM),
 * which is how the order's "sleeping locks first" is asserted; the
 * spinlocks' order is checked by kernel/lockdep.c.  fork
 * takes the parent's and the child's mmap_lock and PTE tables together:
 * parent first (dup_mmap, mm/vma.c).  A page-table page or slab object may
 * be allocated under a spinlock only with GFP_KERNEL, which never sleeps
 * here (mm/gfp.h); an allocation that may reclaim (__GFP_DIRECT_RECLAIM)
 * calls might_sleep() and panics in DEBUG_VM when a spinlock is held.
 */
#ifndef KERNEL_SPINLOCK_H
#define KERNEL_SPINLOCK_H

#include "kernel/atomic.h"
#include "kernel/compiler.h"
#include "kernel/lockdep.h"
#include "kernel/printk.h"
#include "kernel/smp.h"
#include "kernel/types.h"
#include <asm/irqflags.h>

typedef struct spinlock {
	atomic_t next;			/* the ticket the next arrival draws */
	atomic_t owner;			/* the ticket being served */
	const char *name;		/* also the lock's class for the order checker */
#ifdef DEBUG_VM
	struct lock_debug dbg;		/* holder and class (kernel/lockdep.h) */
#endif
} spinlock_t;

#define SPINLOCK_INIT(n) { .next = ATOMIC_INIT(0), .owner = ATOMIC_INIT(0), .name = (n) }

static inline void spin_lock_init(spinlock_t *l, const char *name)
{
	*l = (spinlock_t)SPINLOCK_INIT(name);
}

/* The pause hint of a spin-wait loop (the compiler's names for it: kernel and host alike). */
static inline void spin_relax(void)
{
#if defined(__x86_64__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield" ::: "memory");
#endif
}

/* Run a cross-CPU call waiting for this CPU (kernel/smp.h): what every spin-wait does. */
void smp_call_poll(void);

/*
 * Draw a ticket and wait for it; acquire ordering.  The waiter answers
 * cross-CPU calls meanwhile (interrupts are off): the holder may be
 * waiting for this CPU's TLB flush.
 */
static inline void arch_spin_lock(spinlock_t *l)
{
	int ticket = __atomic_fetch_add(&l->next.counter, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&l->owner.counter, __ATOMIC_ACQUIRE) != ticket) {
		smp_call_poll();
		spin_relax();
	}
}

/* Serve the next ticket; release ordering (only the holder writes owner). */
static inline void arch_spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->owner.counter, __atomic_load_n(&l->owner.counter, __ATOMIC_RELAXED) + 1,
			 __ATOMIC_RELEASE);
}

/* Held by some CPU (or waited for). */
static inline bool spin_is_locked(const spinlock_t *l)
{
	return atomic_read(&l->next) != atomic_read(&l->owner);
}

#ifdef DEBUG_VM
void spin_debug_lock(spinlock_t *l, unsigned int subclass, const char *site);
void spin_debug_locked(spinlock_t *l, const char *site);
void spin_debug_unlock(spinlock_t *l, const char *site);
bool spin_held_by_this_cpu(const spinlock_t *l);
#else
static inline void spin_debug_lock(spinlock_t *l __unused, unsigned int subclass __unused,
				   const char *site __unused) {}
static inline void spin_debug_locked(spinlock_t *l __unused, const char *site __unused) {}
static inline void spin_debug_unlock(spinlock_t *l __unused, const char *site __unused) {}
static inline bool spin_held_by_this_cpu(const spinlock_t *l) { return spin_is_locked(l); }
#endif


/*
 * xv6's push_off: one more interrupts-off section on this CPU (pop_off ends
 * it).  The caller has turned interrupts off already, with flags what
 * arch_local_irq_save() returned: the outermost section keeps them.  (The
 * save comes first so that spin_lock's debug checks, which may panic, run
 * with interrupts off and nothing counted yet.)
 */
static inline void push_off(unsigned long flags)
{
	struct cpu_info *c = this_cpu();

	if (c->irqoff_depth++ == 0)
		c->irqoff_flags = flags;
}

/*
 * End the innermost interrupts-off section; the outermost's end restores
 * the interrupt state from before it.  Interrupts must still be off, and a
 * pop without its push panics.
 */
static inline void pop_off(void)
{
	struct cpu_info *c = this_cpu();

	if (unlikely(c->irqoff_depth <= 0))
		panic("pop_off: not in an interrupts-off section (depth %d)", c->irqoff_depth);
#ifdef DEBUG_VM
	if (unlikely(!arch_irqs_disabled()))
		panic("pop_off: interrupts on inside an interrupts-off section");
#endif
	if (--c->irqoff_depth == 0)
		arch_local_irq_restore(c->irqoff_flags);
}

static inline void __spin_lock(spinlock_t *l, unsigned int subclass, const char *site)
{
	unsigned long flags = arch_local_irq_save();

	spin_debug_lock(l, subclass, site);	/* may panic: nothing counted yet */
	arch_spin_lock(l);
	push_off(flags);
	spin_debug_locked(l, site);
}

static inline void __spin_unlock(spinlock_t *l, const char *site)
{
	spin_debug_unlock(l, site);
	arch_spin_unlock(l);
	pop_off();
}

/* Take l (interrupts off until spin_unlock; never while holding it already). */
#define spin_lock(l)			__spin_lock((l), 0, LOCK_SITE)
/* Take l while holding another lock of its class (subclass SINGLE_DEPTH_NESTING). */
#define spin_lock_nested(l, subclass)	__spin_lock((l), (subclass), LOCK_SITE)
#define spin_unlock(l)			__spin_unlock((l), LOCK_SITE)

#define assert_spin_locked(l) do { \
	if (!spin_held_by_this_cpu(l)) \
		panic("%s: lock %s not held by this CPU", __func__, (l)->name); \
} while (0)

#endif
