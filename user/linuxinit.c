/*
 * linuxinit: /init of the initramfs with which `make bench-linux` (tools/bench-linux.sh)
 * boots a Debian Linux kernel under QEMU: mount devtmpfs (for a console when the initramfs
 * has no /dev/console), proc and sysfs, run /bin/faultbench with this program's arguments,
 * print its exit status, then power off.  Linux only: foliOS has no mount(2).
 *
 *   linuxinit [faultbench arguments...]
 */
#include <fcntl.h>
#include <stdio.h>
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

	char *args[32] = { "/bin/faultbench" };
	int n = 1;
	for (int i = 1; i < argc && n < 31; i++)
		args[n++] = argv[i];
	args[n] = NULL;
	char *envp[] = { "PATH=/bin", NULL };

	pid_t pid = fork();
	if (pid == 0) {
		execve(args[0], args, envp);
		printf("linuxinit: cannot exec %s\n", args[0]);
		_exit(127);
	}
	int status = 0;
	if (pid < 0)
		printf("linuxinit: fork failed\n");
	else
		waitpid(pid, &status, 0);
	printf("linuxinit: faultbench exited with status %d\n",
	       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (status & 0x7f));
	reboot(LINUX_REBOOT_CMD_POWER_OFF);
	for (;;)
		sleep(1000);
}
