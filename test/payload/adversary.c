// SPDX-License-Identifier: BSD-2-Clause
/*
 * secmon.payload=adversary: S-mode as the attacker, one case per class of
 * docs/threat-model.md "Edges", each checking the protected state itself
 * (bytes of the pool and the roots, which harts answer), not only the
 * error code:
 *   - bytes: DBCN read of loopback-UART bytes into the pool, a live table,
 *     the kernel roots and the monitor; STATS and BATCH buffers there;
 *   - devices: stores to another hart's MSIP and loads of mtime fault, and
 *     every hart still answers a remote fence;
 *   - LOCK: refused while another hart runs a forged root, or while the
 *     swapper's kernel half has a U=1 leaf, with the protection taken back;
 *     harts started while LOCK runs end up behind the sret gate;
 *   - CHECK: loops on one hart while three harts churn the ABI, and never
 *     reports a violation;
 *   - entry: a hart started after LOCK cannot sret to U-mode with satp = 0.
 * The payload boots with -smp 4 for this mode (test/qemu/cases.sh).
 */
#include <libfdt.h>
#include <string.h>

#include <secmon/abi.h>

#include "payload.h"

#define PG 4096UL
#define HIGH_BASE 0xFFFFFFFF80000000UL
#define RAM_ALIAS 0x80000000UL
/* Kernel-half slot 509: the first GiB (devices) at IO_BASE. */
#define IO_BASE 0xFFFFFFFF40000000UL
#define SATP_SV39 (8UL << 60)

/* 16550 registers. */
#define UART_FCR 2
#define UART_MCR 4
#define UART_LSR 5
#define MCR_LOOP 0x10
#define LSR_THRE 0x20

#define PA(p) ((unsigned long)(p)-pl_voff)
#define VA(pa) ((volatile uint64_t *)((unsigned long)(pa) + pl_voff))

/* Sub-commands for the secondaries (PL_CMD_ADVERSARY). */
#define ADV_WAIT 0
#define ADV_FORGED 1 /* run S-mode on the forged root */
#define ADV_BARE_USER 2 /* sret to U-mode with satp = 0 */
#define ADV_CHURN 3 /* pl_ptm_worker */
#define ADV_STOP 4
#define ADV_SRET_S 5 /* take an S-mode trap: its sret back is emulated */
#define ADV_SUSPEND_NR 6 /* non-retentive suspend; on resume, BARE_USER */
#define SIE_SSIE (1UL << 1)

static uint64_t a_swapper[512] __attribute__((aligned(4096)));
static uint64_t a_tramp[512] __attribute__((aligned(4096)));
static uint64_t forged[512] __attribute__((aligned(4096)));
static volatile unsigned long adv_cmd[PL_MAX_HARTS];
static volatile unsigned long adv_state[PL_MAX_HARTS]; /* hart reports */
static volatile long adv_result[PL_MAX_HARTS];
static unsigned long uart_pa, clint_pa, pool_base, data_pa;
static unsigned long forged_hart; /* the hart in forged_spin */
extern char _payload_end[];

static unsigned long reg_base(const char *compat)
{
	int node = fdt_node_offset_by_compatible(pl_env.fdt, -1, compat);
	const fdt32_t *reg =
	    node >= 0 ? fdt_getprop(pl_env.fdt, node, "reg", NULL) : NULL;

	return reg ? (unsigned long)fdt32_to_cpu(reg[0]) << 32 |
			 fdt32_to_cpu(reg[1])
		   : 0;
}

static void find_devices(void)
{
	uart_pa = reg_base("ns16550a");
	clint_pa = reg_base("riscv,clint0") ?: reg_base("sifive,clint0");
	pool_base = reg_base("secmon,pt-pool");
	data_pa = pl_env.ram_base + 0x600000;
}

/* ---- bytes: the UART in loopback chooses what DBCN read stores ---- */

static unsigned long dev(unsigned long pa);

static volatile uint8_t *uart(void)
{
	return (volatile uint8_t *)dev(uart_pa);
}

/* A PTE value: a user mapping of the kernel image, writable. */
static const uint8_t evil[8] = {0xdf, 0x00, 0x08, 0x20, 0, 0, 0, 0};

