/*
 * signal_test: signals that run handlers, as Linux's: handlers and their
 * siginfo/ucontext, masks, sa_mask, SA_NODEFER, SA_RESETHAND, sigaltstack,
 * FP/SIMD registers across a handler, SIGSEGV handlers that fix the fault
 * and retry, SIGILL (and arm64 SIGBUS) handlers that skip the instruction
 * by editing uc_mcontext, SIGALRM from setitimer/alarm interrupting sleeps (EINTR) and
 * restarting wait4 (SA_RESTART), rt_sigsuspend, kill/tkill/tgkill, abort,
 * bad rt_sigreturn frames, fork and execve inheritance, and every new call's
 * errno for bad input.  Portable: it passes on Linux too.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>
#include <test.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>

#define BAD_PTR		((void *)8)		/* never mapped: EFAULT */
#define NO_SUCH_PID	0x3ffffff0

static volatile int hits, depth, max_depth, order_ok;
static volatile int got_sig, got_code, got_pid, got_ucmask_ok;
static volatile unsigned got_uid;
static volatile uintptr_t got_addr;
static volatile sigset_t got_mask;

static void set_action(int sig, void *handler, unsigned long flags, sigset_t mask)
{
	struct sigaction sa = { .sa_flags = flags, .sa_mask = mask };

	sa.sa_sigaction = (void (*)(int, siginfo_t *, void *))handler;
	if (sigaction(sig, &sa, NULL))
		ok(0, "sigaction(%d) failed: errno %d", sig, errno);
}

static void set_default(int sig)
{
	set_action(sig, SIG_DFL, 0, 0);
}

static sigset_t cur_mask(void)
{
	sigset_t m = 0;

	sigprocmask(SIG_BLOCK, NULL, &m);
	return m;
}

static void set_mask(sigset_t m)
{
	sigprocmask(SIG_SETMASK, &m, NULL);
}

static sigset_t bit(int sig)
{
	return 1UL << (sig - 1);
}

static sigset_t pending(void)
{
	sigset_t p = 0;

	sigpending(&p);
	return p;
}

/* ---- a handler, its siginfo and ucontext ---- */

static volatile long uc_r0, uc_r1, uc_nr;	/* rax rdi rsi / x0 x1 x8 of the interrupted kill */
static volatile int uc_fp_ok;

/* The FP record of the frame: x86_64 fpstate's magic; arm64 one fpsimd_context, then the end. */
static int frame_fp_ok(const ucontext_t *uc)
{
#if defined(__x86_64__)
	const struct _fpstate_64 *fp = uc->uc_mcontext.fpstate;

	return fp && ((uintptr_t)fp & 63) == 0 && fp->sw_reserved.magic1 == FP_XSTATE_MAGIC1 &&
	       fp->mxcsr == 0x1f80;
#else
	const uint8_t *r = uc->uc_mcontext.__reserved;
	int fpsimd = 0;

	for (unsigned off = 0; off + 8 <= sizeof(uc->uc_mcontext.__reserved);) {
		const struct _aarch64_ctx *h = (const void *)(r + off);

		if (!h->magic)
			return h->size == 0 && fpsimd == 1;
		if (h->magic == FPSIMD_MAGIC)
			fpsimd += h->size == sizeof(struct fpsimd_context);
		if (h->size < 16)
			return 0;
		off += h->size;
	}
	return 0;
#endif
}

static void info_handler(int sig, siginfo_t *si, void *ucv)
{
	const ucontext_t *uc = ucv;

	hits++;
	got_sig = sig == si->si_signo ? sig : -1;
	got_code = si->si_code;
	got_pid = si->si_pid;
	got_uid = si->si_uid;
	got_mask = cur_mask();
	got_ucmask_ok = (uc->uc_sigmask & bit(sig)) == 0;
#if defined(__x86_64__)
	uc_r0 = (long)uc->uc_mcontext.rax;
	uc_r1 = (long)uc->uc_mcontext.rdi;
	uc_nr = (long)uc->uc_mcontext.rsi;
#else
	uc_r0 = (long)uc->uc_mcontext.regs[0];
	uc_r1 = (long)uc->uc_mcontext.regs[1];
	uc_nr = (long)uc->uc_mcontext.regs[8];
#endif
	uc_fp_ok = frame_fp_ok(uc);
}

static void plain_handler(int sig)
{
	hits++;
	got_sig = sig;
}

