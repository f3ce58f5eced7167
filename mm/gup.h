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

/* access_remote_vm's gup_flags (Linux's values). */
#define FOLL_WRITE	0x01	/* write to the memory (else read it) */
#define FOLL_FORCE	0x10	/* as a debugger: past the VMA's protection (private mappings: CoW) */

/*
 * Linux's access_remote_vm (/proc/<pid>/mem): copy len bytes between the
 * kernel buffer buf and mm's memory at addr, page by page, faulting pages in;
 * FOLL_WRITE writes (breaking CoW, never into a page another process or the
 * zero page shares), FOLL_FORCE passes the VMA protections as a debugger
 * does (gup.c has the rules).  Returns the bytes copied: it stops at the
 * first page it cannot reach (no VMA, the access refused, memory ran out).
 * Takes mm's mmap_lock.
 */
size_t access_remote_vm(struct mm_struct *mm, unsigned long addr, void *buf, size_t len,
			unsigned int gup_flags);

#endif
