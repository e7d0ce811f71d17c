// SPDX-License-Identifier: BSD-2-Clause
/*
 * Cold boot. Harts arrive in entry.S with no stack. One at a time they ask
 * boot_claim() on the single boot stack whether they are the boot hart
 * (the fw_dynamic_info choice if the tree has it, else the first to ask).
 * The boot hart clears .bss, reads and fixes up the device tree, sizes and
 * places the per-hart region (stacks and records for as many harts as the
 * tree has), prints the banner, programs PMP and enters the OS. The others
 * sleep in wfi until the boot hart publishes the hart table (boot_harts)
 * and rings their MSIP; each then finds its own stack by its hartid, sets
 * itself up and sits in STOPPED until HSM hart_start.
 */
#include <libfdt.h>
#include <string.h>

#include "arch_rv.h"
#include "boot.h"
#include "console.h"
#include "dbtr.h"
#include "fwft.h"
#include "hart.h"
#include "hsm.h"
#include "lock.h"
#include "memmap.h"
#include "platform.h"
#include "pmp.h"
#include "pmu.h"
#include "ptm.h"
#include "sbi.h"
#include "sse.h"

extern char _monitor_start[], _bss_start[], _bss_end[], _image_end[];

/*
 * Stacks. Each is HART_STACK_SIZE bytes aligned to its size, with the
 * trap frame on top: trap_entry.S finds the frame from sp alone. The boot
 * hart keeps the one boot stack in the monitor window (outside .bss,
 * which it clears while on it); every other hart's is in the per-hart
 * region, found through boot_harts.
 */
struct hart_stack {
	unsigned char bytes[HART_STACK_SIZE];
} __attribute__((aligned(HART_STACK_SIZE)));
__attribute__((section(".stacks"))) struct hart_stack boot_stack;

/* What entry.S reads, stackless, to find its stack: written by the boot
 * hart, then ready published with a release store. In .data: .bss is
 * cleared under the waiting harts' feet. */
struct boot_harts {
	uint64_t ready;
	uint64_t n;
	const struct plat_hart *table; /* plat.harts: ascending hartid */
	struct hart_stack *stacks; /* [n], hart i's at stacks[i] */
};
static_assert(offsetof(struct boot_harts, ready) == BOOT_HARTS_READY &&
		  offsetof(struct boot_harts, n) == BOOT_HARTS_N &&
		  offsetof(struct boot_harts, table) == BOOT_HARTS_TABLE &&
		  offsetof(struct boot_harts, stacks) == BOOT_HARTS_STACKS &&
		  sizeof(struct plat_hart) == BOOT_HART_SIZE,
	      "entry.S reads boot_harts by the offsets in layout.h");
__attribute__((section(".data"))) struct boot_harts boot_harts;
/* entry.S: set once the boot hart is chosen. */
__attribute__((section(".data"))) uint32_t boot_claimed;

static unsigned long boot_hart; /* its index; its stack is boot_stack */

/* The trap frame at the top of hart h's stack (trap_entry.S). */
struct trap_frame *rv_hart_frame(unsigned long h)
{
	struct hart_stack *st =
	    h == boot_hart ? &boot_stack : &boot_harts.stacks[h];

	return (struct trap_frame *)(st->bytes + HART_STACK_SIZE -
				     TRAP_FRAME_SIZE);
}

bool arch_profile(uint64_t *entries, uint64_t *insns)
{
#ifdef SECMON_PROFILE
	*entries = 0;
	*insns = 0;
	for (unsigned long h = 0; h < hart_count(); h++) {
		/* Another hart's running totals: a torn sum at worst. */
		*entries += __atomic_load_n(&rv_hart_frame(h)->entries,
					    __ATOMIC_RELAXED);
		*insns += __atomic_load_n(&rv_hart_frame(h)->minsns,
					  __ATOMIC_RELAXED);
	}
	return true;
#else
	(void)entries;
	(void)insns;
	return false;
#endif
}

/* The PMP plan every hart applies, and the regions it encodes (banner).
 * LOCK rewrites it while other harts may be applying it: plan_lock. */
