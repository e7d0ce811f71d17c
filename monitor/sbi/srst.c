// SPDX-License-Identifier: BSD-2-Clause
/* SRST extension (SBI v2.0 §10) over the sifive,test finisher. */
#include "console.h"
#include "hart.h"
#include "platform.h"
#include "sbi_ext.h"

static const char *type_name(unsigned long type)
{
	switch (type) {
	case SBI_SRST_TYPE_SHUTDOWN:
		return "shutdown";
	case SBI_SRST_TYPE_COLD_REBOOT:
		return "cold reboot";
	default:
		return "warm reboot";
	}
}

struct sbi_ret sbi_srst(struct sbi_call *c)
{
	/* Both are uint32_t (SBI v3.0 §10.1): upper bits ignored (§3). */
	uint32_t type = (uint32_t)c->a[0];
	uint32_t reason = (uint32_t)c->a[1];

	if (c->fid != SBI_SRST_SYSTEM_RESET) {
		return sbi_err(SBI_ERR_NOT_SUPPORTED);
	}
	/* Every other type and reason is reserved or vendor-specific, and
	 * none is implemented: the spec says INVALID_PARAM for both. */
	if (type > SBI_SRST_TYPE_WARM_REBOOT ||
	    reason > SBI_SRST_REASON_SYSFAIL) {
		return sbi_err(SBI_ERR_INVALID_PARAM);
	}
	if (!plat.test_base) {
		return sbi_err(SBI_ERR_NOT_SUPPORTED);
	}
	con_printf(
	    "secmon: system reset: %s (reason %s) requested by hart %lu\n",
	    type_name(type),
	    reason == SBI_SRST_REASON_SYSFAIL ? "system failure" : "none",
	    hart_id(c->hart));
	if (type == SBI_SRST_TYPE_SHUTDOWN &&
	    reason == SBI_SRST_REASON_SYSFAIL) {
		plat_fail(1);
	} else if (type == SBI_SRST_TYPE_SHUTDOWN) {
		plat_poweroff();
	} else {
		plat_reboot();
	}
	/* Still running: the device did not act. */
	return sbi_err(SBI_ERR_FAILED);
}
