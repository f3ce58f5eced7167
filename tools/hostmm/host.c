/*
 * host.c - the kernel services mm/ needs, on the host: printk into a
 * captured log, panic that a test can catch, clear_pages/copy_page, the
 * arena standing in for physical RAM, and the fake memory map (see
 * hostmm.h for the map).  Shared by the test and the bench binaries.
 */
#include <stdio.h>
#include <stdlib.h>
#include "kernel/printk.h"
#include "mm/memblock.h"
#include "mm/oom.h"
#include "mm/vmscan.h"
#include "tools/hostmm/hostmm.h"
#include <asm/page.h>

char *hostmm_arena;
unsigned long hostmm_irq_enabled = 1;
jmp_buf *hostmm_panic_jmp;
char hostmm_panic_msg[256];

static char log_buf[1 << 16];
static size_t log_len;

const struct pfn_range hostmm_free_ranges[] = {
	{ 0, 7 }, { 8, 159 }, { 256, 4096 }, { 5120, 8192 }, { 8453, 12291 }, { 12309, 16128 },
};
const unsigned int hostmm_nr_free_ranges = ARRAY_SIZE(hostmm_free_ranges);

/* The boot_info-like map: RAM ranges, then what the "loader" reserved. */
static const struct memblock_region fake_ram[] = {
	{ 0x0, 0x9f000 }, { 0x100000, 0x1f00000 }, { 0x2105000, 0x1efb000 },
};
static const struct memblock_region fake_reserved[] = {
	{ 0x7000, 0x1000 },		/* boot_info */
	{ 0x1000000, 0x400000 },	/* kernel image */
	{ 0x3003000, 0x11800 },		/* initrd, size not a page multiple */
};

void hostmm_log_reset(void)
{
	log_len = 0;
	log_buf[0] = '\0';
}

const char *hostmm_log(void)
{
	return log_buf;
}

bool hostmm_log_contains(const char *needle)
{
	return strstr(log_buf, needle) != NULL;
}

/* Append to the log (dropping what does not fit); echo with HOSTMM_VERBOSE. */
int vprintk(const char *fmt, va_list ap)
{
	char line[1024];
	int n;

	if (fmt[0] == KERN_SOH[0] && fmt[1])
		fmt += 2;
	n = vsnprintf(line, sizeof(line), fmt, ap);
	if (getenv("HOSTMM_VERBOSE"))
		fputs(line, stderr);
	if (n > 0 && log_len + strlen(line) < sizeof(log_buf)) {
		memcpy(log_buf + log_len, line, strlen(line) + 1);
		log_len += strlen(line);
	}
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(hostmm_panic_msg, sizeof(hostmm_panic_msg), fmt, ap);
	va_end(ap);
	if (hostmm_panic_jmp)
		longjmp(*hostmm_panic_jmp, 1);
	fprintf(stderr, "%s\nKernel panic - %s\n", log_buf, hostmm_panic_msg);
	abort();
}

/*
 * The anon accounting lives in mm/rmap.c, the LRU and reclaim in
 * mm/vmscan.c, the OOM killer in mm/oom_kill.c, which only the test binary
 * links (the bench has the physical layer alone, and allocates only
 * GFP_KERNEL): weak, so theirs win there.
 */
__attribute__((weak)) void folio_anon_freed(struct folio *folio)
{
	(void)folio;
}

__attribute__((weak)) void folio_lru_release(struct folio *folio)
{
	(void)folio;
}

__attribute__((weak)) unsigned long try_to_free_pages(gfp_t gfp, unsigned int order)
{
	(void)gfp;
	(void)order;
	return 0;
}

__attribute__((weak)) void wakeup_kswapd(void)
{
}

__attribute__((weak)) bool out_of_memory(gfp_t gfp, unsigned int order)
{
	(void)gfp;
	(void)order;
	return false;
}

void clear_pages(void *addr, unsigned int nr_pages)
{
	memset(addr, 0, (size_t)nr_pages * PAGE_SIZE);
}

void copy_page(void *dst, const void *src)
{
	memcpy(dst, src, PAGE_SIZE);
}

void hostmm_boot(void)
{
	if (!hostmm_arena) {
		hostmm_arena = aligned_alloc(PAGE_SIZE, HOSTMM_PHYS_SIZE);
		if (!hostmm_arena) {
			perror("hostmm_boot: arena");
			exit(2);
		}
	}
	hostmm_log_reset();
	memblock_reset();
	for (unsigned int i = 0; i < ARRAY_SIZE(fake_ram); i++)
		memblock_add(fake_ram[i].base, fake_ram[i].size);
	for (unsigned int i = 0; i < ARRAY_SIZE(fake_reserved); i++)
		memblock_reserve(fake_reserved[i].base, fake_reserved[i].size);
	memmap_init();
}