/* monitor, records, pool, two kernel roots, the devices, everything else */
#define PMP_REGIONS_MAX (MEMMAP_MAX_DEVICES + 6)
static struct pmp_plan pmp;
static struct pmp_region pmp_regions[PMP_REGIONS_MAX];
static const char *pmp_what[PMP_REGIONS_MAX];
static int pmp_nregions;
static struct lock plan_lock = LOCK_INIT;
static bool tvm_on; /* set by LOCK (and cleared by a refused one) */
/* The satp each hart saw when it last acted on a RESYNC request; read by
 * the LOCK hart after that hart's acknowledgement. [hart_count()], in the
 * per-hart region. */
static unsigned long *resync_satp;
static struct plat_reserve pool, records;
/* The records region: the page-table manager's records, then the
 * per-hart region (stacks, hart table, every component's per-hart
 * arrays, resync_satp). */
static uint64_t records_ptm; /* bytes of it ptm_records_size() wants */
static uint64_t harts_bytes; /* bytes of it the per-hart region takes */
static size_t handoff_size; /* the OS's FDT copy after the window */
static unsigned int aia_sources; /* delegated by plat_aia_setup */
static uint64_t aia_aplic;
static void plan_pmp(void);

#define NEXT_STAGE_MIN_SIZE (2UL << 20)

/* Where the monitor prints before it has read the device tree. */
#ifndef SECMON_EARLYCON_BASE
#define SECMON_EARLYCON_BASE 0
#endif
#ifndef SECMON_EARLY_TEST_BASE
#define SECMON_EARLY_TEST_BASE 0
#endif

__attribute__((noreturn)) static void boot_fail(const char *what,
						const char *detail)
{
	if (!con_ready() && SECMON_EARLYCON_BASE) {
		struct con_uart early = {SECMON_EARLYCON_BASE, 0, 1};

		con_init(&early);
	}
	con_printf("\nsecmon: BOOT ERROR: %s: %s\n", what, detail);
	con_printf("secmon: the OS was not started. Fix the device tree or "
		   "QEMU command line and retry.\n");
	if (!plat.test_base) {
		plat.test_base = SECMON_EARLY_TEST_BASE;
	}
	plat_fail(2);
	rv_halt();
}

static const char *perm_str(uint8_t perm)
{
	static const char *const s[8] = {"---", "r--", "-w-", "rw-",
					 "--x", "r-x", "-wx", "rwx"};

	return s[perm & 7];
}

/* Every present hart has the ISA feature (and rv_hart_setup enables it). */
static bool all_harts_have(unsigned int isa)
{
	for (unsigned int h = 0; h < plat.nharts; h++) {
		if (!(plat.harts[h].isa & isa)) {
			return false;
		}
	}
	return true;
}

/* Device ranges user leaves may map, three to a line: the banner stays
 * within 80 columns and one screen. */
static void print_devmem(void)
{
	con_printf("  devmem   %u range(s) user leaves may map%s", plat.nmmio,
		   plat.nmmio ? " (monitor devices excluded):" : "");
	for (unsigned int i = 0; i < plat.nmmio; i++) {
		con_printf("%s0x%lx+0x%lx", i % 3 ? " " : "\n           ",
			   (unsigned long)plat.mmio[i].base,
			   (unsigned long)plat.mmio[i].size);
	}
	con_printf("\n");
}

/* The counters S-mode may use: hardware ones by CSR, then firmware. */
static void print_pmu(void)
{
	uint32_t hw = pmu_hw_mask();
	unsigned int first = 3;

	con_printf("  pmu      %s%s", hw & 1 ? "cycle " : "",
		   hw & 4 ? "instret " : "");
	while (first < 32 && !(hw >> first & 1)) {
		first++;
	}
	if (first < 32) {
		con_printf("hpm%u-%u ", first, pmu_hw_count() - 1);
	}
	con_printf("+ %d firmware counters; overflow irq %s\n", PMU_FW_COUNTERS,
		   all_harts_have(PLAT_ISA_SSCOFPMF) ? "(Sscofpmf)" : "none");
	if (plat.pmu.dropped) {
		con_printf(
		    "  pmu      %u riscv,pmu row(s) ignored (malformed or "
		    "past %d)\n",
		    plat.pmu.dropped, PLAT_PMU_MAX_MAP);
	}
}

/* Harts the tree has and the build cannot hold: never started, and
 * disabled in the OS's tree. */
