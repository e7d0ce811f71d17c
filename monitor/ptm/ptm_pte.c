// SPDX-License-Identifier: BSD-2-Clause
/*
 * The rules for one PTE write (docs/abi.md "Invariants"), and the book
 * keeping that follows an accepted write. V=0 values are Linux's own
 * (PAGE_NONE, swap and migration entries) and are accepted as they are;
 * every rule below applies to V=1 entries only.
 */
#include <secmon/pte_bits.h>
#include <secmon/sbi.h>

#include "arch.h"
#include "ptm_internal.h"

/* Inline forms for the hot path; the public ones below wrap them. */
/*@ assigns \nothing;
    ensures \result <==> pte_table(pte); */
static inline bool is_table(uint64_t pte)
{
	return (pte & V) && !(pte & (R | W | X));
}

/*@ assigns \nothing;
    ensures \result <==> pte_leaf(pte); */
static inline bool is_leaf(uint64_t pte)
{
	return (pte & V) && (pte & (R | W | X));
}

bool pte_is_table(uint64_t pte)
{
	return is_table(pte);
}

bool pte_is_leaf(uint64_t pte)
{
	return is_leaf(pte);
}

/*@ assigns \nothing;
    ensures \result == pte_target(pte); */
uint64_t pte_pa(uint64_t pte)
{
	/* PPN (bits 10-53) << 12, the field kept in place: << 2. */
	return (pte & SECMON_PTE_PPN_MASK) << (12 - SECMON_PTE_PPN_SHIFT);
}

/* 4 KiB, 2 MiB or 1 GiB for a leaf at level 0, 1 or 2. */
/*@ requires level <= 2;
    assigns \nothing;
    ensures \result == leaf_bytes(level); */
static inline uint64_t leaf_size(unsigned level)
{
	return PTM_PAGE_SIZE << (9 * level);
}

/*@ assigns \nothing;
    ensures \result <==> pte_overlap(a, alen, b, blen); */
static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return alen && blen && a < b + blen && b < a + alen;
}

static void add_span(struct ptm_span *s, uint32_t *n, uint64_t base,
		     uint64_t end)
{
	if (base < end) {
		s[(*n)++] = (struct ptm_span){base, end};
	}
}

/* Set the granule bits of the part of s inside the filter's RAM. */
static void mark_dirty(struct ptm_filter *f, const struct ptm_span *s)
{
	uint64_t b = s->base > f->ram.base ? s->base : f->ram.base;
	uint64_t e = s->end < f->ram.end ? s->end : f->ram.end;

	if (b >= e) {
		return;
	}
	for (uint64_t g = (b - f->ram.base) >> f->gshift;
	     g <= (e - 1 - f->ram.base) >> f->gshift; g++) {
		f->dirty[g / 64] |= 1UL << (g % 64);
	}
}

static void build_granules(struct ptm_filter *f)
{
	f->gshift = 21;
	while (((f->ram.end - f->ram.base) >> f->gshift) >=
	       PTM_FILTER_GRANULES) {
		f->gshift++;
	}
	for (uint32_t i = 0; i < f->ndeny; i++) {
		mark_dirty(f, &f->deny[i]);
	}
	for (uint32_t i = 0; i < f->ndeny_w; i++) {
		mark_dirty(f, &f->deny_w[i]);
	}
}

void ptm_filter_build(void)
{
	struct ptm_filter *f = &ptm.filter;
	struct memmap_range r, best = {0, 0}, m;

	*f = (struct ptm_filter){0};
	for (unsigned i = 0; memmap_ram(i, &r); i++) {
		best = r.size > best.size ? r : best;
	}
	f->ram = (struct ptm_span){best.base, best.base + best.size};
	m = memmap_monitor();
	add_span(f->deny, &f->ndeny, m.base, m.base + m.size);
	m = memmap_records();
	add_span(f->deny, &f->ndeny, m.base, m.base + m.size);
	m = memmap_pool();
	add_span(f->deny, &f->ndeny, m.base, m.base + m.size);
	for (unsigned i = 0; i < 2; i++) {
		uint64_t root = memmap_kernel_root(i);

		add_span(f->deny, &f->ndeny, root,
			 root ? root + PTM_PAGE_SIZE : 0);
	}
	add_span(f->deny_w, &f->ndeny_w, ptm.kstart, ptm.khole[0]);
	add_span(f->deny_w, &f->ndeny_w, ptm.khole[1], ptm.kend);
	build_granules(f);
}

