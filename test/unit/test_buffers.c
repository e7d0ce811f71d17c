// SPDX-License-Identifier: BSD-2-Clause
/*
 * The one rule for memory the monitor touches on S-mode's behalf
 * (monitor/memmap): every writer (DBCN read, STATS) and every reader
 * (DBCN write, BATCH) against every region S-mode may not have written or
 * read for it. Each refusal must leave the target byte-identical, and a
 * LOCK that lands between a call's steps must be seen by the access.
 */
#include <stdio.h>
#include <string.h>

#include "arch.h"
#include "memmap.h"
#include "test_ptm.h"

/* A region the rule forbids, named for the failure messages. */
struct region {
	const char *name;
	uint64_t pa; /* a page-aligned address inside it */
};

/* Straddling a boundary fails as well as lying inside. */
#define STRADDLE 8UL

static const struct region forbidden[] = {
    {"monitor", TEST_MON_BASE + 0x1000},
    {"monitor records", PT_RECORDS},
    {"records' last page", PT_POOL - PTM_PAGE_SIZE},
    {"pool", PT_POOL},
    {"pool middle", PT_POOL + 0x3000},
    {"swapper root", PT_SWAPPER},
    {"trampoline root", PT_TRAMP},
};
#define NFORBIDDEN (sizeof(forbidden) / sizeof(forbidden[0]))

/* Bytes the tests plant in a forbidden page, to see any change. */
static uint8_t before[2 * PTM_PAGE_SIZE];

static void snap_page(uint64_t pa)
{
	memcpy(before, fake_ram(pa - PTM_PAGE_SIZE, sizeof(before)),
	       sizeof(before));
}

static void check_page(uint64_t pa, const char *what, const char *region)
{
	bool same =
	    !memcmp(before, fake_ram(pa - PTM_PAGE_SIZE, sizeof(before)),
		    sizeof(before));

	if (!same) {
		fprintf(stderr, "    %s changed the %s\n", what, region);
	}
	CHECK(same);
}

static struct sbi_ret dbcn(unsigned long fid, unsigned long n, uint64_t pa)
{
	return ecall(SBI_EXT_DBCN, fid, n, pa, 0, 0, 0);
}

/* A live address space with a PTE table, so a refused BATCH would have
 * had something to change. */
static uint64_t setup_space(unsigned long *h)
{
	pt_setup();
	*h = pt_create();
	return pt_chain(*h, NULL);
}

/*
 * DBCN read: bytes S-mode chose (loopback UART) must never land in a
 * forbidden region, and a refused read consumes no input.
 */
static void test_dbcn_read_forbidden(void)
{
	static const char evil[] = "\xcf\x00\x00\x20\x00\x00\x00\x00PTE!";
	unsigned long h;
	struct sbi_ret r;

	setup_space(&h);
	for (size_t i = 0; i < NFORBIDDEN; i++) {
		for (int edge = 0; edge < 2; edge++) {
			uint64_t pa = forbidden[i].pa - (edge ? STRADDLE : 0);

			fake_console_input(evil, sizeof(evil) - 1);
			snap_page(forbidden[i].pa);
			r = dbcn(SBI_DBCN_READ, sizeof(evil) - 1, pa);
			CHECK_EQ(r.error, SBI_ERR_INVALID_PARAM);
			check_page(forbidden[i].pa, "DBCN read",
				   forbidden[i].name);
		}
	}
	CHECK_PTM_OK();
	/* Everything queued is still there for a good buffer. */
	r = dbcn(SBI_DBCN_READ, 4096, PT_BUF);
	CHECK_EQ(r.error, SBI_SUCCESS);
	CHECK_EQ(r.value, 2 * NFORBIDDEN * (sizeof(evil) - 1));
	CHECK(!memcmp(fake_ram(PT_BUF, sizeof(evil) - 1), evil,
		      sizeof(evil) - 1));
}

/* DBCN write: the monitor prints nothing it may not read for S-mode. */
static void test_dbcn_write_forbidden(void)
{
	unsigned long h;

	setup_space(&h);
	memcpy(fake_ram(TEST_MON_BASE + 0x1000, 6), "secret", 6);
	fake_console_clear();
	for (size_t i = 0; i < NFORBIDDEN; i++) {
		for (int edge = 0; edge < 2; edge++) {
			uint64_t pa = forbidden[i].pa - (edge ? STRADDLE : 0);

			CHECK_EQ(dbcn(SBI_DBCN_WRITE, 16, pa).error,
				 SBI_ERR_INVALID_PARAM);
		}
	}
	CHECK_EQ(fake_console_len(), 0);
}