/*
 * Send evil through the loopback and ask DBCN to store it at target. Prints
 * nothing while the loop is closed (output would loop back too). Returns
 * the read's error; *kept is how many looped bytes a good buffer got
 * afterwards (a refused read must consume none).
 */
static long loopback_read(unsigned long target, unsigned long *kept)
{
	static char sink[64];
	volatile uint8_t *u = uart();
	struct sbiret r, k;

	u[UART_FCR] = 0x07; /* FIFO on, both cleared */
	u[UART_MCR] |= MCR_LOOP;
	for (unsigned i = 0; i < sizeof(evil); i++) {
		while (!(u[UART_LSR] & LSR_THRE)) {
		}
		u[0] = evil[i];
	}
	r = SBI3(SBI_EXT_DBCN, SBI_DBCN_READ, sizeof(evil), target, 0);
	k = SBI3(SBI_EXT_DBCN, SBI_DBCN_READ, sizeof(sink), PA(sink), 0);
	u[UART_MCR] &= (uint8_t)~MCR_LOOP;
	*kept = k.error ? 0 : (unsigned long)k.value;
	return r.error;
}

/* One page's bytes, to compare before and after. */
static uint64_t page_sum(unsigned long pa)
{
	uint64_t s = 0;

	for (unsigned i = 0; i < 512; i++) {
		s = s * 31 + VA(pa & ~(PG - 1))[i];
	}
	return s;
}

static void dbcn_target(unsigned long pa, const char *name)
{
	uint64_t before = page_sum(pa);
	unsigned long kept;
	long err = loopback_read(pa, &kept);

	pl_printf("adversary: DBCN read of looped bytes into %s (0x%lx)\n",
		  name, pa);
	CHECK_EQ(err, SBI_ERR_INVALID_PARAM, "adversary/dbcn-read-refused");
	CHECK_EQ(page_sum(pa), before, "adversary/dbcn-read-target-unchanged");
	CHECK_EQ(kept, sizeof(evil), "adversary/dbcn-read-input-kept");
}

/* ---- devices ---- */

/* Devices sit in the first GiB: reached through slot 509 once paged. */
static unsigned long dev(unsigned long pa)
{
	return pa + (pl_voff ? IO_BASE : 0);
}

static void device_cases(void)
{
	struct pl_trap_record t;
	unsigned long other = pl_env.boot_hartid ? 0 : 1;

	if (!clint_pa) {
		pl_printf("adversary: no CLINT node; device cases skipped\n");
		return;
	}
	pl_expect_trap();
	/* MSIP is a 32-bit register: a wider store would fault anyway. */
	pl_probe_store32(dev(clint_pa + 4 * other), 0);
	t = pl_trap_result();
	CHECK_EQ(t.cause, 7, "adversary/clint-msip-store-faults");
	pl_expect_trap();
	pl_probe_load(dev(clint_pa + 0xBFF8));
	t = pl_trap_result();
	CHECK_EQ(t.cause, 5, "adversary/clint-mtime-load-faults");
	pl_expect_trap();
	pl_probe_store(dev(clint_pa + 0x4000 + 8 * pl_env.boot_hartid), 0);
	t = pl_trap_result();
	CHECK_EQ(t.cause, 7, "adversary/clint-mtimecmp-store-faults");
}

/* ---- secondaries ---- */

static void start_hart(unsigned long h, unsigned long cmd)
{
	adv_cmd[h] = cmd;
	adv_state[h] = 0;
	pl_harts[h].command = PL_CMD_ADVERSARY;
	CHECK_EQ(SBI3(SBI_EXT_HSM, SBI_HSM_HART_START, h,
		      (unsigned long)pl_secondary_entry - pl_voff, 0)
		     .error,
		 0, "adversary/hart-start");
}

static bool wait_state(unsigned long h, unsigned long want)
{
	unsigned long t0 = pl_read_time();

	while (adv_state[h] != want) {
		if (pl_read_time() - t0 > 300000000UL) {
			return false;
		}
	}
	return true;
}

static bool wait_stopped(unsigned long h)
{
	unsigned long t0 = pl_read_time();

	while (SBI1(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, h).value !=
	       SBI_HSM_STATE_STOPPED) {
		if (pl_read_time() - t0 > 300000000UL) {
			return false;
		}
	}
	return true;
}

