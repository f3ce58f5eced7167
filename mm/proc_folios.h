/*
 * proc_folios.h - /proc/<pid>/folios (mm/proc_folios.c): the folios behind
 * a process's memory, in the format docs/mm/knobs.md gives.
 */
#ifndef MM_PROC_FOLIOS_H
#define MM_PROC_FOLIOS_H

#include "kernel/types.h"

struct mm_struct;

/* /proc/<pid>/folios of mm (NULL: empty) into buf (len bytes); its length, snprintf-style. */
long proc_folios_show(struct mm_struct *mm, char *buf, size_t len);

/* Register /proc/<pid>/folios (after vfs_init). */
void proc_folios_init(void);

#endif
