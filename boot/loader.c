/*
 * loader.c - the foliOS UEFI loader (a GNU-EFI application).
 *
 * Firmware boots it as removable media (\EFI\BOOT\BOOTX64.EFI or
 * BOOTAA64.EFI).  It reads three files from its own volume:
 *
 *	\foliOS\kernel.elf	the kernel, an ELF64 executable (required)
 *	\foliOS\cmdline.txt	the kernel command line (optional)
 *	\foliOS\initrd.cpio	the initial ramdisk, cpio newc (optional)
 *
 * validates the kernel, loads its PT_LOAD segments, keeping their layout, at
 * a 2 MiB-aligned physical base below 4 GiB that place.c chooses (the
 * firmware's, or a random one with folio.load_addr=random), fills a struct
 * boot_info (<uapi/boot_info.h>; it and the copy of the device tree lie below
 * 4 GiB, in the kernel's boot direct map), exits boot services and jumps to
 * the entry point (moved with the image) with the physical address of
 * boot_info as the first argument, interrupts off, on the firmware's
 * identity map and stack, at the EL the firmware runs at on arm64 (EL1, or
 * EL2 on real machines and QEMU virt,virtualization=on).
 *
 * Every failure prints one line starting with "foliOS loader: " and returns
 * an error status to the firmware; the loader never hangs.
 */
#include <efi.h>
#include <efilib.h>
#include <uapi/boot_info.h>
#include <uapi/elf.h>
#include "place.h"

#if defined(__x86_64__)
#define LOADER_EM	EM_X86_64
#define LOADER_ARCH	L"x86_64"
#elif defined(__aarch64__)
#define LOADER_EM	EM_AARCH64
#define LOADER_ARCH	L"arm64"
#else
#error "unsupported architecture"
#endif

#define PAGE_4K		4096ULL
#define PAGES(sz)	(((sz) + PAGE_4K - 1) / PAGE_4K)

static EFI_GUID acpi20_guid = ACPI_20_TABLE_GUID;
static EFI_GUID dtb_guid = { 0xb1b621d5, 0xf19c, 0x41a5, { 0x83, 0x0b, 0xd9, 0x15, 0x2c, 0x69, 0xaa, 0xe0 } };

/* A file read whole into pool memory. */
struct blob {
	UINT8 *data;
	UINTN size;
};

static EFI_STATUS fail(EFI_STATUS st, CHAR16 *what)
{
	Print(L"foliOS loader: %s (%r)\n", what, st);
	return EFI_ERROR(st) ? st : EFI_LOAD_ERROR;
}

/*
 * Read \path from the volume `root` into a fresh pool buffer.
 * Returns EFI_NOT_FOUND when the file does not exist.
 */
static EFI_STATUS read_file(EFI_FILE_HANDLE root, CHAR16 *path, struct blob *out)
{
	EFI_FILE_HANDLE f;
	EFI_FILE_INFO *info;
	EFI_STATUS st;

	st = root->Open(root, &f, path, EFI_FILE_MODE_READ, 0);
	if (EFI_ERROR(st))
		return st;
	info = LibFileInfo(f);
	if (!info) {
		f->Close(f);
		return EFI_DEVICE_ERROR;
	}
	out->size = info->FileSize;
	FreePool(info);
	out->data = AllocatePool(out->size ? out->size : 1);
	if (!out->data) {
		f->Close(f);
		return EFI_OUT_OF_RESOURCES;
	}
	st = f->Read(f, &out->size, out->data);
	f->Close(f);
	return st;
}

/* The cycle counter: the ready line's "since reset" origin and random placement's fallback. */
static UINT64 read_cycles(void)
{
#if defined(__x86_64__)
	UINT32 lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((UINT64)hi << 32) | lo;
#else
	UINT64 v;

	__asm__ __volatile__("isb; mrs %0, cntvct_el0" : "=r"(v));
	return v;
#endif
}

/*
 * Check that `k` is a loadable kernel for this machine: ELF64 little-endian
 * executable, our e_machine, program headers inside the file, each PT_LOAD
 * inside the file with filesz <= memsz, segments not overlapping each other.
 * Returns NULL when valid, else a one-line reason.
 */
