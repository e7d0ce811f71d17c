// SPDX-License-Identifier: BSD-2-Clause
/* plat_fdt_copy and plat_fixup: what the OS receives. */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "support.h"

#define BUF_SIZE 65536

static unsigned char buf[BUF_SIZE] __attribute__((aligned(8)));
static char err[256];
static const struct plat_reserve mon = {0x80000000, 0x40000};

/* Copy the named tree into buf and apply the fix-ups (hyp: offer H). */
static int copy_and_fix_hyp(const char *name, bool hyp)
{
	void *src = test_dtb(name, NULL);
	int rc = plat_fdt_copy(src, buf, sizeof(buf), err, sizeof(err));

	free(src);
	if (rc) {
		return rc;
	}
	return plat_fixup(buf, &mon, hyp, err, sizeof(err));
}

static int copy_and_fix(const char *name)
{
	return copy_and_fix_hyp(name, false);
}

static void check_reservation(void)
{
	int rm = fdt_path_offset(buf, "/reserved-memory");
	int node = fdt_path_offset(buf, "/reserved-memory/secmon@80000000");
	const fdt32_t *reg;
	int len = -1;

	CHECK(rm >= 0);
	CHECK(node >= 0);
	CHECK_EQ(fdt_address_cells(buf, rm), 2);
	CHECK_EQ(fdt_size_cells(buf, rm), 2);
	CHECK(fdt_getprop(buf, rm, "ranges", NULL) != NULL);
	reg = fdt_getprop(buf, node, "reg", &len);
	CHECK_EQ(len, 16);
	if (reg && len == 16) {
		CHECK_EQ(fdt32_to_cpu(reg[0]), 0);
		CHECK_EQ(fdt32_to_cpu(reg[1]), 0x80000000);
		CHECK_EQ(fdt32_to_cpu(reg[2]), 0);
		CHECK_EQ(fdt32_to_cpu(reg[3]), 0x40000);
	}
	CHECK(fdt_getprop(buf, node, "no-map", &len) != NULL);
	CHECK_EQ(len, 0);
}

/* Every cpu's riscv,isa must equal want. */
static void check_isa(const char *want, unsigned int ncpus)
{
	int cpus = fdt_path_offset(buf, "/cpus");
	unsigned int seen = 0;
	int cpu;

	fdt_for_each_subnode (cpu, buf, cpus) {
		const char *isa = fdt_getprop(buf, cpu, "riscv,isa", NULL);

		if (!isa) {
			continue; /* cpu-map */
		}
		CHECK_STR(isa, want);
		seen++;
	}
	CHECK_EQ(seen, ncpus);
}

static void check_sane(unsigned int nharts)
{
	struct plat_info pi;
	char perr[200];

	CHECK_EQ(fdt_check_header(buf), 0);
	/* Packed: no slack between the blocks and the end. */
	CHECK_EQ(fdt_totalsize(buf),
		 fdt_off_dt_strings(buf) + fdt_size_dt_strings(buf));
	static struct plat_hart harts[8];

	CHECK_EQ(plat_parse(buf, &pi, perr, sizeof(perr)), PLAT_OK);
	CHECK_EQ(pi.nharts, nharts);
	CHECK(nharts <= 8);
	CHECK_EQ(plat_parse_harts(buf, &pi, harts, perr, sizeof(perr)),
		 PLAT_OK);
	for (unsigned int h = 0; h < nharts; h++) {
		CHECK(!(pi.harts[h].isa & PLAT_ISA_H));
	}
}

static void test_copy_too_small(void)
{
	size_t size;
	void *src = test_dtb("virt-1hart", &size);

	CHECK_EQ(plat_fdt_copy(src, buf, 256, err, sizeof(err)),
		 PLAT_ERR_SPACE);
	CHECK_CONTAINS(err, "256");
	CHECK_EQ(plat_fdt_copy(src, buf, size - 1, err, sizeof(err)),
		 PLAT_ERR_SPACE);
	free(src);
}

static void test_copy_invalid(void)
{
	unsigned char junk[64] = {0xd0, 0x0d, 0xfe, 0xee};

	CHECK_EQ(plat_fdt_copy(junk, buf, sizeof(buf), err, sizeof(err)),
		 PLAT_ERR_FDT);
	CHECK_CONTAINS(err, "invalid");
}

static void test_fixup_1hart(void)
{
	int cpu, len;
	const char *ext;

	CHECK_EQ(copy_and_fix("virt-1hart"), PLAT_OK);
	check_reservation();
	check_isa("rv64imafdc_zicbom_zicboz_zicntr_zicsr_zifencei_zihintntl_"
		  "zihintpause_zihpm_zawrs_zfa_zca_zcd_zba_zbb_zbc_zbs_sstc_"
		  "svadu",
		  1);
	/* The extension list loses "h" and keeps the rest, in order. */
	cpu = fdt_path_offset(buf, "/cpus/cpu@0");
	ext = fdt_getprop(buf, cpu, "riscv,isa-extensions", &len);
	CHECK(ext != NULL);
	if (ext) {
		static const char want[] = "i\0m\0a\0f\0d\0c\0zicbom\0zicboz";

		CHECK(!memcmp(ext, want, sizeof(want)));
		for (int i = 0; i < len; i += (int)strlen(ext + i) + 1) {
			CHECK(strcmp(ext + i, "h") != 0);
		}
		CHECK_STR(ext + len - 6, "svadu");
	}
	check_sane(1);
}