static void forged_spin(void)
{
	unsigned long h = forged_hart;

	adv_state[h] = 1; /* running S-mode on the forged root */
	while (adv_cmd[h] != ADV_STOP) {
	}
	adv_state[h] = 2;
	SBI0(SBI_EXT_HSM, SBI_HSM_HART_STOP);
}

/*
 * On a root, past the gate: suspend non-retentively. The hart resumes at
 * pl_secondary_entry with satp = 0 and, back in pl_adversary_secondary,
 * tries U-mode bare.
 */
static unsigned long suspend_hart;

static void suspend_paged(void)
{
	unsigned long h = suspend_hart;

	adv_cmd[h] = ADV_BARE_USER;
	adv_state[h] = 6;
	__asm__ volatile("csrs sie, %0" ::"r"(SIE_SSIE));
	adv_result[h] = SBI3(SBI_EXT_HSM, SBI_HSM_HART_SUSPEND, 0x80000000UL,
			     (unsigned long)pl_secondary_entry - pl_voff, 0)
			    .error;
	adv_state[h] = 7; /* only if the suspend failed */
	for (;;) {
	}
}

/* Runs on a secondary in bare mode (PL_CMD_ADVERSARY). */
void pl_adversary_secondary(unsigned long h)
{
	for (;;) {
		switch (adv_cmd[h]) {
		case ADV_FORGED:
			forged_hart = h;
			/* Bare mode: addresses are physical here. */
			pl_paging_continue(SATP_SV39 |
					       ((unsigned long)forged >> 12),
					   HIGH_BASE - RAM_ALIAS, forged_spin);
		case ADV_BARE_USER:
			adv_result[h] =
			    (long)pl_user_run((unsigned long)pl_user_prog);
			adv_cmd[h] = ADV_WAIT;
			adv_state[h] = 3;
			break;
		case ADV_SRET_S: {
			struct pl_trap_record t;

			pl_expect_trap();
			pl_probe_csrr_mscratch();
			t = pl_trap_result();
			adv_result[h] = t.cause;
			adv_cmd[h] = ADV_WAIT;
			adv_state[h] = 5;
			break;
		}
		case ADV_SUSPEND_NR:
			/* Load the swapper first (that leaves the sret gate),
			 * then suspend from there. */
			suspend_hart = h;
			pl_paging_continue(
			    SATP_SV39 | ((unsigned long)a_swapper >> 12),
			    HIGH_BASE - RAM_ALIAS, suspend_paged);
		case ADV_CHURN:
			/* Long enough for the CHECK loop to interleave. */
			for (int round = 0; round < 3; round++) {
				pl_ptm_worker_errors[h] = 0;
				pl_ptm_worker(h);
				if (pl_ptm_worker_errors[h] != 1) {
					break;
				}
			}
			adv_cmd[h] = ADV_WAIT;
			adv_state[h] = 4;
			break;
		case ADV_STOP:
			return;
		default:
			break;
		}
	}
}

/* ---- LOCK ---- */

static long lock(void)
{
	return ptm(SECMON_PTM_LOCK, PA(a_swapper), PA(a_tramp), 0x80200000UL,
		   PA(_payload_end))
	    .error;
}

static bool swapper_writable(void)
{
	struct pl_trap_record t;
	uint64_t v = a_swapper[100];

	pl_expect_trap();
	pl_probe_store((unsigned long)&a_swapper[100], v);
	t = pl_trap_result();
	return t.cause == -1;
}

static void lock_forged_hart_case(void)
{
	unsigned long h = 1;

	/* The forged root: the kernel half, plus a user mapping nobody
	 * checked (the monitor's own memory, writable). */
	memcpy(forged, a_swapper, sizeof(forged));
	forged[0] =
	    leaf(pl_env.mon_base & ~((1UL << 30) - 1), U | R | W | X | A | D);
	start_hart(h, ADV_FORGED);
	CHECK(wait_state(h, 1), "adversary/forged-hart-running");
	CHECK_EQ(lock(), SBI_ERR_DENIED,
		 "adversary/lock-refused-while-a-hart-runs-a-forged-root");
	CHECK_EQ(ptm(SECMON_PTM_INFO, SECMON_INFO_LOCKED, 0, 0, 0).value, 0,
		 "adversary/lock-refused-left-unlocked");
	CHECK(swapper_writable(), "adversary/lock-refused-protection-back");
	adv_cmd[h] = ADV_STOP;
	CHECK(wait_stopped(h), "adversary/forged-hart-stopped");
}

