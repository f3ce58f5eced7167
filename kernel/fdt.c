/*
 * fdt.c - read a flattened device tree (devicetree specification v0.4,
 * chapter 5): one walk over the structure block that hands every property
 * to a callback with the names of its node and the node's parent.  All
 * header and token fields are big-endian.  The walk checks that every token
 * and property lies inside the structure block, so a damaged blob ends it
 * (false) rather than reading past it.
 */
#include "kernel/fdt.h"
#include "kernel/string.h"

#define FDT_MAGIC	0xd00dfeed
#define FDT_BEGIN_NODE	1
#define FDT_END_NODE	2
#define FDT_PROP	3
#define FDT_NOP		4
#define FDT_END		9
#define FDT_MAX_DEPTH	16

struct fdt_header {
	u32 magic, totalsize, off_dt_struct, off_dt_strings;
	u32 off_mem_rsvmap, version, last_comp_version, boot_cpuid_phys;
	u32 size_dt_strings, size_dt_struct;
};

u32 fdt32_to_cpu(u32 v)
{
	return __builtin_bswap32(v);
}

bool fdt_for_each_property(const void *fdt, fdt_prop_fn fn, void *ctx)
{
	const struct fdt_header *h = fdt;
	const char *names[FDT_MAX_DEPTH + 1] = { "" };
	const char *strings;
	const u32 *p, *end;
	int depth = -1;

	if (!fdt || fdt32_to_cpu(h->magic) != FDT_MAGIC)
		return false;
	strings = (const char *)fdt + fdt32_to_cpu(h->off_dt_strings);
	p = (const u32 *)((const char *)fdt + fdt32_to_cpu(h->off_dt_struct));
	end = p + fdt32_to_cpu(h->size_dt_struct) / 4;
	while (p < end) {
		u32 tok = fdt32_to_cpu(*p++), len;

		switch (tok) {
		case FDT_NOP:
			break;
		case FDT_BEGIN_NODE:
			if (++depth >= FDT_MAX_DEPTH)
				return false;
			names[depth + 1] = (const char *)p;
			p += (strnlen((const char *)p, (end - p) * 4) + 4) / 4;
			break;
		case FDT_END_NODE:
			if (--depth < -1)
				return false;
			break;
		case FDT_PROP:
			if (depth < 0 || end - p < 2)
				return false;
			len = fdt32_to_cpu(p[0]);
			if ((u64)(end - p - 2) * 4 < len)
				return false;
			fn(ctx, names[depth], names[depth + 1], strings + fdt32_to_cpu(p[1]), p + 2, len);
			p += 2 + (len + 3) / 4;
			break;
		case FDT_END:
			return depth == -1;
		default:
			return false;
		}
	}
	return false;
}

bool fdt_string_list_contains(const char *val, u32 len, const char *s)
{
	for (u32 off = 0; off < len; off += strnlen(val + off, len - off) + 1) {
		if (strncmp(val + off, s, len - off) == 0)
			return true;
	}
	return false;
}

struct root_compat {
	const char *want;
	bool found;
};

static void root_compat_prop(void *ctx, const char *parent, const char *node, const char *prop,
			     const void *val, u32 len)
{
	struct root_compat *rc = ctx;

	if (!parent[0] && !node[0] && strcmp(prop, "compatible") == 0)
		rc->found = fdt_string_list_contains(val, len, rc->want);
}

bool fdt_root_compatible(const void *fdt, const char *compat)
{
	struct root_compat rc = { compat, false };

	fdt_for_each_property(fdt, root_compat_prop, &rc);
	return rc.found;
}
