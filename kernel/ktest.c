/*
 * ktest.c - the boot test runner (see ktest.h), and the deliberate-crash
 * hooks the harness uses to prove panic and trap reporting work:
 *   folio.ktest=all|name,name	run boot tests, print TAP lines, power off
 *   folio.crash=panic|pagefault|null	crash on purpose after boot
 */
#include "kernel/cmdline.h"
#include "kernel/ktest.h"
#include "kernel/printk.h"
#include "kernel/string.h"

extern const struct ktest __ktests_start[], __ktests_end[];

bool ktest_failed;
char ktest_why[160];

void ktest_fail(const char *file, int line, const char *fmt, ...)
{
	char msg[120];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!ktest_failed)
		snprintf(ktest_why, sizeof(ktest_why), "%s:%d: %s", file, line, msg);
	ktest_failed = true;
}

/* Is name in the comma-separated list sel (or is sel "all")? */
static bool selected(const char *sel, const char *name)
{
	size_t n = strlen(name);

	if (strcmp(sel, "all") == 0)
		return true;
	for (const char *p = sel; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL) {
		if (strncmp(p, name, n) == 0 && (p[n] == ',' || p[n] == 0))
			return true;
	}
	return false;
}

int ktest_run(const char *sel)
{
	int nr = 0, failed = 0;

	for (const struct ktest *t = __ktests_start; t < __ktests_end; t++) {
		if (!selected(sel, t->name))
			continue;
		ktest_failed = false;
		ktest_why[0] = 0;
		t->fn();
		nr++;
		if (ktest_failed) {
			failed++;
			printk("not ok %d - %s # %s\n", nr, t->name, ktest_why);
		} else {
			printk("ok %d - %s\n", nr, t->name);
		}
	}
	printk("%d passed, %d failed\n", nr - failed, failed);
	printk("KTEST DONE\n");
	return failed;
}

const char *ktest_selection;
const char *crash_mode;

static int ktest_setup(const char *v)
{
	ktest_selection = (v && *v) ? v : "all";
	return 0;
}
__setup("folio.ktest", ktest_setup);

static int crash_setup(const char *v)
{
	crash_mode = v;
	return v ? 0 : -22;
}
__setup("folio.crash", crash_setup);

static const u8 crash_target_ro = 0x5a;

/* Crash the way folio.crash= asked; returns only for an unknown mode. */
void ktest_crash(void)
{
	if (strcmp(crash_mode, "panic") == 0)
		panic("folio.crash: deliberate panic");
	if (strcmp(crash_mode, "pagefault") == 0) {
		pr_info("folio.crash: writing to read-only data at %p\n", &crash_target_ro);
		*(volatile u8 *)&crash_target_ro = 1;
	}
	if (strcmp(crash_mode, "null") == 0)
		pr_info("folio.crash: read %d from NULL\n", *(volatile int *)0);
	pr_err("folio.crash: unknown mode '%s' (panic|pagefault|null)\n", crash_mode);
}
