/* asm/ptrace.h (x86_64) - the register frame built by every trap and interrupt entry. */
#ifndef ASM_PTRACE_H
#define ASM_PTRACE_H

#include "kernel/types.h"

struct pt_regs {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
	u64 vector;		/* pushed by the stub */
	u64 error_code;		/* pushed by the CPU, or 0 by the stub */
	u64 rip, cs, rflags, rsp, ss;	/* pushed by the CPU */
};

static inline unsigned long instruction_pointer(const struct pt_regs *regs)
{
	return regs->rip;
}

static inline bool user_mode(const struct pt_regs *regs)
{
	return (regs->cs & 3) == 3;
}

static inline unsigned long regs_frame_pointer(const struct pt_regs *regs)
{
	return regs->rbp;
}

/* Snapshot the caller's registers (for panic reports). */
static inline __attribute__((always_inline)) void arch_save_regs(struct pt_regs *r)
{
	__asm__ __volatile__(
		"movq %%rax, 112(%0)\n\tmovq %%rbx, 104(%0)\n\tmovq %%rcx, 96(%0)\n\t"
		"movq %%rdx, 88(%0)\n\tmovq %%rsi, 80(%0)\n\tmovq %%rdi, 72(%0)\n\t"
		"movq %%rbp, 64(%0)\n\tmovq %%r8, 56(%0)\n\tmovq %%r9, 48(%0)\n\t"
		"movq %%r10, 40(%0)\n\tmovq %%r11, 32(%0)\n\tmovq %%r12, 24(%0)\n\t"
		"movq %%r13, 16(%0)\n\tmovq %%r14, 8(%0)\n\tmovq %%r15, 0(%0)\n\t"
		"leaq 0(%%rip), %%rax\n\tmovq %%rax, 136(%0)\n\tmovq %%rsp, 160(%0)\n\t"
		"pushfq\n\tpopq 152(%0)"
		: : "r"(r) : "rax", "memory");
	__asm__ __volatile__("mov %%cs, %0" : "=r"(r->cs));
	__asm__ __volatile__("mov %%ss, %0" : "=r"(r->ss));
	r->vector = 0;
	r->error_code = 0;
}

#endif
