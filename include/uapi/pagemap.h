/*
 * uapi/pagemap.h - the binary page-information files, as Linux's
 * Documentation/admin-guide/mm/pagemap.rst: /proc/<pid>/pagemap,
 * /proc/kpageflags and /proc/kpagecount.  Each is an array of 64-bit
 * entries read with pread64 (or lseek + read) at offset index * 8; an offset
 * or a size that is not a multiple of 8 is -EINVAL.
 *
 * pagemap: index = virtual address / PAGE_SIZE of the process; an entry
 * holds the page frame number in bits 0-54 when present (PM_PFRAME_MASK)
 * and the PM_* bits.  kpageflags and kpagecount: index = page frame number;
 * the KPF_* bits of include/uapi/linux/kernel-page-flags.h, and the page's
 * mapcount.
 */
#ifndef UAPI_PAGEMAP_H
#define UAPI_PAGEMAP_H

#define PM_ENTRY_BYTES		8
#define PM_PFRAME_BITS		55
#define PM_PFRAME_MASK		((1ULL << PM_PFRAME_BITS) - 1)
#define PM_SOFT_DIRTY		(1ULL << 55)
#define PM_MMAP_EXCLUSIVE	(1ULL << 56)
#define PM_UFFD_WP		(1ULL << 57)
#define PM_GUARD_REGION		(1ULL << 58)
#define PM_FILE			(1ULL << 61)
#define PM_SWAP			(1ULL << 62)
#define PM_PRESENT		(1ULL << 63)

/* Linux's include/uapi/linux/kernel-page-flags.h: bit numbers of a kpageflags entry. */
#define KPF_LOCKED		0
#define KPF_ERROR		1
#define KPF_REFERENCED		2
#define KPF_UPTODATE		3
#define KPF_DIRTY		4
#define KPF_LRU			5
#define KPF_ACTIVE		6
#define KPF_SLAB		7
#define KPF_WRITEBACK		8
#define KPF_RECLAIM		9
#define KPF_BUDDY		10
#define KPF_MMAP		11
#define KPF_ANON		12
#define KPF_SWAPCACHE		13
#define KPF_SWAPBACKED		14
#define KPF_COMPOUND_HEAD	15
#define KPF_COMPOUND_TAIL	16
#define KPF_HUGE		17
#define KPF_UNEVICTABLE		18
#define KPF_HWPOISON		19
#define KPF_NOPAGE		20
#define KPF_KSM			21
#define KPF_THP			22
#define KPF_OFFLINE		23
#define KPF_ZERO_PAGE		24
#define KPF_IDLE		25
#define KPF_PGTABLE		26

#define PROC_PAGEMAP_PATH	"/proc/self/pagemap"
#define PROC_KPAGEFLAGS_PATH	"/proc/kpageflags"
#define PROC_KPAGECOUNT_PATH	"/proc/kpagecount"

#endif
