// SPDX-License-Identifier: BSD-2-Clause
/*
 * The page-table ABI from S-mode (docs/abi.md): every call's success path,
 * every refusal class with the state checked unchanged, PMP write faults,
 * satp enforcement, a U-mode round trip, exhaustion, and four harts at
 * once. Like Linux, the payload turns on Sv39 with its own "swapper" root
 * (kernel half: a gigapage mapping RAM at a high alias) before LOCK, and
 * runs the rest at that alias.
 */
#include <libfdt.h>
#include <string.h>

#include <secmon/abi.h>

#include "console.h"
#include "payload.h"

#define PG 4096UL
#define HIGH_BASE 0xFFFFFFFF80000000UL
#define RAM_ALIAS 0x80000000UL
#define SATP_SV39 (8UL << 60)
#define SATP_SV48 (9UL << 60)

unsigned long pl_voff; /* VA - PA of the running code: 0, then high */
unsigned long pl_user_ctx[17];
unsigned long pl_user_tval, pl_user_hstatus, pl_user_epc;

static uint64_t swapper[512] __attribute__((aligned(4096)));
static uint64_t tramp[512] __attribute__((aligned(4096)));
static uint64_t ucode[512] __attribute__((aligned(4096)));
static uint64_t dirty_root[512] __attribute__((aligned(4096)));
static struct secmon_stats st;
static struct secmon_batch_entry batch[SECMON_BATCH_MAX + 1];
extern char _payload_end[];
unsigned long pl_probe_satp(unsigned long v);
void pl_probe_sfence(void);

static unsigned long pool_base, pool_size, baseline_free;
static bool svpbmt; /* every hart has Svpbmt: read from the FDT in bare mode */
static bool harts_have_svpbmt(void);
/* Data pages for user leaves: RAM outside the payload image. */
static unsigned long data_pa;

#define PA(p) ((unsigned long)(p)-pl_voff)
#define VA(pa) ((volatile uint64_t *)((unsigned long)(pa) + pl_voff))

static unsigned long root_pa(unsigned long h)
{
	return SECMON_HANDLE_ROOT_PA(pool_base, h);
}

static struct secmon_stats *global_stats(void)
{
	ptm(SECMON_PTM_STATS, SECMON_STATS_GLOBAL, PA(&st), 0, 0);
	return &st;
}

/* Everything a refused call must leave alone. */
struct snap {
	uint64_t free, quarantine, roots, tables, live, zombie;
	uint64_t slot;
};

static struct snap snapshot(unsigned long slot_pa)
{
	struct secmon_stats *s = global_stats();

	return (struct snap){s->free_pages,
			     s->quarantine_pages,
			     s->root_pages,
			     s->table_pages_all,
			     s->live_as,
			     s->zombie_as,
			     slot_pa ? *VA(slot_pa) : 0};
}

static bool same(struct snap a, struct snap b)
{
	return !memcmp(&a, &b, sizeof(a));
}

/* Expect err from the call, and no change to the pool or to *slot_pa. */
#define REFUSE(call, err, slot_pa, name)                                       \
	do {                                                                   \
		struct snap _b = snapshot(slot_pa);                            \
		struct sbiret _r = (call);                                     \
		CHECK_EQ(_r.error, (err), name);                               \
		CHECK(same(_b, snapshot(slot_pa)), name); /* unchanged */      \
	} while (0)

static void find_pool(void)
{
	const void *fdt = pl_env.fdt;
	int node = fdt_node_offset_by_compatible(fdt, -1, "secmon,pt-pool");
	const fdt32_t *reg =
	    node >= 0 ? fdt_getprop(fdt, node, "reg", NULL) : NULL;

	if (reg) {
		pool_base = (unsigned long)fdt32_to_cpu(reg[0]) << 32 |
			    fdt32_to_cpu(reg[1]);
		pool_size = (unsigned long)fdt32_to_cpu(reg[2]) << 32 |
			    fdt32_to_cpu(reg[3]);
	}
	data_pa = pl_env.ram_base + 0x600000;
	svpbmt = harts_have_svpbmt();
}

void pl_ptm_find_pool(void)
{
	find_pool();
}

static void info_cases(void)
{
	CHECK_EQ(SBI1(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, SECMON_EXT_PTM).value,
		 1, "ptm/probe");
	CHECK(pool_size >= 1UL << 20 && pool_size <= 1UL << 30 &&
		  !(pool_size & (PG - 1)),
	      "ptm/pool-node-sane-size");
	pl_printf("payload: pool 0x%lx+0x%lx\n", pool_base, pool_size);
	CHECK_EQ(ptm(SECMON_PTM_INFO, SECMON_INFO_VERSION, 0, 0, 0).value,
		 SECMON_ABI_VERSION, "ptm/info-version");
	CHECK_EQ(ptm(SECMON_PTM_INFO, SECMON_INFO_POOL_BASE, 0, 0, 0).value,
		 pool_base, "ptm/info-pool-base-matches-fdt");
	CHECK_EQ(ptm(SECMON_PTM_INFO, SECMON_INFO_POOL_SIZE, 0, 0, 0).value,
		 pool_size, "ptm/info-pool-size-matches-fdt");
	baseline_free =
	    ptm(SECMON_PTM_INFO, SECMON_INFO_FREE_PAGES, 0, 0, 0).value;
	CHECK_EQ(baseline_free, pool_size / PG, "ptm/info-all-pages-free");
	CHECK_EQ(ptm(SECMON_PTM_INFO, SECMON_INFO_LOCKED, 0, 0, 0).value, 0,
		 "ptm/info-not-locked");
	CHECK_EQ(ptm(SECMON_PTM_INFO, 99, 0, 0, 0).error, SBI_ERR_INVALID_PARAM,
		 "ptm/info-unknown-field");
	CHECK_EQ(ptm(77, 0, 0, 0, 0).error, SBI_ERR_NOT_SUPPORTED,
		 "ptm/unknown-fid");
	CHECK_EQ(ptm(SECMON_PTM_AS_CREATE, 0, 0, 0, 0).error, SBI_ERR_DENIED,
		 "ptm/as-create-before-lock");
}

static struct sbiret lock(unsigned long sw, unsigned long tr)
{
	return ptm(SECMON_PTM_LOCK, sw, tr, 0x80200000UL, PA(_payload_end));
}

static void lock_cases(void)
{
	unsigned long sw = PA(swapper), tr = PA(tramp);

	CHECK(1, "lock/paging-on-at-high-alias");
	CHECK_EQ(lock(sw + 8, tr).error, SBI_ERR_INVALID_ADDRESS,
		 "lock/misaligned-root");
	CHECK_EQ(lock(pool_base, tr).error, SBI_ERR_INVALID_ADDRESS,
		 "lock/root-in-pool");
	CHECK_EQ(lock(pl_env.mon_base, tr).error, SBI_ERR_INVALID_ADDRESS,
		 "lock/root-in-monitor");
	CHECK_EQ(lock(0x1000, tr).error, SBI_ERR_INVALID_ADDRESS,
		 "lock/root-outside-ram");
	CHECK_EQ(lock(sw, PA(dirty_root)).error, SBI_ERR_INVALID_ADDRESS,
		 "lock/root-with-user-half-entries");
	CHECK_EQ(ptm(SECMON_PTM_LOCK, sw, tr, 0x80400000UL, 0x80200000UL).error,
		 SBI_ERR_INVALID_PARAM, "lock/kernel-range-backwards");
	CHECK_EQ(lock(sw, tr).error, 0, "lock/ok");
	CHECK_EQ(ptm(SECMON_PTM_INFO, SECMON_INFO_LOCKED, 0, 0, 0).value, 1,
		 "lock/info-locked");
	CHECK_EQ(lock(sw, tr).error, SBI_ERR_ALREADY_AVAILABLE,
		 "lock/one-shot");
}

/* A store the PMP must stop: cause 7, memory unchanged. */
static void store_faults(unsigned long pa, const char *name)
{
	uint64_t before = *VA(pa);
	struct pl_trap_record t;

	pl_expect_trap();
	pl_probe_store((unsigned long)VA(pa), before ^ 0xFF);
	t = pl_trap_result();
	CHECK_EQ(t.cause, 7, name);
	CHECK_EQ(*VA(pa), before, name);
}

static void satp_refused(unsigned long v, const char *name)
{
	struct pl_trap_record t;
	uint64_t before = global_stats()->satp_refused;

	pl_expect_trap();
	pl_probe_satp(v);
	t = pl_trap_result();
	CHECK_EQ(t.cause, 2, name);
	CHECK_EQ(global_stats()->satp_refused, before + 1, name);
}

