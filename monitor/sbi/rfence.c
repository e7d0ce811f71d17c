// SPDX-License-Identifier: BSD-2-Clause
/*
 * RFENCE extension (SBI v2.0 §8). The calling hart fences exactly the range
 * asked for; remote harts flush everything (sfence.vma with no operands),
 * which is always correct and keeps the mailbox to a few bits. Stopped
 * harts are skipped: a hart flushes its TLB and I-cache when it starts.
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

static void local_sfence(unsigned long start, unsigned long size, bool use_asid,
			 unsigned long asid)
{
	unsigned long va = start & ~(PAGE_SIZE - 1);
	unsigned long last;

	if (full_flush(start, size)) {
		if (use_asid) {
			arch_sfence_vma_asid(asid);
		} else {
			arch_sfence_vma_all();
		}
		return;
	}
	if (!size) {
		return;
	}
	/* Stop at the last page rather than at start + size: a range that
	 * ends at the top of the address space would wrap va to 0. */
	last = (start + size - 1) & ~(PAGE_SIZE - 1);
	for (;; va += PAGE_SIZE) {
		if (use_asid) {
			arch_sfence_vma_va_asid(va, asid);
		} else {
			arch_sfence_vma_va(va);
		}
		if (va == last) {
			break;
		}
	}
}

/* Post to every other running hart in set, then wait for all of them;
 * event is the firmware event counted per request sent. */
static void remote(unsigned long self, const struct sbi_hartset *set,
		   unsigned long bits, unsigned int event)
{
	struct hart_batch b = {0};
	unsigned long pos = 0, h;

	while (sbi_hartset_next(set, &pos, &h)) {
		if (h != self && hsm_running(h)) {
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

struct sbi_ret sbi_rfence(struct sbi_call *c)
{
	struct sbi_hartset set;
	unsigned long self = c->hart;
	long rc;

	if (c->fid > SBI_RFENCE_SFENCE_VMA_ASID) {
		/* hfence.*: no hypervisor extension is exposed. */
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
		remote(self, &set, HART_MSG_FENCE_I, SBI_PMU_FW_FENCE_I_SENT);
		return sbi_ok(0);
	}
	if (sbi_hartset_has(&set, self)) {
		local_sfence(c->a[2], c->a[3],
			     c->fid == SBI_RFENCE_SFENCE_VMA_ASID, c->a[4]);
	}
	/* The receiver flushes everything either way: it counts both kinds
	 * as SFENCE_VMA_RECEIVED. */
	remote(self, &set, HART_MSG_SFENCE_VMA,
	       c->fid == SBI_RFENCE_SFENCE_VMA_ASID
		   ? SBI_PMU_FW_SFENCE_VMA_ASID_SENT
		   : SBI_PMU_FW_SFENCE_VMA_SENT);
	return sbi_ok(0);
}
