/*
 * overcommit.c - overcommit accounting, as Linux's (mm/util.c
 * __vm_enough_memory, Documentation/mm/overcommit-accounting.rst).
 *
 * Anonymous memory is promised long before it is used: an mmap of 1 GiB
 * takes no page until it is touched.  Linux counts the promises that
 * could all come due at once, private writable memory, in Committed_AS
 * (vm_committed_as, pages), and vm.overcommit_memory says how far the
 * promises may go beyond what the machine has:
 *
 *   0 (heuristic, the default)  refuse only one request larger than RAM +
 *                               swap: an obvious mistake, not a bet; a
 *                               MAP_NORESERVE mapping is not counted at all
 *   1 (always)                  never refuse (still counted)
 *   2 (strict)                  refuse when Committed_AS would reach
 *                               CommitLimit = swap + overcommit_kbytes, or
 *                               RAM * overcommit_ratio / 100 when kbytes is 0;
 *                               MAP_NORESERVE is ignored (mm/mmap.c)
 *
 * What is counted is decided where VMAs are made, split and removed
 * (VM_ACCOUNT, overcommit.h); this file has the decision, the counter and
 * the knobs.  foliOS has no swap, so swap is 0 in both formulas, and every
 * task is root: the admin reserve of mode 2 (for tasks without
 * CAP_SYS_ADMIN) never applies.  The user reserve does, as in Linux: a
 * process is kept min(total_vm / 32, user_reserve_kbytes) short of the
 * limit.  Linux prints a rate-limited warning for each refusal; foliOS
 * prints none (a user could fill the serial console with them).
 *
 * The files, with Linux's formats and checks (proc_dointvec_minmax,
 * proc_doulongvec_minmax): one integer per write, in decimal, octal
 * (leading 0) or hex (0x), blanks around it; anything else is -EINVAL and
 * changes nothing.  Writing overcommit_ratio clears overcommit_kbytes and
 * the other way round, so the one written last sets CommitLimit.
 *
 *   /proc/sys/vm/overcommit_memory   0, 1, 2
 *   /proc/sys/vm/overcommit_ratio    >= 0 (Linux also takes a negative one and
 *                                    then computes a nonsense limit: refused)
 *   /proc/sys/vm/overcommit_kbytes   >= 0
 *
 * /proc/meminfo shows CommitLimit and Committed_AS (kernel/proc.c).
 */
#include "kernel/vfs.h"
#include "mm/memblock.h"
#include "mm/overcommit.h"
#include "mm/page_alloc.h"
#include "mm/vma.h"
#include <uapi/errno.h>

int sysctl_overcommit_memory = OVERCOMMIT_GUESS;
int sysctl_overcommit_ratio = 50;
unsigned long sysctl_overcommit_kbytes;
unsigned long sysctl_user_reserve_kbytes = 1UL << 17;	/* 128 MiB until overcommit_init */
atomic_long_t vm_committed_as;

#define KB_TO_PAGES(kb)	((kb) >> (PAGE_SHIFT - 10))

unsigned long vm_commit_limit(void)
{
	unsigned long kbytes = READ_ONCE(sysctl_overcommit_kbytes);

	if (kbytes)
		return KB_TO_PAGES(kbytes);
	return totalram_pages() * (unsigned long)READ_ONCE(sysctl_overcommit_ratio) / 100;
}

unsigned long vm_memory_committed(void)
{
	long committed = atomic_long_read(&vm_committed_as);

	return committed > 0 ? (unsigned long)committed : 0;
}

int vm_enough_memory(struct mm_struct *mm, long pages)
{
	int mode = READ_ONCE(sysctl_overcommit_memory);
	long allowed, committed;

	/* Counted first, as Linux's vm_acct_memory: two racing calls cannot both slip under the limit. */
	committed = atomic_long_add_return(pages, &vm_committed_as);
	if (mode == OVERCOMMIT_ALWAYS)
		return 0;
	if (mode == OVERCOMMIT_GUESS) {
		if ((unsigned long)pages <= totalram_pages())	/* + swap: none */
			return 0;
	} else {
		allowed = (long)vm_commit_limit();
		if (mm)
			allowed -= (long)min(mm_total_vm(mm) / 32, KB_TO_PAGES(READ_ONCE(sysctl_user_reserve_kbytes)));
		if (committed < allowed)
			return 0;
	}
	atomic_long_sub(pages, &vm_committed_as);
	return -ENOMEM;
}

void vm_unacct_memory(long pages)
{
	atomic_long_sub(pages, &vm_committed_as);
}

