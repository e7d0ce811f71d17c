// SPDX-License-Identifier: BSD-2-Clause
/*
 * libFuzzer target for the page-table manager. Each input is a sequence
 * of ABI calls with adversarial arguments (see the gen_* functions),
 * made against the real handlers on the host fake machine. Before each
 * call the reference model (model.c) predicts the result; after it, the
 * fuzzer compares the error and value, the whole pool byte for byte, the
 * kernel roots, INFO and the global STATS with the model, and runs
 * ptm_check(). Any difference aborts, and libFuzzer keeps the input.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <secmon/sbi.h>

#include "arch_host.h"
#include "hart.h"
#include "hsm.h"
#include "memmap.h"
#include "model.h"
#include "platform.h"
#include "ptm.h"

#include <secmon/pte_bits.h>

#define POISON 0x5ec0ffee5ec0ffeeUL
#define MAX_OPS 400

struct input {
	const uint8_t *p;
	size_t n;
};

static unsigned self; /* the calling hart of the current op */
static unsigned op_no;
static const char *op_name;

static void __attribute__((noreturn, format(printf, 1, 2)))
fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fuzz_ptm: op %u (%s, hart %u): ", op_no, op_name,
		self);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

static void expect(uint64_t got, uint64_t want, const char *what)
{
	if (got != want) {
		fail("%s: got 0x%lx (%ld), model says 0x%lx (%ld)", what,
		     (unsigned long)got, (long)got, (unsigned long)want,
		     (long)want);
	}
}

/* ---- Input ---- */

static unsigned in_u8(struct input *in)
{
	if (!in->n) {
		return 0;
	}
	in->n--;
	return *in->p++;
}

static unsigned in_u16(struct input *in)
{
	return in_u8(in) | in_u8(in) << 8;
}

static uint64_t in_u64(struct input *in)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++) {
		v |= (uint64_t)in_u8(in) << (8 * i);
	}
	return v;
}

static uint64_t pool_page(unsigned i)
{
	return FZ_POOL + (i % FZ_POOL_PAGES) * PG_SIZE;
}

/* ---- Argument generators ---- */

static uint64_t ppn(uint64_t pa)
{
	return (pa >> 12) << 10;
}

/* Some AS the model knows (live, zombie or dead), or -1. */
static int any_as(struct input *in)
{
	return m.nas ? (int)(in_u8(in) % m.nas) : -1;
}

static uint64_t gen_handle(struct input *in)
{
	unsigned sel = in_u8(in) % 12;
	int a = any_as(in);
	uint64_t h = a < 0 ? 1UL << 32 : m.as[a].handle;

	switch (sel) {
	case 0 ... 5:
		return h;
	case 6:
		return h + (1UL << 32); /* next generation */
	case 7:
		return h ^ (1UL << 63);
	case 8:
		return (h & ~0xffffffffUL) | (in_u8(in) % (FZ_POOL_PAGES + 2));
	case 9:
		return 0;
	case 10:
		return SECMON_STATS_GLOBAL;
	default:
		return in_u64(in);
	}
}

/* A physical address a leaf could point at. */
static uint64_t gen_target(struct input *in)
{
	unsigned sel = in_u8(in) % 15;
	uint64_t k = in_u8(in);

	switch (sel) {
	case 0 ... 2:
		return FZ_USER + (k % 512) * PG_SIZE;
	case 3:
		return FZ_USER; /* 2 MiB aligned */
	case 4:
		return FZ_RAM1 +
		       (k % 4) * (2UL << 20); /* 1 GiB, 2 MiB aligned */
	case 5:
		return FZ_MON + (k % 64) * PG_SIZE;
	case 6:
		return pool_page((unsigned)k);
	case 7:
		return k & 1 ? m.kroot[k >> 1 & 1]
			     : FZ_SWAPPER + (k >> 1 & 1) * PG_SIZE;
	case 8:
		return FZ_KSTART + (k % 256) * PG_SIZE; /* the kernel image */
	case 9:
		return FZ_RAM0 + FZ_RAM0_SIZE - (k % 4) * PG_SIZE;
	case 10:
		return (k % 4) << 30; /* not RAM, 1 GiB aligned */
	case 11:
		return FZ_RAM1 + FZ_RAM1_SIZE - (k % 2) * (2UL << 20);
	case 12:
		return FZ_RAM0 + ((in_u64(in) % FZ_RAM0_SIZE) & ~0xfffUL);
	case 13:
		return FZ_RECORDS + (k % 2) * PG_SIZE; /* or the page above */
	default:
		return in_u64(in) << 12;
	}
}

