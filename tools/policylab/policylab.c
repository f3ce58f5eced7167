/*
 * policylab.c - the policy lab: replay traces through the real mm/ on the
 * host under policy configurations, side by side (docs/policylab.md "The lab").
 *
 *   policylab [-j N] [-b] [-p SPEC]... [-c FILE.csv] [-g DIR] [-L LINUX.csv] TRACE...
 *   policylab --check TRACE...
 *
 * Every (trace, spec) pair is one job, run in its own forked process (the
 * host mm is one global machine; a crash stays in its job), at most N at a
 * time; each sends its struct lab_result back through a pipe.  The table
 * goes to stdout in job order, the CSV to FILE, gnuplot plots (SVG and PNG:
 * bloat vs faults, folios per order) into DIR; -b adds each job's replay
 * rate (events per second, the replay alone).  Without -p the bundled
 * specs run.  -L adds Linux 6.12 mTHP's patternbench points from `make
 * bench-linux`'s CSV (linuxcsv.h) to the table, the CSV and the plots: after
 * each generated trace (gen-SHAPE.trace), one row per folio size of that
 * shape, labelled Linux-ARCH-SIZE.  --check is the faithfulness check: each trace under the
 * configuration it was recorded with must give the fault count, the folio
 * orders and the splits the kernel reported (TRACE's .counts file beside it,
 * tools/testdata/traces/).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include <string.h>
#include "tools/policylab/labconfig.h"
#include "tools/policylab/linuxcsv.h"
#include "tools/policylab/replay.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* The bundled policies: the rows of `make policylab`. */
static const char *const bundled[] = {
	"recorded",
	"order0: thp_anon=16K-2M:never",
	"linux-64K: policy=linux thp_anon=16K-2M:never;64K:always",
	"linux-all: policy=linux thp_anon=16K-2M:always",
	"adaptive: policy=adaptive thp_anon=16K-2M:always",
	"reserve: policy=reserve thp_anon=16K-2M:always",
	"utilisation: policy=utilisation thp_anon=16K-2M:always",
};

struct job {
	const char *trace, *spec;
	pid_t pid;
	int fd;
	bool ok;
	char err[256];
	struct lab_result r;
};

static void start(struct job *j)
{
	int p[2];

	if (pipe(p) || (j->pid = fork()) < 0) {
		perror("policylab: fork");
		exit(2);
	}
	if (j->pid == 0) {
		struct job out = *j;

		close(p[0]);
		out.ok = !lab_run_job(j->trace, j->spec, &out.r, out.err, sizeof(out.err));
		if (write(p[1], &out, sizeof(out)) != (ssize_t)sizeof(out))
			_exit(3);
		_exit(0);
	}
	close(p[1]);
	j->fd = p[0];
}

static void finish(struct job *j)
{
	struct job out;
	ssize_t n = read(j->fd, &out, sizeof(out));
	int st;

	close(j->fd);
	waitpid(j->pid, &st, 0);
	if (n != (ssize_t)sizeof(out)) {
		j->ok = false;
		snprintf(j->err, sizeof(j->err), "%s under '%s': the replay crashed (status %#x)", j->trace, j->spec, st);
		return;
	}
	j->ok = out.ok;
	j->r = out.r;
	memcpy(j->err, out.err, sizeof(j->err));
}

static void run_all(struct job *jobs, unsigned int n, unsigned int par)
{
	unsigned int next = 0, done = 0;

	while (done < n) {
		while (next < n && next - done < par)
			start(&jobs[next++]);
		finish(&jobs[done++]);
	}
}

static const char *base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* The bloat: pages allocated per page touched, in percent beyond 100. */
static double bloat(const struct lab_result *r)
{
	return r->touched ? 100.0 * ((double)r->allocated - (double)r->touched) / (double)r->touched : 0;
}

/*
 * The patternbench shapes that are the generators' with the same parameters
 * (docs/policylab.md "Linux's rows"); not stack: patternbench grows a fresh
 * process's stack by at most 1024 frames, the generator by n pages.
 */
static const char *const linux_shapes[] = { "seq", "rand", "sparse", "heap", "fork", "madvfree", "kbuild" };

