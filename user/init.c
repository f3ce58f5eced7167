/* init: pid 1.  `init` runs /bin/sh; `init PROG ARGS...` runs PROG with ARGS (a name
 * without '/' means /bin/NAME).  It reaps every orphan that is reparented to it and
 * exits with the main child's status once that child is gone (exit code, or 128+signal
 * when killed), after which the kernel powers off. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

static char *default_env[] = { "PATH=/bin", "HOME=/", "TERM=vt100", NULL };

int main(int argc, char **argv, char **envp)
{
	char path[256];
	char *sh_argv[] = { "/bin/sh", NULL };
	char **cargv = argc > 1 ? argv + 1 : sh_argv;

	if (!envp || !envp[0])
		envp = default_env;
	if (strchr(cargv[0], '/'))
		strlcpy(path, cargv[0], sizeof(path));
	else
		snprintf(path, sizeof(path), "/bin/%s", cargv[0]);

	int pid = fork();
	if (pid < 0) {
		perror("init: fork");
		return 127;
	}
	if (pid == 0) {
		execve(path, cargv, envp);
		dprintf(2, "init: %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	for (;;) {
		int status;
		pid_t w = wait4(-1, &status, 0, NULL);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			perror("init: wait4");
			return 127;
		}
		if (w != pid)
			continue;	/* an orphan: reaped, nothing else to do */
		if (WIFSIGNALED(status)) {
			dprintf(2, "init: %s killed by %s\n", path, strsignal_short(WTERMSIG(status)));
			return 128 + WTERMSIG(status);
		}
		return WEXITSTATUS(status);
	}
}
