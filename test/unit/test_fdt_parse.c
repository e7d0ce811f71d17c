// SPDX-License-Identifier: BSD-2-Clause
/* plat_parse on the compiled test trees, edited trees and broken blobs. */
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "support.h"

static struct plat_info pi;
static char err[256];

static struct plat_hart harts[64];

/* Both passes, as boot does; pi is written only if both succeed. */
static int parse_blob(const void *fdt)
{
	struct plat_info t;
	int rc;

	err[0] = '\0';
	/* A pattern that must survive a failed parse. */
	memset(&pi, 0xA5, sizeof(pi));
	memset(&t, 0x5A, sizeof(t));
	rc = plat_parse(fdt, &t, err, sizeof(err));
	if (!rc && t.nharts > 64) {
		return -100;
	}
	if (!rc) {
		struct plat_info keep = t;

		rc = plat_parse_harts(fdt, &t, harts, err, sizeof(err));
		if (rc && memcmp(&keep, &t, sizeof(t))) {
			return -101; /* pass 2 changed *pi on failure */
		}
	}
	if (!rc) {
		pi = t;
	}
	return rc;
}

static int parse(const char *name)
{
	void *fdt = test_dtb(name, NULL);
	int rc = parse_blob(fdt);

	free(fdt);
	return rc;
}

static bool untouched(void)
{
	const unsigned char *p = (const unsigned char *)&pi;

	for (size_t i = 0; i < sizeof(pi); i++) {
		if (p[i] != 0xA5) {
			return false;
		}
	}
	return true;
}

static void check_common(void)
{
	CHECK_EQ(pi.timebase_hz, 10000000);
	CHECK_EQ(pi.mtime, TEST_MTIME);
	CHECK_EQ(pi.uart.base, 0x10000000);
	CHECK_EQ(pi.uart.reg_shift, 0);
	CHECK_EQ(pi.uart.reg_io_width, 1);
	CHECK_EQ(pi.test_base, TEST_FINISHER);
	CHECK_EQ(pi.initrd_start, 0);
	CHECK_EQ(pi.initrd_end, 0);
}

static void check_harts(unsigned int n, unsigned int isa)
{
	CHECK_EQ(pi.nharts, n);
	for (unsigned int h = 0; h < n; h++) {
		CHECK_EQ(pi.harts[h].hartid, h);
		CHECK_EQ(pi.harts[h].msip, TEST_MSIP(h));
		CHECK_EQ(pi.harts[h].mtimecmp, TEST_MTIMECMP(h));
		CHECK_EQ(pi.harts[h].isa, isa);
		CHECK(pi.harts[h].intc_phandle != 0);
		for (unsigned int o = 0; o < h; o++) {
			CHECK(pi.harts[o].intc_phandle !=
			      pi.harts[h].intc_phandle);
		}
	}
}

static void check_qemu_ram(void)
{
	CHECK_EQ(pi.nmem, 1);
	CHECK_EQ(pi.mem[0].base, 0x80000000);
	CHECK_EQ(pi.mem[0].size, 0x8000000);
}

static void test_1hart(void)
{
	CHECK_EQ(parse("virt-1hart"), PLAT_OK);
	check_common();
	check_qemu_ram();
	check_harts(1, PLAT_ISA_H | PLAT_ISA_SSTC | PLAT_ISA_ZICBOM |
			   PLAT_ISA_ZICBOZ | PLAT_ISA_SVADU);
}

static void test_4hart(void)
{
	CHECK_EQ(parse("virt-4hart"), PLAT_OK);
	check_common();
	check_qemu_ram();
	check_harts(4, PLAT_ISA_H | PLAT_ISA_SSTC);
}

static bool has_mmio(uint64_t base, uint64_t size)
{
	for (unsigned int i = 0; i < pi.nmmio; i++) {
		if (pi.mmio[i].base == base && pi.mmio[i].size == size) {
			return true;
		}
	}
	return false;
}

/* Device memory: every device node's "reg" outside RAM, not /memory, not
 * /cpus, not /reserved-memory (virt-4hart has a no-map region there). */
