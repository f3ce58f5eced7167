/*
 * kallsyms.c - symbol lookup over the table tools/kallsyms.sh generates.
 * The kernel is linked twice: first without the table (the weak references
 * below are then NULL), then with it in the .kallsyms section placed after
 * every other section, so the first link's addresses stay valid.
 */
#include "kernel/kallsyms.h"

extern const u64 kallsyms_num __attribute__((weak));
extern const u64 kallsyms_addrs[] __attribute__((weak));
extern const u32 kallsyms_offsets[] __attribute__((weak));
extern const char kallsyms_names[] __attribute__((weak));
extern char _text[], _etext[];

const char *kallsyms_lookup(unsigned long addr, unsigned long *offset)
{
	u64 lo = 0, hi;

	if (!&kallsyms_num || kallsyms_num == 0 || addr < (unsigned long)_text ||
	    addr >= (unsigned long)_etext || addr < kallsyms_addrs[0])
		return NULL;
	/* Binary search for the last symbol at or below addr. */
	hi = kallsyms_num;
	while (hi - lo > 1) {
		u64 mid = (lo + hi) / 2;

		if (kallsyms_addrs[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	*offset = addr - kallsyms_addrs[lo];
	return kallsyms_names + kallsyms_offsets[lo];
}
