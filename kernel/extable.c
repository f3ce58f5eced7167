/* extable.c - lookup in the kernel's exception table (see extable.h). */
#include "kernel/extable.h"

extern const struct exception_table_entry __ex_table_start[], __ex_table_end[];

const struct exception_table_entry *search_exception_tables(unsigned long ip)
{
	for (const struct exception_table_entry *e = __ex_table_start; e < __ex_table_end; e++) {
		if (e->insn == ip)
			return e;
	}
	return NULL;
}
