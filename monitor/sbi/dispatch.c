// SPDX-License-Identifier: BSD-2-Clause
#include <secmon/abi.h>

#include "hart.h"
#include "sbi_ext.h"

struct sbi_ext {
	unsigned long eid;
	struct sbi_ret (*handler)(struct sbi_call *c);
};

/* The only function-pointer table in the monitor; const, in .rodata. */
static const struct sbi_ext sbi_exts[] = {
	{ SBI_EXT_TIME, sbi_time },     { SBI_EXT_IPI, sbi_ipi },
	{ SBI_EXT_RFENCE, sbi_rfence }, { SBI_EXT_BASE, sbi_base },
	{ SBI_EXT_HSM, sbi_hsm },       { SBI_EXT_SRST, sbi_srst },
	{ SBI_EXT_DBCN, sbi_dbcn },     { SBI_EXT_SUSP, sbi_susp },
	{ SECMON_EXT_PTM, sbi_ptm },
};

static const struct sbi_ext *find_ext(unsigned long eid)
{
	for (unsigned int i = 0; i < sizeof(sbi_exts) / sizeof(sbi_exts[0]);
	     i++) {
		if (sbi_exts[i].eid == eid) {
			return &sbi_exts[i];
		}
	}
	return NULL;
}

unsigned long sbi_probe(unsigned long eid)
{
	if (eid == SBI_LEGACY_CONSOLE_PUTCHAR ||
	    eid == SBI_LEGACY_CONSOLE_GETCHAR) {
		return 1;
	}
	return find_ext(eid) ? 1 : 0;
}

struct sbi_ret sbi_call(struct sbi_call *c)
{
	const struct sbi_ext *e;

	c->action = SBI_ACT_NONE;
	c->legacy = c->eid <= SBI_LEGACY_LAST;
	if (c->legacy) {
		return sbi_legacy(c);
	}
	e = find_ext(c->eid);
	if (!e) {
		return sbi_err(SBI_ERR_NOT_SUPPORTED);
	}
	return e->handler(c);
}

long sbi_hartmask(unsigned long mask, unsigned long base, unsigned long *set)
{
	*set = 0;
	if (base == -1UL) {
		for (unsigned long h = 0; h < hart_limit(); h++) {
			*set |= hart_exists(h) ? 1UL << h : 0;
		}
		return SBI_SUCCESS;
	}
	for (unsigned long i = 0; mask; i++, mask >>= 1) {
		if (!(mask & 1)) {
			continue;
		}
		if (base + i < base || !hart_exists(base + i)) {
			*set = 0;
			return SBI_ERR_INVALID_PARAM;
		}
		*set |= 1UL << (base + i);
	}
	return SBI_SUCCESS;
}
