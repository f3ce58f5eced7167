/*
 * test_locks.c - the lock primitives on the host (single-threaded state
 * checks): atomics (kernel/atomic.h), ticket spinlocks and their debugging
 * (kernel/spinlock.h), the lock-order checker and might_sleep
 * (kernel/lockdep.h), a page table installed by a racing fault while this
 * one allocated its own (mm_pgtable_alloc's re-check), reader-writer
 * semaphores (kernel/rwsem.h) with a simulated scheduler: a task that
 * blocks runs hostmm_schedule_hook, the other tasks' next steps, which may
 * release and so wake it; atomic bit operations (kernel/bitops.h) and the
 * folio lock (mm/folio_lock.c) on the same simulated scheduler.
 *
 * The lock-order tests use class names of their own (the graph is global
 * and outlives a test) and take back the reports they provoke, so the
 * runner's "no unexpected report" check stays meaningful.
 */
#include "kernel/atomic.h"
#include "kernel/bitops.h"
#include "kernel/lockdep.h"
#include "kernel/rwsem.h"
#include "kernel/sched.h"
#include "kernel/smp_lock.h"
#include "mm/gfp.h"
#include "tools/hostmm/hostmm_vm.h"

static bool test_atomic_ops(void)
{
	atomic_t a = ATOMIC_INIT(5);
	atomic_long_t l = ATOMIC_LONG_INIT(-1);
	int old = 7;

	atomic_inc(&a);
	ASSERT_EQ(atomic_read(&a), 6);
	ASSERT_EQ(atomic_add_return(4, &a), 10);
	ASSERT_EQ(atomic_fetch_add(1, &a), 10);
	ASSERT_EQ(atomic_sub_return(9, &a), 2);
	ASSERT_FALSE(atomic_dec_and_test(&a));
	ASSERT_TRUE(atomic_dec_and_test(&a));
	ASSERT_EQ(atomic_cmpxchg(&a, 1, 9), 0);	/* no match: unchanged */
	ASSERT_EQ(atomic_read(&a), 0);
	ASSERT_EQ(atomic_cmpxchg(&a, 0, 9), 0);
	ASSERT_EQ(atomic_read(&a), 9);
	ASSERT_FALSE(atomic_try_cmpxchg(&a, &old, 3));
	ASSERT_EQ(old, 9);			/* told what it found */
	ASSERT_TRUE(atomic_try_cmpxchg(&a, &old, 3));
	ASSERT_EQ(atomic_xchg(&a, -2), 3);
	ASSERT_TRUE(atomic_add_negative(1, &a));
	ASSERT_FALSE(atomic_add_unless(&a, 1, -1));
	ASSERT_TRUE(atomic_add_unless(&a, 1, 0));
	ASSERT_EQ(atomic_read(&a), 0);
	ASSERT_TRUE(atomic_long_inc_and_test(&l));
	atomic_long_set(&l, 1L << 40);
	ASSERT_EQ(atomic_long_add_return(1, &l), (1L << 40) + 1);
	ASSERT_EQ(atomic_long_dec_return(&l), 1L << 40);
	return true;
}

/* Tickets are served in the order they were drawn: later arrivals wait their turn. */
static bool test_spinlock_ticket_order(void)
{
	spinlock_t l = SPINLOCK_INIT("test_ticket");
	int t1, t2;

	ASSERT_FALSE(spin_is_locked(&l));
	arch_spin_lock(&l);				/* CPU 0: ticket 0, served at once */
	t1 = __atomic_fetch_add(&l.next.counter, 1, __ATOMIC_RELAXED);	/* CPU 1 arrives */
	t2 = __atomic_fetch_add(&l.next.counter, 1, __ATOMIC_RELAXED);	/* CPU 2 arrives */
	ASSERT_EQ(t1, 1);
	ASSERT_EQ(t2, 2);
	ASSERT_EQ(atomic_read(&l.owner), 0);
	arch_spin_unlock(&l);
	ASSERT_EQ(atomic_read(&l.owner), t1);		/* the first to arrive, not the last */
	ASSERT_TRUE(spin_is_locked(&l));
	arch_spin_unlock(&l);
	ASSERT_EQ(atomic_read(&l.owner), t2);
	arch_spin_unlock(&l);
	ASSERT_FALSE(spin_is_locked(&l));
	return true;
}