/* The full target check against the memory map: for leaves outside the
 * filter's RAM range (other RAM ranges, device memory). */
/*@ requires mm_sane;
    assigns \nothing;
    ensures \result == SBI_SUCCESS ==>
      !mm_touches_monitor(pa, size) && !mm_touches_pool(pa, size) &&
      !mm_touches_kroot(pa, size) && (w ==> !touches_image_w(pa, size)); */
static long check_target_map(uint64_t pa, uint64_t size, bool w)
{
	/* Outside RAM: never the monitor's own devices (CLINT/ACLINT), else
	 * only device memory the tree gives the OS. */
	if (!memmap_in_ram(pa, size)) {
		if (memmap_in_device(pa, size)) {
			return SBI_ERR_DENIED;
		}
		if (!memmap_in_os_mmio(pa, size)) {
			return SBI_ERR_INVALID_PARAM;
		}
		/* Boot takes the tree's device ranges as they are, so
		 * one may overlap RAM: the rules below still hold there. */
	}
	if (memmap_in_monitor(pa, size) || memmap_in_pool(pa, size) ||
	    memmap_in_kernel_root(pa, size)) {
		return SBI_ERR_DENIED;
	}
	if (w && (overlaps(pa, size, ptm.kstart, ptm.khole[0] - ptm.kstart) ||
		  overlaps(pa, size, ptm.khole[1], ptm.kend - ptm.khole[1]))) {
		return SBI_ERR_DENIED;
	}
	return SBI_SUCCESS;
}

/*@ requires \valid_read(s + (0 .. n - 1));
    assigns \nothing;
    ensures \result <==> spans_hit(s, n, pa, end); */
static inline bool span_hit(const struct ptm_span *s, uint32_t n, uint64_t pa,
			    uint64_t end)
{
	/*@ loop invariant 0 <= i <= n;
	    loop invariant !spans_hit(s, i, pa, end);
	    loop assigns i;
	    loop variant n - i; */
	for (uint32_t i = 0; i < n; i++) {
		if (pa < s[i].end && s[i].base < end) {
			return true;
		}
	}
	return false;
}

/* Inside the filter's RAM range (the hot case): the same rules as
 * check_target_map, from the spans LOCK precomputed. */
/*@ requires ptm.filter.ram.base <= ptm.filter.ram.end;
    assigns \nothing;
    ensures \result <==> filter_ram_has(pa, size); */
static inline bool in_filter_ram(uint64_t pa, uint64_t size)
{
	/* Without wrap, for any pa and size. */
	return pa >= ptm.filter.ram.base && pa <= ptm.filter.ram.end &&
	       size <= ptm.filter.ram.end - pa;
}

/*@ requires filter_ok;
    requires ptm.filter.ram.base <= pa < end <= ptm.filter.ram.end;
    assigns \nothing;
    ensures \result ==>
      range_clean(pa, end); */
static inline bool granule_clean(uint64_t pa, uint64_t end)
{
	const struct ptm_filter *f = &ptm.filter;
	uint64_t g = (pa - f->ram.base) >> f->gshift;

	return g == (end - 1 - f->ram.base) >> f->gshift &&
	       !((f->dirty[g / 64] >> (g % 64)) & 1);
}

bool ptm_filter_clean(uint64_t pa, uint64_t size)
{
	return in_filter_ram(pa, size) && granule_clean(pa, pa + size);
}

/*@ requires filter_ok;
    requires 0 < size && filter_ram_has(pa, size);
    assigns \nothing;
    ensures \result == SBI_SUCCESS || \result == SBI_ERR_DENIED;
    ensures \result == SBI_SUCCESS ==>
      !deny_hit(pa, pa + size) && (w ==> !deny_w_hit(pa, pa + size)); */
