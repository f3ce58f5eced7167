/*
 * test_foliotrace.c - the kernel's trace recorder (mm/foliotrace.c) on the
 * host: its bytes go to a buffer here (the host's trace port), and the host
 * parser (tools/policylab/ftparse.c) reads them back: the header says what
 * the knobs were, each fault's record says what the fault path mapped,
 * a knob written and a reservation filled while recording are records,
 * nothing is recorded when off, and a full buffer drains without a loss.
 */
#include <stdlib.h>
#include "mm/foliotrace.h"
#include "tools/hostmm/hostmm_vm.h"
#include "tools/policylab/ftparse.h"

static uint8_t *port;
static size_t port_len, port_writes;
static u64 host_clock;

bool arch_trace_init(void)
{
	return true;
}

void arch_trace_write(const void *buf, size_t len)
{
	port = realloc(port, port_len + len);
	if (!port)
		abort();
	memcpy(port + port_len, buf, len);
	port_len += len;
	port_writes++;
}

u64 arch_clock_ns(void)
{
	return host_clock += 1000;
}

static void port_reset(void)
{
	free(port);
	port = NULL;
	port_len = port_writes = 0;
}

struct seen {
	const struct foliotrace_header *h;
	char cmdline[64];
	struct ft_fault faults[1100];
	unsigned int nr_faults, nr_records;
	struct ft_fill fill;		/* the last FT_FILL */
	unsigned int nr_fills, fill_at;	/* ... and its index among the records */
	char knob[80];			/* the last FT_KNOB: "path=value" */
	int64_t knob_ret;
	unsigned int nr_knobs;
};

static int seen_header(void *ctx, const struct foliotrace_header *h, const char *cmdline)
{
	struct seen *s = ctx;

	s->h = h;
	snprintf(s->cmdline, sizeof(s->cmdline), "%s", cmdline);
	return 0;
}

static int seen_record(void *ctx, const struct ft_hdr *r, uint64_t off)
{
	struct seen *s = ctx;

	(void)off;
	s->nr_records++;
	if (r->type == FT_FAULT && s->nr_faults < ARRAY_SIZE(s->faults))
		memcpy(&s->faults[s->nr_faults++], r, sizeof(struct ft_fault));
	if (r->type == FT_FILL) {
		memcpy(&s->fill, r, sizeof(s->fill));
		s->fill_at = s->nr_records - 1;
		s->nr_fills++;
	}
	if (r->type == FT_KNOB) {
		const struct ft_knob *k = (const void *)r;

		snprintf(s->knob, sizeof(s->knob), "%s=%s", k->text, k->text + strlen(k->text) + 1);
		s->knob_ret = k->ret;
		s->nr_knobs++;
	}
	return 0;
}

/* Stop recording and parse what the port got into s; true when it parsed whole. */
static bool finish_and_parse(struct seen *s)
{
	struct ft_visitor v = { s, seen_header, seen_record };
	struct ft_error err;

	foliotrace_finish();
	foliotrace_enabled = false;
	if (ft_parse(port, port_len, &v, &err)) {
		printk("parse: offset %llu: %s\n", (unsigned long long)err.offset, err.msg);
		return false;
	}
	return true;
}

static bool fault_is(const struct ft_fault *f, unsigned long addr, unsigned int acc, unsigned int out,
		     unsigned int order)
{
	return f->addr == addr && (f->h.flags & FT_ACC_MASK) == acc &&
	       (f->h.flags & FT_OUT_MASK) >> FT_OUT_SHIFT == out && f->order == order && f->h.pid == 1;
}

