/*
 * place.c - where the loader puts the kernel image in physical memory.
 *
 * The kernel runs at its fixed link address (KERNEL_VBASE + 32 MiB) from any
 * physical base that is aligned to PLACE_ALIGN (2 MiB: x86_64 maps the image
 * with 2 MiB pages, arm64 with 2 MiB blocks) and lies below PLACE_LIMIT
 * (4 GiB: the boot page tables of both head.S identity-map the first 4 GiB,
 * and x86_64's other CPUs load the boot page table's address as 32 bits).
 * The ELF's p_paddr only give the segments' layout relative to each other.
 *
 * Two ways to choose the base (folio.load_addr= on the command line, read by
 * the loader; docs/running.md):
 *
 *	firmware	(default) the firmware's choice: AllocatePages(AllocateMaxAddress)
 *			of the image plus 2 MiB of slack, the unaligned head and tail freed
 *	random		a uniformly random 2 MiB-aligned base among every free
 *			(EfiConventionalMemory) place below 4 GiB the image fits in;
 *			the random number comes from EFI_RNG_PROTOCOL when the firmware
 *			has it, else from the time counter (rdtsc / cntvct_el0)
 *
 * Either way the pages are EfiLoaderData: the kernel finds them as
 * BI_MEM_LOADER in the boot memory map and keeps them reserved.
 */
#include <efi.h>
#include <efilib.h>
#include "place.h"

#define PLACE_ALIGN	(2ULL << 20)
#define PLACE_LIMIT	(4ULL << 30)
#define PAGE_4K		4096ULL

static UINT64 align_up(UINT64 v, UINT64 a)
{
	return (v + a - 1) & ~(a - 1);
}

/* The firmware's choice, aligned: over-allocate, then give back head and tail. */
static EFI_STATUS place_firmware(UINT64 size, UINT64 *base)
{
	UINTN pages = size / PAGE_4K, slack = PLACE_ALIGN / PAGE_4K;
	EFI_PHYSICAL_ADDRESS pa = PLACE_LIMIT - 1;
	UINT64 b;
	EFI_STATUS st;

	st = BS->AllocatePages(AllocateMaxAddress, EfiLoaderData, pages + slack, &pa);
	if (EFI_ERROR(st))
		return st;
	b = align_up(pa, PLACE_ALIGN);
	if (b > pa)
		BS->FreePages(pa, (b - pa) / PAGE_4K);
	if (b + size < pa + (pages + slack) * PAGE_4K)
		BS->FreePages(b + size, (pa + (pages + slack) * PAGE_4K - b - size) / PAGE_4K);
	*base = b;
	return EFI_SUCCESS;
}

/* 64 random bits: EFI_RNG_PROTOCOL, else the cycle counter. Says which in *source. */
static UINT64 random64(UINT64 (*cycles)(void), CHAR16 **source)
{
	EFI_GUID rng_guid = EFI_RNG_PROTOCOL_GUID;
	EFI_RNG_PROTOCOL *rng = NULL;
	UINT64 v = 0;

	if (!EFI_ERROR(LibLocateProtocol(&rng_guid, (VOID **)&rng)) && rng &&
	    !EFI_ERROR(rng->GetRNG(rng, NULL, sizeof(v), (UINT8 *)&v))) {
		*source = L"EFI_RNG_PROTOCOL";
		return v;
	}
	*source = L"time counter";
	v = cycles();
	v ^= v >> 33;	/* splitmix64's finaliser: low bits depend on all of the counter */
	v *= 0xff51afd7ed558ccdULL;
	v ^= v >> 33;
	v *= 0xc4ceb9fe1a85ec53ULL;
	return v ^ (v >> 33);
}

/*
 * Count the aligned bases in free memory below PLACE_LIMIT where size bytes
 * fit; with pick < count, return the pick-th one in *base instead.
 */
