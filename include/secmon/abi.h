/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The secmon page-table ABI: one SBI extension in the firmware-specific
 * EID range. This header is shared by the monitor, the S-mode test payload
 * and the Linux glue; docs/abi.md is the contract it encodes.
 *
 * Calls follow the SBI calling convention (SBI v2.0 §3): FID in a6, EID in
 * a7, arguments in a0-a5, (error, value) back in a0/a1, standard SBI error
 * codes only. Every call checks all of its input before it changes
 * anything; an error leaves every piece of state unchanged.
 */
#ifndef SECMON_ABI_H
#define SECMON_ABI_H

#ifdef __KERNEL__
#include <linux/build_bug.h>
#include <linux/types.h>
#define SECMON_STATIC_ASSERT(c, m) static_assert(c, m)
typedef u64 secmon_u64;
#else
#include <stdint.h>
#define SECMON_STATIC_ASSERT(c, m) _Static_assert(c, m)
typedef uint64_t secmon_u64;
#endif

/* SBI v2.0 §3: 0x0A000000-0x0AFFFFFF is firmware-specific. */
#define SECMON_EXT_PTM 0x0A5EC000UL

#define SECMON_ABI_VERSION 2UL

/* Function IDs */
#define SECMON_PTM_INFO 0 /* (field) -> value */
#define SECMON_PTM_LOCK 1 /* (swapper, trampoline, kstart, kend, hole) */
#define SECMON_PTM_AS_CREATE 2 /* (kind) -> handle */
#define SECMON_PTM_PT_ALLOC 3 /* (handle, level) -> table PA */
#define SECMON_PTM_PTE_SET 4 /* (handle, pte_pa, new, fence_va) -> old */
#define SECMON_PTM_PTE_MODIFY 5 /* (handle, pte_pa, clear, set) -> old */
#define SECMON_PTM_BATCH 6 /* (handle, buf_pa, n) -> applied */
#define SECMON_PTM_PT_FREE 7 /* (handle, pt_pa) */
#define SECMON_PTM_AS_DESTROY 8 /* (handle) */
#define SECMON_PTM_STATS 9 /* (handle or SECMON_STATS_GLOBAL, buf_pa) */
#define SECMON_PTM_CHECK 10 /* () -> 0, or error if an invariant fails */
/*
 * Trace mode (the trace-first prototype, docs/trace.md): a permissive
 * kernel reports each page-table event; the monitor only counts them by
 * kind and prints the table on TRACE_DUMP. Nothing is validated or
 * changed: this is a measuring tool, never a protection.
 */
#define SECMON_PTM_TRACE 11 /* (kind, pa, value) */
#define SECMON_PTM_TRACE_DUMP 12 /* () prints the counts */
#define SECMON_TRACE_KINDS 32
/* hgatp through the monitor: Bare, or a live G-stage root (Sv39x4). */
#define SECMON_PTM_HGATP_SET 13 /* (hgatp) -> the value installed */

/*
 * AS_CREATE kinds. A G-stage space (a KVM guest's guest-physical map,
 * priv spec v1.12 §8.5) has an Sv39x4 root: four pool pages, 16 KiB
 * aligned, 2048 entries, the guest's own; levels 1 and 0 as in Sv39.
 */
#define SECMON_AS_USER 0
#define SECMON_AS_GSTAGE 1

/* INFO fields */
#define SECMON_INFO_VERSION 0
#define SECMON_INFO_POOL_BASE 1
#define SECMON_INFO_POOL_SIZE 2
#define SECMON_INFO_FREE_PAGES 3
#define SECMON_INFO_FEATURES 4
#define SECMON_INFO_LOCKED 5
#define SECMON_INFO_BATCH_MAX 6
/*
 * With SECMON_FEAT_PROFILE: traps from S/U-mode served since boot, and
 * the instructions the monitor retired serving them (all harts).
 */
#define SECMON_INFO_MONITOR_ENTRIES 7
#define SECMON_INFO_MONITOR_INSNS 8
/*
 * ...and the instructions its handler of FID f retired (trap entry and
 * exit not included), for f < 16.
 */
#define SECMON_INFO_MONITOR_FID_INSNS(f) (16 + (f))

