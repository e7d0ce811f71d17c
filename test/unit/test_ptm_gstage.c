// SPDX-License-Identifier: BSD-2-Clause
/*
 * G-stage address spaces (issue 17): an Sv39x4 root of four pool pages,
 * the same leaf rules as user tables, no kernel half, never a satp root,
 * hgatp only through the PTM's rule, and teardown that frees all four.
 */
#include <string.h>

#include "hart.h"
#include "test_ptm.h"

#define GROOT_ENTRIES 2048

static unsigned long gcreate(void)
{
	unsigned long h = 0;

	CHECK_EQ(ptm_as_create_kind(SELF, SECMON_AS_GSTAGE, &h), SBI_SUCCESS);
	CHECK_PTM_OK();
	return h;
}

static uint64_t groot(unsigned long h)
{
	return SECMON_HANDLE_ROOT_PA(PT_POOL, h);
}

static uint64_t hgatp_of(unsigned long h)
{
	return 8UL << 60 | 5UL << 44 | groot(h) >> 12; /* Sv39x4, VMID 5 */
}

static void test_create(void)
{
	unsigned long h, bad = 0;
	struct secmon_stats st;

	pt_setup();
	h = gcreate();
	CHECK_EQ(groot(h) % 0x4000, 0);
	st = pt_stats(h);
	CHECK_EQ(st.pages_level[2], 4);
	CHECK_EQ(st.table_pages, 4);
	CHECK_EQ(pt_free_pages(), PT_POOL_PAGES - 4);
	/* No kernel half: all 2048 entries are the guest's, and empty. */
	for (unsigned i = 0; i < GROOT_ENTRIES; i++) {
		CHECK_EQ(pt_read(groot(h) + 8UL * i), 0);
	}
	REFUSED(ptm_as_create_kind(SELF, 2, &bad), SBI_ERR_INVALID_PARAM);
	CHECK_EQ(bad, 0);
	/* A handle naming the root's second page names nothing. */
	REFUSED(ptm_pt_alloc(SELF, h + 1, SECMON_LEVEL_PMD, &bad),
		SBI_ERR_INVALID_PARAM);
}

static void test_before_lock_and_without_h(void)
{
	unsigned long h = 0;
	uint64_t out = 0;

	pt_boot(PT_POOL, PT_POOL_PAGES);
	REFUSED(ptm_as_create_kind(SELF, SECMON_AS_GSTAGE, &h), SBI_ERR_DENIED);
	REFUSED(ptm_hgatp_write(SELF, 0, &out), SBI_ERR_DENIED);
	test_boot("virt-sparse", 0); /* its harts have no H */
	CHECK(!hart_hyp());
	CHECK_EQ(ptm_as_create_kind(SELF, SECMON_AS_GSTAGE, &h),
		 SBI_ERR_NOT_SUPPORTED);
}

/* Entries of all four root pages; leaves and links as for user tables. */
static void test_entries(void)
{
	unsigned long h;
	uint64_t pmd, pte, r;

	pt_setup();
	h = gcreate();
	r = groot(h);
	pmd = pt_alloc(h, SECMON_LEVEL_PMD);
	pte = pt_alloc(h, SECMON_LEVEL_PTE);
	/* Entry 1500 sits in the third root page: GPA 1500 GiB. */
	pt_set(h, slot(r, 1500), link_to(pmd));
	pt_set(h, slot(pmd, 3), link_to(pte));
	pt_set(h, slot(pte, 7), leaf(PT_USER, U | R | W | A | D));
	/* Entry 300 is the guest's too (a user root would refuse it). */
	pt_set(h, slot(r, 300), leaf(PT_HIGH, U | R | W | X | A | D));
	CHECK_EQ(pt_stats(h).leaf_entries, 2);
	/* The same rules as user leaves: U=1, G=0, no monitor, pool,
	 * kernel root or writable kernel image. */
	REFUSED(ptm_pte_set(SELF, h, slot(pte, 8), leaf(PT_USER, R | W), 0),
		SBI_ERR_INVALID_PARAM);
	REFUSED(ptm_pte_set(SELF, h, slot(pte, 8), leaf(PT_USER, U | G | R), 0),
		SBI_ERR_INVALID_PARAM);
	REFUSED(
	    ptm_pte_set(SELF, h, slot(pte, 8), leaf(TEST_MON_BASE, U | R), 0),
	    SBI_ERR_DENIED);
	REFUSED(ptm_pte_set(SELF, h, slot(pte, 8), leaf(PT_POOL, U | R), 0),
		SBI_ERR_DENIED);
	REFUSED(ptm_pte_set(SELF, h, slot(pte, 8), leaf(r, U | R), 0),
		SBI_ERR_DENIED);
	REFUSED(ptm_pte_set(SELF, h, slot(pte, 8), leaf(PT_SWAPPER, U | R), 0),
		SBI_ERR_DENIED);
	REFUSED(
	    ptm_pte_set(SELF, h, slot(pte, 8), leaf(PT_KSTART, U | R | W), 0),
	    SBI_ERR_DENIED);
	/* A table is linked at most once, in one address space. */
	REFUSED(ptm_pte_set(SELF, h, slot(r, 1501), link_to(pmd), 0),
		SBI_ERR_INVALID_PARAM);
	CHECK_PTM_OK();
}