static uint64_t gen_flags(struct input *in)
{
	unsigned sel = in_u8(in) % 6;
	uint64_t f = in_u8(in);

	switch (sel) {
	case 0:
		return R | U;
	case 1:
		return R | W | U;
	case 2:
		return R | X | U;
	case 3:
		return (f & (A | D | X | W)) | R | U;
	default:
		return f | (uint64_t)(in_u8(in) & 3) << 8; /* any, with RSW */
	}
}

/* A table of AS a (or any pool page). */
static uint64_t gen_table(struct input *in, int a)
{
	unsigned start = in_u8(in);

	for (unsigned k = 0; a >= 0 && k < FZ_POOL_PAGES; k++) {
		unsigned p = (start + k) % FZ_POOL_PAGES;

		if (m.pg[p].state == MP_TABLE && m.pg[p].as == a) {
			return pool_page(p);
		}
	}
	return pool_page(start);
}

/* The level of the table holding pte_pa, or -1. */
static int slot_level(uint64_t pte_pa)
{
	unsigned idx;

	if (!m_pool_index(pte_pa, &idx) ||
	    (m.pg[idx].state != MP_ROOT && m.pg[idx].state != MP_TABLE)) {
		return -1;
	}
	return m.pg[idx].level;
}

/* What a good link from pte_pa would point at: an unlinked table of AS a
 * one level down, if there is one. */
static uint64_t gen_link_target(struct input *in, int a, uint64_t pte_pa)
{
	int level = slot_level(pte_pa) - 1;
	unsigned start = in_u8(in);

	for (unsigned k = 0; a >= 0 && k < FZ_POOL_PAGES; k++) {
		unsigned p = (start + k) % FZ_POOL_PAGES;

		if (m.pg[p].state == MP_TABLE && m.pg[p].as == a &&
		    m.pg[p].level == level && !m_linked(p)) {
			return pool_page(p);
		}
	}
	return gen_table(in, a);
}

/* A new value for the entry at pte_pa in AS a. */
static uint64_t gen_value(struct input *in, int a, uint64_t pte_pa)
{
	unsigned sel = in_u8(in) % 14;

	switch (sel) {
	case 0:
		return 0;
	case 1:
		return in_u64(in) & ~V; /* swap, PAGE_NONE */
	case 2:
		return ppn(gen_target(in)) | G | R; /* PAGE_NONE */
	case 3 ... 6:
		return ppn(gen_target(in)) | gen_flags(in) | V;
	case 7 ... 8:
		/* A good link, with RSW bits sometimes. */
		return ppn(gen_link_target(in, a, pte_pa)) | V |
		       (in_u8(in) & 0x300);
	case 9:
		return ppn(gen_table(in, a)) | V; /* a link, maybe bad */
	case 10:
		return ppn(gen_target(in)) | gen_flags(in) | V |
		       1UL << (54 + in_u8(in) % 10);
	case 11:
		return ppn(gen_table(in, a)) | V | (in_u8(in) & 0xf0);
	case 12:
		return ppn(gen_target(in)) | V; /* a link out of the pool */
	default:
		return in_u64(in);
	}
}

