// SPDX-License-Identifier: BSD-2-Clause
/*
 * LOCK as a transition of the whole machine: every running hart's satp and
 * both roots' contents are judged after the protection is on, a refusal
 * takes the protection back, harts that enter S-mode later are recorded,
 * and handle generations never wrap.
 */
#include "hsm.h"
#include "memmap.h"
#include "test_ptm.h"

/* Bring hart h to STARTED, running S-mode on satp. */
static void run_hart(unsigned long h, uint64_t satp)
{
	unsigned long addr, arg;

	CHECK_EQ(hsm_start(h, PT_KSTART, 0), SBI_SUCCESS);
	CHECK(hsm_take_start(h, &addr, &arg));
	fake_hart_state((unsigned)h)->satp = satp;
}

static long lock_from_swapper(void)
{
	fake_hart_state(SELF)->satp = SATP(PT_SWAPPER);
	return ptm_lock_kernel(SELF, PT_SWAPPER, PT_TRAMP, PT_KSTART, PT_KEND);
}

/* A hart that runs a root nobody checked (forged before LOCK) stops LOCK. */
static void test_other_hart_on_forged_root(void)
{
	pt_boot(PT_POOL, PT_POOL_PAGES);
	run_hart(1, SATP(PT_USER));
	REFUSED_PROTECTED(lock_from_swapper(), SBI_ERR_DENIED);
	CHECK(!ptm_locked());
	CHECK(!memmap_in_kernel_root(PT_SWAPPER, 8));
	/* Sv48 / Sv57 on another hart: the same. */
	fake_hart_state(1)->satp = SATP_SV57 | (PT_SWAPPER >> 12);
	REFUSED_PROTECTED(lock_from_swapper(), SBI_ERR_DENIED);
	/* On the trampoline, or still bare: accepted, and recorded. */
	fake_hart_state(1)->satp = SATP(PT_TRAMP);
	run_hart(2, 0);
	CHECK_EQ(lock_from_swapper(), SBI_SUCCESS);
	CHECK_EQ(ptm.hart_satp[0], SATP(PT_SWAPPER));
	CHECK_EQ(ptm.hart_satp[1], SATP(PT_TRAMP));
	CHECK_EQ(ptm.hart_satp[2], 0);
	CHECK(memmap_in_kernel_root(PT_TRAMP, 8));
	CHECK_PTM_OK();
}

/* Stopped harts run nothing: whatever their satp was, it does not count. */
static void test_stopped_harts_do_not_count(void)
{
	pt_boot(PT_POOL, PT_POOL_PAGES);
	fake_hart_state(3)->satp = SATP(PT_USER);
	CHECK_EQ(lock_from_swapper(), SBI_SUCCESS);
	CHECK_EQ(ptm.hart_satp[3], 0);
}

/* The kernel half is copied into every user root: no U=1 leaf, and no
 * link into the pool or the monitor. */
static void test_kernel_half_rules(void)
{
	pt_boot(PT_POOL, PT_POOL_PAGES);
	pt_write(slot(PT_SWAPPER, 301), leaf(0xC0000000UL, R | W | U | A | D));
	REFUSED_PROTECTED(lock_from_swapper(), SBI_ERR_DENIED);
	pt_write(slot(PT_SWAPPER, 301), 0);
	pt_write(slot(PT_TRAMP, 302), leaf(0xC0000000UL, R | X | U | A));
	REFUSED_PROTECTED(lock_from_swapper(), SBI_ERR_DENIED);
	pt_write(slot(PT_TRAMP, 302), 0);
	pt_write(slot(PT_SWAPPER, 400), link_to(PT_POOL + 0x2000));
	REFUSED_PROTECTED(lock_from_swapper(), SBI_ERR_DENIED);
	pt_write(slot(PT_SWAPPER, 400), link_to(TEST_MON_BASE));
	REFUSED_PROTECTED(lock_from_swapper(), SBI_ERR_DENIED);
	/* V=0 values are Linux's business; a kernel leaf without U is fine. */
	pt_write(slot(PT_SWAPPER, 400), 0x10 | 0x2);
	pt_write(slot(PT_SWAPPER, 401), leaf(0xC0000000UL, R | W | G | A | D));
	CHECK_EQ(lock_from_swapper(), SBI_SUCCESS);
	CHECK_PTM_OK();
}

/* A hart entering S-mode afresh after LOCK is recorded bare and told to
 * keep U-mode out until it has a root; before LOCK it is told nothing. */
static void test_hart_entering(void)
{
	pt_boot(PT_POOL, PT_POOL_PAGES);
	CHECK(!ptm_hart_entering(1));
	CHECK_EQ(lock_from_swapper(), SBI_SUCCESS);
	ptm.hart_satp[2] = SATP(PT_SWAPPER);
	CHECK(ptm_hart_entering(2));
	CHECK_EQ(ptm.hart_satp[2], 0);
}

/* The last generation is handed out once; after it AS_CREATE refuses
 * rather than reuse a value an old handle may still carry. */
static void test_generation_never_wraps(void)
{
	unsigned long h = 0, last;

	pt_setup();
	ptm.last_gen = PTM_GEN_MAX - 1;
	last = pt_create();
	CHECK_EQ(last >> 32, PTM_GEN_MAX);
	pt_destroy(last);
	REFUSED(ptm_as_create(SELF, &h), SBI_ERR_NO_SHMEM);
	CHECK_EQ(h, 0);
	/* The old handle names nothing. */
	REFUSED(ptm_as_destroy(SELF, last), SBI_ERR_INVALID_PARAM);
}

int main(void)
{
	RUN(test_other_hart_on_forged_root);
	RUN(test_stopped_harts_do_not_count);
	RUN(test_kernel_half_rules);
	RUN(test_hart_entering);
	RUN(test_generation_never_wraps);
	return test_finish();
}
