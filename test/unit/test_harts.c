// SPDX-License-Identifier: BSD-2-Clause
/*
 * Hartids that are sparse, large and listed out of order, on two CLINTs
 * (dts/test/virt-sparse.dts): the monitor's hart table, and every SBI
 * argument that names a hart by hartid (HSM, IPI and RFENCE hart masks,
 * SSE's hart_id and PREFERRED_HART) against it. And eight sockets, a
 * CLINT each (dts/test/virt-8socket.dts).
 */
#include "harness.h"
#include "hart.h"
#include "hsm.h"
#include "sse.h"
#include "support.h"

/* Sorted hartids, so indices 0-3; with each hart's CLINT registers. */
static const struct {
	unsigned long hartid;
	uint64_t msip, mtimecmp;
} want[] = {
    {0, 0x2000004, 0x2004008},
    {64, 0x2010000, 0x2014000},
    {1000, 0x2000000, 0x2004000},
    {0xffff0000, 0x2010004, 0x2014008},
};
#define ATTRS (TEST_OS_ADDR + 0x2000)

static struct sbi_ret ipi(unsigned long mask, unsigned long base)
{
	return ecall(SBI_EXT_IPI, SBI_IPI_SEND_IPI, mask, base, 0, 0, 0);
}

static struct sbi_ret status(unsigned long hartid)
{
	return ecall(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, hartid, 0, 0, 0, 0);
}

/* Boot on hartid 0 and start the other three by hartid. */
static void boot(void)
{
	unsigned long addr, arg;

	test_boot("virt-sparse", 0);
	fake_set_delivery(true);
	for (unsigned int h = 1; h < 4; h++) {
		CHECK_EQ(ecall(SBI_EXT_HSM, SBI_HSM_HART_START, want[h].hartid,
			       TEST_OS_ADDR, h, 0, 0)
			     .error,
			 SBI_SUCCESS);
		CHECK(hsm_take_start(h, &addr, &arg));
		CHECK_EQ(arg, h);
	}
	fake_set_delivery(false);
	fake_mmio_clear_log();
}

static void test_table(void)
{
	test_boot("virt-sparse", 0);
	CHECK_EQ(hart_count(), 4);
	for (unsigned int h = 0; h < 4; h++) {
		CHECK_EQ(plat.harts[h].hartid, want[h].hartid);
		CHECK_EQ(plat.harts[h].msip, want[h].msip);
		CHECK_EQ(plat.harts[h].mtimecmp, want[h].mtimecmp);
		CHECK_EQ(hart_index(want[h].hartid), h);
		CHECK_EQ(hart_id(h), want[h].hartid);
	}
	CHECK_EQ(hart_index(1), -1);
	CHECK_EQ(hart_index(63), -1);
	CHECK_EQ(hart_index(65), -1);
	CHECK_EQ(hart_index(0xffffffff), -1);
	CHECK_EQ(hart_index(-1UL), -1);
	CHECK(!hart_exists(4));
}

static void test_hsm_by_hartid(void)
{
	test_boot("virt-sparse", 0);
	CHECK_EQ(status(0).value, SBI_HSM_STATE_STARTED);
	CHECK_EQ(status(1000).error, SBI_SUCCESS);
	CHECK_EQ(status(1000).value, SBI_HSM_STATE_STOPPED);
	/* Index 2 is not hartid 2. */
	CHECK_EQ(status(2).error, SBI_ERR_INVALID_PARAM);
	CHECK_EQ(status(0xffff0000).value, SBI_HSM_STATE_STOPPED);
	CHECK_EQ(
	    ecall(SBI_EXT_HSM, SBI_HSM_HART_START, 3, TEST_OS_ADDR, 0, 0, 0)
		.error,
	    SBI_ERR_INVALID_PARAM);
	CHECK_EQ(hsm_state(3), SBI_HSM_STATE_STOPPED);
	boot();
	CHECK_EQ(status(1000).value, SBI_HSM_STATE_STARTED);
	CHECK_EQ(status(0xffff0000).value, SBI_HSM_STATE_STARTED);
}

