/*
 * uapi/folios.h - foliOS's own memory ABI: the mTHP orders that have knob
 * and counter directories, and the line format of /proc/self/folios.
 *
 * /proc/self/folios gives, for the reading process, one line per run of
 * present PTEs at consecutive addresses mapping consecutive pages of one
 * folio (or all mapping the zero page), printed with FOLIO_RUN_FMT:
 *
 *   0x007f00000000-0x007f00010000 order=4 pages=16 mapcount=16 rmap=16 ref=16 flags=anon,dirty,writable,exclusive
 *
 * start and end (exclusive) of the run; the folio's order; the PTEs of the
 * run; folio_mapcount() (the whole folio, every process); the PTEs rmap_walk
 * finds for the folio (equal to mapcount when the reverse map is right); the
 * folio's refcount; and the run's flags as a comma list in bit order, "-"
 * for none.  The zero page reads order=0 mapcount=0 rmap=0 flags=zero.
 * "cont" (arm64 only): every PTE of the run lies in a folded 16-PTE block
 * (PTE_CONT, one 64 KiB TLB entry); dirty reads the block's gathered state.
 * A PMD block (flag pmd) is a run of its own, pages=512; its mapcount and
 * rmap count it as 512 PTEs.  "pinned": the folio holds a FOLL_PIN pin
 * (vmsplice, mm/gup.c); ref then includes the pin's references (one per pin
 * of a large folio, GUP_PIN_COUNTING_BIAS = 1024 per pin of an order-0 one).
 * A shmem folio (MAP_SHARED|MAP_ANONYMOUS, memfd: mm/shmem.c) has "shmem"
 * instead of "anon", never "exclusive" (PageAnonExclusive is anon's), and
 * ref counts its object's reference too (mapcount + 1 when unpinned); a
 * page mapped by several processes or mappings is "shared".
 */
#ifndef UAPI_FOLIOS_H
#define UAPI_FOLIOS_H

/* hugepages-<N>kB exist for orders MTHP_MIN_ORDER..MTHP_MAX_ORDER (8 KiB .. 2 MiB). */
#define MTHP_MIN_ORDER	1
#define MTHP_MAX_ORDER	9

#define PROC_FOLIOS_PATH	"/proc/self/folios"
#define FOLIO_RUN_FMT \
	"%#014lx-%#014lx order=%u pages=%lu mapcount=%d rmap=%d ref=%d flags=%s\n"

/* The flags of a run; bit i is named FOLIO_RUN_FLAG_NAMES[i]. */
#define FOLIO_RUN_ANON			(1U << 0)	/* an anonymous folio */
#define FOLIO_RUN_ZERO			(1U << 1)	/* the shared zero page */
#define FOLIO_RUN_DIRTY			(1U << 2)	/* a PTE of the run is dirty */
#define FOLIO_RUN_WRITABLE		(1U << 3)	/* a PTE of the run is writable */
#define FOLIO_RUN_EXCLUSIVE		(1U << 4)	/* every page is PageAnonExclusive */
#define FOLIO_RUN_SHARED		(1U << 5)	/* a page has page_mapcount > 1 */
#define FOLIO_RUN_PARTIALLY_MAPPED	(1U << 6)	/* the folio is on the deferred-split queue */
#define FOLIO_RUN_LAZYFREE		(1U << 7)	/* MADV_FREE'd, not written since */
#define FOLIO_RUN_CONT			(1U << 8)	/* every PTE of the run has arm64's contiguous bit */
#define FOLIO_RUN_PMD			(1U << 9)	/* one PMD block maps the run (2 MiB) */
#define FOLIO_RUN_PINNED		(1U << 10)	/* folio_maybe_dma_pinned(): a FOLL_PIN pin (vmsplice) */
#define FOLIO_RUN_SHMEM			(1U << 11)	/* a shmem object's folio (mm/shmem.c) */
#define NR_FOLIO_RUN_FLAGS		12
#define FOLIO_RUN_FLAG_NAMES { "anon", "zero", "dirty", "writable", "exclusive", "shared", \
			       "partially_mapped", "lazyfree", "cont", "pmd", "pinned", "shmem" }

#endif
