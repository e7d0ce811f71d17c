// SPDX-License-Identifier: BSD-2-Clause
/*
 * The page database: one record per pool page, the address-space table,
 * the PTM gate and the address-space locks, and the only helpers that change a
 * page's state.
 */
#include <string.h>

#include "arch.h"
#include "hart.h"
#include "lock.h"
#include "ptm_internal.h"

struct ptm_db ptm;
/*
 * The PTM gate (lock order: monitor/memmap/memmap.h). It is fair: harts
 * are served in the order they asked, so no hart's call (a HSM start
 * noting its satp, a CHECK) can be starved by other harts hammering the
 * ABI. Waiters serve their own mailbox: a writer may be waiting for their
 * fence acknowledgement.
 */
struct rwlock ptm_gate = RWLOCK_INIT;

/* Out of line, so that the uncontended paths need no stack frame. */
void db_gate_wait_turn(unsigned long self, uint32_t t)
{
	while (!rw_turn(&ptm_gate, t)) {
		hart_serve_if_pending(self);
		arch_relax();
	}
}

static __attribute__((noinline)) void gate_wait_drained(unsigned long self)
{
	while (!rw_drained(&ptm_gate)) {
		hart_serve_if_pending(self);
		arch_relax();
	}
}

void db_as_wait_turn(unsigned long self, struct ptm_as *as, uint32_t t)
{
	while (!ticket_turn(&as->lock, t)) {
		hart_serve_if_pending(self);
		arch_relax();
	}
}

void db_lock(unsigned long self)
{
	uint32_t t = rw_take_ticket(&ptm_gate);

	if (!rw_turn(&ptm_gate, t)) {
		db_gate_wait_turn(self, t);
	}
	rw_write_announce(&ptm_gate);
	if (!rw_drained(&ptm_gate)) {
		gate_wait_drained(self);
	}
}

void db_unlock(void)
{
	rw_write_unlock(&ptm_gate);
}

/*@ requires db_shape && idx < ptm.npages;
    assigns \nothing;
    ensures \result == ptm.base + idx * 4096; */
uint64_t db_pa(uint32_t idx)
{
	return ptm.base + (uint64_t)idx * PTM_PAGE_SIZE;
}

uint64_t *db_table(uint32_t idx)
{
	return arch_phys_ptr(db_pa(idx), PTM_PAGE_SIZE);
}

/*@ requires db_shape && \valid(idx) && \separated(idx, &ptm);
    assigns *idx;
    ensures \result <==> pool_has(pa);
    ensures \result ==> *idx == pool_index(pa) && *idx < ptm.npages; */
bool db_index(uint64_t pa, uint32_t *idx)
{
	if (pa < ptm.base ||
	    pa - ptm.base >= (uint64_t)ptm.npages * PTM_PAGE_SIZE) {
		return false;
	}
	*idx = (uint32_t)((pa - ptm.base) / PTM_PAGE_SIZE);
	return true;
}

/* Where each array sits in the records region, and the bytes it needs. */
struct records_layout {
	uint32_t npages, nslots;
	uint64_t as_off, tally_off, parents_off, end;
};

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static bool records_layout(uint64_t pool_size, struct records_layout *l)
{
	uint64_t n = pool_size / PTM_PAGE_SIZE;

	if (!n || pool_size & (PTM_PAGE_SIZE - 1) || n > PTM_MAX_POOL_PAGES) {
		return false;
	}
	l->npages = (uint32_t)n;
	l->nslots = n < PTM_MAX_SLOTS ? (uint32_t)n : PTM_MAX_SLOTS;
	l->as_off =
	    align_up(n * sizeof(struct ptm_page), _Alignof(struct ptm_as));
	l->tally_off = align_up(l->as_off + l->nslots * sizeof(struct ptm_as),
				_Alignof(struct ptm_tally_as));
	l->parents_off = l->tally_off + l->nslots * sizeof(struct ptm_tally_as);
	l->end = l->parents_off + n;
	return true;
}

uint64_t ptm_records_size(uint64_t pool_size, uint32_t *nslots)
{
	struct records_layout l;
	uint64_t size = PTM_PAGE_SIZE;

	if (!records_layout(pool_size, &l)) {
		return 0;
	}
	while (size < l.end) {
		size <<= 1;
	}
	if (nslots) {
		*nslots = l.nslots;
	}
	return size;
}

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

