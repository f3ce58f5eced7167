/*
 * linuxcsv.h - Linux 6.12 mTHP's patternbench figures for the lab's table and
 * plots (linuxcsv.c): the rows of `make bench-linux`'s CSV
 * (build/bench/linux-ARCH.csv, tools/bench-linux.sh csv) that ran on Linux,
 * one point per (arch, size, shape): faults, pages touched, peak RSS and the
 * folios of the size the faults got.  docs/policylab.md, "Linux's rows".
 */
#ifndef POLICYLAB_LINUXCSV_H
#define POLICYLAB_LINUXCSV_H

#include <stddef.h>

struct linux_point {
	char arch[16], size[8], shape[16], cpu[48];
	unsigned int order;		/* the size's folio order (4K: 0) */
	unsigned long pages;		/* patternbench -p: the working set */
	unsigned long faults, touched_kib, rss_kib, alloc;
};

struct linux_points {
	struct linux_point *v;
	unsigned int n;
};

/*
 * Read path into *out (malloc'd; free with linux_csv_free): of its
 * patternbench rows with os=linux, per (arch, size, shape) the last one (the
 * file lists each arch's CPU models in tools/bench-linux.sh's order, Linux's
 * best model last).  The first line must be a header naming at least the
 * columns arch,bench,os,cpu,size,shape,pages,faults,touched_kib,rss_kib,alloc,
 * in any order.  Returns 0, or -1 with a message naming the file, the line
 * and what is wrong in err (a missing file, a wrong header or missing
 * column, a row with too few fields, a bad number or size); *out is then empty.
 */
int linux_csv_read(const char *path, struct linux_points *out, char *err, size_t errlen);
void linux_csv_free(struct linux_points *pts);

#endif
