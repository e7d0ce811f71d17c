/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Private to monitor/ptm: the page database, the address-space table and
 * the helpers that are the only way to change them.
 *
 * The PTM gate (ptm_db.c) is the outermost lock of the monitor's one lock
 * order (monitor/memmap/memmap.h). Calls that create or destroy address
 * spaces or move pages between states hold it alone (db_lock); a holder
 * may send synchronous mailbox requests (hart.c), use OS buffers (memmap
 * lock) and print (console lock). PTE_SET, PTE_MODIFY and BATCH share it
 * (db_lock_shared) and hold their address space's lock (db_as_lock): they
 * change entries of that address space's pages, those pages' counts and links,
 * and its books, and nothing else. Functions named *_locked and the db_* and
 * as_* helpers need the gate held alone unless they say otherwise; the pte_*
 * helpers need at least the shared gate and the address space's lock.
 */
#ifndef SECMON_PTM_INTERNAL_H
#define SECMON_PTM_INTERNAL_H

#include "lock.h"
#include "memmap.h"
#include "ptm.h"

/* Svpbmt's PBMT field of a leaf (priv spec §12, "Svpbmt"): 0 PMA, 1 NC,
 * 2 IO, 3 reserved. */
#define PTE_PBMT_MASK (3UL << 61)

/*
 * Pool page states. Every pool page is in exactly one; changes go through
 * the db_* helpers below.
 */
enum ptm_state {
	/* Zeroed, owned by nobody, may be handed out now. */
	PG_FREE = 0,
	/* Zeroed, owned by nobody, but some hart may still cache a
	 * translation walked through it: reusable after the next global
	 * TLB flush (db_flush_quarantine). */
	PG_QUARANTINE,
	/* Root (level 2) of a live address space; kernel half = swapper's. */
	PG_ROOT,
	/* Level 1 or 0 table owned by an address space (live or zombie);
	 * linked = 1 while exactly one valid non-leaf entry points at it. */
	PG_TABLE,
	/* One of the four pages of a live G-stage address space's Sv39x4
	 * root (level 2, all 512 entries the guest's); the first, 16 KiB
	 * aligned, is the one the handle and hgatp name. */
	PG_GROOT,
};
#define PTM_GROOT_PAGES 4

struct ptm_page {
	uint8_t state; /* enum ptm_state */
	uint8_t level; /* 2, 1 or 0 for ROOT/TABLE */
	uint8_t linked; /* TABLE: referenced by its parent */
	uint8_t pad;
	uint16_t owner; /* address-space slot for ROOT/TABLE */
	uint16_t count; /* valid (V=1) entries */
	/* Entries that are not 0: count plus Linux's V=0 values (swap and
	 * migration entries, PAGE_NONE). At 0 the page is all zero, so
	 * releasing it needs no scan and no scrub. */
	uint16_t nonzero;
	uint16_t pad2;
	/* Level-1 TABLE pages only: the owner's list of them (page index +
	 * 1; 0 ends it), so that AS_DESTROY finds its left-over tables
	 * without a pass over the pool. */
	uint32_t l1_next, l1_prev;
};
_Static_assert(sizeof(struct ptm_page) == 20, "one small record per page");

enum ptm_as_state {
	AS_FREE = 0, /* slot unused */
	AS_LIVE, /* has a root; every call allowed */
	AS_ZOMBIE, /* terminated; unlinked pages left; only PT_FREE */
};

struct ptm_as {
	uint32_t gen; /* bumped when the slot is released */
	uint32_t root; /* pool page index of the root */
	uint32_t pages; /* pool pages owned, root included */
	uint32_t level_pages[3]; /* of those, per level */
	uint32_t leaf_entries; /* valid leaf PTEs */
	uint32_t l1_head; /* its level-1 tables (ptm_page.l1_next); 0: none */
	uint8_t state; /* enum ptm_as_state */
	uint8_t kind; /* SECMON_AS_USER or SECMON_AS_GSTAGE */
	uint64_t leaf_pages; /* mapped data, 4 KiB units */
	/* Orders PTE_SET, PTE_MODIFY and BATCH on this address space (they
	 * share the gate); free whenever the gate is held alone. */
	struct ticket_lock lock;
};
/* Page counts are bounded by the pool's pages, page indices by 32 bits. */
_Static_assert(PTM_MAX_POOL_PAGES <= UINT32_MAX, "page counts fit uint32_t");
/* Every slot number fits a page record's owner field. */
_Static_assert(PTM_MAX_SLOTS - 1 <= UINT16_MAX, "slots fit ptm_page.owner");