static inline long check_target_ram(uint64_t pa, uint64_t size, bool w)
{
	const struct ptm_filter *f = &ptm.filter;
	uint64_t end = pa + size;

	if (granule_clean(pa, end)) {
		return SBI_SUCCESS;
	}
	if (span_hit(f->deny, f->ndeny, pa, end) ||
	    (w && span_hit(f->deny_w, f->ndeny_w, pa, end))) {
		return SBI_ERR_DENIED;
	}
	return SBI_SUCCESS;
}

/* The rules on a leaf's own bits. */
/*@ requires level <= 2;
    assigns \nothing;
    ensures \result == SBI_SUCCESS || \result == SBI_ERR_INVALID_PARAM;
    ensures \result == SBI_SUCCESS ==> leaf_bits(level, val); */
static inline long leaf_bits_ok(unsigned level, uint64_t val)
{
	/* W without R is a reserved encoding (priv spec Table 4.5). */
	if ((val & W) && !(val & R)) {
		return SBI_ERR_INVALID_PARAM;
	}
	/* Superpages must be aligned to their size (§4.3.2 step 6). */
	if (pte_pa(val) & (leaf_size(level) - 1)) {
		return SBI_ERR_INVALID_PARAM;
	}
	/* The whole user address space is the user half: U=1, G=0. */
	if (!(val & U) || (val & G)) {
		return SBI_ERR_INVALID_PARAM;
	}
	return SBI_SUCCESS;
}

/*@ requires filter_ok && mm_sane && level <= 2;
    assigns \nothing;
    ensures \result == SBI_SUCCESS ==>
      leaf_bits(level, val) && leaf_safe(level, val); */
static long check_leaf(unsigned level, uint64_t val)
{
	uint64_t pa = pte_pa(val), size = leaf_size(level);
	long rc = leaf_bits_ok(level, val);

	if (rc) {
		return rc;
	}
	return in_filter_ram(pa, size) ? check_target_ram(pa, size, val & W)
				       : check_target_map(pa, size, val & W);
}

/* A non-leaf entry links an unlinked table of the same AS, one level down. */
/*@ requires db_ok && level <= 2;
    assigns \nothing;
    ensures \result == SBI_SUCCESS ==> link_ok(slot, level, old, val); */
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
/*@ assigns \nothing; */
static inline bool high_bits_bad(uint64_t val)
{
	uint64_t high = val & SECMON_PTE_HIGH_MASK;

	if (ptm.pbmt && is_leaf(val)) {
		if ((val & PTE_PBMT_MASK) == PTE_PBMT_MASK) {
			return true;
		}
		high &= ~PTE_PBMT_MASK;
	}
	return high != 0;
}

/*@ requires db_ok && filter_ok;
    requires idx < ptm.npages && i < 512 && st_owned(ptm.page[idx].state);
    assigns \nothing;
    ensures \result == SBI_SUCCESS && ptm.page[idx].state == PG_ROOT ==>
      i < 256;
    ensures \result == SBI_SUCCESS && pte_leaf(val) ==>
      leaf_bits(ptm.page[idx].level, val) &&
      leaf_safe(ptm.page[idx].level, val);
    ensures \result == SBI_SUCCESS && pte_table(val) ==>
      link_ok(slot, ptm.page[idx].level, old, val); */
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
	if (is_table(val)) {
		return check_link(slot, pg->level, old, val);
	}
	return check_leaf(pg->level, val);
}

/* The books of an accepted write that changes no link. */
/*@ requires db_shape && \valid(as) && \separated(as, pg);
    requires \exists integer k; 0 <= k < ptm.npages && pg == &ptm.page[k];
    requires pg->level <= 2;
    assigns pg->count, pg->nonzero, as->leaf_entries, as->leaf_pages;
    ensures owners_kept{Pre, Post}; */
