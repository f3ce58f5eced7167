/*
 * test_shmem.c - shared anonymous memory on the host (mm/shmem.c): the
 * object's folios (not anonymous, one reference per PTE plus the object's,
 * per-page mapcounts found again by rmap_walk), sharing across fork both
 * ways, MADV_DONTNEED keeping the data and MADV_REMOVE punching it out,
 * mremap and mprotect keeping the sharing, SIGBUS past the object's end,
 * and a randomized sequence over two address spaces checked against a
 * model after every step.  Every test ends with all memory given back.
 */
#include "tools/hostmm/hostmm_vm.h"
#include "mm/shmem.h"

#define SHARED_ANON	(MAP_SHARED | MAP_ANONYMOUS)
#define RW		(PROT_READ | PROT_WRITE)

/* The folio mapped at addr of mm is the object's page: shmem, mapcount mapcount. */
static bool shmem_page_ok(struct mm_struct *mm, unsigned long addr, int mapcount)
{
	struct folio *folio = vm_folio_at(mm, addr);

	ASSERT_TRUE(folio != NULL);
	ASSERT_TRUE(folio_test_shmem(folio));
	ASSERT_FALSE(folio_test_anon(folio));
	ASSERT_FALSE(folio_test_lru(folio));	/* reclaim never sees it */
	ASSERT_EQ(folio_mapcount(folio), mapcount);
	ASSERT_EQ(folio_rmap_count(folio), mapcount);
	ASSERT_EQ(folio_ref_count(folio), mapcount + 1);	/* the PTEs and the object */
	return true;
}

static bool test_shmem_fork_both_ways(void)
{
	struct mm_struct *mm = vm_setup_current_mm(), *child;
	unsigned long free_before = nr_free_pages();
	long committed = atomic_long_read(&vm_committed_as), a = vm_mmap(0, PG(4), RW, SHARED_ANON), nr;

	ASSERT_TRUE(a > 0);
	ASSERT_TRUE(vm_vma(mm, (unsigned long)a)->vm_shmem != NULL);
	ASSERT_EQ(atomic_long_read(&vm_committed_as), committed + 4);	/* the object's size, charged once (shmem_acct_size) */
	ASSERT_FALSE(vm_vma(mm, (unsigned long)a)->vm_flags & VM_ACCOUNT);
	nr = vm_mmap(0, PG(4), RW, SHARED_ANON | MAP_NORESERVE);
	ASSERT_EQ(atomic_long_read(&vm_committed_as), committed + 4);	/* MAP_NORESERVE: not charged */
	ASSERT_EQ(vm_munmap((unsigned long)nr, PG(4)), 0);
	ASSERT_EQ(vm_user_read(mm, (unsigned long)a), 0);	/* a read allocates: no zero page */
	ASSERT_TRUE(shmem_page_ok(mm, (unsigned long)a, 1));
	ASSERT_EQ(vm_user_write(mm, (unsigned long)a + PG(1), 7), VM_FAULT_OK);
	ASSERT_EQ(get_mm_counter(mm, MM_SHMEMPAGES), 2);
	ASSERT_EQ(get_mm_counter(mm, MM_ANONPAGES), 0);
	ASSERT_EQ(atomic_long_read(&nr_shmem_pages), 2);
	child = vm_mm_dup(mm);
	ASSERT_TRUE(child != NULL);
	ASSERT_EQ(get_mm_counter(child, MM_SHMEMPAGES), 0);	/* shared VMAs are not copied: the child faults */
	ASSERT_EQ(vm_user_read(child, (unsigned long)a + PG(1)), 7);
	ASSERT_EQ(vm_user_write(child, (unsigned long)a + PG(2), 9), VM_FAULT_OK);
	ASSERT_EQ(vm_user_read(mm, (unsigned long)a + PG(2)), 9);
	ASSERT_TRUE(shmem_page_ok(mm, (unsigned long)a + PG(2), 2));
	ASSERT_TRUE(vm_folio_at(mm, (unsigned long)a + PG(2)) == vm_folio_at(child, (unsigned long)a + PG(2)));
	ASSERT_EQ(vm_user_write(mm, (unsigned long)a + PG(1), 8), VM_FAULT_OK);
	ASSERT_EQ(vm_user_read(child, (unsigned long)a + PG(1)), 8);
	debug_vm_check_mm_rmap(mm);
	debug_vm_check_mm_rmap(child);
	ASSERT_EQ(atomic_long_read(&vm_committed_as), committed + 4);	/* fork shares the object: no second charge */
	vm_mm_put(child);
	ASSERT_TRUE(shmem_page_ok(mm, (unsigned long)a + PG(2), 1));
	ASSERT_EQ(atomic_long_read(&nr_shmem_pages), 3);
	ASSERT_EQ(vm_munmap((unsigned long)a, PG(4)), 0);
	ASSERT_EQ(atomic_long_read(&nr_shmem_pages), 0);
	ASSERT_EQ(get_mm_counter(mm, MM_SHMEMPAGES), 0);
	ASSERT_EQ(atomic_long_read(&vm_committed_as), committed);	/* the object went with its last mapping */
	ASSERT_EQ(nr_free_pages(), free_before);
	return true;
}

