/* proc_clear_refs.h - /proc/self/clear_refs (mm/proc_clear_refs.c). */
#ifndef MM_PROC_CLEAR_REFS_H
#define MM_PROC_CLEAR_REFS_H

/* Register /proc/self/clear_refs. */
void proc_clear_refs_init(void);

#endif
