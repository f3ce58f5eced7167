/*
 * consoles.h - console selection (kernel/consoles.c): the serial port and the
 * screen, console= on the command line.
 */
#ifndef KERNEL_CONSOLES_H
#define KERNEL_CONSOLES_H

#include "kernel/types.h"

#define CON_SERIAL	(1U << 0)	/* ttyS0 / ttyAMA0 */
#define CON_SCREEN	(1U << 1)	/* tty0: framebuffer and keyboard */

struct bi_framebuffer;

/* After paging_init: bring up the screen console (kernel/fbcon.c), settle what console= asked
 * for against the consoles present, and replay the log so far onto the screen. */
void console_screen_init(const struct bi_framebuffer *fb);
/* The kernel log's bytes (kernel/printk.c), to every log console. */
void console_log_write(const char *s, size_t n);
/* /dev/console's output (kernel/console.c). */
void console_dev_write(const char *s, size_t n);
/* Is con (CON_*) an input of /dev/console? */
bool console_reads(unsigned int con);
/* A byte typed on con: queued for /dev/console if con is one of its inputs. */
void console_input_from(unsigned int con, char c);
/* Draw pending screen output now (urgent messages). */
void console_flush(void);
/* Every timer tick, every CPU: the boot CPU draws pending screen output. */
void console_tick(void);

#endif