static bool test_spinlock_debug(void)
{
	spinlock_t l = SPINLOCK_INIT("test_debug");

	ASSERT_PANICS("lock test_debug not held by this CPU", assert_spin_locked(&l));
	ASSERT_PANICS("spin_unlock: test_debug not held", spin_unlock(&l));
	spin_lock(&l);
	ASSERT_FALSE(hostmm_irq_enabled);		/* interrupts off while held */
	assert_spin_locked(&l);
	ASSERT_EQ(l.dbg.cpu, 0);
	ASSERT_TRUE(l.dbg.task == current);
	ASSERT_TRUE(strstr(l.dbg.site, "test_locks.c:"));
	ASSERT_PANICS("test_debug already held by this CPU (recursive lock): taken at tools/hostmm/test_locks.c:",
		      spin_lock(&l));
	l.dbg.cpu = 1;					/* as if CPU 1 held it */
	ASSERT_PANICS("lock test_debug not held by this CPU", assert_spin_locked(&l));
	ASSERT_PANICS("test_debug at tools/hostmm/test_locks.c:", spin_unlock(&l));
	ASSERT_TRUE(strstr(hostmm_panic_msg, "is held by CPU 1 (pid 1"));
	l.dbg.cpu = 0;
	spin_unlock(&l);
	ASSERT_TRUE(hostmm_irq_enabled);
	ASSERT_FALSE(spin_is_locked(&l));
	ASSERT_EQ(lockdep_depth(), 0);
	return true;
}

/*
 * The interrupt state is per CPU (push_off/pop_off), not per lock: A and B
 * taken, A released first leaves interrupts off until B is released too;
 * taken with interrupts already off, releasing both leaves them off; a
 * pop_off with nothing pushed panics.
 */
static bool test_spinlock_irq_out_of_order(void)
{
	spinlock_t a = SPINLOCK_INIT("test_irq_a"), b = SPINLOCK_INIT("test_irq_b");

	ASSERT_TRUE(hostmm_irq_enabled);
	spin_lock(&a);
	spin_lock(&b);
	ASSERT_EQ(host_cpu_info.irqoff_depth, 2);
	spin_unlock(&a);				/* out of order */
	ASSERT_FALSE(hostmm_irq_enabled);
	ASSERT_EQ(host_cpu_info.irqoff_depth, 1);
	spin_unlock(&b);
	ASSERT_TRUE(hostmm_irq_enabled);		/* on again only at the end */
	ASSERT_EQ(host_cpu_info.irqoff_depth, 0);

	arch_local_irq_disable();
	spin_lock(&a);
	spin_lock(&b);
	spin_unlock(&a);
	spin_unlock(&b);
	ASSERT_FALSE(hostmm_irq_enabled);		/* as before the first lock */
	arch_local_irq_enable();

	push_off(arch_local_irq_save());
	spin_lock(&a);
	pop_off();					/* a section ends inside a lock's */
	ASSERT_FALSE(hostmm_irq_enabled);
	spin_unlock(&a);
	ASSERT_TRUE(hostmm_irq_enabled);
	ASSERT_PANICS("pop_off: not in an interrupts-off section (depth 0)", pop_off());
	return true;
}

/* A then B, later B then A: one report naming both locks and the four sites; not repeated. */
static bool test_lockdep_inversion(void)
{
	spinlock_t a = SPINLOCK_INIT("test_lockdep_a"), b = SPINLOCK_INIT("test_lockdep_b");
	unsigned long reports = lockdep_nr_reports;
	const struct lockdep_report *r = &lockdep_last_report;

	for (int i = 0; i < 2; i++) {
		spin_lock(&a);
		spin_lock(&b);
		ASSERT_EQ(lockdep_depth(), 2);
		spin_unlock(&b);
		spin_unlock(&a);
	}
	ASSERT_EQ(lockdep_nr_reports, reports);
	spin_lock(&b);
	spin_lock(&a);
	ASSERT_EQ(lockdep_nr_reports, reports + 1);
	ASSERT_FALSE(r->recursive);
	ASSERT_STREQ(r->held, "test_lockdep_b");
	ASSERT_STREQ(r->taken, "test_lockdep_a");
	ASSERT_STREQ(r->prev_first, "test_lockdep_a");
	ASSERT_STREQ(r->prev_second, "test_lockdep_b");
	ASSERT_TRUE(strstr(r->held_site, "test_locks.c:") && strstr(r->taken_site, "test_locks.c:"));
	ASSERT_TRUE(strcmp(r->prev_first_site, r->taken_site) && strcmp(r->prev_second_site, r->held_site));
	ASSERT_TRUE(hostmm_log_contains("WARNING: possible circular locking dependency detected"));
	spin_unlock(&a);
	spin_unlock(&b);
	spin_lock(&b);
	spin_lock(&a);					/* the same inversion: reported once */
	spin_unlock(&a);
	spin_unlock(&b);
	ASSERT_EQ(lockdep_nr_reports, reports + 1);
	lockdep_nr_reports = reports;			/* provoked on purpose */
	return true;
}

