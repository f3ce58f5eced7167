/*
 * uapi/ucontext.h - what a signal handler finds on its stack: Linux's
 * struct ucontext and struct sigcontext of the architecture being compiled
 * for (the third argument of an SA_SIGINFO handler points at the ucontext),
 * and the FP/SIMD state records they lead to.  Linux's asm/sigcontext.h
 * and asm/ucontext.h; sizes and offsets are static-asserted.  The frames
 * around them (struct rt_sigframe) are the kernel's: arch/<arch>/signal.c.
 */
#ifndef UAPI_UCONTEXT_H
#define UAPI_UCONTEXT_H

#include <stdint.h>
#include <uapi/signal.h>

#if defined(__x86_64__)

/* The FXSAVE image (512 bytes, 16-aligned); bytes 464..511 are software's. */
struct _fpx_sw_bytes {
	uint32_t magic1;		/* FP_XSTATE_MAGIC1 */
	uint32_t extended_size;		/* the whole FP frame, with MAGIC2 when XSAVE is used */
	uint64_t xfeatures;		/* the state components saved (FP | SSE: 3) */
	uint32_t xstate_size;
	uint32_t padding[7];
};

struct _fpstate_64 {
	uint16_t cwd, swd, twd, fop;
	uint64_t rip, rdp;
	uint32_t mxcsr, mxcsr_mask;
	uint32_t st_space[32];		/* 8 x87 registers, 16 bytes each */
	uint32_t xmm_space[64];		/* xmm0..15, 16 bytes each */
	uint32_t reserved2[12];
	struct _fpx_sw_bytes sw_reserved;
};
_Static_assert(sizeof(struct _fpstate_64) == 512, "the FXSAVE image");
_Static_assert(__builtin_offsetof(struct _fpstate_64, xmm_space) == 160, "xmm0 at 160");
_Static_assert(__builtin_offsetof(struct _fpstate_64, sw_reserved) == 464, "sw_reserved at 464");

#define FP_XSTATE_MAGIC1	0x46505853U
#define FP_XSTATE_MAGIC2	0x46505845U
#define FP_XSTATE_MAGIC2_SIZE	4

struct sigcontext {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip;
	uint64_t eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err;			/* the fault's error code */
	uint64_t trapno;		/* its vector (14: page fault) */
	uint64_t oldmask;		/* the interrupted mask (also uc_sigmask) */
	uint64_t cr2;			/* the faulting address */
	struct _fpstate_64 *fpstate;	/* the saved FP state (0: none) */
	uint64_t reserved1[8];
};
_Static_assert(sizeof(struct sigcontext) == 256, "x86_64 sigcontext");

#define UC_FP_XSTATE		0x1
#define UC_SIGCONTEXT_SS	0x2
#define UC_STRICT_RESTORE_SS	0x4

typedef struct ucontext {
	unsigned long uc_flags;
	struct ucontext *uc_link;
	stack_t uc_stack;
	struct sigcontext uc_mcontext;
	kernel_sigset_t uc_sigmask;
} ucontext_t;
_Static_assert(__builtin_offsetof(ucontext_t, uc_mcontext) == 40, "x86_64 uc_mcontext");
_Static_assert(sizeof(ucontext_t) == 304, "x86_64 ucontext");

#else /* aarch64 */

/* A record of sigcontext.__reserved: magic, size (with this header; a multiple of 16). */
struct _aarch64_ctx {
	uint32_t magic;
	uint32_t size;
};

#define FPSIMD_MAGIC	0x46508001
struct fpsimd_context {
	struct _aarch64_ctx head;
	uint32_t fpsr;
	uint32_t fpcr;
	__uint128_t vregs[32];
};
_Static_assert(sizeof(struct fpsimd_context) == 528, "fpsimd_context");

#define ESR_MAGIC	0x45535201
struct esr_context {
	struct _aarch64_ctx head;
	uint64_t esr;			/* ESR_EL1 of the fault */
};

struct sigcontext {
	uint64_t fault_address;
	uint64_t regs[31];
	uint64_t sp;
	uint64_t pc;
	uint64_t pstate;
	/* FP/SIMD and other records, each struct _aarch64_ctx first, then {0, 0}. */
	uint8_t __reserved[4096] __attribute__((aligned(16)));
};
_Static_assert(__builtin_offsetof(struct sigcontext, __reserved) == 288, "arm64 __reserved");

typedef struct ucontext {
	unsigned long uc_flags;
	struct ucontext *uc_link;
	stack_t uc_stack;
	kernel_sigset_t uc_sigmask;
	/* room for glibc's 1024-bit sigset_t */
	uint8_t __sigmask_pad[1024 / 8 - sizeof(kernel_sigset_t)];
	struct sigcontext uc_mcontext;
} ucontext_t;
_Static_assert(__builtin_offsetof(ucontext_t, uc_mcontext) == 176, "arm64 uc_mcontext");
_Static_assert(sizeof(ucontext_t) == 4560, "arm64 ucontext");

#endif

#endif
