// SPDX-License-Identifier: BSD-2-Clause
/*
 * Frama-C EVA entry points for the page-table manager (issue 18, item 1),
 * run by tools/verify. Each eva_* function builds one concrete monitor
 * state through the real handlers, then calls a handler with every
 * S-mode register unconstrained: whatever S-mode passes, EVA must find
 * no undefined behaviour (no alarm) on any path.
 *
 * The state (setup()): 64 pages of RAM at 0x80000000, the monitor in the
 * first two, kernel roots at pages 2 and 3, the image at pages 4-7, OS
 * pages 8-15 (whose bytes S-mode owns: unconstrained, so BATCH and STATS
 * buffers hold anything), a 16-page pool at page 16, its records from
 * page 32; two harts; LOCK done; a user space with a root -> PMD -> PTE
 * chain and a leaf, and a G-stage space with a PMD. The pool's bytes are
 * what the handlers wrote: EVA explores every argument, not every
 * reachable state (docs/verification.md says what that leaves out).
 *
 * The monitor's other components are stubs below: fences and hart
 * messages do nothing, LOCK's "every hart's satp" is what ptm_satp_note
 * recorded, and one hart runs at a time (fc_compat.h).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "__fc_builtin.h"
#include <secmon/abi.h>
#include <secmon/sbi.h>

#include "arch.h"
#include "console.h"
#include "hart.h"
#include "memmap.h"
#include "pmu.h"
#include "ptm.h"
#include "sbi.h"
#include "sbi_ext.h"

#define PG 4096UL
#define RAM_BASE 0x80000000UL
#define RAM_PAGES 64
#define SWAPPER (RAM_BASE + 2 * PG)
#define TRAMP (RAM_BASE + 3 * PG)
#define KSTART (RAM_BASE + 4 * PG)
#define KEND (RAM_BASE + 8 * PG)
#define OS_RAM (RAM_BASE + 8 * PG)
#define OS_PAGES 8
#define POOL (RAM_BASE + 16 * PG)
#define POOL_PAGES 16
#define RECORDS (RAM_BASE + 32 * PG)
#define NHARTS 2
#define SATP_SV39 (8UL << 60)

static uint8_t ram[RAM_PAGES * PG] __attribute__((aligned(4096)));
static uint64_t hart_mem[3 * NHARTS];
static uint64_t pmu_rows[NHARTS][PMU_FW_SLOTS];
uint64_t (*pmu_fw_events)[PMU_FW_SLOTS] = pmu_rows;

/* --- stubs for what the PTM calls outside itself --------------------- */

void *arch_phys_ptr(uint64_t pa, size_t len)
{
	if (pa >= RAM_BASE && len <= sizeof(ram) &&
	    pa - RAM_BASE <= sizeof(ram) - len) {
		return ram + (pa - RAM_BASE);
	}
	return NULL;
}

void arch_relax(void)
{
}

void arch_window(unsigned int point)
{
}

void arch_sfence_vma_va(uintptr_t va)
{
}

void arch_hfence_gvma(bool by_gpa, uint64_t gpa, bool by_vmid,
		      unsigned long vmid)
{
}

void arch_write_hgatp(unsigned long value)
{
}

bool arch_profile(uint64_t *entries, uint64_t *insns)
{
	return false;
}

bool hart_hyp(void)
{
	return true;
}

void hart_serve_if_pending(unsigned long self)
{
}

void ptm_hook_flush_all_harts(unsigned long self)
{
}

void ptm_hook_reseal(unsigned long self, unsigned long hart)
{
}

/* LOCK asks every hart for its satp: here, what ptm_satp_note set. */
void ptm_hook_protect(unsigned long self, bool on, uint64_t *satp)
{
	if (on && satp) {
		for (int h = 0; h < NHARTS; h++) {
			satp[h] = hart_mem[h];
		}
	}
}

size_t con_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	if (size) {
		buf[0] = 0;
	}
	return 0;
}

void con_printf(const char *fmt, ...)
{
}

/* --- the state ---------------------------------------------------------- */

static unsigned long user_h, gstage_h;

static void must(long rc)
{
	if (rc) {
		Frama_C_show_each_setup_failed(rc);
	}
}

static uint64_t link_to(uint64_t pa)
{
	return (pa >> 12) << 10 | 1; /* V */
}