/* A cycle through a third class (A->B, B->C, then C->A), and two locks of one class. */
static bool test_lockdep_chain_and_recursion(void)
{
	spinlock_t a = SPINLOCK_INIT("test_chain_a"), b = SPINLOCK_INIT("test_chain_b"),
		   c = SPINLOCK_INIT("test_chain_c"), c2 = SPINLOCK_INIT("test_chain_c");
	unsigned long reports = lockdep_nr_reports;

	spin_lock(&a);
	spin_lock(&b);
	spin_unlock(&b);
	spin_unlock(&a);
	spin_lock(&b);
	spin_lock(&c);
	spin_lock_nested(&c2, SINGLE_DEPTH_NESTING);	/* two of a class, said so: fine */
	spin_unlock(&c2);
	spin_unlock(&c);
	spin_unlock(&b);
	ASSERT_EQ(lockdep_nr_reports, reports);
	spin_lock(&c);
	spin_lock(&a);
	ASSERT_EQ(lockdep_nr_reports, reports + 1);
	ASSERT_STREQ(lockdep_last_report.held, "test_chain_c");
	ASSERT_STREQ(lockdep_last_report.taken, "test_chain_a");
	ASSERT_STREQ(lockdep_last_report.prev_second, "test_chain_b");	/* a -> b -> c */
	ASSERT_TRUE(hostmm_log_contains("recorded first, through test_chain_b"));
	spin_unlock(&a);
	spin_lock(&c2);					/* not nested: a recursion report */
	ASSERT_EQ(lockdep_nr_reports, reports + 2);
	ASSERT_TRUE(lockdep_last_report.recursive);
	ASSERT_TRUE(hostmm_log_contains("WARNING: possible recursive locking detected"));
	spin_unlock(&c2);
	spin_unlock(&c);
	lockdep_nr_reports = reports;
	return true;
}

static bool test_might_sleep(void)
{
	spinlock_t l = SPINLOCK_INIT("test_atomic_ctx");

	might_sleep();					/* nothing held: fine */
	ASSERT_FALSE(in_atomic());
	spin_lock(&l);
	ASSERT_TRUE(in_atomic());
	ASSERT_PANICS("sleeping function called from invalid context at tools/hostmm/test_locks.c:", might_sleep());
	ASSERT_TRUE(strstr(hostmm_panic_msg, "test_atomic_ctx held (taken at tools/hostmm/test_locks.c:"));
	/* An allocation that may reclaim may sleep: not under a spinlock. */
	ASSERT_PANICS("sleeping function called from invalid context at mm/page_alloc.c:",
		      alloc_pages(GFP_HIGHUSER_MOVABLE, 0));
	spin_unlock(&l);
	ASSERT_FALSE(in_atomic());
	return true;
}

/*
 * The big kernel lock: nested per task, let go at the outermost unlock, not a
 * spinlock (sleeping allowed), refused under one; schedule()'s drop and re-take
 * let another task have it in between.
 */
static bool test_big_kernel_lock(void)
{
	struct task_struct *self = current, other = { .pid = 2, .lock_depth = -1 };
	spinlock_t l = SPINLOCK_INIT("test_bkl_inner");

	ASSERT_FALSE(kernel_locked());
	lock_kernel();
	lock_kernel();
	ASSERT_EQ(self->lock_depth, 1);
	ASSERT_FALSE(in_atomic());
	might_sleep();					/* a holder may sleep */
	unlock_kernel();
	ASSERT_TRUE(kernel_locked());
	release_kernel_lock(self);			/* self switches out holding it */
	current = &other;
	lock_kernel();					/* free meanwhile: other gets it */
	ASSERT_TRUE(kernel_locked());
	unlock_kernel();
	ASSERT_FALSE(kernel_locked());
	current = self;
	reacquire_kernel_lock(self);			/* self runs again */
	ASSERT_EQ(self->lock_depth, 0);
	unlock_kernel();
	ASSERT_FALSE(kernel_locked());
	ASSERT_PANICS("BUG at kernel/kernel_lock.c:", unlock_kernel());
	spin_lock(&l);
	ASSERT_PANICS("lock_kernel: pid 1 takes the big kernel lock holding a spinlock", lock_kernel());
	ASSERT_EQ(self->lock_depth, -1);
	spin_unlock(&l);
	return true;
}