/* ptm_check's tally of one slot, re-derived from the pool bytes. */
struct ptm_tally_as {
	uint32_t pages;
	uint32_t level_pages[3];
	uint32_t leaf_entries;
};

/* ptm_check's tallies: scratch that only the checker uses, guarded by the
 * PTM gate like everything else here (no state of its own between calls).
 * The arrays live in the records region. */
struct ptm_check_tally {
	struct ptm_tally_as *as; /* [nslots] */
	uint8_t *parents; /* [npages]; saturates, 1 is the only good value */
	uint32_t nfree, nquarantine;
};

/* [base, end): a range of physical addresses. */
struct ptm_span {
	uint64_t base, end;
};

/*
 * The leaf rules for RAM, precomputed at LOCK (ptm_filter_build) so that
 * the hot path checks a leaf with no call: inside [ram.base, ram.end), a
 * user leaf may touch no deny span and a writable one no deny_w span.
 * Leaves elsewhere take the full check against the memory map.
 */
#define PTM_FILTER_GRANULES 4096
struct ptm_filter {
	struct ptm_span ram;
	uint32_t ndeny, ndeny_w;
	struct ptm_span deny[5]; /* monitor, records, pool, two roots */
	struct ptm_span deny_w[2]; /* the kernel image, less its hole */
	/* RAM in granules of 2^gshift bytes (2 MiB or more, at most
	 * PTM_FILTER_GRANULES of them): a bit is set where a granule touches
	 * any deny or deny_w span. A leaf inside one clear granule needs no
	 * span check. */
	uint32_t gshift;
	uint64_t dirty[PTM_FILTER_GRANULES / 64];
};

struct ptm_db {
	uint64_t base;
	uint32_t npages;
	uint32_t nfree;
	uint32_t nquarantine;
	uint32_t cursor; /* where the next free-page search starts */
	uint32_t nslots; /* address-space slots in the records */
	uint32_t slot_cursor; /* where the next free-slot search starts */
	uint64_t rbase, rsize; /* the records region */
	bool locked;
	bool pbmt; /* every hart has Svpbmt on: leaves may carry PBMT */
	uint64_t kroot[2];
	uint64_t kstart, kend;
	uint64_t khole[2]; /* freed part of the image: [0], [1]; kend if none */
	uint64_t kernel_half[256]; /* swapper's entries 256..511 at LOCK */
	struct ptm_filter filter; /* built at LOCK */
	/* Per hart (nharts entries, in the per-hart region; ptm_attach):
	 * the satp each hart runs, and LOCK's scratch for the reports. */
	uint64_t *hart_satp;
	uint64_t *lock_satp;
	uint64_t *hart_hgatp; /* what HGATP_SET installed, per hart */
	unsigned int nharts;
	struct ptm_page *page; /* [npages], in the records region */
	struct ptm_as *as; /* [nslots], in the records region */
	uint64_t calls, refused, satp_writes, satp_refused, sfences, flushes;
	uint32_t last_gen; /* the last AS generation handed out */
	struct ptm_check_tally tally; /* ptm_check only */
};

extern struct ptm_db ptm;

