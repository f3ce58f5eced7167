/*
 * uapi/signal.h - Linux's signal ABI (x86_64 and aarch64 agree on all of it
 * but MINSIGSTKSZ/SIGSTKSZ): signal numbers, kernel_sigset_t (one 64-bit word:
 * _NSIG = 64 signals, bit sig - 1), the kernel's struct sigaction (the
 * layout rt_sigaction reads: handler, flags, restorer, mask), SA_ flags,
 * SIG_DFL/SIG_IGN, sigprocmask's how, siginfo_t (128 bytes) with the si_code
 * values foliOS raises, and stack_t with the sigaltstack flags.  libc's NSIG
 * is one more than _NSIG (user/include/signal.h).  The signal frames
 * (ucontext, sigcontext) are <uapi/ucontext.h>.
 */
#ifndef UAPI_SIGNAL_H
#define UAPI_SIGNAL_H

#define SIGHUP		1
#define SIGINT		2
#define SIGQUIT		3
#define SIGILL		4
#define SIGTRAP		5
#define SIGABRT		6
#define SIGBUS		7
#define SIGFPE		8
#define SIGKILL		9
#define SIGUSR1		10
#define SIGSEGV		11
#define SIGUSR2		12
#define SIGPIPE		13
#define SIGALRM		14
#define SIGTERM		15
#define SIGSTKFLT	16
#define SIGCHLD		17
#define SIGCONT		18
#define SIGSTOP		19
#define SIGTSTP		20
#define SIGTTIN		21
#define SIGTTOU		22
#define SIGURG		23
#define SIGXCPU		24
#define SIGXFSZ		25
#define SIGVTALRM	26
#define SIGPROF		27
#define SIGWINCH	28
#define SIGIO		29
#define SIGPWR		30
#define SIGSYS		31
#define SIGRTMIN	32	/* the kernel's; libcs reserve a few and report a higher one */
#define SIGRTMAX	_NSIG
#define _NSIG		64

/* sa_flags (Linux's asm-generic values; SA_RESTORER is the x86 and arm64 one). */
#define SA_NOCLDSTOP	0x00000001
#define SA_NOCLDWAIT	0x00000002
#define SA_SIGINFO	0x00000004
#define SA_UNSUPPORTED	0x00000400	/* never accepted: rt_sigaction clears it */
#define SA_EXPOSE_TAGBITS 0x00000800
#define SA_RESTORER	0x04000000
#define SA_ONSTACK	0x08000000
#define SA_RESTART	0x10000000
#define SA_NODEFER	0x40000000
#define SA_RESETHAND	0x80000000

#define SIG_DFL		((void (*)(int))0)
#define SIG_IGN		((void (*)(int))1)
#define SIG_ERR		((void (*)(int))-1)

/* rt_sigprocmask's how. */
#define SIG_BLOCK	0
#define SIG_UNBLOCK	1
#define SIG_SETMASK	2

#ifndef __ASSEMBLER__
/*
 * Signal sets: bit (sig - 1) of one 64-bit word.  libc's sigset_t is this
 * type (user/include/signal.h); the name differs so that a host libc's own
 * sigset_t (tools/hostmm) can sit next to it.
 */
typedef unsigned long kernel_sigset_t;

union sigval {
	int sival_int;
	void *sival_ptr;
};

/* siginfo_t: signo, errno, code, then a union at offset 16; 128 bytes in all. */
typedef struct siginfo {
	int si_signo;
	int si_errno;
	int si_code;
	union {
		int _pad[28];
		struct {		/* kill, tkill, SIGALRM */
			int _pid;
			unsigned int _uid;
			union sigval _sigval;
		} _kill;
		struct {		/* SIGCHLD */
			int _pid;
			unsigned int _uid;
			int _status;
			long _utime, _stime;
		} _sigchld;
		struct {		/* SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP */
			void *_addr;
		} _sigfault;
	} _sifields;
} siginfo_t;
#define si_pid		_sifields._kill._pid
#define si_uid		_sifields._kill._uid
#define si_value	_sifields._kill._sigval
#define si_status	_sifields._sigchld._status
#define si_utime	_sifields._sigchld._utime
#define si_stime	_sifields._sigchld._stime
#define si_addr		_sifields._sigfault._addr
_Static_assert(sizeof(siginfo_t) == 128, "Linux's siginfo_t is 128 bytes");
_Static_assert(__builtin_offsetof(siginfo_t, _sifields) == 16, "si_pid / si_addr at offset 16");

/* si_code: who sent it (<= 0 or SI_KERNEL), or why the kernel did (> 0, per signal). */
#define SI_USER		0	/* kill */
#define SI_KERNEL	0x80	/* the kernel: #GP, int3, SIGALRM of alarm/setitimer */
#define SI_TKILL	(-6)	/* tkill, tgkill */
#define ILL_ILLOPC	1	/* illegal opcode (arm64) */
#define ILL_ILLOPN	2	/* illegal operand (x86 #UD) */
#define FPE_INTDIV	1	/* integer divide by zero */
#define SEGV_MAPERR	1	/* no mapping at the address */
#define SEGV_ACCERR	2	/* a mapping that forbids the access */
#define BUS_ADRALN	1	/* misaligned address */
#define BUS_ADRERR	2	/* no such physical address (Linux: past the end of a file) */
#define TRAP_BRKPT	1	/* breakpoint (arm64 brk) */
#define CLD_EXITED	1
#define CLD_KILLED	2
#define CLD_DUMPED	3

/* The kernel's struct sigaction: the layout rt_sigaction copies (32 bytes). */
struct sigaction {
	union {
		void (*sa_handler)(int);
		void (*sa_sigaction)(int, siginfo_t *, void *);
	};
	unsigned long sa_flags;
	void (*sa_restorer)(void);
	kernel_sigset_t sa_mask;
};
_Static_assert(sizeof(struct sigaction) == 32, "handler, flags, restorer, mask");

/* sigaltstack. */
typedef struct sigaltstack {
	void *ss_sp;
	int ss_flags;
	unsigned long ss_size;
} stack_t;
#endif /* __ASSEMBLER__ */

#define SS_ONSTACK	1
#define SS_DISABLE	2
#define SS_AUTODISARM	(1U << 31)	/* disable the stack while a handler runs on it */
#if defined(__aarch64__)
#define MINSIGSTKSZ	5120		/* an arm64 frame is 4.6 KiB */
#define SIGSTKSZ	16384
#else
#define MINSIGSTKSZ	2048
#define SIGSTKSZ	8192
#endif

#endif