static void test_handler_basics(void)
{
	pid_t me = getpid();
	sigset_t before = cur_mask();
	struct sigaction old;

	hits = 0;
	set_action(SIGUSR1, info_handler, SA_SIGINFO, 0);
	is(kill(me, SIGUSR1), 0, "kill(self, SIGUSR1) with an SA_SIGINFO handler returns 0");
	is(hits, 1, "... the handler ran once, before kill returned");
	is(got_sig, SIGUSR1, "... with sig == si_signo == SIGUSR1");
	is(got_code, SI_USER, "... si_code SI_USER");
	is(got_pid, me, "... si_pid the sender (self)");
	is(got_uid, getuid(), "... si_uid the sender's uid");
	ok((got_mask & bit(SIGUSR1)) && got_ucmask_ok, "... SIGUSR1 blocked while it runs, not in uc_sigmask");
	is(cur_mask(), before, "... the mask is back after it returns");
#if defined(__x86_64__)
	ok(uc_r0 == 0 && uc_r1 == me && uc_nr == SIGUSR1,
	   "... uc_mcontext: rax 0 (kill's result), rdi pid, rsi signal");
	ok(uc_fp_ok, "... uc_mcontext.fpstate: 64-aligned FXSAVE image, FP_XSTATE_MAGIC1, MXCSR");
#else
	ok(uc_r0 == 0 && uc_r1 == SIGUSR1 && uc_nr == __NR_kill,
	   "... uc_mcontext: x0 0 (kill's result), x1 signal, x8 __NR_kill");
	ok(uc_fp_ok, "... __reserved: one fpsimd_context (528 bytes), then the terminator");
#endif
	hits = 0;
	is(raise(SIGUSR1), 0, "raise(SIGUSR1)");
	ok(hits == 1 && got_code == SI_TKILL && got_pid == me, "... tgkill's si_code SI_TKILL, si_pid self");
	hits = 0;
	is(syscall(__NR_tkill, gettid(), SIGUSR1), 0, "tkill(self, SIGUSR1)");
	ok(hits == 1 && got_code == SI_TKILL, "... runs the handler with SI_TKILL");
	sigaction(SIGUSR1, NULL, &old);
	ok(old.sa_sigaction == info_handler && (old.sa_flags & SA_SIGINFO),
	   "sigaction reads the handler and SA_SIGINFO back");
	set_action(SIGUSR1, info_handler, SA_SIGINFO | SA_UNSUPPORTED, 0);
	sigaction(SIGUSR1, NULL, &old);
	ok(!(old.sa_flags & SA_UNSUPPORTED), "SA_UNSUPPORTED is cleared (unknown flags read back as 0)");

	hits = 0;
	set_action(SIGUSR2, plain_handler, 0, 0);
	kill(me, SIGUSR2);
	ok(hits == 1 && got_sig == SIGUSR2, "a handler without SA_SIGINFO gets the signal number");
	set_action(SIGUSR2, SIG_IGN, 0, 0);
	hits = 0;
	kill(me, SIGUSR2);
	ok(hits == 0 && pending() == 0, "SIG_IGN: nothing runs, nothing stays pending");
	kill(me, SIGCHLD);
	kill(me, SIGWINCH);
	is(pending(), 0, "SIGCHLD and SIGWINCH by default: ignored");
	set_default(SIGUSR1);
	set_default(SIGUSR2);
}

/* ---- masks, sa_mask, SA_NODEFER, SA_RESETHAND ---- */

static volatile int usr2_during_usr1;

static void usr1_raises_usr2(int sig)
{
	(void)sig;
	hits++;
	kill(getpid(), SIGUSR2);
	usr2_during_usr1 = got_sig == SIGUSR2;
}

static void nesting_handler(int sig)
{
	depth++;
	if (depth > max_depth)
		max_depth = depth;
	if (hits++ == 0)
		kill(getpid(), sig);
	depth--;
}

static void test_masks(void)
{
	pid_t me = getpid();

	hits = 0;
	set_action(SIGUSR1, plain_handler, 0, 0);
	set_mask(bit(SIGUSR1) | bit(SIGKILL) | bit(SIGSTOP));
	is(cur_mask(), bit(SIGUSR1), "SIGKILL and SIGSTOP cannot be blocked");
	kill(me, SIGUSR1);
	kill(me, SIGUSR1);
	ok(hits == 0 && pending() == bit(SIGUSR1), "a blocked signal stays pending (sigpending)");
	set_mask(0);
	is(hits, 1, "unblocking delivers it once (standard signals are not queued)");
	is(pending(), 0, "... and it is no longer pending");
	set_mask(bit(SIGUSR1));
	kill(me, SIGUSR1);
	set_action(SIGUSR1, SIG_IGN, 0, 0);
	is(pending(), 0, "setting SIG_IGN discards a pending blocked signal");
	set_mask(0);

	hits = 0;
	got_sig = 0;
	set_action(SIGUSR2, plain_handler, 0, 0);
	set_action(SIGUSR1, usr1_raises_usr2, 0, bit(SIGUSR2));
	kill(me, SIGUSR1);
	ok(hits == 2 && !usr2_during_usr1 && got_sig == SIGUSR2,
	   "sa_mask: SIGUSR2 raised in the SIGUSR1 handler waits until it returns");

	hits = depth = max_depth = 0;
	set_action(SIGUSR1, nesting_handler, 0, 0);
	kill(me, SIGUSR1);
	ok(hits == 2 && max_depth == 1, "without SA_NODEFER the signal is blocked in its handler");
	hits = depth = max_depth = 0;
	set_action(SIGUSR1, nesting_handler, SA_NODEFER, 0);
	kill(me, SIGUSR1);
	ok(hits == 2 && max_depth == 2, "SA_NODEFER: the handler nests");
	set_default(SIGUSR1);
	set_default(SIGUSR2);
}

static void resethand_child(void)
{
	struct sigaction old;

	hits = 0;
	set_action(SIGUSR1, plain_handler, SA_RESETHAND, 0);
	raise(SIGUSR1);
	sigaction(SIGUSR1, NULL, &old);
	if (hits != 1 || old.sa_handler != SIG_DFL)
		_exit(3);
	raise(SIGUSR1);		/* now fatal */
	_exit(4);
}

/* ---- sigaltstack ---- */

static volatile uintptr_t local_addr;
static volatile int alt_flags, alt_eperm, uc_stack_ok;
static stack_t alt;

static void altstack_handler(int sig, siginfo_t *si, void *ucv)
{
	const ucontext_t *uc = ucv;
	volatile int local = 0;
	stack_t now, other = { .ss_size = SIGSTKSZ };

	(void)sig;
	(void)si;
	local_addr = (uintptr_t)&local;
	sigaltstack(NULL, &now);
	alt_flags = now.ss_flags;
	other.ss_sp = alt.ss_sp;
	alt_eperm = sigaltstack(&other, NULL) == -1 && errno == EPERM;
	uc_stack_ok = uc->uc_stack.ss_sp == alt.ss_sp && uc->uc_stack.ss_size == alt.ss_size &&
		      uc->uc_stack.ss_flags == 0;
}

static int on_alt(uintptr_t a)
{
	return a >= (uintptr_t)alt.ss_sp && a < (uintptr_t)alt.ss_sp + alt.ss_size;
}

