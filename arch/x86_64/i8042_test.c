/*
 * i8042_test.c (x86_64) - boot tests of the PS/2 scan code decoder
 * (kbd_decode, i8042.c) on scan code sequences as the translated keyboard
 * sends them: letters with either Shift and with Caps Lock (both: lower
 * case again), Ctrl+letter, Enter, Backspace, shifted punctuation, the
 * arrow keys' escape sequences, releases and unknown keys typing nothing,
 * E0-prefixed right Ctrl and the fake E0 2A shift of the extended keys.
 */
#include "kernel/ktest.h"
#include "kernel/string.h"
#include <asm/i8042.h>

/* Feed n scan codes through one fresh decoder state; the typed bytes, NUL-terminated. */
static const char *typed(const u8 *codes, int n)
{
	static char buf[64];
	struct kbd_state k = { 0 };
	int len = 0;

	for (int i = 0; i < n && len < (int)sizeof(buf) - 4; i++)
		len += kbd_decode(&k, codes[i], buf + len);
	buf[len] = 0;
	return buf;
}

#define TYPED(...) typed((const u8[]){ __VA_ARGS__ }, sizeof((const u8[]){ __VA_ARGS__ }))

KTEST(kbd_decode_letters_shift_caps)
{
	/* h, Shift(l) i, Shift(r) i, Caps k, Caps+Shift k, Caps off k */
	KT_ASSERT(!strcmp(TYPED(0x23, 0xa3, 0x2a, 0x17, 0x97, 0xaa, 0x36, 0x17, 0x97, 0xb6,
				0x3a, 0xba, 0x25, 0xa5, 0x2a, 0x25, 0xa5, 0xaa, 0x3a, 0xba, 0x25, 0xa5),
			  "hIIKkk"));
}

KTEST(kbd_decode_ctrl_enter_backspace_punctuation)
{
	/* Ctrl-U, Ctrl-C (right Ctrl: E0 1D), Enter, Backspace, Shift-' and Shift-1, - */
	KT_ASSERT(!strcmp(TYPED(0x1d, 0x16, 0x96, 0x9d, 0xe0, 0x1d, 0x2e, 0xae, 0xe0, 0x9d,
				0x1c, 0x9c, 0x0e, 0x8e, 0x2a, 0x28, 0xa8, 0x02, 0x82, 0xaa, 0x0c, 0x8c),
			  "\x15\x03\r\x7f\"!-"));
}

KTEST(kbd_decode_arrows_releases_unknown)
{
	/* E0 2A (fake shift) E0 48 (up) E0 C8, E0 4B (left), F1 (3B), a release alone, then a */
	KT_ASSERT(!strcmp(TYPED(0xe0, 0x2a, 0xe0, 0x48, 0xe0, 0xc8, 0xe0, 0xaa, 0xe0, 0x4b, 0xe0, 0xcb,
				0x3b, 0xbb, 0x9e, 0x1e, 0x9e),
			  "\033[A\033[Da"));
}
