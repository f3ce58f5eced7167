/* asm/ptrace.h (arm64) - the register frame built by every exception entry (entry.S). */
#ifndef ASM_PTRACE_H
#define ASM_PTRACE_H

#include "kernel/types.h"

struct pt_regs {
	u64 regs[31];	/* x0..x30 */
	u64 sp;
	u64 pc;		/* ELR_EL1 */
	u64 pstate;	/* SPSR_EL1 */
	u64 esr;	/* ESR_EL1 */
	u64 far;	/* FAR_EL1 */
};

#define PSR_MODE_MASK	0xfUL
#define PSR_MODE_EL0t	0x0UL

static inline unsigned long instruction_pointer(const struct pt_regs *regs)
{
	return regs->pc;
}

static inline bool user_mode(const struct pt_regs *regs)
{
	return (regs->pstate & PSR_MODE_MASK) == PSR_MODE_EL0t;
}

static inline unsigned long regs_frame_pointer(const struct pt_regs *regs)
{
	return regs->regs[29];
}

/* Snapshot the caller's registers (for panic reports). */
static inline __attribute__((always_inline)) void arch_save_regs(struct pt_regs *r)
{
	__asm__ __volatile__(
		"stp x0, x1, [%0, #0]\n\tstp x2, x3, [%0, #16]\n\tstp x4, x5, [%0, #32]\n\t"
		"stp x6, x7, [%0, #48]\n\tstp x8, x9, [%0, #64]\n\tstp x10, x11, [%0, #80]\n\t"
		"stp x12, x13, [%0, #96]\n\tstp x14, x15, [%0, #112]\n\tstp x16, x17, [%0, #128]\n\t"
		"stp x18, x19, [%0, #144]\n\tstp x20, x21, [%0, #160]\n\tstp x22, x23, [%0, #176]\n\t"
		"stp x24, x25, [%0, #192]\n\tstp x26, x27, [%0, #208]\n\tstp x28, x29, [%0, #224]\n\t"
		"str x30, [%0, #240]\n\tmov x9, sp\n\tstr x9, [%0, #248]\n\t"
		"adr x9, .\n\tstr x9, [%0, #256]\n\tmrs x9, daif\n\tstr x9, [%0, #264]"
		: : "r"(r) : "x9", "memory");
	r->esr = 0;
	r->far = 0;
}

#endif
