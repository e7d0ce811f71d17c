// SPDX-License-Identifier: BSD-2-Clause
/* SBI dispatch: eid to handler through one const table (SBI_EXTENSIONS),
 * and hart-mask decoding for the extensions that take one. */
#include <secmon/abi.h>

#include "console.h"
#include "hart.h"
#include "pmu.h"
#include "sbi_ext.h"

struct sbi_ext {
	unsigned long eid;
	struct sbi_ret (*handler)(struct sbi_call *c);
};

/*
 * Dispatch is one multiply, one shift and one compare: the top five bits
 * of eid * K are distinct for every extension here and for the ones
 * likely to come (DBTR, STA, NACL, MPXY). A collision between two entries
 * below is a compile error (-Werror=override-init).
 */
#define SBI_HASH_K 0xf28c105d1fb17c23UL
#define SBI_SLOT(eid) ((unsigned long)(eid)*SBI_HASH_K >> 59)

#pragma GCC diagnostic push
#pragma GCC diagnostic error "-Woverride-init"
/* The only function-pointer table in the monitor; const, in .rodata. */
#define SBI_EXT_ENTRY(eid, fn) [SBI_SLOT(eid)] = {eid, fn},
static const struct sbi_ext sbi_exts[32] = {SBI_EXTENSIONS(SBI_EXT_ENTRY)};
#pragma GCC diagnostic pop

static const struct sbi_ext *find_ext(unsigned long eid)
{
	const struct sbi_ext *e = &sbi_exts[SBI_SLOT(eid)];

	return e->handler && e->eid == eid ? e : NULL;
}

struct sbi_ret sbi_call(struct sbi_call *c)
{
	const struct sbi_ext *e;
	struct sbi_ret r;

	c->action = SBI_ACT_NONE;
	c->legacy = c->eid <= SBI_LEGACY_LAST;
	if (c->legacy) {
		return sbi_legacy(c);
	}
	e = find_ext(c->eid);
	r = e ? e->handler(c) : sbi_err(SBI_ERR_NOT_SUPPORTED);
	if (r.error) {
		if (c->eid == SECMON_EXT_PTM) {
			pmu_fw_count(c->hartid, PMU_SLOT_PTM_REFUSED);
		}
		con_debug("hart %lu: eid 0x%lx fid %lu (0x%lx, 0x%lx, 0x%lx) "
			  "-> %ld\n",
			  c->hartid, c->eid, c->fid, c->a[0], c->a[1], c->a[2],
			  r.error);
	}
	if (c->action != SBI_ACT_NONE) {
		con_debug("hart %lu: action %d after eid 0x%lx fid %lu\n",
			  c->hartid, c->action, c->eid, c->fid);
	}
	return r;
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
