// SPDX-License-Identifier: BSD-2-Clause
/* The HSM state machine, through the SBI calls and monitor/hsm directly. */
#include "harness.h"
#include "hsm.h"
#include "support.h"

static struct sbi_ret start(unsigned long h, unsigned long addr,
			    unsigned long arg)
{
	return ecall(SBI_EXT_HSM, SBI_HSM_HART_START, h, addr, arg, 0, 0);
}

static struct sbi_ret status(unsigned long h)
{
	return ecall(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, h, 0, 0, 0, 0);
}

static struct sbi_ret stop(void)
{
	return ecall(SBI_EXT_HSM, SBI_HSM_HART_STOP, 0, 0, 0, 0, 0);
}

static void test_init(void)
{
	struct sbi_ret r;

	test_boot("virt-4hart", 0);
	r = status(0);
	CHECK_EQ(r.error, SBI_SUCCESS);
	CHECK_EQ(r.value, SBI_HSM_STATE_STARTED);
	for (unsigned long h = 1; h < 4; h++) {
		r = status(h);
		CHECK_EQ(r.error, SBI_SUCCESS);
		CHECK_EQ(r.value, SBI_HSM_STATE_STOPPED);
	}
	CHECK_EQ(status(4).error, SBI_ERR_INVALID_PARAM);
	CHECK_EQ(status(1000).error, SBI_ERR_INVALID_PARAM);
	CHECK_EQ(status(-1UL).error, SBI_ERR_INVALID_PARAM);
	CHECK_EQ(hsm_state(5), -1);
	CHECK(hsm_running(0));
	CHECK(!hsm_running(1));
	CHECK(!hsm_running(7));
}

static void test_init_other_boot_hart(void)
{
	test_boot("virt-4hart", 2);
	CHECK_EQ(hsm_state(2), SBI_HSM_STATE_STARTED);
	CHECK_EQ(hsm_state(0), SBI_HSM_STATE_STOPPED);
	CHECK_EQ(hsm_state(1), SBI_HSM_STATE_STOPPED);
	CHECK_EQ(hsm_state(3), SBI_HSM_STATE_STOPPED);
}

static void test_start(void)
{
	struct sbi_ret r;

	test_boot("virt-4hart", 0);
	r = start(1, TEST_OS_ADDR, 0x1234);
	CHECK_EQ(r.error, SBI_SUCCESS);
	CHECK_EQ(status(1).value, SBI_HSM_STATE_START_PENDING);
	CHECK_EQ(fake_mmio_writes_of(TEST_MSIP(1), 1), 1);
	CHECK_EQ(fake_mmio_count(), 1);
	CHECK(!hsm_running(1));

	/* Again while pending, and for the running boot hart. */
	CHECK_EQ(start(1, TEST_OS_ADDR, 0).error, SBI_ERR_ALREADY_AVAILABLE);
	CHECK_EQ(start(0, TEST_OS_ADDR, 0).error, SBI_ERR_ALREADY_AVAILABLE);
	CHECK_EQ(status(1).value, SBI_HSM_STATE_START_PENDING);
	CHECK_EQ(fake_mmio_count(), 1);
}

static void test_start_bad_address(void)
{
	static const unsigned long bad[] = {
		0,
		0x1000,
		FAKE_RAM_BASE - 4,
		FAKE_RAM_BASE + FAKE_RAM_SIZE,
		FAKE_RAM_BASE + FAKE_RAM_SIZE - 2, /* 4 bytes must fit */
		TEST_MON_BASE,
		TEST_MON_BASE + 0x100,
		TEST_MON_BASE + TEST_MON_SIZE - 2,
		-2UL,
	};

	test_boot("virt-4hart", 0);
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_EQ(start(2, bad[i], 0).error, SBI_ERR_INVALID_ADDRESS);
		CHECK_EQ(status(2).value, SBI_HSM_STATE_STOPPED);
	}
	CHECK_EQ(fake_mmio_count(), 0);
	/* The first byte after the monitor is the OS's. */
	CHECK_EQ(start(2, TEST_MON_BASE + TEST_MON_SIZE, 0).error,
		 SBI_SUCCESS);
	CHECK_EQ(start(3, FAKE_RAM_BASE + FAKE_RAM_SIZE - 4, 0).error,
		 SBI_SUCCESS);
}

