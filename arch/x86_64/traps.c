/*
 * traps.c (x86_64) - the IDT and the C side of every trap and interrupt.
 *
 * Exceptions (vectors 0-31) in kernel mode are either expected (a probe or
 * uaccess instruction listed in the exception table: resume at its fixup) or
 * fatal: die() prints the cause, the faulting address, the registers and a
 * backtrace, then powers off with a failure status.  Vector 32 is the LAPIC
 * timer, 0xfb and 0xfd the call-function and reschedule IPIs (kernel/smp.h),
 * 0xff the LAPIC spurious vector.
 */
#include "kernel/arch.h"
#include "kernel/extable.h"
#include "kernel/printk.h"
#include "kernel/panic.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/time.h"
#include "mm/vma.h"
#include <asm/cpu.h>
#include <asm/i8042.h>
#include <asm/irq.h>
#include <asm/segment.h>
#include <asm/uaccess.h>

struct idt_gate {
	u16 offset_lo;
	u16 selector;
	u8 ist;
	u8 type_attr;
	u16 offset_mid;
	u32 offset_hi;
	u32 zero;
} __packed;

struct idt_ptr {
	u16 limit;
	u64 base;
} __packed;

#define GATE_INTERRUPT	0x8e	/* present, DPL0, 64-bit interrupt gate */
#define VEC_DF		8
#define VEC_PF		14

extern const u64 isr_table[256];
static struct idt_gate idt[256] __aligned(16);

static const char *const exception_names[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow", "bound range",
	"invalid opcode", "device not available", "double fault", "coprocessor overrun",
	"invalid TSS", "segment not present", "stack fault", "general protection",
	"page fault", "reserved", "x87 FP", "alignment check", "machine check",
	"SIMD FP", "virtualization", "control protection",
};

void gdt_init_cpu(unsigned int cpu);

/* Load the (shared) IDT on this CPU. */
void idt_load(void)
{
	struct idt_ptr p = { sizeof(idt) - 1, (u64)idt };

	__asm__ __volatile__("lidt %0" : : "m"(p));
}

/* Boot CPU: fill the IDT, load its GDT and TSS and the IDT. */
void idt_init(void)
{
	for (int v = 0; v < 256; v++) {
		u64 a = isr_table[v];

		idt[v].offset_lo = a & 0xffff;
		idt[v].selector = KERNEL_CS;
		idt[v].ist = (v == VEC_DF) ? 1 : 0;
		idt[v].type_attr = GATE_INTERRUPT;
		idt[v].offset_mid = (a >> 16) & 0xffff;
		idt[v].offset_hi = a >> 32;
		idt[v].zero = 0;
	}
	gdt_init_cpu(0);
	idt_load();
}

/*
 * Resume at a registered fixup if the fault is expected.  A fetch fault at
 * the target of probe_exec is matched through the return address on the stack.
 */
static bool fixup_exception(struct pt_regs *regs)
{
	const struct exception_table_entry *e = search_exception_tables(regs->rip);

	if (!e && regs->vector == VEC_PF && (regs->error_code & PF_INSTR)) {
		unsigned long ret = *(unsigned long *)regs->rsp;

		e = search_exception_tables(ret);
		if (e)
			regs->rsp += 8;
	}
	if (!e)
		return false;
	regs->rip = e->fixup;
	return true;
}

void arch_dump_regs(const struct pt_regs *r)
{
	printk(KERN_EMERG "RIP: %04llx:%016llx RFLAGS: %08llx\n", r->cs, r->rip, r->rflags);
	printk(KERN_EMERG "RSP: %04llx:%016llx CR2: %016llx CR3: %016llx\n", r->ss, r->rsp,
	       read_cr2(), read_cr3());
	printk(KERN_EMERG "RAX: %016llx RBX: %016llx RCX: %016llx\n", r->rax, r->rbx, r->rcx);
	printk(KERN_EMERG "RDX: %016llx RSI: %016llx RDI: %016llx\n", r->rdx, r->rsi, r->rdi);
	printk(KERN_EMERG "RBP: %016llx R08: %016llx R09: %016llx\n", r->rbp, r->r8, r->r9);
	printk(KERN_EMERG "R10: %016llx R11: %016llx R12: %016llx\n", r->r10, r->r11, r->r12);
	printk(KERN_EMERG "R13: %016llx R14: %016llx R15: %016llx\n", r->r13, r->r14, r->r15);
}