static void lock_kernel_half_case(void)
{
	a_swapper[300] = leaf(0xC0000000UL, U | R | W | A | D | G);
	CHECK_EQ(lock(), SBI_ERR_DENIED,
		 "adversary/lock-refused-user-leaf-in-kernel-half");
	CHECK_EQ(ptm(SECMON_PTM_INFO, SECMON_INFO_LOCKED, 0, 0, 0).value, 0,
		 "adversary/lock-refused-kernel-half-unlocked");
	a_swapper[300] = 0;
}

/*
 * Harts 2 and 3 are started just before LOCK, so they enter S-mode while
 * it runs or right after. Either way they must end up behind the sret
 * gate: U-mode with satp = 0 is refused as an illegal instruction.
 */
static void lock_with_starting_harts_case(void)
{
	for (unsigned long h = 2; h < 4; h++) {
		start_hart(h, ADV_WAIT);
	}
	CHECK_EQ(lock(), 0, "adversary/lock-ok-while-harts-start");
	for (unsigned long h = 2; h < 4; h++) {
		adv_cmd[h] = ADV_BARE_USER;
		CHECK(wait_state(h, 3), "adversary/bare-user-attempt-returned");
		CHECK_EQ(adv_result[h], 2,
			 "adversary/sret-to-user-with-satp-0-refused");
		/* Behind the gate, an sret back to S-mode still works: the
		 * monitor performs it. */
		adv_cmd[h] = ADV_SRET_S;
		CHECK(wait_state(h, 5), "adversary/gated-hart-s-trap-returned");
		CHECK_EQ(adv_result[h], 2, "adversary/gated-hart-sret-to-s-ok");
	}
}

/*
 * A non-retentive resume after LOCK is an entry into S-mode like a start:
 * satp = 0 on the way in, and U-mode stays out until a root is loaded.
 * The hart had loaded the swapper before it suspended, so only the resume
 * path can have put it behind the gate again.
 */
static void resume_gate_case(void)
{
	unsigned long h = 2, t0;
	long st = -1;

	adv_cmd[h] = ADV_SUSPEND_NR;
	CHECK(wait_state(h, 6), "adversary/hart-suspending");
	for (t0 = pl_read_time(); pl_read_time() - t0 < 100000000UL;) {
		st = SBI1(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, h).value;
		if (st == SBI_HSM_STATE_SUSPENDED) {
			break;
		}
	}
	CHECK_EQ(st, SBI_HSM_STATE_SUSPENDED, "adversary/hart-suspended");
	SBI2(SBI_EXT_IPI, SBI_IPI_SEND_IPI, 1UL << h, 0);
	CHECK(wait_state(h, 3), "adversary/resumed-bare-user-attempt-returned");
	CHECK_EQ(adv_result[h], 2,
		 "adversary/sret-to-user-after-non-retentive-resume-refused");
}

/* ---- bytes after LOCK: a live table and the roots ---- */

static void buffer_cases(void)
{
	unsigned long h = ptm(SECMON_PTM_AS_CREATE, 0, 0, 0, 0).value;
	unsigned long root = SECMON_HANDLE_ROOT_PA(pool_base, h);
	unsigned long pmd = ptm(SECMON_PTM_PT_ALLOC, h, 1, 0, 0).value;
	unsigned long pte = ptm(SECMON_PTM_PT_ALLOC, h, 0, 0, 0).value;
	const unsigned long bad[] = {pte + 8, root, PA(a_swapper), PA(a_tramp),
				     pool_base + 0x1000};
	struct sbiret r;
	uint64_t before;

	CHECK(h && pmd && pte, "adversary/live-space");
	ptm(SECMON_PTM_PTE_SET, h, root, link(pmd), 0);
	ptm(SECMON_PTM_PTE_SET, h, pmd, link(pte), 0);
	ptm(SECMON_PTM_PTE_SET, h, pte, leaf(data_pa, U | R), 0);
	dbcn_target(pte + 8, "a live PTE table");
	dbcn_target(root + 8, "a live root");
	dbcn_target(PA(a_swapper), "the swapper root");
	dbcn_target(PA(a_tramp) + 8, "the trampoline root");
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		before = page_sum(bad[i]);
		CHECK_EQ(ptm(SECMON_PTM_STATS, SECMON_STATS_GLOBAL,
			     bad[i] & ~7UL, 0, 0)
			     .error,
			 SBI_ERR_INVALID_ADDRESS, "adversary/stats-refused");
		CHECK_EQ(page_sum(bad[i]), before,
			 "adversary/stats-target-unchanged");
		r = ptm(SECMON_PTM_BATCH, h, bad[i] & ~7UL, 1, 0);
		CHECK_EQ(r.error, SBI_ERR_INVALID_ADDRESS,
			 "adversary/batch-from-forbidden-buffer");
		CHECK_EQ(r.value, 0, "adversary/batch-applied-nothing");
	}
	CHECK_EQ(ptm(SECMON_PTM_CHECK, 0, 0, 0, 0).error, 0,
		 "adversary/check-after-buffers");
}

