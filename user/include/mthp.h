/* mthp.h - user-space access to the anonymous-folio knobs and counters (user/lib/mthp.c).
 *
 * Linux's mTHP files (foliOS has the same paths and formats):
 *   /sys/kernel/mm/transparent_hugepage/enabled                 "always [madvise] never"
 *   /sys/kernel/mm/transparent_hugepage/hugepages-<N>kB/enabled  "always inherit madvise [never]"
 *   /sys/kernel/mm/transparent_hugepage/hugepages-<N>kB/stats/<counter>   "%lu\n"
 * foliOS extras under /sys/kernel/mm/folio/: allow_order1 (0|1), prezero (0|1), policy
 * ("[linux] adaptive reserve utilisation"), cow_policy ("[page] folio adaptive"), fragment (0|1),
 * fault_race_inject (N).
 *
 * Orders are folio orders with 4 KiB base pages: order k is 4 << k KiB (1: 8K .. 9: 2M).
 * Every function returns -1 (errno set) when a file is missing or unreadable. */
#ifndef _MTHP_H
#define _MTHP_H
#include <stdbool.h>
#include <stddef.h>

#include <uapi/folios.h>	/* MTHP_MIN_ORDER, MTHP_MAX_ORDER */
#define THP_DIR		"/sys/kernel/mm/transparent_hugepage"
#define FOLIO_DIR	"/sys/kernel/mm/folio"

/* Whole-file read into buf (NUL-terminated, at most len - 1 bytes); bytes read or -1. */
long sysfs_read(const char *path, char *buf, size_t len);
/* One write() of val (no newline added); 0 or -1. */
int sysfs_write(const char *path, const char *val);
/* The file's first number ("%lu\n"); -1 on error. */
long sysfs_read_long(const char *path);
/* The bracketed word of a mode file ("always [madvise] never" -> "madvise"); 0 or -1. */
int sysfs_read_mode(const char *path, char *word, size_t len);

/* "4K", "8K" .. "2M" for order 0..9 ("?" beyond); the order of such a name, or -1. */
const char *mthp_size_name(unsigned int order);
int mthp_size_order(const char *name);
/* "hugepages-64kB" for order 4 into buf; returns buf. */
char *mthp_dir(unsigned int order, char *buf, size_t len);
/* Bit k set: hugepages-<4<<k>kB/enabled exists (k = 1..9). */
unsigned int mthp_orders_present(void);
/* Write hugepages-<N>kB/enabled; mode: always|inherit|madvise|never. 0 or -1. */
int mthp_set(unsigned int order, const char *mode);
/* Read hugepages-<N>kB/enabled's selected word. 0 or -1. */
int mthp_get(unsigned int order, char *word, size_t len);
/* Write/read the top-level enabled file (always|madvise|never). */
int thp_set_top(const char *mode);
int thp_get_top(char *word, size_t len);
/* hugepages-<N>kB/stats/<name>; -1 if unreadable. */
long mthp_stat(unsigned int order, const char *name);
/* out[k] = mthp_stat(k, name) for k = 1..9 (out[0] = 0); returns 0 if all present orders read. */
int mthp_stat_all(const char *name, long out[MTHP_MAX_ORDER + 1]);

/* Set orders in `mask` (bit k = order k) to `mode`, every other present size to "never".
 * thp_only(k, "always") = "only this size always, everything else never"; mask 0 = no large
 * order at all. The top-level file is not touched. 0 or -1. */
int thp_only_mask(unsigned int mask, const char *mode);
int thp_only(unsigned int order, const char *mode);

/* Every knob that the tests and faultbench change, to put the system back as found. */
struct thp_knobs {
	int have_top;
	char top[16];
	unsigned int sizes;			/* mthp_orders_present() at save time */
	char size[MTHP_MAX_ORDER + 1][16];
	int have_allow_order1;
	long allow_order1;
	int have_prezero;
	long prezero;
	int have_policy;
	char policy[16];
	int have_cow_policy;
	char cow_policy[16];
	int have_fragment, have_race;		/* restored to 0 */
};
int thp_knobs_save(struct thp_knobs *k);	/* 0 if the top-level file was readable */
int thp_knobs_restore(const struct thp_knobs *k);	/* 0 if every write succeeded */

/* foliOS knobs: /sys/kernel/mm/folio/<name> as a number; write a number. */
long folio_knob_get(const char *name);
int folio_knob_set(const char *name, long value);

/* /proc/vmstat "name value" and /proc/meminfo "Name:   N kB"; -1 if absent. */
long vmstat_get(const char *name);
long meminfo_kb(const char *name);
/* The first "  name  N" line of /proc/zoneinfo ("min", "low", "high", "managed"; pages); -1 if absent. */
long zoneinfo_get(const char *name);

/* Touch the static buffers of vmstat_get/meminfo_kb/zoneinfo_get (see folios_prefault). */
void mthp_prefault(void);

/*
 * The start of a test of foliOS-only interfaces: on Linux one SKIP line and false
 * (the caller returns done_testing()); on foliOS the readers' static buffers are
 * touched (folios_prefault, mthp_prefault), so that reading them later faults nothing
 * into the counts a test asserts, and true.
 */
bool foliOS_test_start(void);

/* Minor faults of this process so far (getrusage ru_minflt). */
long minflt_now(void);
#endif
