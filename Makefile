# foliOS top-level Makefile.
#
#   make run   [ARCH=x86_64|arm64] [APPEND="kernel cmdline"] [EXTRA=dir] [MEM=1G] [CPUS=1]
#              [CPU=model]  (QEMU -cpu; default: x86_64 QEMU's default model, arm64
#              max,pauth-impdef=on; CPU=max on x86_64 has SMEP/SMAP; tools/qemu.sh)
#              (piped stdin is held back until the kernel is ready, then typed)
#   make test  build and test everything: host tests, then both archs in QEMU
#   make bench [RECORD=1] [LINUX=1]   benchmarks into build/bench/ (RECORD=1: docs/results/;
#              LINUX=1: faultbench on Debian's Linux 6.12 too, and a foliOS-vs-Linux table)
#   make bench-linux [ARCH=...]   faultbench on foliOS and on Debian's Linux 6.12, same QEMU
#   make linux-selftests [ARCH=...]   Linux 6.12's mm selftests and page-types, unchanged, on
#              foliOS (docs/linux-selftests.md; downloads Debian's linux-source once)
#   make trace [ARCH=] [APPEND="init=..."] [TRACE=out.trace]   boot with folio.trace=on, the
#              anonymous-memory trace into TRACE (docs/policylab.md); tools: make foliotrace
#   make image [ARCH=...]   FAT ESP image build/<arch>/foliOS.img (dd it to a USB stick)
#   make debug [ARCH=...]   QEMU halted with a gdb stub
#   make lab-start LAB=name   the coursework lab's starting state on a new branch lab/<name>
#   make lab-solution LAB=name   main's code of that lab back (instructors)
#   make grade LAB=name [ARCH=x86_64|arm64|host]   the lab's tests, points, Score: N/M
#              (no ARCH: host tests and both archs; docs/labs.md; LAB=policy POLICY=name
#              grades that order policy in the contest lab)
#   make deps  install the Debian packages (run automatically by run/test)
#   make clean
#
# Everything is built under build/<arch>/.

ARCH	?= x86_64
DEBUG_VM ?= 1
MEM	?= 1G
CPUS	?= 1
CPU	?=
APPEND	?=
EXTRA	?=
RECORD	?=
LINUX	?=
TRACE	?= build/$(ARCH)/out.trace
export ARCH MEM CPUS CPU APPEND EXTRA EL2 ACPI NOEXIT NOPIT

ifeq ($(filter $(ARCH),x86_64 arm64),)
$(error ARCH must be x86_64 or arm64, not '$(ARCH)')
endif

# DEBUG_VM=0 (benchmarks) builds in its own directory.
B	:= build/$(ARCH)$(if $(filter 0,$(DEBUG_VM)),-perf)
include arch/$(ARCH)/arch.mk

CC	:= $(CROSS)gcc
LD	:= $(CROSS)ld
OBJCOPY	:= $(CROSS)objcopy

VERSION	:= $(shell git describe --always --dirty 2>/dev/null || echo unknown)

KCFLAGS	:= -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	   -ffreestanding -fno-builtin -nostdlib -fno-stack-protector -fno-pic -fno-pie \
	   -fno-omit-frame-pointer -fno-strict-aliasing -I. -Iinclude -Iarch/$(ARCH)/include \
	   $(if $(filter 0,$(DEBUG_VM)),,-DDEBUG_VM) -DFOLIOS_VERSION='"$(VERSION)"' $(ARCH_KCFLAGS)

