# policylab.mk - the host trace tools (tools/policylab/, docs/policylab.md).
#
# Included by the top-level Makefile:
#   foliotrace        build/host/foliotrace: dump, stats, check, gen, bench (-O2)
#   foliotrace-test   build/host/foliotrace_test (ASan+UBSan) and run it: the parser's
#                     corrupt-input table, the generators' exact counts
# Variables are prefixed FT_ so the fragment cannot collide with the kernel build.

FT_DIR := tools/policylab
FT_OUT := build/host
FT_LIB_SRCS := $(FT_DIR)/ftparse.c $(FT_DIR)/ftwrite.c $(FT_DIR)/ftgen.c
FT_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -I. -Iinclude
FT_DEPS := $(wildcard $(FT_DIR)/*.h) include/uapi/foliotrace.h include/uapi/folios.h
FT_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

ft_saved_goal := $(.DEFAULT_GOAL)
.PHONY: foliotrace foliotrace-test

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


.DEFAULT_GOAL := $(ft_saved_goal)
