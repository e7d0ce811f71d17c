// SPDX-License-Identifier: BSD-2-Clause
/*
 * The differential fuzz target of the page-table manager (libFuzzer, and
 * AFL++ through afl_main.c). Each input is decoded into ABI calls with
 * adversarial arguments (the gen_* functions), made against the real
 * handlers on the host fake machine, either one at a time from a chosen
 * hart or in rounds of 2-3 calls that as many threads, each a hart, make
 * at once. The reference model (model.c) must predict each result: one
 * call at a time in order; a round's calls in some order (linearizability).
 * After every call or round the fuzzer compares the error and value, the
 * whole pool byte for byte, the kernel roots, every hart's hgatp, INFO and
 * the global STATS with the model, and runs ptm_check(). Any difference
 * aborts, and the engine keeps the input.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
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
#include "sbi.h"
#include "sbi_ext.h"

#include <secmon/pte_bits.h>

#define POISON 0x5ec0ffee5ec0ffeeUL
#define MAX_OPS 400
#define MAX_LANES 3

struct input {
	const uint8_t *p;
	size_t n;
};

static unsigned self; /* the calling hart of the op being generated */
static unsigned lane; /* its lane in a round (0 in sequential mode) */
static unsigned op_no;
static const char *op_name;

/*
 * Checking a round, each order of its calls is a trial: a difference ends
 * the trial (longjmp) with its message kept, and the next order is tried.
 */
static bool trial;
static jmp_buf trial_jmp;
static char trial_msg[512];

static void __attribute__((noreturn, format(printf, 1, 2)))
fail(const char *fmt, ...)
{
	va_list ap;
	int n;

	if (trial) {
		n = snprintf(trial_msg, sizeof(trial_msg), "%s: ", op_name);
		va_start(ap, fmt);
		vsnprintf(trial_msg + n, sizeof(trial_msg) - (size_t)n, fmt,
			  ap);
		va_end(ap);
		longjmp(trial_jmp, 1);
	}
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
		if (in_u8(in) & 1) {
			return h + 1 +
			       in_u8(in) % 3; /* a G-stage root's tail */
		}
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
	    (m.pg[idx].state != MP_ROOT && m.pg[idx].state != MP_TABLE &&
	     m.pg[idx].state != MP_GROOT)) {
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
			     m.pg[p].state == MP_TABLE ||
			     m.pg[p].state == MP_GROOT) &&
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

/* Buffers for BATCH and STATS: mostly good, some bad in every way. The
 * good ones of a round's lanes never overlap. */
#define LANE_BUF ((FZ_BUF_SIZE / MAX_LANES) & ~0xfffUL)

