/*
 * smp.c - per-CPU data, secondary CPU bring-up and cross-CPU calls.
 *
 * The firmware's CPU list (arch code: ACPI MADT on x86_64, the device tree's
 * /cpus on arm64) fills cpu_infos[] through smp_add_cpu() during
 * arch_early_init; logical ids follow the firmware's order with the boot CPU
 * as 0.  smp_init() (boot CPU, after arch_late_init) gives each other CPU an
 * idle task and stack and starts it with arch_boot_secondary(), waiting for
 * it to mark itself online before starting the next (the arch's bring-up
 * data is shared by one starting CPU at a time).  A CPU that stays silent is
 * reported and left out; the others still come up.
 *
 * `nosmp` and `maxcpus=N` (Linux's words) keep the boot CPU alone or stop
 * at N CPUs.
 *
 * Cross-CPU calls: a per-target call slot (struct call_slot).  A caller
 * claims a free slot (cmpxchg CALL_FREE -> CALL_FILLING), fills it, publishes
 * it (CALL_READY, release) and sends the call IPI; the target, in its IPI
 * handler or in any spin-wait (smp_call_poll), copies func/info out, frees
 * the slot (release) and runs func, then decrements the caller's remaining
 * count (release; the caller reads it with acquire, so func's effects are
 * visible once it reaches 0).  No global lock: callers to one target queue
 * on its slot, each spinning with smp_call_poll, so no wait can block a
 * CPU that others wait for (the old call_lock let two CPUs that called each
 * other, interrupts off, spin forever).
 */
#include "kernel/arch.h"
#include "kernel/cmdline.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/slab.h"
#include "kernel/smp.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "mm/gfp.h"
#include "mm/folio.h"
#include "mm/thp_sysfs_file.h"	/* kstrtoul_buf */
#include <uapi/errno.h>

#define ONLINE_TIMEOUT_NS	(5 * NSEC_PER_SEC)	/* a CPU silent this long is given up */
#define STOP_TIMEOUT_NS		NSEC_PER_SEC		/* smp_send_stop's wait for the others */

struct cpu_info cpu_infos[NR_CPUS];
unsigned int nr_cpu_ids = 1, num_online_cpus = 1;
static unsigned int max_cpus = NR_CPUS;		/* (c) maxcpus= / nosmp */
static int stop_cpu = -1;			/* (a) the CPU stopping the machine, -1: none */

extern u8 boot_stack[];

static int nosmp_setup(const char *value)
{
	max_cpus = 1;
	return value ? -EINVAL : 0;
}
__setup("nosmp", nosmp_setup);

/* maxcpus=N: at most N CPUs, the boot CPU included (maxcpus=0 means 1, as in Linux). */
static int maxcpus_setup(const char *value)
{
	unsigned long n;

	if (!value || kstrtoul_buf(value, strlen(value), &n))
		return -EINVAL;
	max_cpus = n ? (n < NR_CPUS ? (unsigned int)n : NR_CPUS) : 1;
	return 0;
}
__setup("maxcpus", maxcpus_setup);

void smp_prepare_boot_cpu(void)
{
	struct cpu_info *c = cpu_data(0);

	c->cpu = 0;
	c->current_task = c->idle = &init_task;
	c->idle_stack = boot_stack;
	c->online = true;
	arch_set_this_cpu(c);
	c->hwid = arch_read_hwid();
}

bool smp_add_cpu(u64 hwid)
{
	struct cpu_info *c;

	if (hwid == cpu_data(0)->hwid)
		return true;
	if (nr_cpu_ids >= NR_CPUS)
		return false;
	c = cpu_data(nr_cpu_ids);
	c->cpu = nr_cpu_ids++;
	c->hwid = hwid;
	return true;
}

