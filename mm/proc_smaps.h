/*
 * proc_smaps.h - /proc/self/smaps (mm/proc_smaps.c), Linux 6.12's format
 * (docs/mm/knobs.md).
 */
#ifndef MM_PROC_SMAPS_H
#define MM_PROC_SMAPS_H

/* Register /proc/self/smaps (after vfs_init). */
void proc_smaps_init(void);

#endif
