# arm64 build settings (included by the top-level Makefile).
CROSS		:= aarch64-linux-gnu-
ARCH_KCFLAGS	:= -mgeneral-regs-only -mno-outline-atomics -mcmodel=small
ARCH_LIBGCC	:= $(shell aarch64-linux-gnu-gcc -print-libgcc-file-name 2>/dev/null)

EFI_NAME	:= BOOTAA64.EFI
EFI_ROOT	:= build/gnu-efi-arm64/usr
EFI_INC		:= $(EFI_ROOT)/include/efi
EFI_LIBDIR	:= $(EFI_ROOT)/lib
EFI_CRT0	:= $(EFI_LIBDIR)/crt0-efi-aarch64.o
EFI_CFLAGS	:= -I$(EFI_INC) -I$(EFI_INC)/aarch64 -I$(EFI_INC)/protocol -fpic -ffreestanding \
		   -fno-stack-protector -fno-stack-check -fshort-wchar -fno-strict-aliasing
# Without EFI_SUBSYSTEM=0xa the PE Subsystem field is 0 and AAVMF refuses the image.
EFI_LDFLAGS	:= -nostdlib --no-undefined --no-warn-rwx-segments -znocombreloc -shared -Bsymbolic \
		   --defsym=EFI_SUBSYSTEM=0xa -T $(EFI_LIBDIR)/elf_aarch64_efi.lds
EFI_OBJCOPY	:= -O binary