static void test_fixup_existing_reserved_memory(void)
{
	int rm, n = 0, node;

	CHECK_EQ(copy_and_fix("virt-4hart"), PLAT_OK);
	check_reservation();
	/* One /reserved-memory, holding the old node and the new one. */
	rm = fdt_path_offset(buf, "/reserved-memory");
	fdt_for_each_subnode (node, buf, rm) {
		n++;
	}
	CHECK_EQ(n, 2);
	CHECK(fdt_path_offset(buf, "/reserved-memory/shared@88000000") >= 0);
	n = 0;
	fdt_for_each_subnode (node, buf, 0) {
		n += !strcmp(fdt_get_name(buf, node, NULL), "reserved-memory");
	}
	CHECK_EQ(n, 1);
	/* "zihintpause" keeps its h: only single letters lose it. */
	check_isa("rv64imafdc_zicsr_zifencei_zihintpause_sstc", 4);
	check_sane(4);
}

static void test_fixup_8hart_aclint(void)
{
	CHECK_EQ(copy_and_fix("virt-8hart"), PLAT_OK);
	check_reservation();
	check_isa("rv64imafdc_zicsr_zifencei_zihintpause_sscofpmf", 8);
	check_sane(8);
	CHECK_EQ(copy_and_fix("virt-aclint"), PLAT_OK);
	check_isa("rv64imafdc_zicsr_zifencei_zihintpause_sstc", 4);
	check_sane(4);
}

/* A cpu node past SECMON_HART_CAP (8 in the host build) is disabled
 * for the OS; the others not. */
static void test_fixup_skipped_hart(void)
{
	int cpu8, cpu7;
	const char *st;

	CHECK_EQ(copy_and_fix("virt-9hart"), PLAT_OK);
	cpu8 = fdt_path_offset(buf, "/cpus/cpu@8");
	cpu7 = fdt_path_offset(buf, "/cpus/cpu@7");
	CHECK(cpu8 >= 0 && cpu7 >= 0);
	st = fdt_getprop(buf, cpu8, "status", NULL);
	CHECK(st != NULL);
	CHECK_STR(st ? st : "", "disabled");
	st = fdt_getprop(buf, cpu7, "status", NULL);
	CHECK(!st || !strcmp(st, "okay"));
}

static void test_fixup_no_room(void)
{
	size_t size;
	void *src = test_dtb("virt-1hart", &size);

	/* The copy fits exactly, the additions do not. */
	CHECK_EQ(plat_fdt_copy(src, buf, size, err, sizeof(err)), PLAT_OK);
	CHECK_EQ(plat_fixup(buf, &mon, false, err, sizeof(err)),
		 PLAT_ERR_SPACE);
	CHECK_CONTAINS(err, "reserved-memory");
	free(src);
}

static void test_fixup_high_monitor(void)
{
	static const struct plat_reserve high = {0x100000000ULL, 0x200000};
	void *src = test_dtb("virt-highmem", NULL);
	int node;
	const fdt32_t *reg;
	int len = -1;

	CHECK_EQ(plat_fdt_copy(src, buf, sizeof(buf), err, sizeof(err)),
		 PLAT_OK);
	free(src);
	CHECK_EQ(plat_fixup(buf, &high, false, err, sizeof(err)), PLAT_OK);
	node = fdt_path_offset(buf, "/reserved-memory/secmon@100000000");
	CHECK(node >= 0);
	reg = fdt_getprop(buf, node, "reg", &len);
	CHECK_EQ(len, 16);
	if (reg && len == 16) {
		CHECK_EQ(fdt32_to_cpu(reg[0]), 1);
		CHECK_EQ(fdt32_to_cpu(reg[1]), 0);
		CHECK_EQ(fdt32_to_cpu(reg[2]), 0);
		CHECK_EQ(fdt32_to_cpu(reg[3]), 0x200000);
	}
}

/* The node's reg is <base size>, two cells each. */
static bool reg_is(int node, uint64_t base, uint64_t size)
{
	int len = -1;
	const fdt32_t *r = fdt_getprop(buf, node, "reg", &len);

	return r && len == 16 &&
	       ((uint64_t)fdt32_to_cpu(r[0]) << 32 | fdt32_to_cpu(r[1])) ==
		   base &&
	       ((uint64_t)fdt32_to_cpu(r[2]) << 32 | fdt32_to_cpu(r[3])) ==
		   size;
}

/* The pool is mapped (Linux reads its tables); the records next to it are
 * the monitor's: no-map, so the OS neither maps nor allocates them. */
