// SPDX-License-Identifier: BSD-2-Clause
/*
 * The invariant checker: it passes on every state the calls build, and
 * finds each kind of corruption injected straight into the pool bytes or
 * the monitor's records.
 */
#include <stdio.h>
#include <string.h>

#include <secmon/sbi.h>

#include "test_ptm.h"

/* A state with every page state, a zombie, leaves of every size. */
struct scene {
	unsigned long h, hz;
	uint64_t root, pmd, pte, lone, zt, zt2, freed;
	uint32_t iroot, ipmd, ipte, ilone, izt, ifree, iquar;
	unsigned slot, zslot;
};

static struct scene sc;

static uint32_t idx(uint64_t pa)
{
	return (uint32_t)((pa - PT_POOL) >> 12);
}

static void scene_setup(void)
{
	pt_setup();
	sc.h = pt_create();
	sc.root = SECMON_HANDLE_ROOT_PA(PT_POOL, sc.h);
	sc.pte = pt_chain(sc.h, &sc.pmd);
	sc.lone = pt_alloc(sc.h, 0);
	pt_set(sc.h, slot(sc.pte, 0), leaf(PT_USER, R | W | U));
	pt_set(sc.h, slot(sc.pte, 1), ppn(PT_USER) | G | R);
	pt_set(sc.h, slot(sc.pmd, 1), leaf(PT_USER, R | X | U));
	pt_set(sc.h, slot(sc.root, 1), leaf(PT_HIGH, R | U));
	pt_set(sc.h, slot(sc.lone, 2), leaf(PT_USER, R | U));

	/* A zombie with an unlinked PMD that links a PTE table. */
	sc.hz = pt_create();
	sc.zt = pt_alloc(sc.hz, 1);
	sc.zt2 = pt_alloc(sc.hz, 0);
	pt_set(sc.hz, slot(sc.zt, 0), link_to(sc.zt2));
	pt_set(sc.hz, slot(sc.zt2, 3), leaf(PT_USER, R | U));
	pt_destroy(sc.hz);

	sc.freed = pt_alloc(sc.h, 0);
	pt_free(sc.h, sc.freed);

	sc.iroot = idx(sc.root);
	sc.ipmd = idx(sc.pmd);
	sc.ipte = idx(sc.pte);
	sc.ilone = idx(sc.lone);
	sc.izt = idx(sc.zt);
	sc.iquar = idx(sc.freed);
	sc.ifree = PT_POOL_PAGES - 1;
	sc.slot = ptm.page[sc.iroot].owner;
	sc.zslot = ptm.page[sc.izt].owner;
	CHECK_EQ(ptm.page[sc.iquar].state, PG_QUARANTINE);
	CHECK_EQ(ptm.page[sc.ifree].state, PG_FREE);
	CHECK_EQ(ptm.as[sc.zslot].state, AS_ZOMBIE);
	CHECK_PTM_OK();
}

static void flip(uint64_t pa, uint64_t bits)
{
	pt_write(pa, pt_read(pa) ^ bits);
}