/* The shape of a generated trace (gen-SHAPE.trace, as make policylab names them) with Linux points; NULL if none. */
static const char *trace_shape(const char *trace)
{
	const char *b = base(trace);
	size_t len;

	if (strncmp(b, "gen-", 4))
		return NULL;
	b += 4;
	len = strcspn(b, ".-");
	for (unsigned int i = 0; i < ARRAY_SIZE(linux_shapes); i++)
		if (strlen(linux_shapes[i]) == len && !strncmp(b, linux_shapes[i], len))
			return linux_shapes[i];
	return NULL;
}

/* A Linux point's row label: Linux-x86-64K, Linux-a64-2M. */
static void linux_label(const struct linux_point *p, char *buf, size_t len)
{
	snprintf(buf, len, "Linux-%s-%s", strcmp(p->arch, "x86_64") ? "a64" : "x86", p->size);
}

/* Linux's bloat%: from its RSS at the peak (the lab's: from the pages allocated). */
static double linux_bloat(const struct linux_point *p)
{
	return p->touched_kib ? 100.0 * ((double)p->rss_kib - (double)p->touched_kib) / (double)p->touched_kib : 0;
}

/* The next point of pts, from *i on, of trace's shape (*i moves past it); NULL when none. */
static const struct linux_point *next_linux_point(const char *trace, const struct linux_points *pts,
						  unsigned int *i)
{
	const char *shape = trace_shape(trace);

	while (shape && *i < pts->n)
		if (!strcmp(pts->v[(*i)++].shape, shape))
			return &pts->v[*i - 1];
	return NULL;
}

/* Linux's table rows for trace: faults, touched, bloat, peak RSS, folios of the size; "-" elsewhere. */
static void print_linux_rows(const char *trace, const struct linux_points *pts)
{
	const struct linux_point *p;
	char label[32];

	for (unsigned int i = 0; (p = next_linux_point(trace, pts, &i)); ) {
		linux_label(p, label, sizeof(label));
		printf("%-24.24s %-14.14s %7lu %7s %6s %7lu %7s %7.1f %7lu %6s %5s %5s %5s %5s %7s %7s ", base(trace),
		       label, p->faults, "-", "-", p->touched_kib / 4, "-", linux_bloat(p), p->rss_kib / 4, "-", "-",
		       "-", "-", "-", "-", "-");
		if (p->order)
			printf(" %u:%lu\n", p->order, p->alloc);
		else
			printf(" -\n");
	}
}

/* The same rows in the CSV, the undefined fields empty. */
static void write_linux_rows(FILE *f, const char *trace, const struct linux_points *pts)
{
	const struct linux_point *p;
	char label[32];

	for (unsigned int i = 0; (p = next_linux_point(trace, pts, &i)); ) {
		linux_label(p, label, sizeof(label));
		fprintf(f, "%s,%s,,%lu,,,%lu,,%.1f,%lu,,,,,,,", base(trace), label, p->faults, p->touched_kib / 4,
			linux_bloat(p), p->rss_kib / 4);
		for (unsigned int k = 0; k <= MTHP_MAX_ORDER; k++)
			if (p->order && k == p->order)
				fprintf(f, ",%lu", p->alloc);
			else
				fprintf(f, ",");
		fprintf(f, ",,\n");	/* fills, knobs */
	}
}

/* Is job k the last of its trace (jobs run trace by trace)? */
static bool last_of_trace(const struct job *jobs, unsigned int n, unsigned int k)
{
	return k + 1 == n || jobs[k + 1].trace != jobs[k].trace;
}

/* One job's table row. */
static void print_job_row(const struct job *j)
{
	const struct lab_result *r = &j->r;
	char label[64];

	lab_config_label(j->spec, label, sizeof(label));
	printf("%-24.24s %-14.14s %7llu %7llu %6llu %7llu %7llu %7.1f %7llu %6llu %5llu %5llu %5llu %5llu %7llu %7llu ",
	       base(j->trace), label, (unsigned long long)r->faults, (unsigned long long)r->absorbed,
	       (unsigned long long)r->failed, (unsigned long long)r->touched, (unsigned long long)r->allocated,
	       bloat(r), (unsigned long long)r->peak_rss, (unsigned long long)r->splits,
	       (unsigned long long)r->deferred, (unsigned long long)r->lazyfreed, (unsigned long long)r->cow_copy,
	       (unsigned long long)r->cow_reuse, (unsigned long long)r->tlb_x86, (unsigned long long)r->tlb_arm64);
	for (unsigned int k = 0; k <= MTHP_MAX_ORDER; k++)
		if (r->folios[k])
			printf(" %u:%llu", k, (unsigned long long)r->folios[k]);
	printf("\n");
}

