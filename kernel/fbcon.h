/*
 * fbcon.h - the framebuffer console (kernel/fbcon.c), tty0 of kernel/consoles.c.
 */
#ifndef KERNEL_FBCON_H
#define KERNEL_FBCON_H

#include "kernel/types.h"

struct bi_framebuffer;

/*
 * Map the GOP framebuffer the loader described and clear it.  Returns false
 * (with a warning naming the reason, silently when there is none) when there
 * is no usable framebuffer; then fbcon_write and fbcon_flush do nothing.
 * Needs ioremap (after paging_init); call once, before any other CPU runs.
 */
bool fbcon_init(const struct bi_framebuffer *fb);
/* Take n bytes of console output into the text grid; drawn by the next fbcon_flush. */
void fbcon_write(const char *s, size_t n);
/* Draw every cell that changed since the last flush.  Any context, interrupts on or off. */
void fbcon_flush(void);
/* The periodic tick (one CPU): flush once output paused for a tick, or every second. */
void fbcon_tick(void);

#endif
