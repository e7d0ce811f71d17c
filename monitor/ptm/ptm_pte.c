// SPDX-License-Identifier: BSD-2-Clause
/*
 * The rules for one PTE write (docs/abi.md "Invariants"), and the book
 * keeping that follows an accepted write. V=0 values are Linux's own
 * (PAGE_NONE, swap and migration entries) and are accepted as they are;
 * every rule below applies to V=1 entries only.
 */
#include <secmon/pte_bits.h>
#include <secmon/sbi.h>

#include "ptm_internal.h"

bool pte_is_table(uint64_t pte)
{
	return (pte & V) && !(pte & (R | W | X));
}

bool pte_is_leaf(uint64_t pte)
{
	return (pte & V) && (pte & (R | W | X));
}

uint64_t pte_pa(uint64_t pte)
{
	return ((pte & SECMON_PTE_PPN_MASK) >> SECMON_PTE_PPN_SHIFT) << 12;
}

/* 4 KiB, 2 MiB or 1 GiB for a leaf at level 0, 1 or 2. */
static uint64_t leaf_size(unsigned level)
{
	return PTM_PAGE_SIZE << (9 * level);
}

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return alen && blen && a < b + blen && b < a + alen;
}

static long check_leaf(unsigned level, uint64_t val)
{
	uint64_t pa = pte_pa(val);
	uint64_t size = leaf_size(level);

	/* W without R is a reserved encoding (priv spec Table 4.5). */
	if ((val & W) && !(val & R)) {
		return SBI_ERR_INVALID_PARAM;
	}
	/* Superpages must be aligned to their size (§4.3.2 step 6). */
	if (pa & (size - 1)) {
		return SBI_ERR_INVALID_PARAM;
	}
	/* The whole user address space is the user half: U=1, G=0. */
	if (!(val & U) || (val & G)) {
		return SBI_ERR_INVALID_PARAM;
	}
	/* Outside RAM (checked second: RAM is the hot path): never the
	 * monitor's own devices (CLINT/ACLINT), else only device memory the
	 * tree gives the OS, which holds no image, pool or monitor memory. */
	if (!memmap_in_ram(pa, size)) {
		if (memmap_in_device(pa, size)) {
			return SBI_ERR_DENIED;
		}
		return memmap_in_os_mmio(pa, size) ? SBI_SUCCESS
						   : SBI_ERR_INVALID_PARAM;
	}
	if (memmap_in_monitor(pa, size) || memmap_in_pool(pa, size) ||
	    memmap_in_kernel_root(pa, size)) {
		return SBI_ERR_DENIED;
	}
	if ((val & W) &&
	    (overlaps(pa, size, ptm.kstart, ptm.khole[0] - ptm.kstart) ||
	     overlaps(pa, size, ptm.khole[1], ptm.kend - ptm.khole[1]))) {
		return SBI_ERR_DENIED;
	}
	return SBI_SUCCESS;
}

/* A non-leaf entry links an unlinked table of the same AS, one level down. */
static long check_link(unsigned slot, unsigned level, uint64_t old,
		       uint64_t val)
{
	const struct ptm_page *c;
	uint32_t ci;

	/* D, A, U are reserved in non-leaf PTEs (§4.3.1); G would make
	 * every user mapping below it global. */
	if (level == 0 || (val & (U | A | D | G))) {
		return SBI_ERR_INVALID_PARAM;
	}
	if (!db_index(pte_pa(val), &ci)) {
		return SBI_ERR_INVALID_PARAM;
	}
	c = &ptm.page[ci];
	if (c->state != PG_TABLE || c->owner != slot || c->level != level - 1) {
		return SBI_ERR_INVALID_PARAM;
	}
	if (c->linked && old != val) {
		return SBI_ERR_INVALID_PARAM;
	}
	return SBI_SUCCESS;
}

/* Bits 54-63 of a valid entry: reserved and N must be 0; PBMT only on a
 * leaf, only where every hart has Svpbmt, and never the reserved 3. */
static bool high_bits_bad(uint64_t val)
{
	uint64_t high = val & SECMON_PTE_HIGH_MASK;

	if (ptm.pbmt && pte_is_leaf(val)) {
		if ((val & PTE_PBMT_MASK) == PTE_PBMT_MASK) {
			return true;
		}
		high &= ~PTE_PBMT_MASK;
	}
	return high != 0;
}