static inline void commit_data(struct ptm_as *as, struct ptm_page *pg,
			       uint64_t old, uint64_t val)
{
	uint64_t pages = 1UL << (9 * pg->level);

	pg->count = (uint16_t)(pg->count + (val & V) - (old & V));
	pg->nonzero = (uint16_t)(pg->nonzero + (val != 0) - (old != 0));
	if (is_leaf(old)) {
		as->leaf_entries--;
		as->leaf_pages -= pages;
	}
	if (is_leaf(val)) {
		as->leaf_entries++;
		as->leaf_pages += pages;
	}
}

/*@ requires db_shape;
    assigns ptm.page[0 .. ptm.npages - 1].linked;
    ensures owners_kept{Pre, Post}; */
static void set_linked(uint64_t pte, uint8_t linked)
{
	uint32_t ci;

	if (db_index(pte_pa(pte), &ci)) {
		ptm.page[ci].linked = linked;
	}
}

/*@ requires db_ok && slot < ptm.nslots && idx < ptm.npages;
    requires ptm.page[idx].level <= 2;
    assigns ptm.page[0 .. ptm.npages - 1].linked, ptm.page[idx].count,
      ptm.page[idx].nonzero, ptm.as[slot].leaf_entries,
      ptm.as[slot].leaf_pages;
    ensures owners_kept{Pre, Post}; */
void pte_commit(unsigned slot, uint32_t idx, uint64_t old, uint64_t val)
{
	if (old != val && is_table(old)) {
		set_linked(old, 0);
	}
	if (old != val && is_table(val)) {
		set_linked(val, 1);
	}
	commit_data(&ptm.as[slot], &ptm.page[idx], old, val);
}

/* Where entry_pa's table is, if it is an aligned entry of a table page
 * that slot owns; PTE_AT_NONE otherwise. */
/*@ requires db_ok;
    assigns \nothing;
    behavior found:
      assumes entry_pa % 8 == 0 && pool_has(entry_pa) &&
	st_owned(ptm.page[pool_index(entry_pa)].state) &&
	ptm.page[pool_index(entry_pa)].owner == slot;
      ensures at_ok(\result, slot) && \result.idx == pool_index(entry_pa) &&
	\result.pfn == entry_pa / 4096;
    behavior refused:
      assumes !(entry_pa % 8 == 0 && pool_has(entry_pa) &&
	st_owned(ptm.page[pool_index(entry_pa)].state) &&
	ptm.page[pool_index(entry_pa)].owner == slot);
      ensures at_none(\result);
    complete behaviors;
    disjoint behaviors; */
static inline struct pte_at locate(unsigned slot, uint64_t entry_pa)
{
	const struct ptm_page *pg;
	uint32_t idx;

	if (entry_pa % 8 || !db_index(entry_pa, &idx)) {
		return PTE_AT_NONE;
	}
	pg = &ptm.page[idx];
	if ((pg->state != PG_ROOT && pg->state != PG_TABLE &&
	     pg->state != PG_GROOT) ||
	    pg->owner != slot) {
		return PTE_AT_NONE;
	}
	return (struct pte_at){entry_pa / PTM_PAGE_SIZE, db_table(idx),
			       &ptm.page[idx], idx};
}

/* Apply BATCH's pending book changes to at's page (see struct pte_books). */
/*@ requires db_ok && slot < ptm.nslots && books_apart(books);
    requires books_in(books, 65536);
    requires at.pg != \null ==> at_ok(at, slot);
    requires at.pg == \null ==> books_in(books, 0);
    assigns ptm.page[0 .. ptm.npages - 1].count,
      ptm.page[0 .. ptm.npages - 1].nonzero, ptm.as[slot].leaf_entries,
      ptm.as[slot].leaf_pages, *books;
    ensures owners_kept{Pre, Post} && db_ok && books_in(books, 0); */
static inline void books_flush(unsigned slot, struct pte_at at,
			       struct pte_books *books)
{
	struct ptm_page *pg = at.pg;
	struct ptm_as *as = &ptm.as[slot];

	if (!pg) {
		return;
	}
	pg->count = (uint16_t)(pg->count + books->dcount);
	pg->nonzero = (uint16_t)(pg->nonzero + books->dnonzero);
	as->leaf_entries += (uint32_t)books->dleaf;
	as->leaf_pages += (uint64_t)(int64_t)books->dleaf << (9 * pg->level);
	*books = (struct pte_books){0, 0, 0};
}

