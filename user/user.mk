# user/user.mk - foliOS user space: libfolio and the programs of /bin.
#
# Included by the top-level Makefile (after its `all:` rule), which sets
#   ARCH  = x86_64 | arm64
#   CROSS = '' | aarch64-linux-gnu-
#   B     = build dir (build/<arch>)
# and also usable alone:
#   make -f user/user.mk ARCH=x86_64 CROSS= B=build/x86_64
#   make -f user/user.mk ARCH=arm64 CROSS=aarch64-linux-gnu- B=build/arm64
#
# Outputs:
#   $(B)/user/bin.stamp       touched when every program of /bin is built (the target to depend on)
#   $(B)/user/bin/<name>      static ELF64 ET_EXEC linked at 0x400000 (hello_musl_pie: static-PIE ET_DYN)
#   USER_PROGS                the names (libfolio programs + the musl ones when built)
#   USER_BIN_DIR              $(B)/user/bin, the directory to pack into the initrd as /bin
#   USER_TESTS                the test programs; USER_TESTS_PORTABLE, those that hold on Linux too
# Phony helpers: `user` (= the stamp), `user-clean`, and `print-USER_<name>`, which prints
# the value of USER_<name> for scripts:
#   make -s -f user/user.mk print-USER_TESTS_PORTABLE
# All variables of this file start with USER_ or U_ so they cannot clash with the kernel's.

ARCH	?= x86_64
B	?= build/$(ARCH)
ifeq ($(ARCH),arm64)
CROSS	?= aarch64-linux-gnu-
else
CROSS	?=
endif

USER_BIN_DIR	:= $(B)/user/bin
U_OBJ		:= $(B)/user/obj
U_CC		:= $(CROSS)gcc
U_AR		:= $(CROSS)ar
U_MUSL_GCC	:= $(if $(filter x86_64,$(ARCH)),$(shell command -v musl-gcc 2>/dev/null))
# musl-gcc's specs know no -static-pie, so hello_musl_pie is linked by hand from musl's
# rcrt1.o and libc.a (Debian: /usr/lib/x86_64-linux-musl).
U_MUSL_LIB	:= $(if $(U_MUSL_GCC),$(firstword $(dir $(wildcard \
		   /usr/lib/x86_64-linux-musl/rcrt1.o /usr/lib/musl/lib/rcrt1.o /usr/local/musl/lib/rcrt1.o))))

# The test programs (each prints TAP lines, then "N passed, N failed", and exits 0 only
# if all passed), in the order runtests runs them: the one list of them.
USER_TESTS	:= mmap_test madv_free_test zeropage_test brk_test overcommit_test fork_test \
		   wait_test stack_test fault_test efault_test signal_test exec_test file_test folio_test pmd_test cow_test \
		   pipe_test gup_test \
		   oom_test contpte_test tlb_test vma_test thp_sysfs_test collapse_test mremap_test madv_test procfs_test \
		   shmem_test policy_test softdirty_test procpid_test thread_test futex_test sched_smp_test \
		   tlb_shootdown_test race_stress_test syslog_test
# The tests that check foliOS only (elsewhere they print one SKIP line and exit 0);
# the others are portable, and tools/user-host-test.sh runs them one by one on Linux.
USER_TESTS_FOLIOS_ONLY := folio_test pmd_test oom_test contpte_test collapse_test policy_test
USER_TESTS_PORTABLE = $(filter-out $(USER_TESTS_FOLIOS_ONLY),$(USER_TESTS)) $(USER_LIBC_TESTS)
# Programs built from user/<name>.c with libfolio.
USER_LIBFOLIO_PROGS := init sh runtests hello $(USER_TESTS) sysbench faultbench madvbench cowbench pmdbench shmembench \
		       splitbench policybench softdirtybench linuxinit tracee patternbench threadbench \
		       pfscalebench shootdownbench forkbench dmesg stopcheck
# Real static programs not written with libfolio (x86_64, when musl-gcc is installed).
USER_MUSL_PROGS	:= $(if $(U_MUSL_GCC),hello_musl pthread_musl) $(if $(U_MUSL_LIB),hello_musl_pie)
# Static glibc programs (Debian's gcc, or its aarch64 cross gcc; both arches).
USER_GLIBC_PROGS := pthread_glibc
# Of those, the TAP-printing tests (user/libc/pthread_test.c built with each C library).
USER_LIBC_TESTS	:= pthread_glibc $(if $(U_MUSL_GCC),pthread_musl)
USER_PROGS	:= $(USER_LIBFOLIO_PROGS) $(USER_GLIBC_PROGS) $(USER_MUSL_PROGS)
# What runtests runs with no PROG arguments, in this order: hello (it must exit 0), the
# tests, the glibc programs and the musl programs this build made.
USER_RUNTESTS	:= hello $(USER_TESTS) $(USER_GLIBC_PROGS) $(USER_MUSL_PROGS)

