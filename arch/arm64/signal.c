/*
 * signal.c (arm64) - Linux's arm64 signal frame, rt_sigreturn and the
 * sigreturn trampoline (see kernel/signal.h for when they are used).
 *
 * The frame, as Linux's get_sigframe places it, from the handler's sp up:
 *
 *   sp        struct rt_sigframe (4688 bytes, 16-byte aligned): the siginfo
 *             (SA_SIGINFO), then the ucontext: uc_stack, uc_sigmask (the
 *             mask to restore), uc_mcontext = struct sigcontext
 *             {fault_address, x0..x30, sp, pc, pstate, __reserved}, whose
 *             __reserved holds records: fpsimd_context (magic 0x46508001,
 *             528 bytes: FPSR, FPCR, q0..q31), an esr_context after a fault,
 *             then the {0, 0} terminator
 *   x29       struct frame_record {x29, x30} of the interrupted code, so
 *             unwinders walk through the handler
 *             the interrupted sp, or the top of the alternate stack
 *
 * The handler starts with x0 = signal (x1 = &info, x2 = &uc with
 * SA_SIGINFO), x30 = sa_restorer with SA_RESTORER, otherwise the
 * trampoline "mov x8, #__NR_rt_sigreturn; svc #0" that execve maps in
 * every program (kernel/exec.c's sigpage; Linux keeps it in the vDSO).  The
 * FP/SIMD registers are left as they were (as Linux).  rt_sigreturn takes
 * the frame at sp (which must be 16-byte aligned), restores the mask,
 * registers, FP/SIMD state and sigaltstack; a frame that cannot be read,
 * asks for a mode other than EL0t/AArch64 or masked exceptions, or has a
 * missing, repeated or unknown record is SIGSEGV.  pstate keeps only NZCV.
 */
#include "kernel/arch.h"
#include "kernel/signal.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "mm/vma.h"
#include <asm/fpsimd.h>
#include <asm/syscall.h>
#include <uapi/errno.h>
#include <uapi/ucontext.h>
#include <uapi/unistd.h>

struct rt_sigframe {
	siginfo_t info;
	struct ucontext uc;
};
BUILD_BUG_ON(sizeof(struct rt_sigframe) % 16);

struct frame_record {
	u64 fp, lr;
};

/* What sigcontext holds before __reserved: fault_address, then pt_regs' x0..x30, sp, pc, pstate. */
struct sigcontext_regs {
	u64 fault_address;
	u64 regs[31], sp, pc, pstate;
};
BUILD_BUG_ON(sizeof(struct sigcontext_regs) != __builtin_offsetof(struct sigcontext, pstate) + 8);

#define PSR_MODE32_BIT	0x10UL
#define PSR_DAIF	0x3c0UL		/* D, A, I, F */
#define PSR_NZCV	0xf0000000UL

/* __reserved's layout: fpsimd_context, esr_context (after a fault), terminator. */
#define FPSIMD_OFFSET	0
#define ESR_OFFSET	sizeof(struct fpsimd_context)
#define RESERVED_SIZE	sizeof(((struct sigcontext *)0)->__reserved)

/* mov x8, #__NR_rt_sigreturn; svc #0 */
static const u32 sigtramp[] = { 0xd2800008 | (__NR_rt_sigreturn << 5), 0xd4000001 };

const void *arch_sigpage_code(size_t *len)
{
	*len = sizeof(sigtramp);
	return sigtramp;
}

/* The FP/SIMD record of the CPU's registers at uaddr. */
static int save_fpsimd(struct fpsimd_context __user *uctx)
{
	struct fpsimd_context ctx = { .head = { FPSIMD_MAGIC, sizeof(ctx) } };

	fpsimd_save(&current->thread);
	ctx.fpsr = (u32)current->thread.fpsr;
	ctx.fpcr = (u32)current->thread.fpcr;
	memcpy(ctx.vregs, current->thread.vregs, sizeof(ctx.vregs));
	return copy_to_user(uctx, &ctx, sizeof(ctx)) ? -EFAULT : 0;
}

/* The records of __reserved: FP/SIMD, the ESR of a fault being delivered, the terminator. */
static int save_records(u8 __user *reserved)
{
	struct esr_context esr = { .head = { ESR_MAGIC, sizeof(esr) }, .esr = current->thread.fault_code };
	struct _aarch64_ctx end = { 0, 0 };
	unsigned long off = ESR_OFFSET;

	if (save_fpsimd((struct fpsimd_context __user *)(reserved + FPSIMD_OFFSET)))
		return -EFAULT;
	if (current->thread.fault_code) {
		if (copy_to_user(reserved + off, &esr, sizeof(esr)))
			return -EFAULT;
		off += sizeof(esr);
		current->thread.fault_code = 0;
	}
	return copy_to_user(reserved + off, &end, sizeof(end)) ? -EFAULT : 0;
}