/*@ assigns \nothing;
    ensures \result == entry_pa % 4096 / 8 && \result < 512; */
static inline unsigned slot_of(uint64_t entry_pa)
{
	return (unsigned)(entry_pa % PTM_PAGE_SIZE / 8);
}

/*@ assigns \nothing; */
static inline uint64_t new_value(int op, uint64_t old, uint64_t a, uint64_t b)
{
	uint64_t val = op == SECMON_BATCH_OP_SET ? a : (old & ~a) | b;

	/* New leaves arrive young: Linux maps them young anyway, and
	 * without hardware A updating (menvcfg.ADUE stays 0) an old one
	 * costs a fault. D is kept as given, so a clean writable leaf
	 * (MADV_FREE) stays clean until the kernel dirties it. */
	if (op == SECMON_BATCH_OP_SET && is_leaf(val)) {
		val |= A;
	}
	return val;
}

/*
 * One checked read-modify-write, for any value. Hardware never writes
 * pool pages on real machines (PMP makes them read-only), but QEMU sets
 * A/D bits in them anyway; the compare-and-swap makes sure such an update
 * is never lost and that the rules are checked against the value actually
 * replaced.
 */
/*@ requires db_ok && filter_ok;
    requires slot < ptm.nslots && idx < ptm.npages && i < 512;
    requires st_owned(ptm.page[idx].state) && ptm.page[idx].owner == slot;
    requires out_ok(old_out);
    assigns pool_table(idx)[i], ptm.page[0 .. ptm.npages - 1].linked,
      ptm.page[idx].count, ptm.page[idx].nonzero,
      ptm.as[slot].leaf_entries, ptm.as[slot].leaf_pages, *old_out;
    ensures \result != SBI_SUCCESS ==> ptm_same{Pre, Post};
    ensures owners_kept{Pre, Post};
    ensures \result == SBI_SUCCESS ==>
      \let v = pool_table(idx)[i]; entry_ok{Pre}(idx, i, v); */
static __attribute__((noinline)) long
update_general(unsigned slot, uint32_t idx, unsigned i, int op, uint64_t a,
	       uint64_t b, uint64_t *old_out)
{
	uint64_t *t = &db_table(idx)[i];

	/*@ loop invariant ptm_same{Pre, Here};
	    loop assigns \nothing; */
	for (;;) {
		uint64_t old = __atomic_load_n(t, __ATOMIC_ACQUIRE);
		uint64_t val = new_value(op, old, a, b);
		long rc = pte_check_new(slot, idx, i, old, val);

		if (rc) {
			return rc;
		}
		if (__atomic_compare_exchange_n(t, &old, val, false,
						__ATOMIC_SEQ_CST,
						__ATOMIC_SEQ_CST)) {
			pte_commit(slot, idx, old, val);
			*old_out = old;
			return SBI_SUCCESS;
		}
	}
}

/* hot_check's answer for a write only update_general may decide. */
#define PTE_GENERAL 1

/*
 * The hot case's rules: a user-half entry of data (V=0 or a leaf in the
 * filter's RAM) replaced by data, neither old nor new a link, checked as
 * pte_check_new would. 0: update() may write it; PTE_GENERAL: any other
 * case, for update_general; or the SBI error the rules give.
 */
/*@ requires db_ok && filter_ok && at.idx < ptm.npages;
    requires at.pg == &ptm.page[at.idx] && st_owned(ptm.page[at.idx].state);
    assigns \nothing;
    ensures \result == SBI_SUCCESS ==> entry_ok(at.idx, i, val); */
static inline __attribute__((always_inline)) long
hot_check(struct pte_at at, unsigned i, uint64_t old, uint64_t val)
{
	const struct ptm_page *pg = at.pg;
	uint64_t pa, size;
	long rc;

	if (is_table(old) || is_table(val) ||
	    (pg->state == PG_ROOT && i >= 256)) {
		return PTE_GENERAL;
	}
	if (!(val & V)) {
		return SBI_SUCCESS;
	}
	if (high_bits_bad(val)) {
		return SBI_ERR_INVALID_PARAM;
	}
	pa = pte_pa(val);
	size = leaf_size(pg->level);
	rc = leaf_bits_ok(pg->level, val);
	if (!rc && !in_filter_ram(pa, size)) {
		return PTE_GENERAL;
	}
	return rc ?: check_target_ram(pa, size, val & W);
}

