/* place.h - choosing the kernel's physical base (place.c). */
#ifndef BOOT_PLACE_H
#define BOOT_PLACE_H

#include <efi.h>

enum place_mode {
	PLACE_FIRMWARE,		/* folio.load_addr=firmware (default) */
	PLACE_RANDOM,		/* folio.load_addr=random */
};

/* The mode the command line asks for (its first folio.load_addr= before any "--"). */
enum place_mode place_mode_parse(const char *cmdline);

/*
 * Allocate size bytes (EfiLoaderData) for the kernel image at a 2 MiB-aligned
 * physical base below 4 GiB chosen by mode; cycles reads the time counter
 * (random mode's fallback entropy).  A random placement that finds no room
 * falls back to the firmware's choice (and says so).
 */
EFI_STATUS place_kernel(enum place_mode mode, UINT64 size, UINT64 (*cycles)(void), UINT64 *base);

#endif
