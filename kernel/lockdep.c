/*
 * lockdep.c - the lock-order checker (kernel/lockdep.h says what it
 * checks).
 *
 * Classes live in a fixed table, found by name and subclass (string
 * compare: one class per name whatever file initialised the lock); a
 * lock caches its subclass-0 class.  The recorded order is a graph over
 * the classes: after[a] is the bitmap of classes taken while a was held,
 * edge_site[a][b] the two sites of the first such acquisition.  An
 * acquisition of b while a is held is an inversion when b already reaches
 * a through the graph (a breadth-first search over at most
 * LOCKDEP_MAX_CLASSES nodes); otherwise the edge a -> b is added.  A
 * report is printed once per (held, taken) class pair.
 *
 * The graph and class table are shared by every CPU and changed under
 * graph_lock, a bare ticket lock (no debugging of its own), with
 * interrupts already off (spin_lock disables them before calling in).
 * Each CPU's held stack is its own, in its struct cpu_info (held_locks,
 * held_lock_depth, kernel/smp.h): only that CPU touches it, with
 * interrupts off, so it needs no lock.
 */
#include "kernel/lockdep.h"
#include "kernel/printk.h"
#include "kernel/smp.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"

#ifdef DEBUG_VM

struct lock_class {
	const char *name;
	unsigned int subclass;
};

static spinlock_t graph_lock = SPINLOCK_INIT("lockdep_graph");
static struct lock_class classes[LOCKDEP_MAX_CLASSES];
static unsigned int nr_classes;
static bool checker_off;
static u32 after[LOCKDEP_MAX_CLASSES];			/* after[a] bit b: a -> b recorded */
static u32 reported[LOCKDEP_MAX_CLASSES];		/* reported[a] bit b: taking b under a reported */
static const char *edge_site[LOCKDEP_MAX_CLASSES][LOCKDEP_MAX_CLASSES][2];

unsigned long lockdep_nr_reports;
struct lockdep_report lockdep_last_report;

static unsigned int class_idx(const struct lock_class *c)
{
	return (unsigned int)(c - classes);
}

/* The class (name, subclass), added if new; NULL when the table is full. graph_lock held. */
static struct lock_class *find_class(const char *name, unsigned int subclass)
{
	for (unsigned int i = 0; i < nr_classes; i++) {
		if (classes[i].subclass == subclass && !strcmp(classes[i].name, name))
			return &classes[i];
	}
	if (nr_classes == LOCKDEP_MAX_CLASSES) {
		if (!checker_off)
			pr_warn("lockdep: more than %u lock classes, lock-order checking off\n",
				LOCKDEP_MAX_CLASSES);
		checker_off = true;
		return NULL;
	}
	classes[nr_classes] = (struct lock_class){ .name = name, .subclass = subclass };
	return &classes[nr_classes++];
}

/*
 * Is there a recorded path from -> ... -> to?  Returns the class after
 * `from` on the shortest one (the edge to print), or -1.  graph_lock held.
 */
static int find_path(unsigned int from, unsigned int to)
{
	unsigned int queue[LOCKDEP_MAX_CLASSES], first_hop[LOCKDEP_MAX_CLASSES], head = 0, tail = 0;
	u32 seen = 1u << from;

	for (unsigned int b = 0; b < nr_classes; b++) {
		if (after[from] & (1u << b)) {
			queue[tail] = b;
			first_hop[tail++] = b;
			seen |= 1u << b;
		}
	}
	while (head < tail) {
		unsigned int c = queue[head], hop = first_hop[head++];

		if (c == to)
			return (int)hop;
		for (unsigned int b = 0; b < nr_classes; b++) {
			if ((after[c] & (1u << b)) && !(seen & (1u << b))) {
				seen |= 1u << b;
				queue[tail] = b;
				first_hop[tail++] = hop;
			}
		}
	}
	return -1;
}

static void print_class(const char *what, const struct lock_class *c, const char *site)
{
	printk("lockdep:   %s %s/%u at %s\n", what, c->name, c->subclass, site);
}

