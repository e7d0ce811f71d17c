// SPDX-License-Identifier: BSD-2-Clause
/*
 * IPI and RFENCE: hart-mask decoding, who gets interrupted, which fences
 * run where. Set-up: the 4-hart tree, hart 0 boots, harts 1 and 2 are
 * started, hart 3 stays STOPPED.
 */
#include "harness.h"
#include "hart.h"
#include "hsm.h"
#include "pmu.h"
#include "support.h"

static void start(unsigned long h)
{
	unsigned long addr, arg;

	CHECK_EQ(hsm_start(h, TEST_OS_ADDR, 0), SBI_SUCCESS);
	CHECK(hsm_take_start(h, &addr, &arg));
}

/* Harts 0-2 running, 3 stopped; the fake's books are clean afterwards. */
static void boot(bool delivery)
{
	test_boot("virt-4hart", 0);
	fake_set_delivery(true); /* serve the start wake-ups */
	start(1);
	start(2);
	fake_set_delivery(delivery);
	fake_mmio_clear_log();
	for (unsigned int h = 0; h < 4; h++) {
		*fake_hart_state(h) = (struct fake_hart_state){0};
	}
}

static struct sbi_ret ipi(unsigned long mask, unsigned long base)
{
	return ecall(SBI_EXT_IPI, SBI_IPI_SEND_IPI, mask, base, 0, 0, 0);
}

static void test_ipi_all(void)
{
	struct sbi_ret r;

	boot(false);
	/* base -1: every hart; the mask is ignored. */
	r = ipi(0, -1UL);
	CHECK_EQ(r.error, SBI_SUCCESS);
	CHECK_EQ(r.value, 0);
	CHECK_EQ(fake_hart_state(0)->ssip_set, 1); /* self: mip.SSIP */
	CHECK_EQ(fake_mmio_writes_to(TEST_MSIP(0)), 0);
	CHECK_EQ(fake_mmio_writes_of(TEST_MSIP(1), 1), 1);
	CHECK_EQ(fake_mmio_writes_of(TEST_MSIP(2), 1), 1);
	CHECK_EQ(fake_mmio_writes_to(TEST_MSIP(3)), 0); /* stopped */
	CHECK_EQ(fake_mmio_count(), 2);

	/* Once started, the highest hart is part of "all" too. */
	start(3);
	fake_mmio_clear_log();
	CHECK_EQ(ipi(0, -1UL).error, SBI_SUCCESS);
	CHECK_EQ(fake_mmio_writes_of(TEST_MSIP(3), 1), 1);
	CHECK_EQ(fake_mmio_count(), 3);
}

static void test_ipi_delivered(void)
{
	boot(true);
	CHECK_EQ(ipi(0x6, 0).error, SBI_SUCCESS);
	CHECK_EQ(fake_hart_state(0)->ssip_set, 0);
	CHECK_EQ(fake_hart_state(1)->ssip_set, 1);
	CHECK_EQ(fake_hart_state(2)->ssip_set, 1);
	CHECK_EQ(fake_hart_state(3)->ssip_set, 0);
	/* The served hart cleared its MSIP. */
	CHECK_EQ(fake_mmio_writes_of(TEST_MSIP(1), 0), 1);
	CHECK_EQ(fake_hart_state(1)->fence_i, 0);
	CHECK_EQ(fake_hart_state(1)->sfence_all, 0);
}

static void test_ipi_base_offset(void)
{
	boot(false);
	/* base 1, bits 0 and 1: harts 1 and 2 only. */
	CHECK_EQ(ipi(0x3, 1).error, SBI_SUCCESS);
	CHECK_EQ(fake_hart_state(0)->ssip_set, 0);
	CHECK_EQ(fake_mmio_writes_of(TEST_MSIP(1), 1), 1);
	CHECK_EQ(fake_mmio_writes_of(TEST_MSIP(2), 1), 1);
	CHECK_EQ(fake_mmio_count(), 2);
}

static void test_ipi_invalid_harts(void)
{
	boot(false);
	CHECK_EQ(ipi(1UL << 5, 0).error, SBI_ERR_INVALID_PARAM);
	CHECK_EQ(ipi(1UL << 4, 0).error, SBI_ERR_INVALID_PARAM);
	CHECK_EQ(ipi(1UL << 63, 0).error, SBI_ERR_INVALID_PARAM);
	CHECK_EQ(ipi(1, 4).error, SBI_ERR_INVALID_PARAM);
	CHECK_EQ(ipi(1, 64).error, SBI_ERR_INVALID_PARAM);
	/* All or nothing: hart 1 is valid, hart 4 is not. */
	CHECK_EQ(ipi(0x13, 0).error, SBI_ERR_INVALID_PARAM);
	CHECK_EQ(ipi(0x9, 1).error, SBI_ERR_INVALID_PARAM);
	CHECK_EQ(fake_mmio_count(), 0);
	CHECK_EQ(fake_hart_state(0)->ssip_set, 0);
}