/* ---- concurrent table installs (mm_pgtable_alloc's re-check) ---- */

static phys_addr_t (*real_table_alloc)(void);
static struct mm_struct *race_mm;
static unsigned long race_addr;
static struct page *race_winner;

/*
 * pgtable_alloc_page for one race: while this fault allocates its PTE
 * table, another CPU's fault (played here) installs one for the same PMD
 * entry first.  Then hands out this fault's table as usual.
 */
static phys_addr_t racing_table_alloc(void)
{
	pgtable_alloc_page = real_table_alloc;
	race_winner = pte_alloc_one();
	spin_lock(&race_mm->page_table_lock);
	pmd_populate(race_mm, (pmd_t *)pgtable_walk(race_mm->pgd, race_addr, PT_LEVELS - 2, false), race_winner);
	spin_unlock(&race_mm->page_table_lock);
	return real_table_alloc();
}

/* The loser's table and lock are freed; the PTE comes from the winner's table, under its lock. */
static bool test_pte_table_install_race(void)
{
	struct mm_struct *mm = vm_setup_mm(0, K(4096));
	unsigned long free;
	long live;
	spinlock_t *ptl;
	pte_t *ptep;

	ASSERT_EQ(vm_fault(mm, VM_BASE, true), VM_FAULT_OK);	/* the levels above exist now */
	free = nr_free_pages();
	live = hostmm_kmalloc_live;
	race_mm = mm;
	race_addr = VM_BASE + PMD_SIZE;
	real_table_alloc = pgtable_alloc_page;
	pgtable_alloc_page = racing_table_alloc;
	ptep = pte_alloc_map_lock(mm, race_addr, &ptl);
	ASSERT_TRUE(pgtable_alloc_page == real_table_alloc);	/* the race was played */
	ASSERT_TRUE(ptep != NULL);
	ASSERT_TRUE(virt_to_page((void *)ALIGN_DOWN((unsigned long)ptep, PAGE_SIZE)) == race_winner);
	ASSERT_TRUE(ptl == (spinlock_t *)race_winner->private);
	assert_spin_locked(ptl);
	spin_unlock(ptl);
	ASSERT_EQ(nr_free_pages(), free - 1);			/* one table: the winner's */
	ASSERT_EQ(hostmm_kmalloc_live, live + 1);		/* and its lock */
	ASSERT_EQ(vm_fault(mm, race_addr, true), VM_FAULT_OK);
	ASSERT_TRUE(pte_present(vm_pte(mm, race_addr)));
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* ---- rwsem ---- */

static struct task_struct sim_task[4];
static struct rw_semaphore sem;
static int hook_step;

/* Run fn as simulated task t. */
#define AS_TASK(t, stmt) do { \
	struct task_struct *__me = current; \
	current = (t); \
	stmt; \
	current = __me; \
} while (0)

/* Task t calls down(&sem), which blocks: hook plays the other tasks until it is granted. */
static void block_with(void (*hook)(void), struct task_struct *t, void (*down)(struct rw_semaphore *))
{
	hostmm_schedule_hook = hook;
	AS_TASK(t, down(&sem));
	hostmm_schedule_hook = NULL;
}

static void sim_reset(void)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(sim_task); i++)
		sim_task[i] = (struct task_struct){ .pid = 100 + (int)i, .state = TASK_RUNNING };
	init_rwsem(&sem, "test_rwsem");
	hook_step = 0;
}

/* After a panic caught inside an rwsem call: its wait_lock back to free, nothing held. */
static void sem_unstick(void)
{
	sem.wait_lock = (spinlock_t)SPINLOCK_INIT("rwsem.wait_lock");
	lockdep_reset_cpu();
	hostmm_irq_enabled = 1;
}