/* The table: each job's row, each generated trace's Linux rows after its own. */
static void print_table(const struct job *jobs, unsigned int n, const struct linux_points *pts)
{
	printf("%-24s %-14s %7s %7s %6s %7s %7s %7s %7s %6s %5s %5s %5s %5s %7s %7s  %s\n", "trace", "policy",
	       "faults", "absorb", "failed", "touched", "alloc", "bloat%", "peakrss", "splits", "defer", "lazyf",
	       "cowcp", "cowre", "tlb-x86", "tlb-a64", "folios order:count");
	for (unsigned int i = 0; i < n; i++) {
		if (jobs[i].ok)
			print_job_row(&jobs[i]);
		if (last_of_trace(jobs, n, i))
			print_linux_rows(jobs[i].trace, pts);
	}
}

/* One job's CSV row. */
static void write_job_row(FILE *f, const struct job *j)
{
	const struct lab_result *r = &j->r;
	char label[64];

	lab_config_label(j->spec, label, sizeof(label));
	fprintf(f, "%s,%s,%llu,%llu,%llu,%llu,%llu,%llu,%.1f,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu", base(j->trace),
		label, (unsigned long long)r->events, (unsigned long long)r->faults, (unsigned long long)r->absorbed,
		(unsigned long long)r->failed, (unsigned long long)r->touched, (unsigned long long)r->allocated,
		bloat(r), (unsigned long long)r->peak_rss, (unsigned long long)r->splits,
		(unsigned long long)r->deferred, (unsigned long long)r->lazyfreed, (unsigned long long)r->cow_copy,
		(unsigned long long)r->cow_reuse, (unsigned long long)r->tlb_x86, (unsigned long long)r->tlb_arm64);
	for (unsigned int k = 0; k <= MTHP_MAX_ORDER; k++)
		fprintf(f, ",%llu", (unsigned long long)r->folios[k]);
	fprintf(f, ",%llu,%llu\n", (unsigned long long)r->fills, (unsigned long long)r->knobs);
}

/* The CSV at path, rows as the table's. */
static int write_csv(const char *path, const struct job *jobs, unsigned int n, const struct linux_points *pts)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return fprintf(stderr, "policylab: %s: %s\n", path, strerror(errno)), -1;
	fprintf(f, "trace,policy,events,faults,absorbed,failed,touched,allocated,bloat_pct,peak_rss,splits,deferred,"
		   "lazyfreed,cow_copy,cow_reuse,tlb_x86,tlb_arm64");
	for (unsigned int k = 0; k <= MTHP_MAX_ORDER; k++)
		fprintf(f, ",folios_o%u", k);
	fprintf(f, ",fills,knobs\n");
	for (unsigned int i = 0; i < n; i++) {
		if (jobs[i].ok)
			write_job_row(f, &jobs[i]);
		if (last_of_trace(jobs, n, i))
			write_linux_rows(f, jobs[i].trace, pts);
	}
	return fclose(f);
}

/*
 * gnuplot over the CSV: bloat vs faults (one point per row: the lab's circles,
 * Linux's rows red squares), folios per order (stacked bars).
 */
