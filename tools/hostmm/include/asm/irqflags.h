/* asm/irqflags.h (host) - no interrupts; the "enabled" state is a variable. */
#ifndef ASM_IRQFLAGS_H
#define ASM_IRQFLAGS_H

extern unsigned long hostmm_irq_enabled;

static inline unsigned long arch_local_irq_save(void)
{
	unsigned long flags = hostmm_irq_enabled;

	hostmm_irq_enabled = 0;
	return flags;
}

static inline void arch_local_irq_restore(unsigned long flags)
{
	hostmm_irq_enabled = flags;
}

static inline void arch_local_irq_enable(void)
{
	hostmm_irq_enabled = 1;
}

static inline void arch_local_irq_disable(void)
{
	hostmm_irq_enabled = 0;
}

static inline bool arch_irqs_disabled(void)
{
	return !hostmm_irq_enabled;
}

#endif
