// SPDX-License-Identifier: BSD-2-Clause
/*
 * The invariant checker: one pass over every pool page and address space,
 * covering every state in ptm_internal.h and every rule in docs/abi.md.
 * Used by the host tests, the fuzzer (after every call), the S-mode
 * payload (SECMON_PTM_CHECK) and mirrored by the gdb extension.
 */
#include <string.h>

#include <secmon/sbi.h>

#include "console.h"
#include "ptm_internal.h"

/* The tallies live in the database, under the same lock. */
#define tl (ptm.tally)

#define FAIL(...)                                                              \
	do {                                                                   \
		con_snprintf(msg, len, __VA_ARGS__);                           \
		return SBI_ERR_FAILED;                                         \
	} while (0)

static bool page_is_zero(uint32_t idx)
{
	const uint64_t *t = db_table(idx);

	for (int i = 0; i < 512; i++) {
		if (t[i]) {
			return false;
		}
	}
	return true;
}

static long check_entries(uint32_t idx, char *msg, size_t len)
{
	const struct ptm_page *p = &ptm.page[idx];
	const uint64_t *t = db_table(idx);
	unsigned valid = 0, nonzero = 0;
	uint32_t ci;

	for (unsigned i = 0; i < 512; i++) {
		valid += (t[i] & SECMON_PTE_V) ? 1 : 0;
		nonzero += t[i] != 0;
		if (p->state == PG_ROOT && i >= 256) {
			if (t[i] != ptm.kernel_half[i - 256]) {
				FAIL("page %u: root kernel slot %u differs "
				     "from swapper",
				     idx, i);
			}
			continue;
		}
		if (pte_check_new(p->owner, idx, i, t[i], t[i])) {
			FAIL("page %u slot %u: entry 0x%lx breaks a rule", idx,
			     i, (unsigned long)t[i]);
		}
		if (pte_is_table(t[i]) && db_index(pte_pa(t[i]), &ci)) {
			tl.parents[ci] += tl.parents[ci] < 255;
		}
		if (pte_is_leaf(t[i])) {
			tl.as[p->owner].leaf_entries++;
		}
	}
	if (valid != p->count) {
		FAIL("page %u: count %u but %u valid entries", idx, p->count,
		     valid);
	}
	if (nonzero != p->nonzero) {
		FAIL("page %u: nonzero %u but %u entries are not 0", idx,
		     p->nonzero, nonzero);
	}
	return SBI_SUCCESS;
}

static long check_page(uint32_t idx, char *msg, size_t len)
{
	const struct ptm_page *p = &ptm.page[idx];
	const struct ptm_as *as = &ptm.as[p->owner];

	switch (p->state) {
	case PG_FREE:
	case PG_QUARANTINE:
		if (p->owner || p->count || p->nonzero || p->linked ||
		    p->l1_next || p->l1_prev || !page_is_zero(idx)) {
			FAIL("page %u: unowned but not clean", idx);
		}
		tl.nfree += p->state == PG_FREE;
		tl.nquarantine += p->state == PG_QUARANTINE;
		return SBI_SUCCESS;
	case PG_ROOT:
		if (as->state != AS_LIVE || as->kind != SECMON_AS_USER ||
		    as->root != idx || p->level != 2) {
			FAIL("page %u: root of slot %u which does not own it",
			     idx, p->owner);
		}
		break;
	case PG_GROOT:
		if (as->state != AS_LIVE || as->kind != SECMON_AS_GSTAGE ||
		    as->root % PTM_GROOT_PAGES || idx < as->root ||
		    idx >= as->root + PTM_GROOT_PAGES || p->level != 2) {
			FAIL("page %u: G-stage root page of slot %u which does "
			     "not own it",
			     idx, p->owner);
		}
		break;
	case PG_TABLE:
		if (as->state == AS_FREE || p->level > 1) {
			FAIL("page %u: table of free slot %u or bad level %u",
			     idx, p->owner, p->level);
		}
		break;
	default:
		FAIL("page %u: unknown state %u", idx, p->state);
	}
	tl.as[p->owner].pages++;
	tl.as[p->owner].level_pages[p->level]++;
	return check_entries(idx, msg, len);
}

