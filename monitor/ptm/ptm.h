/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The page-table manager: owns the pool of Sv39 page-table pages of user
 * address spaces. Every function checks all of its input first and
 * returns a standard SBI error code; on error nothing has changed.
 * docs/abi.md is the contract; include/secmon/abi.h the shared layouts.
 */
#ifndef SECMON_PTM_H
#define SECMON_PTM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <secmon/abi.h>

#define PTM_PAGE_SIZE 4096UL
/*
 * The page records, address-space slots and the checker's tallies live in
 * a monitor-private "records" region that boot code carves out of RAM for
 * the pool it placed (ptm_records_size()). A handle names its root by a
 * 32-bit page index, so a pool has at most 2^32 - 1 pages; the slots are
 * one per pool page (every address space owns its root page), at most
 * what a page record's 16-bit owner field names.
 */
#define PTM_MAX_POOL_PAGES 0xffffffffUL
#define PTM_MAX_SLOTS 65536U
/* Handles carry a 31-bit generation (bit 63 of a handle is 0); the last
 * one is never followed by a reused value: AS_CREATE refuses instead. */
#define PTM_GEN_MAX 0x7fffffffU

/*
 * The records region a pool of pool_size bytes needs: its size, a power of
 * two of at least one page (so that one NAPOT PMP entry covers it when it
 * is aligned to its size), or 0 if pool_size is no pool (0, not page
 * granular, more than PTM_MAX_POOL_PAGES). *nslots (if not NULL) gets the
 * number of address-space slots the records hold.
 */
uint64_t ptm_records_size(uint64_t pool_size, uint32_t *nslots);
/*
 * Boot: take the pool [base, base + size) and the records region
 * [rbase, rbase + rsize), at least ptm_records_size(size) bytes, page
 * aligned, apart from the pool; both zeroed here. S-mode must never reach
 * the records (memmap lists them as monitor memory).
 */
int ptm_init(uint64_t base, uint64_t size, uint64_t rbase, uint64_t rsize);
uint64_t ptm_pool_base(void);
uint64_t ptm_pool_size(void);
/* Address-space slots (0 before ptm_init). */
uint32_t ptm_max_spaces(void);
bool ptm_in_pool(uint64_t pa, uint64_t len);
/* Boot, after ptm_init: every hart implements Svpbmt and has it enabled
 * (menvcfg.PBMTE), so user leaves may carry a PBMT value (NC, IO). */
void ptm_set_pbmt(bool on);

/* Kernel roots after LOCK (0 before). */
bool ptm_locked(void);
uint64_t ptm_kernel_root(int i); /* i = 0: swapper, 1: trampoline */

/* ABI calls. self is the calling hart. */
/* ptm_info reads without the gate (one hart only: tests, analysis);
 * S-mode's INFO is ptm_info_hart. */
long ptm_info(unsigned long field, unsigned long *value);
long ptm_info_hart(unsigned long self, unsigned long field,
		   unsigned long *value);
long ptm_lock_kernel(unsigned long self, uint64_t swapper, uint64_t trampoline,
		     uint64_t kstart, uint64_t kend);
/* LOCK with a hole [hole[0], hole[1]) in the image that user leaves may map
 * writable (memory the kernel freed); hole = {0, 0}: none. */
long ptm_lock_kernel_hole(unsigned long self, uint64_t swapper,
			  uint64_t trampoline, uint64_t kstart, uint64_t kend,
			  const uint64_t hole[2]);
long ptm_as_create(unsigned long self, unsigned long *handle);
/* AS_CREATE of a kind (SECMON_AS_USER, SECMON_AS_GSTAGE). */
long ptm_as_create_kind(unsigned long self, unsigned long kind,
			unsigned long *handle);
long ptm_pt_alloc(unsigned long self, unsigned long handle, unsigned long level,
		  unsigned long *pa);
long ptm_pte_set(unsigned long self, unsigned long handle, uint64_t pte_pa,
		 uint64_t val, uint64_t *old);