static bool test_shmem_madvise(void)
{
	struct mm_struct *mm = vm_setup_current_mm();
	unsigned long free_before = nr_free_pages();
	long a = vm_mmap(0, PG(4), RW, SHARED_ANON), p = vm_mmap(0, PG(1), RW, MAP_PRIVATE | MAP_ANONYMOUS);

	for (unsigned long i = 0; i < 4; i++)
		ASSERT_EQ(vm_user_write(mm, (unsigned long)a + PG(i), (unsigned char)(1 + i)), VM_FAULT_OK);
	ASSERT_EQ(vm_madvise((unsigned long)a, PG(4), MADV_DONTNEED), 0);
	ASSERT_EQ(get_mm_counter(mm, MM_SHMEMPAGES), 0);
	ASSERT_EQ(atomic_long_read(&nr_shmem_pages), 4);	/* the object keeps its pages */
	ASSERT_EQ(vm_user_read(mm, (unsigned long)a + PG(3)), 4);
	ASSERT_EQ(vm_madvise((unsigned long)a + PG(1), PG(2), MADV_REMOVE), 0);
	ASSERT_EQ(atomic_long_read(&nr_shmem_pages), 2);
	ASSERT_EQ(vm_user_read(mm, (unsigned long)a + PG(1)), 0);
	ASSERT_EQ(vm_user_read(mm, (unsigned long)a + PG(2)), 0);
	ASSERT_EQ(vm_user_read(mm, (unsigned long)a + PG(3)), 4);
	ASSERT_EQ(vm_madvise((unsigned long)a, PG(1), MADV_FREE), -EINVAL);
	ASSERT_EQ(vm_madvise((unsigned long)a, PG(1), MADV_WIPEONFORK), -EINVAL);
	ASSERT_EQ(vm_madvise((unsigned long)p, PG(1), MADV_REMOVE), -EINVAL);
	ASSERT_EQ(vm_munmap((unsigned long)a, PG(4)), 0);
	ASSERT_EQ(vm_munmap((unsigned long)p, PG(1)), 0);
	ASSERT_EQ(atomic_long_read(&nr_shmem_pages), 0);
	ASSERT_EQ(nr_free_pages(), free_before);
	return true;
}

static bool test_shmem_mremap_mprotect_sigbus(void)
{
	struct mm_struct *mm = vm_setup_current_mm();
	unsigned long free_before = nr_free_pages();
	long a = vm_mmap(0, PG(2), RW, SHARED_ANON), b;
	struct folio *folio;

	ASSERT_EQ(vm_user_write(mm, (unsigned long)a + PG(1), 5), VM_FAULT_OK);
	folio = vm_folio_at(mm, (unsigned long)a + PG(1));
	b = vm_mremap((unsigned long)a, PG(2), PG(3), MREMAP_MAYMOVE | MREMAP_FIXED, VM_BASE);
	ASSERT_EQ(b, (long)VM_BASE);
	ASSERT_TRUE(vm_folio_at(mm, VM_BASE + PG(1)) == folio);	/* moved, not copied */
	ASSERT_TRUE(shmem_page_ok(mm, VM_BASE + PG(1), 1));
	ASSERT_EQ(vm_fault(mm, VM_BASE + PG(2), false), VM_FAULT_SIGBUS);	/* past the 2-page object */
	ASSERT_EQ(vm_mprotect(VM_BASE, PG(2), PROT_READ), 0);
	ASSERT_FALSE(pte_write(vm_pte(mm, VM_BASE + PG(1))));
	ASSERT_EQ(vm_mprotect(VM_BASE, PG(2), RW), 0);
	ASSERT_TRUE(pte_write(vm_pte(mm, VM_BASE + PG(1))));	/* the object's page: writable again */
	ASSERT_EQ(vm_mprotect(VM_BASE, PG(1), PROT_READ), 0);	/* split: both halves hold the object */
	ASSERT_EQ(mm->map_count, 2);
	ASSERT_EQ(vm_user_write(mm, VM_BASE + PG(1), 6), VM_FAULT_OK);
	ASSERT_EQ(vm_user_read(mm, VM_BASE + PG(1)), 6);
	ASSERT_EQ(vm_mprotect(VM_BASE, PG(1), RW), 0);
	ASSERT_EQ(mm->map_count, 1);	/* merged again: same object, offsets in line */
	ASSERT_EQ(vm_munmap(VM_BASE, PG(3)), 0);
	ASSERT_EQ(atomic_long_read(&nr_shmem_pages), 0);
	ASSERT_EQ(nr_free_pages(), free_before);
	return true;
}

