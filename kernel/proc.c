/*
 * proc.c - the /proc files of the kernel core, in Linux's formats:
 * meminfo, buddyinfo, zoneinfo, cmdline, uptime, version.
 */
#include "kernel/fs.h"
#include "kernel/arch.h"
#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include "kernel/time.h"
#include "mm/huge_mm.h"
#include "mm/memblock.h"
#include "mm/mm.h"
#include "mm/overcommit.h"
#include "mm/shmem.h"
#include "mm/vmstat.h"

/*
 * Lines as Linux's show_val_kb() prints them: the name padded to 16
 * columns, the value to 8.  MemTotal is RAM the buddy allocator manages
 * (memory minus what boot reserved), like Linux's totalram_pages; there is
 * no page cache and no swap.  AnonPages counts mapped anon pages (as Linux);
 * Shmem the pages shmem objects hold, mapped or not (mm/shmem.c, NR_SHMEM);
 * AnonHugePages counts the PMD-mapped 2 MiB folios (mm/huge_memory.c, Linux's
 * NR_ANON_THPS; hugepages-<N>kB/stats/nr_anon has the per-size view).
 * CommitLimit and Committed_AS (mm/overcommit.c) stand where Linux prints
 * them, between the anon lines (Linux has others between, foliOS not).
 */
static long meminfo_show(char *buf, size_t len)
{
	unsigned long free = nr_free_pages() * (PAGE_SIZE >> 10);
	const struct { const char *name; unsigned long kb; } lines[] = {
		{ "MemTotal:", totalram_pages() * (PAGE_SIZE >> 10) },
		{ "MemFree:", free },
		{ "MemAvailable:", free },
		{ "Buffers:", 0 },
		{ "Cached:", 0 },
		{ "SwapTotal:", 0 },
		{ "SwapFree:", 0 },
		{ "AnonPages:", nr_anon_pages * (PAGE_SIZE >> 10) },
		{ "Shmem:", nr_shmem_pages * (PAGE_SIZE >> 10) },
		{ "CommitLimit:", vm_commit_limit() * (PAGE_SIZE >> 10) },
		{ "Committed_AS:", vm_memory_committed() * (PAGE_SIZE >> 10) },
		{ "AnonHugePages:", nr_anon_thps * (PMD_SIZE >> 10) },
	};
	size_t n = 0;

	for (unsigned int i = 0; i < ARRAY_SIZE(lines); i++)
		n += snprintf(buf + min(n, len), len - min(n, len), "%-16s%8lu kB\n",
			      lines[i].name, lines[i].kb);
	return n;
}

static long buddyinfo_file_show(char *buf, size_t len)
{
	return buddyinfo_show(buf, len);
}

static long zoneinfo_file_show(char *buf, size_t len)
{
	return zoneinfo_show(buf, len);
}

static long cmdline_show(char *buf, size_t len)
{
	return snprintf(buf, len, "%s\n", saved_command_line);
}

/* Seconds since boot and idle seconds (not accounted yet: 0.00). */
static long uptime_show(char *buf, size_t len)
{
	u64 cs = ktime_get_ns() / (NSEC_PER_SEC / 100);

	return snprintf(buf, len, "%llu.%02llu %llu.%02llu\n", cs / 100, cs % 100, 0ULL, 0ULL);
}

static long version_show(char *buf, size_t len)
{
	return snprintf(buf, len, "foliOS version %s (%s) (gcc %s) #1\n", FOLIOS_VERSION,
			ARCH_NAME, __VERSION__);
}

void proc_register(void)
{
	pseudo_file_register("/proc/meminfo", meminfo_show, NULL);
	pseudo_file_register("/proc/buddyinfo", buddyinfo_file_show, NULL);
	pseudo_file_register("/proc/zoneinfo", zoneinfo_file_show, NULL);
	pseudo_file_register("/proc/cmdline", cmdline_show, NULL);
	pseudo_file_register("/proc/uptime", uptime_show, NULL);
	pseudo_file_register("/proc/version", version_show, NULL);
	proc_status_register();
}
