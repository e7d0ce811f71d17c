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
#include <stddef.h>
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
#define HART_MSG_HFENCE_GVMA (1UL << 6) /* hfence.gvma: all GPAs, all VMIDs */
#define HART_MSG_HFENCE_VVMA (1UL << 7) /* hfence.vvma for the noted VMIDs */

/* Re-apply the monitor's per-hart protection; supplied by the boot code
 * (firmware) or the test fake. */
void hart_resync_hook(unsigned long self);

/*
 * Inside the monitor a hart is named by its index: its place among the
 * device tree's harts sorted by hartid, 0 .. hart_count() - 1. Every
 * "hart", "self" and "target" argument in the monitor's interfaces is an
 * index; only SBI arguments, S-mode's a0 and the console carry hartids,
 * and hart_index() / hart_id() convert at those edges. (On QEMU virt,
 * whose hartids are 0 .. n-1, the two agree.)
 */

/* Bring up the table from the platform description (boot hart, once,
 * after hart_area_layout()). */
void hart_table_init(const struct plat_info *pi);
bool hart_exists(unsigned long hart);
/* S-mode is offered the hypervisor extension: every hart in the table
 * has PLAT_ISA_H (boot clears it where misa lacks H). */
/*@ assigns \nothing; */
bool hart_hyp(void);
unsigned int hart_count(void);
/* The index of hartid, or -1 if no hart the monitor runs has it. */
long hart_index(unsigned long hartid);
unsigned long hart_id(unsigned long hart);

/*
 * Per-hart state is not sized at build time. Each component keeps its
 * per-hart records in an array of hart_count() entries that boot lays out
 * in one region, sized from the device tree (firmware: inside the records
 * region, beside the hart stacks; PMP: no S/U access). Laid out once,
 * before any component's init, and never freed. With base NULL this only
 * measures: it returns the bytes the region needs for n harts.
 */
size_t hart_area_layout(void *base, unsigned int n);
/* This component's share: the mailboxes. */
size_t hart_mailbox_bytes(void);
void hart_attach(void *mem);

/*
 * Sending to many harts. Requests go out in batches of HART_BATCH: all of
 * a batch is posted before any of it is waited for, so a round costs one
 * handshake's latency per batch, and the tickets live on the caller's
 * stack (a few hundred bytes whatever the hart count).
 */
#define HART_BATCH 32
struct hart_batch {
	unsigned int n;
	unsigned int hart[HART_BATCH];
	unsigned long ticket[HART_BATCH];
};
/* Post bits to target; waits for the batch first if it is full. */
void hart_batch_post(unsigned long self, struct hart_batch *b,
		     unsigned long target, unsigned long bits);
/* Wait for every hart posted to since the last wait. */
void hart_batch_wait(unsigned long self, struct hart_batch *b);

/*
 * Post bits to target and interrupt it; returns a ticket. hart_wait() then
 * returns once the target has acted on them. While waiting, the caller
 * (self) serves its own mailbox, so two harts fencing each other cannot
 * deadlock.
 */
unsigned long hart_post(unsigned long target, unsigned long bits);
/*
 * Before posting HART_MSG_HFENCE_VVMA: note the VMID target is to fence
 * for. One slot per hart; a second VMID noted before target served the
 * first makes it fence every VMID, which is slow but never wrong.
 */
void hart_note_vmid(unsigned long target, unsigned long vmid);
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
