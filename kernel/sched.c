/*
 * sched.c - the scheduler: run queue, context switches, sleeping and waking,
 * on every online CPU.
 *
 * One global run queue under one spinlock, rq_lock, shared by all CPUs
 * (issue 15 allows it for <= 8 CPUs under TCG: every CPU takes the first
 * task its affinity mask allows, which is load balancing for free; per-CPU
 * queues would buy less contention that QEMU's TCG cannot show, at the
 * price of a balancer).  Round robin: a task that stays runnable goes to the
 * tail when it switches out.  Each CPU's idle task (cpu_info->idle, pid 0;
 * init_task on the boot CPU) runs when nothing runnable may run there and
 * never sits on the queue.  The kernel is not preemptible: the tick and
 * wake-ups set need_resched, acted on on the way back to user mode (and in
 * the idle loop).
 *
 * What rq_lock covers (the (r) fields of kernel/sched.h): every task's
 * state, on_rq and run_list (linked on run_queue, sleepers or dead_tasks),
 * wchan, wake_at_ns, cpu and cpus_allowed.  on_rq (Linux's p->on_rq) says
 * the task is runnable: queued, or running on a CPU; on_cpu (Linux's
 * p->on_cpu) says a CPU still has its registers live.  A CPU picks a task
 * off the queue under rq_lock, then, before switching to it, waits until
 * its on_cpu is 0: a task woken while it was still switching out elsewhere
 * (it queued itself to sleep, and the waker ran on another CPU) is not run
 * until cpu_switch_to has saved its registers and cleared its on_cpu
 * (release).  A task woken while still running (it set its state but has
 * not reached schedule()) only becomes TASK_RUNNING again; its own
 * schedule() then keeps it runnable.
 *
 * Sleeping: the condition a sleeper checks must be written, by whoever
 * wakes it, under a lock the sleeper holds from its check until its state
 * is TASK_SLEEPING (set under rq_lock): either the big kernel lock
 * (sleep_on: the BKL is released only inside schedule(), after the state
 * change; kernel/smp_lock.h) or a spinlock the caller passes
 * (sleep_on_locked: released under rq_lock, taken again after the wake-up).
 * wake_up(chan) and the timed-sleep scan look at the sleepers list under
 * rq_lock, so a wake-up finds either the condition changed before the
 * check or the sleeper on the list.
 *
 * Dead threads (TASK_DEAD) are freed by the next schedule() on any CPU once
 * their on_cpu is 0.  The tick runs on every CPU: it accounts the time of
 * the task it interrupted there; the boot CPU's tick alone wakes expired
 * timed sleepers and fires interval timers.  Idle-time page zeroing
 * (mm/prezero.c) runs in the boot CPU's idle task only, and only while the
 * other CPUs idle too (cpu_idle): one zeroer is enough, the others stay
 * free to pick up work at once, and no running task sees the block being
 * zeroed missing from MemFree.
 */
#include "kernel/arch.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/smp_lock.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "mm/mm_types.h"
#include "mm/vma.h"
#include "mm/pgtable.h"
#include "mm/prezero.h"
#include <uapi/errno.h>

static struct signal_struct init_signal = { .count = 1, .live = 1, .nr_threads = 1 };
static struct sighand_struct init_sighand = { .count = 1, .siglock = SPINLOCK_INIT("siglock") };
struct task_struct init_task = {
	.pid = 0,
	.comm = "idle",
	.group_leader = &init_task,
	.signal = &init_signal,
	.sighand = &init_sighand,
};
LIST_HEAD(task_list);
spinlock_t tasklist_lock = SPINLOCK_INIT("tasklist_lock");

static spinlock_t rq_lock = SPINLOCK_INIT("rq_lock");
static LIST_HEAD(run_queue);	/* (r) runnable tasks not on a CPU, by run_list */
static LIST_HEAD(sleepers);	/* (r) TASK_SLEEPING tasks (sleep_on), by run_list */
static LIST_HEAD(dead_tasks);	/* (r) TASK_DEAD threads, by run_list: freed once off every CPU */
/*
 * (r; the tick reads it without) the CPUs some queued task may run on, the OR of their
 * cpus_allowed, rebuilt at every change of the queue.  The tick looks only at this word:
 * were every CPU's tick to take rq_lock, under TCG on an overloaded host the ticks of 4
 * vCPUs queueing on the ticket lock took longer than the 10 ms between them, and every
 * CPU ran tick handlers only (the x86_64 CPUS=4 stalls, docs/smp.md).  A stale read only
 * moves a round-robin switch to the next tick: wake-ups kick a CPU themselves.
 */
static unsigned long rq_cpus_hint;

