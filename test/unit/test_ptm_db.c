// SPDX-License-Identifier: BSD-2-Clause
/*
 * The page-table manager's page database and address-space lifetimes,
 * through the ptm_* calls: pool set-up, LOCK, the allocator and its
 * quarantine, PT_FREE, AS_DESTROY, zombies, stale handles, satp
 * emulation, INFO and STATS. Every refusal is checked to change nothing.
 */
#include <string.h>

#include <secmon/sbi.h>

#include "test_ptm.h"

/* A pool at base with its records where pt_boot puts them. */
static int init_at(uint64_t base, uint64_t size)
{
	return ptm_init(base, size, pt_records_base(base, size >> 12),
			ptm_records_size(size, NULL));
}

static void test_init_args(void)
{
	uint64_t rsize = ptm_records_size(0x4000, NULL);
	uint64_t rbase = PT_POOL - rsize;

	test_boot("virt-4hart", 0);
	CHECK_EQ(ptm_init(PT_POOL + 8, 0x10000, rbase, rsize), -1);
	CHECK_EQ(ptm_init(PT_POOL, 0x10008, rbase, rsize), -1);
	CHECK_EQ(ptm_init(PT_POOL, 0, rbase, rsize), -1);
	CHECK_EQ(init_at(PT_RAM_END - 0x1000, 0x2000), -1);
	CHECK_EQ(ptm_init(0x1000, 0x1000, rbase, rsize), -1);
	/* The records: large enough, page aligned, in RAM, apart from the
	 * pool. */
	CHECK_EQ(ptm_init(PT_POOL, 0x4000, rbase, rsize - 0x1000), -1);
	CHECK_EQ(ptm_init(PT_POOL, 0x4000, rbase + 8, rsize), -1);
	CHECK_EQ(ptm_init(PT_POOL, 0x4000, PT_POOL + 0x2000, rsize), -1);
	CHECK_EQ(ptm_init(PT_POOL, 0x4000, PT_RAM_END, rsize), -1);
	CHECK_EQ(ptm_pool_size(), 0);
	CHECK(!memmap_in_monitor(rbase, 8));

	/* Pool and records are zeroed however dirty they were. */
	memset(fake_ram(PT_POOL, 0x4000), 0xa5, 0x4000);
	memset(fake_ram(rbase, rsize), 0xa5, rsize);
	CHECK_EQ(ptm_init(PT_POOL, 0x4000, rbase, rsize), 0);
	CHECK(pt_page_zero(PT_POOL) && pt_page_zero(PT_POOL + 0x3000));
	CHECK((uint64_t)(uintptr_t)ptm.page ==
	      (uint64_t)(uintptr_t)fake_ram(rbase, rsize));
	for (uint32_t i = 0; i < ptm.npages; i++) {
		CHECK(!memcmp(&ptm.page[i], &(struct ptm_page){0},
			      sizeof(struct ptm_page)));
	}
	for (uint32_t s = 0; s < ptm.nslots; s++) {
		CHECK_EQ(ptm.as[s].gen, 1); /* the rest zero */
		CHECK_EQ(ptm.as[s].state + ptm.as[s].pages, 0);
	}
	CHECK_EQ(ptm_pool_base(), PT_POOL);
	CHECK_EQ(ptm_pool_size(), 0x4000);
	CHECK_EQ(ptm_max_spaces(), 4);
	CHECK(ptm_in_pool(PT_POOL + 0x3ff8, 8));
	CHECK(!ptm_in_pool(PT_POOL + 0x4000, 8));
	CHECK(ptm_in_pool(PT_POOL - 8, 16));
	CHECK(!ptm_in_pool(PT_POOL - 8, 8));
	CHECK(ptm_in_pool(~0UL - 7, 16)); /* wraps */
	/* The records are monitor memory, off limits like the window. */
	CHECK(memmap_in_monitor(rbase, 8));
	CHECK(memmap_in_monitor(PT_POOL - 8, 8));
	CHECK(!memmap_in_monitor(rbase - 8, 8));
	CHECK(!memmap_in_monitor(PT_POOL, 8));
	CHECK_EQ(memmap_records().base, rbase);
	CHECK_EQ(memmap_records().size, rsize);
	CHECK_PTM_OK();

	/* More pages than a page record's owner can name slots for. */
	CHECK_EQ(init_at(PT_HIGH, (PTM_MAX_SLOTS + 8UL) * PTM_PAGE_SIZE), 0);
	CHECK_EQ(pt_free_pages(), PTM_MAX_SLOTS + 8UL);
	CHECK_EQ(ptm_max_spaces(), PTM_MAX_SLOTS);
	CHECK_PTM_OK();
}

/* Records sizes: one 8-byte record and a parent tally per page, a 40-byte
 * slot and a 20-byte tally per address space, rounded up to a power of
 * two of at least a page. */
static void test_records_size(void)
{
	static const uint64_t want[][3] = {
	    /* pool bytes, records bytes, slots */
	    {4096, 4096, 1},
	    {64 * 4096, 8192, 64},
	    {4UL << 20, 128UL << 10, 1024},
	    {8UL << 20, 256UL << 10, 2048},
	    {64UL << 20, 2UL << 20, 16384},
	    {256UL << 20, 8UL << 20, 65536},
	    {1UL << 30, 16UL << 20, 65536},
	    {16UL << 30, 128UL << 20, 65536},
	};
	uint32_t slots = 7;

	CHECK_EQ(sizeof(struct ptm_page), 20);
	CHECK_EQ(sizeof(struct ptm_as), 56);
	CHECK_EQ(sizeof(struct ptm_tally_as), 20);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		CHECK_EQ(ptm_records_size(want[i][0], &slots), want[i][1]);
		CHECK_EQ(slots, want[i][2]);
	}
	slots = 7;
	CHECK_EQ(ptm_records_size(0, &slots), 0);
	CHECK_EQ(ptm_records_size(4096 + 8, &slots), 0);
	CHECK_EQ(ptm_records_size((PTM_MAX_POOL_PAGES + 1) * 4096, &slots), 0);
	CHECK_EQ(slots, 7);
	CHECK_EQ(ptm_records_size(4096, NULL), 4096);
}

