/*
 * ftwrite.h - building a foliotrace on the host (the synthetic generators,
 * the parser's tests): one record per call, into a growing buffer, with a
 * synthetic clock (1 us per event) and the FT_END count kept.
 */
#ifndef POLICYLAB_FTWRITE_H
#define POLICYLAB_FTWRITE_H

#include <stddef.h>
#include <stdint.h>
#include <uapi/foliotrace.h>

struct ft_writer {
	uint8_t *buf;
	size_t len, cap;
	uint64_t ts_ns;
	uint64_t events;	/* records written, FT_END excluded */
};

/* Start a trace: the header of an arch, a mode (FT_MODE_ORDER0: every size
 * never; FT_MODE_LARGE: hugepages-64kB always) and a command line. */
void ftw_init(struct ft_writer *w, unsigned int arch, unsigned int mode, const char *cmdline);
void ftw_fault(struct ft_writer *w, uint32_t pid, uint64_t addr, unsigned int acc, unsigned int out,
	       unsigned int order);
void ftw_mmap(struct ft_writer *w, uint32_t pid, uint64_t addr, uint64_t len, uint32_t prot,
	      uint32_t flags, int64_t ret);
/* FT_MUNMAP, FT_MPROTECT or FT_MADVISE. */
void ftw_range(struct ft_writer *w, enum ft_type type, uint32_t pid, uint64_t addr, uint64_t len,
	       uint64_t arg, int64_t ret);
void ftw_brk(struct ft_writer *w, uint32_t pid, uint64_t brk, int64_t ret);
void ftw_fork(struct ft_writer *w, uint32_t parent, uint32_t child);
void ftw_exit(struct ft_writer *w, uint32_t pid, int32_t status);
/* FT_EXECVE of path (cut at FT_PATH_MAX - 1 bytes). */
void ftw_execve(struct ft_writer *w, uint32_t pid, const char *path);
void ftw_vma(struct ft_writer *w, uint32_t pid, uint64_t start, uint64_t end, uint32_t prot,
	     uint32_t flags);
/* FT_FILL: pid's fault at addr took its page from a reservation of order; mapped pages now. */
void ftw_fill(struct ft_writer *w, uint32_t pid, uint64_t addr, unsigned int order, uint32_t mapped);
/* FT_KNOB: pid wrote val to /sys/kernel/mm/<path>, which returned ret (both cut to fit, flagged). */
void ftw_knob(struct ft_writer *w, uint32_t pid, const char *path, const char *val, int64_t ret);
/* The closing FT_END; write nothing after it. */
void ftw_end(struct ft_writer *w);
/* Write the buffer to path ("-": stdout); 0 or -1 with errno. */
int ftw_save(const struct ft_writer *w, const char *path);
void ftw_free(struct ft_writer *w);

#endif