/* MODIFY's clear and set masks. */
static void gen_masks(struct input *in, int a, uint64_t pte_pa, uint64_t *clear,
		      uint64_t *set)
{
	unsigned sel = in_u8(in) % 6;
	uint64_t f = in_u8(in) | (uint64_t)in_u8(in) << 8;

	switch (sel) {
	case 0:
		*clear = f & 0x3ff;
		*set = 0;
		return;
	case 1:
		*clear = 0;
		*set = f & 0x3ff;
		return;
	case 2:
		*clear = SECMON_PTE_PPN_MASK;
		*set = in_u8(in) & 1 ? ppn(gen_target(in))
				     : ppn(gen_link_target(in, a, pte_pa));
		return;
	case 3:
		*clear = ~0UL;
		*set = gen_value(in, a, pte_pa);
		return;
	case 4:
		*clear = f;
		*set = f >> 3;
		return;
	default:
		*clear = in_u64(in);
		*set = in_u64(in);
	}
}

/* A slot: mostly in a page of AS a, sometimes anywhere. */
static uint64_t gen_slot(struct input *in, int a)
{
	unsigned sel = in_u8(in) % 12;
	unsigned i = in_u16(in) % 512;
	uint64_t page = pool_page(in_u8(in));

	if (sel < 6 && a >= 0 && m.as[a].state == MA_LIVE) {
		unsigned start = in_u8(in);

		for (unsigned k = 0; k < FZ_POOL_PAGES; k++) {
			unsigned p = (start + k) % FZ_POOL_PAGES;

			if ((m.pg[p].state == MP_ROOT ||
			     m.pg[p].state == MP_TABLE) &&
			    m.pg[p].as == a) {
				page = pool_page(p);
				break;
			}
		}
		if (sel < 4 && page == FZ_POOL + m.as[a].root * PG_SIZE) {
			i %= 256; /* the user half, mostly */
		}
	}
	switch (sel) {
	case 8:
		return page + i * 8 + 1 + in_u8(in) % 7; /* misaligned */
	case 9:
		return (in_u8(in) & 1 ? FZ_SWAPPER : FZ_USER) + i * 8;
	case 10:
		return FZ_POOL + FZ_POOL_PAGES * PG_SIZE + i * 8;
	case 11:
		return in_u64(in);
	default:
		return page + i * 8;
	}
}

/* Buffers for BATCH and STATS: mostly good, some bad in every way. */
static uint64_t gen_buffer(struct input *in, uint64_t len)
{
	unsigned sel = in_u8(in) % 17;
	uint64_t off = (in_u16(in) * 8UL) % (FZ_BUF_SIZE - 4096);

	switch (sel) {
	case 0 ... 7:
		return FZ_BUF + off;
	case 8:
		return FZ_RAM1 + off;
	case 9:
		return FZ_BUF + off + 1 + in_u8(in) % 7;
	case 10:
		return FZ_POOL - len + 8 * (in_u8(in) % 4);
	case 11:
		return FZ_MON + FZ_MON_SIZE - 8 * (in_u8(in) % 4 + 1);
	case 12:
		return m.kroot[in_u8(in) & 1] + 8 * (in_u8(in) % 3) - 8;
	case 13:
		return FZ_RAM0 + FZ_RAM0_SIZE - len + 8 * (in_u8(in) % 3);
	case 14:
		return FZ_RAM1 + FZ_RAM1_SIZE - len + 8 * (in_u8(in) % 3);
	case 15:
		return FZ_RECORDS - len + 8 * (in_u8(in) % 3);
	default:
		return in_u64(in) & ~7UL;
	}
}

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

/* RAM the fuzzer may fill with a buffer: not the monitor, the pool, the
 * kernel image and would-be roots, nor the locked roots. */
