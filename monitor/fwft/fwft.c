// SPDX-License-Identifier: BSD-2-Clause
/* Firmware features (fwft.h). */
#include <secmon/sbi.h>

#include "fwft.h"

#define FWFT_STANDARD_LAST SBI_FWFT_POINTER_MASKING_PMLEN

struct fwft_hart {
	uint8_t value[FWFT_STANDARD_LAST + 1];
	uint32_t locked; /* bit f: feature f was set with LOCK */
};

/* hart_count() entries, in the per-hart region (hart_area_layout). */
static struct fwft_hart *fwft_harts;

size_t fwft_hart_bytes(void)
{
	return sizeof(struct fwft_hart);
}

void fwft_attach(void *mem)
{
	fwft_harts = mem;
}

void fwft_hart_reset(unsigned long hart)
{
	struct fwft_hart *h = &fwft_harts[hart];

	*h = (struct fwft_hart){0};
	h->value[SBI_FWFT_MISALIGNED_EXC_DELEG] = 1;
}

/*
 * What this platform can do with a feature: SBI_SUCCESS if it has it,
 * else the error both set and get return for it. A feature the hart's
 * ISA cannot provide is NOT_SUPPORTED; reserved and platform-specific
 * ones are DENIED (§18.1, §18.2).
 */
static long feature_status(unsigned long hart, uint32_t feature)
{
	switch (feature) {
	case SBI_FWFT_MISALIGNED_EXC_DELEG:
		return SBI_SUCCESS;
	case SBI_FWFT_PTE_AD_HW_UPDATING:
		return plat.harts[hart].isa & PLAT_ISA_SVADU
			   ? SBI_SUCCESS
			   : SBI_ERR_NOT_SUPPORTED;
	case SBI_FWFT_LANDING_PAD:
	case SBI_FWFT_SHADOW_STACK:
	case SBI_FWFT_DOUBLE_TRAP:
	case SBI_FWFT_POINTER_MASKING_PMLEN:
		return SBI_ERR_NOT_SUPPORTED;
	default:
		return SBI_ERR_DENIED;
	}
}

/* The values this monitor accepts for a supported feature: the reset
 * value, and (misaligned) nothing else either; see fwft.h for why. */
static long value_status(uint32_t feature, unsigned long value)
{
	if (value > 1) {
		return SBI_ERR_INVALID_PARAM;
	}
	if (feature == SBI_FWFT_MISALIGNED_EXC_DELEG) {
		return value ? SBI_SUCCESS : SBI_ERR_DENIED;
	}
	return value ? SBI_ERR_DENIED : SBI_SUCCESS;
}

long fwft_set(unsigned long hart, uint32_t feature, unsigned long value,
	      unsigned long flags)
{
	struct fwft_hart *h = &fwft_harts[hart];
	long rc = feature_status(hart, feature);

	if (rc) {
		return rc;
	}
	if (flags & ~SBI_FWFT_SET_LOCK) {
		return SBI_ERR_INVALID_PARAM;
	}
	if (h->locked >> feature & 1) {
		return SBI_ERR_DENIED_LOCKED;
	}
	rc = value_status(feature, value);
	if (rc) {
		return rc;
	}
	h->value[feature] = (uint8_t)value;
	if (flags & SBI_FWFT_SET_LOCK) {
		h->locked |= 1U << feature;
	}
	return SBI_SUCCESS;
}

long fwft_get(unsigned long hart, uint32_t feature, unsigned long *value)
{
	long rc = feature_status(hart, feature);

	if (!rc) {
		*value = fwft_harts[hart].value[feature];
	}
	return rc;
}
