/*
 * kernel.lds.S - the kernel image layout, both architectures (preprocessed
 * with <asm/memory.h>).  Linked at KERNEL_VBASE + KERNEL_TEXT_OFFSET, with
 * p_paddr from KERNEL_LOAD_PHYS (the loader keeps the segments' layout and
 * moves the whole image anywhere 2 MiB aligned); the entry point is the
 * nominal physical address of _start.  Text, rodata and data each start on a page so the
 * kernel's page tables can give them RX, R and RW+NX.
 */
#include <asm/memory.h>

VOFFSET = KERNEL_VBASE + KERNEL_TEXT_OFFSET - KERNEL_LOAD_PHYS;

ENTRY(_start_phys)

PHDRS {
	text PT_LOAD FLAGS(5);
	rodata PT_LOAD FLAGS(4);
	data PT_LOAD FLAGS(6);
}

SECTIONS
{
	. = KERNEL_LOAD_PHYS + VOFFSET;
	_text = .;
	.text : AT(ADDR(.text) - VOFFSET) {
		*(.text.boot)
		*(.text .text.*)
	} :text
	. = ALIGN(4096);
	_etext = .;

	_rodata = .;
	.rodata : AT(ADDR(.rodata) - VOFFSET) {
		*(.rodata .rodata.*)
		. = ALIGN(8);
		__ktests_start = .;
		KEEP(*(.ktests))
		__ktests_end = .;
		. = ALIGN(8);
		__kparams_start = .;
		KEEP(*(.kparams))
		__kparams_end = .;
		. = ALIGN(8);
		__ex_table_start = .;
		KEEP(*(__ex_table))
		__ex_table_end = .;
	} :rodata
	.eh_frame : AT(ADDR(.eh_frame) - VOFFSET) { *(.eh_frame) } :rodata
	. = ALIGN(4096);
	_erodata = .;

	_data = .;
	.data : AT(ADDR(.data) - VOFFSET) { *(.data .data.*) } :data
	_edata = .;
	.bss : AT(ADDR(.bss) - VOFFSET) {
		_bss = .;
		*(.bss .bss.*)
		*(COMMON)
		. = ALIGN(4096);
		_ebss = .;
	} :data
	/* Last, so that adding it in the second link moves nothing (kernel/kallsyms.c). */
	.kallsyms : AT(ADDR(.kallsyms) - VOFFSET) { KEEP(*(.kallsyms)) } :data
	. = ALIGN(4096);
	_end = .;

	_start_phys = _start - VOFFSET;

	/DISCARD/ : { *(.comment) *(.note*) }
}
