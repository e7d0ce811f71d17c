// SPDX-License-Identifier: BSD-2-Clause
/* The page-table manager tests' fixed machine and checked helpers; see
 * test_ptm.h. */
#include "test_ptm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <secmon/sbi.h>

struct pt_snap {
	uint8_t *pool;
	size_t pool_len;
	struct ptm_db db;
	struct ptm_page *page; /* the page records, [npages] */
	struct ptm_as *as; /* the slots, [nslots] */
	uint8_t roots[2][PTM_PAGE_SIZE];
	uint8_t buf[PT_BUF_SIZE - PTM_PAGE_SIZE]; /* all but the scratch */
	struct secmon_stats stats;
	unsigned long flushes[FAKE_HARTS], locks[FAKE_HARTS];
	unsigned long unlocks[FAKE_HARTS];
	bool roots_locked[2]; /* memmap lists the roots */
};

void pt_snap_expect_protect(struct pt_snap *s)
{
	s->locks[SELF]++;
	s->unlocks[SELF]++;
}

static void fill_root(uint64_t pa, uint64_t kleaf)
{
	uint64_t *t = fake_ram(pa, PTM_PAGE_SIZE);

	memset(t, 0, PTM_PAGE_SIZE);
	t[PT_KSLOT_LEAF] = kleaf;
	t[PT_KSLOT_LINK] = link_to(PT_KSTART + 0x1000);
}

uint64_t pt_records_base(uint64_t base, unsigned long npages)
{
	uint64_t size = npages * PTM_PAGE_SIZE;
	uint64_t rsize = ptm_records_size(size, NULL);

	if (base == PT_HIGH) {
		return (base + size + rsize - 1) & ~(rsize - 1);
	}
	return (base - rsize) & ~(rsize - 1);
}

void pt_boot(uint64_t base, unsigned long npages)
{
	uint64_t size = npages * PTM_PAGE_SIZE;

	test_boot("virt-4hart", 0);
	plat.mem[1] = (struct plat_mem){PT_HIGH, FAKE_HIGH_RAM_SIZE};
	plat.nmem = 2;
	CHECK_EQ(memmap_add_ram(PT_HIGH, FAKE_HIGH_RAM_SIZE), 0);
	fill_root(PT_SWAPPER, leaf(0x80000000UL, R | W | G | A | D));
	fill_root(PT_TRAMP, leaf(0x80000000UL, R | X | G | A));
	CHECK_EQ(ptm_init(base, size, pt_records_base(base, npages),
			  ptm_records_size(size, NULL)),
		 0);
}

void pt_lock(void)
{
	fake_hart_state(SELF)->satp = SATP(PT_SWAPPER);
	CHECK_EQ(
	    ptm_lock_kernel(SELF, PT_SWAPPER, PT_TRAMP, PT_KSTART, PT_KEND),
	    SBI_SUCCESS);
	CHECK_PTM_OK();
}

void pt_setup(void)
{
	pt_boot(PT_POOL, PT_POOL_PAGES);
	CHECK_EQ(memmap_records().base, PT_RECORDS);
	pt_lock();
}

void pt_check_ok(const char *file, int line)
{
	char msg[160];
	long rc = ptm_check(SELF, msg, sizeof(msg));

	test_check_eq((unsigned long long)rc, 0, file, line, "ptm_check()",
		      "0");
	if (rc) {
		fprintf(stderr, "    ptm_check: %s\n", msg);
	}
}

unsigned long pt_create(void)
{
	unsigned long h = 0;

	CHECK_EQ(ptm_as_create(SELF, &h), SBI_SUCCESS);
	CHECK(h != 0);
	CHECK_PTM_OK();
	return h;
}

uint64_t pt_alloc(unsigned long h, unsigned long level)
{
	unsigned long pa = 0;

	CHECK_EQ(ptm_pt_alloc(SELF, h, level, &pa), SBI_SUCCESS);
	CHECK_PTM_OK();
	return pa;
}

uint64_t pt_set(unsigned long h, uint64_t pte_pa, uint64_t val)
{
	uint64_t old = ~0UL;

	CHECK_EQ(ptm_pte_set(SELF, h, pte_pa, val, &old), SBI_SUCCESS);
	CHECK_PTM_OK();
	return old;
}

