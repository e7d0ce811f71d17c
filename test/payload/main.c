// SPDX-License-Identifier: BSD-2-Clause
/*
 * S-mode test payload: boots on the monitor in place of a kernel, runs the
 * suites, prints "N passed, M failed" and powers off through SRST (with
 * the system-failure reason if anything failed, so QEMU exits non-zero).
 */
#include <libfdt.h>
#include <stdarg.h>
#include <string.h>

#include "console.h"
#include "payload.h"

struct pl_env pl_env;
struct pl_hart pl_harts[PL_MAX_HARTS];
__attribute__((aligned(16))) unsigned char pl_stacks[PL_MAX_HARTS][8192];

static unsigned long passed, failed;

/* The monitor takes physical addresses; after the PTM suite turns paging
 * on, the boot hart runs at a high alias of RAM. */
static unsigned long to_pa(const void *p)
{
	unsigned long va = (unsigned long)p;

	return va >= 0xFFFFFFFF80000000UL ? va - 0xFFFFFFFF00000000UL : va;
}

static void put_raw(const char *s, size_t n)
{
	struct sbiret r = SBI3(SBI_EXT_DBCN, SBI_DBCN_WRITE, n, to_pa(s), 0);

	if (r.error) {
		for (size_t i = 0; i < n; i++) {
			SBI1(SBI_LEGACY_CONSOLE_PUTCHAR, 0, s[i]);
		}
	}
}

void pl_printf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = con_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	put_raw(buf, n < sizeof(buf) ? n : sizeof(buf) - 1);
}

void pl_check(bool ok, const char *name, const char *file, int line, long got,
	      long want)
{
	if (ok) {
		passed++;
		pl_printf("PASS %s\n", name);
	} else {
		failed++;
		pl_printf(
		    "FAIL %s: got %ld (0x%lx), want %ld (0x%lx) at %s:%d\n",
		    name, got, (unsigned long)got, want, (unsigned long)want,
		    file, line);
	}
}

static unsigned long read_reg0(const void *fdt, int node, unsigned long *size)
{
	int len;
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);

	if (!reg || len < 16) {
		*size = 0;
		return 0;
	}
	*size =
	    ((unsigned long)fdt32_to_cpu(reg[2]) << 32) | fdt32_to_cpu(reg[3]);
	return ((unsigned long)fdt32_to_cpu(reg[0]) << 32) |
	       fdt32_to_cpu(reg[1]);
}

static void find_env(unsigned long hartid, const void *fdt)
{
	const fdt32_t *tb;
	int node, cpus;

	pl_env.boot_hartid = hartid;
	pl_env.fdt = fdt;
	node =
	    fdt_node_offset_by_prop_value(fdt, -1, "device_type", "memory", 7);
	pl_env.ram_base = read_reg0(fdt, node, &pl_env.ram_size);
	node = fdt_path_offset(fdt, "/reserved-memory");
	node = fdt_node_offset_by_compatible(fdt, node, "secmon,monitor");
	pl_env.mon_base =
	    node >= 0 ? read_reg0(fdt, node, &pl_env.mon_size) : 0;
	node = fdt_node_offset_by_compatible(fdt, -1, "secmon,records");
	pl_env.rec_base =
	    node >= 0 ? read_reg0(fdt, node, &pl_env.rec_size) : 0;
	cpus = fdt_path_offset(fdt, "/cpus");
	tb = fdt_getprop(fdt, cpus, "timebase-frequency", NULL);
	pl_env.timebase_hz = tb ? fdt32_to_cpu(*tb) : 10000000;
	fdt_for_each_subnode (node, fdt, cpus) {
		const char *t = fdt_getprop(fdt, node, "device_type", NULL);

		if (t && !strcmp(t, "cpu")) {
			pl_env.nharts++;
		}
	}
}

bool pl_bootargs_has(const char *word)
{
	int chosen = fdt_path_offset(pl_env.fdt, "/chosen");
	const char *args =
	    chosen >= 0 ? fdt_getprop(pl_env.fdt, chosen, "bootargs", NULL)
			: NULL;
	size_t n = strlen(word);

	for (const char *p = args; p && *p;) {
		if (!strncmp(p, word, n) && (p[n] == ' ' || p[n] == '\0')) {
			return true;
		}
		p = strchr(p, ' ');
		p = p ? p + 1 : NULL;
	}
	return false;
}

/*
 * SRST reboots: boot 1 asks for a cold reboot, boot 2 for a warm one,
 * boot 3 reports. The boot count lives in RAM outside the payload image,
 * which QEMU reloads on reset while leaving other RAM as it was.
 */
