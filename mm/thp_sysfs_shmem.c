/*
 * thp_sysfs_shmem.c - the shmem THP knobs of the THP sysfs tree, as Linux
 * 6.12's mm/shmem.c has them:
 *
 *   transparent_hugepage/shmem_enabled
 *       always within_size advise [never] deny force   (default never)
 *   transparent_hugepage/hugepages-<N>kB/shmem_enabled
 *       always inherit within_size advise [never]      (2048kB inherit, others never)
 *
 * Writes take one word (one trailing newline allowed); besides an unknown
 * word, Linux refuses with -EINVAL a top-level write of 16 bytes or more,
 * "force" while a size other than the PMD size inherits, and "inherit" for a
 * size other than the PMD size while the top level is "force" (both: "do not
 * override huge allocation policy with non-PMD sized mTHP").
 *
 * foliOS's shared memory uses order-0 folios only: the values are kept
 * (shmem_huge_config) for it to read, and act on nothing yet
 * (docs/mm/knobs.md).
 */
#include "mm/thp_sysfs.h"
#include "mm/thp_sysfs_file.h"
#include <uapi/errno.h>

/* Linux 6.12's top-level store copies into char tmp[16] and refuses what does not fit. */
#define SHMEM_ENABLED_MAX_WRITE	15

struct shmem_huge_config shmem_huge_config = {
	.top = SHMEM_HUGE_NEVER,
	.size = { [MTHP_MAX_ORDER] = SHMEM_HUGE_INHERIT },	/* the others 0: SHMEM_HUGE_NEVER */
};

static const char *const shmem_huge_names[] = {
	[SHMEM_HUGE_NEVER] = "never",
	[SHMEM_HUGE_ALWAYS] = "always",
	[SHMEM_HUGE_WITHIN_SIZE] = "within_size",
	[SHMEM_HUGE_ADVISE] = "advise",
	[SHMEM_HUGE_DENY] = "deny",
	[SHMEM_HUGE_FORCE] = "force",
	[SHMEM_HUGE_INHERIT] = "inherit",
};

static const struct choice_knob shmem_top_knob = {
	shmem_huge_names, (const int[]){ SHMEM_HUGE_ALWAYS, SHMEM_HUGE_WITHIN_SIZE, SHMEM_HUGE_ADVISE,
					 SHMEM_HUGE_NEVER, SHMEM_HUGE_DENY, SHMEM_HUGE_FORCE }, 6,
};
static const struct choice_knob shmem_size_knob = {
	shmem_huge_names, (const int[]){ SHMEM_HUGE_ALWAYS, SHMEM_HUGE_INHERIT, SHMEM_HUGE_WITHIN_SIZE,
					 SHMEM_HUGE_ADVISE, SHMEM_HUGE_NEVER }, 5,
};

/* Does some size but the PMD size inherit the top level? */
static bool shmem_small_size_inherits(void)
{
	for (unsigned int order = 1; order < MTHP_MAX_ORDER; order++)
		if (shmem_huge_config.size[order] == SHMEM_HUGE_INHERIT)
			return true;
	return false;
}

static long shmem_enabled_show(void *data, char *buf, size_t len)
{
	(void)data;
	return choice_show(&shmem_top_knob, (int)shmem_huge_config.top, buf, len);
}

static long shmem_enabled_store(void *data, const char *buf, size_t len)
{
	int huge;

	(void)data;
	if (len > SHMEM_ENABLED_MAX_WRITE)
		return -EINVAL;
	huge = choice_parse(&shmem_top_knob, buf, len);
	if (huge < 0)
		return huge;
	if (huge == SHMEM_HUGE_FORCE && shmem_small_size_inherits())
		return -EINVAL;
	shmem_huge_config.top = (enum shmem_huge)huge;
	return (long)len;
}

const struct thp_sysfs_file shmem_enabled_file = {
	"shmem_enabled", shmem_enabled_show, shmem_enabled_store, NULL,
};

/* data: &shmem_huge_config.size[order] */
static long shmem_size_show(void *data, char *buf, size_t len)
{
	return choice_show(&shmem_size_knob, (int)*(enum shmem_huge *)data, buf, len);
}

static long shmem_size_store(void *data, const char *buf, size_t len)
{
	enum shmem_huge *mode = data;
	int huge = choice_parse(&shmem_size_knob, buf, len);

	if (huge < 0)
		return huge;
	if (huge == SHMEM_HUGE_INHERIT && shmem_huge_config.top == SHMEM_HUGE_FORCE &&
	    mode != &shmem_huge_config.size[MTHP_MAX_ORDER])
		return -EINVAL;
	*mode = (enum shmem_huge)huge;
	return (long)len;
}

void thp_shmem_size_file(unsigned int order, struct thp_sysfs_file *f)
{
	*f = (struct thp_sysfs_file){ NULL, shmem_size_show, shmem_size_store,
				      &shmem_huge_config.size[order] };
}
