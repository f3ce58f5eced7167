/*
 * uapi/page.h - the page size of the ABI: what AT_PAGESZ reports and the
 * granularity of mmap, munmap, mprotect and madvise.  4 KiB on both
 * architectures (and on the host harness).  Usable from assembly.
 */
#ifndef UAPI_PAGE_H
#define UAPI_PAGE_H

#define PAGE_SHIFT	12
#ifdef __ASSEMBLER__
#define PAGE_SIZE	(1 << PAGE_SHIFT)
#else
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#endif
#define PAGE_MASK	(~(PAGE_SIZE - 1))

#endif
