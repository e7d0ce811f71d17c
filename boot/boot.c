// SPDX-License-Identifier: BSD-2-Clause
/*
 * Cold boot. Every hart arrives in boot_main() on its own stack. One hart
 * (the fw_dynamic_info choice, else the first to win a lottery) clears
 * .bss, reads and fixes up the device tree, prints the banner, programs
 * PMP and enters the OS. The others wait for the platform to be ready, set
 * themselves up and sit in STOPPED until HSM hart_start.
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

/* One stack per hartid, outside .bss (see entry.S). */
struct hart_stack {
	unsigned char bytes[HART_STACK_SIZE];
} __attribute__((aligned(16)));
__attribute__((
    section(".stacks"))) struct hart_stack hart_stacks[SECMON_MAX_HARTS];

/* The trap frame at the top of hart h's stack (trap_entry.S). */
struct trap_frame *rv_hart_frame(unsigned long h)
{
	return (struct trap_frame *)(hart_stacks[h].bytes + HART_STACK_SIZE -
				     TRAP_FRAME_SIZE);
}

bool arch_profile(uint64_t *entries, uint64_t *insns)
{
#ifdef SECMON_PROFILE
	*entries = 0;
	*insns = 0;
	for (unsigned long h = 0; h < SECMON_MAX_HARTS; h++) {
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

/* Boot progress, in .data so that clearing .bss cannot reset it. */
#define STAGE_RESET 0
#define STAGE_BSS_CLEAR 1
#define STAGE_READY 2
__attribute__((section(".data"))) static int boot_stage = STAGE_RESET;
__attribute__((section(".data"))) static int boot_lottery = 0;

/* The PMP plan every hart applies, and the regions it encodes (banner).
 * LOCK rewrites it while other harts may be applying it: plan_lock. */
/* monitor, records, pool, two kernel roots, the devices, everything else */
#define PMP_REGIONS_MAX (MEMMAP_MAX_DEVICES + 6)
static struct pmp_plan pmp;
static struct pmp_region pmp_regions[PMP_REGIONS_MAX];
static const char *pmp_what[PMP_REGIONS_MAX];
static int pmp_nregions;
static struct lock plan_lock = LOCK_INIT;
static unsigned long boot_hartid;
static bool tvm_on; /* set by LOCK (and cleared by a refused one) */
/* The satp each hart saw when it last acted on a RESYNC request; read by
 * the LOCK hart after that hart's acknowledgement. */
static unsigned long resync_satp[SECMON_MAX_HARTS];
static struct plat_reserve pool, records;
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

static bool pick_boot_hart(unsigned long hartid, uintptr_t info)
{
	const struct fw_dynamic_info *fi = NULL;
	long want;

	if (boot_info_plausible(info)) {
		fi = (const struct fw_dynamic_info *)info;
	}
	want = boot_preferred_hart(fi, SECMON_MAX_HARTS);
	if (want >= 0) {
		return (unsigned long)want == hartid;
	}
	return __atomic_exchange_n(&boot_lottery, 1, __ATOMIC_ACQ_REL) == 0;
}

static void wait_stage(int stage)
{
	while (__atomic_load_n(&boot_stage, __ATOMIC_ACQUIRE) < stage) {
		arch_relax();
	}
}

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
	for (unsigned int h = 0; h < SECMON_MAX_HARTS; h++) {
		if (plat.harts[h].present && !(plat.harts[h].isa & isa)) {
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
	con_printf("%s): beyond this build's %d (SECMON_MAX_HARTS); "
		   "disabled in the OS's tree\n",
		   plat.nskipped > PLAT_MAX_SKIPPED ? " ..." : "",
		   SECMON_MAX_HARTS);
}

static void print_banner(const void *fdt, const struct fw_dynamic_info *fi)
{
	const struct plat_hart *bh = &plat.harts[boot_hartid];

	con_printf("\nsecmon %lu.%lu.%lu: RISC-V M-mode security monitor, SBI "
		   "v%d.%d\n",
		   SECMON_IMPL_VERSION >> 16, (SECMON_IMPL_VERSION >> 8) & 0xff,
		   SECMON_IMPL_VERSION & 0xff, SBI_SPEC_VERSION_MAJOR,
		   SBI_SPEC_VERSION_MINOR);
	con_printf("  harts    %u (boot hart %lu, build max %d)\n", plat.nharts,
		   boot_hartid, SECMON_MAX_HARTS);
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
	con_printf("  records  0x%lx-0x%lx (%lu KiB, %u spaces max), S/U: "
		   "no access\n",
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
	    dbtr_count(boot_hartid), SECMON_EXT_PTM);
	print_pmu();
	con_printf(
	    "  isa      'h' hidden from the OS (no hypervisor support)\n");
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

static void check_layout(const struct fw_dynamic_info *fi)
{
	struct memmap_range mon = memmap_monitor();
	uint64_t fdt = mon.base + mon.size;
	char msg[128];

	if (!plat_in_ram(&plat, mon.base, mon.size + FDT_HANDOFF_SIZE)) {
		boot_fail("memory map", "the monitor and its FDT window are "
					"not inside /memory");
	}
	if (!plat_in_ram(&plat, fi->next_addr, 4) ||
	    overlaps(fi->next_addr, 1, mon.base, mon.size + FDT_HANDOFF_SIZE)) {
		con_snprintf(
		    msg, sizeof(msg),
		    "next stage address 0x%lx is outside RAM or inside "
		    "the monitor (0x%lx + 0x%x)",
		    fi->next_addr, (unsigned long)mon.base,
		    MONITOR_WINDOW_SIZE + FDT_HANDOFF_SIZE);
		boot_fail("fw_dynamic_info", msg);
	}
	if (plat.initrd_end > plat.initrd_start &&
	    overlaps(plat.initrd_start, plat.initrd_end - plat.initrd_start,
		     fdt, FDT_HANDOFF_SIZE)) {
		boot_fail("memory map", "the initrd overlaps the FDT window "
					"after the monitor");
	}
}

/* PMP plan and TVM: applied at hart setup, on every entry into S-mode,
 * and whenever LOCK asks (RESYNC). */
static void apply_protection(void)
{
	struct pmp_plan p;

	lock_acquire(&plan_lock);
	p = pmp;
	lock_release(&plan_lock);
	pmp_apply(&p);
	rv_set_tvm(__atomic_load_n(&tvm_on, __ATOMIC_ACQUIRE));
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

static void setup_this_hart(unsigned long hartid)
{
	rv_hart_setup(plat.harts[hartid].isa);
	pmu_hart_reset(hartid);
	fwft_hart_reset(hartid);
	sse_hart_reset(hartid);
	dbtr_hart_reset(hartid);
	apply_protection();
}

/* Ask every other running hart to act on bits, and wait for those asked;
 * returns the set asked. A hart that starts meanwhile is not waited for:
 * it applies the protection itself on its way into S-mode. */
static unsigned long all_other_harts(unsigned long self, unsigned long bits)
{
	unsigned long ticket[SECMON_MAX_HARTS] = {0};
	unsigned long asked = 0;

	for (unsigned long h = 0; h < SECMON_MAX_HARTS; h++) {
		if (h != self && hsm_running(h)) {
			ticket[h] = hart_post(h, bits);
			asked |= 1UL << h;
		}
	}
	for (unsigned long h = 0; h < SECMON_MAX_HARTS; h++) {
		if (asked & (1UL << h)) {
			hart_wait(self, h, ticket[h]);
		}
	}
	return asked;
}

void ptm_hook_flush_all_harts(unsigned long self)
{
	all_other_harts(self, HART_MSG_SFENCE_VMA);
	arch_sfence_vma_all();
}

/*
 * Ordering against harts that start now (boot_enter_os): this hart
 * publishes tvm_on and then reads the HSM states; a starting hart
 * publishes STARTED and then takes the PTM gate (held here alone) before it
 * reads tvm_on. Either the state read here sees it running, and it gets
 * a RESYNC, or it sees LOCK's outcome once the lock is free. The full
 * fence keeps the store of tvm_on before the loads of the states.
 */
void ptm_hook_protect(unsigned long self, bool on,
		      uint64_t satp[SECMON_MAX_HARTS])
{
	unsigned long asked;

	plan_pmp();
	__atomic_store_n(&tvm_on, on, __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	asked = all_other_harts(self, HART_MSG_RESYNC);
	apply_protection();
	for (unsigned long h = 0; h < SECMON_MAX_HARTS; h++) {
		satp[h] = asked & (1UL << h) ? resync_satp[h] : 0;
	}
	satp[self] = arch_read_satp();
	if (on) {
		con_printf("secmon: hart %lu locking page tables: swapper "
			   "0x%lx, trampoline 0x%lx; PMP and TVM on for every "
			   "hart\n",
			   self, (unsigned long)memmap_kernel_root(0),
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
	       !overlaps(base, size, mon.base, mon.size + FDT_HANDOFF_SIZE) &&
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

/*
 * The pool's records (page records, address-space slots, the checker's
 * tallies; ptm_records_size()), a power of two aligned to its size (one
 * NAPOT PMP entry): right below the pool, else right above it.
 */
static void place_records(const struct fw_dynamic_info *fi)
{
	uint64_t size = ptm_records_size(pool.size, NULL);
	uint64_t below = (pool.base - size) & ~(size - 1);
	uint64_t above = (pool.base + pool.size + size - 1) & ~(size - 1);
	char msg[160];

	if (size && pool.base >= size && room_for(below, size, fi)) {
		records = (struct plat_reserve){below, size};
	} else if (size && room_for(above, size, fi)) {
		records = (struct plat_reserve){above, size};
	}
	if (!records.size ||
	    ptm_init(pool.base, pool.size, records.base, records.size)) {
		con_snprintf(msg, sizeof(msg),
			     "no room for the monitor's 0x%lx bytes of page "
			     "records next to the 0x%lx-byte pool at 0x%lx",
			     (unsigned long)size, (unsigned long)pool.size,
			     (unsigned long)pool.base);
		boot_fail("page-table pool", msg);
	}
	ptm_set_pbmt(all_harts_have(PLAT_ISA_SVPBMT));
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
	for (unsigned int h = 0; h < SECMON_MAX_HARTS; h++) {
		const struct plat_hart *ph = &plat.harts[h];

		if (ph->present) {
			ok = ok && !memmap_add_device(ph->msip, 4, "mswi");
			ok = ok &&
			     !memmap_add_device(ph->mtimecmp, 8, "mtimecmp");
		}
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

__attribute__((noreturn)) static void boot_cold(unsigned long hartid,
						void *fdt_in, uintptr_t info)
{
	const struct fw_dynamic_info *fi =
	    boot_info_plausible(info) ? (void *)info : NULL;
	struct plat_reserve mon = {(uintptr_t)_monitor_start,
				   MONITOR_WINDOW_SIZE};
	char err[160];

	memset(_bss_start, 0, (size_t)(_bss_end - _bss_start));
	__atomic_store_n(&boot_stage, STAGE_BSS_CLEAR, __ATOMIC_RELEASE);
	boot_hartid = hartid;
	memmap_reset();
	memmap_set_monitor(mon.base, mon.size);
	if (plat_fdt_copy(fdt_in, handoff_fdt(), FDT_HANDOFF_SIZE, err,
			  sizeof(err)) ||
	    plat_parse(handoff_fdt(), &plat, err, sizeof(err))) {
		boot_fail("device tree", err);
	}
	con_init(&plat.uart);
	aia_sources = plat_aia_setup(handoff_fdt(), &aia_aplic);
	fill_memmap();
	if (boot_check_info(fi, err, sizeof(err))) {
		boot_fail("fw_dynamic_info", err);
	}
	check_layout(fi);
	place_pool(fi);
	place_records(fi);
	if (plat_fixup_pool(handoff_fdt(), &pool, &records, err, sizeof(err)) ||
	    plat_fixup(handoff_fdt(), &mon, err, sizeof(err))) {
		boot_fail("device tree fix-up", err);
	}
	hart_table_init(&plat);
	hsm_init(hartid);
	pmu_init(&plat);
	sse_init(hartid);
	plan_pmp();
	__atomic_store_n(&boot_stage, STAGE_READY, __ATOMIC_RELEASE);
	setup_this_hart(hartid);
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
void boot_enter_os(unsigned long hartid, unsigned long addr, unsigned long arg)
{
	bool locked;

	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	locked = ptm_hart_entering(hartid);
	apply_protection();
	rv_set_tsr(locked);
	rv_enter_smode(addr, hartid, arg);
}

void boot_stopped_loop(unsigned long hartid)
{
	unsigned long addr, arg;

	/* A stopped hart holds no root: AS_DESTROY may take the one it ran
	 * on. STOPPED is published first: the OS polls for it, and the PTM
	 * lock may be busy. */
	rv_write_satp(0);
	hsm_stopped(hartid);
	ptm_satp_note(hartid, 0);
	arch_mtimer_irq(false);
	for (;;) {
		if (hsm_take_start(hartid, &addr, &arg)) {
			pmu_hart_reset(hartid);
			fwft_hart_reset(hartid);
			sse_hart_reset(hartid);
			dbtr_hart_reset(hartid);
			boot_enter_os(hartid, addr, arg);
		}
		arch_wfi();
		hart_serve(hartid);
	}
}

void boot_main(unsigned long hartid, void *fdt, void *info)
{
	if (pick_boot_hart(hartid, (uintptr_t)info)) {
		boot_cold(hartid, fdt, (uintptr_t)info);
	}
	wait_stage(STAGE_READY);
	if (!hart_exists(hartid)) {
		/* Running but not described by the device tree: stay out. */
		rv_halt();
	}
	setup_this_hart(hartid);
	boot_stopped_loop(hartid);
}
