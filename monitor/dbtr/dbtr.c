// SPDX-License-Identifier: BSD-2-Clause
/*
 * Debug triggers (dbtr.h). The shared memory holds entries of four words
 * (trig_idx or trig_state, tdata1, tdata2, tdata3), XLEN/2 bytes each
 * (SBI v3.0 §19.3-§19.5); the monitor reads and writes it only between
 * memmap_os_begin() and memmap_os_end(), which keep the buffer rule true
 * for the whole call.
 */
#include <string.h>

#include <secmon/sbi.h>

#include "arch.h"
#include "dbtr.h"
#include "memmap.h"

#define NO_SHMEM (~0UL)
#define ENTRY_BYTES 32UL /* XLEN / 2 */

/* tdata1 (Debug spec 1.0 §5.7.2 mcontrol, §5.7.4 mcontrol6; RV64) */
#define T1_TYPE_SHIFT 60
#define T1_TYPE (0xfUL << T1_TYPE_SHIFT)
#define T1_M (1UL << 6)
#define T1_S (1UL << 4)
#define T1_U (1UL << 3)
#define T1_CHAIN (1UL << 11)
#define T1_ACTION (0xfUL << 12)
#define MC6_VU (1UL << 23)
#define MC6_VS (1UL << 24)
/* What S-mode may write: mcontrol bits 22:6 and 4:0 (sizehi, hit,
 * select, timing, sizelo, action, chain, match, m, s, u, execute, store,
 * load); mcontrol6 bits 26:21 and 18:0. dmode, maskmax and the zero
 * fields are not among them. */
#define MC_FIELDS 0x7fffdfUL
#define MC6_FIELDS 0x7e7ffffUL
#define MC_HIT (1UL << 20)
#define MC6_HIT ((1UL << 22) | (1UL << 25))

/* trig_state (§19 Table "Debug Trigger State Fields") */
#define ST_MAPPED (1UL << 0)
#define ST_U (1UL << 1)
#define ST_S (1UL << 2)
#define ST_HAVE_HW (1UL << 5)
#define ST_HW_SHIFT 8

struct dbtr_hart {
	unsigned int count; /* trig_max */
	unsigned long shmem; /* or NO_SHMEM */
	unsigned long state[DBTR_MAX];
};

/* hart_count() entries, in the per-hart region (hart_area_layout). */
static struct dbtr_hart *dbtr_harts;

size_t dbtr_hart_bytes(void)
{
	return sizeof(struct dbtr_hart);
}

void dbtr_attach(void *mem)
{
	dbtr_harts = mem;
}

void dbtr_hart_reset(unsigned long hart)
{
	struct dbtr_hart *d = &dbtr_harts[hart];
	unsigned int n = arch_trig_count();

	memset(d, 0, sizeof(*d));
	d->count = n < DBTR_MAX ? n : DBTR_MAX;
	d->shmem = NO_SHMEM;
	for (unsigned int i = 0; i < d->count; i++) {
		arch_trig_write(i, 0, 0, 0);
	}
}

unsigned int dbtr_count(unsigned long hart)
{
	return dbtr_harts[hart].count;
}

static unsigned long type_of(unsigned long t1)
{
	return t1 >> T1_TYPE_SHIFT;
}

/* The error a trigger configuration earns, or SBI_SUCCESS (dbtr.h). */
static long check_config(unsigned long t1, unsigned long t3)
{
	unsigned long fields;

	switch (type_of(t1)) {
	case 2:
		fields = MC_FIELDS;
		break;
	case 6:
		if (t1 & (MC6_VS | MC6_VU)) {
			return SBI_ERR_NOT_SUPPORTED;
		}
		fields = MC6_FIELDS;
		break;
	case 3: /* icount */
	case 4: /* itrigger */
	case 5: /* etrigger */
		return SBI_ERR_NOT_SUPPORTED;
	default:
		return SBI_ERR_INVALID_PARAM;
	}
	if (t1 & ~(T1_TYPE | fields) || t1 & (T1_M | T1_ACTION)) {
		return SBI_ERR_INVALID_PARAM;
	}
	return t3 ? SBI_ERR_NOT_SUPPORTED : SBI_SUCCESS;
}

/* Does hardware trigger i offer the configuration's type (tinfo; a
 * trigger without tinfo is taken to offer both)? */
static bool offers(unsigned int i, unsigned long t1)
{
	unsigned long info = arch_trig_info(i) & 0xffff;

	return !info || info >> type_of(t1) & 1;
}

unsigned long dbtr_num_triggers(unsigned long hart, unsigned long tdata1)
{
	struct dbtr_hart *d = &dbtr_harts[hart];
	unsigned long n = 0;

	if (!tdata1) {
		return d->count;
	}
	if (check_config(tdata1, 0)) {
		return 0;
	}
	for (unsigned int i = 0; i < d->count; i++) {
		n += offers(i, tdata1) ? 1 : 0;
	}
	return n;
}

