/*
 * prezero.h - zeroing free memory while the CPU is idle (mm/prezero.c), so
 * that anonymous faults get pre-zeroed folios.
 */
#ifndef MM_PREZERO_H
#define MM_PREZERO_H

#include "kernel/types.h"

/* Frames the idle zeroer zeroes between two calls of its stop() callback (64 KiB). */
#define PREZERO_CHUNK_PAGES	16U

/*
 * Pre-zeroing on or off: /sys/kernel/mm/folio/prezero, boot word
 * folio.prezero= (mm/thp_sysfs.c); default on.  Read prezero_enabled,
 * change it with prezero_set(): off stops the idle zeroer and forgets every
 * zeroed free block (forget_zeroed_blocks()), so that no zeroed block is
 * left or made and every zero request zeroes, as before pre-zeroing
 * existed.  On starts from whatever free memory is zeroed then.
 */
extern bool prezero_enabled;
void prezero_set(bool on);

/*
 * One step of the idle zeroer, for an idle loop with interrupts enabled:
 * take the highest-order free block not yet zeroed off the free lists,
 * zero it PREZERO_CHUNK_PAGES frames at a time and give it back marked
 * zeroed.  stop() is called before every chunk; when it returns true the
 * block goes back unmarked at once (the chunks done are lost work), so the
 * longest stretch without a look at stop() is one chunk.  Nothing stays
 * isolated after the call returns.  Returns false when there was nothing
 * to do (pre-zeroing off, or every free block zeroed): the caller may halt
 * until an interrupt; true otherwise (call again unless stop()).
 */
bool prezero_idle(bool (*stop)(void));

#endif