static CHAR16 *elf_check(const struct blob *k)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)k->data;
	const Elf64_Phdr *ph;
	int entry_ok = 0;

	if (k->size < sizeof(*eh) || eh->e_ident[0] != 0x7f || eh->e_ident[1] != 'E' ||
	    eh->e_ident[2] != 'L' || eh->e_ident[3] != 'F')
		return L"kernel.elf is not an ELF file (bad magic)";
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB)
		return L"kernel.elf is not a 64-bit little-endian ELF";
	if (eh->e_machine != LOADER_EM)
		return L"kernel.elf is for another machine type (wrong e_machine)";
	if (eh->e_type != ET_EXEC)
		return L"kernel.elf is not an executable (e_type)";
	if (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phnum == 0 ||
	    eh->e_phoff > k->size || eh->e_phnum * sizeof(Elf64_Phdr) > k->size - eh->e_phoff)
		return L"kernel.elf program headers lie outside the file";
	ph = (const Elf64_Phdr *)(k->data + eh->e_phoff);
	for (UINTN i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		if (ph[i].p_filesz > ph[i].p_memsz || ph[i].p_offset > k->size ||
		    ph[i].p_filesz > k->size - ph[i].p_offset)
			return L"kernel.elf segment lies outside the file";
		if (ph[i].p_paddr & (PAGE_4K - 1))
			return L"kernel.elf segment is not page aligned";
		for (UINTN j = 0; j < i; j++) {
			if (ph[j].p_type == PT_LOAD &&
			    ph[i].p_paddr < ph[j].p_paddr + ph[j].p_memsz &&
			    ph[j].p_paddr < ph[i].p_paddr + ph[i].p_memsz)
				return L"kernel.elf segments overlap";
		}
		if (eh->e_entry >= ph[i].p_paddr && eh->e_entry < ph[i].p_paddr + ph[i].p_filesz)
			entry_ok = 1;
	}
	if (!entry_ok)
		return L"kernel.elf entry point is not inside a loaded segment";
	return NULL;
}

/*
 * Load the (checked) kernel: choose its physical base with place_kernel(),
 * copy every PT_LOAD segment to base + (p_paddr - lowest p_paddr), zero the
 * bss part, and record the image's physical extent in bi and the entry
 * point's physical address in *entry.
 */
static EFI_STATUS elf_load(const struct blob *k, struct boot_info *bi, UINT64 *entry)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)k->data;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(k->data + eh->e_phoff);
	UINT64 lo = ~0ULL, hi = 0, base;
	EFI_STATUS st;

	for (UINTN i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD || ph[i].p_memsz == 0)
			continue;
		if (ph[i].p_paddr < lo)
			lo = ph[i].p_paddr;
		if (ph[i].p_paddr + PAGES(ph[i].p_memsz) * PAGE_4K > hi)
			hi = ph[i].p_paddr + PAGES(ph[i].p_memsz) * PAGE_4K;
	}
	if (hi == 0)
		return fail(EFI_LOAD_ERROR, L"kernel.elf has no loadable segment");
	st = place_kernel(place_mode_parse(bi->cmdline), hi - lo, read_cycles, &base);
	if (EFI_ERROR(st)) {
		Print(L"foliOS loader: the kernel (%ld KiB) does not fit in free memory below 4 GiB (%r)\n",
		      (hi - lo) >> 10, st);
		return st;
	}
	SetMem((void *)base, hi - lo, 0);
	for (UINTN i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_LOAD)
			CopyMem((UINT8 *)base + (ph[i].p_paddr - lo), k->data + ph[i].p_offset,
				ph[i].p_filesz);
	}
	bi->kernel_base = base;
	bi->kernel_end = base + (hi - lo);
	*entry = base + (eh->e_entry - lo);
	return EFI_SUCCESS;
}

/* Pages below 4 GiB (what the kernel's boot direct map reaches), for what it reads first. */
static EFI_STATUS alloc_low(UINTN pages, UINT64 *base)
{
	EFI_PHYSICAL_ADDRESS pa = 0xffffffffULL;
	EFI_STATUS st = BS->AllocatePages(AllocateMaxAddress, EfiLoaderData, pages, &pa);

	*base = pa;
	return st;
}

/* A flattened device tree's size: its header's totalsize (big-endian, offset 4). */
static UINT64 fdt_size(UINT64 dtb)
{
	const UINT8 *h = (const UINT8 *)dtb;

	return dtb ? ((UINT64)h[4] << 24) | (h[5] << 16) | (h[6] << 8) | h[7] : 0;
}

/*
 * The firmware's device tree, copied into loader pages below 4 GiB (with
 * much RAM, AAVMF installs it above 4 GiB, out of the boot direct map);
 * 0 when there is none or no memory for it.
 */
static UINT64 dtb_copy_low(UINT64 dtb)
{
	UINT64 size = fdt_size(dtb), pa;

	if (!dtb || size < 40 || EFI_ERROR(alloc_low(PAGES(size), &pa)))
		return 0;
	CopyMem((void *)pa, (void *)dtb, size);
	return pa;
}

