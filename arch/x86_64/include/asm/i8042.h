/* asm/i8042.h (x86_64) - the PS/2 keyboard (i8042.c). */
#ifndef ASM_I8042_H
#define ASM_I8042_H

#include "kernel/types.h"

/* Set the controller up (interrupt on, translation on) and route IRQ 1; reports a missing one. */
void i8042_init(void);
/* IRQ 1: the controller's bytes through kbd_decode into console input (tty0). */
void i8042_interrupt(void);

/* The keyboard's modifier state between scan codes. */
struct kbd_state {
	bool lshift, rshift, ctrl, caps;
	bool e0;		/* the previous byte was the 0xe0 prefix */
};

/*
 * Decode one scan code set 1 byte; returns how many bytes it types into out
 * (at most 3: an arrow key's escape sequence), 0 for prefixes, releases,
 * modifiers and keys without a byte.
 */
int kbd_decode(struct kbd_state *k, u8 code, char out[3]);

#endif