static bool init_args_ok(uint64_t base, uint64_t size, uint64_t rbase,
			 uint64_t rsize)
{
	uint64_t need = ptm_records_size(size, NULL);

	return !((base | rbase | rsize) & (PTM_PAGE_SIZE - 1)) && need &&
	       rsize >= need && base + size > base && rbase + rsize > rbase &&
	       !overlaps(base, size, rbase, rsize) &&
	       arch_phys_ptr(base, size) && arch_phys_ptr(rbase, rsize);
}

/* Point the database's arrays into the zeroed records region. */
static void records_attach(uint64_t rbase, const struct records_layout *l)
{
	uint8_t *r = arch_phys_ptr(rbase, l->end);

	ptm.page = (struct ptm_page *)r;
	ptm.as = (struct ptm_as *)(r + l->as_off);
	ptm.tally.as = (struct ptm_tally_as *)(r + l->tally_off);
	ptm.tally.parents = r + l->parents_off;
	ptm.npages = l->npages;
	ptm.nslots = l->nslots;
}

size_t ptm_hart_bytes(void)
{
	return 3 * sizeof(uint64_t);
}

void ptm_attach(void *mem, unsigned int n)
{
	ptm.hart_satp = mem;
	ptm.lock_satp = ptm.hart_satp ? ptm.hart_satp + n : NULL;
	ptm.hart_hgatp = ptm.hart_satp ? ptm.hart_satp + 2 * n : NULL;
	ptm.nharts = n;
	if (mem) {
		memset(mem, 0, ptm_hart_bytes() * n);
	}
}

int ptm_init(uint64_t base, uint64_t size, uint64_t rbase, uint64_t rsize)
{
	uint64_t *satp = ptm.hart_satp; /* the per-hart arrays stay */
	unsigned int nharts = ptm.nharts;
	struct records_layout l;

	if (!init_args_ok(base, size, rbase, rsize) ||
	    !records_layout(size, &l)) {
		return -1;
	}
	if (memmap_set_pool(base, size) || memmap_set_records(rbase, rsize)) {
		return -1;
	}
	memset(&ptm, 0, sizeof(ptm));
	ptm_attach(satp, nharts);
	memset(arch_phys_ptr(rbase, rsize), 0, rsize);
	memset(arch_phys_ptr(base, size), 0, size);
	ptm.base = base;
	ptm.rbase = rbase;
	ptm.rsize = rsize;
	records_attach(rbase, &l);
	ptm.nfree = l.npages;
	/* Generation 0 is never used, so no valid handle is 0. */
	for (uint32_t s = 0; s < ptm.nslots; s++) {
		ptm.as[s].gen = 1;
	}
	return 0;
}

void ptm_set_pbmt(bool on)
{
	ptm.pbmt = on;
}

uint64_t ptm_pool_base(void)
{
	return ptm.base;
}

uint64_t ptm_pool_size(void)
{
	return (uint64_t)ptm.npages * PTM_PAGE_SIZE;
}

uint32_t ptm_max_spaces(void)
{
	return ptm.nslots;
}

bool ptm_in_pool(uint64_t pa, uint64_t len)
{
	uint64_t end = pa + len;

	if (!ptm.npages) {
		return false;
	}
	return end < pa || (pa < ptm.base + ptm_pool_size() && end > ptm.base);
}

bool ptm_locked(void)
{
	return ptm.locked;
}

uint64_t ptm_kernel_root(int i)
{
	return ptm.kroot[i];
}

/*
 * Every hart drops its cached translations, then quarantined pages
 * (zeroed when released) become free. Called with the PTM gate held alone.
 */
/*@ requires db_ok;
    assigns ptm.page[0 .. ptm.npages - 1].state, ptm.nfree, ptm.nquarantine,
      ptm.flushes;
    ensures \forall integer j; 0 <= j < ptm.npages ==>
      ptm.page[j].state == \old(ptm.page[j].state) ||
      (\old(ptm.page[j].state) == PG_QUARANTINE &&
       ptm.page[j].state == PG_FREE);
    ensures \old(ptm.nquarantine) != 0 ==>
      \forall integer j; 0 <= j < ptm.npages ==>
	ptm.page[j].state != PG_QUARANTINE;
    ensures ptm.nquarantine == 0;
    ensures records_flushed{Pre, Post} && slots_same{Pre, Post};
    ensures db_ok; */
