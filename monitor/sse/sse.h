/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Supervisor software events (SBI v3.0 §17).
 *
 * Events: the software-injected local (0xffff0000) and global (0xffff8000)
 * ones, and the local PMU overflow event (0x00010000) where every hart has
 * Sscofpmf: while it is enabled on a hart, that hart's LCOFI comes to the
 * monitor instead of S-mode and becomes this event. The other standard
 * events are valid but NOT_SUPPORTED (RAS: no error sources; double trap:
 * no Ssdbltrp); reserved and platform-specific IDs are INVALID_PARAM.
 *
 * A local event's record belongs to its hart: only that hart changes it,
 * except for the pending flag, which any hart may set (atomically). The
 * global events' records are guarded by the SSE lock, a leaf (memmap.h
 * lists the monitor's lock order). A global event runs on its preferred
 * hart only.
 *
 * Delivery happens on every way back to S/U: trap_entry.S tests the
 * hart's arch_sse_flag word and, when set, sse_enter_due() enters the
 * highest-priority enabled, pending event if it outranks what the hart is
 * running. The
 * monitor never reads or writes S-mode memory for it: ENTRY_PC and
 * ENTRY_ARG are only handed over, and PMP governs what S-mode reaches.
 */
#ifndef SECMON_SSE_H
#define SECMON_SSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SSE_EVENT_LOCAL_SW 0xffff0000U
#define SSE_EVENT_GLOBAL_SW 0xffff8000U
#define SSE_EVENT_PMU_OVERFLOW 0x00010000U

/* Boot hart, once; then each hart at cold boot and at HSM start: its
 * local events UNUSED, its events masked. */
void sse_init(unsigned long boot_hart);
/* The per-hart region's share (monitor/hart). */
size_t sse_hart_bytes(void);
void sse_attach(void *mem, unsigned int n);
void sse_hart_reset(unsigned long hart);

/* Quick test for the trap exit path: is there anything to look at?
 * (arch_sse_flag; trap_entry.S tests the same word.) */
bool sse_maybe_pending(unsigned long hart);

/* On the way back to S/U: enter an event handler if one is due. a6 and
 * a7 are the interrupted context's registers (in the trap frame). */
void sse_enter_due(unsigned long hart, unsigned long *a6, unsigned long *a7);
static inline void sse_deliver(unsigned long hart, unsigned long *a6,
			       unsigned long *a7)
{
	if (sse_maybe_pending(hart)) {
		sse_enter_due(hart, a6, a7);
	}
}

/* The SBI calls; each checks all of its input first. */
long sse_read_attrs(unsigned long hart, uint32_t id, uint32_t base,
		    uint32_t count, unsigned long lo, unsigned long hi);
long sse_write_attrs(unsigned long hart, uint32_t id, uint32_t base,
		     uint32_t count, unsigned long lo, unsigned long hi);
long sse_register(unsigned long hart, uint32_t id, unsigned long pc,
		  unsigned long arg);
long sse_unregister(unsigned long hart, uint32_t id);
long sse_enable(unsigned long hart, uint32_t id);
long sse_disable(unsigned long hart, uint32_t id);
/* Returns true if it resumed an interrupted context: the caller must then
 * leave a0 and a1 as they were (they are the interrupted context's). */
bool sse_complete(unsigned long hart, unsigned long *a6, unsigned long *a7);
/* target_id is the spec's hart_id argument: a hartid, not an index. */
long sse_inject(unsigned long hart, uint32_t id, unsigned long target_id);
long sse_hart_unmask(unsigned long hart);
/* The monitor took a counter overflow interrupt on this hart. */
void sse_pmu_overflow(unsigned long hart);
long sse_hart_mask(unsigned long hart);

#endif
