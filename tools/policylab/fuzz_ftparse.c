/*
 * fuzz_ftparse.c - a libFuzzer target for the trace parser (make foliotrace-fuzz):
 * any input is parsed to its end or to an error inside it, under ASan+UBSan; the
 * error's offset never lies past the input.  The corpus starts from the generators.
 */
#include <stdlib.h>
#include "tools/policylab/ftparse.h"

static int visit(void *ctx, const struct ft_hdr *r, uint64_t off)
{
	*(uint64_t *)ctx += r->len + off % 2;	/* read every record the parser hands out */
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t sum = 0;
	struct ft_visitor v = { &sum, NULL, visit };
	struct ft_error err;

	if (ft_parse(data, size, &v, &err) && err.offset > size)
		abort();
	return 0;
}