void sched_init(void)
{
	init_task.kstack = this_cpu()->idle_stack;
	sched_init_idle(&init_task, 0);
	INIT_LIST_HEAD(&init_signal.thread_head);
	list_add_tail(&init_task.thread_node, &init_signal.thread_head);
	INIT_LIST_HEAD(&init_task.run_list);
	INIT_LIST_HEAD(&init_task.children);
	INIT_LIST_HEAD(&init_task.sibling);
	list_add_tail(&init_task.tasks, &task_list);
}

void sched_init_idle(struct task_struct *idle, unsigned int cpu)
{
	idle->state = TASK_RUNNING;
	idle->on_rq = true;
	idle->on_cpu = 1;
	idle->cpu = cpu;
	idle->cpus_allowed = 1UL << cpu;
	idle->lock_depth = -1;
}

struct mm_struct *active_mm(void)
{
	return this_cpu()->loaded_mm;
}

/*
 * Load mm's user page tables (NULL: none, e.g. after exit).  loaded_mm
 * holds an mm_count reference (mmgrab), so an mm stays alive while a CPU
 * has it loaded after its last task there went (lazy TLB: the idle task
 * keeps it).  A call may run inside the arch switch (its spin-waits) and
 * unload the previous mm (do_shoot_lazy_tlb): the reference dropped is
 * whatever loaded_mm holds once the new root is in.
 */
void switch_mm(struct mm_struct *mm)
{
	unsigned long flags = arch_local_irq_save();
	struct cpu_info *c = this_cpu();
	struct mm_struct *prev;

	if (mm == c->loaded_mm) {
		arch_local_irq_restore(flags);
		return;
	}
	if (mm) {
		mmgrab(mm);
		cpumask_set_cpu(c->cpu, mm_cpumask(mm));	/* before the load: mm_types.h */
	}
	arch_switch_user_pgd(mm);
	prev = c->loaded_mm;
	c->loaded_mm = mm;
	if (prev)
		mmdrop(prev);
	arch_local_irq_restore(flags);
}

/* A call (cleanup_lazy_tlbs): let go of mm if this CPU has it loaded lazily. */
static void do_shoot_lazy_tlb(void *arg)
{
	struct mm_struct *mm = arg;
	struct cpu_info *c = this_cpu();

	if (c->loaded_mm != mm)
		return;
	BUG_ON(current->mm == mm);
	arch_switch_user_pgd(NULL);	/* takes no lock (asm/tlbflush.h) */
	c->loaded_mm = NULL;
	mmdrop(mm);			/* never the last: cleanup_lazy_tlbs' caller holds one */
}

void cleanup_lazy_tlbs(struct mm_struct *mm)
{
	cpumask_t cpus = cpumask_read(mm_cpumask(mm)), lazy = CPU_MASK_NONE;
	unsigned long flags;
	unsigned int cpu;

	/* No task uses mm: no CPU loads it again, one that has it may only let go. */
	for_each_cpu(cpu, &cpus)
		if (READ_ONCE(cpu_data(cpu)->loaded_mm) == mm)
			cpumask_set_cpu(cpu, &lazy);
	if (cpumask_empty(&lazy))
		return;
	smp_call_function_many(&lazy, do_shoot_lazy_tlb, mm);
	flags = arch_local_irq_save();
	do_shoot_lazy_tlb(mm);
	arch_local_irq_restore(flags);
}

static bool is_idle_task(const struct task_struct *t)
{
	return t->pid == 0;
}

/*
 * Switch this CPU from prev to next (picked off the queue, interrupts off,
 * rq_lock dropped): wait until no other CPU still runs next's registers,
 * claim it, switch.  Returns in prev, once some CPU switches back to it.
 */
static void context_switch(struct task_struct *prev, struct task_struct *next)
{
	wait_task_inactive(next);
	next->on_cpu = 1;
	if (next->mm)
		switch_mm(next->mm);	/* the idle task keeps whatever is loaded (lazy TLB) */
	arch_task_switch(prev, next);
	current = next;
	cpu_switch_to(&prev->ctx, &next->ctx, &prev->on_cpu);
}

/*
 * Spin until t's on_cpu is 0, with interrupts on between looks whatever the
 * caller's state: the CPU switching t out may be waiting for this one to
 * answer a cross-CPU call.
 */
void wait_task_inactive(struct task_struct *t)
{
	unsigned long flags = arch_local_irq_save();

	BUG_ON(t == current);
	while (__atomic_load_n(&t->on_cpu, __ATOMIC_ACQUIRE)) {
		arch_local_irq_enable();
		cpu_relax();
		arch_local_irq_disable();
	}
	arch_local_irq_restore(flags);
}

