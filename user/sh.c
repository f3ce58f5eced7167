/* sh: a small shell for the foliOS console.
 *   sh                 interactive on fd 0/1: prompt "foliOS$ ", line editing
 *   sh FILE            run the commands of FILE
 *   sh -c "COMMAND"    run one command line
 * The foliOS console is raw (no echo, no line discipline), so the shell echoes and
 * edits itself: printable bytes echo, Backspace/DEL erase, Ctrl-U kills the line,
 * Ctrl-C abandons it, Ctrl-D on an empty line exits, '\r' or '\n' ends it.  If fd 0 is
 * a terminal that already echoes (TCGETS says ECHO, e.g. a Linux tty), it does not.
 * Words split at blanks; "..." and '...' quote, backslash escapes; $? is the last status.
 * Builtins: cat FILE..., ls [DIR...], free, echo, exit [N], help.  Anything else runs
 * /bin/WORD (or WORD when it has a '/') with fork + execve + wait4. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <test.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>

#define LINE_MAX 1024
#define MAX_ARGS 64

static int last_status;
static int echo_input, show_prompt;
static char **sh_envp;

static void out(const char *s, size_t n)
{
	while (n) {
		ssize_t r = write(1, s, n);
		if (r <= 0)
			return;
		s += r;
		n -= r;
	}
}

static void outs(const char *s) { out(s, strlen(s)); }

/* Read one line from fd 0 into buf.  Returns its length, or -1 at end of input. */
static int read_line(char *buf, int max)
{
	static int last_cr;
	int len = 0, esc = 0;
	char c;

	for (;;) {
		ssize_t r = read(0, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return len ? len : -1;
		if (last_cr && c == '\n') {	/* the '\n' of a "\r\n" pair */
			last_cr = 0;
			continue;
		}
		last_cr = c == '\r';
		if (esc) {	/* swallow ESC [ ... final byte (arrow keys) */
			if (esc == 1 && c == '[') {
				esc = 2;
				continue;
			}
			if (esc == 2 && ((c >= '0' && c <= '9') || c == ';'))
				continue;
			esc = 0;
			continue;
		}
		switch (c) {
		case '\r':
		case '\n':
			if (echo_input)
				outs("\r\n");
			buf[len] = 0;
			return len;
		case 0x7f:
		case '\b':
			if (len > 0) {
				len--;
				if (echo_input)
					outs("\b \b");
			}
			break;
		case 0x15:	/* Ctrl-U */
			if (echo_input)
				while (len > 0 && len--)
					outs("\b \b");
			len = 0;
			break;
		case 0x03:	/* Ctrl-C */
			if (echo_input)
				outs("^C\r\n");
			if (show_prompt)
				outs("foliOS$ ");
			len = 0;
			break;
		case 0x04:	/* Ctrl-D */
			if (len == 0)
				return -1;
			break;
		case 0x1b:
			esc = 1;
			break;
		default:
			if ((unsigned char)c < 0x20 && c != '\t')
				break;
			if (len < max - 1) {
				buf[len++] = c;
				if (echo_input)
					out(&c, 1);
			}
		}
	}
}

/* Split line in place into argv; returns argc, or -1 on an unterminated quote. */
static int split(char *line, char **argv, char *store)
{
	int argc = 0;
	char *p = line, *o = store;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#')
			break;
		if (argc == MAX_ARGS - 1)
			break;
		argv[argc++] = o;
		char quote = 0;
		for (; *p; p++) {
			if (quote) {
				if (*p == quote)
					quote = 0;
				else if (*p == '\\' && quote == '"' && (p[1] == '"' || p[1] == '\\'))
					*o++ = *++p;
				else
					*o++ = *p;
			} else if (*p == '"' || *p == '\'') {
				quote = *p;
			} else if (*p == '\\' && p[1]) {
				*o++ = *++p;
			} else if (*p == ' ' || *p == '\t') {
				break;
			} else if (*p == '$' && p[1] == '?') {
				o += sprintf(o, "%d", last_status);
				p++;
			} else {
				*o++ = *p;
			}
		}
		if (quote)
			return -1;
		*o++ = 0;
	}
	argv[argc] = NULL;
	return argc;
}

