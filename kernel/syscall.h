/*
 * syscall.h - system call definitions.
 *
 * User space uses Linux's system-call numbers, argument order and errno
 * values per architecture (arch/<arch>/syscall_table.c maps numbers to
 * handlers).  A handler is written once with SYSCALL_DEFINEn, which gives it
 * typed arguments:
 *
 *	SYSCALL_DEFINE3(read, int, fd, void __user *, buf, size_t, count)
 *	{ ... return bytes or -EBADF ...; }
 *
 * and defines `long sys_read(const struct syscall_args *)` for the table.
 * Handlers return a value >= 0 or a negative errno; unknown numbers -ENOSYS.
 */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include "kernel/types.h"

#define __user	/* marks a user-space pointer: only touch it through uaccess.h */

struct syscall_args {
	unsigned long a[6];
};

typedef long (*syscall_fn_t)(const struct syscall_args *args);

#define __SC_DECL1(t1, a1) t1 a1
#define __SC_DECL2(t1, a1, ...) t1 a1, __SC_DECL1(__VA_ARGS__)
#define __SC_DECL3(t1, a1, ...) t1 a1, __SC_DECL2(__VA_ARGS__)
#define __SC_DECL4(t1, a1, ...) t1 a1, __SC_DECL3(__VA_ARGS__)
#define __SC_DECL5(t1, a1, ...) t1 a1, __SC_DECL4(__VA_ARGS__)
#define __SC_DECL6(t1, a1, ...) t1 a1, __SC_DECL5(__VA_ARGS__)

#define __SC_CAST1(i, t1, a1) (t1)r->a[i]
#define __SC_CAST2(i, t1, a1, ...) (t1)r->a[i], __SC_CAST1(i + 1, __VA_ARGS__)
#define __SC_CAST3(i, t1, a1, ...) (t1)r->a[i], __SC_CAST2(i + 1, __VA_ARGS__)
#define __SC_CAST4(i, t1, a1, ...) (t1)r->a[i], __SC_CAST3(i + 1, __VA_ARGS__)
#define __SC_CAST5(i, t1, a1, ...) (t1)r->a[i], __SC_CAST4(i + 1, __VA_ARGS__)
#define __SC_CAST6(i, t1, a1, ...) (t1)r->a[i], __SC_CAST5(i + 1, __VA_ARGS__)

#define SYSCALL_DEFINE0(name) \
	long sys_##name(const struct syscall_args *r __attribute__((unused)))

#define __SYSCALL_DEFINEx(x, name, ...) \
	static long do_sys_##name(__SC_DECL##x(__VA_ARGS__)); \
	long sys_##name(const struct syscall_args *r) \
	{ \
		return do_sys_##name(__SC_CAST##x(0, __VA_ARGS__)); \
	} \
	static long do_sys_##name(__SC_DECL##x(__VA_ARGS__))

#define SYSCALL_DEFINE1(name, ...) __SYSCALL_DEFINEx(1, name, __VA_ARGS__)
#define SYSCALL_DEFINE2(name, ...) __SYSCALL_DEFINEx(2, name, __VA_ARGS__)
#define SYSCALL_DEFINE3(name, ...) __SYSCALL_DEFINEx(3, name, __VA_ARGS__)
#define SYSCALL_DEFINE4(name, ...) __SYSCALL_DEFINEx(4, name, __VA_ARGS__)
#define SYSCALL_DEFINE5(name, ...) __SYSCALL_DEFINEx(5, name, __VA_ARGS__)
#define SYSCALL_DEFINE6(name, ...) __SYSCALL_DEFINEx(6, name, __VA_ARGS__)

/* Dispatch number nr with args (from the arch entry); returns the user-visible result. */
long do_syscall(unsigned long nr, const struct syscall_args *args);
/* folio.trace=on: record call nr's effect on the address space (kernel/foliotrace_syscall.c). */
void foliotrace_syscall(unsigned long nr, const struct syscall_args *args, long ret);

#endif
