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
			pmu_fw_count(c->hart, PMU_SLOT_PTM_REFUSED);
		}
		con_debug("hart %lu: eid 0x%lx fid %lu (0x%lx, 0x%lx, 0x%lx) "
			  "-> %ld\n",
			  hart_id(c->hart), c->eid, c->fid, c->a[0], c->a[1],
			  c->a[2], r.error);
	}
	if (c->action != SBI_ACT_NONE) {
		con_debug("hart %lu: action %d after eid 0x%lx fid %lu\n",
			  hart_id(c->hart), c->action, c->eid, c->fid);
	}
	return r;
}

long sbi_hartmask(unsigned long mask, unsigned long base, struct sbi_hartset *s)
{
	*s = (struct sbi_hartset){0, 0};
	if (base == -1UL) {
		*s = (struct sbi_hartset){0, -1UL};
		return SBI_SUCCESS;
	}
	for (unsigned long i = 0; i < 64; i++) {
		if ((mask >> i & 1) &&
		    (base + i < base || hart_index(base + i) < 0)) {
			return SBI_ERR_INVALID_PARAM;
		}
	}
	*s = (struct sbi_hartset){mask, base};
	return SBI_SUCCESS;
}

bool sbi_hartset_next(const struct sbi_hartset *s, unsigned long *pos,
		      unsigned long *hart)
{
	if (s->base == -1UL) {
		*hart = (*pos)++;
		return *hart < hart_count();
	}
	while (*pos < 64 && !(s->mask >> *pos & 1)) {
		(*pos)++;
	}
	if (*pos == 64) {
		return false;
	}
	*hart = (unsigned long)hart_index(s->base + (*pos)++);
	return true;
}

bool sbi_hartset_has(const struct sbi_hartset *s, unsigned long hart)
{
	unsigned long off = hart_id(hart) - s->base;

	return s->base == -1UL || (off < 64 && (s->mask >> off & 1));
}
