/* hello_musl: a real static program built with Debian's musl-gcc, not with libfolio.
 * Exercises musl's start-up (arch_prctl, set_tid_address, ...), stdio and malloc. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	size_t n = 1 << 20;
	char *small = malloc(100);
	char *big = malloc(n);	/* musl mmaps this one */

	if (!small || !big) {
		printf("hello_musl: malloc failed\n");
		return 1;
	}
	memset(big, 0x5a, n);
	snprintf(small, 100, "%s with %d arg(s)", argv[0], argc - 1);
	for (size_t i = 0; i < n; i += 4096)
		if (big[i] != 0x5a)
			return 2;
	printf("hello from musl: %s, 1 MiB malloc ok\n", small);
	free(big);
	free(small);
	return 0;
}
