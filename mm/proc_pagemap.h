/*
 * proc_pagemap.h - /proc/self/pagemap, /proc/kpageflags, /proc/kpagecount
 * (mm/proc_pagemap.c; formats in <uapi/pagemap.h>).
 */
#ifndef MM_PROC_PAGEMAP_H
#define MM_PROC_PAGEMAP_H

#include "kernel/types.h"

/* The KPF_* bits of the frame pfn (a /proc/kpageflags entry). */
u64 stable_page_flags(unsigned long pfn);

/* Register the three files. */
void proc_pagemap_init(void);

#endif