static bool writable_buffer(uint64_t pa, uint64_t len)
{
	bool ram = (pa >= FZ_RAM0 && pa + len <= FZ_RAM0 + FZ_RAM0_SIZE &&
		    pa + len >= pa) ||
		   (pa >= FZ_RAM1 && pa + len <= FZ_RAM1 + FZ_RAM1_SIZE &&
		    pa + len >= pa);

	return ram && !overlaps(pa, len, FZ_MON, FZ_MON_SIZE) &&
	       !overlaps(pa, len, FZ_RECORDS, FZ_RECORDS_SIZE) &&
	       !overlaps(pa, len, FZ_POOL, FZ_POOL_PAGES * PG_SIZE) &&
	       !overlaps(pa, len, FZ_KSTART, FZ_ZERO + PG_SIZE - FZ_KSTART) &&
	       !(m.locked && (overlaps(pa, len, m.kroot[0], PG_SIZE) ||
			      overlaps(pa, len, m.kroot[1], PG_SIZE)));
}

/* ---- The checks after every call ---- */

static unsigned long flush_hooks(void)
{
	unsigned long n = 0;

	for (unsigned h = 0; h < FZ_HARTS; h++) {
		n += fake_hart_state(h)->ptm_flushes;
	}
	return n;
}

static void check_pool(void)
{
	for (unsigned p = 0; p < FZ_POOL_PAGES; p++) {
		const uint64_t *real = fake_ram(pool_page(p), PG_SIZE);

		if (memcmp(real, m.pg[p].e, PG_SIZE)) {
			for (unsigned i = 0; i < 512; i++) {
				if (real[i] != m.pg[p].e[i]) {
					fail("pool page %u slot %u: 0x%lx, "
					     "model 0x%lx",
					     p, i, (unsigned long)real[i],
					     (unsigned long)m.pg[p].e[i]);
				}
			}
		}
	}
}

static void check_global(void)
{
	struct secmon_stats got, want;
	unsigned long v = 0;

	expect(ptm_info(SECMON_INFO_FREE_PAGES, &v), 0, "INFO rc");
	expect(v, m_count(MP_FREE) + m_count(MP_QUAR), "INFO free pages");
	expect(ptm_stats(self, SECMON_STATS_GLOBAL, FZ_SCRATCH), 0, "STATS rc");
	memcpy(&got, fake_ram(FZ_SCRATCH, sizeof(got)), sizeof(got));
	m_expect_stats(SECMON_STATS_GLOBAL, &want);
	want.calls = got.calls; /* not modelled */
	if (memcmp(&got, &want, sizeof(got))) {
		for (unsigned i = 0; i < 21; i++) {
			expect(((uint64_t *)&got)[i], ((uint64_t *)&want)[i],
			       "global STATS word");
		}
	}
	expect(got.flushes, flush_hooks(), "flushes counted vs flush hooks");
}

static void check_all(void)
{
	char msg[200];

	check_pool();
	if (m.locked &&
	    (memcmp(fake_ram(m.kroot[0], PG_SIZE), m.kroot_bytes[0], PG_SIZE) ||
	     memcmp(fake_ram(m.kroot[1], PG_SIZE), m.kroot_bytes[1],
		    PG_SIZE))) {
		fail("a kernel root changed");
	}
	check_global();
	if (ptm_check(0, msg, sizeof(msg))) {
		fail("ptm_check: %s", msg);
	}
}

/* Count a call's refusal in the model, the way STATS reports them. */
static long refusal(long rc)
{
	m.refused += rc != 0;
	return rc;
}

/* ---- The operations ---- */

