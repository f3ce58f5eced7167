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
 * Each CPU's held stack is its own: only that CPU touches it.
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

struct held_lock {
	struct lock_debug *lock;
	struct lock_class *class;	/* NULL: the class table was full (not checked) */
	const char *name;
	const char *site;
};

static spinlock_t graph_lock = SPINLOCK_INIT("lockdep_graph");
static struct lock_class classes[LOCKDEP_MAX_CLASSES];
static unsigned int nr_classes;
static bool checker_off;
static u32 after[LOCKDEP_MAX_CLASSES];			/* after[a] bit b: a -> b recorded */
static u32 reported[LOCKDEP_MAX_CLASSES];		/* reported[a] bit b: taking b under a reported */
static const char *edge_site[LOCKDEP_MAX_CLASSES][LOCKDEP_MAX_CLASSES][2];

static struct held_lock held[NR_CPUS][LOCKDEP_MAX_DEPTH];
static unsigned int depth[NR_CPUS];

unsigned long lockdep_nr_reports;
struct lockdep_report lockdep_last_report;

static unsigned int class_idx(const struct lock_class *c)
{
	return (unsigned int)(c - classes);
}

static unsigned int lockdep_cpu(void)
{
	unsigned int cpu = smp_processor_id();

	BUG_ON(cpu >= NR_CPUS);
	return cpu;
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
static void check_order(unsigned int cpu, struct lock_class *c, const char *site)
{
	unsigned int b = class_idx(c);

	for (unsigned int i = 0; i < depth[cpu]; i++) {
		const struct held_lock *h = &held[cpu][i];
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
	unsigned int cpu = lockdep_cpu();
	struct lock_class *c;

	if (depth[cpu] == LOCKDEP_MAX_DEPTH)
		panic("lockdep: more than %u spinlocks held (taking %s at %s)", LOCKDEP_MAX_DEPTH, name, site);
	arch_spin_lock(&graph_lock);
	c = subclass ? find_class(name, subclass) : d->class ? d->class : (d->class = find_class(name, 0));
	if (c && !checker_off)
		check_order(cpu, c, site);
	arch_spin_unlock(&graph_lock);
	held[cpu][depth[cpu]++] = (struct held_lock){ .lock = d, .class = c, .name = name, .site = site };
}

void lockdep_release(struct lock_debug *d)
{
	unsigned int cpu = lockdep_cpu();

	for (unsigned int i = depth[cpu]; i-- > 0;) {
		if (held[cpu][i].lock == d) {
			memmove(&held[cpu][i], &held[cpu][i + 1], (depth[cpu] - i - 1) * sizeof(held[cpu][0]));
			depth[cpu]--;
			return;
		}
	}
	panic("lockdep: releasing a lock this CPU's held stack does not have");
}

unsigned int lockdep_depth(void)
{
	return depth[lockdep_cpu()];
}

void lockdep_reset_cpu(void)
{
	depth[lockdep_cpu()] = 0;
}

void __might_sleep(const char *site)
{
	unsigned int cpu = lockdep_cpu();

	if (depth[cpu])
		panic("sleeping function called from invalid context at %s: %s held (taken at %s)", site,
		      held[cpu][depth[cpu] - 1].name, held[cpu][depth[cpu] - 1].site);
}

#endif
