/*
 * test_reclaim.c - MADV_FREE (mm/madvise.c) and reclaim (mm/vmscan.c).
 * MADV_FREE: whole folios of every order keep their order, their PTEs turn
 * clean and old in one batch, they move to the inactive file list and count
 * in pglazyfree (folios the range covers only in part are split first:
 * test_split.c); the argument checks are Linux's.  Reclaim: a clean lazyfree
 * folio is freed (pages back in the buddy allocator, PTEs none, reads see
 * zeros); one written again, through the MMU or through the write fault of
 * an MMU without dirty tracking, is kept whole with its data and is normal
 * anon memory again; references age folios exactly as Linux's
 * folio_check_references says; a folio someone else holds stays; the
 * reclaim knob's formats; direct reclaim from an allocation at the min
 * watermark; kswapd's wake-up below low, its run to high, and its giving
 * up; the shrinkers after the lists, the deferred-split one freeing the
 * unmapped pages of a partially mapped folio.
 */
#include "tools/hostmm/hostmm_vm.h"

#define RECLAIM_KNOB	FOLIO_SYSFS_DIR "/reclaim"

/* Fault [start, start + len) in by writing one byte per page: value i + 1 at page i. */
static bool write_pages(struct mm_struct *mm, unsigned long start, unsigned long len)
{
	for (unsigned long i = 0; i < len >> PAGE_SHIFT; i++)
		ASSERT_EQ(vm_user_write(mm, start + PG(i), (unsigned char)(i + 1)), VM_FAULT_OK);
	return true;
}

/* Every PTE of [start, start + nr pages) is present, clean and old (dirty: dirty instead). */
static bool ptes_clean_old(struct mm_struct *mm, unsigned long start, unsigned long nr, bool dirty)
{
	for (unsigned long i = 0; i < nr; i++) {
		pte_t pte = vm_pte(mm, start + PG(i));

		ASSERT_TRUE(pte_present(pte));
		ASSERT_EQ(pte_dirty(pte), dirty);
		ASSERT_EQ(pte_young(pte), dirty);
		ASSERT_TRUE(pte_write(pte));
	}
	return true;
}

/* Each order 0..9 alone: MADV_FREE of the whole folio keeps it whole and makes it lazyfree. */
static bool test_madv_free_whole_folios_keep_order(void)
{
	for (unsigned int order = 0; order <= MTHP_MAX_ORDER; order++) {
		unsigned long nr = 1UL << order, len = PG(nr);
		struct mm_struct *mm = vm_setup_mm(0, K(2048));
		struct folio *folio;

		vm_policy_only(order);
		if (!write_pages(mm, VM_BASE, len))
			return false;
		folio = vm_folio_at(mm, VM_BASE);
		ASSERT_EQ(folio_order(folio), order);
		ASSERT_EQ(folio_lru_list(folio), LRU_INACTIVE_ANON);
		ASSERT_EQ(vm_madvise(VM_BASE, len, MADV_FREE), 0);
		ASSERT_EQ(vm_folio_at(mm, VM_BASE), folio);
		ASSERT_EQ(folio_order(folio), order);
		ASSERT_TRUE(folio_test_lazyfree(folio));
		ASSERT_TRUE(folio_test_lru(folio));
		ASSERT_EQ(folio_lru_list(folio), LRU_INACTIVE_FILE);
		ASSERT_EQ(lruvec.nr_pages[LRU_INACTIVE_FILE], nr);
		ASSERT_EQ(lruvec.nr_pages[LRU_INACTIVE_ANON], 0);
		ASSERT_EQ(sum_vm_event(PGLAZYFREE), nr);
		ASSERT_EQ(folio_mapcount(folio), nr);
		ASSERT_EQ(folio_ref_count(folio), nr);
		if (!ptes_clean_old(mm, VM_BASE, nr, false))
			return false;
		/* Again: nothing more to do, nothing counted. */
		ASSERT_EQ(vm_madvise(VM_BASE, len, MADV_FREE), 0);
		ASSERT_EQ(sum_vm_event(PGLAZYFREE), nr);
		for (unsigned long i = 0; i < nr; i++)
			ASSERT_EQ(vm_user_read(mm, VM_BASE + PG(i)), (unsigned char)(i + 1));
		vm_mm_put(mm);
		ASSERT_EQ(nr_free_pages(), vm_free_start);
	}
	return true;
}

