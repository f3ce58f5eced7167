/*
 * consoles.c - which consoles get the kernel log, /dev/console's output and
 * its input: console= on the command line, in Linux's words.
 *
 * Two consoles: the serial port (ARCH_SERIAL_CONSOLE: ttyS0, the 16550 at
 * COM1, or ttyAMA0, the PL011) and the screen (tty0: the GOP framebuffer
 * through kernel/fbcon.c, the PS/2 keyboard as its input on x86_64).
 *
 *   console=NAME[,options]   every word adds NAME to the consoles that print
 *                            the kernel log; the last one named is
 *                            /dev/console, where init's output goes and its
 *                            input comes from (Linux's rule).  Options after a
 *                            comma (ttyS0,115200n8) are accepted and ignored:
 *                            the firmware's UART settings stay.
 *   no console= word         the kernel log and /dev/console's output go to
 *                            both (the screen mirrored to the serial port), and
 *                            input comes from both the serial port and the
 *                            keyboard.  Linux would use tty0 alone; foliOS
 *                            mirrors so that one image works on a serial-only
 *                            QEMU and on a machine with a screen alone.
 *
 * Until fbcon_init has run (after paging_init), everything goes to the serial
 * port; console_screen_init then replays the log kept so far onto the screen
 * (kernel/printk.c), so the screen shows the boot from its first line.  A
 * screen named with no framebuffer present is reported and the serial port
 * takes its place.  Urgent messages (KERN_ERR and above: oopses, panics, the
 * power-off line) are drawn at once; everything else by the tick (kernel/fbcon.c).
 *
 * The masks are written during boot (cmdline_parse, console_screen_init),
 * before any other CPU runs, and only read afterwards.
 */
#include "kernel/arch.h"
#include "kernel/cmdline.h"
#include "kernel/consoles.h"
#include "kernel/fbcon.h"
#include "kernel/printk.h"
#include "kernel/smp.h"
#include "kernel/string.h"
#include "kernel/vfs.h"
#include <uapi/boot_info.h>
#include <uapi/errno.h>

static unsigned int con_log = CON_SERIAL;	/* consoles printing the kernel log */
static unsigned int con_dev = CON_SERIAL;	/* /dev/console's output */
static unsigned int con_in = CON_SERIAL;	/* /dev/console's input */
static unsigned int con_named;			/* every console= so far, 0: none given */
static unsigned int con_last;			/* the last one named */
static bool screen_ready;			/* fbcon_init succeeded */

/* console=NAME[,options]: see the top of the file. */
static int console_setup(const char *value)
{
	size_t len = 0;
	unsigned int con;

	while (value && value[len] && value[len] != ',')
		len++;
	if (len == strlen(ARCH_SERIAL_CONSOLE) && !strncmp(value, ARCH_SERIAL_CONSOLE, len))
		con = CON_SERIAL;
	else if (len == 4 && !strncmp(value, "tty0", 4))
		con = CON_SCREEN;
	else
		return -EINVAL;		/* reported by cmdline_parse; the console= so far stand */
	con_named |= con;
	con_last = con;
	return 0;
}
__setup("console", console_setup);

/* Write n bytes to the consoles in mask, "\n" as "\r\n" on the serial port. */
static void console_emit(unsigned int mask, const char *s, size_t n)
{
	if (mask & CON_SERIAL) {
		for (size_t i = 0; i < n; i++) {
			if (s[i] == '\n')
				arch_console_putc('\r');
			arch_console_putc(s[i]);
		}
	}
	if ((mask & CON_SCREEN) && screen_ready)
		fbcon_write(s, n);
}

static void screen_replay(const char *s, size_t n)
{
	fbcon_write(s, n);
}

void console_screen_init(const struct bi_framebuffer *fb)
{
	unsigned int present = CON_SERIAL;

	screen_ready = fbcon_init(fb);
	if (screen_ready)
		present |= CON_SCREEN;
	if (!con_named) {
		con_log = con_dev = con_in = present;
	} else {
		con_log = con_named & present;
		con_dev = con_in = con_last & present;
		if (!con_dev) {
			pr_warn("console: tty0 named but there is no framebuffer: using %s\n",
				ARCH_SERIAL_CONSOLE);
			con_log |= CON_SERIAL;
			con_dev = con_in = CON_SERIAL;
		}
	}
	if (con_log & CON_SCREEN)
		printk_replay(screen_replay);
	pr_info("console: log on%s%s, /dev/console is %s\n",
		con_log & CON_SCREEN ? " tty0" : "", con_log & CON_SERIAL ? " " ARCH_SERIAL_CONSOLE : "",
		con_dev == (CON_SCREEN | CON_SERIAL) ? "tty0 and " ARCH_SERIAL_CONSOLE :
		con_dev == CON_SCREEN ? "tty0" : ARCH_SERIAL_CONSOLE);
}

void console_log_write(const char *s, size_t n)
{
	console_emit(con_log, s, n);
}

void console_dev_write(const char *s, size_t n)
{
	console_emit(con_dev, s, n);
}

bool console_reads(unsigned int con)
{
	return con_in & con;
}

void console_input_from(unsigned int con, char c)
{
	if (con_in & con)
		console_input(c);
}

void console_flush(void)
{
	if (screen_ready)
		fbcon_flush();
}

void console_tick(void)
{
	if (screen_ready && smp_processor_id() == 0)
		fbcon_tick();
}
