// SPDX-License-Identifier: BSD-2-Clause
/*
 * The ABI calls (docs/abi.md). Each one takes the PTM gate (alone, or
 * shared with its address space's lock: ptm_internal.h), checks all of its
 * input, and only then changes state.
 */
#include <string.h>

#include <secmon/sbi.h>

#include "arch.h"
#include "hart.h"
#include "ptm_internal.h"

#define SATP_MODE_SHIFT 60
#define SATP_MODE_SV39 8UL
#define SATP_PPN_MASK ((1UL << 44) - 1)

/* satp's and hgatp's MODE and root address (priv spec §4.1.11, §8.2.10:
 * the same layout for Sv39 and Sv39x4). Functions of their own so that
 * the proofs see the fields, not the bit operations. */
/*@ assigns \nothing;
    ensures \result == satp_mode(v); */
static inline uint64_t satp_mode_of(uint64_t v)
{
	return v >> SATP_MODE_SHIFT;
}

/*@ assigns \nothing;
    ensures \result == satp_root(v); */
static inline uint64_t satp_root_of(uint64_t v)
{
	return (v & SATP_PPN_MASK) << 12;
}

/* Counted for every call, also those sharing the gate. */
static void count_call(void)
{
	__atomic_fetch_add(&ptm.calls, 1, __ATOMIC_RELAXED);
}

/* Called after the PTM gate is dropped (or before it is taken). */
static long refuse(long rc)
{
	if (rc) {
		__atomic_fetch_add(&ptm.refused, 1, __ATOMIC_RELAXED);
	}
	return rc;
}

long ptm_info(unsigned long field, unsigned long *value)
{
	switch (field) {
	case SECMON_INFO_VERSION:
		*value = SECMON_ABI_VERSION;
		return SBI_SUCCESS;
	case SECMON_INFO_POOL_BASE:
		*value = ptm.base;
		return SBI_SUCCESS;
	case SECMON_INFO_POOL_SIZE:
		*value = ptm_pool_size();
		return SBI_SUCCESS;
	case SECMON_INFO_FREE_PAGES:
		*value = ptm.nfree + ptm.nquarantine;
		return SBI_SUCCESS;
	case SECMON_INFO_FEATURES:
		*value = SECMON_FEAT_BATCH | SECMON_FEAT_ZOMBIE |
			 SECMON_FEAT_FENCE_VA |
			 (hart_hyp() ? SECMON_FEAT_GSTAGE : 0);
		return SBI_SUCCESS;
	case SECMON_INFO_LOCKED:
		*value = ptm.locked;
		return SBI_SUCCESS;
	case SECMON_INFO_BATCH_MAX:
		*value = SECMON_BATCH_MAX;
		return SBI_SUCCESS;
	default:
		return SBI_ERR_INVALID_PARAM;
	}
}

/* Under the shared gate: the free count changes a page at a time under
 * the gate held alone, so an unlocked read could see a count the pool
 * never had (half of an AS_DESTROY's releases). */
long ptm_info_hart(unsigned long self, unsigned long field,
		   unsigned long *value)
{
	long rc;

	db_lock_shared(self);
	rc = ptm_info(field, value);
	db_unlock_shared();
	return rc;
}

/* A kernel root is an ordinary OS page before LOCK: RAM, page aligned,
 * neither the monitor's nor the pool's. */
/*@ requires mm_sane;
    assigns \nothing;
    ensures \result <==> kroot_page_ok(pa); */
static bool root_page_ok(uint64_t pa)
{
	return !(pa & (PTM_PAGE_SIZE - 1)) &&
	       memmap_in_ram(pa, PTM_PAGE_SIZE) &&
	       !memmap_in_monitor(pa, PTM_PAGE_SIZE) &&
	       !memmap_in_pool(pa, PTM_PAGE_SIZE) &&
	       !memmap_in_device(pa, PTM_PAGE_SIZE);
}

/* LOCK's arguments alone, before anything is protected or changed. */
/*@ requires mm_sane && \valid_read(hole + (0 .. 1));
    assigns \nothing;
    ensures \result == SBI_SUCCESS ==>
      !ptm.locked && ptm.npages != 0 &&
      kroot_page_ok(swapper) && kroot_page_ok(tramp) &&
      kstart < kend && mm_inside_ram(kstart, kend - kstart) &&
      (hole[0] == 0 && hole[1] == 0 ||
       kstart <= hole[0] <= hole[1] <= kend); */
static long lock_check_args(uint64_t swapper, uint64_t tramp, uint64_t kstart,
			    uint64_t kend, const uint64_t hole[2])
{
	if (ptm.locked) {
		return SBI_ERR_ALREADY_AVAILABLE;
	}
	if (!ptm.npages) {
		return SBI_ERR_NOT_SUPPORTED;
	}
	if (!root_page_ok(swapper) || !root_page_ok(tramp)) {
		return SBI_ERR_INVALID_ADDRESS;
	}
	if (kstart >= kend || !memmap_in_ram(kstart, kend - kstart)) {
		return SBI_ERR_INVALID_PARAM;
	}
	/* The hole (memory the kernel freed, e.g. its init sections) lies
	 * inside the image; 0, 0 means none. */
	if ((hole[0] || hole[1]) &&
	    (hole[0] < kstart || hole[0] > hole[1] || hole[1] > kend)) {
		return SBI_ERR_INVALID_PARAM;
	}
	return SBI_SUCCESS;
}

