/*
 * vmstat.c - the counters of mm/vmstat.h and their files, in Linux's
 * formats (docs/mm/knobs.md):
 *
 *   /proc/vmstat   "name value" lines: nr_free_pages, nr_free_zeroed, the
 *                  LRU list sizes (nr_inactive_anon ..), nr_anon_pages,
 *                  nr_anon_transparent_hugepages (PMD-mapped folios),
 *                  nr_shmem (pages held by shmem objects, mm/shmem.c), the
 *                  events (Linux's names; cow_fault, cow_reuse, cow_copy_folio, pgalloc_anon
 *                  and pgzero_* are foliOS's), the allocator's pgzero_idle,
 *                  then pgalloc_order_0..9
 *   /sys/kernel/mm/transparent_hugepage/hugepages-<N>kB/stats/<counter>
 *                  "%lu\n", read-only, one file per order 1..9 and counter
 *
 * Each event and mTHP counter is one word per CPU (mm/vmstat.h's legend);
 * the files show their sums over every possible CPU.
 */
#include "mm/vmstat.h"
#include "kernel/printk.h"
#include "kernel/vfs.h"
#include "mm/huge_mm.h"
#include "mm/mm.h"
#include "mm/shmem.h"
#include "mm/thp_sysfs.h"
#include "mm/vmscan.h"

struct vm_event_state vm_event_states[NR_CPUS];
struct mthp_stat mthp_stats[NR_CPUS];
atomic_long_t nr_anon_pages;

/*
 * The sum of one counter over every possible CPU: cpu0 is CPU 0's word, the
 * others' lie stride bytes apart (the per-CPU blocks' size).  Each read
 * once (another CPU may be adding).  A total that is negative as a long is
 * a gauge read mid-update: 0.
 */
static unsigned long sum_percpu(const unsigned long *cpu0, size_t stride)
{
	unsigned long sum = 0;

	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		sum += READ_ONCE(*(const unsigned long *)((const char *)cpu0 + cpu * stride));
	return (long)sum < 0 ? 0 : sum;
}

unsigned long sum_vm_event(enum vm_event_item item)
{
	return sum_percpu(&vm_event_states[0].event[item], sizeof(vm_event_states[0]));
}

unsigned long sum_pgalloc_order(unsigned int order)
{
	return sum_percpu(&vm_event_states[0].pgalloc_order[order], sizeof(vm_event_states[0]));
}

unsigned long sum_mthp_stat(unsigned int order, enum mthp_stat_item item)
{
	return sum_percpu(&mthp_stats[0].stats[order][item], sizeof(mthp_stats[0]));
}

static const char *const vm_event_names[] = {
	[PGFAULT] = "pgfault",
	[PGALLOC_ANON] = "pgalloc_anon",
	[THP_FAULT_ALLOC] = "thp_fault_alloc",
	[THP_FAULT_FALLBACK] = "thp_fault_fallback",
	[THP_COLLAPSE_ALLOC] = "thp_collapse_alloc",
	[THP_COLLAPSE_ALLOC_FAILED] = "thp_collapse_alloc_failed",
	[THP_SPLIT_PAGE] = "thp_split_page",
	[THP_SPLIT_PAGE_FAILED] = "thp_split_page_failed",
	[THP_SPLIT_PMD] = "thp_split_pmd",
	[THP_DEFERRED_SPLIT_PAGE] = "thp_deferred_split_page",
	[THP_UNDERUSED_SPLIT_PAGE] = "thp_underused_split_page",
	[ALLOCSTALL_NORMAL] = "allocstall_normal",
	[PGACTIVATE] = "pgactivate",
	[PGDEACTIVATE] = "pgdeactivate",
	[PGLAZYFREE] = "pglazyfree",
	[PGLAZYFREED] = "pglazyfreed",
	[PGREFILL] = "pgrefill",
	[PGSTEAL_KSWAPD] = "pgsteal_kswapd",
	[PGSTEAL_DIRECT] = "pgsteal_direct",
	[PGSTEAL_PROACTIVE] = "pgsteal_proactive",
	[PGSCAN_KSWAPD] = "pgscan_kswapd",
	[PGSCAN_DIRECT] = "pgscan_direct",
	[PGSCAN_PROACTIVE] = "pgscan_proactive",
	[PAGEOUTRUN] = "pageoutrun",
	[OOM_KILL] = "oom_kill",
	[COW_FAULT] = "cow_fault",
	[COW_REUSE] = "cow_reuse",
	[COW_COPY_FOLIO] = "cow_copy_folio",
	[PGZERO_PREZEROED] = "pgzero_prezeroed",
	[PGZERO_FAULT] = "pgzero_fault",
	[CONTPTE_FOLD] = "contpte_fold",
	[CONTPTE_UNFOLD] = "contpte_unfold",
	[NR_TLB_LOCAL_FLUSH_ALL] = "nr_tlb_local_flush_all",
	[NR_TLB_LOCAL_FLUSH_ONE] = "nr_tlb_local_flush_one",
	[NR_TLB_REMOTE_FLUSH] = "nr_tlb_remote_flush",
	[NR_TLB_REMOTE_FLUSH_RECEIVED] = "nr_tlb_remote_flush_received",
	[ASID_ROLLOVER] = "asid_rollover",
	[PGTABLE_WALK_TABLES] = "pgtable_walk_tables",
	[ANON_RESERVE_ALLOC] = "anon_reserve_alloc",
	[ANON_RESERVE_FILL] = "anon_reserve_fill",
	[ANON_RESERVE_PROMOTE] = "anon_reserve_promote",
	[ANON_RESERVE_BREAK] = "anon_reserve_break",
	[ANON_PROMOTE_COLLAPSE] = "anon_promote_collapse",
	[ANON_PROMOTE_COLLAPSE_FAILED] = "anon_promote_collapse_failed",
};
BUILD_BUG_ON(ARRAY_SIZE(vm_event_names) != NR_VM_EVENT_ITEMS);

