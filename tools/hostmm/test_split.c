/*
 * test_split.c - mm/split.c on the host: uniform splits of every order to
 * every lower order, the non-uniform shapes (folio_split around a page, the
 * range form), splits of a folio mapped by parent and child, -EBUSY for an
 * extra reference or a pin with nothing changed, the deferred-split queue
 * giving unmapped pages back (folio_split_unmapped, deferred_split_scan and
 * its knob), the split_range knob, and the RFC's order-1 bug made
 * impossible: order-1 and order-2 folios split thousands of times between
 * allocated neighbours whose struct pages and data must never change.
 * MADV_FREE over part of a folio (mm/madvise.c): the exact orders under
 * both madv_free_split policies, lazyfree exactly on the covered pieces,
 * reclaim of exactly those, a failed split skipped, and the same
 * order-1/order-2 neighbour loop through MADV_FREE and reclaim.  Every new folio's metadata is checked exactly, data per page too, and
 * memmap_check() runs after every split.
 */
#include "tools/hostmm/hostmm_vm.h"

#define PG(i)	((unsigned long)(i) << PAGE_SHIFT)
#define SZ_2M	PG(512)

/* Take a reference and the lock, run the split call, unlock, put: the split contract. */
#define LOCKED_SPLIT(f_, call) ({ \
	struct folio *__f = (f_); \
	int __r; \
	folio_get(__f); \
	folio_lock(__f); \
	__r = (call); \
	folio_unlock(__f); \
	folio_put(__f); \
	__r; \
})

/* A new current mm with [VM_BASE, VM_BASE + len) mapped RW, its PTE table allocated, order `order` (and 0) allowed. */
static struct mm_struct *split_mm(unsigned int order, unsigned long len)
{
	struct mm_struct *mm = vm_mm_new();

	vm_use(mm);
	vm_policy_only(order);
	if (vm_map_rw(VM_BASE, len) != (long)VM_BASE)
		panic("split_mm: mmap failed");
	vm_prealloc_tables(mm, VM_BASE);
	return mm;
}

/* The word w of a page's data: names the frame, so a page that moved or was overwritten shows. */
static u64 pattern(unsigned long pfn, unsigned long w)
{
	return (pfn << 12 | w) * 0x9e3779b97f4a7c15ULL;
}

static void fill_page(struct page *page)
{
	u64 *data = page_address(page);

	for (unsigned long w = 0; w < PAGE_SIZE / sizeof(u64); w++)
		data[w] = pattern(page_to_pfn(page), w);
}

static bool page_intact(struct page *page)
{
	const u64 *data = page_address(page);

	for (unsigned long w = 0; w < PAGE_SIZE / sizeof(u64); w++)
		if (data[w] != pattern(page_to_pfn(page), w))
			return false;
	return true;
}

/* Write-fault the folio at addr and fill every page of it; returns it. */
static struct folio *fault_filled(struct mm_struct *mm, unsigned long addr)
{
	struct folio *folio;

	if (vm_fault(mm, addr, true) != VM_FAULT_OK || !(folio = vm_folio_at(mm, addr)))
		return NULL;
	for (unsigned long i = 0; i < folio_nr_pages(folio); i++)
		fill_page(folio_page(folio, i));
	return folio;
}

/* The orders of the folios mapped at [addr, addr + len), in address order; their number, or -1. */
static int mapped_orders(struct mm_struct *mm, unsigned long addr, unsigned long len, int *orders,
			 int max)
{
	int n = 0;

	for (unsigned long a = addr; a < addr + len && n < max; n++) {
		struct folio *folio = vm_folio_at(mm, a);

		if (!folio || pte_pfn(vm_pte(mm, a)) != folio_pfn(folio))
			return -1;	/* nothing mapped, or not the folio's first page */
		orders[n] = (int)folio_order(folio);
		a += folio_size(folio);
	}
	return n;
}

/* Do the orders mapped at [addr, addr + len) read exactly want[0..n)? */
static bool orders_are(struct mm_struct *mm, unsigned long addr, unsigned long len, const int *want,
		       int n)
{
	int got[512];
	int m = mapped_orders(mm, addr, len, got, 512);

	if (m != n) {
		test_fail(__FILE__, __LINE__, "%d folios at %#lx+%#lx, want %d", m, addr, len, n);
		return false;
	}
	for (int i = 0; i < n; i++) {
		if (got[i] != want[i]) {
			test_fail(__FILE__, __LINE__, "folio %d at %#lx has order %d, want %d", i, addr,
				  got[i], want[i]);
			return false;
		}
	}
	return true;
}

/*
 * A new folio after a split, exactly: order, every page mapped `per_page`
 * times by the PTEs (and intact), refcount = mapcount + extra, the old
 * folio's anon_vma and index + offset, flags (anon, swapbacked, head when
 * large, locked when it is the caller's, anon_exclusive per page when
 * `exclusive`), tails, page[1] counts, off the queue, rmap == mapcount.
 */
static bool check_new_folio(struct folio *f, unsigned int order, struct anon_vma *av,
			    unsigned long index, int per_page, int extra, bool exclusive)
{
	unsigned long nr = 1UL << order;
	unsigned long head_flags = BIT(PG_anon) | BIT(PG_swapbacked) | BIT(PG_lru) |
				   (order ? BIT(PG_head) : 0) | (extra ? BIT(PG_locked) : 0);
	unsigned long own = exclusive ? BIT(PG_anon_exclusive) : 0;

	ASSERT_EQ(folio_order(f), order);
	ASSERT_FALSE(PageTail(&f->page));
	ASSERT_EQ(f->page.flags, head_flags | own);
	ASSERT_TRUE(f->mapping == av);
	ASSERT_EQ(f->index, index);
	ASSERT_EQ(f->private, 0);
	ASSERT_EQ(folio_lru_list(f), LRU_INACTIVE_ANON);	/* the old folio's list */
	ASSERT_EQ(folio_mapcount(f), per_page * (int)nr);
	ASSERT_EQ(folio_ref_count(f), per_page * (int)nr + extra);
	ASSERT_EQ(folio_rmap_count(f), folio_mapcount(f));
	for (unsigned long i = 0; i < nr; i++) {
		struct page *p = folio_page(f, i);

		ASSERT_EQ(page_mapcount(p), per_page);
		ASSERT_TRUE(page_intact(p));
		if (i) {
			ASSERT_EQ(p->flags, own);
			ASSERT_EQ(p->compound_head, (unsigned long)f | 1);
			ASSERT_EQ(p->compound_order, order);
			ASSERT_EQ(atomic_read(&p->_refcount), 0);
		}
	}
	if (order) {
		ASSERT_EQ(atomic_read(&f->_large_mapcount), per_page * (int)nr - 1);
		ASSERT_EQ(atomic_read(&f->_nr_pages_mapped), per_page ? (int)nr : 0);
		ASSERT_EQ(atomic_read(&f->_entire_mapcount), -1);
		ASSERT_EQ(atomic_read(&f->_pincount), 0);
		ASSERT_TRUE(list_empty(&f->_deferred_list));
		ASSERT_FALSE(folio_test_partially_mapped(f));
	}
	return true;
}