/* Free the dead threads that are off every CPU (see dead_tasks); interrupts off. */
static void reap_dead_tasks(void)
{
	LIST_HEAD(gone);
	struct list_head *pos, *n;

	if (list_empty(&dead_tasks))	/* racy peek: a thread missed now is freed next time */
		return;
	spin_lock(&rq_lock);
	list_for_each_safe(pos, n, &dead_tasks) {
		struct task_struct *t = list_entry(pos, struct task_struct, run_list);

		if (!__atomic_load_n(&t->on_cpu, __ATOMIC_ACQUIRE)) {
			list_del_init(&t->run_list);
			list_add_tail(&t->run_list, &gone);
		}
	}
	spin_unlock(&rq_lock);
	list_for_each_safe(pos, n, &gone)
		task_free(list_entry(pos, struct task_struct, run_list));
}

void task_exit_state(struct task_struct *t, enum task_state state)
{
	BUG_ON(!arch_irqs_disabled() || t != current);
	BUG_ON(state != TASK_ZOMBIE && state != TASK_DEAD);
	if (state == TASK_DEAD) {	/* unlisted now: only the scheduler still knows it */
		spin_lock(&tasklist_lock);
		list_del_init(&t->tasks);
		spin_unlock(&tasklist_lock);
	}
	spin_lock(&rq_lock);
	t->state = state;
	if (state == TASK_DEAD)
		list_add_tail(&t->run_list, &dead_tasks);
	spin_unlock(&rq_lock);
}

/* Rebuild rq_cpus_hint after the queue or a queued task's affinity changed.  rq_lock held. */
static void rq_hint_update(void)
{
	unsigned long mask = 0;
	struct list_head *pos;

	assert_spin_locked(&rq_lock);
	list_for_each(pos, &run_queue)
		mask |= list_entry(pos, struct task_struct, run_list)->cpus_allowed;
	WRITE_ONCE(rq_cpus_hint, mask);
}

/* Queue t (runnable, on no list) at the tail.  rq_lock held. */
static void rq_enqueue(struct task_struct *t)
{
	list_add_tail(&t->run_list, &run_queue);
	rq_hint_update();
}

/* The first queued task this CPU may run, taken off the queue, or the idle task.  rq_lock held. */
static struct task_struct *pick_next_task(struct cpu_info *c)
{
	struct list_head *pos;

	list_for_each(pos, &run_queue) {
		struct task_struct *t = list_entry(pos, struct task_struct, run_list);

		if (t->cpus_allowed & (1UL << c->cpu)) {
			list_del_init(&t->run_list);
			rq_hint_update();
			t->cpu = c->cpu;
			return t;
		}
	}
	return c->idle;
}

/*
 * t was queued: get a CPU to look.  An idle CPU t may run on first (a
 * reschedule IPI, or need_resched when it is this one); else this CPU when
 * t may run here (the switch comes on the way back to user mode); else the
 * first CPU t may run on.  rq_lock held.
 */
static void kick_cpu_for(const struct task_struct *t)
{
	struct cpu_info *self = this_cpu(), *idle = NULL, *any = NULL, *target;

	for (unsigned int cpu = 0; cpu < nr_cpu_ids && !idle; cpu++) {
		struct cpu_info *c = cpu_data(cpu);

		if (!cpu_online(cpu) || !(t->cpus_allowed & (1UL << cpu)))
			continue;
		if (!any)
			any = c;
		if (READ_ONCE(c->current_task) == c->idle && !c->need_resched_flag)
			idle = c;
	}
	target = idle ? idle : (t->cpus_allowed & (1UL << self->cpu)) ? self : any;
	if (!target)
		return;
	target->need_resched_flag = true;
	if (target != self)
		arch_send_ipi(target, IPI_RESCHEDULE);
}

/*
 * The heart of schedule(): entered with rq_lock held (interrupts off), which
 * it drops.  prev stays runnable (queued at the tail) if TASK_RUNNING, else
 * leaves the run queue; a BKL holder lets go of it for the time it is
 * switched out.
 */
static void __schedule(void)
{
	struct cpu_info *c = this_cpu();
	struct task_struct *prev = current, *next;

	assert_spin_locked(&rq_lock);
	BUG_ON(in_interrupt());
#ifdef DEBUG_VM
	if (lockdep_depth() != 1)
		panic("schedule: pid %d switches out holding a spinlock besides rq_lock", prev->pid);
#endif
	need_resched = false;
	if (prev->state == TASK_RUNNING) {
		BUG_ON(!prev->on_rq);
		if (!is_idle_task(prev))
			rq_enqueue(prev);
		if (!(prev->cpus_allowed & (1UL << c->cpu)))
			kick_cpu_for(prev);	/* its affinity changed: another CPU must take it */
	} else {
		prev->on_rq = false;
	}
	next = pick_next_task(c);
	spin_unlock(&rq_lock);
	if (next == prev)
		return;
	release_kernel_lock(prev);
	context_switch(prev, next);
	reap_dead_tasks();
	reacquire_kernel_lock(current);
}

