/*
 * process.c (arm64) - per-task CPU state: TLS (TPIDR_EL0), new-task frames,
 * the system-call entry from EL0, PAN, and the MMU's management of the access
 * flag and dirty state (FEAT_HAFDBS).
 */
#include "kernel/arch.h"
#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include <asm/fpsimd.h>
#include <asm/syscall.h>
#include <asm/sysreg.h>
#include <asm/tlbflush.h>
#include <asm/uaccess.h>

#define SCTLR_SPAN	(1UL << 23)	/* 0: PAN is set on every exception to EL1 */
#define SCTLR_UCT	(1UL << 15)	/* EL0 may read CTR_EL0 (cache line sizes) */
#define SCTLR_UCI	(1UL << 26)	/* EL0 may clean/invalidate caches by VA (__clear_cache) */

bool arm64_pan_enabled;

#define CPACR_FPEN	(3UL << 20)	/* FP/SIMD usable at EL0 and EL1 */

/* Save / load q0..q31, FPSR and FPCR (the kernel itself never touches them). */
void fpsimd_save(struct thread_struct *t)
{
	__asm__ __volatile__(
		".arch_extension fp\n\t.arch_extension simd\n\t"
		"stp q0, q1, [%0, #0]\n\tstp q2, q3, [%0, #32]\n\tstp q4, q5, [%0, #64]\n\t"
		"stp q6, q7, [%0, #96]\n\tstp q8, q9, [%0, #128]\n\tstp q10, q11, [%0, #160]\n\t"
		"stp q12, q13, [%0, #192]\n\tstp q14, q15, [%0, #224]\n\tstp q16, q17, [%0, #256]\n\t"
		"stp q18, q19, [%0, #288]\n\tstp q20, q21, [%0, #320]\n\tstp q22, q23, [%0, #352]\n\t"
		"stp q24, q25, [%0, #384]\n\tstp q26, q27, [%0, #416]\n\tstp q28, q29, [%0, #448]\n\t"
		"stp q30, q31, [%0, #480]" : : "r"(t->vregs) : "memory");
	t->fpsr = read_sysreg(fpsr);
	t->fpcr = read_sysreg(fpcr);
}

void fpsimd_load(const struct thread_struct *t)
{
	__asm__ __volatile__(
		".arch_extension fp\n\t.arch_extension simd\n\t"
		"ldp q0, q1, [%0, #0]\n\tldp q2, q3, [%0, #32]\n\tldp q4, q5, [%0, #64]\n\t"
		"ldp q6, q7, [%0, #96]\n\tldp q8, q9, [%0, #128]\n\tldp q10, q11, [%0, #160]\n\t"
		"ldp q12, q13, [%0, #192]\n\tldp q14, q15, [%0, #224]\n\tldp q16, q17, [%0, #256]\n\t"
		"ldp q18, q19, [%0, #288]\n\tldp q20, q21, [%0, #320]\n\tldp q22, q23, [%0, #352]\n\t"
		"ldp q24, q25, [%0, #384]\n\tldp q26, q27, [%0, #416]\n\tldp q28, q29, [%0, #448]\n\t"
		"ldp q30, q31, [%0, #480]" : : "r"(t->vregs) : "memory");
	write_sysreg(t->fpsr, fpsr);
	write_sysreg(t->fpcr, fpcr);
}

void ret_from_fork(void);

#define TCR_HA		(1UL << 39)	/* the MMU sets the access flag */
#define TCR_HD		(1UL << 40)	/* the MMU clears PTE_RDONLY on writes to DBM pages */
#define HAFDBS_AF	1		/* ID_AA64MMFR1_EL1.HAFDBS: access flag only */
#define HAFDBS_DBM	2		/* ... and dirty state */

static unsigned int hafdbs_cap = 0xf;	/* (c) id_aa64mmfr1.hafdbs=: the most we use */

/* Linux's ID-register override word: id_aa64mmfr1.hafdbs=0 keeps AF and dirty in software. */
static int hafdbs_setup(const char *value)
{
	if (!value || value[0] < '0' || value[0] > '9' || value[1])
		return -22;
	hafdbs_cap = value[0] - '0';
	return 0;
}
__setup("id_aa64mmfr1.hafdbs", hafdbs_setup);

