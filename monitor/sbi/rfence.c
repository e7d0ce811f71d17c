// SPDX-License-Identifier: BSD-2-Clause
/*
 * RFENCE extension (SBI v3.0 §8). The calling hart fences exactly the range
 * asked for; remote harts flush everything of the kind asked (all
 * addresses; for hfence.vvma, all of the caller's VMID), which is always
 * correct and keeps the mailbox to a few bits. Stopped harts are skipped:
 * a hart flushes its TLB and I-cache when it starts. The hypervisor fences
 * exist where S-mode is offered H (hart_hyp()).
 */
#include "arch.h"
#include "hart.h"
#include "hsm.h"
#include "pmu.h"
#include "sbi_ext.h"

/* Beyond this many pages one full flush is cheaper than page by page. */
#define RFENCE_MAX_PAGES 64
#define PAGE_SIZE 4096UL

static bool full_flush(unsigned long start, unsigned long size)
{
	return (start == 0 && size == 0) || size == -1UL ||
	       size > RFENCE_MAX_PAGES * PAGE_SIZE;
}

/* One fence of kind fid (an SBI_RFENCE_* with an address range) on the
 * calling hart: for the page at addr, or with whole, for every address.
 * id is the ASID or VMID where fid names one. */
static void fence_one(unsigned long fid, bool whole, unsigned long addr,
		      unsigned long id)
{
	switch (fid) {
	case SBI_RFENCE_SFENCE_VMA:
		if (whole) {
			arch_sfence_vma_all();
		} else {
			arch_sfence_vma_va(addr);
		}
		break;
	case SBI_RFENCE_SFENCE_VMA_ASID:
		if (whole) {
			arch_sfence_vma_asid(id);
		} else {
			arch_sfence_vma_va_asid(addr, id);
		}
		break;
	case SBI_RFENCE_HFENCE_GVMA_VMID:
	case SBI_RFENCE_HFENCE_GVMA:
		arch_hfence_gvma(!whole, addr,
				 fid == SBI_RFENCE_HFENCE_GVMA_VMID, id);
		break;
	default: /* SBI_RFENCE_HFENCE_VVMA(_ASID): the current VMID */
		arch_hfence_vvma(!whole, addr,
				 fid == SBI_RFENCE_HFENCE_VVMA_ASID, id);
		break;
	}
}

static void local_fence(unsigned long fid, unsigned long start,
			unsigned long size, unsigned long id)
{
	unsigned long va = start & ~(PAGE_SIZE - 1);
	unsigned long last;

	if (full_flush(start, size)) {
		fence_one(fid, true, 0, id);
		return;
	}
	if (!size) {
		return;
	}
	/* Stop at the last page rather than at start + size: a range that
	 * ends at the top of the address space would wrap va to 0. */
	last = (start + size - 1) & ~(PAGE_SIZE - 1);
	for (;; va += PAGE_SIZE) {
		fence_one(fid, false, va, id);
		if (va == last) {
			break;
		}
	}
}

/* Post to every other running hart in set, then wait for all of them;
 * event is the firmware event counted per request sent. An hfence.vvma
 * request carries vmid, the caller's current one. */
static void remote(unsigned long self, const struct sbi_hartset *set,
		   unsigned long bits, unsigned int event, unsigned long vmid)
{
	struct hart_batch b = {0};
	unsigned long pos = 0, h;

	while (sbi_hartset_next(set, &pos, &h)) {
		if (h != self && hsm_running(h)) {
			if (bits & HART_MSG_HFENCE_VVMA) {
				hart_note_vmid(h, vmid);
			}
			hart_batch_post(self, &b, h, bits);
			pmu_fw_count(self, event);
		}
	}
	hart_batch_wait(self, &b);
}

static long check_range(unsigned long start, unsigned long size)
{
	if (size != -1UL && start + size < start) {
		return SBI_ERR_INVALID_ADDRESS;
	}
	return SBI_SUCCESS;
}

/* What a remote hart is asked for and counted under, by fid (1..6). */
static const struct {
	unsigned long bits;
	unsigned int sent;
} remote_kind[] = {
    [SBI_RFENCE_SFENCE_VMA] = {HART_MSG_SFENCE_VMA, SBI_PMU_FW_SFENCE_VMA_SENT},
    [SBI_RFENCE_SFENCE_VMA_ASID] = {HART_MSG_SFENCE_VMA,
				    SBI_PMU_FW_SFENCE_VMA_ASID_SENT},
    [SBI_RFENCE_HFENCE_GVMA_VMID] = {HART_MSG_HFENCE_GVMA,
				     SBI_PMU_FW_HFENCE_GVMA_VMID_SENT},
    [SBI_RFENCE_HFENCE_GVMA] = {HART_MSG_HFENCE_GVMA,
				SBI_PMU_FW_HFENCE_GVMA_SENT},
    [SBI_RFENCE_HFENCE_VVMA_ASID] = {HART_MSG_HFENCE_VVMA,
				     SBI_PMU_FW_HFENCE_VVMA_ASID_SENT},
    [SBI_RFENCE_HFENCE_VVMA] = {HART_MSG_HFENCE_VVMA,
				SBI_PMU_FW_HFENCE_VVMA_SENT},
};

/* The ASID or VMID argument of fid (a4), or the caller's current VMID,
 * which hfence.vvma requests carry to remote harts. */
static unsigned long fence_id(const struct sbi_call *c)
{
	switch (c->fid) {
	case SBI_RFENCE_SFENCE_VMA_ASID:
	case SBI_RFENCE_HFENCE_GVMA_VMID:
	case SBI_RFENCE_HFENCE_VVMA_ASID:
		return c->a[4];
	default:
		return 0;
	}
}

static unsigned long current_vmid(unsigned long fid)
{
	if (fid != SBI_RFENCE_HFENCE_VVMA &&
	    fid != SBI_RFENCE_HFENCE_VVMA_ASID) {
		return 0;
	}
	return arch_current_vmid();
}

struct sbi_ret sbi_rfence(struct sbi_call *c)
{
	struct sbi_hartset set;
	unsigned long self = c->hart;
	long rc;

	if (c->fid > SBI_RFENCE_HFENCE_VVMA ||
	    (c->fid >= SBI_RFENCE_HFENCE_GVMA_VMID && !hart_hyp())) {
		/* hfence.*: only where S-mode is offered H. */
		return sbi_err(SBI_ERR_NOT_SUPPORTED);
	}
	rc = sbi_hartmask(c->a[0], c->a[1], &set);
	if (!rc && c->fid != SBI_RFENCE_FENCE_I) {
		rc = check_range(c->a[2], c->a[3]);
	}
	if (rc) {
		return sbi_err(rc);
	}
	if (c->fid == SBI_RFENCE_FENCE_I) {
		if (sbi_hartset_has(&set, self)) {
			arch_fence_i();
		}
		remote(self, &set, HART_MSG_FENCE_I, SBI_PMU_FW_FENCE_I_SENT,
		       0);
		return sbi_ok(0);
	}
	if (sbi_hartset_has(&set, self)) {
		local_fence(c->fid, c->a[2], c->a[3], fence_id(c));
	}
	/* The receiver flushes everything of the kind: it counts both
	 * sfence kinds as SFENCE_VMA_RECEIVED, and so on. */
	remote(self, &set, remote_kind[c->fid].bits, remote_kind[c->fid].sent,
	       current_vmid(c->fid));
	return sbi_ok(0);
}
