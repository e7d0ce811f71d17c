// SPDX-License-Identifier: BSD-2-Clause
/* The console formatter and the polled UART path. */
#include <limits.h>
#include <string.h>

#include "console.h"
#include "harness.h"
#include "support.h"

static char out[128];

#define FMT(want, ...)                                                     \
	do {                                                               \
		size_t n_ = con_snprintf(out, sizeof(out), __VA_ARGS__);   \
		CHECK_STR(out, want);                                      \
		CHECK_EQ(n_, strlen(want));                                \
	} while (0)

static void test_integers(void)
{
	FMT("-42", "%d", -42);
	FMT("0", "%d", 0);
	FMT("-2147483648", "%d", INT_MIN);
	FMT("2147483647", "%i", INT_MAX);
	FMT("-9223372036854775808", "%ld", LONG_MIN);
	FMT("4294967295", "%u", UINT_MAX);
	FMT("18446744073709551615", "%lu", ULONG_MAX);
	FMT("deadbeefcafe", "%lx", 0xdeadbeefcafeUL);
	FMT("ffffffff", "%x", 0xffffffffu);
	FMT("ffffffffffffffff", "%llx", ~0ULL);
	FMT("12345", "%zu", (size_t)12345);
}

static void test_width(void)
{
	FMT("0000000000000000", "%016lx", 0UL);
	FMT("0000000000001234", "%016lx", 0x1234UL);
	FMT("   -3", "%5d", -3);
	FMT("-0003", "%05d", -3);
	FMT("7    |", "%-5d|", 7);
	FMT("123456", "%3d", 123456);
}

static void test_strings(void)
{
	/* volatile: keep the compiler from checking the NULL at build time. */
	const char *volatile none = NULL;

	FMT("[ab  ]", "[%-4s]", "ab");
	FMT("[  ab]", "[%4s]", "ab");
	FMT("[abcdef]", "[%-4s]", "abcdef");
	FMT("(null)", "%s", none);
	FMT("x=%y", "x=%%%c", 'y');
	FMT("[c]", "[%c]", 'c');
	FMT("0x80000000", "%p", (void *)0x80000000UL);
	FMT("", "%s", "");
}

static void test_truncation(void)
{
	char small[8];
	size_t n;

	memset(small, '#', sizeof(small));
	n = con_snprintf(small, 8, "hello %s", "world");
	CHECK_EQ(n, 11);
	CHECK_STR(small, "hello w");

	memset(small, '#', sizeof(small));
	n = con_snprintf(small, 4, "%d", 123456);
	CHECK_EQ(n, 6);
	CHECK_STR(small, "123");
	CHECK_EQ(small[4], '#'); /* nothing past size */

	memset(small, '#', sizeof(small));
	n = con_snprintf(small, 1, "abc");
	CHECK_EQ(n, 3);
	CHECK_EQ(small[0], '\0');
	CHECK_EQ(small[1], '#');

	memset(small, '#', sizeof(small));
	n = con_snprintf(small, 0, "abc");
	CHECK_EQ(n, 3);
	CHECK_EQ(small[0], '#');

	/* Exactly fits: the NUL takes the last byte. */
	n = con_snprintf(small, 8, "1234567");
	CHECK_EQ(n, 7);
	CHECK_STR(small, "1234567");
}

static void test_printf_to_uart(void)
{
	con_printf("hart %lu: %s\n", 3UL, "up");
	/* Lines end in CR LF on the wire. */
	CHECK_STR(fake_console_text(), "hart 3: up\r\n");
	CHECK_EQ(fake_mmio_count(), 0); /* UART traffic is not in the log */
}

static void test_printf_long_line(void)
{
	char big[400];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	con_printf("%s", big);
	/* One line is at most the formatter's buffer, minus the NUL. */
	CHECK(fake_console_len() > 0);
	CHECK(fake_console_len() < sizeof(big) - 1);
	CHECK_EQ(strspn(fake_console_text(), "x"), fake_console_len());
}

static void test_no_uart(void)
{
	static const struct con_uart none = { 0, 0, 0 };

	con_init(&none);
	CHECK(!con_ready());
	con_printf("lost\n");
	con_putc('x');
	fake_console_input("a", 1);
	CHECK_EQ(con_getc(), -1);
	CHECK_EQ(fake_console_len(), 0);
}

static void test_getc(void)
{
	CHECK(con_ready());
	CHECK_EQ(con_getc(), -1);
	fake_console_input("hi", 2);
	CHECK_EQ(con_getc(), 'h');
	CHECK_EQ(con_getc(), 'i');
	CHECK_EQ(con_getc(), -1);
}

int main(void)
{
	RUN(test_integers);
	RUN(test_width);
	RUN(test_strings);
	RUN(test_truncation);
	RUN(test_printf_to_uart);
	RUN(test_printf_long_line);
	RUN(test_no_uart);
	RUN(test_getc);
	return test_finish();
}