static void test_sigaltstack(void)
{
	stack_t old;

	alt.ss_sp = mmap(NULL, SIGSTKSZ, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	alt.ss_size = SIGSTKSZ;
	alt.ss_flags = 0;
	is(sigaltstack(NULL, &old), 0, "sigaltstack(NULL, &old)");
	ok(old.ss_flags == SS_DISABLE && old.ss_size == 0, "... none at first: SS_DISABLE");
	is(sigaltstack(&alt, NULL), 0, "sigaltstack installs a SIGSTKSZ stack");
	set_action(SIGUSR1, altstack_handler, SA_SIGINFO | SA_ONSTACK, 0);
	raise(SIGUSR1);
	ok(on_alt(local_addr), "an SA_ONSTACK handler runs on it (a local's address is inside)");
	is(alt_flags, SS_ONSTACK, "... sigaltstack reports SS_ONSTACK there");
	ok(alt_eperm, "... changing it while on it: EPERM");
	ok(uc_stack_ok, "... uc_stack is the stack as installed");
	sigaltstack(NULL, &old);
	ok(old.ss_flags == 0 && old.ss_sp == alt.ss_sp && old.ss_size == SIGSTKSZ,
	   "after the handler: not on it (flags 0), same stack");
	set_action(SIGUSR1, altstack_handler, SA_SIGINFO, 0);
	raise(SIGUSR1);
	ok(!on_alt(local_addr), "a handler without SA_ONSTACK runs on the normal stack");
	old.ss_flags = SS_DISABLE;
	is(sigaltstack(&old, NULL), 0, "SS_DISABLE removes it");
	sigaltstack(NULL, &old);
	is(old.ss_flags, SS_DISABLE, "... and it reads back SS_DISABLE");
	set_default(SIGUSR1);
	munmap(alt.ss_sp, SIGSTKSZ);
}

/* ---- FP/SIMD registers across a handler ---- */

static volatile unsigned handler_fpctl;

static void fp_clobber_handler(int sig)
{
	(void)sig;
	hits++;
#if defined(__x86_64__)
	unsigned mx;
	__asm__ __volatile__("stmxcsr %0" : "=m"(mx));
	handler_fpctl = mx;
	__asm__ __volatile__(
		"pcmpeqd %%xmm0, %%xmm0\n\tpcmpeqd %%xmm1, %%xmm1\n\tpcmpeqd %%xmm2, %%xmm2\n\t"
		"pcmpeqd %%xmm3, %%xmm3\n\tpcmpeqd %%xmm4, %%xmm4\n\tpcmpeqd %%xmm5, %%xmm5\n\t"
		"pcmpeqd %%xmm6, %%xmm6\n\tpcmpeqd %%xmm7, %%xmm7\n\tpcmpeqd %%xmm8, %%xmm8\n\t"
		"pcmpeqd %%xmm9, %%xmm9\n\tpcmpeqd %%xmm10, %%xmm10\n\tpcmpeqd %%xmm11, %%xmm11\n\t"
		"pcmpeqd %%xmm12, %%xmm12\n\tpcmpeqd %%xmm13, %%xmm13\n\tpcmpeqd %%xmm14, %%xmm14\n\t"
		"pcmpeqd %%xmm15, %%xmm15\n\tmov $0x7f80, %%eax\n\tmov %%eax, %0\n\tldmxcsr %0"
		: "=m"(mx) : : "eax", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7",
		  "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
#else
	__asm__ __volatile__(
		"movi v0.16b, #0xff\n\tmovi v1.16b, #0xff\n\tmovi v2.16b, #0xff\n\tmovi v3.16b, #0xff\n\t"
		"movi v4.16b, #0xff\n\tmovi v5.16b, #0xff\n\tmovi v6.16b, #0xff\n\tmovi v7.16b, #0xff\n\t"
		"movi v8.16b, #0xff\n\tmovi v9.16b, #0xff\n\tmovi v10.16b, #0xff\n\tmovi v11.16b, #0xff\n\t"
		"movi v12.16b, #0xff\n\tmovi v13.16b, #0xff\n\tmovi v14.16b, #0xff\n\tmovi v15.16b, #0xff\n\t"
		"movi v16.16b, #0xff\n\tmovi v17.16b, #0xff\n\tmovi v18.16b, #0xff\n\tmovi v19.16b, #0xff\n\t"
		"movi v20.16b, #0xff\n\tmovi v21.16b, #0xff\n\tmovi v22.16b, #0xff\n\tmovi v23.16b, #0xff\n\t"
		"movi v24.16b, #0xff\n\tmovi v25.16b, #0xff\n\tmovi v26.16b, #0xff\n\tmovi v27.16b, #0xff\n\t"
		"movi v28.16b, #0xff\n\tmovi v29.16b, #0xff\n\tmovi v30.16b, #0xff\n\tmovi v31.16b, #0xff\n\t"
		"msr fpcr, xzr"
		: : : "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11", "v12",
		  "v13", "v14", "v15", "v16", "v17", "v18", "v19", "v20", "v21", "v22", "v23", "v24",
		  "v25", "v26", "v27", "v28", "v29", "v30", "v31");
#endif
}

#if defined(__x86_64__)
#define NVREGS		16
#define FPCTL_SET	0x3f80	/* MXCSR: all exceptions masked, round down */
#define FPCTL_CLEAN	0x1f80
/* Load in into xmm0..15 and MXCSR, kill(self, sig) in the same asm, store them to out. */
static unsigned fp_roundtrip(const uint8_t *in, uint8_t *out, int sig)
{
	unsigned mx_in = FPCTL_SET, mx_out, mx_clean = FPCTL_CLEAN;
	long ret;

	__asm__ __volatile__(
		"ldmxcsr %[mxin]\n\t"
		"movdqu 0(%[in]), %%xmm0\n\tmovdqu 16(%[in]), %%xmm1\n\tmovdqu 32(%[in]), %%xmm2\n\t"
		"movdqu 48(%[in]), %%xmm3\n\tmovdqu 64(%[in]), %%xmm4\n\tmovdqu 80(%[in]), %%xmm5\n\t"
		"movdqu 96(%[in]), %%xmm6\n\tmovdqu 112(%[in]), %%xmm7\n\tmovdqu 128(%[in]), %%xmm8\n\t"
		"movdqu 144(%[in]), %%xmm9\n\tmovdqu 160(%[in]), %%xmm10\n\tmovdqu 176(%[in]), %%xmm11\n\t"
		"movdqu 192(%[in]), %%xmm12\n\tmovdqu 208(%[in]), %%xmm13\n\tmovdqu 224(%[in]), %%xmm14\n\t"
		"movdqu 240(%[in]), %%xmm15\n\t"
		"syscall\n\t"
		"movdqu %%xmm0, 0(%[out])\n\tmovdqu %%xmm1, 16(%[out])\n\tmovdqu %%xmm2, 32(%[out])\n\t"
		"movdqu %%xmm3, 48(%[out])\n\tmovdqu %%xmm4, 64(%[out])\n\tmovdqu %%xmm5, 80(%[out])\n\t"
		"movdqu %%xmm6, 96(%[out])\n\tmovdqu %%xmm7, 112(%[out])\n\tmovdqu %%xmm8, 128(%[out])\n\t"
		"movdqu %%xmm9, 144(%[out])\n\tmovdqu %%xmm10, 160(%[out])\n\tmovdqu %%xmm11, 176(%[out])\n\t"
		"movdqu %%xmm12, 192(%[out])\n\tmovdqu %%xmm13, 208(%[out])\n\tmovdqu %%xmm14, 224(%[out])\n\t"
		"movdqu %%xmm15, 240(%[out])\n\t"
		"stmxcsr %[mxout]\n\tldmxcsr %[mxclean]"
		: "=a"(ret), [mxout] "=m"(mx_out)
		: "a"((long)__NR_kill), "D"((long)getpid()), "S"((long)sig), [in] "r"(in), [out] "r"(out),
		  [mxin] "m"(mx_in), [mxclean] "m"(mx_clean)
		: "rcx", "r11", "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7",
		  "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
	(void)ret;
	return mx_out;
}
#else
#define NVREGS		32
#define FPCTL_SET	0x00400000	/* FPCR: round towards plus infinity */
#define FPCTL_CLEAN	0
static unsigned fp_roundtrip(const uint8_t *in, uint8_t *out, int sig)
{
	register long x0 __asm__("x0") = getpid();
	register long x1 __asm__("x1") = sig;
	register long x8 __asm__("x8") = __NR_kill;
	unsigned long fpcr_in = FPCTL_SET, fpcr_out;

	__asm__ __volatile__(
		"msr fpcr, %[fin]\n\t"
		"ldp q0, q1, [%[in], #0]\n\tldp q2, q3, [%[in], #32]\n\tldp q4, q5, [%[in], #64]\n\t"
		"ldp q6, q7, [%[in], #96]\n\tldp q8, q9, [%[in], #128]\n\tldp q10, q11, [%[in], #160]\n\t"
		"ldp q12, q13, [%[in], #192]\n\tldp q14, q15, [%[in], #224]\n\tldp q16, q17, [%[in], #256]\n\t"
		"ldp q18, q19, [%[in], #288]\n\tldp q20, q21, [%[in], #320]\n\tldp q22, q23, [%[in], #352]\n\t"
		"ldp q24, q25, [%[in], #384]\n\tldp q26, q27, [%[in], #416]\n\tldp q28, q29, [%[in], #448]\n\t"
		"ldp q30, q31, [%[in], #480]\n\t"
		"svc #0\n\t"
		"stp q0, q1, [%[out], #0]\n\tstp q2, q3, [%[out], #32]\n\tstp q4, q5, [%[out], #64]\n\t"
		"stp q6, q7, [%[out], #96]\n\tstp q8, q9, [%[out], #128]\n\tstp q10, q11, [%[out], #160]\n\t"
		"stp q12, q13, [%[out], #192]\n\tstp q14, q15, [%[out], #224]\n\tstp q16, q17, [%[out], #256]\n\t"
		"stp q18, q19, [%[out], #288]\n\tstp q20, q21, [%[out], #320]\n\tstp q22, q23, [%[out], #352]\n\t"
		"stp q24, q25, [%[out], #384]\n\tstp q26, q27, [%[out], #416]\n\tstp q28, q29, [%[out], #448]\n\t"
		"stp q30, q31, [%[out], #480]\n\t"
		"mrs %[fout], fpcr\n\tmsr fpcr, xzr"
		: "+r"(x0), [fout] "=&r"(fpcr_out)
		: "r"(x1), "r"(x8), [in] "r"(in), [out] "r"(out), [fin] "r"(fpcr_in)
		: "memory", "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11", "v12",
		  "v13", "v14", "v15", "v16", "v17", "v18", "v19", "v20", "v21", "v22", "v23", "v24",
		  "v25", "v26", "v27", "v28", "v29", "v30", "v31");
	return (unsigned)fpcr_out;
}
#endif

static void test_fp_state(void)
{
	static uint8_t in[NVREGS * 16], out[NVREGS * 16];
	unsigned ctl;

	for (unsigned i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(i * 7 + 1);
	hits = 0;
	set_action(SIGUSR1, fp_clobber_handler, 0, 0);
	ctl = fp_roundtrip(in, out, SIGUSR1);
	is(hits, 1, "FP/SIMD: the handler that clobbers every vector register ran");
	ok(!memcmp(in, out, sizeof(in)), "... all %d vector registers survive it", NVREGS);
	is(ctl, FPCTL_SET, "... and the FP control register (MXCSR / FPCR)");
#if defined(__x86_64__)
	is(handler_fpctl, FPCTL_CLEAN, "... the handler started with a clean MXCSR (as Linux)");
#endif
	set_default(SIGUSR1);
}

/* ---- SIGSEGV handlers that fix the fault ---- */

static volatile uintptr_t fix_page;
static volatile long fix_ctx_ok;

/* The frame's own record of the fault: x86_64 cr2/trapno/err, arm64 fault_address/ESR. */
static int fault_context_ok(const ucontext_t *uc, uintptr_t addr, int write)
{
#if defined(__x86_64__)
	return uc->uc_mcontext.cr2 == addr && uc->uc_mcontext.trapno == 14 &&
	       (uc->uc_mcontext.err & 4) && !!(uc->uc_mcontext.err & 2) == write;
#else
	const struct _aarch64_ctx *h = (const void *)uc->uc_mcontext.__reserved;

	while (h->magic && h->magic != ESR_MAGIC)
		h = (const void *)((const uint8_t *)h + h->size);
	if (h->magic != ESR_MAGIC)
		return 0;
	uint64_t esr = ((const struct esr_context *)h)->esr;
	return uc->uc_mcontext.fault_address == addr && (esr >> 26) == 0x24 && !!(esr & 0x40) == write;
#endif
}

static volatile int fix_write;

static void segv_fixer(int sig, siginfo_t *si, void *uc)
{
	void *page = (void *)fix_page;

	hits++;
	got_sig = sig;
	got_code = si->si_code;
	got_addr = (uintptr_t)si->si_addr;
	fix_ctx_ok = fault_context_ok(uc, (uintptr_t)si->si_addr, fix_write);
	if (si->si_code == SEGV_ACCERR)
		mprotect(page, 4096, PROT_READ | PROT_WRITE);
	else
		mmap(page, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
}

static void test_segv_handler(void)
{
	volatile char *p = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char v;

	fix_page = (uintptr_t)p;
	set_action(SIGSEGV, segv_fixer, SA_SIGINFO, 0);
	hits = 0;
	fix_write = 0;
	v = p[0x123];
	ok(hits == 1 && got_sig == SIGSEGV && v == 0, "read of PROT_NONE: the handler mprotects, the read retries (0)");
	is(got_code, SEGV_ACCERR, "... si_code SEGV_ACCERR");
	is(got_addr, (uintptr_t)p + 0x123, "... si_addr the faulting address");
	ok(fix_ctx_ok, "... the frame records the fault (cr2, trapno 14, err / fault_address, ESR)");
	mprotect((void *)p, 4096, PROT_READ);
	hits = 0;
	fix_write = 1;
	p[0x456] = 42;
	ok(hits == 1 && got_code == SEGV_ACCERR && got_addr == (uintptr_t)p + 0x456 && p[0x456] == 42,
	   "write to PROT_READ: SEGV_ACCERR at the address, fixed, the write lands");
	ok(fix_ctx_ok, "... the frame records a write fault");
	munmap((void *)p, 4096);
	hits = 0;
	fix_write = 0;
	v = p[8];
	ok(hits == 1 && got_code == SEGV_MAPERR && got_addr == (uintptr_t)p + 8 && v == 0,
	   "read of an unmapped page: SEGV_MAPERR; the handler maps it, the read retries");
	munmap((void *)p, 4096);
	set_default(SIGSEGV);
}

/* ---- a handler that edits the context: skip the faulting instruction ---- */

#if defined(__x86_64__)
#define INSN_LEN	2	/* ud2 */
#define UC_PC(uc)	((uc)->uc_mcontext.rip)
#else
#define INSN_LEN	4
#define UC_PC(uc)	((uc)->uc_mcontext.pc)
#endif

static volatile uintptr_t fault_pc;

static void skip_handler(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	hits++;
	got_sig = sig;
	got_code = si->si_code;
	got_addr = (uintptr_t)si->si_addr;
	fault_pc = UC_PC(uc);
	UC_PC(uc) += INSN_LEN;
}

static void test_skip_instruction(void)
{
	uintptr_t at;

	hits = 0;
	set_action(SIGILL, skip_handler, SA_SIGINFO, 0);
#if defined(__x86_64__)
	__asm__ __volatile__("lea 1f(%%rip), %0\n1:\tud2" : "=r"(at));
	ok(hits == 1 && got_sig == SIGILL && got_code == ILL_ILLOPN && got_addr == at && fault_pc == at,
	   "ud2: SIGILL ILL_ILLOPN, si_addr and uc rip the instruction; the handler skips it");
#else
	__asm__ __volatile__("adr %0, 1f\n1:\tudf #0" : "=r"(at));
	ok(hits == 1 && got_sig == SIGILL && got_code == ILL_ILLOPC && got_addr == at && fault_pc == at,
	   "udf: SIGILL ILL_ILLOPC, si_addr and uc pc the instruction; the handler skips it");
	static uint64_t word[2];
	uintptr_t odd = (uintptr_t)word + 1;
	uint64_t v;

	hits = 0;
	set_action(SIGBUS, skip_handler, SA_SIGINFO, 0);
	__asm__ __volatile__("adr %0, 1f\n1:\tldxr %1, [%2]" : "=&r"(at), "=&r"(v) : "r"(odd) : "memory");
	ok(hits == 1 && got_sig == SIGBUS && got_code == BUS_ADRALN && got_addr == odd && fault_pc == at,
	   "a misaligned ldxr: SIGBUS BUS_ADRALN at the address; the handler skips it");
	set_default(SIGBUS);
#endif
	set_default(SIGILL);
}

static volatile uintptr_t null_addr;	/* 0, hidden from the optimiser */

static void segv_blocked_child(void)
{
	sigset_t m = bit(SIGSEGV);

	set_action(SIGSEGV, segv_fixer, SA_SIGINFO, 0);
	sigprocmask(SIG_BLOCK, &m, NULL);
	*(volatile int *)null_addr = 1;
	_exit(0);
}

static void segv_ignored_child(void)
{
	set_action(SIGSEGV, SIG_IGN, 0, 0);
	*(volatile int *)null_addr = 1;
	_exit(0);
}

/* ---- SIGALRM, EINTR and SA_RESTART ---- */

static void arm_timer_ms(long ms)
{
	struct itimerval v = { { 0, 0 }, { ms / 1000, (ms % 1000) * 1000 } };

	setitimer(ITIMER_REAL, &v, NULL);
}

static pid_t spawn_sleeper(long ms, int code)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

		set_default(SIGALRM);
		while (nanosleep(&ts, &ts))
			;
		_exit(code);
	}
	return pid;
}

static void test_alarm(void)
{
	struct timespec ts = { 5, 0 }, rem = { -1, -1 };
	struct itimerval v, old;
	int status = -1;
	pid_t pid;

	hits = 0;
	set_action(SIGALRM, plain_handler, 0, 0);
	arm_timer_ms(50);
	is_errno(nanosleep(&ts, &rem), EINTR, "SIGALRM (setitimer 50 ms) interrupts nanosleep(5 s): EINTR");
	ok(hits == 1 && got_sig == SIGALRM, "... after its handler ran once");
	ok(rem.tv_sec >= 0 && rem.tv_sec < 5 && rem.tv_nsec >= 0 && rem.tv_nsec < 1000000000,
	   "... rem holds the time left (%ld s %ld ns)", rem.tv_sec, rem.tv_nsec);

	pid = spawn_sleeper(2000, 0);
	hits = 0;
	arm_timer_ms(50);
	is_errno(wait4(pid, &status, 0, NULL), EINTR, "SIGALRM interrupts wait4 without SA_RESTART: EINTR");
	kill(pid, SIGKILL);
	ok(wait4(pid, &status, 0, NULL) == pid && WTERMSIG(status) == SIGKILL, "... the child is reaped after");

	set_action(SIGALRM, plain_handler, SA_RESTART, 0);
	pid = spawn_sleeper(300, 7);
	hits = 0;
	arm_timer_ms(50);
	is(wait4(pid, &status, 0, NULL), pid, "with SA_RESTART wait4 is restarted and reaps the child");
	ok(hits == 1 && status == 7 << 8, "... after the handler ran once (status %#x)", status);

	v = (struct itimerval){ { 0, 250000 }, { 30, 0 } };
	is(setitimer(ITIMER_REAL, &v, NULL), 0, "setitimer(ITIMER_REAL, 30 s, period 250 ms)");
	is(getitimer(ITIMER_REAL, &old), 0, "getitimer");
	ok(old.it_interval.tv_sec == 0 && old.it_interval.tv_usec == 250000 && old.it_value.tv_sec <= 30 &&
	   (old.it_value.tv_sec > 0 || old.it_value.tv_usec > 0), "... reads back the period and the time left");
	v = (struct itimerval){ { 0, 0 }, { 0, 0 } };
	is(setitimer(ITIMER_REAL, &v, &old), 0, "setitimer 0 disarms");
	ok(old.it_interval.tv_usec == 250000 && old.it_value.tv_sec <= 30, "... and returns the old setting");
	getitimer(ITIMER_REAL, &old);
	ok(!old.it_value.tv_sec && !old.it_value.tv_usec && !old.it_interval.tv_usec, "... now all 0");
	is(alarm(10), 0, "alarm(10) with none set: 0");
	is(alarm(0), 10, "alarm(0) cancels it: 10 s were left (rounded)");
	hits = 0;
	alarm(1);
	is_errno(pause(), EINTR, "alarm(1) then pause(): EINTR");
	ok(hits == 1 && got_sig == SIGALRM, "... after the SIGALRM handler");
	set_default(SIGALRM);
}

static void test_sigsuspend(void)
{
	sigset_t empty = 0, blocked = bit(SIGALRM);

	hits = 0;
	set_action(SIGALRM, plain_handler, 0, 0);
	set_mask(blocked);
	arm_timer_ms(20);
	is_errno(sigsuspend(&empty), EINTR, "sigsuspend(empty) with SIGALRM blocked: EINTR when it comes");
	ok(hits == 1 && got_sig == SIGALRM, "... its handler ran in between");
	is(cur_mask(), blocked, "... the old mask (SIGALRM blocked) is back");
	set_mask(0);
	set_default(SIGALRM);
}

/* ---- kill from another process, SIGCHLD ---- */

static void test_kill_from_child(void)
{
	pid_t pid;
	int status;

	set_action(SIGUSR1, info_handler, SA_SIGINFO, 0);
	set_mask(bit(SIGUSR1));
	pid = fork();
	if (pid == 0)
		_exit(kill(getppid(), SIGUSR1) == 0 ? 0 : 1);
	waitpid(pid, &status, 0);
	ok(status == 0 && pending() == bit(SIGUSR1), "a child's kill(parent, SIGUSR1): pending while blocked");
	hits = 0;
	set_mask(0);
	ok(hits == 1 && got_pid == pid && got_code == SI_USER && got_uid == getuid(),
	   "... on unblock: si_pid the child, si_code SI_USER, si_uid");

	hits = 0;
	set_mask(bit(SIGUSR1));
	raise(SIGUSR1);
	pid = fork();
	if (pid == 0)
		_exit(pending() == 0 && cur_mask() == bit(SIGUSR1) ? 0 : 1);
	waitpid(pid, &status, 0);
	is(status, 0, "fork: the child inherits the mask, not the pending signal");
	set_mask(0);
	is(hits, 1, "... the parent's is still delivered");
	set_default(SIGUSR1);

	set_action(SIGCHLD, info_handler, SA_SIGINFO | SA_RESTART, 0);
	hits = 0;
	pid = fork();
	if (pid == 0)
		_exit(5);
	waitpid(pid, &status, 0);
	ok(hits == 1 && got_sig == SIGCHLD && got_pid == pid && got_code == CLD_EXITED,
	   "SIGCHLD with a handler: si_pid the child, si_code CLD_EXITED");
	set_default(SIGCHLD);
}

/* ---- abort, bad frames, SA_RESETHAND, execve ---- */

static void abort_child(void)
{
	abort();
}

static void abort_handled_child(void)
{
	set_action(SIGABRT, plain_handler, 0, 0);
	abort();
}

static void abort_blocked_child(void)
{
	sigset_t m = bit(SIGABRT);

	sigprocmask(SIG_BLOCK, &m, NULL);
	set_action(SIGABRT, SIG_IGN, 0, 0);
	abort();
}

static void corrupt_frame_handler(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig;
	(void)si;
#if defined(__x86_64__)
	uc->uc_mcontext.rip = 0x8000000000000000UL;	/* non-canonical: iretq would refuse */
#else
	uc->uc_mcontext.pstate = 0x5;			/* EL1h: kernel mode */
#endif
}

static void bad_frame_child(void)
{
	set_action(SIGUSR1, corrupt_frame_handler, SA_SIGINFO, 0);
	raise(SIGUSR1);
	_exit(0);
}

static void test_fatal_paths(void)
{
	int status, pid;

	is(expect_signal(resethand_child), SIGUSR1, "SA_RESETHAND: ran once, then the default (SIGUSR1 kills)");
	is(expect_signal(segv_blocked_child), SIGSEGV, "a fault while SIGSEGV is blocked is fatal, handler or not");
	is(expect_signal(segv_ignored_child), SIGSEGV, "a fault while SIGSEGV is ignored is fatal");
	is(expect_signal(abort_child), SIGABRT, "abort(): WTERMSIG == SIGABRT");
	is(expect_signal(abort_handled_child), SIGABRT, "abort() with a SIGABRT handler that returns: SIGABRT");
	is(expect_signal(abort_blocked_child), SIGABRT, "abort() with SIGABRT blocked and ignored: SIGABRT");
	is(expect_signal(bad_frame_child), SIGSEGV,
	   "rt_sigreturn of a frame that returns to kernel mode / a bad rip: SIGSEGV");
	if (on_foliOS()) {
		pid = fork();
		if (pid == 0)
			abort();
		waitpid(pid, &status, 0);
		is(status, SIGABRT, "foliOS: abort's status is exactly SIGABRT (no core file, no WCOREDUMP)");
	}
}

static int exec_check(void)
{
	struct sigaction a1, a2;
	stack_t ss;

	sigaction(SIGUSR1, NULL, &a1);
	sigaction(SIGUSR2, NULL, &a2);
	sigaltstack(NULL, &ss);
	return (a1.sa_handler == SIG_DFL) | (a2.sa_handler == SIG_IGN) << 1 |
	       (cur_mask() == bit(SIGUSR1)) << 2 | (ss.ss_flags == SS_DISABLE) << 3;
}

static void test_exec(const char *self)
{
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		char *argv[] = { (char *)self, "exec-check", NULL };
		stack_t ss = { .ss_sp = malloc(SIGSTKSZ), .ss_size = SIGSTKSZ };

		set_action(SIGUSR1, plain_handler, 0, 0);
		set_action(SIGUSR2, SIG_IGN, 0, 0);
		set_mask(bit(SIGUSR1));
		sigaltstack(&ss, NULL);
		execve(self, argv, environ);
		_exit(99);
	}
	waitpid(pid, &status, 0);
	is(status, 15 << 8, "execve: handler -> SIG_DFL, SIG_IGN stays, the mask stays, no sigaltstack");
}

/* ---- bad input: Linux's errno for each ---- */

static long raw(long nr, long a, long b, long c, long d)
{
	return syscall(nr, a, b, c, d, 0L, 0L);
}

static void test_errors(void)
{
	struct sigaction sa = { .sa_handler = plain_handler }, old;
	sigset_t set = 0;
	stack_t ss = { .ss_size = SIGSTKSZ };
	struct itimerval v = { { 0, 0 }, { 0, 1000000 } }, good = { { 0, 0 }, { 1, 0 } };
	pid_t me = getpid();

	is_errno(raw(__NR_rt_sigaction, 0, (long)&sa, 0, 8), EINVAL, "rt_sigaction(0): EINVAL");
	is_errno(raw(__NR_rt_sigaction, 65, (long)&sa, 0, 8), EINVAL, "rt_sigaction(65): EINVAL");
	is_errno(raw(__NR_rt_sigaction, -1, 0, (long)&old, 8), EINVAL, "rt_sigaction(-1): EINVAL");
	is_errno(raw(__NR_rt_sigaction, SIGKILL, (long)&sa, 0, 8), EINVAL, "a SIGKILL handler: EINVAL");
	is_errno(raw(__NR_rt_sigaction, SIGSTOP, (long)&sa, 0, 8), EINVAL, "a SIGSTOP handler: EINVAL");
	is(raw(__NR_rt_sigaction, SIGKILL, 0, (long)&old, 8), 0, "reading SIGKILL's action: 0");
	is_errno(raw(__NR_rt_sigaction, SIGUSR1, (long)&sa, 0, 4), EINVAL, "rt_sigaction sigsetsize 4: EINVAL");
	is_errno(raw(__NR_rt_sigaction, SIGUSR1, (long)&sa, 0, 16), EINVAL, "rt_sigaction sigsetsize 16: EINVAL");
	is_errno(raw(__NR_rt_sigaction, SIGUSR1, (long)BAD_PTR, 0, 8), EFAULT, "rt_sigaction act unmapped: EFAULT");
	is_errno(sigaction(SIGUSR2, &sa, BAD_PTR), EFAULT, "rt_sigaction oact unmapped: EFAULT ...");
	sigaction(SIGUSR2, NULL, &old);
	ok(old.sa_handler == plain_handler, "... after installing act (as Linux)");
	set_default(SIGUSR2);

	is_errno(raw(__NR_rt_sigprocmask, 3, (long)&set, 0, 8), EINVAL, "rt_sigprocmask how 3: EINVAL");
	is(raw(__NR_rt_sigprocmask, 99, 0, (long)&set, 8), 0, "... a bad how without a set: 0 (not looked at)");
	is_errno(raw(__NR_rt_sigprocmask, SIG_BLOCK, (long)&set, 0, 4), EINVAL, "rt_sigprocmask sigsetsize 4: EINVAL");
	is_errno(raw(__NR_rt_sigprocmask, SIG_BLOCK, (long)BAD_PTR, 0, 8), EFAULT, "rt_sigprocmask set unmapped: EFAULT");
	is_errno(raw(__NR_rt_sigprocmask, SIG_BLOCK, 0, (long)BAD_PTR, 8), EFAULT, "rt_sigprocmask oset unmapped: EFAULT");
	is_errno(raw(__NR_rt_sigpending, (long)&set, 16, 0, 0), EINVAL, "rt_sigpending sigsetsize 16: EINVAL");
	is(raw(__NR_rt_sigpending, (long)&set, 4, 0, 0), 0, "rt_sigpending sigsetsize 4: 0 (a short copy)");
	is_errno(raw(__NR_rt_sigpending, (long)BAD_PTR, 8, 0, 0), EFAULT, "rt_sigpending unmapped: EFAULT");
	is_errno(raw(__NR_rt_sigsuspend, (long)&set, 4, 0, 0), EINVAL, "rt_sigsuspend sigsetsize 4: EINVAL");
	is_errno(raw(__NR_rt_sigsuspend, (long)BAD_PTR, 8, 0, 0), EFAULT, "rt_sigsuspend unmapped: EFAULT");

	ss.ss_sp = malloc(SIGSTKSZ);
	ss.ss_size = MINSIGSTKSZ - 1;
	is_errno(sigaltstack(&ss, NULL), ENOMEM, "sigaltstack smaller than MINSIGSTKSZ: ENOMEM");
	ss.ss_size = SIGSTKSZ;
	ss.ss_flags = 4;
	is_errno(sigaltstack(&ss, NULL), EINVAL, "sigaltstack ss_flags 4: EINVAL");
	is_errno(sigaltstack(BAD_PTR, NULL), EFAULT, "sigaltstack ss unmapped: EFAULT");
	is_errno(sigaltstack(NULL, BAD_PTR), EFAULT, "sigaltstack oss unmapped: EFAULT");
	ss.ss_flags = SS_DISABLE;
	ss.ss_size = 0;
	is(sigaltstack(&ss, NULL), 0, "sigaltstack SS_DISABLE with size 0: 0 (no size check)");
	free(ss.ss_sp);

	is_errno(kill(me, 65), EINVAL, "kill(self, 65): EINVAL");
	is_errno(kill(me, -1), EINVAL, "kill(self, -1): EINVAL");
	is_errno(kill(NO_SUCH_PID, 65), ESRCH, "kill of no such pid, bad signal: ESRCH first");
	is(kill(me, 0), 0, "kill(self, 0): 0 (a check only)");
	is(kill(0, 0), 0, "kill(0, 0): my process group exists");
	is_errno(kill(-NO_SUCH_PID, 0), ESRCH, "kill(-pgid) of no such group: ESRCH");
	is_errno(raw(__NR_tkill, 0, SIGUSR1, 0, 0), EINVAL, "tkill(0): EINVAL");
	is_errno(raw(__NR_tkill, -1, SIGUSR1, 0, 0), EINVAL, "tkill(-1): EINVAL");
	is_errno(raw(__NR_tkill, gettid(), 65, 0, 0), EINVAL, "tkill(self, 65): EINVAL");
	is_errno(raw(__NR_tkill, NO_SUCH_PID, 65, 0, 0), ESRCH, "tkill of no such tid: ESRCH");
	is_errno(raw(__NR_tgkill, 0, gettid(), SIGUSR1, 0), EINVAL, "tgkill tgid 0: EINVAL");
	is_errno(raw(__NR_tgkill, me, 0, SIGUSR1, 0), EINVAL, "tgkill tid 0: EINVAL");
	is_errno(raw(__NR_tgkill, NO_SUCH_PID, gettid(), 0, 0), ESRCH, "tgkill with the wrong tgid: ESRCH");
	is(raw(__NR_tgkill, me, gettid(), 0, 0), 0, "tgkill(self, self, 0): 0");

	is_errno(setitimer(3, &good, NULL), EINVAL, "setitimer which 3: EINVAL");
	is_errno(setitimer(ITIMER_REAL, &v, NULL), EINVAL, "setitimer tv_usec 1000000: EINVAL");
	is_errno(setitimer(ITIMER_REAL, BAD_PTR, NULL), EFAULT, "setitimer value unmapped: EFAULT");
	is_errno(setitimer(3, BAD_PTR, NULL), EFAULT, "... EFAULT before the which check");
	is_errno(getitimer(3, &v), EINVAL, "getitimer which 3: EINVAL");
	is_errno(getitimer(ITIMER_REAL, BAD_PTR), EFAULT, "getitimer unmapped: EFAULT");
	is(sigemptyset(&set) | sigaddset(&set, SIGINT), 0, "sigemptyset, sigaddset");
	ok(sigismember(&set, SIGINT) == 1 && sigismember(&set, SIGTERM) == 0 && set == bit(SIGINT),
	   "sigismember; the set is bit sig - 1");
	is_errno(sigaddset(&set, 65), EINVAL, "sigaddset(65): EINVAL");
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "exec-check"))
		return exec_check();
	test_handler_basics();
	test_masks();
	test_sigaltstack();
	test_fp_state();
	test_segv_handler();
	test_skip_instruction();
	test_alarm();
	test_sigsuspend();
	test_kill_from_child();
	test_fatal_paths();
	test_exec(argv[0]);
	test_errors();
	return done_testing();
}
