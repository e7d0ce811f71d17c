/*
 * Suite "protected": the kernel features of issue 11 under protection.
 *
 * madv_free: the A/D policy serves reclaim and correctness at once.  Pages
 * given up with MADV_FREE must really be dropped by reclaim (they are
 * clean), while a page written again after MADV_FREE must keep its data
 * (it is dirty again).  With the monitor forcing D on every writable leaf
 * the first half failed: nothing was ever freed.
 *
 * bpf_jit: a JITed program is made and runs (see the case).
 *
 * refuse_kexec, refuse_hibernate: features a distribution keeps compiled
 * in but that cannot work on monitor-owned tables are refused at run time
 * with EPERM and a kernel message naming them, and only while the
 * protection is on.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "guest.h"
#include "prot.h"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

#define FREE_PAGES 64
#define REWRITTEN 8 /* pages 0..7 are written again after MADV_FREE */

/* Whether the kernel logged a line holding needle since kfd was opened. */
static int logged(int kfd, const char *needle)
{
	char line[512];

	return kfd >= 0 && kmsg_find(kfd, needle, line, sizeof(line)) > 0;
}

int prot_case_madv_free(void)
{
	size_t len = FREE_PAGES * PROT_PAGE;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long bad, freed = 0;

	if (p == MAP_FAILED)
		return prot_fail("mmap: %s", strerror(errno));
	prot_fill(p, 0, FREE_PAGES, 11);
	if (madvise(p, len, MADV_FREE) != 0)
		return prot_fail("MADV_FREE: %s", strerror(errno));
	/* Written again: the page is the process's data once more. */
	prot_fill(p, 0, REWRITTEN, 12);
	if (madvise(p, len, MADV_PAGEOUT) != 0) {
		if (errno == EINVAL)
			return prot_skip("MADV_PAGEOUT not supported here");
		return prot_fail("MADV_PAGEOUT: %s", strerror(errno));
	}
	bad = prot_verify(p, 0, REWRITTEN, 12);
	if (bad >= 0)
		return prot_fail(
		    "page %ld, written after MADV_FREE, lost its data", bad);
	for (size_t i = REWRITTEN; i < FREE_PAGES; i++)
		freed += prot_verify(p, i, i + 1, 0) < 0;
	munmap(p, len);
	printf("madv_free: %ld of %d clean pages dropped by reclaim, %d "
	       "rewritten kept\n",
	       freed, FREE_PAGES - REWRITTEN, REWRITTEN);
	if (freed == 0)
		return prot_fail(
		    "reclaim dropped none of the %d pages given up with "
		    "MADV_FREE (are they installed dirty?)",
		    FREE_PAGES - REWRITTEN);
	return 0;
}

int prot_case_refuse_kexec(void)
{
	static char buf[PROT_PAGE];
	/* struct kexec_segment: buf, bufsz, mem, memsz. */
	struct {
		void *buf;
		size_t bufsz;
		unsigned long mem;
		size_t memsz;
	} seg = {buf, sizeof(buf), 0x90000000UL, sizeof(buf)};
	int kfd = kmsg_open(1);
	long rc = syscall(SYS_kexec_load, 0x90000000UL, 1UL, &seg, 0UL);
	int err = errno, said = logged(kfd, "secmon: kexec refused");

	if (kfd >= 0)
		close(kfd);
	if (rc == 0)
		return prot_fail("kexec_load of a bogus image succeeded");
	if (err == ENOSYS)
		return prot_skip("kexec is not compiled in");
	if (!prot_is_protected()) {
		if (err == EPERM || said)
			return prot_fail("kexec refused for secmon without the "
					 "protection (%s)",
					 strerror(err));
		return 0;
	}
	if (err != EPERM)
		return prot_fail("kexec_load under protection: %s, not EPERM",
				 strerror(err));
	if (!said)
		return prot_fail(
		    "kexec refused without a kernel message naming it");
	return 0;
}

int prot_case_refuse_hibernate(void)
{
	char states[128] = "";
	int fd = open("/sys/power/state", O_RDWR), kfd;
	ssize_t n;

	if (fd < 0)
		return prot_skip("/sys/power/state: %s", strerror(errno));
	n = read(fd, states, sizeof(states) - 1);
	states[n > 0 ? n : 0] = 0;
	if (!strstr(states, "disk")) {
		close(fd);
		return prot_skip("hibernation is not compiled in");
	}
	if (!prot_is_protected()) {
		close(fd);
		return prot_skip(
		    "unprotected: hibernating would stop the suite");
	}
	kfd = kmsg_open(1);
	n = pwrite(fd, "disk", 4, 0);
	close(fd);
	if (n >= 0)
		return prot_fail("hibernation started under protection");
	if (errno != EPERM)
		return prot_fail("hibernation under protection: %s, not EPERM",
				 strerror(errno));
	n = logged(kfd, "secmon: hibernation refused");
	if (kfd >= 0)
		close(kfd);
	return n ? 0
		 : prot_fail("hibernation refused without a kernel message "
			     "naming it");
}

/*
 * bpf_jit: a JITed BPF program lives in the module area, whose top-level
 * entries the kernel preallocates; the JIT must not need a new entry in
 * the swapper root, which the monitor locked (a store there would fault).
 */
int prot_case_bpf_jit(void)
{
	struct bpf_insn prog[] = {
	    {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 42},
	    {.code = BPF_JMP | BPF_EXIT},
	};
	struct bpf_prog_info info = {0};
	union bpf_attr a = {0}, run = {0}, get = {0};
	char data[64] = {0};
	int fd;

	/* Absent without CONFIG_BPF_JIT; 0 by default on riscv. */
	fd = open("/proc/sys/net/core/bpf_jit_enable", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return prot_skip("no BPF JIT: %s", strerror(errno));
	if (write(fd, "1", 1) != 1) {
		close(fd);
		return prot_fail("bpf_jit_enable: %s", strerror(errno));
	}
	close(fd);
	a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	a.insns = (unsigned long)prog;
	a.insn_cnt = 2;
	a.license = (unsigned long)"GPL";
	fd = (int)syscall(SYS_bpf, BPF_PROG_LOAD, &a, sizeof(a));
	if (fd < 0 && errno == ENOSYS)
		return prot_skip("the bpf syscall is not compiled in");
	if (fd < 0)
		return prot_fail("BPF_PROG_LOAD: %s", strerror(errno));
	get.info.bpf_fd = fd;
	get.info.info_len = sizeof(info);
	get.info.info = (unsigned long)&info;
	if (syscall(SYS_bpf, BPF_OBJ_GET_INFO_BY_FD, &get, sizeof(get)) != 0) {
		close(fd);
		return prot_fail("BPF_OBJ_GET_INFO_BY_FD: %s", strerror(errno));
	}
	run.test.prog_fd = fd;
	run.test.data_in = (unsigned long)data;
	run.test.data_size_in = sizeof(data);
	run.test.repeat = 1;
	if (syscall(SYS_bpf, BPF_PROG_TEST_RUN, &run, sizeof(run)) != 0) {
		close(fd);
		return prot_fail("BPF_PROG_TEST_RUN: %s", strerror(errno));
	}
	close(fd);
	if (run.test.retval != 42)
		return prot_fail("the program returned %u, not 42",
				 run.test.retval);
	if (info.jited_prog_len == 0)
		return prot_fail("ran, but was not JITed");
	printf("bpf_jit: %u bytes of JITed code ran\n", info.jited_prog_len);
	return 0;
}
