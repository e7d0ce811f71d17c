// SPDX-License-Identifier: BSD-2-Clause
/* PMP planning (encodings) and applying (what reaches the CSRs). */
#include <string.h>

#include "harness.h"
#include "pmp.h"
#include "support.h"

#define RWX (PMP_PERM_R | PMP_PERM_W | PMP_PERM_X)

static struct pmp_plan plan;

static void test_napot(void)
{
	struct pmp_region r = { 0x80000000, 0x40000, 0 }; /* 256 KiB */

	CHECK_EQ(pmp_plan(&r, 1, &plan), 0);
	CHECK_EQ(plan.n, 1);
	CHECK_EQ(plan.e[0].addr, 0x20007fff);
	CHECK_EQ(plan.e[0].cfg, 0x18);

	/* The smallest NAPOT region, 8 bytes, with R only. */
	r = (struct pmp_region){ 0x80001000, 8, PMP_PERM_R };
	CHECK_EQ(pmp_plan(&r, 1, &plan), 0);
	CHECK_EQ(plan.n, 1);
	CHECK_EQ(plan.e[0].addr, 0x80001000 >> 2);
	CHECK_EQ(plan.e[0].cfg, 0x19);
}

static void test_tor(void)
{
	struct pmp_region r = { 0x80000000, 0x30000, PMP_PERM_R | PMP_PERM_X };

	CHECK_EQ(pmp_plan(&r, 1, &plan), 0);
	CHECK_EQ(plan.n, 2);
	CHECK_EQ(plan.e[0].addr, 0x80000000 >> 2);
	CHECK_EQ(plan.e[0].cfg, 0); /* OFF: only the bottom of the range */
	CHECK_EQ(plan.e[1].addr, 0x80030000 >> 2);
	CHECK_EQ(plan.e[1].cfg, 0x08 | 0x05);

	/* A power of two that is not aligned to its size is TOR too. */
	r = (struct pmp_region){ 0x80010000, 0x20000, 0 };
	CHECK_EQ(pmp_plan(&r, 1, &plan), 0);
	CHECK_EQ(plan.n, 2);
	CHECK_EQ(plan.e[1].cfg, 0x08);
	/* So is 4 bytes (NA4 is not used). */
	r = (struct pmp_region){ 0x80000004, 4, 0 };
	CHECK_EQ(pmp_plan(&r, 1, &plan), 0);
	CHECK_EQ(plan.n, 2);
	CHECK_EQ(plan.e[1].addr, 0x80000008 >> 2);
}

static void test_catch_all(void)
{
	struct pmp_region r[] = {
		{ 0x80000000, 0x40000, 0 },
		{ 0, 0, RWX },
	};

	CHECK_EQ(pmp_plan(r, 2, &plan), 0);
	CHECK_EQ(plan.n, 2);
	/* First match wins: the monitor's window comes first. */
	CHECK_EQ(plan.e[0].addr, 0x20007fff);
	CHECK_EQ(plan.e[0].cfg, 0x18);
	CHECK_EQ(plan.e[1].addr, ~0UL);
	CHECK_EQ(plan.e[1].cfg, 0x1f);
}

static void test_perm_mask(void)
{
	struct pmp_region r = { 0x80000000, 0x1000, 0xff };

	/* Only R, W and X: never L or A bits from the caller. */
	CHECK_EQ(pmp_plan(&r, 1, &plan), 0);
	CHECK_EQ(plan.e[0].cfg, 0x18 | RWX);
}

static void fill(struct pmp_plan *p)
{
	memset(p, 0x5a, sizeof(*p));
}

static bool same_plan(const struct pmp_plan *a, const struct pmp_plan *b)
{
	if (a->n != b->n) {
		return false;
	}
	for (int i = 0; i < PMP_MAX_ENTRIES; i++) {
		if (a->e[i].addr != b->e[i].addr || a->e[i].cfg != b->e[i].cfg) {
			return false;
		}
	}
	return true;
}

static void test_too_many(void)
{
	struct pmp_region r[17];
	struct pmp_plan before;

	/* 8 TOR pairs fill all 16 entries exactly. */
	for (int i = 0; i < 17; i++) {
		r[i] = (struct pmp_region){ 0x80000000 + 0x100000ULL * i,
					    0x3000, PMP_PERM_R };
	}
	CHECK_EQ(pmp_plan(r, 8, &plan), 0);
	CHECK_EQ(plan.n, 16);

	/* One more pair, or a single NAPOT entry more, does not fit. */
	fill(&plan);
	before = plan;
	CHECK_EQ(pmp_plan(r, 9, &plan), -1);
	CHECK(same_plan(&plan, &before));
	for (int i = 0; i < 17; i++) {
		r[i].size = 0x1000;
	}
	CHECK_EQ(pmp_plan(r, 16, &plan), 0);
	CHECK_EQ(plan.n, 16);
	fill(&plan);
	CHECK_EQ(pmp_plan(r, 17, &plan), -1);
	CHECK(same_plan(&plan, &before));
	/* 15 entries used, then a TOR pair. */
	r[15].size = 0x3000;
	CHECK_EQ(pmp_plan(r, 16, &plan), -1);
	CHECK(same_plan(&plan, &before));
}

static void test_misaligned(void)
{
	static const struct pmp_region bad[] = {
		{ 0x80000002, 0x1000, 0 },
		{ 0x80000000, 0x1001, 0 },
		{ 0x80000000, 6, 0 },
		{ 0xfffffffffffff000ULL, 0x2000, 0 }, /* wraps */
	};
	struct pmp_plan before;
	struct pmp_region two[2] = { { 0x80000000, 0x1000, 0 } };

	fill(&plan);
	before = plan;
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_EQ(pmp_plan(&bad[i], 1, &plan), -1);
	}
	/* A bad second region spoils the whole plan. */
	two[1] = bad[0];
	CHECK_EQ(pmp_plan(two, 2, &plan), -1);
	CHECK(same_plan(&plan, &before));
}

static void test_apply(void)
{
	struct pmp_region r[] = {
		{ 0x80000000, 0x30000, 0 },
		{ 0, 0, RWX },
	};

	CHECK_EQ(pmp_plan(r, 2, &plan), 0);
	fake_set_hart(1);
	pmp_apply(&plan);
	for (int i = 0; i < PMP_MAX_ENTRIES; i++) {
		const struct fake_pmp_entry *e = fake_pmp(i);

		CHECK_EQ(e->writes, 1);
		CHECK_EQ(e->cfg, i < plan.n ? plan.e[i].cfg : 0);
		CHECK_EQ(e->addr, i < plan.n ? plan.e[i].addr : 0);
	}
	CHECK_EQ(fake_pmp(2)->cfg, 0x1f);
	/* Old translations may have cached the old permissions. */
	CHECK_EQ(fake_hart_state(1)->sfence_all, 1);
	CHECK_EQ(fake_hart_state(0)->sfence_all, 0);
}

int main(void)
{
	RUN(test_napot);
	RUN(test_tor);
	RUN(test_catch_all);
	RUN(test_perm_mask);
	RUN(test_too_many);
	RUN(test_misaligned);
	RUN(test_apply);
	return test_finish();
}