/* ---- /proc/sys/vm/overcommit_* ---- */

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
		return (c | 0x20) - 'a' + 10;
	return 16;
}

/*
 * One integer of a sysctl write, as Linux's proc_get_long takes it: blanks,
 * an optional '-', a number in base 10, 8 (leading 0) or 16 (0x) that fits
 * an unsigned long and is at most 21 characters, then the end or a blank;
 * blanks after it are consumed too.  Returns the bytes consumed (what
 * write() returns: text after the blanks is left unwritten, as Linux) or
 * -EINVAL.
 */
static long sysctl_parse(const char *buf, size_t len, bool *neg, unsigned long *val)
{
	size_t i = 0, start;
	unsigned int base = 10;

	while (i < len && is_blank(buf[i]))
		i++;
	start = i;
	*neg = i + 1 < len && buf[i] == '-';
	i += *neg;
	if (i >= len || buf[i] < '0' || buf[i] > '9')
		return -EINVAL;
	if (buf[i] == '0' && i + 1 < len && (buf[i + 1] | 0x20) == 'x' && i + 2 < len &&
	    digit_value(buf[i + 2]) < 16) {
		base = 16;
		i += 2;
	} else if (buf[i] == '0') {
		base = 8;
	}
	for (*val = 0; i < len && digit_value(buf[i]) < (int)base; i++) {
		unsigned long d = (unsigned long)digit_value(buf[i]);

		if (*val > (~0UL - d) / base)
			return -EINVAL;
		*val = *val * base + d;
	}
	if (i - start >= 21 || (i < len && !is_blank(buf[i])))
		return -EINVAL;
	while (i < len && is_blank(buf[i]))
		i++;
	return (long)i;
}

long sysctl_int_store(const char *buf, size_t len, int min, int max, int *out)
{
	unsigned long val;
	bool neg;
	long ret = sysctl_parse(buf, len, &neg, &val), v;

	if (ret < 0 || val > (unsigned long)__INT_MAX__ + neg)
		return -EINVAL;
	v = neg ? -(long)val : (long)val;
	if (v < min || v > max)
		return -EINVAL;
	WRITE_ONCE(*out, (int)v);
	return ret;
}

static long overcommit_memory_show(char *buf, size_t len)
{
	return snprintf(buf, len, "%d\n", sysctl_overcommit_memory);
}

static long overcommit_memory_store(const char *buf, size_t len)
{
	return sysctl_int_store(buf, len, OVERCOMMIT_GUESS, OVERCOMMIT_NEVER, &sysctl_overcommit_memory);
}

static long overcommit_ratio_show(char *buf, size_t len)
{
	return snprintf(buf, len, "%d\n", sysctl_overcommit_ratio);
}

static long overcommit_ratio_store(const char *buf, size_t len)
{
	long ret = sysctl_int_store(buf, len, 0, __INT_MAX__, &sysctl_overcommit_ratio);

	if (ret >= 0)
		WRITE_ONCE(sysctl_overcommit_kbytes, 0);
	return ret;
}

static long overcommit_kbytes_show(char *buf, size_t len)
{
	return snprintf(buf, len, "%lu\n", sysctl_overcommit_kbytes);
}

long sysctl_ulong_store(const char *buf, size_t len, unsigned long *out)
{
	unsigned long val;
	bool neg;
	long ret = sysctl_parse(buf, len, &neg, &val);

	if (ret < 0 || neg)
		return -EINVAL;
	WRITE_ONCE(*out, val);
	return ret;
}

static long overcommit_kbytes_store(const char *buf, size_t len)
{
	long ret = sysctl_ulong_store(buf, len, &sysctl_overcommit_kbytes);

	if (ret >= 0)
		WRITE_ONCE(sysctl_overcommit_ratio, 0);
	return ret;
}

void overcommit_init(void)
{
	/* Linux's init_user_reserve: 1/32 of free memory, at most 128 MiB. */
	sysctl_user_reserve_kbytes = min(nr_free_pages() * (PAGE_SIZE >> 10) / 32, 1UL << 17);
	pseudo_file_register("/proc/sys/vm/overcommit_memory", overcommit_memory_show,
			     overcommit_memory_store);
	pseudo_file_register("/proc/sys/vm/overcommit_ratio", overcommit_ratio_show,
			     overcommit_ratio_store);
	pseudo_file_register("/proc/sys/vm/overcommit_kbytes", overcommit_kbytes_show,
			     overcommit_kbytes_store);
}
