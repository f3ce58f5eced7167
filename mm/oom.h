/*
 * oom.h - the out-of-memory killer (mm/oom_kill.c; docs/mm/reclaim.md).
 */
#ifndef MM_OOM_H
#define MM_OOM_H

#include "mm/gfp.h"

/*
 * Reclaim could not free enough for an order-order allocation that may
 * reclaim (page_alloc.c's slow path, process context, no spinlock held):
 * kill the user process with the most memory (init only when it is the last
 * one left, as the faulting task) with Linux's report, and free its memory
 * now.  Returns true when memory was freed and the allocation should be
 * retried; false when current itself was killed (or was dying already), so
 * the allocation fails and current exits.
 */
bool out_of_memory(gfp_t gfp, unsigned int order);

#endif
