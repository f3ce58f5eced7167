/*
 * linuxinit: /init of the initramfs with which `make bench-linux` (tools/bench-linux.sh)
 * boots a Debian Linux kernel under QEMU: mount devtmpfs (for a console when the initramfs
 * has no /dev/console), proc and sysfs, run each command of its arguments in turn
 * (/bin/PROG with its arguments; commands separated by a lone "+"), print each one's exit
 * status, then power off.  Linux only: foliOS has no mount(2).
 *
 *   linuxinit PROG [ARGS...] [+ PROG [ARGS...]]...
 * prints "linuxinit: PROG exited with status N" per command, then "linuxinit: done".
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>

static void mount_or_say(const char *src, const char *dir, const char *type)
{
	if (mount(src, dir, type, 0, NULL) < 0)
		printf("linuxinit: mount %s on %s failed\n", type, dir);
}

/* Run /bin/args[0] with args (args[0] becomes the path), wait, print its exit status. */
static void run(char **args)
{
	char path[64];
	char *envp[] = { "PATH=/bin", NULL };
	const char *name = args[0];
	int status = 0;

	snprintf(path, sizeof(path), "/bin/%s", name);
	args[0] = path;
	pid_t pid = fork();
	if (pid == 0) {
		execve(path, args, envp);
		printf("linuxinit: cannot exec %s\n", path);
		_exit(127);
	}
	if (pid < 0)
		printf("linuxinit: fork failed\n");
	else
		waitpid(pid, &status, 0);
	printf("linuxinit: %s exited with status %d\n", name,
	       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (status & 0x7f));
}

int main(int argc, char **argv)
{
	struct stat st;

	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	if (fstat(1, &st) < 0) {
		/* No console from the kernel: fds 0, 1, 2 are free, open takes them in turn. */
		for (int i = 0; i < 3; i++)
			open("/dev/console", O_RDWR);
	}
	mount_or_say("proc", "/proc", "proc");
	mount_or_say("sysfs", "/sys", "sysfs");

	for (int i = 1; i < argc; i++) {
		char *args[32];
		int n = 0;

		for (; i < argc && strcmp(argv[i], "+") && n < 31; i++)
			args[n++] = argv[i];
		if (!n)
			continue;
		args[n] = NULL;
		run(args);
	}
	printf("linuxinit: done\n");
	reboot(LINUX_REBOOT_CMD_POWER_OFF);
	for (;;)
		sleep(1000);
}