static int cat_fd(int fd)
{
	char buf[4096];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		out(buf, n);
	return n < 0 ? -1 : 0;
}

static int b_cat(int argc, char **argv)
{
	int rc = 0;

	if (argc == 1)
		return cat_fd(0) ? 1 : 0;
	for (int i = 1; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		if (fd < 0 || cat_fd(fd) < 0) {
			dprintf(2, "cat: %s: %s\n", argv[i], strerror(errno));
			rc = 1;
		}
		if (fd >= 0)
			close(fd);
	}
	return rc;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int ls_one(const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_DIRECTORY);

	if (fd < 0) {
		if (errno == ENOTDIR && stat(path, &st) == 0) {
			printf("%10ld  %s\n", st.st_size, path);
			return 0;
		}
		dprintf(2, "ls: %s: %s\n", path, strerror(errno));
		return 1;
	}
	char buf[4096];
	char **names = NULL;
	int n = 0, cap = 0;
	long r;
	while ((r = getdents64(fd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < r;) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);
			off += d->d_reclen;
			if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 32;
				names = realloc(names, cap * sizeof(*names));
				if (!names)
					return 1;
			}
			names[n++] = strdup(d->d_name);
		}
	}
	if (r < 0)
		dprintf(2, "ls: %s: %s\n", path, strerror(errno));
	qsort(names, n, sizeof(*names), name_cmp);
	for (int i = 0; i < n; i++) {
		if (fstatat(fd, names[i], &st, 0) == 0)
			printf("%10ld  %s%s\n", st.st_size, names[i], S_ISDIR(st.st_mode) ? "/" : "");
		else
			printf("%10s  %s\n", "?", names[i]);
		free(names[i]);
	}
	free(names);
	close(fd);
	return r < 0;
}

static int b_ls(int argc, char **argv)
{
	int rc = 0;

	if (argc == 1)
		return ls_one("/bin");
	for (int i = 1; i < argc; i++) {
		if (argc > 2)
			printf("%s:\n", argv[i]);
		rc |= ls_one(argv[i]);
	}
	return rc;
}

/* Print lines of FILE that start with one of the prefixes (all lines if none given). */
static int grep_file(const char *file, const char *const *prefixes)
{
	char buf[8192];
	int fd = open(file, O_RDONLY);
	long n = 0, r;

	if (fd < 0) {
		dprintf(2, "free: %s: %s\n", file, strerror(errno));
		return 1;
	}
	while (n < (long)sizeof(buf) - 1 && (r = read(fd, buf + n, sizeof(buf) - 1 - n)) > 0)
		n += r;
	close(fd);
	buf[n] = 0;
	for (char *line = buf; *line;) {
		char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line + 1) : strlen(line);
		int show = !prefixes;
		for (int i = 0; prefixes && prefixes[i]; i++)
			show |= !strncmp(line, prefixes[i], strlen(prefixes[i]));
		if (show)
			out(line, len);
		line += len;
	}
	return 0;
}

static int b_free(void)
{
	static const char *const keys[] = { "MemTotal:", "MemFree:", NULL };
	int rc = grep_file("/proc/meminfo", keys);

	return rc | grep_file("/proc/buddyinfo", NULL);
}

static int b_echo(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		outs(argv[i]);
		if (i + 1 < argc)
			outs(" ");
	}
	outs("\n");
	return 0;
}

static void b_help(void)
{
	outs("foliOS sh builtins:\n"
	     "  cat FILE...     print files\n"
	     "  ls [DIR...]     list a directory (default /bin)\n"
	     "  free            MemTotal/MemFree of /proc/meminfo and /proc/buddyinfo\n"
	     "  echo ARGS...    print the arguments ($? is the last status)\n"
	     "  exit [N]        leave the shell (from init's shell: power off)\n"
	     "  poweroff        power off now (reboot(2); the shell must be init)\n"
	     "  reboot          reset the machine (reboot(2); the shell must be init)\n"
	     "  help            this text\n"
	     "Anything else runs /bin/NAME (or a path) with its arguments; try `ls`.\n");
}

