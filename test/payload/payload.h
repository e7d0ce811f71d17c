/* SPDX-License-Identifier: BSD-2-Clause */
/* The S-mode test payload: SBI calls, a check harness, trap probes. */
#ifndef SECMON_PAYLOAD_H
#define SECMON_PAYLOAD_H

#include <stdbool.h>
#include <stdint.h>

#include <secmon/abi.h>
#include <secmon/sbi.h>

#define PL_MAX_HARTS 8

struct sbiret {
	long error;
	long value;
};

static inline struct sbiret sbi_ecall(unsigned long eid, unsigned long fid,
				      unsigned long a0, unsigned long a1,
				      unsigned long a2, unsigned long a3,
				      unsigned long a4, unsigned long a5)
{
	register unsigned long r0 __asm__("a0") = a0;
	register unsigned long r1 __asm__("a1") = a1;
	register unsigned long r2 __asm__("a2") = a2;
	register unsigned long r3 __asm__("a3") = a3;
	register unsigned long r4 __asm__("a4") = a4;
	register unsigned long r5 __asm__("a5") = a5;
	register unsigned long r6 __asm__("a6") = fid;
	register unsigned long r7 __asm__("a7") = eid;

	__asm__ volatile("ecall"
			 : "+r"(r0), "+r"(r1)
			 : "r"(r2), "r"(r3), "r"(r4), "r"(r5), "r"(r6), "r"(r7)
			 : "memory");
	return (struct sbiret){(long)r0, (long)r1};
}

/* The page-table ABI (docs/abi.md) for the suites that drive it. */
#include <secmon/pte_bits.h>

static inline struct sbiret ptm(unsigned long fid, unsigned long a0,
				unsigned long a1, unsigned long a2,
				unsigned long a3)
{
	return sbi_ecall(SECMON_EXT_PTM, fid, a0, a1, a2, a3, 0, 0);
}

static inline unsigned long leaf(unsigned long pa, unsigned long bits)
{
	return (pa >> 12) << 10 | V | bits;
}

static inline unsigned long link(unsigned long pa)
{
	return (pa >> 12) << 10 | V;
}

#define SBI0(e, f) sbi_ecall((e), (f), 0, 0, 0, 0, 0, 0)
#define SBI1(e, f, a) sbi_ecall((e), (f), (a), 0, 0, 0, 0, 0)
#define SBI2(e, f, a, b) sbi_ecall((e), (f), (a), (b), 0, 0, 0, 0)
#define SBI3(e, f, a, b, c) sbi_ecall((e), (f), (a), (b), (c), 0, 0, 0)
#define SBI4(e, f, a, b, c, d) sbi_ecall((e), (f), (a), (b), (c), (d), 0, 0)
#define SBI5(e, f, a, b, c, d, g)                                              \
	sbi_ecall((e), (f), (a), (b), (c), (d), (g), 0)

/* Output through DBCN (falls back to the legacy console). */
void pl_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Checks: each prints PASS/FAIL with the name and counts. */
void pl_check(bool ok, const char *name, const char *file, int line, long got,
	      long want);
#define CHECK_EQ(got, want, name)                                              \
	do {                                                                   \
		long _g = (long)(got), _w = (long)(want);                      \
		pl_check(_g == _w, (name), __FILE__, __LINE__, _g, _w);        \
	} while (0)
#define CHECK(cond, name) pl_check((cond), (name), __FILE__, __LINE__, 0, 0)

/* Trap probes: run fn with the trap handler armed; returns scause
 * (or -1 if nothing trapped) and stores stval. */
struct pl_trap_record {
	long cause;
	unsigned long tval;
	unsigned long epc;
};
void pl_expect_trap(void);
struct pl_trap_record pl_trap_result(void);

unsigned long pl_probe_load(unsigned long addr);
void pl_probe_store(unsigned long addr, unsigned long val);
void pl_probe_store32(unsigned long addr, unsigned int val);
unsigned long pl_probe_csrr_mscratch(void);
unsigned long pl_probe_hgatp(unsigned long v); /* csrrw a0, hgatp, a0 */
unsigned long pl_probe_hlv(unsigned long gva); /* hlv.d (priv §8.3.1) */
unsigned long pl_probe_csrr_hpm3(void); /* csrr a0, hpmcounter3 */
/* SSE: the handler in entry.S and what it records (its ENTRY_ARG). */
struct pl_sse_record {
	volatile unsigned long count;
	volatile unsigned long hart; /* a6 at entry */
	volatile unsigned long sepc; /* the interrupted pc */
	unsigned long scratch;
};
void pl_sse_handler(void);
unsigned long pl_dbtr_target(void); /* returns 2 */
/* Does /chosen/bootargs (QEMU -append) contain word? */
bool pl_bootargs_has(const char *word);
unsigned long pl_probe_illegal_insn(void);
void pl_secondary_entry(void);

