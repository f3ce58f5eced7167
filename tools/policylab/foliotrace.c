/*
 * foliotrace.c - the trace tool on the host.
 *
 *   foliotrace dump FILE          one line per event
 *   foliotrace stats FILE         events per kind, faults per outcome and order,
 *                                 pages touched, and the same per process
 *   foliotrace check FILE         validate only: "ok N events" or the error
 *   foliotrace gen NAME [-s SEED] [-n PAGES] [-e EVERY] [-p PROCS] [-o FILE]
 *                                 a synthetic trace (ftgen.h); no NAME: the list
 *   foliotrace bench [EVENTS]     parse and dump speed, events per second
 *
 * Errors go to stderr as "foliotrace: FILE: offset N: message"; exit 1.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uapi/mman.h>
#include "tools/policylab/ftgen.h"
#include "tools/policylab/ftparse.h"

static const char *const out_names[] = { "none", "alloc", "zero", "cow-copy", "cow-reuse", "failed" };
static const char *const acc_names[] = { "read", "write", "exec" };

/* ---- dump ---- */

static int dump_header(void *ctx, const struct foliotrace_header *h, const char *cmdline)
{
	FILE *f = ctx;

	fprintf(f, "header version=%u arch=%s page_size=%u mode=%s policy=%.*s thp=%u sizes=", h->version,
		h->arch == FT_ARCH_X86_64 ? "x86_64" : "arm64", 1U << h->page_shift,
		h->mode == FT_MODE_ORDER0 ? "order0" : "large", FT_POLICY_LEN, h->policy, h->thp_top);
	for (unsigned int k = MTHP_MIN_ORDER; k <= MTHP_MAX_ORDER; k++)
		fprintf(f, "%u", h->thp_mode[k]);
	fprintf(f, " allow_order1=%u cmdline=\"%s\"\n", h->allow_order1, cmdline);
	return 0;
}

static int dump_record(void *ctx, const struct ft_hdr *r, uint64_t off)
{
	FILE *f = ctx;

	fprintf(f, "%llu.%09llu pid=%u %s", (unsigned long long)(r->ts_ns / 1000000000),
		(unsigned long long)(r->ts_ns % 1000000000), r->pid, ft_type_name(r->type));
	switch (r->type) {
	case FT_FAULT: {
		const struct ft_fault *x = (const void *)r;

		fprintf(f, " addr=%#llx %s%s%s %s", (unsigned long long)x->addr, acc_names[r->flags & FT_ACC_MASK],
			r->flags & FT_FAULT_USER ? "" : ",kernel", r->flags & FT_FAULT_UNSHARE ? ",unshare" : "",
			out_names[(r->flags & FT_OUT_MASK) >> FT_OUT_SHIFT]);
		if (x->order != FT_ORDER_NONE)
			fprintf(f, " order=%u", x->order);
		break;
	}
	case FT_MMAP: {
		const struct ft_mmap *x = (const void *)r;

		fprintf(f, " addr=%#llx len=%#llx prot=%#x flags=%#x fd=%d off=%#llx ret=%#llx",
			(unsigned long long)x->addr, (unsigned long long)x->len, x->prot, x->flags, x->fd,
			(unsigned long long)x->off, (unsigned long long)x->ret);
		break;
	}
	case FT_MUNMAP: case FT_MPROTECT: case FT_MADVISE: {
		const struct ft_range *x = (const void *)r;

		fprintf(f, " addr=%#llx len=%#llx", (unsigned long long)x->addr, (unsigned long long)x->len);
		if (r->type != FT_MUNMAP)
			fprintf(f, " %s=%llu", r->type == FT_MPROTECT ? "prot" : "advice", (unsigned long long)x->arg);
		fprintf(f, " ret=%lld", (long long)x->ret);
		break;
	}
	case FT_MREMAP: {
		const struct ft_mremap *x = (const void *)r;

		fprintf(f, " old=%#llx old_len=%#llx new_len=%#llx flags=%#llx new=%#llx ret=%#llx",
			(unsigned long long)x->old_addr, (unsigned long long)x->old_len,
			(unsigned long long)x->new_len, (unsigned long long)x->flags,
			(unsigned long long)x->new_addr, (unsigned long long)x->ret);
		break;
	}
	case FT_BRK: {
		const struct ft_brk *x = (const void *)r;

		fprintf(f, " brk=%#llx ret=%#llx", (unsigned long long)x->brk, (unsigned long long)x->ret);
		break;
	}
	case FT_FORK:
		fprintf(f, " child=%u", ((const struct ft_fork *)r)->child);
		break;
	case FT_EXIT:
		fprintf(f, " status=%#x", ((const struct ft_exit *)r)->status);
		break;
	case FT_EXECVE:
		fprintf(f, " path=%s", ((const struct ft_execve *)r)->path);
		break;
	case FT_VMA: {
		const struct ft_vma *x = (const void *)r;

		fprintf(f, " %#llx-%#llx prot=%#x%s%s", (unsigned long long)x->start, (unsigned long long)x->end,
			x->prot, x->flags & FT_VMA_GROWSDOWN ? " growsdown" : "",
			x->flags & FT_VMA_SHARED ? " shared" : "");
		break;
	}
	case FT_SPLIT: {
		const struct ft_split *x = (const void *)r;

		fprintf(f, " order=%u to=%u", x->old_order, x->new_order);
		break;
	}
	case FT_FILL: {
		const struct ft_fill *x = (const void *)r;

		fprintf(f, " addr=%#llx order=%u mapped=%u", (unsigned long long)x->addr, x->order, x->mapped);
		break;
	}
	case FT_KNOB: {
		const struct ft_knob *x = (const void *)r;

		fprintf(f, " %s=\"%s\" ret=%lld%s", x->text, x->text + strlen(x->text) + 1, (long long)x->ret,
			r->flags & FT_KNOB_TRUNCATED ? " truncated" : "");
		break;
	}
	case FT_END: {
		const struct ft_end *x = (const void *)r;

		fprintf(f, " events=%llu dropped=%llu", (unsigned long long)x->events, (unsigned long long)x->dropped);
		break;
	}
	}
	(void)off;
	fputc('\n', f);
	return 0;
}

