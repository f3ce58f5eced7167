/* The knob and counter helpers of <mthp.h>. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <folios.h>
#include <mthp.h>
#include <test.h>
#include <sys/resource.h>

long sysfs_read(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	size_t n = 0;

	if (len == 0)
		return -1;
	if (fd < 0)
		return -1;
	while (n < len - 1) {
		long r = read(fd, buf + n, len - 1 - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			close(fd);
			errno = e;
			return -1;
		}
		if (r == 0)
			break;
		n += r;
	}
	close(fd);
	buf[n] = 0;
	return n;
}

int sysfs_write(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	size_t len = strlen(val);

	if (fd < 0)
		return -1;
	long r = write(fd, val, len);
	int e = errno;
	close(fd);
	if (r != (long)len) {
		errno = r < 0 ? e : EIO;
		return -1;
	}
	return 0;
}

long sysfs_read_long(const char *path)
{
	char buf[64], *end;

	if (sysfs_read(path, buf, sizeof(buf)) <= 0)
		return -1;
	long v = strtol(buf, &end, 10);
	if (end == buf) {
		errno = EINVAL;
		return -1;
	}
	return v;
}

int sysfs_read_mode(const char *path, char *word, size_t len)
{
	char buf[256];

	if (sysfs_read(path, buf, sizeof(buf)) <= 0)
		return -1;
	char *o = strchr(buf, '['), *c = o ? strchr(o, ']') : NULL;
	if (!o || !c || (size_t)(c - o - 1) >= len) {
		errno = EINVAL;
		return -1;
	}
	memcpy(word, o + 1, c - o - 1);
	word[c - o - 1] = 0;
	return 0;
}

char *mthp_dir(unsigned int order, char *buf, size_t len)
{
	snprintf(buf, len, THP_DIR "/hugepages-%lukB", 4UL << order);
	return buf;
}

static char *mthp_path(unsigned int order, const char *leaf, char *buf, size_t len)
{
	char dir[96];

	snprintf(buf, len, "%s/%s", mthp_dir(order, dir, sizeof(dir)), leaf);
	return buf;
}

unsigned int mthp_orders_present(void)
{
	unsigned int mask = 0;
	char path[128], word[16];

	for (unsigned int k = MTHP_MIN_ORDER; k <= MTHP_MAX_ORDER; k++)
		if (sysfs_read_mode(mthp_path(k, "enabled", path, sizeof(path)), word, sizeof(word)) == 0)
			mask |= 1U << k;
	return mask;
}

int mthp_set(unsigned int order, const char *mode)
{
	char path[128];

	return sysfs_write(mthp_path(order, "enabled", path, sizeof(path)), mode);
}

int mthp_get(unsigned int order, char *word, size_t len)
{
	char path[128];

	return sysfs_read_mode(mthp_path(order, "enabled", path, sizeof(path)), word, len);
}

int thp_set_top(const char *mode)
{
	return sysfs_write(THP_DIR "/enabled", mode);
}

int thp_get_top(char *word, size_t len)
{
	return sysfs_read_mode(THP_DIR "/enabled", word, len);
}

long mthp_stat(unsigned int order, const char *name)
{
	char path[160], leaf[64];

	snprintf(leaf, sizeof(leaf), "stats/%s", name);
	return sysfs_read_long(mthp_path(order, leaf, path, sizeof(path)));
}

int mthp_stat_all(const char *name, long out[MTHP_MAX_ORDER + 1])
{
	int ret = 0;

	out[0] = 0;
	for (unsigned int k = MTHP_MIN_ORDER; k <= MTHP_MAX_ORDER; k++) {
		out[k] = mthp_stat(k, name);
		if (out[k] < 0)
			ret = -1;
	}
	return ret;
}

int thp_only_mask(unsigned int mask, const char *mode)
{
	unsigned int present = mthp_orders_present();
	int ret = 0;

	if (mask & ~present) {
		errno = ENOENT;
		return -1;
	}
	/* Switch the others off first so that no moment has more sizes on than asked. */
	for (unsigned int k = MTHP_MIN_ORDER; k <= MTHP_MAX_ORDER; k++)
		if ((present & (1U << k)) && !(mask & (1U << k)) && mthp_set(k, "never") < 0)
			ret = -1;
	for (unsigned int k = MTHP_MIN_ORDER; k <= MTHP_MAX_ORDER; k++)
		if ((mask & (1U << k)) && mthp_set(k, mode) < 0)
			ret = -1;
	return ret;
}

int thp_only(unsigned int order, const char *mode)
{
	return thp_only_mask(order ? 1U << order : 0, mode);
}

long folio_knob_get(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), FOLIO_DIR "/%s", name);
	return sysfs_read_long(path);
}