static void test_mmio(void)
{
	CHECK_EQ(parse("virt-4hart"), PLAT_OK);
	CHECK(has_mmio(0x100000, 0x1000)); /* sifive,test */
	CHECK(has_mmio(0x10000000, 0x100)); /* UART */
	CHECK(has_mmio(0xc000000, 0x600000)); /* PLIC */
	CHECK(has_mmio(0x2000000, 0x10000)); /* CLINT (refused elsewhere) */
	CHECK_EQ(pi.nmmio, 4);
	for (unsigned int i = 0; i < pi.nmmio; i++) {
		CHECK(pi.mmio[i].base + pi.mmio[i].size <= 0x80000000 ||
		      pi.mmio[i].base >= 0x88010000);
	}
}

/* virt-4hart with /chosen/bootargs set to args and, with len, the /chosen
 * property prop set to the len bytes at val. */
static int parse_with_prop(const char *args, const char *prop, const void *val,
			   int len)
{
	static char buf[16384];
	void *src = test_dtb("virt-4hart", NULL);
	int chosen;

	CHECK_EQ(fdt_open_into(src, buf, sizeof(buf)), 0);
	free(src);
	chosen = fdt_path_offset(buf, "/chosen");
	CHECK_EQ(fdt_setprop_string(buf, chosen, "bootargs", args), 0);
	if (len) {
		CHECK_EQ(fdt_setprop(buf, chosen, prop, val, len), 0);
	}
	return parse_blob(buf);
}

/* The same with a one-cell secmon,pool-size (none if dt_size is 0). */
static int parse_with_args(const char *args, uint32_t dt_size)
{
	fdt32_t v = cpu_to_fdt32(dt_size);

	return parse_with_prop(args, "secmon,pool-size", &v, dt_size ? 4 : 0);
}

/* Pool size: the command line over the tree's secmon,pool-size; a bad
 * size is a parse error that names the option. */
static void test_pool_size_sources(void)
{
	CHECK_EQ(parse_with_args("console=ttyS0 secmon.pool=8M", 0), PLAT_OK);
	CHECK_EQ(pi.pool_size, 8UL << 20);
	CHECK_EQ(parse_with_args("secmon.pool=64K quiet", 0x400000), PLAT_OK);
	CHECK_EQ(pi.pool_size, 64UL << 10);
	CHECK_EQ(parse_with_args("quiet", 0x400000), PLAT_OK);
	CHECK_EQ(pi.pool_size, 0x400000);
	CHECK_EQ(parse_with_args("console=ttyS0", 0), PLAT_OK);
	CHECK_EQ(pi.pool_size, 0);
	CHECK_EQ(parse_with_args("secmon.pool=big", 0), PLAT_ERR_FDT);
	CHECK_CONTAINS(err, "secmon.pool=");
	CHECK_CONTAINS(err, "4K to 1024M");
	CHECK(untouched());
	CHECK_EQ(parse_with_args("secmon.pool=16Mx", 0), PLAT_ERR_FDT);
	CHECK_EQ(parse_with_args("secmon.pool=3M", 0), PLAT_ERR_FDT);
	CHECK_EQ(parse_with_args("secmon.pool=2K", 0), PLAT_ERR_FDT);
	CHECK_EQ(parse_with_args("xsecmon.pool=16M", 0), PLAT_OK);
}

/* The limits: 4 KiB to 1 GiB, whatever the spelling; 0 = refused. */
static void test_pool_size_limits(void)
{
	static const struct {
		const char *args;
		uint64_t want;
	} c[] = {
	    {"secmon.pool=64M", 64UL << 20},
	    {"secmon.pool=1G", 1UL << 30},
	    {"secmon.pool=1073741824", 1UL << 30},
	    {"secmon.pool=4K", 4096},
	    {"secmon.pool=2G", 0},
	    {"secmon.pool=2048M", 0},
	    {"secmon.pool=2147483648", 0},
	    /* 2^34 + 1 GiB wraps to 1 GiB in 64 bits: refused, not taken. */
	    {"secmon.pool=17179869185G", 0},
	    {"secmon.pool=99999999999999999999999G", 0},
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		int rc = parse_with_args(c[i].args, 0);

		CHECK_EQ(rc, c[i].want ? PLAT_OK : PLAT_ERR_FDT);
		CHECK(c[i].want ? pi.pool_size == c[i].want : untouched());
	}
}