static bool test_rwsem_rules(void)
{
	sim_reset();
	AS_TASK(&sim_task[0], down_read(&sem));
	AS_TASK(&sim_task[1], ASSERT_TRUE(down_read_trylock(&sem)));	/* readers share */
	ASSERT_EQ(sem.count, 2);
	AS_TASK(&sim_task[2], ASSERT_FALSE(down_write_trylock(&sem)));
	rwsem_assert_held(&sem);
	ASSERT_PANICS("test_rwsem not held for writing by this task", rwsem_assert_held_write(&sem));
	AS_TASK(&sim_task[0], up_read(&sem));
	AS_TASK(&sim_task[1], up_read(&sem));
	ASSERT_PANICS("up_read: test_rwsem not held for reading (count 0)", up_read(&sem));
	sem_unstick();
	AS_TASK(&sim_task[2], ASSERT_TRUE(down_write_trylock(&sem)));	/* free: the writer has it */
	ASSERT_TRUE(sem.owner == &sim_task[2]);
	AS_TASK(&sim_task[0], ASSERT_FALSE(down_read_trylock(&sem)));
	ASSERT_PANICS("up_write: test_rwsem not held for writing by this task", up_write(&sem));
	sem_unstick();
	AS_TASK(&sim_task[2], ASSERT_PANICS("already held for writing by this task (recursive lock)",
					    down_write(&sem)));
	sem_unstick();
	AS_TASK(&sim_task[2], rwsem_assert_held_write(&sem));
	AS_TASK(&sim_task[2], downgrade_write(&sem));
	ASSERT_EQ(sem.count, 1);
	ASSERT_TRUE(sem.owner == NULL);
	AS_TASK(&sim_task[1], ASSERT_TRUE(down_read_trylock(&sem)));
	AS_TASK(&sim_task[1], up_read(&sem));
	AS_TASK(&sim_task[2], up_read(&sem));
	ASSERT_FALSE(rwsem_is_locked(&sem));
	return true;
}

/*
 * A writer waits for the last reader, and a reader arriving meanwhile
 * waits behind it (no writer starvation): task 0 and 1 read, task 2 wants
 * to write and blocks; while it waits task 3 cannot read; the last
 * reader's release hands the lock to task 2.
 */
static bool writer_waits_ok;

static void writer_waits_hook(void)
{
	bool overtook;

	writer_waits_ok = false;
	if (sim_task[2].state != TASK_UNINTERRUPTIBLE || sem.count != 2)
		return;
	AS_TASK(&sim_task[3], overtook = down_read_trylock(&sem));
	if (overtook)
		return;
	AS_TASK(&sim_task[0], up_read(&sem));
	if (sim_task[2].state != TASK_UNINTERRUPTIBLE)	/* one reader left: still waiting */
		return;
	AS_TASK(&sim_task[1], up_read(&sem));
	writer_waits_ok = sim_task[2].state == TASK_RUNNING && sem.owner == &sim_task[2];
}

static bool test_rwsem_writer_waits_for_readers(void)
{
	sim_reset();
	AS_TASK(&sim_task[0], down_read(&sem));
	AS_TASK(&sim_task[1], down_read(&sem));
	block_with(writer_waits_hook, &sim_task[2], down_write);
	ASSERT_TRUE(writer_waits_ok);
	ASSERT_EQ(sem.count, RWSEM_WRITER);
	ASSERT_TRUE(list_empty(&sem.wait_list));
	AS_TASK(&sim_task[2], up_write(&sem));
	ASSERT_FALSE(rwsem_is_locked(&sem));
	return true;
}

/*
 * FIFO hand-off: task 0 reads; task 1 queues to write; task 2 queues to
 * read behind it (it may not overtake the writer).  Task 0's release
 * grants the writer only; the writer's release grants the reader.
 */
static bool fifo_ok;

static void fifo_hook(void)
{
	if (hook_step++ == 0) {			/* task 1 is waiting: task 2 arrives */
		AS_TASK(&sim_task[2], down_read(&sem));	/* blocks: runs the hook again */
		fifo_ok = fifo_ok && sem.count == 1 && sim_task[2].state == TASK_RUNNING;
		AS_TASK(&sim_task[2], up_read(&sem));
		return;
	}
	fifo_ok = sim_task[1].state == TASK_UNINTERRUPTIBLE && sim_task[2].state == TASK_UNINTERRUPTIBLE;
	AS_TASK(&sim_task[0], up_read(&sem));	/* the writer first */
	fifo_ok = fifo_ok && sem.owner == &sim_task[1] && sim_task[1].state == TASK_RUNNING &&
		  sim_task[2].state == TASK_UNINTERRUPTIBLE;
	AS_TASK(&sim_task[1], up_write(&sem));	/* then the reader */
	fifo_ok = fifo_ok && sim_task[2].state == TASK_RUNNING;
}