/* Linux's checks: EINVAL for an unaligned start or a wrapping range, ENOMEM over holes (the mapped part is done). */
static bool test_madv_free_errors(void)
{
	struct mm_struct *mm = vm_setup_mm(0, K(64));
	struct folio *folio;

	vm_policy_only(0);
	if (!write_pages(mm, VM_BASE, K(8)))
		return false;
	folio = vm_folio_at(mm, VM_BASE);
	ASSERT_EQ(vm_madvise(VM_BASE + 1, PAGE_SIZE, MADV_FREE), -EINVAL);
	ASSERT_EQ(vm_madvise(VM_BASE, -PAGE_SIZE, MADV_FREE), -EINVAL);
	ASSERT_EQ(vm_madvise(VM_BASE, 0, MADV_FREE), 0);
	ASSERT_EQ(vm_madvise(VM_BASE + K(64), PAGE_SIZE, MADV_FREE), -ENOMEM);
	ASSERT_FALSE(folio_test_lazyfree(folio));
	ASSERT_EQ(vm_madvise(VM_BASE, K(128), MADV_FREE), -ENOMEM);
	ASSERT_TRUE(folio_test_lazyfree(folio));
	ASSERT_TRUE(folio_test_lazyfree(vm_folio_at(mm, VM_BASE + PG(1))));
	/* Zero-page PTEs and none PTEs: nothing to do. */
	ASSERT_EQ(vm_user_read(mm, VM_BASE + K(16)), 0);
	ASSERT_EQ(vm_madvise(VM_BASE + K(16), K(48), MADV_FREE), 0);
	ASSERT_EQ(sum_vm_event(PGLAZYFREE), 2);
	vm_mm_put(mm);
	return true;
}

/* ---- reclaim ---- */

/* Fault a folio of `order` at VM_BASE by writing its pages, then MADV_FREE it; returns it. */
static struct folio *lazyfree_folio(struct mm_struct *mm, unsigned int order)
{
	vm_policy_only(order);
	if (!write_pages(mm, VM_BASE, PG(1UL << order)) ||
	    vm_madvise(VM_BASE, PG(1UL << order), MADV_FREE) != 0)
		return NULL;
	return vm_folio_at(mm, VM_BASE);
}

/* The knob's read-back is exactly "requested <what>\nreclaimed <n>\n". */
static bool knob_says(const char *what, unsigned long reclaimed)
{
	char buf[64], want[64];

	vm_knob_read(RECLAIM_KNOB, buf, sizeof(buf));
	snprintf(want, sizeof(want), "requested %s\nreclaimed %lu\n", what, reclaimed);
	ASSERT_STREQ(buf, want);
	return true;
}

/* A clean lazyfree folio of order 0, 4, 9 is freed by "all": every page back, nothing mapped, reads see zeros. */
static bool test_reclaim_clean_lazyfree_freed(void)
{
	static const unsigned int orders[] = { 0, 4, 9 };

	for (unsigned int t = 0; t < ARRAY_SIZE(orders); t++) {
		unsigned long nr = 1UL << orders[t];
		struct mm_struct *mm = vm_setup_mm(0, K(2048));
		unsigned long free_mapped;

		ASSERT_TRUE(lazyfree_folio(mm, orders[t]) != NULL);
		free_mapped = nr_free_pages();
		ASSERT_EQ(vm_knob_write(RECLAIM_KNOB, "all\n"), 4);
		if (!knob_says("all", nr))
			return false;
		ASSERT_EQ(nr_free_pages(), free_mapped + nr);
		ASSERT_EQ(sum_vm_event(PGLAZYFREED), nr);
		ASSERT_EQ(sum_vm_event(PGSTEAL_PROACTIVE), nr);
		ASSERT_EQ(sum_vm_event(PGSCAN_PROACTIVE), nr);
		ASSERT_EQ(atomic_long_read(&nr_anon_pages), 0);
		ASSERT_EQ(get_mm_counter(mm, MM_ANONPAGES), 0);
		for (int lru = 0; lru < NR_LRU_LISTS; lru++)
			ASSERT_EQ(lruvec.nr_pages[lru], 0);
		for (unsigned long i = 0; i < nr; i++)
			ASSERT_TRUE(pte_none(vm_pte(mm, VM_BASE + PG(i))));
		memmap_check();	/* the freed frames are clean: mapcounts -1, no flags */
		ASSERT_EQ(vm_user_read(mm, VM_BASE + PG(nr - 1)), 0);
		ASSERT_EQ(pte_pfn(vm_pte(mm, VM_BASE + PG(nr - 1))), page_to_pfn(zero_page));
		vm_mm_put(mm);
		ASSERT_EQ(nr_free_pages(), vm_free_start);
	}
	return true;
}