static void test_stats_forbidden(void)
{
	unsigned long h;

	setup_space(&h);
	for (size_t i = 0; i < NFORBIDDEN; i++) {
		for (int edge = 0; edge < 2; edge++) {
			uint64_t pa = forbidden[i].pa - (edge ? STRADDLE : 0);

			snap_page(forbidden[i].pa);
			REFUSED(ptm_stats(SELF, SECMON_STATS_GLOBAL, pa),
				SBI_ERR_INVALID_ADDRESS);
			REFUSED(ptm_stats(SELF, h, pa),
				SBI_ERR_INVALID_ADDRESS);
			check_page(forbidden[i].pa, "STATS", forbidden[i].name);
		}
	}
	/* Misaligned, outside RAM, and running off its end. */
	REFUSED(ptm_stats(SELF, h, PT_BUF + 4), SBI_ERR_INVALID_ADDRESS);
	REFUSED(ptm_stats(SELF, h, 0x2000000), SBI_ERR_INVALID_ADDRESS);
	REFUSED(ptm_stats(SELF, h, PT_RAM_END - 8), SBI_ERR_INVALID_ADDRESS);
	REFUSED(ptm_stats(SELF, h, ~7UL), SBI_ERR_INVALID_ADDRESS);
}

/* A BATCH buffer in a forbidden region: refused before any entry is read,
 * whatever that region holds. */
static void test_batch_forbidden(void)
{
	unsigned long h, applied;
	uint64_t pte = setup_space(&h);
	struct secmon_batch_entry e = {SECMON_BATCH_OP_SET, slot(pte, 0),
				       leaf(PT_USER, R | U), 0};

	/* The monitor page holds an entry that would apply if read. */
	memcpy(fake_ram(TEST_MON_BASE + 0x1000, sizeof(e)), &e, sizeof(e));
	for (size_t i = 0; i < NFORBIDDEN; i++) {
		for (int edge = 0; edge < 2; edge++) {
			uint64_t pa = forbidden[i].pa - (edge ? STRADDLE : 0);

			applied = 99;
			REFUSED(ptm_batch(SELF, h, pa, 2, &applied),
				SBI_ERR_INVALID_ADDRESS);
			CHECK_EQ(applied, 0);
		}
	}
	CHECK_EQ(pt_read(slot(pte, 0)), 0);
}

/* The memory map's own answers, including the devices boot adds. */
static void test_memmap_rule(void)
{
	struct memmap_guard g;
	unsigned n = 0;

	pt_setup();
	CHECK_EQ(memmap_add_device(0x2000000, 4, "mswi"), 0);
	CHECK_EQ(memmap_add_device(0x2000004, 4, "mswi"), 0); /* merged */
	CHECK_EQ(memmap_add_device(0x2004000, 8, "mtimecmp"), 0);
	CHECK(memmap_in_device(0x2000004, 1));
	CHECK(!memmap_in_device(0x2000008, 4));
	CHECK_EQ(memmap_add_device(0, 0, "empty"), -1);
	CHECK_EQ(memmap_add_device(~0UL - 3, 8, "wraps"), -1);
	while (memmap_guard(n, &g)) {
		n++;
	}
	/* monitor, records, pool, two roots, two device blocks */
	CHECK_EQ(n, 7);
	CHECK(memmap_guard(0, &g) && g.base == TEST_MON_BASE &&
	      g.s_access == MEMMAP_S_NONE);
	CHECK(memmap_guard(1, &g) && g.base == PT_RECORDS &&
	      g.size == PT_POOL - PT_RECORDS && g.s_access == MEMMAP_S_NONE);
	CHECK(memmap_guard(2, &g) && g.base == PT_POOL &&
	      g.s_access == MEMMAP_S_READ);
	CHECK(memmap_guard(3, &g) && g.base == PT_SWAPPER &&
	      g.size == PTM_PAGE_SIZE && g.s_access == MEMMAP_S_READ);
	CHECK(memmap_guard(5, &g) && g.base == 0x2000000 && g.size == 8);
	CHECK(memmap_os_buffer_ok(PT_BUF, 8, 8));
	CHECK(!memmap_os_buffer_ok(PT_BUF + 1, 8, 8));
	CHECK(memmap_os_buffer_ok(PT_BUF + 1, 8, 1));
	CHECK(!memmap_os_buffer_ok(PT_BUF, 8, 3)); /* not a power of two */
	CHECK(memmap_os_buffer_ok(PT_BUF, 0, 8));
	CHECK(!memmap_os_buffer_ok(PT_RAM_END, 0, 8));
	CHECK(!memmap_os_buffer_ok(PT_SWAPPER - 8, 16, 8));
	CHECK(!memmap_os_buffer_ok(PT_RECORDS - 8, 16, 8));
	CHECK(!memmap_os_buffer_ok(PT_POOL - 8, 8, 8));
	CHECK(memmap_os_buffer_ok(PT_RECORDS - 8, 8, 8));
	/* Before LOCK the roots are ordinary OS memory; after a refused
	 * LOCK they are again. */
	memmap_set_kernel_roots(0, 0);
	CHECK(memmap_os_buffer_ok(PT_SWAPPER, 8, 8));
}