static void setup(void)
{
	unsigned long pmd, pte, gpmd;
	uint64_t old;

	memmap_reset();
	must(memmap_add_ram(RAM_BASE, sizeof(ram)));
	must(memmap_set_monitor(RAM_BASE, 2 * PG));
	ptm_attach(hart_mem, NHARTS);
	must(ptm_init(POOL, POOL_PAGES * PG, RECORDS,
		      ptm_records_size(POOL_PAGES * PG, NULL)));
	ptm_satp_note(0, SATP_SV39 | SWAPPER >> 12);
	must(ptm_lock_kernel(0, SWAPPER, TRAMP, KSTART, KEND));
	must(ptm_as_create(0, &user_h));
	must(ptm_pt_alloc(0, user_h, SECMON_LEVEL_PMD, &pmd));
	must(ptm_pt_alloc(0, user_h, SECMON_LEVEL_PTE, &pte));
	must(ptm_pte_set(0, user_h, SECMON_HANDLE_ROOT_PA(POOL, user_h),
			 link_to(pmd), &old));
	must(ptm_pte_set(0, user_h, pmd, link_to(pte), &old));
	/* U R W A D, mapping the first OS page */
	must(
	    ptm_pte_set(0, user_h, pte + 8, (OS_RAM >> 12) << 10 | 0xd7, &old));
	must(ptm_as_create_kind(0, SECMON_AS_GSTAGE, &gstage_h));
	must(ptm_pt_alloc(0, gstage_h, SECMON_LEVEL_PMD, &gpmd));
	/* What S-mode owns holds anything. */
	Frama_C_make_unknown((char *)arch_phys_ptr(OS_RAM, OS_PAGES * PG),
			     OS_PAGES * PG);
}

static unsigned long any(void)
{
	return Frama_C_unsigned_long_interval(0, ~0UL);
}

static unsigned long any_hart(void)
{
	return Frama_C_unsigned_long_interval(0, NHARTS - 1);
}

/* --- entry points: one per handler, and the SBI dispatch ---------------- */

void eva_pte_set(void)
{
	uint64_t old;

	setup();
	ptm_pte_set_fenced(any_hart(), any(), any(), any(), any(), &old);
}

void eva_pte_modify(void)
{
	uint64_t old;

	setup();
	ptm_pte_modify(any_hart(), any(), any(), any(), any(), &old);
}

/* n is split into its values: with each one fixed, EVA carries the buffer
 * check (n entries from pa fit in OS RAM) into the reads of entry k < n,
 * which an interval for n cannot relate to pa. Above the maximum, BATCH
 * refuses before any read. */
void eva_batch(void)
{
	unsigned long applied;
	unsigned long n = Frama_C_unsigned_long_interval(0, SECMON_BATCH_MAX);

	setup();
	//@ split n;
	ptm_batch(any_hart(), any(), any(), n, &applied);
	ptm_batch(any_hart(), any(), any(),
		  Frama_C_unsigned_long_interval(SECMON_BATCH_MAX + 1, ~0UL),
		  &applied);
}

void eva_pt_alloc(void)
{
	unsigned long pa;

	setup();
	ptm_pt_alloc(any_hart(), any(), any(), &pa);
}

void eva_pt_free(void)
{
	setup();
	ptm_pt_free(any_hart(), any(), any());
}

void eva_as_create(void)
{
	unsigned long h;

	setup();
	ptm_as_create_kind(any_hart(), any(), &h);
}

void eva_as_destroy(void)
{
	setup();
	ptm_as_destroy(any_hart(), any());
}

void eva_stats(void)
{
	setup();
	ptm_stats(any_hart(), any(), any());
}

void eva_info(void)
{
	unsigned long v;

	setup();
	ptm_info(any(), &v);
}

void eva_lock_again(void)
{
	uint64_t hole[2] = {any(), any()};

	setup();
	ptm_lock_kernel_hole(any_hart(), any(), any(), any(), any(), hole);
}

void eva_satp_write(void)
{
	uint64_t out;

	setup();
	ptm_satp_write(any_hart(), any(), &out);
}

void eva_hgatp_write(void)
{
	uint64_t out;

	setup();
	ptm_hgatp_write(any_hart(), any(), &out);
}

void eva_check(void)
{
	char msg[160];

	setup();
	ptm_check(any_hart(), msg, sizeof(msg));
}

/* The SBI extension's dispatch: any FID, any a0-a5, any hart. */
void eva_sbi_ptm(void)
{
	struct sbi_call c = {
	    .a = {any(), any(), any(), any(), any(), any()},
	    .fid = any(),
	    .eid = SECMON_EXT_PTM,
	    .hart = any_hart(),
	};

	setup();
	sbi_ptm(&c);
}