/* PTE_SET with a3: after a successful store, fence on this hart the
 * address the entry maps (a VA, or a guest physical address in a G-stage
 * space); 0 fences nothing. */
long ptm_pte_set_fenced(unsigned long self, unsigned long handle,
			uint64_t pte_pa, uint64_t val, uint64_t fence,
			uint64_t *old);
long ptm_pte_modify(unsigned long self, unsigned long handle, uint64_t pte_pa,
		    uint64_t clear, uint64_t set, uint64_t *old);
long ptm_batch(unsigned long self, unsigned long handle, uint64_t buf_pa,
	       unsigned long n, unsigned long *applied);
long ptm_pt_free(unsigned long self, unsigned long handle, uint64_t pt_pa);
long ptm_as_destroy(unsigned long self, unsigned long handle);
long ptm_stats(unsigned long self, unsigned long handle, uint64_t buf_pa);

/*
 * TVM emulation. ptm_satp_write() decides whether S-mode may load satp with
 * value (returning the WARL-adjusted value to write in *out) and records
 * the hart's root. ptm_satp_note() records a satp set by the monitor
 * itself (0 when a hart starts).
 */
long ptm_satp_write(unsigned long self, uint64_t value, uint64_t *out);
void ptm_satp_note(unsigned long self, uint64_t value);
/*
 * hgatp, by HGATP_SET or TVM emulation: accepted only after LOCK and with
 * H offered; *out is what to write (Bare becomes ptm_hgatp_sealed()).
 * ptm_hgatp_sealed() is the hgatp of a locked hart with no guest: Sv39x4
 * on the monitor's base, a root S/U cannot read (PMP), so every guest
 * access faults.
 */
long ptm_hgatp_write(unsigned long self, uint64_t value, uint64_t *out);
uint64_t ptm_hgatp_sealed(void);
/*
 * A hart is about to enter S-mode afresh (HSM start, non-retentive or
 * system-suspend resume) with satp = 0. Records that, after any LOCK in
 * progress has finished, and returns true if LOCK is done: the hart must
 * then not reach U-mode before it has loaded a root (the sret gate).
 */
bool ptm_hart_entering(unsigned long self);
void ptm_count_sfence(void);

/*
 * The invariant checker: walks every pool page and address space and
 * checks every rule in docs/abi.md, under the PTM gate, held alone (so it sees
 * one consistent state whatever other harts call), in one bounded pass. Returns
 * 0 or a negative SBI error, and describes the first violation in msg.
 */
long ptm_check(unsigned long self, char *msg, size_t len);

/* Trace mode: count a page-table event of a permissive kernel. */
long ptm_trace(unsigned long kind, uint64_t pa, uint64_t value);
/* kind's events, V=0 values and stores into the pool; false past the
 * last kind. */
bool ptm_trace_counts(unsigned kind, uint64_t out[3]);

/* Hooks the platform supplies (riscv64: boot.c; host tests: fakes). */
/* Make every hart drop cached translations (sync). */
/*@ assigns \nothing; */
void ptm_hook_flush_all_harts(unsigned long self);
/* Make hart load the sealed hgatp (sync; itself if hart == self). */
void ptm_hook_reseal(unsigned long self, unsigned long hart);
/*
 * LOCK's protection step (caller holds the PTM gate alone). on: every running
 * hart applies the PMP plan, which now covers the kernel roots in the
 * memory map, and TVM, and reports the satp it runs S-mode on in
 * satp[hart] (0 for harts not running). !on: the same, back to the
 * unlocked plan. Returns when every running hart has acknowledged.
 */
void ptm_hook_protect(unsigned long self, bool on, uint64_t *satp);

/* The per-hart region's share (monitor/hart): two satp arrays and the
 * hgatp one. Kept
 * across ptm_init. */
size_t ptm_hart_bytes(void);
void ptm_attach(void *mem, unsigned int n);

#endif
