/* runtests: the in-guest test runner of `make test`.  Runs each test program (they
 * print their own TAP lines and "N passed, N failed" to the shared console; without
 * PROG arguments, user/user.mk's USER_RUNTESTS, generated into runtests_list.h; a PROG
 * written PROG:CASE,CASE... runs as `PROG CASE CASE...`, the program's own case
 * selection: test.h's test_selected, how a lab's grade.conf grades single cases), then
 * checks that the free page count came back to where it was, and ends with
 *   ok 1 - leak check: free pages before X after Y
 *   runtests: N programs, M failed
 * Exit status 0 only if every program exited 0 and the leak check passed.
 *   runtests [-d DIR] [-n] [-t SECS] [-f LIST] [PROG...]
 * DIR defaults to /bin; -n skips the leak check; -t kills (SIGKILL) a program still
 * running after SECS seconds and says so; -f runs the command lines of the file LIST
 * instead ("NAME ARG..." a line, blank and '#' lines ignored: how tools/linux-selftests.sh
 * runs Linux's selftests with their arguments). */
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

static volatile int alarm_rang;
static void on_alarm(int sig) { (void)sig; alarm_rang = 1; }

/* Run DIR/ARGV[0] with ARGV (its argv[0] that path); return its wait status, or -1 if it
 * could not be started.  With TIMEOUT > 0 the program is sent SIGKILL once it has run
 * TIMEOUT seconds. */
static int run(const char *dir, char **argv, unsigned int timeout, char **envp)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, argv[0]);
	int pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		argv[0] = path;		/* the child's copy */
		execve(path, argv, envp);
		dprintf(1, "runtests: %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	alarm_rang = 0;
	if (timeout)
		alarm(timeout);
	for (;;) {
		int status;
		pid_t w = wait4(-1, &status, 0, NULL);	/* also reaps orphans if we are pid 1 */
		if (w == pid) {
			alarm(0);
			return status;
		}
		if (w < 0 && errno == EINTR && alarm_rang) {
			printf("# runtests: %s timed out after %u s\n", argv[0], timeout);
			kill(pid, SIGKILL);
			alarm_rang = 0;
		} else if (w < 0 && errno != EINTR) {
			alarm(0);
			return -1;
		}
	}
}

/*
 * Free pages, measured the same way before and after the tests.  foliOS: first
 * split what the deferred-split queue holds.  Only the runner's own partially
 * mapped folios can be there: a write of ours that CoW-copies one page of a
 * large folio while a child still shares it (between fork and its execve: who
 * runs first is the scheduler's choice) leaves the rest of that folio mapped
 * here and its copied page unmapped but allocated until a split.  Elsewhere
 * the file does not exist and nothing happens.
 */
static long settled_free_pages(void)
{
	sysfs_write(FOLIO_DIR "/deferred_split_scan", "1");
	free_pages_now();
	return free_pages_now();
}

#define LIST_ARGS 16

/* cmd[] (NULL-terminated) from one PROG argument: PROG, or PROG:CASE,CASE... with the
 * cases as PROG's arguments.  Splits arg in place. */
static void split_cases(char *arg, char *cmd[LIST_ARGS])
{
	int n = 0;
	char *c = strchr(arg, ':');

	cmd[n++] = arg;
	if (c)
		*c++ = '\0';
	while (c && *c && n < LIST_ARGS - 1) {
		cmd[n++] = c;
		c = strchr(c, ',');
		if (c)
			*c++ = '\0';
	}
	cmd[n] = NULL;
}

/* Read LIST's command lines into lines[] (at most max-1; NULL-terminated), each split at
 * blanks into a NULL-terminated argv in place.  Return the count, or -1 if unreadable. */
static int read_list(const char *list, char *lines[][LIST_ARGS], int max)
{
	static char buf[16384];
	int n = 0;

	if (sysfs_read(list, buf, sizeof(buf)) < 0)	/* any file: the whole of it, NUL-terminated */
		return -1;
	for (char *line = buf, *next; line && *line && n < max - 1; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		int argc = 0;
		for (char *w = line; *w && argc < LIST_ARGS - 1; ) {
			if (*w == ' ' || *w == '\t') {
				*w++ = '\0';
				continue;
			}
			lines[n][argc++] = w;
			while (*w && *w != ' ' && *w != '\t')
				w++;
		}
		lines[n][argc] = NULL;
		if (argc && lines[n][0][0] != '#')
			n++;
	}
	lines[n][0] = NULL;
	return n;
}

int main(int argc, char **argv, char **envp)
{
	const char *dir = "/bin", *listfile = NULL;
	int leak_check = 1, nprogs = 0, nfailed = 0;
	unsigned int timeout = 0;
	static char *cmds[64][LIST_ARGS];

	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-d") && i + 1 < argc)
			dir = argv[++i];
		else if (!strcmp(argv[i], "-n"))
			leak_check = 0;
		else if (!strcmp(argv[i], "-t") && i + 1 < argc)
			timeout = (unsigned int)strtol(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "-f") && i + 1 < argc)
			listfile = argv[++i];
		else {
			dprintf(2, "usage: runtests [-d DIR] [-n] [-t SECS] [-f LIST] [PROG...]\n");
			return 2;
		}
	}
	if (listfile) {
		if (read_list(listfile, cmds, 64) < 0) {
			dprintf(2, "runtests: cannot read %s\n", listfile);
			return 2;
		}
	} else {
		int n = 0;
		if (i == argc)
			for (; default_tests[n] && n < 63; n++)
				cmds[n][0] = (char *)default_tests[n];
		for (; i < argc && n < 63; i++)
			split_cases(argv[i], cmds[n++]);
		cmds[n][0] = NULL;
	}
	if (timeout) {
		struct sigaction sa = { .sa_handler = on_alarm };	/* no SA_RESTART: wait4 sees EINTR */
		sigaction(SIGALRM, &sa, NULL);
	}

	/* Warm up: one fork+exec+wait so that the first measurement does not count
	 * the runner's own first-touch of its stack and heap. */
	char *warmup[] = { "exec_test", "exit77", NULL };
	run("/bin", warmup, 0, envp);	/* silent: exits 77 at once */
	long before = settled_free_pages();

	for (int t = 0; cmds[t][0]; t++) {
		char name[256] = "";	/* the command line, for the log */
		for (int a = 0; cmds[t][a]; a++)
			snprintf(name + strlen(name), sizeof(name) - strlen(name), "%s%s", a ? " " : "", cmds[t][a]);
		printf("# runtests: %s\n", name);
		int status = run(dir, cmds[t], timeout, envp);
		nprogs++;
		if (status != 0) {
			nfailed++;
			if (status < 0)
				printf("# runtests: %s could not be run\n", name);
			else if (WIFSIGNALED(status))
				printf("# runtests: %s killed by %s\n", name, strsignal_short(WTERMSIG(status)));
			else
				printf("# runtests: %s exited with %d\n", name, WEXITSTATUS(status));
		}
	}

	int leak_ok = 1;
	if (leak_check) {
		long after = settled_free_pages();
		leak_ok = before >= 0 && after == before;
		printf("%sok 1 - leak check: free pages before %ld after %ld%s\n", leak_ok ? "" : "not ",
		       before, after, before < 0 ? " # /proc/meminfo unreadable" :
		       leak_ok ? "" : " # free page count changed");
	}
	printf("runtests: %d programs, %d failed\n", nprogs, nfailed);
	return nfailed || !leak_ok ? 1 : 0;
}