static void print_skipped(void)
{
	if (!plat.nskipped) {
		return;
	}
	con_printf("  harts    %u more in the device tree not started "
		   "(hartid",
		   plat.nskipped);
	for (unsigned int i = 0; i < plat.nskipped && i < PLAT_MAX_SKIPPED;
	     i++) {
		con_printf(" %lu", (unsigned long)plat.skipped[i]);
	}
	con_printf("%s): past the first %d (SECMON_HART_CAP); "
		   "disabled in the OS's tree\n",
		   plat.nskipped > PLAT_MAX_SKIPPED ? " ..." : "",
		   SECMON_HART_CAP);
}

static void print_banner(const void *fdt, const struct fw_dynamic_info *fi)
{
	const struct plat_hart *bh = &plat.harts[boot_hart];

	con_printf("\nsecmon %lu.%lu.%lu: RISC-V M-mode security monitor, SBI "
		   "v%d.%d\n",
		   SECMON_IMPL_VERSION >> 16, (SECMON_IMPL_VERSION >> 8) & 0xff,
		   SECMON_IMPL_VERSION & 0xff, SBI_SPEC_VERSION_MAJOR,
		   SBI_SPEC_VERSION_MINOR);
	con_printf("  harts    %u, hartids %lu-%lu (boot hart %lu); stacks "
		   "and per-hart state %lu KiB\n",
		   plat.nharts, (unsigned long)plat.harts[0].hartid,
		   (unsigned long)plat.harts[plat.nharts - 1].hartid,
		   (unsigned long)bh->hartid,
		   (unsigned long)(harts_bytes >> 10));
	print_skipped();
	for (unsigned int i = 0; i < plat.nmem; i++) {
		con_printf(
		    "  memory   0x%lx-0x%lx (%lu MiB)\n",
		    (unsigned long)plat.mem[i].base,
		    (unsigned long)(plat.mem[i].base + plat.mem[i].size - 1),
		    (unsigned long)(plat.mem[i].size >> 20));
	}
	con_printf(
	    "  monitor  0x%lx-0x%lx (%lu KiB window, image %lu KiB), "
	    "S/U: no access\n",
	    (unsigned long)memmap_monitor().base,
	    (unsigned long)(memmap_monitor().base + memmap_monitor().size - 1),
	    (unsigned long)(memmap_monitor().size >> 10),
	    (unsigned long)((_image_end - _monitor_start) >> 10));
	con_printf("  fdt      0x%lx (%u bytes, handed to the OS)\n",
		   (unsigned long)(uintptr_t)fdt, fdt_totalsize(fdt));
	for (int i = 0; i < pmp_nregions; i++) {
		const struct pmp_region *r = &pmp_regions[i];

		if (!r->size) {
			con_printf("  pmp      everything else %s\n",
				   perm_str(r->perm));
			continue;
		}
		con_printf("  pmp      0x%lx-0x%lx %s %s\n",
			   (unsigned long)r->base,
			   (unsigned long)(r->base + r->size - 1),
			   perm_str(r->perm), pmp_what[i]);
	}
	con_printf("  console  ns16550a @ 0x%lx\n",
		   (unsigned long)plat.uart.base);
	con_printf("  timer    mtime @ 0x%lx, %lu Hz%s\n",
		   (unsigned long)plat.mtime, (unsigned long)plat.timebase_hz,
		   bh->isa & PLAT_ISA_SSTC ? ", Sstc (stimecmp)"
					   : ", mtimecmp");
	con_printf(
	    "  pool     0x%lx-0x%lx (%lu MiB, %lu page-table pages), S/U: "
	    "read-only\n",
	    (unsigned long)pool.base,
	    (unsigned long)(pool.base + pool.size - 1),
	    (unsigned long)(pool.size >> 20), (unsigned long)(pool.size >> 12));
	con_printf("  records  0x%lx-0x%lx (%lu KiB, %u spaces max, per-hart "
		   "state), S/U: none\n",
		   (unsigned long)records.base,
		   (unsigned long)(records.base + records.size - 1),
		   (unsigned long)(records.size >> 10), ptm_max_spaces());
	print_devmem();
	if (all_harts_have(PLAT_ISA_SVPBMT)) {
		con_printf(
		    "  svpbmt   on every hart: user leaves may carry PBMT "
		    "NC or IO\n");
	}
	if (aia_sources) {
		con_printf("  aia      APLIC 0x%lx: %u sources delegated to "
			   "S-mode; the M-level controllers hidden from the "
			   "OS\n",
			   (unsigned long)aia_aplic, aia_sources);
	}
	con_printf("  reset    %s\n", plat.test_base ? "sifive,test" : "none");
	con_printf(
	    "  sbi      base time ipi rfence hsm srst dbcn susp pmu "
	    "fwft sse\n           dbtr (%u triggers) legacy, ptm 0x%lx\n",
	    dbtr_count(boot_hart), SECMON_EXT_PTM);
	print_pmu();
	if (hart_hyp()) {
		con_printf("  hyp      H offered to the OS: guest traps "
			   "delegated, hfence through RFENCE;\n           "
			   "after LOCK hgatp is sealed or a monitor-owned "
			   "G-stage root (HGATP_SET)\n");
	} else {
		con_printf("  hyp      'h' hidden from the OS: not every hart "
			   "has H\n");
	}
	con_printf("  protect  user page tables: off until the OS locks them "
		   "(secmon-ptm LOCK)\n");
	con_printf("  next     0x%lx in S-mode, a0=hartid a1=fdt\n",
		   fi->next_addr);
}

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

