// SPDX-License-Identifier: BSD-2-Clause
/*
 * The per-hart region: every component's per-hart array, one after the
 * other, each sized to the device tree's hart count. Measuring and laying
 * out are the same walk, so the size boot reserves is the size used.
 */
#include "dbtr.h"
#include "fwft.h"
#include "hart.h"
#include "hsm.h"
#include "pmu.h"
#include "ptm.h"
#include "sse.h"

/* Cache-line aligned slices: no array shares a line with its neighbour. */
static void *slice(uintptr_t *p, size_t per_hart, unsigned int n)
{
	uintptr_t r = *p;

	*p += (per_hart * n + 63) & ~(size_t)63;
	return (void *)r;
}

size_t hart_area_layout(void *base, unsigned int n)
{
	uintptr_t p = (uintptr_t)base;
	void *mbox = slice(&p, hart_mailbox_bytes(), n);
	void *hsm = slice(&p, hsm_hart_bytes(), n);
	void *pmu = slice(&p, pmu_hart_bytes(), n);
	void *fwft = slice(&p, fwft_hart_bytes(), n);
	void *sse = slice(&p, sse_hart_bytes(), n);
	void *dbtr = slice(&p, dbtr_hart_bytes(), n);
	void *ptm = slice(&p, ptm_hart_bytes(), n);

	if (base) {
		hart_attach(mbox);
		hsm_attach(hsm);
		pmu_attach(pmu, n);
		fwft_attach(fwft);
		sse_attach(sse, n);
		dbtr_attach(dbtr);
		ptm_attach(ptm, n);
	}
	return p - (uintptr_t)base;
}
