/*
 * Suite "kvm": a small VMM of our own on /dev/kvm (issue 17).
 *
 * It creates a VM with one 64 KiB memory slot at guest physical address
 * 0x80000000 and one vCPU, points the vCPU's pc at a hand-assembled guest
 * program (below) and runs it until it powers itself off.  The guest, in
 * VS-mode with paging off:
 *
 *   (a) asks for the SBI specification version (base extension), which
 *       KVM answers in the kernel, and stores the error and value to its
 *       data page;
 *   (b) writes a message byte by byte with SBI DBCN console_write_byte,
 *       which Linux 6.12's KVM always forwards to user space
 *       (KVM_EXIT_RISCV_SBI; arch/riscv/kvm/vcpu_sbi_replace.c).  DBCN is
 *       off by default for a vCPU, so the VMM turns it on with
 *       KVM_SET_ONE_REG first.  (The legacy console putchar, EID 0x01, is
 *       only there with CONFIG_RISCV_SBI_V01, which our kernels leave out.)
 *       The guest ORs the error values the VMM returns into a register and
 *       stores them, so the way back into the guest is checked too;
 *   (c) stores a magic value to its data page and calls SBI SRST
 *       system_reset (shutdown), which KVM turns into
 *       KVM_EXIT_SYSTEM_EVENT.
 *
 * The VMM prints every exit and checks the bytes written, the version the
 * guest stored, the final exit, the magic value read from its side of the
 * guest's memory and where the vCPU stopped.
 *
 * Without /dev/kvm the suite fails, unless the kernel command line says
 * secmon.kvm=absent-ok (a kernel without KVM, or a hart without H, where
 * that is expected): then it reports a skip.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <asm/kvm.h>
#include <linux/kvm.h>

#include "guest.h"

#define KVM_DEV "/dev/kvm"
/* KVM_GET_API_VERSION has been 12 since Linux 2.6.22. */
#define KVM_API_EXPECTED 12

/*
 * The cross toolchain's uapi headers are Linux 6.1's, older than the SBI
 * extension registers (6.6) and DBCN (6.8).  The values are those of 6.12's
 * arch/riscv/include/uapi/asm/kvm.h: register type 8, subtype 0 (single),
 * and DBCN's index in enum KVM_RISCV_SBI_EXT_ID.
 */
#define REG_RISCV_SBI_EXT (0x08ULL << 24)
#define REG_RISCV_SBI_SINGLE (0x0ULL << 16)
#define KVM_SBI_EXT_IDX_DBCN 9

/* SBI extension and function ids (RISC-V SBI specification). */
#define SBI_EXT_BASE 0x10
#define SBI_BASE_GET_SPEC_VERSION 0
#define SBI_EXT_DBCN 0x4442434e /* "DBCN" */
#define SBI_DBCN_WRITE_BYTE 2
#define SBI_EXT_SRST 0x53525354 /* "SRST" */
#define SBI_EXT_EXPERIMENTAL_FIRST 0x08000000
#define SBI_ERR_NOT_SUPPORTED (-2L)

/* Guest memory layout (guest physical addresses). */
#define GUEST_BASE 0x80000000ULL
#define GUEST_SIZE 0x10000UL
#define GUEST_MSG_OFF 0x100 /* the message, NUL-terminated */
#define GUEST_DATA_OFF 0x1000 /* the page the guest writes */
#define GUEST_SRST_PC_OFF 0x6c /* the SRST ecall below */
#define GUEST_MAGIC 0x5ec0ccdeULL

/* The guest's data page, 64-bit words. */
enum {
	DATA_BASE_ERR, /* (a) a0 of get_spec_version */
	DATA_BASE_VALUE, /* (a) a1 of get_spec_version */
	DATA_DBCN_ERRS, /* (b) the a0s of every write_byte, ORed */
	DATA_MAGIC, /* (c) GUEST_MAGIC, stored before SRST */
	DATA_SRST_ERR, /* a0 of SRST, if it ever returns */
};

/*
 * The guest program, RV64I without compressed instructions, at
 * GUEST_BASE.  s0 = data page, s1 = message cursor, s2 = DBCN errors.
 */
