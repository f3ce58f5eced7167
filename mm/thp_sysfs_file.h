/*
 * thp_sysfs_file.h - what the files of the THP sysfs tree share
 * (mm/thp_sysfs.c, mm/thp_sysfs_khugepaged.c, mm/thp_sysfs_shmem.c): the
 * "a [b] c" choice files, Linux's number and boolean parsers as sysfs
 * stores use them, and one registration table type.  Formats:
 * docs/mm/knobs.md.
 */
#ifndef MM_THP_SYSFS_FILE_H
#define MM_THP_SYSFS_FILE_H

#include "kernel/types.h"

/* One value out of a list of words: the "a [b] c" files. */
struct choice_knob {
	const char *const *names;	/* indexed by value */
	const int *shown;		/* the values a file offers, in Linux's order */
	int nr_shown;
};

/* The offered words separated by spaces, cur in brackets, then a newline (snprintf-style). */
long choice_show(const struct choice_knob *k, int cur, char *buf, size_t len);
/* The value of one offered word (one trailing newline allowed, as sysfs_streq), or -EINVAL. */
int choice_parse(const struct choice_knob *k, const char *buf, size_t len);
/* Is buf[0..len) exactly word? */
bool sysfs_word_is(const char *word, const char *buf, size_t len);
/* len without one trailing newline. */
size_t strip_newline(const char *buf, size_t len);

/* An "a [b] c" file over one enum-typed field (data of enum_file_show/store). */
struct enum_file {
	const struct choice_knob *knob;
	unsigned int *value;	/* the field: every enum here has unsigned int as its type */
};
long enum_file_show(void *data, char *buf, size_t len);
long enum_file_store(void *data, const char *buf, size_t len);

/*
 * Linux's kstrtoul(buf, 10, &val) over buf[0..len): an optional '+',
 * decimal digits, one optional trailing newline and nothing else.  0,
 * -EINVAL (no digits, anything else) or -ERANGE (the digits overflow).
 */
int kstrtoul_buf(const char *buf, size_t len, unsigned long *val);
/*
 * Linux's kstrtobool: true for a first character in "YyTt1" or "on",
 * false for "NnFf0" or "off" (case-insensitively); what follows is
 * ignored.  0, or -EINVAL.
 */
int kstrtobool_buf(const char *buf, size_t len, bool *val);

/*
 * An unsigned int knob written as Linux's khugepaged and single-flag
 * stores parse theirs (data of uint_knob_show/store): kstrtoul, then
 * min <= value <= max.  A parse error is -EINVAL, or the parser's own error
 * (-ERANGE on overflow) when parse_errno (Linux's
 * single_hugepage_flag_store); a value out of range is -EINVAL.
 */
struct uint_knob {
	unsigned int *value;
	unsigned int min, max;
	bool parse_errno;
};
long uint_knob_show(void *data, char *buf, size_t len);
long uint_knob_store(void *data, const char *buf, size_t len);

/* One file of a registration table: path below THP_SYSFS_DIR, NULL store for read-only. */
struct thp_sysfs_file {
	const char *path;
	long (*show)(void *data, char *buf, size_t len);
	long (*store)(void *data, const char *buf, size_t len);
	void *data;
};
/* Register files[0..n) under THP_SYSFS_DIR (after vfs_init). */
void thp_sysfs_register(const struct thp_sysfs_file *files, size_t n);

/* The tables of the tree's other files (mm/thp_sysfs_khugepaged.c, mm/thp_sysfs_shmem.c). */
extern const struct thp_sysfs_file khugepaged_files[];
extern const size_t nr_khugepaged_files;
/* The top-level shmem_enabled file; the per-size ones come from thp_shmem_size_file(). */
extern const struct thp_sysfs_file shmem_enabled_file;
/* hugepages-<N>kB/shmem_enabled of order (1..MTHP_MAX_ORDER): show, store, data. */
void thp_shmem_size_file(unsigned int order, struct thp_sysfs_file *f);

#endif
