/*
 * process.c (x86_64) - per-task CPU state: the kernel stack the CPU switches
 * to on entry from user mode (TSS.rsp0 and the SYSCALL per-CPU slot), TLS
 * bases (FS/GS), new-task frames, and the SYSCALL/SMEP/SMAP setup.
 */
#include "kernel/arch.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include <asm/cpu.h>
#include <asm/fpu.h>
#include <asm/percpu.h>
#include <asm/segment.h>
#include <asm/tlbflush.h>
#include <asm/uaccess.h>
#include <uapi/arch_prctl.h>
#include <uapi/errno.h>

#define MSR_STAR		0xc0000081
#define MSR_LSTAR		0xc0000082
#define MSR_SYSCALL_MASK	0xc0000084
#define MSR_FS_BASE		0xc0000100
#define MSR_KERNEL_GS_BASE	0xc0000102
#define EFER_SCE		(1UL << 0)
/* Flags SYSCALL clears: TF, DF, IF, IOPL, AC, NT (as Linux). */
#define SYSCALL_MASK		0x47700UL

bool x86_smap_enabled;
static u8 init_fxsave[512] __aligned(16);	/* a clean x87/SSE state for new programs */

void fxsave(u8 *buf)
{
	__asm__ __volatile__("fxsave64 (%0)" : : "r"(buf) : "memory");
}

void fxrstor(const u8 *buf)
{
	__asm__ __volatile__("fxrstor64 (%0)" : : "r"(buf) : "memory");
}

void fpu_reset(void)
{
	fxrstor(init_fxsave);
}

u32 fpu_mxcsr_mask(void)
{
	u32 mask;

	memcpy(&mask, init_fxsave + FXSAVE_MXCSR_MASK, sizeof(mask));
	return mask ? mask : 0xffbf;	/* 0: the CPU predates the field (SDM 11.6.6) */
}

void entry_SYSCALL_64(void);
void ret_from_fork(void);
void gdt_set_kernel_stack(u64 top);

/*
 * This CPU's part of user-mode support (every CPU: arch_user_init on the boot
 * CPU, x86_secondary_start on the others): SSE usable, the SYSCALL MSRs,
 * SMEP and SMAP when the CPU has them.  GS_BASE is the cpu_info already.
 */
void x86_cpu_user_init(void)
{
	u32 a, b, c, d;

	/* User code uses SSE: CR0.MP on, EM off; CR4.OSFXSR and OSXMMEXCPT on. */
	write_cr0((read_cr0() & ~(1UL << 2)) | (1UL << 1));
	write_cr4(read_cr4() | (1UL << 9) | (1UL << 10));
	wrmsr(MSR_KERNEL_GS_BASE, 0);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	wrmsr(MSR_STAR, (u64)KERNEL_CS << 32);
	wrmsr(MSR_LSTAR, (u64)entry_SYSCALL_64);
	wrmsr(MSR_SYSCALL_MASK, SYSCALL_MASK);
	cpuid(7, 0, &a, &b, &c, &d);
	if (b & (1U << 7))
		write_cr4(read_cr4() | CR4_SMEP);
	if (b & (1U << 20)) {
		write_cr4(read_cr4() | CR4_SMAP);
		x86_smap_enabled = true;
	}
}

void arch_user_init(void)
{
	u32 mxcsr = 0x1f80;

	x86_cpu_user_init();
	__asm__ __volatile__("fninit; ldmxcsr %0" : : "m"(mxcsr));
	fxsave(init_fxsave);
	pr_info("x86: SYSCALL on, SMEP %s, SMAP %s\n", (read_cr4() & CR4_SMEP) ? "on" : "absent",
		x86_smap_enabled ? "on" : "absent");
	x86_pcid_init();
}

static u64 kstack_top(const struct task_struct *t)
{
	return (u64)t->kstack + KSTACK_SIZE;
}

void arch_task_switch(struct task_struct *prev, struct task_struct *next)
{
	fxsave(prev->thread.fxsave);
	fxrstor(next->thread.fxsave);
	prev->thread.fs_base = rdmsr(MSR_FS_BASE);
	prev->thread.gs_base = rdmsr(MSR_KERNEL_GS_BASE);
	wrmsr(MSR_FS_BASE, next->thread.fs_base);
	wrmsr(MSR_KERNEL_GS_BASE, next->thread.gs_base);
	this_cpu()->arch.kernel_stack = kstack_top(next);
	gdt_set_kernel_stack(kstack_top(next));
}

void arch_setup_kthread(struct task_struct *t, void (*fn)(void))
{
	memcpy(t->thread.fxsave, init_fxsave, sizeof(init_fxsave));
	memset(&t->ctx, 0, sizeof(t->ctx));
	/* Start fn with a 16-byte aligned stack minus the return-address slot. */
	t->ctx.rsp = (u64)t->user_regs - 8;
	t->ctx.rip = (u64)fn;
}

void arch_setup_fork_child(struct task_struct *child)
{
	fxsave(child->thread.fxsave);	/* the parent's live registers */
	child->thread.fs_base = rdmsr(MSR_FS_BASE);
	child->thread.gs_base = rdmsr(MSR_KERNEL_GS_BASE);
	memset(&child->ctx, 0, sizeof(child->ctx));
	child->ctx.rsp = (u64)child->user_regs;
	child->ctx.rip = (u64)ret_from_fork;
	child->user_regs->rax = 0;
}

int arch_set_tls(struct task_struct *child, unsigned long tls)
{
	if (tls >= TASK_SIZE)
		return -EPERM;
	child->thread.fs_base = tls;
	return 0;
}

void arch_start_thread_regs(struct pt_regs *regs, unsigned long pc, unsigned long sp)
{
	memset(regs, 0, sizeof(*regs));
	regs->rip = pc;
	regs->rsp = sp;
	regs->cs = USER_CS;
	regs->ss = USER_DS;
	regs->rflags = X86_EFLAGS_IF | 0x2;	/* bit 1 is always set */
	fpu_reset();
	current->thread.fs_base = 0;
	current->thread.gs_base = 0;
	wrmsr(MSR_FS_BASE, 0);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
}

void regs_set_return_value(struct pt_regs *regs, long value)
{
	regs->rax = (u64)value;
}

void regs_set_user_sp(struct pt_regs *regs, unsigned long sp)
{
	regs->rsp = sp;
}

/* Called by entry_SYSCALL_64 with the user frame; the result goes to rax. */
void x86_syscall(struct pt_regs *regs)
{
	struct syscall_args args = { { regs->rdi, regs->rsi, regs->rdx, regs->r10, regs->r8, regs->r9 } };

	arch_local_irq_enable();
	regs->rax = (u64)do_syscall(regs->rax, &args);
	exit_to_user_mode(regs);
}

SYSCALL_DEFINE2(arch_prctl, int, code, unsigned long, addr)
{
	switch (code) {
	case ARCH_SET_FS:
		if (addr >= TASK_SIZE)
			return -EPERM;
		current->thread.fs_base = addr;
		wrmsr(MSR_FS_BASE, addr);
		return 0;
	case ARCH_SET_GS:
		if (addr >= TASK_SIZE)
			return -EPERM;
		current->thread.gs_base = addr;
		wrmsr(MSR_KERNEL_GS_BASE, addr);
		return 0;
	case ARCH_GET_FS:
		return put_user(rdmsr(MSR_FS_BASE), (u64 __user *)addr);
	case ARCH_GET_GS:
		return put_user(rdmsr(MSR_KERNEL_GS_BASE), (u64 __user *)addr);
	default:
		return -EINVAL;
	}
}