long pte_check_new(unsigned slot, uint32_t idx, unsigned i, uint64_t old,
		   uint64_t val)
{
	const struct ptm_page *pg = &ptm.page[idx];

	if (pg->state == PG_ROOT && i >= 256) {
		return SBI_ERR_DENIED; /* the kernel half is immutable */
	}
	if (!(val & V)) {
		return SBI_SUCCESS;
	}
	if (high_bits_bad(val)) {
		return SBI_ERR_INVALID_PARAM;
	}
	if (pte_is_table(val)) {
		return check_link(slot, pg->level, old, val);
	}
	return check_leaf(pg->level, val);
}

static void count_leaf(struct ptm_as *as, unsigned level, uint64_t pte,
		       int sign)
{
	if (!pte_is_leaf(pte)) {
		return;
	}
	as->leaf_entries += (uint64_t)(int64_t)sign;
	/* Unsigned shift: -1 << n is undefined for signed types. */
	as->leaf_pages += (uint64_t)(int64_t)sign << (9 * level);
}

static void set_linked(uint64_t pte, uint8_t linked)
{
	uint32_t ci;

	if (db_index(pte_pa(pte), &ci)) {
		ptm.page[ci].linked = linked;
	}
}

void pte_commit(unsigned slot, uint32_t idx, unsigned i, uint64_t old,
		uint64_t val)
{
	struct ptm_page *pg = &ptm.page[idx];
	struct ptm_as *as = &ptm.as[slot];

	if (old != val && pte_is_table(old)) {
		set_linked(old, 0);
	}
	if (old != val && pte_is_table(val)) {
		set_linked(val, 1);
	}
	pg->count =
	    (uint16_t)(pg->count + ((val & V) ? 1 : 0) - ((old & V) ? 1 : 0));
	count_leaf(as, pg->level, old, -1);
	count_leaf(as, pg->level, val, 1);
}

/* The slot must be an aligned entry of a table page that slot owns. */
static long locate(unsigned slot, uint64_t pte_pa, uint32_t *idx, unsigned *i)
{
	const struct ptm_page *pg;

	if ((pte_pa & 7) || !db_index(pte_pa, idx)) {
		return SBI_ERR_INVALID_ADDRESS;
	}
	pg = &ptm.page[*idx];
	if ((pg->state != PG_ROOT && pg->state != PG_TABLE) ||
	    pg->owner != slot) {
		return SBI_ERR_INVALID_ADDRESS;
	}
	*i = (unsigned)((pte_pa & (PTM_PAGE_SIZE - 1)) >> 3);
	return SBI_SUCCESS;
}

/*
 * One checked read-modify-write. Hardware never writes pool pages on real
 * machines (PMP makes them read-only), but QEMU sets A/D bits in them
 * anyway; the compare-and-swap makes sure such an update is never lost
 * and that the rules are checked against the value actually replaced.
 */
long pte_update(unsigned slot, uint64_t pte_pa, int op, uint64_t a, uint64_t b,
		uint64_t *old_out)
{
	uint32_t idx;
	unsigned i;
	uint64_t *t;
	long rc = locate(slot, pte_pa, &idx, &i);

	if (rc) {
		return rc;
	}
	t = &db_table(idx)[i];
	for (;;) {
		uint64_t old = __atomic_load_n(t, __ATOMIC_ACQUIRE);
		uint64_t val = op == SECMON_BATCH_OP_SET ? a : (old & ~a) | b;

		/* New leaves arrive young: Linux maps them young anyway, and
		 * without hardware A updating (menvcfg.ADUE stays 0) an old
		 * one costs a fault. D is kept as given, so a clean writable
		 * leaf (MADV_FREE) stays clean until the kernel dirties it. */
		if (op == SECMON_BATCH_OP_SET && pte_is_leaf(val)) {
			val |= A;
		}
		rc = pte_check_new(slot, idx, i, old, val);
		if (rc) {
			return rc;
		}
		if (__atomic_compare_exchange_n(t, &old, val, false,
						__ATOMIC_SEQ_CST,
						__ATOMIC_SEQ_CST)) {
			pte_commit(slot, idx, i, old, val);
			*old_out = old;
			return SBI_SUCCESS;
		}
	}
}