static bool test_rwsem_fifo_handoff(void)
{
	sim_reset();
	AS_TASK(&sim_task[0], down_read(&sem));
	block_with(fifo_hook, &sim_task[1], down_write);
	ASSERT_EQ(hook_step, 2);
	ASSERT_TRUE(fifo_ok);
	ASSERT_FALSE(rwsem_is_locked(&sem));
	ASSERT_TRUE(list_empty(&sem.wait_list));
	return true;
}

/* A queued reader is let in by a writer's downgrade; the downgraded holder and it share the lock. */
static bool downgrade_ok;

static void downgrade_hook(void)
{
	AS_TASK(&sim_task[0], downgrade_write(&sem));
	downgrade_ok = sim_task[1].state == TASK_RUNNING && sem.count == 2;
}

static bool test_rwsem_downgrade_wakes_readers(void)
{
	sim_reset();
	AS_TASK(&sim_task[0], down_write(&sem));
	block_with(downgrade_hook, &sim_task[1], down_read);
	ASSERT_TRUE(downgrade_ok);
	AS_TASK(&sim_task[0], up_read(&sem));
	AS_TASK(&sim_task[1], up_read(&sem));
	ASSERT_FALSE(rwsem_is_locked(&sem));
	return true;
}

/* Random trylocks and releases by 4 tasks against a model: readers share, a writer is alone. */
static bool test_rwsem_random_model(void)
{
	bool reading[ARRAY_SIZE(sim_task)] = { false };
	int writer = -1, readers = 0;
	unsigned int seed = 15;

	sim_reset();
	for (int step = 0; step < 20000; step++) {
		unsigned int t, op;

		seed = seed * 1103515245u + 12345u;
		t = (seed >> 16) % ARRAY_SIZE(sim_task);
		op = (seed >> 20) % 3;
		current = &sim_task[t];
		if (writer == (int)t) {
			if (op == 0) {
				downgrade_write(&sem);
				writer = -1;
				reading[t] = true;
				readers = 1;
			} else {
				up_write(&sem);
				writer = -1;
			}
		} else if (reading[t]) {
			up_read(&sem);
			reading[t] = false;
			readers--;
		} else if (op == 0) {
			ASSERT_EQ(down_write_trylock(&sem), writer < 0 && readers == 0);
			if (sem.owner == current)
				writer = (int)t;
		} else {
			ASSERT_EQ(down_read_trylock(&sem), writer < 0);
			if (writer < 0) {
				reading[t] = true;
				readers++;
			}
		}
		current = &sim_task[0];
		/* The invariants after every step. */
		ASSERT_EQ(sem.count, writer >= 0 ? RWSEM_WRITER : readers);
		ASSERT_TRUE(sem.owner == (writer >= 0 ? &sim_task[writer] : NULL));
		ASSERT_TRUE(list_empty(&sem.wait_list));
		ASSERT_FALSE(spin_is_locked(&sem.wait_lock));
		ASSERT_EQ(lockdep_depth(), 0);
	}
	hostmm_tasks_reset();
	return true;
}

/* ---- bit operations and the folio lock ---- */

static bool test_bitops(void)
{
	unsigned long w = 0;

	set_bit(3, &w);
	set_bit(63, &w);
	ASSERT_EQ(w, (1UL << 3) | (1UL << 63));
	ASSERT_TRUE(test_bit(63, &w));
	ASSERT_FALSE(test_bit(4, &w));
	clear_bit(63, &w);
	ASSERT_EQ(w, 1UL << 3);
	ASSERT_TRUE(test_and_set_bit(3, &w));		/* already set: unchanged */
	ASSERT_FALSE(test_and_set_bit(0, &w));
	ASSERT_EQ(w, (1UL << 3) | 1UL);
	ASSERT_TRUE(test_and_clear_bit(0, &w));
	ASSERT_FALSE(test_and_clear_bit(0, &w));
	ASSERT_FALSE(test_and_set_bit_lock(7, &w));	/* taken */
	ASSERT_TRUE(test_and_set_bit_lock(7, &w));	/* busy */
	clear_bit_unlock(7, &w);
	ASSERT_EQ(w, 1UL << 3);
	return true;
}

