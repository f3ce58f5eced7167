/*
 * fbcon.c - the framebuffer console (Linux's tty0 on a UEFI GOP framebuffer).
 *
 * The screen is a grid of 8x16 character cells (include/uapi/fbcon.h) drawn
 * with the built-in font fbcon_font (generated at build time from
 * console-setup's Lat15-VGA16 by tools/fbfont.c).  Text is kept in `text`,
 * a ring of rows: scrolling moves the ring's top row index and blanks one
 * row, never touching the framebuffer.  Drawing is deferred: fbcon_write()
 * only changes `text` and the cursor; fbcon_flush() compares each cell with
 * `shown`, what the framebuffer shows now, and draws only the cells that
 * differ.  The tick (fbcon_tick, CPU 0) flushes once output has paused for a
 * tick, or every FBCON_BUSY_TICKS ticks while it keeps coming; urgent kernel
 * messages flush at once (kernel/consoles.c).  So output that scrolls the
 * whole screen all the time (the user tests' TAP lines) costs one full
 * redraw per FBCON_BUSY_TICKS ticks, and the framebuffer is only ever written:
 * reading uncached or write-combining video memory is slow on real
 * hardware, so scrolling redraws changed cells instead of moving pixels.
 * The cursor is the cell at (cx, cy) drawn with the colours swapped.
 *
 * Terminal subset: "\n" (also returns the carriage, as ONLCR output does),
 * "\r", "\b", "\t" (every 8 columns), a line wraps at the right edge, and
 * ANSI escape sequences (ESC [ params final) are swallowed; other control
 * bytes are ignored, and bytes above 0x7e draw as '?'.  The grid covers the screen up to
 * FBCON_MAX_COLS x FBCON_MAX_ROWS cells (3840x2560 pixels); a larger mode
 * uses its top-left part.  Pixel formats: GOP's RGB and BGR 8-bit-per-colour
 * ones; PixelBitMask and BltOnly modes get no console.
 *
 * Lock legend: (f) fbcon_lock, a leaf (kernel/spinlock.h), taken with
 * interrupts off as a bare ticket lock, outside the lock debugging: lockdep
 * prints its reports under its own graph_lock, and printk draws here; (c)
 * set once by fbcon_init before any output.
 */
#include "kernel/fbcon.h"
#include "kernel/printk.h"
#include "kernel/smp.h"
#include "kernel/spinlock.h"
#include <asm/irqflags.h>
#include "kernel/string.h"
#include "mm/pgtable.h"
#include <uapi/boot_info.h>
#include <uapi/fbcon.h>

#define FBCON_MAX_COLS	480
#define FBCON_MAX_ROWS	160
#define CURSOR_BIT	0x80	/* in shown[]: the cell is drawn as the cursor */
#define FBCON_BUSY_TICKS 100	/* while output keeps coming: a redraw every second */

/* EFI_GRAPHICS_PIXEL_FORMAT (UEFI 2.10, 12.9): bytes in memory order. */
#define GOP_PIXEL_RGBX	0
#define GOP_PIXEL_BGRX	1

extern const unsigned char fbcon_font[FBCON_GLYPHS][FBCON_GLYPH_H];

static struct {
	volatile u32 *fb;		/* (c) mapped framebuffer, NULL: no console */
	u32 pitch;			/* (c) pixels per scan line */
	u32 width, height;		/* (c) pixels */
	u32 cols, rows;			/* (c) the grid */
	u32 fg, bg;			/* (c) FBCON_FG / FBCON_BG in the framebuffer's format */
	u32 cx, cy;			/* (f) the cursor; cx == cols: the next glyph wraps */
	u32 top;			/* (f) the ring row shown as screen row 0 */
	int esc;			/* (f) 0, 1 after ESC, 2 inside ESC [ */
	bool dirty;			/* (f) text or cursor changed since the last flush */
	bool written;			/* (f) fbcon_write ran since the last tick */
	u32 deferred;			/* (f) ticks the flush was put off for */
	char text[FBCON_MAX_COLS * FBCON_MAX_ROWS];	/* (f) ring of rows */
	u8 shown[FBCON_MAX_COLS * FBCON_MAX_ROWS];	/* (f) screen order, | CURSOR_BIT */
} con;
static spinlock_t fbcon_lock = SPINLOCK_INIT("fbcon_lock");

static int fbcon_owner = -1;	/* the CPU holding fbcon_lock, -1: none */

/*
 * Take fbcon_lock with interrupts off; false (nothing taken) when this CPU
 * holds it already: a panic or BUG_ON while drawing, whose report then goes
 * to the serial port only instead of deadlocking here.
 */
static bool fbcon_lock_irqsave(unsigned long *flags)
{
	*flags = arch_local_irq_save();
	if (__atomic_load_n(&fbcon_owner, __ATOMIC_RELAXED) == (int)smp_processor_id()) {
		arch_local_irq_restore(*flags);
		return false;
	}
	arch_spin_lock(&fbcon_lock);
	fbcon_owner = (int)smp_processor_id();
	return true;
}

static void fbcon_unlock_irqrestore(unsigned long flags)
{
	fbcon_owner = -1;
	arch_spin_unlock(&fbcon_lock);
	arch_local_irq_restore(flags);
}

/* 0xRRGGBB in the framebuffer's pixel format. */
static u32 fbcon_pixel(u32 rgb, u32 format)
{
	if (format == GOP_PIXEL_BGRX)
		return rgb;
	return (rgb >> 16 & 0xff) | (rgb & 0xff00) | (rgb & 0xff) << 16;
}