/* ---- uniform ---- */

/* Every order 1..9 split to every lower order: the exact tiling, metadata, counters, data. */
static bool test_split_to_every_order(void)
{
	vm_setup();
	for (unsigned int k = 1; k <= MTHP_MAX_ORDER; k++) {
		for (unsigned int n = 0; n < k; n++) {
			struct mm_struct *mm = split_mm(k, SZ_2M);
			struct folio *folio = fault_filled(mm, VM_BASE);
			unsigned long split0 = sum_mthp_stat(k, MTHP_STAT_SPLIT);
			unsigned long thp0 = sum_vm_event(THP_SPLIT_PAGE);
			struct anon_vma *av;
			unsigned long index;
			int want[512];

			ASSERT_TRUE(folio && folio_order(folio) == k);
			av = folio->mapping;
			index = folio->index;
			ASSERT_EQ(sum_mthp_stat(k, MTHP_STAT_NR_ANON), 1);
			folio_get(folio);
			folio_lock(folio);
			ASSERT_EQ(split_folio_to_order(folio, n), 0);
			memmap_check();
			for (unsigned long off = 0; off < (1UL << k); off += 1UL << n) {
				struct folio *f = page_folio(folio_page(folio, off));

				ASSERT_TRUE(check_new_folio(f, n, av, index + off, 1, off == 0, true));
			}
			folio_unlock(folio);
			folio_put(folio);
			for (unsigned int i = 0; i < (1U << (k - n)); i++)
				want[i] = (int)n;
			ASSERT_TRUE(orders_are(mm, VM_BASE, PG(1UL << k), want, 1 << (k - n)));
			ASSERT_EQ(sum_mthp_stat(k, MTHP_STAT_SPLIT), split0 + 1);
			ASSERT_EQ(sum_mthp_stat(k, MTHP_STAT_SPLIT_FAILED), 0);
			ASSERT_EQ(sum_vm_event(THP_SPLIT_PAGE), thp0 + (k == MTHP_MAX_ORDER));
			ASSERT_EQ(sum_mthp_stat(k, MTHP_STAT_NR_ANON), 0);
			if (n)
				ASSERT_EQ(sum_mthp_stat(n, MTHP_STAT_NR_ANON), 1UL << (k - n));
			ASSERT_EQ(atomic_long_read(&nr_anon_pages), 1UL << k);
			ASSERT_EQ(deferred_split_count(), 0);
			debug_vm_check_mm_rmap(mm);
			vm_mm_put(mm);
			ASSERT_EQ(atomic_long_read(&nr_anon_pages), 0);
			ASSERT_EQ(sum_mthp_stat(n, MTHP_STAT_NR_ANON), 0);
			memmap_check();
		}
	}
	ASSERT_EQ(sum_vm_event(THP_SPLIT_PAGE_FAILED), 0);
	return true;
}

/* ---- non-uniform ---- */

struct shape_case {
	unsigned long start, end;	/* pages of the order-9 folio */
	int new_order;			/* -1: folio_split_boundary */
	int nr;
	int orders[16];
};

static const struct shape_case shape_cases[] = {
	{ 0, 1, 0, 10, { 0, 0, 1, 2, 3, 4, 5, 6, 7, 8 } },
	{ 5, 6, 0, 10, { 2, 0, 0, 1, 3, 4, 5, 6, 7, 8 } },
	{ 511, 512, 0, 10, { 8, 7, 6, 5, 4, 3, 2, 1, 0, 0 } },
	{ 5, 6, 2, 8, { 2, 2, 3, 4, 5, 6, 7, 8 } },
	{ 4, 12, 1, 11, { 2, 1, 1, 1, 1, 2, 4, 5, 6, 7, 8 } },
	{ 256, 512, 7, 3, { 8, 7, 7 } },
	{ 4, 12, -1, 9, { 2, 2, 2, 2, 4, 5, 6, 7, 8 } },
	{ 1, 512, -1, 10, { 0, 0, 1, 2, 3, 4, 5, 6, 7, 8 } },
	{ 100, 300, -1, 14, { 6, 5, 2, 2, 3, 4, 7, 5, 3, 2, 2, 4, 6, 7 } },
};