/*@
  // The page-table manager's specification: the predicates of the ACSL
  // contracts on its helpers and rules, proved by tools/verify --wp
  // (docs/verification.md says what is proved and what is assumed).

  // Privileged spec §4.3.1 (Sv32's PTE format, Sv39's is the same below
  // bit 54): V, R, W, X; a valid entry with R = W = X = 0 points to the
  // next level.
  predicate pte_v(integer e) = (e & SECMON_PTE_V) != 0;
  predicate pte_table(integer e) =
    pte_v(e) && (e & (SECMON_PTE_R | SECMON_PTE_W | SECMON_PTE_X)) == 0;
  predicate pte_leaf(integer e) =
    pte_v(e) && (e & (SECMON_PTE_R | SECMON_PTE_W | SECMON_PTE_X)) != 0;
  // pte_pa(): the address a leaf maps or a link points to.
  logic integer pte_target(integer e) =
    (uint64_t)((e & SECMON_PTE_PPN_MASK) << 2);
  // What a leaf at level 0, 1, 2 maps (Sv39: 4 KiB, 2 MiB, 1 GiB).
  logic integer leaf_bytes(integer level) =
    level == 0 ? 0x1000 : (level == 1 ? 0x200000 : 0x40000000);

  // overlaps() in ptm_pte.c, in 64-bit arithmetic.
  predicate pte_overlap(integer a, integer alen, integer b, integer blen) =
    alen != 0 && blen != 0 && a < (uint64_t)(b + blen) &&
    b < (uint64_t)(a + alen);
  // The writable part of the locked kernel image: the image less its hole.
  predicate touches_image_w{L}(integer pa, integer sz) =
    pte_overlap(pa, sz, ptm.kstart, (uint64_t)(ptm.khole[0] - ptm.kstart)) ||
    pte_overlap(pa, sz, ptm.khole[1], (uint64_t)(ptm.kend - ptm.khole[1]));
  // The leaf theorem's conclusion (docs/abi.md, "Invariants"): a V=1 leaf
  // at this level never maps the monitor (its window or its records), the
  // pool, a locked kernel root, or, if writable, the kernel image.
  predicate leaf_safe{L}(integer level, integer val) =
    !mm_touches_monitor(pte_target(val), leaf_bytes(level)) &&
    !mm_touches_pool(pte_target(val), leaf_bytes(level)) &&
    !mm_touches_kroot(pte_target(val), leaf_bytes(level)) &&
    ((val & SECMON_PTE_W) != 0 ==>
       !touches_image_w(pte_target(val), leaf_bytes(level)));

  // The precomputed filter (ptm_filter_build at LOCK).
  predicate spans_hit{L}(struct ptm_span *s, integer n, integer pa,
			 integer end) =
    \exists integer k; 0 <= k < n && pa < s[k].end && s[k].base < end;
  // The same two sets of spans, named without a pointer into ptm: a
  // predicate that took &ptm.filter would make WP keep all of ptm in its
  // memory model in every function whose contract says filter_ok (the
  // hot path among them), and lose the frame facts it keeps for a value.
  predicate deny_hit{L}(integer pa, integer end) =
    \exists integer k; 0 <= k < ptm.filter.ndeny &&
      pa < ptm.filter.deny[k].end && ptm.filter.deny[k].base < end;
  predicate deny_w_hit{L}(integer pa, integer end) =
    \exists integer k; 0 <= k < ptm.filter.ndeny_w &&
      pa < ptm.filter.deny_w[k].end && ptm.filter.deny_w[k].base < end;
  // Opaque to WP's simplifier, so that the provers match it whole.
  axiomatic granules {
    predicate granule_dirty{L}(integer g) reads ptm.filter.dirty[..];
    axiom granule_dirty_def{L}: \forall integer g;
      granule_dirty(g) <==>
	((ptm.filter.dirty[g / 64] >> (g % 64)) & 1) != 0;
  }
  predicate filter_ram_has{L}(integer pa, integer sz) =
    ptm.filter.ram.base <= pa && pa + sz <= ptm.filter.ram.end;
  // No granule of [pa, end) is marked.
  predicate range_clean{L}(integer pa, integer end) =
    \forall integer x; pa <= x < end ==>
      !granule_dirty((x - ptm.filter.ram.base) >> ptm.filter.gshift);
  // What LOCK's filter must be for the hot path to apply the same rules as
  // the memory map: inside its RAM, a range apart from the deny spans
  // touches no monitor, pool or root, one apart from the deny_w spans no
  // writable image; and a range whose granules are all clean hits no span.
  predicate filter_ok{L} =
    ptm.filter.ndeny <= 5 && ptm.filter.ndeny_w <= 2 &&
    21 <= ptm.filter.gshift < 64 &&
    ptm.filter.ram.base <= ptm.filter.ram.end &&
    ((ptm.filter.ram.end - ptm.filter.ram.base) >> ptm.filter.gshift) <
      PTM_FILTER_GRANULES &&
    (\forall integer pa, sz; 0 < sz && filter_ram_has(pa, sz) &&
       !deny_hit(pa, pa + sz) ==>
       !mm_touches_monitor(pa, sz) && !mm_touches_pool(pa, sz) &&
       !mm_touches_kroot(pa, sz)) &&
    (\forall integer pa, sz; 0 < sz && filter_ram_has(pa, sz) &&
       !deny_w_hit(pa, pa + sz) ==> !touches_image_w(pa, sz)) &&
    (\forall integer pa, end;
       ptm.filter.ram.base <= pa < end <= ptm.filter.ram.end &&
       range_clean(pa, end) ==> !deny_hit(pa, end) && !deny_w_hit(pa, end));

  // The pool as the records see it.
  predicate pool_has{L}(integer pa) =
    ptm.base <= pa < ptm.base + ptm.npages * 4096;
  logic integer pool_index{L}(integer pa) = (pa - ptm.base) / 4096;
  // Owned states: a predicate on the state field alone, not on the
  // record, whose every field WP would load.
  predicate st_owned(integer st) =
    st == PG_ROOT || st == PG_TABLE || st == PG_GROOT;
  // The arrays the records region holds: valid, apart from each other
  // and from ptm itself.
  predicate db_shape{L} =
    0 < ptm.npages && 0 < ptm.nslots <= PTM_MAX_SLOTS &&
    ptm.base + ptm.npages * 4096 <= 18446744073709551615 &&
    \valid(ptm.page + (0 .. ptm.npages - 1)) &&
    \valid(ptm.as + (0 .. ptm.nslots - 1)) &&
    \separated(ptm.page + (0 .. ptm.npages - 1),
	       ptm.as + (0 .. ptm.nslots - 1), &ptm, &memmap_state);
  // Every record's fields in range.
  predicate db_records_ok{L} = \forall integer i; 0 <= i < ptm.npages ==>
    ptm.page[i].state <= PG_GROOT &&
    (st_owned(ptm.page[i].state) ==>
       ptm.page[i].owner < ptm.nslots && ptm.page[i].level <= 2);
  // With no page counted in quarantine, none is there.
  predicate quar_counted{L} = ptm.nquarantine == 0 ==>
    \forall integer j; 0 <= j < ptm.npages ==>
      ptm.page[j].state != PG_QUARANTINE;
  predicate db_ok{L} = db_shape && db_records_ok && quar_counted && mm_sane;
  // Every page but idx keeps its state, owner, level, link and counts.
  predicate pages_kept{L1, L2}(integer idx) =
    \forall integer j; 0 <= j < \at(ptm.npages, L1) && j != idx ==>
      \at(ptm.page[j].state, L1) == \at(ptm.page[j].state, L2) &&
      \at(ptm.page[j].owner, L1) == \at(ptm.page[j].owner, L2) &&
      \at(ptm.page[j].level, L1) == \at(ptm.page[j].level, L2) &&
      \at(ptm.page[j].linked, L1) == \at(ptm.page[j].linked, L2) &&
      \at(ptm.page[j].count, L1) == \at(ptm.page[j].count, L2) &&
      \at(ptm.page[j].nonzero, L1) == \at(ptm.page[j].nonzero, L2);
  // Every page keeps its state, owner and level: what PTE writes may not
  // change (they change entries, counts and links only).
  predicate owners_kept{L1, L2} =
    \forall integer j; 0 <= j < \at(ptm.npages, L1) ==>
      \at(ptm.page[j].state, L1) == \at(ptm.page[j].state, L2) &&
      \at(ptm.page[j].owner, L1) == \at(ptm.page[j].owner, L2) &&
      \at(ptm.page[j].level, L1) == \at(ptm.page[j].level, L2);
  // Two steps that each keep the owners keep them: the fact that carries
  // owners_kept through BATCH's loop.
  lemma owners_kept_trans{L1, L2, L3}:
    owners_kept{L1, L2} && owners_kept{L2, L3} &&
    \at(ptm.npages, L1) == \at(ptm.npages, L2) &&
    \at(ptm.page, L1) == \at(ptm.page, L2) &&
    \at(ptm.page, L2) == \at(ptm.page, L3) ==> owners_kept{L1, L3};
  // What keeps the records in range across a PTE write: a fact the
  // provers use whole, where they could not find it goal by goal.
  lemma records_kept{L1, L2}:
    db_records_ok{L1} && owners_kept{L1, L2} &&
    \at(ptm.npages, L1) == \at(ptm.npages, L2) &&
    \at(ptm.nslots, L1) == \at(ptm.nslots, L2) &&
    \at(ptm.page, L1) == \at(ptm.page, L2) ==> db_records_ok{L2};
  // The run of pages a G-stage root takes, all FREE.
  predicate groot_free{L}(integer i) =
    i + PTM_GROOT_PAGES <= ptm.npages &&
    \forall integer j; i <= j < i + PTM_GROOT_PAGES ==>
      ptm.page[j].state == PG_FREE;
  // The ends of the slot's level-1 list name pool pages (0: none).
  predicate l1_links_ok{L} = \forall integer j; 0 <= j < ptm.npages ==>
    ptm.page[j].l1_next <= ptm.npages && ptm.page[j].l1_prev <= ptm.npages;
  predicate l1_sane{L}(integer slot) =
    ptm.as[slot].l1_head <= ptm.npages && l1_links_ok;
  // The pool's table pages, as db_table() finds them (assumed: the
  // platform maps the pool linearly, apart from the records).
  axiomatic pool_tables {
    logic uint64_t *pool_table(integer idx);
  }

  // The link rule: a non-leaf entry at this level points to a table
  // page of the same address space one level down that no other entry
  // links (or it is the entry already there), with no U, A, D, G.
  predicate link_ok{L}(integer slot, integer level, integer old,
		       integer val) =
    level != 0 &&
    (val & (SECMON_PTE_U | SECMON_PTE_A | SECMON_PTE_D | SECMON_PTE_G)) == 0 &&
    pool_has(pte_target(val)) &&
    ptm.page[pool_index(pte_target(val))].state == PG_TABLE &&
    ptm.page[pool_index(pte_target(val))].owner == slot &&
    ptm.page[pool_index(pte_target(val))].level == level - 1 &&
    (ptm.page[pool_index(pte_target(val))].linked == 0 || old == val);
  // The bits rule of a leaf (priv spec §4.3.1, §4.3.2 step 6): W only
  // with R, aligned to its size, U = 1 and G = 0.
  predicate leaf_bits(integer level, integer val) =
    ((val & SECMON_PTE_W) == 0 || (val & SECMON_PTE_R) != 0) &&
    (pte_target(val) & (leaf_bytes(level) - 1)) == 0 &&
    (val & SECMON_PTE_U) != 0 && (val & SECMON_PTE_G) == 0;

  // What the TVM emulation lets S-mode write to satp once LOCK is done
  // (priv spec §4.1.11): Sv39 on a kernel root or a user root of the
  // pool. And to hgatp (§8.2.10), Bare aside: Sv39x4 on the first page
  // of a G-stage root.
  logic uint64_t satp_root(uint64_t v) = (uint64_t)((v & 0xfffffffffff) << 12);
  logic uint64_t satp_mode(uint64_t v) = (uint64_t)(v >> 60);
  predicate satp_ok{L}(uint64_t v) =
    satp_mode(v) == 8 &&
    (satp_root(v) == ptm.kroot[0] || satp_root(v) == ptm.kroot[1] ||
     (pool_has(satp_root(v)) &&
      ptm.page[pool_index(satp_root(v))].state == PG_ROOT));
  predicate hgatp_ok{L}(uint64_t v) =
    satp_mode(v) == 8 && pool_has(satp_root(v)) &&
    ptm.page[pool_index(satp_root(v))].state == PG_GROOT &&
    ptm.as[ptm.page[pool_index(satp_root(v))].owner].root ==
      pool_index(satp_root(v));

  // A kernel root LOCK takes: an ordinary OS page of RAM.
  predicate kroot_page_ok{L}(integer pa) =
    (pa & 4095) == 0 && mm_inside_ram(pa, 4096) &&
    !mm_touches_monitor(pa, 4096) && !mm_touches_pool(pa, 4096) &&
    !mm_touches_device(pa, 4096);

  // A refused call's promise (docs/abi.md): every entry of every pool
  // page, every page record and every address-space slot as it was.
  predicate ptm_same{L1, L2} =
    (\forall integer p, j; 0 <= p < \at(ptm.npages, L1) && 0 <= j < 512 ==>
       \at(pool_table(p)[j], L1) == \at(pool_table(p)[j], L2)) &&
    (\forall integer p; 0 <= p < \at(ptm.npages, L1) ==>
       \at(ptm.page[p], L1) == \at(ptm.page[p], L2)) &&
    (\forall integer s; 0 <= s < \at(ptm.nslots, L1) ==>
       \at(ptm.as[s], L1) == \at(ptm.as[s], L2));
  // A refusal that may have flushed the quarantine first (PT_ALLOC and
  // AS_CREATE with no free page): as ptm_same, but a QUARANTINE page may
  // be FREE after. Quarantined pages are scrubbed and nothing links them.
  // Three predicates, one goal each.
  predicate entries_same{L1, L2} =
    \forall integer p, j; 0 <= p < \at(ptm.npages, L1) && 0 <= j < 512 ==>
      \at(pool_table(p)[j], L1) == \at(pool_table(p)[j], L2);
  predicate records_flushed{L1, L2} =
    \forall integer p; 0 <= p < \at(ptm.npages, L1) ==>
      (\at(ptm.page[p].state, L1) == \at(ptm.page[p].state, L2) ||
       (\at(ptm.page[p].state, L1) == PG_QUARANTINE &&
	\at(ptm.page[p].state, L2) == PG_FREE)) &&
      \at(ptm.page[p].owner, L1) == \at(ptm.page[p].owner, L2) &&
      \at(ptm.page[p].level, L1) == \at(ptm.page[p].level, L2) &&
      \at(ptm.page[p].linked, L1) == \at(ptm.page[p].linked, L2) &&
      \at(ptm.page[p].count, L1) == \at(ptm.page[p].count, L2) &&
      \at(ptm.page[p].nonzero, L1) == \at(ptm.page[p].nonzero, L2);
  predicate slots_same{L1, L2} =
    \forall integer s; 0 <= s < \at(ptm.nslots, L1) ==>
      \at(ptm.as[s], L1) == \at(ptm.as[s], L2);
  // A caller's result word, valid and none of the PTM's own state.
  predicate out_ok{L}(uint64_t *p) =
    \valid(p) &&
    \separated(p, &ptm, &memmap_state, ptm.page + (0 .. ptm.npages - 1),
	       ptm.as + (0 .. ptm.nslots - 1)) &&
    \forall integer q; 0 <= q < ptm.npages ==>
      \separated(p, pool_table(q) + (0 .. 511));
  // An accepted write's entry obeys the rules: a leaf the leaf rules, a
  // root's kernel half untouched.
  predicate entry_ok{L}(integer idx, integer i, integer val) =
    (ptm.page[idx].state == PG_ROOT ==> i < 256) &&
    (pte_leaf(val) ==> leaf_bits(ptm.page[idx].level, val) &&
			leaf_safe(ptm.page[idx].level, val));

  // C11 §6.5.7 on non-negative values: the shift facts the proofs use,
  // which the provers do not know. Assumed (docs/verification.md).
  axiomatic c_shifts {
    axiom shr_monotonic: \forall integer a, b, s;
      0 <= a <= b && 0 <= s ==> (a >> s) <= (b >> s);
    axiom shl_leaf: \forall integer l;
      0 <= l <= 2 ==> (4096 << (9 * l)) == leaf_bytes(l);
  }
*/

