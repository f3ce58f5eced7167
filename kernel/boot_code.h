/* boot_code.h - clearing the RAM that held firmware and loader code (boot_code.c). */
#ifndef KERNEL_BOOT_CODE_H
#define KERNEL_BOOT_CODE_H

struct boot_info;

/* The loader's hand-off as start_kernel copied it (kernel/main.c). */
extern struct boot_info boot_info;

/*
 * Zero every free frame of bi's BI_MEM_CODE ranges, once, at boot.
 * Preconditions: memmap_init() has run (the frames are in the buddy allocator,
 * the boot allocations among them PageReserved) and nothing has allocated from
 * the buddy allocator yet.  Frames marked PageReserved are left alone.
 */
void boot_code_clear(const struct boot_info *bi);

/* Frames boot_code_clear() zeroed (boot test). */
extern unsigned long boot_code_cleared;

#endif
