// SPDX-License-Identifier: BSD-2-Clause
/* SRST over the sifive,test finisher at TEST_FINISHER. */
#include "harness.h"
#include "support.h"

static struct sbi_ret reset(unsigned long type, unsigned long reason)
{
	return ecall(SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET, type, reason, 0, 0,
		     0);
}

static void test_reserved(void)
{
	test_boot("virt-1hart", 0);
	CHECK_EQ(plat.test_base, TEST_FINISHER);
	CHECK_EQ(reset(3, 0).error, SBI_ERR_INVALID_PARAM);
	CHECK_EQ(reset(0xEFFFFFFF, 0).error, SBI_ERR_INVALID_PARAM);
	CHECK_EQ(reset(0xF0000000, 0).error, SBI_ERR_INVALID_PARAM);
	CHECK_EQ(reset(SBI_SRST_TYPE_SHUTDOWN, 2).error,
		 SBI_ERR_INVALID_PARAM);
	CHECK_EQ(reset(SBI_SRST_TYPE_COLD_REBOOT, 0xF0000000).error,
		 SBI_ERR_INVALID_PARAM);
	CHECK_EQ(reset(-1UL, -1UL).error, SBI_ERR_INVALID_PARAM);
	CHECK_EQ(fake_mmio_count(), 0);
	CHECK_EQ(fake_console_len(), 0);
}

static void test_no_device(void)
{
	test_boot("virt-1hart", 0);
	plat.test_base = 0;
	CHECK_EQ(reset(SBI_SRST_TYPE_SHUTDOWN, 0).error,
		 SBI_ERR_NOT_SUPPORTED);
	CHECK_EQ(reset(SBI_SRST_TYPE_WARM_REBOOT, 1).error,
		 SBI_ERR_NOT_SUPPORTED);
	/* Reserved values are still reported as such. */
	CHECK_EQ(reset(3, 0).error, SBI_ERR_INVALID_PARAM);
	CHECK_EQ(fake_mmio_count(), 0);
}

/* One reset call; returns the single value written to the finisher. */
static uint64_t finisher_write(unsigned long type, unsigned long reason)
{
	const struct fake_mmio_write *w;

	fake_mmio_clear_log();
	/* The fake device does not stop the machine, so the call returns. */
	CHECK_EQ(reset(type, reason).error, SBI_ERR_FAILED);
	CHECK_EQ(fake_mmio_count(), 1);
	w = fake_mmio_log(0);
	if (!w) {
		return ~0ULL;
	}
	CHECK_EQ(w->addr, TEST_FINISHER);
	CHECK_EQ(w->width, 4);
	return w->val;
}

static void test_shutdown(void)
{
	test_boot("virt-1hart", 0);
	CHECK_EQ(finisher_write(SBI_SRST_TYPE_SHUTDOWN, SBI_SRST_REASON_NONE),
		 0x5555);
	CHECK_CONTAINS(fake_console_text(), "shutdown");
	CHECK_EQ(finisher_write(SBI_SRST_TYPE_SHUTDOWN,
				SBI_SRST_REASON_SYSFAIL),
		 (1 << 16) | 0x3333);
	CHECK_CONTAINS(fake_console_text(), "system failure");
}

static void test_reboot(void)
{
	test_boot("virt-1hart", 0);
	CHECK_EQ(finisher_write(SBI_SRST_TYPE_COLD_REBOOT, 0), 0x7777);
	CHECK_CONTAINS(fake_console_text(), "cold reboot");
	CHECK_EQ(finisher_write(SBI_SRST_TYPE_WARM_REBOOT, 0), 0x7777);
	CHECK_EQ(finisher_write(SBI_SRST_TYPE_WARM_REBOOT,
				SBI_SRST_REASON_SYSFAIL),
		 0x7777);
	CHECK_CONTAINS(fake_console_text(), "warm reboot");
}

static void test_message_names_hart(void)
{
	test_boot("virt-4hart", 0);
	fake_set_hart(3);
	reset(SBI_SRST_TYPE_SHUTDOWN, 0);
	CHECK_CONTAINS(fake_console_text(), "requested by hart 3\r\n");
}

int main(void)
{
	RUN(test_reserved);
	RUN(test_no_device);
	RUN(test_shutdown);
	RUN(test_reboot);
	RUN(test_message_names_hart);
	return test_finish();
}
