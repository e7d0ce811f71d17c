// SPDX-License-Identifier: BSD-2-Clause
#include "harness.h"

#include <stdio.h>
#include <string.h>

#include "arch_host.h"

static unsigned long checks, failures, case_failures;
static unsigned long cases, failed_cases;
static const char *current = "(none)";

static void fail_head(const char *file, int line)
{
	failures++;
	case_failures++;
	fprintf(stderr, "%s:%d: FAIL in %s: ", file, line, current);
}

void test_check(bool ok, const char *file, int line, const char *expr)
{
	checks++;
	if (!ok) {
		fail_head(file, line);
		fprintf(stderr, "%s\n", expr);
	}
}

void test_check_eq(unsigned long long a, unsigned long long b,
		   const char *file, int line, const char *ea, const char *eb)
{
	checks++;
	if (a != b) {
		fail_head(file, line);
		fprintf(stderr, "%s == %s\n    left:  %lld (0x%llx)\n"
			"    right: %lld (0x%llx)\n",
			ea, eb, (long long)a, a, (long long)b, b);
	}
}

void test_check_str(const char *a, const char *b, const char *file, int line,
		    const char *ea, const char *eb)
{
	checks++;
	if (!a || !b || strcmp(a, b) != 0) {
		fail_head(file, line);
		fprintf(stderr,
			"%s == %s\n    left:  \"%s\"\n    right: \"%s\"\n",
			ea, eb, a ? a : "(null)", b ? b : "(null)");
	}
}

void test_check_contains(const char *hay, const char *needle,
			 const char *file, int line, const char *eh)
{
	checks++;
	if (!hay || !strstr(hay, needle)) {
		fail_head(file, line);
		fprintf(stderr, "%s contains \"%s\"\n    text: \"%s\"\n", eh,
			needle, hay ? hay : "(null)");
	}
}

void test_run(const char *name, void (*fn)(void))
{
	current = name;
	case_failures = 0;
	cases++;
	fake_reset();
	fn();
	if (case_failures) {
		failed_cases++;
	}
	printf("%-4s %s\n", case_failures ? "FAIL" : "ok", name);
	current = "(none)";
}

int test_finish(void)
{
	printf("%lu cases, %lu checks, %lu failed checks in %lu cases\n",
	       cases, checks, failures, failed_cases);
	return failures || !checks ? 1 : 0;
}
