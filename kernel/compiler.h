/* compiler.h - attribute and helper macros. */
#ifndef KERNEL_COMPILER_H
#define KERNEL_COMPILER_H

#define __noreturn	__attribute__((noreturn))
#define __packed	__attribute__((packed))
#define __aligned(x)	__attribute__((aligned(x)))
#define __section(s)	__attribute__((section(s)))
#define __used		__attribute__((used))
#define __unused	__attribute__((unused))
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#define barrier()	__asm__ __volatile__("" ::: "memory")

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define ALIGN(x, a)	(((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define min(a, b)	((a) < (b) ? (a) : (b))
#define max(a, b)	((a) > (b) ? (a) : (b))
#define BIT(n)		(1UL << (n))

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - __builtin_offsetof(type, member)))

#define READ_ONCE(x)	(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))

#define BUILD_BUG_ON(c)	_Static_assert(!(c), #c)

/* A macro's value as a string literal (to paste an offset into inline asm). */
#define __stringify_1(x)	#x
#define __stringify(x)		__stringify_1(x)

/*
 * Assembly cannot use offsetof, so headers shared with .S files define the
 * offsets it needs as plain numbers (PT_*, CTX_*, ...) and pin each one to
 * the C struct with these, next to the struct: a layout change that the
 * numbers do not follow stops the build.  ASM_OFFSET_PAIR pins two members
 * one paired access (arm64 stp/ldp) reaches at off and off + 8.
 */
#define ASM_OFFSET(type, member, off) \
	_Static_assert(__builtin_offsetof(type, member) == (off), \
		       #off " is not offsetof(" #type ", " #member ")")
#define ASM_OFFSET_PAIR(type, m1, m2, off) \
	_Static_assert(__builtin_offsetof(type, m1) == (off) && \
		       __builtin_offsetof(type, m2) == (off) + 8, \
		       #off " is not offsetof(" #type ", " #m1 ") with " #m2 " next")
#define ASM_SIZE(type, size) \
	_Static_assert(sizeof(type) == (size), #size " is not sizeof(" #type ")")

#endif
