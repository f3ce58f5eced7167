/*
 * linuxcsv.c - reading `make bench-linux`'s CSV for the lab (linuxcsv.h).
 *
 * The file is tools/bench-linux.sh's `csv`: a header line, then one row per
 * BENCH line, comma-separated, no quoting (the CPU model's own commas are
 * spaces there).  Only the columns the lab shows are looked up, by name, so
 * columns added later do not break the reader; a missing one does, with a
 * message naming it.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tools/policylab/linuxcsv.h"

#define CSV_MAX_FIELDS	64

/* The columns the reader needs, in the order of struct csv_cols. */
static const char *const wanted[] = {
	"arch", "bench", "os", "cpu", "size", "shape", "pages", "faults", "touched_kib", "rss_kib", "alloc",
};
enum { C_ARCH, C_BENCH, C_OS, C_CPU, C_SIZE, C_SHAPE, C_PAGES, C_FAULTS, C_TOUCHED, C_RSS, C_ALLOC, NR_COLS };

/* Split line (its newline dropped) at commas, in place: the field count, at most CSV_MAX_FIELDS. */
static unsigned int csv_split(char *line, char *field[])
{
	unsigned int n = 0;

	line[strcspn(line, "\r\n")] = '\0';
	for (char *s = line; n < CSV_MAX_FIELDS; s++) {
		field[n++] = s;
		s = strchr(s, ',');
		if (!s)
			break;
		*s = '\0';
	}
	return n;
}

/* Find each wanted column in the header's fields: col[i]; -1 with err when one is missing. */
static int csv_header(char *field[], unsigned int n, int col[], const char *path, char *err, size_t errlen)
{
	unsigned int found = 0;

	for (unsigned int w = 0; w < NR_COLS; w++) {
		col[w] = -1;
		for (unsigned int f = 0; f < n; f++)
			if (!strcmp(field[f], wanted[w]))
				col[w] = (int)f;
		found += col[w] >= 0;
	}
	if (!found) {
		snprintf(err, errlen, "%s: line 1 is not a bench-linux CSV header (want arch,bench,os,cpu,size,"
			 "shape,pages,faults,touched_kib,rss_kib,alloc,...: tools/bench-linux.sh csv)", path);
		return -1;
	}
	for (unsigned int w = 0; w < NR_COLS; w++)
		if (col[w] < 0) {
			snprintf(err, errlen, "%s: line 1: no column '%s' in the header", path, wanted[w]);
			return -1;
		}
	return 0;
}

/* *v = the decimal number s; false when s is not one. */
static bool csv_number(const char *s, unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(s, &end, 10);
	return *s >= '0' && *s <= '9' && !*end && !errno;
}

/* The folio order of a size word ("4K", "64K", "2M"); -1 when it is none. */
static int size_order(const char *s)
{
	unsigned long kib;
	char *end;

	kib = strtoul(s, &end, 10);
	if (end == s || (strcmp(end, "K") && strcmp(end, "M")))
		return -1;
	kib <<= *end == 'M' ? 10 : 0;
	for (int k = 0; k < 20; k++)
		if (kib == 4UL << k)
			return k;
	return -1;
}

/* Copy s into a field of size len; false when it does not fit. */
static bool csv_copy(char *dst, size_t len, const char *s)
{
	if (strlen(s) >= len)
		return false;
	strcpy(dst, s);
	return true;
}

/* Parse row fields into *p; -1 with err (line lineno) when a field is bad. */
static int csv_point(char *field[], const int col[], struct linux_point *p, const char *path,
		     unsigned int lineno, char *err, size_t errlen)
{
	unsigned long *num[] = { &p->pages, &p->faults, &p->touched_kib, &p->rss_kib, &p->alloc };
	int order = size_order(field[col[C_SIZE]]);

	if (order < 0)
		return snprintf(err, errlen, "%s: line %u: size '%s' is not a folio size", path, lineno,
				field[col[C_SIZE]]), -1;
	p->order = (unsigned int)order;
	for (unsigned int i = 0; i < 5; i++)
		if (!csv_number(field[col[C_PAGES + i]], num[i]))
			return snprintf(err, errlen, "%s: line %u: %s '%s' is not a number", path, lineno,
					wanted[C_PAGES + i], field[col[C_PAGES + i]]), -1;
	if (!csv_copy(p->arch, sizeof(p->arch), field[col[C_ARCH]]) ||
	    !csv_copy(p->size, sizeof(p->size), field[col[C_SIZE]]) ||
	    !csv_copy(p->shape, sizeof(p->shape), field[col[C_SHAPE]]) ||
	    !csv_copy(p->cpu, sizeof(p->cpu), field[col[C_CPU]]))
		return snprintf(err, errlen, "%s: line %u: a name too long", path, lineno), -1;
	return 0;
}

/* Add p to pts, replacing the point of the same arch, size and shape (a later CPU model). */
static int csv_add(struct linux_points *pts, const struct linux_point *p)
{
	struct linux_point *v;

	for (unsigned int i = 0; i < pts->n; i++)
		if (!strcmp(pts->v[i].arch, p->arch) && !strcmp(pts->v[i].size, p->size) &&
		    !strcmp(pts->v[i].shape, p->shape)) {
			pts->v[i] = *p;
			return 0;
		}
	v = realloc(pts->v, (pts->n + 1) * sizeof(*v));
	if (!v)
		return -1;
	pts->v = v;
	pts->v[pts->n++] = *p;
	return 0;
}

/* Read the rows after the header (col) from f into out; -1 with err. */
static int csv_rows(FILE *f, const int col[], unsigned int ncols, struct linux_points *out, const char *path,
		    char *err, size_t errlen)
{
	char line[1024], *field[CSV_MAX_FIELDS];

	for (unsigned int lineno = 2; fgets(line, sizeof(line), f); lineno++) {
		unsigned int n = csv_split(line, field);
		struct linux_point p;

		if (n == 1 && !*field[0])
			continue;	/* an empty line */
		if (n != ncols)
			return snprintf(err, errlen, "%s: line %u: %u fields, the header has %u", path, lineno, n,
					ncols), -1;
		if (strcmp(field[col[C_BENCH]], "patternbench") || strcmp(field[col[C_OS]], "linux"))
			continue;
		if (csv_point(field, col, &p, path, lineno, err, errlen))
			return -1;
		if (csv_add(out, &p))
			return snprintf(err, errlen, "%s: out of memory", path), -1;
	}
	return 0;
}

int linux_csv_read(const char *path, struct linux_points *out, char *err, size_t errlen)
{
	char line[1024], *field[CSV_MAX_FIELDS];
	int col[NR_COLS], ret = -1;
	unsigned int n;
	FILE *f = fopen(path, "r");

	*out = (struct linux_points){ 0 };
	if (!f)
		return snprintf(err, errlen, "%s: cannot open it: %s", path, strerror(errno)), -1;
	if (!fgets(line, sizeof(line), f)) {
		snprintf(err, errlen, "%s: empty, no header line", path);
	} else {
		n = csv_split(line, field);
		if (!csv_header(field, n, col, path, err, errlen))
			ret = csv_rows(f, col, n, out, path, err, errlen);
	}
	fclose(f);
	if (ret)
		linux_csv_free(out);
	return ret;
}

void linux_csv_free(struct linux_points *pts)
{
	free(pts->v);
	*pts = (struct linux_points){ 0 };
}
