/*
 * test_soft_dirty.c - soft-dirty tracking (mm/soft_dirty.c, docs/mm/soft-dirty.md):
 * clear_refs 4 on 64K and PMD-mapped folios and the reusing fault after it (no copy,
 * the folio kept), mprotect, mremap, fork, pins and VMA merges; and a random sequence
 * of writes, reads, clears, mprotects, MADV_DONTNEED and forks against a model of
 * "written since the last clear", checked page by page after every step together
 * with the rule that keeps writes from going unseen: in a tracking VMA (VM_SOFTDIRTY
 * clear) every writable entry is soft-dirty.  The host runs x86_64's entry format:
 * no contiguous blocks, so every page is tracked on its own.
 */
#include <stdlib.h>
#include "tools/hostmm/hostmm_vm.h"
#include "mm/gup.h"
#include "mm/soft_dirty.h"

#define NR	16	/* pages of a 64K folio */

static void clear_refs(struct mm_struct *mm)
{
	mmap_write_lock(mm);
	clear_refs_soft_dirty(mm);
	mmap_write_unlock(mm);
}

/* How many of the n pages from addr have a soft-dirty entry (PTE, or the PMD block's bits). */
static unsigned long soft_dirty_pages(struct mm_struct *mm, unsigned long addr, unsigned long n)
{
	unsigned long c = 0;

	for (unsigned long i = 0; i < n; i++)
		c += pte_soft_dirty(vm_pte(mm, addr + PG(i)));
	return c;
}

/* How many of the n pages from addr are mapped writable. */
static unsigned long writable_pages(struct mm_struct *mm, unsigned long addr, unsigned long n)
{
	unsigned long c = 0;

	for (unsigned long i = 0; i < n; i++)
		c += pte_write(vm_pte(mm, addr + PG(i)));
	return c;
}

/* The tracking rule over mm's VMAs: in one without VM_SOFTDIRTY, no writable entry lacks the bit. */
static bool writable_implies_soft_dirty(struct mm_struct *mm)
{
	struct list_head *pos;

	list_for_each(pos, &mm->mmap) {
		struct vm_area_struct *vma = list_entry(pos, struct vm_area_struct, vm_list);

		for (unsigned long a = vma->vm_start; vma_soft_dirty_enabled(vma) && a < vma->vm_end; a += PAGE_SIZE) {
			pte_t pte = vm_pte(mm, a);

			if (pte_present(pte) && pte_write(pte) && !pte_soft_dirty(pte)) {
				test_fail(__FILE__, __LINE__, "%#lx writable and not soft-dirty", a);
				return false;
			}
		}
	}
	return true;
}

