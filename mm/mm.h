/*
 * mm.h - what the rest of the kernel includes to use physical memory.
 *
 * Boot order: fill memblock (memory + reserved), build the direct map, then
 * memmap_init().  From then on: alloc_pages()/free_pages(),
 * folio_alloc()/folio_put(), and the folio helpers of mm/folio.h.
 */
#ifndef MM_MM_H
#define MM_MM_H

#include "mm/folio.h"
#include "mm/gfp.h"
#include "mm/page_alloc.h"
#include "mm/debug_vm.h"

/*
 * Allocate the struct page array with memblock, mark holes and reserved
 * frames PageReserved, free the rest into the buddy allocator and print
 * "mm: total/reserved/free pages: N (K KiB)".  See memmap.c for the
 * preconditions.
 */
void memmap_init(void);

#endif