/* /chosen/secmon,pool-size and secmon,pool: a bad value is a boot error
 * that names the property, never a silent default. */
static void test_pool_chosen_errors(void)
{
	const fdt32_t big[2] = {cpu_to_fdt32(1), cpu_to_fdt32(0)};
	const fdt32_t gib[2] = {cpu_to_fdt32(0), cpu_to_fdt32(1U << 30)};
	const fdt32_t three[3] = {0, 0, cpu_to_fdt32(0x100000)};
	const fdt32_t pool_ok[4] = {0, cpu_to_fdt32(0x8f000000), 0,
				    cpu_to_fdt32(0x300000)};
	const fdt32_t pool_odd[4] = {0, cpu_to_fdt32(0x8f000800), 0,
				     cpu_to_fdt32(0x100000)};
	const fdt32_t pool_big[4] = {0, 0, cpu_to_fdt32(1), cpu_to_fdt32(0)};

	CHECK_EQ(parse_with_prop("", "secmon,pool-size", gib, 8), PLAT_OK);
	CHECK_EQ(pi.pool_size, 1UL << 30);
	CHECK_EQ(parse_with_args("", 0x300000), PLAT_ERR_FDT);
	CHECK_CONTAINS(err, "/chosen/secmon,pool-size");
	CHECK(untouched());
	CHECK_EQ(parse_with_args("", 0x800), PLAT_ERR_FDT);
	CHECK_EQ(parse_with_prop("", "secmon,pool-size", big, 8), PLAT_ERR_FDT);
	CHECK_EQ(parse_with_prop("", "secmon,pool-size", three, 12),
		 PLAT_ERR_FDT);
	/* The command line wins over a tree value it makes moot. */
	CHECK_EQ(parse_with_args("secmon.pool=8M", 0x300000), PLAT_OK);
	CHECK_EQ(pi.pool_size, 8UL << 20);

	CHECK_EQ(parse_with_prop("", "secmon,pool", pool_ok, 16), PLAT_OK);
	CHECK_EQ(pi.pool_base, 0x8f000000);
	CHECK_EQ(pi.pool_size, 0x300000);
	CHECK_EQ(parse_with_prop("", "secmon,pool", pool_odd, 16),
		 PLAT_ERR_FDT);
	CHECK_CONTAINS(err, "/chosen/secmon,pool:");
	CHECK(untouched());
	CHECK_EQ(parse_with_prop("", "secmon,pool", pool_big, 16),
		 PLAT_ERR_FDT);
	CHECK_EQ(parse_with_prop("", "secmon,pool", three, 12), PLAT_ERR_FDT);
	CHECK_CONTAINS(err, "16 bytes");
}

/* The default: RAM / 64, a power of two, 4 MiB to 1 GiB. */
static void test_pool_default(void)
{
	struct plat_info p = {.nmem = 1};
	static const uint64_t ram[][2] = {
	    {16UL << 20, 4UL << 20},   {128UL << 20, 4UL << 20},
	    {256UL << 20, 4UL << 20},  {512UL << 20, 8UL << 20},
	    {768UL << 20, 8UL << 20},  {1UL << 30, 16UL << 20},
	    {4UL << 30, 64UL << 20},   {6UL << 30, 64UL << 20},
	    {32UL << 30, 512UL << 20}, {64UL << 30, 1UL << 30},
	    {1UL << 40, 1UL << 30},
	};

	for (size_t i = 0; i < sizeof(ram) / sizeof(ram[0]); i++) {
		p.mem[0] = (struct plat_mem){0x80000000UL, ram[i][0]};
		CHECK_EQ(plat_pool_default(&p), ram[i][1]);
	}
	/* All of RAM counts, not only the first range. */
	p.nmem = 2;
	p.mem[0] = (struct plat_mem){0x80000000UL, 2UL << 30};
	p.mem[1] = (struct plat_mem){0x100000000UL, 2UL << 30};
	CHECK_EQ(plat_pool_default(&p), 64UL << 20);
}