static void op_lock(struct input *in)
{
	static const uint64_t roots[] = {
	    FZ_SWAPPER,	    FZ_TRAMP,
	    FZ_ZERO,	    FZ_DIRTY,
	    FZ_SWAPPER + 8, FZ_MON + 0x1000,
	    FZ_POOL,	    FZ_RAM1,
	    0x10000000,	    FZ_RAM0 + FZ_RAM0_SIZE,
	};
	unsigned s1 = in_u8(in), s2 = in_u8(in);
	/* Mostly one of the three good roots. */
	uint64_t sw = roots[s1 % (s1 & 0x80 ? 10 : 3)];
	uint64_t tr = roots[s2 % (s2 & 0x80 ? 10 : 3)];
	uint64_t ks = in_u8(in) & 1 ? in_u64(in) : FZ_KSTART;
	uint64_t ke = in_u8(in) & 1 ? in_u64(in) : FZ_KEND;
	uint64_t satp =
	    (in_u8(in) & 1 ? in_u64(in) : 8UL << 60) | (FZ_SWAPPER >> 12);
	long want = m_lock(sw, tr, ks, ke, satp);

	fake_hart_state(self)->satp = satp;
	expect(refusal(ptm_lock_kernel(self, sw, tr, ks, ke)), want, "LOCK");
	if (!want) {
		m_apply_lock(sw, tr, ks, ke, self, satp);
	}
}

static void note_flush(unsigned long before)
{
	if (flush_hooks() != before) {
		m_flush();
	}
}

static void op_create(struct input *in)
{
	unsigned long h = POISON, hooks = flush_hooks();
	long want = m_create();
	const char *err;

	if (m.nas == FZ_MAX_AS) {
		return;
	}
	expect(refusal(ptm_as_create(self, &h)), want, "AS_CREATE");
	if (!want) {
		note_flush(hooks);
		err = m_apply_create(h);
		if (err) {
			fail("AS_CREATE returned 0x%lx: %s", h, err);
		}
	}
}

static void op_alloc(struct input *in)
{
	uint64_t h = gen_handle(in);
	uint64_t level = in_u8(in) % 8 ? in_u8(in) & 1 : in_u64(in);
	unsigned long pa = POISON, hooks = flush_hooks();
	long want = m_alloc(h, level);
	const char *err;

	expect(refusal(ptm_pt_alloc(self, h, level, &pa)), want, "PT_ALLOC");
	if (!want) {
		note_flush(hooks);
		err = m_apply_alloc(m_live(h), level, pa);
		if (err) {
			fail("PT_ALLOC returned 0x%lx: %s", pa, err);
		}
	}
}

static void op_pte(struct input *in, uint64_t op)
{
	uint64_t h = gen_handle(in);
	int a = m_live(h);
	uint64_t pa = gen_slot(in, a);
	uint64_t x, y = 0, old = POISON, want_old = POISON;
	long want, rc;

	if (op == SECMON_BATCH_OP_SET) {
		x = gen_value(in, a, pa);
		want = a < 0 ? SBI_ERR_INVALID_PARAM
			     : m_pte(a, pa, op, x, 0, &want_old);
		rc = ptm_pte_set(self, h, pa, x, &old);
	} else {
		gen_masks(in, a, pa, &x, &y);
		want = a < 0 ? SBI_ERR_INVALID_PARAM
			     : m_pte(a, pa, op, x, y, &want_old);
		rc = ptm_pte_modify(self, h, pa, x, y, &old);
	}
	expect(refusal(rc), want, op ? "PTE_MODIFY" : "PTE_SET");
	expect(old, want_old, "old value");
}

static void fill_batch(struct input *in, int a, uint64_t buf, unsigned n)
{
	struct secmon_batch_entry *e = fake_ram(buf, n * sizeof(*e));

	for (unsigned k = 0; k < n; k++) {
		unsigned sel = in_u8(in);

		e[k].op = sel % 16 ? sel & 1 : in_u64(in) % 4;
		e[k].pte_pa = gen_slot(in, a);
		if (e[k].op == SECMON_BATCH_OP_MODIFY) {
			gen_masks(in, a, e[k].pte_pa, &e[k].a, &e[k].b);
		} else {
			e[k].a = gen_value(in, a, e[k].pte_pa);
			e[k].b = sel % 32 ? 0 : in_u64(in) | 1;
		}
	}
}