/* folio_split around one page, the range and boundary forms: the exact list of orders, metadata, data. */
static bool test_folio_split_shapes(void)
{
	vm_setup();
	for (unsigned int c = 0; c < ARRAY_SIZE(shape_cases); c++) {
		const struct shape_case *sc = &shape_cases[c];
		struct mm_struct *mm = split_mm(9, SZ_2M);
		struct folio *folio = fault_filled(mm, VM_BASE);
		unsigned long split0 = sum_mthp_stat(9, MTHP_STAT_SPLIT), off = 0;
		struct anon_vma *av;
		unsigned long index;
		int ret;

		ASSERT_TRUE(folio && folio_order(folio) == 9);
		av = folio->mapping;
		index = folio->index;
		if (sc->new_order < 0)
			ret = LOCKED_SPLIT(folio, folio_split_boundary(folio, folio_page(folio, sc->start),
								       folio_page(folio, sc->end), SPLIT_KNOB));
		else if (sc->end == sc->start + 1)
			ret = LOCKED_SPLIT(folio, folio_split(folio, (unsigned int)sc->new_order,
							      folio_page(folio, sc->start)));
		else
			ret = LOCKED_SPLIT(folio, folio_split_range(folio, (unsigned int)sc->new_order,
								    folio_page(folio, sc->start),
								    folio_page(folio, sc->end), SPLIT_KNOB));
		ASSERT_EQ(ret, 0);
		memmap_check();
		ASSERT_TRUE(orders_are(mm, VM_BASE, SZ_2M, sc->orders, sc->nr));
		for (int i = 0; i < sc->nr; i++) {
			struct folio *f = vm_folio_at(mm, VM_BASE + PG(off));

			ASSERT_TRUE(check_new_folio(f, (unsigned int)sc->orders[i], av, index + off, 1, 0, true));
			off += 1UL << sc->orders[i];
		}
		ASSERT_EQ(sum_mthp_stat(9, MTHP_STAT_SPLIT), split0 + 1);
		vm_mm_put(mm);
	}
	ASSERT_EQ(sum_vm_event(THP_SPLIT_PAGE), ARRAY_SIZE(shape_cases));
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* Shapes that ask for nothing: -EINVAL, nothing changed, nothing counted. */
static bool test_split_einval(void)
{
	struct mm_struct *mm;
	struct folio *folio, *small;

	vm_setup();
	mm = split_mm(4, PG(32));
	folio = fault_filled(mm, VM_BASE);
	ASSERT_TRUE(folio && folio_order(folio) == 4);
	ASSERT_EQ(LOCKED_SPLIT(folio, split_folio_to_order(folio, 4)), -EINVAL);
	ASSERT_EQ(LOCKED_SPLIT(folio, split_folio_to_order(folio, 9)), -EINVAL);
	ASSERT_EQ(LOCKED_SPLIT(folio, folio_split(folio, 4, folio_page(folio, 3))), -EINVAL);
	ASSERT_EQ(LOCKED_SPLIT(folio, folio_split_range(folio, 0, folio_page(folio, 3),
							folio_page(folio, 3), SPLIT_KNOB)), -EINVAL);
	ASSERT_EQ(LOCKED_SPLIT(folio, folio_split_range(folio, 0, folio_page(folio, 8),
							folio_page(folio, 17), SPLIT_KNOB)), -EINVAL);
	ASSERT_EQ(LOCKED_SPLIT(folio, folio_split_unmapped(folio, SPLIT_KNOB)), -EINVAL);	/* fully mapped */
	ASSERT_TRUE(check_new_folio(folio, 4, folio->mapping, folio->index, 1, 0, true));
	vm_policy_only(0);
	small = fault_filled(mm, VM_BASE + PG(16));
	ASSERT_TRUE(small && folio_order(small) == 0);
	ASSERT_EQ(LOCKED_SPLIT(small, split_folio_to_order(small, 0)), -EINVAL);
	ASSERT_EQ(sum_mthp_stat(4, MTHP_STAT_SPLIT) + sum_mthp_stat(4, MTHP_STAT_SPLIT_FAILED), 0);
	memmap_check();
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* ---- mapped by two processes ---- */

/* Split while parent and child map the folio: every PTE stays, mapcounts per piece, rmap agrees. */
static bool test_split_after_fork(void)
{
	struct mm_struct *parent, *child;
	struct folio *folio, *f;
	struct anon_vma *av;
	unsigned long free_before, index;
	static const int pairs[8] = { 1, 1, 1, 1, 1, 1, 1, 1 };

	vm_setup();
	parent = split_mm(4, PG(16));
	folio = fault_filled(parent, VM_BASE);
	ASSERT_TRUE(folio && folio_order(folio) == 4);
	av = folio->mapping;
	index = folio->index;
	child = vm_mm_dup(parent);
	ASSERT_TRUE(child != NULL);
	ASSERT_EQ(folio_mapcount(folio), 32);

	ASSERT_EQ(LOCKED_SPLIT(folio, split_folio_to_order(folio, 1)), 0);
	memmap_check();
	for (unsigned long off = 0; off < 16; off += 2) {
		f = vm_folio_at(parent, VM_BASE + PG(off));
		ASSERT_TRUE(f == vm_folio_at(child, VM_BASE + PG(off)));
		ASSERT_TRUE(check_new_folio(f, 1, av, index + off, 2, 0, false));
	}
	ASSERT_TRUE(orders_are(parent, VM_BASE, PG(16), pairs, 8));
	ASSERT_TRUE(orders_are(child, VM_BASE, PG(16), pairs, 8));
	debug_vm_check_mm_rmap(parent);
	debug_vm_check_mm_rmap(child);

	/* The child writes page 3: CoW copies it; the pair [2,4) stays mapped by someone everywhere. */
	vm_use(child);
	ASSERT_EQ(vm_fault(child, VM_BASE + PG(3), true), VM_FAULT_OK);
	f = vm_folio_at(parent, VM_BASE + PG(2));
	ASSERT_EQ(folio_mapcount(f), 3);
	ASSERT_FALSE(folio_test_partially_mapped(f));
	vm_mm_put(child);
	vm_use(parent);
	ASSERT_EQ(folio_mapcount(f), 2);
	debug_vm_check_mm_rmap(parent);

	/* Parent unmaps page 5: the pair [4,6) is partially mapped, the scan frees page 5. */
	ASSERT_EQ(vm_madvise(VM_BASE + PG(5), PG(1), MADV_DONTNEED), 0);
	f = vm_folio_at(parent, VM_BASE + PG(4));
	ASSERT_TRUE(folio_test_partially_mapped(f));
	ASSERT_EQ(deferred_split_count(), 1);
	free_before = nr_free_pages();
	ASSERT_EQ(deferred_split_scan(~0UL), 1);
	ASSERT_EQ(nr_free_pages(), free_before + 1);
	ASSERT_EQ(deferred_split_count(), 0);
	f = vm_folio_at(parent, VM_BASE + PG(4));
	ASSERT_TRUE(check_new_folio(f, 0, av, index + 4, 1, 0, false));
	ASSERT_EQ(sum_mthp_stat(1, MTHP_STAT_SPLIT), 1);
	memmap_check();
	vm_mm_put(parent);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	ASSERT_EQ(atomic_long_read(&nr_anon_pages), 0);
	return true;
}

/* ---- refused ---- */

/* A snapshot of the folio's struct pages and one on each side. */
struct memmap_snap {
	struct page pages[512 + 2];
	unsigned long nr;
};

static void snap_take(struct memmap_snap *s, struct folio *folio)
{
	s->nr = folio_nr_pages(folio) + 2;
	memcpy(s->pages, &folio->page - 1, s->nr * sizeof(struct page));
}

static bool snap_same(const struct memmap_snap *s, struct folio *folio)
{
	return !memcmp(s->pages, &folio->page - 1, s->nr * sizeof(struct page));
}

/* An extra reference or a pin: -EBUSY, counted, not one byte of metadata changed; then it splits. */
static bool test_split_busy(void)
{
	static struct memmap_snap snap;
	static const unsigned int orders[] = { 4, 9 };

	vm_setup();
	for (unsigned int o = 0; o < ARRAY_SIZE(orders); o++) {
		unsigned int k = orders[o];
		struct mm_struct *mm = split_mm(k, SZ_2M);
		struct folio *folio = fault_filled(mm, VM_BASE);
		unsigned long thp_failed0 = sum_vm_event(THP_SPLIT_PAGE_FAILED);

		ASSERT_TRUE(folio && folio_order(folio) == k);
		ASSERT_EQ(vm_madvise(VM_BASE + PG(1), PG(1), MADV_DONTNEED), 0);	/* queued */
		snap_take(&snap, folio);

		folio_get(folio);	/* someone else's reference (a GUP without FOLL_PIN) */
		ASSERT_EQ(LOCKED_SPLIT(folio, split_folio_to_order(folio, 0)), -EBUSY);
		ASSERT_EQ(LOCKED_SPLIT(folio, folio_split_unmapped(folio, SPLIT_KNOB)), -EBUSY);
		ASSERT_EQ(deferred_split_scan(~0UL), 0);
		folio_put(folio);
		ASSERT_TRUE(snap_same(&snap, folio));
		ASSERT_EQ(sum_mthp_stat(k, MTHP_STAT_SPLIT_FAILED), 3);

		folio_get(folio);	/* FOLL_PIN on a large folio: a reference and _pincount */
		atomic_inc(&folio->_pincount);
		ASSERT_EQ(LOCKED_SPLIT(folio, folio_split(folio, 0, folio_page(folio, 7))), -EBUSY);
		folio_put(folio);	/* the pin alone, without its reference, still refuses */
		ASSERT_EQ(LOCKED_SPLIT(folio, split_folio_to_order(folio, 1)), -EBUSY);
		atomic_dec(&folio->_pincount);
		ASSERT_TRUE(snap_same(&snap, folio));
		ASSERT_EQ(sum_mthp_stat(k, MTHP_STAT_SPLIT_FAILED), 5);
		ASSERT_EQ(sum_mthp_stat(k, MTHP_STAT_SPLIT), 0);
		ASSERT_EQ(sum_vm_event(THP_SPLIT_PAGE_FAILED), thp_failed0 + (k == 9 ? 5 : 0));
		ASSERT_EQ(deferred_split_count(), 1);
		memmap_check();

		ASSERT_EQ(deferred_split_scan(~0UL), 1);	/* unpinned: it splits */
		ASSERT_EQ(sum_mthp_stat(k, MTHP_STAT_SPLIT), 1);
		ASSERT_EQ(deferred_split_count(), 0);
		vm_mm_put(mm);
		memmap_check();
	}
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* ---- the deferred-split queue gives memory back ---- */

/* 15 of 16 pages of a 64K folio unmapped: the scan frees exactly those 15; the survivor keeps its data. */
static bool test_deferred_split_frees_unmapped(void)
{
	struct mm_struct *mm;
	struct folio *folio, *f;
	unsigned long free_before, index;
	const struct host_pseudo_file *knob;

	vm_setup();
	knob = hostmm_pseudo_file(FOLIO_SYSFS_DIR "/deferred_split_scan");
	ASSERT_TRUE(knob && knob->show && knob->store);
	mm = split_mm(4, PG(16));
	folio = fault_filled(mm, VM_BASE);
	ASSERT_TRUE(folio && folio_order(folio) == 4);
	index = folio->index;
	ASSERT_EQ(vm_munmap(VM_BASE, PG(7)), 0);
	ASSERT_EQ(vm_munmap(VM_BASE + PG(8), PG(8)), 0);
	ASSERT_EQ(atomic_long_read(&nr_anon_pages), 1);	/* AnonPages: the one mapped page */
	ASSERT_EQ(deferred_split_count(), 1);
	{
		char buf[16];

		ASSERT_EQ(knob->show(buf, sizeof(buf)), 2);
		ASSERT_TRUE(!memcmp(buf, "1\n", 2));
		ASSERT_EQ(knob->store("0", 1), -EINVAL);
		ASSERT_EQ(knob->store("2\n", 2), -EINVAL);
		ASSERT_EQ(deferred_split_count(), 1);
		free_before = nr_free_pages();
		ASSERT_EQ(knob->store("1\n", 2), 2);
		ASSERT_EQ(knob->show(buf, sizeof(buf)), 2);
		ASSERT_TRUE(!memcmp(buf, "0\n", 2));
	}
	ASSERT_EQ(nr_free_pages(), free_before + 15);
	f = vm_folio_at(mm, VM_BASE + PG(7));
	ASSERT_TRUE(check_new_folio(f, 0, f->mapping, index + 7, 1, 0, true));
	ASSERT_EQ(sum_mthp_stat(4, MTHP_STAT_SPLIT), 1);
	ASSERT_EQ(sum_mthp_stat(4, MTHP_STAT_NR_ANON), 0);
	ASSERT_EQ(sum_mthp_stat(4, MTHP_STAT_NR_ANON_PARTIALLY_MAPPED), 0);
	ASSERT_EQ(sum_vm_event(THP_SPLIT_PAGE), 0);
	ASSERT_EQ(atomic_long_read(&nr_anon_pages), 1);
	memmap_check();
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* A 2 MiB folio with pages [100, 200) unmapped: mapped pieces as large as alignment allows. */
static bool test_deferred_split_largest_pieces(void)
{
	static const int low[] = { 6, 5, 2 }, high[] = { 3, 4, 5, 8 };
	struct mm_struct *mm;
	struct folio *folio;
	unsigned long free_before;

	vm_setup();
	mm = split_mm(9, SZ_2M);
	folio = fault_filled(mm, VM_BASE);
	ASSERT_TRUE(folio && folio_order(folio) == 9);
	ASSERT_EQ(vm_madvise(VM_BASE + PG(100), PG(100), MADV_DONTNEED), 0);
	ASSERT_EQ(atomic_long_read(&nr_anon_pages), 412);
	free_before = nr_free_pages();
	ASSERT_EQ(LOCKED_SPLIT(folio, folio_split_unmapped(folio, SPLIT_KNOB)), 0);
	ASSERT_EQ(nr_free_pages(), free_before + 100);
	ASSERT_TRUE(orders_are(mm, VM_BASE, PG(100), low, 3));
	ASSERT_TRUE(orders_are(mm, VM_BASE + PG(200), PG(312), high, 4));
	for (unsigned long off = 0; off < 512; off = off == 99 ? 200 : off + 1)
		ASSERT_TRUE(page_intact(pfn_to_page(pte_pfn(vm_pte(mm, VM_BASE + PG(off))))));
	ASSERT_EQ(sum_mthp_stat(9, MTHP_STAT_SPLIT), 1);
	ASSERT_EQ(sum_vm_event(THP_SPLIT_PAGE), 1);
	ASSERT_EQ(sum_mthp_stat(8, MTHP_STAT_NR_ANON), 1);
	ASSERT_EQ(sum_mthp_stat(2, MTHP_STAT_NR_ANON), 1);
	ASSERT_EQ(deferred_split_count(), 0);
	debug_vm_check_mm_rmap(mm);
	memmap_check();
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* ---- the split_range knob ---- */

static long split_range(const char *words)
{
	const struct host_pseudo_file *f = hostmm_pseudo_file(FOLIO_SYSFS_DIR "/split_range");

	if (!f || !f->store)
		panic("split_range: not registered");
	return f->store(words, strlen(words));
}

static bool test_split_range_knob(void)
{
	static const char *const bad[] = {
		"", "\n", "0x40000000", "0x40000000 0x40200000", "0x40000001 0x40200000 0",
		"0x40000000 0x40200001 0", "0x40200000 0x40000000 0", "0x40000000 0x40000000 0",
		"0x40000000 0x40200000 9", "0x40000000 0x40200000 x", "0x40000000 0x40200000 0 1 2",
		"0x40000000 0x40200000 0 513", "0x 0x40200000 0", "0x40000000  0x40200000 -1",
		"0x40000000 0x40200000 0\n\n", "0x4000000000000000000 0x40200000 0",
		"0x40000000,0x40200000,0",
	};
	static const int halves[] = { 3, 3 }, around5[] = { 2, 0, 0, 1, 3, 4, 5, 6, 7, 8 };
	static const int sixteen[16] = { 0 };
	struct mm_struct *mm;
	struct folio *folio;
	char cmd[96];

	vm_setup();
	mm = split_mm(9, SZ_2M + PG(16));
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++)
		if (split_range(bad[i]) != -EINVAL) {
			test_fail(__FILE__, __LINE__, "\"%s\" accepted", bad[i]);
			return false;
		}
	/* Nothing mapped: nothing to do. */
	ASSERT_EQ(split_range("40000000 40200000 0"), 19);
	folio = fault_filled(mm, VM_BASE);
	ASSERT_TRUE(folio && folio_order(folio) == 9);
	/* Around page 5 (the 4th word), through an address range of one page inside the folio. */
	snprintf(cmd, sizeof(cmd), "%#lx %#lx 0 5\n", VM_BASE + PG(300), VM_BASE + PG(301));
	ASSERT_EQ(split_range(cmd), (long)strlen(cmd));
	ASSERT_TRUE(orders_are(mm, VM_BASE, SZ_2M, around5, 10));
	/* Uniform to 3 over the 64K piece at [16, 32): both 32K halves. */
	snprintf(cmd, sizeof(cmd), "%#lx %#lx 3", VM_BASE + PG(20), VM_BASE + PG(21));
	ASSERT_EQ(split_range(cmd), (long)strlen(cmd));
	ASSERT_TRUE(orders_are(mm, VM_BASE + PG(16), PG(16), halves, 2));
	/* An offset beyond a folio skips it; order-0 folios and the unmapped tail too. */
	vm_policy_only(4);
	ASSERT_TRUE(fault_filled(mm, VM_BASE + SZ_2M) != NULL);
	snprintf(cmd, sizeof(cmd), "%#lx %#lx 0 16", VM_BASE + SZ_2M, VM_BASE + SZ_2M + PG(16));
	ASSERT_EQ(split_range(cmd), (long)strlen(cmd));
	ASSERT_EQ(vm_order_at(mm, VM_BASE + SZ_2M), 4);
	snprintf(cmd, sizeof(cmd), "%#lx %#lx 0", VM_BASE + SZ_2M, VM_BASE + SZ_2M + PG(16));
	ASSERT_EQ(split_range(cmd), (long)strlen(cmd));
	ASSERT_TRUE(orders_are(mm, VM_BASE + SZ_2M, PG(16), sixteen, 16));
	/* A folio with an extra reference: -EBUSY, the others in the range still split. */
	folio = vm_folio_at(mm, VM_BASE + PG(256));
	ASSERT_EQ(folio_order(folio), 8);
	folio_get(folio);
	snprintf(cmd, sizeof(cmd), "%#lx %#lx 6", VM_BASE + PG(128), VM_BASE + SZ_2M);
	ASSERT_EQ(split_range(cmd), -EBUSY);
	folio_put(folio);
	ASSERT_EQ(vm_order_at(mm, VM_BASE + PG(128)), 6);
	ASSERT_EQ(vm_order_at(mm, VM_BASE + PG(192)), 6);
	ASSERT_EQ(vm_order_at(mm, VM_BASE + PG(256)), 8);
	ASSERT_EQ(sum_mthp_stat(8, MTHP_STAT_SPLIT_FAILED), 1);
	ASSERT_EQ(sum_mthp_stat(9, MTHP_STAT_SPLIT), 1);
	ASSERT_EQ(sum_mthp_stat(4, MTHP_STAT_SPLIT), 2);
	ASSERT_EQ(sum_mthp_stat(7, MTHP_STAT_SPLIT), 1);
	for (unsigned long off = 0; off < 528; off++)
		ASSERT_TRUE(page_intact(pfn_to_page(pte_pfn(vm_pte(mm, VM_BASE + PG(off))))));
	/* No mm: refused. */
	current->mm = NULL;
	ASSERT_EQ(split_range("40000000 40200000 0"), -EINVAL);
	vm_use(mm);
	memmap_check();
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* ---- the RFC's bug, made impossible ---- */

#define RFC_ROUNDS	1500
#define NEIGHBOURS	8

/*
 * Leave only one free 4-frame block, between NEIGHBOURS allocated frames on
 * each side whose data is filled and whose struct pages are saved in
 * before[]; returns its first PFN (0: none found).  No reserve below the
 * watermarks (the next boot resets them).  undrain_all() ends it.
 */
static unsigned long neighbours_watch(struct page before[2][NEIGHBOURS])
{
	unsigned long blk = 0;

	memset(zone_normal._watermark, 0, sizeof(zone_normal._watermark));
	drain_all();
	for (unsigned long pfn = 64; pfn + 64 < HOSTMM_END_PFN && !blk; pfn += 4) {
		unsigned long n = 0;

		while (n < 4 + 2 * NEIGHBOURS && drained[pfn - NEIGHBOURS + n])
			n++;
		if (n == 4 + 2 * NEIGHBOURS)
			blk = pfn;
	}
	if (!blk)
		return 0;
	for (unsigned long i = 0; i < NEIGHBOURS; i++) {
		fill_page(pfn_to_page(blk - NEIGHBOURS + i));
		fill_page(pfn_to_page(blk + 4 + i));
	}
	memcpy(before[0], pfn_to_page(blk - NEIGHBOURS), sizeof(before[0]));
	memcpy(before[1], pfn_to_page(blk + 4), sizeof(before[1]));
	undrain_range(blk, blk + 4);
	return blk;
}

/* Are the neighbours of blk exactly as neighbours_watch() left them (struct pages and data)? */
static bool neighbours_same(struct page before[2][NEIGHBOURS], unsigned long blk, unsigned int k,
			    unsigned int round)
{
	if (memcmp(before[0], pfn_to_page(blk - NEIGHBOURS), sizeof(before[0])) ||
	    memcmp(before[1], pfn_to_page(blk + 4), sizeof(before[1]))) {
		test_fail(__FILE__, __LINE__, "order %u round %u: a neighbour's struct page changed",
			  k, round);
		return false;
	}
	for (unsigned long i = 0; i < NEIGHBOURS; i++) {
		ASSERT_TRUE(page_intact(pfn_to_page(blk - NEIGHBOURS + i)));
		ASSERT_TRUE(page_intact(pfn_to_page(blk + 4 + i)));
	}
	return true;
}

/*
 * The loop of the RFC tests: vm_policy_only(k), then RFC_ROUNDS times for
 * k = 1 and 2, a fresh order-k folio faulted and filled at VM_BASE inside
 * the watched block, round(mm, folio, k, r) (which leaves every page of the
 * block mapped again), everything dropped (munmap, map again: one VMA), and
 * memmap_check() and the NEIGHBOURS struct pages and data frames on each
 * side of the block exactly as before: no split ever writes outside the
 * folio it splits.
 */
static bool neighbour_rounds(bool (*round_fn)(struct mm_struct *mm, struct folio *folio,
					      unsigned int k, unsigned int round))
{
	static struct page before[2][NEIGHBOURS];
	struct mm_struct *mm;
	unsigned long blk;

	vm_setup();
	mm = split_mm(1, PG(4));
	blk = neighbours_watch(before);
	ASSERT_TRUE(blk != 0);
	for (unsigned int k = 1; k <= 2; k++) {
		vm_policy_only(k);
		for (unsigned int round = 0; round < RFC_ROUNDS; round++) {
			unsigned long nr = 1UL << k, free0 = nr_free_pages();
			struct folio *folio = fault_filled(mm, VM_BASE);

			ASSERT_TRUE(folio && folio_order(folio) == k && folio_pfn(folio) >= blk &&
				    folio_pfn(folio) < blk + 4);
			if (!round_fn(mm, folio, k, round))
				return false;
			ASSERT_EQ(nr_free_pages(), free0 - nr);
			ASSERT_TRUE(vm_munmap(VM_BASE, PG(4)) == 0 && vm_map_rw(VM_BASE, PG(4)) == (long)VM_BASE);
			vm_prealloc_tables(mm, VM_BASE);	/* munmap freed them */
			ASSERT_EQ(nr_free_pages(), free0);
			memmap_check();
			if (!neighbours_same(before, blk, k, round))
				return false;
		}
	}
	undrain_all();
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/*
 * One round of the split test: unmap one page (MADV_DONTNEED or munmap and
 * map again), split (the deferred scan, uniform to 0 or 1, or around the
 * unmapped page), the other pages intact, refault.
 */
static bool split_round(struct mm_struct *mm, struct folio *folio, unsigned int k,
			unsigned int round)
{
	unsigned long nr = 1UL << k, hole = round % nr, free_mapped = nr_free_pages();
	int ret;

	if (round % 2)
		ASSERT_EQ(vm_madvise(VM_BASE + PG(hole), PG(1), MADV_DONTNEED), 0);
	else
		ASSERT_TRUE(vm_munmap(VM_BASE + PG(hole), PG(1)) == 0 &&
			    vm_map_rw(VM_BASE + PG(hole), PG(1)) == (long)(VM_BASE + PG(hole)));
	ASSERT_TRUE(folio_test_partially_mapped(folio));
	memmap_check();
	switch (round % 4) {
	case 0:
		ret = deferred_split_scan(~0UL) == 1 ? 0 : -1;
		break;
	case 1:
		ret = LOCKED_SPLIT(folio, split_folio_to_order(folio, 0));
		break;
	case 2:
		ret = LOCKED_SPLIT(folio, folio_split(folio, 0, folio_page(folio, hole)));
		break;
	default:
		ret = LOCKED_SPLIT(folio, split_folio_to_order(folio, k - 1));
		break;
	}
	ASSERT_EQ(ret, 0);
	memmap_check();
	/* k = 2 split to order 1: the pair holding the hole is queued again; scan it. */
	ASSERT_EQ(deferred_split_count(), k == 2 && round % 4 == 3);
	deferred_split_scan(~0UL);
	ASSERT_EQ(deferred_split_count(), 0);
	ASSERT_EQ(nr_free_pages(), free_mapped + 1);
	for (unsigned long i = 0; i < nr; i++)
		if (i != hole)
			ASSERT_TRUE(page_intact(pfn_to_page(pte_pfn(vm_pte(mm, VM_BASE + PG(i))))));
	ASSERT_TRUE(fault_filled(mm, VM_BASE + PG(hole)) != NULL);	/* refault */
	return true;
}

/* Order-1 and order-2 folios split RFC_ROUNDS times each between watched neighbours. */
static bool test_split_order1_order2_neighbours(void)
{
	if (!neighbour_rounds(split_round))
		return false;
	ASSERT_EQ(sum_mthp_stat(1, MTHP_STAT_SPLIT), RFC_ROUNDS + RFC_ROUNDS / 4);
	return true;
}

/* ---- MADV_FREE over part of a folio (mm/madvise.c) ---- */

#define MADV_FREE_SPLIT_KNOB	FOLIO_SYSFS_DIR "/madv_free_split"
#define RECLAIM_KNOB		FOLIO_SYSFS_DIR "/reclaim"

struct madv_free_case {
	unsigned int order;
	unsigned long start, end;	/* the pages MADV_FREE covers */
	int nr;				/* "around": the orders after; "order0": all order 0 */
	int orders[16];
};

static const struct madv_free_case madv_free_cases[] = {
	{ 4, 4, 12, 4, { 2, 2, 2, 2 } },
	{ 4, 1, 16, 5, { 0, 0, 1, 2, 3 } },
	{ 9, 1, 512, 10, { 0, 0, 1, 2, 3, 4, 5, 6, 7, 8 } },
	{ 9, 100, 300, 14, { 6, 5, 2, 2, 3, 4, 7, 5, 3, 2, 2, 4, 6, 7 } },
};

/*
 * MADV_FREE of part of a 64K and a 2M folio under both madv_free_split
 * policies: the exact orders after (order0: all 0; around: the boundary
 * shape), lazyfree exactly on the covered pieces, pglazyfree += covered
 * pages, one split counted, every page's data intact; a covered page
 * written again keeps its data and its piece; reclaim frees exactly the
 * other covered pages and leaves the uncovered ones intact.
 */
static bool test_madv_free_partial_split(void)
{
	static int zeros[512];
	char buf[32];

	vm_setup();
	ASSERT_EQ(vm_knob_read(MADV_FREE_SPLIT_KNOB, buf, sizeof(buf)), 16);
	ASSERT_STREQ(buf, "order0 [around]\n");
	ASSERT_EQ(vm_knob_write(MADV_FREE_SPLIT_KNOB, "half"), -EINVAL);
	ASSERT_EQ(vm_knob_write(MADV_FREE_SPLIT_KNOB, "order0 around"), -EINVAL);
	for (int around = 0; around < 2; around++) {
		ASSERT_EQ(vm_knob_write(MADV_FREE_SPLIT_KNOB, around ? "around\n" : "order0"),
			  around ? 7 : 6);
		vm_knob_read(MADV_FREE_SPLIT_KNOB, buf, sizeof(buf));
		ASSERT_STREQ(buf, around ? "order0 [around]\n" : "[order0] around\n");
		for (unsigned int c = 0; c < ARRAY_SIZE(madv_free_cases); c++) {
			const struct madv_free_case *mc = &madv_free_cases[c];
			unsigned long nr = 1UL << mc->order, covered = mc->end - mc->start;
			unsigned long lazy0 = sum_vm_event(PGLAZYFREE), split0 = sum_mthp_stat(mc->order, MTHP_STAT_SPLIT);
			struct mm_struct *mm = split_mm(mc->order, SZ_2M);
			struct folio *folio = fault_filled(mm, VM_BASE);
			unsigned long redirty = VM_BASE + PG(mc->start), kept, free0;

			ASSERT_TRUE(folio && folio_order(folio) == mc->order);
			ASSERT_EQ(vm_madvise(VM_BASE + PG(mc->start), PG(covered), MADV_FREE), 0);
			memmap_check();
			ASSERT_TRUE(orders_are(mm, VM_BASE, PG(nr), around ? mc->orders : zeros,
					       around ? mc->nr : (int)nr));
			ASSERT_EQ(sum_mthp_stat(mc->order, MTHP_STAT_SPLIT), split0 + 1);
			ASSERT_EQ(sum_vm_event(PGLAZYFREE), lazy0 + covered);
			for (unsigned long i = 0; i < nr; i++) {
				pte_t pte = vm_pte(mm, VM_BASE + PG(i));
				bool in = i >= mc->start && i < mc->end;

				ASSERT_EQ(folio_test_lazyfree(vm_folio_at(mm, VM_BASE + PG(i))), in);
				ASSERT_EQ(pte_dirty(pte), !in);
				ASSERT_TRUE(page_intact(pfn_to_page(pte_pfn(pte))));
			}
			/* A write to a covered page: its piece is kept, with the write. */
			kept = folio_nr_pages(vm_folio_at(mm, redirty));
			ASSERT_EQ(vm_user_write(mm, redirty, 0xaa), VM_FAULT_OK);
			free0 = nr_free_pages();
			ASSERT_EQ(vm_knob_write(RECLAIM_KNOB, "all"), 3);
			ASSERT_EQ(nr_free_pages(), free0 + covered - kept);
			ASSERT_EQ(vm_user_read(mm, redirty), 0xaa);
			for (unsigned long i = 0; i < nr; i++) {
				pte_t pte = vm_pte(mm, VM_BASE + PG(i));
				bool freed = i >= mc->start + kept && i < mc->end;

				ASSERT_EQ(pte_none(pte), freed);
				if (!freed && VM_BASE + PG(i) != redirty)
					ASSERT_TRUE(page_intact(pfn_to_page(pte_pfn(pte))));
			}
			memmap_check();
			vm_mm_put(mm);
			ASSERT_EQ(nr_free_pages(), vm_free_start);
		}
	}
	return true;
}

/*
 * A folio MADV_FREE covers in part but someone else holds (an extra
 * reference): the split fails (-EBUSY, counted in split_failed), the folio
 * keeps its order and is skipped; the whole folio beside it is lazyfreed.
 */
static bool test_madv_free_partial_busy_skipped(void)
{
	struct mm_struct *mm;
	struct folio *first, *second;

	vm_setup();
	mm = split_mm(4, PG(32));
	first = fault_filled(mm, VM_BASE);
	second = fault_filled(mm, VM_BASE + PG(16));
	ASSERT_TRUE(first && second);
	folio_get(first);
	ASSERT_EQ(vm_madvise(VM_BASE + PG(8), PG(24), MADV_FREE), 0);
	ASSERT_EQ(sum_mthp_stat(4, MTHP_STAT_SPLIT_FAILED), 1);
	ASSERT_EQ(sum_mthp_stat(4, MTHP_STAT_SPLIT), 0);
	ASSERT_EQ(folio_order(first), 4);
	ASSERT_FALSE(folio_test_lazyfree(first));
	ASSERT_TRUE(folio_test_lazyfree(second));
	ASSERT_EQ(sum_vm_event(PGLAZYFREE), 16);
	folio_put(first);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/*
 * One round of the MADV_FREE test, alternately under order0 and around:
 * MADV_FREE part of the folio (one page, or for order 2 the middle two),
 * reclaim frees exactly the covered pages, the others keep their data,
 * refault the covered ones.
 */
static bool madv_free_round(struct mm_struct *mm, struct folio *folio, unsigned int k,
			    unsigned int round)
{
	unsigned long nr = 1UL << k, free_mapped = nr_free_pages();
	unsigned long start = k == 2 && round % 3 == 2 ? 1 : round % nr;
	unsigned long end = k == 2 && round % 3 == 2 ? 3 : start + 1;

	(void)folio;
	ASSERT_EQ(vm_knob_write(MADV_FREE_SPLIT_KNOB, round % 2 ? "order0" : "around"), 6);
	ASSERT_EQ(vm_madvise(VM_BASE + PG(start), PG(end - start), MADV_FREE), 0);
	memmap_check();
	ASSERT_EQ(vm_knob_write(RECLAIM_KNOB, "all"), 3);
	memmap_check();
	ASSERT_EQ(nr_free_pages(), free_mapped + end - start);
	for (unsigned long i = 0; i < nr; i++) {
		pte_t pte = vm_pte(mm, VM_BASE + PG(i));

		ASSERT_EQ(pte_none(pte), i >= start && i < end);
		if (!pte_none(pte))
			ASSERT_TRUE(page_intact(pfn_to_page(pte_pfn(pte))));
	}
	for (unsigned long i = start; i < end; i++)
		ASSERT_TRUE(fault_filled(mm, VM_BASE + PG(i)) != NULL);	/* refault */
	return true;
}

/*
 * The RFC's bug made impossible under MADV_FREE: order-1 and order-2 folios
 * partially MADV_FREE'd and reclaimed RFC_ROUNDS times each between watched
 * neighbours (neighbour_rounds), one split per round.
 */
static bool test_madv_free_split_order1_order2_neighbours(void)
{
	if (!neighbour_rounds(madv_free_round))
		return false;
	ASSERT_EQ(sum_mthp_stat(1, MTHP_STAT_SPLIT) + sum_mthp_stat(2, MTHP_STAT_SPLIT), 2 * RFC_ROUNDS);
	return true;
}

/* ---- underused folios: zero pages remapped to the zero page and freed ---- */

/*
 * Set the underused knobs: shrink_underused directly (the host has no
 * data-pointer files; the guest test writes it), max_ptes_none through its file.
 */
static bool set_underused_knobs(bool shrink, const char *max_ptes_none)
{
	shrink_underused = shrink;
	return vm_knob_write(THP_SYSFS_DIR "/khugepaged/max_ptes_none", max_ptes_none) ==
	       (long)strlen(max_ptes_none);
}

/*
 * A folio of order with `written` pages (every third from page 1) filled,
 * the rest zero, and the scan run with max_ptes_none 409 (threshold
 * 409 >> (9 - order)).  underused: exactly the zero pages are freed, their
 * PTEs map the zero page, the written pages keep their data,
 * thp_underused_split_page + 1; else nothing changes.  A write to a freed
 * address then faults a fresh zeroed page.
 */
static bool underused_case(unsigned int order, unsigned long written, bool underused)
{
	unsigned long nr = 1UL << order, free_before, events;
	struct mm_struct *mm;
	struct folio *folio;

	vm_setup();
	ASSERT_TRUE(set_underused_knobs(true, "409\n"));
	mm = split_mm(order, PG(nr));
	ASSERT_EQ(vm_fault(mm, VM_BASE, true), VM_FAULT_OK);
	folio = vm_folio_at(mm, VM_BASE);
	ASSERT_TRUE(folio && folio_order(folio) == order);
	ASSERT_EQ(deferred_split_count(), 1);	/* queued by the fault, not partially mapped */
	ASSERT_FALSE(folio_test_partially_mapped(folio));
	for (unsigned long i = 0; i < written; i++)
		fill_page(folio_page(folio, 1 + 3 * i));
	free_before = nr_free_pages();
	events = sum_vm_event(THP_UNDERUSED_SPLIT_PAGE);
	ASSERT_EQ(deferred_split_scan(~0UL), underused);
	ASSERT_EQ(deferred_split_count(), 0);	/* split or not, it leaves the queue */
	ASSERT_EQ(sum_vm_event(THP_UNDERUSED_SPLIT_PAGE), events + underused);
	ASSERT_EQ(nr_free_pages(), free_before + (underused ? nr - written : 0));
	ASSERT_EQ(atomic_long_read(&nr_anon_pages), underused ? written : nr);
	for (unsigned long i = 0; i < nr; i++) {
		pte_t pte = vm_pte(mm, VM_BASE + PG(i));
		bool filled = i % 3 == 1 && i / 3 < written;

		ASSERT_TRUE(pte_present(pte));
		ASSERT_EQ(pte_pfn(pte) == page_to_pfn(zero_page), underused && !filled);
		if (filled)
			ASSERT_TRUE(page_intact(pfn_to_page(pte_pfn(pte))));
	}
	if (underused) {
		ASSERT_EQ(vm_fault(mm, VM_BASE, true), VM_FAULT_OK);	/* page 0 was zero: CoW */
		ASSERT_TRUE(vm_folio_at(mm, VM_BASE) && pte_pfn(vm_pte(mm, VM_BASE)) !=
			    page_to_pfn(zero_page));
		ASSERT_TRUE(page_is_zero(pfn_to_page(pte_pfn(vm_pte(mm, VM_BASE)))));
	}
	memmap_check();
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* 64K: threshold 409 >> 5 = 12; 2M: 409.  k written pages: underused iff nr - k > threshold. */
static bool test_underused_split(void)
{
	return underused_case(4, 3, true) && underused_case(4, 4, false) &&
	       underused_case(9, 3, true) && underused_case(9, 103, false) &&
	       underused_case(9, 102, true);
}

/* A pinned underused folio is left whole and mapped (its pages may be written by DMA), and leaves the queue. */
static bool test_underused_pinned_kept(void)
{
	struct mm_struct *mm;
	struct folio *folio;
	unsigned long free_before;

	vm_setup();
	ASSERT_TRUE(set_underused_knobs(true, "409"));
	mm = split_mm(4, PG(16));
	ASSERT_EQ(vm_fault(mm, VM_BASE, true), VM_FAULT_OK);
	folio = vm_folio_at(mm, VM_BASE);
	fill_page(folio_page(folio, 3));
	folio_get(folio);	/* FOLL_PIN: a reference and _pincount */
	atomic_inc(&folio->_pincount);
	free_before = nr_free_pages();
	ASSERT_EQ(deferred_split_scan(~0UL), 0);
	ASSERT_EQ(nr_free_pages(), free_before);
	ASSERT_EQ(deferred_split_count(), 0);
	ASSERT_EQ(sum_vm_event(THP_UNDERUSED_SPLIT_PAGE), 0);
	ASSERT_EQ(folio_order(vm_folio_at(mm, VM_BASE)), 4);
	ASSERT_EQ(folio_mapcount(folio), 16);
	ASSERT_TRUE(page_intact(folio_page(folio, 3)));
	atomic_dec(&folio->_pincount);
	folio_put(folio);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* shrink_underused 0, or max_ptes_none 511 (the default): the fault queues nothing, the scan splits nothing. */
static bool test_underused_off(void)
{
	static const struct { bool shrink; const char *max_ptes_none; } knobs[] = {
		{ false, "409" }, { true, "511" },
	};
	const char *none = THP_SYSFS_DIR "/khugepaged/max_ptes_none";

	ASSERT_EQ(vm_knob_write(none, "512"), -EINVAL);
	ASSERT_EQ(vm_knob_write(none, "-1"), -EINVAL);
	ASSERT_EQ(vm_knob_write(none, "4x"), -EINVAL);
	for (unsigned int k = 0; k < 2; k++) {
		struct mm_struct *mm;
		unsigned long free_before;

		vm_setup();
		ASSERT_TRUE(set_underused_knobs(knobs[k].shrink, knobs[k].max_ptes_none));
		mm = split_mm(4, PG(16));
		ASSERT_EQ(vm_fault(mm, VM_BASE, true), VM_FAULT_OK);
		ASSERT_EQ(deferred_split_count(), 0);
		free_before = nr_free_pages();
		ASSERT_EQ(deferred_split_scan(~0UL), 0);
		ASSERT_EQ(nr_free_pages(), free_before);
		ASSERT_EQ(folio_order(vm_folio_at(mm, VM_BASE)), 4);
		vm_mm_put(mm);
	}
	return true;
}

const struct hostmm_test split_tests[] = {
	HOSTMM_TEST(test_split_to_every_order),
	HOSTMM_TEST(test_folio_split_shapes),
	HOSTMM_TEST(test_split_einval),
	HOSTMM_TEST(test_split_after_fork),
	HOSTMM_TEST(test_split_busy),
	HOSTMM_TEST(test_deferred_split_frees_unmapped),
	HOSTMM_TEST(test_deferred_split_largest_pieces),
	HOSTMM_TEST(test_split_range_knob),
	HOSTMM_TEST(test_split_order1_order2_neighbours),
	HOSTMM_TEST(test_madv_free_partial_split),
	HOSTMM_TEST(test_madv_free_partial_busy_skipped),
	HOSTMM_TEST(test_madv_free_split_order1_order2_neighbours),
	HOSTMM_TEST(test_underused_split),
	HOSTMM_TEST(test_underused_off),
	HOSTMM_TEST(test_underused_pinned_kept),
	{ NULL, NULL },
};