/*
 * A root's contents, read once the root is PMP read-only on every hart.
 * The user half must be empty: with entries, a forged mm->pgd = swapper
 * would reach user mappings the monitor never checked. The kernel half is
 * copied into every user root, so it obeys the user half's rules where
 * they matter: no U=1 leaf (U-mode would reach it), and no link into the
 * pool or the monitor (a pool page would be a table of every address
 * space at once).
 */
/*@ requires mm_sane;
    assigns \nothing; */
static long root_contents_ok(uint64_t pa)
{
	const uint64_t *t = arch_phys_ptr(pa, PTM_PAGE_SIZE);

	for (int i = 0; i < 512; i++) {
		uint64_t e = t[i];

		if (i < 256 && e) {
			return SBI_ERR_INVALID_ADDRESS;
		}
		if (pte_is_leaf(e) && (e & SECMON_PTE_U)) {
			return SBI_ERR_DENIED;
		}
		if (pte_is_table(e) &&
		    (memmap_in_pool(pte_pa(e), PTM_PAGE_SIZE) ||
		     memmap_in_monitor(pte_pa(e), PTM_PAGE_SIZE))) {
			return SBI_ERR_DENIED;
		}
	}
	return SBI_SUCCESS;
}

/* After LOCK a hart may run S-mode on a kernel root, or still be bare
 * (just started: the sret gate keeps it out of U-mode until it has a
 * root). Anything else is a root the monitor never checked. */
/*@ assigns \nothing;
    ensures \result <==> satp_mode(satp) == 0 ||
      (satp_mode(satp) == 8 &&
       (satp_root(satp) == swapper || satp_root(satp) == tramp)); */
static bool satp_ok_at_lock(uint64_t satp, uint64_t swapper, uint64_t tramp)
{
	uint64_t root = satp_root_of(satp);

	if (satp_mode_of(satp) == 0) {
		return true;
	}
	return satp_mode_of(satp) == SATP_MODE_SV39 &&
	       (root == swapper || root == tramp);
}

/*@ requires mm_sane && self < ptm.nharts;
    requires \valid_read(satp + (0 .. ptm.nharts - 1));
    assigns \nothing; */
static long lock_validate(unsigned long self, uint64_t swapper, uint64_t tramp,
			  const uint64_t *satp)
{
	long rc;

	if (satp_mode_of(satp[self]) != SATP_MODE_SV39 ||
	    !satp_ok_at_lock(satp[self], swapper, tramp)) {
		return SBI_ERR_DENIED;
	}
	/*@ loop invariant 0 <= h <= ptm.nharts;
	    loop assigns h;
	    loop variant ptm.nharts - h; */
	for (unsigned int h = 0; h < ptm.nharts; h++) {
		if (!satp_ok_at_lock(satp[h], swapper, tramp)) {
			return SBI_ERR_DENIED;
		}
	}
	rc = root_contents_ok(swapper);
	return rc ?: root_contents_ok(tramp);
}

long ptm_lock_kernel(unsigned long self, uint64_t swapper, uint64_t tramp,
		     uint64_t kstart, uint64_t kend)
{
	const uint64_t no_hole[2] = {0, 0};

	return ptm_lock_kernel_hole(self, swapper, tramp, kstart, kend,
				    no_hole);
}

static void lock_commit(uint64_t swapper, uint64_t tramp, uint64_t kstart,
			uint64_t kend, const uint64_t hole[2],
			const uint64_t *satp)
{
	memcpy(ptm.kernel_half,
	       (uint64_t *)arch_phys_ptr(swapper, PTM_PAGE_SIZE) + 256,
	       sizeof(ptm.kernel_half));
	ptm.kroot[0] = swapper;
	ptm.kroot[1] = tramp;
	ptm.kstart = kstart;
	ptm.kend = kend;
	ptm.khole[0] = hole[0] || hole[1] ? hole[0] : kend;
	ptm.khole[1] = hole[0] || hole[1] ? hole[1] : kend;
	for (unsigned int h = 0; h < ptm.nharts; h++) {
		ptm.hart_satp[h] = satp[h];
	}
	ptm_filter_build();
	ptm.locked = true;
}

/*
 * LOCK is a transition of the whole machine, so it protects first and
 * validates after: the roots become PMP read-only and TVM comes on for
 * every running hart (each acknowledges, reporting its satp, which it
 * can no longer change without the PTM gate held here). Only then are
 * the roots' contents and every hart's satp checked. On refusal the
 * protection is taken back and nothing else has changed.
 */
