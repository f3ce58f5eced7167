/*
 * slab.h - the kernel heap: kmalloc/kfree.
 *
 * Sizes up to KMALLOC_MAX_CACHE_SIZE come from power-of-two size classes
 * (16 .. 2048 bytes) carved out of order-0 pages; a page goes back to the
 * buddy allocator as soon as its last object is freed, so a leak check on
 * nr_free_pages() sees exact counts.  Larger sizes get their own block of
 * the smallest sufficient order straight from alloc_pages().  Objects are
 * aligned to their size class (16 bytes at least); large ones to a page.
 *
 * Needs memmap_init() (the buddy allocator); callable with interrupts on
 * or off, never from the buddy allocator itself.
 */
#ifndef KERNEL_SLAB_H
#define KERNEL_SLAB_H

#include "kernel/types.h"

#define KMALLOC_MIN_SIZE	16
#define KMALLOC_MAX_CACHE_SIZE	2048

/* size bytes of uninitialised memory, or NULL when size is 0 or memory ran out. */
void *kmalloc(size_t size);
/* kmalloc() and zero-fill. */
void *kzalloc(size_t size);
/* Free what kmalloc() returned; NULL is ignored.  Panics on a foreign or double-freed pointer. */
void kfree(const void *p);
/* Usable size of the object at p (its size class, or the block size for large objects). */
size_t ksize(const void *p);

#endif
