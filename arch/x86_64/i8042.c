/*
 * i8042.c (x86_64) - the PS/2 keyboard: the 8042 controller at ports
 * 0x60/0x64, IRQ 1 through the I/O APIC, scan codes into console input.
 *
 * The controller is set to translate (command byte bit 6, as firmware and
 * QEMU leave it), so the keyboard's set 2 codes arrive as set 1: a make code
 * per key press, the same | 0x80 on release, 0xe0 before the extended keys.
 * kbd_decode turns them into the bytes a terminal sends for the US layout:
 * letters, digits and punctuation with Shift (either), Caps Lock (letters
 * only) and Ctrl (Ctrl+letter and Ctrl+[\]^_ give 0x00-0x1f), Enter as "\r",
 * Backspace as DEL (0x7f, the console's VERASE), Tab, Esc, and the arrow
 * keys as ESC [ A/B/C/D.  The bytes go to /dev/console when tty0 is one of
 * its inputs (kernel/consoles.c).
 *
 * Not supported: other layouts, Alt/AltGr, the keypad, function keys, the
 * keyboard's LEDs, the PS/2 mouse port (its bytes are read and dropped),
 * and USB keyboards (there is no USB stack: a USB keyboard works only where
 * the firmware's legacy PS/2 emulation stays on after ExitBootServices).  No
 * 8042 at all (port 0x64 reads 0xff, as on many newer PCs) is reported, not
 * waited for.
 */
#include "kernel/consoles.h"
#include "kernel/printk.h"
#include <asm/i8042.h>
#include <asm/io.h>
#include <asm/irq.h>

#define I8042_DATA	0x60
#define I8042_STATUS	0x64	/* read */
#define I8042_CMD	0x64	/* write */
#define STR_OBF		0x01	/* output buffer full: a byte to read at 0x60 */
#define STR_IBF		0x02	/* input buffer full: the controller has not taken our byte */
#define STR_AUXDATA	0x20	/* the byte came from the mouse port */
#define CMD_READ_CTR	0x20
#define CMD_WRITE_CTR	0x60
#define CTR_KBDINT	0x01	/* IRQ 1 on keyboard data */
#define CTR_AUXINT	0x02
#define CTR_KBDDIS	0x10
#define CTR_XLATE	0x40
#define I8042_TRIES	100000	/* status polls (about 1 us each) before giving up */

#define SC_BREAK	0x80
#define SC_E0		0xe0
#define SC_LCTRL	0x1d
#define SC_LSHIFT	0x2a
#define SC_RSHIFT	0x36
#define SC_CAPS		0x3a
#define SC_UP		0x48
#define SC_LEFT		0x4b
#define SC_RIGHT	0x4d
#define SC_DOWN		0x50

/* Scan code set 1 make codes 0x00-0x39 (US layout); 0: no byte. */
static const char keymap[] =
	"\0\033" "1234567890-=\177\t" "qwertyuiop[]\r\0" "asdfghjkl;'`\0\\" "zxcvbnm,./\0*\0 ";
static const char keymap_shift[] =
	"\0\033" "!@#$%^&*()_+\177\t" "QWERTYUIOP{}\r\0" "ASDFGHJKL:\"~\0|" "ZXCVBNM<>?\0*\0 ";
_Static_assert(sizeof(keymap) == 0x3a + 1 && sizeof(keymap_shift) == 0x3a + 1, "keymap: codes 0-0x39");

int kbd_decode(struct kbd_state *k, u8 code, char out[3])
{
	bool release = code & SC_BREAK, e0 = k->e0;
	u8 key = code & ~SC_BREAK;
	char c;

	k->e0 = code == SC_E0;
	if (code == SC_E0)
		return 0;
	if (key == SC_LSHIFT && !e0)
		k->lshift = !release;
	else if (key == SC_RSHIFT && !e0)
		k->rshift = !release;
	else if (key == SC_LCTRL)			/* E0 1D is the right Ctrl */
		k->ctrl = !release;
	else if (key == SC_CAPS && !release)
		k->caps = !k->caps;
	if (release || key >= sizeof(keymap) - 1 || key == SC_LSHIFT || key == SC_RSHIFT) {
		if (!release && e0 && (key == SC_UP || key == SC_DOWN || key == SC_LEFT || key == SC_RIGHT)) {
			out[0] = '\033';
			out[1] = '[';
			out[2] = key == SC_UP ? 'A' : key == SC_DOWN ? 'B' : key == SC_RIGHT ? 'C' : 'D';
			return 3;
		}
		return 0;
	}
	c = (k->lshift || k->rshift) ? keymap_shift[key] : keymap[key];
	if (k->caps && c >= 'a' && c <= 'z')
		c -= 'a' - 'A';
	else if (k->caps && c >= 'A' && c <= 'Z')
		c += 'a' - 'A';
	if (k->ctrl && ((c >= '@' && c <= '_') || (c >= 'a' && c <= 'z')))
		c &= 0x1f;
	if (!c)			/* E0 with a main-block code: keypad Enter and / type as the main ones */
		return 0;
	out[0] = c;
	return 1;
}

static struct kbd_state kbd;

/* Poll until (status & bits) is non-zero (want_set) or zero; false after I8042_TRIES polls. */
static bool i8042_wait(u8 bits, bool want_set)
{
	for (int i = 0; i < I8042_TRIES; i++)
		if (!!(inb(I8042_STATUS) & bits) == want_set)
			return true;
	return false;
}

static bool i8042_command(u8 cmd)
{
	if (!i8042_wait(STR_IBF, false))
		return false;
	outb(I8042_CMD, cmd);
	return true;
}

void i8042_init(void)
{
	u8 ctr;

	if (inb(I8042_STATUS) == 0xff) {
		pr_info("i8042: no PS/2 controller: no keyboard\n");
		return;
	}
	for (int i = 0; i < 16 && (inb(I8042_STATUS) & STR_OBF); i++)
		inb(I8042_DATA);			/* whatever the firmware left */
	if (!i8042_command(CMD_READ_CTR) || !i8042_wait(STR_OBF, true)) {
		pr_warn("i8042: controller does not answer: no keyboard\n");
		return;
	}
	ctr = inb(I8042_DATA);
	ctr = (ctr | CTR_KBDINT | CTR_XLATE) & ~(CTR_KBDDIS | CTR_AUXINT);
	if (!i8042_command(CMD_WRITE_CTR) || !i8042_wait(STR_IBF, false)) {
		pr_warn("i8042: controller does not take its command byte: no keyboard\n");
		return;
	}
	outb(I8042_DATA, ctr);
	if (ioapic_route_isa(1, VEC_KEYBOARD))
		pr_info("i8042: PS/2 keyboard on IRQ 1, scan code set 1 (translated), US layout\n");
}

/* IRQ 1: every byte the controller holds (mouse bytes dropped) through kbd_decode. */
void i8042_interrupt(void)
{
	u8 status;

	while ((status = inb(I8042_STATUS)) & STR_OBF) {
		u8 code = inb(I8042_DATA);
		char out[3];
		int n;

		if (status & STR_AUXDATA)
			continue;
		n = kbd_decode(&kbd, code, out);
		for (int i = 0; i < n; i++)
			console_input_from(CON_SCREEN, out[i]);
	}
}
