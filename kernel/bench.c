/*
 * bench.c - in-kernel benchmarks, run with `folio.bench=mm` (make bench);
 * `folio.bench=locks` runs kernel/lock_bench.c's instead, `folio.bench=tlb`
 * kernel/tlb_bench.c's.
 *
 * Physical memory: for each zeroing primitive the arch offers, the time to
 * zero BENCH_BYTES already allocated; for orders 0, 4 and 9, the time to
 * allocate and zero BENCH_BYTES with the default primitive; and memset over
 * the same memory, the ceiling any zeroing can reach.  Then the idle zeroer
 * (mm/prezero.c) over all free memory: its bandwidth and the longest gap
 * between two of its looks at stop(), i.e. how long a wakeup can wait for
 * the idle loop; and allocate-and-zero once more from the pre-zeroed
 * blocks it left (alloc_zero_prezeroed).  Results are BENCH
 * lines (docs/architecture.md); the kernel powers off afterwards.  Numbers
 * only make sense in a build without DEBUG_VM (poisoning costs more than the
 * work measured), which is what `make bench` boots.
 */
#include "kernel/arch.h"
#include "kernel/clear_pages.h"
#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "mm/mm.h"
#include "mm/prezero.h"

#define BENCH_BYTES	(256UL << 20)

const char *bench_selection;

static int bench_setup(const char *v)
{
	bench_selection = v ? v : "mm";
	return 0;
}
__setup("folio.bench", bench_setup);

static unsigned long mib_per_s(unsigned long bytes, u64 ns)
{
	return ns ? (unsigned long)((bytes >> 20) * NSEC_PER_SEC / ns) : 0;
}

/* Allocate BENCH_BYTES in order-`order` blocks onto `held`; returns the ns taken. */
static u64 alloc_blocks(struct list_head *held, unsigned int order, gfp_t gfp)
{
	u64 t0 = ktime_get_ns();

	for (unsigned long done = 0; done < BENCH_BYTES; done += PAGE_SIZE << order) {
		struct page *page = alloc_pages(gfp | __GFP_NOWARN, order);

		if (!page)
			panic("bench: out of memory allocating %lu MiB", BENCH_BYTES >> 20);
		list_add_tail(&page->lru, held);
	}
	return ktime_get_ns() - t0;
}

static void free_blocks(struct list_head *held, unsigned int order)
{
	struct list_head *pos, *next;

	list_for_each_safe(pos, next, held) {
		list_del_init(pos);
		free_pages(list_entry(pos, struct page, lru), order);
	}
}

/* Apply fn(address, bytes of one block) to every held block; returns the ns taken. */
static u64 for_each_block(struct list_head *held, unsigned int order,
			  void (*fn)(void *addr, unsigned long bytes))
{
	u64 t0 = ktime_get_ns();
	struct list_head *pos;

	list_for_each(pos, held)
		fn(page_address(list_entry(pos, struct page, lru)), PAGE_SIZE << order);
	return ktime_get_ns() - t0;
}

static void memset_ff(void *addr, unsigned long bytes)
{
	memset(addr, 0xff, bytes);
}

/* Touch all free memory once, so no result pays QEMU's first touch of host memory. */
static void bench_warm_up(void)
{
	LIST_HEAD(held);
	struct page *page;

	while ((page = alloc_pages(__GFP_NOWARN, MAX_PAGE_ORDER)) != NULL)
		list_add_tail(&page->lru, &held);
	for_each_block(&held, MAX_PAGE_ORDER, memset_ff);
	free_blocks(&held, MAX_PAGE_ORDER);
}

static void bench_clear_variants(void)
{
	const struct clear_variant *def = clear_pages_variant();
	LIST_HEAD(held);

	alloc_blocks(&held, 9, GFP_KERNEL);
	for_each_block(&held, 9, memset_ff);	/* touch everything once */
	for (const struct clear_variant *v = clear_variants; v->name; v++) {
		u64 ns = for_each_block(&held, 9, v->clear);

		printk("BENCH name=clear_pages arch=%s variant=%s size=%luM mib_s=%lu default=%d\n",
		       ARCH_NAME, v->name, BENCH_BYTES >> 20, mib_per_s(BENCH_BYTES, ns), v == def);
	}
	printk("BENCH name=memset arch=%s size=%luM mib_s=%lu\n", ARCH_NAME, BENCH_BYTES >> 20,
	       mib_per_s(BENCH_BYTES, for_each_block(&held, 9, memset_ff)));
	free_blocks(&held, 9);
}