static void enforcement_cases(unsigned long h)
{
	struct pl_trap_record t;
	unsigned long sw = SATP_SV39 | (PA(swapper) >> 12);
	unsigned long before;

	store_faults(pool_base, "pmp/store-pool-faults");
	store_faults(root_pa(h) + 8, "pmp/store-live-root-faults");
	store_faults(PA(swapper) + 510 * 8, "pmp/store-swapper-faults");
	store_faults(PA(tramp), "pmp/store-trampoline-faults");
	pl_expect_trap();
	pl_probe_load((unsigned long)VA(pool_base));
	CHECK_EQ(pl_trap_result().cause, -1, "pmp/pool-readable");
	satp_refused(0, "satp/bare-refused");
	satp_refused(SATP_SV48 | (PA(swapper) >> 12), "satp/sv48-refused");
	satp_refused(SATP_SV39 | (data_pa >> 12),
		     "satp/unregistered-root-refused");
	satp_refused(SATP_SV39 | ((pool_base + pool_size - PG) >> 12),
		     "satp/free-pool-page-refused");
	pl_expect_trap();
	CHECK_EQ(pl_probe_satp(SATP_SV39 | (PA(tramp) >> 12)), sw,
		 "satp/read-back");
	t = pl_trap_result();
	CHECK_EQ(t.cause, -1, "satp/trampoline-allowed");
	pl_probe_satp(SATP_SV39 | (root_pa(h) >> 12));
	CHECK(1, "satp/live-root-allowed");
	/* ASID is WARL: all ones in, what the hart keeps comes back. */
	pl_probe_satp(sw | (0xFFFFUL << 44));
	before = pl_probe_satp(sw);
	CHECK_EQ(before & ((1UL << 44) - 1), PA(swapper) >> 12,
		 "satp/asid-warl-keeps-root");
	CHECK(before >> 60 == 8, "satp/asid-warl-keeps-mode");
	before = global_stats()->sfence_emulated;
	pl_probe_sfence();
	CHECK(global_stats()->sfence_emulated > before, "tvm/sfence-emulated");
}

/* Builds root -> pmd -> pte for h; returns the pte table PA. */
static unsigned long build(unsigned long h, unsigned long *pmd_out)
{
	unsigned long pmd = ptm(SECMON_PTM_PT_ALLOC, h, 1, 0, 0).value;
	unsigned long pte = ptm(SECMON_PTM_PT_ALLOC, h, 0, 0, 0).value;

	CHECK(pmd && pte, "pt-alloc/two-tables");
	CHECK_EQ(*VA(pmd) | *VA(pte + PG - 8), 0, "pt-alloc/zeroed");
	CHECK_EQ(ptm(SECMON_PTM_PTE_SET, h, root_pa(h), link(pmd), 0).error, 0,
		 "pte-set/link-pmd");
	CHECK_EQ(ptm(SECMON_PTM_PTE_SET, h, pmd, link(pte), 0).error, 0,
		 "pte-set/link-pte-table");
	*pmd_out = pmd;
	return pte;
}

static void slot_cases(unsigned long h, unsigned long h2, unsigned long pte)
{
	unsigned long other = ptm(SECMON_PTM_PT_ALLOC, h2, 0, 0, 0).value;
	unsigned long good = leaf(data_pa, U | R);

	REFUSE(ptm(SECMON_PTM_PTE_SET, h, pte + 4, good, 0),
	       SBI_ERR_INVALID_ADDRESS, pte, "pte-set/misaligned-slot");
	REFUSE(ptm(SECMON_PTM_PTE_SET, h, data_pa, good, 0),
	       SBI_ERR_INVALID_ADDRESS, data_pa, "pte-set/slot-outside-pool");
	REFUSE(ptm(SECMON_PTM_PTE_SET, h, pool_base + pool_size - PG, good, 0),
	       SBI_ERR_INVALID_ADDRESS, 0, "pte-set/slot-in-free-page");
	REFUSE(ptm(SECMON_PTM_PTE_SET, h, other, good, 0),
	       SBI_ERR_INVALID_ADDRESS, other, "pte-set/slot-of-other-as");
	REFUSE(ptm(SECMON_PTM_PTE_SET, h, root_pa(h) + 256 * 8, 0, 0),
	       SBI_ERR_DENIED, root_pa(h) + 256 * 8,
	       "pte-set/kernel-half-256-immutable");
	REFUSE(ptm(SECMON_PTM_PTE_SET, h, root_pa(h) + 510 * 8, 0, 0),
	       SBI_ERR_DENIED, root_pa(h) + 510 * 8,
	       "pte-set/kernel-half-510-immutable");
	REFUSE(ptm(SECMON_PTM_PTE_SET, h ^ (1UL << 32), pte, good, 0),
	       SBI_ERR_INVALID_PARAM, pte, "pte-set/stale-generation");
	REFUSE(ptm(SECMON_PTM_PTE_SET, 1UL << 63, pte, good, 0),
	       SBI_ERR_INVALID_PARAM, pte, "pte-set/handle-bit-63");
	REFUSE(ptm(SECMON_PTM_PTE_SET, 0xFFFFFFF, pte, good, 0),
	       SBI_ERR_INVALID_PARAM, pte, "pte-set/handle-index-beyond-pool");
	CHECK_EQ(ptm(SECMON_PTM_PT_FREE, h2, other, 0, 0).error, 0,
		 "pt-free/other");
}

static void v0_cases(unsigned long h, unsigned long pte)
{
	static const unsigned long v0[] = {
	    0, (0x80600UL << 10) | G | R, /* PAGE_NONE: G|R, V=0 */
	    0xDEADBEEF00UL, /* a swap entry */
	    ~0UL & ~V, /* every other bit */
	};

	for (unsigned i = 0; i < 4; i++) {
		unsigned long slot = pte + (100 + i) * 8;
		struct sbiret r = ptm(SECMON_PTM_PTE_SET, h, slot, v0[i], 0);

		CHECK_EQ(r.error, 0, "pte-set/v0-accepted");
		CHECK_EQ(*VA(slot), v0[i], "pte-set/v0-stored-as-is");
		r = ptm(SECMON_PTM_PTE_SET, h, slot, 0, 0);
		CHECK_EQ(r.value, v0[i], "pte-set/v0-old-returned");
	}
}

