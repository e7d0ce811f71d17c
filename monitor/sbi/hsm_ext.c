// SPDX-License-Identifier: BSD-2-Clause
/* HSM extension (SBI v2.0 §9): argument decoding; the state machine is in
 * monitor/hsm. */
#include "hart.h"
#include "hsm.h"
#include "sbi_ext.h"

/* The index of the hart a0 names; hart_count() (no such hart: refused as
 * INVALID_PARAM by hsm_start and hsm_state) if none. */
static unsigned long target(unsigned long hartid)
{
	long h = hart_index(hartid);

	return h < 0 ? hart_count() : (unsigned long)h;
}

static struct sbi_ret hart_suspend(struct sbi_call *c)
{
	bool retentive;
	long rc;

	/* uint32_t suspend_type (SBI v3.0 §9.4): the upper bits are not
	 * part of the argument (§3, binary encoding), so they are ignored. */
	rc = hsm_suspend(c->hart, (uint32_t)c->a[0], c->a[1], c->a[2],
			 &retentive);
	if (!rc) {
		c->action = retentive ? SBI_ACT_SUSPEND : SBI_ACT_RESUME_AT;
	}
	return sbi_err(rc);
}

struct sbi_ret sbi_hsm(struct sbi_call *c)
{
	long rc;

	switch (c->fid) {
	case SBI_HSM_HART_START:
		rc = hsm_start(target(c->a[0]), c->a[1], c->a[2]);
		return sbi_err(rc);
	case SBI_HSM_HART_STOP:
		rc = hsm_stop(c->hart);
		if (!rc) {
			c->action = SBI_ACT_STOP_HART;
		}
		return sbi_err(rc);
	case SBI_HSM_HART_GET_STATUS:
		rc = hsm_state(target(c->a[0]));
		return rc < 0 ? sbi_err(SBI_ERR_INVALID_PARAM)
			      : sbi_ok((unsigned long)rc);
	case SBI_HSM_HART_SUSPEND:
		return hart_suspend(c);
	default:
		return sbi_err(SBI_ERR_NOT_SUPPORTED);
	}
}
