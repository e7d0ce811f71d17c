// SPDX-License-Identifier: BSD-2-Clause
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbtr.h"
#include "fwft.h"
#include "hart.h"
#include "hsm.h"
#include "memmap.h"
#include "pmu.h"
#include "sse.h"
#include "ptm_internal.h"

#ifndef TEST_DTB_DIR
#error "TEST_DTB_DIR must name the directory of the compiled test trees"
#endif

struct sbi_call test_last_call;

void *test_dtb(const char *name, size_t *size)
{
	char path[512];
	FILE *f;
	long n;
	void *buf;

	snprintf(path, sizeof(path), "%s/%s.dtb", TEST_DTB_DIR, name);
	f = fopen(path, "rb");
	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) <= 0 ||
	    fseek(f, 0, SEEK_SET)) {
		fprintf(stderr, "cannot read %s\n", path);
		abort();
	}
	buf = malloc((size_t)n);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "cannot read %s\n", path);
		abort();
	}
	fclose(f);
	if (size) {
		*size = (size_t)n;
	}
	return buf;
}

/* The per-hart region and hart table test_boot gives the monitor. */
static struct plat_hart test_harts[FAKE_HARTS];
static _Alignas(64) unsigned char test_area[1 << 18];

/* As boot.c: parse, then the harts, then lay out the per-hart region. */
void test_boot(const char *dtb, unsigned long boot_hart)
{
	char err[200];
	void *fdt = test_dtb(dtb, NULL);
	int rc = plat_parse(fdt, &plat, err, sizeof(err));

	if (!rc && plat.nharts > FAKE_HARTS) {
		fprintf(stderr, "test_boot(%s): %u harts, the fake has %d\n",
			dtb, plat.nharts, FAKE_HARTS);
		abort();
	}
	if (!rc) {
		rc = plat_parse_harts(fdt, &plat, test_harts, err, sizeof(err));
	}
	free(fdt);
	if (rc) {
		fprintf(stderr, "test_boot(%s): plat_parse: %d: %s\n", dtb, rc,
			err);
		abort();
	}
	if (hart_area_layout(NULL, plat.nharts) > sizeof(test_area)) {
		fprintf(stderr, "test_boot(%s): per-hart region too small\n",
			dtb);
		abort();
	}
	plat.nmem = 1;
	plat.mem[0] = (struct plat_mem){FAKE_RAM_BASE, FAKE_RAM_SIZE};
	/* No pool yet: the last test's records may be gone with the fake's
	 * high RAM. */
	memset(&ptm, 0, sizeof(ptm));
	memmap_reset();
	if (memmap_add_ram(FAKE_RAM_BASE, FAKE_RAM_SIZE) ||
	    memmap_set_monitor(TEST_MON_BASE, TEST_MON_SIZE)) {
		abort();
	}
	for (unsigned int i = 0; i < plat.nmmio; i++) {
		if (memmap_add_os_mmio(plat.mmio[i].base, plat.mmio[i].size)) {
			abort();
		}
	}
	memset(test_area, 0xa5, sizeof(test_area)); /* no reliance on zero */
	hart_area_layout(test_area, plat.nharts);
	hart_table_init(&plat);
	hsm_init(boot_hart);
	pmu_init(&plat);
	sse_init(boot_hart);
	for (unsigned int h = 0; h < plat.nharts; h++) {
		fake_set_hart(h);
		pmu_hart_reset(h);
		fwft_hart_reset(h);
		sse_hart_reset(h);
		dbtr_hart_reset(h);
	}
	fake_set_hart((unsigned int)boot_hart);
}

struct sbi_ret ecall(unsigned long eid, unsigned long fid, unsigned long a0,
		     unsigned long a1, unsigned long a2, unsigned long a3,
		     unsigned long a4)
{
	/* Stale action and legacy values: sbi_call must set both. */
	test_last_call = (struct sbi_call){
	    .eid = eid,
	    .fid = fid,
	    .a = {a0, a1, a2, a3, a4, 0},
	    .hart = fake_hart(),
	    .action = SBI_ACT_STOP_HART,
	    .legacy = eid > SBI_LEGACY_LAST,
	};
	return sbi_call(&test_last_call);
}