/*
 * The check-then-lock race, made deterministic: STATS has gathered its
 * numbers when another hart's LOCK makes the buffer the swapper root. The
 * write must see the new map; the root stays byte-identical.
 */
static void lock_swapper_now(unsigned int point)
{
	CHECK_EQ(point, ARCH_WINDOW_STATS_GATHERED);
	fake_hart_state(1)->satp = SATP(PT_SWAPPER);
	CHECK_EQ(ptm_lock_kernel(1, PT_SWAPPER, PT_TRAMP, PT_KSTART, PT_KEND),
		 SBI_SUCCESS);
}

static void test_stats_lock_race(void)
{
	pt_boot(PT_POOL, PT_POOL_PAGES);
	snap_page(PT_SWAPPER);
	fake_set_window_hook(lock_swapper_now);
	CHECK_EQ(ptm_stats(SELF, SECMON_STATS_GLOBAL, PT_SWAPPER),
		 SBI_ERR_INVALID_ADDRESS);
	CHECK(ptm_locked());
	check_page(PT_SWAPPER, "STATS racing LOCK", "swapper root");
	CHECK_PTM_OK();
	/* Without a LOCK in between the same buffer works (before LOCK). */
	pt_boot(PT_POOL, PT_POOL_PAGES);
	CHECK_EQ(ptm_stats(SELF, SECMON_STATS_GLOBAL, PT_BUF), SBI_SUCCESS);
}

/*
 * S-mode rewrites a BATCH entry after the monitor copied it: what is
 * applied is the copy that was checked, never the new bytes.
 */
static uint64_t race_buf;

static void rewrite_entry(unsigned int point)
{
	struct secmon_batch_entry evil = {SECMON_BATCH_OP_SET, 0,
					  leaf(TEST_MON_BASE, R | W | U), 0};

	CHECK_EQ(point, ARCH_WINDOW_BATCH_COPIED);
	memcpy(&evil.pte_pa,
	       &((struct secmon_batch_entry *)fake_ram(race_buf, 32))->pte_pa,
	       sizeof(evil.pte_pa));
	memcpy(fake_ram(race_buf, sizeof(evil)), &evil, sizeof(evil));
}

static void test_batch_entries_read_once(void)
{
	unsigned long h, applied = 0;
	uint64_t pte = setup_space(&h);
	struct secmon_batch_entry e = {SECMON_BATCH_OP_SET, slot(pte, 3),
				       leaf(PT_USER, R | U), 0};

	race_buf = PT_BUF;
	memcpy(fake_ram(race_buf, sizeof(e)), &e, sizeof(e));
	fake_set_window_hook(rewrite_entry);
	CHECK_EQ(ptm_batch(SELF, h, race_buf, 1, &applied), SBI_SUCCESS);
	CHECK_EQ(applied, 1);
	CHECK_EQ(pt_read(slot(pte, 3)) & ~(A | D), leaf(PT_USER, R | U));
	CHECK_PTM_OK();
}

int main(void)
{
	RUN(test_dbcn_read_forbidden);
	RUN(test_dbcn_write_forbidden);
	RUN(test_stats_forbidden);
	RUN(test_batch_forbidden);
	RUN(test_memmap_rule);
	RUN(test_stats_lock_race);
	RUN(test_batch_entries_read_once);
	return test_finish();
}