/* (ptm.h; its contract needs ptm.) Assumed: the platform's hook writes
 * the harts' satp reports and no PTM state. */
/*@ assigns satp[0 .. ptm.nharts - 1]; */
void ptm_hook_protect(unsigned long self, bool on, uint64_t *satp);

/* Locks (see the order above). The gate alone: */
void db_lock(unsigned long self);
void db_unlock(void);
/* The shared gate and the address-space locks: inline, after as_live. */

/* Page helpers. idx is a pool page index. */
/*@ requires db_shape && idx < ptm.npages;
    assigns \nothing;
    ensures \result == pool_table(idx);
    ensures \valid(\result + (0 .. 511));
    ensures \separated(\result + (0 .. 511), &ptm, &memmap_state,
      ptm.page + (0 .. ptm.npages - 1), ptm.as + (0 .. ptm.nslots - 1)); */
uint64_t *db_table(uint32_t idx);
uint64_t db_pa(uint32_t idx);
bool db_index(uint64_t pa, uint32_t *idx);
/* Take a zeroed page (flushing the quarantine if needed); false if none. */
bool db_take(unsigned long self, uint32_t *idx);
/* The same for PTM_GROOT_PAGES consecutive pages, the first 16 KiB
 * aligned: *idx is the first. */
bool db_take_groot(unsigned long self, uint32_t *idx);
void db_set_owned(uint32_t idx, enum ptm_state st, unsigned level,
		  unsigned slot);