void db_flush_quarantine(unsigned long self)
{
	if (!ptm.nquarantine) {
		return;
	}
	ptm_hook_flush_all_harts(self);
	/*@ loop invariant 0 <= i <= ptm.npages;
	    loop invariant \forall integer j; 0 <= j < i ==>
	      (\at(ptm.page[j].state, LoopEntry) == PG_QUARANTINE ==>
		 ptm.page[j].state == PG_FREE) &&
	      (\at(ptm.page[j].state, LoopEntry) != PG_QUARANTINE ==>
		 ptm.page[j].state == \at(ptm.page[j].state, LoopEntry));
	    loop invariant \forall integer j; i <= j < ptm.npages ==>
	      ptm.page[j].state == \at(ptm.page[j].state, LoopEntry);
	    loop invariant db_ok && records_flushed{Pre, Here};
	    loop invariant slots_same{Pre, Here};
	    loop assigns i, ptm.page[0 .. ptm.npages - 1].state;
	    loop variant ptm.npages - i; */
	for (uint32_t i = 0; i < ptm.npages; i++) {
		if (ptm.page[i].state == PG_QUARANTINE) {
			ptm.page[i].state = PG_FREE;
		}
	}
	ptm.nfree += ptm.nquarantine;
	ptm.nquarantine = 0;
	ptm.flushes++;
}

/* Next free page from a rotating cursor: O(1) while the pool is mostly
 * free, and never more than one pass over the pool. */
/*@ requires db_ok && ptm.cursor < ptm.npages;
    requires \valid(idx) && \separated(idx, &ptm,
      ptm.page + (0 .. ptm.npages - 1), ptm.as + (0 .. ptm.nslots - 1));
    assigns ptm.cursor, *idx;
    ensures ptm.cursor < ptm.npages;
    ensures \result ==> *idx < ptm.npages && ptm.page[*idx].state == PG_FREE; */
static bool find_free(uint32_t *idx)
{
	/*@ loop invariant 0 <= n <= ptm.npages && ptm.cursor < ptm.npages;
	    loop assigns n, ptm.cursor;
	    loop variant ptm.npages - n; */
	for (uint32_t n = 0; n < ptm.npages; n++) {
		uint32_t i = ptm.cursor;

		ptm.cursor = i + 1 == ptm.npages ? 0 : i + 1;
		if (ptm.page[i].state == PG_FREE) {
			*idx = i;
			return true;
		}
	}
	return false;
}

/*@ requires db_ok && ptm.cursor < ptm.npages;
    requires \valid(idx) && \separated(idx, &ptm,
      ptm.page + (0 .. ptm.npages - 1), ptm.as + (0 .. ptm.nslots - 1));
    assigns ptm.page[0 .. ptm.npages - 1].state, ptm.nfree, ptm.nquarantine,
      ptm.flushes, ptm.cursor, *idx;
    ensures db_shape && mm_sane && ptm.cursor < ptm.npages;
    ensures db_records_ok;
    ensures quar_counted;
    ensures \result ==> *idx < ptm.npages && ptm.page[*idx].state == PG_FREE;
    ensures \forall integer j; 0 <= j < ptm.npages ==>
      ptm.page[j].state == \old(ptm.page[j].state) ||
      (\old(ptm.page[j].state) == PG_QUARANTINE &&
       ptm.page[j].state == PG_FREE);
    ensures records_flushed{Pre, Post};
    ensures slots_same{Pre, Post}; */
bool db_take(unsigned long self, uint32_t *idx)
{
	if (!ptm.nfree) {
		db_flush_quarantine(self);
	}
	if (!ptm.nfree || !find_free(idx)) {
		return false;
	}
	ptm.nfree--;
	return true;
}

/* PTM_GROOT_PAGES pages from an aligned index (the pool's base is
 * aligned to its size, at least 4 MiB, so the address is 16 KiB aligned
 * too), each free or (with quarantined) waiting for the flush. A linear
 * search: VMs are created seldom. */
/*@ requires db_ok && idx < ptm.npages;
    assigns \nothing;
    ensures \result <==> ptm.page[idx].state == PG_FREE ||
      (quarantined && ptm.page[idx].state == PG_QUARANTINE); */
