// SPDX-License-Identifier: BSD-2-Clause
/* FWFT extension (SBI v3.0 §18): argument decoding; the features are in
 * monitor/fwft. feature is uint32_t: its upper bits are ignored (§3). */
#include "fwft.h"
#include "sbi_ext.h"

struct sbi_ret sbi_fwft(struct sbi_call *c)
{
	unsigned long v = 0;
	long rc;

	switch (c->fid) {
	case SBI_FWFT_SET:
		return sbi_err(
		    fwft_set(c->hart, (uint32_t)c->a[0], c->a[1], c->a[2]));
	case SBI_FWFT_GET:
		rc = fwft_get(c->hart, (uint32_t)c->a[0], &v);
		return (struct sbi_ret){rc, rc ? 0 : v};
	default:
		return sbi_err(SBI_ERR_NOT_SUPPORTED);
	}
}
