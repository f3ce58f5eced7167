/*
 * clear_pages.h - the zeroing primitives each arch offers, and which one
 * clear_pages() (asm/page.h) uses.  clear_variants[0] is the default: the
 * fastest measured under QEMU's TCG (docs/results/mm-phys.md), unless the
 * arch picks another from the CPU's features at boot (x86_64: rep stosb on
 * bare metal with ERMS); `folio.clear_pages=NAME` selects another at boot;
 * the benchmark tries all.
 */
#ifndef KERNEL_CLEAR_PAGES_H
#define KERNEL_CLEAR_PAGES_H

struct clear_variant {
	const char *name;
	void (*clear)(void *addr, unsigned long bytes);	/* bytes: a multiple of 64 */
};

/* Provided by arch/<arch>/page.c, terminated by a NULL name. */
extern const struct clear_variant clear_variants[];

/* The variant clear_pages() uses now; set_clear_variant() changes it (bench). */
const struct clear_variant *clear_pages_variant(void);
void set_clear_variant(const struct clear_variant *v);

#endif
