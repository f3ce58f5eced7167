/* folios.h - parse foliOS's /proc/self/folios (user/lib/folios.c).
 *
 * One line per run of present PTEs at consecutive addresses mapping consecutive pages of
 * one folio (or consecutive zero-page PTEs):
 *   %#014lx-%#014lx order=%u pages=%lu mapcount=%d rmap=%d ref=%d flags=%s
 * start-end is the run's address range (end exclusive, as in /proc/self/maps); order the
 * folio's order; pages the PTEs of the run; mapcount the whole folio's mapcount over all
 * processes; rmap the PTEs the kernel's reverse map walk finds for the folio (must equal
 * mapcount); ref the folio's refcount; flags a comma list or "-". */
#ifndef _FOLIOS_H
#define _FOLIOS_H
#include <stddef.h>

#define FOLIOS_PATH	"/proc/self/folios"

enum {
	FR_ANON			= 1 << 0,
	FR_ZERO			= 1 << 1,
	FR_DIRTY		= 1 << 2,
	FR_WRITABLE		= 1 << 3,
	FR_EXCLUSIVE		= 1 << 4,
	FR_SHARED		= 1 << 5,
	FR_PARTIALLY_MAPPED	= 1 << 6,
	FR_LAZYFREE		= 1 << 7,
	FR_UNKNOWN		= 1 << 31,	/* a word not in the list above */
};

struct folio_run {
	unsigned long start, end;	/* [start, end) as printed */
	unsigned int order;
	unsigned long pages;
	int mapcount, rmap, ref;
	unsigned int flags;		/* FR_* */
	char flagstr[96];		/* the flags field as printed */
};

/* Parse one line (without or with its '\n'); 0 on success, -1 if malformed. */
int folio_run_parse(const char *line, struct folio_run *r);
/* Read /proc/self/folios into runs[0..max); returns the number of runs (lines beyond max
 * are dropped), -1 if the file cannot be read, -2 if a line is malformed. */
int folios_read(struct folio_run *runs, int max);
/* The run containing addr in runs[0..n), or NULL. */
const struct folio_run *folios_find(const struct folio_run *runs, int n, unsigned long addr);
/* Read the file and copy the run containing addr into *r: 0 found, -1 unreadable,
 * -2 malformed, -3 no run covers addr (the PTE is none). */
int folio_at(const void *addr, struct folio_run *r);
/* Number of runs overlapping [start, end) (copied into out[0..max) when out != NULL). */
int folios_in_range(unsigned long start, unsigned long end, struct folio_run *out, int max);
/* "order=4 pages=16 mapcount=16 rmap=16 ref=16 flags=anon,..." for messages; returns buf. */
char *folio_run_str(const struct folio_run *r, char *buf, size_t len);
/* The raw text of the last folios_read() (for diagnostics), NUL-terminated. */
const char *folios_last_text(void);
/* Touch this library's buffers (about 100 KiB of .bss) so that tests measuring fault
 * counters do not fault on them later. */
void folios_prefault(void);
#endif