static int plot(const char *dir, const char *csv, unsigned int rows)
{
	char cmd[4096];
	static const char *const term[][2] = { { "svg", "svg" }, { "pngcairo", "png" } };
	unsigned int width = 600 + 14 * rows;	/* room for every bar's label */

	for (unsigned int t = 0; t < 2; t++) {
		snprintf(cmd, sizeof(cmd),
			 "gnuplot -e \"set datafile separator ','; set key autotitle columnhead; set terminal %s size %u,700 noenhanced;"
			 "set output '%s/bloat_vs_faults.%s'; set xlabel 'faults'; set ylabel 'bloat %%'; set logscale x;"
			 "linux(c) = strstrt(stringcolumn(2), 'Linux-') > 0;"
			 "plot '%s' using 4:(linux(0) ? NaN : column(9)):(stringcolumn(1).' '.stringcolumn(2)) with labels point pt 7"
			 " offset char 1,1 title 'policylab replay',"
			 " '' using 4:(linux(0) ? column(9) : NaN):(stringcolumn(1).' '.stringcolumn(2)) with labels point pt 5"
			 " lc rgb 'red' offset char 1,-1 title 'Linux 6.12 mTHP, patternbench in QEMU (bloat from RSS)';"
			 "set output '%s/folios_per_order.%s'; unset logscale x; set style data histograms; set style histogram rowstacked;"
			 "set style fill solid; set xtics rotate by -90 font ',8'; set ylabel 'folios allocated'; set xlabel '';"
			 "plot for [k=18:27] '%s' using k:xtic(stringcolumn(1).' '.stringcolumn(2)) title columnhead(k)\"",
			 term[t][0], width, dir, term[t][1], csv, dir, term[t][1], csv);
		if (system(cmd)) {
			fprintf(stderr, "policylab: gnuplot failed (tools/deps.sh installs it)\n");
			return -1;
		}
	}
	return 0;
}

/* The kernel's counters saved beside trace (X.trace -> X.counts); 0 when read. */
static int read_counts(const char *trace, unsigned long nalloc[], unsigned long pgalloc[])
{
	char path[512], line[512], *a, *p;
	FILE *f;
	int ok = -1;

	snprintf(path, sizeof(path), "%.*s.counts", (int)(strlen(trace) - (strstr(trace, ".trace") ? 6 : 0)), trace);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		a = strstr(line, "anon_fault_alloc=");
		p = strstr(line, "pgalloc=");
		if (!a || !p)
			continue;
		a += 17;
		p += 8;
		for (unsigned int k = 0; k <= MTHP_MAX_ORDER; k++) {
			nalloc[k] = strtoul(a, &a, 10);
			pgalloc[k] = strtoul(p, &p, 10);
			a += *a == ',';
			p += *p == ',';
		}
		ok = 0;
	}
	fclose(f);
	return ok;
}

/*
 * The faithfulness check of one replayed job (spec "recorded"); prints why
 * not.  The per-order counts are the kernel's from the .counts file beside
 * the trace, or, with none (a generated trace), the trace's own alloc and
 * cow-copy records.
 */
static bool faithful(const struct job *j)
{
	unsigned long nalloc[MTHP_MAX_ORDER + 1], pgalloc[MTHP_MAX_ORDER + 1];
	const struct lab_result *r = &j->r;
	bool ok = true, counts;

	if (!j->ok)
		return printf("FAIL %s: %s\n", j->trace, j->err), false;
	counts = !read_counts(j->trace, nalloc, pgalloc);
	for (unsigned int k = 0; !counts && k <= MTHP_MAX_ORDER; k++) {
		nalloc[k] = r->trace_alloc[k];
		pgalloc[k] = r->trace_alloc[k] + r->trace_copy[k];
	}
	if (r->faults != r->trace_faults)
		ok = !printf("FAIL %s: faults %llu, the kernel %llu\n", j->trace, (unsigned long long)r->faults,
			     (unsigned long long)r->trace_faults);
	if (r->splits != r->trace_splits)
		ok = !printf("FAIL %s: splits %llu, the kernel %llu\n", j->trace, (unsigned long long)r->splits,
			     (unsigned long long)r->trace_splits);
	if (r->fills != r->trace_fills || r->fill_mismatch)
		ok = !printf("FAIL %s: reservation fills %llu, the kernel %llu, %llu of them different\n", j->trace,
			     (unsigned long long)r->fills, (unsigned long long)r->trace_fills,
			     (unsigned long long)r->fill_mismatch);
	for (unsigned int k = 1; k <= MTHP_MAX_ORDER; k++)
		if (r->fault_alloc[k] != nalloc[k] || r->folios[k] != pgalloc[k])
			ok = !printf("FAIL %s: order %u: fault allocs %llu folios %llu, the kernel %lu and %lu\n", j->trace,
				     k, (unsigned long long)r->fault_alloc[k], (unsigned long long)r->folios[k],
				     nalloc[k], pgalloc[k]);
	if (ok)
		printf("ok %s: faults %llu, splits %llu, fills %llu, knobs %llu, folios per order as %s\n",
		       base(j->trace), (unsigned long long)r->faults, (unsigned long long)r->splits,
		       (unsigned long long)r->fills, (unsigned long long)r->knobs,
		       counts ? "the kernel's" : "the trace's (no .counts)");
	return ok;
}