static uint64_t gen_buffer(struct input *in, uint64_t len)
{
	unsigned sel = in_u8(in) % 17;
	uint64_t off = lane * LANE_BUF + (in_u16(in) * 8UL) % (LANE_BUF - 4096);

	switch (sel) {
	case 0 ... 7:
		return FZ_BUF + off;
	case 8:
		/* Clear of FZ_RAM1's first page, a root LOCK may take. */
		return FZ_RAM1 + 0x10000 + off;
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

/* ---- One call: generated, made, then checked against the model ---- */

enum op {
	OP_LOCK,
	OP_CREATE,
	OP_ALLOC,
	OP_SET,
	OP_MODIFY,
	OP_BATCH,
	OP_FREE,
	OP_DESTROY,
	OP_STATS,
	OP_SATP,
	OP_HGATP,
	OP_ENTER,
	OP_SFENCE,
	OP_INFO,
	OP_TRACE,
	OP_CHECK,
	OP_NOFID,
	OP_NONE, /* a good buffer the fuzzer cannot fill: skipped */
};

static const char *const op_names[] = {
    "LOCK",    "AS_CREATE",  "PT_ALLOC", "PTE_SET", "PTE_MODIFY",  "BATCH",
    "PT_FREE", "AS_DESTROY", "STATS",	 "satp",    "HGATP_SET",   "hart start",
    "sfence",  "INFO",	     "TRACE",	 "CHECK",   "unknown FID", "none",
};

struct call {
	enum op op;
	unsigned hart;
	bool sbi; /* through sbi_ptm: the extension's decoding too */
	bool fill; /* the buffer is the fuzzer's to fill and compare */
	uint64_t a[6];
	uint64_t len; /* BATCH and STATS: the buffer's length */
	struct secmon_batch_entry batch[SECMON_BATCH_MAX]; /* as written */
	uint8_t before[sizeof(struct secmon_stats)];
	/* What the real call did. */
	long rc;
	uint64_t value;
	struct secmon_stats stats; /* the bytes STATS left in its buffer */
	unsigned long flushes; /* flush hooks it ran */
	unsigned long sfence_va, hfence_gpa;
	uint64_t last_va, last_gpa;
};

/* The calls of a round, one per lane (sequential mode uses the first). */
static struct call calls[MAX_LANES];

/*
 * A round's lanes fill and read their buffers at once: a buffer that
 * overlaps one an earlier lane of the round fills makes its call a no-op.
 */
static bool overlaps_earlier_lane(const struct call *c)
{
	for (unsigned k = 0; k < lane; k++) {
		if (calls[k].fill &&
		    overlaps(c->a[1], c->len, calls[k].a[1], calls[k].len)) {
			return true;
		}
	}
	return false;
}

/* The root of some AS the model knows (of any kind and state). */
static uint64_t any_root(struct input *in)
{
	int a = any_as(in);

	return a >= 0 ? FZ_POOL + m.as[a].root * PG_SIZE : FZ_POOL;
}

static uint64_t gen_satp(struct input *in)
{
	unsigned sel = in_u8(in) % 10;
	uint64_t asid = (uint64_t)in_u16(in) << 44;
	uint64_t root = any_root(in);

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

static uint64_t gen_hgatp(struct input *in)
{
	unsigned sel = in_u8(in) % 9;
	uint64_t vmid = (uint64_t)(in_u16(in) & 0x3fff) << 44;
	uint64_t root = any_root(in);

	switch (sel) {
	case 0:
		return 0;
	case 1:
		return vmid; /* Bare with a VMID */
	case 2 ... 4:
		return 8UL << 60 | vmid | root >> 12;
	case 5:
		return 8UL << 60 | vmid | (root >> 12) + 1 + in_u8(in) % 3;
	case 6:
		return FZ_SEAL | vmid; /* the seal, read back and written */
	case 7:
		return (uint64_t)(in_u8(in) % 16) << 60 | vmid | root >> 12;
	default:
		return in_u64(in);
	}
}

static void gen_lock(struct input *in, struct call *c)
{
	static const uint64_t roots[] = {
	    FZ_SWAPPER,	    FZ_TRAMP,
	    FZ_ZERO,	    FZ_DIRTY,
	    FZ_SWAPPER + 8, FZ_MON + 0x1000,
	    FZ_POOL,	    FZ_RAM1,
	    0x10000000,	    FZ_RAM0 + FZ_RAM0_SIZE,
	};
	unsigned s1 = in_u8(in), s2 = in_u8(in), h = in_u8(in);
	uint64_t satp;

	/* Mostly one of the three good roots. */
	c->a[0] = roots[s1 % (s1 & 0x80 ? 10 : 3)];
	c->a[1] = roots[s2 % (s2 & 0x80 ? 10 : 3)];
	c->a[2] = in_u8(in) & 1 ? in_u64(in) : FZ_KSTART;
	c->a[3] = in_u8(in) & 1 ? in_u64(in) : FZ_KEND;
	/* The hole: mostly none, else pages of the image, or anything. */
	if (h % 4 == 1) {
		c->a[4] = FZ_KSTART + (in_u8(in) % 64) * PG_SIZE;
		c->a[5] = c->a[4] + (in_u8(in) % 64) * PG_SIZE;
	} else if (h % 4 == 2) {
		c->a[4] = in_u64(in);
		c->a[5] = in_u64(in);
	}
	satp = (in_u8(in) & 1 ? in_u64(in) : 8UL << 60) | (FZ_SWAPPER >> 12);
	/* What the hart runs on when LOCK asks (ptm_hook_protect). */
	fake_hart_state(self)->satp = satp;
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

static void gen_batch(struct input *in, struct call *c)
{
	int a = m_live(c->a[0]);
	unsigned sel = in_u8(in);
	uint64_t n =
	    sel % 32 ? sel % 12 : (sel & 0x20 ? 128 + (sel >> 6) : in_u64(in));

	c->len = n <= SECMON_BATCH_MAX ? n * 32 : 0;
	c->a[1] = gen_buffer(in, c->len);
	c->a[2] = n;
	c->fill = c->len && !(c->a[1] & 7) && writable_buffer(c->a[1], c->len);
	if (c->fill && overlaps_earlier_lane(c)) {
		c->op = OP_NONE;
		return;
	}
	if (!c->fill && n <= SECMON_BATCH_MAX && m_buffer_ok(c->a[1], c->len) &&
	    c->len) {
		c->op = OP_NONE;
		return;
	}
	if (c->fill) {
		fill_batch(in, a, c->a[1], (unsigned)n);
		memcpy(c->batch, fake_ram(c->a[1], c->len), c->len);
	}
}

static void gen_stats(struct input *in, struct call *c)
{
	c->a[0] = in_u8(in) % 4 ? gen_handle(in) : SECMON_STATS_GLOBAL;
	c->len = sizeof(struct secmon_stats);
	c->a[1] = gen_buffer(in, c->len);
	c->fill = writable_buffer(c->a[1], c->len);
	if (c->fill && overlaps_earlier_lane(c)) {
		c->op = OP_NONE;
		return;
	}
	if (c->fill) {
		memset(fake_ram(c->a[1], c->len), 0xa5, c->len);
		memcpy(c->before, fake_ram(c->a[1], c->len), c->len);
	}
}

static void gen_misc(struct input *in, struct call *c)
{
	unsigned sel = in_u8(in) % 8;

	switch (sel) {
	case 0:
		c->op = OP_ENTER;
		return;
	case 1:
		c->op = OP_SFENCE;
		return;
	case 2:
		c->op = OP_TRACE;
		c->sbi = true;
		c->a[0] = in_u8(in) % 40;
		c->a[1] = in_u8(in) & 1 ? pool_page(in_u8(in)) : FZ_USER;
		c->a[2] = in_u64(in);
		return;
	case 3:
		c->op = OP_CHECK;
		return;
	case 4:
		c->op = OP_NOFID;
		c->sbi = true;
		c->a[0] = 14 + in_u8(in) % 4;
		if (c->a[0] == 17) {
			c->a[0] = in_u64(in) | 16; /* no FID is 16 or more */
		}
		return;
	default:
		c->op = OP_INFO;
		c->a[0] = in_u8(in) % 34;
	}
}

/* Decode one call from hart self; the model is read, never changed. */
static void gen_call(struct input *in, unsigned opbyte, struct call *c)
{
	unsigned which = opbyte % 24;

	memset(c, 0, offsetof(struct call, batch));
	c->hart = self;
	c->sbi = in_u8(in) & 1;
	switch (which) {
	case 0:
		c->op = OP_LOCK;
		gen_lock(in, c);
		break;
	case 1 ... 2:
		c->op = OP_CREATE;
		c->a[0] = in_u8(in);
		c->a[0] = c->a[0] % 16 ? c->a[0] & 1 : in_u64(in);
		break;
	case 3 ... 4:
		c->op = OP_ALLOC;
		c->a[0] = gen_handle(in);
		c->a[1] = in_u8(in) % 8 ? in_u8(in) & 1 : in_u64(in);
		break;
	case 5 ... 8:
		c->op = OP_SET;
		c->a[0] = gen_handle(in);
		c->a[1] = gen_slot(in, m_live(c->a[0]));
		c->a[2] = gen_value(in, m_live(c->a[0]), c->a[1]);
		/* a3: mostly none, else a page address or anything. */
		c->a[3] = in_u8(in) % 3 ? 0 : in_u64(in) & ~0xfffUL;
		break;
	case 9 ... 10:
		c->op = OP_MODIFY;
		c->a[0] = gen_handle(in);
		c->a[1] = gen_slot(in, m_live(c->a[0]));
		gen_masks(in, m_live(c->a[0]), c->a[1], &c->a[2], &c->a[3]);
		break;
	case 11 ... 12:
		c->op = OP_BATCH;
		c->a[0] = gen_handle(in);
		gen_batch(in, c);
		break;
	case 13 ... 14: {
		int a;
		unsigned sel;

		c->op = OP_FREE;
		c->a[0] = gen_handle(in);
		a = m_live_or_zombie(c->a[0]);
		sel = in_u8(in) % 8;
		c->a[1] = sel < 5    ? gen_table(in, a)
			  : sel == 5 ? gen_table(in, a) + 8 * (in_u8(in) + 1)
				     : gen_slot(in, a) & ~0xfffUL;
		break;
	}
	case 15 ... 16:
		c->op = OP_DESTROY;
		c->a[0] = gen_handle(in);
		break;
	case 17:
		c->op = OP_STATS;
		gen_stats(in, c);
		break;
	case 18 ... 19:
		c->op = OP_SATP;
		c->a[0] = gen_satp(in);
		break;
	case 20 ... 21:
		c->op = OP_HGATP;
		c->sbi = true; /* loading hgatp is the extension's part */
		c->a[0] = gen_hgatp(in);
		break;
	default:
		gen_misc(in, c);
	}
}

static const unsigned long fid_of[] = {
    [OP_LOCK] = SECMON_PTM_LOCK,	 [OP_CREATE] = SECMON_PTM_AS_CREATE,
    [OP_ALLOC] = SECMON_PTM_PT_ALLOC,	 [OP_SET] = SECMON_PTM_PTE_SET,
    [OP_MODIFY] = SECMON_PTM_PTE_MODIFY, [OP_BATCH] = SECMON_PTM_BATCH,
    [OP_FREE] = SECMON_PTM_PT_FREE,	 [OP_DESTROY] = SECMON_PTM_AS_DESTROY,
    [OP_STATS] = SECMON_PTM_STATS,	 [OP_HGATP] = SECMON_PTM_HGATP_SET,
    [OP_INFO] = SECMON_PTM_INFO,	 [OP_TRACE] = SECMON_PTM_TRACE,
    [OP_CHECK] = SECMON_PTM_CHECK,
};

static void call_sbi(struct call *c)
{
	struct sbi_call sc = {.eid = SECMON_EXT_PTM, .hart = c->hart};
	struct sbi_ret r;

	memcpy(sc.a, c->a, sizeof(sc.a));
	sc.fid = c->op == OP_NOFID ? c->a[0] : fid_of[c->op];
	r = sbi_ptm(&sc);
	c->rc = r.error;
	c->value = r.value;
}

/* The handlers themselves; outputs they must not write stay POISON. */
static void call_direct(struct call *c)
{
	unsigned long h = c->hart, v = POISON;
	uint64_t old = POISON;
	char msg[160];

	switch (c->op) {
	case OP_LOCK:
		c->rc = ptm_lock_kernel_hole(h, c->a[0], c->a[1], c->a[2],
					     c->a[3], &c->a[4]);
		v = 0;
		break;
	case OP_CREATE:
		c->rc = ptm_as_create_kind(h, c->a[0], &v);
		break;
	case OP_ALLOC:
		c->rc = ptm_pt_alloc(h, c->a[0], c->a[1], &v);
		break;
	case OP_SET:
		c->rc = ptm_pte_set_fenced(h, c->a[0], c->a[1], c->a[2],
					   c->a[3], &old);
		v = old;
		break;
	case OP_MODIFY:
		c->rc =
		    ptm_pte_modify(h, c->a[0], c->a[1], c->a[2], c->a[3], &old);
		v = old;
		break;
	case OP_BATCH:
		c->rc = ptm_batch(h, c->a[0], c->a[1], c->a[2], &v);
		break;
	case OP_FREE:
		c->rc = ptm_pt_free(h, c->a[0], c->a[1]);
		v = 0;
		break;
	case OP_DESTROY:
		c->rc = ptm_as_destroy(h, c->a[0]);
		v = 0;
		break;
	case OP_STATS:
		c->rc = ptm_stats(h, c->a[0], c->a[1]);
		v = 0;
		break;
	case OP_INFO:
		c->rc = ptm_info_hart(h, c->a[0], &v);
		break;
	case OP_CHECK:
		c->rc = ptm_check(h, msg, sizeof(msg));
		v = 0;
		break;
	default:
		break;
	}
	c->value = v;
}

/* Make the call on its hart (from any thread) and note what it did. */
static void exec_call(struct call *c)
{
	struct fake_hart_state *h = fake_hart_state(c->hart);
	unsigned long flushes = h->ptm_flushes, sva = h->sfence_va;
	unsigned long gpa = h->hfence_gvma[1];
	uint64_t out = POISON;

	c->rc = 0;
	c->value = 0;
	fake_thread_enter(c->hart);
	switch (c->op) {
	case OP_SATP:
		c->rc = ptm_satp_write(c->hart, c->a[0], &out);
		c->value = out;
		break;
	case OP_ENTER:
		c->value = ptm_hart_entering(c->hart);
		/* It enters S-mode with no guest map loaded. */
		h->hgatp = 0;
		break;
	case OP_SFENCE:
		ptm_count_sfence();
		break;
	case OP_NONE:
		break;
	default:
		if (c->sbi) {
			call_sbi(c);
		} else {
			call_direct(c);
		}
	}
	c->flushes = h->ptm_flushes - flushes;
	c->sfence_va = h->sfence_va - sva;
	c->hfence_gpa = h->hfence_gvma[1] - gpa;
	c->last_va = h->last_va;
	c->last_gpa = h->last_gpa;
	if (c->op == OP_STATS && c->fill) {
		memcpy(&c->stats, fake_ram(c->a[1], c->len), c->len);
	}
	fake_thread_leave(c->hart);
}

/* FUZZ_PTM_VERBOSE=1 in the environment: every call, when replaying an
 * input by hand. */
static void trace_call(const struct call *c)
{
	static int verbose = -1;

	if (verbose < 0) {
		verbose = getenv("FUZZ_PTM_VERBOSE") != NULL;
	}
	if (verbose) {
		fprintf(
		    stderr,
		    "fuzz_ptm: op %u hart %u %s%s a0 0x%lx a1 0x%lx a2 0x%lx "
		    "a3 0x%lx: rc %ld value 0x%lx\n",
		    op_no, c->hart, op_names[c->op], c->sbi ? " (sbi)" : "",
		    (unsigned long)c->a[0], (unsigned long)c->a[1],
		    (unsigned long)c->a[2], (unsigned long)c->a[3], c->rc,
		    (unsigned long)c->value);
	}
}

/* ---- The model's side of a call ---- */

/* Count a call's refusal in the model, the way STATS reports them. */
static long refusal(long rc)
{
	m.refused += rc != 0;
	return rc;
}

/* Predict entry by entry: how many apply and why the next is refused. */
static long model_batch(int a, const struct secmon_batch_entry *e, unsigned n,
			uint64_t *applied)
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

/* The value a refused call leaves: the handlers write no output, the
 * extension returns 0. */
static uint64_t refused_value(const struct call *c)
{
	return c->sbi ? 0 : POISON;
}

static void model_pte(const struct call *c)
{
	int a = m_live(c->a[0]);
	uint64_t op =
	    c->op == OP_SET ? SECMON_BATCH_OP_SET : SECMON_BATCH_OP_MODIFY;
	uint64_t old = POISON;
	long want = a < 0 ? SBI_ERR_INVALID_PARAM
			  : m_pte(a, c->a[1], op, c->a[2],
				  c->op == OP_SET ? 0 : c->a[3], &old);
	bool fenced = !want && c->op == OP_SET && c->a[3];
	bool gstage = a >= 0 && m.as[a].kind == SECMON_AS_GSTAGE;

	expect(refusal(c->rc), want, "error");
	expect(c->value, want ? refused_value(c) : old, "old value");
	/* a3: the address the new entry maps, fenced on this hart after a
	 * store that was made; a VA in a user space, a GPA in a G-stage
	 * one. */
	expect(c->sfence_va, fenced && !gstage, "sfence.vma a3");
	expect(c->hfence_gpa, fenced && gstage, "hfence.gvma a3");
	if (fenced) {
		expect(gstage ? c->last_gpa : c->last_va, c->a[3],
		       "fenced address");
	}
}

static void model_batch_call(const struct call *c)
{
	int a = m_live(c->a[0]);
	uint64_t applied = 0;
	long want = m_batch_head(c->a[0], c->a[1], c->a[2]);

	if (!want) {
		want = model_batch(a, c->batch, (unsigned)c->a[2], &applied);
	}
	expect(refusal(c->rc), want, "error");
	expect(c->value, applied, "entries applied");
	if (c->fill && memcmp(c->batch, fake_ram(c->a[1], c->len), c->len)) {
		fail("BATCH wrote its buffer");
	}
}

static void model_stats(const struct call *c)
{
	long want = m_stats(c->a[0], c->a[1]);
	struct secmon_stats exp;

	if (!want) {
		m_expect_stats(c->a[0], &exp);
	}
	expect(refusal(c->rc), want, "error");
	expect(c->value, 0, "value");
	if (!c->fill) {
		return;
	}
	if (want && memcmp(c->before, &c->stats, c->len)) {
		fail("refused STATS wrote its buffer");
	}
	if (!want) {
		exp.calls = c->stats.calls; /* not modelled */
		for (unsigned i = 0; i < 21; i++) {
			expect(((uint64_t *)&c->stats)[i],
			       ((uint64_t *)&exp)[i], "STATS word");
		}
	}
}

/* A page-taking call: flushes only as it hands out pages. */
static void flushed(const struct call *c, long want)
{
	if (want && c->flushes) {
		fail("a refused call flushed the quarantine");
	}
	if (c->flushes) {
		m_flush();
	}
}

static void model_take(const struct call *c)
{
	long want =
	    c->op == OP_CREATE ? m_create(c->a[0]) : m_alloc(c->a[0], c->a[1]);
	const char *err;

	expect(refusal(c->rc), want, "error");
	flushed(c, want);
	if (want) {
		expect(c->value, refused_value(c), "value");
		return;
	}
	err = c->op == OP_CREATE
		  ? m_apply_create(c->a[0], c->value)
		  : m_apply_alloc(m_live(c->a[0]), c->a[1], c->value);
	if (err) {
		fail("returned 0x%lx: %s", (unsigned long)c->value, err);
	}
}

static uint64_t info_value(uint64_t field)
{
	switch (field) {
	case SECMON_INFO_VERSION:
		return 2;
	case SECMON_INFO_POOL_BASE:
		return FZ_POOL;
	case SECMON_INFO_POOL_SIZE:
		return FZ_POOL_PAGES * PG_SIZE;
	case SECMON_INFO_FREE_PAGES:
		return m_count(MP_FREE) + m_count(MP_QUAR);
	case SECMON_INFO_FEATURES:
		return SECMON_FEAT_BATCH | SECMON_FEAT_ZOMBIE |
		       SECMON_FEAT_FENCE_VA | (m.hyp ? SECMON_FEAT_GSTAGE : 0);
	case SECMON_INFO_LOCKED:
		return m.locked;
	default:
		return SECMON_BATCH_MAX;
	}
}

static void model_lock(const struct call *c)
{
	uint64_t satp = fake_hart_state(c->hart)->satp;
	long want = m_lock(c->a[0], c->a[1], c->a[2], c->a[3], &c->a[4], satp);

	expect(refusal(c->rc), want, "error");
	expect(c->value, 0, "value");
	if (!want) {
		m_apply_lock(c->a[0], c->a[1], c->a[2], c->a[3], &c->a[4],
			     c->hart, satp);
	}
}

static void model_call(const struct call *c)
{
	long want;
	uint64_t loaded = 0;

	op_name = op_names[c->op];
	expect(c->flushes && c->op != OP_CREATE && c->op != OP_ALLOC, 0,
	       "flushes by a call that takes no page");
	switch (c->op) {
	case OP_LOCK:
		model_lock(c);
		break;
	case OP_CREATE:
	case OP_ALLOC:
		model_take(c);
		break;
	case OP_SET:
	case OP_MODIFY:
		model_pte(c);
		return;
	case OP_BATCH:
		model_batch_call(c);
		break;
	case OP_FREE:
		want = m_free(c->a[0], c->a[1]);
		expect(refusal(c->rc), want, "error");
		if (!want) {
			m_apply_free(c->a[1]);
		}
		break;
	case OP_DESTROY:
		want = m_destroy(c->a[0]);
		expect(refusal(c->rc), want, "error");
		if (!want) {
			m_apply_destroy(m_live(c->a[0]));
		}
		break;
	case OP_STATS:
		model_stats(c);
		break;
	case OP_SATP:
		want = m_satp(c->a[0]);
		expect(c->rc, want, "error");
		if (want) {
			m.satp_refused++;
			expect(c->value, POISON, "refused satp output");
			break;
		}
		m.satp_writes++;
		m.satp[c->hart] = c->a[0];
		expect(c->value, c->a[0], "satp written");
		break;
	case OP_HGATP:
		want = m_hgatp(c->a[0], &loaded);
		expect(refusal(c->rc), want, "error");
		expect(c->value, loaded, "hgatp loaded");
		if (!want) {
			m.hgatp[c->hart] = loaded;
		}
		break;
	case OP_ENTER:
		expect(c->value, m.locked, "entering: locked");
		m.satp[c->hart] = 0;
		m.hgatp[c->hart] = 0;
		break;
	case OP_SFENCE:
		m.sfences++;
		break;
	case OP_INFO:
		want = c->a[0] < 7 ? 0 : SBI_ERR_INVALID_PARAM;
		expect(c->rc, want, "error");
		expect(c->value, want ? refused_value(c) : info_value(c->a[0]),
		       "value");
		break;
	case OP_TRACE:
		expect(c->rc,
		       c->a[0] < SECMON_TRACE_KINDS ? 0 : SBI_ERR_INVALID_PARAM,
		       "error");
		break;
	case OP_CHECK:
		expect(c->rc, 0, "CHECK");
		break;
	case OP_NOFID:
		expect(c->rc, SBI_ERR_NOT_SUPPORTED, "error");
		break;
	case OP_NONE:
		break;
	}
	expect(c->sfence_va + c->hfence_gpa, 0, "fences by a call without a3");
}

/* ---- The state after every call ---- */

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
	expect(ptm_stats(0, SECMON_STATS_GLOBAL, FZ_SCRATCH), 0, "STATS rc");
	memcpy(&got, fake_ram(FZ_SCRATCH, sizeof(got)), sizeof(got));
	m_expect_stats(SECMON_STATS_GLOBAL, &want);
	want.calls = got.calls; /* not modelled */
	if (memcmp(&got, &want, sizeof(got))) {
		for (unsigned i = 0; i < 21; i++) {
			if (((uint64_t *)&got)[i] != ((uint64_t *)&want)[i]) {
				fail("global STATS word %u: 0x%lx, model 0x%lx",
				     i, (unsigned long)((uint64_t *)&got)[i],
				     (unsigned long)((uint64_t *)&want)[i]);
			}
		}
	}
	expect(got.flushes, flush_hooks(), "flushes counted vs flush hooks");
}

/* Everything the model knows, against the machine. */
static void check_state(void)
{
	op_name = "state";
	check_pool();
	if (m.locked &&
	    (memcmp(fake_ram(m.kroot[0], PG_SIZE), m.kroot_bytes[0], PG_SIZE) ||
	     memcmp(fake_ram(m.kroot[1], PG_SIZE), m.kroot_bytes[1],
		    PG_SIZE))) {
		fail("a kernel root changed");
	}
	for (unsigned h = 0; h < FZ_HARTS; h++) {
		expect(fake_hart_state(h)->hgatp, m.hgatp[h], "a hart's hgatp");
	}
	check_global();
}

static void check_invariants(void)
{
	char msg[200];

	op_name = "CHECK";
	if (ptm_check(0, msg, sizeof(msg))) {
		fail("ptm_check: %s", msg);
	}
}

/* ---- Rounds: several harts at once ---- */

static struct {
	pthread_mutex_t mu;
	pthread_cond_t go;
	unsigned gen; /* bumped to start a round */
	unsigned nlanes; /* in this round */
	unsigned arrived; /* at the start line */
	unsigned finished; /* lanes 1.. done */
	bool started;
} rd = {.mu = PTHREAD_MUTEX_INITIALIZER, .go = PTHREAD_COND_INITIALIZER};

/* All lanes of the round wait here until every one is awake, so the
 * calls start as close together as the host allows. */
static void start_line(void)
{
	__atomic_fetch_add(&rd.arrived, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&rd.arrived, __ATOMIC_ACQUIRE) < rd.nlanes) {
		sched_yield();
	}
}

static void *lane_thread(void *arg)
{
	unsigned me = (unsigned)(uintptr_t)arg, seen = 0, n;

	for (;;) {
		/* The round and its size together: a lane that wakes late
		 * must not take a later round's size for its own. */
		pthread_mutex_lock(&rd.mu);
		while (rd.gen == seen) {
			pthread_cond_wait(&rd.go, &rd.mu);
		}
		seen = rd.gen;
		n = rd.nlanes;
		pthread_mutex_unlock(&rd.mu);
		if (me < n) {
			start_line();
			exec_call(&calls[me]);
			__atomic_fetch_add(&rd.finished, 1, __ATOMIC_ACQ_REL);
		}
	}
	return NULL;
}

/* Lazily, in the process that fuzzes: AFL's fork server forks after
 * initialisation, and threads do not survive a fork. */
static void lanes_start(void)
{
	pthread_t t;

	if (rd.started) {
		return;
	}
	rd.started = true;
	for (unsigned k = 1; k < MAX_LANES; k++) {
		if (pthread_create(&t, NULL, lane_thread,
				   (void *)(uintptr_t)k)) {
			abort();
		}
		pthread_detach(t);
	}
}

/* How many rounds ran, and in how many a hart waited for another's lock
 * (FUZZ_PTM_ROUNDS=1: printed at exit, with the models dropped). */
static unsigned long rounds, rounds_waited;
/* Models a round left possible beyond MAX_MODELS (check_round). */
static unsigned long models_dropped;

static void __attribute__((destructor)) print_rounds(void)
{
	if (getenv("FUZZ_PTM_ROUNDS")) {
		fprintf(stderr,
			"fuzz_ptm: %lu rounds, %lu with a hart waiting for "
			"another; %lu possible models dropped\n",
			rounds, rounds_waited, models_dropped);
	}
}

static void run_round(unsigned n)
{
	unsigned long waits = fake_thread_waits();

	lanes_start();
	fake_set_threads(true);
	pthread_mutex_lock(&rd.mu);
	rd.nlanes = n;
	rd.arrived = 0;
	rd.finished = 0;
	rd.gen++;
	pthread_cond_broadcast(&rd.go);
	pthread_mutex_unlock(&rd.mu);
	start_line();
	exec_call(&calls[0]);
	while (__atomic_load_n(&rd.finished, __ATOMIC_ACQUIRE) < n - 1) {
		sched_yield();
	}
	fake_set_threads(false);
	rounds++;
	rounds_waited += fake_thread_waits() != waits;
}

static const unsigned char orders[6][3] = {
    {0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0},
};

/*
 * The models a round's results leave possible. Orders that explain the
 * same results may leave different hidden state (a satp written before
 * or after a LOCK that forgets it), so every state that fits is kept
 * until a later round tells them apart; at most MAX_MODELS, the first
 * ones found (the model generating arguments is the first).
 */
#define MAX_MODELS 6
static struct model models[MAX_MODELS], fits[MAX_MODELS];
static unsigned nmodels;

/* A round starts from the one model the calls before it left. */
static void models_reset(void)
{
	memcpy(&models[0], &m, sizeof(m));
	nmodels = 1;
}

static bool fits_already(unsigned nfits)
{
	for (unsigned f = 0; f < nfits; f++) {
		if (!memcmp(&fits[f], &m, sizeof(m))) {
			return true;
		}
	}
	return false;
}

/* Some order of the round's calls, from some model still possible,
 * must explain every result and the state after them. */
static void check_round(unsigned n)
{
	static char why[6][sizeof(trial_msg)];
	unsigned norders = n == 2 ? 2 : 6, tried = 0, nfits = 0;

	for (unsigned c = 0; c < nmodels; c++) {
		for (unsigned o = 0, t = 0; o < 6 && t < norders; o++) {
			if (n == 2 && orders[o][2] != 2) {
				continue;
			}
			t++;
			memcpy(&m, &models[c], sizeof(m));
			trial = true;
			if (!setjmp(trial_jmp)) {
				for (unsigned k = 0; k < n; k++) {
					model_call(&calls[orders[o][k]]);
				}
				check_state();
				trial = false;
				if (fits_already(nfits)) {
					continue;
				}
				if (nfits == MAX_MODELS) {
					models_dropped++;
					continue;
				}
				memcpy(&fits[nfits++], &m, sizeof(m));
				continue;
			}
			trial = false;
			if (!c) {
				memcpy(why[tried++], trial_msg,
				       sizeof(trial_msg));
			}
		}
	}
	if (nfits) {
		memcpy(models, fits, nfits * sizeof(m));
		nmodels = nfits;
		memcpy(&m, &models[0], sizeof(m));
		return;
	}
	for (unsigned k = 0; k < n; k++) {
		fprintf(stderr,
			"fuzz_ptm: round lane %u: hart %u %s rc %ld "
			"value 0x%lx\n",
			k, calls[k].hart, op_names[calls[k].op], calls[k].rc,
			(unsigned long)calls[k].value);
	}
	for (unsigned t = 0; t < tried; t++) {
		fprintf(stderr, "fuzz_ptm: order %u (first model of %u): %s\n",
			t, nmodels, why[t]);
	}
	op_name = "round";
	fail("no order of the round's %u calls explains the results", n);
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
 * per-hart region as boot lays it out. With hyp, every hart has H. */
static void harts_init(bool hyp)
{
	static struct plat_hart h[FZ_HARTS];
	static _Alignas(64) unsigned char area[1 << 16];

	for (unsigned i = 0; i < FZ_HARTS; i++) {
		h[i] = (struct plat_hart){.hartid = i,
					  .isa = hyp ? PLAT_ISA_H : 0};
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
	harts_init(true);
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
static void machine_reset(bool hyp)
{
	if (hart_hyp() != hyp) {
		harts_init(hyp);
	}
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
		fake_hart_state(h)->hgatp = 0;
	}
	memmap_set_kernel_roots(0, 0); /* the last input's LOCK */
	if (ptm_records_size(FZ_POOL_PAGES * PG_SIZE, NULL) !=
		FZ_RECORDS_SIZE ||
	    ptm_init(FZ_POOL, FZ_POOL_PAGES * PG_SIZE, FZ_RECORDS,
		     FZ_RECORDS_SIZE)) {
		fail("ptm_init");
	}
	m_reset();
	m.hyp = hyp;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	machine_init();
	return 0;
}

static void initial_lock(void)
{
	const uint64_t none[2] = {0, 0};

	op_name = "initial LOCK";
	fake_hart_state(0)->satp = 8UL << 60 | FZ_SWAPPER >> 12;
	expect(ptm_lock_kernel(0, FZ_SWAPPER, FZ_TRAMP, FZ_KSTART, FZ_KEND), 0,
	       "initial LOCK");
	m_apply_lock(FZ_SWAPPER, FZ_TRAMP, FZ_KSTART, FZ_KEND, none, 0,
		     8UL << 60 | FZ_SWAPPER >> 12);
}

/* One call at a time, each from the hart its op byte names. */
static void run_sequential(struct input *in)
{
	while (in->n && op_no < MAX_OPS) {
		unsigned op = in_u8(in);

		op_no++;
		self = (op >> 5) % FZ_HARTS;
		lane = 0;
		gen_call(in, op, &calls[0]);
		op_name = op_names[calls[0].op];
		exec_call(&calls[0]);
		trace_call(&calls[0]);
		model_call(&calls[0]);
		check_state();
		check_invariants();
	}
}

/* Rounds: a byte gives the lanes (2 or 3) and their harts, then each
 * lane's call is decoded; the lanes make them at once. */
static void run_rounds(struct input *in)
{
	while (in->n && op_no < MAX_OPS) {
		unsigned r = in_u8(in), n = 2 + (r & 1);
		unsigned base = (r >> 1) % FZ_HARTS, step = 1 + (r >> 4) % 3;

		op_no++;
		for (lane = 0; lane < n; lane++) {
			self = (base + lane * step) % FZ_HARTS;
			gen_call(in, in_u8(in), &calls[lane]);
		}
		run_round(n);
		for (unsigned k = 0; k < n; k++) {
			trace_call(&calls[k]);
		}
		check_round(n);
		check_invariants();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = {data, size};
	unsigned first = in_u8(&in);

	/* Bit 2: harts without H (no G-stage spaces). */
	machine_reset(!(first & 4));
	op_no = 0;
	self = 0;
	lane = 0;
	if (!(first & 1)) {
		/* Most inputs start locked, as a booted kernel is. */
		initial_lock();
	}
	if (first & 2) {
		models_reset();
		run_rounds(&in);
	} else {
		run_sequential(&in);
	}
	return 0;
}
