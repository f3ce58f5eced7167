/*
 * asm/uaccess.h (host) - the user address range; "user" pointers are host
 * pointers, so the copy primitives are plain memcpy/memset that never fault.
 */
#ifndef ASM_UACCESS_H
#define ASM_UACCESS_H

#include "kernel/types.h"

/*
 * The top of user space: a run-time parameter of the harness, so that one
 * build holds either arch's address space (the policy lab replays a trace
 * in the user space of the arch that recorded it): x86_64's 47 bits less a
 * guard page (vm_setup's default) or arm64's 48 (hostmm_set_user_space,
 * tools/hostmm/hostmm_vm.h).
 */
extern unsigned long hostmm_task_size;
#define TASK_SIZE	hostmm_task_size

static inline void uaccess_begin(void) { }
static inline void uaccess_end(void) { }

/* Return bytes not copied (always 0 here), as the kernel's. */
static inline unsigned long __arch_copy_user(void *to, const void *from, unsigned long n)
{
	__builtin_memcpy(to, from, n);
	return 0;
}

static inline unsigned long __arch_clear_user(void *to, unsigned long n)
{
	__builtin_memset(to, 0, n);
	return 0;
}

#endif
