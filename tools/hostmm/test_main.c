/*
 * test_main.c - runs every host mm test on a freshly booted fake machine.
 *
 * Output is TAP-like: "ok N - name" or "not ok N - name # why", then
 * "N passed, N failed"; exit status 1 when anything failed.  A panic the
 * test did not expect fails that test and the run goes on, and so does a
 * lock-order report (kernel/lockdep.h) the test did not take back.  An optional
 * argument selects tests whose name contains it.
 */
#include <stdio.h>
#include <stdarg.h>
#include "kernel/lockdep.h"
#include "tools/hostmm/hostmm.h"
#include "tools/hostmm/hostmm_vm.h"

char hostmm_why[320];

void test_fail(const char *file, int line, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(hostmm_why, sizeof(hostmm_why), "%s:%d: %s", file, line, msg);
}

/* Boot, run one test, catch an unexpected panic.  Returns true on pass. */
static bool run_one(const struct hostmm_test *t)
{
	jmp_buf jb;

	hostmm_why[0] = '\0';
	lockdep_reset_cpu();	/* a caught panic may have left locks on the held stack */
	host_cpu_info.cpu = 0;	/* a test that counted as another CPU (test_vmstat.c) */
	hostmm_panic_jmp = &jb;
	if (setjmp(jb) == 0) {
		bool ok;

		unsigned long reports = lockdep_nr_reports;

		hostmm_boot();
		ok = t->fn();

		hostmm_panic_jmp = NULL;
		hostmm_vm_cleanup();
		if (ok && lockdep_nr_reports != reports) {
			const struct lockdep_report *r = &lockdep_last_report;

			snprintf(hostmm_why, sizeof(hostmm_why), "lockdep report: taking %s at %s holding %s from %s",
				 r->taken, r->taken_site, r->held, r->held_site);
			return false;
		}
		return ok;
	}
	hostmm_panic_jmp = NULL;
	hostmm_vm_cleanup();
	snprintf(hostmm_why, sizeof(hostmm_why), "unexpected panic: %s", hostmm_panic_msg);
	fprintf(stderr, "--- log of %s ---\n%s", t->name, hostmm_log());
	return false;
}

int main(int argc, char **argv)
{
	const struct hostmm_test *tables[] = { harness_tests, lock_tests, buddy_tests, folio_tests, debug_vm_tests,
						 model_tests, prezero_tests, vm_tests, fault_tests, anon_order_tests, fork_tests, gup_tests, cow_tests,
						 split_tests, split_freeze_tests, alloc_fail_tests, overcommit_tests, reclaim_tests,
						 oom_tests, huge_pmd_tests, collapse_tests, vm_random_tests, asid_tests, mmu_gather_tests, vma_tests,
						 shmem_tests, foliotrace_tests, policy_tests, policy_hooks_tests,
						 policy_contract_tests, soft_dirty_tests, vmstat_tests, debug_vm_check_tests };
	unsigned int n = 0, passed = 0, failed = 0;

	for (unsigned int i = 0; i < ARRAY_SIZE(tables); i++) {
		for (const struct hostmm_test *t = tables[i]; t->name; t++) {
			if (argc > 1 && !strstr(t->name, argv[1]))
				continue;
			if (run_one(t)) {
				printf("ok %u - %s\n", ++n, t->name);
				passed++;
			} else {
				printf("not ok %u - %s # %s\n", ++n, t->name, hostmm_why);
				failed++;
			}
			fflush(stdout);
		}
	}
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
