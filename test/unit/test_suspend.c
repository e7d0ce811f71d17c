// SPDX-License-Identifier: BSD-2-Clause
/* HSM hart_suspend, the wake-up wait, and SUSP system suspend. */
#include "harness.h"
#include "hsm.h"
#include "support.h"

static struct sbi_ret suspend(unsigned long type, unsigned long addr,
			      unsigned long arg)
{
	return ecall(SBI_EXT_HSM, SBI_HSM_HART_SUSPEND, type, addr, arg, 0, 0);
}

static struct sbi_ret sys_suspend(unsigned long fid, unsigned long type,
				  unsigned long addr, unsigned long arg)
{
	return ecall(SBI_EXT_SUSP, fid, type, addr, arg, 0, 0);
}

/* The 4-hart tree with hart 1 started too; hart 1 is current. */
static void boot_two_running(void)
{
	unsigned long addr, arg;

	test_boot("virt-4hart", 0);
	CHECK_EQ(hsm_start(1, TEST_OS_ADDR, 0), SBI_SUCCESS);
	CHECK(hsm_take_start(1, &addr, &arg));
	fake_mmio_clear_log();
	fake_set_hart(1);
}

static void test_bad_type(void)
{
	static const unsigned long bad[] = {
	    1,
	    0x7fffffff,
	    0x80000001,
	    0xffffffff,
	    (1UL << 32) | 1,
	    0xffffffff80000001UL, /* upper bits ignored (test_sbi_params) */
	};

	boot_two_running();
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_EQ(suspend(bad[i], TEST_OS_ADDR, 0).error,
			 SBI_ERR_INVALID_PARAM);
		CHECK_EQ(test_last_call.action, SBI_ACT_NONE);
	}
	CHECK_EQ(hsm_state(1), SBI_HSM_STATE_STARTED);
}

static void test_bad_resume_address(void)
{
	boot_two_running();
	CHECK_EQ(suspend(HSM_SUSPEND_NON_RETENTIVE, TEST_MON_BASE, 0).error,
		 SBI_ERR_INVALID_ADDRESS);
	CHECK_EQ(suspend(HSM_SUSPEND_NON_RETENTIVE, 0x1000, 0).error,
		 SBI_ERR_INVALID_ADDRESS);
	CHECK_EQ(test_last_call.action, SBI_ACT_NONE);
	CHECK_EQ(hsm_state(1), SBI_HSM_STATE_STARTED);
	/* A retentive suspend returns to the caller: the address is unused. */
	CHECK_EQ(suspend(HSM_SUSPEND_RETENTIVE, 0x1000, 0).error, SBI_SUCCESS);
}

static void raise_ssip(unsigned int hart)
{
	fake_hart_state(hart)->ssip = true;
}

static void test_retentive(void)
{
	boot_two_running();
	CHECK_EQ(suspend(HSM_SUSPEND_RETENTIVE, 0, 0).error, SBI_SUCCESS);
	CHECK_EQ(test_last_call.action, SBI_ACT_SUSPEND);
	fake_set_hart(0);
	CHECK_EQ(ecall(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, 1, 0, 0, 0, 0)
			 .value,
		 SBI_HSM_STATE_SUSPENDED);
	/* A suspended hart cannot be started or stop itself. */
	CHECK_EQ(hsm_start(1, TEST_OS_ADDR, 0), SBI_ERR_ALREADY_AVAILABLE);
	CHECK_EQ(hsm_stop(1), SBI_ERR_FAILED);

	fake_set_hart(1);
	fake_set_wfi_hook(raise_ssip);
	hsm_wait_wakeup(1);
	CHECK_EQ(fake_hart_state(1)->wfi, 1);
	CHECK_EQ(hsm_state(1), SBI_HSM_STATE_STARTED);
}

static void test_wake_by_ipi(void)
{
	boot_two_running();
	CHECK_EQ(suspend(HSM_SUSPEND_RETENTIVE, 0, 0).error, SBI_SUCCESS);
	/* Hart 0 sends an IPI: the suspended hart is interrupted. */
	fake_set_hart(0);
	CHECK_EQ(ecall(SBI_EXT_IPI, SBI_IPI_SEND_IPI, 0x2, 0, 0, 0, 0).error,
		 SBI_SUCCESS);
	CHECK_EQ(fake_mmio_writes_of(TEST_MSIP(1), 1), 1);
	/* Hart 1 wakes, serves its mailbox (clearing MSIP) and is STARTED. */
	fake_set_hart(1);
	hsm_wait_wakeup(1);
	CHECK_EQ(fake_hart_state(1)->ssip_set, 1);
	CHECK_EQ(fake_mmio_writes_of(TEST_MSIP(1), 0), 1);
	CHECK_EQ(hsm_state(1), SBI_HSM_STATE_STARTED);
}

