/*
 * bitops.h - atomic bit operations on a word of flags, with Linux's names.
 *
 * A word whose bits several CPUs change at once (struct page's flags: one
 * CPU sets PG_referenced under the LRU lock while another clears
 * PG_anon_exclusive under a PTE lock) must be changed by indivisible
 * read-modify-writes, or one CPU's store undoes the other's bit.  These
 * are the compiler's __atomic builtins (portable C: the kernel on both
 * arches and the host harness compile the same code; x86_64 gets `lock
 * or/and`, arm64 LDXR/STXR loops), with Linux's ordering
 * (Documentation/atomic_bitops.txt):
 *
 *   set_bit, clear_bit                 relaxed (no ordering implied)
 *   test_and_set_bit, test_and_clear_bit   fully ordered, as if smp_mb()
 *                                      stood on both sides
 *   test_and_set_bit_lock              acquire (a bit lock's take)
 *   clear_bit_unlock                   release (a bit lock's drop)
 *   test_bit                           a plain (relaxed) load
 *
 * Linux's non-atomic __set_bit/__clear_bit are not offered: a word nobody
 * else can see yet is written whole (mm/split.c's new folios).
 */
#ifndef KERNEL_BITOPS_H
#define KERNEL_BITOPS_H

#include "kernel/types.h"

static inline bool test_bit(unsigned int nr, const unsigned long *addr)
{
	return (__atomic_load_n(addr, __ATOMIC_RELAXED) >> nr) & 1;
}

static inline void set_bit(unsigned int nr, unsigned long *addr)
{
	__atomic_fetch_or(addr, 1UL << nr, __ATOMIC_RELAXED);
}

static inline void clear_bit(unsigned int nr, unsigned long *addr)
{
	__atomic_fetch_and(addr, ~(1UL << nr), __ATOMIC_RELAXED);
}

static inline bool test_and_set_bit(unsigned int nr, unsigned long *addr)
{
	return (__atomic_fetch_or(addr, 1UL << nr, __ATOMIC_SEQ_CST) >> nr) & 1;
}

static inline bool test_and_clear_bit(unsigned int nr, unsigned long *addr)
{
	return (__atomic_fetch_and(addr, ~(1UL << nr), __ATOMIC_SEQ_CST) >> nr) & 1;
}

/* Take a bit lock: true when the bit was already set (not taken). */
static inline bool test_and_set_bit_lock(unsigned int nr, unsigned long *addr)
{
	return (__atomic_fetch_or(addr, 1UL << nr, __ATOMIC_ACQUIRE) >> nr) & 1;
}

/* Drop a bit lock: the critical section's accesses are visible before the bit clears. */
static inline void clear_bit_unlock(unsigned int nr, unsigned long *addr)
{
	__atomic_fetch_and(addr, ~(1UL << nr), __ATOMIC_RELEASE);
}

#endif