static void test_info(void)
{
	unsigned long v = 123;

	pt_boot(PT_POOL, PT_POOL_PAGES);
	CHECK_EQ(ptm_info(SECMON_INFO_VERSION, &v), SBI_SUCCESS);
	CHECK_EQ(v, SECMON_ABI_VERSION);
	CHECK_EQ(ptm_info(SECMON_INFO_POOL_BASE, &v), SBI_SUCCESS);
	CHECK_EQ(v, PT_POOL);
	CHECK_EQ(ptm_info(SECMON_INFO_POOL_SIZE, &v), SBI_SUCCESS);
	CHECK_EQ(v, PT_POOL_PAGES * PTM_PAGE_SIZE);
	CHECK_EQ(pt_free_pages(), PT_POOL_PAGES);
	CHECK_EQ(ptm_info(SECMON_INFO_FEATURES, &v), SBI_SUCCESS);
	CHECK_EQ(v, SECMON_FEAT_BATCH | SECMON_FEAT_ZOMBIE |
			SECMON_FEAT_FENCE_VA | SECMON_FEAT_GSTAGE);
	CHECK_EQ(ptm_info(SECMON_INFO_LOCKED, &v), SBI_SUCCESS);
	CHECK_EQ(v, 0);
	CHECK_EQ(ptm_info(SECMON_INFO_BATCH_MAX, &v), SBI_SUCCESS);
	CHECK_EQ(v, 128);
	v = 77;
	/* INFO takes no lock and keeps no books: not counted. */
	REFUSED_UNCOUNTED(ptm_info(7, &v), SBI_ERR_INVALID_PARAM);
	REFUSED_UNCOUNTED(ptm_info(~0UL, &v), SBI_ERR_INVALID_PARAM);
	CHECK_EQ(v, 77);
	pt_lock();
	CHECK_EQ(ptm_info(SECMON_INFO_LOCKED, &v), SBI_SUCCESS);
	CHECK_EQ(v, 1);
}

/* LOCK from SELF, which runs S-mode on satp. */
static long lock(uint64_t sw, uint64_t tr, uint64_t ks, uint64_t ke,
		 uint64_t satp)
{
	fake_hart_state(SELF)->satp = satp;
	return ptm_lock_kernel(SELF, sw, tr, ks, ke);
}

/* A root refused on its address alone: nothing was protected. */
static void lock_root_refusals(uint64_t bad)
{
	REFUSED(lock(bad, PT_TRAMP, PT_KSTART, PT_KEND, SATP(PT_TRAMP)),
		SBI_ERR_INVALID_ADDRESS);
	REFUSED(lock(PT_SWAPPER, bad, PT_KSTART, PT_KEND, SATP(PT_SWAPPER)),
		SBI_ERR_INVALID_ADDRESS);
}

/* A root refused on its contents, read once it was protected: the
 * protection was applied and taken back, nothing else changed. */
static void lock_content_refusals(uint64_t bad, long err)
{
	REFUSED_PROTECTED(lock(bad, PT_TRAMP, PT_KSTART, PT_KEND, SATP(bad)),
			  err);
	REFUSED_PROTECTED(
	    lock(PT_SWAPPER, bad, PT_KSTART, PT_KEND, SATP(PT_SWAPPER)), err);
}

static void test_lock_refusals(void)
{
	unsigned long h = 0;

	pt_boot(PT_POOL, PT_POOL_PAGES);
	REFUSED(ptm_as_create(SELF, &h), SBI_ERR_DENIED);
	lock_root_refusals(PT_SWAPPER + 8); /* misaligned */
	lock_root_refusals(0x1000); /* not RAM */
	lock_root_refusals(PT_RAM_END); /* just past RAM */
	lock_root_refusals(TEST_MON_BASE + 0x1000); /* the monitor */
	lock_root_refusals(PT_POOL); /* the pool */
	lock_root_refusals(PT_POOL + 0x3000);
	/* A root whose user half maps anything, even with V=0. */
	pt_write(PT_USER, 0);
	pt_write(slot(PT_USER, 255), 0x2);
	lock_content_refusals(PT_USER, SBI_ERR_INVALID_ADDRESS);
	pt_write(slot(PT_USER, 255), 0);
	pt_write(slot(PT_USER, 0), leaf(PT_USER, R | U));
	lock_content_refusals(PT_USER, SBI_ERR_INVALID_ADDRESS);
	pt_write(slot(PT_USER, 0), 0);

	REFUSED(
	    lock(PT_SWAPPER, PT_TRAMP, PT_KEND, PT_KSTART, SATP(PT_SWAPPER)),
	    SBI_ERR_INVALID_PARAM);
	REFUSED(
	    lock(PT_SWAPPER, PT_TRAMP, PT_KSTART, PT_KSTART, SATP(PT_SWAPPER)),
	    SBI_ERR_INVALID_PARAM);
	REFUSED(lock(PT_SWAPPER, PT_TRAMP, 0x1000, 0x2000, SATP(PT_SWAPPER)),
		SBI_ERR_INVALID_PARAM);
	REFUSED(lock(PT_SWAPPER, PT_TRAMP, PT_KSTART, PT_RAM_END + 0x1000,
		     SATP(PT_SWAPPER)),
		SBI_ERR_INVALID_PARAM);
	/* The caller must run on one of the kernel roots it names, in Sv39;
	 * that is checked once TVM has frozen its satp. */
	REFUSED_PROTECTED(lock(PT_SWAPPER, PT_TRAMP, PT_KSTART, PT_KEND, 0),
			  SBI_ERR_DENIED);
	REFUSED_PROTECTED(lock(PT_SWAPPER, PT_TRAMP, PT_KSTART, PT_KEND,
			       SATP_SV48 | (PT_SWAPPER >> 12)),
			  SBI_ERR_DENIED);
	REFUSED_PROTECTED(lock(PT_SWAPPER, PT_TRAMP, PT_KSTART, PT_KEND,
			       SATP_SV57 | (PT_SWAPPER >> 12)),
			  SBI_ERR_DENIED);
	REFUSED_PROTECTED(
	    lock(PT_SWAPPER, PT_TRAMP, PT_KSTART, PT_KEND, SATP(PT_USER)),
	    SBI_ERR_DENIED);
	CHECK(!ptm_locked());
	CHECK_EQ(ptm_kernel_root(0), 0);

	pt_lock();
	CHECK(ptm_locked());
	CHECK_EQ(ptm_kernel_root(0), PT_SWAPPER);
	CHECK_EQ(ptm_kernel_root(1), PT_TRAMP);
	CHECK_EQ(fake_hart_state(0)->ptm_locks,
		 fake_hart_state(0)->ptm_unlocks + 1);
	CHECK_EQ(ptm.hart_satp[0], SATP(PT_SWAPPER));
	REFUSED(
	    lock(PT_SWAPPER, PT_TRAMP, PT_KSTART, PT_KEND, SATP(PT_SWAPPER)),
	    SBI_ERR_ALREADY_AVAILABLE);
	REFUSED(lock(0, 0, 0, 0, 0), SBI_ERR_ALREADY_AVAILABLE);
}

