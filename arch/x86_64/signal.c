/*
 * signal.c (x86_64) - Linux's x86_64 signal frame and rt_sigreturn (see
 * kernel/signal.h for when they are used).
 *
 * The frame, as Linux's get_sigframe places it, from the handler's rsp up:
 *
 *   rsp       struct rt_sigframe: pretcode (= sa_restorer: the handler's
 *             return address), the ucontext (uc_mcontext: struct sigcontext
 *             with every register, fpstate pointing at the FP state below,
 *             uc_sigmask: the mask to restore), the siginfo (SA_SIGINFO)
 *             rsp % 16 == 8, as at the entry of a called function
 *   fpstate   the FXSAVE image (512 bytes, 64-byte aligned); its
 *             sw_reserved bytes carry FP_XSTATE_MAGIC1 and the sizes, as
 *             Linux writes them (no XSAVE state: no MAGIC2)
 *             the 128-byte red zone below the interrupted rsp, or the top
 *             of the alternate stack (SA_ONSTACK)
 *
 * The handler starts with rdi = signal, rsi = &info, rdx = &uc, rax = 0,
 * a clean FP state, DF/TF/RF clear.  As on Linux a handler without
 * SA_RESTORER cannot be returned from, so the frame fails (SIGSEGV).
 * rt_sigreturn takes the frame at rsp - 8 (the handler's ret popped
 * pretcode), restores the mask, registers (RFLAGS: only the arithmetic
 * flags, DF, TF, AC, RF), FP state and sigaltstack; a frame that cannot be
 * read, or asks for other segments or a non-canonical rip, is SIGSEGV.
 */
#include "kernel/arch.h"
#include "kernel/signal.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include <asm/fpu.h>
#include <asm/segment.h>
#include <asm/syscall.h>
#include <uapi/errno.h>
#include <uapi/ucontext.h>

struct rt_sigframe {
	char *pretcode;
	struct ucontext uc;
	siginfo_t info;
};

#define X86_EFLAGS_CF	0x0001UL
#define X86_EFLAGS_PF	0x0004UL
#define X86_EFLAGS_AF	0x0010UL
#define X86_EFLAGS_ZF	0x0040UL
#define X86_EFLAGS_SF	0x0080UL
#define X86_EFLAGS_TF	0x0100UL
#define X86_EFLAGS_DF	0x0400UL
#define X86_EFLAGS_OF	0x0800UL
#define X86_EFLAGS_RF	0x10000UL
#define X86_EFLAGS_AC	0x40000UL
/* The RFLAGS bits a frame may set (Linux's FIX_EFLAGS). */
#define FIX_EFLAGS	(X86_EFLAGS_AC | X86_EFLAGS_OF | X86_EFLAGS_DF | X86_EFLAGS_TF | \
			 X86_EFLAGS_SF | X86_EFLAGS_ZF | X86_EFLAGS_AF | X86_EFLAGS_PF | \
			 X86_EFLAGS_CF | X86_EFLAGS_RF)
#define RED_ZONE	128

BUILD_BUG_ON(sizeof(struct _fpstate_64) != FXSAVE_SIZE);

/* Save the CPU's FP state as the frame's FXSAVE image at uaddr. */
static int save_fpstate(unsigned long uaddr)
{
	u8 fx[FXSAVE_SIZE] __aligned(16);
	struct _fpstate_64 *fp = (struct _fpstate_64 *)fx;

	fxsave(fx);
	memset(&fp->sw_reserved, 0, sizeof(fp->sw_reserved));
	fp->sw_reserved.magic1 = FP_XSTATE_MAGIC1;
	fp->sw_reserved.extended_size = FXSAVE_SIZE + FP_XSTATE_MAGIC2_SIZE;
	fp->sw_reserved.xfeatures = 3;		/* x87 | SSE */
	fp->sw_reserved.xstate_size = FXSAVE_SIZE;
	return copy_to_user((void __user *)uaddr, fx, FXSAVE_SIZE) ? -EFAULT : 0;
}

static void fill_sigcontext(struct sigcontext *sc, const struct pt_regs *regs, kernel_sigset_t oldset,
			    unsigned long fpstate)
{
	*sc = (struct sigcontext){
		.r8 = regs->r8, .r9 = regs->r9, .r10 = regs->r10, .r11 = regs->r11,
		.r12 = regs->r12, .r13 = regs->r13, .r14 = regs->r14, .r15 = regs->r15,
		.rdi = regs->rdi, .rsi = regs->rsi, .rbp = regs->rbp, .rbx = regs->rbx,
		.rdx = regs->rdx, .rax = regs->rax, .rcx = regs->rcx, .rsp = regs->rsp,
		.rip = regs->rip, .eflags = regs->rflags, .cs = (u16)regs->cs, .ss = (u16)regs->ss,
		.err = current->thread.error_code, .trapno = current->thread.trap_nr,
		.oldmask = oldset, .cr2 = current->thread.cr2,
		.fpstate = (struct _fpstate_64 *)fpstate,
	};
}