/*
 * MADV_PAGEOUT (Linux's reclaim_pages, no swap): a clean lazyfree folio of
 * order 0 or 4 is freed at once, young or not; a mlocked one and a normal
 * (written) anon folio stay with their data; mlocked memory refuses PAGEOUT.
 */
static bool test_pageout_frees_lazyfree_only(void)
{
	static const unsigned int orders[] = { 0, 4 };

	for (unsigned int t = 0; t < ARRAY_SIZE(orders); t++) {
		unsigned long nr = 1UL << orders[t];
		struct mm_struct *mm = vm_setup_mm(0, K(2048));
		struct folio *folio = lazyfree_folio(mm, orders[t]);
		unsigned long free_mapped = nr_free_pages();

		ASSERT_TRUE(folio != NULL);
		ASSERT_EQ(vm_user_read(mm, VM_BASE), 1);	/* young again: PAGEOUT ignores it */
		ASSERT_EQ(vm_madvise(VM_BASE, PG(nr), MADV_PAGEOUT), 0);
		ASSERT_EQ(nr_free_pages(), free_mapped + nr);
		ASSERT_EQ(sum_vm_event(PGLAZYFREED), nr);
		ASSERT_EQ(get_mm_counter(mm, MM_ANONPAGES), 0);
		for (int lru = 0; lru < NR_LRU_LISTS; lru++)
			ASSERT_EQ(lruvec.nr_pages[lru], 0);
		ASSERT_EQ(vm_user_read(mm, VM_BASE + PG(nr - 1)), 0);

		/* Written memory: no swap, it stays. */
		ASSERT_TRUE(write_pages(mm, VM_BASE + K(64), PG(nr)));
		free_mapped = nr_free_pages();
		ASSERT_EQ(vm_madvise(VM_BASE + K(64), PG(nr), MADV_PAGEOUT), 0);
		ASSERT_EQ(nr_free_pages(), free_mapped);
		ASSERT_EQ(vm_user_read(mm, VM_BASE + K(64) + PG(nr - 1)), (int)nr);

		/* Lazyfree, then mlocked: PAGEOUT refuses; reclaim keeps it. */
		ASSERT_EQ(vm_madvise(VM_BASE + K(64), PG(nr), MADV_FREE), 0);
		ASSERT_EQ(vm_mlock2(VM_BASE + K(64), PG(nr), 0), 0);
		ASSERT_EQ(vm_madvise(VM_BASE + K(64), PG(nr), MADV_PAGEOUT), -EINVAL);
		ASSERT_EQ(vm_knob_write(RECLAIM_KNOB, "all\n"), 4);
		if (!knob_says("all", 0))
			return false;
		ASSERT_EQ(nr_free_pages(), free_mapped);
		ASSERT_EQ(vm_user_read(mm, VM_BASE + K(64) + PG(nr - 1)), (int)nr);
		ASSERT_EQ(sum_vm_event(PGLAZYFREED), nr);
		vm_mm_put(mm);
		ASSERT_EQ(nr_free_pages(), vm_free_start);
	}
	return true;
}