static void test_ipi_base_overflow(void)
{
	boot(false);
	/* base + bit wraps to hartids 0 and 1: invalid, not harts 0/1. */
	CHECK_EQ(ipi(0x4, -2UL).error, SBI_ERR_INVALID_PARAM);
	CHECK_EQ(ipi(0x3, -1UL - 1).error, SBI_ERR_INVALID_PARAM);
	CHECK_EQ(ipi(1UL << 63, 1UL << 63).error, SBI_ERR_INVALID_PARAM);
	CHECK_EQ(ipi(0x2, -2UL).error, SBI_ERR_INVALID_PARAM);
	CHECK_EQ(fake_mmio_count(), 0);
	CHECK_EQ(fake_hart_state(0)->ssip_set, 0);
}

static void test_ipi_stopped_and_empty(void)
{
	boot(false);
	/* A stopped hart exists, so this succeeds, but it has no S-mode to
	 * interrupt. */
	CHECK_EQ(ipi(1UL << 3, 0).error, SBI_SUCCESS);
	CHECK_EQ(ipi(0, 0).error, SBI_SUCCESS);
	CHECK_EQ(ipi(0, 3).error, SBI_SUCCESS);
	CHECK_EQ(fake_mmio_count(), 0);
}

static struct sbi_ret rfence(unsigned long fid, unsigned long mask,
			     unsigned long base, unsigned long start,
			     unsigned long size, unsigned long asid)
{
	return ecall(SBI_EXT_RFENCE, fid, mask, base, start, size, asid);
}

static void test_rfence_fence_i_all(void)
{
	boot(true);
	CHECK_EQ(rfence(SBI_RFENCE_FENCE_I, 0, -1UL, 0, 0, 0).error,
		 SBI_SUCCESS);
	CHECK_EQ(fake_hart_state(0)->fence_i, 1);
	CHECK_EQ(fake_hart_state(1)->fence_i, 1);
	CHECK_EQ(fake_hart_state(2)->fence_i, 1);
	CHECK_EQ(fake_hart_state(3)->fence_i, 0);
	CHECK_EQ(fake_mmio_writes_of(TEST_MSIP(1), 1), 1);
	CHECK_EQ(fake_mmio_writes_of(TEST_MSIP(2), 1), 1);
	CHECK_EQ(fake_mmio_writes_to(TEST_MSIP(0)), 0);
	CHECK_EQ(fake_mmio_writes_to(TEST_MSIP(3)), 0);
	CHECK_EQ(fake_hart_state(1)->sfence_all, 0);

	/* The caller fences itself only if it is in the mask. */
	CHECK_EQ(rfence(SBI_RFENCE_FENCE_I, 0x6, 0, 0, 0, 0).error,
		 SBI_SUCCESS);
	CHECK_EQ(fake_hart_state(0)->fence_i, 1);
	CHECK_EQ(fake_hart_state(1)->fence_i, 2);
	CHECK_EQ(fake_hart_state(2)->fence_i, 2);
}

static void test_rfence_local_only(void)
{
	struct fake_hart_state *me;

	boot(false); /* no delivery: a remote post would spin and abort */
	me = fake_hart_state(0);
	CHECK_EQ(rfence(SBI_RFENCE_FENCE_I, 1, 0, 0, 0, 0).error, SBI_SUCCESS);
	CHECK_EQ(me->fence_i, 1);
	/* Two pages, the first partly: 0x1800..0x2800. */
	CHECK_EQ(rfence(SBI_RFENCE_SFENCE_VMA, 1, 0, 0x1800, 0x1000, 0).error,
		 SBI_SUCCESS);
	CHECK_EQ(me->sfence_va, 2);
	CHECK_EQ(me->last_va, 0x2000);
	CHECK_EQ(me->sfence_all, 0);
	CHECK_EQ(
	    rfence(SBI_RFENCE_SFENCE_VMA_ASID, 1, 0, 0x5000, 0x1000, 7).error,
	    SBI_SUCCESS);
	CHECK_EQ(me->sfence_va_asid, 1);
	CHECK_EQ(me->last_va, 0x5000);
	CHECK_EQ(me->last_asid, 7);
	CHECK_EQ(me->sfence_asid, 0);
	CHECK_EQ(fake_mmio_count(), 0);
}

