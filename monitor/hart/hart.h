/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Per-hart monitor state and the inter-hart mailbox. A hart asks another
 * for work (raise SSIP, fence.i, sfence.vma, wake up) by setting bits in the
 * target's mailbox and writing the target's MSIP register. Synchronous
 * requests wait for the target to acknowledge (see hart.c for the protocol).
 */
#ifndef SECMON_HART_H
#define SECMON_HART_H

#include <stdbool.h>
#include <stdint.h>

#include "platform.h"

#define HART_MSG_SSIP (1UL << 0) /* raise the S software interrupt */
#define HART_MSG_FENCE_I (1UL << 1) /* fence.i */
#define HART_MSG_SFENCE_VMA                                                    \
	(1UL << 2) /* sfence.vma, all addresses and ASIDs                      \
		    */
#define HART_MSG_WAKE (1UL << 3) /* re-check HSM state */
#define HART_MSG_RESYNC (1UL << 4) /* re-apply PMP and TVM (after LOCK) */
#define HART_MSG_SSE (1UL << 5) /* an SSE event may be due (arch_sse_flag) */

/* Re-apply the monitor's per-hart protection; supplied by the boot code
 * (firmware) or the test fake. */
void hart_resync_hook(unsigned long self);

/* Bring up the table from the platform description (boot hart, once). */
void hart_table_init(const struct plat_info *pi);
bool hart_exists(unsigned long hartid);
unsigned int hart_count(void);
/* Highest present hartid + 1. */
unsigned long hart_limit(void);

/*
 * Post bits to target and interrupt it; returns a ticket. hart_wait() then
 * returns once the target has acted on them. While waiting, the caller
 * (self) serves its own mailbox, so two harts fencing each other cannot
 * deadlock.
 */
unsigned long hart_post(unsigned long target, unsigned long bits);
void hart_wait(unsigned long self, unsigned long target, unsigned long ticket);
/* Serve the mailbox only if something is pending (cheap when idle). */
void hart_serve_if_pending(unsigned long self);
/* Serve the calling hart's mailbox: clear MSIP, act on pending bits. */
unsigned long hart_serve(unsigned long self);

/* Counters for the debugger and benchmarks. */
struct hart_stats {
	unsigned long ipis_served; /* mailbox rounds served */
};
struct hart_stats *hart_stats(unsigned long hartid);

#endif
