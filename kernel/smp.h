/*
 * smp.h - per-CPU data and cross-CPU function calls (kernel/smp.c).
 *
 * Every CPU has one struct cpu_info, reached through a register the CPU
 * keeps for itself: GS base on x86_64 (in kernel mode; swapgs trades it with
 * the user's on every crossing), TPIDR_EL1 on arm64.  this_cpu() reads that
 * register; cpu_data(cpu) names any CPU's block by its logical number (Linux
 * spells these this_cpu_ptr() and per_cpu(); foliOS has one explicit struct
 * instead of a per-CPU section, so there is one accessor of each kind).
 * smp_processor_id() is this_cpu()->cpu, the logical id 0..nr_cpu_ids-1;
 * the boot CPU is always 0.  `current` is this_cpu()->current
 * (asm/current.h), so every caller keeps the name.
 *
 * Bring-up (docs/smp.md "Bring-up"): the boot CPU learns the other CPUs'
 * hardware ids from the firmware (ACPI MADT / device tree), then
 * smp_init() starts them one at a time through arch_boot_secondary(); each
 * runs arch code until smp_secondary_online(), which marks it online and
 * enters its idle loop, from where it runs tasks like the boot CPU
 * (kernel/sched.c).
 *
 * Cross-CPU calls: smp_call_function_single()/_many() put (func, info) into
 * each target's call slot, send the call-function IPI and spin until every
 * target ran func, in its interrupt handler or while it spins itself.
 * Interrupts may be off while a CPU waits (every spinlock turns them off):
 * every spin-wait (a spinlock's, a caller's for a slot or for its targets)
 * runs smp_call_poll(), so a CPU that waits still answers the calls aimed
 * at it, and two CPUs calling each other, or one holding a lock the other
 * spins on, cannot deadlock.  So a call's func must take no lock and not
 * wait (it may interrupt a lock holder's spin).
 */
#ifndef KERNEL_SMP_H
#define KERNEL_SMP_H

#include "kernel/types.h"
#include "kernel/compiler.h"
#include "kernel/cpumask.h"
#include "kernel/lockdep.h"
#include <asm/percpu.h>

#define NR_CPUS		8
#define CPU_MASK_ALL	((1UL << NR_CPUS) - 1)	/* every CPU, as an affinity mask */

struct task_struct;
struct mm_struct;

/* The IPIs (Linux's names): each arch maps them to a vector / SGI number. */
enum ipi_type {
	IPI_RESCHEDULE,		/* look at need_resched */
	IPI_CALL_FUNC,		/* run the function in this CPU's call slot */
	NR_IPI,
};

/*
 * The cross-CPU call waiting for one target (smp.c).  state: CALL_FREE, then
 * CALL_FILLING (one caller claimed it), CALL_READY (func, info, remaining
 * published); the target copies them out and frees the slot before it runs
 * func, then decrements *remaining, the caller's count of targets to go.
 */
enum { CALL_FREE, CALL_FILLING, CALL_READY };

struct call_slot {
	void (*func)(void *info);
	void *info;
	int *remaining;
	int state;
};

struct cpu_info {
	struct arch_cpu_info arch;	/* first: entry code reaches it at fixed offsets */
	struct task_struct *current_task;	/* the task running here: `current` */
	struct task_struct *idle;	/* this CPU's idle task (pid 0) */
	void *idle_stack;		/* its kernel stack (KSTACK_SIZE) */
	struct mm_struct *loaded_mm;	/* whose user page tables this CPU uses */
	unsigned int cpu;		/* logical id */
	u64 hwid;			/* APIC id (x86_64) / MPIDR affinity (arm64) */
	volatile bool need_resched_flag;	/* a switch is wanted on the way out: `need_resched` */
	volatile bool online;		/* set by the CPU itself, once it idles */
	int irq_depth;			/* interrupt handlers running (nested) here */
	int irqoff_depth;		/* interrupts-off sections (spinlocks held) nested here: push_off */
	unsigned long irqoff_flags;	/* the interrupt state before the outermost (kernel/spinlock.h) */
#ifdef DEBUG_VM
	struct held_lock held_locks[LOCKDEP_MAX_DEPTH];	/* the spinlocks this CPU holds (kernel/lockdep.c) */
	unsigned int held_lock_depth;	/* ... how many */
#endif
	u64 ipi_received[NR_IPI];	/* IPIs handled, by type */
	struct call_slot call;
};

extern struct cpu_info cpu_infos[NR_CPUS];
/* CPUs the firmware described and we may start (boot CPU included), and online now. */
extern unsigned int nr_cpu_ids, num_online_cpus;

static inline struct cpu_info *cpu_data(unsigned int cpu)
{
	return &cpu_infos[cpu];
}

static inline struct cpu_info *this_cpu(void)
{
	return arch_this_cpu();
}