/* poweroff / reboot: reboot(2) returns only on failure (EPERM unless we are pid 1). */
static int b_reboot(const char *name)
{
	reboot(strcmp(name, "reboot") ? LINUX_REBOOT_CMD_POWER_OFF : LINUX_REBOOT_CMD_RESTART);
	dprintf(2, "sh: %s: %s\n", name, strerror(errno));
	return 1;
}

static int run_program(char **argv)
{
	char path[512];
	struct stat st;

	if (strchr(argv[0], '/'))
		strlcpy(path, argv[0], sizeof(path));
	else
		snprintf(path, sizeof(path), "/bin/%s", argv[0]);
	if (stat(path, &st) < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			dprintf(2, "sh: %s: not found\n", argv[0]);
		else
			dprintf(2, "sh: %s: %s\n", argv[0], strerror(errno));
		return 127;
	}
	int pid = fork();
	if (pid < 0) {
		dprintf(2, "sh: fork: %s\n", strerror(errno));
		return 126;
	}
	if (pid == 0) {
		execve(path, argv, sh_envp);
		dprintf(2, "sh: %s: %s\n", argv[0], strerror(errno));
		_exit(errno == ENOENT ? 127 : 126);
	}
	for (;;) {
		int status;
		pid_t w = wait4(-1, &status, 0, NULL);	/* reaps strays too */
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			dprintf(2, "sh: wait4: %s\n", strerror(errno));
			return 126;
		}
		if (w != pid)
			continue;
		if (WIFSIGNALED(status)) {
			dprintf(2, "%s\n", strsignal(WTERMSIG(status)));
			return 128 + WTERMSIG(status);
		}
		return WEXITSTATUS(status);
	}
}

/* Run one command line.  Returns 0, or 1 when the shell must exit (status in *exit_code). */
static int run_line(char *line, int *exit_code)
{
	char *argv[MAX_ARGS];
	static char store[LINE_MAX * 2];
	int argc = split(line, argv, store);

	if (argc < 0) {
		dprintf(2, "sh: unterminated quote\n");
		last_status = 2;
		return 0;
	}
	if (argc == 0)
		return 0;
	if (!strcmp(argv[0], "exit")) {
		*exit_code = argc > 1 ? atoi(argv[1]) : last_status;
		return 1;
	}
	if (!strcmp(argv[0], "cat"))
		last_status = b_cat(argc, argv);
	else if (!strcmp(argv[0], "ls"))
		last_status = b_ls(argc, argv);
	else if (!strcmp(argv[0], "free"))
		last_status = b_free();
	else if (!strcmp(argv[0], "echo"))
		last_status = b_echo(argc, argv);
	else if (!strcmp(argv[0], "poweroff") || !strcmp(argv[0], "reboot"))
		last_status = b_reboot(argv[0]);
	else if (!strcmp(argv[0], "help"))
		b_help(), last_status = 0;
	else
		last_status = run_program(argv);
	return 0;
}

int main(int argc, char **argv, char **envp)
{
	char line[LINE_MAX];
	int code = 0;

	sh_envp = envp;
	if (argc >= 3 && !strcmp(argv[1], "-c")) {
		strlcpy(line, argv[2], sizeof(line));
		if (run_line(line, &code))
			return code;
		return last_status;
	}
	if (argc >= 2) {
		int fd = open(argv[1], O_RDONLY);
		if (fd < 0) {
			dprintf(2, "sh: %s: %s\n", argv[1], strerror(errno));
			return 127;
		}
		/* Read the script through fd 0 so that read_line serves both cases. */
		close(0);
		if (fd != 0) {
			dprintf(2, "sh: cannot read %s as fd 0\n", argv[1]);
			return 126;
		}
	} else {
		struct termios t;
		if (tcgetattr(0, &t) == 0) {
			show_prompt = 1;
			echo_input = !(t.c_lflag & ECHO);
		} else if (on_foliOS()) {
			show_prompt = echo_input = 1;	/* the console, whatever TCGETS says */
		}
	}
	if (show_prompt)
		outs("foliOS sh: type `help` for the builtins.\n");
	for (;;) {
		if (show_prompt)
			outs("foliOS$ ");
		int n = read_line(line, sizeof(line));
		if (n < 0) {
			if (show_prompt)
				outs("\n");
			return last_status;
		}
		if (run_line(line, &code))
			return code;
	}
}