static void link_cases(unsigned long h, unsigned long h2, unsigned long pmd,
		       unsigned long pte)
{
	unsigned long spare = ptm(SECMON_PTM_PT_ALLOC, h, 0, 0, 0).value;
	unsigned long spmd = ptm(SECMON_PTM_PT_ALLOC, h, 1, 0, 0).value;
	unsigned long other = ptm(SECMON_PTM_PT_ALLOC, h2, 0, 0, 0).value;
	unsigned long r5 = root_pa(h) + 5 * 8;

	REFUSE(ptm(SECMON_PTM_PTE_SET, h, pmd + 8, link(pte), 0),
	       SBI_ERR_INVALID_PARAM, pmd + 8, "link/already-linked");
	REFUSE(ptm(SECMON_PTM_PTE_SET, h, r5, link(spare), 0),
	       SBI_ERR_INVALID_PARAM, r5, "link/wrong-level");
	REFUSE(ptm(SECMON_PTM_PTE_SET, h, pmd + 16, link(other), 0),
	       SBI_ERR_INVALID_PARAM, pmd + 16, "link/other-as-table");
	REFUSE(ptm(SECMON_PTM_PTE_SET, h, pmd + 16, link(data_pa), 0),
	       SBI_ERR_INVALID_PARAM, pmd + 16, "link/not-a-pool-page");
	REFUSE(ptm(SECMON_PTM_PTE_SET, h, pmd + 16,
		   link(pool_base + pool_size - PG), 0),
	       SBI_ERR_INVALID_PARAM, pmd + 16, "link/free-pool-page");
	REFUSE(ptm(SECMON_PTM_PTE_SET, h, pmd + 16, link(spare) | U, 0),
	       SBI_ERR_INVALID_PARAM, pmd + 16, "link/non-leaf-with-U");
	REFUSE(ptm(SECMON_PTM_PTE_SET, h, pmd + 16, link(spare) | A, 0),
	       SBI_ERR_INVALID_PARAM, pmd + 16, "link/non-leaf-with-A");
	REFUSE(ptm(SECMON_PTM_PTE_SET, h, pmd + 16, link(spare) | G, 0),
	       SBI_ERR_INVALID_PARAM, pmd + 16, "link/non-leaf-with-G");
	REFUSE(ptm(SECMON_PTM_PTE_SET, h, pte + 8, link(spare), 0),
	       SBI_ERR_INVALID_PARAM, pte + 8, "link/non-leaf-at-level-0");
	REFUSE(ptm(SECMON_PTM_PTE_SET, h, r5, link(root_pa(h)), 0),
	       SBI_ERR_INVALID_PARAM, r5, "link/root-as-child");
	CHECK_EQ(ptm(SECMON_PTM_PTE_SET, h, pmd, link(pte), 0).error, 0,
		 "link/same-value-again-ok");
	CHECK_EQ(ptm(SECMON_PTM_PTE_SET, h, pmd + 16, link(spare), 0).error, 0,
		 "link/second-pte-table");
	REFUSE(ptm(SECMON_PTM_PT_FREE, h, spare, 0, 0), SBI_ERR_DENIED, 0,
	       "pt-free/linked-page");
	CHECK_EQ(ptm(SECMON_PTM_PTE_SET, h, pmd + 16, 0, 0).value, link(spare),
		 "link/unlink-returns-old");
	CHECK_EQ(ptm(SECMON_PTM_PTE_SET, h, r5, link(spmd), 0).error, 0,
		 "link/second-pmd");
	CHECK_EQ(ptm(SECMON_PTM_PTE_SET, h, spmd, link(spare), 0).error, 0,
		 "link/spare-under-second-pmd");
	CHECK_EQ(ptm(SECMON_PTM_PTE_SET, h, r5, 0, 0).error, 0,
		 "link/unlink-second-pmd");
	REFUSE(ptm(SECMON_PTM_PT_FREE, h, spmd, 0, 0), SBI_ERR_DENIED, 0,
	       "pt-free/page-still-linking-a-table");
	CHECK_EQ(ptm(SECMON_PTM_PTE_SET, h, spmd, 0, 0).error, 0,
		 "link/unlink-spare");
	CHECK_EQ(ptm(SECMON_PTM_PT_FREE, h, spmd, 0, 0).error, 0,
		 "pt-free/unlinked-pmd");
	CHECK_EQ(ptm(SECMON_PTM_PT_FREE, h, spare, 0, 0).error, 0,
		 "pt-free/unlinked-pte");
	REFUSE(ptm(SECMON_PTM_PT_FREE, h, spare, 0, 0), SBI_ERR_INVALID_PARAM,
	       0, "pt-free/double-free");
	CHECK_EQ(*VA(spare) | *VA(spare + PG - 8), 0,
		 "pt-free/freed-page-zeroed");
	REFUSE(ptm(SECMON_PTM_PT_FREE, h, root_pa(h), 0, 0),
	       SBI_ERR_INVALID_PARAM, 0, "pt-free/root");
	REFUSE(ptm(SECMON_PTM_PT_FREE, h, pte + 8, 0, 0),
	       SBI_ERR_INVALID_ADDRESS, 0, "pt-free/misaligned");
	REFUSE(ptm(SECMON_PTM_PT_FREE, h, data_pa, 0, 0),
	       SBI_ERR_INVALID_ADDRESS, 0, "pt-free/outside-pool");
	REFUSE(ptm(SECMON_PTM_PT_FREE, h, other, 0, 0), SBI_ERR_INVALID_PARAM,
	       0, "pt-free/other-as-page");
	CHECK_EQ(ptm(SECMON_PTM_PT_FREE, h2, other, 0, 0).error, 0,
		 "pt-free/by-owner");
	REFUSE(ptm(SECMON_PTM_PT_ALLOC, h, 2, 0, 0), SBI_ERR_INVALID_PARAM, 0,
	       "pt-alloc/level-2");
	REFUSE(ptm(SECMON_PTM_PT_ALLOC, h, 3, 0, 0), SBI_ERR_INVALID_PARAM, 0,
	       "pt-alloc/level-3");
	REFUSE(ptm(SECMON_PTM_PT_ALLOC, h ^ (3UL << 32), 0, 0, 0),
	       SBI_ERR_INVALID_PARAM, 0, "pt-alloc/stale-handle");
}

static bool contains(const char *s, const char *sub)
{
	size_t n = strlen(sub);

	for (; *s; s++) {
		if (!strncmp(s, sub, n)) {
			return true;
		}
	}
	return false;
}

/* Every cpu node's riscv,isa names Svpbmt (the monitor then lets leaves
 * carry PBMT). */
static bool harts_have_svpbmt(void)
{
	const void *fdt = pl_env.fdt;
	int cpus = fdt_path_offset(fdt, "/cpus"), node, n = 0;

	fdt_for_each_subnode (node, fdt, cpus) {
		const char *isa = fdt_getprop(fdt, node, "riscv,isa", NULL);

		if (!isa) {
			continue;
		}
		if (!contains(isa, "_svpbmt")) {
			return false;
		}
		n++;
	}
	return n > 0;
}

static void leaf_refused(unsigned long h, unsigned long slot, unsigned long v,
			 long err, const char *name)
{
	REFUSE(ptm(SECMON_PTM_PTE_SET, h, slot, v, 0), err, slot, name);
}

static void leaf_cases(unsigned long h, unsigned long pmd, unsigned long pte)
{
	unsigned long s = pte + 50 * 8;
	unsigned long kimg = 0x80200000UL;

	leaf_refused(h, s, leaf(data_pa, R), SBI_ERR_INVALID_PARAM,
		     "leaf/u-clear");
	leaf_refused(h, s, leaf(data_pa, U | R | G), SBI_ERR_INVALID_PARAM,
		     "leaf/global");
	leaf_refused(h, s, leaf(data_pa, U | W), SBI_ERR_INVALID_PARAM,
		     "leaf/w-without-r");
	leaf_refused(h, s, leaf(data_pa, U | R) | (1UL << 63),
		     SBI_ERR_INVALID_PARAM, "leaf/n-bit");
	if (svpbmt) {
		/* PBMT NC is a leaf attribute every hart understands. */
		CHECK_EQ(ptm(SECMON_PTM_PTE_SET, h, s,
			     leaf(data_pa, U | R) | (1UL << 61), 0)
			     .error,
			 0, "leaf/pbmt-nc-with-svpbmt");
		CHECK_EQ(ptm(SECMON_PTM_PTE_SET, h, s, 0, 0).error, 0,
			 "leaf/pbmt-nc-cleared");
		leaf_refused(h, s, leaf(data_pa, U | R) | (3UL << 61),
			     SBI_ERR_INVALID_PARAM, "leaf/pbmt-reserved-value");
	} else {
		leaf_refused(h, s, leaf(data_pa, U | R) | (1UL << 61),
			     SBI_ERR_INVALID_PARAM, "leaf/pbmt-without-svpbmt");
	}
	leaf_refused(h, s, leaf(data_pa, U | R) | (1UL << 54),
		     SBI_ERR_INVALID_PARAM, "leaf/reserved-bit-54");
	/* 0x8000 on QEMU virt: neither RAM nor a device the tree names. */
	leaf_refused(h, s, leaf(0x8000UL, U | R), SBI_ERR_INVALID_PARAM,
		     "leaf/ppn-outside-ram-and-devices");
	leaf_refused(h, s, leaf(0x2000000UL, U | R | W), SBI_ERR_DENIED,
		     "leaf/monitor-clint");
	/* The UART's page is device memory the OS may map for a user. */
	CHECK_EQ(ptm(SECMON_PTM_PTE_SET, h, s, leaf(0x10000000UL, U | R | W), 0)
		     .error,
		 0, "leaf/os-device-memory-accepted");
	CHECK_EQ(ptm(SECMON_PTM_PTE_SET, h, s, 0, 0).error, 0,
		 "leaf/os-device-memory-cleared");
	leaf_refused(h, s, leaf(1UL << 50, U | R), SBI_ERR_INVALID_PARAM,
		     "leaf/ppn-beyond-memory");
	leaf_refused(h, s, leaf(pl_env.mon_base, U | R), SBI_ERR_DENIED,
		     "leaf/monitor");
	leaf_refused(h, s, leaf(pl_env.rec_base, U | R), SBI_ERR_DENIED,
		     "leaf/monitor-records");
	leaf_refused(h, s, leaf(pl_env.rec_base + pl_env.rec_size - PG, U | R),
		     SBI_ERR_DENIED, "leaf/monitor-records-last-page");
	leaf_refused(h, s, leaf(pool_base + PG, U | R), SBI_ERR_DENIED,
		     "leaf/pool-page");
	leaf_refused(h, s, leaf(root_pa(h), U | R), SBI_ERR_DENIED,
		     "leaf/own-root");
	leaf_refused(h, s, leaf(PA(swapper), U | R), SBI_ERR_DENIED,
		     "leaf/swapper");
	leaf_refused(h, s, leaf(PA(tramp), U | R), SBI_ERR_DENIED,
		     "leaf/trampoline");
	leaf_refused(h, s, leaf(kimg, U | R | W), SBI_ERR_DENIED,
		     "leaf/kernel-image-writable");
	CHECK_EQ(ptm(SECMON_PTM_PTE_SET, h, s, leaf(kimg, U | R | X), 0).error,
		 0, "leaf/kernel-image-read-only-ok");
	leaf_refused(h, pmd + 8, leaf(0x80000000UL, U | R), SBI_ERR_DENIED,
		     "leaf/2m-over-monitor");
	leaf_refused(h, pmd + 8, leaf(0x80801000UL, U | R),
		     SBI_ERR_INVALID_PARAM, "leaf/2m-misaligned");
	leaf_refused(h, pmd + 8, leaf(pool_base, U | R | W), SBI_ERR_DENIED,
		     "leaf/2m-over-pool");
	leaf_refused(h, root_pa(h) + 2 * 8, leaf(0x80000000UL, U | R),
		     SBI_ERR_INVALID_PARAM, "leaf/1g-beyond-ram");
	CHECK_EQ(ptm(SECMON_PTM_PTE_SET, h, pmd + 8,
		     leaf(0x80800000UL, U | R | W), 0)
		     .error,
		 0, "leaf/2m-ok");
	CHECK((*VA(pmd + 8) & (A | D)) == A, "leaf/2m-installed-young-clean");
	CHECK_EQ(
	    ptm(SECMON_PTM_PTE_SET, h, s, leaf(data_pa, U | R | W), 0).value,
	    leaf(kimg, U | R | X) | A, "leaf/replace-returns-old");
	CHECK_EQ(*VA(s), leaf(data_pa, U | R | W) | A,
		 "leaf/a-forced-d-as-given");
	CHECK_EQ(ptm(SECMON_PTM_PTE_MODIFY, h, s, 0, D).value,
		 leaf(data_pa, U | R | W) | A, "modify/dirty-old");
	CHECK_EQ(ptm(SECMON_PTM_PTE_MODIFY, h, s, W | D, 0).value,
		 leaf(data_pa, U | R | W) | A | D, "modify/wrprotect-old");
	CHECK_EQ(*VA(s), leaf(data_pa, U | R) | A, "modify/wrprotect-new");
	CHECK_EQ(ptm(SECMON_PTM_PTE_MODIFY, h, s, A, 0).error, 0,
		 "modify/clear-young");
	CHECK_EQ(*VA(s), leaf(data_pa, U | R), "modify/young-cleared");
	REFUSE(ptm(SECMON_PTM_PTE_MODIFY, h, s, 0, G), SBI_ERR_INVALID_PARAM, s,
	       "modify/set-global-refused");
	REFUSE(ptm(SECMON_PTM_PTE_MODIFY, h, s, U, 0), SBI_ERR_INVALID_PARAM, s,
	       "modify/clear-user-refused");
	CHECK_EQ(ptm(SECMON_PTM_PTE_MODIFY, h, s, V, 0).error, 0,
		 "modify/clear-valid");
	CHECK_EQ(ptm(SECMON_PTM_PTE_MODIFY, h, s, 0, V).error, 0,
		 "modify/set-valid");
	CHECK_EQ(ptm(SECMON_PTM_PTE_SET, h, s, 0, 0).error, 0, "leaf/clear");
	CHECK_EQ(ptm(SECMON_PTM_PTE_SET, h, pmd + 8, 0, 0).error, 0,
		 "leaf/clear-2m");
}