/* Hart masks name hartids base + i, anywhere in the hartid space. */
static void test_ipi_masks(void)
{
	boot();
	CHECK_EQ(ipi(0x1, 1000).error, SBI_SUCCESS);
	CHECK_EQ(fake_mmio_writes_of(want[2].msip, 1), 1);
	CHECK_EQ(fake_mmio_count(), 1);
	fake_mmio_clear_log();
	CHECK_EQ(ipi(0x2, 999).error, SBI_SUCCESS);
	CHECK_EQ(fake_mmio_writes_of(want[2].msip, 1), 1);
	CHECK_EQ(ipi(0x1, 64).error, SBI_SUCCESS);
	CHECK_EQ(fake_mmio_writes_of(want[1].msip, 1), 1);
	/* Bit 63 of a mask based 63 below the top hartid. */
	CHECK_EQ(ipi(1UL << 63, 0xffff0000 - 63).error, SBI_SUCCESS);
	CHECK_EQ(fake_mmio_writes_of(want[3].msip, 1), 1);
	CHECK_EQ(fake_mmio_count(), 3);
	/* One absent hart refuses the whole call, before anything. */
	fake_mmio_clear_log();
	CHECK_EQ(ipi(0x3, 999).error, SBI_ERR_INVALID_PARAM);
	CHECK_EQ(ipi(1UL << 63 | 1, 0xffff0000 - 63).error,
		 SBI_ERR_INVALID_PARAM);
	CHECK_EQ(ipi(0x3, 0).error, SBI_ERR_INVALID_PARAM);
	CHECK_EQ(ipi(0x2, -2UL).error, SBI_ERR_INVALID_PARAM);
	CHECK_EQ(fake_mmio_count(), 0);
	/* base -1: every hart but the caller's own MSIP. */
	CHECK_EQ(ipi(0, -1UL).error, SBI_SUCCESS);
	for (unsigned int h = 1; h < 4; h++) {
		CHECK_EQ(fake_mmio_writes_of(want[h].msip, 1), 1);
	}
	CHECK_EQ(fake_mmio_count(), 3);
	CHECK_EQ(fake_hart_state(0)->ssip_set, 1);
}

static void test_rfence_masks(void)
{
	boot();
	fake_set_delivery(true);
	for (unsigned int h = 0; h < 4; h++) {
		*fake_hart_state(h) = (struct fake_hart_state){0};
	}
	CHECK_EQ(
	    ecall(SBI_EXT_RFENCE, SBI_RFENCE_FENCE_I, 0x1, 64, 0, 0, 0).error,
	    SBI_SUCCESS);
	CHECK_EQ(fake_hart_state(1)->fence_i, 1);
	CHECK_EQ(fake_hart_state(0)->fence_i + fake_hart_state(2)->fence_i +
		     fake_hart_state(3)->fence_i,
		 0);
	CHECK_EQ(
	    ecall(SBI_EXT_RFENCE, SBI_RFENCE_SFENCE_VMA, 0, -1UL, 0, -1UL, 0)
		.error,
	    SBI_SUCCESS);
	for (unsigned int h = 1; h < 4; h++) {
		CHECK_EQ(fake_hart_state(h)->sfence_all, 1);
	}
	CHECK_EQ(
	    ecall(SBI_EXT_RFENCE, SBI_RFENCE_FENCE_I, 0x1, 65, 0, 0, 0).error,
	    SBI_ERR_INVALID_PARAM);
	fake_set_delivery(false);
}