/*@ requires db_ok && self < ptm.nharts && \valid_read(hole + (0 .. 1));
    requires \valid(ptm.lock_satp + (0 .. ptm.nharts - 1));
    requires \separated(ptm.lock_satp + (0 .. ptm.nharts - 1), &ptm,
      &memmap_state, ptm.page + (0 .. ptm.npages - 1),
      ptm.as + (0 .. ptm.nslots - 1));
    requires \forall integer q; 0 <= q < ptm.npages ==>
      \separated(ptm.lock_satp + (0 .. ptm.nharts - 1),
		 pool_table(q) + (0 .. 511));
    requires !ptm.locked ==>
      memmap_state.kroot[0] == 0 && memmap_state.kroot[1] == 0;
    ensures \result != SBI_SUCCESS ==> entries_same{Pre, Post};
    ensures \result != SBI_SUCCESS ==> \forall integer p;
      0 <= p < ptm.npages ==> ptm.page[p] == \old(ptm.page[p]);
    ensures \result != SBI_SUCCESS ==> slots_same{Pre, Post};
    ensures \result != SBI_SUCCESS ==> ptm.locked == \old(ptm.locked);
    ensures \result != SBI_SUCCESS ==>
      memmap_state.kroot[0] == \old(memmap_state.kroot[0]) &&
      memmap_state.kroot[1] == \old(memmap_state.kroot[1]); */
static long lock_locked(unsigned long self, uint64_t swapper, uint64_t tramp,
			uint64_t kstart, uint64_t kend, const uint64_t hole[2])
{
	uint64_t *satp = ptm.lock_satp; /* the gate, held alone, guards it */
	long rc;

	/*@ loop invariant 0 <= h <= ptm.nharts;
	    loop assigns h, satp[0 .. ptm.nharts - 1];
	    loop variant ptm.nharts - h; */
	for (unsigned int h = 0; h < ptm.nharts; h++) {
		satp[h] = 0;
	}
	rc = lock_check_args(swapper, tramp, kstart, kend, hole);
	if (rc) {
		return rc;
	}
	memmap_set_kernel_roots(swapper, tramp);
	ptm_hook_protect(self, true, satp);
	rc = lock_validate(self, swapper, tramp, satp);
	if (rc) {
		memmap_set_kernel_roots(0, 0);
		ptm_hook_protect(self, false, satp);
		return rc;
	}
	lock_commit(swapper, tramp, kstart, kend, hole, satp);
	return SBI_SUCCESS;
}

long ptm_lock_kernel_hole(unsigned long self, uint64_t swapper, uint64_t tramp,
			  uint64_t kstart, uint64_t kend,
			  const uint64_t hole[2])
{
	long rc;

	db_lock(self);
	count_call();
	rc = lock_locked(self, swapper, tramp, kstart, kend, hole);
	db_unlock();
	return refuse(rc);
}

/* Next free slot from a rotating cursor (moved on when the slot is
 * taken), as find_free() does for pages: O(1) while most slots are free,
 * never more than one pass. */
/*@ requires db_shape && ptm.slot_cursor < ptm.nslots && \valid(slot);
    requires \separated(slot, &ptm, ptm.page + (0 .. ptm.npages - 1),
      ptm.as + (0 .. ptm.nslots - 1));
    assigns *slot;
    ensures \result ==> *slot < ptm.nslots && ptm.as[*slot].state == AS_FREE; */
static bool free_slot(unsigned *slot)
{
	uint32_t s = ptm.slot_cursor;

	/*@ loop invariant 0 <= n <= ptm.nslots && s < ptm.nslots;
	    loop assigns n, s;
	    loop variant ptm.nslots - n; */
	for (uint32_t n = 0; n < ptm.nslots; n++) {
		if (ptm.as[s].state == AS_FREE) {
			*slot = s;
			return true;
		}
		s = s + 1 == ptm.nslots ? 0 : s + 1;
	}
	return false;
}

/* A user root: the kernel half is swapper's, copied in. */
static void fill_user_root(uint32_t idx)
{
	uint64_t *root = db_table(idx);
	unsigned valid = 0, nonzero = 0;

	memcpy(root + 256, ptm.kernel_half, sizeof(ptm.kernel_half));
	for (int i = 0; i < 256; i++) {
		valid += (ptm.kernel_half[i] & SECMON_PTE_V) ? 1 : 0;
		nonzero += ptm.kernel_half[i] != 0;
	}
	ptm.page[idx].count = (uint16_t)valid;
	ptm.page[idx].nonzero = (uint16_t)nonzero;
}

/* The root pages of a new space of kind: one (user) or four (G-stage).
 * Either may flush the quarantine first, and a refusal may follow it. */
/*@ requires db_ok && ptm.cursor < ptm.npages;
    requires \valid(idx) && \separated(idx, &ptm,
      ptm.page + (0 .. ptm.npages - 1), ptm.as + (0 .. ptm.nslots - 1));
    assigns ptm.page[0 .. ptm.npages - 1].state, ptm.nfree, ptm.nquarantine,
      ptm.flushes, ptm.cursor, *idx;
    ensures records_flushed{Pre, Post};
    ensures slots_same{Pre, Post}; */
