/*
 * uaccess.h - the only way the kernel touches user memory.
 *
 * SMAP (x86_64) and PAN (arm64) make any other kernel access to user pages
 * fault.  These functions open the user window, copy, close it; a fault on a
 * user address first tries the normal fault path (demand paging, CoW, stack
 * growth) and, when that fails, resumes at an exception-table fixup: the
 * function then reports failure instead of oopsing.
 */
#ifndef KERNEL_UAUCCESS_H
#define KERNEL_UAUCCESS_H

#include "kernel/syscall.h"
#include "kernel/types.h"
#include <asm/uaccess.h>

/* True when [addr, addr+size) lies wholly in user space (below TASK_SIZE). */
static inline bool access_ok(const void __user *addr, size_t size)
{
	unsigned long a = (unsigned long)addr;

	return size <= TASK_SIZE && a <= TASK_SIZE - size;
}

/* Copy n bytes; return the number NOT copied (0 on success), like Linux. */
unsigned long copy_from_user(void *to, const void __user *from, unsigned long n);
unsigned long copy_to_user(void __user *to, const void *from, unsigned long n);
unsigned long clear_user(void __user *to, unsigned long n);

/*
 * Copy a NUL-terminated string of at most count bytes (NUL included).
 * Returns its length, -EFAULT on a bad address, -ENAMETOOLONG when no NUL
 * was found within count bytes.
 */
long strncpy_from_user(char *dst, const char __user *src, long count);

#define get_user(x, ptr) \
	(copy_from_user(&(x), (ptr), sizeof(*(ptr))) ? -14 : 0)
#define put_user(x, ptr) ({ \
	__typeof__(*(ptr)) __v = (x); \
	copy_to_user((ptr), &__v, sizeof(__v)) ? -14 : 0; \
})

#endif