static void usage(void)
{
	fprintf(stderr, "usage: policylab [-j N] [-b] [-p SPEC]... [-c FILE.csv] [-g PLOTDIR] [-L LINUX.csv] TRACE...\n"
			"       policylab --check TRACE...\n"
			"SPEC: [LABEL:] [policy=P] [thp_anon=S] [top=M] [allow_order1=B] [cow_policy=C] [DIR/FILE=V] | recorded\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *specs[64], *csv = NULL, *plotdir = NULL, *linux_csv = NULL;
	struct linux_points pts = { 0 };
	char err[512];
	unsigned int nspec = 0, par = 1, ntrace, n, bad = 0;
	bool check = false, bench = false;
	struct job *jobs;
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--check"))
			check = true;
		else if (!strcmp(argv[i], "-j") && i + 1 < argc)
			par = (unsigned int)strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "-p") && i + 1 < argc && nspec < ARRAY_SIZE(specs))
			specs[nspec++] = argv[++i];
		else if (!strcmp(argv[i], "-c") && i + 1 < argc)
			csv = argv[++i];
		else if (!strcmp(argv[i], "-b"))
			bench = true;
		else if (!strcmp(argv[i], "-g") && i + 1 < argc)
			plotdir = argv[++i];
		else if (!strcmp(argv[i], "-L") && i + 1 < argc && !linux_csv)
			linux_csv = argv[++i];
		else
			usage();
	}
	ntrace = (unsigned int)(argc - i);
	if (!ntrace || !par)
		usage();
	if (linux_csv && linux_csv_read(linux_csv, &pts, err, sizeof(err)))
		return fprintf(stderr, "policylab: %s\n", err), 1;
	if (check)
		specs[0] = "recorded", nspec = 1;
	for (; !nspec && nspec < ARRAY_SIZE(bundled); nspec = ARRAY_SIZE(bundled))
		memcpy(specs, bundled, sizeof(bundled));
	n = ntrace * nspec;
	jobs = calloc(n, sizeof(*jobs));
	if (!jobs)
		return 2;
	for (unsigned int t = 0; t < ntrace; t++)
		for (unsigned int s = 0; s < nspec; s++)
			jobs[t * nspec + s] = (struct job){ .trace = argv[i + t], .spec = specs[s] };
	run_all(jobs, n, par);
	for (unsigned int k = 0; k < n; k++) {
		if (check)
			bad += !faithful(&jobs[k]);
		else if (!jobs[k].ok)
			bad += fprintf(stderr, "policylab: %s\n", jobs[k].err) > 0;
	}
	if (!check && pts.n)
		printf("# Linux-ARCH-SIZE rows: Linux 6.12 mTHP, patternbench -p %lu under -cpu %s (%s)\n", pts.v[0].pages,
		       pts.v[0].cpu, linux_csv);
	if (!check)
		print_table(jobs, n, &pts);
	for (unsigned int k = 0; bench && k < n; k++)
		if (jobs[k].ok)
			printf("bench: %s %s: %llu events in %.3f s: %.0f events/s\n", base(jobs[k].trace), jobs[k].spec,
			       (unsigned long long)jobs[k].r.events, jobs[k].r.replay_ns / 1e9,
			       jobs[k].r.events / (jobs[k].r.replay_ns / 1e9 + 1e-9));
	if (csv && write_csv(csv, jobs, n, &pts))
		bad++;
	if (csv && plotdir && plot(plotdir, csv, n + pts.n))
		bad++;
	linux_csv_free(&pts);
	free(jobs);
	return bad ? 1 : 0;
}