static void batch_cases(unsigned long h, unsigned long pte)
{
	unsigned long b = PA(batch);
	struct sbiret r;

	for (unsigned i = 0; i < 5; i++) {
		batch[i] = (struct secmon_batch_entry){
		    SECMON_BATCH_OP_SET, pte + (200 + i) * 8,
		    leaf(data_pa + i * PG, U | R | W), 0};
	}
	batch[3].a = leaf(pl_env.mon_base, U | R);
	r = ptm(SECMON_PTM_BATCH, h, b, 5, 0);
	CHECK_EQ(r.error, SBI_ERR_DENIED, "batch/stops-at-refused-entry");
	CHECK_EQ(r.value, 3, "batch/reports-applied-count");
	CHECK(*VA(pte + 202 * 8) & V, "batch/entries-before-applied");
	CHECK_EQ(*VA(pte + 203 * 8) | *VA(pte + 204 * 8), 0,
		 "batch/entries-after-untouched");
	batch[3].a = leaf(data_pa + 3 * PG, U | R | W);
	batch[5] = (struct secmon_batch_entry){SECMON_BATCH_OP_MODIFY,
					       pte + 200 * 8, W, 0};
	r = ptm(SECMON_PTM_BATCH, h, b, 6, 0);
	CHECK(r.error == 0 && r.value == 6, "batch/set-and-modify");
	CHECK(!(*VA(pte + 200 * 8) & W), "batch/modify-applied");
	batch[0].op = 7;
	REFUSE(ptm(SECMON_PTM_BATCH, h, b, 1, 0), SBI_ERR_INVALID_PARAM,
	       pte + 200 * 8, "batch/bad-op");
	batch[0].op = SECMON_BATCH_OP_SET;
	batch[0].b = 1;
	REFUSE(ptm(SECMON_PTM_BATCH, h, b, 1, 0), SBI_ERR_INVALID_PARAM,
	       pte + 200 * 8, "batch/set-with-b");
	batch[0].b = 0;
	CHECK_EQ(ptm(SECMON_PTM_BATCH, h, b, 0, 0).value, 0, "batch/empty");
	REFUSE(ptm(SECMON_PTM_BATCH, h, b, SECMON_BATCH_MAX + 1, 0),
	       SBI_ERR_INVALID_PARAM, 0, "batch/count-over-max");
	REFUSE(ptm(SECMON_PTM_BATCH, h, b, ~0UL, 0), SBI_ERR_INVALID_PARAM, 0,
	       "batch/count-overflow");
	REFUSE(ptm(SECMON_PTM_BATCH, h, pool_base, 1, 0),
	       SBI_ERR_INVALID_ADDRESS, 0, "batch/buffer-in-pool");
	REFUSE(ptm(SECMON_PTM_BATCH, h, pl_env.mon_base, 1, 0),
	       SBI_ERR_INVALID_ADDRESS, 0, "batch/buffer-in-monitor");
	REFUSE(ptm(SECMON_PTM_BATCH, h, b + 4, 1, 0), SBI_ERR_INVALID_ADDRESS,
	       0, "batch/buffer-misaligned");
	REFUSE(ptm(SECMON_PTM_BATCH, h, 0x1000, 1, 0), SBI_ERR_INVALID_ADDRESS,
	       0, "batch/buffer-outside-ram");
	REFUSE(ptm(SECMON_PTM_BATCH, h, pool_base - 16, 2, 0),
	       SBI_ERR_INVALID_ADDRESS, 0, "batch/buffer-straddles-pool");
	for (unsigned i = 0; i < 64; i++) {
		batch[i] = (struct secmon_batch_entry){
		    SECMON_BATCH_OP_SET, pte + (300 + i) * 8,
		    leaf(data_pa + (i % 8) * PG, U | R), 0};
	}
	r = ptm(SECMON_PTM_BATCH, h, b, 64, 0);
	CHECK(r.error == 0 && r.value == 64, "batch/64-entries");
	ptm(SECMON_PTM_STATS, h, PA(&st), 0, 0);
	CHECK_EQ(st.leaf_entries, 64 + 5, "stats/leaf-entries-after-batch");
	CHECK_EQ(st.pages_level[0] + st.pages_level[1] + st.pages_level[2], 3,
		 "stats/three-table-pages");
	REFUSE(ptm(SECMON_PTM_STATS, h, pool_base, 0, 0),
	       SBI_ERR_INVALID_ADDRESS, 0, "stats/buffer-in-pool");
	REFUSE(ptm(SECMON_PTM_STATS, h ^ (5UL << 32), PA(&st), 0, 0),
	       SBI_ERR_INVALID_PARAM, 0, "stats/stale-handle");
}

/*
 * With hstatus.HU, U-mode may make hypervisor loads (HLV), which translate
 * through hgatp: after LOCK the seal, so a load of RAM (the code page's
 * own guest-physical address, which a Bare hgatp would let it read, and
 * then ecall: cause 8) faults (guest-page fault 21 or access fault 5).
 * An illegal instruction (2) would mean the hart ignores HU. Runs the
 * program from the same user code page (VA 0x10000), under h's satp.
 */
static void user_hlv_case(unsigned long h)
{
	unsigned long sw = SATP_SV39 | (PA(swapper) >> 12);
	unsigned long n =
	    (unsigned long)(pl_user_hlv_prog_end - pl_user_hlv_prog);
	unsigned long cause, hstatus;

	CHECK_EQ(pl_user_hlv_gpa - pl_user_hlv_prog, 24,
		 "hyp/user-hlv-program-layout");
	memcpy(ucode, pl_user_hlv_prog, n);
	ucode[(pl_user_hlv_gpa - pl_user_hlv_prog) / 8] = PA(ucode);
	__asm__ volatile("fence.i");
	__asm__ volatile("csrrs %0, 0x600, %1"
			 : "=r"(hstatus)
			 : "r"(1UL << 9)
			 : "memory"); /* hstatus.HU */
	pl_probe_satp(SATP_SV39 | (root_pa(h) >> 12));
	cause = pl_user_run(0x10000);
	pl_probe_satp(sw);
	__asm__ volatile("csrw 0x600, %0" ::"r"(hstatus) : "memory");
	CHECK(cause == 21 || cause == 5, "hyp/locked-user-hlv-faults");
	if (cause != 21 && cause != 5) {
		pl_printf("payload: U-mode HLV ended with scause %lu (8: the "
			  "load worked; 2: the hart ignores hstatus.HU)\n",
			  cause);
	}
}

