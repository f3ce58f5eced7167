/*
 * test_vm_random.c - random mmap/munmap/mprotect/fault/fork/madvise/exit/split
 * sequences, with MADV_FREE, MADV_COLLAPSE, accesses through the (simulated) MMU and
 * reclaim among them, clear_refs 4 every 64 steps, on a few mms, the policy knobs and
 * memory pressure changing underneath, with the whole state checked after every step
 * (soft-dirty's rule included: in a tracking VMA every writable PTE is soft-dirty):
 * memmap_check(), debug_vm_check_mm_rmap() and the VMA tree
 * (vm_check_vma_tree) per mm, and an independent
 * recount of every PTE against each folio's refcount, mapcounts,
 * _nr_pages_mapped, partially_mapped flag and the anon counters, of
 * Committed_AS against the accounted VMAs (the overcommit mode changing
 * too), and of the LRU lists: every anon folio on exactly one list, the one
 * its flags name, nothing else on them, and each list's page count right.
 * At the end every mm is released and every page must be free again.
 *
 * HOSTMM_SEED=n picks the seed (default 1); HOSTMM_VM_STEPS the step count.
 */
#include <stdio.h>
#include <stdlib.h>
#include "tools/hostmm/hostmm_vm.h"
#include "mm/soft_dirty.h"

#define WIN_PAGES	2048UL			/* 8 MiB window: four PTE tables */
#define WIN_END		(VM_BASE + (WIN_PAGES << PAGE_SHIFT))
#define MAX_LIVE	4
#define PG_SPAN		(64UL << PAGE_SHIFT)	/* how far a split op looks for a large folio */

static struct mm_struct *live[MAX_LIVE];
static unsigned int nr_live;
/* With pmd_on, folio/pmd_mapping starts at 1 and random_policy flips it too. */
static bool pmd_on;
/* The order policy random_policy keeps (an anon_policy_id), or -1: any, changing. */
static int fixed_policy = -1;

static unsigned short pte_cnt[HOSTMM_END_PFN];
static unsigned short pmd_cnt[HOSTMM_END_PFN];	/* PMD mappings, by the folio's head PFN */
static unsigned long pmd_step_blocks;	/* PMD blocks seen, summed over the steps (coverage) */
static bool seen[HOSTMM_END_PFN];
static bool on_lru[HOSTMM_END_PFN];

/*
 * Walk the LRU lists: each folio once (on_lru[] by head PFN), flagged PG_lru,
 * on the list folio_lru_list() names; each list's nr_pages the sum of its
 * folios' pages.  Returns how many folios the lists hold.
 */
static bool check_lru_lists(unsigned long *nr_folios)
{
	memset(on_lru, 0, sizeof(on_lru));
	*nr_folios = 0;
	for (int lru = 0; lru < NR_LRU_LISTS; lru++) {
		unsigned long pages = 0;
		struct list_head *pos;

		list_for_each(pos, &lruvec.lists[lru]) {
			struct folio *folio = list_entry(pos, struct folio, lru);

			ASSERT_TRUE(folio_test_lru(folio));
			ASSERT_EQ(folio_lru_list(folio), lru);
			ASSERT_FALSE(on_lru[folio_pfn(folio)]);
			on_lru[folio_pfn(folio)] = true;
			pages += folio_nr_pages(folio);
			(*nr_folios)++;
		}
		ASSERT_EQ(lruvec.nr_pages[lru], pages);
	}
	return true;
}

/*
 * A reservation (mm/anon_reserve.c) is a partially mapped large folio whose
 * unmapped pages were never mapped: mapcount -1 and still all zero.
 */
static bool check_reservation(struct folio *folio, unsigned long step)
{
	unsigned long head = folio_pfn(folio), nr = folio_nr_pages(folio);

	if (!folio_test_reservation(folio))
		return true;
	ASSERT_TRUE(nr > 1 && folio_test_partially_mapped(folio));
	for (unsigned long i = 0; i < nr; i++) {
		if (pte_cnt[head + i] || pmd_cnt[head])
			continue;
		if (page_mapcount(folio_page(folio, i)) != 0 || !page_is_zero(folio_page(folio, i))) {
			test_fail(__FILE__, __LINE__, "step %lu: reservation pfn %#lx page %lu mapcount %d or not zero",
				  step, head, i, page_mapcount(folio_page(folio, i)));
			return false;
		}
	}
	return true;
}

