# hostmm.mk - host build of mm/ (unit tests and benchmark).
#
# Included by the top-level Makefile; also usable alone from the repository
# root:  make -f tools/hostmm/hostmm.mk host-test
#
#   host-test   build build/host/hostmm_test (ASan+UBSan, -DDEBUG_VM) and run it
#   host-bench  build build/host/hostmm_bench (-O2, no sanitizers) and run it
#
# The mm/ files are the kernel's own, named in mm/mm.mk (the physical layer
# in both binaries, the virtual-memory layer in the test binary), compiled
# unchanged against tools/hostmm/include/asm.  Every variable defined here is
# prefixed HOSTMM_ so the fragment cannot collide with the kernel build; it
# does not use ARCH.

HOSTCC ?= gcc

HOSTMM_DIR := tools/hostmm
HOSTMM_OUT := build/host
include mm/mm.mk
# The test binary: both host-buildable mm layers and every test; the benchmark:
# the physical layer only.
# The trace recorder's test reads its output with the policy lab's parser.  The
# kernel files mm/ needs beyond the harness's stand-ins: the rwsem (mmap_lock) and,
# in DEBUG_VM builds, lock debugging (the policy lab takes them too).
HOSTMM_KERNEL_SRCS := kernel/lockdep.c kernel/rwsem.c kernel/spinlock_debug.c kernel/kernel_lock.c
HOSTMM_TEST_SRCS := $(MM_PHYS_SRCS) $(MM_VM_SRCS) $(HOSTMM_KERNEL_SRCS) $(wildcard $(HOSTMM_DIR)/*.c) \
	tools/policylab/ftparse.c
HOSTMM_BENCH_SRCS := $(MM_PHYS_SRCS) $(HOSTMM_DIR)/host.c $(HOSTMM_DIR)/bench/bench.c

HOSTMM_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -I. -Iinclude -I$(HOSTMM_DIR)/include -MMD -MP
HOSTMM_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
HOSTMM_TEST_CFLAGS := $(HOSTMM_CFLAGS) -g -O1 $(HOSTMM_SAN) -DDEBUG_VM
HOSTMM_BENCH_CFLAGS := $(HOSTMM_CFLAGS) -g -O2

HOSTMM_TEST_OBJS := $(patsubst %.c,$(HOSTMM_OUT)/test/%.o,$(HOSTMM_TEST_SRCS))
HOSTMM_BENCH_OBJS := $(patsubst %.c,$(HOSTMM_OUT)/bench/%.o,$(HOSTMM_BENCH_SRCS))

# Keep the including Makefile's default goal.
hostmm_saved_goal := $(.DEFAULT_GOAL)

.PHONY: host-test host-bench

host-test: $(HOSTMM_OUT)/hostmm_test
	ASAN_OPTIONS=detect_leaks=1 $(HOSTMM_OUT)/hostmm_test

host-bench: $(HOSTMM_OUT)/hostmm_bench
	$(HOSTMM_OUT)/hostmm_bench

$(HOSTMM_OUT)/hostmm_test: $(HOSTMM_TEST_OBJS)
	@echo "  HOSTLD  $@"
	@$(HOSTCC) $(HOSTMM_TEST_CFLAGS) -o $@ $^

$(HOSTMM_OUT)/hostmm_bench: $(HOSTMM_BENCH_OBJS)
	@echo "  HOSTLD  $@"
	@$(HOSTCC) $(HOSTMM_BENCH_CFLAGS) -o $@ $^

$(HOSTMM_TEST_OBJS): $(HOSTMM_OUT)/test/%.o: %.c
	@mkdir -p $(@D)
	@echo "  HOSTCC  $<"
	@$(HOSTCC) $(HOSTMM_TEST_CFLAGS) -c -o $@ $<

$(HOSTMM_BENCH_OBJS): $(HOSTMM_OUT)/bench/%.o: %.c
	@mkdir -p $(@D)
	@echo "  HOSTCC  $<"
	@$(HOSTCC) $(HOSTMM_BENCH_CFLAGS) -c -o $@ $<

-include $(HOSTMM_TEST_OBJS:.o=.d) $(HOSTMM_BENCH_OBJS:.o=.d)

.DEFAULT_GOAL := $(hostmm_saved_goal)