/*
 * Let the MMU keep the access flag and dirty state of user PTEs when the CPU
 * can (asm/pgtable.h has the PTE format both ways); without it the fault path
 * does (mm/memory.c).  TCR fields may be cached in the TLB: flush it.
 */
static void hafdbs_init(u64 mmfr1)
{
	unsigned int level = min((unsigned int)(mmfr1 & 0xf), hafdbs_cap);
	u64 tcr = read_sysreg(tcr_el1) & ~(TCR_HA | TCR_HD);

	if (level >= HAFDBS_AF)
		tcr |= TCR_HA;
	if (level >= HAFDBS_DBM)
		tcr |= TCR_HD;
	write_sysreg(tcr, tcr_el1);
	isb();
	__asm__ __volatile__("tlbi vmalle1; dsb nsh; isb" : : : "memory");
	pr_info("arm64: access flag %s, dirty state %s (FEAT_HAFDBS %llu)\n",
		level >= HAFDBS_AF ? "in hardware" : "by faults",
		level >= HAFDBS_DBM ? "in hardware (DBM)" : "by faults", mmfr1 & 0xf);
}

void arch_user_init(void)
{
	u64 mmfr1 = read_sysreg(id_aa64mmfr1_el1);

	write_sysreg(read_sysreg(cpacr_el1) | CPACR_FPEN, cpacr_el1);
	write_sysreg(read_sysreg(sctlr_el1) | SCTLR_UCT | SCTLR_UCI, sctlr_el1);	/* as Linux */
	isb();
	if ((mmfr1 >> 20) & 0xf) {
		write_sysreg(read_sysreg(sctlr_el1) & ~SCTLR_SPAN, sctlr_el1);
		isb();
		arm64_pan_enabled = true;
		uaccess_end();		/* PSTATE.PAN = 1 from now on */
	}
	pr_info("arm64: PAN %s\n", arm64_pan_enabled ? "on" : "absent");
	hafdbs_init(mmfr1);
	arm64_asid_init();
}

void arch_task_switch(struct task_struct *prev, struct task_struct *next)
{
	fpsimd_save(&prev->thread);
	fpsimd_load(&next->thread);
	prev->thread.tpidr_el0 = read_sysreg(tpidr_el0);
	write_sysreg(next->thread.tpidr_el0, tpidr_el0);
}

void arch_setup_kthread(struct task_struct *t, void (*fn)(void))
{
	memset(&t->ctx, 0, sizeof(t->ctx));
	t->ctx.sp = (u64)t->user_regs;
	t->ctx.lr = (u64)fn;
}

void arch_setup_fork_child(struct task_struct *child)
{
	fpsimd_save(&child->thread);	/* the parent's live registers */
	child->thread.tpidr_el0 = read_sysreg(tpidr_el0);
	memset(&child->ctx, 0, sizeof(child->ctx));
	child->ctx.sp = (u64)child->user_regs;
	child->ctx.lr = (u64)ret_from_fork;
	child->user_regs->regs[0] = 0;
}

int arch_set_tls(struct task_struct *child, unsigned long tls)
{
	child->thread.tpidr_el0 = tls;
	return 0;
}

void arch_start_thread_regs(struct pt_regs *regs, unsigned long pc, unsigned long sp)
{
	memset(regs, 0, sizeof(*regs));
	regs->pc = pc;
	regs->sp = sp;
	regs->pstate = PSR_MODE_EL0t;	/* interrupts unmasked */
	regs->syscallno = (u64)NO_SYSCALL;
	memset(&current->thread, 0, sizeof(current->thread));
	fpsimd_load(&current->thread);
	write_sysreg(0, tpidr_el0);
}

void regs_set_return_value(struct pt_regs *regs, long value)
{
	regs->regs[0] = (u64)value;
}

void regs_set_user_sp(struct pt_regs *regs, unsigned long sp)
{
	regs->sp = sp;
}

/* SVC from EL0: number in x8, arguments in x0..x5, result to x0 (the first argument stays in orig_x0). */
void arm64_syscall(struct pt_regs *regs)
{
	struct syscall_args args = { { regs->regs[0], regs->regs[1], regs->regs[2], regs->regs[3],
				       regs->regs[4], regs->regs[5] } };

	regs->orig_x0 = regs->regs[0];
	regs->syscallno = regs->regs[8];
	arch_local_irq_enable();
	regs->regs[0] = (u64)do_syscall(regs->regs[8], &args);
}