int folio_knob_set(const char *name, long value)
{
	char path[128], val[32];

	snprintf(path, sizeof(path), FOLIO_DIR "/%s", name);
	snprintf(val, sizeof(val), "%ld", value);
	return sysfs_write(path, val);
}

int thp_knobs_save(struct thp_knobs *k)
{
	memset(k, 0, sizeof(*k));
	k->have_top = thp_get_top(k->top, sizeof(k->top)) == 0;
	for (unsigned int o = MTHP_MIN_ORDER; o <= MTHP_MAX_ORDER; o++)
		if (mthp_get(o, k->size[o], sizeof(k->size[o])) == 0)
			k->sizes |= 1U << o;
	k->allow_order1 = folio_knob_get("allow_order1");
	k->have_allow_order1 = k->allow_order1 >= 0;
	k->prezero = folio_knob_get("prezero");
	k->have_prezero = k->prezero >= 0;
	k->have_policy = sysfs_read_mode(FOLIO_DIR "/policy", k->policy, sizeof(k->policy)) == 0;
	k->have_cow_policy = sysfs_read_mode(FOLIO_DIR "/cow_policy", k->cow_policy,
					     sizeof(k->cow_policy)) == 0;
	k->have_fragment = folio_knob_get("fragment") >= 0;
	k->have_race = folio_knob_get("fault_race_inject") >= 0;
	return k->have_top ? 0 : -1;
}

int thp_knobs_restore(const struct thp_knobs *k)
{
	int ret = 0;

	if (k->have_fragment && folio_knob_set("fragment", 0) < 0)
		ret = -1;
	if (k->have_race && folio_knob_set("fault_race_inject", 0) < 0)
		ret = -1;
	if (k->have_top && thp_set_top(k->top) < 0)
		ret = -1;
	for (unsigned int o = MTHP_MIN_ORDER; o <= MTHP_MAX_ORDER; o++)
		if ((k->sizes & (1U << o)) && mthp_set(o, k->size[o]) < 0)
			ret = -1;
	if (k->have_allow_order1 && folio_knob_set("allow_order1", k->allow_order1) < 0)
		ret = -1;
	if (k->have_prezero && folio_knob_set("prezero", k->prezero) < 0)
		ret = -1;
	if (k->have_policy && sysfs_write(FOLIO_DIR "/policy", k->policy) < 0)
		ret = -1;
	if (k->have_cow_policy && sysfs_write(FOLIO_DIR "/cow_policy", k->cow_policy) < 0)
		ret = -1;
	return ret;
}

static const char *const size_names[] = { "4K", "8K", "16K", "32K", "64K", "128K", "256K",
					  "512K", "1M", "2M" };

const char *mthp_size_name(unsigned int order)
{
	return order <= MTHP_MAX_ORDER ? size_names[order] : "?";
}

int mthp_size_order(const char *name)
{
	for (unsigned int k = 0; k <= MTHP_MAX_ORDER; k++)
		if (!strcmp(name, size_names[k]))
			return (int)k;
	return -1;
}

/* The value after `name` at the start of a line of `text` (after its indent), or -1. */
static long find_value(const char *text, const char *name, char sep)
{
	size_t n = strlen(name);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		while (*p == ' ')
			p++;
		if (!strncmp(p, name, n) && p[n] == sep) {
			const char *v = p + n + 1;
			while (*v == ' ' || *v == '\t')
				v++;
			return strtol(v, NULL, 10);
		}
	}
	return -1;
}

static char vmstat_buf[16384], meminfo_buf[4096], zoneinfo_buf[4096];

void mthp_prefault(void)
{
	memset(vmstat_buf, 0, sizeof(vmstat_buf));
	memset(meminfo_buf, 0, sizeof(meminfo_buf));
	memset(zoneinfo_buf, 0, sizeof(zoneinfo_buf));
}

bool foliOS_test_start(void)
{
	if (!on_foliOS()) {
		skip("not foliOS");
		return false;
	}
	folios_prefault();
	mthp_prefault();
	return true;
}

long zoneinfo_get(const char *name)
{
	if (sysfs_read("/proc/zoneinfo", zoneinfo_buf, sizeof(zoneinfo_buf)) <= 0)
		return -1;
	return find_value(zoneinfo_buf, name, ' ');
}

long vmstat_get(const char *name)
{
	char *buf = vmstat_buf;

	if (sysfs_read("/proc/vmstat", buf, sizeof(vmstat_buf)) <= 0)
		return -1;
	return find_value(buf, name, ' ');
}

long meminfo_kb(const char *name)
{
	char *buf = meminfo_buf;

	if (sysfs_read("/proc/meminfo", buf, sizeof(meminfo_buf)) <= 0)
		return -1;
	return find_value(buf, name, ':');
}

long minflt_now(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) < 0)
		return -1;
	return ru.ru_minflt;
}