static void test_rfence_full_flush(void)
{
	struct fake_hart_state *me;

	boot(false);
	me = fake_hart_state(0);
	/* start 0 size 0, size -1, and more than 64 pages: one full flush. */
	CHECK_EQ(rfence(SBI_RFENCE_SFENCE_VMA, 1, 0, 0, 0, 0).error,
		 SBI_SUCCESS);
	CHECK_EQ(rfence(SBI_RFENCE_SFENCE_VMA, 1, 0, 0x4000, -1UL, 0).error,
		 SBI_SUCCESS);
	CHECK_EQ(rfence(SBI_RFENCE_SFENCE_VMA, 1, 0, 0, 65 * 4096UL, 0).error,
		 SBI_SUCCESS);
	CHECK_EQ(me->sfence_all, 3);
	CHECK_EQ(me->sfence_va, 0);
	CHECK_EQ(rfence(SBI_RFENCE_SFENCE_VMA_ASID, 1, 0, 0, -1UL, 9).error,
		 SBI_SUCCESS);
	CHECK_EQ(me->sfence_asid, 1);
	CHECK_EQ(me->last_asid, 9);
	CHECK_EQ(me->sfence_all, 3);
	/* Exactly 64 pages is still page by page. */
	CHECK_EQ(
	    rfence(SBI_RFENCE_SFENCE_VMA, 1, 0, 0x100000, 64 * 4096UL, 0).error,
	    SBI_SUCCESS);
	CHECK_EQ(me->sfence_va, 64);
}

static void test_rfence_top_of_address_space(void)
{
	struct fake_hart_state *me;

	boot(false);
	me = fake_hart_state(0);
	/* The last page: the page loop must stop there, not wrap to 0. */
	CHECK_EQ(rfence(SBI_RFENCE_SFENCE_VMA, 1, 0, -0x1000UL, 0xfff, 0).error,
		 SBI_SUCCESS);
	CHECK_EQ(me->sfence_va, 1);
	CHECK_EQ(me->last_va, -0x1000UL);
	CHECK_EQ(rfence(SBI_RFENCE_SFENCE_VMA_ASID, 1, 0, -0x2000UL + 0x10,
			0x1fef, 4)
		     .error,
		 SBI_SUCCESS);
	CHECK_EQ(me->sfence_va_asid, 2);
	CHECK_EQ(me->last_va, -0x1000UL);
	/* size 0 (with a start) names no page at all. */
	CHECK_EQ(rfence(SBI_RFENCE_SFENCE_VMA, 1, 0, 0x1800, 0, 0).error,
		 SBI_SUCCESS);
	CHECK_EQ(me->sfence_va, 1);
	CHECK_EQ(me->sfence_all, 0);
}

static void test_rfence_remote_sfence(void)
{
	boot(true);
	CHECK_EQ(
	    rfence(SBI_RFENCE_SFENCE_VMA_ASID, 0x6, 0, 0x1000, 0x1000, 3).error,
	    SBI_SUCCESS);
	/* Remote harts flush everything; the caller was not in the mask. */
	CHECK_EQ(fake_hart_state(1)->sfence_all, 1);
	CHECK_EQ(fake_hart_state(2)->sfence_all, 1);
	CHECK_EQ(fake_hart_state(1)->fence_i, 0);
	CHECK_EQ(fake_hart_state(0)->sfence_va_asid, 0);
	CHECK_EQ(fake_hart_state(0)->sfence_all, 0);
	CHECK_EQ(fake_hart_state(3)->sfence_all, 0);
}

static void test_rfence_stopped_skipped(void)
{
	boot(false); /* would abort if it waited for hart 3 */
	CHECK_EQ(rfence(SBI_RFENCE_SFENCE_VMA, 1UL << 3, 0, 0, 0, 0).error,
		 SBI_SUCCESS);
	CHECK_EQ(rfence(SBI_RFENCE_FENCE_I, 0x9, 0, 0, 0, 0).error,
		 SBI_SUCCESS);
	CHECK_EQ(fake_mmio_count(), 0);
	CHECK_EQ(fake_hart_state(0)->fence_i, 1);
	CHECK_EQ(fake_hart_state(3)->fence_i, 0);
}