/*
 * Random steps over one shared mapping of SH_PAGES pages seen by a parent
 * and a child (re-forked now and then): writes and reads from either,
 * DONTNEED and REMOVE of random ranges, mprotect flips; after every step
 * each page reads as the model says and every mapped folio's mapcount
 * equals what rmap_walk finds.
 */
#define SH_PAGES	16
static bool test_shmem_random(void)
{
	struct mm_struct *mm = vm_setup_current_mm(), *mms[2];
	unsigned long free_before = nr_free_pages(), a;
	unsigned char model[SH_PAGES] = { 0 };

	a = (unsigned long)vm_mmap(0, PG(SH_PAGES), RW, SHARED_ANON);
	mms[0] = mm;
	mms[1] = vm_mm_dup(mm);
	for (unsigned int step = 0; step < 3000; step++) {
		struct mm_struct *m = mms[vm_rnd_below(2)];
		unsigned long i = vm_rnd_below(SH_PAGES), n = 1 + vm_rnd_below(SH_PAGES - i);

		switch (vm_rnd_below(6)) {
		case 0:
		case 1:
			model[i] = (unsigned char)(1 + vm_rnd_below(250));
			vm_use(m);
			ASSERT_EQ(vm_mprotect(a, PG(SH_PAGES), RW), 0);
			ASSERT_EQ(vm_user_write(m, a + PG(i), model[i]), VM_FAULT_OK);
			break;
		case 2:
			vm_use(m);
			ASSERT_EQ(vm_madvise(a + PG(i), PG(n), MADV_DONTNEED), 0);
			break;
		case 3:
			vm_use(m);
			ASSERT_EQ(vm_madvise(a + PG(i), PG(n), MADV_REMOVE), 0);
			memset(&model[i], 0, n);
			break;
		case 4:
			vm_use(m);
			ASSERT_EQ(vm_mprotect(a + PG(i), PG(n), PROT_READ), 0);
			break;
		default:
			if (vm_rnd_below(8) == 0) {
				vm_mm_put(mms[1]);
				mms[1] = vm_mm_dup(mms[0]);
				ASSERT_TRUE(mms[1] != NULL);
			}
			break;
		}
		for (unsigned long p = 0; p < SH_PAGES; p++) {
			struct mm_struct *r = mms[(p + step) & 1];

			ASSERT_EQ(vm_user_read(r, a + PG(p)), model[p]);
		}
		debug_vm_check_mm_rmap(mms[0]);
		debug_vm_check_mm_rmap(mms[1]);
		ASSERT_TRUE(atomic_long_read(&nr_shmem_pages) <= SH_PAGES);
	}
	vm_mm_put(mms[1]);
	vm_use(mm);
	ASSERT_EQ(vm_munmap(a, PG(SH_PAGES)), 0);
	ASSERT_EQ(atomic_long_read(&nr_shmem_pages), 0);
	ASSERT_EQ(nr_free_pages(), free_before);
	return true;
}

const struct hostmm_test shmem_tests[] = {
	HOSTMM_TEST(test_shmem_fork_both_ways),
	HOSTMM_TEST(test_shmem_madvise),
	HOSTMM_TEST(test_shmem_mremap_mprotect_sigbus),
	HOSTMM_TEST(test_shmem_random),
	{ NULL, NULL },
};
