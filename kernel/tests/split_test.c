/*
 * split_test.c - boot tests of mm/split.c that user space cannot drive: a
 * pinned folio (FOLL_PIN: a reference and _pincount, what GUP will take)
 * is refused with -EBUSY by split_huge_pages_mm() and by the split_range
 * knob, counted in split_failed, and left exactly as it was; unpinned, it
 * splits.  Puts the configuration back and leaks no page.
 */
#include "kernel/fs.h"
#include "kernel/ktest.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "mm/mm.h"
#include "mm/pgtable.h"
#include "mm/split.h"
#include "mm/thp_sysfs.h"
#include "mm/vma.h"
#include "mm/vmstat.h"
#include <uapi/errno.h>

#define SPLIT_BASE	0x20000000UL	/* 512 MiB: PTE-table aligned */
#define SPLIT_LEN	(16 * PAGE_SIZE)	/* one 64K folio */

/* The folio mapped at addr in mm, or NULL. */
static struct folio *mapped_folio(struct mm_struct *mm, unsigned long addr)
{
	struct folio *folio = NULL;
	spinlock_t *ptl;
	pte_t *ptep = pte_offset_map_lock(mm, addr, &ptl);

	if (!ptep)
		return NULL;
	if (pte_present(ptep_get(ptep)))
		folio = page_folio(pfn_to_page(pte_pfn(ptep_get(ptep))));
	spin_unlock(ptl);
	return folio;
}

/* Write "START END 0" for [SPLIT_BASE, + SPLIT_LEN) to the split_range knob as mm's owner. */
static long split_range_as(struct mm_struct *mm)
{
	struct inode *inode;
	struct mm_struct *saved = current->mm;
	char cmd[64];
	long ret;

	if (vfs_walk(&vfs_root, FOLIO_SYSFS_DIR "/split_range", &inode, NULL))
		return -ENOENT;
	snprintf(cmd, sizeof(cmd), "%#lx %#lx 0\n", SPLIT_BASE, SPLIT_BASE + SPLIT_LEN);
	current->mm = mm;
	ret = pseudo_store(inode, cmd, strlen(cmd));
	current->mm = saved;
	return ret == (long)strlen(cmd) ? 0 : ret;
}

KTEST(split_pinned_folio_refused)
{
	struct anon_order_config saved = anon_order_config;
	unsigned long before = nr_free_pages();
	unsigned long failed0 = sum_mthp_stat(4, MTHP_STAT_SPLIT_FAILED), split0 = sum_mthp_stat(4, MTHP_STAT_SPLIT);
	struct mm_struct *mm = mm_alloc();
	struct folio *folio;
	int populated;

	KT_ASSERT(mm);
	anon_order_config.top = THP_NEVER;
	for (unsigned int order = 1; order <= MTHP_MAX_ORDER; order++)
		anon_order_config.size[order] = order == 4 ? THP_ALWAYS : THP_NEVER;
	mmap_write_lock(mm);
	populated = vma_create(mm, SPLIT_BASE, SPLIT_BASE + SPLIT_LEN,
			       VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE) ?
		    populate_range(mm, SPLIT_BASE, SPLIT_BASE + SPLIT_LEN, true) : -ENOMEM;
	mmap_write_unlock(mm);
	anon_order_config = saved;
	KT_ASSERT_EQ(populated, 0);
	folio = mapped_folio(mm, SPLIT_BASE);
	KT_ASSERT(folio && folio_order(folio) == 4);

	folio_get(folio);	/* the pin: a reference and _pincount */
	atomic_inc(&folio->_pincount);
	KT_ASSERT_EQ(split_huge_pages_mm(mm, SPLIT_BASE, SPLIT_BASE + SPLIT_LEN, 0, -1), -EBUSY);
	KT_ASSERT_EQ(split_range_as(mm), -EBUSY);
	KT_ASSERT_EQ(sum_mthp_stat(4, MTHP_STAT_SPLIT_FAILED), failed0 + 2);
	KT_ASSERT_EQ(sum_mthp_stat(4, MTHP_STAT_SPLIT), split0);
	KT_ASSERT(mapped_folio(mm, SPLIT_BASE + SPLIT_LEN - PAGE_SIZE) == folio);
	KT_ASSERT_EQ(folio_order(folio), 4);
	KT_ASSERT_EQ(folio_ref_count(folio), 17);
	KT_ASSERT_EQ(folio_mapcount(folio), 16);
	atomic_dec(&folio->_pincount);
	folio_put(folio);

	KT_ASSERT_EQ(split_range_as(mm), 0);
	KT_ASSERT_EQ(sum_mthp_stat(4, MTHP_STAT_SPLIT), split0 + 1);
	for (unsigned long i = 0; i < 16; i++) {
		struct folio *f = mapped_folio(mm, SPLIT_BASE + i * PAGE_SIZE);

		KT_ASSERT(f && folio_order(f) == 0 && folio_ref_count(f) == 1);
	}
	memmap_check();
	mmput(mm);
	KT_ASSERT_EQ(nr_free_pages(), before);
}