uint64_t pt_modify(unsigned long h, uint64_t pte_pa, uint64_t clear,
		   uint64_t set)
{
	uint64_t old = ~0UL;

	CHECK_EQ(ptm_pte_modify(SELF, h, pte_pa, clear, set, &old),
		 SBI_SUCCESS);
	CHECK_PTM_OK();
	return old;
}

void pt_free(unsigned long h, uint64_t pt_pa)
{
	CHECK_EQ(ptm_pt_free(SELF, h, pt_pa), SBI_SUCCESS);
	CHECK_PTM_OK();
}

void pt_destroy(unsigned long h)
{
	CHECK_EQ(ptm_as_destroy(SELF, h), SBI_SUCCESS);
	CHECK_PTM_OK();
}

struct secmon_stats pt_stats(unsigned long h)
{
	struct secmon_stats s;

	CHECK_EQ(ptm_stats(SELF, h, PT_STATS_SCRATCH), SBI_SUCCESS);
	memcpy(&s, fake_ram(PT_STATS_SCRATCH, sizeof(s)), sizeof(s));
	return s;
}

uint64_t pt_chain(unsigned long h, uint64_t *pmd_out)
{
	uint64_t root = SECMON_HANDLE_ROOT_PA(ptm_pool_base(), h);
	uint64_t pmd = pt_alloc(h, SECMON_LEVEL_PMD);
	uint64_t pte = pt_alloc(h, SECMON_LEVEL_PTE);

	CHECK_EQ(pt_set(h, slot(root, 0), link_to(pmd)), 0);
	CHECK_EQ(pt_set(h, slot(pmd, 0), link_to(pte)), 0);
	if (pmd_out) {
		*pmd_out = pmd;
	}
	return pte;
}

uint64_t pt_read(uint64_t pa)
{
	return *(uint64_t *)fake_ram(pa, 8);
}

void pt_write(uint64_t pa, uint64_t val)
{
	*(uint64_t *)fake_ram(pa, 8) = val;
}

unsigned long pt_free_pages(void)
{
	unsigned long v = 0;

	CHECK_EQ(ptm_info(SECMON_INFO_FREE_PAGES, &v), SBI_SUCCESS);
	return v;
}

bool pt_page_zero(uint64_t pa)
{
	const uint64_t *t = fake_ram(pa, PTM_PAGE_SIZE);

	for (int i = 0; i < 512; i++) {
		if (t[i]) {
			return false;
		}
	}
	return true;
}

/* The counters a refused call may move; everything else must not. */
static void forget_counters(struct ptm_db *db)
{
	db->calls = 0;
	db->refused = 0;
	db->satp_refused = 0;
	/* ptm_check's scratch (its arrays are left out of the snapshot). */
	db->tally.nfree = 0;
	db->tally.nquarantine = 0;
}

static void *copy_of(const void *src, size_t len)
{
	void *p = malloc(len ? len : 1);

	if (!p) {
		abort();
	}
	if (len) {
		memcpy(p, src, len);
	}
	return p;
}

static void global_stats(struct secmon_stats *s)
{
	CHECK_EQ(ptm_stats(SELF, SECMON_STATS_GLOBAL, PT_STATS_SCRATCH),
		 SBI_SUCCESS);
	memcpy(s, fake_ram(PT_STATS_SCRATCH, sizeof(*s)), sizeof(*s));
	s->calls = 0;
	s->refused = 0;
	s->satp_refused = 0;
}

struct pt_snap *pt_snap_take(void)
{
	struct pt_snap *s = calloc(1, sizeof(*s));

