/*
 * memblock.c - boot-time physical range allocator (see memblock.h).
 *
 * Both lists are kept sorted by base with no overlaps and no touching
 * neighbours, so "is this address reserved" is a linear scan of a few
 * entries and the allocator can walk free gaps top-down.
 */
#include "mm/memblock.h"
#include "kernel/compiler.h"
#include "kernel/printk.h"
#include <uapi/page.h>

struct memblock memblock;

void memblock_reset(void)
{
	memblock.current_limit = 0;
	memblock.memory.cnt = 0;
	memblock.reserved.cnt = 0;
}

/* Insert [base, base+size) into type, merging with overlapping/touching regions. */
static void memblock_insert(struct memblock_type *type, phys_addr_t base, phys_addr_t size)
{
	phys_addr_t end = base + size;
	unsigned int i = 0, j;

	if (size == 0)
		return;
	/* Skip regions wholly before the new one. */
	while (i < type->cnt && type->regions[i].base + type->regions[i].size < base)
		i++;
	/* Absorb every region that overlaps or touches [base, end). */
	j = i;
	while (j < type->cnt && type->regions[j].base <= end) {
		struct memblock_region *r = &type->regions[j];

		base = min(base, r->base);
		end = max(end, r->base + r->size);
		j++;
	}
	if (j == i) {
		/* Nothing absorbed: make room at i. */
		if (type->cnt == MEMBLOCK_MAX)
			panic("memblock_insert: more than %d regions", MEMBLOCK_MAX);
		for (j = type->cnt; j > i; j--)
			type->regions[j] = type->regions[j - 1];
		type->cnt++;
	} else if (j > i + 1) {
		/* Regions i..j-1 collapse into slot i. */
		unsigned int gone = j - i - 1, k;

		for (k = i + 1; k + gone < type->cnt; k++)
			type->regions[k] = type->regions[k + gone];
		type->cnt -= gone;
	}
	type->regions[i].base = base;
	type->regions[i].size = end - base;
}

void memblock_set_current_limit(phys_addr_t limit)
{
	memblock.current_limit = limit;
}

void memblock_add(phys_addr_t base, phys_addr_t size)
{
	memblock_insert(&memblock.memory, base, size);
}

void memblock_reserve(phys_addr_t base, phys_addr_t size)
{
	memblock_insert(&memblock.reserved, base, size);
}

phys_addr_t memblock_alloc(phys_addr_t size, phys_addr_t align)
{
	BUG_ON(align == 0 || (align & (align - 1)));
	size = ALIGN(size, (phys_addr_t)4096);
	/* Walk memory regions from the top; within each, try gaps below each reservation. */
	for (int i = (int)memblock.memory.cnt - 1; i >= 0; i--) {
		const struct memblock_region *m = &memblock.memory.regions[i];
		phys_addr_t top = m->base + m->size;

		if (memblock.current_limit && top > memblock.current_limit)
			top = memblock.current_limit;

		while (top >= m->base + size) {
			phys_addr_t cand = ALIGN_DOWN(top - size, align);
			bool clash = false;

			if (cand < m->base)
				break;
			for (unsigned int k = 0; k < memblock.reserved.cnt; k++) {
				const struct memblock_region *r = &memblock.reserved.regions[k];

				if (cand < r->base + r->size && r->base < cand + size) {
					top = r->base;	/* retry below this reservation */
					clash = true;
					break;
				}
			}
			/* Never hand out page 0: 0 means failure. */
			if (!clash && cand != 0) {
				memblock_reserve(cand, size);
				return cand;
			}
			if (!clash)
				break;
		}
	}
	return 0;
}

phys_addr_t memblock_start_of_DRAM(void)
{
	return memblock.memory.cnt ? memblock.memory.regions[0].base : 0;
}

phys_addr_t memblock_end_of_DRAM(void)
{
	const struct memblock_type *t = &memblock.memory;

	return t->cnt ? t->regions[t->cnt - 1].base + t->regions[t->cnt - 1].size : 0;
}

static phys_addr_t memblock_type_size(const struct memblock_type *t)
{
	phys_addr_t sum = 0;

	for (unsigned int i = 0; i < t->cnt; i++)
		sum += t->regions[i].size;
	return sum;
}

phys_addr_t memblock_phys_mem_size(void)
{
	return memblock_type_size(&memblock.memory);
}

phys_addr_t memblock_reserved_size(void)
{
	return memblock_type_size(&memblock.reserved);
}

unsigned long totalram_pages(void)
{
	return (unsigned long)((memblock_phys_mem_size() - memblock_reserved_size()) >> PAGE_SHIFT);
}
