/*
 * pte_arch_test.c - boot tests of the arch side of the PTE stores that user
 * space cannot see: arm64's contiguous bit on the PTEs themselves across a
 * folio split (arch/arm64/contpte.c), and the I-cache sync flag
 * (PG_arch_1, arm64's PG_dcache_clean: arch/arm64/cacheflush.c) across
 * exec mappings.  On x86_64 neither exists: no PTE_CONT, the flag stays
 * clear, the counters do not move.  Each test builds its own mm (never
 * loaded), puts the configuration back and leaks no page.
 */
#include "kernel/ktest.h"
#include "mm/mm.h"
#include "mm/pgtable.h"
#include "mm/split.h"
#include "mm/thp_sysfs.h"
#include "mm/vma.h"
#include "mm/vmstat.h"
#include <uapi/errno.h>
#include <uapi/mman.h>

#define PTE_TEST_BASE	0x20000000UL	/* 512 MiB: PTE-table aligned */
#define BLOCK_LEN	(16 * PAGE_SIZE)	/* one 64K folio */
#define HAS_CONT	(CONT_PTES > 1)
#ifdef __aarch64__
#define SYNCS_ICACHE	1	/* arch_sync_icache_dcache marks folios */
#else
#define SYNCS_ICACHE	0
#endif

/* The raw PTE at addr of mm (0 when there is no table). */
static pte_t raw_pte(struct mm_struct *mm, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *ptep = pte_offset_map_lock(mm, addr, &ptl), pte = __pte(0);

	if (ptep) {
		pte = __ptep_get(ptep);
		spin_unlock(ptl);
	}
	return pte;
}

/* How many of the len / PAGE_SIZE PTEs from addr carry the contiguous bit. */
static unsigned int nr_cont(struct mm_struct *mm, unsigned long addr, unsigned long len)
{
	unsigned int n = 0;

	for (unsigned long a = addr; a < addr + len; a += PAGE_SIZE)
		n += pte_cont(raw_pte(mm, a));
	return n;
}

/* A new mm with one RW VMA of len at PTE_TEST_BASE, written whole with only order `order` enabled. */
static struct mm_struct *pte_test_mm(unsigned long len, unsigned int order)
{
	struct anon_order_config saved = anon_order_config;
	struct mm_struct *mm = mm_alloc();
	int err = -ENOMEM;

	if (!mm)
		return NULL;
	anon_order_config.top = THP_NEVER;
	for (unsigned int k = 1; k <= MTHP_MAX_ORDER; k++)
		anon_order_config.size[k] = k == order ? THP_ALWAYS : THP_NEVER;
	mmap_write_lock(mm);
	if (vma_create(mm, PTE_TEST_BASE, PTE_TEST_BASE + len,
		       VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC))
		err = populate_range(mm, PTE_TEST_BASE, PTE_TEST_BASE + len, true);
	mmap_write_unlock(mm);
	anon_order_config = saved;
	if (err) {
		mmput(mm);
		return NULL;
	}
	return mm;
}

/* A folded 64K folio split to order 0: its 16 PTEs lose PTE_CONT (one unfold), pages stay mapped. */
KTEST(contpte_split_unfolds)
{
	unsigned long before = nr_free_pages();
	unsigned long fold0 = sum_vm_event(CONTPTE_FOLD), unfold0 = sum_vm_event(CONTPTE_UNFOLD);
	struct mm_struct *mm = pte_test_mm(2 * BLOCK_LEN, 4);

	KT_ASSERT(mm);
	KT_ASSERT_EQ(sum_vm_event(CONTPTE_FOLD) - fold0, HAS_CONT ? 2 : 0);
	KT_ASSERT_EQ(nr_cont(mm, PTE_TEST_BASE, 2 * BLOCK_LEN), HAS_CONT ? 32 : 0);
	KT_ASSERT_EQ(split_huge_pages_mm(mm, PTE_TEST_BASE, PTE_TEST_BASE + BLOCK_LEN, 0, -1), 0);
	KT_ASSERT_EQ(sum_vm_event(CONTPTE_UNFOLD) - unfold0, HAS_CONT ? 1 : 0);
	KT_ASSERT_EQ(nr_cont(mm, PTE_TEST_BASE, BLOCK_LEN), 0);
	KT_ASSERT_EQ(nr_cont(mm, PTE_TEST_BASE + BLOCK_LEN, BLOCK_LEN), HAS_CONT ? 16 : 0);
	for (unsigned long a = PTE_TEST_BASE; a < PTE_TEST_BASE + BLOCK_LEN; a += PAGE_SIZE) {
		pte_t pte = raw_pte(mm, a);

		KT_ASSERT(pte_present(pte));
		KT_ASSERT_EQ(folio_order(page_folio(pfn_to_page(pte_pfn(pte)))), 0);
	}
	memmap_check();
	mmput(mm);
	KT_ASSERT_EQ(nr_free_pages(), before);
}

static bool exec_synced(struct mm_struct *mm)
{
	return folio_test_arch_1(page_folio(pfn_to_page(pte_pfn(raw_pte(mm, PTE_TEST_BASE)))));
}

static int mprotect_locked(struct mm_struct *mm, unsigned long prot)
{
	int err;

	mmap_write_lock(mm);
	err = do_mprotect(mm, PTE_TEST_BASE, PTE_TEST_BASE + PAGE_SIZE, prot);
	mmap_write_unlock(mm);
	return err;
}

/* The first exec mapping of a folio syncs it (arm64), later ones find it synced; written RW it is not. */
KTEST(icache_sync_on_first_exec_mapping)
{
	unsigned long before = nr_free_pages();
	struct mm_struct *mm = pte_test_mm(PAGE_SIZE, 0);

	KT_ASSERT(mm);
	KT_ASSERT(!exec_synced(mm));
	KT_ASSERT_EQ(mprotect_locked(mm, PROT_READ | PROT_EXEC), 0);
	KT_ASSERT_EQ(exec_synced(mm), SYNCS_ICACHE);
	KT_ASSERT(pte_exec(raw_pte(mm, PTE_TEST_BASE)));
	KT_ASSERT_EQ(mprotect_locked(mm, PROT_READ | PROT_WRITE), 0);
	KT_ASSERT_EQ(exec_synced(mm), SYNCS_ICACHE);
	mmput(mm);
	KT_ASSERT_EQ(nr_free_pages(), before);
}