/* Allocate BENCH_BYTES with __GFP_ZERO in order-`order` blocks, report it as `name`, free it. */
static void bench_alloc_zero_as(const char *name, unsigned int order)
{
	LIST_HEAD(held);
	u64 ns = alloc_blocks(&held, order, __GFP_ZERO);

	printk("BENCH name=%s arch=%s order=%u size=%luM mib_s=%lu ns_per_page=%llu\n", name,
	       ARCH_NAME, order, BENCH_BYTES >> 20, mib_per_s(BENCH_BYTES, ns),
	       ns / (BENCH_BYTES / PAGE_SIZE));
	free_blocks(&held, order);
}

static void bench_alloc_zero(unsigned int order)
{
	LIST_HEAD(held);
	unsigned long pages = BENCH_BYTES / PAGE_SIZE;
	u64 ns;

	bench_alloc_zero_as("alloc_zero", order);
	ns = alloc_blocks(&held, order, GFP_KERNEL);
	printk("BENCH name=alloc_nozero arch=%s order=%u size=%luM ns_per_page=%llu\n",
	       ARCH_NAME, order, BENCH_BYTES >> 20, ns / pages);
	free_blocks(&held, order);
}

/*
 * prezero_idle()'s stop() here: never stops; records the time between two
 * calls (one chunk of work) in power-of-two buckets, and the longest.
 */
static u64 chunk_last_ns, chunk_max_ns;
static unsigned long chunk_log2[64], nr_chunks;

static bool time_chunk(void)
{
	u64 now = ktime_get_ns();

	if (chunk_last_ns) {
		u64 gap = now - chunk_last_ns;

		chunk_log2[gap ? 63 - __builtin_clzll(gap) : 0]++;
		nr_chunks++;
		chunk_max_ns = max(chunk_max_ns, gap);
	}
	chunk_last_ns = now;
	return false;
}

/* The upper bound of the bucket holding the 99th percentile chunk. */
static u64 chunk_p99_ns(void)
{
	unsigned long seen = 0;
	unsigned int b = 0;

	while (b < 63 && (seen += chunk_log2[b]) < nr_chunks - nr_chunks / 100)
		b++;
	return 2ULL << b;
}

/*
 * The idle zeroer over every free page, as the idle loop runs it (nothing
 * wakes up here): bandwidth, and the time between looks at stop() (the
 * wait of a wakeup), its mean, 99th percentile (power-of-two bound) and
 * maximum; the maximum includes whatever the host did to QEMU meanwhile.
 */
static void bench_prezero_idle(void)
{
	unsigned long pages = zone_normal.pgzero_idle;
	u64 t0 = ktime_get_ns(), ns;

	while (prezero_idle(time_chunk))
		;
	ns = ktime_get_ns() - t0;
	pages = zone_normal.pgzero_idle - pages;
	printk("BENCH name=prezero_idle arch=%s mib=%lu mib_s=%lu chunk_pages=%u chunks=%lu "
	       "mean_chunk_ns=%llu p99_chunk_ns=%llu max_chunk_ns=%llu\n",
	       ARCH_NAME, pages >> (20 - PAGE_SHIFT), mib_per_s(pages << PAGE_SHIFT, ns),
	       PREZERO_CHUNK_PAGES, nr_chunks, ns / max(nr_chunks, 1UL), chunk_p99_ns(), chunk_max_ns);
}

/* kernel/lock_bench.c: the lock primitives' costs (folio.bench=locks). */
void lock_bench_run(void);
/* kernel/tlb_bench.c: a TLB shootdown's cost (folio.bench=tlb). */
void tlb_bench_run(void);

/* Run the benchmarks named by folio.bench= ("mm", "locks" or "tlb"). */
void bench_run(void)
{
	static const struct {
		const char *name;
		void (*run)(void);
	} others[] = { { "locks", lock_bench_run }, { "tlb", tlb_bench_run } };
	unsigned long free_before = nr_free_pages();

	for (unsigned int i = 0; i < ARRAY_SIZE(others); i++) {
		if (strcmp(bench_selection, others[i].name) == 0) {
			others[i].run();
			printk("BENCH DONE\n");
			return;
		}
	}
	if (strcmp(bench_selection, "mm") != 0) {
		pr_err("bench: unknown selection '%s' (known: mm, locks, tlb)\n", bench_selection);
		return;
	}
	bench_warm_up();
	bench_clear_variants();
	bench_alloc_zero(0);
	bench_alloc_zero(4);
	bench_alloc_zero(9);
	bench_prezero_idle();
	bench_alloc_zero_as("alloc_zero_prezeroed", 4);
	if (nr_free_pages() != free_before)
		panic("bench: leaked %lu pages", free_before - nr_free_pages());
	printk("BENCH DONE\n");
}