/* An idle task and stack for c; false when memory ran out. */
static bool idle_alloc(struct cpu_info *c)
{
	struct task_struct *t = kzalloc(sizeof(*t));
	struct page *stack = alloc_pages(GFP_KERNEL, KSTACK_ORDER);

	if (!t || !stack) {
		kfree(t);
		if (stack)
			free_pages(stack, KSTACK_ORDER);
		return false;
	}
	t->pid = 0;
	sched_init_idle(t, c->cpu);
	t->group_leader = t;
	t->signal = init_task.signal;	/* signal_pending() works on every task (kernel/sched.h) */
	t->sighand = init_task.sighand;
	t->kstack = c->idle_stack = page_address(stack);
	snprintf(t->comm, sizeof(t->comm), "swapper/%u", c->cpu);
	c->current_task = c->idle = t;
	return true;
}

/* Start c and wait for it to come online; false (reported) when it did not. */
static bool boot_one(struct cpu_info *c)
{
	u64 deadline;
	int err;

	if (!idle_alloc(c)) {
		pr_err("smp: no memory for CPU%u's idle task\n", c->cpu);
		return false;
	}
	err = arch_boot_secondary(c);
	if (err) {
		pr_err("smp: CPU%u (hwid %#llx) failed to start: error %d\n", c->cpu,
		       (unsigned long long)c->hwid, err);
		return false;
	}
	deadline = ktime_get_ns() + ONLINE_TIMEOUT_NS;
	while (!__atomic_load_n(&c->online, __ATOMIC_ACQUIRE)) {
		if (ktime_get_ns() > deadline) {
			pr_err("smp: CPU%u (hwid %#llx) did not come online\n", c->cpu,
			       (unsigned long long)c->hwid);
			return false;
		}
		cpu_relax();
	}
	return true;
}

void smp_init(void)
{
	unsigned int want = nr_cpu_ids < max_cpus ? nr_cpu_ids : max_cpus;

	for (unsigned int cpu = 1; cpu < want; cpu++) {
		if (boot_one(cpu_data(cpu)))
			num_online_cpus++;
	}
	pr_info("smp: Brought up 1 node, %u CPU%s\n", num_online_cpus, num_online_cpus > 1 ? "s" : "");
}

__noreturn void smp_secondary_online(void)
{
	struct cpu_info *c = this_cpu();

	pr_debug("smp: CPU%u (hwid %#llx) online\n", c->cpu, (unsigned long long)c->hwid);
	__atomic_store_n(&c->online, true, __ATOMIC_RELEASE);
	arch_local_irq_enable();
	cpu_idle();
}

/* This CPU goes offline and halts for good, interrupts off. */
static __noreturn void smp_stop_self(void)
{
	arch_local_irq_disable();
	__atomic_store_n(&this_cpu()->online, false, __ATOMIC_RELEASE);
	__atomic_fetch_sub(&num_online_cpus, 1, __ATOMIC_RELAXED);
	arch_cpu_stop();
}

void smp_stop_poll(void)
{
	int stopper = __atomic_load_n(&stop_cpu, __ATOMIC_ACQUIRE), self = (int)smp_processor_id();

	if (stopper >= 0 && stopper != self && __atomic_load_n(&panic_cpu, __ATOMIC_ACQUIRE) != self)
		smp_stop_self();
}

void smp_send_stop(void)
{
	int self = (int)smp_processor_id(), prev = -1;
	u64 deadline;

	arch_local_irq_disable();	/* no reschedule IPI may stop the stopper */
	if (!__atomic_compare_exchange_n(&stop_cpu, &prev, self, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE) &&
	    prev != self) {
		if (__atomic_load_n(&panic_cpu, __ATOMIC_ACQUIRE) != self)
			smp_stop_self();	/* another CPU stops the machine */
		__atomic_store_n(&stop_cpu, self, __ATOMIC_RELEASE);	/* a panic takes over: the other stops */
	}
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
		if ((int)cpu != self && cpu_online(cpu))
			arch_send_ipi(cpu_data(cpu), IPI_RESCHEDULE);
	deadline = ktime_get_ns() + STOP_TIMEOUT_NS;
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		while ((int)cpu != self && cpu_online(cpu) && ktime_get_ns() < deadline) {
			smp_call_poll();	/* a CPU in a call to this one finishes it, then stops */
			smp_stop_poll();	/* a panic took the stop over */
			cpu_relax();
		}
	}
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		if ((int)cpu != self && cpu_online(cpu))
			pr_warn("SMP: failed to stop secondary CPU %u\n", cpu);	/* arm64 Linux's words */
	}
	smp_stop_poll();
}