/* The FDT copy for the OS sits right after the monitor window. */
static void *handoff_fdt(void)
{
	return (void *)(uintptr_t)(memmap_monitor().base +
				   memmap_monitor().size);
}

/* A G-stage root (Sv39x4 and up) is 16 KiB aligned (priv spec v1.12
 * §8.5.1); the sealed hgatp names the monitor's base as one. */
#define GSTAGE_SEAL_ALIGN 0x4000UL
static_assert(MONITOR_WINDOW_SIZE % GSTAGE_SEAL_ALIGN == 0,
	      "priv spec v1.12 §8.5.1: the x4 root is 16 KiB");

static void check_layout(const struct fw_dynamic_info *fi)
{
	struct memmap_range mon = memmap_monitor();
	uint64_t fdt = mon.base + mon.size;
	char msg[128];

	if (!plat_in_ram(&plat, mon.base, mon.size + handoff_size)) {
		boot_fail("memory map", "the monitor and its FDT window are "
					"not inside /memory");
	}
	if (mon.base & (GSTAGE_SEAL_ALIGN - 1)) {
		boot_fail("memory map", "the monitor is not 16 KiB aligned: "
					"its base cannot seal hgatp");
	}
	if (!plat_in_ram(&plat, fi->next_addr, 4) ||
	    overlaps(fi->next_addr, 1, mon.base, mon.size + handoff_size)) {
		con_snprintf(
		    msg, sizeof(msg),
		    "next stage address 0x%lx is outside RAM or inside "
		    "the monitor (0x%lx + 0x%lx)",
		    fi->next_addr, (unsigned long)mon.base,
		    (unsigned long)(MONITOR_WINDOW_SIZE + handoff_size));
		boot_fail("fw_dynamic_info", msg);
	}
	if (plat.initrd_end > plat.initrd_start &&
	    overlaps(plat.initrd_start, plat.initrd_end - plat.initrd_start,
		     fdt, handoff_size)) {
		boot_fail("memory map", "the initrd overlaps the FDT window "
					"after the monitor");
	}
}

/* PMP plan and TVM: applied at hart setup, on every entry into S-mode,
 * and whenever LOCK asks (RESYNC). */
static void apply_protection(void)
{
	struct pmp_plan p;
	bool on = __atomic_load_n(&tvm_on, __ATOMIC_ACQUIRE);

	lock_acquire(&plan_lock);
	p = pmp;
	lock_release(&plan_lock);

	pmp_apply(&p);
	rv_set_tvm(on);
	/* Locked: no guest runs on the identity map (ptm_hgatp_sealed: the
	 * monitor's first 16 KiB, aligned by check_layout). */
	rv_set_hgatp(on ? ptm_hgatp_sealed() : 0);
}

/*
 * RESYNC: this hart was running S-mode (or is on its way there) when LOCK
 * changed the protection. Apply it and report the satp this hart runs on;
 * with TVM on it cannot change that satp any more without the PTM gate,
 * which the LOCK hart holds. A hart still bare then may not reach U-mode
 * before it loads a root: the sret gate (TSR, trap/emulate.c).
 */
void hart_resync_hook(unsigned long self)
{
	unsigned long satp = arch_read_satp();
	bool on = __atomic_load_n(&tvm_on, __ATOMIC_ACQUIRE);

	apply_protection();
	rv_set_tsr(on && satp >> 60 == 0);
	resync_satp[self] = satp;
}

