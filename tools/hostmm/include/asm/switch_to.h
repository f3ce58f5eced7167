/* asm/switch_to.h (host) - task context types for kernel/sched.h; no switching on the host. */
#ifndef ASM_SWITCH_TO_H
#define ASM_SWITCH_TO_H

#include "kernel/types.h"

struct cpu_context {
	u64 sp, ip;
};

struct thread_struct {
	u64 tls;
};

#endif