/* Predict entry by entry: how many apply and why the next is refused. */
static long model_batch(int a, const struct secmon_batch_entry *e, unsigned n,
			unsigned long *applied)
{
	for (unsigned k = 0; k < n; k++) {
		uint64_t old;
		long rc;

		if (e[k].op > SECMON_BATCH_OP_MODIFY ||
		    (e[k].op == SECMON_BATCH_OP_SET && e[k].b)) {
			rc = SBI_ERR_INVALID_PARAM;
		} else {
			rc = m_pte(a, e[k].pte_pa, e[k].op, e[k].a, e[k].b,
				   &old);
		}
		if (rc) {
			*applied = k;
			return rc;
		}
	}
	*applied = n;
	return 0;
}

static void op_batch(struct input *in)
{
	static struct secmon_batch_entry copy[SECMON_BATCH_MAX];
	uint64_t h = gen_handle(in);
	int a = m_live(h);
	unsigned sel = in_u8(in);
	uint64_t n =
	    sel % 32 ? sel % 12 : (sel & 0x20 ? 128 + (sel >> 6) : in_u64(in));
	uint64_t len = n <= SECMON_BATCH_MAX ? n * 32 : 0;
	uint64_t buf = gen_buffer(in, len);
	unsigned long applied = POISON, want_applied = 0;
	long want = m_batch_head(h, buf, n);

	if (!want && !writable_buffer(buf, len)) {
		return; /* a good buffer the fuzzer cannot fill */
	}
	if (!want) {
		fill_batch(in, a, buf, (unsigned)n);
		memcpy(copy, fake_ram(buf, len), len);
		want = model_batch(a, copy, (unsigned)n, &want_applied);
	}
	expect(refusal(ptm_batch(self, h, buf, n, &applied)), want, "BATCH");
	expect(applied, want_applied, "BATCH applied");
	if (len && writable_buffer(buf, len) && !want &&
	    memcmp(copy, fake_ram(buf, len), len)) {
		fail("BATCH wrote its buffer");
	}
}

static void op_free(struct input *in)
{
	uint64_t h = gen_handle(in);
	int a = m_live_or_zombie(h);
	unsigned sel = in_u8(in) % 8;
	uint64_t pa = sel < 5	 ? gen_table(in, a)
		      : sel == 5 ? gen_table(in, a) + 8 * (in_u8(in) + 1)
				 : gen_slot(in, a) & ~0xfffUL;
	long want = m_free(h, pa);

	expect(refusal(ptm_pt_free(self, h, pa)), want, "PT_FREE");
	if (!want) {
		m_apply_free(pa);
	}
}

static void op_destroy(struct input *in)
{
	uint64_t h = gen_handle(in);
	long want = m_destroy(h);

	expect(refusal(ptm_as_destroy(self, h)), want, "AS_DESTROY");
	if (!want) {
		m_apply_destroy(m_live(h));
	}
}

static void op_stats(struct input *in)
{
	uint64_t h = in_u8(in) % 4 ? gen_handle(in) : SECMON_STATS_GLOBAL;
	uint64_t len = sizeof(struct secmon_stats);
	uint64_t buf = gen_buffer(in, len);
	long want = m_stats(h, buf);
	struct secmon_stats exp, got;
	uint8_t before[sizeof(got)];
	bool mem = writable_buffer(buf, len);

	if (mem) {
		memset(fake_ram(buf, len), 0xa5, len);
		memcpy(before, fake_ram(buf, len), len);
	}
	if (!want) {
		m_expect_stats(h, &exp);
	}
	expect(refusal(ptm_stats(self, h, buf)), want, "STATS");
	if (!mem) {
		return;
	}
	memcpy(&got, fake_ram(buf, len), len);
	if (want && memcmp(before, &got, len)) {
		fail("refused STATS wrote its buffer");
	}
	if (!want) {
		exp.calls = got.calls; /* not modelled */
		for (unsigned i = 0; i < 21; i++) {
			expect(((uint64_t *)&got)[i], ((uint64_t *)&exp)[i],
			       "STATS word");
		}
	}
}

