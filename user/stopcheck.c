/*
 * stopcheck: an init for make test's check that nothing runs after the
 * power-off line (kernel/reboot.c, smp_send_stop: docs/smp.md).
 *
 *   init=/bin/stopcheck
 *
 * One child per other CPU, pinned to it, writes "stopcheck: cpu N line M"
 * to the console without end.  Once every child has written its first line
 * (each says so through a pipe), init calls reboot(POWER_OFF): the kernel
 * must stop those CPUs before it prints "reboot: Power down (status 0)", so
 * that line is the console's last.  With one CPU there is nothing to stop:
 * it powers off at once.  Not a test of its own (it ends the machine, and on
 * Linux it would need to be init): tools/test-boot.sh reads the console.
 */
#include <cpu.h>
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>
#include <unistd.h>

/* A child's life: pinned to cpu, one byte down the pipe after its first line, then lines forever. */
static void spam(int cpu, int ready)
{
	char line[64];
	unsigned long n = 0;

	if (pin_to_cpu(cpu))
		printf("stopcheck: cannot pin to cpu %d\n", cpu);
	for (;;) {
		int len = snprintf(line, sizeof(line), "stopcheck: cpu %d line %lu\n", cpu, n);

		if (write(1, line, (size_t)len) != len)
			_exit(1);
		if (n++ == 0 && write(ready, "r", 1) != 1)
			_exit(1);
	}
}

int main(void)
{
	int cpus = cpus_allowed(), fds[2];
	char c;

	if (cpus > 1 && pin_to_cpu(0))
		printf("stopcheck: cannot pin to cpu 0\n");
	if (pipe(fds)) {
		printf("stopcheck: pipe failed\n");
		return 1;
	}
	for (int cpu = 1; cpu < cpus; cpu++) {
		pid_t pid = fork();

		if (pid < 0) {
			printf("stopcheck: fork failed\n");
			return 1;
		}
		if (pid == 0)
			spam(cpu, fds[1]);
	}
	for (int i = 1; i < cpus; i++) {
		if (read(fds[0], &c, 1) != 1) {
			printf("stopcheck: a child never wrote\n");
			return 1;
		}
	}
	printf("stopcheck: %d CPUs writing, powering off\n", cpus - 1);
	reboot(LINUX_REBOOT_CMD_POWER_OFF);
	printf("stopcheck: reboot failed\n");
	return 1;
}
