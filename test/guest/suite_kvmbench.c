/*
 * Suite "kvmbench": what KVM costs on this firmware (issue 17, item 4).
 *
 * A VMM like suite "kvm"'s, with one vCPU and a guest program of three
 * entry points, measures:
 *
 *   vm-create-destroy  KVM_CREATE_VM then close(): on a glued kernel the
 *                      VM's G-stage root is four pool pages, made and
 *                      scrubbed by the monitor;
 *   run-exit           one KVM_RUN that enters the guest, whose ecall to an
 *                      experimental SBI extension KVM forwards to user
 *                      space (KVM_EXIT_RISCV_SBI): user -> VS -> user;
 *   sbi-in-kernel      one guest ecall that KVM answers in the kernel (SBI
 *                      base get_spec_version): VS -> HS -> VS;
 *   gstage-fault       the guest's first store to a page of a memory slot
 *                      whose host pages are present: a G-stage page fault
 *                      and the map, less the same loop once mapped;
 *   slot-delete-per-page  deleting that slot, which unmaps its pages from
 *                      the G-stage, per page.
 *
 * Each prints
 *
 *   KBENCH <name> <ns per op> ns/op calls <C> traps <T> minsns <M> ops <n>
 *
 * the fastest of ROUNDS rounds (what the kernel does besides, interrupts
 * and waits for RCU grace periods, which under icount count as time too,
 * only adds), then per op over all rounds: C the glue's
 * ABI calls (debugfs secmon/calls), T the monitor's traps and M the
 * instructions it retired (debugfs secmon/traps, on a profile build of the
 * monitor only); all 0 on a kernel without the glue.
 * Under qemu -icount shift=0 on one hart the guest clock counts
 * instructions, one per ns, so ns/op is instructions per operation: the
 * kernel's, the firmware's and the nested guest's.  tools/bench-kvm runs it.
 *
 * Every step is checked: a run that does not exit the way the program
 * says, or a store the VMM cannot see, fails the suite.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
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

#define ROUNDS 5
#define CREATE_OPS 20 /* VMs per round */
#define EXIT_OPS 500 /* KVM_RUN round trips per round */
#define SBI_OPS 2000 /* in-kernel ecalls per round */
#define TOUCH_PAGES 256 /* first touches per round */
#define PAGE 4096UL

#define CODE_GPA 0x80000000ULL
#define CODE_SIZE 0x10000UL
#define TOUCH_GPA 0x90000000ULL
#define TOUCH_SIZE (TOUCH_PAGES * PAGE)

/* The three entry points, offsets into the code slot. */
#define PC_EXIT 0x000
#define PC_SBI 0x100
#define PC_TOUCH 0x200
#define SBI_EXT_EXPERIMENTAL_FIRST 0x08000000UL

/* RV64I encodings (the unprivileged spec, chapter 2 "RV32I Base Integer
 * Instruction Set" and chapter "RV64I"); registers by number. */
enum { ZERO = 0, T0 = 5, S0 = 8, S1 = 9, A0 = 10, A1 = 11, A6 = 16, A7 = 17 };

static uint32_t rv_i(int imm, int rs1, int f3, int rd, int op)
{
	return ((uint32_t)(imm & 0xfff) << 20) | (uint32_t)rs1 << 15 |
	       (uint32_t)f3 << 12 | (uint32_t)rd << 7 | (uint32_t)op;
}

static uint32_t rv_addi(int rd, int rs1, int imm)
{
	return rv_i(imm, rs1, 0, rd, 0x13);
}

static uint32_t rv_lui(int rd, uint32_t imm20)
{
	return (imm20 << 12) | (uint32_t)rd << 7 | 0x37;
}

static uint32_t rv_add(int rd, int rs1, int rs2)
{
	return (uint32_t)rs2 << 20 | (uint32_t)rs1 << 15 | (uint32_t)rd << 7 |
	       0x33;
}