static void test_start_invalid_hart(void)
{
	test_boot("virt-4hart", 0);
	CHECK_EQ(start(4, TEST_OS_ADDR, 0).error, SBI_ERR_INVALID_PARAM);
	CHECK_EQ(start(1000, TEST_OS_ADDR, 0).error,
		 SBI_ERR_INVALID_PARAM);
	CHECK_EQ(start(-1UL, TEST_OS_ADDR, 0).error, SBI_ERR_INVALID_PARAM);
	/* Hartid is checked before the address. */
	CHECK_EQ(start(4, 0, 0).error, SBI_ERR_INVALID_PARAM);
	CHECK_EQ(fake_mmio_count(), 0);
}

static void test_take_start(void)
{
	unsigned long addr = 0, arg = 0;

	test_boot("virt-4hart", 0);
	CHECK(!hsm_take_start(1, &addr, &arg)); /* nothing pending */
	CHECK_EQ(start(1, TEST_OS_ADDR + 0x40, 0xfeedf00d).error, SBI_SUCCESS);
	CHECK(hsm_take_start(1, &addr, &arg));
	CHECK_EQ(addr, TEST_OS_ADDR + 0x40);
	CHECK_EQ(arg, 0xfeedf00d);
	CHECK_EQ(status(1).value, SBI_HSM_STATE_STARTED);
	CHECK(hsm_running(1));
	CHECK(!hsm_take_start(1, &addr, &arg)); /* taken once only */
	CHECK_EQ(start(1, TEST_OS_ADDR, 0).error, SBI_ERR_ALREADY_AVAILABLE);
}

static void test_stop(void)
{
	unsigned long addr, arg;
	struct sbi_ret r;

	test_boot("virt-4hart", 0);
	CHECK_EQ(start(3, TEST_OS_ADDR, 0).error, SBI_SUCCESS);
	CHECK(hsm_take_start(3, &addr, &arg));

	fake_set_hart(3);
	r = stop();
	CHECK_EQ(r.error, SBI_SUCCESS);
	CHECK_EQ(test_last_call.action, SBI_ACT_STOP_HART);
	CHECK_EQ(status(3).value, SBI_HSM_STATE_STOP_PENDING);
	CHECK(hsm_running(3)); /* still on its S-mode stack */
	hsm_stopped(3);
	CHECK_EQ(status(3).value, SBI_HSM_STATE_STOPPED);
	CHECK(!hsm_running(3));

	/* A stopped hart can be started again. */
	fake_set_hart(0);
	CHECK_EQ(start(3, TEST_OS_ADDR + 8, 5).error, SBI_SUCCESS);
	CHECK(hsm_take_start(3, &addr, &arg));
	CHECK_EQ(addr, TEST_OS_ADDR + 8);
	CHECK_EQ(arg, 5);
}

static void test_stop_not_started(void)
{
	test_boot("virt-4hart", 0);
	/* Hart 2 is STOPPED (a stopped hart cannot really call, but the
	 * state machine must refuse). */
	fake_set_hart(2);
	CHECK_EQ(stop().error, SBI_ERR_FAILED);
	CHECK_EQ(test_last_call.action, SBI_ACT_NONE);
	CHECK_EQ(hsm_state(2), SBI_HSM_STATE_STOPPED);

	/* START_PENDING is not STARTED either. */
	fake_set_hart(0);
	CHECK_EQ(start(2, TEST_OS_ADDR, 0).error, SBI_SUCCESS);
	CHECK_EQ(hsm_stop(2), SBI_ERR_FAILED);
	CHECK_EQ(hsm_state(2), SBI_HSM_STATE_START_PENDING);

	/* Stopping twice: the second call finds STOP_PENDING. */
	CHECK_EQ(stop().error, SBI_SUCCESS);
	CHECK_EQ(stop().error, SBI_ERR_FAILED);
	CHECK_EQ(test_last_call.action, SBI_ACT_NONE);
	/* hsm_stopped only leaves STOP_PENDING. */
	hsm_stopped(2);
	CHECK_EQ(hsm_state(2), SBI_HSM_STATE_START_PENDING);
}

int main(void)
{
	RUN(test_init);
	RUN(test_init_other_boot_hart);
	RUN(test_start);
	RUN(test_start_bad_address);
	RUN(test_start_invalid_hart);
	RUN(test_take_start);
	RUN(test_stop);
	RUN(test_stop_not_started);
	return test_finish();
}