/* Zero an owned page and move it to quarantine. */
void db_release(uint32_t idx);
void db_flush_quarantine(unsigned long self);

/* Address-space helpers. */
/* A live address space by handle: O(1) through its root page's record.
 * Inline: every hot call starts here. */
/*@ requires db_ok && \valid(slot);
    requires \separated(slot, &ptm, ptm.page + (0 .. ptm.npages - 1),
      ptm.as + (0 .. ptm.nslots - 1));
    assigns *slot;
    ensures \result != \null ==> *slot < ptm.nslots &&
      \result == &ptm.as[*slot] && ptm.as[*slot].state == AS_LIVE &&
      ptm.as[*slot].root < ptm.npages; */
static inline struct ptm_as *as_live(unsigned long handle, unsigned *slot)
{
	uint64_t ridx = SECMON_HANDLE_ROOT_INDEX(handle);
	const struct ptm_page *p;
	struct ptm_as *as;

	if (handle >> 63 || ridx >= ptm.npages) {
		return NULL;
	}
	p = &ptm.page[ridx];
	if (p->state != PG_ROOT && p->state != PG_GROOT) {
		return NULL;
	}
	as = &ptm.as[p->owner];
	if (as->state != AS_LIVE || as->gen != (uint32_t)(handle >> 32) ||
	    as->root != ridx) {
		return NULL;
	}
	*slot = p->owner;
	return as;
}
/* The gate; its waits serve the mailbox (out of line: the uncontended
 * paths need no stack frame). */