static bool take_root(unsigned long self, unsigned long kind, uint32_t *idx)
{
	return kind == SECMON_AS_GSTAGE ? db_take_groot(self, idx)
					: db_take(self, idx);
}

/* AS_CREATE's effect once its checks pass: slot and root pages taken,
 * the new handle in *handle. */
static void as_create_apply(unsigned slot, unsigned long kind, uint32_t idx,
			    unsigned long *handle)
{
	ptm.slot_cursor = slot + 1 == ptm.nslots ? 0 : slot + 1;
	ptm.as[slot].gen = ++ptm.last_gen;
	ptm.as[slot].state = AS_LIVE;
	ptm.as[slot].kind = (uint8_t)kind;
	ptm.as[slot].root = idx;
	if (kind == SECMON_AS_GSTAGE) {
		for (uint32_t k = 0; k < PTM_GROOT_PAGES; k++) {
			db_set_owned(idx + k, PG_GROOT, 2, slot);
		}
	} else {
		db_set_owned(idx, PG_ROOT, 2, slot);
		fill_user_root(idx);
	}
	*handle = as_handle(slot);
}

/* AS_CREATE's checks and effect, under the gate alone. A refusal with
 * no page free may come after the quarantine's flush (records_flushed). */
/*@ requires db_ok && ptm.cursor < ptm.npages;
    requires ptm.slot_cursor < ptm.nslots && out_ok(handle);
    ensures \result != SBI_SUCCESS && \result != SBI_ERR_NO_SHMEM ==>
      ptm_same{Pre, Post};
    ensures \result != SBI_SUCCESS ==> entries_same{Pre, Post};
    ensures \result != SBI_SUCCESS ==> records_flushed{Pre, Post};
    ensures \result != SBI_SUCCESS ==> slots_same{Pre, Post}; */
static long as_create_locked(unsigned long self, unsigned long kind,
			     unsigned long *handle)
{
	unsigned slot;
	uint32_t idx;

	if (kind != SECMON_AS_USER && kind != SECMON_AS_GSTAGE) {
		return SBI_ERR_INVALID_PARAM;
	}
	if (kind == SECMON_AS_GSTAGE && !hart_hyp()) {
		return SBI_ERR_NOT_SUPPORTED;
	}
	if (!ptm.locked) {
		return SBI_ERR_DENIED;
	}
	/* A root index comes back in other slots (its old AS a zombie there,
	 * or gone), so generations are unique across slots: otherwise an old
	 * handle, gen << 32 | root, could name the new AS. They never wrap:
	 * once the last one is spent, no address space is created again. */
	if (ptm.last_gen >= PTM_GEN_MAX) {
		return SBI_ERR_NO_SHMEM;
	}
	if (!free_slot(&slot) || !take_root(self, kind, &idx)) {
		return SBI_ERR_NO_SHMEM;
	}
	as_create_apply(slot, kind, idx, handle);
	return SBI_SUCCESS;
}

long ptm_as_create_kind(unsigned long self, unsigned long kind,
			unsigned long *handle)
{
	long rc;

	db_lock(self);
	count_call();
	rc = as_create_locked(self, kind, handle);
	db_unlock();
	return refuse(rc);
}

long ptm_as_create(unsigned long self, unsigned long *handle)
{
	return ptm_as_create_kind(self, SECMON_AS_USER, handle);
}

/* PT_ALLOC's checks and effect, under the gate alone. */
/*@ requires db_ok && ptm.cursor < ptm.npages && out_ok(pa);
    requires \forall integer s; 0 <= s < ptm.nslots ==> l1_sane(s);
    ensures \result == SBI_ERR_INVALID_PARAM ==> ptm_same{Pre, Post};
    ensures \result != SBI_SUCCESS ==> entries_same{Pre, Post};
    ensures \result != SBI_SUCCESS ==> records_flushed{Pre, Post};
    ensures \result != SBI_SUCCESS ==> slots_same{Pre, Post};
    ensures \result == SBI_SUCCESS ==>
      \let p = (*pa - ptm.base) / 4096;
      *pa % 4096 == ptm.base % 4096 && ptm.base <= *pa &&
      p < ptm.npages && ptm.page[p].state == PG_TABLE &&
      ptm.page[p].level == level && ptm.page[p].linked == 0 &&
      ptm.page[p].count == 0; */
static long pt_alloc_locked(unsigned long self, unsigned long handle,
			    unsigned long level, unsigned long *pa)
{
	unsigned slot;
	uint32_t idx;

	if (level != SECMON_LEVEL_PMD && level != SECMON_LEVEL_PTE) {
		return SBI_ERR_INVALID_PARAM;
	}
	if (!as_live(handle, &slot)) {
		return SBI_ERR_INVALID_PARAM;
	}
	if (!db_take(self, &idx)) {
		return SBI_ERR_NO_SHMEM;
	}
	db_set_owned(idx, PG_TABLE, (unsigned)level, slot);
	*pa = db_pa(idx);
	return SBI_SUCCESS;
}

