/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A minimal unit-test harness. CHECK* macros record a failure (with file,
 * line and the values involved) and carry on, so one run reports every
 * broken expectation; test_finish() makes the executable exit non-zero if
 * anything failed, which is what ctest looks at.
 */
#ifndef SECMON_TEST_HARNESS_H
#define SECMON_TEST_HARNESS_H

#include <stdbool.h>
#include <stddef.h>

void test_check(bool ok, const char *file, int line, const char *expr);
void test_check_eq(unsigned long long a, unsigned long long b,
		   const char *file, int line, const char *ea,
		   const char *eb);
void test_check_str(const char *a, const char *b, const char *file,
		    int line, const char *ea, const char *eb);
void test_check_contains(const char *hay, const char *needle,
			 const char *file, int line, const char *eh);

#define CHECK(cond) test_check((cond), __FILE__, __LINE__, #cond)
/* Integers of any width and signedness; printed in decimal and hex. */
#define CHECK_EQ(a, b)                                                    \
	test_check_eq((unsigned long long)(a), (unsigned long long)(b),   \
		      __FILE__, __LINE__, #a, #b)
#define CHECK_STR(a, b) test_check_str((a), (b), __FILE__, __LINE__, #a, #b)
/* hay contains needle as a substring. */
#define CHECK_CONTAINS(hay, needle)                                       \
	test_check_contains((hay), (needle), __FILE__, __LINE__, #hay)

/* Run one test case: resets the fake machine first. */
void test_run(const char *name, void (*fn)(void));
#define RUN(fn) test_run(#fn, fn)
/* Print the summary; the value main() returns. */
int test_finish(void);

#endif