static uint32_t rv_sd(int rs2, int rs1, int off)
{
	return ((uint32_t)(off >> 5 & 0x7f) << 25) | (uint32_t)rs2 << 20 |
	       (uint32_t)rs1 << 15 | 3u << 12 | (uint32_t)(off & 0x1f) << 7 |
	       0x23;
}

/* bne rs1, rs2, off (off even, within +-4 KiB). */
static uint32_t rv_bne(int rs1, int rs2, int off)
{
	uint32_t u = (uint32_t)off;

	return (u >> 12 & 1) << 31 | (u >> 5 & 0x3f) << 25 |
	       (uint32_t)rs2 << 20 | (uint32_t)rs1 << 15 | 1u << 12 |
	       (u >> 1 & 0xf) << 8 | (u >> 11 & 1) << 7 | 0x63;
}

/* jal zero, off (off even, within +-1 MiB). */
static uint32_t rv_j(int off)
{
	uint32_t u = (uint32_t)off;

	return (u >> 20 & 1) << 31 | (u >> 1 & 0x3ff) << 21 |
	       (u >> 11 & 1) << 20 | (u >> 12 & 0xff) << 12 | 0x6f;
}

#define RV_ECALL 0x00000073u

/* Writes n words at code + off. */
static void emit(uint8_t *code, size_t off, const uint32_t *w, size_t n)
{
	memcpy(code + off, w, n * sizeof(*w));
}

/* auipc rd, imm20: rd = pc + (imm20 << 12). */
static uint32_t rv_auipc(int rd, uint32_t imm20)
{
	return (imm20 << 12) | (uint32_t)rd << 7 | 0x17;
}

/*
 * PC_EXIT: the exit ecall to the experimental extension.  User space
 * answers it with a0 = where to go next and a1 = a count (KVM puts its
 * KVM_EXIT_RISCV_SBI ret[] there and steps past the ecall), and the
 * guest jumps there: the VMM picks the next program without touching the
 * vCPU's registers.  PC_SBI: a1 in-kernel ecalls.  PC_TOUCH: one store to
 * each of a1 pages from TOUCH_GPA.  Both end in the exit ecall.
 */
static void write_guest(uint8_t *code)
{
	const uint32_t exit_loop[] = {
	    rv_lui(A7, SBI_EXT_EXPERIMENTAL_FIRST >> 12), RV_ECALL,
	    rv_i(0, A0, 0, ZERO, 0x67), /* jalr zero, 0(a0) */
	};
	const uint32_t sbi_loop[] = {
	    rv_addi(S1, A1, 0),
	    rv_addi(A7, ZERO, 0x10), /* loop: base extension */
	    rv_addi(A6, ZERO, 0), /* get_spec_version */
	    RV_ECALL,
	    rv_addi(S1, S1, -1),
	    rv_bne(S1, ZERO, -16),
	    rv_j(PC_EXIT - (PC_SBI + 6 * 4)),
	};
	const uint32_t touch_loop[] = {
	    /* s0 = TOUCH_GPA, as CODE_GPA + 0x10000000 */
	    rv_auipc(S0, (uint32_t)((TOUCH_GPA - CODE_GPA) >> 12)),
	    rv_addi(S0, S0, -PC_TOUCH),
	    rv_addi(S1, A1, 0),
	    rv_lui(T0, 1), /* t0 = 4096 */
	    rv_sd(S1, S0, 0), /* loop: the page's first word */
	    rv_add(S0, S0, T0),
	    rv_addi(S1, S1, -1),
	    rv_bne(S1, ZERO, -12),
	    rv_j(PC_EXIT - (PC_TOUCH + 8 * 4)),
	};

	_Static_assert(TOUCH_GPA - CODE_GPA == 0x10000000ULL,
		       "touch_loop's auipc reaches TOUCH_GPA");
	emit(code, PC_EXIT, exit_loop, sizeof(exit_loop) / 4);
	emit(code, PC_SBI, sbi_loop, sizeof(sbi_loop) / 4);
	emit(code, PC_TOUCH, touch_loop, sizeof(touch_loop) / 4);
}

