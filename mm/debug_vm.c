/*
 * debug_vm.c - dumps, fatal reports, the memmap checker and page poisoning.
 *
 * Every frame is in exactly one of five states, and memmap_check() proves
 * it by walking the memmap from the first PFN, one block at a time:
 *
 *   reserved       PG_reserved; never PG_buddy, never part of a compound block
 *   free head      PG_buddy (and PG_zeroed when the block is pre-zeroed),
 *                  private = order <= MAX_PAGE_ORDER, PFN aligned to
 *                  2^order, block inside the memmap, refcount 0
 *   free interior  the other frames of a free block: flags 0 (but PG_poisoned), refcount 0,
 *                  compound_head 0, mapcount -1
 *   allocated      refcount > 0; if PG_head, page[1].compound_order = order
 *                  (1..MAX_PAGE_ORDER) and the block is aligned
 *   tail           the other frames of an allocated order >= 1 block:
 *                  compound_head = head | 1, compound_order = order,
 *                  refcount 0, no PG_buddy/PG_reserved/PG_head
 *
 * A tail met outside its head's block, or a frame with refcount 0 that is
 * not inside a free block, is corruption (or a leak of a half-freed block).
 * PG_zeroed appears on free heads only: an allocated page still marked is a
 * __GFP_PREZERO caller that never consumed the mark.
 * Then the free lists are walked: each is a consistent doubly linked ring
 * whose entries are free heads of that list's order, as many as nr_free
 * and as many as the memmap walk found; so each free head is on exactly
 * one list.  Each list holds its PG_zeroed heads last, nr_zeroed of them.
 * Finally the per-order counts must add up to nr_free_pages and, for the
 * zeroed blocks, to nr_free_zeroed.
 */
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/mm.h"

static const char *const pageflag_names[__NR_PAGEFLAGS] = {
	[PG_locked] = "locked",
	[PG_reserved] = "reserved",
	[PG_buddy] = "buddy",
	[PG_head] = "head",
	[PG_lru] = "lru",
	[PG_active] = "active",
	[PG_referenced] = "referenced",
	[PG_dirty] = "dirty",
	[PG_anon] = "anon",
	[PG_swapbacked] = "swapbacked",
	[PG_partially_mapped] = "partially_mapped",
	[PG_reservation] = "reservation",
	[PG_anon_exclusive] = "anon_exclusive",
	[PG_poisoned] = "poisoned",
	[PG_zeroed] = "zeroed",
	[PG_arch_1] = "arch_1",
	[PG_waiters] = "waiters",
};

/* Render flags as "name|name" into buf. */
static void format_flags(char *buf, size_t len, unsigned long flags)
{
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned int bit = 0; bit < __NR_PAGEFLAGS && used < len; bit++) {
		if (flags & BIT(bit))
			used += snprintf(buf + used, len - used, "%s%s", used ? "|" : "",
					 pageflag_names[bit]);
	}
}

void dump_folio(const struct folio *folio, const char *reason)
{
	/* A corrupted head may claim to be large at the very end of the memmap. */
	bool large = folio_test_large(folio) && page_to_pfn(&folio->page) + 1 < memmap_end_pfn;
	char flags[160];

	format_flags(flags, sizeof(flags), folio->flags);
	printk(KERN_EMERG "folio: pfn:0x%lx order:%lu refcount:%d mapcount:%d anon_vma:%p index:0x%lx\n",
	       page_to_pfn(&folio->page), large ? folio->_folio_order : 0, atomic_read(&folio->_refcount),
	       large ? atomic_read(&folio->_large_mapcount) + 1 : atomic_read(&folio->_mapcount) + 1,
	       (void *)folio->mapping, folio->index);
	printk(KERN_EMERG "folio: flags: 0x%lx(%s)\n", folio->flags, flags);
	if (large)
		printk(KERN_EMERG "folio: large_mapcount:%d nr_pages_mapped:%d entire_mapcount:%d pincount:%d deferred_list:%s\n",
		       atomic_read(&folio->_large_mapcount), atomic_read(&folio->_nr_pages_mapped),
		       atomic_read(&folio->_entire_mapcount), atomic_read(&folio->_pincount),
		       folio->_deferred_list.next == &folio->_deferred_list ? "empty" : "queued");
	if (reason)
		printk(KERN_EMERG "folio dumped because: %s\n", reason);
}

