// SPDX-License-Identifier: BSD-2-Clause
/* FWFT from S-mode: every feature class and every error SBI v3.0 §18
 * lists for set and get. */
#include "payload.h"

#define FWFT SBI_EXT_FWFT

static struct sbiret set(unsigned long f, unsigned long v, unsigned long fl)
{
	return SBI3(FWFT, SBI_FWFT_SET, f, v, fl);
}

static struct sbiret get(unsigned long f)
{
	return SBI1(FWFT, SBI_FWFT_GET, f);
}

void suite_fwft(void)
{
	struct sbiret r;

	CHECK_EQ(SBI1(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, FWFT).value, 1,
		 "fwft/probe");
	r = get(SBI_FWFT_MISALIGNED_EXC_DELEG);
	CHECK(r.error == 0 && r.value == 1, "fwft/misaligned-delegated");
	CHECK_EQ(set(SBI_FWFT_MISALIGNED_EXC_DELEG, 0, 0).error, SBI_ERR_DENIED,
		 "fwft/misaligned-undelegate-denied");
	CHECK_EQ(set(SBI_FWFT_MISALIGNED_EXC_DELEG, 2, 0).error,
		 SBI_ERR_INVALID_PARAM, "fwft/misaligned-bad-value");
	CHECK_EQ(set(SBI_FWFT_MISALIGNED_EXC_DELEG, 1, 2).error,
		 SBI_ERR_INVALID_PARAM, "fwft/reserved-flag");
	CHECK_EQ(set(SBI_FWFT_MISALIGNED_EXC_DELEG, 1, 0).error, 0,
		 "fwft/misaligned-same-value");
	/* feature is uint32_t: these upper bits name feature 0. */
	CHECK_EQ(get(1UL << 40).error, 0, "fwft/feature-upper-bits-ignored");
	CHECK_EQ(set(SBI_FWFT_MISALIGNED_EXC_DELEG, 1, SBI_FWFT_SET_LOCK).error,
		 0, "fwft/lock");
	CHECK_EQ(set(SBI_FWFT_MISALIGNED_EXC_DELEG, 1, 0).error,
		 SBI_ERR_DENIED_LOCKED, "fwft/locked");
	CHECK_EQ(get(SBI_FWFT_MISALIGNED_EXC_DELEG).value, 1,
		 "fwft/get-when-locked");
	for (unsigned long f = SBI_FWFT_LANDING_PAD;
	     f <= SBI_FWFT_POINTER_MASKING_PMLEN; f++) {
		if (f == SBI_FWFT_PTE_AD_HW_UPDATING) {
			continue;
		}
		CHECK_EQ(set(f, 0, 0).error, SBI_ERR_NOT_SUPPORTED,
			 "fwft/set-not-supported");
		r = get(f);
		CHECK(r.error == SBI_ERR_NOT_SUPPORTED && r.value == 0,
		      "fwft/get-not-supported");
	}
	/* QEMU 7.2 has no Svadu; with it, 1 would be DENIED (fwft.h). */
	CHECK_EQ(set(SBI_FWFT_PTE_AD_HW_UPDATING, 1, 0).error,
		 SBI_ERR_NOT_SUPPORTED, "fwft/pte-ad-no-svadu");
	CHECK_EQ(get(SBI_FWFT_PTE_AD_HW_UPDATING).error, SBI_ERR_NOT_SUPPORTED,
		 "fwft/pte-ad-get-no-svadu");
	static const unsigned long denied[] = {
	    6, 0x3fffffff, 0x40000000, 0x80000000, 0xc0000000, 0xffffffff};
	for (unsigned int i = 0; i < sizeof(denied) / sizeof(denied[0]); i++) {
		CHECK_EQ(set(denied[i], 0, 0).error, SBI_ERR_DENIED,
			 "fwft/set-reserved-denied");
		CHECK_EQ(get(denied[i]).error, SBI_ERR_DENIED,
			 "fwft/get-reserved-denied");
	}
	CHECK_EQ(SBI0(FWFT, 2).error, SBI_ERR_NOT_SUPPORTED,
		 "fwft/unknown-fid");
}