static long lock_hole(uint64_t hs, uint64_t he)
{
	const uint64_t hole[2] = {hs, he};

	fake_hart_state(SELF)->satp = SATP(PT_SWAPPER);
	return ptm_lock_kernel_hole(SELF, PT_SWAPPER, PT_TRAMP, PT_KSTART,
				    PT_KEND, hole);
}

/* LOCK's hole: freed image memory (Linux's init sections) that user leaves
 * may map writable; the rest of the image stays read-only to users. */
static void test_lock_hole(void)
{
	const uint64_t hs = PT_KSTART + 0x10000, he = PT_KSTART + 0x20000;
	unsigned long h;
	uint64_t root, pmd, pte;

	pt_boot(PT_POOL, PT_POOL_PAGES);
	REFUSED(lock_hole(PT_KSTART - 0x1000, he), SBI_ERR_INVALID_PARAM);
	REFUSED(lock_hole(hs, PT_KEND + 0x1000), SBI_ERR_INVALID_PARAM);
	REFUSED(lock_hole(he, hs), SBI_ERR_INVALID_PARAM);
	REFUSED(lock_hole(0, he), SBI_ERR_INVALID_PARAM);
	CHECK(!ptm_locked());
	CHECK_EQ(lock_hole(hs, he), SBI_SUCCESS);
	h = pt_create();
	root = SECMON_HANDLE_ROOT_PA(PT_POOL, h);
	pmd = pt_alloc(h, 1);
	pte = pt_alloc(h, 0);
	pt_set(h, slot(root, 1), link_to(pmd));
	pt_set(h, slot(pmd, 0), link_to(pte));
	pt_set(h, slot(pte, 0), leaf(hs, R | W | U));
	pt_set(h, slot(pte, 1), leaf(he - 0x1000, R | W | U));
	pt_set(h, slot(pte, 2), leaf(hs - 0x1000, R | U));
	REFUSED(ptm_pte_set(SELF, h, slot(pte, 3), leaf(hs - 0x1000, R | W | U),
			    &(uint64_t){0}),
		SBI_ERR_DENIED);
	REFUSED(ptm_pte_set(SELF, h, slot(pte, 3), leaf(he, R | W | U),
			    &(uint64_t){0}),
		SBI_ERR_DENIED);
	CHECK_PTM_OK();
}

static void test_lock_without_pool(void)
{
	pt_boot(PT_POOL, 1);
	memset(&ptm, 0, sizeof(ptm)); /* as when the platform has no pool */
	REFUSED(
	    lock(PT_SWAPPER, PT_TRAMP, PT_KSTART, PT_KEND, SATP(PT_SWAPPER)),
	    SBI_ERR_NOT_SUPPORTED);
}

/* Roots copy the swapper's kernel half as it was at LOCK. */
static void test_root_kernel_half(void)
{
	unsigned long h;
	uint64_t root;

	pt_setup();
	pt_write(slot(PT_SWAPPER, 400), link_to(PT_KSTART + 0x2000));
	h = pt_create();
	root = SECMON_HANDLE_ROOT_PA(PT_POOL, h);
	CHECK(ptm_in_pool(root, PTM_PAGE_SIZE));
	CHECK_EQ(pt_read(slot(root, PT_KSLOT_LEAF)),
		 pt_read(slot(PT_SWAPPER, PT_KSLOT_LEAF)));
	CHECK_EQ(pt_read(slot(root, PT_KSLOT_LINK)),
		 pt_read(slot(PT_SWAPPER, PT_KSLOT_LINK)));
	CHECK_EQ(pt_read(slot(root, 400)), 0);
	for (unsigned i = 0; i < 256; i++) {
		CHECK_EQ(pt_read(slot(root, i)), 0);
	}
	CHECK_EQ(h >> 32, 1); /* the first generation */
	CHECK_EQ(h >> 63, 0);
}

/* Every page can be handed out, each once, zeroed; then NO_SHMEM. */
static void test_exhaustion(void)
{
	unsigned long h, h2 = 0, pa = 0;
	uint64_t seen[PT_POOL_PAGES];
	unsigned n = 0;

	pt_setup();
	h = pt_create();
	seen[n++] = SECMON_HANDLE_ROOT_PA(PT_POOL, h);
	while (pt_free_pages()) {
		pa = pt_alloc(h, n % 2);
		CHECK(ptm_in_pool(pa, PTM_PAGE_SIZE) && !(pa & 0xfff));
		CHECK(pt_page_zero(pa));
		for (unsigned i = 0; i < n; i++) {
			CHECK(seen[i] != pa);
		}
		if (n == PT_POOL_PAGES) {
			break;
		}
		seen[n++] = pa;
	}
	CHECK_EQ(n, PT_POOL_PAGES);
	REFUSED(ptm_pt_alloc(SELF, h, 0, &pa), SBI_ERR_NO_SHMEM);
	REFUSED(ptm_pt_alloc(SELF, h, 1, &pa), SBI_ERR_NO_SHMEM);
	REFUSED(ptm_as_create(SELF, &h2), SBI_ERR_NO_SHMEM);
	CHECK_EQ(pt_stats(h).table_pages, PT_POOL_PAGES);
}

/* Exhaust the pool with tables of h; returns how many. */
static unsigned fill_pool(unsigned long h, uint64_t *pages, unsigned max)
{
	unsigned n = 0;

	while (pt_free_pages() && n < max) {
		pages[n++] = pt_alloc(h, SECMON_LEVEL_PTE);
	}
	return n;
}

static void test_quarantine(void)
{
	uint64_t pages[PT_POOL_PAGES];
	struct secmon_stats s;
	unsigned long h, pa;
	unsigned n;

	pt_setup();
	h = pt_create();
	n = fill_pool(h, pages, PT_POOL_PAGES);
	CHECK_EQ(n, PT_POOL_PAGES - 1);
	/* Dirty two tables, free them: scrubbed at once, quarantined. */
	pt_set(h, slot(pages[3], 7), leaf(PT_USER, R | U));
	pt_set(h, slot(pages[5], 511), 0x1234000); /* V=0: swap entry */
	pt_free(h, pages[3]);
	pt_free(h, pages[5]);
	CHECK(pt_page_zero(pages[3]) && pt_page_zero(pages[5]));
	CHECK_EQ(pt_free_pages(), 2); /* quarantined pages count as free */
	s = pt_stats(SECMON_STATS_GLOBAL);
	CHECK_EQ(s.free_pages, 0);
	CHECK_EQ(s.quarantine_pages, 2);
	CHECK_EQ(s.flushes, 0);
	CHECK_EQ(fake_hart_state(0)->ptm_flushes, 0);
	CHECK_EQ(ptm.page[(pages[3] - PT_POOL) >> 12].state, PG_QUARANTINE);

	/* The next allocation flushes every hart first, once, and reuses. */
	fake_set_hart(2);
	CHECK_EQ(ptm_pt_alloc(2, h, SECMON_LEVEL_PMD, &pa), SBI_SUCCESS);
	CHECK(pa == pages[3] || pa == pages[5]);
	CHECK(pt_page_zero(pa));
	CHECK_EQ(fake_hart_state(2)->ptm_flushes, 1);
	s = pt_stats(SECMON_STATS_GLOBAL);
	CHECK_EQ(s.flushes, 1);
	CHECK_EQ(s.free_pages, 1);
	CHECK_EQ(s.quarantine_pages, 0);
	CHECK_EQ(ptm.page[(pa - PT_POOL) >> 12].level, 1);
	CHECK_PTM_OK();
	/* The other one is FREE now: no second flush. */
	pt_alloc(h, SECMON_LEVEL_PTE);
	CHECK_EQ(fake_hart_state(2)->ptm_flushes +
		     fake_hart_state(0)->ptm_flushes,
		 1);
	CHECK_EQ(pt_free_pages(), 0);
}

