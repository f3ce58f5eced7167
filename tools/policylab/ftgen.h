/*
 * ftgen.h - synthetic foliotrace generators (ftgen.c): the access shapes
 * that matter to an order policy, deterministic for a seed.  Every trace is
 * recorded as if in FT_MODE_ORDER0 (each first touch of a page faults), so a
 * replay under any policy sees the whole first-touch set; but for knobs,
 * which enables a size mid-run (its FT_KNOB records) and then records what
 * the kernel would: large-mode faults and the reserve policy's fills.
 */
#ifndef POLICYLAB_FTGEN_H
#define POLICYLAB_FTGEN_H

#include <stdint.h>
#include "tools/policylab/ftwrite.h"

struct ft_gen_params {
	uint64_t seed;		/* the random shapes' seed (rand, kbuild) */
	unsigned long pages;	/* the working set in pages (default 256) */
	unsigned long every;	/* sparse: touch 1 in `every` pages (default 8) */
	unsigned int procs;	/* kbuild: short processes (default 16) */
};

struct ft_gen {
	const char *name;
	const char *what;	/* one line for `foliotrace gen` without a name */
	void (*fn)(struct ft_writer *w, const struct ft_gen_params *p);
};

/* Every generator, NULL-terminated by name. */
extern const struct ft_gen ft_gens[];

/* The generator called name, or NULL. */
const struct ft_gen *ft_gen_find(const char *name);

/* Fill unset (zero) fields of p with the defaults. */
void ft_gen_defaults(struct ft_gen_params *p);

#endif
