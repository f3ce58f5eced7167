/* runtests: the in-guest test runner of `make test`.  Runs each test program (they
 * print their own TAP lines and "N passed, N failed" to the shared console; without
 * PROG arguments, user/user.mk's USER_RUNTESTS, generated into runtests_list.h), then
 * checks that the free page count came back to where it was, and ends with
 *   ok 1 - leak check: free pages before X after Y
 *   runtests: N programs, M failed
 * Exit status 0 only if every program exited 0 and the leak check passed.
 *   runtests [-d DIR] [-n] [PROG...]   DIR defaults to /bin; -n skips the leak check */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <mthp.h>
#include <test.h>
#include <sys/wait.h>

#include "runtests_list.h"	/* RUNTESTS_LIST: hello, the tests, the musl programs built */

static const char *const default_tests[] = { RUNTESTS_LIST NULL };

/* Run DIR/NAME; return its wait status, or -1 if it could not be started. */
static int run(const char *dir, const char *name, char *arg, char **envp)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	char *argv[] = { path, arg, NULL };
	int pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		execve(path, argv, envp);
		dprintf(1, "runtests: %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	for (;;) {
		int status;
		pid_t w = wait4(-1, &status, 0, NULL);	/* also reaps orphans if we are pid 1 */
		if (w == pid)
			return status;
		if (w < 0 && errno != EINTR)
			return -1;
	}
}

int main(int argc, char **argv, char **envp)
{
	const char *dir = "/bin";
	int leak_check = 1, nprogs = 0, nfailed = 0;
	const char *const *list = default_tests;
	static const char *chosen[64];

	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-d") && i + 1 < argc)
			dir = argv[++i];
		else if (!strcmp(argv[i], "-n"))
			leak_check = 0;
		else {
			dprintf(2, "usage: runtests [-d DIR] [-n] [PROG...]\n");
			return 2;
		}
	}
	if (i < argc) {
		int n = 0;
		for (; i < argc && n < 63; i++)
			chosen[n++] = argv[i];
		chosen[n] = NULL;
		list = chosen;
	}

	/* Warm up: one fork+exec+wait so that the first measurement does not count
	 * the runner's own first-touch of its stack and heap. */
	run(dir, "exec_test", "exit77", envp);	/* silent: exits 77 at once */
	/* foliOS: split what the deferred-split queue holds (our own partially mapped folios)
	 * now, so that a test that runs the queue (folio_test) gives back no page allocated
	 * before the measurement.  Elsewhere the file does not exist and nothing happens. */
	sysfs_write(FOLIO_DIR "/deferred_split_scan", "1");
	free_pages_now();
	long before = free_pages_now();

	for (int t = 0; list[t]; t++) {
		printf("# runtests: %s\n", list[t]);
		int status = run(dir, list[t], NULL, envp);
		nprogs++;
		if (status != 0) {
			nfailed++;
			if (status < 0)
				printf("# runtests: %s could not be run\n", list[t]);
			else if (WIFSIGNALED(status))
				printf("# runtests: %s killed by %s\n", list[t], strsignal_short(WTERMSIG(status)));
			else
				printf("# runtests: %s exited with %d\n", list[t], WEXITSTATUS(status));
		}
	}

	int leak_ok = 1;
	if (leak_check) {
		long after = free_pages_now();
		leak_ok = before >= 0 && after == before;
		printf("%sok 1 - leak check: free pages before %ld after %ld%s\n", leak_ok ? "" : "not ",
		       before, after, before < 0 ? " # /proc/meminfo unreadable" :
		       leak_ok ? "" : " # free page count changed");
	}
	printf("runtests: %d programs, %d failed\n", nprogs, nfailed);
	return nfailed || !leak_ok ? 1 : 0;
}