/* No flush while free pages remain: quarantine waits. */
static void test_quarantine_lazy(void)
{
	unsigned long h;
	uint64_t t;

	pt_setup();
	h = pt_create();
	t = pt_alloc(h, 0);
	pt_free(h, t);
	for (int i = 0; i < PT_POOL_PAGES - 2; i++) {
		CHECK(pt_alloc(h, 0) != t);
	}
	CHECK_EQ(fake_hart_state(0)->ptm_flushes, 0);
	CHECK_EQ(pt_stats(SECMON_STATS_GLOBAL).quarantine_pages, 1);
	CHECK_EQ(pt_alloc(h, 0), t);
	CHECK_EQ(fake_hart_state(0)->ptm_flushes, 1);
}

static void bad_handles(unsigned long *list, unsigned long live)
{
	list[0] = 0;
	list[1] = live | (1UL << 63);
	list[2] = live + (1UL << 32); /* another generation */
	list[3] = live - (1UL << 32); /* generation 0 */
	list[4] = live + 1; /* another page */
	list[5] = (live & ~0xffffffffUL) | PT_POOL_PAGES; /* past the pool */
	list[6] = ~0UL;
	list[7] = (live & ~0xffffffffUL) | 0xffffffffUL;
}

static void test_pt_alloc_refusals(void)
{
	unsigned long h, pa = 0, bad[8];

	pt_setup();
	h = pt_create();
	pt_alloc(h, 0); /* so that live + 1 names a table page */
	REFUSED(ptm_pt_alloc(SELF, h, 2, &pa), SBI_ERR_INVALID_PARAM);
	REFUSED(ptm_pt_alloc(SELF, h, 3, &pa), SBI_ERR_INVALID_PARAM);
	REFUSED(ptm_pt_alloc(SELF, h, ~0UL, &pa), SBI_ERR_INVALID_PARAM);
	bad_handles(bad, h);
	for (int i = 0; i < 8; i++) {
		REFUSED(ptm_pt_alloc(SELF, bad[i], 0, &pa),
			SBI_ERR_INVALID_PARAM);
	}
	CHECK_EQ(pa, 0);
}

static void test_pt_free_rules(void)
{
	unsigned long h, h2;
	uint64_t root, pmd, pte, other, spare;

	pt_setup();
	h = pt_create();
	h2 = pt_create();
	root = SECMON_HANDLE_ROOT_PA(PT_POOL, h);
	pte = pt_chain(h, &pmd);
	other = pt_alloc(h2, 0);
	spare = pt_alloc(h, 0);

	REFUSED(ptm_pt_free(SELF, h, spare + 8), SBI_ERR_INVALID_ADDRESS);
	REFUSED(ptm_pt_free(SELF, h, spare + 0x800), SBI_ERR_INVALID_ADDRESS);
	REFUSED(ptm_pt_free(SELF, h, PT_USER), SBI_ERR_INVALID_ADDRESS);
	REFUSED(ptm_pt_free(SELF, h, PT_POOL + PT_POOL_PAGES * PTM_PAGE_SIZE),
		SBI_ERR_INVALID_ADDRESS);
	REFUSED(ptm_pt_free(SELF, h, PT_SWAPPER), SBI_ERR_INVALID_ADDRESS);
	REFUSED(ptm_pt_free(SELF, h, root), SBI_ERR_INVALID_PARAM);
	REFUSED(ptm_pt_free(SELF, h2, SECMON_HANDLE_ROOT_PA(PT_POOL, h2)),
		SBI_ERR_INVALID_PARAM);
	REFUSED(ptm_pt_free(SELF, h, other), SBI_ERR_INVALID_PARAM);
	REFUSED(ptm_pt_free(SELF, h2, spare), SBI_ERR_INVALID_PARAM);
	REFUSED(
	    ptm_pt_free(SELF, h, PT_POOL + (PT_POOL_PAGES - 1) * PTM_PAGE_SIZE),
	    SBI_ERR_INVALID_PARAM); /* a FREE page */
	REFUSED(ptm_pt_free(SELF, h + (1UL << 32), spare),
		SBI_ERR_INVALID_PARAM);
	REFUSED(ptm_pt_free(SELF, 0, spare), SBI_ERR_INVALID_PARAM);
	REFUSED(ptm_pt_free(SELF, h | (1UL << 63), spare),
		SBI_ERR_INVALID_PARAM);
	/* Linked, and still linking. */
	REFUSED(ptm_pt_free(SELF, h, pte), SBI_ERR_DENIED);
	REFUSED(ptm_pt_free(SELF, h, pmd), SBI_ERR_DENIED);
	CHECK_EQ(pt_set(h, slot(root, 0), 0), link_to(pmd));
	REFUSED(ptm_pt_free(SELF, h, pmd), SBI_ERR_DENIED); /* links pte */
	REFUSED(ptm_pt_free(SELF, h, pte), SBI_ERR_DENIED);
	/* A V=0 value that looks like a link is not a link. */
	CHECK_EQ(pt_modify(h, slot(pmd, 0), V, 0), link_to(pte));
	pt_set(h, slot(pte, 9), leaf(PT_USER, R | W | U));
	CHECK_EQ(pt_stats(h).leaf_entries, 1);
	pt_free(h, pte);
	CHECK_EQ(pt_stats(h).leaf_entries, 0);
	CHECK_EQ(pt_stats(h).leaf_pages, 0);
	pt_free(h, pmd);
	CHECK(pt_page_zero(pmd) && pt_page_zero(pte));
	/* Double free. */
	REFUSED(ptm_pt_free(SELF, h, pte), SBI_ERR_INVALID_PARAM);
	REFUSED(ptm_pt_free(SELF, h, pmd), SBI_ERR_INVALID_PARAM);
	pt_free(h, spare);
	pt_free(h2, other);
	CHECK_EQ(pt_free_pages(), PT_POOL_PAGES - 2);
}