/* SSE: PREFERRED_HART and inject's hart_id are hartids too. */
static void test_sse_hartids(void)
{
	unsigned long *v = fake_ram(ATTRS, 8);

	boot();
	CHECK_EQ(
	    ecall(SBI_EXT_SSE, 0, SSE_EVENT_GLOBAL_SW, 3, 1, ATTRS, 0).error,
	    SBI_SUCCESS);
	CHECK_EQ(v[0], 0); /* the boot hart's hartid */
	v[0] = 1000;
	CHECK_EQ(
	    ecall(SBI_EXT_SSE, 1, SSE_EVENT_GLOBAL_SW, 3, 1, ATTRS, 0).error,
	    SBI_SUCCESS);
	v[0] = 0;
	CHECK_EQ(
	    ecall(SBI_EXT_SSE, 0, SSE_EVENT_GLOBAL_SW, 3, 1, ATTRS, 0).error,
	    SBI_SUCCESS);
	CHECK_EQ(v[0], 1000);
	v[0] = 2; /* an index, not a hartid */
	CHECK_EQ(
	    ecall(SBI_EXT_SSE, 1, SSE_EVENT_GLOBAL_SW, 3, 1, ATTRS, 0).error,
	    SBI_ERR_INVALID_PARAM);
	/* Local injection into hartid 0xffff0000 (index 3). */
	fake_set_hart(3);
	CHECK_EQ(
	    ecall(SBI_EXT_SSE, 2, SSE_EVENT_LOCAL_SW, TEST_OS_ADDR, 0, 0, 0)
		.error,
	    SBI_SUCCESS);
	CHECK_EQ(ecall(SBI_EXT_SSE, 4, SSE_EVENT_LOCAL_SW, 0, 0, 0, 0).error,
		 SBI_SUCCESS);
	fake_set_hart(0);
	fake_mmio_clear_log();
	CHECK_EQ(ecall(SBI_EXT_SSE, 7, SSE_EVENT_LOCAL_SW, 3, 0, 0, 0).error,
		 SBI_ERR_INVALID_PARAM);
	CHECK_EQ(fake_mmio_count(), 0);
	CHECK_EQ(ecall(SBI_EXT_SSE, 7, SSE_EVENT_LOCAL_SW, 0xffff0000, 0, 0, 0)
		     .error,
		 SBI_SUCCESS);
	CHECK_EQ(fake_mmio_writes_of(want[3].msip, 1), 1);
	CHECK(sse_maybe_pending(3));
}

/* Each hart's IPI goes to its own socket's CLINT. */
static void test_eight_sockets(void)
{
	unsigned long addr, arg;

	test_boot("virt-8socket", 0);
	CHECK_EQ(hart_count(), 8);
	fake_set_delivery(true);
	for (unsigned int h = 0; h < 8; h++) {
		uint64_t clint = 0x2000000 + 0x10000ULL * h;

		CHECK_EQ(plat.harts[h].msip, clint);
		CHECK_EQ(plat.harts[h].mtimecmp, clint + 0x4000);
		/* Every socket's block is one the monitor protects. */
		CHECK_EQ(plat.mdev[h].base, clint);
		CHECK_EQ(plat.mdev[h].size, 0x10000);
		if (h) {
			CHECK_EQ(hsm_start(h, TEST_OS_ADDR, 0), SBI_SUCCESS);
			CHECK(hsm_take_start(h, &addr, &arg));
		}
	}
	CHECK_EQ(plat.nmdev, 8);
	fake_set_delivery(false);
	fake_mmio_clear_log();
	CHECK_EQ(ipi(0xfe, 0).error, SBI_SUCCESS);
	for (unsigned int h = 1; h < 8; h++) {
		CHECK_EQ(fake_mmio_writes_of(0x2000000 + 0x10000ULL * h, 1), 1);
	}
	CHECK_EQ(fake_mmio_count(), 7);
}

int main(void)
{
	RUN(test_table);
	RUN(test_hsm_by_hartid);
	RUN(test_ipi_masks);
	RUN(test_rfence_masks);
	RUN(test_sse_hartids);
	RUN(test_eight_sockets);
	return test_finish();
}
