/* The benchmarks' helpers behind <bench.h>. */
#include <stdio.h>
#include <string.h>
#include <bench.h>
#include <mthp.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <sys/wait.h>

const char *bench_arch(void)
{
	static struct utsname u;

	uname(&u);
	return strcmp(u.machine, "aarch64") == 0 ? "arm64" : u.machine;
}

void bench_sort(unsigned long *v, int n)
{
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			if (v[j] < v[i]) {
				unsigned long t = v[i];
				v[i] = v[j];
				v[j] = t;
			}
}

int bench_orders(int argc, char **argv, const char *prog, const unsigned int *defaults, int ndef,
		 unsigned int *orders, int max)
{
	int n = 0;

	for (; argc < 2 && n < ndef && n < max; n++)
		orders[n] = defaults[n];
	for (int i = 1; i < argc && n < max; i++) {
		int k = mthp_size_order(argv[i]);

		if (k < 0) {
			dprintf(2, "usage: %s [4K|8K|16K|...|1M|2M ...]\n", prog);
			return -1;
		}
		orders[n++] = (unsigned int)k;
	}
	return n;
}

char *bench_map_aligned(size_t len, size_t align)
{
	char *raw = mmap(NULL, len + align, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *p;

	if (raw == MAP_FAILED)
		return NULL;
	p = (char *)(((unsigned long)raw + align - 1) & ~(align - 1));
	if (p > raw)
		munmap(raw, p - raw);
	if (p + len < raw + len + align)
		munmap(p + len, raw + len + align - (p + len));
	return p;
}

int bench_only_size(const char *prog, unsigned int k, int have_knobs)
{
	if (k && (!have_knobs || (k == 1 && folio_knob_set("allow_order1", 1) < 0) ||
		  thp_only(k, "always") < 0)) {
		printf("# %s: size %s: cannot set the knobs: skipped\n", prog, mthp_size_name(k));
		return -1;
	}
	if (!k && have_knobs)
		thp_only_mask(0, "always");
	return 0;
}

long bench_size_stat(unsigned int k, const char *name)
{
	long sum = 0;

	if (k)
		return mthp_stat(k, name);
	for (unsigned int o = MTHP_MIN_ORDER; o <= MTHP_MAX_ORDER; o++) {
		long v = mthp_stat(o, name);

		if (v > 0)
			sum += v;
	}
	return sum;
}

unsigned long long bench_fork_exit_wait_us(int n)
{
	unsigned long long t0 = (unsigned long long)now_ns();

	for (int i = 0; i < n; i++) {
		pid_t pid = fork();
		int status;

		if (pid == 0)
			_exit(0);
		waitpid(pid, &status, 0);
	}
	return ((unsigned long long)now_ns() - t0) / (unsigned long long)n / 1000;
}
