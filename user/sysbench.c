/*
 * sysbench: the process and order-0 memory costs `make bench` reports
 * (BENCH lines, docs/architecture.md):
 *   syscall_getpid   ns per getpid() round trip
 *   signal_handler   ns per kill(self) whose empty handler runs: the frame
 *                    written, the handler entered, rt_sigreturn
 *   fork_exit_wait   us per fork + child _exit + wait4
 *   fork_sparse      the same with a MAP_NORESERVE reservation of 1 GiB and of
 *                    1 TiB mapped, one page of it touched (Go, the JVM and the
 *                    sanitizers reserve like this): the cost must follow what is
 *                    populated, not the reservation
 *   first_touch      MiB/s writing one byte per page of fresh 64 MiB, and
 *                    the page faults it took (getrusage ru_minflt)
 *   munmap           ms to unmap those 64 MiB
 *   vma_lookup       ns per mprotect() that changes nothing (the VMA lookups and the
 *                    argument checks only), 16384 calls spread over 64 and over 16384
 *                    one-page VMAs (PROT_NONE pages between them, so about twice as
 *                    many VMAs in the mm): the lookup must not grow with their number
 *   ctxswitch        ns per address-space switch: two processes alternating by
 *                    sched_yield(), each writing `pages` pages (one per 4 KiB) of its own
 *                    between yields (0 and 64); flush_all is /proc/vmstat's
 *                    nr_tlb_local_flush_all over the switches (one per switch when each
 *                    flushes the TLB, no ASIDs/PCIDs; about 0 with them; -1 where the
 *                    counter is absent); asid=on|off says which (?: no counter)
 *   proc_status      ns per open + read + close of /proc/self/status and of a sleeping
 *                    child's /proc/<pid>/status (the lookup hook's cost is the difference)
 *   proc_mem         MiB/s reading 4 MiB through /proc/self/mem and a child's
 *                    /proc/<pid>/mem in 4 KiB reads (lseek + read, as a debugger)
 *   `sysbench ctxswitch` runs only that one (make bench: once more with folio.asid_bits=0);
 *   `sysbench procfs` only proc_status and proc_mem
 * A benchmark, not a test: it asserts nothing and runs on Linux too.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <bench.h>
#include <mthp.h>

#define PG		4096UL
#define TOUCH_BYTES	(64UL << 20)

static long minflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

static void bench_getpid(const char *arch)
{
	const int n = 100000;
	unsigned long long t0 = (unsigned long long)now_ns();

	for (int i = 0; i < n; i++)
		getpid();
	printf("BENCH name=syscall_getpid arch=%s calls=%d ns=%llu\n", arch, n, ((unsigned long long)now_ns() - t0) / n);
}

static void empty_handler(int sig)
{
	(void)sig;
}

static void bench_signal(const char *arch)
{
	const int n = 20000;
	struct sigaction sa = { .sa_handler = empty_handler }, old;
	pid_t me = getpid();
	unsigned long long t0;

	sigaction(SIGUSR1, &sa, &old);
	t0 = (unsigned long long)now_ns();
	for (int i = 0; i < n; i++)
		kill(me, SIGUSR1);
	printf("BENCH name=signal_handler arch=%s signals=%d ns=%llu\n", arch, n,
	       ((unsigned long long)now_ns() - t0) / n);
	sigaction(SIGUSR1, &old, NULL);
}

static void bench_fork(const char *arch)
{
	const int n = 200;

	printf("BENCH name=fork_exit_wait arch=%s forks=%d us=%llu\n", arch, n, bench_fork_exit_wait_us(n));
}

static void bench_fork_sparse(const char *arch, unsigned long gib)
{
	const int n = 50;
	size_t len = gib << 30;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED) {
		printf("# sysbench: mmap of %lu GiB MAP_NORESERVE failed\n", gib);
		return;
	}
	p[0] = 1;
	printf("BENCH name=fork_sparse arch=%s reserved=%luG forks=%d us=%llu\n", arch, gib, n,
	       bench_fork_exit_wait_us(n));
	munmap(p, len);
}

static void bench_first_touch(const char *arch)
{
	char *p = mmap(NULL, TOUCH_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long long t0, t1;
	long f0;

	if (p == MAP_FAILED) {
		printf("# sysbench: mmap of %lu MiB failed\n", TOUCH_BYTES >> 20);
		return;
	}
	f0 = minflt();
	t0 = (unsigned long long)now_ns();
	for (unsigned long off = 0; off < TOUCH_BYTES; off += PG)
		p[off] = 1;
	t1 = (unsigned long long)now_ns();
	printf("BENCH name=first_touch arch=%s size=%luM mib_s=%llu faults=%ld\n", arch,
	       TOUCH_BYTES >> 20, (TOUCH_BYTES >> 20) * 1000000000ULL / (t1 - t0), minflt() - f0);
	t0 = (unsigned long long)now_ns();
	munmap(p, TOUCH_BYTES);
	printf("BENCH name=munmap arch=%s size=%luM us=%llu\n", arch, TOUCH_BYTES >> 20,
	       ((unsigned long long)now_ns() - t0) / 1000);
}

static void bench_vma_lookup(const char *arch, unsigned long n)
{
	const unsigned long calls = 16384;
	size_t len = (2 * n + 1) * PG;
	char *res = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long long t0;

	if (res == MAP_FAILED) {
		printf("# sysbench: reservation for %lu VMAs failed\n", n);
		return;
	}
	for (unsigned long i = 0; i < n; i++) {
		char *p = res + (2 * i + 1) * PG;

		if (mmap(p, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != p) {
			printf("# sysbench: mapping VMA %lu of %lu failed\n", i, n);
			munmap(res, len);
			return;
		}
	}
	t0 = (unsigned long long)now_ns();
	for (unsigned long c = 0; c < calls; c++)
		mprotect(res + (2 * (c % n) + 1) * PG, PG, PROT_READ | PROT_WRITE);
	printf("BENCH name=vma_lookup arch=%s vmas=%lu calls=%lu ns=%llu\n", arch, 2 * n + 1, calls,
	       ((unsigned long long)now_ns() - t0) / calls);
	munmap(res, len);
}

/* Yield n times, writing pages pages of p before each yield. */
static void yield_loop(volatile char *p, int pages, int n)
{
	for (int i = 0; i < n; i++) {
		for (int k = 0; k < pages; k++)
			p[(unsigned long)k * PG] = (char)i;
		sched_yield();
	}
}

