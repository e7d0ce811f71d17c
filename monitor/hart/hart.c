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
	struct hart_stats stats;
} __attribute__((aligned(64))); /* one cache line each: no false sharing */

/* hart_count() entries, in the per-hart region (hart_area_layout). */
static struct hart *harts;
static unsigned int nharts;

void hart_attach(void *mem)
{
	harts = mem;
}

void hart_table_init(const struct plat_info *pi)
{
	nharts = pi->nharts;
	for (unsigned long i = 0; i < nharts; i++) {
		harts[i] = (struct hart){0};
		harts[i].hartid = (unsigned long)pi->harts[i].hartid;
		harts[i].msip = (uintptr_t)pi->harts[i].msip;
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
	if (bits & HART_MSG_RESYNC) {
		hart_resync_hook(self);
	}
	__atomic_store_n(&h->done_seq, r, __ATOMIC_RELEASE);
	h->stats.ipis_served++;
	return bits;
}