int arch_setup_rt_frame(struct ksignal *ksig, kernel_sigset_t oldset, struct pt_regs *regs)
{
	unsigned long sp = regs->rsp - RED_ZONE, top, fpstate, addr;
	bool nested = sas_ss_flags(regs->rsp) == SS_ONSTACK;
	struct rt_sigframe frame, __user *uf;

	if (!(ksig->ka.sa_flags & SA_RESTORER))
		return -EFAULT;
	top = sigsp(sp, ksig);
	fpstate = ALIGN_DOWN(top - FXSAVE_SIZE, 64);
	addr = ALIGN_DOWN(fpstate - sizeof(frame), 16) - 8;
	if ((nested || top != sp) && !__on_sig_stack(addr))
		return -EFAULT;		/* it would overflow the alternate stack */
	uf = (struct rt_sigframe __user *)addr;
	memset(&frame, 0, sizeof(frame));
	frame.pretcode = (char *)ksig->ka.sa_restorer;
	frame.uc.uc_flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
	fill_sigcontext(&frame.uc.uc_mcontext, regs, oldset, fpstate);
	frame.uc.uc_sigmask = oldset;
	if (ksig->ka.sa_flags & SA_SIGINFO)
		fill_siginfo(&frame.info, ksig->sig, &ksig->info);
	if (save_fpstate(fpstate) || copy_to_user(uf, &frame, sizeof(frame)) ||
	    save_altstack(&uf->uc.uc_stack))
		return -EFAULT;
	regs->rdi = (u64)ksig->sig;
	regs->rax = 0;
	regs->rsi = (u64)&uf->info;
	regs->rdx = (u64)&uf->uc;
	regs->rip = (u64)ksig->ka.sa_handler;
	regs->rsp = addr;
	regs->cs = USER_CS;
	regs->ss = USER_DS;
	regs->rflags &= ~(X86_EFLAGS_DF | X86_EFLAGS_RF | X86_EFLAGS_TF);
	fpu_reset();
	return 0;
}

/* Load the frame's FP state (NULL: the clean one); its MXCSR may not set reserved bits. */
static int restore_fpstate(const struct _fpstate_64 __user *ufp)
{
	u8 fx[FXSAVE_SIZE] __aligned(16);
	struct _fpstate_64 *fp = (struct _fpstate_64 *)fx;

	if (!ufp) {
		fpu_reset();
		return 0;
	}
	if (copy_from_user(fx, ufp, FXSAVE_SIZE))
		return -EFAULT;
	fp->mxcsr &= fpu_mxcsr_mask();
	fxrstor(fx);
	return 0;
}

static bool canonical(u64 addr)
{
	return (u64)((s64)(addr << 16) >> 16) == addr;
}

/* Put the frame's registers into regs; -EINVAL (nothing changed) for segments or a rip iretq refuses. */
static int restore_sigcontext(struct pt_regs *regs, const struct sigcontext *sc)
{
	if ((sc->cs | 3) != USER_CS || (sc->ss | 3) != USER_DS || !canonical(sc->rip))
		return -EINVAL;
	regs->r8 = sc->r8; regs->r9 = sc->r9; regs->r10 = sc->r10; regs->r11 = sc->r11;
	regs->r12 = sc->r12; regs->r13 = sc->r13; regs->r14 = sc->r14; regs->r15 = sc->r15;
	regs->rdi = sc->rdi; regs->rsi = sc->rsi; regs->rbp = sc->rbp; regs->rbx = sc->rbx;
	regs->rdx = sc->rdx; regs->rax = sc->rax; regs->rcx = sc->rcx; regs->rsp = sc->rsp;
	regs->rip = sc->rip;
	regs->rflags = (regs->rflags & ~FIX_EFLAGS) | (sc->eflags & FIX_EFLAGS);
	regs->cs = USER_CS;
	regs->ss = USER_DS;
	forget_syscall(regs);	/* its rax is no restart code of ours */
	return restore_fpstate(sc->fpstate);
}

SYSCALL_DEFINE0(rt_sigreturn)
{
	struct pt_regs *regs = current->user_regs;
	struct rt_sigframe __user *uf = (struct rt_sigframe __user *)(regs->rsp - sizeof(long));
	struct rt_sigframe frame;

	if (copy_from_user(&frame, uf, sizeof(frame)))
		goto badframe;
	set_current_blocked(frame.uc.uc_sigmask);
	if (restore_sigcontext(regs, &frame.uc.uc_mcontext) ||
	    restore_altstack(&uf->uc.uc_stack, regs->rsp))
		goto badframe;
	return (long)regs->rax;
badframe:
	force_sig_fault(regs, SIGSEGV, SI_KERNEL, 0, "(bad rt_sigreturn frame)");
	return 0;
}

const void *arch_sigpage_code(size_t *len)
{
	*len = 0;
	return NULL;
}