U_ARCH_CFLAGS_x86_64 :=
U_ARCH_CFLAGS_arm64  := -mno-outline-atomics
U_CFLAGS	:= -std=gnu11 -ffreestanding -fno-builtin -nostdlib -nostdinc -static \
		   -fno-pic -no-pie -fno-stack-protector -O2 -g -Wall -Wextra -Werror \
		   -fno-tree-loop-distribute-patterns -Iuser/include -Iinclude -Iuser/lib/arch/$(ARCH) \
		   $(U_ARCH_CFLAGS_$(ARCH))
U_LDFLAGS	:= -nostdlib -static -no-pie -Wl,-Ttext-segment=0x400000 \
		   -Wl,-z,max-page-size=4096 -Wl,-z,noexecstack -Wl,--build-id=none
U_LIBGCC	:= $(shell $(U_CC) -print-libgcc-file-name 2>/dev/null)

U_LIB_SRCS	:= $(wildcard user/lib/*.c)
U_LIB_OBJS	:= $(patsubst user/lib/%.c,$(U_OBJ)/lib/%.o,$(U_LIB_SRCS))
U_CRT0		:= $(U_OBJ)/lib/crt0.o
U_LIBA		:= $(B)/user/libfolio.a
U_BINS		:= $(addprefix $(USER_BIN_DIR)/,$(USER_PROGS))

.PHONY: user user-clean user-force
user: $(B)/user/bin.stamp

$(B)/user/bin.stamp: $(U_BINS)
	@touch $@

$(U_LIB_OBJS): $(U_OBJ)/lib/%.o: user/lib/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(U_CC) $(U_CFLAGS) -MMD -MP -c $< -o $@

$(U_CRT0): user/lib/arch/$(ARCH)/crt0.S
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(U_CC) $(U_CFLAGS) -D__ASSEMBLER__ -c $< -o $@

$(U_LIBA): $(U_LIB_OBJS)
	@rm -f $@
	@$(U_AR) rcs $@ $^

$(U_OBJ)/%.o: user/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(U_CC) $(U_CFLAGS) -MMD -MP -c $< -o $@

# runtests' default list, generated from USER_RUNTESTS.  Rewritten only when the text
# changes (e.g. musl-gcc got installed), so runtests rebuilds only then.
$(U_OBJ)/runtests.o: U_CFLAGS += -I$(U_OBJ)
$(U_OBJ)/runtests.o: $(U_OBJ)/runtests_list.h
user-force: ;
$(U_OBJ)/runtests_list.h: user-force
	@mkdir -p $(dir $@)
	@{ echo '/* Generated by user/user.mk from USER_RUNTESTS: each name, then a comma. */'; \
	   echo '#define RUNTESTS_LIST $(foreach t,$(USER_RUNTESTS),"$(t)",)'; } > $@.tmp
	@if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi

$(addprefix $(USER_BIN_DIR)/,$(USER_LIBFOLIO_PROGS)): $(USER_BIN_DIR)/%: $(U_OBJ)/%.o $(U_CRT0) $(U_LIBA)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(U_CC) $(U_LDFLAGS) -o $@ $(U_CRT0) $< $(U_LIBA) $(U_LIBGCC)

$(USER_BIN_DIR)/hello_musl: user/musl/hello_musl.c
	@mkdir -p $(dir $@)
	@echo "  MUSL    $@"
	@$(U_MUSL_GCC) -static -O2 -Wall -Werror -o $@ $<

$(USER_BIN_DIR)/pthread_glibc: user/libc/pthread_test.c
	@mkdir -p $(dir $@)
	@echo "  GLIBC   $@"
	@$(U_CC) -static -pthread -O2 -Wall -Werror -o $@ $<

$(USER_BIN_DIR)/pthread_musl: user/libc/pthread_test.c
	@mkdir -p $(dir $@)
	@echo "  MUSL    $@"
	@$(U_MUSL_GCC) -static -pthread -O2 -Wall -Werror -o $@ $<

$(USER_BIN_DIR)/hello_musl_pie: user/musl/hello_musl.c
	@mkdir -p $(dir $@) $(U_OBJ)/musl
	@echo "  MUSL    $@ (static-pie)"
	@$(U_MUSL_GCC) -fPIE -O2 -Wall -Werror -c $< -o $(U_OBJ)/musl/hello_musl_pie.o
	@gcc -static-pie -nostdlib -o $@ $(U_MUSL_LIB)rcrt1.o $(U_MUSL_LIB)crti.o \
		$$(gcc -print-file-name=crtbeginS.o) $(U_OBJ)/musl/hello_musl_pie.o \
		$(U_MUSL_LIB)libc.a $$(gcc -print-libgcc-file-name) \
		$$(gcc -print-file-name=crtendS.o) $(U_MUSL_LIB)crtn.o

user-clean:
	rm -rf $(B)/user

print-USER_%:
	@echo '$(USER_$*)'

-include $(wildcard $(U_OBJ)/*.d $(U_OBJ)/lib/*.d)
