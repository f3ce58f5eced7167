/*
 * proc_folios.h - /proc/self/folios (mm/proc_folios.c): the folios behind
 * the reading process's memory, in the format docs/mm/knobs.md gives.
 */
#ifndef MM_PROC_FOLIOS_H
#define MM_PROC_FOLIOS_H

#include "kernel/types.h"

/* The file's contents for current's mm (empty for a task without one); see pseudo_file_register. */
long proc_folios_show(char *buf, size_t len);

/* Register /proc/self/folios (after vfs_init). */
void proc_folios_init(void);

#endif
