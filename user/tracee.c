/* tracee: a small program of known memory events, run as init under folio.trace=on by
 * `make test` (tools/test.sh guest_trace), which checks the recorded trace against it.
 *
 * With every anonymous size "never" (order-0 recording) its regions give exactly:
 *   A (16 pages): 16 write faults (alloc order 0); MADV_DONTNEED; 1 write fault (alloc);
 *                 fork: the child's write to page 0 (cow-copy order 0), the child exits;
 *                 the parent's write to page 0 (cow-reuse: the child is gone); munmap
 *   B (4 pages):  1 read fault (the zero page); mprotect(PROT_READ); munmap
 * Last it prints "TRACEE a=ADDR b=ADDR anon_fault_alloc=N0,..,N9 pgalloc=P0,..,P9": each
 * size's anon_fault_alloc counter and /proc/vmstat's pgalloc_order_<k>, read after
 * everything faulted, so the trace's alloc faults of order k >= 1 must equal Nk, and its
 * alloc plus cow-copy faults of order k must equal Pk; then it exits 0 (init: the
 * machine powers off and the trace ends).  Before that a leak check: the free pages after
 * the regions are unmapped and the child reaped equal those before ("TRACEE leak check:
 * free pages before X after Y"); a leak exits 1.
 *
 * `tracee threads` instead starts TRACEE_THREADS threads that fault one 64K block each of one
 * region at once (after a common start flag): the even ones write (a folio: order 4 with the
 * default knobs), the odd ones read (the zero page).  Joined, it prints "TRACEE_THREADS
 * base=ADDR folios=F0,F1,..": what /proc/self/folios shows at each block (its order, or
 * "zero"), which each thread's FT_FAULT record must say (tools/test-trace.sh guest_trace: the
 * outcome is the faulting thread's, not its mm's); the same leak check, then exit 0.
 *
 * `tracee PROG ARGS...` instead runs PROG (fork, execve, wait) and then prints the same
 * TRACEE line (a=b=0): how tools/testdata/traces/ recorded foliOS's own programs with
 * the kernel's counters for the same run. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <folios.h>
#include <mthp.h>
#include <sched.h>
#include <test.h>
#include <thread.h>
#include <sys/mman.h>
#include <sys/wait.h>

#define PG 4096UL
#define BLOCK (64 * 1024UL)
#define TRACEE_THREADS 4

static char line[320];

/* Append " name=v0,v1,..,v9": anon_fault_alloc of hugepages-<N>kB per order (0 for order 0,
 * which has no directory), or /proc/vmstat's pgalloc_order_<k>. */
static int counters(char *buf, size_t len, int vmstat)
{
	long v[MTHP_MAX_ORDER + 1];
	int n = snprintf(buf, len, vmstat ? " pgalloc=" : " anon_fault_alloc=");

	mthp_stat_all("anon_fault_alloc", v);
	for (unsigned int k = 0; k <= MTHP_MAX_ORDER; k++) {
		if (vmstat) {
			char key[32];

			snprintf(key, sizeof(key), "pgalloc_order_%u", k);
			v[k] = vmstat_get(key);
		}
		n += snprintf(buf + n, len - (size_t)n, "%s%ld", k ? "," : "", v[k]);
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

/* Run argv[0] to its end; the TRACEE line after it. */
static int run_program(char **argv)
{
	static char *const envp[] = { "PATH=/bin", NULL };
	int status = 0;
	pid_t pid = fork();

	if (pid == 0) {
		execve(argv[0], argv, envp);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return 1;
	report(NULL, NULL);
	report(NULL, NULL);
	return status ? 1 : 0;
}

static volatile int threads_go;
static char *threads_base;

/* Thread i: wait for the start, then fault block i of the region (write if i is even). */
static int fault_block(void *arg)
{
	volatile char *block = arg;

	while (!threads_go)
		sched_yield();
	if ((unsigned long)(block - threads_base) / BLOCK % 2 == 0)
		block[0] = 1;
	else if (block[0] != 0)
		return 1;
	return 0;
}

/* `tracee threads`: the threads' faults, then what each block holds. */
static int run_threads(void)
{
	struct uthread t[TRACEE_THREADS];
	struct folio_run r;
	char *map, *base;
	long before, after;
	int n;

	folios_prefault();
	free_pages_now();
	before = free_pages_now();
	map = mmap(NULL, (TRACEE_THREADS + 1) * BLOCK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		return 1;
	base = threads_base = (char *)(((unsigned long)map + BLOCK - 1) & ~(BLOCK - 1));
	for (int i = 0; i < TRACEE_THREADS; i++)
		if (thread_start(&t[i], fault_block, base + i * BLOCK) < 0)
			return 1;
	threads_go = 1;
	for (int i = 0; i < TRACEE_THREADS; i++)
		thread_join(&t[i]);
	n = snprintf(line, sizeof(line), "TRACEE_THREADS base=%p folios=", (void *)base);
	for (int i = 0; i < TRACEE_THREADS; i++) {
		if (folio_at(base + i * BLOCK, &r))
			return 1;
		if (r.flags & FOLIO_RUN_ZERO)
			n += snprintf(line + n, sizeof(line) - (size_t)n, "%szero", i ? "," : "");
		else
			n += snprintf(line + n, sizeof(line) - (size_t)n, "%s%u", i ? "," : "", r.order);
	}
	line[n++] = '\n';
	munmap(map, (TRACEE_THREADS + 1) * BLOCK);
	after = free_pages_now();
	printf("TRACEE leak check: free pages before %ld after %ld\n", before, after);
	if (after != before)
		return 1;
	write(1, line, (size_t)n);
	return 0;
}

int main(int argc, char **argv)
{
	volatile char *a, *b;
	long before, after;
	int status;
	pid_t pid;

	if (argc == 2 && !strcmp(argv[1], "threads"))
		return run_threads();
	if (argc > 1)
		return run_program(argv + 1);
	free_pages_now();
	before = free_pages_now();
	a = mmap(NULL, 16 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	b = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
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
		a[0] = 3;
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || status != 0)
		return 1;
	a[0] = 4;
	munmap((void *)a, 16 * PG);
	munmap((void *)b, 4 * PG);
	after = free_pages_now();
	printf("TRACEE leak check: free pages before %ld after %ld\n", before, after);
	if (after != before)
		return 1;
	report(a, b);	/* faults in what reading the counters needs */
	report(a, b);	/* the count that must equal the trace's */
	return 0;
}
