/*
 * slab_test.c - boot tests of kmalloc/kfree: every size class and the
 * large path give the right usable size and alignment, slab pages are
 * shared by objects of one class and go back to the buddy allocator when
 * their last object is freed (free page count back to its start value).
 */
#include "kernel/ktest.h"
#include "kernel/slab.h"
#include "kernel/string.h"
#include "mm/mm.h"

KTEST(kmalloc_size_classes)
{
	static const struct { size_t size, usable; } cases[] = {
		{ 1, 16 }, { 16, 16 }, { 17, 32 }, { 100, 128 }, { 256, 256 }, { 257, 512 },
		{ 2048, 2048 }, { 2049, 4096 }, { 4096, 4096 }, { 4097, 8192 },
		{ 64 * 1024, 64 * 1024 }, { 64 * 1024 + 1, 128 * 1024 },
	};
	unsigned long before = nr_free_pages();

	KT_ASSERT(kmalloc(0) == NULL);
	for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
		u8 *p = kmalloc(cases[i].size);

		KT_ASSERT_MSG(p, "kmalloc(%zu) failed", cases[i].size);
		KT_ASSERT_EQ(ksize(p), cases[i].usable);
		KT_ASSERT_EQ((unsigned long)p % min(cases[i].usable, (size_t)PAGE_SIZE), 0);
		memset(p, 0x5a, cases[i].usable);	/* the whole usable size is ours */
		kfree(p);
		KT_ASSERT_EQ(nr_free_pages(), before);
	}
	kfree(NULL);
}

#define NR_OBJS 1000

KTEST(kmalloc_pages_shared_and_returned)
{
	static void *objs[NR_OBJS];
	unsigned long before = nr_free_pages();

	for (int i = 0; i < NR_OBJS; i++) {
		objs[i] = kmalloc(64);
		KT_ASSERT(objs[i]);
		memset(objs[i], i, 64);
	}
	/* 64 objects of 64 bytes per page: 16 new pages, one less if a partial page was used. */
	KT_ASSERT_MSG(before - nr_free_pages() >= NR_OBJS / 64 - 1 &&
		      before - nr_free_pages() <= NR_OBJS / 64 + 1,
		      "%lu pages for %d objects", before - nr_free_pages(), NR_OBJS);
	for (int i = 0; i < NR_OBJS; i++)
		KT_ASSERT_EQ(((u8 *)objs[i])[63], (u8)i);
	memmap_check();		/* slab pages look like any allocated page to the checker */
	for (int i = 0; i < NR_OBJS; i += 2)		/* every other one: no page empties */
		kfree(objs[i]);
	KT_ASSERT(before - nr_free_pages() >= NR_OBJS / 64 - 1);
	for (int i = 0; i < NR_OBJS; i += 2) {		/* the freed slots are reused */
		objs[i] = kmalloc(64);
		KT_ASSERT(objs[i]);
	}
	for (int i = NR_OBJS - 1; i >= 0; i--)
		kfree(objs[i]);
	KT_ASSERT_EQ(nr_free_pages(), before);
}

KTEST(kzalloc_zeroes)
{
	unsigned long before = nr_free_pages();
	u8 *p = kmalloc(512), *q;

	KT_ASSERT(p);
	memset(p, 0xff, 512);
	kfree(p);
	q = kzalloc(512);
	KT_ASSERT(q);
	for (int i = 0; i < 512; i++)
		KT_ASSERT_EQ(q[i], 0);
	kfree(q);
	KT_ASSERT_EQ(nr_free_pages(), before);
}