static void test_8hart(void)
{
	CHECK_EQ(parse("virt-8hart"), PLAT_OK);
	check_common(); /* the UART is found through the serial0 alias */
	check_qemu_ram();
	check_harts(8, PLAT_ISA_H | PLAT_ISA_SSCOFPMF);
	CHECK_EQ(pi.harts[7].msip, 0x200001c);
	CHECK_EQ(pi.harts[7].mtimecmp, 0x2004038);
}

/* More cpu nodes than SECMON_HART_CAP (8 in the host build): the first
 * ones, the rest named. */
static void test_9hart(void)
{
	CHECK_EQ(parse("virt-9hart"), PLAT_OK);
	CHECK_EQ(SECMON_HART_CAP, 8);
	CHECK_EQ(pi.nharts, 8);
	CHECK_EQ(pi.nskipped, 1);
	CHECK_EQ(pi.skipped[0], 8);
	CHECK_EQ(pi.harts[7].hartid, 7);
}

static void test_aclint(void)
{
	CHECK_EQ(parse("virt-aclint"), PLAT_OK);
	check_common();
	check_harts(4, PLAT_ISA_H | PLAT_ISA_SSTC);
}

static void test_highmem(void)
{
	CHECK_EQ(parse("virt-highmem"), PLAT_OK);
	CHECK_EQ(pi.nmem, 3);
	CHECK_EQ(pi.mem[0].base, 0x80000000);
	CHECK_EQ(pi.mem[0].size, 0x80000000);
	CHECK_EQ(pi.mem[1].base, 0x200000000);
	CHECK_EQ(pi.mem[1].size, 0x40000000);
	CHECK_EQ(pi.mem[2].base, 0x100000000);
	CHECK_EQ(pi.mem[2].size, 0x100000000);
	CHECK(plat_in_ram(&pi, 0xfffffff0, 16));
	CHECK(!plat_in_ram(&pi, 0xfffffff0, 17));
	CHECK(plat_in_ram(&pi, 0x1fffffff0, 16));
	/* Two banks that touch are still two ranges. */
	CHECK(!plat_in_ram(&pi, 0x1fffffff8, 16));
	CHECK(plat_in_ram(&pi, 0x23ffffffc, 4));
	CHECK(!plat_in_ram(&pi, 0x240000000, 1));
	CHECK(!plat_in_ram(&pi, 0x7ffffff0, 32));
	/* A range that wraps is in no bank, whatever its ends look like. */
	CHECK(!plat_in_ram(&pi, -8UL, 16));
	CHECK(!plat_in_ram(&pi, 0x80000000, -0x7fffffffUL));
}

static void test_nomem(void)
{
	CHECK_EQ(parse("virt-nomem"), PLAT_ERR_MEMORY);
	CHECK_CONTAINS(err, "/memory");
	CHECK(untouched());
}

static void test_nouart(void)
{
	CHECK_EQ(parse("virt-nouart"), PLAT_ERR_UART);
	CHECK_CONTAINS(err, "ns16550a");
	CHECK(untouched());
}

/* ---- Trees edited with libfdt ---- */

static void *editable(const char *name)
{
	void *src = test_dtb(name, NULL);
	size_t size = fdt_totalsize(src) + 4096;
	void *fdt = malloc(size);

	if (!fdt || fdt_open_into(src, fdt, (int)size)) {
		abort();
	}
	free(src);
	return fdt;
}