static void test_rfence_hfence_local(void)
{
	struct fake_hart_state *me;

	boot(false);
	me = fake_hart_state(0);
	/* Two pages of GPA for VMID 5: hfence.gvma gpa, vmid per page. */
	CHECK_EQ(
	    rfence(SBI_RFENCE_HFENCE_GVMA_VMID, 1, 0, 0x2000, 0x2000, 5).error,
	    SBI_SUCCESS);
	CHECK_EQ(me->hfence_gvma[3], 2);
	CHECK_EQ(me->last_gpa, 0x3000);
	CHECK_EQ(me->last_vmid, 5);
	/* start 0, size 0: everything, every VMID. */
	CHECK_EQ(rfence(SBI_RFENCE_HFENCE_GVMA, 1, 0, 0, 0, 0).error,
		 SBI_SUCCESS);
	CHECK_EQ(me->hfence_gvma[0], 1);
	CHECK_EQ(rfence(SBI_RFENCE_HFENCE_GVMA, 1, 0, 0x5000, 1, 0).error,
		 SBI_SUCCESS);
	CHECK_EQ(me->hfence_gvma[1], 1);
	CHECK_EQ(me->last_gpa, 0x5000);
	/* VVMA: guest virtual pages of the current VMID, by ASID or not. */
	CHECK_EQ(
	    rfence(SBI_RFENCE_HFENCE_VVMA_ASID, 1, 0, 0x7010, 0x10, 7).error,
	    SBI_SUCCESS);
	CHECK_EQ(me->hfence_vvma[3], 1);
	CHECK_EQ(me->last_va, 0x7000);
	CHECK_EQ(me->last_asid, 7);
	CHECK_EQ(rfence(SBI_RFENCE_HFENCE_VVMA, 1, 0, 0x4000, -1UL, 0).error,
		 SBI_SUCCESS);
	CHECK_EQ(me->hfence_vvma[0], 1);
	CHECK_EQ(me->hfence_vvma_vmid, 0); /* its own VMID: no swap */
	CHECK_EQ(me->sfence_all + me->sfence_va, 0);
	CHECK_EQ(fake_mmio_count(), 0);
	CHECK_EQ(rfence(7, 1, 0, 0, 0, 0).error, SBI_ERR_NOT_SUPPORTED);
}

static void test_rfence_hfence_remote(void)
{
	boot(true);
	fake_hart_state(0)->hgatp = 9UL << 44; /* the caller runs VMID 9 */
	CHECK_EQ(
	    rfence(SBI_RFENCE_HFENCE_VVMA, 0x6, 0, 0x1000, 0x1000, 0).error,
	    SBI_SUCCESS);
	for (unsigned int h = 1; h <= 2; h++) {
		CHECK_EQ(fake_hart_state(h)->hfence_vvma_vmid, 1);
		CHECK_EQ(fake_hart_state(h)->last_vmid, 9);
		CHECK_EQ(fake_hart_state(h)->hfence_gvma[0], 0);
	}
	CHECK_EQ(fake_hart_state(0)->hfence_vvma[1], 0); /* not in the mask */
	CHECK_EQ(rfence(SBI_RFENCE_HFENCE_GVMA_VMID, 0x7, 0, 0x1000, 0x1000, 3)
		     .error,
		 SBI_SUCCESS);
	CHECK_EQ(fake_hart_state(0)->hfence_gvma[3], 1);
	CHECK_EQ(fake_hart_state(1)->hfence_gvma[0], 1);
	CHECK_EQ(fake_hart_state(2)->hfence_gvma[0], 1);
	CHECK_EQ(fake_hart_state(3)->hfence_gvma[0], 0); /* stopped */
	CHECK_EQ(pmu_fw_events[0][SBI_PMU_FW_HFENCE_VVMA_SENT], 2);
	CHECK_EQ(pmu_fw_events[1][SBI_PMU_FW_HFENCE_GVMA_RECEIVED], 1);
}

/* One VMID slot per hart: the same VMID twice is one fence, two
 * different ones before the hart serves make it fence them all. */
