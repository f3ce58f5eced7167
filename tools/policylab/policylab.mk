# policylab.mk - the host trace tools (tools/policylab/, docs/policylab.md).
#
# Included by the top-level Makefile:
#   foliotrace        build/host/foliotrace: dump, stats, check, gen, bench (-O2)
#   foliotrace-test   build/host/foliotrace_test (ASan+UBSan) and run it: the parser's
#                     corrupt-input table, the generators' exact counts
#   foliotrace-fuzz   libFuzzer (clang) on the parser for FUZZ_SECONDS (60), the corpus
#                     seeded with every generator's trace (knobs: version 2's FT_KNOB and
#                     FT_FILL records); not part of make test
# Variables are prefixed FT_ so the fragment cannot collide with the kernel build.

FT_DIR := tools/policylab
FT_OUT := build/host
FT_LIB_SRCS := $(FT_DIR)/ftparse.c $(FT_DIR)/ftwrite.c $(FT_DIR)/ftgen.c
FT_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -I. -Iinclude
FT_DEPS := $(wildcard $(FT_DIR)/*.h) include/uapi/foliotrace.h include/uapi/folios.h
FT_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

ft_saved_goal := $(.DEFAULT_GOAL)
FUZZ_SECONDS ?= 60
.PHONY: foliotrace foliotrace-test foliotrace-fuzz

foliotrace: $(FT_OUT)/foliotrace
foliotrace-test: $(FT_OUT)/foliotrace_test
	ASAN_OPTIONS=detect_leaks=1 $(FT_OUT)/foliotrace_test

$(FT_OUT)/foliotrace: $(FT_LIB_SRCS) $(FT_DIR)/foliotrace.c $(FT_DEPS)
	@mkdir -p $(@D)
	@echo "  HOSTLD  $@"
	@$(HOSTCC) $(FT_CFLAGS) -O2 -o $@ $(filter %.c,$^)

$(FT_OUT)/foliotrace_test: $(FT_LIB_SRCS) $(FT_DIR)/test_foliotrace.c $(FT_DEPS)
	@mkdir -p $(@D)
	@echo "  HOSTLD  $@"
	@$(HOSTCC) $(FT_CFLAGS) -g -O1 $(FT_SAN) -o $@ $(filter %.c,$^)

$(FT_OUT)/foliotrace_fuzz: $(FT_DIR)/ftparse.c $(FT_DIR)/fuzz_ftparse.c $(FT_DEPS)
	@mkdir -p $(@D)
	@echo "  CLANG   $@"
	@clang $(FT_CFLAGS) -g -O1 -fsanitize=fuzzer,address,undefined -o $@ $(filter %.c,$^)

foliotrace-fuzz: $(FT_OUT)/foliotrace_fuzz $(FT_OUT)/foliotrace
	@mkdir -p $(FT_OUT)/fuzz-corpus
	@for g in $(PL_GENS); do \
		$(FT_OUT)/foliotrace gen $$g -n 16 -p 2 -o $(FT_OUT)/fuzz-corpus/$$g.trace; done
	$(FT_OUT)/foliotrace_fuzz -max_total_time=$(FUZZ_SECONDS) -max_len=4096 $(FT_OUT)/fuzz-corpus

.DEFAULT_GOAL := $(ft_saved_goal)

# The policy lab (docs/policylab.md "The lab"):
#   policylab         build/host/policylab (-O2): mm/'s own sources and the kernel files they need
#                     (hostmm.mk's HOSTMM_KERNEL_SRCS), the host harness, the replay
#   make policylab    the bundled traces (tools/testdata/traces/ and the generators') under the
#                     bundled policies: the table, build/policylab/lab.csv and its plots;
#                     TRACE=file POLICY='spec' runs one; PLJOBS (2) jobs at a time; with
#                     make bench-linux's build/bench/linux-$(ARCH).csv present (PL_LINUX_CSV),
#                     Linux's rows from it (-L), the generators' traces made at its
#                     patternbench page count so the shapes are the same (but stack, which
#                     has no Linux rows: docs/policylab.md "Linux's rows")
#   policylab-test    tools/policylab/test_policylab.sh: exact counts, faithfulness, CLI errors
PL_OUT := $(FT_OUT)/lab
PL_SRCS := $(MM_PHYS_SRCS) $(MM_VM_SRCS) $(HOSTMM_KERNEL_SRCS) tools/hostmm/host.c tools/hostmm/host_vm.c \
	tools/hostmm/test_vm_util.c tools/hostmm/test_util.c $(FT_DIR)/ftparse.c $(FT_DIR)/replay.c \
	$(FT_DIR)/labconfig.c $(FT_DIR)/labjob.c $(FT_DIR)/linuxcsv.c $(FT_DIR)/policylab.c
PL_OBJS := $(patsubst %.c,$(PL_OUT)/%.o,$(PL_SRCS))
PL_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -I. -Iinclude -Itools/hostmm/include -MMD -MP -g -O2
PL_GENS := seq rand sparse heap stack fork madvfree kbuild knobs
PLJOBS ?= 2
PL_LINUX_CSV ?= $(wildcard build/bench/linux-$(ARCH).csv)
PL_GEN_PAGES := $(if $(PL_LINUX_CSV),$(shell awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$$i] = i } \
	$$c["bench"] == "patternbench" && $$c["os"] == "linux" { print $$c["pages"]; exit }' $(PL_LINUX_CSV)))
ft_saved_goal2 := $(.DEFAULT_GOAL)
.PHONY: policylab policylab-test

$(FT_OUT)/policylab: $(PL_OBJS)
	@echo "  HOSTLD  $@"
	@$(HOSTCC) $(PL_CFLAGS) -o $@ $^

$(PL_OBJS): $(PL_OUT)/%.o: %.c
	@mkdir -p $(@D)
	@echo "  HOSTCC  $<"
	@$(HOSTCC) $(PL_CFLAGS) -c -o $@ $<

-include $(PL_OBJS:.o=.d)

policylab: $(FT_OUT)/policylab $(FT_OUT)/foliotrace
	@mkdir -p build/policylab
ifneq ($(filter command line environment,$(origin TRACE)),)
	$(FT_OUT)/policylab -j $(PLJOBS) $(if $(POLICY),-p '$(POLICY)') -c build/policylab/lab.csv $(TRACE)
else
	@for g in $(PL_GENS); do n=$(if $(PL_GEN_PAGES),"-n $(PL_GEN_PAGES)"); [ $$g = stack ] && n=; \
		$(FT_OUT)/foliotrace gen $$g $$n -o build/policylab/gen-$$g.trace; done
	$(FT_OUT)/policylab -j $(PLJOBS) -c build/policylab/lab.csv -g build/policylab \
		$(if $(PL_LINUX_CSV),-L $(PL_LINUX_CSV)) tools/testdata/traces/*.trace $(addprefix build/policylab/gen-,$(addsuffix .trace,$(PL_GENS)))
endif

policylab-test: $(FT_OUT)/policylab $(FT_OUT)/foliotrace
	tools/policylab/test_policylab.sh

.DEFAULT_GOAL := $(ft_saved_goal2)