/* U-mode reads and writes its pages, then faults on an unmapped one. */
static void user_cases(unsigned long h, unsigned long pte)
{
	unsigned long sw = SATP_SV39 | (PA(swapper) >> 12);
	unsigned long cause;
	unsigned long n = (unsigned long)(pl_user_prog_end - pl_user_prog);

	memcpy(ucode, pl_user_prog, n);
	__asm__ volatile("fence.i");
	*VA(data_pa + 16 * PG) = 0x5EC0DE;
	CHECK_EQ(ptm(SECMON_PTM_PTE_SET, h, pte + 0x10 * 8,
		     leaf(PA(ucode), U | R | X), 0)
		     .error,
		 0, "user/map-code");
	CHECK_EQ(ptm(SECMON_PTM_PTE_SET, h, pte + 0x20 * 8,
		     leaf(data_pa + 16 * PG, U | R | W), 0)
		     .error,
		 0, "user/map-data");
	pl_probe_satp(SATP_SV39 | (root_pa(h) >> 12));
	REFUSE(ptm(SECMON_PTM_AS_DESTROY, h, 0, 0, 0), SBI_ERR_DENIED, 0,
	       "destroy/refused-while-satp-holds-root");
	cause = pl_user_run(0x10000);
	pl_probe_satp(sw);
	CHECK_EQ(cause, 13, "user/load-page-fault-on-unmapped");
	CHECK_EQ(pl_user_tval, 0x30000, "user/fault-address");
	CHECK_EQ(*VA(data_pa + 16 * PG + 8), 0x5EC0DE + 1,
		 "user/read-and-write-worked");
	user_hlv_case(h);
}

/*
 * A guest on a monitor-owned G-stage (issue 17): a G-stage space maps
 * guest-physical page 0 onto the page of guest programs (entry.S), hgatp
 * comes from HGATP_SET, and the guest runs at GPA 0 + offset: its ecall
 * reaches HS-mode, its load of an unmapped GPA is a guest-page fault.
 */
#define HGATP_SV39X4 (8UL << 60)
#define GUEST_OFF(fn) (PA(fn) & (PG - 1))

static unsigned long gstage_build(unsigned long g)
{
	unsigned long r = root_pa(g), pmd, pte;

	pmd = ptm(SECMON_PTM_PT_ALLOC, g, SECMON_LEVEL_PMD, 0, 0).value;
	pte = ptm(SECMON_PTM_PT_ALLOC, g, SECMON_LEVEL_PTE, 0, 0).value;
	CHECK(pmd && pte, "gstage/tables");
	CHECK_EQ(ptm(SECMON_PTM_PTE_SET, g, r, link(pmd), 0).error, 0,
		 "gstage/link-pmd");
	CHECK_EQ(ptm(SECMON_PTM_PTE_SET, g, pmd, link(pte), 0).error, 0,
		 "gstage/link-pte");
	CHECK_EQ(ptm(SECMON_PTM_PTE_SET, g, pte,
		     leaf(PA(pl_guest_ecall) & ~(PG - 1), U | R | X | A), 0)
		     .error,
		 0, "gstage/map-guest-code");
	/* The monitor's own rules: no leaf onto a root, the pool or the
	 * monitor. */
	REFUSE(ptm(SECMON_PTM_PTE_SET, g, pte + 8, leaf(r, U | R | A), 0),
	       SBI_ERR_DENIED, pte + 8, "gstage/leaf-onto-its-root");
	REFUSE(ptm(SECMON_PTM_PTE_SET, g, pte + 8,
		   leaf(pl_env.mon_base, U | R | A), 0),
	       SBI_ERR_DENIED, pte + 8, "gstage/leaf-onto-monitor");
	REFUSE(ptm(SECMON_PTM_PTE_SET, g, pte + 8, leaf(PA(swapper), U | R | A),
		   0),
	       SBI_ERR_DENIED, pte + 8, "gstage/leaf-onto-kernel-root");
	REFUSE(
	    ptm(SECMON_PTM_PTE_SET, g, pte + 8, leaf(pool_base, U | R | A), 0),
	    SBI_ERR_DENIED, pte + 8, "gstage/leaf-onto-pool");
	REFUSE(ptm(SECMON_PTM_PTE_SET, g, pte + 8,
		   leaf(PA(pl_guest_ecall) & ~(PG - 1), U | R | W | A | D), 0),
	       SBI_ERR_DENIED, pte + 8,
	       "gstage/writable-leaf-onto-kernel-image");
	return r;
}

static void gstage_cases(void)
{
	unsigned long g, r;
	struct sbiret s;

	s = ptm(SECMON_PTM_AS_CREATE, SECMON_AS_GSTAGE, 0, 0, 0);
	CHECK_EQ(s.error, 0, "gstage/create");
	g = s.value;
	r = gstage_build(g);
	CHECK_EQ(r & 0x3fff, 0, "gstage/root-16k-aligned");
	REFUSE(
	    ptm(SECMON_PTM_HGATP_SET, HGATP_SV39X4 | (r + PG) >> 12, 0, 0, 0),
	    SBI_ERR_INVALID_PARAM, r, "gstage/hgatp-second-root-page");
	/* A forged root in kernel memory, and swapper: not G-stage roots. */
	REFUSE(ptm(SECMON_PTM_HGATP_SET, HGATP_SV39X4 | PA(dirty_root) >> 12, 0,
		   0, 0),
	       SBI_ERR_INVALID_PARAM, r, "gstage/hgatp-forged-root");
	REFUSE(ptm(SECMON_PTM_HGATP_SET, HGATP_SV39X4 | PA(swapper) >> 12, 0, 0,
		   0),
	       SBI_ERR_INVALID_PARAM, r, "gstage/hgatp-kernel-root");
	s = ptm(SECMON_PTM_HGATP_SET, HGATP_SV39X4 | 1UL << 44 | r >> 12, 0, 0,
		0);
	CHECK_EQ(s.error, 0, "gstage/hgatp-set");
	CHECK_EQ(hyp_guest_cause(GUEST_OFF(pl_guest_ecall)), 10,
		 "gstage/guest-ran-ecall");
	CHECK_EQ(hyp_guest_cause(GUEST_OFF(pl_guest_load)), 21,
		 "gstage/unmapped-gpa-guest-page-fault");
	CHECK_EQ(pl_user_tval, 0x200000, "gstage/fault-gpa");
	s = ptm(SECMON_PTM_HGATP_SET, 3UL << 44, 0, 0, 0);
	CHECK_EQ(s.error, 0, "gstage/hgatp-bare");
	CHECK_EQ(s.value, HGATP_SV39X4 | 3UL << 44 | pl_env.mon_base >> 12,
		 "gstage/bare-becomes-the-seal");
	CHECK(hyp_guest_cause(GUEST_OFF(pl_guest_ecall)) != 10,
	      "gstage/sealed-guest-does-not-run");
	/* Destroy while this hart's hgatp holds the root: unloaded. */
	s = ptm(SECMON_PTM_HGATP_SET, HGATP_SV39X4 | 1UL << 44 | r >> 12, 0, 0,
		0);
	CHECK_EQ(s.error, 0, "gstage/hgatp-set-again");
	CHECK_EQ(ptm(SECMON_PTM_CHECK, 0, 0, 0, 0).error, 0, "gstage/check");
	CHECK_EQ(ptm(SECMON_PTM_AS_DESTROY, g, 0, 0, 0).error, 0,
		 "gstage/destroy");
	CHECK(hyp_guest_cause(GUEST_OFF(pl_guest_ecall)) != 10,
	      "gstage/destroyed-root-unloaded");
	CHECK(*VA(r) == 0, "gstage/root-scrubbed");
}