/*
 * One entry's write, with no call in the hot case (hot_check's); the
 * rest, and a lost race with a hardware A/D update, go to update_general.
 * books: where BATCH defers the data write's book changes; NULL: apply
 * them now.
 */
/* Always inline: into BATCH's loop and SET/MODIFY's one entry, where GCC
 * otherwise keeps a call with a frame per entry (29 instructions of 139
 * per BATCH entry in the payload). */
/*@ requires db_ok && filter_ok && slot < ptm.nslots && i < 512;
    requires at_ok(at, slot);
    requires out_ok(old_out);
    requires books == \null || (books_apart(books) && books_in(books, 65536));
    assigns pool_table(at.idx)[i], ptm.page[0 .. ptm.npages - 1].linked,
      ptm.page[at.idx].count, ptm.page[at.idx].nonzero,
      ptm.as[slot].leaf_entries, ptm.as[slot].leaf_pages, *old_out, *books;
    ensures \result != SBI_SUCCESS ==> ptm_same{Pre, Post};
    ensures \result == SBI_SUCCESS ==>
      \let v = pool_table(at.idx)[i]; entry_ok{Pre}(at.idx, i, v);
    ensures owners_kept{Pre, Post};
    ensures db_shape;
    ensures db_records_ok;
    ensures quar_counted;
    ensures mm_sane;
    ensures filter_ok;
    ensures at_ok(at, slot);
    ensures books != \null ==> \forall integer k;
      books_in{Pre}(books, k) ==> books_in(books, k + 1); */
static inline __attribute__((always_inline)) long
update(unsigned slot, struct pte_at at, unsigned i, int op, uint64_t a,
       uint64_t b, uint64_t *old_out, struct pte_books *books)
{
	uint64_t *t = &at.table[i];
	uint64_t old = __atomic_load_n(t, __ATOMIC_ACQUIRE);
	uint64_t val = new_value(op, old, a, b);
	long rc = hot_check(at, i, old, val);

	if (rc == PTE_GENERAL) {
		return update_general(slot, at.idx, i, op, a, b, old_out);
	}
	if (rc) {
		return rc;
	}
	if (!__atomic_compare_exchange_n(t, &old, val, false, __ATOMIC_SEQ_CST,
					 __ATOMIC_SEQ_CST)) {
		return update_general(slot, at.idx, i, op, a, b, old_out);
	}
	if (books) {
		books->dcount += (int32_t)((val & V) - (old & V));
		books->dnonzero += (val != 0) - (old != 0);
		books->dleaf += is_leaf(val) - is_leaf(old);
	} else {
		commit_data(&ptm.as[slot], at.pg, old, val);
	}
	*old_out = old;
	return SBI_SUCCESS;
}

/*@ requires db_ok && filter_ok && slot < ptm.nslots && out_ok(old_out);
    ensures \result != SBI_SUCCESS ==> ptm_same{Pre, Post};
    ensures \result == SBI_SUCCESS ==> pool_has(entry_pa) &&
      \let p = pool_index(entry_pa); \let i = entry_pa % 4096 / 8;
      \let v = pool_table(p)[i]; entry_ok{Pre}(p, i, v); */
long pte_update(unsigned slot, uint64_t entry_pa, int op, uint64_t a,
		uint64_t b, uint64_t *old_out)
{
	struct pte_at at = locate(slot, entry_pa);

	if (!at.pg) {
		return SBI_ERR_INVALID_ADDRESS;
	}
	return update(slot, at, slot_of(entry_pa), op, a, b, old_out, NULL);
}

/* Each field once: the OS may be rewriting the entry as it is read. */
/*@ requires \valid_read(os) && \valid(e) && \separated(e, os);
    assigns *e;
    ensures e->op == os->op && e->pte_pa == os->pte_pa && e->a == os->a &&
      e->b == os->b; */