/*
 * Written again after MADV_FREE, through the MMU (x86_64: the CPU sets D) or
 * through the write fault of an MMU that leaves dirty to software: reclaim
 * keeps the whole folio with its data, normal anon memory again.
 */
static bool test_reclaim_redirtied_folio_kept(void)
{
	for (int through_fault = 0; through_fault < 2; through_fault++) {
		struct mm_struct *mm = vm_setup_mm(0, K(64));
		struct folio *folio = lazyfree_folio(mm, 4);
		unsigned long free_mapped = nr_free_pages();

		ASSERT_TRUE(folio != NULL);
		if (through_fault) {
			ASSERT_EQ(vm_fault(mm, VM_BASE + PG(5), true), VM_FAULT_OK);
			ASSERT_TRUE(pte_dirty(vm_pte(mm, VM_BASE + PG(5))));
		} else {
			ASSERT_EQ(vm_user_write(mm, VM_BASE + PG(5), 0xaa), VM_FAULT_OK);
		}
		ASSERT_EQ(vm_knob_write(RECLAIM_KNOB, "all"), 3);
		if (!knob_says("all", 0))
			return false;
		ASSERT_EQ(vm_folio_at(mm, VM_BASE), folio);
		ASSERT_EQ(folio_order(folio), 4);
		ASSERT_FALSE(folio_test_lazyfree(folio));
		ASSERT_EQ(folio_lru_list(folio), LRU_ACTIVE_ANON);
		ASSERT_EQ(lruvec.nr_pages[LRU_ACTIVE_ANON], 16);
		ASSERT_EQ(sum_vm_event(PGLAZYFREED), 0);
		ASSERT_EQ(nr_free_pages(), free_mapped);
		for (unsigned long i = 0; i < 16; i++)
			ASSERT_EQ(vm_user_read(mm, VM_BASE + PG(i)),
				  i == 5 && !through_fault ? 0xaa : (unsigned char)(i + 1));
		vm_mm_put(mm);
	}
	return true;
}

/*
 * Aging, counted exactly (one direct reclaim run, priorities 12 down: a
 * 64K folio is first looked at at priority 4).  Read once after MADV_FREE:
 * kept at the first look (PG_referenced), freed at the second.  Read in
 * two processes: activated at the first look, deactivated by the active
 * list's aging, freed at the next look.
 */