static void bench_ctxswitch(const char *arch, int pages)
{
	const int n = 20000;
	volatile char *p = mmap(NULL, 64 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long long t0, t1;
	long fl0, fl1;
	pid_t pid;
	int status;

	if (p == MAP_FAILED)
		return;
	yield_loop(p, 64, 1);		/* populated before fork; each side then writes its own copy */
	pid = fork();
	if (pid == 0) {
		yield_loop(p, 64, 1);
		yield_loop(p, pages, n);
		_exit(0);
	}
	yield_loop(p, 64, 1);
	fl0 = vmstat_get("nr_tlb_local_flush_all");
	t0 = (unsigned long long)now_ns();
	yield_loop(p, pages, n);
	t1 = (unsigned long long)now_ns();
	fl1 = vmstat_get("nr_tlb_local_flush_all");
	waitpid(pid, &status, 0);
	munmap((void *)p, 64 * PG);
	long flushes = fl0 < 0 || fl1 < 0 ? -1 : fl1 - fl0;

	printf("BENCH name=ctxswitch arch=%s asid=%s pages=%d switches=%d ns=%llu flush_all=%ld\n", arch,
	       flushes < 0 ? "?" : flushes >= 2L * n ? "off" : "on", pages, 2 * n,
	       (t1 - t0) / (2ULL * n), flushes);
}

#define PROC_MEM_BYTES	(4UL << 20)

/* ns per open + read + close of path (after one untimed round: slab and buffers warm). */
static unsigned long long read_file_ns(const char *path, int n)
{
	static char buf[8192];
	unsigned long long t0 = 0;

	for (int i = -1; i < n; i++) {
		if (i == 0)
			t0 = (unsigned long long)now_ns();
		int fd = open(path, O_RDONLY);

		if (fd < 0)
			return 0;
		while (read(fd, buf, sizeof(buf)) > 0)
			;
		close(fd);
	}
	return ((unsigned long long)now_ns() - t0) / n;
}

/* MiB/s reading PROC_MEM_BYTES at p through the mem file path, 4 KiB at a time. */
static unsigned long long read_mem_mib_s(const char *path, const char *p)
{
	static char buf[PG];
	int fd = open(path, O_RDONLY);
	unsigned long long t0 = (unsigned long long)now_ns(), ns;

	if (fd < 0)
		return 0;
	for (unsigned long off = 0; off < PROC_MEM_BYTES; off += PG) {
		lseek(fd, (off_t)(uintptr_t)(p + off), SEEK_SET);
		if (read(fd, buf, PG) != (long)PG)
			break;
	}
	close(fd);
	ns = (unsigned long long)now_ns() - t0;
	return ns ? (PROC_MEM_BYTES >> 20) * 1000000000ULL / ns : 0;
}

/* /proc/self/... against a sleeping child's /proc/<pid>/... */
static void bench_procfs(const char *arch)
{
	char *p = mmap(NULL, PROC_MEM_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char path[64], b;
	int go[2], pid;

	if (p == MAP_FAILED || pipe(go))
		return;
	memset(p, 1, PROC_MEM_BYTES);
	pid = fork();
	if (pid == 0) {
		read(go[0], &b, 1);
		_exit(0);
	}
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	printf("BENCH name=proc_status arch=%s of=self reads=200 ns=%llu\n", arch,
	       read_file_ns("/proc/self/status", 200));
	printf("BENCH name=proc_status arch=%s of=child reads=200 ns=%llu\n", arch, read_file_ns(path, 200));
	snprintf(path, sizeof(path), "/proc/%d/mem", pid);
	printf("BENCH name=proc_mem arch=%s of=self size=%luM mib_s=%llu\n", arch, PROC_MEM_BYTES >> 20,
	       read_mem_mib_s("/proc/self/mem", p));
	printf("BENCH name=proc_mem arch=%s of=child size=%luM mib_s=%llu\n", arch, PROC_MEM_BYTES >> 20,
	       read_mem_mib_s(path, p));
	write(go[1], "x", 1);
	waitpid(pid, NULL, 0);
	close(go[0]);
	close(go[1]);
	munmap(p, PROC_MEM_BYTES);
}

int main(int argc, char **argv)
{
	const char *arch = bench_arch();

	if (argc > 1 && !strcmp(argv[1], "ctxswitch")) {
		bench_ctxswitch(arch, 0);
		bench_ctxswitch(arch, 64);
		printf("BENCH DONE\n");
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "procfs")) {
		bench_procfs(arch);
		printf("BENCH DONE\n");
		return 0;
	}
	bench_getpid(arch);
	bench_signal(arch);
	bench_fork(arch);
	bench_fork_sparse(arch, 1);
	bench_fork_sparse(arch, 1024);
	bench_first_touch(arch);
	bench_vma_lookup(arch, 64);
	bench_vma_lookup(arch, 16384);
	bench_ctxswitch(arch, 0);
	bench_ctxswitch(arch, 64);
	bench_procfs(arch);
	printf("BENCH DONE\n");
	return 0;
}