static bool groot_page_ok(uint32_t idx, bool quarantined)
{
	uint8_t st = ptm.page[idx].state;

	return st == PG_FREE || (quarantined && st == PG_QUARANTINE);
}

/*@ requires db_ok;
    requires \valid(idx) &&
      \separated(idx, &ptm, ptm.page + (0 .. ptm.npages - 1));
    assigns *idx;
    ensures \result ==> *idx + PTM_GROOT_PAGES <= ptm.npages &&
      \forall integer j; *idx <= j < *idx + PTM_GROOT_PAGES ==>
	ptm.page[j].state == PG_FREE ||
	(quarantined && ptm.page[j].state == PG_QUARANTINE); */
static bool find_groot(uint32_t *idx, bool quarantined)
{
	/*@ loop invariant 0 <= i <= ptm.npages;
	    loop assigns i;
	    loop variant ptm.npages - i; */
	for (uint32_t i = 0; ptm.npages - i >= PTM_GROOT_PAGES;
	     i += PTM_GROOT_PAGES) {
		uint32_t k = 0;

		/*@ loop invariant 0 <= k <= PTM_GROOT_PAGES;
		    loop invariant i + PTM_GROOT_PAGES <= ptm.npages;
		    loop invariant \forall integer j; i <= j < i + k ==>
		      ptm.page[j].state == PG_FREE ||
		      (quarantined && ptm.page[j].state == PG_QUARANTINE);
		    loop assigns k;
		    loop variant PTM_GROOT_PAGES - k; */
		while (k < PTM_GROOT_PAGES &&
		       groot_page_ok(i + k, quarantined)) {
			k++;
		}
		if (k == PTM_GROOT_PAGES) {
			*idx = i;
			return true;
		}
	}
	return false;
}

/* Flushes only when that makes a run free: a refusal changes nothing. */
/*@ requires db_ok;
    requires \valid(idx) && \separated(idx, &ptm,
      ptm.page + (0 .. ptm.npages - 1), ptm.as + (0 .. ptm.nslots - 1));
    assigns ptm.page[0 .. ptm.npages - 1].state, ptm.nfree, ptm.nquarantine,
      ptm.flushes, *idx;
    ensures db_shape && mm_sane;
    ensures db_records_ok;
    ensures quar_counted;
    ensures \result ==> groot_free(*idx);
    ensures !\result ==> \forall integer j; 0 <= j < ptm.npages ==>
      ptm.page[j].state == \old(ptm.page[j].state);
    ensures records_flushed{Pre, Post};
    ensures slots_same{Pre, Post};
    ensures \forall integer j; 0 <= j < ptm.npages ==>
      ptm.page[j].state == \old(ptm.page[j].state) ||
      (\old(ptm.page[j].state) == PG_QUARANTINE &&
       ptm.page[j].state == PG_FREE); */
bool db_take_groot(unsigned long self, uint32_t *idx)
{
	if (!find_groot(idx, false)) {
		if (!find_groot(idx, true)) {
			return false;
		}
		db_flush_quarantine(self);
		/*@ assert \forall integer j; 0 <= j < ptm.npages ==>
		      ptm.page[j].state != PG_QUARANTINE; */
	}
	/*@ assert groot_free(*idx); */
	ptm.nfree -= PTM_GROOT_PAGES;
	return true;
}

/* Zero a table that holds entries: the scrub before reuse. */
/*@ requires db_shape && idx < ptm.npages;
    assigns pool_table(idx)[0 .. 511];
    ensures \forall integer k; 0 <= k < 512 ==> pool_table(idx)[k] == 0; */
static void db_scrub(uint32_t idx)
{
	memset(db_table(idx), 0, PTM_PAGE_SIZE);
}

/* The address space's list of level-1 tables: pushed when one is taken,
 * unlinked when it is released, both O(1). */
/*@ requires db_ok && idx < ptm.npages && slot < ptm.nslots && l1_sane(slot);
    assigns ptm.page[idx].l1_prev, ptm.page[idx].l1_next,
      ptm.page[0 .. ptm.npages - 1].l1_prev, ptm.as[slot].l1_head;
    ensures l1_sane(slot); */