long ptm_pt_alloc(unsigned long self, unsigned long handle, unsigned long level,
		  unsigned long *pa)
{
	long rc;

	db_lock(self);
	count_call();
	rc = pt_alloc_locked(self, handle, level, pa);
	db_unlock();
	return refuse(rc);
}

/*
 * After a store that maps addr (PTE_SET's a3, SECMON_FEAT_FENCE_VA): the
 * local fence the kernel would otherwise trap for. addr is a virtual
 * address in a user space and a guest physical address in a G-stage one
 * (HFENCE.GVMA takes it shifted right by 2, which the arch hook does).
 */
static void fence_mapped(unsigned kind, uint64_t addr)
{
	if (kind == SECMON_AS_GSTAGE) {
		arch_hfence_gvma(true, addr, false, 0);
	} else {
		arch_sfence_vma_va((uintptr_t)addr);
	}
}

/* SET and MODIFY: one entry, under the address space's lock; fence: the
 * address the new entry maps, fenced on this hart after it (0: none). */
static long update_one(unsigned long self, unsigned long handle,
		       uint64_t pte_pa, int op, uint64_t a, uint64_t b,
		       uint64_t fence, uint64_t *old)
{
	struct ptm_as *as;
	unsigned slot;
	long rc;

	count_call();
	db_lock_shared(self);
	as = db_as_lock(self, handle, &slot);
	if (as) {
		rc = pte_update(slot, pte_pa, op, a, b, old);
		if (rc == SBI_SUCCESS && fence) {
			fence_mapped(as->kind, fence);
		}
		db_as_unlock(as);
	} else {
		rc = SBI_ERR_INVALID_PARAM;
	}
	db_unlock_shared();
	return refuse(rc);
}

long ptm_pte_set(unsigned long self, unsigned long handle, uint64_t pte_pa,
		 uint64_t val, uint64_t *old)
{
	return update_one(self, handle, pte_pa, SECMON_BATCH_OP_SET, val, 0, 0,
			  old);
}

long ptm_pte_set_fenced(unsigned long self, unsigned long handle,
			uint64_t pte_pa, uint64_t val, uint64_t fence,
			uint64_t *old)
{
	return update_one(self, handle, pte_pa, SECMON_BATCH_OP_SET, val, 0,
			  fence, old);
}

long ptm_pte_modify(unsigned long self, unsigned long handle, uint64_t pte_pa,
		    uint64_t clear, uint64_t set, uint64_t *old)
{
	return update_one(self, handle, pte_pa, SECMON_BATCH_OP_MODIFY, clear,
			  set, 0, old);
}

long ptm_batch(unsigned long self, unsigned long handle, uint64_t buf_pa,
	       unsigned long n, unsigned long *applied)
{
	const struct secmon_batch_entry *buf;
	struct ptm_as *as;
	unsigned slot;
	long rc;

	*applied = 0;
	if (n > SECMON_BATCH_MAX) {
		return refuse(SBI_ERR_INVALID_PARAM);
	}
	count_call();
	db_lock_shared(self);
	/* The buffer is checked first (docs/abi.md's order of errors); the
	 * memory map cannot change while the gate is shared, and the check
	 * is made again below, held through the last read. */
	if (!memmap_os_buffer_ok(buf_pa, n * sizeof(*buf), 8)) {
		rc = SBI_ERR_INVALID_ADDRESS;
	} else if (!(as = db_as_lock(self, handle, &slot))) {
		rc = SBI_ERR_INVALID_PARAM;
	} else {
		buf = memmap_os_begin(buf_pa, n * sizeof(*buf), 8);
		rc = buf ? pte_batch(slot, buf, n, applied)
			 : SBI_ERR_INVALID_ADDRESS;
		if (buf) {
			memmap_os_end();
		}
		db_as_unlock(as);
	}
	db_unlock_shared();
	return refuse(rc);
}

/* Drop the leaf statistics of a table's remaining entries. A page with no
 * valid entry (the common case at teardown: Linux zapped it) has none. */
/*@ requires db_ok && slot < ptm.nslots && idx < ptm.npages;
    requires st_owned(ptm.page[idx].state);
    assigns ptm.as[slot].leaf_entries, ptm.as[slot].leaf_pages; */
static void forget_leaves(unsigned slot, uint32_t idx)
{
	const uint64_t *t = db_table(idx);
	struct ptm_as *as = &ptm.as[slot];
	unsigned level = ptm.page[idx].level;
	/* A root's kernel half (Linux's 1 GiB linear-map leaves) was never
	 * counted as the AS's own. */
	int n = ptm.page[idx].state == PG_ROOT ? 256 : 512;

	if (!ptm.page[idx].count) {
		return;
	}
	/*@ loop invariant 0 <= i <= n;
	    loop assigns i, as->leaf_entries, as->leaf_pages;
	    loop variant n - i; */
	for (int i = 0; i < n; i++) {
		if (pte_is_leaf(t[i])) {
			as->leaf_entries--;
			as->leaf_pages -= 1UL << (9 * level);
		}
	}
}

/*@ requires db_shape && idx < ptm.npages;
    assigns \nothing; */