# mm/ files: MM_SRCS, every layer of the one list the host harness shares.
include mm/mm.mk
KTEST_SRCS := $(wildcard kernel/tests/*.c)
KSRCS	:= $(wildcard kernel/*.c arch/$(ARCH)/*.c arch/$(ARCH)/*.S) $(MM_SRCS) $(KTEST_SRCS)
KOBJS	:= $(patsubst %,$(B)/%.o,$(KSRCS)) $(B)/fbcon_font.c.o

.PHONY: all image run test debug deps clean host-test kernel loader bench bench-linux linux-selftests trace \
	lab-start lab-solution grade
all: image

deps:
	@tools/deps.sh

# --- kernel -----------------------------------------------------------------
kernel: $(B)/kernel.elf
# Linked twice: the second link adds the symbol table (.kallsyms, placed last).
KLDFLAGS := -nostdlib -z max-page-size=4096 -z noexecstack -T $(B)/kernel.lds
$(B)/kernel.elf: $(KOBJS) $(B)/kernel.lds tools/kallsyms.sh
	@echo "  LD      $@"
	@$(LD) $(KLDFLAGS) -o $@.pass1 $(KOBJS) $(ARCH_LIBGCC)
	@tools/kallsyms.sh $(CROSS)nm $@.pass1 $(B)/kallsyms.S
	@$(CC) -c $(B)/kallsyms.S -o $(B)/kallsyms.o
	@$(LD) $(KLDFLAGS) -o $@ $(KOBJS) $(B)/kallsyms.o $(ARCH_LIBGCC)
	@tools/kallsyms.sh $(CROSS)nm $@ $(B)/kallsyms.check.S
	@cmp -s $(B)/kallsyms.S $(B)/kallsyms.check.S || { echo "kallsyms: symbols moved between links" >&2; exit 1; }

$(B)/kernel.lds: kernel/kernel.lds.S
	@mkdir -p $(dir $@)
	@$(CC) -E -P -x c -D__ASSEMBLER__ -I. -Iinclude -Iarch/$(ARCH)/include -MMD -MP -MT $@ -MF $@.d \
		$< -o $@

$(B)/%.c.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(KCFLAGS) -MMD -MP -c $< -o $@

# The screen console's font (kernel/fbcon.c): a C table generated from console-setup's VGA
# 8x16 PSF font (unpacked by tools/deps.sh) by tools/fbfont.c, which also reads screendumps.
FONT_PSF_GZ := build/consolefonts/usr/share/consolefonts/Lat15-VGA16.psf.gz
FBFONT	:= build/host/fbfont
FONT_PSF := build/host/fbcon-font.psf
$(FBFONT): tools/fbfont.c include/uapi/fbcon.h
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	@gcc -std=gnu11 -O2 -Wall -Wextra -Werror -Iinclude $< -o $@
$(FONT_PSF_GZ):
	@tools/deps.sh
	@test -f $@ || { echo "no $@ after make deps (tools/deps.sh)" >&2; exit 1; }
$(FONT_PSF): $(FONT_PSF_GZ)
	@mkdir -p $(dir $@)
	@zcat $< > $@
$(B)/fbcon_font.c: $(FBFONT) $(FONT_PSF)
	@mkdir -p $(dir $@)
	@echo "  FONT    $@"
	@$(FBFONT) c $(FONT_PSF) $@
$(B)/fbcon_font.c.o: $(B)/fbcon_font.c
	@echo "  CC      $<"
	@$(CC) $(KCFLAGS) -c $< -o $@

$(B)/%.S.o: %.S
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(CC) $(KCFLAGS) -D__ASSEMBLER__ -MMD -MP -c $< -o $@

# --- loader -----------------------------------------------------------------
loader: $(B)/$(EFI_NAME)
LOADER_OBJS := $(B)/boot/loader.o $(B)/boot/place.o
$(LOADER_OBJS): $(B)/boot/%.o: boot/%.c boot/place.h include/uapi/boot_info.h include/uapi/elf.h
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(EFI_CFLAGS) -Iinclude -O2 -Wall -Wextra -Werror -Wno-unused-parameter -c $< -o $@

$(B)/boot/loader.so: $(LOADER_OBJS)
	@echo "  LD      $@"
	@$(LD) $(EFI_LDFLAGS) $(EFI_CRT0) $^ -o $@ -L$(EFI_LIBDIR) -lefi -lgnuefi $(ARCH_LIBGCC)

$(B)/$(EFI_NAME): $(B)/boot/loader.so
	@echo "  EFI     $@"
	@$(OBJCOPY) -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel -j .rela \
		-j .rel.* -j .rela.* -j .reloc $(EFI_OBJCOPY) $< $@

# --- image ------------------------------------------------------------------
image: $(B)/foliOS.img
include user/user.mk

$(B)/initrd.cpio: $(B)/user/bin.stamp tools/mkinitrd.sh
	@echo "  CPIO    $@"
	@tools/mkinitrd.sh $@ $(USER_BIN_DIR)

$(B)/foliOS.img: $(B)/$(EFI_NAME) $(B)/kernel.elf $(B)/initrd.cpio tools/mkesp.sh
	@echo "  ESP     $@"
	@tools/mkesp.sh $@ $(B)/$(EFI_NAME) $(B)/kernel.elf $(B)/initrd.cpio "$(DEFAULT_CMDLINE)"

DEFAULT_CMDLINE := loglevel=6

# --- running ----------------------------------------------------------------
run: deps
	@$(MAKE) --no-print-directory image
	@tools/qemu.sh --image $(B)/foliOS.img

debug: deps
	@$(MAKE) --no-print-directory image
	@tools/qemu.sh --image $(B)/foliOS.img --gdb

# The run's trace into $(TRACE); `build/host/foliotrace stats $(TRACE)` reads it.
trace: deps
	@$(MAKE) --no-print-directory image
	@tools/qemu.sh --image $(B)/foliOS.img --append "folio.trace=on" --trace $(TRACE)

test: deps
	@tools/test.sh

bench: deps
	@RECORD=$(RECORD) LINUX=$(LINUX) tools/bench.sh

# Downloads Debian's kernel (tools/bench-linux.sh deps) on first use: not part of deps/test.
bench-linux: deps
	@tools/bench-linux.sh $(ARCH)

# Downloads Debian's linux-source-6.12 (tools/linux-selftests.sh deps) on first use.
linux-selftests: deps
	@tools/linux-selftests.sh $(ARCH)

# Coursework labs (docs/labs.md, labs/<name>/).  ARCH given on the command line grades that
# arch (or host: the host tests alone); otherwise host tests and both archs.  POLICY given
# on the command line reaches tools/lab.sh in the environment (the policy lab's graded policy).
LAB	?=
lab-start:
	@tools/lab.sh start "$(LAB)"

lab-solution:
	@tools/lab.sh solution "$(LAB)"

grade: deps
	@tools/lab.sh grade "$(LAB)" $(if $(filter command line environment,$(origin ARCH)),$(ARCH))

-include tools/hostmm/hostmm.mk
-include tools/policylab/policylab.mk

clean:
	rm -rf build/x86_64 build/arm64 build/x86_64-perf build/arm64-perf build/host

-include $(KOBJS:.o=.d) $(B)/kernel.lds.d
