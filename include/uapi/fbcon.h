/*
 * uapi/fbcon.h - what the framebuffer console draws, shared by the kernel
 * (kernel/fbcon.c) and the host tool that reads its screen back out of a
 * QEMU screendump (tools/fbfont.c).
 *
 * The console is a grid of FBCON_GLYPH_W x FBCON_GLYPH_H cells from the
 * framebuffer's top-left pixel; each cell is one glyph of the built-in font
 * (console-setup's Lat15-VGA16, the IBM VGA 8x16 shapes) in FBCON_FG on
 * FBCON_BG, the cell under the cursor with the two colours swapped.  Pixels
 * right of and below the last whole cell stay FBCON_BG.
 */
#ifndef UAPI_FBCON_H
#define UAPI_FBCON_H

#define FBCON_GLYPH_W	8
#define FBCON_GLYPH_H	16
#define FBCON_GLYPHS	128		/* the font table covers ASCII; others draw as '?' */
#define FBCON_FG	0xaaaaaaU	/* 0xRRGGBB: VGA's light grey */
#define FBCON_BG	0x000000U	/* black */

#endif