static void test_wake_by_rfence(void)
{
	boot_two_running();
	CHECK_EQ(suspend(HSM_SUSPEND_RETENTIVE, 0, 0).error, SBI_SUCCESS);
	/* A fence for a suspended hart is delivered (it still has TLB
	 * state), which needs the target to answer. */
	fake_set_delivery(true);
	fake_set_hart(0);
	CHECK_EQ(ecall(SBI_EXT_RFENCE, SBI_RFENCE_FENCE_I, 0x2, 0, 0, 0, 0)
			 .error,
		 SBI_SUCCESS);
	CHECK_EQ(fake_hart_state(1)->fence_i, 1);
	/* A fence is not an S interrupt: the hart stays suspended. */
	CHECK_EQ(hsm_state(1), SBI_HSM_STATE_SUSPENDED);
}

static void fire_mtimer(unsigned int hart)
{
	fake_hart_state(hart)->mtip = true;
}

static void test_wake_by_mtimer(void)
{
	struct fake_hart_state *h;

	test_boot("virt-8hart", 0); /* no Sstc */
	h = fake_hart_state(0);
	CHECK_EQ(ecall(SBI_EXT_TIME, SBI_TIME_SET_TIMER, 1000, 0, 0, 0, 0)
			 .error,
		 SBI_SUCCESS);
	CHECK(h->mtie);
	CHECK_EQ(suspend(HSM_SUSPEND_RETENTIVE, 0, 0).error, SBI_SUCCESS);
	fake_set_wfi_hook(fire_mtimer);
	hsm_wait_wakeup(0);
	/* The M timer became the S timer interrupt, and was masked. */
	CHECK(h->stip);
	CHECK(!h->mtie);
	CHECK_EQ(hsm_state(0), SBI_HSM_STATE_STARTED);
}

static void test_non_retentive(void)
{
	unsigned long addr = 0, arg = 0;

	boot_two_running();
	CHECK_EQ(suspend(HSM_SUSPEND_NON_RETENTIVE, TEST_OS_ADDR + 0x100, 77)
			 .error,
		 SBI_SUCCESS);
	CHECK_EQ(test_last_call.action, SBI_ACT_RESUME_AT);
	CHECK_EQ(hsm_state(1), SBI_HSM_STATE_SUSPENDED);
	fake_set_wfi_hook(raise_ssip);
	hsm_wait_wakeup(1);
	hsm_resume_point(1, &addr, &arg);
	CHECK_EQ(addr, TEST_OS_ADDR + 0x100);
	CHECK_EQ(arg, 77);
	CHECK_EQ(hsm_state(1), SBI_HSM_STATE_STARTED);
}

static void test_system_suspend(void)
{
	unsigned long addr = 0, arg = 0;

	/* Only allowed with every other hart STOPPED. */
	boot_two_running();
	CHECK_EQ(sys_suspend(0, 0, TEST_OS_ADDR, 1).error, SBI_ERR_DENIED);
	CHECK_EQ(test_last_call.action, SBI_ACT_NONE);
	CHECK_EQ(hsm_state(1), SBI_HSM_STATE_STARTED);

	test_boot("virt-4hart", 0);
	CHECK_EQ(sys_suspend(0, 1, TEST_OS_ADDR, 1).error,
		 SBI_ERR_INVALID_PARAM);
	CHECK_EQ(sys_suspend(0, 0x80000000, TEST_OS_ADDR, 1).error,
		 SBI_ERR_INVALID_PARAM);
	CHECK_EQ(sys_suspend(0, 0, TEST_MON_BASE, 1).error,
		 SBI_ERR_INVALID_ADDRESS);
	CHECK_EQ(sys_suspend(1, 0, TEST_OS_ADDR, 1).error,
		 SBI_ERR_NOT_SUPPORTED);
	CHECK_EQ(hsm_state(0), SBI_HSM_STATE_STARTED);

	CHECK_EQ(sys_suspend(0, 0, TEST_OS_ADDR + 0x40, 9).error, SBI_SUCCESS);
	CHECK_EQ(test_last_call.action, SBI_ACT_RESUME_AT);
	CHECK_EQ(hsm_state(0), SBI_HSM_STATE_SUSPENDED);
	hsm_resume_point(0, &addr, &arg);
	CHECK_EQ(addr, TEST_OS_ADDR + 0x40);
	CHECK_EQ(arg, 9);
}

int main(void)
{
	RUN(test_bad_type);
	RUN(test_bad_resume_address);
	RUN(test_retentive);
	RUN(test_wake_by_ipi);
	RUN(test_wake_by_rfence);
	RUN(test_wake_by_mtimer);
	RUN(test_non_retentive);
	RUN(test_system_suspend);
	return test_finish();
}