/*
 * PTE_SET's a3 on a G-stage space is a guest physical address: after the
 * store the monitor runs HFENCE.GVMA for it on this hart, not sfence.vma
 * (which the user spaces get); a refused store fences nothing.
 */
static void test_fenced_store(void)
{
	struct fake_hart_state *me = fake_hart_state(0);
	unsigned long h, u;
	uint64_t pmd, pte, upte, old = 1;

	pt_setup();
	h = gcreate();
	pmd = pt_alloc(h, SECMON_LEVEL_PMD);
	pte = pt_alloc(h, SECMON_LEVEL_PTE);
	pt_set(h, slot(groot(h), 2), link_to(pmd));
	pt_set(h, slot(pmd, 0), link_to(pte));
	memset(me->hfence_gvma, 0, sizeof(me->hfence_gvma));
	me->sfence_va = 0;
	CHECK_EQ(ptm_pte_set_fenced(SELF, h, slot(pte, 5),
				    leaf(PT_USER, U | R | W | A | D),
				    0x80005000, &old),
		 SBI_SUCCESS);
	CHECK_EQ(old, 0);
	CHECK_EQ(me->hfence_gvma[1], 1);
	CHECK_EQ(me->last_gpa, 0x80005000);
	CHECK_EQ(me->sfence_va, 0);
	REFUSED(ptm_pte_set_fenced(SELF, h, slot(pte, 6), leaf(PT_POOL, U | R),
				   0x80006000, &old),
		SBI_ERR_DENIED);
	CHECK_EQ(me->hfence_gvma[1], 1);
	/* A user space's a3 is a VA: sfence.vma. */
	u = pt_create();
	upte = pt_chain(u, &pmd);
	CHECK_EQ(ptm_pte_set_fenced(SELF, u, slot(upte, 1),
				    leaf(PT_USER, U | R | A), 0x1000, &old),
		 SBI_SUCCESS);
	CHECK_EQ(me->sfence_va, 1);
	CHECK_EQ(me->hfence_gvma[1], 1);
	CHECK_PTM_OK();
}

static void test_not_a_satp_root(void)
{
	unsigned long h;
	uint64_t out = 0;

	pt_setup();
	h = gcreate();
	REFUSED_UNCOUNTED(ptm_satp_write(SELF, SATP(groot(h)), &out),
			  SBI_ERR_DENIED);
}