extern struct rwlock ptm_gate;
__attribute__((noinline)) void db_gate_wait_turn(unsigned long self,
						 uint32_t t);
__attribute__((noinline)) void db_as_wait_turn(unsigned long self,
					       struct ptm_as *as, uint32_t t);

/* The gate shared (satp writes; with db_as_lock, the entry calls). */
static inline void db_lock_shared(unsigned long self)
{
	uint32_t t;

	if (rw_read_try(&ptm_gate)) {
		return;
	}
	t = rw_take_ticket(&ptm_gate);
	if (!rw_turn(&ptm_gate, t)) {
		db_gate_wait_turn(self, t);
	}
	rw_read_enter(&ptm_gate, t);
}

static inline void db_unlock_shared(void)
{
	rw_read_unlock(&ptm_gate);
}

/*
 * Caller holds the gate shared: a live address space's lock, or NULL (not
 * taken) if the handle names none. Under the shared gate no page changes
 * state or owner and no address space is created or destroyed (those hold
 * the gate alone), so the handle's check stays true; the address space's
 * own lock then orders the writes into its tables and its books.
 */
static inline struct ptm_as *db_as_lock(unsigned long self,
					unsigned long handle, unsigned *slot)
{
	struct ptm_as *as = as_live(handle, slot);
	uint32_t t;

	if (!as) {
		return NULL;
	}
	t = ticket_take(&as->lock);
	if (!ticket_turn(&as->lock, t)) {
		db_as_wait_turn(self, as, t);
	}
	return as;
}

