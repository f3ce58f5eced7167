/*
 * thp_sysfs_file.c - the parsing and printing every file of the THP sysfs
 * tree shares (mm/thp_sysfs_file.h), so that each file reads and writes
 * exactly as its Linux 6.12 counterpart:
 *
 *   "a [b] c" choice files     sysfs_streq: one word, one trailing newline allowed
 *   numbers                    kstrtoul(buf, 10): '+', digits, one newline
 *   booleans                   kstrtobool: the first character decides
 *
 * and the one registration loop over a table of files.
 */
#include "mm/thp_sysfs_file.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/vfs.h"
#include "mm/thp_sysfs.h"
#include <uapi/errno.h>

bool sysfs_word_is(const char *word, const char *buf, size_t len)
{
	return strlen(word) == len && strncmp(buf, word, len) == 0;
}

size_t strip_newline(const char *buf, size_t len)
{
	return len && buf[len - 1] == '\n' ? len - 1 : len;
}

long choice_show(const struct choice_knob *k, int cur, char *buf, size_t len)
{
	size_t n = 0;

	for (int i = 0; i < k->nr_shown; i++)
		n += snprintf(buf + min(n, len), len - min(n, len),
			      k->shown[i] == cur ? "%s[%s]" : "%s%s", i ? " " : "",
			      k->names[k->shown[i]]);
	return n + snprintf(buf + min(n, len), len - min(n, len), "\n");
}

int choice_parse(const struct choice_knob *k, const char *buf, size_t len)
{
	len = strip_newline(buf, len);
	for (int i = 0; i < k->nr_shown; i++)
		if (sysfs_word_is(k->names[k->shown[i]], buf, len))
			return k->shown[i];
	return -EINVAL;
}

long enum_file_show(void *data, char *buf, size_t len)
{
	const struct enum_file *f = data;

	return choice_show(f->knob, (int)READ_ONCE(*f->value), buf, len);
}

long enum_file_store(void *data, const char *buf, size_t len)
{
	const struct enum_file *f = data;
	int val = choice_parse(f->knob, buf, len);

	if (val < 0)
		return val;
	WRITE_ONCE(*f->value, (unsigned int)val);
	return (long)len;
}

int kstrtoul_buf(const char *buf, size_t len, unsigned long *val)
{
	size_t i = 0, first;
	unsigned long v = 0;
	bool overflow = false;

	if (i < len && buf[i] == '+')
		i++;
	for (first = i; i < len && buf[i] >= '0' && buf[i] <= '9'; i++) {
		unsigned int d = (unsigned int)(buf[i] - '0');

		if (v > (~0UL - d) / 10)
			overflow = true;
		v = v * 10 + d;
	}
	if (i == first)
		return -EINVAL;
	if (overflow)
		return -ERANGE;	/* Linux checks this before what follows the digits */
	if (i < len && buf[i] == '\n')
		i++;
	if (i != len)
		return -EINVAL;
	*val = v;
	return 0;
}

int kstrtobool_buf(const char *buf, size_t len, bool *val)
{
	char c0 = len ? buf[0] : 0, c1 = len > 1 ? buf[1] : 0;

	if (c0 && strchr("YyTt1", c0)) {
		*val = true;
		return 0;
	}
	if (c0 && strchr("NnFf0", c0)) {
		*val = false;
		return 0;
	}
	if ((c0 == 'o' || c0 == 'O') && c1 && strchr("NnFf", c1)) {
		*val = c1 == 'n' || c1 == 'N';
		return 0;
	}
	return -EINVAL;
}

long uint_knob_show(void *data, char *buf, size_t len)
{
	const struct uint_knob *k = data;

	return snprintf(buf, len, "%u\n", READ_ONCE(*k->value));
}

long uint_knob_store(void *data, const char *buf, size_t len)
{
	const struct uint_knob *k = data;
	unsigned long val;
	int err = kstrtoul_buf(buf, len, &val);

	if (err)
		return k->parse_errno ? err : -EINVAL;
	if (val < k->min || val > k->max)
		return -EINVAL;
	WRITE_ONCE(*k->value, (unsigned int)val);
	return (long)len;
}

void thp_sysfs_register(const struct thp_sysfs_file *files, size_t n)
{
	char path[128];

	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), THP_SYSFS_DIR "/%s", files[i].path);
		pseudo_file_register_data(path, files[i].show, files[i].store, files[i].data);
	}
}