/* Each fault's record: a 64K folio, the zero page, an order-0 fallback, a CoW copy. */
static bool test_trace_fault_outcomes(void)
{
	struct mm_struct *mm = vm_setup_current_mm(), *child;
	struct seen *s = calloc(1, sizeof(*s));

	vm_policy_only(4);
	port_reset();
	foliotrace_enabled = true;
	foliotrace_start("thp_anon=64K:always folio.trace=on");
	ASSERT_EQ(vm_map_rw(VM_BASE, K(80)), (long)VM_BASE);
	ASSERT_EQ(vm_fault(mm, VM_BASE, true), VM_FAULT_OK);
	ASSERT_EQ(vm_fault(mm, VM_BASE + K(64), false), VM_FAULT_OK);
	ASSERT_EQ(vm_fault(mm, VM_BASE + K(68), true), VM_FAULT_OK);
	child = vm_mm_dup(mm);
	ASSERT_TRUE(child != NULL);
	ASSERT_EQ(vm_fault(mm, VM_BASE + PG(3), true), VM_FAULT_OK);
	ASSERT_TRUE(finish_and_parse(s));
	ASSERT_EQ(s->h->mode, FT_MODE_LARGE);
	ASSERT_EQ(s->h->thp_mode[4], FT_THP_ALWAYS);
	ASSERT_EQ(s->h->thp_mode[3], FT_THP_NEVER);
	ASSERT_STREQ(s->h->policy, "linux");
	ASSERT_STREQ(s->cmdline, "thp_anon=64K:always folio.trace=on");
	ASSERT_EQ(s->nr_faults, 4);
	ASSERT_EQ(s->nr_records, 5);	/* and FT_END */
	ASSERT_TRUE(fault_is(&s->faults[0], VM_BASE, FT_ACC_WRITE, FT_OUT_ALLOC, 4));
	ASSERT_TRUE(fault_is(&s->faults[1], VM_BASE + K(64), FT_ACC_READ, FT_OUT_ZERO, FT_ORDER_NONE));
	ASSERT_TRUE(fault_is(&s->faults[2], VM_BASE + K(68), FT_ACC_WRITE, FT_OUT_ALLOC, 0));
	ASSERT_TRUE(fault_is(&s->faults[3], VM_BASE + PG(3), FT_ACC_WRITE, FT_OUT_COW_COPY, 0));
	ASSERT_EQ(sum_mthp_stat(4, MTHP_STAT_ANON_FAULT_ALLOC), 1);
	free(s);
	port_reset();
	vm_mm_put(child);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/*
 * Two threads of one mm fault at once: thread 1's fault has noted its
 * outcome (a 64K folio) when thread 2's whole fault (the zero page) runs and
 * is recorded; thread 1's record then still says what its own fault mapped,
 * since the outcome is the task's.  Its stamp, taken when it entered the
 * buffer, is not below thread 2's even though the clock went back.
 */
static bool test_trace_threads_own_outcomes(void)
{
	struct mm_struct *mm = vm_setup_current_mm();
	struct task_struct *t1 = current, t2 = { .pid = 2, .tgid = 1, .mm = mm, .files = t1->files };
	struct seen *s = calloc(1, sizeof(*s));

	vm_policy_only(4);
	port_reset();
	foliotrace_enabled = true;
	foliotrace_start("folio.trace=on");
	ASSERT_EQ(vm_map_rw(VM_BASE, K(128)), (long)VM_BASE);
	foliotrace_fault_begin();			/* thread 1's fault, mid-way */
	foliotrace_note(FT_OUT_ALLOC, 4);
	current = &t2;
	ASSERT_EQ(vm_fault(mm, VM_BASE + K(64), false), VM_FAULT_OK);	/* thread 2's, whole */
	ASSERT_EQ(t2.ft_outcome, FT_OUT_ZERO);
	current = t1;
	host_clock = 0;					/* this CPU's clock reads behind */
	foliotrace_fault(mm, VM_BASE, FAULT_FLAG_WRITE | FAULT_FLAG_USER, VM_FAULT_OK);
	ASSERT_TRUE(finish_and_parse(s));
	ASSERT_EQ(s->nr_faults, 2);
	ASSERT_TRUE(fault_is(&s->faults[0], VM_BASE + K(64), FT_ACC_READ, FT_OUT_ZERO, FT_ORDER_NONE));
	ASSERT_TRUE(fault_is(&s->faults[1], VM_BASE, FT_ACC_WRITE, FT_OUT_ALLOC, 4));
	ASSERT_TRUE(s->faults[1].h.ts_ns >= s->faults[0].h.ts_ns && s->faults[0].h.ts_ns > 0);
	free(s);
	port_reset();
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/*
 * Version 2's records: a policy written while recording is an FT_KNOB (the
 * path below /sys/kernel/mm, the value without its newline, the store's
 * result); a write fault filling a page of the reserve policy's reservation
 * is an FT_FILL (order, pages mapped) just before its FT_FAULT (outcome none).
 */
static bool test_trace_knob_and_fill(void)
{
	struct mm_struct *mm = vm_setup_current_mm();
	struct seen *s = calloc(1, sizeof(*s));

	vm_policy_only(4);
	port_reset();
	foliotrace_enabled = true;
	foliotrace_start("v2");
	ASSERT_EQ(vm_knob_write(FOLIO_SYSFS_DIR "/policy", "reserve\n"), 8);
	ASSERT_EQ(vm_map_rw(VM_BASE, K(64)), (long)VM_BASE);
	ASSERT_EQ(vm_fault(mm, VM_BASE, true), VM_FAULT_OK);
	ASSERT_EQ(vm_fault(mm, VM_BASE + PG(1), true), VM_FAULT_OK);
	ASSERT_EQ(vm_knob_write(FOLIO_SYSFS_DIR "/policy", "nosuch"), -EINVAL);
	ASSERT_TRUE(finish_and_parse(s));
	ASSERT_EQ(s->h->version, 2);
	ASSERT_STREQ(s->h->policy, "linux");	/* the header: the start */
	ASSERT_EQ(s->nr_knobs, 2);
	ASSERT_STREQ(s->knob, "folio/policy=nosuch");	/* failed writes too, with their error */
	ASSERT_EQ(s->knob_ret, -EINVAL);
	ASSERT_EQ(s->nr_faults, 2);
	ASSERT_TRUE(fault_is(&s->faults[0], VM_BASE, FT_ACC_WRITE, FT_OUT_ALLOC, 4));
	ASSERT_TRUE(fault_is(&s->faults[1], VM_BASE + PG(1), FT_ACC_WRITE, FT_OUT_NONE, FT_ORDER_NONE));
	ASSERT_EQ(s->nr_fills, 1);
	ASSERT_EQ(s->fill_at, 2);	/* knob, fault, fill, fault, knob */
	ASSERT_EQ(s->fill.addr, VM_BASE + PG(1));
	ASSERT_EQ(s->fill.order, 4);
	ASSERT_EQ(s->fill.mapped, 2);
	ASSERT_EQ(s->fill.h.pid, 1);
	ASSERT_EQ(s->nr_records, 6);	/* and FT_END */
	free(s);
	port_reset();
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* Off: the same faults write nothing, and the mappings are the same. */
static bool test_trace_off_records_nothing(void)
{
	struct mm_struct *mm = vm_setup_current_mm();

	vm_policy_only(4);
	port_reset();
	ASSERT_FALSE(foliotrace_on());
	foliotrace_start("off");
	ASSERT_EQ(vm_map_rw(VM_BASE, K(64)), (long)VM_BASE);
	ASSERT_EQ(vm_fault(mm, VM_BASE, true), VM_FAULT_OK);
	ASSERT_EQ(vm_order_at(mm, VM_BASE), 4);
	foliotrace_finish();
	ASSERT_EQ(port_len, 0);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* 1024 order-0 faults (32 KiB of records, twice the buffer): drained on the way, none lost. */
static bool test_trace_lossless_drain(void)
{
	struct mm_struct *mm = vm_setup_current_mm();
	struct seen *s = calloc(1, sizeof(*s));

	vm_policy(THP_NEVER, THP_NEVER);
	port_reset();
	foliotrace_enabled = true;
	foliotrace_start("order0");
	ASSERT_EQ(vm_map_rw(VM_BASE, PG(1024)), (long)VM_BASE);
	for (unsigned int i = 0; i < 1024; i++)
		ASSERT_EQ(vm_fault(mm, VM_BASE + PG(i), true), VM_FAULT_OK);
	ASSERT_TRUE(finish_and_parse(s));
	ASSERT_EQ(s->h->mode, FT_MODE_ORDER0);
	ASSERT_EQ(s->nr_faults, 1024);
	ASSERT_TRUE(port_writes >= 3);
	for (unsigned int i = 0; i < 1024; i++)
		ASSERT_TRUE(fault_is(&s->faults[i], VM_BASE + PG(i), FT_ACC_WRITE, FT_OUT_ALLOC, 0));
	free(s);
	port_reset();
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

const struct hostmm_test foliotrace_tests[] = {
	HOSTMM_TEST(test_trace_fault_outcomes),
	HOSTMM_TEST(test_trace_knob_and_fill),
	HOSTMM_TEST(test_trace_threads_own_outcomes),
	HOSTMM_TEST(test_trace_off_records_nothing),
	HOSTMM_TEST(test_trace_lossless_drain),
	{ NULL, NULL },
};