static void setup_this_hart(unsigned long hart)
{
	rv_hart_frame(hart)->hart = hart;
	rv_hart_setup(plat.harts[hart].isa);
	pmu_hart_reset(hart);
	fwft_hart_reset(hart);
	sse_hart_reset(hart);
	dbtr_hart_reset(hart);
	apply_protection();
}

/* Ask every other running hart to act on bits, and wait for those asked;
 * with asked, note in it (1) which harts were asked. A hart that starts
 * meanwhile is not waited for: it applies the protection itself on its
 * way into S-mode. */
static void all_other_harts(unsigned long self, unsigned long bits,
			    uint64_t *asked)
{
	struct hart_batch b = {0};

	for (unsigned long h = 0; h < hart_count(); h++) {
		if (h != self && hsm_running(h)) {
			hart_batch_post(self, &b, h, bits);
			if (asked) {
				asked[h] = 1;
			}
		}
	}
	hart_batch_wait(self, &b);
}

/* RESYNC re-applies the protection, whose hgatp is the seal. Holding
 * the PTM gate alone, as the flush does; a stopped hart holds none. */
void ptm_hook_reseal(unsigned long self, unsigned long hart)
{
	if (hart == self) {
		rv_set_hgatp(ptm_hgatp_sealed());
	} else if (hsm_running(hart)) {
		hart_wait(self, hart, hart_post(hart, HART_MSG_RESYNC));
	}
}

/* With H, pool pages may have been G-stage tables too: the guest
 * translations cached through them go as well. */
void ptm_hook_flush_all_harts(unsigned long self)
{
	bool hyp = hart_hyp();

	all_other_harts(
	    self, HART_MSG_SFENCE_VMA | (hyp ? HART_MSG_HFENCE_GVMA : 0), NULL);
	arch_sfence_vma_all();
	if (hyp) {
		arch_hfence_gvma(false, 0, false, 0);
	}
}

/*
 * Ordering against harts that start now (boot_enter_os): this hart
 * publishes tvm_on and then reads the HSM states; a starting hart
 * publishes STARTED and then takes the PTM gate (held here alone) before it
 * reads tvm_on. Either the state read here sees it running, and it gets
 * a RESYNC, or it sees LOCK's outcome once the lock is free. The full
 * fence keeps the store of tvm_on before the loads of the states.
 */