/* Report taking `taken` (at site) while `h` is held, closing a cycle through `hop` (or recursion). */
static void report(const struct held_lock *h, const struct lock_class *taken, const char *site, int hop)
{
	struct lockdep_report *r = &lockdep_last_report;
	unsigned int a = class_idx(h->class), b = class_idx(taken);

	*r = (struct lockdep_report){
		.recursive = hop < 0,
		.held = h->class->name, .held_site = h->site,
		.taken = taken->name, .taken_site = site,
	};
	lockdep_nr_reports++;
	if (hop < 0) {
		printk("WARNING: possible recursive locking detected\n");
		print_class("holding", h->class, h->site);
		print_class("taking another lock of the class", taken, site);
		return;
	}
	r->prev_first = taken->name;
	r->prev_first_site = edge_site[b][hop][0];
	r->prev_second = classes[hop].name;
	r->prev_second_site = edge_site[b][hop][1];
	printk("WARNING: possible circular locking dependency detected\n");
	print_class("holding", h->class, h->site);
	print_class("taking", taken, site);
	if ((unsigned int)hop == a)
		printk("lockdep: the opposite order was recorded first:\n");
	else
		printk("lockdep: the opposite order was recorded first, through %s:\n", classes[hop].name);
	print_class("holding", taken, r->prev_first_site);
	print_class("taking", &classes[hop], r->prev_second_site);
}

/* Check and record taking class c (at site) under every lock this CPU holds. graph_lock held. */
static void check_order(const struct cpu_info *cpu, struct lock_class *c, const char *site)
{
	unsigned int b = class_idx(c);

	for (unsigned int i = 0; i < cpu->held_lock_depth; i++) {
		const struct held_lock *h = &cpu->held_locks[i];
		unsigned int a;
		int hop;

		if (!h->class)
			continue;
		a = class_idx(h->class);
		if (after[a] & (1u << b))
			continue;	/* seen before: fine */
		hop = a == b ? -1 : find_path(b, a);
		if (a == b || hop >= 0) {
			if (!(reported[a] & (1u << b)))
				report(h, c, site, hop);
			reported[a] |= 1u << b;
			continue;
		}
		after[a] |= 1u << b;
		edge_site[a][b][0] = h->site;
		edge_site[a][b][1] = site;
	}
}

void lockdep_acquire(struct lock_debug *d, const char *name, unsigned int subclass, const char *site)
{
	struct cpu_info *cpu = this_cpu();
	struct lock_class *c;

	if (cpu->held_lock_depth == LOCKDEP_MAX_DEPTH)
		panic("lockdep: more than %u spinlocks held (taking %s at %s)", LOCKDEP_MAX_DEPTH, name, site);
	arch_spin_lock(&graph_lock);
	c = subclass ? find_class(name, subclass) : d->class ? d->class : (d->class = find_class(name, 0));
	if (c && !checker_off)
		check_order(cpu, c, site);
	arch_spin_unlock(&graph_lock);
	cpu->held_locks[cpu->held_lock_depth++] = (struct held_lock){ .lock = d, .class = c, .name = name, .site = site };
}

void lockdep_release(struct lock_debug *d)
{
	struct cpu_info *cpu = this_cpu();
	struct held_lock *held = cpu->held_locks;

	for (unsigned int i = cpu->held_lock_depth; i-- > 0;) {
		if (held[i].lock == d) {
			memmove(&held[i], &held[i + 1], (cpu->held_lock_depth - i - 1) * sizeof(held[0]));
			cpu->held_lock_depth--;
			return;
		}
	}
	panic("lockdep: releasing a lock this CPU's held stack does not have");
}

unsigned int lockdep_depth(void)
{
	return this_cpu()->held_lock_depth;
}

void lockdep_reset_cpu(void)
{
	this_cpu()->held_lock_depth = 0;
	this_cpu()->irqoff_depth = 0;
}

void __might_sleep(const char *site)
{
	const struct cpu_info *cpu = this_cpu();
	unsigned int depth = cpu->held_lock_depth;

	if (depth)
		panic("sleeping function called from invalid context at %s: %s held (taken at %s)", site,
		      cpu->held_locks[depth - 1].name, cpu->held_locks[depth - 1].site);
}

#endif