long dbtr_set_shmem(unsigned long hart, unsigned long lo, unsigned long hi,
		    unsigned long flags)
{
	struct dbtr_hart *d = &dbtr_harts[hart];

	if (flags) {
		return SBI_ERR_INVALID_PARAM;
	}
	if (lo == ~0UL && hi == ~0UL) {
		d->shmem = NO_SHMEM;
		return SBI_SUCCESS;
	}
	if (lo & 7) {
		return SBI_ERR_INVALID_PARAM;
	}
	if (hi || !memmap_os_buffer_ok(lo, d->count * ENTRY_BYTES, 8)) {
		return SBI_ERR_INVALID_ADDRESS;
	}
	d->shmem = lo;
	return SBI_SUCCESS;
}

/* The shared memory's first n entries, under the memmap lock; NULL if
 * the page no longer passes the buffer rule. */
static unsigned long *entries(const struct dbtr_hart *d, unsigned long n)
{
	return memmap_os_begin(d->shmem, n * ENTRY_BYTES, 8);
}

/* install and update: the first n entries copied into cfg once (S-mode
 * may rewrite its page meanwhile), the memmap lock held on success. */
static long open_entries(const struct dbtr_hart *d, unsigned long n,
			 unsigned long *cfg, unsigned long **e)
{
	if (d->shmem == NO_SHMEM) {
		return SBI_ERR_NO_SHMEM;
	}
	if (n > d->count) {
		return SBI_ERR_BAD_RANGE;
	}
	*e = entries(d, n);
	if (!*e) {
		return SBI_ERR_NO_SHMEM;
	}
	memcpy(cfg, *e, n * ENTRY_BYTES);
	return SBI_SUCCESS;
}

long dbtr_read(unsigned long hart, unsigned long base, unsigned long count)
{
	struct dbtr_hart *d = &dbtr_harts[hart];
	unsigned long *e;

	if (d->shmem == NO_SHMEM) {
		return SBI_ERR_NO_SHMEM;
	}
	if (base >= d->count || count > d->count - base) {
		return SBI_ERR_BAD_RANGE;
	}
	e = entries(d, count);
	if (!e) {
		return SBI_ERR_NO_SHMEM;
	}
	for (unsigned long i = 0; i < count; i++) {
		unsigned int t = (unsigned int)(base + i);
		bool mapped = d->state[t] & ST_MAPPED;

		e[4 * i] = d->state[t];
		for (unsigned int w = 1; w <= 3; w++) {
			e[4 * i + w] = mapped ? arch_trig_read(t, w) : 0;
		}
	}
	memmap_os_end();
	return SBI_SUCCESS;
}

/* Program trigger i; NOT_SUPPORTED (and the trigger cleared) if the
 * hardware did not keep a field S-mode asked for. */
static long program(unsigned int i, unsigned long t1, unsigned long t2,
		    unsigned long t3)
{
	unsigned long keep =
	    type_of(t1) == 2 ? MC_FIELDS & ~MC_HIT : MC6_FIELDS & ~MC6_HIT;

	arch_trig_write(i, t1, t2, t3);
	if ((arch_trig_read(i, 1) ^ t1) & (T1_TYPE | keep) ||
	    arch_trig_read(i, 2) != t2) {
		arch_trig_write(i, 0, 0, 0);
		return SBI_ERR_NOT_SUPPORTED;
	}
	return SBI_SUCCESS;
}

static unsigned long state_for(unsigned int hw, unsigned long t1)
{
	return ST_MAPPED | ST_HAVE_HW | (unsigned long)hw << ST_HW_SHIFT |
	       (t1 & T1_U ? ST_U : 0) | (t1 & T1_S ? ST_S : 0);
}

/* Free hardware triggers for entries [j, j + len) of cfg: contiguous,
 * each offering its entry's type. Returns the first, or -1. */
static int find_run(const struct dbtr_hart *d, uint32_t used,
		    const unsigned long *cfg, unsigned long len)
{
	for (unsigned int first = 0; first + len <= d->count; first++) {
		bool ok = true;

		for (unsigned int k = 0; ok && k < len; k++) {
			ok = !(used >> (first + k) & 1) &&
			     offers(first + k, cfg[4 * k + 1]);
		}
		if (ok) {
			return (int)first;
		}
	}
	return -1;
}

static uint32_t used_mask(const struct dbtr_hart *d)
{
	uint32_t used = 0;

	for (unsigned int i = 0; i < d->count; i++) {
		used |= d->state[i] & ST_MAPPED ? 1U << i : 0;
	}
	return used;
}

/* Check every entry and give each a trigger (chains contiguous). */
static long plan_install(const struct dbtr_hart *d, const unsigned long *cfg,
			 unsigned long n, unsigned int *hw,
			 unsigned long *failed)
{
	uint32_t used = used_mask(d);

	for (unsigned long i = 0; i < n; i++) {
		long rc = check_config(cfg[4 * i + 1], cfg[4 * i + 3]);

		if (!rc && i == n - 1 && cfg[4 * i + 1] & T1_CHAIN) {
			rc = SBI_ERR_INVALID_PARAM; /* an open chain */
		}
		if (rc) {
			*failed = i;
			return rc;
		}
	}
	for (unsigned long i = 0; i < n;) {
		unsigned long len = 1;
		int first;

		while (cfg[4 * (i + len - 1) + 1] & T1_CHAIN) {
			len++;
		}
		first = find_run(d, used, &cfg[4 * i], len);
		if (first < 0) {
			*failed = i;
			return SBI_ERR_FAILED;
		}
		for (unsigned long k = 0; k < len; k++) {
			hw[i + k] = (unsigned int)first + (unsigned int)k;
			used |= 1U << hw[i + k];
		}
		i += len;
	}
	return SBI_SUCCESS;
}