static void teardown_cases(unsigned long h, unsigned long pmd,
			   unsigned long pte)
{
	unsigned long straggler = ptm(SECMON_PTM_PT_ALLOC, h, 0, 0, 0).value;
	unsigned long root = root_pa(h);
	unsigned long h3;

	CHECK(straggler != 0, "destroy/straggler-allocated");
	CHECK_EQ(ptm(SECMON_PTM_AS_DESTROY, h, 0, 0, 0).error, 0, "destroy/ok");
	CHECK_EQ(*VA(root) | *VA(root + 2048) | *VA(pmd) | *VA(pte + 0x80), 0,
		 "destroy/linked-pages-scrubbed");
	CHECK_EQ(global_stats()->zombie_as, 1,
		 "destroy/zombie-kept-for-straggler");
	REFUSE(ptm(SECMON_PTM_AS_DESTROY, h, 0, 0, 0), SBI_ERR_INVALID_PARAM, 0,
	       "destroy/twice");
	REFUSE(ptm(SECMON_PTM_PTE_SET, h, straggler, 0, 0),
	       SBI_ERR_INVALID_PARAM, 0, "zombie/pte-set-refused");
	REFUSE(ptm(SECMON_PTM_PT_ALLOC, h, 0, 0, 0), SBI_ERR_INVALID_PARAM, 0,
	       "zombie/pt-alloc-refused");
	CHECK_EQ(ptm(SECMON_PTM_PT_FREE, h, straggler, 0, 0).error, 0,
		 "zombie/pt-free");
	CHECK_EQ(global_stats()->zombie_as, 0, "zombie/gone-after-last-page");
	h3 = ptm(SECMON_PTM_AS_CREATE, 0, 0, 0, 0).value;
	CHECK(h3 != h, "handle/new-as-new-handle");
	REFUSE(ptm(SECMON_PTM_PT_ALLOC, h, 0, 0, 0), SBI_ERR_INVALID_PARAM, 0,
	       "handle/old-handle-refused-after-reuse");
	CHECK_EQ(ptm(SECMON_PTM_AS_DESTROY, h3, 0, 0, 0).error, 0,
		 "destroy/empty-as");
}

static void exhaustion_cases(void)
{
	unsigned long h = ptm(SECMON_PTM_AS_CREATE, 0, 0, 0, 0).value;
	unsigned long got = 1, first = 0, last = 0;
	struct sbiret r;

	for (;;) {
		r = ptm(SECMON_PTM_PT_ALLOC, h, 0, 0, 0);
		if (r.error) {
			break;
		}
		first = first ? first : (unsigned long)r.value;
		last = r.value;
		got++;
	}
	CHECK_EQ(r.error, SBI_ERR_NO_SHMEM, "exhaust/clean-error");
	CHECK_EQ(got, pool_size / PG, "exhaust/every-page-handed-out");
	REFUSE(ptm(SECMON_PTM_AS_CREATE, 0, 0, 0, 0), SBI_ERR_NO_SHMEM, 0,
	       "exhaust/as-create-refused");
	CHECK_EQ(ptm(SECMON_PTM_PT_FREE, h, last, 0, 0).error, 0,
		 "exhaust/free-one");
	r = ptm(SECMON_PTM_PT_ALLOC, h, 1, 0, 0);
	CHECK(r.error == 0 && (unsigned long)r.value == last,
	      "exhaust/freed-page-reused-after-flush");
	CHECK_EQ(ptm(SECMON_PTM_AS_DESTROY, h, 0, 0, 0).error, 0,
		 "exhaust/destroy");
	CHECK_EQ(global_stats()->zombie_as, 1,
		 "exhaust/zombie-with-unlinked-pages");
	for (unsigned long pa = pool_base; pa < pool_base + pool_size;
	     pa += PG) {
		if (ptm(SECMON_PTM_PT_FREE, h, pa, 0, 0).error == 0) {
			got--;
		}
	}
	CHECK_EQ(got, 1, "exhaust/all-stragglers-freed");
	CHECK_EQ(global_stats()->zombie_as, 0, "exhaust/zombie-retired");
	(void)first;
}

/* Worker for the SMP case; runs on a secondary hart in bare mode. */
volatile unsigned long
    pl_ptm_worker_errors[PL_MAX_HARTS]; /* polled across harts */
void pl_ptm_worker(unsigned long hartid)
{
	unsigned long errs = 0;
	unsigned long dpa = data_pa + (hartid + 32) * PG;

	for (unsigned it = 0; it < 40; it++) {
		unsigned long h = ptm(SECMON_PTM_AS_CREATE, 0, 0, 0, 0).value;
		unsigned long pmd = ptm(SECMON_PTM_PT_ALLOC, h, 1, 0, 0).value;
		unsigned long pte = ptm(SECMON_PTM_PT_ALLOC, h, 0, 0, 0).value;
		unsigned long root = SECMON_HANDLE_ROOT_PA(pool_base, h);

		errs += ptm(SECMON_PTM_PTE_SET, h, root + it * 8, link(pmd), 0)
			    .error != 0;
		errs +=
		    ptm(SECMON_PTM_PTE_SET, h, pmd + 8, link(pte), 0).error !=
		    0;
		for (unsigned i = 0; i < 16; i++) {
			errs += ptm(SECMON_PTM_PTE_SET, h, pte + i * 8,
				    leaf(dpa, U | R | W), 0)
				    .error != 0;
			errs += ptm(SECMON_PTM_PTE_MODIFY, h, pte + i * 8, W, 0)
				    .error != 0;
		}
		errs += ptm(SECMON_PTM_PTE_SET, h, pmd + 8, 0, 0).error != 0;
		if (it & 1) {
			errs +=
			    ptm(SECMON_PTM_PT_FREE, h, pte, 0, 0).error != 0;
		}
		errs += ptm(SECMON_PTM_AS_DESTROY, h, 0, 0, 0).error != 0;
		if (!(it & 1)) {
			errs +=
			    ptm(SECMON_PTM_PT_FREE, h, pte, 0, 0).error != 0;
		}
	}
	pl_ptm_worker_errors[hartid] = errs + 1; /* +1: done */
}

static void smp_cases(void)
{
	unsigned long n = 0;
	unsigned long t_start = pl_read_time();

	for (unsigned long h = 0; h < pl_env.nharts && h < 4; h++) {
		if (h == pl_env.boot_hartid) {
			continue;
		}
		pl_harts[h].command = PL_CMD_PTM;
		CHECK_EQ(SBI3(SBI_EXT_HSM, SBI_HSM_HART_START, h,
			      PA(pl_secondary_entry), 0)
			     .error,
			 0, "smp/start-worker");
		n++;
	}
	/* The boot hart churns too, at its alias. */
	pl_ptm_worker(pl_env.boot_hartid);
	for (unsigned long h = 0; h < pl_env.nharts && h < 4; h++) {
		unsigned long t0 = pl_read_time();

		while (!pl_ptm_worker_errors[h] &&
		       pl_read_time() - t0 < 1200000000UL) {
		}
		if (pl_ptm_worker_errors[h] != 1) {
			pl_printf("payload: worker on hart %lu: arrived %lu, "
				  "saw command %lu, "
				  "result %lu\n",
				  h, pl_harts[h].arrived, pl_harts[h].seen,
				  pl_ptm_worker_errors[h]);
		}
		CHECK_EQ(pl_ptm_worker_errors[h], 1, "smp/worker-no-errors");
		pl_harts[h].command = PL_CMD_STOP;
	}
	CHECK_EQ(ptm(SECMON_PTM_CHECK, 0, 0, 0, 0).error, 0,
		 "smp/invariants-hold");
	pl_printf("payload: ptm smp churn on %lu harts done in %lu ms\n", n + 1,
		  (pl_read_time() - t_start) / 10000);
}

static void suite_ptm_paged(void)
{
	unsigned long h, h2, pmd, pte;

	pl_voff = HIGH_BASE - RAM_ALIAS;
	/* Before LOCK a guest runs on whatever hgatp S-mode sets (Bare). */
	CHECK_EQ(hyp_guest_cause(PA(pl_guest_ecall)), 10,
		 "hyp/unlocked-guest-runs");
	hyp_hlv_unlocked(PA(pl_guest_ecall), *(unsigned long *)pl_guest_ecall);
	lock_cases();
	hyp_sealed_cases(PA(pl_guest_ecall), pl_env.mon_base);
	gstage_cases();
	h = ptm(SECMON_PTM_AS_CREATE, 0, 0, 0, 0).value;
	h2 = ptm(SECMON_PTM_AS_CREATE, 0, 0, 0, 0).value;
	CHECK(h && h2 && h != h2, "as-create/two-handles");
	CHECK_EQ(*VA(root_pa(h) + 510 * 8), swapper[510],
		 "as-create/kernel-half-copied");
	CHECK_EQ(*VA(root_pa(h)), 0, "as-create/user-half-empty");
	enforcement_cases(h);
	pte = build(h, &pmd);
	slot_cases(h, h2, pte);
	v0_cases(h, pte);
	link_cases(h, h2, pmd, pte);
	leaf_cases(h, pmd, pte);
	batch_cases(h, pte);
	user_cases(h, pte);
	CHECK_EQ(ptm(SECMON_PTM_CHECK, 0, 0, 0, 0).error, 0,
		 "check/after-building");
	teardown_cases(h, pmd, pte);
	CHECK_EQ(ptm(SECMON_PTM_AS_DESTROY, h2, 0, 0, 0).error, 0,
		 "destroy/second-as");
	exhaustion_cases();
	smp_cases();
	CHECK_EQ(ptm(SECMON_PTM_INFO, SECMON_INFO_FREE_PAGES, 0, 0, 0).value,
		 baseline_free, "pool/back-at-baseline");
	CHECK_EQ(global_stats()->live_as + st.zombie_as, 0,
		 "pool/no-address-spaces-left");
	CHECK_EQ(ptm(SECMON_PTM_CHECK, 0, 0, 0, 0).error, 0, "check/final");
	pl_finish();
}

