/*
 * ftparse.h - reading a foliotrace (<uapi/foliotrace.h>, docs/policylab.md)
 * on the host: checks every byte it relies on and hands each event to a
 * visitor.  A trace that is truncated, corrupt or of another version stops
 * the parse with an error naming the byte offset; nothing a file holds can
 * make the parser read outside it.
 */
#ifndef POLICYLAB_FTPARSE_H
#define POLICYLAB_FTPARSE_H

#include <stddef.h>
#include <stdint.h>
#include <uapi/foliotrace.h>

struct ft_error {
	uint64_t offset;	/* where the problem is, in bytes from the start */
	char msg[200];		/* "truncated ...", "corrupt ...", "unsupported version ..." */
};

/*
 * Callbacks; either may be NULL.  A non-zero return stops the parse and is
 * returned by ft_parse (the error then says "stopped by the visitor").
 * rec points at the whole record (rec->len bytes), already checked.
 */
struct ft_visitor {
	void *ctx;
	int (*header)(void *ctx, const struct foliotrace_header *h, const char *cmdline);
	int (*record)(void *ctx, const struct ft_hdr *rec, uint64_t offset);
};

/*
 * Parse the trace in buf[0..len): the header, then every record up to and
 * including FT_END.  Returns 0 when the trace is whole and valid, else -1
 * with *err filled (events before the bad byte were visited).
 */
int ft_parse(const void *buf, size_t len, const struct ft_visitor *v, struct ft_error *err);

/* ft_parse of a whole file; an unreadable file is an error at offset 0. */
int ft_parse_file(const char *path, const struct ft_visitor *v, struct ft_error *err);

/* The name of a record type ("fault", "mmap", ...), "?" for none. */
const char *ft_type_name(unsigned int type);

#endif
