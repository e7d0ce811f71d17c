// SPDX-License-Identifier: BSD-2-Clause
/*
 * QEMU virt with the AIA (dts/test/virt-aia.dts): the M-level APLIC hands
 * its sources to S-mode and learns the IMSIC addresses (plat_aia_setup),
 * the OS's tree has the M-level controllers disabled (plat_fixup), and
 * user leaves may not map them (the devmem list).
 */
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "support.h"

#define M_APLIC 0xc000000UL
#define BUF_SIZE (64 * 1024)

static unsigned char buf[BUF_SIZE] __attribute__((aligned(8)));

static bool has_mmio(uint64_t base)
{
	for (unsigned int i = 0; i < plat.nmmio; i++) {
		if (plat.mmio[i].base <= base &&
		    base < plat.mmio[i].base + plat.mmio[i].size) {
			return true;
		}
	}
	return false;
}

static void test_delegation(void)
{
	void *fdt = test_dtb("virt-aia", NULL);
	uint64_t aplic;

	fake_mmio_clear_log();
	CHECK_EQ(plat_aia_setup(fdt, &aplic), 96);
	CHECK_EQ(aplic, M_APLIC);
	/* Sources 1..96: delegated (D, bit 10) to child 0. */
	CHECK_EQ(fake_mmio_writes_of(M_APLIC + 0x4, 0x400), 1);
	CHECK_EQ(fake_mmio_writes_of(M_APLIC + 0x4 + 95 * 4, 0x400), 1);
	CHECK_EQ(fake_mmio_writes_to(M_APLIC + 0x4 + 96 * 4), 0);
	/* MSI addresses: M files at 0x24000000, S files at 0x28000000, one
	 * hart-index bit for two harts. */
	CHECK_EQ(fake_mmio_writes_of(M_APLIC + 0x1bc0, 0x24000), 1);
	CHECK_EQ(fake_mmio_writes_of(M_APLIC + 0x1bc4, 1U << 12), 1);
	CHECK_EQ(fake_mmio_writes_of(M_APLIC + 0x1bc8, 0x28000), 1);
	CHECK_EQ(fake_mmio_writes_of(M_APLIC + 0x1bcc, 0), 1);
	free(fdt);
}

static const char *status(const void *fdt, const char *path)
{
	int node = fdt_path_offset(fdt, path);
	const char *s =
	    node >= 0 ? fdt_getprop(fdt, node, "status", NULL) : "(no node)";

	return s ? s : "okay";
}

static void test_os_tree(void)
{
	static const struct plat_reserve mon = {0x80000000, 0x40000};
	char err[200];
	size_t size;
	void *src = test_dtb("virt-aia", &size);

	CHECK_EQ(plat_fdt_copy(src, buf, BUF_SIZE, err, sizeof(err)), 0);
	CHECK_EQ(plat_fixup(buf, &mon, false, err, sizeof(err)), PLAT_OK);
	CHECK_STR(status(buf, "/soc/aplic@c000000"), "disabled");
	CHECK_STR(status(buf, "/soc/imsics@24000000"), "disabled");
	CHECK_STR(status(buf, "/soc/aplic@d000000"), "okay");
	CHECK_STR(status(buf, "/soc/imsics@28000000"), "okay");
	free(src);
}

static void test_not_user_mappable(void)
{
	test_boot("virt-aia", 0);
	CHECK(!has_mmio(M_APLIC));
	CHECK(!has_mmio(0x24000000));
	CHECK(has_mmio(0xd000000));
	CHECK(has_mmio(0x28000000));
}

/* An APLIC whose registers the tree puts in RAM: never written. */
static void test_aplic_in_ram_ignored(void)
{
	void *fdt = test_dtb("virt-aia", NULL);
	void *big = calloc(1, 64 * 1024);
	int node;
	uint64_t aplic;

	CHECK(big != NULL);
	CHECK_EQ(fdt_open_into(fdt, big, 64 * 1024), 0);
	node = fdt_path_offset(big, "/soc/aplic@c000000");
	CHECK(node >= 0);
	CHECK_EQ(fdt_setprop_u64(big, node, "reg", 0x80001000ULL), 0);
	test_boot("virt-aia", 0); /* plat: RAM at 0x80000000 */
	fake_mmio_clear_log();
	CHECK_EQ(plat_aia_setup(big, &aplic), 0);
	CHECK_EQ(fake_mmio_count(), 0);
	free(big);
	free(fdt);
}

/* Trees without an AIA: nothing programmed. */
static void test_no_aia(void)
{
	void *fdt = test_dtb("virt-4hart", NULL);
	uint64_t aplic;

	fake_mmio_clear_log();
	CHECK_EQ(plat_aia_setup(fdt, &aplic), 0);
	CHECK_EQ(fake_mmio_count(), 0);
	free(fdt);
}

int main(void)
{
	RUN(test_delegation);
	RUN(test_os_tree);
	RUN(test_not_user_mappable);
	RUN(test_aplic_in_ram_ignored);
	RUN(test_no_aia);
	return test_finish();
}