/* ---- stats ---- */

#define MAX_PROCS	4096

struct proc_stats {
	uint32_t pid;
	char comm[32];
	uint64_t events, faults, alloc_pages, pages;
};

/* The distinct (pid, page) pairs faulted: an open-addressing set. */
struct page_set {
	uint64_t *slot;
	size_t cap, n;
};

struct stats {
	uint64_t by_type[FT_NR_TYPES], by_out[6], pages, alloc_pages, splits;
	uint64_t alloc_order[MTHP_MAX_ORDER + 1], copy_order[MTHP_MAX_ORDER + 1];
	struct proc_stats procs[MAX_PROCS];
	unsigned int nr_procs;
	struct page_set set;
};

static bool set_add(struct page_set *s, uint64_t key)
{
	size_t i;

	if (2 * (s->n + 1) > s->cap) {
		struct page_set n = { calloc(s->cap ? 2 * s->cap : 4096, sizeof(uint64_t)), s->cap ? 2 * s->cap : 4096, 0 };

		if (!n.slot)
			abort();
		for (size_t j = 0; j < s->cap; j++)
			if (s->slot[j])
				set_add(&n, s->slot[j]);
		free(s->slot);
		*s = n;
	}
	key++;	/* 0 marks an empty slot */
	for (i = (key * 0x9e3779b97f4a7c15ULL) & (s->cap - 1); s->slot[i]; i = (i + 1) & (s->cap - 1))
		if (s->slot[i] == key)
			return false;
	s->slot[i] = key;
	s->n++;
	return true;
}

static struct proc_stats *proc_of(struct stats *st, uint32_t pid)
{
	for (unsigned int i = 0; i < st->nr_procs; i++)
		if (st->procs[i].pid == pid)
			return &st->procs[i];
	if (st->nr_procs == MAX_PROCS)
		return NULL;
	st->procs[st->nr_procs] = (struct proc_stats){ .pid = pid, .comm = "-" };
	return &st->procs[st->nr_procs++];
}