/* Pool bytes. */
static void c_leaf_global(void)
{
	flip(slot(sc.pte, 0), G);
}
static void c_leaf_no_user(void)
{
	flip(slot(sc.pte, 0), U);
}
static void c_leaf_high_bit(void)
{
	flip(slot(sc.pmd, 1), 1UL << 62);
}
static void c_leaf_to_pool(void)
{
	pt_write(slot(sc.pte, 0), leaf(PT_POOL, R | U | A));
}
static void c_leaf_to_monitor(void)
{
	pt_write(slot(sc.lone, 2), leaf(TEST_MON_BASE, R | U));
}
static void c_leaf_kernel_w(void)
{
	pt_write(slot(sc.pte, 0), leaf(PT_KSTART, R | W | U));
}
static void c_leaf_misaligned(void)
{
	flip(slot(sc.pmd, 1), ppn(0x1000));
}
static void c_leaf_w_only(void)
{
	flip(slot(sc.pte, 0), R);
}
static void c_link_dup(void)
{
	pt_write(slot(sc.pmd, 9), link_to(sc.pte));
}
static void c_link_level(void)
{
	pt_write(slot(sc.root, 9), link_to(sc.lone));
}
static void c_link_flags(void)
{
	flip(slot(sc.root, 0), A);
}
static void c_link_other_as(void)
{
	pt_write(slot(sc.pmd, 9), link_to(sc.zt2));
}
static void c_link_dropped(void)
{
	flip(slot(sc.root, 0), V);
}
static void c_v0_to_valid(void)
{
	pt_write(slot(sc.pte, 1), ppn(PT_USER) | G | R | V);
}
static void c_kernel_half(void)
{
	flip(slot(sc.root, PT_KSLOT_LEAF), W);
}
static void c_kernel_half_new(void)
{
	pt_write(slot(sc.root, 260), 0x100);
}
static void c_free_dirty(void)
{
	pt_write(slot(PT_POOL + sc.ifree * 4096UL, 77), 0x1000);
}
static void c_quar_dirty(void)
{
	pt_write(slot(sc.freed, 511), 1UL << 63);
}
static void c_zombie_entry(void)
{
	flip(slot(sc.zt2, 3), G);
}
/* Records. */
static void c_count_up(void)
{
	ptm.page[sc.ipte].count++;
}
static void c_l1_list_dropped(void)
{
	/* AS_DESTROY would not find this level-1 table's links to cut. */
	ptm.as[sc.slot].l1_head = 0;
}
static void c_nonzero_down(void)
{
	/* Would let a release skip the scrub of a page that holds data. */
	ptm.page[sc.ipte].nonzero--;
}
static void c_count_root(void)
{
	ptm.page[sc.iroot].count--;
}
static void c_linked_clear(void)
{
	ptm.page[sc.ipmd].linked = 0;
}
static void c_linked_set(void)
{
	ptm.page[sc.ilone].linked = 1;
}
static void c_state_bad(void)
{
	ptm.page[sc.ilone].state = 9;
}
static void c_free_owned(void)
{
	ptm.page[sc.ifree].owner = 3;
}
static void c_free_linked(void)
{
	ptm.page[sc.iquar].linked = 1;
}
static void c_table_level2(void)
{
	ptm.page[sc.ilone].level = 2;
}
static void c_table_level(void)
{
	ptm.page[sc.ilone].level = 1;
}
static void c_table_owner(void)
{
	ptm.page[sc.ilone].owner = sc.zslot;
}
static void c_root_owner(void)
{
	ptm.page[sc.iroot].owner = sc.zslot;
}
static void c_root_as_moved(void)
{
	ptm.as[sc.slot].root = sc.ilone;
}
static void c_free_to_table(void)
{
	ptm.page[sc.ifree] =
	    (struct ptm_page){.state = PG_TABLE, .owner = (uint16_t)sc.slot};
}
static void c_table_to_free(void)
{
	ptm.page[sc.ilone].state = PG_FREE;
}
static void c_quar_to_free(void)
{
	ptm.page[sc.iquar].state = PG_FREE;
}
static void c_as_pages(void)
{
	ptm.as[sc.slot].pages++;
}
static void c_as_level(void)
{
	ptm.as[sc.slot].level_pages[0]--;
	ptm.as[sc.slot].level_pages[1]++;
}
static void c_as_leaves(void)
{
	ptm.as[sc.slot].leaf_entries++;
}
static void c_as_state(void)
{
	ptm.as[sc.slot].state = AS_ZOMBIE;
}
static void c_zombie_gone(void)
{
	ptm.as[sc.zslot].state = AS_FREE;
}
static void c_zombie_empty(void)
{
	ptm.as[sc.zslot].pages = 0;
}
static void c_free_slot_pages(void)
{
	ptm.as[ptm.nslots - 1].pages = 1;
}
static void c_nfree(void)
{
	ptm.nfree++;
}
static void c_nquar(void)
{
	ptm.nquarantine--;
}

struct corruption {
	const char *name;
	void (*inject)(void);
};

