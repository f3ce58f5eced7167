/*
 * asm/ptrace.h (x86_64) - the register frame built by every trap and interrupt entry.
 *
 * Usable from assembly: the PT_* offsets are what entry.S and arch_save_regs
 * store the registers at; the static asserts after struct pt_regs pin each one
 * to the C layout.  From PT_VECTOR up the frame is what the entry stubs and
 * the CPU push, in this order (lowest address first).
 */
#ifndef ASM_PTRACE_H
#define ASM_PTRACE_H

#define PT_R15		0
#define PT_R14		8
#define PT_R13		16
#define PT_R12		24
#define PT_R11		32
#define PT_R10		40
#define PT_R9		48
#define PT_R8		56
#define PT_RBP		64
#define PT_RDI		72
#define PT_RSI		80
#define PT_RDX		88
#define PT_RCX		96
#define PT_RBX		104
#define PT_RAX		112
#define PT_VECTOR	120	/* pushed by the stub (-1: a system call) */
#define PT_ERROR_CODE	128	/* pushed by the CPU, or 0 by the stub; a system call's number */
#define PT_RIP		136	/* rip, cs, rflags, rsp, ss: pushed by the CPU */
#define PT_CS		144
#define PT_RFLAGS	152
#define PT_RSP		160
#define PT_SS		168

#ifndef __ASSEMBLER__
#include "kernel/compiler.h"
#include "kernel/types.h"

struct pt_regs {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
	u64 vector;
	union {
		u64 error_code;	/* an exception's */
		u64 orig_ax;	/* a system call's number (vector -1), as Linux's orig_ax */
	};
	u64 rip, cs, rflags, rsp, ss;
};
ASM_OFFSET(struct pt_regs, r15, PT_R15);
ASM_OFFSET(struct pt_regs, r14, PT_R14);
ASM_OFFSET(struct pt_regs, r13, PT_R13);
ASM_OFFSET(struct pt_regs, r12, PT_R12);
ASM_OFFSET(struct pt_regs, r11, PT_R11);
ASM_OFFSET(struct pt_regs, r10, PT_R10);
ASM_OFFSET(struct pt_regs, r9, PT_R9);
ASM_OFFSET(struct pt_regs, r8, PT_R8);
ASM_OFFSET(struct pt_regs, rbp, PT_RBP);
ASM_OFFSET(struct pt_regs, rdi, PT_RDI);
ASM_OFFSET(struct pt_regs, rsi, PT_RSI);
ASM_OFFSET(struct pt_regs, rdx, PT_RDX);
ASM_OFFSET(struct pt_regs, rcx, PT_RCX);
ASM_OFFSET(struct pt_regs, rbx, PT_RBX);
ASM_OFFSET(struct pt_regs, rax, PT_RAX);
ASM_OFFSET(struct pt_regs, vector, PT_VECTOR);
ASM_OFFSET(struct pt_regs, error_code, PT_ERROR_CODE);
ASM_OFFSET(struct pt_regs, rip, PT_RIP);
ASM_OFFSET(struct pt_regs, cs, PT_CS);
ASM_OFFSET(struct pt_regs, rflags, PT_RFLAGS);
ASM_OFFSET(struct pt_regs, rsp, PT_RSP);
ASM_OFFSET(struct pt_regs, ss, PT_SS);
ASM_SIZE(struct pt_regs, PT_SS + 8);	/* the CPU's frame ends the struct */

static inline unsigned long instruction_pointer(const struct pt_regs *regs)
{
	return regs->rip;
}

static inline unsigned long user_stack_pointer(const struct pt_regs *regs)
{
	return regs->rsp;
}

static inline bool user_mode(const struct pt_regs *regs)
{
	return (regs->cs & 3) == 3;
}

static inline unsigned long regs_frame_pointer(const struct pt_regs *regs)
{
	return regs->rbp;
}

/* One store of arch_save_regs: register reg at offset off from %0. */
#define __PT_MOVQ(reg, off)	"movq %%" #reg ", " __stringify(off) "(%0)\n\t"

/* Snapshot the caller's registers (for panic reports). */
static inline __attribute__((always_inline)) void arch_save_regs(struct pt_regs *r)
{
	__asm__ __volatile__(
		__PT_MOVQ(rax, PT_RAX) __PT_MOVQ(rbx, PT_RBX) __PT_MOVQ(rcx, PT_RCX)
		__PT_MOVQ(rdx, PT_RDX) __PT_MOVQ(rsi, PT_RSI) __PT_MOVQ(rdi, PT_RDI)
		__PT_MOVQ(rbp, PT_RBP) __PT_MOVQ(r8, PT_R8) __PT_MOVQ(r9, PT_R9)
		__PT_MOVQ(r10, PT_R10) __PT_MOVQ(r11, PT_R11) __PT_MOVQ(r12, PT_R12)
		__PT_MOVQ(r13, PT_R13) __PT_MOVQ(r14, PT_R14) __PT_MOVQ(r15, PT_R15)
		"leaq 0(%%rip), %%rax\n\t" __PT_MOVQ(rax, PT_RIP) __PT_MOVQ(rsp, PT_RSP)
		"pushfq\n\tpopq " __stringify(PT_RFLAGS) "(%0)"
		: : "r"(r) : "rax", "memory");
	__asm__ __volatile__("mov %%cs, %0" : "=r"(r->cs));
	__asm__ __volatile__("mov %%ss, %0" : "=r"(r->ss));
	r->vector = 0;
	r->error_code = 0;
}

#endif /* __ASSEMBLER__ */
#endif