static uint64_t gen_satp(struct input *in)
{
	unsigned sel = in_u8(in) % 10;
	uint64_t asid = (uint64_t)in_u16(in) << 44;
	int a = any_as(in);
	uint64_t root = a >= 0 ? FZ_POOL + m.as[a].root * PG_SIZE : FZ_POOL;

	switch (sel) {
	case 0:
		return 0;
	case 1:
		return (uint64_t)(in_u8(in) % 16) << 60 | root >> 12;
	case 2:
		return 8UL << 60 | asid | m.kroot[in_u8(in) & 1] >> 12;
	case 3 ... 5:
		return 8UL << 60 | asid | root >> 12;
	case 6:
		return 8UL << 60 | pool_page(in_u8(in)) >> 12;
	case 7:
		return 8UL << 60 | (in_u64(in) & ((1UL << 44) - 1));
	default:
		return in_u64(in);
	}
}

static void op_satp(struct input *in)
{
	unsigned hart = in_u8(in) % FZ_HARTS;
	uint64_t value = gen_satp(in), out = POISON;
	long want = m_satp(value);

	expect(ptm_satp_write(hart, value, &out), want, "satp write");
	if (want) {
		m.satp_refused++;
		expect(out, POISON, "refused satp output");
		return;
	}
	m.satp_writes++;
	m.satp[hart] = value;
	expect(out, value, "satp written");
}

static void op_misc(struct input *in)
{
	unsigned sel = in_u8(in) % 4;
	unsigned long v = POISON;
	unsigned field;

	switch (sel) {
	case 0:
		/* A hart (re)starts: satp = 0 (HSM). */
		field = in_u8(in) % FZ_HARTS;
		ptm_satp_note(field, 0);
		m.satp[field] = 0;
		return;
	case 1:
		ptm_count_sfence();
		m.sfences++;
		return;
	default:
		field = in_u8(in) % 9;
		expect(ptm_info(field, &v),
		       field < 7 ? 0 : SBI_ERR_INVALID_PARAM, "INFO");
		if (field == SECMON_INFO_LOCKED) {
			expect(v, m.locked, "INFO locked");
		}
		if (field == SECMON_INFO_POOL_BASE) {
			expect(v, FZ_POOL, "INFO pool base");
		}
	}
}

/* ---- Set-up ---- */

static void fill_root(uint64_t pa, uint64_t kleaf)
{
	uint64_t *t = fake_ram(pa, PG_SIZE);

	memset(t, 0, PG_SIZE);
	t[300] = kleaf;
	t[500] = ppn(FZ_KSTART + 0x1000) | V;
}

/* FZ_HARTS harts, hartids 0 .. FZ_HARTS - 1, all STOPPED to HSM (the
 * model has only the calling hart report a satp at LOCK): the
 * per-hart region as boot lays it out. */
static void harts_init(void)
{
	static struct plat_hart h[FZ_HARTS];
	static _Alignas(64) unsigned char area[1 << 16];

	for (unsigned i = 0; i < FZ_HARTS; i++) {
		h[i] = (struct plat_hart){.hartid = i};
	}
	plat.harts = h;
	plat.nharts = FZ_HARTS;
	if (hart_area_layout(NULL, FZ_HARTS) > sizeof(area)) {
		abort();
	}
	hart_area_layout(area, FZ_HARTS);
	hart_table_init(&plat);
	hsm_init(FZ_HARTS);
}