static void l1_push(unsigned slot, uint32_t idx)
{
	struct ptm_as *as = &ptm.as[slot];
	struct ptm_page *p = &ptm.page[idx];

	p->l1_prev = 0;
	p->l1_next = as->l1_head;
	if (as->l1_head) {
		ptm.page[as->l1_head - 1].l1_prev = idx + 1;
	}
	as->l1_head = idx + 1;
}

/*@ requires db_ok && idx < ptm.npages && slot < ptm.nslots && l1_sane(slot);
    assigns ptm.page[0 .. ptm.npages - 1].l1_prev,
      ptm.page[0 .. ptm.npages - 1].l1_next, ptm.as[slot].l1_head;
    ensures l1_sane(slot); */
static void l1_unlink(unsigned slot, uint32_t idx)
{
	struct ptm_as *as = &ptm.as[slot];
	const struct ptm_page *p = &ptm.page[idx];

	if (p->l1_prev) {
		ptm.page[p->l1_prev - 1].l1_next = p->l1_next;
	} else {
		as->l1_head = p->l1_next;
	}
	if (p->l1_next) {
		ptm.page[p->l1_next - 1].l1_prev = p->l1_prev;
	}
}

/*
 * A page record rewritten whole, field by field: WP takes a compound
 * literal's store for unknown bytes and could prove nothing after it.
 * Its own function, so that its callers see one record change (assigns)
 * rather than ten stores to follow.
 */
/*@ requires db_shape && idx < ptm.npages;
    assigns ptm.page[idx];
    ensures ptm.page[idx].state == st && ptm.page[idx].level == level &&
      ptm.page[idx].owner == owner && ptm.page[idx].linked == 0 &&
      ptm.page[idx].count == 0 && ptm.page[idx].nonzero == 0 &&
      ptm.page[idx].l1_next == 0 && ptm.page[idx].l1_prev == 0;
    ensures \old(db_records_ok) && st <= PG_GROOT &&
      (st_owned(st) ==> owner < ptm.nslots && level <= 2) ==> db_records_ok;
    ensures \old(quar_counted) && st != PG_QUARANTINE ==> quar_counted;
    ensures \old(l1_links_ok) ==> l1_links_ok; */
static void page_set(uint32_t idx, uint8_t st, uint8_t level, uint16_t owner)
{
	struct ptm_page *p = &ptm.page[idx];

	p->state = st;
	p->level = level;
	p->linked = 0;
	p->pad = 0;
	p->owner = owner;
	p->count = 0;
	p->nonzero = 0;
	p->pad2 = 0;
	p->l1_next = 0;
	p->l1_prev = 0;
}

/*@ requires db_ok && idx < ptm.npages && slot < ptm.nslots && level <= 2;
    requires st == PG_ROOT || st == PG_TABLE || st == PG_GROOT;
    requires ptm.page[idx].state == PG_FREE;
    requires l1_sane(slot);
    assigns ptm.page[idx], ptm.page[0 .. ptm.npages - 1].l1_prev,
      ptm.as[slot].l1_head, ptm.as[slot].pages,
      ptm.as[slot].level_pages[level];
    ensures ptm.page[idx].state == st && ptm.page[idx].owner == slot &&
      ptm.page[idx].level == level && ptm.page[idx].linked == 0 &&
      ptm.page[idx].count == 0 && ptm.page[idx].nonzero == 0;
    ensures ptm.as[slot].pages == (uint32_t)(\old(ptm.as[slot].pages) + 1);
    ensures pages_kept{Pre, Post}(idx);
    ensures db_shape && mm_sane;
    ensures db_records_ok;
    ensures quar_counted; */
void db_set_owned(uint32_t idx, enum ptm_state st, unsigned level,
		  unsigned slot)
{
	struct ptm_as *as = &ptm.as[slot];

	/* A FREE page's record is all zero but its state (db_release,
	 * db_flush_quarantine). */
	page_set(idx, (uint8_t)st, (uint8_t)level, (uint16_t)slot);
	/*@ assert pages_kept{Pre, Here}(idx); */
	/*@ assert ptm.as[slot].pages == \at(ptm.as[slot].pages, Pre); */
	if (st == PG_TABLE && level == 1) {
		l1_push(slot, idx);
	}
	/*@ assert pages_kept{Pre, Here}(idx); */
	/*@ assert ptm.as[slot].pages == \at(ptm.as[slot].pages, Pre); */
	as->pages++;
	as->level_pages[level]++;
}

