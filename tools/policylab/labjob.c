/*
 * labjob.c - one lab job (replay.h: lab_run_job): read the trace, boot the
 * host harness's fake machine, apply the spec, replay.  Meant for a fresh
 * process per job (the host mm is one global machine).
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "tools/hostmm/hostmm_vm.h"
#include "tools/policylab/labconfig.h"
#include "tools/policylab/replay.h"

/* The harness's failure hook (its helpers call it); the lab has no tests. */
char hostmm_why[320];
void test_fail(const char *file, int line, const char *fmt, ...)
{
	(void)file;
	(void)line;
	(void)fmt;
}

/* The recorder's port (mm/foliotrace.c): the lab never records (folio.trace is off). */
bool arch_trace_init(void)
{
	return false;
}

void arch_trace_write(const void *buf, size_t len)
{
	(void)buf;
	(void)len;
}

u64 arch_clock_ns(void)
{
	return 0;
}

static int read_file(const char *path, void **buf, size_t *len, char *msg, size_t msglen)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (!f)
		return snprintf(msg, msglen, "%s: cannot open it (missing or unreadable)", path), -1;
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return snprintf(msg, msglen, "%s: cannot size it", path), -1;
	}
	*buf = malloc((size_t)n + 1);
	*len = (size_t)n;
	if (!*buf || fread(*buf, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(*buf);
		return snprintf(msg, msglen, "%s: read failed", path), -1;
	}
	fclose(f);
	return 0;
}

int lab_run_job(const char *trace, const char *spec, struct lab_result *r, char *msg, size_t msglen)
{
	void *buf;
	size_t len;
	jmp_buf jb;
	char why[200];
	struct timespec t0, t1;
	bool knobs;
	int ret;

	if (read_file(trace, &buf, &len, msg, msglen))
		return -1;
	hostmm_panic_jmp = &jb;
	if (setjmp(jb)) {
		snprintf(msg, msglen, "%s: panic in the replay: %s", trace, hostmm_panic_msg);
		return -1;
	}
	hostmm_boot();
	vm_setup();
	thp_pmd_mapping = true;	/* the kernel's default (vm_setup's is the PTE tests') */
	if (len < FT_HEADER_FIXED || memcmp(buf, FT_MAGIC, 8)) {
		free(buf);
		return snprintf(msg, msglen, "%s: not a foliotrace (no %s magic at byte 0)", trace, FT_MAGIC), -1;
	}
	if (lab_config_apply(spec, buf, &knobs, why, sizeof(why))) {
		free(buf);
		return snprintf(msg, msglen, "policy '%s': %s", spec, why), -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = lab_replay(buf, len, knobs, r, why, sizeof(why));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	r->replay_ns = (uint64_t)(t1.tv_sec - t0.tv_sec) * 1000000000ULL + (uint64_t)t1.tv_nsec - (uint64_t)t0.tv_nsec;
	if (ret)
		snprintf(msg, msglen, "%s: %s", trace, why);
	free(buf);
	return ret;
}

