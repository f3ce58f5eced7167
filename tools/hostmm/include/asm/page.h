/* asm/page.h (host) - page-sized memory primitives; libc underneath. */
#ifndef ASM_PAGE_H
#define ASM_PAGE_H

void clear_pages(void *addr, unsigned int nr_pages);
void copy_page(void *dst, const void *src);

#endif