/* Copy a blob into fresh pages (so it survives ExitBootServices); returns its address. */
static EFI_STATUS blob_to_pages(const struct blob *b, UINT64 *base)
{
	EFI_PHYSICAL_ADDRESS pa = 0;
	EFI_STATUS st;

	st = BS->AllocatePages(AllocateAnyPages, EfiLoaderData, PAGES(b->size), &pa);
	if (EFI_ERROR(st))
		return st;
	CopyMem((void *)pa, b->data, b->size);
	*base = pa;
	return EFI_SUCCESS;
}

static void copy_cmdline(struct boot_info *bi, const struct blob *c)
{
	UINTN n = 0;

	for (UINTN i = 0; i < c->size && n + 1 < BI_CMDLINE_MAX; i++) {
		char ch = (char)c->data[i];

		if (ch == '\r' || ch == '\n' || ch == '\t')
			ch = ' ';
		bi->cmdline[n++] = ch;
	}
	while (n > 0 && bi->cmdline[n - 1] == ' ')
		n--;
	bi->cmdline[n] = 0;
}

static VOID *config_table(EFI_GUID *guid)
{
	for (UINTN i = 0; i < ST->NumberOfTableEntries; i++) {
		if (CompareGuid(&ST->ConfigurationTable[i].VendorGuid, guid) == 0)
			return ST->ConfigurationTable[i].VendorTable;
	}
	return NULL;
}

static void find_framebuffer(struct boot_info *bi)
{
	EFI_GUID gop_guid = EFI_GRAPHICS_OUTPUT_PROTOCOL_GUID;
	EFI_GRAPHICS_OUTPUT_PROTOCOL *gop = NULL;

	if (EFI_ERROR(LibLocateProtocol(&gop_guid, (VOID **)&gop)) || !gop || !gop->Mode)
		return;
	bi->fb.base = gop->Mode->FrameBufferBase;
	bi->fb.size = gop->Mode->FrameBufferSize;
	bi->fb.width = gop->Mode->Info->HorizontalResolution;
	bi->fb.height = gop->Mode->Info->VerticalResolution;
	bi->fb.pitch = gop->Mode->Info->PixelsPerScanLine;
	bi->fb.format = gop->Mode->Info->PixelFormat;
}

static UINT32 bi_type(UINT32 efi_type)
{
	switch (efi_type) {
	case EfiConventionalMemory:
	case EfiBootServicesData:
	case EfiLoaderData:
		return BI_MEM_USABLE;
	case EfiBootServicesCode:
	case EfiLoaderCode:
		return BI_MEM_CODE;
	case EfiACPIReclaimMemory:
	case EfiACPIMemoryNVS:
		return BI_MEM_ACPI;
	case EfiMemoryMappedIO:
	case EfiMemoryMappedIOPortSpace:
		return BI_MEM_MMIO;
	default:
		return BI_MEM_RESERVED;
	}
}

/* Append [base, base+size) of type to bi->mem, merging with the previous entry. */
static void bi_mem_add(struct boot_info *bi, UINT64 base, UINT64 size, UINT32 type)
{
	struct bi_mem_range *last = bi->nr_mem ? &bi->mem[bi->nr_mem - 1] : NULL;

	if (size == 0)
		return;
	if (last && last->type == type && last->base + last->size == base) {
		last->size += size;
		return;
	}
	if (bi->nr_mem == BI_MAX_MEM)
		return;	/* the kernel sees less memory, never wrong memory */
	bi->mem[bi->nr_mem].base = base;
	bi->mem[bi->nr_mem].size = size;
	bi->mem[bi->nr_mem].type = type;
	bi->mem[bi->nr_mem].pad = 0;
	bi->nr_mem++;
}

/*
 * Add one UEFI descriptor [b, e) of neutral type t, carving out the ranges we
 * loaded (kernel, initrd, boot_info, AP trampoline, DTB copy: sorted in `own`) as BI_MEM_LOADER.
 */
static void bi_mem_add_carved(struct boot_info *bi, UINT64 b, UINT64 e, UINT32 t,
			      const UINT64 own[][2], UINTN n_own)
{
	for (UINTN i = 0; i < n_own && b < e; i++) {
		UINT64 ob = own[i][0], oe = own[i][1];

		if (oe <= b || ob >= e)
			continue;
		if (ob > b)
			bi_mem_add(bi, b, ob - b, t);
		bi_mem_add(bi, ob > b ? ob : b, (oe < e ? oe : e) - (ob > b ? ob : b), BI_MEM_LOADER);
		b = oe < e ? oe : e;
	}
	if (b < e)
		bi_mem_add(bi, b, e - b, t);
}

