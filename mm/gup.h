/*
 * gup.h - FOLL_PIN pins on user pages (mm/gup.c): what vmsplice holds while
 * a pipe buffer points at the user's memory.
 *
 * A pin says "someone reads (or may write) this page behind the PTEs": the
 * folio counts it (folio_maybe_dma_pinned(), mm/folio.h), CoW reuses a
 * pinned folio only through its AnonExclusive pages, clear_refs 4 and split
 * and reclaim leave it alone, and fork copies its
 * exclusive pages for the child instead of sharing them, so that after fork
 * neither process's writes reach the other through the pinned page (Linux's
 * PageAnonExclusive rules).  Pinning therefore first makes the page
 * exclusive to the pinning process: a write fault in a writable VMA, an
 * unshare fault (FAULT_FLAG_UNSHARE: a copy or reuse that stays read-only)
 * in a read-only one.
 */
#ifndef MM_GUP_H
#define MM_GUP_H

#include "kernel/types.h"

struct mm_struct;
struct page;

/*
 * Pin the nr_pages pages from start (page aligned) of mm for reading, each
 * made exclusive to mm first, into pages[].  mmap_lock held.  Returns how
 * many were pinned (stops at the first failure), or -EFAULT (the first page
 * is not in a readable VMA) or -ENOMEM (its fault ran out of memory).
 */
long pin_user_pages(struct mm_struct *mm, unsigned long start, unsigned long nr_pages,
		    struct page **pages);
/* Drop one pin that pin_user_pages() took on page; the last reference frees the folio. */
void unpin_user_page(struct page *page);

#endif