int arch_setup_rt_frame(struct ksignal *ksig, kernel_sigset_t oldset, struct pt_regs *regs)
{
	unsigned long top = sigsp(regs->sp, ksig), record, addr;
	struct sigcontext_regs scr = { .fault_address = current->thread.fault_address };
	struct frame_record fr = { regs->regs[29], regs->regs[30] };
	unsigned long tramp = (ksig->ka.sa_flags & SA_RESTORER) ? (unsigned long)ksig->ka.sa_restorer :
				current->sigpage;
	struct rt_sigframe __user *uf;
	siginfo_t info;

	record = ALIGN_DOWN(top - sizeof(fr), 16);
	addr = record - sizeof(struct rt_sigframe);
	uf = (struct rt_sigframe __user *)addr;
	memcpy(scr.regs, regs->regs, sizeof(scr.regs));
	scr.sp = regs->sp;
	scr.pc = regs->pc;
	scr.pstate = regs->pstate;
	if (!tramp || !access_ok(uf, top - addr) ||
	    copy_to_user((void __user *)record, &fr, sizeof(fr)) ||
	    clear_user(uf, __builtin_offsetof(struct rt_sigframe, uc.uc_mcontext)) ||
	    copy_to_user(&uf->uc.uc_mcontext, &scr, sizeof(scr)) ||
	    copy_to_user(&uf->uc.uc_sigmask, &oldset, sizeof(oldset)) ||
	    save_altstack(&uf->uc.uc_stack) || save_records(uf->uc.uc_mcontext.__reserved))
		return -EFAULT;
	if (ksig->ka.sa_flags & SA_SIGINFO) {
		fill_siginfo(&info, ksig->sig, &ksig->info);
		if (copy_to_user(&uf->info, &info, sizeof(info)))
			return -EFAULT;
		regs->regs[1] = (u64)&uf->info;
		regs->regs[2] = (u64)&uf->uc;
	}
	regs->regs[0] = (u64)ksig->sig;
	regs->sp = addr;
	regs->regs[29] = record;
	regs->regs[30] = tramp;
	regs->pc = (u64)ksig->ka.sa_handler;
	return 0;
}

/*
 * Walk the records of __reserved (Linux's parse_user_sigframe): exactly one
 * fpsimd_context of its size (copied to *fp), esr_context ignored, then the
 * terminator.  0 or -EINVAL.
 */
static int parse_records(const u8 __user *reserved, struct fpsimd_context *fp)
{
	bool have_fpsimd = false;

	for (unsigned long off = 0; off + sizeof(struct _aarch64_ctx) <= RESERVED_SIZE;) {
		struct _aarch64_ctx head;

		if (copy_from_user(&head, reserved + off, sizeof(head)))
			return -EFAULT;
		if (!head.magic)
			return head.size || !have_fpsimd ? -EINVAL : 0;
		if (head.size < sizeof(head) || head.size % 16 ||
		    head.size > RESERVED_SIZE - off)
			return -EINVAL;
		if (head.magic == FPSIMD_MAGIC) {
			if (have_fpsimd || head.size != sizeof(*fp) ||
			    copy_from_user(fp, reserved + off, sizeof(*fp)))
				return -EINVAL;
			have_fpsimd = true;
		} else if (head.magic != ESR_MAGIC) {
			return -EINVAL;
		}
		off += head.size;
	}
	return -EINVAL;		/* no terminator */
}

SYSCALL_DEFINE0(rt_sigreturn)
{
	struct pt_regs *regs = current->user_regs;
	struct rt_sigframe __user *uf = (struct rt_sigframe __user *)regs->sp;
	struct sigcontext_regs scr;
	struct fpsimd_context fp;
	kernel_sigset_t set;

	if ((regs->sp & 15) || copy_from_user(&set, &uf->uc.uc_sigmask, sizeof(set)))
		goto badframe;
	set_current_blocked(set);
	if (copy_from_user(&scr, &uf->uc.uc_mcontext, sizeof(scr)) ||
	    (scr.pstate & (PSR_MODE_MASK | PSR_MODE32_BIT | PSR_DAIF)) ||
	    parse_records(uf->uc.uc_mcontext.__reserved, &fp))
		goto badframe;
	memcpy(regs->regs, scr.regs, sizeof(regs->regs));
	regs->sp = scr.sp;
	regs->pc = scr.pc;
	regs->pstate = scr.pstate & PSR_NZCV;
	forget_syscall(regs);	/* its x0 is no restart code of ours */
	current->thread.fpsr = fp.fpsr;
	current->thread.fpcr = fp.fpcr;
	memcpy(current->thread.vregs, fp.vregs, sizeof(fp.vregs));
	fpsimd_load(&current->thread);
	if (restore_altstack(&uf->uc.uc_stack, regs->sp))
		goto badframe;
	return (long)regs->regs[0];
badframe:
	force_sig_fault(regs, SIGSEGV, fault_si_code(regs->sp), regs->sp, "(bad rt_sigreturn frame)");
	return 0;
}