struct vmm {
	int kvm, vm, vcpu;
	struct kvm_run *run;
	long run_size;
	uint8_t *code, *touch;
	char why[256];
};

/* The glue's counters (debugfs secmon/; 0 without the glue): ABI calls,
 * and on a profile build of the monitor its traps and the instructions
 * it retired. */
struct counters {
	long long calls, mentries, minsns;
};

static long long field(const char *text, const char *key)
{
	const char *p = strstr(text, key);

	return p ? atoll(p + strlen(key)) : 0;
}

static struct counters counters_now(void)
{
	struct counters c = {0, 0, 0};
	char text[4096];

	if (read_text(SECMON_DEBUGFS "/calls", text, sizeof(text)) > 0) {
		c.calls = field(text, "total ");
	}
	if (read_text(SECMON_DEBUGFS "/traps", text, sizeof(text)) > 0) {
		c.mentries = field(text, "monitor_entries ");
		c.minsns = field(text, "monitor_instructions ");
	}
	return c;
}

static struct counters counters_since(struct counters c0)
{
	struct counters c = counters_now();

	c.calls -= c0.calls;
	c.mentries -= c0.mentries;
	c.minsns -= c0.minsns;
	return c;
}

static int set_core(struct vmm *v, size_t index, uint64_t val)
{
	struct kvm_one_reg reg = {
	    .id = KVM_REG_RISCV | KVM_REG_SIZE_U64 | KVM_REG_RISCV_CORE | index,
	    .addr = (uintptr_t)&val,
	};

	if (ioctl(v->vcpu, KVM_SET_ONE_REG, &reg) != 0) {
		snprintf(v->why, sizeof(v->why), "KVM_SET_ONE_REG %zu: %s",
			 index, strerror(errno));
		return -1;
	}
	return 0;
}

static int set_slot(struct vmm *v, uint32_t slot, uint64_t gpa, void *host,
		    uint64_t size)
{
	struct kvm_userspace_memory_region r = {
	    .slot = slot,
	    .guest_phys_addr = gpa,
	    .memory_size = size,
	    .userspace_addr = (uintptr_t)host,
	};

	if (ioctl(v->vm, KVM_SET_USER_MEMORY_REGION, &r) != 0) {
		snprintf(v->why, sizeof(v->why),
			 "KVM_SET_USER_MEMORY_REGION slot %u size 0x%llx: %s",
			 slot, (unsigned long long)size, strerror(errno));
		return -1;
	}
	return 0;
}

/* One KVM_RUN that must end in the guest's exit ecall. */
static int run_to_exit(struct vmm *v)
{
	if (ioctl(v->vcpu, KVM_RUN, 0) != 0) {
		snprintf(v->why, sizeof(v->why), "KVM_RUN: %s",
			 strerror(errno));
		return -1;
	}
	if (v->run->exit_reason != KVM_EXIT_RISCV_SBI ||
	    v->run->riscv_sbi.extension_id != SBI_EXT_EXPERIMENTAL_FIRST) {
		snprintf(v->why, sizeof(v->why),
			 "expected the guest's exit ecall, got exit_reason %u "
			 "(extension 0x%lx)",
			 v->run->exit_reason,
			 (unsigned long)v->run->riscv_sbi.extension_id);
		return -1;
	}
	return 0;
}

/* Answers the exit ecall so that the guest runs the program at pc with
 * count in a1, up to its next exit ecall. */
static int run_program(struct vmm *v, uint64_t pc, uint64_t count)
{
	v->run->riscv_sbi.ret[0] = CODE_GPA + pc;
	v->run->riscv_sbi.ret[1] = count;
	return run_to_exit(v);
}

