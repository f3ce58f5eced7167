/*
 * probe.c - probe_read / probe_write (see <probe.h>).  Each is a few
 * instructions of assembly with a label on its one memory access and a
 * fixup that returns 1; the SIGSEGV handler, seeing the interrupted PC at
 * such a label, sets it to that label's fixup and returns, so the thread
 * resumes in the fixup.  The handler is SA_NODEFER so that a thread may
 * fault again right after (the mask restored by sigreturn would allow it
 * anyway); a fault at any other PC resets SIGSEGV to its default action and
 * returns, so the access repeats and the process dies as it would have.
 */
#include <probe.h>
#include <signal.h>
#include <ucontext.h>

#if defined(__x86_64__)
__asm__(".text\n"
	".globl probe_read\n.type probe_read, @function\n"
	"probe_read:\n"
	"probe_read_insn: movq (%rdi), %rax\n"
	"	movq %rax, (%rsi)\n"
	"	xorl %eax, %eax\n"
	"	ret\n"
	"probe_read_fixup: movl $1, %eax\n"
	"	ret\n"
	".size probe_read, . - probe_read\n"
	".globl probe_write\n.type probe_write, @function\n"
	"probe_write:\n"
	"probe_write_insn: movq %rsi, (%rdi)\n"
	"	xorl %eax, %eax\n"
	"	ret\n"
	"probe_write_fixup: movl $1, %eax\n"
	"	ret\n"
	".size probe_write, . - probe_write\n");
#define UC_PC(uc)	((uc)->uc_mcontext.rip)
#else
__asm__(".text\n"
	".globl probe_read\n.type probe_read, %function\n"
	"probe_read:\n"
	"probe_read_insn: ldr x2, [x0]\n"
	"	str x2, [x1]\n"
	"	mov w0, #0\n"
	"	ret\n"
	"probe_read_fixup: mov w0, #1\n"
	"	ret\n"
	".size probe_read, . - probe_read\n"
	".globl probe_write\n.type probe_write, %function\n"
	"probe_write:\n"
	"probe_write_insn: str x1, [x0]\n"
	"	mov w0, #0\n"
	"	ret\n"
	"probe_write_fixup: mov w0, #1\n"
	"	ret\n"
	".size probe_write, . - probe_write\n");
#define UC_PC(uc)	((uc)->uc_mcontext.pc)
#endif

extern const char probe_read_insn[], probe_read_fixup[], probe_write_insn[], probe_write_fixup[];

/* SIGSEGV at a probe's access: resume at its fixup; elsewhere: die as without a handler. */
static void probe_segv(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	unsigned long pc = UC_PC(uc);

	(void)si;
	if (pc == (unsigned long)probe_read_insn) {
		UC_PC(uc) = (unsigned long)probe_read_fixup;
	} else if (pc == (unsigned long)probe_write_insn) {
		UC_PC(uc) = (unsigned long)probe_write_fixup;
	} else {
		struct sigaction dfl = { .sa_flags = 0 };

		dfl.sa_handler = SIG_DFL;
		sigaction(sig, &dfl, NULL);
	}
}

int probe_install(void)
{
	struct sigaction sa = { .sa_flags = SA_SIGINFO | SA_NODEFER };

	sa.sa_sigaction = probe_segv;
	return sigaction(SIGSEGV, &sa, NULL) ? -1 : 0;
}