static void test_hgatp(void)
{
	unsigned long h, u;
	uint64_t out = 0;

	pt_setup();
	h = gcreate();
	u = pt_create();
	CHECK_EQ(ptm_hgatp_write(SELF, hgatp_of(h), &out), SBI_SUCCESS);
	CHECK_EQ(out, hgatp_of(h));
	/* Not the root's first page, not a user root, not Sv48x4, not a
	 * table, not outside the pool. */
	REFUSED(ptm_hgatp_write(SELF, hgatp_of(h) + 1, &out),
		SBI_ERR_INVALID_PARAM);
	REFUSED(ptm_hgatp_write(SELF, 8UL << 60 | groot(u) >> 12, &out),
		SBI_ERR_INVALID_PARAM);
	REFUSED(ptm_hgatp_write(SELF, 9UL << 60 | groot(h) >> 12, &out),
		SBI_ERR_INVALID_PARAM);
	REFUSED(ptm_hgatp_write(SELF, 8UL << 60 | PT_USER >> 12, &out),
		SBI_ERR_INVALID_PARAM);
	/* Bare becomes the seal; the VMID stays. */
	CHECK_EQ(ptm_hgatp_write(SELF, 5UL << 44, &out), SBI_SUCCESS);
	CHECK_EQ(out, ptm_hgatp_sealed() | 5UL << 44);
	CHECK_EQ(ptm_hgatp_sealed(), 8UL << 60 | TEST_MON_BASE >> 12);
	/* Writing back the seal it read is the same as Bare. */
	CHECK_EQ(ptm_hgatp_write(SELF, out | 7UL << 44, &out), SBI_SUCCESS);
	CHECK_EQ(out, ptm_hgatp_sealed() | 7UL << 44);
	pt_destroy(u);
	/* Destroying a space that harts 1 and 2 hold in hgatp seals theirs,
	 * and only theirs. */
	fake_set_hart(1);
	CHECK_EQ(ptm_hgatp_write(1, hgatp_of(h), &out), SBI_SUCCESS);
	fake_set_hart(2);
	CHECK_EQ(ptm_hgatp_write(2, hgatp_of(h), &out), SBI_SUCCESS);
	fake_set_hart(0);
	fake_hart_state(1)->hgatp = hgatp_of(h);
	fake_hart_state(2)->hgatp = hgatp_of(h);
	fake_hart_state(3)->hgatp = 42;
	pt_destroy(h);
	CHECK_EQ(fake_hart_state(1)->hgatp, ptm_hgatp_sealed());
	CHECK_EQ(fake_hart_state(2)->hgatp, ptm_hgatp_sealed());
	CHECK_EQ(fake_hart_state(3)->hgatp, 42);
	CHECK_EQ(ptm.hart_hgatp[1], 0);
}

/* Teardown frees all four root pages and every table; after the next
 * flush the pool is whole again, and a G-stage flush ran. */
static void test_destroy(void)
{
	unsigned long h;
	uint64_t pmd;

	pt_setup();
	h = gcreate();
	pmd = pt_alloc(h, SECMON_LEVEL_PMD);
	pt_set(h, slot(groot(h), 2047), link_to(pmd));
	pt_set(h, slot(pmd, 0), leaf(PT_USER & ~0x1fffffUL, U | R));
	pt_destroy(h);
	CHECK_EQ(pt_free_pages(), PT_POOL_PAGES);
	CHECK(pt_page_zero(groot(h)) && pt_page_zero(groot(h) + 0x3000));
	CHECK(pt_page_zero(pmd));
	CHECK_EQ(pt_stats(SECMON_STATS_GLOBAL).live_as, 0);
}

/* Four aligned free pages are needed: a pool whose free pages are all
 * split by user roots has none, and says so. */
static void test_exhaustion(void)
{
	unsigned long h[PT_POOL_PAGES], g = 0;
	unsigned n = 0;

	pt_setup();
	while (n < PT_POOL_PAGES && ptm_as_create(SELF, &h[n]) == SBI_SUCCESS) {
		n++;
	}
	CHECK_EQ(n, PT_POOL_PAGES);
	for (unsigned i = 0; i < n; i += 2) {
		pt_destroy(h[i]); /* every other page free again */
	}
	REFUSED(ptm_as_create_kind(SELF, SECMON_AS_GSTAGE, &g),
		SBI_ERR_NO_SHMEM);
	pt_destroy(h[1]);
	pt_destroy(h[3]);
	g = gcreate();
	CHECK_EQ(groot(g), PT_POOL);
}

int main(void)
{
	RUN(test_create);
	RUN(test_before_lock_and_without_h);
	RUN(test_entries);
	RUN(test_fenced_store);
	RUN(test_not_a_satp_root);
	RUN(test_hgatp);
	RUN(test_destroy);
	RUN(test_exhaustion);
	return test_finish();
}
