/*
 * assert_value.h - how a failed equality check prints its two integers.
 * Shared by the boot tests (kernel/ktest.h: KT_ASSERT_EQ) and the host mm
 * harness (tools/hostmm/hostmm.h: ASSERT_EQ).
 *
 * The checks compare as unsigned long long (so a long -EINVAL equals an int
 * -EINVAL whatever the widths), but each value is printed in the signedness of
 * its own expression's type: a long holding -EINVAL prints "-22", not
 * "18446744073709551594"; an unsigned long holding ~0UL prints
 * "18446744073709551615"; pointers print unsigned.  The text comes from one
 * conversion pair per value, so one printf-style call prints a whole message:
 *
 *	unsigned long long va = (unsigned long long)(a);
 *	fail("%s == %s: " ASSERT_VALUE_FMT " != " ASSERT_VALUE_FMT, #a, #b,
 *	     ASSERT_VALUE_ARGS(va, a), ASSERT_VALUE_ARGS(vb, b));
 *
 * The expression x is only looked at for its type (never evaluated).
 */
#ifndef KERNEL_ASSERT_VALUE_H
#define KERNEL_ASSERT_VALUE_H

/* Whether x has a signed type once promoted (char, short and bool promote to int). */
#define ASSERT_VALUE_SIGNED(x) \
	_Generic((x) + 0, int: 1, long: 1, long long: 1, default: 0)

/* The printf conversions of one value: its sign ("-" or "") and its magnitude. */
#define ASSERT_VALUE_FMT	"%s%llu"

/* The arguments for ASSERT_VALUE_FMT: v is x converted to unsigned long long. */
#define ASSERT_VALUE_NEGATIVE(v, x)	(ASSERT_VALUE_SIGNED(x) && (long long)(v) < 0)
#define ASSERT_VALUE_ARGS(v, x) \
	(ASSERT_VALUE_NEGATIVE(v, x) ? "-" : ""), \
	(ASSERT_VALUE_NEGATIVE(v, x) ? 0ULL - (v) : (v))

#endif