static int vmm_open(struct vmm *v)
{
	memset(v, 0, sizeof(*v));
	v->kvm = v->vm = v->vcpu = -1;
	v->run = MAP_FAILED;
	v->code = v->touch = MAP_FAILED;
	v->kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (v->kvm < 0) {
		snprintf(v->why, sizeof(v->why), "/dev/kvm: %s",
			 strerror(errno));
		return -1;
	}
	v->vm = ioctl(v->kvm, KVM_CREATE_VM, 0);
	v->code = mmap(NULL, CODE_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	v->touch = mmap(NULL, TOUCH_SIZE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (v->vm < 0 || v->code == MAP_FAILED || v->touch == MAP_FAILED) {
		snprintf(v->why, sizeof(v->why), "KVM_CREATE_VM or mmap: %s",
			 strerror(errno));
		return -1;
	}
	/* 4 KiB host pages, all present: a G-stage fault then only maps. */
	madvise(v->touch, TOUCH_SIZE, MADV_NOHUGEPAGE);
	memset(v->touch, 0xa5, TOUCH_SIZE);
	write_guest(v->code);
	if (set_slot(v, 0, CODE_GPA, v->code, CODE_SIZE)) {
		return -1;
	}
	v->vcpu = ioctl(v->vm, KVM_CREATE_VCPU, 0);
	v->run_size = ioctl(v->kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (v->vcpu < 0 || v->run_size < (long)sizeof(struct kvm_run)) {
		snprintf(v->why, sizeof(v->why), "KVM_CREATE_VCPU: %s",
			 strerror(errno));
		return -1;
	}
	v->run = mmap(NULL, (size_t)v->run_size, PROT_READ | PROT_WRITE,
		      MAP_SHARED, v->vcpu, 0);
	if (v->run == MAP_FAILED) {
		snprintf(v->why, sizeof(v->why), "mmap of kvm_run: %s",
			 strerror(errno));
		return -1;
	}
	return 0;
}

static void vmm_close(struct vmm *v)
{
	if (v->run != MAP_FAILED) {
		munmap(v->run, (size_t)v->run_size);
	}
	if (v->vcpu >= 0) {
		close(v->vcpu);
	}
	if (v->vm >= 0) {
		close(v->vm);
	}
	if (v->code != MAP_FAILED) {
		munmap(v->code, CODE_SIZE);
	}
	if (v->touch != MAP_FAILED) {
		munmap(v->touch, TOUCH_SIZE);
	}
	if (v->kvm >= 0) {
		close(v->kvm);
	}
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

/* Reports the median of ROUNDS per-op times and the calls per op. */
static void report(struct tally *t, const char *name, long long *ns,
		   struct counters c, long ops)
{
	double all = (double)(ops * ROUNDS);
	char why[128];

	qsort(ns, ROUNDS, sizeof(*ns), cmp_ll);
	printf("KBENCH %s %lld ns/op calls %.2f traps %.2f minsns %.1f ops "
	       "%ld\n",
	       name, ns[0], (double)c.calls / all, (double)c.mentries / all,
	       (double)c.minsns / all, ops);
	snprintf(why, sizeof(why), "expected a positive time, got %lld ns",
		 ns[0]);
	tally_record(t, name, ns[0] > 0 ? 0 : 1, why);
}

static int bench_create(struct vmm *v, struct tally *t)
{
	long long ns[ROUNDS];
	struct counters c0 = counters_now();

	for (int r = 0; r < ROUNDS; r++) {
		long long t0 = now_ns();

		for (int i = 0; i < CREATE_OPS; i++) {
			int vm = ioctl(v->kvm, KVM_CREATE_VM, 0);

			if (vm < 0) {
				snprintf(v->why, sizeof(v->why),
					 "KVM_CREATE_VM %d: %s", i,
					 strerror(errno));
				return -1;
			}
			close(vm);
		}
		ns[r] = (now_ns() - t0) / CREATE_OPS;
	}
	report(t, "vm-create-destroy", ns, counters_since(c0), CREATE_OPS);
	return 0;
}

static int bench_exit(struct vmm *v, struct tally *t)
{
	long long ns[ROUNDS];
	struct counters c0;

	/* The vCPU's first run sets it up: not counted. */
	if (set_core(v, KVM_REG_RISCV_CORE_REG(regs.pc), CODE_GPA + PC_EXIT) ||
	    run_to_exit(v)) {
		return -1;
	}
	c0 = counters_now();
	for (int r = 0; r < ROUNDS; r++) {
		long long t0 = now_ns();

		for (int i = 0; i < EXIT_OPS; i++) {
			if (run_program(v, PC_EXIT, 0)) {
				return -1;
			}
		}
		ns[r] = (now_ns() - t0) / EXIT_OPS;
	}
	report(t, "run-exit", ns, counters_since(c0), EXIT_OPS);
	return 0;
}

static int bench_sbi(struct vmm *v, struct tally *t)
{
	long long ns[ROUNDS];
	struct counters c0 = counters_now();

	for (int r = 0; r < ROUNDS; r++) {
		long long t0 = now_ns();

		if (run_program(v, PC_SBI, SBI_OPS)) {
			return -1;
		}
		ns[r] = (now_ns() - t0) / SBI_OPS;
	}
	report(t, "sbi-in-kernel", ns, counters_since(c0), SBI_OPS);
	return 0;
}

/*
 * Each round adds the slot (the G-stage has none of it), times the first
 * pass over its pages and a second one, checks the stores from this side,
 * and deletes the slot, which unmaps it from the G-stage.
 */
static int bench_touch(struct vmm *v, struct tally *t)
{
	long long ns[ROUNDS], unmap[ROUNDS];
	struct counters sum = {0, 0, 0}, usum = {0, 0, 0};

	for (int r = 0; r < ROUNDS; r++) {
		long long t0, first, again;
		struct counters c0, c;

		if (set_slot(v, 1, TOUCH_GPA, v->touch, TOUCH_SIZE)) {
			return -1;
		}
		c0 = counters_now();
		t0 = now_ns();
		if (run_program(v, PC_TOUCH, TOUCH_PAGES)) {
			return -1;
		}
		first = now_ns() - t0;
		c = counters_since(c0);
		sum.calls += c.calls;
		sum.mentries += c.mentries;
		sum.minsns += c.minsns;
		t0 = now_ns();
		if (run_program(v, PC_TOUCH, TOUCH_PAGES)) {
			return -1;
		}
		again = now_ns() - t0;
		for (unsigned long p = 0; p < TOUCH_PAGES; p++) {
			uint64_t w;

			memcpy(&w, v->touch + p * PAGE, sizeof(w));
			if (w != TOUCH_PAGES - p) {
				snprintf(v->why, sizeof(v->why),
					 "page %lu holds 0x%llx, expected the "
					 "guest's %lu",
					 p, (unsigned long long)w,
					 TOUCH_PAGES - p);
				return -1;
			}
		}
		memset(v->touch, 0xa5, TOUCH_SIZE);
		c0 = counters_now();
		t0 = now_ns();
		if (set_slot(v, 1, TOUCH_GPA, v->touch, 0)) {
			return -1;
		}
		unmap[r] = (now_ns() - t0) / TOUCH_PAGES;
		c = counters_since(c0);
		usum.calls += c.calls;
		usum.mentries += c.mentries;
		usum.minsns += c.minsns;
		ns[r] = (first - again) / TOUCH_PAGES;
		printf("kvmbench: gstage-fault round %d: first pass %lld ns, "
		       "second %lld ns\n",
		       r + 1, first, again);
	}
	report(t, "gstage-fault", ns, sum, TOUCH_PAGES);
	report(t, "slot-delete-per-page", unmap, usum, TOUCH_PAGES);
	return 0;
}

int suite_kvmbench(void)
{
	struct tally t = {0};
	struct vmm v;
	int rc = vmm_open(&v);

	tally_record(&t, "kvmbench_vmm", rc, v.why);
	if (rc == 0 && (bench_create(&v, &t) || bench_exit(&v, &t) ||
			bench_sbi(&v, &t) || bench_touch(&v, &t))) {
		tally_record(&t, "kvmbench_run", 1, v.why);
	}
	vmm_close(&v);
	return tally_finish(&t, "kvmbench");
}