static struct folio *lock_folio;
static int lock_hook_calls;

/* Task t calls folio_lock(lock_folio), which blocks: hook plays the others until t has it. */
static void folio_block_with(void (*hook)(void), struct task_struct *t)
{
	hostmm_schedule_hook = hook;
	AS_TASK(t, folio_lock(lock_folio));
	hostmm_schedule_hook = NULL;
}

static bool folio_lock_reset(void)
{
	sim_reset();
	lock_hook_calls = 0;
	lock_folio = folio_alloc(GFP_KERNEL, 0);
	return lock_folio != NULL;
}

/* Task 0 holds the lock; task 1 sleeps in folio_lock until task 0's unlock wakes it: one wake-up. */
static bool sleep_ok;

static void sleep_hook(void)
{
	lock_hook_calls++;
	sleep_ok = sim_task[1].state == TASK_UNINTERRUPTIBLE && folio_test_locked(lock_folio) &&
		   test_bit(PG_waiters, &lock_folio->flags);
	AS_TASK(&sim_task[0], folio_unlock(lock_folio));
	sleep_ok = sleep_ok && sim_task[1].state == TASK_RUNNING && !folio_test_locked(lock_folio);
}

static bool test_folio_lock_sleeps_until_unlock(void)
{
	ASSERT_TRUE(folio_lock_reset());
	AS_TASK(&sim_task[0], folio_lock(lock_folio));
	folio_block_with(sleep_hook, &sim_task[1]);
	ASSERT_TRUE(sleep_ok);
	ASSERT_EQ(lock_hook_calls, 1);			/* slept once, woken once */
	ASSERT_TRUE(folio_test_locked(lock_folio));	/* task 1's now */
	ASSERT_FALSE(test_bit(PG_waiters, &lock_folio->flags));	/* the last waiter left */
	ASSERT_EQ(sim_task[1].state, TASK_RUNNING);
	AS_TASK(&sim_task[1], folio_unlock(lock_folio));
	ASSERT_FALSE(folio_test_locked(lock_folio));
	folio_put(lock_folio);
	ASSERT_EQ(lockdep_depth(), 0);
	return true;
}

/*
 * A trylock overtakes the woken waiter: task 0's unlock wakes task 1, but
 * task 2's trylock takes the lock first; task 1 finds it taken and sleeps
 * again (PG_waiters still set), and task 2's unlock wakes it for good.
 */
static bool overtake_ok;

static void overtake_hook(void)
{
	bool took;

	if (lock_hook_calls++ == 0) {
		AS_TASK(&sim_task[0], folio_unlock(lock_folio));
		AS_TASK(&sim_task[2], took = folio_trylock(lock_folio));
		overtake_ok = took && sim_task[1].state == TASK_RUNNING;
		return;
	}
	overtake_ok = overtake_ok && sim_task[1].state == TASK_UNINTERRUPTIBLE &&
		      test_bit(PG_waiters, &lock_folio->flags);
	AS_TASK(&sim_task[2], folio_unlock(lock_folio));
}

static bool test_folio_lock_trylock_overtakes_woken(void)
{
	ASSERT_TRUE(folio_lock_reset());
	AS_TASK(&sim_task[0], folio_lock(lock_folio));
	folio_block_with(overtake_hook, &sim_task[1]);
	ASSERT_TRUE(overtake_ok);
	ASSERT_EQ(lock_hook_calls, 2);
	ASSERT_TRUE(folio_test_locked(lock_folio));
	ASSERT_FALSE(test_bit(PG_waiters, &lock_folio->flags));
	AS_TASK(&sim_task[1], folio_unlock(lock_folio));
	folio_put(lock_folio);
	return true;
}

/* folio_lock may sleep: never under a spinlock (the PTE lock comes after it). */
static bool test_folio_lock_under_spinlock(void)
{
	spinlock_t l = SPINLOCK_INIT("test_ptl");

	ASSERT_TRUE(folio_lock_reset());
	spin_lock(&l);
	ASSERT_TRUE(folio_trylock(lock_folio));		/* the trylock is allowed */
	folio_unlock(lock_folio);
	ASSERT_PANICS("sleeping function called from invalid context at mm/folio_lock.c:",
		      folio_lock(lock_folio));
	spin_unlock(&l);
	ASSERT_FALSE(folio_test_locked(lock_folio));
	folio_put(lock_folio);
	return true;
}