#define C(fn) { #fn, fn }
static const struct corruption corruptions[] = {
    C(c_leaf_global),	  C(c_leaf_no_user),	C(c_leaf_high_bit),
    C(c_leaf_to_pool),	  C(c_leaf_to_monitor), C(c_leaf_kernel_w),
    C(c_leaf_misaligned), C(c_leaf_w_only),	C(c_link_dup),
    C(c_link_level),	  C(c_link_flags),	C(c_link_other_as),
    C(c_link_dropped),	  C(c_v0_to_valid),	C(c_kernel_half),
    C(c_kernel_half_new), C(c_free_dirty),	C(c_quar_dirty),
    C(c_zombie_entry),	  C(c_count_up),	C(c_nonzero_down),
    C(c_count_root),	  C(c_linked_clear),	C(c_linked_set),
    C(c_state_bad),	  C(c_free_owned),	C(c_free_linked),
    C(c_table_level2),	  C(c_table_level),	C(c_table_owner),
    C(c_root_owner),	  C(c_root_as_moved),	C(c_free_to_table),
    C(c_table_to_free),	  C(c_quar_to_free),	C(c_as_pages),
    C(c_as_level),	  C(c_as_leaves),	C(c_as_state),
    C(c_zombie_gone),	  C(c_zombie_empty),	C(c_free_slot_pages),
    C(c_nfree),		  C(c_nquar),		C(c_l1_list_dropped),
};

static void test_scene_is_clean(void)
{
	struct secmon_stats s;

	scene_setup();
	s = pt_stats(SECMON_STATS_GLOBAL);
	CHECK_EQ(s.zombie_as, 1);
	CHECK_EQ(s.quarantine_pages, 2); /* the zombie's root and freed */
	CHECK(s.free_pages > 0);
	CHECK_EQ(s.root_pages, 1);
}

/* Each corruption alone, on a fresh scene, is found and described. */
static void test_corruptions(void)
{
	for (size_t i = 0; i < sizeof(corruptions) / sizeof(corruptions[0]);
	     i++) {
		char msg[160];
		long rc;

		scene_setup();
		corruptions[i].inject();
		rc = ptm_check(SELF, msg, sizeof(msg));
		CHECK_EQ(rc, SBI_ERR_FAILED);
		CHECK(msg[0] != '\0');
		if (rc != SBI_ERR_FAILED) {
			fprintf(stderr, "    not found: %s\n",
				corruptions[i].name);
		}
	}
}

/* The messages name what is wrong. */
static void test_messages(void)
{
	char msg[160];

	scene_setup();
	c_count_up();
	ptm_check(SELF, msg, sizeof(msg));
	CHECK_CONTAINS(msg, "count");
	scene_setup();
	c_kernel_half();
	ptm_check(SELF, msg, sizeof(msg));
	CHECK_CONTAINS(msg, "kernel slot");
	scene_setup();
	c_link_dup();
	/* or the counts are what is wrong */
	ptm.page[sc.ipmd].count++;
	ptm.page[sc.ipmd].nonzero++;
	ptm_check(SELF, msg, sizeof(msg));
	CHECK_CONTAINS(msg, "parents");
	scene_setup();
	c_nfree();
	ptm_check(SELF, msg, sizeof(msg));
	CHECK_CONTAINS(msg, "free");
	/* A short buffer is still a string. */
	scene_setup();
	c_leaf_global();
	CHECK_EQ(ptm_check(SELF, msg, 8), SBI_ERR_FAILED);
	CHECK_EQ(strlen(msg), 7);
}

/* A sequence of every call, checked after each step (the helpers do),
 * ending where it began. */
static void test_round_trip(void)
{
	unsigned long h[3], before;
	uint64_t pmd, pte;

	pt_setup();
	before = pt_free_pages();
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 3; i++) {
			h[i] = pt_create();
			pte = pt_chain(h[i], &pmd);
			for (unsigned k = 0; k < 512; k += 37) {
				pt_set(h[i], slot(pte, k),
				       leaf(PT_USER + k * 0x1000UL, R | W | U));
			}
			pt_modify(h[i], slot(pte, 37), W | D, 0);
		}
		for (int i = 0; i < 3; i++) {
			pt_destroy(h[i]);
		}
	}
	CHECK_EQ(pt_free_pages(), before);
	CHECK_EQ(pt_stats(SECMON_STATS_GLOBAL).live_as, 0);
}

int main(void)
{
	RUN(test_scene_is_clean);
	RUN(test_corruptions);
	RUN(test_messages);
	RUN(test_round_trip);
	return test_finish();
}