static inline unsigned int smp_processor_id(void)
{
	return this_cpu()->cpu;
}

static inline bool cpu_online(unsigned int cpu)
{
	return cpu < nr_cpu_ids && cpu_data(cpu)->online;
}

/* The online CPUs as an affinity mask (a bit per CPU; Linux's cpu_online_mask). */
static inline unsigned long cpu_online_mask(void)
{
	unsigned long mask = 0;

	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
		if (cpu_online(cpu))
			mask |= 1UL << cpu;
	return mask;
}

/* Interrupt handlers (not exceptions) run between irq_enter() and irq_exit(). */
static inline void irq_enter(void)
{
	this_cpu()->irq_depth++;
}

static inline void irq_exit(void)
{
	this_cpu()->irq_depth--;
}

static inline bool in_interrupt(void)
{
	return this_cpu()->irq_depth > 0;
}

/*
 * Record a CPU the firmware lists (hardware id hwid; the boot CPU's own entry
 * is recognised and skipped).  Returns false once NR_CPUS are recorded (this
 * one stays off); maxcpus= applies later, in smp_init.
 */
bool smp_add_cpu(u64 hwid);
/* Boot CPU, before anything reads current: its cpu_info (id 0, hwid, init_task, online). */
void smp_prepare_boot_cpu(void);
/* Boot CPU, memory allocator and interrupts up: start every recorded CPU, print the smp line. */
void smp_init(void);
/* A secondary CPU's last bring-up step (interrupts still off): online, then idle forever. */
__noreturn void smp_secondary_online(void);

/*
 * Stop every other CPU (Linux's smp_send_stop), before the machine powers
 * off or resets, so that nothing prints after the last line: each takes a
 * reschedule IPI, goes offline and halts with interrupts off
 * (arch_cpu_stop).  Interrupts stay off here from now on.  A CPU stops only
 * where it holds none of the locks the caller's last lines need (the
 * console's: smp_stop_poll).  Waits up to a second for them, answering
 * cross-CPU calls meanwhile; a CPU still online then (spinning with
 * interrupts off) is reported, "SMP: failed to stop secondary CPU N", and
 * the machine stops anyway.  When another CPU is stopping the machine
 * already, this one stops instead (never returns), unless it is the
 * panicking CPU: a panic takes the stop over, and the other CPU stops.
 */
void smp_send_stop(void);
/*
 * Stop this CPU here if another one is stopping the machine (and this is
 * not the panicking CPU).  Called where a CPU holds neither output_lock nor
 * fbcon_lock: the reschedule IPI's handler (interrupts were on, so no
 * spinlock is held), the big kernel lock's spin-wait (under QEMU TCG its
 * loop takes no interrupt), the cross-CPU call waits (a target may stop
 * before it runs the call), smp_send_stop's own wait.
 */
void smp_stop_poll(void);

/* Interrupt handlers call these for the IPIs they decode. */
void smp_ipi_call_function(void);
void smp_ipi_reschedule(void);
/*
 * Run the call waiting in this CPU's slot, if any (what the call IPI does):
 * every spin-wait calls it, so a CPU with interrupts off still answers.
 */
void smp_call_poll(void);

/*
 * The calls below run func(info) on their targets and wait until it has run
 * on all of them; func runs with interrupts off, in the target's interrupt
 * handler or inside one of its spin-waits, so it must take no lock and not
 * wait.  Callable from any context, interrupts on or off, even from a
 * call's func: every wait answers this CPU's own calls (see the top).
 */
/* On cpu (another online CPU, or this one: then directly); 0, or -ENXIO when cpu is not online. */
int smp_call_function_single(unsigned int cpu, void (*func)(void *), void *info);
/* On every online CPU of mask but this one (Linux's smp_call_function_many, wait = true). */
void smp_call_function_many(const cpumask_t *mask, void (*func)(void *), void *info);
/* On every other online CPU (Linux's smp_call_function). */
void smp_call_function(void (*func)(void *), void *info);
/* smp_call_function, then func(info) here too (interrupts off, as on the others). */
void on_each_cpu(void (*func)(void *), void *info);

/* ---- what arch/<arch>/smp.c provides ---- */

/* Point this CPU's per-CPU register at c (once per CPU, before any this_cpu()). */
void arch_set_this_cpu(struct cpu_info *c);
/* Start CPU c (its cpu_info and idle stack ready) at the arch secondary entry; 0 or -errno.
 * Returns without waiting for it to come online. */
int arch_boot_secondary(struct cpu_info *c);
/* Send IPI type to CPU c. */
void arch_send_ipi(struct cpu_info *c, enum ipi_type type);
/* This CPU's hardware id read from the hardware (APIC ID register / MPIDR_EL1). */
u64 arch_read_hwid(void);

#endif