/*
 * Random trylocks, blocking locks and unlocks by 4 tasks on 3 folios
 * against a model of who holds which: a blocking folio_lock of a held
 * folio sleeps exactly once and the holder's unlock hands it over.  After
 * every step PG_locked matches the model and no PG_waiters is left.
 */
static struct folio *model_folio[3];
static int model_holder[3];

static void model_hook(void)
{
	for (int f = 0; f < 3; f++) {
		if (model_folio[f] == lock_folio) {
			lock_hook_calls++;
			AS_TASK(&sim_task[model_holder[f]], folio_unlock(lock_folio));
		}
	}
}

static bool test_folio_lock_random_model(void)
{
	unsigned int seed = 42;

	sim_reset();
	for (int f = 0; f < 3; f++) {
		model_folio[f] = folio_alloc(GFP_KERNEL, f);
		model_holder[f] = -1;
	}
	for (int step = 0; step < 20000; step++) {
		unsigned int t, f, op;

		seed = seed * 1103515245u + 12345u;
		t = (seed >> 16) % ARRAY_SIZE(sim_task);
		f = (seed >> 20) % 3;
		op = (seed >> 24) % 3;
		lock_folio = model_folio[f];
		if (model_holder[f] == (int)t) {
			AS_TASK(&sim_task[t], folio_unlock(lock_folio));
			model_holder[f] = -1;
		} else if (op == 0 && model_holder[f] >= 0) {
			lock_hook_calls = 0;
			folio_block_with(model_hook, &sim_task[t]);	/* the holder lets go */
			ASSERT_EQ(lock_hook_calls, 1);
			model_holder[f] = (int)t;
		} else if (op == 0) {
			AS_TASK(&sim_task[t], folio_lock(lock_folio));	/* free: no sleep */
			model_holder[f] = (int)t;
		} else {
			bool took;

			AS_TASK(&sim_task[t], took = folio_trylock(lock_folio));
			ASSERT_EQ(took, model_holder[f] < 0);
			if (took)
				model_holder[f] = (int)t;
		}
		for (int g = 0; g < 3; g++) {
			ASSERT_EQ(folio_test_locked(model_folio[g]), model_holder[g] >= 0);
			ASSERT_FALSE(test_bit(PG_waiters, &model_folio[g]->flags));
		}
		for (unsigned int i = 0; i < ARRAY_SIZE(sim_task); i++)
			ASSERT_EQ(sim_task[i].state, TASK_RUNNING);
		ASSERT_EQ(lockdep_depth(), 0);
	}
	for (int f = 0; f < 3; f++) {
		if (model_holder[f] >= 0)
			AS_TASK(&sim_task[model_holder[f]], folio_unlock(model_folio[f]));
		folio_put(model_folio[f]);
	}
	ASSERT_EQ(nr_free_pages(), HOSTMM_FREE_PAGES);
	return true;
}

const struct hostmm_test lock_tests[] = {
	HOSTMM_TEST(test_atomic_ops),
	HOSTMM_TEST(test_spinlock_ticket_order),
	HOSTMM_TEST(test_spinlock_debug),
	HOSTMM_TEST(test_spinlock_irq_out_of_order),
	HOSTMM_TEST(test_lockdep_inversion),
	HOSTMM_TEST(test_lockdep_chain_and_recursion),
	HOSTMM_TEST(test_might_sleep),
	HOSTMM_TEST(test_big_kernel_lock),
	HOSTMM_TEST(test_pte_table_install_race),
	HOSTMM_TEST(test_rwsem_rules),
	HOSTMM_TEST(test_rwsem_writer_waits_for_readers),
	HOSTMM_TEST(test_rwsem_fifo_handoff),
	HOSTMM_TEST(test_rwsem_downgrade_wakes_readers),
	HOSTMM_TEST(test_rwsem_random_model),
	HOSTMM_TEST(test_bitops),
	HOSTMM_TEST(test_folio_lock_sleeps_until_unlock),
	HOSTMM_TEST(test_folio_lock_trylock_overtakes_woken),
	HOSTMM_TEST(test_folio_lock_under_spinlock),
	HOSTMM_TEST(test_folio_lock_random_model),
	{ NULL, NULL },
};
