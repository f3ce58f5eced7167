/*
 * ktest_test.c - boot tests of the boot-test harness itself: a failed
 * KT_ASSERT_EQ prints each value in the signedness of its type
 * (kernel/assert_value.h), so a -EINVAL reads -22 and an all-ones unsigned
 * long or a kernel pointer reads as the unsigned number it is.  Each fail_*
 * function fails one KT_ASSERT_EQ on purpose; the test reads the message it
 * left in ktest_why, then clears the failure before asserting anything.
 */
#include "kernel/ktest.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include <uapi/errno.h>

static void fail_long_einval(void)
{
	long ret = -EINVAL;

	KT_ASSERT_EQ(ret, 0);
}

static void fail_int_literal(void)
{
	KT_ASSERT_EQ(-EINVAL, EINVAL);
}

static void fail_ulong_max(void)
{
	unsigned long v = ~0UL;

	KT_ASSERT_EQ(v, 0);
}

static void fail_pointer(void)
{
	const void *p = (const void *)~0UL;

	KT_ASSERT_EQ(p, NULL);
}

/*
 * Run fn, which must fail; copy its message without the "file:line: "
 * prefix into msg and clear the failure, so the caller's test goes on.
 */
static void failure_of(void (*fn)(void), char *msg, size_t size)
{
	const char *p;

	ktest_failed = false;
	ktest_why[0] = 0;
	fn();
	p = strchr(ktest_why, ':');		/* after __FILE__ (which holds no ':') */
	p = p ? strchr(p + 1, ':') : NULL;	/* after __LINE__ */
	snprintf(msg, size, "%s", !ktest_failed ? "(no failure)" : p ? p + 2 : ktest_why);
	ktest_failed = false;
	ktest_why[0] = 0;
}

#define KT_ASSERT_FAILS_WITH(fn, want) do { \
	char __m[sizeof(ktest_why)]; \
	failure_of(fn, __m, sizeof(__m)); \
	KT_ASSERT_MSG(strcmp(__m, want) == 0, "'%s', want '%s'", __m, want); \
} while (0)

KTEST(ktest_assert_eq_prints_values_in_their_signedness)
{
	KT_ASSERT_FAILS_WITH(fail_long_einval, "ret == 0: -22 != 0");
	KT_ASSERT_FAILS_WITH(fail_int_literal, "-EINVAL == EINVAL: -22 != 22");
	KT_ASSERT_FAILS_WITH(fail_ulong_max, "v == 0: 18446744073709551615 != 0");
	KT_ASSERT_FAILS_WITH(fail_pointer, "p == NULL: 18446744073709551615 != 0");
}