	if (!s) {
		abort();
	}
	s->pool_len = ptm_pool_size();
	s->pool =
	    copy_of(s->pool_len ? fake_ram(ptm_pool_base(), s->pool_len) : NULL,
		    s->pool_len);
	memcpy(&s->db, &ptm, sizeof(ptm));
	s->page = copy_of(ptm.page, ptm.npages * sizeof(*ptm.page));
	s->as = copy_of(ptm.as, ptm.nslots * sizeof(*ptm.as));
	memcpy(s->roots[0], fake_ram(PT_SWAPPER, PTM_PAGE_SIZE), PTM_PAGE_SIZE);
	memcpy(s->roots[1], fake_ram(PT_TRAMP, PTM_PAGE_SIZE), PTM_PAGE_SIZE);
	memcpy(s->buf, fake_ram(PT_BUF, sizeof(s->buf)), sizeof(s->buf));
	global_stats(&s->stats);
	for (unsigned h = 0; h < FAKE_HARTS; h++) {
		s->flushes[h] = fake_hart_state(h)->ptm_flushes;
		s->locks[h] = fake_hart_state(h)->ptm_locks;
		s->unlocks[h] = fake_hart_state(h)->ptm_unlocks;
	}
	s->roots_locked[0] = memmap_in_kernel_root(PT_SWAPPER, 8);
	s->roots_locked[1] = memmap_in_kernel_root(PT_TRAMP, 8);
	return s;
}

static bool hooks_same(const struct pt_snap *s)
{
	for (unsigned h = 0; h < FAKE_HARTS; h++) {
		if (s->flushes[h] != fake_hart_state(h)->ptm_flushes ||
		    s->locks[h] != fake_hart_state(h)->ptm_locks ||
		    s->unlocks[h] != fake_hart_state(h)->ptm_unlocks) {
			return false;
		}
	}
	return true;
}

/* The address-space records equal the snapshot's, but for their locks'
 * ticket counters (every call takes and releases one); each lock must be
 * free again. */
static bool as_same(const struct ptm_as *snap)
{
	for (uint32_t i = 0; i < ptm.nslots; i++) {
		struct ptm_as a = ptm.as[i], b = snap[i];

		if (a.lock.next != a.lock.owner) {
			return false;
		}
		a.lock = b.lock = (struct ticket_lock){0, 0};
		if (memcmp(&a, &b, sizeof(a))) {
			return false;
		}
	}
	return true;
}

void pt_snap_check(struct pt_snap *s, unsigned long refused, const char *file,
		   int line)
{
	static struct ptm_db now;
	struct secmon_stats st;
	uint64_t refused_before = s->db.refused;

	test_check(!s->pool_len ||
		       !memcmp(s->pool, fake_ram(ptm_pool_base(), s->pool_len),
			       s->pool_len),
		   file, line, "pool bytes unchanged");
	test_check_eq(ptm.refused - refused_before, refused, file, line,
		      "refusals counted", "expected");
	memcpy(&now, &ptm, sizeof(ptm));
	forget_counters(&now);
	forget_counters(&s->db);
	test_check(!memcmp(&now, &s->db, sizeof(now)), file, line,
		   "page database unchanged");
	test_check(!ptm.npages || (!memcmp(ptm.page, s->page,
					   ptm.npages * sizeof(*ptm.page)) &&
				   as_same(s->as)),
		   file, line, "page records and address spaces unchanged");
	test_check(!memcmp(s->roots[0], fake_ram(PT_SWAPPER, PTM_PAGE_SIZE),
			   PTM_PAGE_SIZE) &&
		       !memcmp(s->roots[1], fake_ram(PT_TRAMP, PTM_PAGE_SIZE),
			       PTM_PAGE_SIZE),
		   file, line, "kernel roots unchanged");
	test_check(
	    !memcmp(s->buf, fake_ram(PT_BUF, sizeof(s->buf)), sizeof(s->buf)),
	    file, line, "OS buffers unchanged");
	global_stats(&st);
	test_check(!memcmp(&st, &s->stats, sizeof(st)), file, line,
		   "global STATS unchanged");
	test_check(hooks_same(s), file, line,
		   "flush and protect hooks ran as expected");
	test_check(s->roots_locked[0] == memmap_in_kernel_root(PT_SWAPPER, 8) &&
		       s->roots_locked[1] == memmap_in_kernel_root(PT_TRAMP, 8),
		   file, line, "memory map's kernel roots unchanged");
	pt_check_ok(file, line);
	free(s->pool);
	free(s->page);
	free(s->as);
	free(s);
}