static const uint32_t guest_code[] = {
    0x00001417, /* 0x00 auipc s0, 0x1         s0 = base + 0x1000 (data)  */
    0x00000913, /* 0x04 addi  s2, zero, 0                                */
    /* (a) SBI base get_spec_version: a7 = 0x10, a6 = 0 */
    0x01000893, /* 0x08 addi  a7, zero, 0x10                             */
    0x00000813, /* 0x0c addi  a6, zero, 0                                */
    0x00000073, /* 0x10 ecall                                            */
    0x00a43023, /* 0x14 sd    a0, 0(s0)       error                      */
    0x00b43423, /* 0x18 sd    a1, 8(s0)       version                    */
    /* (b) DBCN console_write_byte for each byte of the message */
    0x00000497, /* 0x1c auipc s1, 0           s1 = base + 0x1c           */
    0x0e448493, /* 0x20 addi  s1, s1, 0xe4    s1 = base + 0x100 (msg)    */
    0x444248b7, /* 0x24 lui   a7, 0x44424                                */
    0x34e88893, /* 0x28 addi  a7, a7, 0x34e   a7 = 0x4442434e "DBCN"     */
    0x00200813, /* 0x2c addi  a6, zero, 2     write_byte                 */
    0x0004c503, /* 0x30 loop: lbu a0, 0(s1)                              */
    0x00050a63, /* 0x34 beq   a0, zero, +0x14 (to 0x48 at the NUL)       */
    0x00000073, /* 0x38 ecall                 the VMM sees the byte      */
    0x00a96933, /* 0x3c or    s2, s2, a0      collect the error values   */
    0x00148493, /* 0x40 addi  s1, s1, 1                                  */
    0xfedff06f, /* 0x44 jal   zero, -0x14     (to loop at 0x30)          */
    0x01243823, /* 0x48 sd    s2, 16(s0)      DBCN errors                */
    /* (c) the magic value, then SRST system_reset(shutdown, no reason) */
    0x5ec0d2b7, /* 0x4c lui   t0, 0x5ec0d                                */
    0xcde28293, /* 0x50 addi  t0, t0, -0x322  t0 = 0x5ec0ccde            */
    0x00543c23, /* 0x54 sd    t0, 24(s0)                                 */
    0x535258b7, /* 0x58 lui   a7, 0x53525                                */
    0x35488893, /* 0x5c addi  a7, a7, 0x354   a7 = 0x53525354 "SRST"     */
    0x00000813, /* 0x60 addi  a6, zero, 0     system_reset               */
    0x00000513, /* 0x64 addi  a0, zero, 0     type shutdown              */
    0x00000593, /* 0x68 addi  a1, zero, 0     reason none                */
    0x00000073, /* 0x6c ecall                 KVM_EXIT_SYSTEM_EVENT      */
    /* Only if SRST returned: tell the VMM through an experimental SBI
     * extension, which KVM always forwards, and spin. */
    0x02a43023, /* 0x70 sd    a0, 32(s0)      SRST's error               */
    0x080008b7, /* 0x74 lui   a7, 0x08000     a7 = 0x08000000            */
    0x00000073, /* 0x78 ecall                 a0 = SRST's error          */
    0x0000006f, /* 0x7c jal   zero, 0         spin                       */
};

static const char guest_msg[] = "hello from a KVM guest\n";

#define RUN_LIMIT_S 60
#define MAX_EXITS 256

static volatile sig_atomic_t run_timed_out;

static void on_alarm(int sig)
{
	(void)sig;
	run_timed_out = 1;
}

static uint64_t core_reg_id(size_t index)
{
	return KVM_REG_RISCV | KVM_REG_SIZE_U64 | KVM_REG_RISCV_CORE | index;
}

static int one_reg(int vcpu, unsigned long req, uint64_t id, uint64_t *val)
{
	struct kvm_one_reg reg = {.id = id, .addr = (uintptr_t)val};

	return ioctl(vcpu, req, &reg);
}