/*
 * Bare-mode checks, then Sv39 on with the payload's swapper (kernel half:
 * a gigapage mapping RAM at HIGH_BASE); the rest runs at that alias and
 * ends the payload.
 */
void suite_ptm(void)
{
	find_pool();
	if (!pool_base) {
		pl_printf(
		    "payload: no secmon,pt-pool node: skipping ptm cases\n");
		return;
	}
	info_cases();
	CHECK_EQ(lock(PA(swapper), PA(tramp)).error, SBI_ERR_DENIED,
		 "lock/refused-in-bare-mode");
	swapper[510] = leaf(RAM_ALIAS, R | W | X | G | A | D);
	tramp[510] = swapper[510];
	dirty_root[510] = swapper[510];
	dirty_root[3] = swapper[510];
	pl_paging_continue(SATP_SV39 | (PA(swapper) >> 12),
			   HIGH_BASE - RAM_ALIAS, suite_ptm_paged);
}

/* Whether the firmware offers the page-table ABI and a pool (bare mode). */
static bool have_ptm(void)
{
	find_pool();
	return pool_base &&
	       SBI1(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, SECMON_EXT_PTM).value;
}

/* Map the RAM alias in swapper and trampoline, and go on paged in fn
 * (which does not return). */
static void continue_paged(void (*fn)(void))
{
	swapper[510] = leaf(RAM_ALIAS, R | W | X | G | A | D);
	tramp[510] = swapper[510];
	pl_paging_continue(SATP_SV39 | (PA(swapper) >> 12),
			   HIGH_BASE - RAM_ALIAS, fn);
}

/* ---- tools/bench: instruction counts of the page-table ABI ---- */

static unsigned long insns(void)
{
	unsigned long v;

	__asm__ volatile("rdinstret %0" : "=r"(v));
	return v;
}

static void report(const char *name, unsigned long d, unsigned long n)
{
	pl_printf("bench %s: %lu calls, %lu instructions, %lu.%02lu per call\n",
		  name, n, d, d / n, (d % n) * 100 / n);
}

static void bench_pte_set(unsigned long h, unsigned long pte)
{
	unsigned long t0, n = 20000;

	t0 = insns();
	for (unsigned long i = 0; i < n; i++) {
		ptm(SECMON_PTM_PTE_SET, h, pte,
		    (i & 1) ? 0 : leaf(data_pa, U | R | W), 0);
	}
	report("ptm-pte-set", insns() - t0, n);
}

static void bench_batch(unsigned long h, unsigned long pte)
{
	unsigned long t0, rounds = 500;

	for (unsigned i = 0; i < 64; i++) {
		batch[i] = (struct secmon_batch_entry){SECMON_BATCH_OP_SET,
						       pte + i * 8, 0, 0};
	}
	t0 = insns();
	for (unsigned long r = 0; r < rounds; r++) {
		for (unsigned i = 0; i < 64; i++) {
			batch[i].a =
			    (r & 1) ? 0 : leaf(data_pa + i * PG, U | R);
		}
		ptm(SECMON_PTM_BATCH, h, PA(batch), 64, 0);
	}
	report("ptm-batch-64-per-entry (incl. filling the buffer)",
	       insns() - t0, rounds * 64);
}

/* AS_CREATE, k table pages linked under it, AS_DESTROY. */
static void bench_lifecycle(unsigned long k)
{
	unsigned long t0 = insns();
	unsigned long h = ptm(SECMON_PTM_AS_CREATE, 0, 0, 0, 0).value;
	unsigned long pmd = ptm(SECMON_PTM_PT_ALLOC, h, 1, 0, 0).value;
	char name[64];

	ptm(SECMON_PTM_PTE_SET, h, root_pa(h), link(pmd), 0);
	for (unsigned long i = 1; i < k; i++) {
		unsigned long t = ptm(SECMON_PTM_PT_ALLOC, h, 0, 0, 0).value;

		ptm(SECMON_PTM_PTE_SET, h, pmd + (i - 1) * 8, link(t), 0);
	}
	ptm(SECMON_PTM_AS_DESTROY, h, 0, 0, 0);
	con_snprintf(name, sizeof(name),
		     "ptm-create-destroy-%lu-tables (per table)", k);
	report(name, insns() - t0, k);
	(void)pmd;
}

static void bench_tvm(void)
{
	unsigned long sw = SATP_SV39 | (PA(swapper) >> 12);
	unsigned long t0, n = 20000;

	t0 = insns();
	for (unsigned long i = 0; i < n; i++) {
		pl_probe_satp(sw);
	}
	report("tvm-satp-write-emulated", insns() - t0, n);
	t0 = insns();
	for (unsigned long i = 0; i < n; i++) {
		pl_probe_sfence();
	}
	report("tvm-sfence-vma-emulated", insns() - t0, n);
}

static void bench_ptm_paged(void)
{
	unsigned long h, pmd, pte;

	pl_voff = HIGH_BASE - RAM_ALIAS;
	lock(PA(swapper), PA(tramp));
	h = ptm(SECMON_PTM_AS_CREATE, 0, 0, 0, 0).value;
	pmd = ptm(SECMON_PTM_PT_ALLOC, h, 1, 0, 0).value;
	pte = ptm(SECMON_PTM_PT_ALLOC, h, 0, 0, 0).value;
	ptm(SECMON_PTM_PTE_SET, h, root_pa(h), link(pmd), 0);
	ptm(SECMON_PTM_PTE_SET, h, pmd, link(pte), 0);
	bench_pte_set(h, pte);
	bench_batch(h, pte);
	ptm(SECMON_PTM_AS_DESTROY, h, 0, 0, 0);
	bench_lifecycle(1);
	bench_lifecycle(64);
	bench_lifecycle(512);
	bench_tvm();
	pl_printf("bench done\n");
	SBI2(SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET, SBI_SRST_TYPE_SHUTDOWN, 0);
	for (;;) {
	}
}

void pl_bench_ptm(void)
{
	if (have_ptm()) {
		continue_paged(bench_ptm_paged);
	}
}

/*
 * ---- tools/bench: throughput on 1, 2 and 4 harts (secmon.payload=scale) ----
 *
 * Each worker (worker 0 is the boot hart) owns its own address space and
 * makes SCALE_CALLS calls; a round times all of them from the start to the
 * last one done, in wall time (no -icount: the harts run in parallel).
 * SBI BASE takes no lock at all, so its scaling is what the host gives;
 * PTE_SET's shows what the monitor's locks leave of it.
 */
#define SCALE_CALLS 100000UL
#define SCALE_KIND_BASE 0
#define SCALE_KIND_PTE_SET 1

static struct {
	volatile unsigned long kind; /* of this round */
	volatile unsigned long arrived, go; /* the start barrier */
	volatile unsigned long handle[PL_MAX_HARTS], pte[PL_MAX_HARTS];
	volatile unsigned long end[PL_MAX_HARTS]; /* pl_read_time() */
	volatile unsigned long errors;
	unsigned long hart[4], nworkers; /* worker -> hart; worker 0 boots */
} scale;

static void scale_calls(unsigned long w)
{
	unsigned long h = scale.handle[w], pte = scale.pte[w], errs = 0;
	unsigned long val = leaf(data_pa + (w + 64) * PG, U | R | W);

	for (unsigned long i = 0; i < SCALE_CALLS; i++) {
		if (scale.kind == SCALE_KIND_BASE) {
			errs += SBI0(SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION)
				    .error != 0;
		} else {
			errs += ptm(SECMON_PTM_PTE_SET, h, pte,
				    (i & 1) ? 0 : val, 0)
				    .error != 0;
		}
	}
	if (errs) {
		__atomic_fetch_add(&scale.errors, errs, __ATOMIC_SEQ_CST);
	}
	scale.end[w] = pl_read_time();
}

/* A secondary, started for one round (opaque = its worker index): it
 * waits at the barrier, works, and returns to be stopped. Harts not in a
 * round stay stopped, so they take no host time from the workers. */
void pl_scale_worker(unsigned long hartid)
{
	unsigned long w = pl_harts[hartid].opaque;

	__atomic_fetch_add(&scale.arrived, 1, __ATOMIC_SEQ_CST);
	while (!scale.go) {
	}
	scale_calls(w);
	pl_harts[hartid].command = PL_CMD_STOP;
}

/* Secondaries that can take part, in worker order (worker 0: boot hart). */
static unsigned long scale_harts(unsigned long *hart)
{
	unsigned long n = 1;

	for (unsigned long h = 0; h < pl_env.nharts && n < 4; h++) {
		if (h != pl_env.boot_hartid) {
			hart[n++] = h;
		}
	}
	return n;
}

