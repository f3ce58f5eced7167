/* cmdline.c - command line parsing (see cmdline.h). */
#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include <uapi/boot_info.h>

extern const struct kernel_param __kparams_start[], __kparams_end[];

char saved_command_line[BI_CMDLINE_MAX];
static char words_buf[BI_CMDLINE_MAX];
const char *cmdline_unknown[CMDLINE_MAX_WORDS];
int cmdline_nr_unknown;
const char *cmdline_init_argv[CMDLINE_MAX_WORDS];
int cmdline_init_argc;

static const struct kernel_param *find_param(const char *name, size_t len)
{
	for (const struct kernel_param *p = __kparams_start; p < __kparams_end; p++) {
		if (strlen(p->name) == len && strncmp(p->name, name, len) == 0)
			return p;
	}
	return NULL;
}

/* Dispatch one word (NUL terminated, in words_buf). */
static void handle_word(char *word)
{
	char *eq = strchr(word, '=');
	size_t len = eq ? (size_t)(eq - word) : strlen(word);
	const struct kernel_param *p = find_param(word, len);
	int err;

	if (!p) {
		pr_warn("cmdline: unknown parameter '%s' (kept for later users)\n", word);
		if (cmdline_nr_unknown < CMDLINE_MAX_WORDS)
			cmdline_unknown[cmdline_nr_unknown++] = word;
		return;
	}
	err = p->setup(eq ? eq + 1 : NULL);
	if (err)
		pr_warn("cmdline: invalid value in '%s' (error %d), ignored\n", word, err);
}

void cmdline_parse(const char *cmdline)
{
	bool for_init = false;
	char *w;

	memset(saved_command_line, 0, sizeof(saved_command_line));
	memcpy(saved_command_line, cmdline, strnlen(cmdline, BI_CMDLINE_MAX - 1));
	memcpy(words_buf, saved_command_line, sizeof(words_buf));
	for (w = words_buf; *w;) {
		char *end;

		while (*w == ' ')
			w++;
		if (!*w)
			break;
		end = strchr(w, ' ');
		if (end)
			*end = 0;
		if (for_init) {
			if (cmdline_init_argc < CMDLINE_MAX_WORDS)
				cmdline_init_argv[cmdline_init_argc++] = w;
		} else if (strcmp(w, "--") == 0) {
			for_init = true;
		} else {
			handle_word(w);
		}
		if (!end)
			break;
		w = end + 1;
	}
}