static void test_destroy(void)
{
	unsigned long h, bad[8], pa = 0;
	uint64_t root, pmd, pte, old = 0;
	unsigned long before;

	pt_setup();
	before = pt_free_pages();
	h = pt_create();
	root = SECMON_HANDLE_ROOT_PA(PT_POOL, h);
	pte = pt_chain(h, &pmd);
	pt_set(h, slot(pte, 1), leaf(PT_USER, R | U));
	pt_set(h, slot(pmd, 5), leaf(PT_USER, R | U));
	pt_set(h, slot(root, 3), leaf(PT_HIGH, R | U));
	bad_handles(bad, h);
	for (int i = 0; i < 8; i++) {
		REFUSED(ptm_as_destroy(SELF, bad[i]), SBI_ERR_INVALID_PARAM);
	}
	pt_destroy(h);
	CHECK_EQ(pt_free_pages(), before);
	CHECK(pt_page_zero(root) && pt_page_zero(pmd) && pt_page_zero(pte));
	CHECK_EQ(pt_stats(SECMON_STATS_GLOBAL).live_as, 0);
	CHECK_EQ(pt_stats(SECMON_STATS_GLOBAL).quarantine_pages, 3);
	/* The handle is dead for every call. */
	REFUSED(ptm_as_destroy(SELF, h), SBI_ERR_INVALID_PARAM);
	REFUSED(ptm_pt_alloc(SELF, h, 0, &pa), SBI_ERR_INVALID_PARAM);
	REFUSED(ptm_pte_set(SELF, h, slot(root, 0), 0, &old),
		SBI_ERR_INVALID_PARAM);
	REFUSED(ptm_pte_modify(SELF, h, slot(root, 0), 0, 0, &old),
		SBI_ERR_INVALID_PARAM);
	REFUSED(ptm_pt_free(SELF, h, pte), SBI_ERR_INVALID_PARAM);
	REFUSED(ptm_stats(SELF, h, PT_BUF), SBI_ERR_INVALID_PARAM);
	REFUSED(ptm_batch(SELF, h, PT_BUF, 0, &pa), SBI_ERR_INVALID_PARAM);
}

static void test_destroy_refused_while_in_satp(void)
{
	unsigned long h, h2;
	uint64_t root, out = 0;

	pt_setup();
	h = pt_create();
	h2 = pt_create();
	root = SECMON_HANDLE_ROOT_PA(PT_POOL, h);
	pt_chain(h, NULL);
	/* Hart 2 runs it, with an ASID. */
	CHECK_EQ(ptm_satp_write(2, SATP(root) | (5UL << 44), &out),
		 SBI_SUCCESS);
	CHECK_EQ(out, SATP(root) | (5UL << 44));
	REFUSED(ptm_as_destroy(SELF, h), SBI_ERR_DENIED);
	pt_destroy(h2); /* others are not affected */
	/* Hart 2 moves to another root: still refused if hart 3 runs it. */
	CHECK_EQ(ptm_satp_write(3, SATP(root), &out), SBI_SUCCESS);
	CHECK_EQ(ptm_satp_write(2, SATP(PT_SWAPPER), &out), SBI_SUCCESS);
	REFUSED(ptm_as_destroy(SELF, h), SBI_ERR_DENIED);
	/* A hart that starts has satp = 0 (HSM). */
	ptm_satp_note(3, 0);
	pt_destroy(h);
}

static void test_zombie(void)
{
	unsigned long h, h2, pa = 0, before;
	uint64_t root, pmd, pte, lone, lone2, old = 0;
	struct secmon_stats s;

	pt_setup();
	before = pt_free_pages();
	h = pt_create();
	root = SECMON_HANDLE_ROOT_PA(PT_POOL, h);
	pte = pt_chain(h, &pmd);
	lone = pt_alloc(h, 0); /* never linked */
	lone2 = pt_alloc(h, 1); /* linked, then unlinked (RCU-deferred) */
	pt_set(h, slot(root, 9), link_to(lone2));
	pt_set(h, slot(lone, 4), leaf(PT_USER, R | W | U));
	pt_set(h, slot(lone2, 4), leaf(PT_USER, R | U));
	pt_set(h, slot(root, 9), 0);
	pt_destroy(h);

	/* Root and linked tables are gone; the unlinked two remain. */
	CHECK(pt_page_zero(root) && pt_page_zero(pmd) && pt_page_zero(pte));
	CHECK_EQ(pt_free_pages(), before - 2);
	s = pt_stats(SECMON_STATS_GLOBAL);
	CHECK_EQ(s.zombie_as, 1);
	CHECK_EQ(s.live_as, 0);
	CHECK_EQ(s.table_pages_all, 2);
	CHECK_EQ(s.root_pages, 0);
	CHECK_EQ(pt_read(slot(lone, 4)), leaf(PT_USER, R | W | U) | A);

	/* A zombie accepts PT_FREE only. */
	REFUSED(ptm_pt_alloc(SELF, h, 0, &pa), SBI_ERR_INVALID_PARAM);
	REFUSED(ptm_pte_set(SELF, h, slot(lone, 4), 0, &old),
		SBI_ERR_INVALID_PARAM);
	REFUSED(ptm_pte_modify(SELF, h, slot(lone, 4), ~0UL, 0, &old),
		SBI_ERR_INVALID_PARAM);
	pt_write(PT_BUF, SECMON_BATCH_OP_SET);
	pt_write(PT_BUF + 8, slot(lone, 4));
	REFUSED(ptm_batch(SELF, h, PT_BUF, 1, &pa), SBI_ERR_INVALID_PARAM);
	REFUSED(ptm_as_destroy(SELF, h), SBI_ERR_INVALID_PARAM);
	REFUSED(ptm_stats(SELF, h, PT_BUF), SBI_ERR_INVALID_PARAM);
	REFUSED(ptm_pt_free(SELF, h + (1UL << 32), lone),
		SBI_ERR_INVALID_PARAM);

	/* Another AS cannot free the zombie's tables. */
	h2 = pt_create();
	REFUSED(ptm_pt_free(SELF, h2, lone), SBI_ERR_INVALID_PARAM);
	CHECK(h2 != h);

	pt_free(h, lone);
	CHECK_EQ(pt_stats(SECMON_STATS_GLOBAL).zombie_as, 1);
	pt_free(h, lone2);
	s = pt_stats(SECMON_STATS_GLOBAL);
	CHECK_EQ(s.zombie_as, 0);
	CHECK_EQ(s.live_as, 1);
	pt_destroy(h2);
	CHECK_EQ(pt_free_pages(), before);
	/* The zombie's handle is stale now. */
	REFUSED(ptm_pt_free(SELF, h, lone), SBI_ERR_INVALID_PARAM);
}

