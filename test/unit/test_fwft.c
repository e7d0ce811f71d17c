// SPDX-License-Identifier: BSD-2-Clause
/* FWFT through sbi_call: per-hart values and locks, hart reset, and the
 * PTE_AD_HW_UPDATING policy on a hart with Svadu. */
#include "fwft.h"
#include "harness.h"
#include "support.h"

static struct sbi_ret set(unsigned long f, unsigned long v, unsigned long fl)
{
	return ecall(SBI_EXT_FWFT, SBI_FWFT_SET, f, v, fl, 0, 0);
}

static struct sbi_ret get(unsigned long f)
{
	return ecall(SBI_EXT_FWFT, SBI_FWFT_GET, f, 0, 0, 0, 0);
}

static void test_lock_is_per_hart(void)
{
	test_boot("virt-4hart", 0);
	CHECK_EQ(set(SBI_FWFT_MISALIGNED_EXC_DELEG, 1, SBI_FWFT_SET_LOCK).error,
		 SBI_SUCCESS);
	CHECK_EQ(set(SBI_FWFT_MISALIGNED_EXC_DELEG, 1, 0).error,
		 SBI_ERR_DENIED_LOCKED);
	fake_set_hart(1);
	CHECK_EQ(set(SBI_FWFT_MISALIGNED_EXC_DELEG, 1, 0).error, SBI_SUCCESS);
	/* A hart reset (HSM start) forgets the lock. */
	fake_set_hart(0);
	fwft_hart_reset(0);
	CHECK_EQ(set(SBI_FWFT_MISALIGNED_EXC_DELEG, 1, 0).error, SBI_SUCCESS);
}

static void test_refusals(void)
{
	struct sbi_ret r;

	test_boot("virt-4hart", 0);
	/* The order of the checks: feature, flags, lock, value. */
	CHECK_EQ(set(7, 5, 4).error, SBI_ERR_DENIED);
	CHECK_EQ(set(SBI_FWFT_SHADOW_STACK, 5, 4).error, SBI_ERR_NOT_SUPPORTED);
	CHECK_EQ(set(SBI_FWFT_MISALIGNED_EXC_DELEG, 5, 4).error,
		 SBI_ERR_INVALID_PARAM);
	CHECK_EQ(set(SBI_FWFT_MISALIGNED_EXC_DELEG, 5, 0).error,
		 SBI_ERR_INVALID_PARAM);
	CHECK_EQ(set(SBI_FWFT_MISALIGNED_EXC_DELEG, 0, 1).error,
		 SBI_ERR_DENIED);
	/* A refused LOCK locks nothing. */
	CHECK_EQ(set(SBI_FWFT_MISALIGNED_EXC_DELEG, 1, 0).error, SBI_SUCCESS);
	r = get(SBI_FWFT_DOUBLE_TRAP);
	CHECK_EQ(r.error, SBI_ERR_NOT_SUPPORTED);
	CHECK_EQ(r.value, 0);
}

static void test_pte_ad_with_svadu(void)
{
	test_boot("virt-4hart", 0);
	CHECK_EQ(get(SBI_FWFT_PTE_AD_HW_UPDATING).error, SBI_ERR_NOT_SUPPORTED);
	/* virt-1hart's hart names svadu (a newer QEMU's tree). */
	test_boot("virt-1hart", 0);
	CHECK(plat.harts[0].isa & PLAT_ISA_SVADU);
	CHECK_EQ(get(SBI_FWFT_PTE_AD_HW_UPDATING).value, 0);
	/* The walker may not write A/D into the read-only pool. */
	CHECK_EQ(set(SBI_FWFT_PTE_AD_HW_UPDATING, 1, 0).error, SBI_ERR_DENIED);
	CHECK_EQ(set(SBI_FWFT_PTE_AD_HW_UPDATING, 0, SBI_FWFT_SET_LOCK).error,
		 SBI_SUCCESS);
	CHECK_EQ(set(SBI_FWFT_PTE_AD_HW_UPDATING, 0, 0).error,
		 SBI_ERR_DENIED_LOCKED);
}

int main(void)
{
	RUN(test_lock_is_per_hart);
	RUN(test_refusals);
	RUN(test_pte_ad_with_svadu);
	return test_finish();
}
