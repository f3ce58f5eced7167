/*
 * debug_vm.h - mm assertions, page/folio dumps, memmap checker, poisoning.
 *
 * Two kinds of checks:
 *   - bad_page()/bad_folio(): always compiled.  Used where a wrong call
 *     corrupts the allocator for good (double free, freeing a tail page,
 *     freeing with the wrong order, lock misuse).  They dump the struct page
 *     (and folio metadata) and panic("fn: reason").
 *   - VM_BUG_ON*(), page poisoning and the check of pre-zeroed blocks: only with -DDEBUG_VM (every test build
 *     and, for now, the kernel).  Without it they cost nothing; the
 *     condition is still type-checked.
 *
 * memmap_check() walks the whole memmap and panics on the first broken
 * invariant; it is always compiled because tests call it in every build.
 */
#ifndef MM_DEBUG_VM_H
#define MM_DEBUG_VM_H

#include "kernel/types.h"
#include "kernel/compiler.h"
#include "kernel/printk.h"

struct page;
struct folio;

/* Byte written over every free frame when DEBUG_VM (Linux's PAGE_POISON). */
#define PAGE_POISON 0xaa

/* Print one page's metadata; for a head of order >= 1 also the folio fields. */
void dump_page(const struct page *page, const char *reason);
void dump_folio(const struct folio *folio, const char *reason);

/* Dump, then panic("fn: reason").  reason is a printf format. */
__noreturn void bad_page(const char *fn, const struct page *page, const char *fmt, ...)
	__printf(3, 4);
__noreturn void bad_folio(const char *fn, const struct folio *folio, const char *fmt, ...)
	__printf(3, 4);

/*
 * Walk every struct page and the free lists; panic with a dump on the first
 * broken invariant (see debug_vm.c for the list).  Takes the buddy lock.
 */
void memmap_check(void);
/*
 * The part of memmap_check() that holds while other CPUs allocate, free and
 * split: reserved frames, free blocks, the free lists and the counts, all
 * changed only under the buddy lock, which it takes.  Allocated frames are
 * not looked at: they change state outside that lock (a folio's last
 * reference drops before the buddy lock is taken, a split rewrites compound
 * metadata under the folio lock), so checking them needs a quiet machine.
 */
void memmap_check_free(void);
/* Register /sys/kernel/mm/folio/debug_vm_check (mm/debug_vm_check.c; thp_sysfs_init). */
void debug_vm_check_init(void);

#ifdef DEBUG_VM
#define VM_BUG_ON(cond) do { \
	if (unlikely(cond)) \
		panic("%s: VM_BUG_ON(%s)", __func__, #cond); \
} while (0)
#define VM_BUG_ON_PAGE(cond, page) do { \
	if (unlikely(cond)) \
		bad_page(__func__, page, "VM_BUG_ON_PAGE(%s)", #cond); \
} while (0)
#define VM_BUG_ON_FOLIO(cond, folio) do { \
	if (unlikely(cond)) \
		bad_folio(__func__, folio, "VM_BUG_ON_FOLIO(%s)", #cond); \
} while (0)

/* Fill nr frames starting at page with PAGE_POISON. */
void page_poison(struct page *page, unsigned long nr);
/* Check nr frames are still all PAGE_POISON; bad_page() if one was written after free. */
void page_poison_check(struct page *page, unsigned long nr);
/* Check nr frames of a pre-zeroed free block are still all zero (and not PG_poisoned). */
void page_zero_check(struct page *page, unsigned long nr);
#else
#define VM_BUG_ON(cond) ((void)sizeof(!!(cond)))
#define VM_BUG_ON_PAGE(cond, page) ((void)sizeof(!!(cond) + ((page) != NULL)))
#define VM_BUG_ON_FOLIO(cond, folio) ((void)sizeof(!!(cond) + ((folio) != NULL)))
static inline void page_poison(struct page *page, unsigned long nr)
{
	(void)page;
	(void)nr;
}

static inline void page_poison_check(struct page *page, unsigned long nr)
{
	(void)page;
	(void)nr;
}

static inline void page_zero_check(struct page *page, unsigned long nr)
{
	(void)page;
	(void)nr;
}
#endif

#endif
