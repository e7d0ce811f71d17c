// SPDX-License-Identifier: BSD-2-Clause
/* IPI extension (SBI v2.0 §7). */
#include "arch.h"
#include "hart.h"
#include "hsm.h"
#include "pmu.h"
#include "sbi_ext.h"

struct sbi_ret sbi_ipi(struct sbi_call *c)
{
	struct sbi_hartset set;
	unsigned long pos = 0, h;
	long rc;

	if (c->fid != SBI_IPI_SEND_IPI) {
		return sbi_err(SBI_ERR_NOT_SUPPORTED);
	}
	rc = sbi_hartmask(c->a[0], c->a[1], &set);
	if (rc) {
		return sbi_err(rc);
	}
	while (sbi_hartset_next(&set, &pos, &h)) {
		if (h == c->hart) {
			arch_set_ssip();
		} else if (hsm_running(h)) {
			/* A stopped hart has no S-mode to interrupt. */
			hart_post(h, HART_MSG_SSIP);
			pmu_fw_count(c->hart, SBI_PMU_FW_IPI_SENT);
		}
	}
	return sbi_ok(0);
}