void dump_page(const struct page *page, const char *reason)
{
	char flags[160];

	format_flags(flags, sizeof(flags), page->flags);
	printk(KERN_EMERG "page: pfn:0x%lx refcount:%d mapcount:%d mapping:%p index:0x%lx private:0x%lx\n",
	       page_to_pfn(page), atomic_read(&page->_refcount), atomic_read(&page->_mapcount), page->mapping,
	       page->index, page->private);
	printk(KERN_EMERG "page: flags: 0x%lx(%s)\n", page->flags, flags);
	if (PageTail(page))
		printk(KERN_EMERG "page: tail of head pfn:0x%lx, order:%lu\n",
		       page_to_pfn(compound_head(page)), page->compound_order);
	else if (PageHead(page))
		dump_folio((const struct folio *)page, NULL);
	if (reason)
		printk(KERN_EMERG "page dumped because: %s\n", reason);
}

void bad_page(const char *fn, const struct page *page, const char *fmt, ...)
{
	char reason[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	dump_page(page, reason);
	panic("%s: %s", fn, reason);
}

void bad_folio(const char *fn, const struct folio *folio, const char *fmt, ...)
{
	char reason[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	dump_folio(folio, reason);
	panic("%s: %s", fn, reason);
}

/* ---- memmap_check ---- */

/* Check the free block headed by page; returns its size in frames. */
static unsigned long check_free_block(struct page *page, unsigned long *nr_heads)
{
	unsigned long pfn = page_to_pfn(page), order = page->private, nr;

	if (order > MAX_PAGE_ORDER || !IS_ALIGNED(pfn, 1UL << order) ||
	    pfn + (1UL << order) > memmap_end_pfn)
		bad_page("memmap_check", page, "free head with bad order %lu", order);
	if ((page_state_flags(page) & ~BIT(PG_zeroed)) != BIT(PG_buddy) || atomic_read(&page->_refcount) ||
	    page->compound_head)
		bad_page("memmap_check", page, "free head in a bad state");
	nr = 1UL << order;
	for (unsigned long i = 1; i < nr; i++) {
		const struct page *p = page + i;

		if (page_state_flags(p) || atomic_read(&p->_refcount) || p->compound_head ||
		    atomic_read(&p->_mapcount) != -1)
			bad_page("memmap_check", p, "free interior frame in use");
	}
	nr_heads[order]++;
	return nr;
}

/* Check the allocated block headed by page; returns its size in frames. */
static unsigned long check_alloc_block(struct page *page)
{
	unsigned long pfn = page_to_pfn(page), order, nr;

	if (!PageHead(page))
		return 1;
	order = page[1].compound_order;
	if (order < 1 || order > MAX_PAGE_ORDER || !IS_ALIGNED(pfn, 1UL << order) ||
	    pfn + (1UL << order) > memmap_end_pfn)
		bad_page("memmap_check", page, "head with bad order %lu", order);
	nr = 1UL << order;
	for (unsigned long i = 1; i < nr; i++) {
		const struct page *p = page + i;

		if (p->compound_head != ((unsigned long)page | 1) || p->compound_order != order)
			bad_page("memmap_check", p, "tail does not agree with its head");
		if (atomic_read(&p->_refcount) ||
		    (p->flags & (BIT(PG_buddy) | BIT(PG_reserved) | BIT(PG_head) | BIT(PG_zeroed))))
			bad_page("memmap_check", p, "tail page in a bad state");
	}
	return nr;
}

/*
 * Classify the frame at pfn and check its whole block; returns frames
 * covered.  alloc false: an allocated frame is passed over unchecked, one
 * frame at a time (memmap_check_free).
 */
static unsigned long check_block(unsigned long pfn, unsigned long *nr_heads,
				 unsigned long *nr_free, bool alloc)
{
	struct page *page = pfn_to_page(pfn);
	unsigned long nr;

	if (PageReserved(page)) {
		if (page->flags & (BIT(PG_buddy) | BIT(PG_head)) || page->compound_head)
			bad_page("memmap_check", page, "reserved frame free or compound");
		return 1;
	}
	if (PageBuddy(page)) {
		nr = check_free_block(page, nr_heads);
		*nr_free += nr;
		return nr;
	}
	if (!alloc)
		return 1;
	if (PageTail(page))
		bad_page("memmap_check", page, "tail page outside its head's block");
	if (atomic_read(&page->_refcount) <= 0)
		bad_page("memmap_check", page, "frame neither free nor allocated (leak?)");
	if (PageZeroed(page))
		bad_page("memmap_check", page, "allocated page still marked zeroed");
	return check_alloc_block(page);
}

/* True when p points exactly at an element of mem_map. */
static bool is_memmap_entry(const struct page *p)
{
	return p >= mem_map && p < mem_map + (memmap_end_pfn - memmap_start_pfn);
}

/*
 * Walk free_area[order]: a consistent ring of nr_free free heads of this
 * order, the nr_zeroed PG_zeroed ones last.
 */
static void check_free_list(unsigned int order, unsigned long nr_heads)
{
	struct free_area *area = &zone_normal.free_area[order];
	struct list_head *pos;
	unsigned long count = 0, zeroed = 0;

	for (pos = area->free_list.next; pos != &area->free_list; pos = pos->next) {
		struct page *page = list_entry(pos, struct page, buddy_list);

		if (!is_memmap_entry(page) || pos->next->prev != pos || ++count > area->nr_free)
			panic("memmap_check: free_area[%u] list corrupted at entry %lu", order, count);
		if (!page_is_buddy(page, order))
			bad_page("memmap_check", page, "on free_area[%u] but not a free head of that order",
				 order);
		if (PageZeroed(page))
			zeroed++;
		else if (zeroed)
			bad_page("memmap_check", page, "free_area[%u]: unzeroed block after a zeroed one",
				 order);
	}
	if (count != area->nr_free || count != nr_heads)
		panic("memmap_check: free_area[%u]: %lu listed, nr_free %lu, %lu heads in memmap",
		      order, count, area->nr_free, nr_heads);
	if (zeroed != area->nr_zeroed)
		panic("memmap_check: free_area[%u]: %lu zeroed listed, nr_zeroed %lu",
		      order, zeroed, area->nr_zeroed);
}

/* memmap_check(), the allocated blocks too when alloc. */
static void memmap_walk_check(bool alloc)
{
	unsigned long nr_heads[NR_PAGE_ORDERS] = { 0 };
	unsigned long nr_free = 0, listed = 0, zeroed = 0;
	unsigned long pfn = memmap_start_pfn;

	spin_lock(&zone_normal.lock);
	while (pfn < memmap_end_pfn)
		pfn += check_block(pfn, nr_heads, &nr_free, alloc);
	for (unsigned int order = 0; order <= MAX_PAGE_ORDER; order++) {
		check_free_list(order, nr_heads[order]);
		listed += zone_normal.free_area[order].nr_free << order;
		zeroed += zone_normal.free_area[order].nr_zeroed << order;
	}
	if (listed != zone_normal.nr_free_pages || nr_free != listed)
		panic("memmap_check: nr_free_pages %lu, lists hold %lu, memmap has %lu free",
		      zone_normal.nr_free_pages, listed, nr_free);
	if (zeroed != zone_normal.nr_free_zeroed)
		panic("memmap_check: nr_free_zeroed %lu, lists hold %lu zeroed",
		      zone_normal.nr_free_zeroed, zeroed);
	spin_unlock(&zone_normal.lock);
}

void memmap_check(void)
{
	memmap_walk_check(true);
}

void memmap_check_free(void)
{
	memmap_walk_check(false);
}

/* ---- poisoning ---- */

/*
 * Frames freed at run time are poisoned and marked PG_poisoned; frames the
 * boot hands to the buddy allocator are not (filling all of RAM at boot cost
 * seconds under TCG).  The check on allocation covers exactly the marked ones.
 */
#ifdef DEBUG_VM
void page_poison(struct page *page, unsigned long nr)
{
	memset(page_address(page), PAGE_POISON, nr * PAGE_SIZE);
	for (unsigned long i = 0; i < nr; i++)
		page[i].flags |= BIT(PG_poisoned);
}

void page_zero_check(struct page *page, unsigned long nr)
{
	for (unsigned long i = 0; i < nr; i++) {
		const u64 *word = page_address(page + i);

		if (page[i].flags & BIT(PG_poisoned))
			bad_page(__func__, page + i, "pre-zeroed frame marked poisoned");
		for (unsigned long w = 0; w < PAGE_SIZE / sizeof(u64); w++)
			if (word[w])
				bad_page(__func__, page + i,
					 "pre-zeroed frame written at offset 0x%lx (use after free)",
					 w * sizeof(u64));
	}
}

void page_poison_check(struct page *page, unsigned long nr)
{
	const u64 pattern = 0x0101010101010101ULL * PAGE_POISON;

	for (unsigned long i = 0; i < nr; i++) {
		const u64 *word = page_address(page + i);

		if (!(page[i].flags & BIT(PG_poisoned)))
			continue;
		page[i].flags &= ~BIT(PG_poisoned);
		for (unsigned long w = 0; w < PAGE_SIZE / sizeof(u64); w++)
			if (word[w] != pattern)
				bad_page(__func__, page + i,
					 "poison overwritten at offset 0x%lx (use after free)",
					 w * sizeof(u64));
	}
}
#endif