/* Platform facts found from the FDT the payload was given. */
struct pl_env {
	unsigned long boot_hartid;
	unsigned long nharts;
	unsigned long ram_base, ram_size;
	unsigned long mon_base, mon_size; /* /reserved-memory/secmon */
	/* /reserved-memory/secmon-records: the monitor's page records */
	unsigned long rec_base, rec_size;
	unsigned long timebase_hz; /* /cpus/timebase-frequency */
	const void *fdt;
};
extern struct pl_env pl_env;

/* Per-hart mailbox for secondary harts started by the suites. */
struct pl_hart {
	volatile unsigned long arrived; /* incremented on each start */
	volatile unsigned long opaque;
	volatile unsigned long command; /* PL_CMD_* */
	volatile unsigned long woke; /* set after a suspend returned */
	volatile unsigned long seen; /* command found on the last arrival */
};
#define PL_CMD_IDLE 0
#define PL_CMD_STOP 1
#define PL_CMD_SUSPEND 2
#define PL_CMD_PTM 3
#define PL_CMD_ADVERSARY 4 /* pl_adversary_secondary() */
#define PL_CMD_SCALE 5 /* pl_scale_worker(): tools/bench's scaling runs */
extern struct pl_hart pl_harts[PL_MAX_HARTS];

/* Hartids 0 .. min(nharts, 64) - 1 as an SBI hart mask based at 0. */
static inline unsigned long pl_low_harts_mask(void)
{
	return pl_env.nharts >= 64 ? ~0UL : (1UL << pl_env.nharts) - 1;
}

static inline unsigned long pl_read_time(void)
{
	unsigned long t;

	__asm__ volatile("rdtime %0" : "=r"(t));
	return t;
}

/* Suites. */
void suite_base(void);
void suite_time_ipi(void);
void suite_rfence(void);
void suite_hsm(void);
void suite_srst_dbcn(void);
void suite_pmu(void);
void suite_fwft(void);
void suite_sse(void);
void suite_dbtr(void);
void suite_traps(void);
void pl_bench(void);
/* secmon.payload=fences: RFENCE to every hart, against the hart count. */
__attribute__((noreturn)) void pl_bench_fences(void);
void suite_suspend(void);
void suite_ptm(void);
void pl_bench_ptm(void);
/* secmon.payload=scale (tools/bench); pl_scale_worker() on secondaries. */
void pl_bench_scale(void);
void pl_scale_worker(unsigned long hartid);
/* secmon.payload=gdb: build a known address space, stop in pl_gdb_stop(). */
void pl_gdb_mode(void);
void pl_gdb_stop(void);
void pl_ptm_worker(unsigned long hartid);
/* 1 + errors once pl_ptm_worker() on that hart is done; 0 before. */
extern volatile unsigned long pl_ptm_worker_errors[PL_MAX_HARTS];
/* Read the pool from the FDT for the page-table cases and the workers. */
void pl_ptm_find_pool(void);
/* secmon.payload=adversary (adversary.c); never returns. */
__attribute__((noreturn)) void pl_adversary(void);
void pl_adversary_secondary(unsigned long hartid);
/* entry.S: load satp and continue in fn at voff higher (never returns);
 * sret to U-mode at pc and return scause of the first trap back. */
__attribute__((noreturn)) void
pl_paging_continue(unsigned long satp, unsigned long voff, void (*fn)(void));
unsigned long pl_user_run(unsigned long pc);
/* With guest true: into VS-mode instead (H; see entry.S), which leaves
 * hstatus and sepc at the trap in pl_user_hstatus and pl_user_epc. */
unsigned long pl_lower_run(unsigned long pc, bool guest);
extern unsigned long pl_user_tval, pl_user_hstatus, pl_user_epc;
/* Guest programs for pl_lower_run(pc, true): each traps at its first
 * instruction (VS ecall, virtual instruction, illegal instruction). */
void pl_guest_ecall(void);
void pl_guest_virtual(void);
void pl_guest_illegal(void);
void pl_guest_load(void); /* loads GPA 0x200000 */
void suite_hyp(void);
long hyp_guest_cause(unsigned long pa);
void hyp_hlv_unlocked(unsigned long pa, unsigned long want);
void hyp_sealed_cases(unsigned long guest_pa, unsigned long monitor_base);
extern char pl_user_prog[], pl_user_prog_end[];
extern char pl_user_hlv_prog[], pl_user_hlv_gpa[], pl_user_hlv_prog_end[];
extern unsigned long pl_voff;
void pl_secondary_suspend(unsigned long hartid);
/* Print the totals and power off; never returns. */
__attribute__((noreturn)) void pl_finish(void);

#endif
