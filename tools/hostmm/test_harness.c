/*
 * test_harness.c - the harness's own assertion messages: a failed ASSERT_EQ
 * prints each value in the signedness of its type (kernel/assert_value.h),
 * so a -EINVAL reads -22, and an all-ones unsigned long or pointer reads
 * 18446744073709551615.
 * Each fail_* function fails one ASSERT_EQ on purpose; the test reads the
 * message it left in hostmm_why.
 */
#include <limits.h>
#include "tools/hostmm/hostmm.h"
#include <uapi/errno.h>

static bool fail_long_einval(void)
{
	long ret = -EINVAL;

	ASSERT_EQ(ret, 0);
	return true;
}

static bool fail_int_literal(void)
{
	ASSERT_EQ(-EINVAL, EINVAL);
	return true;
}

static bool fail_ulong_max(void)
{
	unsigned long v = ~0UL;

	ASSERT_EQ(v, 0);
	return true;
}

static bool fail_llong_min(void)
{
	long long v = LLONG_MIN;

	ASSERT_EQ(v, LLONG_MAX);
	return true;
}

static bool fail_uint_high(void)
{
	unsigned int v = 3000000000u;
	int want = -1;

	ASSERT_EQ(v, want);
	return true;
}

static bool fail_pointer(void)
{
	const void *p = (const void *)~0UL;

	ASSERT_EQ(p, NULL);
	return true;
}

/* The message fn's failed assertion left, without its "file:line: " prefix. */
static const char *failure_of(bool (*fn)(void))
{
	static char msg[sizeof(hostmm_why)];
	const char *p;

	hostmm_why[0] = '\0';
	if (fn())
		return "(no failure)";
	p = strstr(hostmm_why, ": ");	/* __FILE__ holds no ": " */
	snprintf(msg, sizeof(msg), "%s", p ? p + 2 : hostmm_why);
	return msg;
}

static bool test_assert_eq_prints_values_in_their_signedness(void)
{
	const char *msg;

	msg = failure_of(fail_long_einval);
	ASSERT_STREQ(msg, "ret == 0: -22 != 0");
	msg = failure_of(fail_int_literal);
	ASSERT_STREQ(msg, "-EINVAL == EINVAL: -22 != 22");
	msg = failure_of(fail_ulong_max);
	ASSERT_STREQ(msg, "v == 0: 18446744073709551615 != 0");
	msg = failure_of(fail_llong_min);
	ASSERT_STREQ(msg, "v == LLONG_MAX: -9223372036854775808 != 9223372036854775807");
	msg = failure_of(fail_uint_high);
	ASSERT_STREQ(msg, "v == want: 3000000000 != -1");
	msg = failure_of(fail_pointer);
	ASSERT_STREQ(msg, "p == NULL: 18446744073709551615 != 0");
	return true;
}

const struct hostmm_test harness_tests[] = {
	HOSTMM_TEST(test_assert_eq_prints_values_in_their_signedness),
	{ NULL, NULL },
};
