/*
 * collapse.h - MADV_COLLAPSE (mm/collapse.c; docs/mm/collapse.md).
 */
#ifndef MM_COLLAPSE_H
#define MM_COLLAPSE_H

#include "mm/mm_types.h"

/*
 * Collapse the anonymous memory of [start, end) (page aligned, inside vma)
 * into folios of the largest allowed order in place: every naturally
 * aligned block of that order inside the range becomes one new folio
 * holding the same bytes (PMD-mapped for 2 MiB with pmd_mapping on).
 * Returns 0 when every such block was collapsed (or there is none), else
 * Linux's errno: -EINVAL (VM_NOHUGEPAGE, nothing ever faulted in vma, no
 * block fits vma, or a block that is not collapsible: read-only, only
 * zero pages, no page table), -EAGAIN (a page held by someone else: a pin,
 * an extra reference, locked), -ENOMEM (no folio; the remaining blocks are
 * not tried).  A block that fails keeps its pages and data as they were.
 * mmap_lock held for writing.
 */
int madvise_collapse(struct vm_area_struct *vma, unsigned long start, unsigned long end);

/*
 * Collapse the one order-`order` block at haddr (aligned, inside vma) the
 * same way, whatever the policy allows: what the utilisation policy's
 * promotion asks (mm/memory.c).  0, or -EINVAL/-EAGAIN/-ENOMEM as above,
 * the block unchanged.  mmap_lock held.
 */
int collapse_anon_block(struct vm_area_struct *vma, unsigned long haddr, unsigned int order);

#endif