/* The end of a test: the tracking rule and the rmap hold, and releasing mm frees every page. */
static bool release_checked(struct mm_struct *mm)
{
	ASSERT_TRUE(writable_implies_soft_dirty(mm));
	debug_vm_check_mm_rmap(mm);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* A 64K folio: clear_refs 4 write-protects and cleans it; each write is one reuse of its page. */
static bool test_soft_dirty_64k_clear_and_reuse(void)
{
	struct folio *folio;
	struct mm_struct *mm = vm_setup_64k_folio(&folio);
	unsigned long free0;

	ASSERT_TRUE(vm_vma(mm, VM_BASE)->vm_flags & VM_SOFTDIRTY);
	ASSERT_EQ(soft_dirty_pages(mm, VM_BASE, NR), NR);
	clear_refs(mm);
	ASSERT_FALSE(vm_vma(mm, VM_BASE)->vm_flags & VM_SOFTDIRTY);
	ASSERT_EQ(soft_dirty_pages(mm, VM_BASE, NR), 0);
	ASSERT_EQ(writable_pages(mm, VM_BASE, NR), 0);
	ASSERT_EQ(vm_user_read(mm, VM_BASE + PG(6)), 'g');
	ASSERT_EQ(soft_dirty_pages(mm, VM_BASE, NR), 0);
	free0 = nr_free_pages();
	vm_event_states[0].event[COW_FAULT] = vm_event_states[0].event[COW_REUSE] = 0;
	ASSERT_EQ(vm_user_write(mm, VM_BASE + PG(5), 'Z'), VM_FAULT_OK);
	ASSERT_EQ(sum_vm_event(COW_FAULT), 1);
	ASSERT_EQ(sum_vm_event(COW_REUSE), 1);
	ASSERT_TRUE(pte_soft_dirty(vm_pte(mm, VM_BASE + PG(5))) && pte_write(vm_pte(mm, VM_BASE + PG(5))));
	ASSERT_EQ(soft_dirty_pages(mm, VM_BASE, NR), 1);
	ASSERT_EQ(writable_pages(mm, VM_BASE, NR), 1);
	ASSERT_EQ(vm_user_write(mm, VM_BASE + PG(6), 'Y'), VM_FAULT_OK);
	ASSERT_EQ(sum_vm_event(COW_REUSE), 2);
	ASSERT_EQ(soft_dirty_pages(mm, VM_BASE, NR), 2);
	ASSERT_EQ(nr_free_pages(), free0);
	ASSERT_TRUE(vm_folio_at(mm, VM_BASE) == folio && folio_order(folio) == 4);
	ASSERT_EQ(folio_mapcount(folio), NR);
	ASSERT_EQ(vm_user_read(mm, VM_BASE + PG(5)), 'Z');
	ASSERT_EQ(vm_user_read(mm, VM_BASE + PG(7)), 'h');
	return release_checked(mm);
}

/* A PMD block: cleared whole, one reusing fault marks it whole; its split keeps the bit per PTE. */
static bool test_soft_dirty_pmd(void)
{
	struct mm_struct *mm = vm_setup_mm(0, K(2048));
	struct folio *folio;
	unsigned long free0;

	vm_policy_only(9);
	thp_pmd_mapping = true;
	ASSERT_EQ(vm_user_write(mm, VM_BASE, 1), VM_FAULT_OK);
	folio = vm_folio_at(mm, VM_BASE);
	ASSERT_TRUE(vm_huge_pmd(mm, VM_BASE) && pmd_soft_dirty(*vm_huge_pmd(mm, VM_BASE)));
	clear_refs(mm);
	ASSERT_FALSE(pmd_soft_dirty(*vm_huge_pmd(mm, VM_BASE)) || pmd_write(*vm_huge_pmd(mm, VM_BASE)));
	free0 = nr_free_pages();
	vm_event_states[0].event[COW_REUSE] = 0;
	ASSERT_EQ(vm_user_write(mm, VM_BASE + PG(300), 2), VM_FAULT_OK);
	ASSERT_EQ(sum_vm_event(COW_REUSE), 1);
	ASSERT_EQ(nr_free_pages(), free0);
	ASSERT_TRUE(vm_huge_pmd(mm, VM_BASE) && vm_folio_at(mm, VM_BASE) == folio);
	ASSERT_EQ(soft_dirty_pages(mm, VM_BASE, 512), 512);
	/* mprotect of one page splits the block: every PTE keeps the bit. */
	ASSERT_EQ(vm_mprotect(VM_BASE, PG(1), PROT_READ), 0);
	ASSERT_TRUE(!vm_huge_pmd(mm, VM_BASE) && vm_folio_at(mm, VM_BASE + PG(511)) == folio);
	ASSERT_EQ(soft_dirty_pages(mm, VM_BASE, 512), 512);
	clear_refs(mm);
	ASSERT_EQ(soft_dirty_pages(mm, VM_BASE, 512), 0);
	/* PROT_READ|PROT_WRITE again: nothing becomes writable behind the tracking. */
	ASSERT_EQ(vm_mprotect(VM_BASE, PG(1), PROT_READ | PROT_WRITE), 0);
	ASSERT_EQ(writable_pages(mm, VM_BASE, 512), 0);
	ASSERT_EQ(vm_user_write(mm, VM_BASE + PG(9), 3), VM_FAULT_OK);
	ASSERT_EQ(vm_user_write(mm, VM_BASE, 4), VM_FAULT_OK);
	ASSERT_EQ(soft_dirty_pages(mm, VM_BASE, 512), 2);
	ASSERT_TRUE(pte_soft_dirty(vm_pte(mm, VM_BASE + PG(9))) && pte_soft_dirty(vm_pte(mm, VM_BASE)));
	ASSERT_EQ(nr_free_pages(), free0);
	ASSERT_TRUE(vm_folio_at(mm, VM_BASE) == folio && folio_order(folio) == 9);
	return release_checked(mm);
}

/* Moved PTEs and a moved PMD block read soft-dirty; fork gives the child the parent's bits. */
static bool test_soft_dirty_mremap_fork(void)
{
	struct mm_struct *mm = vm_setup_mm(0, K(2048)), *child;

	vm_policy_only(9);
	thp_pmd_mapping = true;
	ASSERT_EQ(vm_user_write(mm, VM_BASE, 1), VM_FAULT_OK);
	ASSERT_EQ(vm_map_rw(VM_BASE + K(4096), K(64)), (long)(VM_BASE + K(4096)));
	for (unsigned int i = 0; i < NR; i++)
		ASSERT_EQ(vm_user_write(mm, VM_BASE + K(4096) + PG(i), 1), VM_FAULT_OK);
	clear_refs(mm);
	ASSERT_EQ(vm_mremap(VM_BASE, K(2048), K(2048), MREMAP_MAYMOVE | MREMAP_FIXED, VM_BASE + K(8192)),
		  (long)(VM_BASE + K(8192)));
	ASSERT_TRUE(vm_huge_pmd(mm, VM_BASE + K(8192)) != NULL);
	ASSERT_EQ(soft_dirty_pages(mm, VM_BASE + K(8192), 512), 512);
	ASSERT_EQ(vm_mremap(VM_BASE + K(4096), K(64), K(64), MREMAP_MAYMOVE | MREMAP_FIXED, VM_BASE + K(16384)),
		  (long)(VM_BASE + K(16384)));
	ASSERT_EQ(soft_dirty_pages(mm, VM_BASE + K(16384), NR), NR);
	clear_refs(mm);
	ASSERT_EQ(vm_user_write(mm, VM_BASE + K(16384) + PG(3), 2), VM_FAULT_OK);
	child = vm_mm_dup(mm);
	ASSERT_TRUE(child != NULL);
	ASSERT_EQ(soft_dirty_pages(child, VM_BASE + K(16384), NR), 1);
	ASSERT_TRUE(pte_soft_dirty(vm_pte(child, VM_BASE + K(16384) + PG(3))));
	ASSERT_EQ(soft_dirty_pages(child, VM_BASE + K(8192), 512), 0);
	ASSERT_FALSE(vm_vma(child, VM_BASE + K(8192))->vm_flags & VM_SOFTDIRTY);
	ASSERT_EQ(vm_user_write(child, VM_BASE + K(16384) + PG(7), 3), VM_FAULT_OK);
	ASSERT_EQ(soft_dirty_pages(child, VM_BASE + K(16384), NR), 2);
	ASSERT_EQ(soft_dirty_pages(mm, VM_BASE + K(16384), NR), 1);
	ASSERT_TRUE(writable_implies_soft_dirty(child));
	vm_mm_put(child);
	return release_checked(mm);
}

/* A writable page of a pinned folio is left as it is (its write fault could not copy). */
static bool test_soft_dirty_pinned_left(void)
{
	struct folio *folio;
	struct mm_struct *mm = vm_setup_64k_folio(&folio);
	struct page *page;

	mmap_write_lock(mm);
	ASSERT_EQ(pin_user_pages(mm, VM_BASE + PG(2), 1, &page), 1);
	mmap_write_unlock(mm);
	clear_refs(mm);
	ASSERT_EQ(writable_pages(mm, VM_BASE, NR), NR);
	ASSERT_EQ(soft_dirty_pages(mm, VM_BASE, NR), NR);
	unpin_user_page(page);
	clear_refs(mm);
	ASSERT_EQ(writable_pages(mm, VM_BASE, NR), 0);
	ASSERT_EQ(soft_dirty_pages(mm, VM_BASE, NR), 0);
	return release_checked(mm);
}

/* A new mapping is VM_SOFTDIRTY, and so is what it merges with. */
static bool test_soft_dirty_new_vma_merge(void)
{
	struct mm_struct *mm = vm_setup_mm(0, K(64));

	ASSERT_TRUE(vm_vma(mm, VM_BASE)->vm_flags & VM_SOFTDIRTY);
	clear_refs(mm);
	ASSERT_FALSE(vm_vma(mm, VM_BASE)->vm_flags & VM_SOFTDIRTY);
	ASSERT_EQ(vm_map_rw(VM_BASE + K(64), K(64)), (long)(VM_BASE + K(64)));
	ASSERT_EQ(mm->map_count, 1);
	ASSERT_TRUE(vm_vma(mm, VM_BASE)->vm_flags & VM_SOFTDIRTY);
	vm_mm_put(mm);
	return true;
}

/* ---- the random sequence ---- */

#define RND_PAGES	1024UL	/* 4 MiB: two PMD spans */

static bool written[RND_PAGES];	/* the model: written (or newly mapped by a write) since the last clear */
static unsigned long pfn_was[RND_PAGES];

/* The frame each page maps (0: none), to see what a fault mapped anew. */
static void snapshot_pfns(struct mm_struct *mm)
{
	for (unsigned long i = 0; i < RND_PAGES; i++) {
		pte_t pte = vm_pte(mm, VM_BASE + PG(i));

		pfn_was[i] = pte_present(pte) ? pte_pfn(pte) : 0;
	}
}

/* A user write to page i (if writable): it, a PMD block written through, every page a fault mapped anew. */
static bool rnd_write(struct mm_struct *mm, unsigned long i)
{
	bool block = vm_huge_pmd(mm, VM_BASE + PG(i)) != NULL;

	if (!(vma_lookup(mm, VM_BASE + PG(i))->vm_flags & VM_WRITE))
		return true;	/* read-only here: SIGSEGV, nothing written */
	snapshot_pfns(mm);
	ASSERT_EQ(vm_user_write(mm, VM_BASE + PG(i), (unsigned char)i), VM_FAULT_OK);
	for (unsigned long j = 0; j < RND_PAGES; j++) {
		pte_t pte = vm_pte(mm, VM_BASE + PG(j));

		if (pte_present(pte) && pte_pfn(pte) != pfn_was[j] && !is_zero_pfn(pte_pfn(pte)))
			written[j] = true;
		if (block && (j & ~511UL) == (i & ~511UL))
			written[j] = true;
	}
	written[i] = true;
	return true;
}

/* Every page as the model says; no writable entry escapes the tracking. */
static bool rnd_check(struct mm_struct *mm, unsigned long step)
{
	for (unsigned long i = 0; i < RND_PAGES; i++) {
		pte_t pte = vm_pte(mm, VM_BASE + PG(i));
		bool sd = pte_present(pte) && pte_soft_dirty(pte);

		if (sd != written[i]) {
			test_fail(__FILE__, __LINE__, "step %lu: page %lu soft-dirty %d, model %d", step, i, sd,
				  written[i]);
			return false;
		}
	}
	ASSERT_TRUE(writable_implies_soft_dirty(mm));
	debug_vm_check_mm_rmap(mm);
	return true;
}

/* A random page range [*first, *first + *n) of the window. */
static void rnd_range(unsigned long *first, unsigned long *n)
{
	*first = vm_rnd_below(RND_PAGES);
	*n = 1 + vm_rnd_below(vm_rnd_below(4) ? 16 : 600);
	if (*first + *n > RND_PAGES)
		*n = RND_PAGES - *first;
}

static bool test_soft_dirty_random(void)
{
	const char *seed = getenv("HOSTMM_SEED");
	struct mm_struct *mm = vm_setup_mm(0, PG(RND_PAGES));
	unsigned long first, n;

	vm_rng = seed ? strtoull(seed, NULL, 0) : 7;
	vm_policy(THP_ALWAYS, THP_ALWAYS);
	thp_pmd_mapping = true;
	clear_refs(mm);
	memset(written, 0, sizeof(written));
	for (unsigned long step = 0; step < 1500; step++) {
		unsigned long op = vm_rnd_below(100), i = vm_rnd_below(RND_PAGES);

		if (op < 45) {
			ASSERT_TRUE(rnd_write(mm, i));
		} else if (op < 60) {
			ASSERT_TRUE(vm_user_read(mm, VM_BASE + PG(i)) >= 0);
		} else if (op < 68) {
			clear_refs(mm);
			memset(written, 0, sizeof(written));
		} else if (op < 84) {
			rnd_range(&first, &n);
			ASSERT_EQ(vm_mprotect(VM_BASE + PG(first), PG(n),
					      vm_rnd_below(3) ? PROT_READ | PROT_WRITE : PROT_READ), 0);
		} else if (op < 92) {
			rnd_range(&first, &n);
			ASSERT_EQ(vm_madvise(VM_BASE + PG(first), PG(n), MADV_DONTNEED), 0);
			memset(&written[first], 0, n * sizeof(written[0]));
		} else {
			struct mm_struct *child = vm_mm_dup(mm);

			ASSERT_TRUE(child != NULL);
			for (unsigned long j = 0; j < RND_PAGES; j++)
				ASSERT_EQ(pte_soft_dirty(vm_pte(child, VM_BASE + PG(j))),
					  pte_soft_dirty(vm_pte(mm, VM_BASE + PG(j))));
			if (vma_lookup(child, VM_BASE + PG(i))->vm_flags & VM_WRITE)
				ASSERT_EQ(vm_user_write(child, VM_BASE + PG(i), 0xee), VM_FAULT_OK);
			ASSERT_TRUE(writable_implies_soft_dirty(child));
			vm_mm_put(child);
			vm_use(mm);
		}
		if (!rnd_check(mm, step))
			return false;
	}
	/* Every page writable again, each write a reuse or a first fault, none missed. */
	ASSERT_EQ(vm_mprotect(VM_BASE, PG(RND_PAGES), PROT_READ | PROT_WRITE), 0);
	for (unsigned long i = 0; i < RND_PAGES; i += 37)
		ASSERT_TRUE(rnd_write(mm, i));
	ASSERT_TRUE(rnd_check(mm, ~0UL));
	return release_checked(mm);
}

const struct hostmm_test soft_dirty_tests[] = {
	HOSTMM_TEST(test_soft_dirty_64k_clear_and_reuse),
	HOSTMM_TEST(test_soft_dirty_pmd),
	HOSTMM_TEST(test_soft_dirty_mremap_fork),
	HOSTMM_TEST(test_soft_dirty_pinned_left),
	HOSTMM_TEST(test_soft_dirty_new_vma_merge),
	HOSTMM_TEST(test_soft_dirty_random),
	{ NULL, NULL },
};
