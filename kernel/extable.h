/*
 * extable.h - exception fixups.
 *
 * An instruction that may fault on purpose (a probe, later copy_from_user)
 * gets an entry {insn, fixup} in the __ex_table section.  When a kernel-mode
 * fault hits insn, the trap handler resumes at fixup instead of dying.
 * Entries are emitted from assembly with the EXTABLE macro below.
 */
#ifndef KERNEL_EXTABLE_H
#define KERNEL_EXTABLE_H

#ifdef __ASSEMBLER__
/* Record that a fault at insn resumes at fixup. */
.macro EXTABLE insn, fixup
	.pushsection __ex_table, "a"
	.balign 8
	.quad \insn, \fixup
	.popsection
.endm
#else

#include "kernel/types.h"

struct exception_table_entry {
	unsigned long insn;
	unsigned long fixup;
};

/* Returns the entry for a faulting instruction address, or NULL. */
const struct exception_table_entry *search_exception_tables(unsigned long ip);

/*
 * Probes used by tests (and later by uaccess): return 0 when the access
 * worked, -EFAULT (-14) when it faulted.  probe_exec calls addr as a function
 * taking and returning nothing; a fault on fetching it is caught too.
 */
int probe_read_u8(const void *addr, u8 *out);
int probe_write_u8(void *addr, u8 v);
int probe_exec(const void *addr);

#endif /* __ASSEMBLER__ */

#endif