/*@ requires db_ok && idx < ptm.npages && st_owned(ptm.page[idx].state);
    requires l1_sane(ptm.page[idx].owner) && ptm.nquarantine < ptm.npages;
    assigns ptm.page[idx], ptm.page[0 .. ptm.npages - 1].l1_prev,
      ptm.page[0 .. ptm.npages - 1].l1_next,
      ptm.as[ptm.page[idx].owner].l1_head, ptm.as[ptm.page[idx].owner].pages,
      ptm.as[ptm.page[idx].owner].level_pages[0 .. 2], ptm.nquarantine,
      pool_table(idx)[0 .. 511];
    ensures ptm.page[idx].state == PG_QUARANTINE &&
      ptm.page[idx].count == 0 && ptm.page[idx].nonzero == 0 &&
      ptm.page[idx].linked == 0;
    ensures ptm.nquarantine == (uint32_t)(\old(ptm.nquarantine) + 1);
    ensures pages_kept{Pre, Post}(idx);
    ensures db_shape && mm_sane;
    ensures db_records_ok;
    ensures quar_counted; */
void db_release(uint32_t idx)
{
	struct ptm_page *p = &ptm.page[idx];
	struct ptm_as *as = &ptm.as[p->owner];

	if (p->nonzero) {
		db_scrub(idx);
	}
	if (p->state == PG_TABLE && p->level == 1) {
		l1_unlink(p->owner, idx);
	}
	as->pages--;
	as->level_pages[p->level]--;
	/*@ assert pages_kept{Pre, Here}(idx); */
	/*@ assert db_records_ok; */
	/* All zero but its state, as a FREE page is (db_flush_quarantine
	 * then only sets the state). */
	page_set(idx, PG_QUARANTINE, 0, 0);
	/*@ assert pages_kept{Pre, Here}(idx); */
	ptm.nquarantine++;
}

unsigned long as_handle(unsigned slot)
{
	return ((unsigned long)ptm.as[slot].gen << 32) | ptm.as[slot].root;
}

/* The address space (live or zombie) that owns table page idx, if the
 * handle names it. A zombie keeps its former root index and generation. */
/*@ requires db_ok && idx < ptm.npages;
    requires \valid(slot) && \separated(slot, &ptm,
      ptm.page + (0 .. ptm.npages - 1), ptm.as + (0 .. ptm.nslots - 1));
    assigns *slot;
    ensures \result != \null ==> *slot < ptm.nslots &&
      \result == &ptm.as[*slot] && st_owned(ptm.page[idx].state) &&
      ptm.page[idx].owner == *slot && ptm.as[*slot].state != AS_FREE &&
      ptm.as[*slot].root == (handle & 0xffffffff) &&
      ptm.as[*slot].gen == (uint32_t)(handle >> 32); */
struct ptm_as *as_owning(unsigned long handle, uint32_t idx, unsigned *slot)
{
	const struct ptm_page *p = &ptm.page[idx];
	struct ptm_as *as;

	if (p->state != PG_TABLE && p->state != PG_ROOT &&
	    p->state != PG_GROOT) {
		return NULL;
	}
	as = &ptm.as[p->owner];
	if (as->state == AS_FREE || handle >> 63 ||
	    as->root != SECMON_HANDLE_ROOT_INDEX(handle) ||
	    as->gen != (uint32_t)(handle >> 32)) {
		return NULL;
	}
	*slot = p->owner;
	return as;
}

/*@ requires db_shape && slot < ptm.nslots;
    assigns ptm.as[slot];
    ensures \old(ptm.as[slot].state) == AS_ZOMBIE &&
      \old(ptm.as[slot].pages) == 0 ==>
      ptm.as[slot].state == AS_FREE && ptm.as[slot].gen != 0;
    ensures !(\old(ptm.as[slot].state) == AS_ZOMBIE &&
	      \old(ptm.as[slot].pages) == 0) ==>
      ptm.as[slot] == \old(ptm.as[slot]); */
void as_retire_if_empty(unsigned slot)
{
	struct ptm_as *as = &ptm.as[slot];

	if (as->state == AS_ZOMBIE && as->pages == 0) {
		uint32_t gen = (as->gen + 1) & 0x7fffffff;

		*as = (struct ptm_as){.gen = gen ? gen : 1};
	}
}
