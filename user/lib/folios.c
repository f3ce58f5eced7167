/* The /proc/self/folios parser of <folios.h>. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <folios.h>
#include <sys/mman.h>

/* The kernel snapshots the file at open into at most 64 KiB. */
static char folios_text[65536 + 1];
#define FOLIOS_MAX_RUNS 1024
static struct folio_run folios_runs[FOLIOS_MAX_RUNS];

static const char *const flag_names[NR_FOLIO_RUN_FLAGS] = FOLIO_RUN_FLAG_NAMES;

/* Expect `key` at *pp, then a decimal number; advances *pp. */
static int field(const char **pp, const char *key, long *v)
{
	const char *p = *pp;
	size_t n = strlen(key);
	char *end;

	while (*p == ' ')
		p++;
	if (strncmp(p, key, n))
		return -1;
	p += n;
	*v = strtol(p, &end, 10);
	if (end == p)
		return -1;
	*pp = end;
	return 0;
}

int folio_run_parse(const char *line, struct folio_run *r)
{
	const char *p = line;
	char *end;
	long v;

	memset(r, 0, sizeof(*r));
	r->start = strtoul(p, &end, 16);
	if (end == p || *end != '-')
		return -1;
	p = end + 1;
	r->end = strtoul(p, &end, 16);
	if (end == p)
		return -1;
	p = end;
	if (field(&p, "order=", &v) || v < 0)
		return -1;
	r->order = v;
	if (field(&p, "pages=", &v) || v < 0)
		return -1;
	r->pages = v;
	if (field(&p, "mapcount=", &v))
		return -1;
	r->mapcount = v;
	if (field(&p, "rmap=", &v))
		return -1;
	r->rmap = v;
	if (field(&p, "ref=", &v))
		return -1;
	r->ref = v;
	while (*p == ' ')
		p++;
	if (strncmp(p, "flags=", 6))
		return -1;
	p += 6;
	size_t n = 0;
	while (p[n] && p[n] != '\n' && p[n] != ' ' && n < sizeof(r->flagstr) - 1)
		n++;
	memcpy(r->flagstr, p, n);
	r->flagstr[n] = 0;
	if (n == 0)
		return -1;
	if (strcmp(r->flagstr, "-")) {
		const char *w = r->flagstr;
		while (*w) {
			size_t len = 0;
			while (w[len] && w[len] != ',')
				len++;
			unsigned int bit = FOLIO_RUN_UNKNOWN;
			for (unsigned int i = 0; i < NR_FOLIO_RUN_FLAGS; i++)
				if (strlen(flag_names[i]) == len && !strncmp(w, flag_names[i], len))
					bit = 1U << i;
			r->flags |= bit;
			w += len;
			if (*w == ',')
				w++;
		}
	}
	return 0;
}

int folios_read(struct folio_run *runs, int max)
{
	int fd = open(PROC_FOLIOS_PATH, O_RDONLY);
	size_t n = 0;

	folios_text[0] = 0;
	if (fd < 0)
		return -1;
	while (n < sizeof(folios_text) - 1) {
		long r = read(fd, folios_text + n, sizeof(folios_text) - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += r;
	}
	close(fd);
	folios_text[n] = 0;

	int count = 0;
	for (char *line = folios_text; *line;) {
		char *nl = strchr(line, '\n');
		if (!nl)
			break;	/* a truncated last line */
		if (nl > line) {
			struct folio_run r;
			*nl = 0;
			int bad = folio_run_parse(line, &r);
			*nl = '\n';
			if (bad)
				return -2;
			if (count < max)
				runs[count] = r;
			count++;
		}
		line = nl + 1;
	}
	return count < max ? count : max;
}

const struct folio_run *folios_find(const struct folio_run *runs, int n, unsigned long addr)
{
	for (int i = 0; i < n; i++)
		if (addr >= runs[i].start && addr < runs[i].end)
			return &runs[i];
	return NULL;
}

int folio_at(const void *addr, struct folio_run *r)
{
	int n = folios_read(folios_runs, FOLIOS_MAX_RUNS);

	if (n < 0)
		return n;
	const struct folio_run *f = folios_find(folios_runs, n, (unsigned long)addr);
	if (!f)
		return -3;
	*r = *f;
	return 0;
}

int folios_in_range(unsigned long start, unsigned long end, struct folio_run *out, int max)
{
	int n = folios_read(folios_runs, FOLIOS_MAX_RUNS), found = 0;

	if (n < 0)
		return n;
	for (int i = 0; i < n; i++) {
		if (folios_runs[i].end <= start || folios_runs[i].start >= end)
			continue;
		if (out && found < max)
			out[found] = folios_runs[i];
		found++;
	}
	return found;
}

char *folio_run_str(const struct folio_run *r, char *buf, size_t len)
{
	snprintf(buf, len, "%#lx-%#lx order=%u pages=%lu mapcount=%d rmap=%d ref=%d flags=%s",
		 r->start, r->end, r->order, r->pages, r->mapcount, r->rmap, r->ref, r->flagstr);
	return buf;
}

const char *folios_last_text(void)
{
	return folios_text;
}

void folios_prefault(void)
{
	memset(folios_text, 0, sizeof(folios_text));
	memset(folios_runs, 0, sizeof(folios_runs));
}

/*
 * Where the channel asks to go: low, below the tests' big regions, so that its lines come
 * early in /proc/self/folios, whose output ends at 64 KiB (a region of 4K pages can fill
 * that).  Placed top-down, the channel could land above a region (in the gap an aligned
 * placement leaves) and fall off the end.  A taken hint is not fatal: mmap places it.
 */
#define FOLIO_CHAN_HINT	((void *)0x10000000UL)

int folio_chan_open(struct folio_chan *c)
{
	size_t len = FOLIO_CHAN_SLOTS * 4096UL;

	c->p = mmap(FOLIO_CHAN_HINT, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (c->p == MAP_FAILED || madvise(c->p, len, MADV_NOHUGEPAGE) < 0)
		return -1;
	for (int i = 0; i < FOLIO_CHAN_SLOTS; i++)
		c->p[i * 4096UL] = 1;	/* order 0 each (NOHUGEPAGE), mapcount 1 */
	return 0;
}

void folio_chan_close(struct folio_chan *c)
{
	munmap(c->p, FOLIO_CHAN_SLOTS * 4096UL);
}

void folio_chan_send(struct folio_chan *c, int i)
{
	((volatile char *)c->p)[i * 4096UL] = 2;	/* CoW: the peer's copy drops to mapcount 1 */
}

int folio_chan_wait(struct folio_chan *c, int i)
{
	struct timespec ts = { 0, 2000000 };

	for (int n = 0; n < 10000; n++) {
		struct folio_run fr;

		if (folio_at(c->p + i * 4096UL, &fr) == 0 && fr.mapcount == 1)
			return 0;
		nanosleep(&ts, NULL);
	}
	return -1;
}
