/*
 * asm/ptrace.h (arm64) - the register frame built by every exception entry (entry.S).
 *
 * Usable from assembly: the PT_* offsets are what entry.S and arch_save_regs
 * store the registers at, mostly in pairs with stp; the static asserts after
 * struct pt_regs pin each offset, and each pair, to the C layout.
 */
#ifndef ASM_PTRACE_H
#define ASM_PTRACE_H

#define PT_X(n)		(8 * (n))	/* regs[n] = xn, n = 0..30 */
#define PT_SP		248		/* follows x30: one stp stores both */
#define PT_PC		256		/* pc, pstate: one stp */
#define PT_PSTATE	264
#define PT_ESR		272		/* esr, far: one stp */
#define PT_FAR		280
#define PT_FRAME_SIZE	304		/* sizeof(struct pt_regs): keeps sp 16-byte aligned */

#ifndef __ASSEMBLER__
#include "kernel/compiler.h"
#include "kernel/types.h"

#define PSR_MODE_MASK	0xfUL
#define PSR_MODE_EL0t	0x0UL

struct pt_regs {
	u64 regs[31];	/* x0..x30 */
	u64 sp;
	u64 pc;		/* ELR_EL1 */
	u64 pstate;	/* SPSR_EL1 */
	u64 esr;	/* ESR_EL1 */
	u64 far;	/* FAR_EL1 */
	u64 orig_x0;	/* a system call's first argument (x0 gets the result) */
	u64 syscallno;	/* its number, or NO_SYSCALL (asm/syscall.h); set by arm64_trap */
};
ASM_OFFSET(struct pt_regs, regs[0], PT_X(0));
ASM_OFFSET_PAIR(struct pt_regs, regs[30], sp, PT_X(30));
ASM_OFFSET(struct pt_regs, sp, PT_SP);
ASM_OFFSET_PAIR(struct pt_regs, pc, pstate, PT_PC);
ASM_OFFSET(struct pt_regs, pstate, PT_PSTATE);
ASM_OFFSET_PAIR(struct pt_regs, esr, far, PT_ESR);
ASM_OFFSET(struct pt_regs, far, PT_FAR);
ASM_SIZE(struct pt_regs, PT_FRAME_SIZE);
_Static_assert(PT_FRAME_SIZE % 16 == 0, "entry.S keeps sp 16-byte aligned");

static inline unsigned long instruction_pointer(const struct pt_regs *regs)
{
	return regs->pc;
}

static inline unsigned long user_stack_pointer(const struct pt_regs *regs)
{
	return regs->sp;
}

static inline bool user_mode(const struct pt_regs *regs)
{
	return (regs->pstate & PSR_MODE_MASK) == PSR_MODE_EL0t;
}

static inline unsigned long regs_frame_pointer(const struct pt_regs *regs)
{
	return regs->regs[29];
}

/* One store pair of arch_save_regs: xa, xa+1 at regs[a] from %0. */
#define __PT_STP(a, b)	"stp x" #a ", x" #b ", [%0, #" __stringify(PT_X(a)) "]\n\t"

/* Snapshot the caller's registers (for panic reports). */
static inline __attribute__((always_inline)) void arch_save_regs(struct pt_regs *r)
{
	__asm__ __volatile__(
		__PT_STP(0, 1) __PT_STP(2, 3) __PT_STP(4, 5) __PT_STP(6, 7) __PT_STP(8, 9)
		__PT_STP(10, 11) __PT_STP(12, 13) __PT_STP(14, 15) __PT_STP(16, 17)
		__PT_STP(18, 19) __PT_STP(20, 21) __PT_STP(22, 23) __PT_STP(24, 25)
		__PT_STP(26, 27) __PT_STP(28, 29)
		"str x30, [%0, #" __stringify(PT_X(30)) "]\n\t"
		"mov x9, sp\n\tstr x9, [%0, #" __stringify(PT_SP) "]\n\t"
		"adr x9, .\n\tstr x9, [%0, #" __stringify(PT_PC) "]\n\t"
		"mrs x9, daif\n\tstr x9, [%0, #" __stringify(PT_PSTATE) "]"
		: : "r"(r) : "x9", "memory");
	r->esr = 0;
	r->far = 0;
}

#endif /* __ASSEMBLER__ */
#endif
