/*
 * fdt.c - read the root node of a flattened device tree (devicetree
 * specification v0.4, chapter 5).  All header and token fields are big-endian.
 */
#include "kernel/fdt.h"
#include "kernel/string.h"

#define FDT_MAGIC	0xd00dfeed
#define FDT_BEGIN_NODE	1
#define FDT_END_NODE	2
#define FDT_PROP	3
#define FDT_NOP		4

struct fdt_header {
	u32 magic, totalsize, off_dt_struct, off_dt_strings;
	u32 off_mem_rsvmap, version, last_comp_version, boot_cpuid_phys;
	u32 size_dt_strings, size_dt_struct;
};

static u32 be32(u32 v)
{
	return __builtin_bswap32(v);
}

bool fdt_root_compatible(const void *fdt, const char *compat)
{
	const struct fdt_header *h = fdt;
	const char *strings;
	const u32 *p;

	if (!fdt || be32(h->magic) != FDT_MAGIC)
		return false;
	strings = (const char *)fdt + be32(h->off_dt_strings);
	p = (const u32 *)((const char *)fdt + be32(h->off_dt_struct));
	if (be32(*p++) != FDT_BEGIN_NODE)
		return false;
	p++;			/* root name: "" padded to 4 bytes */
	for (;;) {
		u32 tok = be32(*p++), len;
		const char *val;

		if (tok == FDT_NOP)
			continue;
		if (tok != FDT_PROP)
			return false;	/* first child or end: no compatible found */
		len = be32(p[0]);
		val = (const char *)(p + 2);
		if (strcmp(strings + be32(p[1]), "compatible") == 0) {
			for (u32 off = 0; off < len; off += strlen(val + off) + 1) {
				if (strcmp(val + off, compat) == 0)
					return true;
			}
			return false;
		}
		p += 2 + (len + 3) / 4;
	}
}