static long check_links(char *msg, size_t len)
{
	for (uint32_t i = 0; i < ptm.npages; i++) {
		const struct ptm_page *p = &ptm.page[i];
		unsigned want = p->state == PG_TABLE && p->linked ? 1 : 0;

		if (tl.parents[i] != want) {
			FAIL("page %u: %u parents, linked flag %u", i,
			     tl.parents[i], p->linked);
		}
	}
	return SBI_SUCCESS;
}

/* Slot s's list of level-1 tables holds exactly its level-1 TABLE pages:
 * every member is one, back links agree, and the walk (bounded, so a
 * cycle cannot hang it) counts as many as the books. */
static long check_l1_list(uint32_t s, char *msg, size_t len)
{
	const struct ptm_as *as = &ptm.as[s];
	uint32_t seen = 0, prev = 0;

	for (uint32_t n = as->l1_head; n; n = ptm.page[n - 1].l1_next) {
		const struct ptm_page *p;

		if (n > ptm.npages || seen > as->level_pages[1]) {
			FAIL("slot %u: level-1 list runs past its %u tables", s,
			     as->level_pages[1]);
		}
		p = &ptm.page[n - 1];
		if (p->state != PG_TABLE || p->level != 1 || p->owner != s ||
		    p->l1_prev != prev) {
			FAIL("slot %u: level-1 list holds page %u (state %u "
			     "level %u owner %u)",
			     s, n - 1, p->state, p->level, p->owner);
		}
		prev = n;
		seen++;
	}
	if (seen != as->level_pages[1]) {
		FAIL("slot %u: level-1 list has %u of %u tables", s, seen,
		     as->level_pages[1]);
	}
	return SBI_SUCCESS;
}

static long check_spaces(char *msg, size_t len)
{
	for (uint32_t s = 0; s < ptm.nslots; s++) {
		const struct ptm_as *as = &ptm.as[s];
		const struct ptm_tally_as *t = &tl.as[s];

		if (as->pages != t->pages ||
		    as->leaf_entries != t->leaf_entries) {
			FAIL("slot %u: books say %u pages/%lu leaves, pool has "
			     "%u/%lu",
			     s, as->pages, (unsigned long)as->leaf_entries,
			     t->pages, (unsigned long)t->leaf_entries);
		}
		for (int l = 0; l < 3; l++) {
			if (as->level_pages[l] != t->level_pages[l]) {
				FAIL("slot %u: level %d count wrong", s, l);
			}
		}
		if (check_l1_list(s, msg, len)) {
			return SBI_ERR_FAILED;
		}
		if ((as->state == AS_FREE && as->pages) ||
		    (as->state == AS_ZOMBIE &&
		     (!as->pages || as->level_pages[2]))) {
			FAIL("slot %u: state %u with %u pages", s, as->state,
			     as->pages);
		}
	}
	return SBI_SUCCESS;
}

/* Zero the tallies (their arrays sit in the records region). */
static void tally_reset(void)
{
	memset(tl.as, 0, ptm.nslots * sizeof(*tl.as));
	memset(tl.parents, 0, ptm.npages);
	tl.nfree = 0;
	tl.nquarantine = 0;
}

static long check_locked(char *msg, size_t len)
{
	long rc = SBI_SUCCESS;

	msg[0] = '\0';
	if (!ptm.npages) {
		return SBI_SUCCESS; /* no pool: nothing to check */
	}
	tally_reset();
	for (uint32_t i = 0; i < ptm.npages && !rc; i++) {
		rc = check_page(i, msg, len);
	}
	rc = rc ?: check_links(msg, len);
	rc = rc ?: check_spaces(msg, len);
	if (!rc &&
	    (tl.nfree != ptm.nfree || tl.nquarantine != ptm.nquarantine)) {
		con_snprintf(msg, len, "free %u/%u, quarantine %u/%u", tl.nfree,
			     ptm.nfree, tl.nquarantine, ptm.nquarantine);
		rc = SBI_ERR_FAILED;
	}
	return rc;
}

long ptm_check(unsigned long self, char *msg, size_t len)
{
	long rc;

	db_lock(self);
	rc = check_locked(msg, len);
	db_unlock();
	return rc;
}
