# x86_64 build settings (included by the top-level Makefile).
CROSS		:=
ARCH_KCFLAGS	:= -mcmodel=kernel -mno-red-zone -mgeneral-regs-only -mno-mmx -mno-sse -mno-sse2
ARCH_LIBGCC	:=

EFI_NAME	:= BOOTX64.EFI
EFI_INC		:= /usr/include/efi
EFI_LIBDIR	:= /usr/lib
EFI_CRT0	:= $(EFI_LIBDIR)/crt0-efi-x86_64.o
EFI_CFLAGS	:= -I$(EFI_INC) -I$(EFI_INC)/x86_64 -I$(EFI_INC)/protocol -fpic -ffreestanding \
		   -fno-stack-protector -fno-stack-check -fshort-wchar -mno-red-zone \
		   -maccumulate-outgoing-args -DGNU_EFI_USE_MS_ABI
EFI_LDFLAGS	:= -nostdlib -znocombreloc -shared -Bsymbolic -T $(EFI_LIBDIR)/elf_x86_64_efi.lds
EFI_OBJCOPY	:= --target=efi-app-x86_64
