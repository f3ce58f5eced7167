/*
 * proc_map_header.h - the /proc/<pid>/maps line of a VMA, which
 * /proc/self/smaps prints as each VMA's header (mm/proc_map_header.c).
 */
#ifndef MM_PROC_MAP_HEADER_H
#define MM_PROC_MAP_HEADER_H

#include "kernel/types.h"

struct vm_area_struct;

/*
 * vma's maps line, newline included, in Linux's show_map_vma format for
 * anonymous memory: "start-end perms 00000000 00:00 0 " and, padded to
 * column 73, "[heap]" or "[stack]" when it is one.  Into buf (at most len
 * bytes); returns the line's length, snprintf-style.
 */
int show_map_vma(char *buf, size_t len, const struct vm_area_struct *vma);

#endif