void smp_ipi_reschedule(void)
{
	struct cpu_info *c = this_cpu();

	c->ipi_received[IPI_RESCHEDULE]++;
	smp_stop_poll();
	c->need_resched_flag = true;
}

/* Take the call waiting in c's slot (c is this CPU) and run it; false when none was ready. */
static bool call_run_one(struct cpu_info *c)
{
	void (*func)(void *);
	void *info;
	int *remaining;

	if (__atomic_load_n(&c->call.state, __ATOMIC_ACQUIRE) != CALL_READY)
		return false;
	func = c->call.func;
	info = c->call.info;
	remaining = c->call.remaining;
	__atomic_store_n(&c->call.state, CALL_FREE, __ATOMIC_RELEASE);	/* the next caller may fill it */
	func(info);
	__atomic_fetch_sub(remaining, 1, __ATOMIC_RELEASE);
	return true;
}

void smp_call_poll(void)
{
	unsigned long flags = arch_local_irq_save();

	call_run_one(this_cpu());
	arch_local_irq_restore(flags);
}

void smp_ipi_call_function(void)
{
	struct cpu_info *c = this_cpu();

	c->ipi_received[IPI_CALL_FUNC]++;
	call_run_one(c);	/* nothing ready: a stray IPI, or a spin-wait here ran it first */
}

/* Claim c's slot (answering our own calls while it is busy), fill it and send c the IPI. */
static void call_queue(struct cpu_info *c, void (*func)(void *), void *info, int *remaining)
{
	int free = CALL_FREE;

	while (!__atomic_compare_exchange_n(&c->call.state, &free, CALL_FILLING, false,
					    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
		free = CALL_FREE;
		smp_call_poll();
		smp_stop_poll();	/* c may have stopped with its slot full */
		cpu_relax();
	}
	c->call.func = func;
	c->call.info = info;
	c->call.remaining = remaining;
	__atomic_store_n(&c->call.state, CALL_READY, __ATOMIC_RELEASE);
	arch_send_ipi(c, IPI_CALL_FUNC);
}

/* Wait until every target queued with remaining ran its call, answering ours meanwhile. */
static void call_wait(int *remaining)
{
	while (__atomic_load_n(remaining, __ATOMIC_ACQUIRE)) {
		smp_call_poll();
		smp_stop_poll();	/* a target may have stopped before it ran the call */
		cpu_relax();
	}
}

int smp_call_function_single(unsigned int cpu, void (*func)(void *), void *info)
{
	unsigned long flags;
	int remaining = 1;

	if (cpu == smp_processor_id()) {
		flags = arch_local_irq_save();
		func(info);
		arch_local_irq_restore(flags);
		return 0;
	}
	if (!cpu_online(cpu))
		return -ENXIO;
	call_queue(cpu_data(cpu), func, info, &remaining);
	call_wait(&remaining);
	return 0;
}

void smp_call_function_many(const cpumask_t *mask, void (*func)(void *), void *info)
{
	unsigned long flags = arch_local_irq_save();	/* stay on this CPU while choosing "the others" */
	unsigned int self = smp_processor_id(), cpu;
	cpumask_t targets = *mask;
	int remaining;

	for_each_cpu(cpu, &targets)
		if (!cpu_online(cpu))
			cpumask_clear_cpu(cpu, &targets);
	cpumask_clear_cpu(self, &targets);
	remaining = (int)cpumask_weight(&targets);	/* all counted before the first can answer */
	for_each_cpu(cpu, &targets)
		call_queue(cpu_data(cpu), func, info, &remaining);
	call_wait(&remaining);
	arch_local_irq_restore(flags);
}

void smp_call_function(void (*func)(void *), void *info)
{
	cpumask_t all = { (1UL << nr_cpu_ids) - 1 };

	smp_call_function_many(&all, func, info);
}

void on_each_cpu(void (*func)(void *), void *info)
{
	unsigned long flags;

	smp_call_function(func, info);
	flags = arch_local_irq_save();
	func(info);
	arch_local_irq_restore(flags);
}