static UINT64 free_slots(const UINT8 *map, UINTN map_size, UINTN dsz, UINT64 size, UINT64 pick,
			 UINT64 *base)
{
	UINT64 n = 0;

	for (UINTN off = 0; off + dsz <= map_size; off += dsz) {
		const EFI_MEMORY_DESCRIPTOR *d = (const EFI_MEMORY_DESCRIPTOR *)(map + off);
		UINT64 b = align_up(d->PhysicalStart, PLACE_ALIGN);
		UINT64 e = d->PhysicalStart + d->NumberOfPages * PAGE_4K, k;

		if (d->Type != EfiConventionalMemory)
			continue;
		if (e > PLACE_LIMIT)
			e = PLACE_LIMIT;
		if (b >= e || e - b < size)
			continue;
		k = (e - b - size) / PLACE_ALIGN + 1;
		if (pick >= n && pick < n + k) {
			*base = b + (pick - n) * PLACE_ALIGN;
			return n + k;
		}
		n += k;
	}
	return n;
}

/* A random aligned free base (see the top of the file); EFI_NOT_FOUND when none fits. */
static EFI_STATUS place_random(UINT64 size, UINT64 (*cycles)(void), UINT64 *base)
{
	UINTN map_size = 0, key, dsz;
	UINT32 dver;
	UINT8 *map;
	UINT64 n, pick = ~0ULL;
	CHAR16 *source;
	EFI_PHYSICAL_ADDRESS pa;
	EFI_STATUS st;

	st = BS->GetMemoryMap(&map_size, NULL, &key, &dsz, &dver);
	if (st != EFI_BUFFER_TOO_SMALL)
		return st;
	map_size += 4 * dsz;
	map = AllocatePool(map_size);
	if (!map)
		return EFI_OUT_OF_RESOURCES;
	st = BS->GetMemoryMap(&map_size, (EFI_MEMORY_DESCRIPTOR *)map, &key, &dsz, &dver);
	if (EFI_ERROR(st)) {
		FreePool(map);
		return st;
	}
	n = free_slots(map, map_size, dsz, size, pick, base);
	if (n == 0) {
		FreePool(map);
		return EFI_NOT_FOUND;
	}
	pick = random64(cycles, &source) % n;
	free_slots(map, map_size, dsz, size, pick, base);
	FreePool(map);
	pa = *base;
	st = BS->AllocatePages(AllocateAddress, EfiLoaderData, size / PAGE_4K, &pa);
	if (!EFI_ERROR(st))
		Print(L"foliOS loader: random kernel base %lx, slot %ld of %ld (%s)\n", *base, pick, n,
		      source);
	return st;
}

EFI_STATUS place_kernel(enum place_mode mode, UINT64 size, UINT64 (*cycles)(void), UINT64 *base)
{
	EFI_STATUS st;

	size = align_up(size, PAGE_4K);
	if (mode == PLACE_RANDOM) {
		st = place_random(size, cycles, base);
		if (!EFI_ERROR(st))
			return st;
		Print(L"foliOS loader: no random kernel base (%r), taking the firmware's\n", st);
	}
	return place_firmware(size, base);
}

enum place_mode place_mode_parse(const char *cmdline)
{
	static const char word[] = "folio.load_addr=";
	const char *p = cmdline;

	while (*p) {
		const char *w = p, *v;
		UINTN len;

		while (*p && *p != ' ')
			p++;
		len = p - w;
		while (*p == ' ')
			p++;
		if (len == 2 && w[0] == '-' && w[1] == '-')
			break;	/* init's arguments follow */
		if (len < sizeof(word) - 1 || CompareMem(w, word, sizeof(word) - 1) != 0)
			continue;
		v = w + sizeof(word) - 1;
		len -= sizeof(word) - 1;
		if (len == 6 && CompareMem(v, "random", 6) == 0)
			return PLACE_RANDOM;
		if (len == 8 && CompareMem(v, "firmware", 8) == 0)
			return PLACE_FIRMWARE;
		Print(L"foliOS loader: folio.load_addr= takes random or firmware; using firmware\n");
		return PLACE_FIRMWARE;
	}
	return PLACE_FIRMWARE;
}