/* Wait (bounded) for a started hart to be stopped again. */
static bool scale_wait_stopped(unsigned long h)
{
	unsigned long t0 = pl_read_time();

	while (pl_read_time() - t0 < 600000000UL) {
		if (SBI1(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, h).value ==
		    SBI_HSM_STATE_STOPPED) {
			return true;
		}
	}
	return false;
}

/* One round on n workers: elapsed ticks from the barrier to the last
 * worker done, 0 on failure. */
static unsigned long scale_round(unsigned long kind, unsigned long n,
				 const unsigned long *hart)
{
	unsigned long t0, last = 0;

	scale.kind = kind;
	scale.arrived = 0;
	scale.go = 0;
	for (unsigned long w = 1; w < n; w++) {
		pl_harts[hart[w]].command = PL_CMD_SCALE;
		if (SBI3(SBI_EXT_HSM, SBI_HSM_HART_START, hart[w],
			 PA(pl_secondary_entry), w)
			.error) {
			pl_printf("FAIL scale: hart %lu did not start\n",
				  hart[w]);
			return 0;
		}
	}
	while (scale.arrived != n - 1) {
	}
	t0 = pl_read_time();
	scale.go = 1;
	scale_calls(0);
	for (unsigned long w = 0; w < n; w++) {
		if (w && !scale_wait_stopped(hart[w])) {
			pl_printf("FAIL scale: worker %lu did not finish\n", w);
			return 0;
		}
		last = scale.end[w] - t0 > last ? scale.end[w] - t0 : last;
	}
	return last;
}

static void scale_setup(unsigned long nworkers)
{
	for (unsigned long w = 0; w < nworkers; w++) {
		unsigned long h = ptm(SECMON_PTM_AS_CREATE, 0, 0, 0, 0).value;
		unsigned long pmd = ptm(SECMON_PTM_PT_ALLOC, h, 1, 0, 0).value;
		unsigned long pte = ptm(SECMON_PTM_PT_ALLOC, h, 0, 0, 0).value;

		ptm(SECMON_PTM_PTE_SET, h, root_pa(h), link(pmd), 0);
		ptm(SECMON_PTM_PTE_SET, h, pmd, link(pte), 0);
		scale.handle[w] = h;
		scale.pte[w] = pte;
	}
}

/* Rounds on 1, 2, then 4 workers (as many as there are harts). */
static void scale_rounds(unsigned long kind)
{
	for (unsigned long n = 1; n <= scale.nworkers; n *= 2) {
		unsigned long t = scale_round(kind, n, scale.hart);

		/* No table of names: its pointers would be physical
		 * addresses, unmapped once paging is on. 10 MHz timebase
		 * (QEMU virt): ticks / 10 = us. */
		pl_printf("scale %s harts %lu: %lu calls in %lu us\n",
			  kind ? "ptm-pte-set" : "base-get-spec-version", n,
			  n * SCALE_CALLS, t / 10);
	}
}

static void bench_scale_paged(void)
{
	pl_voff = HIGH_BASE - RAM_ALIAS;
	lock(PA(swapper), PA(tramp));
	scale_setup(scale.nworkers);
	scale_rounds(SCALE_KIND_PTE_SET);
	CHECK_EQ(scale.errors, 0, "scale/no-call-refused");
	CHECK_EQ(ptm(SECMON_PTM_CHECK, 0, 0, 0, 0).error, 0,
		 "scale/invariants-hold");
	pl_finish();
}

/* BASE on any firmware; PTE_SET where the page-table ABI is. */
void pl_bench_scale(void)
{
	scale.nworkers = scale_harts(scale.hart);
	scale_rounds(SCALE_KIND_BASE);
	CHECK_EQ(scale.errors, 0, "scale/no-call-refused");
	if (!have_ptm()) {
		pl_printf("scale: no page-table ABI, PTE_SET not measured\n");
		pl_finish();
	}
	continue_paged(bench_scale_paged);
}

/*
 * secmon.payload=gdb: a known address space for the gdb extension's test
 * (test/qemu/gdb_cases.sh). The payload builds it, prints its handle, root
 * and STATS, loads its root into satp and stops in pl_gdb_stop(), where
 * the test breaks and compares the extension's output with these lines.
 */
__attribute__((noinline)) void pl_gdb_stop(void)
{
	for (;;) {
		__asm__ volatile("nop");
	}
}

/* n 4 KiB user leaves in table pte from slot first, over the data pages. */
static void gdb_fill(unsigned long h, unsigned long pte, unsigned first,
		     unsigned n)
{
	for (unsigned i = first; i < first + n; i++) {
		ptm(SECMON_PTM_PTE_SET, h, pte + i * 8,
		    leaf(data_pa + (i % 64) * PG, U | R | W), 0);
	}
}

static unsigned long gdb_table(unsigned long h, unsigned long parent_pa,
			       unsigned slot, unsigned level)
{
	unsigned long t = ptm(SECMON_PTM_PT_ALLOC, h, level, 0, 0).value;

	ptm(SECMON_PTM_PTE_SET, h, parent_pa + slot * 8, link(t), 0);
	return t;
}

static void gdb_print_stats(unsigned long h)
{
	ptm(SECMON_PTM_STATS, h, PA(&st), 0, 0);
	pl_printf(
	    "payload: gdb stats handle 0x%lx level2 %lu level1 %lu "
	    "level0 %lu tables %lu leaf_entries %lu leaf_pages %lu "
	    "user_leaf_pages %lu\n",
	    h, (unsigned long)st.pages_level[2],
	    (unsigned long)st.pages_level[1], (unsigned long)st.pages_level[0],
	    (unsigned long)st.table_pages, (unsigned long)st.leaf_entries,
	    (unsigned long)st.leaf_pages, (unsigned long)st.user_leaf_pages);
}

static void gdb_paged(void)
{
	unsigned long h, h2, pmd_a, pmd_b, t, spare;
	struct secmon_stats *g;

	pl_voff = HIGH_BASE - RAM_ALIAS;
	lock(PA(swapper), PA(tramp));
	/* h: root -> 2 PMDs -> 4 PTE tables, 4 KiB leaves and one 2 MiB. */
	h = ptm(SECMON_PTM_AS_CREATE, 0, 0, 0, 0).value;
	pmd_a = gdb_table(h, root_pa(h), 0, 1);
	pmd_b = gdb_table(h, root_pa(h), 3, 1);
	gdb_fill(h, gdb_table(h, pmd_a, 0, 0), 16, 10);
	gdb_fill(h, gdb_table(h, pmd_a, 1, 0), 0, 100);
	gdb_fill(h, gdb_table(h, pmd_a, 5, 0), 500, 3);
	gdb_fill(h, gdb_table(h, pmd_b, 0, 0), 7, 7);
	ptm(SECMON_PTM_PTE_SET, h, pmd_a + 8 * 8,
	    leaf(pl_env.ram_base + 0x800000, U | R), 0);
	/* h2: a small second AS, and one freed table in quarantine. */
	h2 = ptm(SECMON_PTM_AS_CREATE, 0, 0, 0, 0).value;
	t = gdb_table(h2, gdb_table(h2, root_pa(h2), 1, 1), 2, 0);
	gdb_fill(h2, t, 0, 1);
	spare = ptm(SECMON_PTM_PT_ALLOC, h2, 0, 0, 0).value;
	ptm(SECMON_PTM_PT_FREE, h2, spare, 0, 0);
	pl_printf("payload: gdb as handle 0x%lx root 0x%lx\n", h, root_pa(h));
	pl_printf("payload: gdb as handle 0x%lx root 0x%lx\n", h2, root_pa(h2));
	gdb_print_stats(h);
	gdb_print_stats(h2);
	pl_printf("payload: gdb va 0x%x pa 0x%lx\n", 0x10000,
		  data_pa + 16 * PG);
	g = global_stats();
	pl_printf("payload: gdb global pool %lu free %lu quarantine %lu roots "
		  "%lu tables %lu live %lu zombie %lu\n",
		  (unsigned long)g->pool_pages, (unsigned long)g->free_pages,
		  (unsigned long)g->quarantine_pages,
		  (unsigned long)g->root_pages,
		  (unsigned long)g->table_pages_all, (unsigned long)g->live_as,
		  (unsigned long)g->zombie_as);
	pl_probe_satp(SATP_SV39 | (root_pa(h) >> 12));
	pl_printf("payload: gdb check %ld; satp 0x%lx; stopping in "
		  "pl_gdb_stop\n",
		  ptm(SECMON_PTM_CHECK, 0, 0, 0, 0).error,
		  SATP_SV39 | (root_pa(h) >> 12));
	pl_gdb_stop();
}

void pl_gdb_mode(void)
{
	if (!have_ptm()) {
		pl_printf("FAIL gdb mode: no page-table pool\n");
		pl_finish();
	}
	continue_paged(gdb_paged);
}