static inline void db_as_unlock(struct ptm_as *as)
{
	ticket_release(&as->lock);
}

struct ptm_as *as_owning(unsigned long handle, uint32_t idx, unsigned *slot);
/*@ requires db_shape && slot < ptm.nslots;
    assigns \nothing; */
unsigned long as_handle(unsigned slot);
void as_retire_if_empty(unsigned slot);

/* PTE rules (ptm_pte.c); return an SBI error or 0. */
long pte_check_new(unsigned slot, uint32_t idx, unsigned i, uint64_t old,
		   uint64_t val);
/* Apply an already-checked write and update the books. */
void pte_commit(unsigned slot, uint32_t idx, uint64_t old, uint64_t val);
/*@ assigns \nothing;
    ensures \result <==> pte_table(pte); */
bool pte_is_table(uint64_t pte);
/*@ assigns \nothing;
    ensures \result <==> pte_leaf(pte); */
bool pte_is_leaf(uint64_t pte);
/*
 * Where an entry's table page is, located once per page: a page's state
 * and owner change only in AS_CREATE, PT_ALLOC, PT_FREE and AS_DESTROY,
 * never within one BATCH. Passed by value, so that none of it can alias
 * the PTM's state. PTE_AT_NONE: no page (BATCH's start, a refused locate).
 */
