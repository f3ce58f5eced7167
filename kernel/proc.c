/*
 * proc.c - the /proc files of the kernel core, in Linux's formats:
 * meminfo, buddyinfo, zoneinfo, cmdline, uptime, version, stat, loadavg.
 */
#include "kernel/fs.h"
#include "kernel/arch.h"
#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/time.h"
#include "mm/huge_mm.h"
#include "mm/memblock.h"
#include "mm/mm.h"
#include "mm/overcommit.h"
#include "mm/shmem.h"
#include "mm/vmstat.h"
#include <uapi/time.h>

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
		{ "AnonPages:", atomic_long_read(&nr_anon_pages) * (PAGE_SIZE >> 10) },
		{ "Shmem:", atomic_long_read(&nr_shmem_pages) * (PAGE_SIZE >> 10) },
		{ "CommitLimit:", vm_commit_limit() * (PAGE_SIZE >> 10) },
		{ "Committed_AS:", vm_memory_committed() * (PAGE_SIZE >> 10) },
		{ "AnonHugePages:", atomic_long_read(&nr_anon_thps) * (PMD_SIZE >> 10) },
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

/* The user and system time of every task there is and was (reaped ones in their parents' c*time), in ticks. */
static void all_tasks_ticks(u64 *user, u64 *system)
{
	struct list_head *pos;
	u64 u = 0, s = 0;

	list_for_each(pos, &task_list) {
		const struct task_struct *t = list_entry(pos, struct task_struct, tasks);

		u += t->utime_ns + t->cutime_ns;
		s += t->stime_ns + t->cstime_ns;
	}
	*user = u / (NSEC_PER_SEC / USER_HZ);
	*system = s / (NSEC_PER_SEC / USER_HZ);
}

/* Tasks in state state (TASK_RUNNING: runnable or current), and all of them. */
static int nr_tasks_in(enum task_state state, int *all)
{
	struct list_head *pos;
	int n = 0;

	*all = 0;
	list_for_each(pos, &task_list) {
		const struct task_struct *t = list_entry(pos, struct task_struct, tasks);

		n += t->pid > 0 && t->state == state;
		*all += t->pid > 0;
	}
	return n;
}

/*
 * Linux's show_stat for one CPU: "cpu" and "cpu0" with user, nice, system,
 * idle, iowait, irq, softirq, steal, guest, guest_nice in USER_HZ ticks (user
 * and system from the tasks' times, idle the rest of the uptime; the others
 * 0: not accounted), then intr, ctxt, btime (0: no wall clock), processes
 * (tasks ever made), procs_running, procs_blocked, softirq.
 */
static long stat_show(char *buf, size_t len)
{
	u64 user, system, up = ktime_get_ns() / (NSEC_PER_SEC / USER_HZ), idle;
	int all, running = nr_tasks_in(TASK_RUNNING, &all);
	size_t n = 0;

	all_tasks_ticks(&user, &system);
	idle = up > user + system ? up - user - system : 0;
	for (int line = 0; line < 2; line++)
		n += snprintf(buf + min(n, len), len - min(n, len), "%s %llu 0 %llu %llu 0 0 0 0 0 0\n",
			      line ? "cpu0" : "cpu ", user, system, idle);
	n += snprintf(buf + min(n, len), len - min(n, len),
		      "intr 0\nctxt 0\nbtime 0\nprocesses %d\nprocs_running %d\nprocs_blocked 0\n"
		      "softirq 0 0 0 0 0 0 0 0 0 0 0\n", last_pid(), running);
	return (long)n;
}

/* Linux's loadavg: no load average is kept (0.00), then running/all tasks and the last pid. */
static long loadavg_show(char *buf, size_t len)
{
	int all, running = nr_tasks_in(TASK_RUNNING, &all);

	return snprintf(buf, len, "0.00 0.00 0.00 %d/%d %d\n", running, all, last_pid());
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
	pseudo_file_register("/proc/stat", stat_show, NULL);
	pseudo_file_register("/proc/loadavg", loadavg_show, NULL);
	pseudo_file_register("/proc/version", version_show, NULL);
	proc_status_register();
	proc_mem_register();
	proc_pid_stat_register();
}
