/*
 * ktest.h - in-kernel boot tests.
 *
 * A test is a function registered with KTEST(name) { ... }.  The kernel runs
 * them when the command line says `folio.ktest=all` (or a comma-separated
 * list of names) and prints TAP-like lines:
 *
 *	ok 3 - buddy_alloc_every_order
 *	not ok 4 - pt_rodata_readonly # write to rodata did not fault
 *
 * then "N passed, N failed" and "KTEST DONE", and powers off with status 0
 * when all passed, 1 otherwise.  Assertions print the failing expression and
 * values (each in its type's signedness: kernel/assert_value.h) and end the
 * current test (return from it); the runner continues with the next test.
 */
#ifndef KERNEL_KTEST_H
#define KERNEL_KTEST_H

#include "kernel/assert_value.h"
#include "kernel/types.h"
#include "kernel/compiler.h"

struct ktest {
	const char *name;
	void (*fn)(void);
};

/* Set by the KT_ macros; read by the runner after fn() returns. */
extern bool ktest_failed;
extern char ktest_why[160];

void ktest_fail(const char *file, int line, const char *fmt, ...) __printf(3, 4);
/* Run the tests selected by `sel` ("all" or "a,b,c"); returns the number failed. */
int ktest_run(const char *sel);

#define KTEST(n) \
	static void ktest_fn_##n(void); \
	static const struct ktest ktest_##n __section(".ktests") __used __aligned(8) = { \
		.name = #n, .fn = ktest_fn_##n }; \
	static void ktest_fn_##n(void)

#define KT_ASSERT(cond) do { \
	if (!(cond)) { \
		ktest_fail(__FILE__, __LINE__, "%s", #cond); \
		return; \
	} \
} while (0)

#define KT_ASSERT_EQ(a, b) do { \
	unsigned long long __a = (unsigned long long)(a), __b = (unsigned long long)(b); \
	if (__a != __b) { \
		ktest_fail(__FILE__, __LINE__, "%s == %s: " ASSERT_VALUE_FMT " != " ASSERT_VALUE_FMT, \
			#a, #b, ASSERT_VALUE_ARGS(__a, a), ASSERT_VALUE_ARGS(__b, b)); \
		return; \
	} \
} while (0)

#define KT_ASSERT_MSG(cond, fmt, ...) do { \
	if (!(cond)) { \
		ktest_fail(__FILE__, __LINE__, fmt, ##__VA_ARGS__); \
		return; \
	} \
} while (0)

#endif
