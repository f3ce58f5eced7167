/*
 * boot_test.c - boot tests of the early kernel: printk formatting, the clock
 * and the periodic tick, the exception path, and the permissions of the
 * kernel's own page tables (text RX, rodata R, data NX, identity map gone,
 * direct map covering all RAM).  Faults are provoked through the probe_*
 * helpers, whose exception-table fixups turn a fault into -EFAULT.
 */
#include "kernel/arch.h"
#include "kernel/extable.h"
#include "kernel/ktest.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "mm/memblock.h"
#include <asm/memory.h>
#include <uapi/errno.h>

static const u8 ro_byte = 0xa5;
static u8 data_code[16] __aligned(16);
extern char _text[];

#define KT_ASSERT_FMT(expect, fmt, ...) do { \
	char __b[64]; \
	snprintf(__b, sizeof(__b), fmt, ##__VA_ARGS__); \
	KT_ASSERT_MSG(strcmp(__b, expect) == 0, "'%s' gave '%s', want '%s'", fmt, __b, expect); \
} while (0)

KTEST(printk_format)
{
	const char *volatile null_str = NULL;	/* volatile: gcc must not see the NULL */
	char small[4];

	KT_ASSERT_FMT("42 -7 0", "%d %i %u", 42, -7, 0u);
	KT_ASSERT_FMT("ff FF 0xff 17", "%x %X %#x %o", 255u, 255u, 255u, 15u);
	KT_ASSERT_FMT("[  5] [5  ] [005]", "[%3d] [%-3d] [%03d]", 5, 5, 5);
	KT_ASSERT_FMT("18446744073709551615", "%llu", ~0ULL);
	KT_ASSERT_FMT("-9223372036854775808", "%lld", (long long)(1ULL << 63));
	KT_ASSERT_FMT("0xffff800000000000", "%p", (void *)PAGE_OFFSET);
	KT_ASSERT_FMT("ab|  x|(null)", "%.2s|%3s|%s", "abc", "x", null_str);
	KT_ASSERT_FMT("ab|abc|   x", "%.*s|%.*s|%*s", 2, "abc", -1, "abc", 4, "x");
	KT_ASSERT_FMT("0x00000000abcd", "%#014lx", 0xabcdUL);
	KT_ASSERT_FMT("c % 12 34", "%c %% %zu %lx", 'c', (size_t)12, 0x34UL);
	KT_ASSERT_EQ(snprintf(small, sizeof(small), "%d", 123456), 6);
	KT_ASSERT(strcmp(small, "123") == 0);
}

KTEST(clock_advances_with_tick)
{
	u64 t0 = ktime_get_ns(), j0 = jiffies, t1;

	while (jiffies < j0 + 5)
		arch_idle();
	t1 = ktime_get_ns();
	/* Five ticks of 10 ms: at least four full periods elapsed. */
	KT_ASSERT_MSG(t1 - t0 >= 4 * (NSEC_PER_SEC / HZ), "5 ticks took %llu ns", t1 - t0);
	KT_ASSERT_MSG(t1 - t0 < 2 * NSEC_PER_SEC, "5 ticks took %llu ns", t1 - t0);
	KT_ASSERT(ktime_get_ns() >= t1);
}

KTEST(exception_fixup_null_read)
{
	u8 v = 0;

	KT_ASSERT_EQ(probe_read_u8(NULL, &v), -EFAULT);
	KT_ASSERT_EQ(probe_read_u8(&ro_byte, &v), 0);
	KT_ASSERT_EQ(v, 0xa5);
}

KTEST(pt_rodata_readonly)
{
	KT_ASSERT_EQ(probe_write_u8((void *)&ro_byte, 1), -EFAULT);
	KT_ASSERT_EQ(ro_byte, 0xa5);
}

KTEST(pt_text_readonly)
{
	u8 v;

	KT_ASSERT_EQ(probe_read_u8(_text, &v), 0);
	KT_ASSERT_EQ(probe_write_u8(_text, v), -EFAULT);
}

/* A function in data: x86 "ret" (0xc3), arm64 "ret" (0xd65f03c0). */
KTEST(pt_data_noexec)
{
#if defined(__x86_64__)
	data_code[0] = 0xc3;
#else
	const u32 ret = 0xd65f03c0;

	memcpy(data_code, &ret, sizeof(ret));
#endif
	KT_ASSERT_EQ(probe_exec(data_code), -EFAULT);
	KT_ASSERT_EQ(probe_exec(__va(memblock_start_of_DRAM())), -EFAULT);
}

KTEST(pt_identity_map_dropped)
{
	u8 v;
	phys_addr_t ram = memblock_start_of_DRAM() + PAGE_SIZE;

	KT_ASSERT_EQ(probe_read_u8((void *)ram, &v), -EFAULT);
	KT_ASSERT_EQ(probe_read_u8(__va(ram), &v), 0);
}

KTEST(pt_direct_map_covers_ram)
{
	for (unsigned int i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];
		u8 v;

		KT_ASSERT_EQ(probe_read_u8(__va(r->base), &v), 0);
		KT_ASSERT_EQ(probe_read_u8(__va(r->base + r->size - 1), &v), 0);
	}
	KT_ASSERT(memblock.memory.cnt > 0);
}
