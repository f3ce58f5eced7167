/* kallsyms.h - kernel text symbol lookup for backtraces. */
#ifndef KERNEL_KALLSYMS_H
#define KERNEL_KALLSYMS_H

#include "kernel/types.h"

/*
 * Name the function containing addr: returns its name and sets *offset to
 * addr minus its start, or returns NULL when addr is outside the kernel text
 * or the image carries no symbol table.
 */
const char *kallsyms_lookup(unsigned long addr, unsigned long *offset);

#endif
