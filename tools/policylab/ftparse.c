/*
 * ftparse.c - the foliotrace parser (ftparse.h).
 *
 * Order of the checks: the header's fixed part (length, magic, version,
 * header_len, arch, page size, mode, knob values, a NUL-terminated command
 * line), then per record: a whole ft_hdr left, a length that is a positive
 * multiple of 8 and fits in the file, a type known to the trace's version
 * (version 1 has no FT_FILL, FT_KNOB) with its exact size (FT_EXECVE: a
 * NUL-terminated path; FT_KNOB: a path and a value, each NUL-terminated),
 * the values of its fields; last,
 * FT_END's event count equals the records before it, and nothing follows it.
 * Each failure names the first byte that is wrong.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tools/policylab/ftparse.h"

static const char *const type_names[FT_NR_TYPES] = {
	[FT_FAULT] = "fault", [FT_MMAP] = "mmap", [FT_MUNMAP] = "munmap", [FT_MPROTECT] = "mprotect",
	[FT_MADVISE] = "madvise", [FT_MREMAP] = "mremap", [FT_BRK] = "brk", [FT_FORK] = "fork",
	[FT_EXIT] = "exit", [FT_EXECVE] = "execve", [FT_VMA] = "vma", [FT_SPLIT] = "split",
	[FT_END] = "end", [FT_FILL] = "fill", [FT_KNOB] = "knob",
};

/* The exact size of each fixed-size record type; 0: variable (FT_EXECVE, FT_KNOB: at least its fixed part + 8). */
static const size_t type_sizes[FT_NR_TYPES] = {
	[FT_FAULT] = sizeof(struct ft_fault), [FT_MMAP] = sizeof(struct ft_mmap),
	[FT_MUNMAP] = sizeof(struct ft_range), [FT_MPROTECT] = sizeof(struct ft_range),
	[FT_MADVISE] = sizeof(struct ft_range), [FT_MREMAP] = sizeof(struct ft_mremap),
	[FT_BRK] = sizeof(struct ft_brk), [FT_FORK] = sizeof(struct ft_fork),
	[FT_EXIT] = sizeof(struct ft_exit), [FT_VMA] = sizeof(struct ft_vma),
	[FT_SPLIT] = sizeof(struct ft_split), [FT_END] = sizeof(struct ft_end), [FT_FILL] = sizeof(struct ft_fill),
};

/* The fixed part of each variable-size type, which a record must exceed. */
static size_t var_fixed(unsigned int type)
{
	return type == FT_KNOB ? sizeof(struct ft_knob) : sizeof(struct ft_hdr);
}

/* The types each version has: every one below this. */
static unsigned int version_types(unsigned int version)
{
	return version == 1 ? FT_FILL : FT_NR_TYPES;
}

_Static_assert(sizeof(struct foliotrace_header) == FT_HEADER_FIXED, "header layout");

const char *ft_type_name(unsigned int type)
{
	return type < FT_NR_TYPES && type_names[type] ? type_names[type] : "?";
}