static int stats_record(void *ctx, const struct ft_hdr *r, uint64_t off)
{
	struct stats *st = ctx;
	struct proc_stats *p;

	(void)off;
	if (r->type == FT_END)
		return 0;
	p = proc_of(st, r->pid);
	st->by_type[r->type]++;
	if (p)
		p->events++;
	if (r->type == FT_EXECVE && p)
		snprintf(p->comm, sizeof(p->comm), "%s", ((const struct ft_execve *)r)->path);
	if (r->type == FT_FORK && p) {
		struct proc_stats *c = proc_of(st, ((const struct ft_fork *)r)->child);

		if (c)
			memcpy(c->comm, p->comm, sizeof(c->comm));
	}
	if (r->type == FT_SPLIT)
		st->splits++;
	if (r->type == FT_FAULT) {
		const struct ft_fault *f = (const void *)r;
		unsigned int out = (r->flags & FT_OUT_MASK) >> FT_OUT_SHIFT;
		bool is_new = set_add(&st->set, ((uint64_t)r->pid << 40) ^ (f->addr >> 12));

		st->by_out[out]++;
		if (out == FT_OUT_ALLOC) {
			st->alloc_order[f->order]++;
			st->alloc_pages += 1ULL << f->order;
		} else if (out == FT_OUT_COW_COPY) {
			st->copy_order[f->order]++;
		}
		st->pages += is_new;
		if (p) {
			p->faults++;
			p->pages += is_new;
			if (out == FT_OUT_ALLOC)
				p->alloc_pages += 1ULL << f->order;
		}
	}
	return 0;
}

static void stats_print(const struct stats *st)
{
	printf("events");
	for (unsigned int t = 1; t < FT_NR_TYPES; t++)
		if (t != FT_END)
			printf(" %s=%llu", ft_type_name(t), (unsigned long long)st->by_type[t]);
	printf("\nfaults");
	for (unsigned int o = 0; o < 6; o++)
		printf(" %s=%llu", out_names[o], (unsigned long long)st->by_out[o]);
	printf("\nalloc_orders");
	for (unsigned int k = 0; k <= MTHP_MAX_ORDER; k++)
		printf(" %u=%llu", k, (unsigned long long)st->alloc_order[k]);
	printf("\ncopy_orders");
	for (unsigned int k = 0; k <= MTHP_MAX_ORDER; k++)
		printf(" %u=%llu", k, (unsigned long long)st->copy_order[k]);
	printf("\npages touched=%llu allocated=%llu splits=%llu processes=%u\n", (unsigned long long)st->pages,
	       (unsigned long long)st->alloc_pages, (unsigned long long)st->splits, st->nr_procs);
	for (unsigned int i = 0; i < st->nr_procs; i++) {
		const struct proc_stats *p = &st->procs[i];

		printf("pid %u %s events=%llu faults=%llu touched=%llu allocated=%llu\n", p->pid, p->comm,
		       (unsigned long long)p->events, (unsigned long long)p->faults, (unsigned long long)p->pages,
		       (unsigned long long)p->alloc_pages);
	}
}

/* ---- commands ---- */

static int report(const char *path, const struct ft_error *err)
{
	fprintf(stderr, "foliotrace: %s: offset %llu: %s\n", path, (unsigned long long)err->offset, err->msg);
	return 1;
}

static int cmd_dump(const char *path)
{
	struct ft_visitor v = { stdout, dump_header, dump_record };
	struct ft_error err;

	return ft_parse_file(path, &v, &err) ? report(path, &err) : 0;
}

static int cmd_stats(const char *path)
{
	struct stats *st = calloc(1, sizeof(*st));
	struct ft_visitor v = { st, NULL, stats_record };
	struct ft_error err;
	int ret;

	if (!st)
		return 1;
	ret = ft_parse_file(path, &v, &err) ? report(path, &err) : 0;
	if (!ret)
		stats_print(st);
	free(st->set.slot);
	free(st);
	return ret;
}

static int count_record(void *ctx, const struct ft_hdr *r, uint64_t off)
{
	(void)r;
	(void)off;
	++*(uint64_t *)ctx;
	return 0;
}