void schedule(void)
{
	unsigned long flags = arch_local_irq_save();

	spin_lock(&rq_lock);
	__schedule();
	arch_local_irq_restore(flags);
}

/* Make t runnable if it sleeps in one of `states` (a bit per enum task_state).  rq_lock held. */
static bool try_to_wake_up(struct task_struct *t, unsigned int states)
{
	assert_spin_locked(&rq_lock);
	if (!(states & (1U << t->state)))
		return false;
	if (t->state == TASK_SLEEPING)
		list_del_init(&t->run_list);	/* off sleepers */
	t->state = TASK_RUNNING;
	if (t->on_rq)
		return true;	/* still on its CPU, before schedule(): it keeps running */
	t->on_rq = true;
	rq_enqueue(t);
	kick_cpu_for(t);
	return true;
}

#define SLEEP_STATES	((1U << TASK_SLEEPING) | (1U << TASK_UNINTERRUPTIBLE))

void wake_up_task(struct task_struct *t)
{
	unsigned long flags = arch_local_irq_save();

	spin_lock(&rq_lock);
	BUG_ON(t->state == TASK_ZOMBIE || t->state == TASK_DEAD);
	try_to_wake_up(t, SLEEP_STATES);
	spin_unlock(&rq_lock);
	arch_local_irq_restore(flags);
}

bool wake_up_sleeper(struct task_struct *t)
{
	unsigned long flags = arch_local_irq_save();
	bool woke;

	spin_lock(&rq_lock);
	woke = try_to_wake_up(t, 1U << TASK_SLEEPING);
	spin_unlock(&rq_lock);
	arch_local_irq_restore(flags);
	return woke;
}

/*
 * sleep_on's body, rq_lock held, interrupts off: unless a signal is pending,
 * become TASK_SLEEPING on sleepers, let go of lock (when given), switch out;
 * once woken take lock again.  rq_lock is dropped either way; lock is held
 * on return either way.
 */
static int sleep_locked(const void *chan, u64 deadline_ns, spinlock_t *lock)
{
	struct task_struct *t = current;

	BUG_ON(is_idle_task(t));
	if (signal_pending(t)) {
		spin_unlock(&rq_lock);
		return -EINTR;
	}
	t->wchan = chan;
	t->wake_at_ns = deadline_ns;
	t->state = TASK_SLEEPING;
	list_add_tail(&t->run_list, &sleepers);
	if (lock)
		spin_unlock(lock);	/* the state is set: a waker now finds t on sleepers */
	__schedule();
	t->wchan = NULL;
	t->wake_at_ns = 0;
	if (lock)
		spin_lock(lock);
	return signal_pending(t) ? -EINTR : 0;
}

int sleep_on(const void *chan, u64 deadline_ns)
{
	might_sleep();
	BUG_ON(!arch_irqs_disabled());
	if (!kernel_locked())
		panic("sleep_on: pid %d sleeps without the big kernel lock (use sleep_on_locked)", current->pid);
	spin_lock(&rq_lock);
	return sleep_locked(chan, deadline_ns, NULL);
}

int sleep_on_locked(const void *chan, u64 deadline_ns, spinlock_t *lock)
{
	BUG_ON(!arch_irqs_disabled());
	assert_spin_locked(lock);
	spin_lock(&rq_lock);
	return sleep_locked(chan, deadline_ns, lock);
}

void wake_up(const void *chan)
{
	unsigned long flags = arch_local_irq_save();
	struct list_head *pos, *n;

	spin_lock(&rq_lock);
	list_for_each_safe(pos, n, &sleepers) {
		struct task_struct *t = list_entry(pos, struct task_struct, run_list);

		if (t->wchan == chan)
			try_to_wake_up(t, 1U << TASK_SLEEPING);
	}
	spin_unlock(&rq_lock);
	arch_local_irq_restore(flags);
}

/* The boot CPU's tick: wake the timed sleepers whose deadline passed.  rq_lock held. */
static void wake_expired_sleepers(u64 now)
{
	struct list_head *pos, *n;

	list_for_each_safe(pos, n, &sleepers) {
		struct task_struct *t = list_entry(pos, struct task_struct, run_list);

		if (t->wake_at_ns && t->wake_at_ns <= now)
			try_to_wake_up(t, 1U << TASK_SLEEPING);
	}
}