/* Prints the kernel's "kvm [N]: ..." lines and the ISA of hart 0. */
static void print_host_info(void)
{
	char buf[1024];
	int fd = kmsg_open(0);
	FILE *f;

	if (fd >= 0) {
		int seen = 0;

		while (kmsg_next(fd, buf, sizeof(buf)) > 0) {
			if (strncmp(buf, "kvm", 3) == 0)
				seen = 1;
			if (strncmp(buf, "kvm", 3) == 0 ||
			    strstr(buf, "riscv: base ISA extensions"))
				printf("kvm: dmesg: %s\n", buf);
		}
		close(fd);
		if (!seen)
			printf("kvm: dmesg: no line from KVM\n");
	}
	f = fopen("/proc/cpuinfo", "re");
	if (f) {
		while (fgets(buf, sizeof(buf), f)) {
			if (strncmp(buf, "isa", 3) == 0) {
				printf("kvm: hart 0 %s", buf);
				break;
			}
		}
		fclose(f);
	}
}

static const char *exit_name(uint32_t reason)
{
	switch (reason) {
	case KVM_EXIT_UNKNOWN:
		return "UNKNOWN";
	case KVM_EXIT_MMIO:
		return "MMIO";
	case KVM_EXIT_INTR:
		return "INTR";
	case KVM_EXIT_SHUTDOWN:
		return "SHUTDOWN";
	case KVM_EXIT_FAIL_ENTRY:
		return "FAIL_ENTRY";
	case KVM_EXIT_INTERNAL_ERROR:
		return "INTERNAL_ERROR";
	case KVM_EXIT_SYSTEM_EVENT:
		return "SYSTEM_EVENT";
	case KVM_EXIT_RISCV_SBI:
		return "RISCV_SBI";
	default:
		return "?";
	}
}

struct run_result {
	char out[128]; /* bytes the guest wrote through DBCN */
	size_t nout;
	int exits;
	int unexpected; /* exits the guest program should not cause */
	int system_event; /* the last exit was KVM_EXIT_SYSTEM_EVENT */
	uint32_t event_type;
	uint32_t event_ndata;
	uint64_t event_data0;
	int srst_returned;
	long srst_err;
	char why[160]; /* why the loop stopped early, if it did */
};

/* KVM_RUN until the guest powers off, something unexpected happens or
 * RUN_LIMIT_S pass. */
static void run_guest(int vcpu, struct kvm_run *run, struct run_result *r)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm; /* no SA_RESTART: KVM_RUN returns EINTR */
	sigaction(SIGALRM, &sa, NULL);
	run_timed_out = 0;
	alarm(RUN_LIMIT_S);
	for (;;) {
		if (r->exits >= MAX_EXITS) {
			snprintf(r->why, sizeof(r->why), "more than %d exits",
				 MAX_EXITS);
			break;
		}
		if (ioctl(vcpu, KVM_RUN, 0) < 0) {
			if (errno == EINTR && !run_timed_out)
				continue;
			if (errno == EINTR)
				snprintf(r->why, sizeof(r->why),
					 "the guest did not power off within "
					 "%d s",
					 RUN_LIMIT_S);
			else
				snprintf(r->why, sizeof(r->why), "KVM_RUN: %s",
					 strerror(errno));
			break;
		}
		r->exits++;
		if (run->exit_reason == KVM_EXIT_RISCV_SBI) {
			unsigned long ext = run->riscv_sbi.extension_id;
			unsigned long fid = run->riscv_sbi.function_id;
			unsigned long a0 = run->riscv_sbi.args[0];

			printf("kvm: exit %d: RISCV_SBI ext 0x%lx fid %lu a0 "
			       "0x%lx",
			       r->exits, ext, fid, a0);
			if (ext == SBI_EXT_DBCN && fid == SBI_DBCN_WRITE_BYTE) {
				char c = (char)(a0 & 0xff);

				printf(" (DBCN write_byte '%s%c')\n",
				       c == '\n' ? "\\" : "",
				       c == '\n' ? 'n' : c);
				if (r->nout + 1 < sizeof(r->out))
					r->out[r->nout++] = c;
				run->riscv_sbi.ret[0] = 0; /* SBI_SUCCESS */
				run->riscv_sbi.ret[1] = 0;
				continue;
			}
			if (ext == SBI_EXT_EXPERIMENTAL_FIRST) {
				printf(" (the guest's SRST returned)\n");
				r->srst_returned = 1;
				r->srst_err = (long)a0;
				break;
			}
			printf(" (not expected)\n");
			r->unexpected++;
			run->riscv_sbi.ret[0] =
			    (unsigned long)SBI_ERR_NOT_SUPPORTED;
			run->riscv_sbi.ret[1] = 0;
			continue;
		}
		if (run->exit_reason == KVM_EXIT_SYSTEM_EVENT) {
			r->system_event = 1;
			r->event_type = run->system_event.type;
			r->event_ndata = run->system_event.ndata;
			r->event_data0 = run->system_event.data[0];
			printf("kvm: exit %d: SYSTEM_EVENT type %u ndata %u "
			       "data[0] 0x%llx\n",
			       r->exits, r->event_type, r->event_ndata,
			       (unsigned long long)r->event_data0);
			break;
		}
		if (run->exit_reason == KVM_EXIT_INTR) {
			printf("kvm: exit %d: INTR\n", r->exits);
			continue;
		}
		printf("kvm: exit %d: %s (exit_reason %u)\n", r->exits,
		       exit_name(run->exit_reason), run->exit_reason);
		r->unexpected++;
		snprintf(r->why, sizeof(r->why), "unexpected exit %s (%u)",
			 exit_name(run->exit_reason), run->exit_reason);
		break;
	}
	alarm(0);
	r->out[r->nout] = '\0';
	fflush(stdout);
}

