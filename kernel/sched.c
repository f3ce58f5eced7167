/*
 * sched.c - the scheduler: run queue, context switches, sleeping and waking.
 *
 * Tasks run on the boot CPU only, round robin: the run queue holds
 * runnable tasks other than current; the tick requests a reschedule when
 * someone is waiting, which happens on the way back to user mode (the
 * kernel itself is not preemptible).  Task 0 (init_task, the boot context)
 * is the boot CPU's idle task: it runs when the queue is empty and never
 * sits on it.  The other CPUs (kernel/smp.c) run only their own idle loop,
 * cpu_idle_secondary(), and answer IPIs.  current, need_resched and the
 * loaded mm are per CPU (struct cpu_info).
 *
 * Interrupts are off while the queue or task states change.
 */
#include "kernel/arch.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "mm/mm_types.h"
#include "mm/vma.h"
#include "mm/pgtable.h"
#include "mm/prezero.h"
#include <uapi/errno.h>

static struct signal_struct init_signal = { .count = 1, .live = 1, .nr_threads = 1 };
static struct sighand_struct init_sighand = { .count = 1 };
struct task_struct init_task = {
	.pid = 0,
	.comm = "idle",
	.state = TASK_RUNNING,
	.group_leader = &init_task,
	.signal = &init_signal,
	.sighand = &init_sighand,
};
LIST_HEAD(task_list);
static LIST_HEAD(run_queue);
/*
 * Exited threads that are not group leaders (TASK_DEAD, by run_list):
 * nobody waits for them, so they are freed as soon as they are off the
 * CPU, by whoever next returns from schedule() (Linux's finish_task_switch
 * puts the task's stack).  Tasks run on one CPU: a dead task that is not
 * current has switched away.  Once they run on several, the test becomes
 * "not on any CPU" (Linux's p->on_cpu), and the list gets the run queue's lock.
 */
static LIST_HEAD(dead_tasks);

void sched_init(void)
{
	init_task.kstack = this_cpu()->idle_stack;
	INIT_LIST_HEAD(&init_signal.thread_head);
	list_add_tail(&init_task.thread_node, &init_signal.thread_head);
	INIT_LIST_HEAD(&init_task.run_list);
	INIT_LIST_HEAD(&init_task.children);
	INIT_LIST_HEAD(&init_task.sibling);
	list_add_tail(&init_task.tasks, &task_list);
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

static void context_switch(struct task_struct *prev, struct task_struct *next)
{
	if (next->mm)
		switch_mm(next->mm);	/* the idle task keeps whatever is loaded */
	arch_task_switch(prev, next);
	current = next;
	cpu_switch_to(&prev->ctx, &next->ctx);
}

/* Free the dead threads that are off the CPU (see dead_tasks); interrupts off. */
static void reap_dead_tasks(void)
{
	struct list_head *pos, *n;

	list_for_each_safe(pos, n, &dead_tasks) {
		struct task_struct *t = list_entry(pos, struct task_struct, run_list);

		if (t == current)
			continue;
		list_del_init(&t->run_list);
		list_del_init(&t->tasks);
		task_free(t);
	}
}

void task_dead(struct task_struct *t)
{
	BUG_ON(!arch_irqs_disabled() || t != current);
	t->state = TASK_DEAD;
	list_add_tail(&t->run_list, &dead_tasks);
}

void schedule(void)
{
	unsigned long flags = arch_local_irq_save();
	struct task_struct *prev = current, *next;

	need_resched = false;
	if (prev->state == TASK_RUNNING && prev != &init_task)
		list_add_tail(&prev->run_list, &run_queue);
	if (list_empty(&run_queue)) {
		next = &init_task;
	} else {
		next = list_first_entry(&run_queue, struct task_struct, run_list);
		list_del_init(&next->run_list);
	}
	if (next != prev)
		context_switch(prev, next);
	reap_dead_tasks();
	arch_local_irq_restore(flags);
}

void wake_up_task(struct task_struct *t)
{
	unsigned long flags = arch_local_irq_save();

	BUG_ON(t->state == TASK_ZOMBIE || t->state == TASK_DEAD);
	if (t->state != TASK_RUNNING) {
		t->state = TASK_RUNNING;
		list_add_tail(&t->run_list, &run_queue);
		need_resched = true;
	}
	arch_local_irq_restore(flags);
}

int sleep_on(const void *chan, u64 deadline_ns)
{
	might_sleep();
	BUG_ON(!arch_irqs_disabled());
	BUG_ON(current == &init_task);
	if (signal_pending(current))
		return -EINTR;
	current->wchan = chan;
	current->wake_at_ns = deadline_ns;
	current->state = TASK_SLEEPING;
	schedule();
	current->wchan = NULL;
	current->wake_at_ns = 0;
	return signal_pending(current) ? -EINTR : 0;
}

void wake_up(const void *chan)
{
	unsigned long flags = arch_local_irq_save();
	struct list_head *pos;

	list_for_each(pos, &task_list) {
		struct task_struct *t = list_entry(pos, struct task_struct, tasks);

		if (t->state == TASK_SLEEPING && t->wchan == chan)
			wake_up_task(t);
	}
	arch_local_irq_restore(flags);
}

/* Timer tick, interrupts off: account the tick, wake timed sleepers, fire interval
 * timers, ask for a switch. */
void scheduler_tick(bool user)
{
	u64 now = ktime_get_ns();
	struct list_head *pos;

	if (user)
		current->utime_ns += NSEC_PER_SEC / HZ;
	else if (current != &init_task)
		current->stime_ns += NSEC_PER_SEC / HZ;
	list_for_each(pos, &task_list) {
		struct task_struct *t = list_entry(pos, struct task_struct, tasks);

		if (t->state == TASK_SLEEPING && t->wake_at_ns && t->wake_at_ns <= now)
			wake_up_task(t);
		itimer_tick(t, now);
	}
	if (!list_empty(&run_queue))
		need_resched = true;
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

/* prezero_idle()'s stop(): someone wants the CPU. */
static bool resched_pending(void)
{
	return need_resched;
}

/*
 * The idle loop: the boot context ends here once init runs.  Idle time
 * zeroes free memory (mm/prezero.c), a chunk at a time between looks at
 * need_resched; the CPU halts only when nothing is left to zero.
 */
__noreturn void cpu_idle(void)
{
	for (;;) {
		while (!need_resched)
			if (!prezero_idle(resched_pending))
				arch_idle();
		schedule();
	}
}

/*
 * A secondary CPU's idle loop, entered with interrupts off once it is online
 * (smp_secondary_online): no task is ever queued for it yet, so it halts
 * with interrupts on and wakes only to handle them (IPIs); a reschedule IPI
 * has nothing to switch to.
 */
__noreturn void cpu_idle_secondary(void)
{
	for (;;) {
		arch_idle();
		need_resched = false;
	}
}
