// SPDX-License-Identifier: BSD-2-Clause
/* The debug console: buffers in fake RAM, output on the fake UART. */
#include <string.h>

#include "harness.h"
#include "support.h"

static struct sbi_ret dbcn(unsigned long fid, unsigned long n,
			   unsigned long lo, unsigned long hi)
{
	return ecall(SBI_EXT_DBCN, fid, n, lo, hi, 0, 0);
}

static void put(uint64_t pa, const char *s)
{
	memcpy(fake_ram(pa, strlen(s)), s, strlen(s));
}

static void test_write(void)
{
	struct sbi_ret r;

	test_boot("virt-1hart", 0);
	put(TEST_OS_ADDR, "hello, dbcn\n!");
	r = dbcn(SBI_DBCN_WRITE, 12, TEST_OS_ADDR, 0);
	CHECK_EQ(r.error, SBI_SUCCESS);
	CHECK_EQ(r.value, 12);
	/* Bytes go out as they are: no "\r" added. */
	CHECK_STR(fake_console_text(), "hello, dbcn\n");
	r = dbcn(SBI_DBCN_WRITE, 0, TEST_OS_ADDR, 0);
	CHECK_EQ(r.error, SBI_SUCCESS);
	CHECK_EQ(r.value, 0);
	CHECK_EQ(fake_console_len(), 12);
}

static void test_write_at_ram_end(void)
{
	uint64_t end = FAKE_RAM_BASE + FAKE_RAM_SIZE;
	struct sbi_ret r;

	test_boot("virt-1hart", 0);
	put(end - 3, "xyz");
	r = dbcn(SBI_DBCN_WRITE, 3, end - 3, 0);
	CHECK_EQ(r.error, SBI_SUCCESS);
	CHECK_EQ(r.value, 3);
	CHECK_STR(fake_console_text(), "xyz");
	/* Directly after the monitor is fine too. */
	put(TEST_MON_BASE + TEST_MON_SIZE, "ok");
	r = dbcn(SBI_DBCN_WRITE, 2, TEST_MON_BASE + TEST_MON_SIZE, 0);
	CHECK_EQ(r.value, 2);
	CHECK_STR(fake_console_text(), "xyzok");
}

static void test_write_long(void)
{
	struct sbi_ret r;

	test_boot("virt-1hart", 0);
	memset(fake_ram(TEST_OS_ADDR, 10000), 'a', 10000);
	r = dbcn(SBI_DBCN_WRITE, 10000, TEST_OS_ADDR, 0);
	/* A short write is allowed; the caller loops. */
	CHECK_EQ(r.error, SBI_SUCCESS);
	CHECK(r.value > 0 && r.value <= 10000);
	CHECK_EQ(fake_console_len(), r.value);
}

static void test_write_bad_buffer(void)
{
	uint64_t end = FAKE_RAM_BASE + FAKE_RAM_SIZE;

	test_boot("virt-1hart", 0);
	put(TEST_OS_ADDR, "secret");
	/* Upper half of the address: RV64 has none. */
	CHECK_EQ(dbcn(SBI_DBCN_WRITE, 6, TEST_OS_ADDR, 1).error,
		 SBI_ERR_INVALID_PARAM);
	/* Outside RAM, or running off its end. */
	CHECK_EQ(dbcn(SBI_DBCN_WRITE, 4, 0x1000, 0).error,
		 SBI_ERR_INVALID_PARAM);
	CHECK_EQ(dbcn(SBI_DBCN_WRITE, 4, FAKE_RAM_BASE - 2, 0).error,
		 SBI_ERR_INVALID_PARAM);
	CHECK_EQ(dbcn(SBI_DBCN_WRITE, 8, end - 4, 0).error,
		 SBI_ERR_INVALID_PARAM);
	CHECK_EQ(dbcn(SBI_DBCN_WRITE, 1, end, 0).error,
		 SBI_ERR_INVALID_PARAM);
	/* The monitor's own memory, inside or overlapping it. */
	CHECK_EQ(dbcn(SBI_DBCN_WRITE, 16, TEST_MON_BASE + 0x100, 0).error,
		 SBI_ERR_INVALID_PARAM);
	CHECK_EQ(dbcn(SBI_DBCN_WRITE, 4, TEST_MON_BASE + TEST_MON_SIZE - 2, 0)
			 .error,
		 SBI_ERR_INVALID_PARAM);
	/* Wrapping around the address space. */
	CHECK_EQ(dbcn(SBI_DBCN_WRITE, 8, -4UL, 0).error,
		 SBI_ERR_INVALID_PARAM);
	CHECK_EQ(dbcn(SBI_DBCN_WRITE, -1UL, TEST_OS_ADDR, 0).error,
		 SBI_ERR_INVALID_PARAM);
	CHECK_EQ(dbcn(SBI_DBCN_WRITE, -TEST_OS_ADDR, TEST_OS_ADDR, 0).error,
		 SBI_ERR_INVALID_PARAM);
	CHECK_EQ(fake_console_len(), 0);
}