static int fail(struct ft_error *err, uint64_t offset, const char *fmt, ...)
{
	va_list ap;

	err->offset = offset;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

static int check_header(const uint8_t *p, size_t len, struct ft_error *err)
{
	const struct foliotrace_header *h = (const void *)p;

	if (len < FT_HEADER_FIXED)
		return fail(err, len, "truncated header: %zu bytes, the header needs %d", len, FT_HEADER_FIXED);
	if (memcmp(h->magic, FT_MAGIC, sizeof(h->magic)))
		return fail(err, 0, "not a foliotrace: bad magic");
	if (h->version < FT_VERSION_MIN || h->version > FT_VERSION)
		return fail(err, offsetof(struct foliotrace_header, version),
			    "unsupported version %u (this parser reads versions %d to %d)", h->version, FT_VERSION_MIN,
			    FT_VERSION);
	if (h->header_len <= FT_HEADER_FIXED || h->header_len % 8)
		return fail(err, offsetof(struct foliotrace_header, header_len),
			    "corrupt header: header_len %u", h->header_len);
	if (h->header_len > len)
		return fail(err, len, "truncated header: %zu bytes, header_len says %u", len, h->header_len);
	if (h->arch != FT_ARCH_X86_64 && h->arch != FT_ARCH_ARM64)
		return fail(err, offsetof(struct foliotrace_header, arch), "corrupt header: arch %u", h->arch);
	if (h->page_shift != 12)
		return fail(err, offsetof(struct foliotrace_header, page_shift),
			    "corrupt header: page_shift %u", h->page_shift);
	if (h->mode > FT_MODE_LARGE)
		return fail(err, offsetof(struct foliotrace_header, mode), "corrupt header: mode %u", h->mode);
	if (h->thp_top > FT_THP_MADVISE)
		return fail(err, offsetof(struct foliotrace_header, thp_top),
			    "corrupt header: thp_top %u", h->thp_top);
	for (unsigned int k = 0; k <= MTHP_MAX_ORDER; k++)
		if (h->thp_mode[k] > FT_THP_INHERIT)
			return fail(err, offsetof(struct foliotrace_header, thp_mode) + k,
				    "corrupt header: thp_mode[%u] %u", k, h->thp_mode[k]);
	if (!memchr(p + FT_HEADER_FIXED, 0, h->header_len - FT_HEADER_FIXED))
		return fail(err, FT_HEADER_FIXED, "corrupt header: command line not NUL-terminated");
	return 0;
}

/* The field checks of a record whose size is right. */
static int check_fields(const struct ft_hdr *r, uint64_t off, struct ft_error *err)
{
	if (r->type != FT_FAULT && r->flags & ~(r->type == FT_KNOB ? FT_KNOB_TRUNCATED : 0))
		return fail(err, off + offsetof(struct ft_hdr, flags), "corrupt record at offset %llu: %s flags %#x",
			    (unsigned long long)off, ft_type_name(r->type), r->flags);
	switch (r->type) {
	case FT_FAULT: {
		const struct ft_fault *f = (const void *)r;
		unsigned int out = (r->flags & FT_OUT_MASK) >> FT_OUT_SHIFT;
		bool has_order = out == FT_OUT_ALLOC || out == FT_OUT_COW_COPY;

		if ((r->flags & FT_ACC_MASK) > FT_ACC_EXEC || out > FT_OUT_FAILED ||
		    (r->flags & ~(FT_ACC_MASK | FT_FAULT_USER | FT_FAULT_UNSHARE | FT_OUT_MASK)))
			return fail(err, off + offsetof(struct ft_hdr, flags),
				    "corrupt record at offset %llu: fault flags %#x", (unsigned long long)off, r->flags);
		if (has_order ? f->order > MTHP_MAX_ORDER : f->order != FT_ORDER_NONE)
			return fail(err, off + offsetof(struct ft_fault, order),
				    "corrupt record at offset %llu: fault order %u", (unsigned long long)off, f->order);
		break;
	}
	case FT_SPLIT: {
		const struct ft_split *s = (const void *)r;

		if (s->old_order > MTHP_MAX_ORDER || s->new_order >= s->old_order)
			return fail(err, off + offsetof(struct ft_split, old_order),
				    "corrupt record at offset %llu: split of order %u to %u",
				    (unsigned long long)off, s->old_order, s->new_order);
		break;
	}
	case FT_VMA: {
		const struct ft_vma *v = (const void *)r;

		if (v->end <= v->start)
			return fail(err, off + offsetof(struct ft_vma, start),
				    "corrupt record at offset %llu: vma %#llx-%#llx", (unsigned long long)off,
				    (unsigned long long)v->start, (unsigned long long)v->end);
		break;
	}
	case FT_EXECVE:
		if (!memchr((const char *)r + sizeof(*r), 0, r->len - sizeof(*r)))
			return fail(err, off + sizeof(*r),
				    "corrupt record at offset %llu: execve path not NUL-terminated",
				    (unsigned long long)off);
		break;
	case FT_FILL: {
		const struct ft_fill *x = (const void *)r;

		if (x->order < 1 || x->order > MTHP_MAX_ORDER)
			return fail(err, off + offsetof(struct ft_fill, order),
				    "corrupt record at offset %llu: fill of order %u", (unsigned long long)off, x->order);
		if (x->mapped < 1 || x->mapped > 1U << x->order)
			return fail(err, off + offsetof(struct ft_fill, mapped),
				    "corrupt record at offset %llu: fill with %u of %u pages mapped",
				    (unsigned long long)off, x->mapped, 1U << x->order);
		break;
	}
	case FT_KNOB: {
		const char *text = ((const struct ft_knob *)r)->text;
		size_t n = r->len - sizeof(struct ft_knob);
		const char *nul = memchr(text, 0, n);

		if (nul == text)
			return fail(err, off + sizeof(struct ft_knob), "corrupt record at offset %llu: knob path empty",
				    (unsigned long long)off);
		if (!nul || !memchr(nul + 1, 0, n - (size_t)(nul + 1 - text)))
			return fail(err, off + sizeof(struct ft_knob) + (nul ? (size_t)(nul + 1 - text) : 0),
				    "corrupt record at offset %llu: knob %s not NUL-terminated", (unsigned long long)off,
				    nul ? "value" : "path");
		break;
	}
	}
	return 0;
}

/* Check the record at p[off..len) of a trace of version: its header, size and fields. */
static int check_record(const uint8_t *p, size_t len, uint64_t off, unsigned int version, struct ft_error *err)
{
	const struct ft_hdr *r = (const void *)(p + off);
	size_t left = len - off;

	if (left < sizeof(*r))
		return fail(err, off, "truncated record at offset %llu: %zu bytes left, a record header needs %zu",
			    (unsigned long long)off, left, sizeof(*r));
	if (r->type == 0 || r->type >= version_types(version))
		return fail(err, off, "corrupt record at offset %llu: unknown type %u (version %u)",
			    (unsigned long long)off, r->type, version);
	if (r->len < sizeof(*r) || r->len % 8)
		return fail(err, off + offsetof(struct ft_hdr, len),
			    "corrupt record at offset %llu: length %u is not a multiple of 8 of at least %zu",
			    (unsigned long long)off, r->len, sizeof(*r));
	if (r->len > left)
		return fail(err, len, "truncated record at offset %llu: %s needs %u bytes, %zu left",
			    (unsigned long long)off, ft_type_name(r->type), r->len, left);
	if (type_sizes[r->type] ? r->len != type_sizes[r->type] : r->len <= var_fixed(r->type))
		return fail(err, off + offsetof(struct ft_hdr, len),
			    "corrupt record at offset %llu: %s of length %u (expected %s%zu)", (unsigned long long)off,
			    ft_type_name(r->type), r->len, type_sizes[r->type] ? "" : "more than ",
			    type_sizes[r->type] ? type_sizes[r->type] : var_fixed(r->type));
	return check_fields(r, off, err);
}

int ft_parse(const void *buf, size_t len, const struct ft_visitor *v, struct ft_error *err)
{
	const uint8_t *p = buf;
	const struct foliotrace_header *h = buf;
	uint64_t off, events = 0;

	if (check_header(p, len, err))
		return -1;
	if (v->header && v->header(v->ctx, h, (const char *)p + FT_HEADER_FIXED))
		return fail(err, 0, "stopped by the visitor at the header");
	for (off = h->header_len; off < len; ) {
		const struct ft_hdr *r = (const void *)(p + off);

		if (check_record(p, len, off, h->version, err))
			return -1;
		if (r->type == FT_END) {
			const struct ft_end *e = (const void *)r;

			if (e->events != events)
				return fail(err, off + offsetof(struct ft_end, events),
					    "corrupt trace: FT_END at offset %llu counts %llu events, the trace holds %llu",
					    (unsigned long long)off, (unsigned long long)e->events,
					    (unsigned long long)events);
			if (off + r->len != len)
				return fail(err, off + r->len, "corrupt trace: %llu bytes after FT_END",
					    (unsigned long long)(len - off - r->len));
		}
		if (v->record && v->record(v->ctx, r, off))
			return fail(err, off, "stopped by the visitor at offset %llu", (unsigned long long)off);
		if (r->type == FT_END)
			return 0;
		events++;
		off += r->len;
	}
	return fail(err, len, "truncated trace: no FT_END record after %llu events", (unsigned long long)events);
}

int ft_parse_file(const char *path, const struct ft_visitor *v, struct ft_error *err)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, n;
	int ret;

	if (!f)
		return fail(err, 0, "cannot open %s: %s", path, strerror(errno));
	do {
		if (len == cap) {
			uint8_t *nb = realloc(buf, cap = cap ? 2 * cap : 1 << 20);

			if (!nb) {
				free(buf);
				fclose(f);
				return fail(err, len, "out of memory reading %s", path);
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n);
	ret = ferror(f) ? fail(err, len, "cannot read %s: %s", path, strerror(errno)) : ft_parse(buf, len, v, err);
	fclose(f);
	free(buf);
	return ret;
}