/* Linux's node counters of the LRU lists' sizes (pages). */
static const char *const lru_list_names[] = {
	[LRU_INACTIVE_ANON] = "nr_inactive_anon",
	[LRU_ACTIVE_ANON] = "nr_active_anon",
	[LRU_INACTIVE_FILE] = "nr_inactive_file",
	[LRU_ACTIVE_FILE] = "nr_active_file",
};
BUILD_BUG_ON(ARRAY_SIZE(lru_list_names) != NR_LRU_LISTS);

/* Linux's enum mthp_stat_item names, which are the stats/ file names. */
static const char *const mthp_stat_names[] = {
	[MTHP_STAT_ANON_FAULT_ALLOC] = "anon_fault_alloc",
	[MTHP_STAT_ANON_FAULT_FALLBACK] = "anon_fault_fallback",
	[MTHP_STAT_ANON_FAULT_FALLBACK_CHARGE] = "anon_fault_fallback_charge",
	[MTHP_STAT_SWPOUT] = "swpout",
	[MTHP_STAT_SWPOUT_FALLBACK] = "swpout_fallback",
	[MTHP_STAT_SHMEM_ALLOC] = "shmem_alloc",
	[MTHP_STAT_SHMEM_FALLBACK] = "shmem_fallback",
	[MTHP_STAT_SHMEM_FALLBACK_CHARGE] = "shmem_fallback_charge",
	[MTHP_STAT_SPLIT] = "split",
	[MTHP_STAT_SPLIT_FAILED] = "split_failed",
	[MTHP_STAT_SPLIT_DEFERRED] = "split_deferred",
	[MTHP_STAT_NR_ANON] = "nr_anon",
	[MTHP_STAT_NR_ANON_PARTIALLY_MAPPED] = "nr_anon_partially_mapped",
	[MTHP_STAT_COW_REUSE] = "cow_reuse",
	[MTHP_STAT_COW_COPY_FOLIO] = "cow_copy_folio",
	[MTHP_STAT_COW_COPY_FOLIO_FALLBACK] = "cow_copy_folio_fallback",
	[MTHP_STAT_COLLAPSE_ALLOC] = "collapse_alloc",
	[MTHP_STAT_COLLAPSE_ALLOC_FAILED] = "collapse_alloc_failed",
};
BUILD_BUG_ON(ARRAY_SIZE(mthp_stat_names) != __MTHP_STAT_COUNT);

/* Append "name value\n" at buf + n (snprintf-style: returns the new length even past len). */
static size_t vmstat_line(char *buf, size_t len, size_t n, const char *name, unsigned long val)
{
	return n + snprintf(buf + min(n, len), len - min(n, len), "%s %lu\n", name, val);
}

static long vmstat_show(char *buf, size_t len)
{
	size_t n = 0;
	char name[24];

	n = vmstat_line(buf, len, n, "nr_free_pages", nr_free_pages());
	n = vmstat_line(buf, len, n, "nr_free_zeroed", nr_free_zeroed());
	for (int lru = 0; lru < NR_LRU_LISTS; lru++)
		n = vmstat_line(buf, len, n, lru_list_names[lru], lruvec.nr_pages[lru]);
	n = vmstat_line(buf, len, n, "nr_anon_pages", atomic_long_read(&nr_anon_pages));
	n = vmstat_line(buf, len, n, "nr_anon_transparent_hugepages", atomic_long_read(&nr_anon_thps));
	n = vmstat_line(buf, len, n, "nr_shmem", atomic_long_read(&nr_shmem_pages));
	for (int item = 0; item < NR_VM_EVENT_ITEMS; item++)
		n = vmstat_line(buf, len, n, vm_event_names[item], sum_vm_event(item));
	n = vmstat_line(buf, len, n, "pgzero_idle", READ_ONCE(zone_normal.pgzero_idle));
	for (unsigned int order = 0; order <= MTHP_MAX_ORDER; order++) {
		snprintf(name, sizeof(name), "pgalloc_order_%u", order);
		n = vmstat_line(buf, len, n, name, sum_pgalloc_order(order));
	}
	return n;
}

/* data: (order * __MTHP_STAT_COUNT + item), as a pointer */
static long mthp_stat_show(void *data, char *buf, size_t len)
{
	uintptr_t key = (uintptr_t)data;

	return snprintf(buf, len, "%lu\n", sum_mthp_stat(key / __MTHP_STAT_COUNT, key % __MTHP_STAT_COUNT));
}

void vmstat_init(void)
{
	char path[128];

	pseudo_file_register("/proc/vmstat", vmstat_show, NULL);
	for (unsigned int order = 1; order <= MTHP_MAX_ORDER; order++) {
		for (int item = 0; item < __MTHP_STAT_COUNT; item++) {
			int n = thp_size_path(path, sizeof(path), order, "stats/");

			snprintf(path + n, sizeof(path) - n, "%s", mthp_stat_names[item]);
			pseudo_file_register_data(path, mthp_stat_show, NULL,
						  (void *)(uintptr_t)(order * __MTHP_STAT_COUNT + item));
		}
	}
}