static bool test_reclaim_referenced_aging(void)
{
	struct mm_struct *mm = vm_setup_mm(0, K(64)), *child;

	ASSERT_TRUE(lazyfree_folio(mm, 4) != NULL);
	ASSERT_EQ(vm_user_read(mm, VM_BASE + PG(3)), 4);
	ASSERT_EQ(try_to_free_pages(GFP_HIGHUSER_MOVABLE, 0), 16);
	ASSERT_EQ(sum_vm_event(ALLOCSTALL_NORMAL), 1);
	ASSERT_EQ(sum_vm_event(PGSCAN_DIRECT), 32);
	ASSERT_EQ(sum_vm_event(PGSTEAL_DIRECT), 16);
	ASSERT_EQ(sum_vm_event(PGACTIVATE), 0);
	vm_mm_put(mm);

	mm = vm_setup_mm(0, K(64));
	ASSERT_TRUE(lazyfree_folio(mm, 4) != NULL);
	child = vm_mm_dup(mm);
	ASSERT_EQ(vm_user_read(mm, VM_BASE), 1);
	ASSERT_EQ(vm_user_read(child, VM_BASE + PG(15)), 16);
	ASSERT_EQ(try_to_free_pages(GFP_HIGHUSER_MOVABLE, 0), 16);
	ASSERT_EQ(sum_vm_event(PGSCAN_DIRECT), 32);
	ASSERT_EQ(sum_vm_event(PGACTIVATE), 16);
	ASSERT_EQ(sum_vm_event(PGREFILL), 16);
	ASSERT_EQ(sum_vm_event(PGDEACTIVATE), 16);
	ASSERT_EQ(sum_vm_event(PGSTEAL_DIRECT), 16);
	ASSERT_TRUE(pte_none(vm_pte(mm, VM_BASE)) && pte_none(vm_pte(child, VM_BASE)));
	vm_mm_put(child);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* A folio someone else holds a reference to (a CoW fault copying from it) is not freed under them. */
static bool test_reclaim_extra_reference_kept(void)
{
	struct mm_struct *mm = vm_setup_mm(0, K(64));
	struct folio *folio = lazyfree_folio(mm, 4);

	ASSERT_TRUE(folio != NULL);
	folio_get(folio);
	ASSERT_EQ(vm_knob_write(RECLAIM_KNOB, "16"), -EAGAIN);
	if (!knob_says("16", 0))
		return false;
	ASSERT_EQ(vm_folio_at(mm, VM_BASE), folio);
	ASSERT_TRUE(folio_test_lazyfree(folio));
	folio_put(folio);
	ASSERT_EQ(vm_knob_write(RECLAIM_KNOB, "16"), 2);
	if (!knob_says("16", 16))
		return false;
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* Knob words: "all", a decimal count, a trailing newline; anything else EINVAL. */
static bool test_reclaim_knob_format(void)
{
	vm_setup();
	if (!knob_says("0", 0))
		return false;
	ASSERT_EQ(vm_knob_write(RECLAIM_KNOB, ""), -EINVAL);
	ASSERT_EQ(vm_knob_write(RECLAIM_KNOB, "12x"), -EINVAL);
	ASSERT_EQ(vm_knob_write(RECLAIM_KNOB, "All"), -EINVAL);
	ASSERT_EQ(vm_knob_write(RECLAIM_KNOB, "-1"), -EINVAL);
	ASSERT_EQ(vm_knob_write(RECLAIM_KNOB, "99999999999999999999"), -EINVAL);
	ASSERT_EQ(vm_knob_write(RECLAIM_KNOB, "0\n"), 2);
	ASSERT_EQ(vm_knob_write(RECLAIM_KNOB, "5"), -EAGAIN);
	return knob_says("5", 0);
}

/* A fault's allocation at the min watermark reclaims the lazyfree folio and succeeds. */
static bool test_reclaim_direct_from_fault(void)
{
	struct mm_struct *mm = vm_setup_mm(0, K(128));

	ASSERT_TRUE(lazyfree_folio(mm, 4) != NULL);
	vm_policy_only(0);
	drain_leaving(min_wmark_pages(&zone_normal));
	ASSERT_EQ(nr_free_pages(), min_wmark_pages(&zone_normal));
	ASSERT_EQ(vm_user_write(mm, VM_BASE + K(64), 7), VM_FAULT_OK);
	ASSERT_EQ(sum_vm_event(ALLOCSTALL_NORMAL), 1);
	ASSERT_EQ(sum_vm_event(PGLAZYFREED), 16);
	ASSERT_EQ(sum_vm_event(PGSTEAL_DIRECT), 16);
	ASSERT_EQ(nr_free_pages(), min_wmark_pages(&zone_normal) + 15);
	undrain_all();
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/*
 * kswapd: an allocation that takes free frames below the low watermark wakes
 * it; its run reclaims to the high watermark; after MAX_RECLAIM_RETRIES runs
 * that found nothing it is not woken, until some reclaim frees something.
 */
static bool test_reclaim_kswapd(void)
{
	struct mm_struct *mm = vm_setup_mm(0, K(2048));
	unsigned long low = low_wmark_pages(&zone_normal), high = high_wmark_pages(&zone_normal);
	struct page *page;

	ASSERT_TRUE(lazyfree_folio(mm, 9) != NULL);
	drain_leaving(low);
	ASSERT_FALSE(kswapd_wanted);
	page = alloc_pages(GFP_HIGHUSER_MOVABLE, 0);
	ASSERT_TRUE(page != NULL);
	ASSERT_TRUE(kswapd_wanted);
	ASSERT_EQ(balance_pgdat(), 512);
	ASSERT_TRUE(nr_free_pages() >= high);
	ASSERT_EQ(sum_vm_event(PAGEOUTRUN), 1);
	ASSERT_EQ(sum_vm_event(PGSCAN_KSWAPD), 512);
	ASSERT_EQ(sum_vm_event(PGSTEAL_KSWAPD), 512);
	ASSERT_EQ(sum_vm_event(ALLOCSTALL_NORMAL), 0);
	free_pages(page, 0);

	/* Nothing reclaimable below low: hopeless after 16 runs. */
	undrain_all();
	drain_leaving(low - 1);
	for (int i = 0; i < MAX_RECLAIM_RETRIES; i++)
		ASSERT_EQ(balance_pgdat(), 0);
	kswapd_wanted = false;
	vm_policy_only(4);
	if (!write_pages(mm, VM_BASE, K(64)))
		return false;
	ASSERT_FALSE(kswapd_wanted);
	/* Direct reclaim frees something: kswapd is worth waking again. */
	ASSERT_EQ(vm_madvise(VM_BASE, K(64), MADV_FREE), 0);
	ASSERT_EQ(try_to_free_pages(GFP_HIGHUSER_MOVABLE, 0), 16);
	page = alloc_pages(GFP_HIGHUSER_MOVABLE, 0);
	ASSERT_TRUE(page != NULL);
	ASSERT_TRUE(kswapd_wanted);
	free_pages(page, 0);
	undrain_all();
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* After the lists, the deferred-split shrinker: a 64K folio with 15 pages unmapped gives them back. */
static bool test_reclaim_deferred_split(void)
{
	struct mm_struct *mm = vm_setup_mm(0, K(64));
	unsigned long free0;

	vm_policy_only(4);
	if (!write_pages(mm, VM_BASE, K(64)))
		return false;
	ASSERT_EQ(vm_munmap(VM_BASE + PG(1), K(60)), 0);
	ASSERT_EQ(deferred_split_count(), 1);
	free0 = nr_free_pages();
	ASSERT_EQ(try_to_free_pages(GFP_HIGHUSER_MOVABLE, 0), 15);
	ASSERT_EQ(nr_free_pages(), free0 + 15);
	ASSERT_EQ(deferred_split_count(), 0);
	ASSERT_EQ(vm_order_at(mm, VM_BASE), 0);
	ASSERT_EQ(vm_user_read(mm, VM_BASE), 1);
	ASSERT_EQ(folio_lru_list(vm_folio_at(mm, VM_BASE)), LRU_INACTIVE_ANON);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* A shrinker holding 64 pages: reclaim asks it for held >> priority each pass, until 32 are free. */
static struct page *shrinker_held[64];
static unsigned long shrinker_nr;

static unsigned long test_shrinker_count(struct shrinker *s, struct shrink_control *sc)
{
	(void)s;
	(void)sc;
	return shrinker_nr;
}

static unsigned long test_shrinker_scan(struct shrinker *s, struct shrink_control *sc)
{
	unsigned long freed = 0;

	(void)s;
	while (freed < sc->nr_to_scan && shrinker_nr) {
		free_pages(shrinker_held[--shrinker_nr], 0);
		freed++;
	}
	return freed;
}

static bool test_reclaim_shrinker(void)
{
	static struct shrinker s = { .name = "test", .count_objects = test_shrinker_count,
				     .scan_objects = test_shrinker_scan };

	vm_setup();
	for (shrinker_nr = 0; shrinker_nr < ARRAY_SIZE(shrinker_held); shrinker_nr++)
		shrinker_held[shrinker_nr] = alloc_pages(GFP_KERNEL, 0);
	shrinker_register(&s);
	/* held >> priority at priorities 6..1 of 64, 63, 62, 59, 52, 39 held: 1 + 1 + 3 + 7 + 13 + 19. */
	ASSERT_EQ(try_to_free_pages(GFP_HIGHUSER_MOVABLE, 0), 44);
	ASSERT_EQ(shrinker_nr, 20);
	ASSERT_EQ(vm_knob_write(RECLAIM_KNOB, "all"), 3);
	ASSERT_EQ(shrinker_nr, 0);
	if (!knob_says("all", 20))
		return false;
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/*
 * The order reclaim frees in: clean lazyfree folios (the LRU lists, from
 * priority 4 for 64K folios) before the deferred-split shrinker (queue >>
 * priority: from priority 1 here), which splits the partially mapped folio
 * B and then the underused one C (max_ptes_none 409: 64K threshold 12).
 * Two lazyfree 64K folios satisfy a direct reclaim (32 pages) alone: B and
 * C are untouched; the next reclaim frees B's 15 unmapped pages and C's 15
 * zero pages (now the zero page's PTEs), C's written byte kept.
 */
static bool test_reclaim_order_underused_last(void)
{
	struct mm_struct *mm = vm_setup_mm(0, K(256));
	unsigned long free0, events = sum_vm_event(THP_UNDERUSED_SPLIT_PAGE);
	const unsigned long b = VM_BASE + K(128), c = VM_BASE + K(192);

	ASSERT_EQ(vm_knob_write(THP_SYSFS_DIR "/khugepaged/max_ptes_none", "409"), 3);
	vm_policy_only(4);
	if (!write_pages(mm, VM_BASE, K(192)))
		return false;
	ASSERT_EQ(vm_user_write(mm, c + PG(5), 0x5a), VM_FAULT_OK);
	ASSERT_EQ(vm_madvise(VM_BASE, K(128), MADV_FREE), 0);
	ASSERT_EQ(vm_munmap(b + PG(1), K(60)), 0);
	ASSERT_EQ(deferred_split_count(), 4);	/* every 64K folio: queued at its fault */
	free0 = nr_free_pages();
	ASSERT_EQ(try_to_free_pages(GFP_HIGHUSER_MOVABLE, 0), 32);
	ASSERT_EQ(nr_free_pages(), free0 + 32);
	ASSERT_EQ(sum_vm_event(PGLAZYFREED), 32);
	ASSERT_EQ(deferred_split_count(), 2);	/* the lazyfree folios left it when unmapped */
	ASSERT_EQ(vm_order_at(mm, b), 4);
	ASSERT_EQ(vm_order_at(mm, c), 4);
	ASSERT_EQ(sum_vm_event(THP_UNDERUSED_SPLIT_PAGE), events);

	ASSERT_EQ(try_to_free_pages(GFP_HIGHUSER_MOVABLE, 0), 30);
	ASSERT_EQ(nr_free_pages(), free0 + 62);
	ASSERT_EQ(deferred_split_count(), 0);
	ASSERT_EQ(sum_vm_event(THP_UNDERUSED_SPLIT_PAGE), events + 1);
	ASSERT_EQ(vm_order_at(mm, b), 0);
	ASSERT_EQ(vm_user_read(mm, b), 33);	/* page 32 of write_pages */
	ASSERT_EQ(vm_user_read(mm, c + PG(5)), 0x5a);
	for (unsigned long i = 0; i < 16; i++)
		ASSERT_EQ(pte_pfn(vm_pte(mm, c + PG(i))) == page_to_pfn(zero_page), i != 5);
	ASSERT_EQ(vm_user_read(mm, c), 0);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

const struct hostmm_test reclaim_tests[] = {
	HOSTMM_TEST(test_madv_free_whole_folios_keep_order),
	HOSTMM_TEST(test_madv_free_errors),
	HOSTMM_TEST(test_reclaim_clean_lazyfree_freed),
	HOSTMM_TEST(test_pageout_frees_lazyfree_only),
	HOSTMM_TEST(test_reclaim_redirtied_folio_kept),
	HOSTMM_TEST(test_reclaim_referenced_aging),
	HOSTMM_TEST(test_reclaim_extra_reference_kept),
	HOSTMM_TEST(test_reclaim_knob_format),
	HOSTMM_TEST(test_reclaim_direct_from_fault),
	HOSTMM_TEST(test_reclaim_kswapd),
	HOSTMM_TEST(test_reclaim_deferred_split),
	HOSTMM_TEST(test_reclaim_shrinker),
	HOSTMM_TEST(test_reclaim_order_underused_last),
	{ NULL, NULL },
};
