/* clear_pages.c - clear_pages() through the selected arch variant (see clear_pages.h). */
#include "kernel/clear_pages.h"
#include "kernel/cmdline.h"
#include "kernel/string.h"
#include <asm/memory.h>
#include <asm/page.h>
#include <uapi/errno.h>

static const struct clear_variant *clear_variant = &clear_variants[0];

void clear_pages(void *addr, unsigned int nr_pages)
{
	clear_variant->clear(addr, (unsigned long)nr_pages * PAGE_SIZE);
}

const struct clear_variant *clear_pages_variant(void)
{
	return clear_variant;
}

void set_clear_variant(const struct clear_variant *v)
{
	clear_variant = v;
}

static int clear_pages_setup(const char *name)
{
	for (const struct clear_variant *v = clear_variants; name && v->name; v++) {
		if (strcmp(v->name, name) == 0) {
			clear_variant = v;
			return 0;
		}
	}
	return -EINVAL;
}
__setup("folio.clear_pages", clear_pages_setup);
