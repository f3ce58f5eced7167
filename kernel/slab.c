/*
 * slab.c - kmalloc size classes over order-0 pages, large blocks from the
 * buddy allocator (see slab.h).
 *
 * A slab page's struct page (order 0, owned by us while allocated) holds:
 *   lru       link in its class's partial list while it has free objects
 *   mapping   first free object; each free object's first word is the next
 *   index     objects in use
 *   private   SLAB_TAG_SMALL | class index
 * A large block's head page has private = SLAB_TAG_LARGE | order.  All
 * four fields are reset before the page goes back to the buddy allocator.
 *
 * Lock legend: (s) slab_lock, taken with interrupts off; a leaf lock except
 * that free_pages() (the buddy lock) may be called inside it.
 */
#include "kernel/slab.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "mm/mm.h"

#define KMALLOC_SHIFT_LOW	4
#define KMALLOC_SHIFT_HIGH	11
#define NR_KMALLOC_CACHES	(KMALLOC_SHIFT_HIGH - KMALLOC_SHIFT_LOW + 1)

#define SLAB_TAG_MASK		0xffff0000UL
#define SLAB_TAG_SMALL		0x51ab0000UL
#define SLAB_TAG_LARGE		0x1a760000UL

BUILD_BUG_ON(KMALLOC_MIN_SIZE != 1 << KMALLOC_SHIFT_LOW);
BUILD_BUG_ON(KMALLOC_MAX_CACHE_SIZE != 1 << KMALLOC_SHIFT_HIGH);

struct kmalloc_cache {
	unsigned int size;		/* (c) object size */
	struct list_head partial;	/* (s) pages with at least one free object */
};

#define KMALLOC_CACHE(i) { .size = KMALLOC_MIN_SIZE << (i), \
	.partial = LIST_HEAD_INIT(kmalloc_caches[i].partial) }

static struct kmalloc_cache kmalloc_caches[NR_KMALLOC_CACHES] = {
	KMALLOC_CACHE(0), KMALLOC_CACHE(1), KMALLOC_CACHE(2), KMALLOC_CACHE(3),
	KMALLOC_CACHE(4), KMALLOC_CACHE(5), KMALLOC_CACHE(6), KMALLOC_CACHE(7),
};
BUILD_BUG_ON(NR_KMALLOC_CACHES != 8);

static spinlock_t slab_lock = SPINLOCK_INIT("slab_lock");

static unsigned int objs_per_page(const struct kmalloc_cache *c)
{
	return PAGE_SIZE / c->size;
}

/* Index of the smallest class holding size bytes (1 <= size <= KMALLOC_MAX_CACHE_SIZE). */
static unsigned int kmalloc_index(size_t size)
{
	unsigned int i = 0;

	while ((size_t)KMALLOC_MIN_SIZE << i < size)
		i++;
	return i;
}

/* Smallest order whose block holds size bytes. */
static unsigned int size_to_order(size_t size)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < size)
		order++;
	return order;
}

/* A fresh page for cache c with every object on its free list; NULL when out of memory. */
static struct page *slab_page_new(struct kmalloc_cache *c, unsigned int idx)
{
	struct page *page = alloc_pages(GFP_KERNEL, 0);
	char *base;

	if (!page)
		return NULL;
	base = page_address(page);
	for (unsigned int i = 0; i < objs_per_page(c); i++)
		*(void **)(base + i * c->size) = i + 1 < objs_per_page(c) ? base + (i + 1) * c->size : NULL;
	page->mapping = base;
	page->index = 0;
	page->private = SLAB_TAG_SMALL | idx;
	return page;
}

