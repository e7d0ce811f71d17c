// SPDX-License-Identifier: BSD-2-Clause
/* SBI dispatch, the BASE extension and the legacy console calls. */
#include "harness.h"
#include "support.h"

static void boot(void)
{
	test_boot("virt-4hart", 0);
}

static void test_unknown_eid(void)
{
	static const unsigned long eids[] = {
	    0x12345678, 0x535441 /* STA */, 0x4E41434C /* NACL */,
	    0x0A000000, 0x10 + 1,	    -1UL,
	};
	struct sbi_ret r;

	boot();
	for (unsigned int i = 0; i < sizeof(eids) / sizeof(eids[0]); i++) {
		r = ecall(eids[i], 0, 0, 0, 0, 0, 0);
		CHECK_EQ(r.error, SBI_ERR_NOT_SUPPORTED);
		CHECK_EQ(r.value, 0);
		CHECK(!test_last_call.legacy);
		CHECK_EQ(test_last_call.action, SBI_ACT_NONE);
	}
	CHECK_EQ(fake_mmio_count(), 0);
	CHECK_EQ(fake_console_len(), 0);
}

static void test_unknown_fid(void)
{
	static const struct {
		unsigned long eid, fid;
	} calls[] = {
	    {SBI_EXT_BASE, 7},	 {SBI_EXT_TIME, 1}, {SBI_EXT_IPI, 1},
	    {SBI_EXT_RFENCE, 7}, {SBI_EXT_HSM, 4},  {SBI_EXT_SUSP, 1},
	    {SBI_EXT_SRST, 1},	 {SBI_EXT_DBCN, 3}, {SBI_EXT_BASE, -1UL},
	};
	struct sbi_ret r;

	boot();
	for (unsigned int i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		/* Arguments that the known FIDs would act on. */
		r = ecall(calls[i].eid, calls[i].fid, 1, 0, TEST_OS_ADDR, 0, 0);
		CHECK_EQ(r.error, SBI_ERR_NOT_SUPPORTED);
		CHECK_EQ(r.value, 0);
	}
	CHECK_EQ(fake_mmio_count(), 0);
	CHECK_EQ(fake_console_len(), 0);
	CHECK_EQ(fake_hart_state(0)->ssip_set, 0);
	CHECK_EQ(fake_hart_state(0)->stimecmp_writes, 0);
}

static void test_base_versions(void)
{
	struct sbi_ret r;

	boot();
	r = ecall(SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION, 0, 0, 0, 0, 0);
	CHECK_EQ(r.error, SBI_SUCCESS);
	CHECK_EQ(r.value, 0x03000000);
	r = ecall(SBI_EXT_BASE, SBI_BASE_GET_IMPL_ID, 0, 0, 0, 0, 0);
	CHECK_EQ(r.error, SBI_SUCCESS);
	CHECK_EQ(r.value, 0x5EC);
	r = ecall(SBI_EXT_BASE, SBI_BASE_GET_IMPL_VERSION, 0, 0, 0, 0, 0);
	CHECK_EQ(r.error, SBI_SUCCESS);
	CHECK_EQ(r.value, SECMON_IMPL_VERSION);
	r = ecall(SBI_EXT_BASE, SBI_BASE_GET_MVENDORID, 0, 0, 0, 0, 0);
	CHECK_EQ(r.error, SBI_SUCCESS);
	CHECK_EQ(r.value, FAKE_MVENDORID);
	r = ecall(SBI_EXT_BASE, SBI_BASE_GET_MARCHID, 0, 0, 0, 0, 0);
	CHECK_EQ(r.value, FAKE_MARCHID);
	r = ecall(SBI_EXT_BASE, SBI_BASE_GET_MIMPID, 0, 0, 0, 0, 0);
	CHECK_EQ(r.value, FAKE_MIMPID);
	CHECK(!test_last_call.legacy);
	CHECK_EQ(test_last_call.action, SBI_ACT_NONE);
}

static unsigned long probe(unsigned long eid)
{
	struct sbi_ret r =
	    ecall(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, eid, 0, 0, 0, 0);

	CHECK_EQ(r.error, SBI_SUCCESS);
	return r.value;
}

