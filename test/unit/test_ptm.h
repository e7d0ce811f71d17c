/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shared set-up for the page-table manager tests (test_ptm_*.c): a fixed
 * memory map inside the fake RAM, two kernel roots, helpers that make a
 * call and check it succeeded, and a snapshot that proves a refused call
 * changed nothing.
 *
 * Memory map (fake RAM is 8 MiB at 0x80000000, see arch_host.h):
 *   0x80000000  256 KiB  the monitor (TEST_MON_*)
 *   0x80100000   64 KiB  OS buffers for BATCH and STATS
 *   0x80200000    1 MiB  the kernel image; its last two pages are the
 *                        swapper and trampoline roots, as in Linux
 *   0x80400000           the pool (PT_POOL_PAGES pages by default), its
 *                        records right below it (pt_records_base)
 *   0x80600000    2 MiB  user data, 2 MiB aligned
 *   0x100000000   1 GiB  high RAM (plat.mem[1]), for 1 GiB leaves
 */
#ifndef SECMON_TEST_PTM_H
#define SECMON_TEST_PTM_H

#include <stdbool.h>
#include <stdint.h>

#include "harness.h"
#include "ptm_internal.h"
#include "support.h"

#define PT_BUF 0x80100000UL
#define PT_BUF_SIZE 0x10000UL
#define PT_STATS_SCRATCH (PT_BUF + PT_BUF_SIZE - 0x1000UL)
#define PT_KSTART 0x80200000UL
#define PT_KEND 0x80300000UL
#define PT_SWAPPER (PT_KEND - 0x2000UL)
#define PT_TRAMP (PT_KEND - 0x1000UL)
#define PT_POOL 0x80400000UL
#define PT_POOL_PAGES 64
/* The default pool's records: 8 KiB right below it (pt_records_base). */
#define PT_RECORDS (PT_POOL - 0x2000UL)
#define PT_USER 0x80600000UL
#define PT_RAM_END (FAKE_RAM_BASE + FAKE_RAM_SIZE)
#define PT_HIGH FAKE_HIGH_RAM_BASE

#define SATP_SV39 (8UL << 60)
#define SATP_SV48 (9UL << 60)
#define SATP_SV57 (10UL << 60)
#define SATP(root) (SATP_SV39 | ((root) >> 12))

/* Kernel-half entries the swapper carries, as Linux's would: a 1 GiB
 * global leaf (linear map) and a link to a kernel table. */
#define PT_KSLOT_LEAF 300
#define PT_KSLOT_LINK 500

#include <secmon/pte_bits.h>

/* Hart 0 makes the calls unless a test says otherwise. */
#define SELF 0UL

static inline uint64_t ppn(uint64_t pa)
{
	return (pa >> 12) << SECMON_PTE_PPN_SHIFT;
}

/* A valid user leaf as the kernel would write it (no A/D). */
static inline uint64_t leaf(uint64_t pa, uint64_t flags)
{
	return ppn(pa) | flags | V;
}

static inline uint64_t link_to(uint64_t table_pa)
{
	return ppn(table_pa) | V;
}

/* The address of entry i of the table at pa. */
static inline uint64_t slot(uint64_t table_pa, unsigned i)
{
	return table_pa + 8UL * i;
}

/* Where the tests put the records of a pool of npages at base: right
 * below it, as boot.c does, or right above a pool at the start of high
 * RAM. */
uint64_t pt_records_base(uint64_t base, unsigned long npages);
/* Boot the fake machine (virt-4hart), declare the high RAM range and take
 * a pool of npages at base, with its records at pt_records_base(). No
 * LOCK. */
void pt_boot(uint64_t base, unsigned long npages);
/* pt_boot with the default pool, then a successful LOCK from hart 0. */
void pt_setup(void);
void pt_lock(void);

/* Calls that must succeed (checked, then ptm_check() must pass). */
unsigned long pt_create(void);
uint64_t pt_alloc(unsigned long h, unsigned long level);
uint64_t pt_set(unsigned long h, uint64_t pte_pa, uint64_t val);
uint64_t pt_modify(unsigned long h, uint64_t pte_pa, uint64_t clear,
		   uint64_t set);
void pt_free(unsigned long h, uint64_t pt_pa);
void pt_destroy(unsigned long h);
struct secmon_stats pt_stats(unsigned long h);
/* A live AS with a root -> PMD -> PTE chain covering VA 0: returns the
 * PTE table; *pmd gets the PMD table if non-NULL. */
uint64_t pt_chain(unsigned long h, uint64_t *pmd);

/* The entry at pa (pool or other fake RAM). */
uint64_t pt_read(uint64_t pa);
void pt_write(uint64_t pa, uint64_t val);
unsigned long pt_free_pages(void);
bool pt_page_zero(uint64_t pa);

/* ptm_check() must pass; prints its message if not. */
#define CHECK_PTM_OK() pt_check_ok(__FILE__, __LINE__)
void pt_check_ok(const char *file, int line);

/*
 * Everything a refused call must leave alone: the pool bytes, the
 * monitor's database and its page and address-space records (counters
 * and the checker's scratch aside), the kernel roots, the OS buffers,
 * the global STATS, and the fake's flush and lock hooks.
 */
struct pt_snap;
struct pt_snap *pt_snap_take(void);
/* The next pt_snap_check expects one protect/take-back pair of LOCK. */
void pt_snap_expect_protect(struct pt_snap *s);
/* Compares and frees; refused is how much the refusal counter must grow. */
void pt_snap_check(struct pt_snap *s, unsigned long refused, const char *file,
		   int line);

/* call must return err and change nothing but the refusal counter. */
#define REFUSED(call, err)                                                     \
	do {                                                                   \
		struct pt_snap *snap_ = pt_snap_take();                        \
		CHECK_EQ((call), (err));                                       \
		pt_snap_check(snap_, 1, __FILE__, __LINE__);                   \
	} while (0)

/* LOCK refused once it had protected the roots: exactly one protect and
 * one take-back ran, and everything else is as before. */
#define REFUSED_PROTECTED(call, err)                                           \
	do {                                                                   \
		struct pt_snap *snap_ = pt_snap_take();                        \
		CHECK_EQ((call), (err));                                       \
		pt_snap_expect_protect(snap_);                                 \
		pt_snap_check(snap_, 1, __FILE__, __LINE__);                   \
	} while (0)

/* The same for the calls that keep no refusal count (INFO, satp). */
#define REFUSED_UNCOUNTED(call, err)                                           \
	do {                                                                   \
		struct pt_snap *snap_ = pt_snap_take();                        \
		CHECK_EQ((call), (err));                                       \
		pt_snap_check(snap_, 0, __FILE__, __LINE__);                   \
	} while (0)

#endif