/* Makes the C string s printable on one line (newlines as \n). */
static const char *escaped(const char *s, char *buf, size_t len)
{
	size_t n = 0;

	for (; *s && n + 3 < len; s++) {
		if (*s == '\n') {
			buf[n++] = '\\';
			buf[n++] = 'n';
		} else if (*s >= 0x20 && *s < 0x7f) {
			buf[n++] = *s;
		} else {
			buf[n++] = '?';
		}
	}
	buf[n] = '\0';
	return buf;
}

int suite_kvm(void)
{
	const char *absent = cmdline_get("secmon.kvm");
	struct tally t = {0};
	struct run_result r;
	struct kvm_userspace_memory_region region;
	struct kvm_run *run = MAP_FAILED;
	char why[384], e1[160], e2[160];
	uint8_t *mem = MAP_FAILED;
	volatile uint64_t *data;
	uint64_t val;
	long mmap_size = 0;
	int kvm = -1, vm = -1, vcpu = -1, rc, api;

	print_host_info();

	kvm = open(KVM_DEV, O_RDWR | O_CLOEXEC);
	if (kvm < 0) {
		int err = errno;

		if (absent && strcmp(absent, "absent-ok") == 0) {
			snprintf(why, sizeof(why),
				 "%s: %s (secmon.kvm=absent-ok)", KVM_DEV,
				 strerror(err));
			tally_record(&t, "kvm_dev_open", SKIPPED, why);
		} else {
			snprintf(why, sizeof(why),
				 "expected to open %s, got: %s (no KVM in "
				 "this kernel, or the hart has no H "
				 "extension; secmon.kvm=absent-ok makes this "
				 "a skip)",
				 KVM_DEV, strerror(err));
			tally_record(&t, "kvm_dev_open", 1, why);
		}
		return tally_finish(&t, "kvm");
	}
	tally_record(&t, "kvm_dev_open", 0, "");

	api = ioctl(kvm, KVM_GET_API_VERSION, 0);
	snprintf(why, sizeof(why),
		 "expected KVM_GET_API_VERSION %d, got %d%s%s",
		 KVM_API_EXPECTED, api, api < 0 ? ": " : "",
		 api < 0 ? strerror(errno) : "");
	tally_record(&t, "kvm_api_version", api == KVM_API_EXPECTED ? 0 : 1,
		     why);
	if (api != KVM_API_EXPECTED)
		goto out;

	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	snprintf(why, sizeof(why), "expected a VM fd, got KVM_CREATE_VM: %s",
		 strerror(errno));
	tally_record(&t, "kvm_create_vm", vm >= 0 ? 0 : 1, why);
	if (vm < 0)
		goto out;

	/* The guest image: code at 0, the message at GUEST_MSG_OFF. */
	mem = mmap(NULL, GUEST_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		snprintf(why, sizeof(why), "mmap of %lu bytes: %s", GUEST_SIZE,
			 strerror(errno));
		tally_record(&t, "kvm_set_user_memory_region", 1, why);
		goto out;
	}
	memcpy(mem, guest_code, sizeof(guest_code));
	memcpy(mem + GUEST_MSG_OFF, guest_msg, sizeof(guest_msg));
	data = (volatile uint64_t *)(mem + GUEST_DATA_OFF);
	memset(&region, 0, sizeof(region));
	region.slot = 0;
	region.guest_phys_addr = GUEST_BASE;
	region.memory_size = GUEST_SIZE;
	region.userspace_addr = (uintptr_t)mem;
	rc = ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region);
	snprintf(why, sizeof(why),
		 "expected slot 0 at 0x%llx+0x%lx, got "
		 "KVM_SET_USER_MEMORY_REGION: %s",
		 GUEST_BASE, GUEST_SIZE, strerror(errno));
	tally_record(&t, "kvm_set_user_memory_region", rc == 0 ? 0 : 1, why);
	if (rc != 0)
		goto out;

	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu < 0) {
		snprintf(why, sizeof(why),
			 "expected a vCPU fd, got KVM_CREATE_VCPU: %s",
			 strerror(errno));
	} else {
		mmap_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
		if (mmap_size < (long)sizeof(struct kvm_run))
			snprintf(why, sizeof(why),
				 "expected KVM_GET_VCPU_MMAP_SIZE >= %zu, got "
				 "%ld",
				 sizeof(struct kvm_run), mmap_size);
		else if ((run = mmap(NULL, (size_t)mmap_size,
				     PROT_READ | PROT_WRITE, MAP_SHARED, vcpu,
				     0)) == MAP_FAILED)
			snprintf(why, sizeof(why), "mmap of kvm_run: %s",
				 strerror(errno));
	}
	tally_record(&t, "kvm_create_vcpu", run != MAP_FAILED ? 0 : 1, why);
	if (run == MAP_FAILED)
		goto out;

	/* pc = GUEST_BASE, read back; DBCN on (it is off by default). */
	val = GUEST_BASE;
	rc = one_reg(vcpu, KVM_SET_ONE_REG,
		     core_reg_id(KVM_REG_RISCV_CORE_REG(regs.pc)), &val);
	if (rc < 0) {
		snprintf(why, sizeof(why), "KVM_SET_ONE_REG pc: %s",
			 strerror(errno));
	} else {
		val = 0;
		rc =
		    one_reg(vcpu, KVM_GET_ONE_REG,
			    core_reg_id(KVM_REG_RISCV_CORE_REG(regs.pc)), &val);
		if (rc < 0 || val != GUEST_BASE) {
			snprintf(why, sizeof(why),
				 "expected pc 0x%llx read back, got 0x%llx "
				 "(%s)",
				 GUEST_BASE, (unsigned long long)val,
				 rc < 0 ? strerror(errno) : "no error");
			rc = -1;
		}
	}
	tally_record(&t, "kvm_set_pc", rc == 0 ? 0 : 1, why);
	if (rc != 0)
		goto out;
	val = 1;
	rc = one_reg(vcpu, KVM_SET_ONE_REG,
		     KVM_REG_RISCV | KVM_REG_SIZE_U64 | REG_RISCV_SBI_EXT |
			 REG_RISCV_SBI_SINGLE | KVM_SBI_EXT_IDX_DBCN,
		     &val);
	snprintf(why, sizeof(why),
		 "expected SBI extension DBCN enabled, got KVM_SET_ONE_REG: %s",
		 strerror(errno));
	tally_record(&t, "kvm_enable_sbi_dbcn", rc == 0 ? 0 : 1, why);
	if (rc != 0)
		goto out;

	/* Run it. */
	memset(&r, 0, sizeof(r));
	printf("kvm: running the guest at 0x%llx (time limit %d s)\n",
	       GUEST_BASE, RUN_LIMIT_S);
	fflush(stdout);
	{
		long long start = now_ns();

		run_guest(vcpu, run, &r);
		printf("kvm: %d exits in %.2f s\n", r.exits,
		       (double)(now_ns() - start) / 1e9);
	}
	snprintf(why, sizeof(why),
		 "expected the guest to run to its SRST with only DBCN exits "
		 "on the way, got %d exits, %d unexpected%s%s",
		 r.exits, r.unexpected, r.why[0] ? ": " : "", r.why);
	tally_record(&t, "kvm_guest_run",
		     r.system_event && !r.unexpected ? 0 : 1, why);

	/* (a) get_spec_version, answered by KVM: SBI_SUCCESS and a version
	 * of at least 0.2 (the first with the base extension), bit 31 clear. */
	val = data[DATA_BASE_VALUE];
	snprintf(why, sizeof(why),
		 "expected error 0 and a version >= 0.2 with bit 31 clear, got "
		 "error %lld, version 0x%llx (%llu.%llu)",
		 (long long)data[DATA_BASE_ERR], (unsigned long long)val,
		 (unsigned long long)((val >> 24) & 0x7f),
		 (unsigned long long)(val & 0xffffff));
	printf("kvm: guest's SBI spec version from KVM: %llu.%llu "
	       "(error %lld)\n",
	       (unsigned long long)((val >> 24) & 0x7f),
	       (unsigned long long)(val & 0xffffff),
	       (long long)data[DATA_BASE_ERR]);
	tally_record(
	    &t, "kvm_sbi_spec_version",
	    data[DATA_BASE_ERR] == 0 && val >= 2 && val < 0x80000000ULL ? 0 : 1,
	    why);

	/* (b) the bytes and the way back. */
	snprintf(why, sizeof(why), "expected \"%s\", got \"%s\"",
		 escaped(guest_msg, e1, sizeof(e1)),
		 escaped(r.out, e2, sizeof(e2)));
	printf("kvm: guest wrote \"%s\"\n", e2);
	tally_record(&t, "kvm_dbcn_bytes", strcmp(r.out, guest_msg) ? 1 : 0,
		     why);
	snprintf(why, sizeof(why),
		 "expected the guest to see error 0 for every write_byte, got "
		 "0x%llx ORed",
		 (unsigned long long)data[DATA_DBCN_ERRS]);
	tally_record(&t, "kvm_dbcn_return_values",
		     r.nout && data[DATA_DBCN_ERRS] == 0 ? 0 : 1, why);

	/* (c) the final exit and the guest's page from this side. */
	if (r.srst_returned)
		snprintf(why, sizeof(why),
			 "expected KVM_EXIT_SYSTEM_EVENT, got SRST returning "
			 "to the guest with error %ld",
			 r.srst_err);
	else
		snprintf(why, sizeof(why),
			 "expected KVM_EXIT_SYSTEM_EVENT type %d (shutdown) "
			 "ndata 1 data[0] 0 as the last exit, got %s type %u "
			 "ndata %u data[0] 0x%llx",
			 KVM_SYSTEM_EVENT_SHUTDOWN,
			 r.system_event ? "it with" : "no system event,",
			 r.event_type, r.event_ndata,
			 (unsigned long long)r.event_data0);
	tally_record(&t, "kvm_srst_system_event",
		     r.system_event &&
			     r.event_type == KVM_SYSTEM_EVENT_SHUTDOWN &&
			     r.event_ndata == 1 && r.event_data0 == 0
			 ? 0
			 : 1,
		     why);
	snprintf(why, sizeof(why),
		 "expected 0x%llx in the guest's page at 0x%llx, read 0x%llx",
		 GUEST_MAGIC, GUEST_BASE + GUEST_DATA_OFF + 8 * DATA_MAGIC,
		 (unsigned long long)data[DATA_MAGIC]);
	tally_record(&t, "kvm_guest_page_from_vmm",
		     data[DATA_MAGIC] == GUEST_MAGIC ? 0 : 1, why);

	val = 0;
	rc = one_reg(vcpu, KVM_GET_ONE_REG,
		     core_reg_id(KVM_REG_RISCV_CORE_REG(regs.pc)), &val);
	snprintf(why, sizeof(why),
		 "expected the vCPU's pc at the SRST ecall 0x%llx, got 0x%llx "
		 "(%s)",
		 GUEST_BASE + GUEST_SRST_PC_OFF, (unsigned long long)val,
		 rc < 0 ? strerror(errno) : "KVM_GET_ONE_REG ok");
	tally_record(&t, "kvm_vcpu_pc_after",
		     rc == 0 && val == GUEST_BASE + GUEST_SRST_PC_OFF ? 0 : 1,
		     why);

out:
	if (run != MAP_FAILED)
		munmap(run, (size_t)mmap_size);
	if (vcpu >= 0)
		close(vcpu);
	if (vm >= 0)
		close(vm);
	if (mem != MAP_FAILED)
		munmap(mem, GUEST_SIZE);
	close(kvm);
	return tally_finish(&t, "kvm");
}