static void test_duplicate_hartid(void)
{
	void *fdt = editable("virt-4hart");

	CHECK_EQ(
	    fdt_setprop_u32(fdt, fdt_path_offset(fdt, "/cpus/cpu@2"), "reg", 1),
	    0);
	CHECK_EQ(parse_blob(fdt), PLAT_ERR_HARTS);
	CHECK_CONTAINS(err, "hartid 1 appears twice");
	CHECK(untouched());
	free(fdt);
}

static void test_bad_hartid(void)
{
	void *fdt = editable("virt-4hart");
	int cpu = fdt_path_offset(fdt, "/cpus/cpu@3");

	/* A large hartid is just a hartid: no bound but the reg cells. */
	CHECK_EQ(fdt_setprop_u32(fdt, cpu, "reg", 0xfffffff0), 0);
	CHECK_EQ(parse_blob(fdt), PLAT_OK);
	CHECK_EQ(pi.nharts, 4);
	CHECK_EQ(pi.nskipped, 0);
	CHECK_EQ(pi.harts[3].hartid, 0xfffffff0);
	CHECK_EQ(plat_hart_index(&pi, 0xfffffff0), 3);
	CHECK_EQ(plat_hart_index(&pi, 3), -1);
	CHECK_EQ(fdt_setprop(fdt, cpu, "reg", NULL, 0), 0);
	CHECK_EQ(parse_blob(fdt), PLAT_ERR_HARTS);
	CHECK_CONTAINS(err, "cpu@3");
	free(fdt);
}

static void test_disabled_hart(void)
{
	void *fdt = editable("virt-4hart");

	CHECK_EQ(fdt_setprop_string(fdt, fdt_path_offset(fdt, "/cpus/cpu@1"),
				    "status", "disabled"),
		 0);
	CHECK_EQ(parse_blob(fdt), PLAT_OK);
	CHECK_EQ(pi.nharts, 3);
	/* Hartids 0, 2, 3 at indices 0, 1, 2. */
	CHECK_EQ(pi.harts[1].hartid, 2);
	CHECK_EQ(pi.harts[1].msip, TEST_MSIP(2));
	CHECK_EQ(plat_hart_index(&pi, 1), -1);
	free(fdt);
}

static void test_no_clint(void)
{
	void *fdt = editable("virt-4hart");

	CHECK_EQ(fdt_delprop(fdt, fdt_path_offset(fdt, "/soc/clint@2000000"),
			     "interrupts-extended"),
		 0);
	CHECK_EQ(parse_blob(fdt), PLAT_ERR_TIMER);
	CHECK_CONTAINS(err, "hart 0");
	CHECK(untouched());
	free(fdt);
}

static void test_zero_size_memory(void)
{
	void *fdt = editable("virt-1hart");
	fdt32_t reg[4] = {0, cpu_to_fdt32(0x80000000), 0, 0};

	CHECK_EQ(fdt_setprop(fdt, fdt_path_offset(fdt, "/memory@80000000"),
			     "reg", reg, sizeof(reg)),
		 0);
	CHECK_EQ(parse_blob(fdt), PLAT_ERR_MEMORY);
	free(fdt);
}

static void test_initrd(void)
{
	void *fdt = editable("virt-1hart");
	int chosen = fdt_path_offset(fdt, "/chosen");

	CHECK_EQ(fdt_setprop_u64(fdt, chosen, "linux,initrd-start", 0x88000000),
		 0);
	CHECK_EQ(fdt_setprop_u32(fdt, chosen, "linux,initrd-end", 0x88100000),
		 0);
	CHECK_EQ(parse_blob(fdt), PLAT_OK);
	CHECK_EQ(pi.initrd_start, 0x88000000);
	CHECK_EQ(pi.initrd_end, 0x88100000);
	free(fdt);
}

/* ---- Broken blobs: an error, never a crash (ASan/UBSan watch) ---- */

static void *copy_of(const char *name, size_t *size)
{
	return test_dtb(name, size);
}

static void test_bad_magic(void)
{
	size_t size;
	unsigned char *fdt = copy_of("virt-1hart", &size);

	fdt[0] ^= 0xff;
	CHECK_EQ(parse_blob(fdt), PLAT_ERR_FDT);
	CHECK_CONTAINS(err, "header");
	CHECK(untouched());
	free(fdt);
}