/* ---- CHECK under load ---- */

static void check_storm_case(void)
{
	unsigned long checks = 0, fails = 0;
	bool busy = true;

	for (unsigned long h = 2; h < 4; h++) {
		adv_state[h] = 0;
		adv_cmd[h] = ADV_CHURN;
	}
	start_hart(1, ADV_CHURN); /* stopped after the forged-root case */
	while (busy) {
		fails += ptm(SECMON_PTM_CHECK, 0, 0, 0, 0).error != 0;
		checks++;
		busy = false;
		for (unsigned long h = 1; h < 4; h++) {
			busy |= adv_state[h] != 4;
		}
	}
	pl_printf("adversary: %lu CHECK calls while 3 harts churned\n", checks);
	CHECK(checks > 1, "adversary/check-ran-during-churn");
	CHECK_EQ(fails, 0, "adversary/check-no-false-reports-under-load");
	for (unsigned long h = 1; h < 4; h++) {
		CHECK_EQ(pl_ptm_worker_errors[h], 1,
			 "adversary/churn-worker-no-errors");
	}
}

static void stop_harts(void)
{
	for (unsigned long h = 1; h < 4; h++) {
		adv_cmd[h] = ADV_STOP;
		pl_harts[h].command = PL_CMD_STOP;
		CHECK(wait_stopped(h), "adversary/hart-stopped-at-end");
	}
}

static void liveness_case(void)
{
	unsigned long mask = 0;

	for (unsigned long h = 0; h < 4; h++) {
		mask |= 1UL << h;
	}
	/* Every running hart must acknowledge a fence: none was starved. */
	CHECK_EQ(sbi_ecall(SBI_EXT_RFENCE, SBI_RFENCE_SFENCE_VMA, mask, 0, 0,
			   ~0UL, 0, 0)
		     .error,
		 0, "adversary/all-harts-answer-a-remote-fence");
}

static void adversary_paged(void)
{
	pl_voff = HIGH_BASE - RAM_ALIAS;
	lock_forged_hart_case();
	lock_kernel_half_case();
	lock_with_starting_harts_case();
	resume_gate_case();
	buffer_cases();
	device_cases();
	check_storm_case();
	liveness_case();
	stop_harts();
	CHECK_EQ(ptm(SECMON_PTM_CHECK, 0, 0, 0, 0).error, 0,
		 "adversary/check-at-end");
	pl_finish();
}

void pl_adversary(void)
{
	find_devices();
	pl_ptm_find_pool();
	if (!pool_base || !uart_pa || pl_env.nharts < 4) {
		CHECK(0, "adversary/needs-pool-uart-and-4-harts");
		pl_finish();
	}
	device_cases();
	/* Before LOCK and paging: the pool is the monitor's from boot. */
	dbcn_target(pool_base, "the pool");
	a_swapper[510] = leaf(RAM_ALIAS, R | W | X | G | A | D);
	a_swapper[509] = leaf(0, R | W | G | A | D);
	a_tramp[510] = a_swapper[510];
	a_tramp[509] = a_swapper[509];
	pl_paging_continue(SATP_SV39 | (PA(a_swapper) >> 12),
			   HIGH_BASE - RAM_ALIAS, adversary_paged);
}