void ptm_hook_protect(unsigned long self, bool on, uint64_t *satp)
{
	plan_pmp();
	__atomic_store_n(&tvm_on, on, __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	/* satp[h] = 1 marks the harts asked; their reports replace it. */
	memset(satp, 0, hart_count() * sizeof(*satp));
	all_other_harts(self, HART_MSG_RESYNC, satp);
	apply_protection();
	for (unsigned long h = 0; h < hart_count(); h++) {
		satp[h] = satp[h] ? resync_satp[h] : 0;
	}
	satp[self] = arch_read_satp();
	if (on) {
		con_printf("secmon: hart %lu locking page tables: swapper "
			   "0x%lx, trampoline 0x%lx; PMP and TVM on for every "
			   "hart\n",
			   hart_id(self), (unsigned long)memmap_kernel_root(0),
			   (unsigned long)memmap_kernel_root(1));
	} else {
		con_printf("secmon: LOCK refused (a hart's satp or a root's "
			   "entries); protection taken back\n");
	}
}

/* Kernel extent from the RISC-V Linux Image header, when there is one. */
static uint64_t next_stage_size(uint64_t addr)
{
	const uint64_t *h = (const uint64_t *)(uintptr_t)addr;

	if (h[6] == 0x5643534952ULL &&
	    h[2] > NEXT_STAGE_MIN_SIZE) { /* "RISCV" */
		return h[2];
	}
	return NEXT_STAGE_MIN_SIZE;
}

/* [base, base + size) is free RAM for the pool or its records: inside
 * /memory, clear of the monitor and its FDT window, the kernel and the
 * initrd. */
static bool room_for(uint64_t base, uint64_t size,
		     const struct fw_dynamic_info *fi)
{
	struct memmap_range mon = memmap_monitor();

	return base + size > base && plat_in_ram(&plat, base, size) &&
	       !overlaps(base, size, mon.base, mon.size + handoff_size) &&
	       !overlaps(base, size, fi->next_addr,
			 next_stage_size(fi->next_addr)) &&
	       !(plat.initrd_end > plat.initrd_start &&
		 overlaps(base, size, plat.initrd_start,
			  plat.initrd_end - plat.initrd_start));
}

/*
 * The pool: /chosen/secmon,pool, else the size from the kernel command
 * line (secmon.pool=), /chosen/secmon,pool-size or plat_pool_default()
 * (monitor/platform), at the top of the first memory range,
 * aligned to its size so that one NAPOT PMP entry covers it.
 */
static void place_pool(const struct fw_dynamic_info *fi)
{
	const struct plat_mem *m = &plat.mem[0];
	uint64_t size = plat.pool_size ?: plat_pool_default(&plat);
	uint64_t base = plat.pool_base;
	char msg[160];

	if (!base && size <= m->size) {
		base = (m->base + m->size - size) & ~(size - 1);
	}
	if (!room_for(base, size, fi)) {
		con_snprintf(
		    msg, sizeof(msg),
		    "cannot place a 0x%lx-byte pool at 0x%lx (RAM, monitor, "
		    "kernel, initrd); set secmon.pool=SIZE, "
		    "/chosen/secmon,pool-size or secmon,pool",
		    (unsigned long)size, (unsigned long)base);
		boot_fail("page-table pool", msg);
	}
	pool = (struct plat_reserve){base, size};
}

/* Where the per-hart region's parts sit, as offsets in the records
 * region (which is aligned to its size, so stacks keep their alignment). */
struct hart_region {
	uint64_t stacks, table, area, resync, end;
};

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static void hart_region_layout(uint64_t start, unsigned int n,
			       struct hart_region *r)
{
	r->stacks = align_up(start, HART_STACK_SIZE);
	r->table = r->stacks + (uint64_t)n * HART_STACK_SIZE;
	r->area = align_up(r->table + n * sizeof(struct plat_hart), 64);
	r->resync = align_up(r->area + hart_area_layout(NULL, n), 64);
	r->end = r->resync + n * sizeof(*resync_satp);
}

/*
 * The records region: the pool's records (page records, address-space
 * slots, the checker's tallies; ptm_records_size()) and after them the
 * per-hart region, sized for the harts the tree has. A power of two
 * aligned to its size (one NAPOT PMP entry): right below the pool, else
 * right above it.
 */
static void place_records(const struct fw_dynamic_info *fi,
			  struct hart_region *hr)
{
	uint64_t size = PTM_PAGE_SIZE;
	uint64_t below, above;
	char msg[200];

	records_ptm = ptm_records_size(pool.size, NULL);
	hart_region_layout(records_ptm, plat.nharts, hr);
	harts_bytes = hr->end - hr->stacks;
	while (records_ptm && size < hr->end) {
		size <<= 1;
	}
	below = (pool.base - size) & ~(size - 1);
	above = (pool.base + pool.size + size - 1) & ~(size - 1);
	if (records_ptm && pool.base >= size && room_for(below, size, fi)) {
		records = (struct plat_reserve){below, size};
	} else if (records_ptm && room_for(above, size, fi)) {
		records = (struct plat_reserve){above, size};
	}
	if (!records.size ||
	    ptm_init(pool.base, pool.size, records.base, records.size)) {
		con_snprintf(msg, sizeof(msg),
			     "no room for the monitor's 0x%lx bytes of page "
			     "records and per-hart state (%u harts) next to "
			     "the 0x%lx-byte pool at 0x%lx; give QEMU more "
			     "memory (-m)",
			     (unsigned long)size, plat.nharts,
			     (unsigned long)pool.size,
			     (unsigned long)pool.base);
		boot_fail("page-table pool", msg);
	}
}

/* The memory map's guarded ranges in its priority order (first match
 * wins), then RWX for S/U everywhere else. */
static void plan_pmp(void)
{
	struct pmp_region r[PMP_REGIONS_MAX];
	const char *what[PMP_REGIONS_MAX];
	struct memmap_guard g;
	struct pmp_plan p;
	int n = 0;

	for (unsigned int i = 0; n < PMP_REGIONS_MAX - 1 && memmap_guard(i, &g);
	     i++) {
		what[n] = g.what;
		r[n++] = (struct pmp_region){
		    g.base, g.size,
		    g.s_access == MEMMAP_S_READ ? PMP_PERM_R : 0};
	}
	what[n] = "OS";
	r[n++] =
	    (struct pmp_region){0, 0, PMP_PERM_R | PMP_PERM_W | PMP_PERM_X};
	if (pmp_plan(r, n, &p)) {
		boot_fail("pmp", "cannot encode the protected regions");
	}
	lock_acquire(&plan_lock);
	pmp = p;
	memcpy(pmp_regions, r, sizeof(r));
	memcpy(pmp_what, what, sizeof(what));
	pmp_nregions = n;
	lock_release(&plan_lock);
}

/* Fill the memory map from the parsed tree (the monitor window is already
 * in it): RAM, device memory the OS may map, and every
 * CLINT / ACLINT register the monitor relies on (MSIP, mtimecmp, mtime). */
static void fill_memmap(void)
{
	bool ok = true;

	for (unsigned int i = 0; i < plat.nmem; i++) {
		ok = ok && !memmap_add_ram(plat.mem[i].base, plat.mem[i].size);
	}
	for (unsigned int i = 0; i < plat.nmdev; i++) {
		ok = ok && !memmap_add_device(plat.mdev[i].base,
					      plat.mdev[i].size, "clint");
	}
	for (unsigned int h = 0; h < plat.nharts; h++) {
		const struct plat_hart *ph = &plat.harts[h];

		/* Inside a CLINT / MSWI block above: merged, no new range. */
		ok = ok && !memmap_add_device(ph->msip, 4, "mswi");
		ok = ok && !memmap_add_device(ph->mtimecmp, 8, "mtimecmp");
	}
	ok = ok && !memmap_add_device(plat.mtime, 8, "mtime");
	for (unsigned int i = 0; i < plat.nmmio; i++) {
		ok = ok &&
		     !memmap_add_os_mmio(plat.mmio[i].base, plat.mmio[i].size);
	}
	if (!ok) {
		boot_fail("memory map", "too many RAM ranges or CLINT/ACLINT "
					"register blocks to protect");
	}
	/* The PTE rules look for the monitor's devices outside RAM only. */
	for (unsigned int i = 0; i < plat.nmem; i++) {
		if (memmap_in_device(plat.mem[i].base, plat.mem[i].size)) {
			boot_fail("memory map", "a CLINT/ACLINT register "
						"block overlaps /memory");
		}
	}
}

/* The OS's copy of the tree: room for the tree as given and the
 * fix-ups (reserved-memory nodes, disabled cpus), at least 64 KiB. */
static size_t handoff_size_for(const void *fdt_in)
{
	size_t n = fdt_check_header(fdt_in) ? 0 : fdt_totalsize(fdt_in);

	n = (n + 0x4000 + 0xfff) & ~(size_t)0xfff;
	return n > FDT_HANDOFF_MIN ? n : FDT_HANDOFF_MIN;
}

/* Lay out the per-hart region, fill the hart table and bring up every
 * component's per-hart state. */
static void setup_harts(const struct hart_region *hr)
{
	uint8_t *r = arch_phys_ptr(records.base, records.size);
	char err[160];

	if (plat_parse_harts(handoff_fdt(), &plat,
			     (struct plat_hart *)(r + hr->table), err,
			     sizeof(err))) {
		boot_fail("device tree", err);
	}
	if (!arch_has_h()) {
		/* The tree says H, the boot hart's misa does not: believe
		 * the hart, and offer no hypervisor. */
		for (unsigned int h = 0; h < plat.nharts; h++) {
			plat.harts[h].isa &= ~PLAT_ISA_H;
		}
	}
	hart_area_layout(r + hr->area, plat.nharts);
	resync_satp = (unsigned long *)(r + hr->resync);
	hart_table_init(&plat);
	boot_harts.n = plat.nharts;
	boot_harts.table = plat.harts;
	boot_harts.stacks = (struct hart_stack *)(r + hr->stacks);
}

/* Publish the hart table and ring every other hart: each leaves its wfi
 * in entry.S, finds its stack and comes to boot_secondary(). */
static void release_harts(void)
{
	__atomic_store_n(&boot_harts.ready, 1, __ATOMIC_RELEASE);
	for (unsigned long h = 0; h < plat.nharts; h++) {
		if (h != boot_hart) {
			arch_mmio_write32((uintptr_t)plat.harts[h].msip, 1);
		}
	}
}

__attribute__((noreturn)) static void boot_cold(unsigned long hartid,
						void *fdt_in, uintptr_t info)
{
	const struct fw_dynamic_info *fi =
	    boot_info_plausible(info) ? (void *)info : NULL;
	struct plat_reserve mon = {(uintptr_t)_monitor_start,
				   MONITOR_WINDOW_SIZE};
	struct hart_region hr;
	char err[160];
	long self;

	memset(_bss_start, 0, (size_t)(_bss_end - _bss_start));
	memmap_reset();
	memmap_set_monitor(mon.base, mon.size);
	handoff_size = handoff_size_for(fdt_in);
	if (plat_fdt_copy(fdt_in, handoff_fdt(), handoff_size, err,
			  sizeof(err)) ||
	    plat_parse(handoff_fdt(), &plat, err, sizeof(err))) {
		boot_fail("device tree", err);
	}
	con_init(&plat.uart);
	if (boot_check_info(fi, err, sizeof(err))) {
		boot_fail("fw_dynamic_info", err);
	}
	check_layout(fi);
	place_pool(fi);
	place_records(fi, &hr);
	setup_harts(&hr);
	self = hart_index(hartid);
	if (self < 0) {
		boot_fail("device tree", "the boot hart's hartid is not among "
					 "the harts the tree lists");
	}
	boot_hart = (unsigned long)self;
	ptm_set_pbmt(all_harts_have(PLAT_ISA_SVPBMT));
	aia_sources = plat_aia_setup(handoff_fdt(), &aia_aplic);
	fill_memmap();
	if (plat_fixup_pool(handoff_fdt(), &pool, &records, err, sizeof(err)) ||
	    plat_fixup(handoff_fdt(), &mon, hart_hyp(), err, sizeof(err))) {
		boot_fail("device tree fix-up", err);
	}
	hsm_init(boot_hart);
	pmu_init(&plat);
	sse_init(boot_hart);
	plan_pmp();
	release_harts();
	setup_this_hart(boot_hart);
	print_banner(handoff_fdt(), fi);
	rv_enter_smode(fi->next_addr, hartid, (uintptr_t)handoff_fdt());
}

/*
 * Every entry into S-mode after cold boot (HSM start, non-retentive and
 * system-suspend resume) comes here, with the hart's HSM state already
 * STARTED. The PTM gate orders this against LOCK (ptm_hook_protect):
 * once ptm_hart_entering() returns, LOCK's outcome is final, so the
 * protection applied next is the one that holds. The hart starts bare
 * (satp = 0); after LOCK, TSR gates its first sret to U-mode.
 */
void boot_enter_os(unsigned long hart, unsigned long addr, unsigned long arg)
{
	bool locked;

	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	locked = ptm_hart_entering(hart);
	apply_protection();
	rv_set_tsr(locked);
	rv_enter_smode(addr, hart_id(hart), arg);
}

void boot_stopped_loop(unsigned long hart)
{
	unsigned long addr, arg;

	/* A stopped hart holds no root: AS_DESTROY may take the one it ran
	 * on. STOPPED is published first: the OS polls for it, and the PTM
	 * lock may be busy. */
	rv_write_satp(0);
	hsm_stopped(hart);
	ptm_satp_note(hart, 0);
	arch_mtimer_irq(false);
	for (;;) {
		if (hsm_take_start(hart, &addr, &arg)) {
			pmu_hart_reset(hart);
			fwft_hart_reset(hart);
			sse_hart_reset(hart);
			dbtr_hart_reset(hart);
			boot_enter_os(hart, addr, arg);
		}
		arch_wfi();
		hart_serve(hart);
	}
}

/*
 * entry.S, on the boot stack, on the one hart it chose: fw_dynamic_info's
 * boot_hart, or the first hart to arrive. (A boot_hart that the tree does
 * not list leaves every hart waiting for it: the previous stage's block
 * is trusted as QEMU writes it.)
 */
void boot_claim(unsigned long hartid, void *fdt, void *info)
{
	boot_cold(hartid, fdt, (uintptr_t)info);
}

/* entry.S, on the hart's own stack, once boot_harts is published. */
void boot_secondary(unsigned long hart)
{
	setup_this_hart(hart);
	boot_stopped_loop(hart);
}
