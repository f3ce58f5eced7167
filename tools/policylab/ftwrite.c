/*
 * ftwrite.c - the host's trace writer (ftwrite.h).  Records are laid out
 * exactly as mm/foliotrace.c lays them out in the kernel: the structs of
 * <uapi/foliotrace.h>, zeroed, then filled.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tools/policylab/ftwrite.h"

/* Append len zeroed bytes; exits on out of memory (a host tool, never a partial trace). */
static void *ftw_grow(struct ft_writer *w, size_t len)
{
	void *p;

	if (w->len + len > w->cap) {
		size_t cap = w->cap ? w->cap : 1 << 16;

		while (cap < w->len + len)
			cap *= 2;
		w->buf = realloc(w->buf, cap);
		if (!w->buf) {
			fprintf(stderr, "ftwrite: out of memory\n");
			exit(1);
		}
		w->cap = cap;
	}
	p = w->buf + w->len;
	memset(p, 0, len);
	w->len += len;
	return p;
}

/* A new record of type and len by pid, its header filled, the rest zero. */
static void *ftw_rec(struct ft_writer *w, enum ft_type type, size_t len, uint32_t pid)
{
	struct ft_hdr *h = ftw_grow(w, len);

	w->ts_ns += 1000;
	*h = (struct ft_hdr){ .type = (uint8_t)type, .len = (uint8_t)len, .pid = pid, .ts_ns = w->ts_ns };
	if (type != FT_END)
		w->events++;
	return h;
}

void ftw_init(struct ft_writer *w, unsigned int arch, unsigned int mode, const char *cmdline)
{
	size_t clen = strnlen(cmdline, FT_CMDLINE_MAX - 1), hlen = FT_HEADER_FIXED + ((clen + 8) & ~7UL);
	struct foliotrace_header *h;

	*w = (struct ft_writer){ 0 };
	h = ftw_grow(w, hlen);
	memcpy(h->magic, FT_MAGIC, sizeof(h->magic));
	h->version = FT_VERSION;
	h->header_len = (uint16_t)hlen;
	h->arch = (uint8_t)arch;
	h->page_shift = 12;
	h->mode = (uint8_t)mode;
	h->allow_order1 = 1;
	h->thp_top = FT_THP_NEVER;
	for (unsigned int k = MTHP_MIN_ORDER; k <= MTHP_MAX_ORDER; k++)
		h->thp_mode[k] = mode == FT_MODE_LARGE && k == 4 ? FT_THP_ALWAYS : FT_THP_NEVER;
	memcpy(h->policy, "static", 6);
	memcpy((char *)h + FT_HEADER_FIXED, cmdline, clen);
}

void ftw_fault(struct ft_writer *w, uint32_t pid, uint64_t addr, unsigned int acc, unsigned int out,
	       unsigned int order)
{
	struct ft_fault *f = ftw_rec(w, FT_FAULT, sizeof(*f), pid);

	f->h.flags = (uint16_t)(acc | FT_FAULT_USER | (out << FT_OUT_SHIFT));
	f->addr = addr;
	f->order = (uint8_t)order;
}

void ftw_mmap(struct ft_writer *w, uint32_t pid, uint64_t addr, uint64_t len, uint32_t prot,
	      uint32_t flags, int64_t ret)
{
	struct ft_mmap *r = ftw_rec(w, FT_MMAP, sizeof(*r), pid);

	*r = (struct ft_mmap){ .h = r->h, .addr = addr, .len = len, .prot = prot, .flags = flags, .fd = -1,
			       .ret = ret };
}

void ftw_range(struct ft_writer *w, enum ft_type type, uint32_t pid, uint64_t addr, uint64_t len,
	       uint64_t arg, int64_t ret)
{
	struct ft_range *r = ftw_rec(w, type, sizeof(*r), pid);

	*r = (struct ft_range){ .h = r->h, .addr = addr, .len = len, .arg = arg, .ret = ret };
}

void ftw_brk(struct ft_writer *w, uint32_t pid, uint64_t brk, int64_t ret)
{
	struct ft_brk *r = ftw_rec(w, FT_BRK, sizeof(*r), pid);

	r->brk = brk;
	r->ret = ret;
}

void ftw_fork(struct ft_writer *w, uint32_t parent, uint32_t child)
{
	struct ft_fork *r = ftw_rec(w, FT_FORK, sizeof(*r), parent);

	r->child = child;
}

void ftw_exit(struct ft_writer *w, uint32_t pid, int32_t status)
{
	struct ft_exit *r = ftw_rec(w, FT_EXIT, sizeof(*r), pid);

	r->status = status;
}

void ftw_execve(struct ft_writer *w, uint32_t pid, const char *path)
{
	size_t plen = strnlen(path, FT_PATH_MAX - 1);
	struct ft_execve *r = ftw_rec(w, FT_EXECVE, sizeof(*r) + ((plen + 8) & ~7UL), pid);

	memcpy(r->path, path, plen);
}

void ftw_vma(struct ft_writer *w, uint32_t pid, uint64_t start, uint64_t end, uint32_t prot,
	     uint32_t flags)
{
	struct ft_vma *r = ftw_rec(w, FT_VMA, sizeof(*r), pid);

	r->start = start;
	r->end = end;
	r->prot = prot;
	r->flags = flags;
}

void ftw_fill(struct ft_writer *w, uint32_t pid, uint64_t addr, unsigned int order, uint32_t mapped)
{
	struct ft_fill *r = ftw_rec(w, FT_FILL, sizeof(*r), pid);

	r->addr = addr;
	r->order = (uint8_t)order;
	r->mapped = mapped;
}

void ftw_knob(struct ft_writer *w, uint32_t pid, const char *path, const char *val, int64_t ret)
{
	size_t plen = strnlen(path, FT_KNOB_TEXT_MAX - 2), vlen = strlen(val), room = FT_KNOB_TEXT_MAX - plen - 2;
	size_t n = vlen < room ? vlen : room;
	struct ft_knob *r = ftw_rec(w, FT_KNOB, sizeof(*r) + ((plen + n + 2 + 7) & ~7UL), pid);

	r->ret = ret;
	memcpy(r->text, path, plen);
	memcpy(r->text + plen + 1, val, n);
	if (vlen > room || path[plen])
		r->h.flags = FT_KNOB_TRUNCATED;
}

void ftw_end(struct ft_writer *w)
{
	struct ft_end *r = ftw_rec(w, FT_END, sizeof(*r), 0);

	r->events = w->events;
}

int ftw_save(const struct ft_writer *w, const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "wb") : stdout;
	int ok;

	if (!f)
		return -1;
	ok = fwrite(w->buf, 1, w->len, f) == w->len;
	if (f != stdout)
		ok &= fclose(f) == 0;
	else
		ok &= fflush(f) == 0;
	return ok ? 0 : -1;
}

void ftw_free(struct ft_writer *w)
{
	free(w->buf);
	*w = (struct ft_writer){ 0 };
}