#define REBOOT_MAGIC 0x5EC0B007UL

static void pl_reboot_test(void)
{
	volatile unsigned long *m =
	    (volatile unsigned long *)(pl_env.ram_base + 0x400000);
	struct sbiret r;

	if (m[0] != REBOOT_MAGIC) {
		m[0] = REBOOT_MAGIC;
		m[1] = 1;
	} else {
		m[1]++;
	}
	pl_printf("payload: reboot test: boot %lu\n", m[1]);
	if (m[1] == 1 || m[1] == 2) {
		r = SBI2(SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET,
			 m[1] == 1 ? SBI_SRST_TYPE_COLD_REBOOT
				   : SBI_SRST_TYPE_WARM_REBOOT,
			 SBI_SRST_REASON_NONE);
		CHECK_EQ(r.error, 0xbad, "srst/reboot-returned");
		pl_finish();
	}
	CHECK_EQ(m[1], 3, "srst/cold-then-warm-reboot-booted-three-times");
	m[0] = 0;
	pl_finish();
}

void pl_secondary(unsigned long hartid, unsigned long opaque)
{
	if (hartid >= PL_MAX_HARTS) {
		return;
	}
	pl_harts[hartid].opaque = opaque;
	__atomic_fetch_add(&pl_harts[hartid].arrived, 1, __ATOMIC_SEQ_CST);
	pl_harts[hartid].seen = pl_harts[hartid].command;
	if (pl_harts[hartid].command == PL_CMD_SUSPEND) {
		pl_secondary_suspend(hartid);
	}
	if (pl_harts[hartid].command == PL_CMD_PTM) {
		pl_ptm_worker(hartid);
	}
	if (pl_harts[hartid].command == PL_CMD_ADVERSARY) {
		pl_adversary_secondary(hartid);
	}
	if (pl_harts[hartid].command == PL_CMD_SCALE) {
		pl_scale_worker(hartid);
	}
	while (pl_harts[hartid].command != PL_CMD_STOP) {
		__asm__ volatile("nop");
	}
	pl_harts[hartid].command = PL_CMD_IDLE;
	SBI0(SBI_EXT_HSM, SBI_HSM_HART_STOP);
	pl_printf("FAIL hsm/stop-returned on hart %lu\n", hartid);
}

void pl_main(unsigned long hartid, const void *fdt)
{
	unsigned long t = pl_read_time(); /* the firmware's boot, in ticks */

	pl_printf(
	    "payload: secmon S-mode test payload on hart %lu (time %lu)\n",
	    hartid, t);
	find_env(hartid, fdt);
	pl_printf("payload: %lu harts, RAM 0x%lx+0x%lx, monitor 0x%lx+0x%lx, "
		  "records 0x%lx+0x%lx\n",
		  pl_env.nharts, pl_env.ram_base, pl_env.ram_size,
		  pl_env.mon_base, pl_env.mon_size, pl_env.rec_base,
		  pl_env.rec_size);
	if (pl_bootargs_has("secmon.payload=bench")) {
		pl_bench();
		pl_bench_ptm(); /* does not return on secmon */
		pl_printf("bench done\n");
		SBI2(SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET,
		     SBI_SRST_TYPE_SHUTDOWN, SBI_SRST_REASON_NONE);
		return;
	}
	if (pl_bootargs_has("secmon.payload=fences")) {
		pl_bench_fences(); /* does not return */
	}
	if (pl_bootargs_has("secmon.payload=scale")) {
		pl_bench_scale(); /* does not return */
	}
	if (pl_bootargs_has("secmon.payload=gdb")) {
		pl_gdb_mode(); /* stops for the debugger; never returns */
	}
	if (pl_bootargs_has("secmon.payload=adversary")) {
		pl_adversary();
	}
	if (pl_bootargs_has("secmon.payload=reboot")) {
		pl_reboot_test();
	}
	suite_base();
	suite_time_ipi();
	suite_rfence();
	suite_hyp();
	suite_hsm();
	suite_traps();
	suite_srst_dbcn();
	suite_pmu();
	suite_fwft();
	suite_sse();
	suite_dbtr();
	suite_suspend(); /* continues in pl_resumed(), ends in pl_finish() */
}

void pl_finish(void)
{
	pl_printf("%lu passed, %lu failed\n", passed, failed);
	SBI2(SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET, SBI_SRST_TYPE_SHUTDOWN,
	     failed ? SBI_SRST_REASON_SYSFAIL : SBI_SRST_REASON_NONE);
	for (;;) {
		__asm__ volatile("wfi");
	}
}