static void page_fault_cause(const struct pt_regs *regs, char *buf, size_t len)
{
	u64 e = regs->error_code;

	snprintf(buf, len, "%s %s, %s mode%s",
		 (e & PF_INSTR) ? "instruction fetch" : (e & PF_WRITE) ? "write" : "read",
		 (e & PF_PROT) ? "protection violation" : "not-present page",
		 (e & PF_USER) ? "user" : "kernel", (e & PF_RSVD) ? ", reserved bit" : "");
}

/* What a user-mode exception raises: signal, si_code, si_addr. */
struct exception_sig {
	int sig, code;
	unsigned long addr;
};

/* Linux's choices; cr2 is the faulting address of a #PF. */
static struct exception_sig exception_signal(const struct pt_regs *regs, unsigned long cr2)
{
	switch (regs->vector) {
	case 0: return (struct exception_sig){ SIGFPE, FPE_INTDIV, regs->rip };	/* divide error */
	case 6: return (struct exception_sig){ SIGILL, ILL_ILLOPN, regs->rip };	/* invalid opcode */
	case 16: case 19: return (struct exception_sig){ SIGFPE, SI_KERNEL, 0 };	/* x87 / SIMD FP */
	case 3: return (struct exception_sig){ SIGTRAP, SI_KERNEL, 0 };		/* int3 */
	case VEC_PF:
		return (struct exception_sig){ SIGSEGV, cr2 < TASK_SIZE ? fault_si_code(cr2) : SEGV_MAPERR,
					       cr2 };
	default: return (struct exception_sig){ SIGSEGV, SI_KERNEL, 0 };	/* #GP ... */
	}
}

/* A user-mode exception the kernel does not resolve: its signal, which a handler may catch. */
static void user_exception(struct pt_regs *regs, unsigned long cr2, const char *cause)
{
	struct exception_sig es = exception_signal(regs, cr2);

	current->thread.trap_nr = regs->vector;		/* for the frame's sigcontext */
	current->thread.error_code = regs->error_code;
	current->thread.cr2 = cr2;
	force_sig_fault(regs, es.sig, es.code, es.addr, cause);
}

/*
 * #PF: resolve user faults and kernel faults on user addresses (uaccess) through
 * the fault path.  Returns true when the faulting access can be retried.
 */
static bool do_user_page_fault(struct pt_regs *regs, unsigned long addr)
{
	unsigned int flags = 0;

	if (!user_mode(regs) && !search_exception_tables(regs->rip))
		return false;	/* the kernel touched user memory outside uaccess: a bug */
	if (regs->error_code & PF_RSVD)
		return false;
	if (regs->error_code & PF_WRITE)
		flags |= FAULT_FLAG_WRITE;
	if (regs->error_code & PF_INSTR)
		flags |= FAULT_FLAG_INSTRUCTION;
	if (user_mode(regs))
		flags |= FAULT_FLAG_USER;
	return fault_user_address(regs, addr, flags);
}

static void do_exception(struct pt_regs *regs)
{
	char cause[96] = "";
	unsigned long addr = regs->vector == VEC_PF ? read_cr2() : 0;

	if (regs->vector == VEC_PF && addr < TASK_SIZE && do_user_page_fault(regs, addr))
		return;
	if (regs->vector == VEC_PF)
		page_fault_cause(regs, cause, sizeof(cause));
	if (user_mode(regs)) {
		user_exception(regs, addr, regs->vector == VEC_PF ? cause : exception_names[regs->vector]);
		return;
	}
	if (fixup_exception(regs))
		return;
	die(regs, "%s (vector %llu, error %#llx) at %#llx, address %#lx: %s",
	    exception_names[regs->vector] ? exception_names[regs->vector] : "exception",
	    regs->vector, regs->error_code, regs->rip, addr, cause);
}

static void do_interrupt(struct pt_regs *regs)
{
	irq_enter();
	switch (regs->vector) {
	case VEC_TIMER:
		lapic_eoi();
		timer_interrupt(user_mode(regs));
		break;
	case VEC_KEYBOARD:
		i8042_interrupt();
		lapic_eoi();
		break;
	case VEC_CALL_FUNCTION:
		lapic_eoi();
		smp_ipi_call_function();
		break;
	case VEC_RESCHEDULE:
		lapic_eoi();
		smp_ipi_reschedule();
		break;
	case VEC_SPURIOUS:
		break;
	default:
		pr_warn("x86_trap: unexpected interrupt vector %llu\n", regs->vector);
	}
	irq_exit();
}

/* Called by isr_common for every vector. */
void x86_trap(struct pt_regs *regs)
{
	if (regs->vector < 32)
		do_exception(regs);
	else
		do_interrupt(regs);
	if (user_mode(regs))
		exit_to_user_mode(regs);
}