static bool has_links(uint32_t idx)
{
	const uint64_t *t = db_table(idx);

	if (!ptm.page[idx].count) {
		return false;
	}
	/*@ loop invariant 0 <= i <= 512;
	    loop assigns i;
	    loop variant 512 - i; */
	for (int i = 0; i < 512; i++) {
		if (pte_is_table(t[i])) {
			return true;
		}
	}
	return false;
}

/*
 * PT_FREE's checks and effect, under the gate alone. A refusal writes
 * nothing; an accepted call quarantines an unlinked TABLE page of the
 * handle's address space that links no table.
 */
/*@ requires db_ok && ptm.nquarantine < ptm.npages;
    requires \forall integer s; 0 <= s < ptm.nslots ==> l1_sane(s);
    ensures \result != SBI_SUCCESS ==> ptm_same{Pre, Post};
    ensures \result == SBI_SUCCESS ==> \at(pool_has(pt_pa), Pre) &&
      \let p = \at(pool_index(pt_pa), Pre);
      \at(ptm.page[p].state, Pre) == PG_TABLE &&
      \at(ptm.page[p].linked, Pre) == 0 &&
      ptm.page[p].state == PG_QUARANTINE; */
static long pt_free_locked(unsigned long handle, uint64_t pt_pa)
{
	unsigned slot;
	uint32_t idx;

	if ((pt_pa & (PTM_PAGE_SIZE - 1)) || !db_index(pt_pa, &idx)) {
		return SBI_ERR_INVALID_ADDRESS;
	}
	if (!as_owning(handle, idx, &slot) || ptm.page[idx].state != PG_TABLE) {
		return SBI_ERR_INVALID_PARAM;
	}
	/* Linked pages, and pages that still link tables, are in use. */
	if (ptm.page[idx].linked || has_links(idx)) {
		return SBI_ERR_DENIED;
	}
	forget_leaves(slot, idx);
	db_release(idx);
	as_retire_if_empty(slot);
	return SBI_SUCCESS;
}

long ptm_pt_free(unsigned long self, unsigned long handle, uint64_t pt_pa)
{
	long rc;

	db_lock(self);
	count_call();
	rc = pt_free_locked(handle, pt_pa);
	db_unlock();
	return refuse(rc);
}

/* A hart's satp holds the root (PPN: bits 0-43, priv spec v1.12
 * §4.1.11; hgatp's is the same field, §8.2.10). */
/*@ requires db_shape && \valid_read(as) && as->root < ptm.npages;
    requires \valid_read(ptm.hart_satp + (0 .. ptm.nharts - 1));
    assigns \nothing; */
static bool root_in_use(const struct ptm_as *as)
{
	uint64_t root_ppn = db_pa(as->root) >> 12;

	/*@ loop invariant 0 <= h <= ptm.nharts;
	    loop assigns h;
	    loop variant ptm.nharts - h; */
	for (unsigned int h = 0; h < ptm.nharts; h++) {
		if ((ptm.hart_satp[h] & SATP_PPN_MASK) == root_ppn) {
			return true;
		}
	}
	return false;
}

static void release_tree(unsigned slot, uint32_t idx, bool is_root);

/* A G-stage root's four pages: every entry is the guest's. */
static void release_root(unsigned slot, const struct ptm_as *as)
{
	if (as->kind != SECMON_AS_GSTAGE) {
		release_tree(slot, as->root, true);
		return;
	}
	for (uint32_t k = 0; k < PTM_GROOT_PAGES; k++) {
		release_tree(slot, as->root + k, false);
	}
}

/* Release a linked table and everything it links, bottom up. Depth is at
 * most 3 (Sv39), and every page is visited once. */
static void release_tree(unsigned slot, uint32_t idx, bool is_root)
{
	const uint64_t *t = db_table(idx);
	uint32_t ci;
	/* A root counts its kernel half; a level-0 table links nothing. */
	bool may_link = ptm.page[idx].level && ptm.page[idx].count;

	for (int i = 0; may_link && i < (is_root ? 256 : 512); i++) {
		if (pte_is_table(t[i]) && db_index(pte_pa(t[i]), &ci)) {
			release_tree(slot, ci, false);
		}
	}
	forget_leaves(slot, idx);
	db_release(idx);
}

/*
 * In a terminated AS nothing walks the unlinked tables that are left, so
 * their links can go: each left-over page can then be freed on its own,
 * in any order (an unlinked PMD still linking a PTE table would otherwise
 * refuse PT_FREE and pin its child, and the zombie would never end).
 * Only level-1 tables link, and the AS lists them: bounded by 512 entries
 * per left-over level-1 table (Linux frees tables after an RCU grace
 * period, so some are usually left).
 */
static void cut_leftover_links(unsigned slot)
{
	for (uint32_t n = ptm.as[slot].l1_head; n;) {
		uint32_t i = n - 1;
		uint64_t *t = db_table(i);

		n = ptm.page[i].l1_next;
		if (!ptm.page[i].count) {
			continue;
		}
		for (int e = 0; e < 512; e++) {
			if (pte_is_table(t[e])) {
				pte_commit(slot, i, t[e], 0);
				t[e] = 0;
			}
		}
	}
}

