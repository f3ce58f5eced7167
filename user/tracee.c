/* tracee: a small program of known memory events, run as init under folio.trace=on by
 * `make test` (tools/test.sh guest_trace), which checks the recorded trace against it.
 *
 * With every anonymous size "never" (order-0 recording) its regions give exactly:
 *   A (16 pages): 16 write faults (alloc order 0); MADV_DONTNEED; 1 write fault (alloc);
 *                 fork: the child's write to page 1 (cow-copy order 0), the child exits;
 *                 the parent's write to page 2 (cow-reuse: the child is gone); munmap
 *   B (4 pages):  1 read fault (the zero page); mprotect(PROT_READ); munmap
 * Last it prints "TRACEE a=ADDR b=ADDR anon_fault_alloc=N0,..,N9 pgalloc=P0,..,P9": each
 * size's anon_fault_alloc counter and /proc/vmstat's pgalloc_order_<k>, read after
 * everything faulted, so the trace's alloc faults of order k >= 1 must equal Nk, and its
 * alloc plus cow-copy faults of order k must equal Pk; then it exits 0 (init: the
 * machine powers off and the trace ends). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <mthp.h>
#include <sys/mman.h>
#include <sys/wait.h>

#define PG 4096UL

static char line[320];

/* Append " name=v0,v1,..,v9": anon_fault_alloc of hugepages-<N>kB per order (0 for order 0,
 * which has no directory), or /proc/vmstat's pgalloc_order_<k>. */
static int counters(char *buf, size_t len, int vmstat)
{
	static char vm[8192];
	char path[128], dir[40];
	int n = snprintf(buf, len, vmstat ? " pgalloc=" : " anon_fault_alloc=");

	if (vmstat && sysfs_read("/proc/vmstat", vm, sizeof(vm)) < 0)
		return n;
	for (unsigned int k = 0; k <= MTHP_MAX_ORDER; k++) {
		long v = 0;

		if (vmstat) {
			char key[32], *p;

			snprintf(key, sizeof(key), "pgalloc_order_%u ", k);
			p = strstr(vm, key);
			v = p ? atol(p + strlen(key)) : -1;
		} else if (k >= MTHP_MIN_ORDER) {
			snprintf(path, sizeof(path), THP_DIR "/%s/stats/anon_fault_alloc", mthp_dir(k, dir, sizeof(dir)));
			v = sysfs_read_long(path);
		}
		n += snprintf(buf + n, len - (size_t)n, "%s%ld", k ? "," : "", v);
	}
	return n;
}

static void report(volatile char *a, volatile char *b)
{
	int n = snprintf(line, sizeof(line), "TRACEE a=%p b=%p", (void *)a, (void *)b);

	n += counters(line + n, sizeof(line) - (size_t)n, 0);
	n += counters(line + n, sizeof(line) - (size_t)n, 1);
	line[n++] = '\n';
	write(1, line, (size_t)n);
}

int main(void)
{
	volatile char *a = mmap(NULL, 16 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	volatile char *b = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int status;
	pid_t pid;

	if (a == MAP_FAILED || b == MAP_FAILED)
		return 1;
	for (unsigned long i = 0; i < 16; i++)
		a[i * PG] = 1;
	madvise((void *)a, 16 * PG, MADV_DONTNEED);
	a[0] = 2;
	if (b[0] != 0)
		return 1;
	mprotect((void *)b, 4 * PG, PROT_READ);
	pid = fork();
	if (pid == 0) {
		a[PG] = 3;
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || status != 0)
		return 1;
	a[2 * PG] = 4;
	munmap((void *)a, 16 * PG);
	munmap((void *)b, 4 * PG);
	report(a, b);	/* faults in what reading the counters needs */
	report(a, b);	/* the count that must equal the trace's */
	return 0;
}
