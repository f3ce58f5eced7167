/*
 * traps.c (arm64) - the C side of the exception vectors (entry.S).
 *
 * Synchronous exceptions in the kernel are either expected (a probe or
 * uaccess instruction listed in the exception table: resume at its fixup) or
 * fatal: die() prints the decoded ESR, the fault address, the registers and a
 * backtrace.  IRQs go to the GIC.
 */
#include "kernel/arch.h"
#include "kernel/extable.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "mm/vma.h"
#include <asm/syscall.h>
#include <asm/sysreg.h>
#include <asm/uaccess.h>

enum { KIND_SYNC, KIND_IRQ, KIND_FIQ, KIND_SERROR, KIND_BAD };

void gic_handle_irq(bool user);
void arm64_syscall(struct pt_regs *regs);

static const char *esr_class_name(unsigned int ec)
{
	switch (ec) {
	case ESR_EC_UNKNOWN: return "undefined instruction";
	case ESR_EC_SVC64: return "SVC";
	case ESR_EC_IABT_LOW:
	case ESR_EC_IABT_CUR: return "instruction abort";
	case ESR_EC_PC_ALIGN: return "PC alignment fault";
	case ESR_EC_DABT_LOW:
	case ESR_EC_DABT_CUR: return "data abort";
	case ESR_EC_SP_ALIGN: return "SP alignment fault";
	case ESR_EC_BRK64: return "BRK";
	default: return "exception";
	}
}

/* Fault status code (ESR ISS[5:0]) in words. */
static const char *fsc_name(u64 fsc)
{
	switch (fsc & 0x3c) {
	case 0x04: return "translation fault";
	case 0x08: return "access flag fault";
	case 0x0c: return "permission fault";
	case 0x20: return "alignment fault";
	default: return "other fault";
	}
}

/*
 * Resume at a registered fixup if the fault is expected.  A fetch fault at
 * the target of probe_exec is matched through the return address in x30.
 */
static bool fixup_exception(struct pt_regs *regs, unsigned int ec)
{
	const struct exception_table_entry *e = search_exception_tables(regs->pc);

	if (!e && ec == ESR_EC_IABT_CUR)
		e = search_exception_tables(regs->regs[30]);
	if (!e)
		return false;
	regs->pc = e->fixup;
	return true;
}

void arch_dump_regs(const struct pt_regs *r)
{
	printk(KERN_EMERG "pc : %016llx pstate: %08llx\n", r->pc, r->pstate);
	printk(KERN_EMERG "sp : %016llx esr: %08llx far: %016llx\n", r->sp, r->esr, r->far);
	for (int i = 0; i < 30; i += 3)
		printk(KERN_EMERG "x%-2d: %016llx x%-2d: %016llx x%-2d: %016llx\n", i, r->regs[i],
		       i + 1, r->regs[i + 1], i + 2, r->regs[i + 2]);
	printk(KERN_EMERG "x30: %016llx\n", r->regs[30]);
}

/* Fault flags for an abort (ESR ISS: WnR, and CM for cache maintenance). */
static unsigned int abort_fault_flags(const struct pt_regs *regs, unsigned int ec)
{
	if (ec == ESR_EC_IABT_LOW || ec == ESR_EC_IABT_CUR)
		return FAULT_FLAG_INSTRUCTION;
	return ((regs->esr & ESR_ELx_WNR) && !(regs->esr & ESR_ELx_CM)) ? FAULT_FLAG_WRITE : 0;
}

/* An abort on a user address: resolve it through the fault path; true = retry. */
static bool do_user_abort(struct pt_regs *regs, unsigned int ec)
{
	unsigned int flags = abort_fault_flags(regs, ec);

	if (regs->far >= TASK_SIZE || (regs->esr & ESR_ELx_FSC) == ESR_FSC_ALIGN)
		return false;	/* no mapping can fix an alignment fault: SIGBUS */
	if (!user_mode(regs) && !search_exception_tables(regs->pc))
		return false;	/* the kernel touched user memory outside uaccess: a bug */
	if (user_mode(regs))
		flags |= FAULT_FLAG_USER;
	return fault_user_address(regs, regs->far, flags);
}

