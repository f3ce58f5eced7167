/* folios.h - parse foliOS's /proc/self/folios (user/lib/folios.c).  The line format, the
 * flag bits and their names are the kernel's, in <uapi/folios.h>; a run parses into a
 * struct folio_run. */
#ifndef _FOLIOS_H
#define _FOLIOS_H
#include <stddef.h>

#include <uapi/folios.h>

/* A flag word the kernel's list does not name (parse result only). */
#define FOLIO_RUN_UNKNOWN	(1U << 31)

struct folio_run {
	unsigned long start, end;	/* [start, end) as printed */
	unsigned int order;
	unsigned long pages;
	int mapcount, rmap, ref;
	unsigned int flags;		/* FOLIO_RUN_* */
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
/* Fork synchronisation without pipes or signal handlers (foliOS has neither yet): a
 * channel of FOLIO_CHAN_SLOTS pre-faulted order-0 pages (MADV_NOHUGEPAGE), shared
 * copy-on-write after fork.  Each side "sends" on slot i by writing its page; the CoW
 * drops the old page's mapcount from 2 to 1, which the other side sees in its own
 * /proc/self/folios.  One send per slot and fork.  foliOS only. */
#define FOLIO_CHAN_SLOTS 8
struct folio_chan { char *p; };
int folio_chan_open(struct folio_chan *c);	/* 0, or -1 (mmap/madvise failed) */
void folio_chan_close(struct folio_chan *c);
void folio_chan_send(struct folio_chan *c, int i);
/* Wait until slot i was sent by the peer; 0, or -1 after about 20 s. */
int folio_chan_wait(struct folio_chan *c, int i);
#endif
