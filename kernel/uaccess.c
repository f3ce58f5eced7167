/*
 * uaccess.c - copy_{from,to}_user and friends over the arch primitives.
 * Every call checks the range first (access_ok), then opens the user window
 * (SMAP/PAN) only around the access itself.
 */
#include "kernel/extable.h"
#include "kernel/uaccess.h"
#include <uapi/errno.h>

unsigned long copy_from_user(void *to, const void __user *from, unsigned long n)
{
	unsigned long left;

	if (!access_ok(from, n))
		return n;
	uaccess_begin();
	left = __arch_copy_user(to, (const void *)from, n);
	uaccess_end();
	return left;
}

unsigned long copy_to_user(void __user *to, const void *from, unsigned long n)
{
	unsigned long left;

	if (!access_ok(to, n))
		return n;
	uaccess_begin();
	left = __arch_copy_user((void *)to, from, n);
	uaccess_end();
	return left;
}

unsigned long clear_user(void __user *to, unsigned long n)
{
	unsigned long left;

	if (!access_ok(to, n))
		return n;
	uaccess_begin();
	left = __arch_clear_user((void *)to, n);
	uaccess_end();
	return left;
}

long strncpy_from_user(char *dst, const char __user *src, long count)
{
	for (long i = 0; i < count; i++) {
		int err;

		if (!access_ok(src + i, 1))
			return -EFAULT;
		uaccess_begin();
		err = probe_read_u8((const void *)(src + i), (u8 *)&dst[i]);
		uaccess_end();
		if (err)
			return -EFAULT;
		if (!dst[i])
			return i;
	}
	return -ENAMETOOLONG;
}