static void test_fixup_pool_and_records(void)
{
	static const struct plat_reserve pool = {0x8fc00000, 0x400000};
	static const struct plat_reserve rec = {0x8fbe0000, 0x20000};
	void *src = test_dtb("virt-4hart", NULL);
	int node, len = -1;

	CHECK_EQ(plat_fdt_copy(src, buf, sizeof(buf), err, sizeof(err)),
		 PLAT_OK);
	free(src);
	CHECK_EQ(plat_fixup_pool(buf, &pool, &rec, err, sizeof(err)), PLAT_OK);
	CHECK_EQ(plat_fixup(buf, &mon, false, err, sizeof(err)), PLAT_OK);
	check_reservation();
	node = fdt_path_offset(buf, "/reserved-memory/secmon-pool@8fc00000");
	CHECK(node >= 0 && reg_is(node, pool.base, pool.size));
	CHECK(fdt_node_check_compatible(buf, node, "secmon,pt-pool") == 0);
	CHECK(fdt_getprop(buf, node, "no-map", NULL) == NULL);
	node = fdt_path_offset(buf, "/reserved-memory/secmon-records@8fbe0000");
	CHECK(node >= 0 && reg_is(node, rec.base, rec.size));
	CHECK(fdt_node_check_compatible(buf, node, "secmon,records") == 0);
	CHECK(fdt_getprop(buf, node, "no-map", &len) != NULL);
	CHECK_EQ(len, 0);
	/* The monitor's own node is still the one "secmon,monitor" names. */
	node = fdt_node_offset_by_compatible(buf, -1, "secmon,monitor");
	CHECK(node >= 0 && reg_is(node, mon.base, mon.size));
}

/*
 * QEMU's "-cpu max" lists well over a hundred extensions: ISA strings and
 * extension lists of several hundred bytes must lose their 'h' too.
 */
static void test_fixup_long_isa(void)
{
	static char isa[1200], want[1200], ext[1200];
	const size_t h_at = 51 * 7UL;
	void *src = test_dtb("virt-1hart", NULL);
	int cpu, elen = 0, len;
	const char *p;

	strcpy(isa, "rv64imafdchv");
	strcpy(want, "rv64imafdcv");
	for (int i = 0; i < 100; i++) {
		char name[16];

		snprintf(name, sizeof(name), "_zhx%03d", i);
		strcat(isa, name);
		strcat(want, name);
		elen += snprintf(ext + elen, sizeof(ext) - (size_t)elen,
				 "zhx%03d", i) +
			1;
		if (i == 50) {
			memcpy(ext + elen, "h", 2);
			elen += 2;
		}
	}
	CHECK_EQ(fdt_open_into(src, buf, sizeof(buf)), 0);
	free(src);
	cpu = fdt_path_offset(buf, "/cpus/cpu@0");
	CHECK_EQ(fdt_setprop_string(buf, cpu, "riscv,isa", isa), 0);
	CHECK_EQ(fdt_setprop(buf, cpu, "riscv,isa-extensions", ext, elen), 0);

	CHECK_EQ(plat_fixup(buf, &mon, false, err, sizeof(err)), PLAT_OK);
	cpu = fdt_path_offset(buf, "/cpus/cpu@0");
	CHECK_STR(fdt_getprop(buf, cpu, "riscv,isa", NULL), want);
	p = fdt_getprop(buf, cpu, "riscv,isa-extensions", &len);
	CHECK_EQ(len, elen - 2);
	for (int i = 0; p && i < len; i += (int)strlen(p + i) + 1) {
		CHECK(strcmp(p + i, "h") != 0);
	}
	/* "zhx000".."zhx050" (7 bytes each) come before the "h". */
	CHECK(p && !memcmp(p, ext, h_at));
	CHECK(p && !memcmp(p + h_at, ext + h_at + 2, (size_t)len - h_at));
	check_sane(1);
}

/* With the hypervisor offered, the OS sees the ISA as the tree gave it. */
static void test_fixup_keeps_h(void)
{
	const char *ext;
	int cpu, len, hs = 0;

	CHECK_EQ(copy_and_fix_hyp("virt-1hart", true), PLAT_OK);
	check_reservation();
	check_isa("rv64imafdch_zicbom_zicboz_zicntr_zicsr_zifencei_zihintntl_"
		  "zihintpause_zihpm_zawrs_zfa_zca_zcd_zba_zbb_zbc_zbs_sstc_"
		  "svadu",
		  1);
	cpu = fdt_path_offset(buf, "/cpus/cpu@0");
	ext = fdt_getprop(buf, cpu, "riscv,isa-extensions", &len);
	CHECK(ext != NULL);
	for (int i = 0; ext && i < len; i += (int)strlen(ext + i) + 1) {
		hs += !strcmp(ext + i, "h");
	}
	CHECK_EQ(hs, 1);
}

int main(void)
{
	RUN(test_copy_too_small);
	RUN(test_copy_invalid);
	RUN(test_fixup_1hart);
	RUN(test_fixup_keeps_h);
	RUN(test_fixup_existing_reserved_memory);
	RUN(test_fixup_8hart_aclint);
	RUN(test_fixup_skipped_hart);
	RUN(test_fixup_no_room);
	RUN(test_fixup_high_monitor);
	RUN(test_fixup_pool_and_records);
	RUN(test_fixup_long_isa);
	return test_finish();
}
