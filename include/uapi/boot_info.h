/*
 * uapi/boot_info.h - the one structure the UEFI loader hands to the kernel.
 *
 * The loader (boot/loader.c) fills a struct boot_info while boot services are
 * still up, exits boot services and jumps to the kernel's ELF entry point with
 * the physical address of this structure as the first argument (rdi on
 * x86_64, x0 on arm64).  Everything is physical: the kernel reads it through
 * the loader's identity map before it switches to its own page tables and
 * copies what it needs.
 *
 * Versioning: the kernel refuses a boot_info whose magic differs or whose
 * version is older than BOOT_INFO_VERSION.  Add fields only at the end and
 * bump the version.
 *
 * This header is shared by a freestanding EFI application and the kernel, so
 * it uses only fixed-width types from <stdint.h>.
 */
#ifndef UAPI_BOOT_INFO_H
#define UAPI_BOOT_INFO_H

#include <stdint.h>

#define BOOT_INFO_MAGIC   0x6f666e69746f6f62ULL /* "bootinfo" little-endian */
#define BOOT_INFO_VERSION 4	/* v4: kernel_base anywhere (2 MiB aligned), dtb a copy below 4 GiB */

#define BI_MAX_MEM     256
#define BI_CMDLINE_MAX 1024

/* Neutral memory types, translated from the UEFI memory map. */
enum bi_mem_type {
	BI_MEM_USABLE = 1,	/* free RAM the kernel may allocate */
	BI_MEM_RESERVED = 2,	/* RAM that must not be touched */
	BI_MEM_ACPI = 3,	/* ACPI tables / NVS */
	BI_MEM_MMIO = 4,	/* device memory named by the firmware */
	BI_MEM_LOADER = 5,	/* RAM holding kernel, initrd, boot_info: reserved */
	BI_MEM_CODE = 6,	/* free RAM that held firmware or loader code (v3): usable */
};

struct bi_mem_range {
	uint64_t base;		/* physical, page aligned */
	uint64_t size;		/* bytes, multiple of 4 KiB */
	uint32_t type;		/* enum bi_mem_type */
	uint32_t pad;
};

struct bi_framebuffer {
	uint64_t base;		/* physical; 0 when no GOP was found */
	uint64_t size;
	uint32_t width, height;
	uint32_t pitch;		/* pixels per scan line */
	uint32_t format;	/* EFI_GRAPHICS_PIXEL_FORMAT */
};

struct boot_info {
	uint64_t magic;		/* BOOT_INFO_MAGIC */
	uint32_t version;	/* BOOT_INFO_VERSION */
	uint32_t size;		/* sizeof(struct boot_info) */

	uint32_t nr_mem;	/* entries used in mem[], sorted by base, merged */
	uint32_t pad0;
	struct bi_mem_range mem[BI_MAX_MEM];

	char cmdline[BI_CMDLINE_MAX];	/* NUL terminated, from \foliOS\cmdline.txt */

	uint64_t kernel_base;	/* physical range of the loaded kernel image (v4: any
				 * 2 MiB-aligned base below 4 GiB, boot/place.c) */
	uint64_t kernel_end;
	uint64_t initrd_base;	/* physical; size 0 when there is no initrd */
	uint64_t initrd_size;

	uint64_t acpi_rsdp;	/* ACPI 2.0 RSDP from the configuration table, else 0 */
	uint64_t dtb;		/* flattened device tree, else 0 (v4: the loader's copy
				 * below 4 GiB, BI_MEM_LOADER) */
	struct bi_framebuffer fb;

	uint64_t loader_tsc;	/* cycle counter read just before jumping in */

	/* version 2 */
	uint64_t ap_trampoline;	/* x86_64: one free page below 1 MiB for starting the
				 * other CPUs (BI_MEM_LOADER in mem[]), else 0 */
};

#endif