/*
 * Linux's swapper maps its linear map with 1 GiB leaves in the kernel
 * half, which every root copies. Tearing a root down must not take them
 * for the AS's own leaves (it did: a zombie's books went wrong).
 */
/*
 * An unlinked PMD that still links a PTE table when its AS is destroyed:
 * the links are cut, so both pages can be freed, in either order, and the
 * zombie ends (it used to be pinned forever).
 */
static void test_zombie_leftover_links(void)
{
	unsigned long h, before;
	uint64_t root, pmd, pte;

	pt_setup();
	before = pt_free_pages();
	h = pt_create();
	root = SECMON_HANDLE_ROOT_PA(PT_POOL, h);
	pte = pt_chain(h, &pmd);
	pt_set(h, slot(pte, 3), leaf(PT_USER, R | U));
	pt_set(h, slot(root, 0), 0); /* unlink the PMD, which links the PTE */
	pt_destroy(h);
	CHECK_EQ(pt_stats(SECMON_STATS_GLOBAL).zombie_as, 1);
	CHECK_EQ(pt_read(slot(pmd, 0)), 0);
	pt_free(h, pte); /* the child first: no longer linked */
	CHECK_EQ(pt_stats(SECMON_STATS_GLOBAL).zombie_as, 1);
	pt_free(h, pmd);
	CHECK_EQ(pt_stats(SECMON_STATS_GLOBAL).zombie_as, 0);
	CHECK_EQ(pt_free_pages(), before);
}

static void test_zombie_kernel_leaves(void)
{
	unsigned long h;
	uint64_t lone;
	struct secmon_stats s;

	pt_setup();
	h = pt_create();
	s = pt_stats(h);
	CHECK_EQ(s.leaf_entries, 0);
	CHECK_EQ(s.pages_level[2], 1);
	lone = pt_alloc(h, 0);
	pt_set(h, slot(lone, 0), leaf(PT_USER, R | U));
	pt_destroy(h);
	CHECK_EQ(ptm.as[ptm.page[(lone - PT_POOL) >> 12].owner].leaf_entries,
		 1);
	pt_free(h, lone);
}

/* Slot reuse must not let an old handle name the new address space. */
static void test_stale_handles(void)
{
	unsigned long h1, h2, h3, h4, pa = 0;
	uint64_t t1, old = 0;

	pt_boot(PT_POOL, 4);
	pt_lock();
	/* Same slot, same root page. */
	h1 = pt_create();
	pt_destroy(h1);
	h2 = pt_create();
	CHECK(h2 != h1);
	REFUSED(ptm_pt_alloc(SELF, h1, 0, &pa), SBI_ERR_INVALID_PARAM);
	REFUSED(
	    ptm_pte_set(SELF, h1, SECMON_HANDLE_ROOT_PA(PT_POOL, h2), 0, &old),
	    SBI_ERR_INVALID_PARAM);
	pt_destroy(h2);

	/* A zombie holds slot and root index; the root page is reused by
	 * an AS in another slot once the quarantine is flushed. */
	pt_boot(PT_POOL, 4);
	pt_lock();
	h1 = pt_create();
	t1 = pt_alloc(h1, 0);
	pt_destroy(h1); /* zombie: t1 left */
	h2 = pt_create();
	pt_alloc(h2, 0); /* pool now empty but quarantine */
	h3 = pt_create(); /* flush: h1's old root page */
	CHECK_EQ(SECMON_HANDLE_ROOT_INDEX(h3), SECMON_HANDLE_ROOT_INDEX(h1));
	CHECK(h3 != h1);
	CHECK(h3 != h2);
	pt_free(h1, t1); /* the zombie goes */
	REFUSED(ptm_pt_alloc(SELF, h1, 0, &pa), SBI_ERR_INVALID_PARAM);
	REFUSED(ptm_as_destroy(SELF, h1), SBI_ERR_INVALID_PARAM);
	pt_destroy(h3);
	h4 = pt_create();
	CHECK(h4 != h1 && h4 != h2 && h4 != h3);
}

static void test_slot_exhaustion(void)
{
	unsigned long h = 0, pa = 0;

	/* Every page a root: the pool runs out, not the slots. */
	pt_boot(PT_POOL, 8);
	pt_lock();
	CHECK_EQ(ptm_max_spaces(), 8);
	for (int i = 0; i < 8; i++) {
		CHECK_EQ(ptm_as_create(SELF, &h), SBI_SUCCESS);
	}
	REFUSED(ptm_as_create(SELF, &pa), SBI_ERR_NO_SHMEM);

	/* More pages than slots (what a page record's owner can name): the
	 * pool lives in high RAM. */
	pt_boot(PT_HIGH, PTM_MAX_SLOTS + 4UL);
	pt_lock();
	for (unsigned i = 0; i < PTM_MAX_SLOTS; i++) {
		CHECK_EQ(ptm_as_create(SELF, &h), SBI_SUCCESS);
	}
	CHECK_EQ(pt_free_pages(), 4);
	REFUSED(ptm_as_create(SELF, &pa), SBI_ERR_NO_SHMEM);
	CHECK_PTM_OK();
	CHECK_EQ(pt_stats(SECMON_STATS_GLOBAL).live_as, PTM_MAX_SLOTS);
	/* A freed slot is usable again. */
	CHECK_EQ(ptm_as_destroy(SELF, h), SBI_SUCCESS);
	CHECK_EQ(ptm_as_create(SELF, &pa), SBI_SUCCESS);
	CHECK(pa != h);
	CHECK_PTM_OK();
}

static void satp_refused(unsigned long hart, uint64_t value)
{
	uint64_t out = 0x5a5a;
	uint64_t before = ptm.satp_refused;
	uint64_t was = ptm.hart_satp[hart];

	/* Refused satp writes have their own counter. */
	REFUSED_UNCOUNTED(ptm_satp_write(hart, value, &out), SBI_ERR_DENIED);
	CHECK_EQ(ptm.satp_refused, before + 1);
	CHECK_EQ(ptm.hart_satp[hart], was);
	CHECK_EQ(out, 0x5a5a);
}

static void satp_ok(unsigned long hart, uint64_t value)
{
	uint64_t out = 0;

	CHECK_EQ(ptm_satp_write(hart, value, &out), SBI_SUCCESS);
	CHECK_EQ(out, value);
	CHECK_EQ(ptm.hart_satp[hart], value);
}

