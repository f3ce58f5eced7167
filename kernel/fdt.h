/* fdt.h - just enough of the flattened device tree format: root properties, a property walk. */
#ifndef KERNEL_FDT_H
#define KERNEL_FDT_H

#include "kernel/types.h"

/*
 * One property of the node `node` (its name with unit address, "" for the
 * root) whose parent is `parent` ("" for the root's children and for the
 * root itself): name prop, len bytes of big-endian value.
 */
typedef void (*fdt_prop_fn)(void *ctx, const char *parent, const char *node, const char *prop,
			    const void *val, u32 len);

/* Call fn for every property of fdt, in blob order (a node's properties before its
 * children's).  False when fdt is no valid blob (the walk stops where it broke). */
bool fdt_for_each_property(const void *fdt, fdt_prop_fn fn, void *ctx);
/* A big-endian cell in host order. */
u32 fdt32_to_cpu(u32 v);
/* Does the string-list value (len bytes, NUL-separated) hold s? */
bool fdt_string_list_contains(const char *val, u32 len, const char *s);
/* True when the root node's "compatible" list of fdt contains compat. */
bool fdt_root_compatible(const void *fdt, const char *compat);

#endif