static void sort_own(UINT64 own[][2], UINTN n)
{
	for (UINTN i = 1; i < n; i++) {
		for (UINTN j = i; j > 0 && own[j][0] < own[j - 1][0]; j--) {
			UINT64 b = own[j][0], e = own[j][1];

			own[j][0] = own[j - 1][0];
			own[j][1] = own[j - 1][1];
			own[j - 1][0] = b;
			own[j - 1][1] = e;
		}
	}
}

/* Sort the UEFI descriptors by address (in place, insertion sort: maps are small). */
static void sort_map(UINT8 *map, UINTN n, UINTN dsz, UINT8 *tmp)
{
	for (UINTN i = 1; i < n; i++) {
		for (UINTN j = i; j > 0; j--) {
			EFI_MEMORY_DESCRIPTOR *a = (EFI_MEMORY_DESCRIPTOR *)(map + (j - 1) * dsz);
			EFI_MEMORY_DESCRIPTOR *b = (EFI_MEMORY_DESCRIPTOR *)(map + j * dsz);

			if (a->PhysicalStart <= b->PhysicalStart)
				break;
			CopyMem(tmp, a, dsz);
			CopyMem(a, b, dsz);
			CopyMem(b, tmp, dsz);
		}
	}
}

/* Translate the final UEFI map into bi->mem (no allocation: runs after GetMemoryMap). */
static void build_mem_map(struct boot_info *bi, UINT8 *map, UINTN map_size, UINTN dsz, UINT8 *tmp,
			  UINT64 bi_pa)
{
	UINT64 own[5][2] = {
		{ bi->kernel_base, bi->kernel_end },
		{ bi->initrd_base, bi->initrd_base + PAGES(bi->initrd_size) * PAGE_4K },
		{ bi_pa, bi_pa + PAGES(sizeof(*bi)) * PAGE_4K },
		{ bi->ap_trampoline, bi->ap_trampoline + (bi->ap_trampoline ? PAGE_4K : 0) },
		{ bi->dtb, bi->dtb + PAGES(fdt_size(bi->dtb)) * PAGE_4K },
	};
	UINTN n = map_size / dsz;

	sort_own(own, 5);
	sort_map(map, n, dsz, tmp);
	bi->nr_mem = 0;
	for (UINTN i = 0; i < n; i++) {
		EFI_MEMORY_DESCRIPTOR *d = (EFI_MEMORY_DESCRIPTOR *)(map + i * dsz);
		UINT64 b = d->PhysicalStart, e = b + d->NumberOfPages * PAGE_4K;

		bi_mem_add_carved(bi, b, e, bi_type(d->Type), (const UINT64 (*)[2])own, 5);
	}
}

/*
 * x86_64: one page below 1 MiB where the kernel puts the real-mode code its
 * other CPUs start in (a SIPI names a page under 1 MiB).  None found: 0, and
 * the kernel runs on the boot CPU alone (it says so).
 */
static void reserve_ap_trampoline(struct boot_info *bi)
{
#if defined(__x86_64__)
	EFI_PHYSICAL_ADDRESS pa = 0xfffff;

	if (!EFI_ERROR(BS->AllocatePages(AllocateMaxAddress, EfiLoaderData, 1, &pa)) && pa)
		bi->ap_trampoline = pa;
#else
	(void)bi;
#endif
}

#if defined(__x86_64__)
typedef void (__attribute__((sysv_abi)) *kernel_entry_t)(struct boot_info *);
#else
typedef void (*kernel_entry_t)(struct boot_info *);
#endif

/*
 * Get the final memory map, fill bi->mem from it and exit boot services,
 * retrying when the map changed under us (stale MapKey).  Nothing may print
 * or allocate between GetMemoryMap and ExitBootServices.
 */
