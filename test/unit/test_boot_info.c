// SPDX-License-Identifier: BSD-2-Clause
/* fw_dynamic_info checks and the boot-hart preference (boot/fw_dynamic.c). */
#include <string.h>

#include "boot.h"
#include "harness.h"

static char err[256];

static struct fw_dynamic_info good(void)
{
	return (struct fw_dynamic_info){
		.magic = FW_DYNAMIC_MAGIC,
		.version = 2,
		.next_addr = 0x80200000,
		.next_mode = FW_DYNAMIC_NEXT_MODE_S,
		.options = 0,
		.boot_hart = -1UL,
	};
}

static int check(const struct fw_dynamic_info *fi)
{
	strcpy(err, "(untouched)");
	return boot_check_info(fi, err, sizeof(err));
}

static void test_good(void)
{
	struct fw_dynamic_info fi = good();

	CHECK_EQ(check(&fi), 0);
	fi.version = 1;
	CHECK_EQ(check(&fi), 0);
	CHECK_EQ(0x4942534f, FW_DYNAMIC_MAGIC);
}

static void test_bad_magic(void)
{
	struct fw_dynamic_info fi = good();

	fi.magic = 0x4942534e;
	CHECK_EQ(check(&fi), -1);
	CHECK_CONTAINS(err, "magic is 0x4942534e");
	CHECK_CONTAINS(err, "0x4942534f");
	CHECK_EQ(check(NULL), -1);
	CHECK_CONTAINS(err, "no fw_dynamic_info");
}

static void test_bad_version(void)
{
	struct fw_dynamic_info fi = good();

	fi.version = 0;
	CHECK_EQ(check(&fi), -1);
	CHECK_CONTAINS(err, "version 0");
	fi.version = 3;
	CHECK_EQ(check(&fi), -1);
	CHECK_CONTAINS(err, "version 3");
	fi.version = -1UL;
	CHECK_EQ(check(&fi), -1);
}

static void test_bad_mode(void)
{
	struct fw_dynamic_info fi = good();

	fi.next_mode = FW_DYNAMIC_NEXT_MODE_M;
	CHECK_EQ(check(&fi), -1);
	CHECK_CONTAINS(err, "mode 3");
	fi.next_mode = FW_DYNAMIC_NEXT_MODE_U;
	CHECK_EQ(check(&fi), -1);
	CHECK_CONTAINS(err, "mode 0");
	fi.next_mode = 2;
	CHECK_EQ(check(&fi), -1);
}

static void test_no_next_addr(void)
{
	struct fw_dynamic_info fi = good();

	fi.next_addr = 0;
	CHECK_EQ(check(&fi), -1);
	CHECK_CONTAINS(err, "next_addr is 0");
}

static void test_plausible(void)
{
	CHECK(!boot_info_plausible(0));
	CHECK(!boot_info_plausible(0x80001001));
	CHECK(!boot_info_plausible(0x80001004));
	CHECK(boot_info_plausible(0x80001008));
}

int main(void)
{
	RUN(test_good);
	RUN(test_bad_magic);
	RUN(test_bad_version);
	RUN(test_bad_mode);
	RUN(test_no_next_addr);
	RUN(test_plausible);
	return test_finish();
}
