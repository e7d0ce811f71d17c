// SPDX-License-Identifier: BSD-2-Clause
/*
 * main() for the builds of the fuzz target that are not libFuzzer's.
 *
 * AFL++ (afl-clang-fast): persistent mode, many inputs per fork, each
 * through the same LLVMFuzzerTestOneInput as libFuzzer's build. Given
 * files or directories instead, or built without AFL++ (the coverage
 * build), it replays every file once and exits: 0 if none failed (a
 * failing input aborts).
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REPLAY_MAX (1 << 20)

static unsigned long replayed;

static void replay_file(const char *path)
{
	static uint8_t buf[REPLAY_MAX];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f) {
		perror(path);
		exit(2);
	}
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, n);
	replayed++;
}

static void replay(const char *path)
{
	struct stat st;
	struct dirent *e;
	char sub[4096];
	DIR *d;

	if (stat(path, &st)) {
		perror(path);
		exit(2);
	}
	if (!S_ISDIR(st.st_mode)) {
		replay_file(path);
		return;
	}
	d = opendir(path);
	if (!d) {
		perror(path);
		exit(2);
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.') {
			continue;
		}
		snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
		if (!stat(sub, &st) && S_ISREG(st.st_mode)) {
			replay_file(sub);
		}
	}
	closedir(d);
}

#ifdef __AFL_FUZZ_TESTCASE_LEN
__AFL_FUZZ_INIT();
#endif

int main(int argc, char **argv)
{
	LLVMFuzzerInitialize(&argc, &argv);
#ifdef __AFL_FUZZ_TESTCASE_LEN
	if (argc < 2) {
		unsigned char *buf;

		__AFL_INIT();
		buf = __AFL_FUZZ_TESTCASE_BUF;
		while (__AFL_LOOP(10000)) {
			LLVMFuzzerTestOneInput(buf, __AFL_FUZZ_TESTCASE_LEN);
		}
		return 0;
	}
#endif
	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		replay(argv[i]);
	}
	fprintf(stderr, "%s: %lu inputs replayed, none failed\n", argv[0],
		replayed);
	return 0;
}
