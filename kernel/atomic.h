/*
 * atomic.h - atomic integers and memory barriers, with Linux's names.
 *
 * atomic_t (int) and atomic_long_t (long) wrap a counter that is only ever
 * touched through the functions below, so every access is one indivisible
 * read-modify-write (or a plain READ_ONCE/WRITE_ONCE for read and set)
 * whatever the other CPUs do.  They are portable C on the compiler's
 * __atomic builtins: the kernel (x86_64: lock-prefixed instructions; arm64
 * built for plain ARMv8.0 with -mno-outline-atomics: inline LDAXR/STLXR
 * loops) and the host harness (tools/hostmm) compile the same code.
 *
 * Ordering follows Linux's atomic_t.txt: atomic_read/atomic_set and the
 * void operations (atomic_inc, atomic_add, ...) are relaxed; every
 * operation that returns a value (atomic_add_return, atomic_dec_and_test,
 * atomic_cmpxchg, atomic_xchg, atomic_try_cmpxchg, ...) is fully ordered,
 * as if smp_mb() stood on both sides.  atomic_read_acquire and
 * atomic_set_release pair up to publish data (mm/split.c's new folios);
 * the other _acquire/_release forms the locks need are spelled out where
 * used (kernel/spinlock.h).
 *
 * smp_mb/smp_rmb/smp_wmb order this CPU's accesses as other CPUs see them;
 * barrier() (kernel/compiler.h) only stops the compiler.  READ_ONCE and
 * WRITE_ONCE (kernel/compiler.h) are single untorn accesses of a plain
 * variable shared with other CPUs.
 */
#ifndef KERNEL_ATOMIC_H
#define KERNEL_ATOMIC_H

#include "kernel/compiler.h"
#include "kernel/types.h"

typedef struct {
	int counter;
} atomic_t;

typedef struct {
	long counter;
} atomic_long_t;

#define ATOMIC_INIT(i)		{ (i) }
#define ATOMIC_LONG_INIT(i)	{ (i) }

#define smp_mb()	__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define smp_rmb()	__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define smp_wmb()	__atomic_thread_fence(__ATOMIC_RELEASE)

/*
 * One set of functions per type: prefix atomic / atomic_long, type T.
 * try_cmpxchg: if *v == *old, *v = new and true; else *old = *v and false.
 */
#define ATOMIC_OPS(prefix, type, T)						\
static inline T prefix##_read(const type *v)					\
{										\
	return __atomic_load_n(&v->counter, __ATOMIC_RELAXED);			\
}										\
static inline void prefix##_set(type *v, T i)					\
{										\
	__atomic_store_n(&v->counter, i, __ATOMIC_RELAXED);			\
}										\
static inline T prefix##_read_acquire(const type *v)				\
{										\
	return __atomic_load_n(&v->counter, __ATOMIC_ACQUIRE);			\
}										\
static inline void prefix##_set_release(type *v, T i)				\
{										\
	__atomic_store_n(&v->counter, i, __ATOMIC_RELEASE);			\
}										\
static inline void prefix##_add(T i, type *v)					\
{										\
	__atomic_fetch_add(&v->counter, i, __ATOMIC_RELAXED);			\
}										\
static inline void prefix##_sub(T i, type *v)					\
{										\
	__atomic_fetch_sub(&v->counter, i, __ATOMIC_RELAXED);			\
}										\
static inline void prefix##_inc(type *v) { prefix##_add(1, v); }		\
static inline void prefix##_dec(type *v) { prefix##_sub(1, v); }		\
static inline T prefix##_add_return(T i, type *v)				\
{										\
	return __atomic_add_fetch(&v->counter, i, __ATOMIC_SEQ_CST);		\
}										\
static inline T prefix##_sub_return(T i, type *v)				\
{										\
	return __atomic_sub_fetch(&v->counter, i, __ATOMIC_SEQ_CST);		\
}										\
static inline T prefix##_fetch_add(T i, type *v)				\
{										\
	return __atomic_fetch_add(&v->counter, i, __ATOMIC_SEQ_CST);		\
}										\
static inline T prefix##_inc_return(type *v) { return prefix##_add_return(1, v); } \
static inline T prefix##_dec_return(type *v) { return prefix##_sub_return(1, v); } \
static inline bool prefix##_dec_and_test(type *v)				\
{										\
	return prefix##_sub_return(1, v) == 0;					\
}										\
static inline bool prefix##_inc_and_test(type *v)				\
{										\
	return prefix##_add_return(1, v) == 0;					\
}										\
static inline bool prefix##_add_negative(T i, type *v)				\
{										\
	return prefix##_add_return(i, v) < 0;					\
}										\
static inline T prefix##_xchg(type *v, T new)					\
{										\
	return __atomic_exchange_n(&v->counter, new, __ATOMIC_SEQ_CST);		\
}										\
static inline bool prefix##_try_cmpxchg(type *v, T *old, T new)		\
{										\
	return __atomic_compare_exchange_n(&v->counter, old, new, false,	\
					   __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);	\
}										\
/* The value found; the store happened when it equals old. */			\
static inline T prefix##_cmpxchg(type *v, T old, T new)			\
{										\
	prefix##_try_cmpxchg(v, &old, new);					\
	return old;								\
}										\
/* *v += a unless *v == u; returns whether it added (Linux's atomic_add_unless). */ \
static inline bool prefix##_add_unless(type *v, T a, T u)			\
{										\
	T c = prefix##_read(v);							\
										\
	do {									\
		if (c == u)							\
			return false;						\
	} while (!prefix##_try_cmpxchg(v, &c, c + a));				\
	return true;								\
}

ATOMIC_OPS(atomic, atomic_t, int)
ATOMIC_OPS(atomic_long, atomic_long_t, long)

#undef ATOMIC_OPS

#endif
