// SPDX-License-Identifier: BSD-2-Clause
/* TIME set_timer with and without Sstc. */
#include "harness.h"
#include "support.h"

static struct sbi_ret set_timer(unsigned long when)
{
	return ecall(SBI_EXT_TIME, SBI_TIME_SET_TIMER, when, 0, 0, 0, 0);
}

static void test_sstc(void)
{
	struct fake_hart_state *h;

	test_boot("virt-4hart", 0); /* every hart has Sstc */
	CHECK(plat.harts[2].isa & PLAT_ISA_SSTC);
	fake_set_hart(2);
	h = fake_hart_state(2);
	CHECK_EQ(set_timer(0x123456789abUL).error, SBI_SUCCESS);
	CHECK_EQ(h->stimecmp, 0x123456789abUL);
	CHECK_EQ(h->stimecmp_writes, 1);
	CHECK_EQ(fake_hart_state(0)->stimecmp_writes, 0);
	/* mtimecmp and mie are left alone. */
	CHECK_EQ(fake_mmio_count(), 0);
	CHECK_EQ(h->mtimer_calls, 0);
	CHECK_EQ(set_timer(-1UL).error, SBI_SUCCESS);
	CHECK_EQ(h->stimecmp, -1UL);
}

static void test_no_sstc(void)
{
	struct fake_hart_state *h;
	uint64_t v = 0;

	test_boot("virt-8hart", 0); /* no Sstc */
	CHECK(!(plat.harts[5].isa & PLAT_ISA_SSTC));
	fake_set_hart(5);
	h = fake_hart_state(5);
	h->stip = true; /* a previous deadline has fired */
	CHECK_EQ(set_timer(0xabcdef012345UL).error, SBI_SUCCESS);
	CHECK_EQ(fake_mmio_count(), 1);
	CHECK(fake_mmio_last(TEST_MTIMECMP(5), &v));
	CHECK_EQ(v, 0xabcdef012345UL);
	CHECK_EQ(fake_mmio_log(0)->width, 8);
	CHECK(!h->stip);
	CHECK_EQ(h->stip_clear, 1);
	CHECK(h->mtie);
	CHECK_EQ(h->stimecmp_writes, 0);
	/* Nothing on other harts. */
	CHECK_EQ(fake_hart_state(0)->stip_clear, 0);
	CHECK(!fake_hart_state(0)->mtie);
}

static void test_unknown_fid(void)
{
	test_boot("virt-8hart", 0);
	CHECK_EQ(ecall(SBI_EXT_TIME, 1, 100, 0, 0, 0, 0).error,
		 SBI_ERR_NOT_SUPPORTED);
	CHECK_EQ(fake_mmio_count(), 0);
	CHECK_EQ(fake_hart_state(0)->mtimer_calls, 0);
}

int main(void)
{
	RUN(test_sstc);
	RUN(test_no_sstc);
	RUN(test_unknown_fid);
	return test_finish();
}
