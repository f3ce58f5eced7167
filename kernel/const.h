/* const.h - constants usable from C, assembly and linker scripts. */
#ifndef KERNEL_CONST_H
#define KERNEL_CONST_H

#ifdef __ASSEMBLER__
#define _AC(x, y)	x
#else
#define __AC(x, y)	(x##y)
#define _AC(x, y)	__AC(x, y)
#endif

#endif
