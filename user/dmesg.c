/*
 * dmesg: print the kernel log (syslog(2) READ_ALL, kernel/syslog.c), each
 * line without its "<N>" level prefix, as util-linux's dmesg does; `dmesg -r`
 * prints the raw lines.  On a machine with no serial port this is how the
 * boot log gets off it: read it on the screen, or `dmesg > /some/file`.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/klog.h>

static char buf[65536];

int main(int argc, char **argv)
{
	int raw = argc == 2 && !strcmp(argv[1], "-r");
	int n, start = 0;

	if (argc > 1 && !raw) {
		fprintf(stderr, "usage: dmesg [-r]\n");
		return 2;
	}
	n = klogctl(SYSLOG_ACTION_READ_ALL, buf, sizeof(buf));
	if (n < 0) {
		perror("dmesg: klogctl");
		return 1;
	}
	for (int i = 0; i < n; i++) {
		if (buf[i] != '\n')
			continue;
		if (!raw && i - start >= 3 && buf[start] == '<' && buf[start + 2] == '>')
			start += 3;
		write(1, buf + start, i + 1 - start);
		start = i + 1;
	}
	return 0;
}