/* What a user-mode synchronous exception raises: signal, si_code, si_addr (Linux's choices). */
struct exception_sig {
	int sig, code;
	unsigned long addr;
};

static struct exception_sig esr_signal(const struct pt_regs *regs, unsigned int ec)
{
	switch (ec) {
	case ESR_EC_DABT_LOW:
	case ESR_EC_IABT_LOW:
		if ((regs->esr & ESR_ELx_FSC) == ESR_FSC_ALIGN)
			return (struct exception_sig){ SIGBUS, BUS_ADRALN, regs->far };
		return (struct exception_sig){ SIGSEGV, fault_si_code(regs->far), regs->far };
	case ESR_EC_PC_ALIGN: return (struct exception_sig){ SIGBUS, BUS_ADRALN, regs->far };
	case ESR_EC_SP_ALIGN: return (struct exception_sig){ SIGBUS, BUS_ADRALN, regs->sp };
	case ESR_EC_BRK64: return (struct exception_sig){ SIGTRAP, TRAP_BRKPT, regs->pc };
	default: return (struct exception_sig){ SIGILL, ILL_ILLOPC, regs->pc };
	}
}

static void do_el0_sync(struct pt_regs *regs)
{
	unsigned int ec = regs->esr >> ESR_EC_SHIFT;
	bool abort = ec == ESR_EC_DABT_LOW || ec == ESR_EC_IABT_LOW;
	struct exception_sig es;
	char cause[96];

	if (ec == ESR_EC_SVC64) {
		arm64_syscall(regs);
		return;
	}
	if (abort && do_user_abort(regs, ec))
		return;
	snprintf(cause, sizeof(cause), "%s (ESR %#llx%s%s)", esr_class_name(ec), regs->esr,
		 abort ? ", " : "", abort ? fsc_name(regs->esr & ESR_ELx_FSC) : "");
	es = esr_signal(regs, ec);
	current->thread.fault_address = es.addr;	/* for the frame's sigcontext */
	current->thread.fault_code = regs->esr;
	force_sig_fault(regs, es.sig, es.code, es.addr, cause);
}

static void do_sync(struct pt_regs *regs)
{
	unsigned int ec = regs->esr >> ESR_EC_SHIFT;
	bool abort = ec == ESR_EC_DABT_CUR || ec == ESR_EC_IABT_CUR;

	if (user_mode(regs)) {
		do_el0_sync(regs);
		return;
	}
	if (abort && do_user_abort(regs, ec))
		return;
	if ((abort || ec == ESR_EC_UNKNOWN) && fixup_exception(regs, ec))
		return;	/* ESR_EC_UNKNOWN: semihosting_probe's HLT without semihosting */
	if (abort)
		die(regs, "%s (ESR %#llx: %s, %s) at %#llx, address %#llx", esr_class_name(ec),
		    regs->esr, ec == ESR_EC_IABT_CUR ? "instruction fetch" :
		    (regs->esr & ESR_ELx_WNR) ? "write" : "read",
		    fsc_name(regs->esr & ESR_ELx_FSC), regs->pc, regs->far);
	die(regs, "%s (ESR %#llx, EC %#x) at %#llx", esr_class_name(ec), regs->esr, ec, regs->pc);
}

/* Called by entry.S for every exception taken to EL1. */
void arm64_trap(struct pt_regs *regs, int kind)
{
	if (user_mode(regs))
		forget_syscall(regs);	/* until arm64_syscall says it is an SVC */
	switch (kind) {
	case KIND_SYNC:
		do_sync(regs);
		break;
	case KIND_IRQ:
		gic_handle_irq(user_mode(regs));
		break;
	default:
		if (user_mode(regs))
			force_fatal_signal(regs, SIGILL, regs->pc, "unexpected exception from EL0");
		die(regs, "unexpected %s exception (ESR %#llx) at %#llx",
		    kind == KIND_FIQ ? "FIQ" : kind == KIND_SERROR ? "SError" : "lower-EL",
		    regs->esr, regs->pc);
	}
	if (user_mode(regs))
		exit_to_user_mode(regs);
}
