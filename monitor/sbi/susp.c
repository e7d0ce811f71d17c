// SPDX-License-Identifier: BSD-2-Clause
/*
 * System suspend (SBI v2.0 §13). QEMU virt has no suspend-to-RAM state to
 * enter, so SUSPEND_TO_RAM is a non-retentive suspend of the last running
 * hart: it sleeps until an interrupt it enabled (typically its timer)
 * wakes it, then resumes at resume_addr as the spec requires.
 */
#include "hsm.h"
#include "sbi_ext.h"

#define SBI_SUSP_SUSPEND 0
#define SBI_SUSP_TO_RAM 0

struct sbi_ret sbi_susp(struct sbi_call *c)
{
	bool retentive;
	long rc;

	if (c->fid != SBI_SUSP_SUSPEND) {
		return sbi_err(SBI_ERR_NOT_SUPPORTED);
	}
	/* Types 1..0x7fffffff are reserved, 0x80000000.. platform-specific
	 * and not implemented: both are INVALID_PARAM. */
	if ((uint32_t)c->a[0] != SBI_SUSP_TO_RAM) { /* uint32_t sleep_type */
		return sbi_err(SBI_ERR_INVALID_PARAM);
	}
	if (!hsm_entry_valid(c->a[1])) {
		return sbi_err(SBI_ERR_INVALID_ADDRESS);
	}
	rc = hsm_others_stopped(c->hart);
	if (!rc) {
		rc = hsm_suspend(c->hart, HSM_SUSPEND_NON_RETENTIVE, c->a[1],
				 c->a[2], &retentive);
	}
	if (!rc) {
		c->action = SBI_ACT_RESUME_AT;
	}
	return sbi_err(rc);
}