static int cmd_check(const char *path)
{
	uint64_t n = 0;
	struct ft_visitor v = { &n, NULL, count_record };
	struct ft_error err;

	if (ft_parse_file(path, &v, &err))
		return report(path, &err);
	printf("ok %llu events\n", (unsigned long long)(n - 1));
	return 0;
}

static int cmd_gen(int argc, char **argv)
{
	struct ft_gen_params p = { 0 };
	const struct ft_gen *g = argc > 0 ? ft_gen_find(argv[0]) : NULL;
	const char *out = "-";
	struct ft_writer w;

	if (!g) {
		fprintf(stderr, "usage: foliotrace gen NAME [-s SEED] [-n PAGES] [-e EVERY] [-p PROCS] [-o FILE]\n");
		for (g = ft_gens; g->name; g++)
			fprintf(stderr, "  %-9s %s\n", g->name, g->what);
		return 2;
	}
	for (int i = 1; i + 1 < argc; i += 2) {
		unsigned long long v = strtoull(argv[i + 1], NULL, 0);

		if (!strcmp(argv[i], "-s"))
			p.seed = v;
		else if (!strcmp(argv[i], "-n"))
			p.pages = v;
		else if (!strcmp(argv[i], "-e"))
			p.every = v;
		else if (!strcmp(argv[i], "-p"))
			p.procs = (unsigned int)v;
		else if (!strcmp(argv[i], "-o"))
			out = argv[i + 1];
		else
			return fprintf(stderr, "foliotrace gen: unknown option %s\n", argv[i]), 2;
	}
	ft_gen_defaults(&p);
	ftw_init(&w, FT_ARCH_X86_64, FT_MODE_ORDER0, "foliotrace gen");
	g->fn(&w, &p);
	ftw_end(&w);
	if (ftw_save(&w, out)) {
		perror(out);
		ftw_free(&w);
		return 1;
	}
	ftw_free(&w);
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Parse (count only) and dump (to /dev/null) a kbuild-shaped trace of about `events` events. */
static int cmd_bench(unsigned long events)
{
	struct ft_gen_params p = { .procs = 1 };
	struct ft_writer w;
	uint64_t n = 0;
	struct ft_visitor count = { &n, NULL, count_record };
	FILE *devnull = fopen("/dev/null", "w");
	struct ft_visitor dump = { devnull, dump_header, dump_record };
	struct ft_error err;
	double t0, t1, t2;

	if (!devnull)
		return 1;
	ftw_init(&w, FT_ARCH_X86_64, FT_MODE_ORDER0, "foliotrace bench");
	for (unsigned int k = 0; w.events < events; k++) {
		p.seed = k + 1;
		ft_gen_defaults(&p);
		ft_gens[7].fn(&w, &p);
	}
	ftw_end(&w);
	t0 = now_s();
	if (ft_parse(w.buf, w.len, &count, &err))
		return report("bench", &err);
	t1 = now_s();
	if (ft_parse(w.buf, w.len, &dump, &err))
		return report("bench", &err);
	t2 = now_s();
	printf("BENCH name=foliotrace events=%llu bytes=%zu parse_events_s=%.0f dump_events_s=%.0f\n",
	       (unsigned long long)w.events, w.len, (double)w.events / (t1 - t0), (double)w.events / (t2 - t1));
	fclose(devnull);
	ftw_free(&w);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "dump"))
		return cmd_dump(argv[2]);
	if (argc >= 3 && !strcmp(argv[1], "stats"))
		return cmd_stats(argv[2]);
	if (argc >= 3 && !strcmp(argv[1], "check"))
		return cmd_check(argv[2]);
	if (argc >= 2 && !strcmp(argv[1], "gen"))
		return cmd_gen(argc - 2, argv + 2);
	if (argc >= 2 && !strcmp(argv[1], "bench"))
		return cmd_bench(argc >= 3 ? strtoul(argv[2], NULL, 0) : 1000000);
	fprintf(stderr, "usage: foliotrace dump|stats|check FILE | gen NAME [...] | bench [EVENTS]\n");
	return 2;
}