static void test_bad_header_fields(void)
{
	size_t size;
	struct fdt_header *h = copy_of("virt-1hart", &size);
	struct fdt_header good = *h;

	/* totalsize too small for the blocks it claims to hold. */
	h->totalsize = cpu_to_fdt32(64);
	CHECK_EQ(parse_blob(h), PLAT_ERR_FDT);
	h->totalsize = cpu_to_fdt32(fdt32_to_cpu(good.off_dt_strings));
	CHECK_EQ(parse_blob(h), PLAT_ERR_FDT);
	*h = good;
	h->off_dt_struct = cpu_to_fdt32((uint32_t)size + 8);
	CHECK_EQ(parse_blob(h), PLAT_ERR_FDT);
	*h = good;
	h->version = cpu_to_fdt32(1);
	CHECK_EQ(parse_blob(h), PLAT_ERR_FDT);
	*h = good;
	h->last_comp_version = cpu_to_fdt32(99);
	CHECK_EQ(parse_blob(h), PLAT_ERR_FDT);
	*h = good;
	h->size_dt_strings = cpu_to_fdt32(0xfffffff0);
	CHECK_EQ(parse_blob(h), PLAT_ERR_FDT);
	CHECK(untouched());
	*h = good;
	CHECK_EQ(parse_blob(h), PLAT_OK);
	free(h);
}

static void test_garbage(void)
{
	static unsigned char junk[4096] __attribute__((aligned(8)));
	unsigned int seed = 12345;

	memset(junk, 0, sizeof(junk));
	CHECK_EQ(parse_blob(junk), PLAT_ERR_FDT);
	for (size_t i = 0; i < sizeof(junk); i++) {
		seed = seed * 1103515245u + 12345u;
		junk[i] = (unsigned char)(seed >> 16);
	}
	CHECK_EQ(parse_blob(junk), PLAT_ERR_FDT);
	CHECK(untouched());
}

/*
 * A good header over a structure block full of junk: libfdt's walkers are
 * bounds-checked, so the parse must fail cleanly. Many seeds, so that some
 * junk looks like tags.
 */
static void test_garbage_structure(void)
{
	size_t size;
	unsigned char *fdt = copy_of("virt-4hart", &size);
	unsigned char *orig = malloc(size);
	uint32_t off, len;
	unsigned int seed = 1;
	int ok = 0;

	memcpy(orig, fdt, size);
	off = fdt_off_dt_struct(fdt);
	len = fdt_size_dt_struct(fdt);
	for (int round = 0; round < 200; round++) {
		memcpy(fdt, orig, size);
		/* Flip a few bytes (early rounds) up to the whole block. */
		for (uint32_t i = 0; i < (round < 100 ? 8 : len); i++) {
			seed = seed * 1103515245u + 12345u;
			fdt[off + (round < 100 ? (seed >> 8) % len : i)] =
			    (unsigned char)(seed >> 16);
		}
		ok += parse_blob(fdt) == PLAT_OK;
	}
	/* Whole-block junk never yields a usable tree. */
	CHECK(ok < 100);
	free(orig);
	free(fdt);
}

int main(void)
{
	RUN(test_1hart);
	RUN(test_4hart);
	RUN(test_mmio);
	RUN(test_pool_size_sources);
	RUN(test_pool_size_limits);
	RUN(test_pool_chosen_errors);
	RUN(test_pool_default);
	RUN(test_8hart);
	RUN(test_9hart);
	RUN(test_aclint);
	RUN(test_highmem);
	RUN(test_nomem);
	RUN(test_nouart);
	RUN(test_duplicate_hartid);
	RUN(test_bad_hartid);
	RUN(test_disabled_hart);
	RUN(test_no_clint);
	RUN(test_zero_size_memory);
	RUN(test_initrd);
	RUN(test_bad_magic);
	RUN(test_bad_header_fields);
	RUN(test_garbage);
	RUN(test_garbage_structure);
	return test_finish();
}