/* Take one object from class idx; NULL when out of memory. */
static void *slab_alloc(unsigned int idx)
{
	struct kmalloc_cache *c = &kmalloc_caches[idx];
	struct page *page;
	void *obj;

	spin_lock(&slab_lock);
	if (list_empty(&c->partial)) {
		spin_unlock(&slab_lock);
		page = slab_page_new(c, idx);	/* outside slab_lock: alloc_pages may warn */
		if (!page)
			return NULL;
		spin_lock(&slab_lock);
		list_add(&page->lru, &c->partial);
	}
	page = list_first_entry(&c->partial, struct page, lru);
	obj = page->mapping;
	page->mapping = *(void **)obj;
	if (++page->index == objs_per_page(c))
		list_del_init(&page->lru);
	spin_unlock(&slab_lock);
	return obj;
}

static void *kmalloc_large(size_t size)
{
	unsigned int order = size_to_order(size);
	struct page *page;

	if (order > MAX_PAGE_ORDER) {
		pr_warn("kmalloc: %zu bytes is more than the largest block\n", size);
		return NULL;
	}
	page = alloc_pages(GFP_KERNEL, order);
	if (!page)
		return NULL;
	page->private = SLAB_TAG_LARGE | order;
	return page_address(page);
}

void *kmalloc(size_t size)
{
	if (size == 0)
		return NULL;
	if (size > KMALLOC_MAX_CACHE_SIZE)
		return kmalloc_large(size);
	return slab_alloc(kmalloc_index(size));
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

/* The page owning kmalloc'd p, checked to carry one of our tags. */
static struct page *kmalloc_page(const void *p)
{
	struct page *page = virt_to_page(p);
	unsigned long tag = page->private & SLAB_TAG_MASK;

	if (PageTail(page) || (tag != SLAB_TAG_SMALL && tag != SLAB_TAG_LARGE))
		bad_page("kfree", page, "%p was not returned by kmalloc", p);
	return page;
}

#ifdef DEBUG_VM
/* Panic when obj is already on page's free list (double free). */
static void slab_check_double_free(struct page *page, const void *obj)
{
	for (const void *o = page->mapping; o; o = *(void *const *)o)
		if (o == obj)
			bad_page("kfree", page, "double free of %p", obj);
}
#else
static void slab_check_double_free(struct page *page, const void *obj)
{
	(void)page;
	(void)obj;
}
#endif

/* Return obj to its slab page; the page goes back to the buddy allocator when empty. */
static void slab_free(struct page *page, const void *obj)
{
	struct kmalloc_cache *c = &kmalloc_caches[page->private & ~SLAB_TAG_MASK];
	unsigned long offset = (unsigned long)obj & (PAGE_SIZE - 1);

	if (offset % c->size)
		bad_page("kfree", page, "%p is not the start of a %u-byte object", obj, c->size);
	spin_lock(&slab_lock);
	slab_check_double_free(page, obj);
	if (page->index == 0)
		bad_page("kfree", page, "free of %p in an empty slab page", obj);
	*(void **)obj = page->mapping;
	page->mapping = (void *)obj;
	if (page->index-- == objs_per_page(c))
		list_add(&page->lru, &c->partial);
	if (page->index == 0) {
		list_del_init(&page->lru);
		page->mapping = NULL;
		page->private = 0;
		free_pages(page, 0);
	}
	spin_unlock(&slab_lock);
}

void kfree(const void *p)
{
	struct page *page;
	unsigned int order;

	if (!p)
		return;
	page = kmalloc_page(p);
	if ((page->private & SLAB_TAG_MASK) == SLAB_TAG_SMALL) {
		slab_free(page, p);
		return;
	}
	if (p != page_address(page))
		bad_page("kfree", page, "%p is inside a large kmalloc block", p);
	order = page->private & ~SLAB_TAG_MASK;
	page->private = 0;
	free_pages(page, order);
}

size_t ksize(const void *p)
{
	struct page *page = kmalloc_page(p);

	if ((page->private & SLAB_TAG_MASK) == SLAB_TAG_SMALL)
		return kmalloc_caches[page->private & ~SLAB_TAG_MASK].size;
	return PAGE_SIZE << (page->private & ~SLAB_TAG_MASK);
}