/*
 * A dying G-stage space leaves every hgatp that holds it: those harts
 * load the seal. Its VM's vCPUs are gone by then (Linux destroys the VM
 * after them), so no guest loses a live map; a user space's satp holders
 * are the kernel's to move (AS_DESTROY refuses instead).
 */
static void unload_groot(unsigned long self, const struct ptm_as *as)
{
	uint64_t root_ppn = db_pa(as->root) >> 12;

	for (unsigned int h = 0; h < ptm.nharts; h++) {
		if ((ptm.hart_hgatp[h] & SATP_PPN_MASK) == root_ppn) {
			ptm_hook_reseal(self, h);
			ptm.hart_hgatp[h] = 0;
		}
	}
}

/* AS_DESTROY's checks: the slot of a live space the call may destroy. A
 * user space's root must be in no hart's satp (the kernel moves its harts
 * off first); a G-stage space's hgatp holders are unloaded instead. */
/*@ requires db_ok && \valid_read(ptm.hart_satp + (0 .. ptm.nharts - 1));
    requires \valid(slot) && \separated(slot, &ptm,
      ptm.page + (0 .. ptm.npages - 1), ptm.as + (0 .. ptm.nslots - 1));
    assigns *slot;
    ensures \result == SBI_SUCCESS ==> *slot < ptm.nslots &&
      ptm.as[*slot].state == AS_LIVE; */
static long as_destroy_check(unsigned long handle, unsigned *slot)
{
	const struct ptm_as *as = as_live(handle, slot);

	if (!as) {
		return SBI_ERR_INVALID_PARAM;
	}
	if (as->kind != SECMON_AS_GSTAGE && root_in_use(as)) {
		return SBI_ERR_DENIED;
	}
	return SBI_SUCCESS;
}

/* AS_DESTROY's effect, once as_destroy_check has passed. */
static void as_destroy_apply(unsigned long self, unsigned slot)
{
	struct ptm_as *as = &ptm.as[slot];

	if (as->kind == SECMON_AS_GSTAGE) {
		unload_groot(self, as);
	}
	release_root(slot, as);
	if (as->pages) {
		cut_leftover_links(slot); /* only when something is left */
	}
	as->state = AS_ZOMBIE;
	as_retire_if_empty(slot);
}

/* AS_DESTROY under the gate alone: a refusal writes nothing. */
/*@ requires db_ok && \valid_read(ptm.hart_satp + (0 .. ptm.nharts - 1));
    ensures \result != SBI_SUCCESS ==> ptm_same{Pre, Post}; */
static long as_destroy_locked(unsigned long self, unsigned long handle)
{
	unsigned slot;
	long rc = as_destroy_check(handle, &slot);

	if (!rc) {
		as_destroy_apply(self, slot);
	}
	return rc;
}

long ptm_as_destroy(unsigned long self, unsigned long handle)
{
	long rc;

	db_lock(self);
	count_call();
	rc = as_destroy_locked(self, handle);
	db_unlock();
	return refuse(rc);
}

static void fill_global(struct secmon_stats *s)
{
	for (uint32_t i = 0; i < ptm.npages; i++) {
		s->root_pages += ptm.page[i].state == PG_ROOT ||
				 ptm.page[i].state == PG_GROOT;
		s->table_pages_all += ptm.page[i].state == PG_TABLE;
	}
	for (uint32_t a = 0; a < ptm.nslots; a++) {
		s->live_as += ptm.as[a].state == AS_LIVE;
		s->zombie_as += ptm.as[a].state == AS_ZOMBIE;
	}
	s->pool_pages = ptm.npages;
	s->free_pages = ptm.nfree;
	s->quarantine_pages = ptm.nquarantine;
	s->calls = ptm.calls;
	s->refused = ptm.refused;
	s->satp_writes = ptm.satp_writes;
	s->satp_refused = ptm.satp_refused;
	s->sfence_emulated = ptm.sfences;
	s->flushes = ptm.flushes;
}

static void fill_as(struct secmon_stats *s, const struct ptm_as *as)
{
	for (int l = 0; l < 3; l++) {
		s->pages_level[l] = as->level_pages[l];
		s->table_pages += as->level_pages[l];
	}
	s->leaf_entries = as->leaf_entries;
	s->leaf_pages = as->leaf_pages;
	s->user_leaf_pages = as->leaf_pages;
	s->zombie = as->state == AS_ZOMBIE;
}

/* The numbers are gathered under the PTM gate, then written under the
 * memmap lock, which checks the buffer again in the same breath: a LOCK
 * that made it a kernel root in between is seen. */