static void test_read(void)
{
	struct sbi_ret r;
	char *buf;

	test_boot("virt-1hart", 0);
	buf = fake_ram(TEST_OS_ADDR, 8);
	r = dbcn(SBI_DBCN_READ, 8, TEST_OS_ADDR, 0);
	CHECK_EQ(r.error, SBI_SUCCESS);
	CHECK_EQ(r.value, 0);

	fake_console_input("abc", 3);
	r = dbcn(SBI_DBCN_READ, 2, TEST_OS_ADDR, 0);
	CHECK_EQ(r.error, SBI_SUCCESS);
	CHECK_EQ(r.value, 2);
	CHECK(!memcmp(buf, "ab\0", 3));
	r = dbcn(SBI_DBCN_READ, 8, TEST_OS_ADDR + 4, 0);
	CHECK_EQ(r.value, 1);
	CHECK_EQ(buf[4], 'c');
	CHECK_EQ(fake_console_len(), 0);
}

static void test_read_bad_buffer(void)
{
	test_boot("virt-1hart", 0);
	fake_console_input("q", 1);
	CHECK_EQ(dbcn(SBI_DBCN_READ, 4, TEST_MON_BASE, 0).error,
		 SBI_ERR_INVALID_PARAM);
	CHECK_EQ(dbcn(SBI_DBCN_READ, 4, TEST_OS_ADDR, 2).error,
		 SBI_ERR_INVALID_PARAM);
	CHECK_EQ(dbcn(SBI_DBCN_READ, 16, -8UL, 0).error,
		 SBI_ERR_INVALID_PARAM);
	/* The monitor's memory is untouched and the byte still waits. */
	CHECK_EQ(*(char *)fake_ram(TEST_MON_BASE, 1), 0);
	CHECK_EQ(dbcn(SBI_DBCN_READ, 4, TEST_OS_ADDR, 0).value, 1);
	CHECK_EQ(*(char *)fake_ram(TEST_OS_ADDR, 1), 'q');
}

static void test_write_byte(void)
{
	struct sbi_ret r;

	test_boot("virt-1hart", 0);
	r = dbcn(SBI_DBCN_WRITE_BYTE, 'Z', 0, 0);
	CHECK_EQ(r.error, SBI_SUCCESS);
	CHECK_EQ(r.value, 0);
	/* Only the low 8 bits are the byte. */
	r = dbcn(SBI_DBCN_WRITE_BYTE, 0x7700 | '\n', 0, 0);
	CHECK_EQ(r.error, SBI_SUCCESS);
	CHECK_STR(fake_console_text(), "Z\n");
}

int main(void)
{
	RUN(test_write);
	RUN(test_write_at_ram_end);
	RUN(test_write_long);
	RUN(test_write_bad_buffer);
	RUN(test_read);
	RUN(test_read_bad_buffer);
	RUN(test_write_byte);
	return test_finish();
}
