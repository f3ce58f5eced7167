/* TEMPORARY until mm/vmstat.c and mm/thp_sysfs.c land. */
#include "mm/anon_order.h"
#include "mm/vmstat.h"
unsigned long vm_events[NR_VM_EVENT_ITEMS];
unsigned long mthp_stats[MTHP_MAX_ORDER + 1][__MTHP_STAT_COUNT];
unsigned long pgalloc_order[MTHP_MAX_ORDER + 1];
unsigned long nr_anon_pages;
struct anon_order_config anon_order_config = {
	.top = THP_MADVISE,
	.size = { [4] = THP_ALWAYS, [9] = THP_INHERIT },
	.allow_order1 = true,
};