static void test_rfence_vvma_slot(void)
{
	boot(false);
	hart_note_vmid(1, 4);
	hart_note_vmid(1, 4);
	(void)hart_post(1, HART_MSG_HFENCE_VVMA);
	fake_set_hart(1);
	hart_serve(1);
	CHECK_EQ(fake_hart_state(1)->hfence_vvma_vmid, 1);
	CHECK_EQ(fake_hart_state(1)->last_vmid, 4);
	fake_set_hart(0);
	hart_note_vmid(1, 4);
	hart_note_vmid(1, 6);
	(void)hart_post(1, HART_MSG_HFENCE_VVMA);
	fake_set_hart(1);
	hart_serve(1);
	CHECK_EQ(fake_hart_state(1)->hfence_vvma_vmid, 1 + FAKE_VMIDS);
	/* Served: the slot is empty again. */
	(void)hart_post(1, HART_MSG_HFENCE_VVMA);
	hart_serve(1);
	CHECK_EQ(fake_hart_state(1)->hfence_vvma_vmid, 1 + FAKE_VMIDS);
}

/* Where a hart lacks H, S-mode is not offered it: NOT_SUPPORTED, and no
 * fence of any kind. */
static void test_rfence_hfence_without_h(void)
{
	test_boot("virt-sparse", 0);
	CHECK(!hart_hyp());
	for (unsigned long fid = SBI_RFENCE_HFENCE_GVMA_VMID;
	     fid <= SBI_RFENCE_HFENCE_VVMA; fid++) {
		CHECK_EQ(ecall(SBI_EXT_RFENCE, fid, 1, 0, 0, 0, 0).error,
			 SBI_ERR_NOT_SUPPORTED);
	}
	CHECK_EQ(fake_hart_state(0)->hfence_gvma[0] +
		     fake_hart_state(0)->hfence_vvma[0],
		 0);
	test_boot("virt-4hart", 0);
	CHECK(hart_hyp());
}

static void test_rfence_bad_range(void)
{
	boot(true);
	CHECK_EQ(
	    rfence(SBI_RFENCE_SFENCE_VMA, 0x7, 0, -0x1000UL, 0x2000, 0).error,
	    SBI_ERR_INVALID_ADDRESS);
	CHECK_EQ(rfence(SBI_RFENCE_SFENCE_VMA_ASID, 0, -1UL, -1UL, 2, 1).error,
		 SBI_ERR_INVALID_ADDRESS);
	CHECK_EQ(fake_mmio_count(), 0);
	for (unsigned int h = 0; h < 4; h++) {
		CHECK_EQ(fake_hart_state(h)->sfence_all, 0);
		CHECK_EQ(fake_hart_state(h)->sfence_va, 0);
		CHECK_EQ(fake_hart_state(h)->sfence_va_asid, 0);
	}
	/* A bad mask is reported before the range. */
	CHECK_EQ(
	    rfence(SBI_RFENCE_SFENCE_VMA, 1UL << 4, 0, -0x1000UL, 0x2000, 0)
		.error,
	    SBI_ERR_INVALID_PARAM);
	CHECK_EQ(rfence(SBI_RFENCE_FENCE_I, 1UL << 4, 0, 0, 0, 0).error,
		 SBI_ERR_INVALID_PARAM);
	CHECK_EQ(fake_hart_state(0)->fence_i, 0);
}

static void test_rfence_from_other_hart(void)
{
	boot(true);
	fake_set_hart(2);
	CHECK_EQ(rfence(SBI_RFENCE_FENCE_I, 0x3, 1, 0, 0, 0).error,
		 SBI_SUCCESS);
	/* Hart 2 fenced itself locally, hart 1 through its mailbox. */
	CHECK_EQ(fake_hart_state(2)->fence_i, 1);
	CHECK_EQ(fake_hart_state(1)->fence_i, 1);
	CHECK_EQ(fake_hart_state(0)->fence_i, 0);
	CHECK_EQ(fake_mmio_writes_to(TEST_MSIP(2)), 0);
	CHECK_EQ(fake_mmio_writes_of(TEST_MSIP(1), 1), 1);
}

int main(void)
{
	RUN(test_ipi_all);
	RUN(test_ipi_delivered);
	RUN(test_ipi_base_offset);
	RUN(test_ipi_invalid_harts);
	RUN(test_ipi_base_overflow);
	RUN(test_ipi_stopped_and_empty);
	RUN(test_rfence_fence_i_all);
	RUN(test_rfence_local_only);
	RUN(test_rfence_full_flush);
	RUN(test_rfence_top_of_address_space);
	RUN(test_rfence_remote_sfence);
	RUN(test_rfence_stopped_skipped);
	RUN(test_rfence_hfence_local);
	RUN(test_rfence_hfence_remote);
	RUN(test_rfence_vvma_slot);
	RUN(test_rfence_hfence_without_h);
	RUN(test_rfence_bad_range);
	RUN(test_rfence_from_other_hart);
	return test_finish();
}