static void test_base_probe(void)
{
	boot();
	CHECK_EQ(probe(SBI_EXT_TIME), 1);
	CHECK_EQ(probe(SBI_EXT_IPI), 1);
	CHECK_EQ(probe(SBI_EXT_RFENCE), 1);
	CHECK_EQ(probe(SBI_EXT_HSM), 1);
	CHECK_EQ(probe(SBI_EXT_SRST), 1);
	CHECK_EQ(probe(SBI_EXT_DBCN), 1);
	CHECK_EQ(probe(SBI_EXT_BASE), 1);
	CHECK_EQ(probe(SBI_EXT_SUSP), 1);
	CHECK_EQ(probe(SBI_LEGACY_CONSOLE_PUTCHAR), 1);
	CHECK_EQ(probe(SBI_LEGACY_CONSOLE_GETCHAR), 1);

	CHECK_EQ(probe(SBI_EXT_PMU), 1);
	CHECK_EQ(probe(0x4E41434C), 0); /* NACL: not implemented */
	CHECK_EQ(probe(0x7a3c9b51), 0);
	CHECK_EQ(probe(SBI_LEGACY_SET_TIMER), 0);
	CHECK_EQ(probe(0x08), 0); /* legacy shutdown */
	CHECK_EQ(probe(-1UL), 0);
}

static void test_legacy_putchar(void)
{
	struct sbi_ret r;

	boot();
	r = ecall(SBI_LEGACY_CONSOLE_PUTCHAR, 0, 'O', 0, 0, 0, 0);
	CHECK(test_last_call.legacy);
	CHECK_EQ(r.value, 0);
	/* Only the low byte is the character. */
	r = ecall(SBI_LEGACY_CONSOLE_PUTCHAR, 0x55, 0x300 | 'k', 0, 0, 0, 0);
	CHECK(test_last_call.legacy);
	CHECK_EQ(r.value, 0);
	CHECK_STR(fake_console_text(), "Ok");
}

static void test_legacy_getchar(void)
{
	struct sbi_ret r;

	boot();
	r = ecall(SBI_LEGACY_CONSOLE_GETCHAR, 0, 0, 0, 0, 0, 0);
	CHECK(test_last_call.legacy);
	CHECK_EQ(r.value, -1UL); /* v0.1: -1 when nothing is waiting */
	fake_console_input("x\xff", 2);
	r = ecall(SBI_LEGACY_CONSOLE_GETCHAR, 0, 0, 0, 0, 0, 0);
	CHECK_EQ(r.value, 'x');
	/* A 0xff byte must not read as "no input". */
	r = ecall(SBI_LEGACY_CONSOLE_GETCHAR, 0, 0, 0, 0, 0, 0);
	CHECK_EQ(r.value, 0xff);
	r = ecall(SBI_LEGACY_CONSOLE_GETCHAR, 0, 0, 0, 0, 0, 0);
	CHECK_EQ(r.value, -1UL);
}

static void test_legacy_unsupported(void)
{
	static const unsigned long eids[] = {
	    SBI_LEGACY_SET_TIMER, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09,
	    SBI_LEGACY_LAST};
	struct sbi_ret r;

	boot();
	for (unsigned int i = 0; i < sizeof(eids) / sizeof(eids[0]); i++) {
		r = ecall(eids[i], 0, 1, 0, 0, 0, 0);
		CHECK(test_last_call.legacy);
		CHECK_EQ(r.value, (unsigned long)SBI_ERR_NOT_SUPPORTED);
	}
	CHECK_EQ(fake_mmio_count(), 0);
	CHECK_EQ(fake_hart_state(0)->stimecmp_writes, 0);
	CHECK_EQ(fake_hart_state(0)->ssip_set, 0);
	/* 0x10 is BASE, the first non-legacy EID. */
	ecall(SBI_LEGACY_LAST + 1, 0, 0, 0, 0, 0, 0);
	CHECK(!test_last_call.legacy);
}

int main(void)
{
	RUN(test_unknown_eid);
	RUN(test_unknown_fid);
	RUN(test_base_versions);
	RUN(test_base_probe);
	RUN(test_legacy_putchar);
	RUN(test_legacy_getchar);
	RUN(test_legacy_unsupported);
	return test_finish();
}