static EFI_STATUS exit_boot(EFI_HANDLE image, struct boot_info *bi, UINT64 bi_pa)
{
	UINTN map_size = 0, key, dsz;
	UINT32 dver;
	UINT8 *map, *tmp;
	EFI_STATUS st;

	st = BS->GetMemoryMap(&map_size, NULL, &key, &dsz, &dver);
	if (st != EFI_BUFFER_TOO_SMALL)
		return fail(st, L"GetMemoryMap failed");
	map_size += 16 * dsz;	/* room for the allocations below and the retry */
	map = AllocatePool(map_size);
	tmp = AllocatePool(dsz);
	if (!map || !tmp)
		return fail(EFI_OUT_OF_RESOURCES, L"no memory for the memory map");
	for (int tries = 0; tries < 8; tries++) {
		UINTN sz = map_size;

		st = BS->GetMemoryMap(&sz, (EFI_MEMORY_DESCRIPTOR *)map, &key, &dsz, &dver);
		if (EFI_ERROR(st))
			return fail(st, L"GetMemoryMap failed");
		build_mem_map(bi, map, sz, dsz, tmp, bi_pa);
		st = BS->ExitBootServices(image, key);
		if (!EFI_ERROR(st))
			return EFI_SUCCESS;
	}
	return fail(st, L"ExitBootServices kept failing");
}

static EFI_STATUS open_root(EFI_HANDLE image, EFI_FILE_HANDLE *root)
{
	EFI_LOADED_IMAGE *li = NULL;
	EFI_STATUS st;

	st = BS->HandleProtocol(image, &LoadedImageProtocol, (VOID **)&li);
	if (EFI_ERROR(st))
		return fail(st, L"cannot find the loader's own image");
	*root = LibOpenRoot(li->DeviceHandle);
	if (!*root)
		return fail(EFI_NOT_FOUND, L"cannot open the boot volume");
	return EFI_SUCCESS;
}

/* Read and place the optional files: command line and initrd. */
static EFI_STATUS load_extras(EFI_FILE_HANDLE root, struct boot_info *bi)
{
	struct blob b;
	EFI_STATUS st;

	st = read_file(root, L"\\foliOS\\cmdline.txt", &b);
	if (!EFI_ERROR(st)) {
		copy_cmdline(bi, &b);
		FreePool(b.data);
	} else if (st != EFI_NOT_FOUND) {
		return fail(st, L"cannot read \\foliOS\\cmdline.txt");
	}
	st = read_file(root, L"\\foliOS\\initrd.cpio", &b);
	if (st == EFI_NOT_FOUND)
		return EFI_SUCCESS;
	if (EFI_ERROR(st))
		return fail(st, L"cannot read \\foliOS\\initrd.cpio");
	bi->initrd_size = b.size;
	st = blob_to_pages(&b, &bi->initrd_base);
	FreePool(b.data);
	if (EFI_ERROR(st))
		return fail(st, L"no memory for the initrd");
	return EFI_SUCCESS;
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	EFI_PHYSICAL_ADDRESS bi_pa = 0;
	EFI_FILE_HANDLE root;
	struct boot_info *bi;
	struct blob kernel;
	UINT64 entry_pa;
	CHAR16 *why;
	EFI_STATUS st;

	InitializeLib(image, systab);
	Print(L"foliOS loader (" LOADER_ARCH L")\n");

	st = alloc_low(PAGES(sizeof(*bi)), &bi_pa);
	if (EFI_ERROR(st))
		return fail(st, L"no memory for boot_info");
	bi = (struct boot_info *)bi_pa;
	SetMem(bi, sizeof(*bi), 0);
	bi->magic = BOOT_INFO_MAGIC;
	bi->version = BOOT_INFO_VERSION;
	bi->size = sizeof(*bi);

	st = open_root(image, &root);
	if (EFI_ERROR(st))
		return st;
	st = read_file(root, L"\\foliOS\\kernel.elf", &kernel);
	if (EFI_ERROR(st))
		return fail(st, L"cannot read \\foliOS\\kernel.elf");
	why = elf_check(&kernel);
	if (why)
		return fail(EFI_LOAD_ERROR, why);
	st = load_extras(root, bi);
	if (EFI_ERROR(st))
		return st;
	st = elf_load(&kernel, bi, &entry_pa);
	if (EFI_ERROR(st))
		return st;

	bi->acpi_rsdp = (UINT64)config_table(&acpi20_guid);
	bi->dtb = dtb_copy_low((UINT64)config_table(&dtb_guid));
	find_framebuffer(bi);
	reserve_ap_trampoline(bi);

	kernel_entry_t entry = (kernel_entry_t)entry_pa;
	Print(L"foliOS loader: kernel %lx-%lx entry %lx, initrd %ld bytes, cmdline \"%a\"\n",
	      bi->kernel_base, bi->kernel_end, (UINT64)entry, bi->initrd_size, bi->cmdline);

	st = exit_boot(image, bi, bi_pa);
	if (EFI_ERROR(st))
		return st;
	bi->loader_tsc = read_cycles();
	entry(bi);
	__builtin_unreachable();	/* the kernel never returns */
}