/* INFO_FEATURES bits */
#define SECMON_FEAT_BATCH (1UL << 0)
#define SECMON_FEAT_ZOMBIE (1UL << 1)
#define SECMON_FEAT_FENCE_VA (1UL << 2) /* PTE_SET's a3: VA to fence */
#define SECMON_FEAT_PROFILE (1UL << 3) /* INFO 7 and 8 (a profile build) */
#define SECMON_FEAT_GSTAGE (1UL << 4) /* AS_CREATE kind 1, HGATP_SET */

/*
 * Address-space handle: bits 0-31 are the pool page index of the root,
 * bits 32-62 a generation that changes every time the slot is reused, so
 * a stale handle never names a new address space. Bit 63 is always 0.
 */
#define SECMON_HANDLE_ROOT_INDEX(h) ((h)&0xffffffffUL)
#define SECMON_HANDLE_ROOT_PA(pool_base, h)                                    \
	((pool_base) + (SECMON_HANDLE_ROOT_INDEX(h) << 12))

/* PT_ALLOC levels (Sv39: 2 is the root, made by AS_CREATE only). */
#define SECMON_LEVEL_PMD 1
#define SECMON_LEVEL_PTE 0

/* BATCH entries: 32 bytes, 8-byte aligned, read once each. */
#define SECMON_BATCH_OP_SET 0
#define SECMON_BATCH_OP_MODIFY 1
#define SECMON_BATCH_MAX 128
struct secmon_batch_entry {
	secmon_u64 op; /* SECMON_BATCH_OP_* */
	secmon_u64 pte_pa; /* the slot, as for PTE_SET */
	secmon_u64 a; /* SET: new value; MODIFY: bits to clear */
	secmon_u64 b; /* MODIFY: bits to set; SET: must be 0 */
};
SECMON_STATIC_ASSERT(sizeof(struct secmon_batch_entry) == 32,
		     "docs/abi.md BATCH: entries are 32 bytes");

/* STATS: the monitor writes this structure to buf_pa. */
#define SECMON_STATS_GLOBAL (~0UL)
struct secmon_stats {
	/* Per address space (zero in the global form) */
	secmon_u64 pages_level[3]; /* table pages per level (2 = root) */
	secmon_u64 table_pages; /* sum of the above */
	secmon_u64 leaf_entries; /* valid leaf PTEs (4 KiB, 2 MiB, 1 GiB) */
	secmon_u64 leaf_pages; /* data pages mapped, in 4 KiB units */
	secmon_u64 user_leaf_pages;
	secmon_u64 zombie; /* 1 if terminated with pages left */
	/* Global (zero in the per-AS form) */
	secmon_u64 pool_pages;
	secmon_u64 free_pages; /* zeroed and ready */
	secmon_u64 quarantine_pages; /* zeroed, waiting for a TLB flush */
	secmon_u64 root_pages;
	secmon_u64 table_pages_all;
	secmon_u64 live_as;
	secmon_u64 zombie_as;
	secmon_u64 calls;
	secmon_u64 refused;
	secmon_u64 satp_writes;
	secmon_u64 satp_refused;
	secmon_u64 sfence_emulated;
	secmon_u64 flushes; /* quarantine flushes (global TLB shootdowns) */
};
SECMON_STATIC_ASSERT(sizeof(struct secmon_stats) == 21 * 8,
		     "docs/abi.md STATS: 21 little-endian u64 words");

/* Sv39 PTE bits (RISC-V Privileged Architecture v1.12 §4.4.1). */
#define SECMON_PTE_V (1UL << 0)
#define SECMON_PTE_R (1UL << 1)
#define SECMON_PTE_W (1UL << 2)
#define SECMON_PTE_X (1UL << 3)
#define SECMON_PTE_U (1UL << 4)
#define SECMON_PTE_G (1UL << 5)
#define SECMON_PTE_A (1UL << 6)
#define SECMON_PTE_D (1UL << 7)
#define SECMON_PTE_PPN_SHIFT 10
#define SECMON_PTE_PPN_MASK (((1UL << 44) - 1) << SECMON_PTE_PPN_SHIFT)
/* bits 54-63: reserved (54-60), PBMT (61-62), N (63) */
#define SECMON_PTE_HIGH_MASK (~0UL << 54)

#endif