static inline void read_entry(struct secmon_batch_entry *e,
			      const struct secmon_batch_entry *os)
{
	e->op = __atomic_load_n(&os->op, __ATOMIC_RELAXED);
	e->pte_pa = __atomic_load_n(&os->pte_pa, __ATOMIC_RELAXED);
	e->a = __atomic_load_n(&os->a, __ATOMIC_RELAXED);
	e->b = __atomic_load_n(&os->b, __ATOMIC_RELAXED);
}

/*
 * Entries are read out of OS memory one at a time, into the monitor's
 * stack, and only the copy is used: the OS may change the buffer
 * concurrently, but each entry is read exactly once. The caller holds the
 * memmap lock from the buffer check to the last read (memmap_os_begin), as
 * every OS buffer access does.
 */
/*@ requires db_ok && filter_ok && slot < ptm.nslots && pool_valid;
    requires n <= SECMON_BATCH_MAX && \valid_read(buf + (0 .. n - 1));
    requires out_ok(applied);
    ensures \result == SBI_SUCCESS ==> *applied == n;
    ensures \result != SBI_SUCCESS ==> *applied < n; */
long pte_batch(unsigned slot, const struct secmon_batch_entry *buf,
	       unsigned long n, unsigned long *applied)
{
	struct pte_at at = PTE_AT_NONE;
	struct pte_books books = {0, 0, 0};
	uint64_t old;

	/*@ loop invariant 0 <= k <= n;
	    loop invariant out_ok(&old);
	    loop invariant at.pg != \null ==> at_ok(at, slot);
	    loop invariant at.pg == \null ==>
	      at_none(at) && books_in(&books, 0);
	    loop invariant books_in(&books, k) && books_apart(&books);
	    loop invariant owners_kept{Pre, Here};
	    loop invariant db_ok;
	    loop invariant filter_ok;
	    loop assigns k, at, books, old,
	      *({ pool_table(q) | integer q; 0 <= q < ptm.npages } +
		(0 .. 511)),
	      ptm.page[0 .. ptm.npages - 1].linked,
	      ptm.page[0 .. ptm.npages - 1].count,
	      ptm.page[0 .. ptm.npages - 1].nonzero,
	      ptm.as[slot].leaf_entries, ptm.as[slot].leaf_pages;
	    loop variant n - k; */
	for (unsigned long k = 0; k < n; k++) {
		struct secmon_batch_entry e;
		long rc;

		read_entry(&e, &buf[k]);
		arch_window(ARCH_WINDOW_BATCH_COPIED);
		if (e.op > SECMON_BATCH_OP_MODIFY ||
		    (e.op == SECMON_BATCH_OP_SET && e.b)) {
			rc = SBI_ERR_INVALID_PARAM;
		} else if (e.pte_pa / PTM_PAGE_SIZE == at.pfn) {
			/* at's page: one compare, and aligned */
			rc = e.pte_pa % 8 ? SBI_ERR_INVALID_ADDRESS
					  : SBI_SUCCESS;
		} else {
			books_flush(slot, at, &books);
			at = locate(slot, e.pte_pa);
			rc = at.pg ? SBI_SUCCESS : SBI_ERR_INVALID_ADDRESS;
		}
		/*@ assert books_in(&books, k) && books_apart(&books); */
		/*@ assert db_ok && filter_ok; */
		/*@ assert rc == SBI_SUCCESS ==> at_ok(at, slot); */
		rc = rc
			 ?: update(slot, at, slot_of(e.pte_pa), (int)e.op, e.a,
				   e.b, &old, &books);
		/*@ assert books_in(&books, k + 1); */
		/*@ assert db_ok; */
		/*@ assert filter_ok; */
		/*@ assert owners_kept{Pre, Here}; */
		if (rc) {
			books_flush(slot, at, &books);
			*applied = k;
			return rc;
		}
	}
	books_flush(slot, at, &books);
	*applied = n;
	return SBI_SUCCESS;
}