static void machine_init(void)
{
	fake_reset();
	harts_init();
	plat.nmem = 2;
	plat.mem[0] = (struct plat_mem){FZ_RAM0, FZ_RAM0_SIZE};
	plat.mem[1] = (struct plat_mem){FZ_RAM1, FZ_RAM1_SIZE};
	memmap_reset();
	if (memmap_add_ram(FZ_RAM0, FZ_RAM0_SIZE) ||
	    memmap_add_ram(FZ_RAM1, FZ_RAM1_SIZE) ||
	    memmap_set_monitor(FZ_MON, FZ_MON_SIZE)) {
		abort();
	}
}

/* Per input: a fresh pool and model, fixed kernel roots. */
static void machine_reset(void)
{
	/* Linux maps its linear map with 1 GiB global leaves. */
	fill_root(FZ_SWAPPER, ppn(0x80000000UL) | R | W | G | A | D | V);
	fill_root(FZ_TRAMP, ppn(0x80000000UL) | R | X | G | A | V);
	memset(fake_ram(FZ_ZERO, PG_SIZE), 0, PG_SIZE);
	memset(fake_ram(FZ_RAM1, PG_SIZE), 0, PG_SIZE);
	fill_root(FZ_DIRTY, 0);
	((uint64_t *)fake_ram(FZ_DIRTY, PG_SIZE))[7] =
	    0x2; /* V=0 still counts */
	for (unsigned h = 0; h < FZ_HARTS; h++) {
		fake_hart_state(h)->ptm_flushes = 0;
	}
	memmap_set_kernel_roots(0, 0); /* the last input's LOCK */
	if (ptm_records_size(FZ_POOL_PAGES * PG_SIZE, NULL) !=
		FZ_RECORDS_SIZE ||
	    ptm_init(FZ_POOL, FZ_POOL_PAGES * PG_SIZE, FZ_RECORDS,
		     FZ_RECORDS_SIZE)) {
		fail("ptm_init");
	}
	m_reset();
}

static void run_op(struct input *in, unsigned op)
{
	switch (op) {
	case 0:
		op_name = "LOCK";
		op_lock(in);
		break;
	case 1 ... 2:
		op_name = "AS_CREATE";
		op_create(in);
		break;
	case 3 ... 4:
		op_name = "PT_ALLOC";
		op_alloc(in);
		break;
	case 5 ... 8:
		op_name = "PTE_SET";
		op_pte(in, SECMON_BATCH_OP_SET);
		break;
	case 9 ... 10:
		op_name = "PTE_MODIFY";
		op_pte(in, SECMON_BATCH_OP_MODIFY);
		break;
	case 11 ... 12:
		op_name = "BATCH";
		op_batch(in);
		break;
	case 13 ... 14:
		op_name = "PT_FREE";
		op_free(in);
		break;
	case 15 ... 16:
		op_name = "AS_DESTROY";
		op_destroy(in);
		break;
	case 17:
		op_name = "STATS";
		op_stats(in);
		break;
	case 18 ... 19:
		op_name = "satp";
		op_satp(in);
		break;
	default:
		op_name = "misc";
		op_misc(in);
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	machine_init();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = {data, size};
	unsigned first = in_u8(&in);

	machine_reset();
	op_no = 0;
	self = 0;
	if (!(first & 1)) {
		/* Most inputs start locked, as a booted kernel is. */
		op_name = "initial LOCK";
		fake_hart_state(0)->satp = 8UL << 60 | FZ_SWAPPER >> 12;
		expect(ptm_lock_kernel(0, FZ_SWAPPER, FZ_TRAMP, FZ_KSTART,
				       FZ_KEND),
		       0, "initial LOCK");
		m_apply_lock(FZ_SWAPPER, FZ_TRAMP, FZ_KSTART, FZ_KEND, 0,
			     8UL << 60 | FZ_SWAPPER >> 12);
	}
	while (in.n && op_no < MAX_OPS) {
		unsigned op = in_u8(&in);

		op_no++;
		self = (op >> 5) % FZ_HARTS;
		run_op(&in, op % 21);
		check_all();
	}
	return 0;
}
