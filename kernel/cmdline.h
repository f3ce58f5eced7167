/*
 * cmdline.h - kernel command line.
 *
 * Words are separated by spaces: `name=value` or `name`.  Everything after a
 * lone `--` is for init (its argv).  A subsystem claims a word with
 * __setup("name", fn): fn(value) runs during cmdline_parse (value is NULL for
 * a bare word) and returns 0, or a negative errno to have the word reported as
 * invalid.  Words nobody claims are warned about and kept (cmdline_unknown)
 * for later users, as Linux passes them to init.
 */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include "kernel/compiler.h"
#include "kernel/types.h"

struct kernel_param {
	const char *name;
	int (*setup)(const char *value);
};

#define __setup(str, fn) \
	static const struct kernel_param __kparam_##fn __section(".kparams") __used __aligned(8) = { \
		.name = (str), .setup = (fn) }

#define CMDLINE_MAX_WORDS 64

extern char saved_command_line[];
extern const char *cmdline_unknown[CMDLINE_MAX_WORDS];
extern int cmdline_nr_unknown;
extern const char *cmdline_init_argv[CMDLINE_MAX_WORDS];
extern int cmdline_init_argc;

/* Split and dispatch the command line (copied into saved_command_line first). */
void cmdline_parse(const char *cmdline);

#endif
