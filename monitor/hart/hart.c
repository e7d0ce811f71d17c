// SPDX-License-Identifier: BSD-2-Clause
/*
 * The monitor's lock order is written once, in monitor/memmap/memmap.h.
 * The mailbox below is lock-free: senders use atomic OR on the bit mask and
 * atomic add on req_seq; only the owning hart clears bits and writes
 * done_seq.
 *
 * Synchronous handshake. A sender sets its bits, then takes a ticket
 * t = ++req_seq, then writes MSIP and waits for done_seq >= t. The target,
 * per round: clears MSIP, reads r = req_seq, swaps the bit mask to zero,
 * acts, then publishes done_seq = r. If done_seq >= t, the target read
 * req_seq after the sender's increment, which came after the sender's OR,
 * so the swap saw the sender's bits. Liveness: the target clears MSIP
 * before reading req_seq, so a sender's MSIP write either lands before
 * that clear (and the round reads the new req_seq) or raises a new round.
 */
#include "hart.h"
#include "pmu.h"

#include "arch.h"

struct hart {
	unsigned long hartid;
	uintptr_t msip;
	unsigned long pending;
	unsigned long req_seq;
	unsigned long done_seq;
	unsigned long vvma_vmid; /* VMID_NONE, vmid + 1 or VMID_ALL */
	struct hart_stats stats;
} __attribute__((aligned(64))); /* one cache line each: no false sharing */

#define VMID_NONE 0UL
#define VMID_ALL (~0UL)

/* hart_count() entries, in the per-hart region (hart_area_layout). */
static struct hart *harts;
static unsigned int nharts;
static bool hyp;

void hart_attach(void *mem)
{
	harts = mem;
}

void hart_table_init(const struct plat_info *pi)
{
	nharts = pi->nharts;
	hyp = nharts > 0;
	for (unsigned long i = 0; i < nharts; i++) {
		harts[i] = (struct hart){0};
		harts[i].hartid = (unsigned long)pi->harts[i].hartid;
		harts[i].msip = (uintptr_t)pi->harts[i].msip;
		hyp = hyp && (pi->harts[i].isa & PLAT_ISA_H);
	}
}

size_t hart_mailbox_bytes(void)
{
	return sizeof(struct hart);
}

bool hart_exists(unsigned long hart)
{
	return hart < nharts;
}

bool hart_hyp(void)
{
	return hyp;
}

unsigned int hart_count(void)
{
	return nharts;
}

/* Binary search: the table is in ascending hartid order. */
long hart_index(unsigned long hartid)
{
	unsigned long lo = 0, hi = nharts;

	while (lo < hi) {
		unsigned long mid = lo + (hi - lo) / 2;

		if (harts[mid].hartid == hartid) {
			return (long)mid;
		}
		if (harts[mid].hartid < hartid) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return -1;
}

unsigned long hart_id(unsigned long hart)
{
	return harts[hart].hartid;
}

void hart_batch_post(unsigned long self, struct hart_batch *b,
		     unsigned long target, unsigned long bits)
{
	if (b->n == HART_BATCH) {
		hart_batch_wait(self, b);
	}
	b->hart[b->n] = (unsigned int)target;
	b->ticket[b->n] = hart_post(target, bits);
	b->n++;
}

void hart_batch_wait(unsigned long self, struct hart_batch *b)
{
	for (unsigned int i = 0; i < b->n; i++) {
		hart_wait(self, b->hart[i], b->ticket[i]);
	}
	b->n = 0;
}

struct hart_stats *hart_stats(unsigned long hartid)
{
	return &harts[hartid].stats;
}

unsigned long hart_post(unsigned long target, unsigned long bits)
{
	struct hart *h = &harts[target];
	unsigned long t;

	__atomic_fetch_or(&h->pending, bits, __ATOMIC_SEQ_CST);
	t = __atomic_add_fetch(&h->req_seq, 1, __ATOMIC_SEQ_CST);
	arch_mmio_write32(h->msip, 1);
	return t;
}

void hart_note_vmid(unsigned long target, unsigned long vmid)
{
	unsigned long *slot = &harts[target].vvma_vmid;
	unsigned long want = vmid + 1, was = VMID_NONE;

	if (__atomic_compare_exchange_n(slot, &was, want, false,
					__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST) ||
	    was == want || was == VMID_ALL) {
		return;
	}
	__atomic_store_n(slot, VMID_ALL, __ATOMIC_SEQ_CST);
}

/* The slot is read after the mailbox bits (hart_serve), and a sender
 * notes it before setting them, so a round that sees the bit sees the
 * VMID; a round that took the VMID early fenced after it was noted. */
static void serve_vvma(struct hart *h)
{
	unsigned long v =
	    __atomic_exchange_n(&h->vvma_vmid, VMID_NONE, __ATOMIC_SEQ_CST);

	if (v == VMID_ALL) {
		for (unsigned long id = 0; id < arch_vmid_count(); id++) {
			arch_hfence_vvma_vmid(id);
		}
	} else if (v != VMID_NONE) {
		arch_hfence_vvma_vmid(v - 1);
	}
}

void hart_wait(unsigned long self, unsigned long target, unsigned long ticket)
{
	struct hart *h = &harts[target];

	while ((long)(__atomic_load_n(&h->done_seq, __ATOMIC_ACQUIRE) -
		      ticket) < 0) {
		hart_serve_if_pending(self);
		arch_relax();
	}
}

void hart_serve_if_pending(unsigned long self)
{
	if (__atomic_load_n(&harts[self].pending, __ATOMIC_RELAXED)) {
		hart_serve(self);
	}
}

unsigned long hart_serve(unsigned long self)
{
	struct hart *h = &harts[self];
	unsigned long r, bits;

	arch_mmio_write32(h->msip, 0);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	r = __atomic_load_n(&h->req_seq, __ATOMIC_SEQ_CST);
	bits = __atomic_exchange_n(&h->pending, 0, __ATOMIC_SEQ_CST);
	if (bits & HART_MSG_SSIP) {
		arch_set_ssip();
		pmu_fw_count(self, SBI_PMU_FW_IPI_RECEIVED);
	}
	if (bits & HART_MSG_FENCE_I) {
		arch_fence_i();
		pmu_fw_count(self, SBI_PMU_FW_FENCE_I_RECEIVED);
	}
	if (bits & HART_MSG_SFENCE_VMA) {
		arch_sfence_vma_all();
		pmu_fw_count(self, SBI_PMU_FW_SFENCE_VMA_RECEIVED);
	}
	if (bits & HART_MSG_HFENCE_GVMA) {
		arch_hfence_gvma(false, 0, false, 0);
		pmu_fw_count(self, SBI_PMU_FW_HFENCE_GVMA_RECEIVED);
	}
	if (bits & HART_MSG_HFENCE_VVMA) {
		serve_vvma(h);
		pmu_fw_count(self, SBI_PMU_FW_HFENCE_VVMA_RECEIVED);
	}
	if (bits & HART_MSG_RESYNC) {
		hart_resync_hook(self);
	}
	__atomic_store_n(&h->done_seq, r, __ATOMIC_RELEASE);
	h->stats.ipis_served++;
	return bits;
}
