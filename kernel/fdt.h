/* fdt.h - just enough of the flattened device tree format to read root properties. */
#ifndef KERNEL_FDT_H
#define KERNEL_FDT_H

#include "kernel/types.h"

/* True when the root node's "compatible" list of fdt contains compat. */
bool fdt_root_compatible(const void *fdt, const char *compat);

#endif