struct pte_at {
	uint64_t
	    pfn; /* the page's number (address / 4 KiB); UINT64_MAX: none */
	uint64_t *table; /* its entries */
	struct ptm_page *pg; /* its record: a page the slot owns; NULL: none */
	uint32_t idx;
};
#define PTE_AT_NONE ((struct pte_at){UINT64_MAX, NULL, NULL, UINT32_MAX})
/* BATCH's book changes from its data writes into one page not yet applied
 * to the page's record and its address space (valid entries, non-zero
 * entries, leaves): applied when BATCH moves to another page and before
 * it returns. */
struct pte_books {
	int32_t dcount, dnonzero, dleaf;
};
/*@
  // A position at a table page the slot owns, as locate() finds it.
  predicate at_ok{L}(struct pte_at a, integer slot) =
    a.idx < ptm.npages && a.pg != \null && a.pg == &ptm.page[a.idx] &&
    a.table == pool_table(a.idx) && st_owned(ptm.page[a.idx].state) &&
    ptm.page[a.idx].owner == slot && \valid(a.table + (0 .. 511)) &&
    \separated(a.table + (0 .. 511), &ptm, &memmap_state,
	       ptm.page + (0 .. ptm.npages - 1),
	       ptm.as + (0 .. ptm.nslots - 1));
  predicate at_none(struct pte_at a) =
    a.pg == \null && a.pfn == 18446744073709551615;
  // Pending book changes bounded by the entries seen (BATCH_MAX).
  predicate books_in{L}(struct pte_books *b, integer k) =
    -k <= b->dcount <= k && -k <= b->dnonzero <= k && -k <= b->dleaf <= k;
  // The books are the caller's, none of the PTM's state.
  predicate books_apart{L}(struct pte_books *b) =
    \valid(b) &&
    \separated(b, &ptm, &memmap_state, ptm.page + (0 .. ptm.npages - 1),
	       ptm.as + (0 .. ptm.nslots - 1)) &&
    \forall integer q; 0 <= q < ptm.npages ==>
      \separated(b, pool_table(q) + (0 .. 511));
  // Every pool page's entries valid: what keeps a caller's locals apart
  // from them (a local is allocated after the call began).
  predicate pool_valid{L} = \forall integer q; 0 <= q < ptm.npages ==>
    \valid(pool_table(q) + (0 .. 511));
*/
/* Check and apply one SET or MODIFY (op as in BATCH); *old = replaced. */
long pte_update(unsigned slot, uint64_t pte_pa, int op, uint64_t a, uint64_t b,
		uint64_t *old);
/* BATCH's entries, read from the OS buffer buf (whose memmap lock the
 * caller holds) one at a time; *applied = entries done. */
long pte_batch(unsigned slot, const struct secmon_batch_entry *buf,
	       unsigned long n, unsigned long *applied);
uint64_t pte_pa(uint64_t pte);
/* LOCK: derive ptm.filter from the memory map and the locked kernel. */
void ptm_filter_build(void);
/* Whether [pa, pa + size), inside the filter's RAM, lies in one granule
 * that touches no deny span (the unit tests check it against the spans). */
bool ptm_filter_clean(uint64_t pa, uint64_t size);

#endif