/* Recount everything from the page tables and compare with the metadata. */
static bool check_world(unsigned long step)
{
	unsigned long nr_folios[MTHP_MAX_ORDER + 1] = { 0 }, partial[MTHP_MAX_ORDER + 1] = { 0 };
	unsigned long anon_pages = 0, nr_partial = 0, accounted = 0, lru_folios, mapped_folios = 0;
	unsigned long thps = 0;

	memmap_check();
	if (!check_lru_lists(&lru_folios))
		return false;
	memset(pte_cnt, 0, sizeof(pte_cnt));
	memset(pmd_cnt, 0, sizeof(pmd_cnt));
	memset(seen, 0, sizeof(seen));
	for (unsigned int m = 0; m < nr_live; m++) {
		struct mm_struct *mm = live[m];
		unsigned long rss = 0;
		struct list_head *pos;

		unsigned long blocks = 0, a = 0;
		pmd_t *pmdp;

		debug_vm_check_mm_rmap(mm);
		ASSERT_FALSE(rwsem_is_locked(&mm->mmap_lock));
		if (!vm_check_vma_tree(mm, step, 8))
			return false;
		/* Each PMD block inside one VMA, with one deposited PTE table. */
		for (; (pmdp = pmd_next_huge(mm, &a, USER_PGD_ENTRIES * (1UL << pt_level_shift(0))));
		     a += PMD_SIZE, blocks++) {
			struct vm_area_struct *vma = vma_lookup(mm, a);

			ASSERT_TRUE(vma && vma->vm_start <= a && a + PMD_SIZE <= vma->vm_end);
			pmd_cnt[pmd_pfn(pmdp_get(pmdp))]++;
		}
		ASSERT_EQ(mm->nr_pgtables_deposited, blocks);
		pmd_step_blocks += blocks;
		list_for_each(pos, &mm->mmap) {
			struct vm_area_struct *vma = list_entry(pos, struct vm_area_struct, vm_list);

			if (vma->vm_flags & VM_ACCOUNT)
				accounted += (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
			for (unsigned long a = vma->vm_start; a < vma->vm_end; a += PAGE_SIZE) {
				pte_t pte = vm_pte(mm, a);

				if (pte_none(pte))
					continue;
				ASSERT_TRUE(pte_present(pte));
				if (pte_pfn(pte) == page_to_pfn(zero_page)) {
					ASSERT_FALSE(pte_write(pte));
					continue;
				}
				if (pte_write(pte))
					ASSERT_TRUE(vma->vm_flags & VM_WRITE);
				/* Soft-dirty tracking sees every write (mm/soft_dirty.h). */
				if (pte_write(pte) && vma_soft_dirty_enabled(vma))
					ASSERT_TRUE(pte_soft_dirty(pte));
				pte_cnt[pte_pfn(pte)]++;
				rss++;
			}
		}
		/* Nothing mapped outside the VMAs of the window. */
		for (unsigned long a = VM_BASE; a < WIN_END; a += PAGE_SIZE) {
			if (!vma_lookup(mm, a) && !pte_none(vm_pte(mm, a))) {
				test_fail(__FILE__, __LINE__, "step %lu: PTE outside VMAs at %#lx", step, a);
				return false;
			}
		}
		/* No PTE table that no VMA needs: munmap frees them (free_pgd_range). */
		for (unsigned long a = ALIGN_DOWN(VM_BASE, PTE_TABLE_SPAN); a < WIN_END; a += PTE_TABLE_SPAN) {
			struct vm_area_struct *vma = find_vma(mm, a);

			if (pgtable_walk(mm->pgd, a, PT_LEVELS - 1, false) &&
			    !(vma && vma->vm_start < a + PTE_TABLE_SPAN)) {
				test_fail(__FILE__, __LINE__, "step %lu: PTE table at %#lx outside the VMAs", step, a);
				return false;
			}
		}
		if (get_mm_counter(mm, MM_ANONPAGES) != rss) {
			test_fail(__FILE__, __LINE__, "step %lu: rss_anon %lu, PTEs %lu", step, get_mm_counter(mm, MM_ANONPAGES), rss);
			return false;
		}
	}
	for (unsigned long pfn = 0; pfn < HOSTMM_END_PFN; pfn++) {
		struct folio *folio;
		unsigned long nr, head, mapped = 0, total = 0;

		if (!pte_cnt[pfn])
			continue;
		folio = page_folio(pfn_to_page(pfn));
		head = folio_pfn(folio);
		if (seen[head])
			continue;
		seen[head] = true;
		nr = folio_nr_pages(folio);
		ASSERT_TRUE(folio_test_anon(folio));
		ASSERT_TRUE(on_lru[head]);
		if (!check_reservation(folio, step))
			return false;
		mapped_folios++;
		for (unsigned long i = 0; i < nr; i++) {
			if (page_mapcount(folio_page(folio, i)) != pte_cnt[head + i]) {
				test_fail(__FILE__, __LINE__, "step %lu: pfn %#lx mapcount %d, PTEs %u", step,
					  head + i, page_mapcount(folio_page(folio, i)), pte_cnt[head + i]);
				return false;
			}
			mapped += pte_cnt[head + i] != 0;
			total += pte_cnt[head + i];
		}
		ASSERT_EQ(folio_ref_count(folio), total);
		ASSERT_EQ(folio_mapcount(folio), total);
		if (nr > 1)
			ASSERT_EQ(atomic_read(&folio->_entire_mapcount) + 1, pmd_cnt[head]);
		thps += pmd_cnt[head] != 0;
		if (nr > 1) {
			ASSERT_EQ(atomic_read(&folio->_nr_pages_mapped), mapped);
			ASSERT_EQ(folio_test_partially_mapped(folio), mapped < nr);
			nr_partial += mapped < nr;
			partial[folio_order(folio)] += mapped < nr;
		}
		nr_folios[folio_order(folio)]++;
		anon_pages += mapped;	/* AnonPages counts mapped pages, as Linux */
	}
	ASSERT_EQ(atomic_long_read(&nr_anon_pages), anon_pages);
	ASSERT_EQ(atomic_long_read(&nr_anon_thps), thps);
	ASSERT_EQ(lru_folios, mapped_folios);	/* no folio on a list that nothing maps */
	ASSERT_EQ(atomic_long_read(&vm_committed_as), accounted);
	ASSERT_EQ(deferred_split_count(), nr_partial);
	for (unsigned int k = 1; k <= MTHP_MAX_ORDER; k++) {
		ASSERT_EQ(sum_mthp_stat(k, MTHP_STAT_NR_ANON), nr_folios[k]);
		ASSERT_EQ(sum_mthp_stat(k, MTHP_STAT_NR_ANON_PARTIALLY_MAPPED), partial[k]);
	}
	return true;
}

/* Folios of order above cap the fault path allocated, all sizes. */
static unsigned long fault_allocs_above(unsigned long cap)
{
	unsigned long n = 0;

	for (unsigned long k = cap + 1; k <= MTHP_MAX_ORDER; k++)
		n += sum_mthp_stat(k, MTHP_STAT_ANON_FAULT_ALLOC);
	return n;
}

/*
 * One fault at addr, and the policies' feedback decisions checked on it: what the
 * VMA's word said before the fault is obeyed.  adaptive: no fault folio above the
 * cap; reserve: no reservation made in a VMA whose reservations were reclaimed
 * (word 1, reserve.c); utilisation: no promotion in a VMA whose promotions were
 * split (word 1, utilisation.c).  *r: the fault's result; false when a check failed.
 */
static bool fault_checked(struct mm_struct *mm, unsigned long addr, unsigned int flags, int *r)
{
	struct vm_area_struct *vma = vma_lookup(mm, addr);
	unsigned long word = vma ? anon_policy_state(vma) : 0;
	unsigned long cap = anon_order_config.policy == ANON_POLICY_ADAPTIVE ? ADAPTIVE_CAP(word) : MTHP_MAX_ORDER;
	unsigned long above = fault_allocs_above(cap), made = sum_vm_event(ANON_RESERVE_ALLOC);
	unsigned long promoted = sum_vm_event(ANON_PROMOTE_COLLAPSE) + sum_vm_event(ANON_PROMOTE_COLLAPSE_FAILED);

	*r = do_page_fault(addr, flags);
	ASSERT_EQ(fault_allocs_above(cap), above);
	if (anon_order_config.policy == ANON_POLICY_RESERVE && word)
		ASSERT_EQ(sum_vm_event(ANON_RESERVE_ALLOC), made);
	if (anon_order_config.policy == ANON_POLICY_UTILISATION && word)
		ASSERT_EQ(sum_vm_event(ANON_PROMOTE_COLLAPSE) + sum_vm_event(ANON_PROMOTE_COLLAPSE_FAILED), promoted);
	return true;
}

/* Splits done, every size. */
static unsigned long mthp_split_total(void)
{
	unsigned long n = 0;

	for (unsigned int k = 1; k <= MTHP_MAX_ORDER; k++)
		n += sum_mthp_stat(k, MTHP_STAT_SPLIT);
	return n;
}

static void random_policy(void)
{
	static const enum thp_mode modes[] = { THP_ALWAYS, THP_INHERIT, THP_MADVISE, THP_NEVER };

	anon_order_config.top = modes[vm_rnd_below(3) == 2 ? 3 : vm_rnd_below(2) * 2];
	for (unsigned int k = 1; k <= MTHP_MAX_ORDER; k++)
		anon_order_config.size[k] = modes[vm_rnd_below(4)];
	anon_order_config.allow_order1 = vm_rnd_below(2);
	anon_order_config.policy = fixed_policy >= 0 ? (enum anon_policy_id)fixed_policy :
				   (enum anon_policy_id)vm_rnd_below(NR_ANON_POLICIES);
	anon_order_config.cow_policy = (enum cow_policy)vm_rnd_below(3);
	{
		static const char *const percents[] = { "1", "50", "75", "100" };

		vm_knob_write(FOLIO_SYSFS_DIR "/policy_reserve/promote_percent", percents[vm_rnd_below(4)]);
		vm_knob_write(FOLIO_SYSFS_DIR "/policy_utilisation/promote_percent", percents[vm_rnd_below(4)]);
	}
	if (pmd_on) {
		thp_pmd_mapping = vm_rnd_below(4) != 0;
		if (vm_rnd_below(2)) {	/* 2M faults often enough to meet PMD blocks */
			anon_order_config.size[MTHP_MAX_ORDER] = THP_ALWAYS;
			if (fixed_policy < 0)
				anon_order_config.policy = ANON_POLICY_LINUX;
		}
	}
	/* Strict overcommit with a limit the window can reach (12 MiB), or mode 0 or 1. */
	sysctl_overcommit_memory = (int)vm_rnd_below(3);
	sysctl_overcommit_kbytes = sysctl_overcommit_memory == OVERCOMMIT_NEVER ? 12288 : 0;
}

static unsigned long random_len(void)
{
	static const unsigned long pages[] = { 1, 2, 3, 5, 8, 16, 17, 31, 64, 100, 256, 512, 600 };

	if (pmd_on && vm_rnd_below(4) == 0)
		return (512UL << vm_rnd_below(2)) << PAGE_SHIFT;	/* whole PMD blocks */
	return pages[vm_rnd_below(ARRAY_SIZE(pages))] << PAGE_SHIFT;
}

static unsigned long random_addr(void)
{
	/* Bias towards aligned addresses so large orders fit. */
	unsigned long page = vm_rnd_below(WIN_PAGES);

	if (pmd_on && vm_rnd_below(4) == 0)
		return VM_BASE + ((page & ~511UL) << PAGE_SHIFT);
	if (vm_rnd_below(2))
		page &= ~(unsigned long)((1UL << vm_rnd_below(10)) - 1);
	return VM_BASE + (page << PAGE_SHIFT);
}

static unsigned long random_prot(void)
{
	static const unsigned long prots[] = {
		PROT_READ | PROT_WRITE, PROT_READ | PROT_WRITE, PROT_READ | PROT_WRITE,
		PROT_READ, PROT_NONE, PROT_READ | PROT_WRITE | PROT_EXEC,
	};

	return prots[vm_rnd_below(ARRAY_SIZE(prots))];
}

/* An address inside some VMA of mm (or the window when it has none). */
static unsigned long addr_in_vma(struct mm_struct *mm)
{
	unsigned long addr = vm_rnd_addr_in_vma(mm);

	return addr ? addr : random_addr();
}

static void drop_live(unsigned int i)
{
	vm_mm_put(live[i]);
	live[i] = live[--nr_live];
}

static bool vm_random(void)
{
	const char *seed = getenv("HOSTMM_SEED"), *steps_env = getenv("HOSTMM_VM_STEPS");
	unsigned long steps = steps_env ? strtoul(steps_env, NULL, 0) : 2500;
	unsigned long counts[17] = { 0 }, mremaps_ok = 0, faults_ok = 0, oom = 0, splits = 0, busy = 0;
	struct buddy_frag frag;
	bool fragmented = false;

	vm_rng = seed ? strtoull(seed, NULL, 0) : 1;
	if (!vm_rng)
		vm_rng = 1;
	vm_setup();
	pmd_step_blocks = 0;
	nr_live = 0;
	live[nr_live++] = vm_mm_new();
	live[nr_live++] = vm_mm_new();
	vm_policy(THP_ALWAYS, THP_INHERIT);
	thp_pmd_mapping = pmd_on;

	for (unsigned long step = 0; step < steps; step++) {
		unsigned int op = (unsigned int)vm_rnd_below(ARRAY_SIZE(counts)), m = (unsigned int)vm_rnd_below(nr_live);
		struct mm_struct *mm = live[m];

		vm_use(mm);
		counts[op]++;
		if (step % 64 == 63) {	/* clear_refs 4 now and then (no random draw: the sequence stays) */
			mmap_write_lock(mm);
			clear_refs_soft_dirty(mm);
			mmap_write_unlock(mm);
		}
		switch (op) {
		case 0: {	/* mmap */
			unsigned long flags = MAP_PRIVATE | MAP_ANONYMOUS;

			flags |= vm_rnd_below(8) ? MAP_FIXED : 0;
			flags |= vm_rnd_below(4) ? 0 : MAP_NORESERVE;
			if (vm_rnd_below(10) == 0)
				flags |= MAP_POPULATE;
			vm_mmap(random_addr(), random_len(), random_prot(), flags);
			break;
		}
		case 1:		/* munmap */
			vm_munmap(vm_rnd_below(2) ? addr_in_vma(mm) : random_addr(), random_len());
			break;
		case 2:		/* mprotect */
			vm_mprotect(addr_in_vma(mm), random_len(), random_prot());
			break;
		case 3:
		case 4: {	/* faults: one, or a sequential run */
			unsigned long a = addr_in_vma(mm), n = op == 3 ? 1 : 1 + vm_rnd_below(64);
			unsigned int flags = vm_rnd_below(4) ? FAULT_FLAG_WRITE : 0;

			for (unsigned long i = 0; i < n; i++) {
				int r;

				if (!fault_checked(mm, a + (i << PAGE_SHIFT), flags | FAULT_FLAG_USER, &r))
					return false;
				faults_ok += r == VM_FAULT_OK;
				oom += r == VM_FAULT_OOM;
			}
			break;
		}
		case 5:		/* fork */
			if (nr_live < MAX_LIVE) {
				struct mm_struct *child = vm_mm_dup(mm);

				if (child)
					live[nr_live++] = child;
			}
			break;
		case 6: {	/* madvise */
			static const int advice[] = { MADV_DONTNEED, MADV_DONTNEED, MADV_HUGEPAGE,
						      MADV_NOHUGEPAGE, MADV_POPULATE_WRITE, MADV_NORMAL,
						      MADV_FREE, MADV_FREE, MADV_COLLAPSE };

			vm_madvise(addr_in_vma(mm), random_len(), advice[vm_rnd_below(ARRAY_SIZE(advice))]);
			break;
		}
		case 7:		/* exit, or a new process */
			if (nr_live > 1 && vm_rnd_below(2))
				drop_live(m);
			else if (nr_live < MAX_LIVE)
				live[nr_live++] = vm_mm_new();
			break;
		case 8:
			random_policy();
			break;
		case 9:		/* memory pressure on and off */
			if (vm_rnd_below(4) == 0) {
				if (fragmented)
					buddy_unfragment(&frag);
				else
					buddy_fragment(&frag);
				fragmented = !fragmented;
			}
			break;
		case 10:	/* a lost fault race; with pmd_on, or a write at a 2M boundary */
			if (pmd_on && vm_rnd_below(2))
				do_page_fault(ALIGN_DOWN(addr_in_vma(mm), PMD_SIZE) + PMD_SIZE,
					      FAULT_FLAG_WRITE | FAULT_FLAG_USER);
			else
				vm_fault_race_inject(vm_rnd_below(2) ? "1" : "3");
			break;
		case 11: {	/* write a copy-on-write page of a forked folio */
			unsigned long a = addr_in_vma(mm);

			do_page_fault(a, FAULT_FLAG_WRITE);
			break;
		}
		case 12: {	/* split the folio mapped somewhere; sometimes with a reference too many */
			unsigned long a = addr_in_vma(mm), end = a + PG_SPAN;
			struct folio *folio = NULL;
			bool extra = vm_rnd_below(8) == 0;
			int ret;

			/* The first large folio mapped from a on, within PG_SPAN. */
			for (; a < end && !(folio && folio_test_large(folio)); a += PAGE_SIZE)
				folio = vm_folio_at(mm, a);
			if (!folio || !folio_test_large(folio))
				break;
			a -= PAGE_SIZE;
			folio_get(folio);
			if (extra)
				folio_get(folio);
			folio_lock(folio);
			switch (vm_rnd_below(3)) {
			case 0:
				ret = split_folio_to_order(folio, (unsigned int)vm_rnd_below(folio_order(folio)));
				break;
			case 1:
				ret = folio_split(folio, (unsigned int)vm_rnd_below(folio_order(folio)),
						  pfn_to_page(pte_pfn(vm_pte(mm, a))));
				break;
			default:
				ret = folio_split_unmapped(folio, SPLIT_KNOB);	/* -EINVAL when fully mapped */
				break;
			}
			folio_unlock(folio);
			if (extra)
				folio_put(folio);
			folio_put(folio);
			ASSERT_TRUE(ret == -EINVAL || ret == (extra ? -EBUSY : 0));
			splits += ret == 0;
			busy += ret == -EBUSY;
			break;
		}
		case 13: {	/* user reads and writes through the MMU (A/D bits), faulting where needed */
			unsigned long a = addr_in_vma(mm), n = 1 + vm_rnd_below(32);
			bool write = vm_rnd_below(2);

			for (unsigned long i = 0; i < n; i++) {
				if (write)
					vm_user_write(mm, a + (i << PAGE_SHIFT), (unsigned char)step);
				else
					vm_user_read(mm, a + (i << PAGE_SHIFT));
			}
			break;
		}
		case 15: {	/* mremap: in place, MAYMOVE, FIXED into the window, DONTUNMAP */
			static const unsigned long how[] = { 0, MREMAP_MAYMOVE, MREMAP_MAYMOVE | MREMAP_FIXED,
							     MREMAP_MAYMOVE | MREMAP_FIXED,
							     MREMAP_MAYMOVE | MREMAP_DONTUNMAP };
			unsigned long flags = how[vm_rnd_below(ARRAY_SIZE(how))], len = random_len();

			mremaps_ok += vm_mremap(addr_in_vma(mm), len, flags & MREMAP_DONTUNMAP ? len : random_len(),
						flags, random_addr()) >= 0;
			break;
		}
		case 14:	/* reclaim: direct, or the knob */
			if (vm_rnd_below(2))
				try_to_free_pages(GFP_HIGHUSER_MOVABLE, 0);
			else
				vm_knob_write(FOLIO_SYSFS_DIR "/reclaim", vm_rnd_below(2) ? "all" : "64");
			break;
		default:	/* run the deferred-split queue, all of it or its oldest folio */
			deferred_split_scan(vm_rnd_below(2) ? ~0UL : 1);
			break;
		}
		if (!check_world(step)) {
			size_t l = strnlen(hostmm_why, 200);

			snprintf(hostmm_why + l, sizeof(hostmm_why) - l, " (op %u, seed %llu)", op,
				 seed ? strtoull(seed, NULL, 0) : 1ULL);
			return false;
		}
	}
	if (fragmented)
		buddy_unfragment(&frag);
	while (nr_live)
		drop_live(nr_live - 1);
	{
		unsigned long large = 0, fallback = 0, deferred_split_queued = 0;

		for (unsigned int k = 1; k <= MTHP_MAX_ORDER; k++) {
			large += sum_mthp_stat(k, MTHP_STAT_ANON_FAULT_ALLOC);
			fallback += sum_mthp_stat(k, MTHP_STAT_ANON_FAULT_FALLBACK);
			deferred_split_queued += sum_mthp_stat(k, MTHP_STAT_SPLIT_DEFERRED);
		}
		printf("# test_vm_random: %lu steps, %lu faults ok (%lu OOM), %lu large folios, "
		       "%lu fallbacks, %lu deferred splits, %lu CoW (%lu reused, %lu folios copied), "
		       "%lu splits (%lu busy), "
		       "%lu queued folios split, %lu lazyfree, %lu lazyfreed pages, %lu PMD splits, "
		       "%lu PMD blocks seen over the steps, %lu mremaps done, reservations %lu made %lu filled "
		       "%lu promoted %lu broken, %lu promoting collapses (%lu failed)\n", steps, faults_ok,
		       oom, large, fallback, deferred_split_queued, sum_vm_event(COW_FAULT), sum_vm_event(COW_REUSE),
		       sum_vm_event(COW_COPY_FOLIO), splits, busy,
		       mthp_split_total() - splits, sum_vm_event(PGLAZYFREE), sum_vm_event(PGLAZYFREED),
		       sum_vm_event(THP_SPLIT_PMD), pmd_step_blocks, mremaps_ok, sum_vm_event(ANON_RESERVE_ALLOC),
		       sum_vm_event(ANON_RESERVE_FILL), sum_vm_event(ANON_RESERVE_PROMOTE), sum_vm_event(ANON_RESERVE_BREAK),
		       sum_vm_event(ANON_PROMOTE_COLLAPSE), sum_vm_event(ANON_PROMOTE_COLLAPSE_FAILED));
	}
	vm_fault_race_inject("0");
	vm_knob_write(FOLIO_SYSFS_DIR "/policy_reserve/promote_percent", "50");	/* the defaults */
	vm_knob_write(FOLIO_SYSFS_DIR "/policy_utilisation/promote_percent", "90");
	ASSERT_EQ(atomic_long_read(&nr_anon_pages), 0);
	ASSERT_EQ(atomic_long_read(&vm_committed_as), 0);
	ASSERT_EQ(deferred_split_count(), 0);
	for (int lru = 0; lru < NR_LRU_LISTS; lru++)
		ASSERT_TRUE(list_empty(&lruvec.lists[lru]) && !lruvec.nr_pages[lru]);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	ASSERT_EQ(atomic_long_read(&nr_anon_thps), 0);
	memmap_check();
	return true;
}

static bool test_vm_random(void)
{
	pmd_on = false;
	fixed_policy = -1;
	return vm_random();
}

/* The same under one order policy all along (mm/policy/), its own knobs random too. */
static bool vm_random_policy(enum anon_policy_id id)
{
	bool ok;

	pmd_on = false;
	fixed_policy = (int)id;
	ok = vm_random();
	fixed_policy = -1;
	return ok;
}

static bool test_vm_random_reserve(void)
{
	return vm_random_policy(ANON_POLICY_RESERVE);
}

static bool test_vm_random_utilisation(void)
{
	return vm_random_policy(ANON_POLICY_UTILISATION);
}

static bool test_vm_random_adaptive(void)
{
	return vm_random_policy(ANON_POLICY_ADAPTIVE);
}

/* The same under each policy of ANON_POLICY_LIST in turn (a new one is tested at once). */
static bool test_vm_random_each_policy(void)
{
	for (int id = 0; id < NR_ANON_POLICIES; id++) {
		if (!vm_random_policy((enum anon_policy_id)id))
			return false;
	}
	return true;
}

/* The same with PMD-mapped 2M folios (mm/huge_memory.c) on most of the time. */
static bool test_vm_random_pmd(void)
{
	pmd_on = true;
	return vm_random();
}

const struct hostmm_test vm_random_tests[] = {
	HOSTMM_TEST(test_vm_random),
	HOSTMM_TEST(test_vm_random_pmd),
	HOSTMM_TEST(test_vm_random_adaptive),
	HOSTMM_TEST(test_vm_random_reserve),
	HOSTMM_TEST(test_vm_random_utilisation),
	HOSTMM_TEST(test_vm_random_each_policy),
	{ NULL, NULL },
};