/* Draw character ch in cell (col, row), swapped colours for the cursor. */
static void fbcon_draw_cell(u32 col, u32 row, unsigned char ch, bool cursor)
{
	const unsigned char *glyph = fbcon_font[ch];
	u32 fg = cursor ? con.bg : con.fg, bg = cursor ? con.fg : con.bg;
	volatile u32 *p = con.fb + (size_t)row * FBCON_GLYPH_H * con.pitch + col * FBCON_GLYPH_W;

	for (int y = 0; y < FBCON_GLYPH_H; y++, p += con.pitch)
		for (int x = 0; x < FBCON_GLYPH_W; x++)
			p[x] = (glyph[y] & (0x80 >> x)) ? fg : bg;
}

static char *fbcon_row(u32 row)
{
	return &con.text[((con.top + row) % con.rows) * con.cols];
}

bool fbcon_init(const struct bi_framebuffer *fb)
{
	size_t need = (size_t)fb->pitch * fb->height * 4;

	if (!fb->base)
		return false;
	if (fb->format != GOP_PIXEL_RGBX && fb->format != GOP_PIXEL_BGRX) {
		pr_warn("fbcon: GOP pixel format %u not supported: no screen console\n", fb->format);
		return false;
	}
	if (fb->width < FBCON_GLYPH_W || fb->height < FBCON_GLYPH_H || fb->pitch < fb->width ||
	    fb->size < need) {
		pr_warn("fbcon: GOP mode %ux%u (pitch %u, %llu bytes) inconsistent: no screen console\n",
			fb->width, fb->height, fb->pitch, (unsigned long long)fb->size);
		return false;
	}
	con.pitch = fb->pitch;
	con.width = fb->width;
	con.height = fb->height;
	con.cols = min(fb->width / FBCON_GLYPH_W, (u32)FBCON_MAX_COLS);
	con.rows = min(fb->height / FBCON_GLYPH_H, (u32)FBCON_MAX_ROWS);
	con.fg = fbcon_pixel(FBCON_FG, fb->format);
	con.bg = fbcon_pixel(FBCON_BG, fb->format);
	memset(con.text, ' ', sizeof(con.text));
	con.fb = ioremap_wc(fb->base, need);
	for (size_t i = 0; i < (size_t)con.pitch * con.height; i++)
		con.fb[i] = con.bg;
	con.dirty = true;
	pr_info("fbcon: %ux%u framebuffer at %#llx, %ux%u characters\n", con.width, con.height,
		(unsigned long long)fb->base, con.cols, con.rows);
	return true;
}

/* Start a new line, scrolling the ring when the cursor was on the last row. */
static void fbcon_newline(void)
{
	con.cx = 0;
	if (con.cy + 1 < con.rows) {
		con.cy++;
		return;
	}
	memset(fbcon_row(0), ' ', con.cols);	/* the old top row becomes the new bottom one */
	con.top = (con.top + 1) % con.rows;
}

/* Apply one output byte to text and cursor; fbcon_lock held. */
static void fbcon_putc(unsigned char c)
{
	BUG_ON(fbcon_owner != (int)smp_processor_id());
	BUG_ON(con.cx > con.cols || con.cy >= con.rows || con.top >= con.rows);
	if (con.esc) {			/* ESC [ params final: swallowed */
		con.esc = (con.esc == 1 && c == '[') || (con.esc == 2 && c >= 0x20 && c < 0x40) ? 2 : 0;
		return;
	}
	switch (c) {
	case '\n':
		fbcon_newline();
		return;
	case '\r':
		con.cx = 0;
		return;
	case '\b':
		con.cx -= con.cx > 0;
		return;
	case '\t':
		con.cx = min((con.cx + 8) & ~7U, con.cols);
		return;
	case 0x1b:
		con.esc = 1;
		return;
	}
	if (c < ' ' || c == 0x7f)
		return;
	if (con.cx == con.cols)
		fbcon_newline();
	fbcon_row(con.cy)[con.cx++] = c < 0x7f ? (char)c : '?';	/* text[] holds ASCII only */
}

void fbcon_write(const char *s, size_t n)
{
	unsigned long flags;

	if (!con.fb || !fbcon_lock_irqsave(&flags))
		return;
	for (size_t i = 0; i < n; i++)
		fbcon_putc((unsigned char)s[i]);
	con.dirty = con.written = true;
	fbcon_unlock_irqrestore(flags);
}

/* Draw the cells that differ from shown[]; fbcon_lock held. */
static void fbcon_redraw(void)
{
	BUG_ON(fbcon_owner != (int)smp_processor_id());
	if (con.dirty) {
		u32 cur_x = min(con.cx, con.cols - 1);

		for (u32 row = 0; row < con.rows; row++) {
			const char *text = fbcon_row(row);
			u8 *shown = &con.shown[row * con.cols];

			for (u32 col = 0; col < con.cols; col++) {
				bool cursor = row == con.cy && col == cur_x;
				u8 want = (u8)text[col] | (cursor ? CURSOR_BIT : 0);

				if (shown[col] != want) {
					fbcon_draw_cell(col, row, (unsigned char)text[col], cursor);
					shown[col] = want;
				}
			}
		}
		con.dirty = false;
	}
	con.deferred = 0;
}

/* Draw now (urgent), or for the tick: once output paused, at most FBCON_BUSY_TICKS ticks late. */
static void fbcon_update(bool tick)
{
	unsigned long flags;

	if (!con.fb || !fbcon_lock_irqsave(&flags))
		return;
	if (tick && con.dirty && con.written && ++con.deferred < FBCON_BUSY_TICKS)
		con.written = false;		/* still coming: wait for a pause */
	else
		fbcon_redraw();
	fbcon_unlock_irqrestore(flags);
}

void fbcon_flush(void)
{
	fbcon_update(false);
}

void fbcon_tick(void)
{
	fbcon_update(true);
}