long ptm_stats(unsigned long self, unsigned long handle, uint64_t buf_pa)
{
	struct secmon_stats s = {0};
	unsigned slot;
	long rc = SBI_SUCCESS;

	if (!memmap_os_buffer_ok(buf_pa, sizeof(s), 8)) {
		return refuse(SBI_ERR_INVALID_ADDRESS);
	}
	db_lock(self);
	if (handle == SECMON_STATS_GLOBAL) {
		fill_global(&s);
	} else if (as_live(handle, &slot)) {
		fill_as(&s, &ptm.as[slot]);
	} else {
		rc = SBI_ERR_INVALID_PARAM;
	}
	db_unlock();
	arch_window(ARCH_WINDOW_STATS_GATHERED);
	if (!rc && memmap_copy_to_os(buf_pa, &s, sizeof(s), 8)) {
		rc = SBI_ERR_INVALID_ADDRESS;
	}
	return refuse(rc);
}

/* The roots S-mode may run on once LOCK is done: a kernel root, or a
 * user root of the pool. Sv39 only: Bare would be raw physical access. */
/*@ requires db_shape;
    assigns \nothing;
    ensures \result ==> satp_ok(value); */
static bool satp_allowed(uint64_t value)
{
	uint64_t root = satp_root_of(value);
	uint32_t idx;

	if (satp_mode_of(value) != SATP_MODE_SV39) {
		return false; /* no bare mode (raw physical access), no Sv48/57
			       */
	}
	if (root == ptm.kroot[0] || root == ptm.kroot[1]) {
		return true;
	}
	return db_index(root, &idx) && ptm.page[idx].state == PG_ROOT;
}

long ptm_satp_write(unsigned long self, uint64_t value, uint64_t *out)
{
	long rc = SBI_SUCCESS;

	/* Shared: the pool's books are only read, and hart_satp[self] is this
	 * hart's own (the writers that read every hart's hold the gate
	 * alone). */
	db_lock_shared(self);
	if (!ptm.locked || satp_allowed(value)) {
		/* The ASID field is WARL: the hardware keeps what it
		 * implements, as a direct write would. */
		*out = value;
		ptm.hart_satp[self] = value;
		__atomic_fetch_add(&ptm.satp_writes, 1, __ATOMIC_RELAXED);
	} else {
		__atomic_fetch_add(&ptm.satp_refused, 1, __ATOMIC_RELAXED);
		rc = SBI_ERR_DENIED;
	}
	db_unlock_shared();
	return rc;
}

/*
 * hgatp (priv spec v1.12 §8.2.10): Sv39x4 naming the first page of a live
 * G-stage root (any VMID: the field is WARL), or Bare, which becomes the
 * seal (ptm_hgatp_sealed): a guest may never run on the identity map.
 */
#define HGATP_MODE_SHIFT 60
#define HGATP_MODE_SV39X4 8UL
#define HGATP_VMID_MASK (0x3FFFUL << 44)

/*@ requires db_ok;
    assigns \nothing;
    ensures \result ==> hgatp_ok(value); */
static bool hgatp_root_ok(uint64_t value)
{
	uint32_t idx;
	const struct ptm_page *p;

	if (satp_mode_of(value) != HGATP_MODE_SV39X4 ||
	    !db_index(satp_root_of(value), &idx)) {
		return false;
	}
	p = &ptm.page[idx];
	return p->state == PG_GROOT && ptm.as[p->owner].root == idx;
}

uint64_t ptm_hgatp_sealed(void)
{
	return HGATP_MODE_SV39X4 << HGATP_MODE_SHIFT |
	       memmap_monitor().base >> 12;
}

long ptm_hgatp_write(unsigned long self, uint64_t value, uint64_t *out)
{
	long rc = SBI_SUCCESS;

	count_call();
	db_lock_shared(self);
	if (!ptm.locked || !hart_hyp()) {
		rc = !hart_hyp() ? SBI_ERR_NOT_SUPPORTED : SBI_ERR_DENIED;
	} else if (value >> HGATP_MODE_SHIFT == 0 ||
		   (value & ~HGATP_VMID_MASK) == ptm_hgatp_sealed()) {
		/* The VMID stays: Linux borrows hgatp with a VMID and Bare
		 * around hfence.vvma (arch/riscv/kvm/tlb.c), then writes back
		 * what it read, which may be the seal itself. */
		*out = ptm_hgatp_sealed() | (value & HGATP_VMID_MASK);
		ptm.hart_hgatp[self] = 0;
	} else if (hgatp_root_ok(value)) {
		*out = value;
		ptm.hart_hgatp[self] = value;
	} else {
		rc = SBI_ERR_INVALID_PARAM;
	}
	db_unlock_shared();
	return refuse(rc);
}

void ptm_satp_note(unsigned long self, uint64_t value)
{
	db_lock(self);
	ptm.hart_satp[self] = value;
	db_unlock();
}

bool ptm_hart_entering(unsigned long self)
{
	bool locked;

	db_lock(self);
	ptm.hart_satp[self] = 0;
	ptm.hart_hgatp[self] = 0; /* it enters with hgatp Bare or sealed */
	locked = ptm.locked;
	db_unlock();
	return locked;
}

void ptm_count_sfence(void)
{
	__atomic_fetch_add(&ptm.sfences, 1, __ATOMIC_RELAXED);
}