static void test_satp(void)
{
	unsigned long h, h2;
	uint64_t root, t, lone;
	struct secmon_stats s;

	pt_boot(PT_POOL, PT_POOL_PAGES);
	/* Before LOCK the kernel is trusted: anything goes. */
	satp_ok(1, 0);
	satp_ok(1, SATP_SV48 | 0x80000);
	pt_lock();
	h = pt_create();
	h2 = pt_create();
	root = SECMON_HANDLE_ROOT_PA(PT_POOL, h);
	t = pt_chain(h, NULL);
	lone = pt_alloc(h2, 1);

	satp_ok(1, SATP(PT_SWAPPER));
	satp_ok(2, SATP(PT_TRAMP) | (0xffffUL << 44));
	satp_ok(3, SATP(root) | (1UL << 44));
	satp_ok(0, SATP(SECMON_HANDLE_ROOT_PA(PT_POOL, h2)));
	satp_refused(1, 0); /* bare */
	satp_refused(1, PT_SWAPPER >> 12); /* bare, with a PPN */
	satp_refused(1, SATP_SV48 | (PT_SWAPPER >> 12));
	satp_refused(1, SATP_SV57 | (root >> 12));
	satp_refused(1, (15UL << 60) | (root >> 12));
	satp_refused(1, SATP(t)); /* a table, not a root */
	satp_refused(1, SATP(lone));
	satp_refused(1, SATP(PT_POOL + (PT_POOL_PAGES - 1) * PTM_PAGE_SIZE));
	satp_refused(1, SATP(PT_USER)); /* unregistered */
	satp_refused(1, SATP(PT_SWAPPER + 0x1000000)); /* not RAM */
	satp_refused(1, SATP(PT_KSTART));

	/* A destroyed AS's root is refused from then on. */
	satp_ok(0, SATP(PT_SWAPPER));
	pt_destroy(h2);
	satp_refused(1, SATP(SECMON_HANDLE_ROOT_PA(PT_POOL, h2)));

	s = pt_stats(SECMON_STATS_GLOBAL);
	CHECK_EQ(s.satp_writes, 7);
	CHECK_EQ(s.satp_refused, 12);
	CHECK_EQ(s.refused, 0);
}

static void test_stats(void)
{
	struct secmon_stats s;
	unsigned long h, h2;
	uint64_t root, pmd, pte;

	pt_setup();
	h = pt_create();
	h2 = pt_create();
	root = SECMON_HANDLE_ROOT_PA(PT_POOL, h);
	pte = pt_chain(h, &pmd);
	pt_alloc(h, 0);
	pt_set(h, slot(pte, 0), leaf(PT_USER, R | U));
	pt_set(h, slot(pte, 1), leaf(PT_USER + 0x1000, R | W | U));
	pt_set(h, slot(pte, 2), 0x3000 | G | R); /* PAGE_NONE: not a leaf */
	pt_set(h, slot(pmd, 3), leaf(PT_USER, R | X | U)); /* 2 MiB */
	pt_set(h, slot(root, 4), leaf(PT_HIGH, R | U)); /* 1 GiB */
	ptm_count_sfence();
	ptm_count_sfence();

	s = pt_stats(h);
	CHECK_EQ(s.pages_level[2], 1);
	CHECK_EQ(s.pages_level[1], 1);
	CHECK_EQ(s.pages_level[0], 2);
	CHECK_EQ(s.table_pages, 4);
	CHECK_EQ(s.leaf_entries, 4);
	CHECK_EQ(s.leaf_pages, 2 + 512 + 262144);
	CHECK_EQ(s.user_leaf_pages, 2 + 512 + 262144);
	CHECK_EQ(s.zombie, 0);
	CHECK_EQ(s.pool_pages, 0);
	CHECK_EQ(s.calls, 0);
	CHECK_EQ(s.free_pages, 0);
	s = pt_stats(h2);
	CHECK_EQ(s.table_pages, 1);
	CHECK_EQ(s.leaf_entries, 0);

	/* Replacing a leaf, and a 2 MiB leaf by a link. */
	pt_set(h, slot(pte, 1), leaf(PT_USER + 0x2000, R | U));
	CHECK_EQ(pt_stats(h).leaf_entries, 4);
	pt_set(h, slot(pmd, 3), 0);
	s = pt_stats(h);
	CHECK_EQ(s.leaf_entries, 3);
	CHECK_EQ(s.leaf_pages, 2 + 262144);

	s = pt_stats(SECMON_STATS_GLOBAL);
	CHECK_EQ(s.pages_level[0] + s.pages_level[1] + s.pages_level[2], 0);
	CHECK_EQ(s.table_pages + s.leaf_entries + s.leaf_pages, 0);
	CHECK_EQ(s.pool_pages, PT_POOL_PAGES);
	CHECK_EQ(s.free_pages, PT_POOL_PAGES - 5);
	CHECK_EQ(s.quarantine_pages, 0);
	CHECK_EQ(s.root_pages, 2);
	CHECK_EQ(s.table_pages_all, 3);
	CHECK_EQ(s.live_as, 2);
	CHECK_EQ(s.zombie_as, 0);
	/* LOCK, 2 creates, 3 allocs, 9 sets; STATS is not counted */
	CHECK_EQ(s.calls, 15);
	CHECK_EQ(s.refused, 0);
	CHECK_EQ(s.sfence_emulated, 2);
	CHECK_EQ(s.flushes, 0);
	/* Exactly 21 words were written. */
	CHECK_EQ(pt_read(PT_STATS_SCRATCH + sizeof(s)), 0);
}

static void test_stats_refusals(void)
{
	static const uint64_t bad_buf[] = {
	    PT_BUF + 4,
	    PT_BUF + 1,
	    PT_POOL,
	    PT_POOL - 8, /* runs into the pool */
	    PT_POOL + PT_POOL_PAGES * PTM_PAGE_SIZE - 8,
	    TEST_MON_BASE + 0x1000,
	    TEST_MON_BASE + TEST_MON_SIZE - 8, /* runs out of it */
	    PT_RAM_END - 8, /* runs out of RAM */
	    PT_RAM_END,
	    0x1000,
	    0x10000000,
	    ~0UL - 7, /* wraps */
	    PT_SWAPPER, /* locked kernel roots */
	    PT_TRAMP + 0x800,
	    PT_SWAPPER - 8,
	};
	unsigned long h;

	pt_setup();
	h = pt_create();
	memset(fake_ram(PT_BUF, 256), 0xee, 256);
	for (size_t i = 0; i < sizeof(bad_buf) / sizeof(bad_buf[0]); i++) {
		REFUSED(ptm_stats(SELF, h, bad_buf[i]),
			SBI_ERR_INVALID_ADDRESS);
		REFUSED(ptm_stats(SELF, SECMON_STATS_GLOBAL, bad_buf[i]),
			SBI_ERR_INVALID_ADDRESS);
	}
	REFUSED(ptm_stats(SELF, h + 1, PT_BUF), SBI_ERR_INVALID_PARAM);
	REFUSED(ptm_stats(SELF, 0, PT_BUF), SBI_ERR_INVALID_PARAM);
	REFUSED(ptm_stats(SELF, ~1UL, PT_BUF), SBI_ERR_INVALID_PARAM);
	/* High RAM is RAM. */
	CHECK_EQ(ptm_stats(SELF, h, PT_HIGH + 0x1000), SBI_SUCCESS);
	CHECK_EQ(pt_read(PT_HIGH + 0x1000 + 16), 1); /* pages_level[2] */
}

