/*
 * uapi/sysinfo.h - struct sysinfo of sysinfo(2), Linux's layout for 64-bit
 * architectures (112 bytes: the _f padding is empty when longs are 8 bytes).
 */
#ifndef UAPI_SYSINFO_H
#define UAPI_SYSINFO_H

#include <stdint.h>

#define SI_LOAD_SHIFT	16

struct sysinfo {
	long uptime;			/* seconds since boot */
	unsigned long loads[3];		/* 1, 5 and 15 minute load averages << SI_LOAD_SHIFT */
	unsigned long totalram;		/* in mem_unit */
	unsigned long freeram;
	unsigned long sharedram;
	unsigned long bufferram;
	unsigned long totalswap;
	unsigned long freeswap;
	uint16_t procs;			/* tasks */
	uint16_t pad;
	unsigned long totalhigh;
	unsigned long freehigh;
	uint32_t mem_unit;		/* bytes per unit of the memory fields */
	char _f[20 - 2 * sizeof(unsigned long) - sizeof(uint32_t)];
};

_Static_assert(sizeof(struct sysinfo) == 112, "struct sysinfo is 112 bytes");

#endif
