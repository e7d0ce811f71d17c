/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A reference model of the page-table ABI, written from docs/abi.md alone
 * and kept deliberately plain: arrays, linear scans, no shared code with
 * monitor/ptm. The fuzzer asks it what each call must return and applies
 * accepted calls to it, then compares it with the monitor's real state.
 *
 * The model does not know the allocator's policy; it learns which page
 * was handed out (and whether the quarantine was flushed) from the real
 * call, and checks that this was allowed.
 */
#ifndef SECMON_FUZZ_MODEL_H
#define SECMON_FUZZ_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include <secmon/abi.h>

/* The fuzzer's machine (fake RAM is 8 MiB at 0x80000000, see arch_host.h). */
#define FZ_RAM0 0x80000000UL
#define FZ_RAM0_SIZE (8UL << 20)
#define FZ_RAM1 0x100000000UL
#define FZ_RAM1_SIZE (1UL << 30)
#define FZ_MON 0x80000000UL
#define FZ_MON_SIZE 0x40000UL
#define FZ_BUF 0x80100000UL /* BATCH and STATS buffers */
#define FZ_BUF_SIZE 0x10000UL
#define FZ_KSTART 0x80200000UL
#define FZ_KEND 0x80300000UL
#define FZ_SWAPPER (FZ_KEND - 0x2000UL)
#define FZ_TRAMP (FZ_KEND - 0x1000UL)
#define FZ_DIRTY 0x80300000UL /* a would-be root with a user entry */
#define FZ_ZERO 0x80301000UL /* an empty page: a legal root too */
#define FZ_POOL 0x80400000UL
/* Room for a few Sv39x4 roots (four aligned pages each) beside user
 * spaces, yet small enough that exhaustion and reuse come often. */
#define FZ_POOL_PAGES 32
/* The pool's records (monitor memory): one page right below it. */
#define FZ_RECORDS (FZ_POOL - 0x1000UL)
#define FZ_RECORDS_SIZE 0x1000UL
#define FZ_SCRATCH 0x80500000UL /* the checker's own STATS buffer */
#define FZ_USER 0x80600000UL /* 2 MiB of user data */
#define FZ_HARTS 8
#define FZ_MAX_AS 256 /* handles remembered per input */

#define PG_SIZE 4096UL
/* An Sv39x4 root (priv spec v1.12 §8.5.1): 16 KiB, 16 KiB aligned. */
#define GROOT_PAGES 4
#define GROOT_SIZE (GROOT_PAGES * PG_SIZE)
/* docs/abi.md: after LOCK a hart with no guest holds the seal, Sv39x4 on
 * the monitor's base. */
#define FZ_SEAL (8UL << 60 | FZ_MON >> 12)
#define HGATP_VMID (0x3fffUL << 44)

enum m_page_state { MP_FREE, MP_QUAR, MP_ROOT, MP_TABLE, MP_GROOT };
enum m_as_state { MA_LIVE, MA_ZOMBIE, MA_DEAD };

struct m_page {
	int state;
	int as; /* index into model.as for ROOT/GROOT/TABLE */
	int level; /* 2 for ROOT and GROOT */
	uint64_t e[512];
};

struct m_as {
	uint64_t handle;
	int state;
	int kind; /* SECMON_AS_USER or SECMON_AS_GSTAGE */
	unsigned root; /* pool page index of its root (the first of four) */
};

struct model {
	bool hyp; /* every hart has H: G-stage spaces are offered */
	bool locked;
	uint64_t kroot[2], kstart, kend, hole[2];
	uint64_t khalf[256];
	uint8_t kroot_bytes[2][PG_SIZE]; /* the roots at LOCK */
	struct m_page pg[FZ_POOL_PAGES];
	struct m_as as[FZ_MAX_AS];
	unsigned nas;
	uint64_t satp[FZ_HARTS];
	/* What each hart loaded into hgatp through the monitor (0: nothing
	 * since it started). */
	uint64_t hgatp[FZ_HARTS];
	uint64_t refused, satp_writes, satp_refused, sfences, flushes;
};

extern struct model m;

void m_reset(void);

/* Lookups. */
int m_live(uint64_t handle); /* -1 unless a LIVE handle */
int m_live_or_zombie(uint64_t handle); /* -1 unless LIVE or ZOMBIE */
bool m_pool_index(uint64_t pa, unsigned *idx);
bool m_linked(unsigned idx);
unsigned m_count(int state);
unsigned m_as_count(int state);

/* Predictions: the SBI error the call must return (0 = accepted). */
long m_lock(uint64_t sw, uint64_t tr, uint64_t ks, uint64_t ke,
	    const uint64_t hole[2], uint64_t satp);
long m_create(uint64_t kind);
long m_alloc(uint64_t handle, uint64_t level);
long m_free(uint64_t handle, uint64_t pt_pa);
long m_destroy(uint64_t handle);
long m_stats(uint64_t handle, uint64_t buf);
long m_batch_head(uint64_t handle, uint64_t buf, uint64_t n);
bool m_buffer_ok(uint64_t pa, uint64_t len);
long m_satp(uint64_t value);
/* HGATP_SET: the error, and in *loaded the value the hart loads. */
long m_hgatp(uint64_t value, uint64_t *loaded);

/*
 * One PTE write (op as in BATCH) in the AS a (from m_live): predicts,
 * and applies it if accepted, returning the value replaced in *old.
 */
long m_pte(int a, uint64_t pte_pa, uint64_t op, uint64_t x, uint64_t y,
	   uint64_t *old);

/* Apply accepted calls whose result came from the monitor. */
void m_flush(void);
void m_apply_lock(uint64_t sw, uint64_t tr, uint64_t ks, uint64_t ke,
		  const uint64_t hole[2], unsigned self, uint64_t satp);
/* Returns NULL if accepted as a new AS, else what is wrong. */
const char *m_apply_create(uint64_t kind, uint64_t handle);
const char *m_apply_alloc(int a, uint64_t level, uint64_t pa);
void m_apply_free(uint64_t pt_pa);
void m_apply_destroy(int a);

/* What STATS must write. */
void m_expect_stats(uint64_t handle, struct secmon_stats *s);

#endif