long dbtr_install(unsigned long hart, unsigned long count,
		  unsigned long *failed)
{
	struct dbtr_hart *d = &dbtr_harts[hart];
	unsigned long cfg[4 * DBTR_MAX];
	unsigned int hw[DBTR_MAX];
	unsigned long *e;
	long rc;

	*failed = 0;
	rc = open_entries(d, count, cfg, &e);
	if (rc) {
		return rc;
	}
	rc = plan_install(d, cfg, count, hw, failed);
	for (unsigned long i = 0; !rc && i < count; i++) {
		rc = program(hw[i], cfg[4 * i + 1], cfg[4 * i + 2], 0);
		for (unsigned long k = 0; rc && k < i; k++) {
			arch_trig_write(hw[k], 0, 0, 0);
		}
		*failed = rc ? i : 0;
	}
	for (unsigned long i = 0; !rc && i < count; i++) {
		d->state[hw[i]] = state_for(hw[i], cfg[4 * i + 1]);
		e[4 * i] = hw[i];
	}
	memmap_os_end();
	return rc;
}

/* An update must name a mapped trigger and keep its type and chain. */
static long check_update(const struct dbtr_hart *d, const unsigned long *c)
{
	unsigned long idx = c[0];
	unsigned long old;
	long rc = check_config(c[1], c[3]);

	if (idx >= d->count) {
		return SBI_ERR_INVALID_PARAM;
	}
	if (rc) {
		return rc;
	}
	if (!(d->state[idx] & ST_MAPPED)) {
		return SBI_ERR_FAILED;
	}
	old = arch_trig_read((unsigned int)idx, 1);
	if ((old ^ c[1]) & (T1_TYPE | T1_CHAIN)) {
		return SBI_ERR_INVALID_PARAM;
	}
	return SBI_SUCCESS;
}

long dbtr_update(unsigned long hart, unsigned long count, unsigned long *failed)
{
	struct dbtr_hart *d = &dbtr_harts[hart];
	unsigned long cfg[4 * DBTR_MAX], old[2 * DBTR_MAX];
	unsigned long *e;
	long rc = SBI_SUCCESS;

	*failed = 0;
	rc = open_entries(d, count, cfg, &e);
	if (rc) {
		return rc;
	}
	memmap_os_end();
	for (unsigned long i = 0; !rc && i < count; i++) {
		rc = check_update(d, &cfg[4 * i]);
		*failed = rc ? i : 0;
	}
	for (unsigned long i = 0; !rc && i < count; i++) {
		unsigned int t = (unsigned int)cfg[4 * i];

		old[2 * i] = arch_trig_read(t, 1);
		old[2 * i + 1] = arch_trig_read(t, 2);
		rc = program(t, cfg[4 * i + 1], cfg[4 * i + 2], 0);
		/* Put back what this call changed before the refusal. */
		for (unsigned long k = 0; rc && k <= i; k++) {
			arch_trig_write((unsigned int)cfg[4 * k], old[2 * k],
					old[2 * k + 1], 0);
		}
		*failed = rc ? i : 0;
	}
	for (unsigned long i = 0; !rc && i < count; i++) {
		unsigned int t = (unsigned int)cfg[4 * i];

		d->state[t] = state_for(t, cfg[4 * i + 1]);
	}
	return rc;
}

/* Apply op to mapped trigger t (uninstall, or restore or clear s/u). */
static void apply_op(struct dbtr_hart *d, unsigned int t, unsigned int op)
{
	unsigned long t1 = arch_trig_read(t, 1) & ~(T1_S | T1_U);

	switch (op) {
	case DBTR_UNINSTALL:
		arch_trig_write(t, 0, 0, 0);
		d->state[t] = 0;
		return;
	case DBTR_ENABLE:
		t1 |= d->state[t] & ST_S ? T1_S : 0;
		t1 |= d->state[t] & ST_U ? T1_U : 0;
		break;
	default:
		break;
	}
	arch_trig_write(t, t1, arch_trig_read(t, 2), 0);
}

long dbtr_set_op(unsigned long hart, unsigned long base, unsigned long mask,
		 unsigned int op)
{
	struct dbtr_hart *d = &dbtr_harts[hart];

	for (unsigned int i = 0; i < 64 && mask >> i; i++) {
		unsigned long t = base + i;

		if (mask >> i & 1 &&
		    (t < base || t >= d->count || !(d->state[t] & ST_MAPPED))) {
			return SBI_ERR_INVALID_PARAM;
		}
	}
	for (unsigned int i = 0; i < 64 && mask >> i; i++) {
		if (mask >> i & 1) {
			apply_op(d, (unsigned int)(base + i), op);
		}
	}
	return SBI_SUCCESS;
}