/* The SBI extension decodes arguments and hides values on error. */
static void fence_va_after_store(unsigned long h)
{
	uint64_t root = SECMON_HANDLE_ROOT_PA(PT_POOL, h);
	uint64_t pmd = pt_alloc(h, 1);
	struct fake_hart_state *me = fake_hart_state(0);
	unsigned long fences = me->sfence_va;
	struct sbi_ret r;

	r = ecall(SECMON_EXT_PTM, SECMON_PTM_PTE_SET, h, slot(root, 256), 0,
		  0x40000000UL, 0);
	CHECK_EQ(r.error, SBI_ERR_DENIED);
	CHECK_EQ(me->sfence_va, fences);
	r = ecall(SECMON_EXT_PTM, SECMON_PTM_PTE_SET, h, slot(root, 1),
		  link_to(pmd), 0x40000000UL, 0);
	CHECK_EQ(r.error, 0);
	CHECK_EQ(me->sfence_va, fences + 1);
	CHECK_EQ(me->last_va, 0x40000000UL);
	r = ecall(SECMON_EXT_PTM, SECMON_PTM_PTE_SET, h, slot(root, 1), 0, 0,
		  0);
	CHECK_EQ(r.error, 0);
	CHECK_EQ(me->sfence_va, fences + 1);
}

/* Trace mode counts events per kind and prints the non-zero kinds. */
static void test_trace_dump(void)
{
	pt_setup();
	CHECK_EQ(ecall(SECMON_EXT_PTM, SECMON_PTM_TRACE, 5, PT_POOL, 0x2, 0, 0)
		     .error,
		 0);
	CHECK_EQ(
	    ecall(SECMON_EXT_PTM, SECMON_PTM_TRACE, 5, PT_USER, 0, 0, 0).error,
	    0);
	CHECK_EQ(ecall(SECMON_EXT_PTM, SECMON_PTM_TRACE, SECMON_TRACE_KINDS, 0,
		       0, 0, 0)
		     .error,
		 SBI_ERR_INVALID_PARAM);
	fake_console_clear();
	CHECK_EQ(
	    ecall(SECMON_EXT_PTM, SECMON_PTM_TRACE_DUMP, 0, 0, 0, 0, 0).error,
	    0);
	CHECK_CONTAINS(fake_console_text(), "kind count nonzero-V=0 in-pool");
	CHECK_CONTAINS(fake_console_text(), "trace:  5          2          1"
					    "          1");
}

static void test_sbi_decoding(void)
{
	struct sbi_ret r;
	unsigned long h;

	pt_setup();
	r = ecall(SECMON_EXT_PTM, SECMON_PTM_INFO, SECMON_INFO_VERSION, 0, 0, 0,
		  0);
	CHECK_EQ(r.error, 0);
	CHECK_EQ(r.value, SECMON_ABI_VERSION);
	r = ecall(SECMON_EXT_PTM, SECMON_PTM_AS_CREATE, 0, 0, 0, 0, 0);
	CHECK_EQ(r.error, 0);
	h = r.value;
	r = ecall(SECMON_EXT_PTM, SECMON_PTM_PT_ALLOC, h, 0, 0, 0, 0);
	CHECK_EQ(r.error, 0);
	CHECK(ptm_in_pool(r.value, PTM_PAGE_SIZE));
	r = ecall(SECMON_EXT_PTM, SECMON_PTM_PTE_SET, h,
		  SECMON_HANDLE_ROOT_PA(PT_POOL, h) + 256 * 8, 0, 0, 0);
	CHECK_EQ(r.error, SBI_ERR_DENIED);
	CHECK_EQ(r.value, 0);
	/* a3 fences that VA on this hart, after a store that was done only. */
	fence_va_after_store(h);
	r = ecall(SECMON_EXT_PTM, SECMON_PTM_CHECK, 0, 0, 0, 0, 0);
	CHECK_EQ(r.error, 0);
	r = ecall(SECMON_EXT_PTM, 99, 0, 0, 0, 0, 0);
	CHECK_EQ(r.error, SBI_ERR_NOT_SUPPORTED);
	r = ecall(SECMON_EXT_PTM, ~0UL, 0, 0, 0, 0, 0);
	CHECK_EQ(r.error, SBI_ERR_NOT_SUPPORTED);
	r = ecall(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, SECMON_EXT_PTM, 0, 0, 0, 0);
	CHECK_EQ(r.value, 1);
	/* Corruption is reported through CHECK, with a message. */
	ptm.page[(h & 0xffffffff)].count++;
	fake_console_clear();
	r = ecall(SECMON_EXT_PTM, SECMON_PTM_CHECK, 0, 0, 0, 0, 0);
	CHECK_EQ(r.error, SBI_ERR_FAILED);
	CHECK_CONTAINS(fake_console_text(), "ptm invariant violated");
	ptm.page[(h & 0xffffffff)].count--;
}

int main(void)
{
	RUN(test_init_args);
	RUN(test_records_size);
	RUN(test_info);
	RUN(test_lock_refusals);
	RUN(test_lock_hole);
	RUN(test_lock_without_pool);
	RUN(test_root_kernel_half);
	RUN(test_exhaustion);
	RUN(test_quarantine);
	RUN(test_quarantine_lazy);
	RUN(test_pt_alloc_refusals);
	RUN(test_pt_free_rules);
	RUN(test_destroy);
	RUN(test_destroy_refused_while_in_satp);
	RUN(test_zombie);
	RUN(test_zombie_kernel_leaves);
	RUN(test_zombie_leftover_links);
	RUN(test_stale_handles);
	RUN(test_slot_exhaustion);
	RUN(test_satp);
	RUN(test_stats);
	RUN(test_stats_refusals);
	RUN(test_trace_dump);
	RUN(test_sbi_decoding);
	return test_finish();
}