/* Fire the interval timers that are due (boot CPU's tick). */
static void itimers_tick(u64 now)
{
	struct list_head *pos;

	spin_lock(&tasklist_lock);
	list_for_each(pos, &task_list)
		itimer_tick(list_entry(pos, struct task_struct, tasks), now);
	spin_unlock(&tasklist_lock);
}

/* Timer tick on this CPU, interrupts off: account the tick to what it interrupted
 * here; on the boot CPU also wake timed sleepers and fire interval timers; ask for a
 * switch when a queued task may run here. */
void scheduler_tick(bool user)
{
	struct cpu_info *c = this_cpu();
	u64 now = ktime_get_ns();

	if (user)
		current->utime_ns += NSEC_PER_SEC / HZ;
	else if (!is_idle_task(current))
		current->stime_ns += NSEC_PER_SEC / HZ;
	if (c->cpu == 0) {
		itimers_tick(now);
		spin_lock(&rq_lock);
		wake_expired_sleepers(now);
		spin_unlock(&rq_lock);
	}
	if (READ_ONCE(rq_cpus_hint) & (1UL << c->cpu))
		need_resched = true;
}

int set_cpus_allowed(struct task_struct *t, unsigned long mask)
{
	unsigned long flags;
	bool move;

	mask &= CPU_MASK_ALL;
	if (!(mask & cpu_online_mask()))
		return -EINVAL;
	flags = arch_local_irq_save();
	spin_lock(&rq_lock);
	t->cpus_allowed = mask;
	rq_hint_update();	/* t may be queued */
	move = t->on_rq && list_empty(&t->run_list) && !(mask & (1UL << t->cpu));	/* running there */
	if (move && t != current) {
		cpu_data(t->cpu)->need_resched_flag = true;
		arch_send_ipi(cpu_data(t->cpu), IPI_RESCHEDULE);
	}
	spin_unlock(&rq_lock);
	if (move && t == current)
		schedule();	/* __schedule queues it for an allowed CPU and kicks one */
	arch_local_irq_restore(flags);
	return 0;
}

int task_cpu(const struct task_struct *t)
{
	return (int)READ_ONCE(t->cpu);
}

void set_task_comm(struct task_struct *t, const char *path)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t n = strnlen(base, TASK_COMM_LEN - 1);

	memcpy(t->comm, base, n);
	t->comm[n] = 0;
}

struct task_struct *find_task_by_vpid(int pid)
{
	struct list_head *pos;

	list_for_each(pos, &task_list) {
		struct task_struct *t = list_entry(pos, struct task_struct, tasks);

		if (t->pid == pid && t->state != TASK_DEAD)
			return t;
	}
	return NULL;
}

struct task_struct *find_task(int pid)
{
	struct task_struct *t = find_task_by_vpid(pid);

	return t && t->state != TASK_ZOMBIE ? t : NULL;
}

/* Does another CPU run a task (not its idle task)?  A racy look, as the zeroer needs. */
static bool other_cpus_busy(void)
{
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		const struct cpu_info *c = cpu_data(cpu);

		if (cpu != smp_processor_id() && cpu_online(cpu) && READ_ONCE(c->current_task) != c->idle)
			return true;
	}
	return false;
}

/* prezero_idle()'s stop(): someone wants this CPU, or a task runs elsewhere. */
static bool resched_pending(void)
{
	return need_resched || other_cpus_busy();
}

/*
 * The idle loop of every CPU: the boot context ends here once init runs,
 * the others once online.  The boot CPU's idle time zeroes free memory
 * (mm/prezero.c), a chunk at a time between looks at need_resched, and only
 * while no other CPU runs a task: the block being zeroed is off the free
 * lists, and a task measuring MemFree (the tests' leak checks) must not see
 * it missing.  A CPU halts when it has nothing to do.  need_resched is checked with
 * interrupts off and arch_idle() enables them only as it halts (sti; hlt /
 * wfi with the interrupt pending), so a reschedule IPI cannot slip in
 * between the look and the halt.
 */
__noreturn void cpu_idle(void)
{
	bool zeroer = smp_processor_id() == 0;

	for (;;) {
		for (;;) {
			arch_local_irq_disable();
			if (need_resched)
				break;
			if (zeroer && !other_cpus_busy()) {
				arch_local_irq_enable();
				if (prezero_idle(resched_pending))
					continue;
				arch_local_irq_disable();
				if (need_resched)
					break;
			}
			arch_idle();
		}
		arch_local_irq_enable();
		schedule();
	}
}
