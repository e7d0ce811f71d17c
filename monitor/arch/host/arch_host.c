// SPDX-License-Identifier: BSD-2-Clause
/*
 * Host implementation of the arch interface: a fake machine for the unit
 * tests. arch_host.h describes the model; this file only keeps the books.
 */
#include "arch_host.h"

#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "arch.h"
#include "console.h"
#include "hart.h"
#include "hsm.h"
#include "ptm.h"

#define FAKE_REGS 256
#define FAKE_CONSOLE_MAX 65536
#define FAKE_INPUT_MAX 4096

#define UART_RBR_THR 0
#define UART_LSR 5
#define LSR_DR 0x01
#define LSR_THRE 0x20
#define LSR_TEMT 0x40

struct fake_reg {
	uintptr_t addr;
	uint64_t val;
};

static struct {
	bool delivery;
	bool threads;
	struct fake_hart_state harts[FAKE_HARTS];
	struct fake_mmio_write log[FAKE_MMIO_LOG_MAX];
	size_t nlog;
	struct fake_reg regs[FAKE_REGS];
	size_t nregs;
	char out[FAKE_CONSOLE_MAX + 1];
	size_t nout;
	char in[FAKE_INPUT_MAX];
	size_t nin, in_pos;
	struct fake_pmp_entry pmp[16];
	/* Threaded mode: the hart each thread runs as (1 + index; 0: none),
	 * and RESYNC requests (the seal) not yet served, per hart. */
	unsigned int claimed[FAKE_HARTS];
	bool reseal[FAKE_HARTS];
	unsigned long waits; /* threaded arch_relax() calls */
	void (*wfi_hook)(unsigned int hart);
	void (*window_hook)(unsigned int point);
} fk;

/*
 * What belongs to the thread rather than to the machine: the hart it runs
 * as (as CSR accesses act on the hart that executes them) and its own
 * spin and wfi streaks, so that one thread's waiting never counts against
 * another's progress.
 */
static _Thread_local unsigned int cur_hart;
static _Thread_local unsigned long relax_streak;
static _Thread_local unsigned long wfi_streak;
static _Thread_local struct timespec spin_start;

/* Fake RAM is separate from fk so fake_reset can zero it cheaply too. */
static unsigned char fake_ram_buf[FAKE_RAM_SIZE] __attribute__((aligned(4096)));
/* The high window: 1 GiB of address space, so mapped only when used;
 * untouched pages cost nothing and read as zero. Threads may race to map
 * it first: one mapping wins, the others are dropped. */
static unsigned char *fake_high_ram;

static void __attribute__((noreturn, format(printf, 1, 2)))
fake_die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "arch_host: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

void fake_reset(void)
{
	static const struct con_uart uart = {FAKE_UART_BASE, 0, 1};

	memset(&fk, 0, sizeof(fk));
	cur_hart = 0;
	relax_streak = 0;
	wfi_streak = 0;
	memset(fake_ram_buf, 0, sizeof(fake_ram_buf));
	if (fake_high_ram) {
		munmap(fake_high_ram, FAKE_HIGH_RAM_SIZE);
		fake_high_ram = NULL;
	}
	con_init(&uart);
}

void fake_set_hart(unsigned int hart)
{
	if (hart >= FAKE_HARTS) {
		fake_die("fake_set_hart(%u): only %d harts", hart, FAKE_HARTS);
	}
	cur_hart = hart;
}

unsigned int fake_hart(void)
{
	return cur_hart;
}

struct fake_hart_state *fake_hart_state(unsigned int hart)
{
	if (hart >= FAKE_HARTS) {
		fake_die("fake_hart_state(%u): only %d harts", hart,
			 FAKE_HARTS);
	}
	return &fk.harts[hart];
}

static struct fake_hart_state *cur(void)
{
	return &fk.harts[cur_hart];
}

void fake_set_delivery(bool on)
{
	fk.delivery = on;
}

void fake_set_wfi_hook(void (*hook)(unsigned int hart))
{
	fk.wfi_hook = hook;
}

void fake_set_window_hook(void (*hook)(unsigned int point))
{
	fk.window_hook = hook;
}

/* ---- MMIO ---- */

static bool is_uart(uintptr_t addr)
{
	return addr >= FAKE_UART_BASE && addr < FAKE_UART_BASE + FAKE_UART_SPAN;
}

static uint64_t uart_read(uintptr_t addr)
{
	switch (addr - FAKE_UART_BASE) {
	case UART_LSR:
		return LSR_THRE | LSR_TEMT | (fk.in_pos < fk.nin ? LSR_DR : 0);
	case UART_RBR_THR:
		return fk.in_pos < fk.nin ? (uint8_t)fk.in[fk.in_pos++] : 0;
	default:
		return 0;
	}
}

static void uart_write(uintptr_t addr, uint64_t val)
{
	if (addr - FAKE_UART_BASE != UART_RBR_THR) {
		return;
	}
	if (fk.nout < FAKE_CONSOLE_MAX) {
		fk.out[fk.nout++] = (char)val;
		fk.out[fk.nout] = '\0';
	}
}

static struct fake_reg *find_reg(uintptr_t addr, bool create)
{
	for (size_t i = 0; i < fk.nregs; i++) {
		if (fk.regs[i].addr == addr) {
			return &fk.regs[i];
		}
	}
	if (!create) {
		return NULL;
	}
	if (fk.nregs == FAKE_REGS) {
		fake_die("more than %d distinct MMIO registers", FAKE_REGS);
	}
	fk.regs[fk.nregs] = (struct fake_reg){addr, 0};
	return &fk.regs[fk.nregs++];
}

static uint64_t mmio_read(uintptr_t addr)
{
	const struct fake_reg *r;

	if (is_uart(addr)) {
		return uart_read(addr);
	}
	r = find_reg(addr, false);
	return r ? r->val : 0;
}

/* The hart whose MSIP register is addr, or -1. */
static int msip_owner(uintptr_t addr)
{
	for (unsigned int h = 0; h < plat.nharts && plat.harts; h++) {
		if (plat.harts[h].msip == addr) {
			return (int)h;
		}
	}
	return -1;
}

/* Let the target take its software interrupt now (see arch_host.h). */
static void deliver(int target)
{
	unsigned int saved = cur_hart;

	cur_hart = (unsigned int)target;
	hart_serve((unsigned long)target);
	cur_hart = saved;
}

static void mmio_write(uintptr_t addr, uint64_t val, unsigned int width)
{
	int target;

	relax_streak = 0;
	wfi_streak = 0;
	if (is_uart(addr)) {
		uart_write(addr, val);
		return;
	}
	if (fk.nlog == FAKE_MMIO_LOG_MAX) {
		fake_die("MMIO log full (%d writes)", FAKE_MMIO_LOG_MAX);
	}
	fk.log[fk.nlog++] =
	    (struct fake_mmio_write){addr, val, width, cur_hart};
	find_reg(addr, true)->val = val;
	target = msip_owner(addr);
	if (fk.delivery && val == 1 && target >= 0) {
		deliver(target);
	}
}

uint8_t arch_mmio_read8(uintptr_t addr)
{
	return (uint8_t)mmio_read(addr);
}

void arch_mmio_write8(uintptr_t addr, uint8_t val)
{
	mmio_write(addr, val, 1);
}

uint32_t arch_mmio_read32(uintptr_t addr)
{
	return (uint32_t)mmio_read(addr);
}

void arch_mmio_write32(uintptr_t addr, uint32_t val)
{
	mmio_write(addr, val, 4);
}

uint64_t arch_mmio_read64(uintptr_t addr)
{
	return mmio_read(addr);
}

void arch_mmio_write64(uintptr_t addr, uint64_t val)
{
	mmio_write(addr, val, 8);
}

size_t fake_mmio_count(void)
{
	return fk.nlog;
}

const struct fake_mmio_write *fake_mmio_log(size_t i)
{
	return i < fk.nlog ? &fk.log[i] : NULL;
}

size_t fake_mmio_writes_to(uintptr_t addr)
{
	size_t n = 0;

	for (size_t i = 0; i < fk.nlog; i++) {
		n += fk.log[i].addr == addr;
	}
	return n;
}

size_t fake_mmio_writes_of(uintptr_t addr, uint64_t val)
{
	size_t n = 0;

	for (size_t i = 0; i < fk.nlog; i++) {
		n += fk.log[i].addr == addr && fk.log[i].val == val;
	}
	return n;
}

bool fake_mmio_last(uintptr_t addr, uint64_t *val)
{
	for (size_t i = fk.nlog; i > 0; i--) {
		if (fk.log[i - 1].addr == addr) {
			*val = fk.log[i - 1].val;
			return true;
		}
	}
	return false;
}

void fake_mmio_set(uintptr_t addr, uint64_t val)
{
	find_reg(addr, true)->val = val;
}

void fake_mmio_clear_log(void)
{
	fk.nlog = 0;
}

/* ---- Console ---- */

const char *fake_console_text(void)
{
	return fk.out;
}

size_t fake_console_len(void)
{
	return fk.nout;
}

void fake_console_clear(void)
{
	fk.nout = 0;
	fk.out[0] = '\0';
}

void fake_console_input(const char *s, size_t len)
{
	if (fk.nin + len > FAKE_INPUT_MAX) {
		fake_die("console input queue full");
	}
	memcpy(fk.in + fk.nin, s, len);
	fk.nin += len;
}

/* ---- Physical memory ---- */

static bool in_window(uint64_t pa, size_t len, uint64_t base, uint64_t size)
{
	return pa >= base && pa - base <= size && len <= size - (pa - base);
}

static unsigned char *high_ram(void)
{
	unsigned char *p = __atomic_load_n(&fake_high_ram, __ATOMIC_ACQUIRE);
	unsigned char *none = NULL;

	if (p) {
		return p;
	}
	p = mmap(NULL, FAKE_HIGH_RAM_SIZE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		fake_die("cannot map the high RAM window");
	}
	if (!__atomic_compare_exchange_n(&fake_high_ram, &none, p, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		munmap(p, FAKE_HIGH_RAM_SIZE);
		p = none;
	}
	return p;
}

void *arch_phys_ptr(uint64_t pa, size_t len)
{
	if (in_window(pa, len, FAKE_RAM_BASE, FAKE_RAM_SIZE)) {
		return fake_ram_buf + (pa - FAKE_RAM_BASE);
	}
	if (in_window(pa, len, FAKE_HIGH_RAM_BASE, FAKE_HIGH_RAM_SIZE)) {
		return high_ram() + (pa - FAKE_HIGH_RAM_BASE);
	}
	return NULL;
}

void *fake_ram(uint64_t pa, size_t len)
{
	void *p = arch_phys_ptr(pa, len);

	if (!p) {
		fake_die("fake_ram(0x%llx, %zu) is outside the fake RAM",
			 (unsigned long long)pa, len);
	}
	return p;
}

/* ---- Fences and interrupt bits of the current hart ---- */

void arch_fence_i(void)
{
	cur()->fence_i++;
}

void arch_sfence_vma_all(void)
{
	cur()->sfence_all++;
}

static void count_page_fence(void)
{
	const struct fake_hart_state *h = cur();

	if (h->sfence_va + h->sfence_va_asid >= FAKE_FENCE_LIMIT) {
		fake_die("hart %u: more than %lu page fences", cur_hart,
			 FAKE_FENCE_LIMIT);
	}
}

void arch_sfence_vma_va(uintptr_t va)
{
	count_page_fence();
	cur()->sfence_va++;
	cur()->last_va = va;
}

void arch_sfence_vma_asid(unsigned long asid)
{
	cur()->sfence_asid++;
	cur()->last_asid = asid;
}

void arch_sfence_vma_va_asid(uintptr_t va, unsigned long asid)
{
	count_page_fence();
	cur()->sfence_va_asid++;
	cur()->last_va = va;
	cur()->last_asid = asid;
}

void arch_set_ssip(void)
{
	cur()->ssip = true;
	cur()->ssip_set++;
}

void arch_set_stip(void)
{
	cur()->stip = true;
	cur()->stip_set++;
}

void arch_clear_stip(void)
{
	cur()->stip = false;
	cur()->stip_clear++;
}

void arch_mtimer_irq(bool enable)
{
	cur()->mtie = enable;
	cur()->mtimer_calls++;
}

bool arch_s_irq_pending(void)
{
	return cur()->ssip || cur()->stip;
}

bool arch_msip_pending(void)
{
	const struct fake_reg *r;

	if (!plat.harts || cur_hart >= plat.nharts) {
		return false;
	}
	r = find_reg((uintptr_t)plat.harts[cur_hart].msip, false);
	return r && (r->val & 1);
}

bool arch_mtip_pending(void)
{
	return cur()->mtip && cur()->mtie;
}

void arch_write_stimecmp(uint64_t value)
{
	cur()->stimecmp = value;
	cur()->stimecmp_writes++;
}

unsigned long arch_read_satp(void)
{
	return cur()->satp;
}

/*
 * Platform hooks. The firmware's boot code re-applies PMP and TVM, and
 * fences other harts, here; the fake only counts the calls.
 */
void hart_resync_hook(unsigned long self)
{
	fake_hart_state((unsigned int)self)->resyncs++;
}

void ptm_hook_flush_all_harts(unsigned long self)
{
	fake_hart_state((unsigned int)self)->ptm_flushes++;
}

/* The fake hart's hgatp takes the seal, as RESYNC would load it. */
static void reseal_now(unsigned int hart)
{
	fake_hart_state(hart)->hgatp = ptm_hgatp_sealed();
}

/* A RESYNC request to hart, if one is waiting: taken by whoever clears
 * it (the hart itself, or its sender once no thread runs it). */
static void serve_reseal(unsigned int hart)
{
	if (__atomic_exchange_n(&fk.reseal[hart], false, __ATOMIC_ACQ_REL)) {
		reseal_now(hart);
	}
}

/*
 * Single-threaded, the seal is loaded at once. Threaded, a hart that a
 * thread runs right now takes it as the firmware's RESYNC does: at its
 * next wait or when its call returns (fake_thread_leave), while the
 * sender waits for it; a hart no thread runs is in S-mode and takes it
 * at once.
 */
void ptm_hook_reseal(unsigned long self, unsigned long hart)
{
	unsigned int h = (unsigned int)hart;

	(void)fake_hart_state(h);
	if (!fk.threads || hart == self) {
		reseal_now(h);
		return;
	}
	__atomic_store_n(&fk.reseal[h], true, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&fk.reseal[h], __ATOMIC_SEQ_CST)) {
		if (!__atomic_load_n(&fk.claimed[h], __ATOMIC_SEQ_CST)) {
			serve_reseal(h);
		}
		arch_relax();
	}
}

/* LOCK's protection step: every running hart reports the satp the test
 * gave it (fake_hart_state()->satp); the others report 0, as on the
 * firmware. Counted per calling hart. */
void ptm_hook_protect(unsigned long self, bool on, uint64_t *satp)
{
	struct fake_hart_state *me = fake_hart_state((unsigned int)self);

	if (on) {
		me->ptm_locks++;
	} else {
		me->ptm_unlocks++;
	}
	for (unsigned int h = 0; h < hart_count(); h++) {
		satp[h] =
		    h == self || hsm_running(h) ? fake_hart_state(h)->satp : 0;
	}
}

unsigned long arch_mvendorid(void)
{
	return FAKE_MVENDORID;
}

unsigned long arch_marchid(void)
{
	return FAKE_MARCHID;
}

unsigned long arch_mimpid(void)
{
	return FAKE_MIMPID;
}

static bool hpm_exists(unsigned int i, bool event)
{
	return i < 32 && i != 1 && (!event || i >= 3);
}

uint64_t arch_hpm_read(unsigned int i)
{
	return hpm_exists(i, false) ? cur()->hpm[i] : 0;
}

void arch_hpm_write(unsigned int i, uint64_t value)
{
	if (!hpm_exists(i, false)) {
		fake_die("arch_hpm_write(%u): no such counter", i);
	}
	cur()->hpm[i] = value;
}

uint64_t arch_hpm_event_read(unsigned int i)
{
	return hpm_exists(i, true) ? cur()->hpm_event[i] : 0;
}

void arch_hpm_event_write(unsigned int i, uint64_t value)
{
	if (!hpm_exists(i, true)) {
		fake_die("arch_hpm_event_write(%u): no such event register", i);
	}
	cur()->hpm_event[i] = value;
}

void arch_count_inhibit(uint32_t mask, bool on)
{
	cur()->countinhibit =
	    on ? cur()->countinhibit | mask : cur()->countinhibit & ~mask;
}

void arch_count_enable(uint32_t mask, bool on)
{
	cur()->counteren =
	    on ? cur()->counteren | mask : cur()->counteren & ~mask;
}

bool arch_lcofi_route(bool to_m, bool s_enable)
{
	bool was = cur()->lcofie;

	cur()->lcofi_to_m = to_m;
	cur()->lcofie = to_m ? true : s_enable;
	return was;
}

void arch_lcofi_ack(void)
{
	cur()->lcofip = false;
}

unsigned long *arch_sse_flag(unsigned long h)
{
	static unsigned long flags[FAKE_HARTS];

	if (h >= FAKE_HARTS) {
		fake_die("arch_sse_flag(%lu): no such hart", h);
	}
	return &flags[h];
}

unsigned long arch_trap_pc(void)
{
	return cur()->mepc;
}

void arch_set_trap_pc(unsigned long pc)
{
	cur()->mepc = pc;
}

bool arch_trap_to_s(void)
{
	return cur()->mpp_s;
}

void arch_set_trap_to_s(bool s)
{
	cur()->mpp_s = s;
}

unsigned long arch_read_sepc(void)
{
	return cur()->sepc;
}

void arch_write_sepc(unsigned long v)
{
	cur()->sepc = v;
}

bool arch_has_h(void)
{
	return !cur()->no_h;
}

bool arch_trap_virt(void)
{
	return cur()->mpv;
}

void arch_set_trap_virt(bool v)
{
	cur()->mpv = v;
}

unsigned long arch_read_hstatus(void)
{
	return cur()->hstatus;
}

void arch_write_hstatus(unsigned long v)
{
	cur()->hstatus = v;
}

/* A range loop that does not end stops the test, as for sfence.vma. */
static void count_hfence(const struct fake_hart_state *h)
{
	unsigned long n = 0;

	for (int i = 0; i < 4; i++) {
		n += h->hfence_gvma[i] + h->hfence_vvma[i];
	}
	if (n >= FAKE_FENCE_LIMIT) {
		fake_die("hart %u: more than %lu hypervisor fences", cur_hart,
			 FAKE_FENCE_LIMIT);
	}
}

void arch_hfence_gvma(bool by_gpa, uint64_t gpa, bool by_vmid,
		      unsigned long vmid)
{
	struct fake_hart_state *h = cur();

	count_hfence(h);
	h->hfence_gvma[(by_gpa ? 1 : 0) | (by_vmid ? 2 : 0)]++;
	h->last_gpa = gpa;
	h->last_vmid = vmid;
}

void arch_hfence_vvma(bool by_va, uintptr_t va, bool by_asid,
		      unsigned long asid)
{
	struct fake_hart_state *h = cur();

	count_hfence(h);
	h->hfence_vvma[(by_va ? 1 : 0) | (by_asid ? 2 : 0)]++;
	h->last_va = va;
	h->last_asid = asid;
}

void arch_hfence_vvma_vmid(unsigned long vmid)
{
	cur()->hfence_vvma_vmid++;
	cur()->last_vmid = vmid;
}

unsigned long arch_vmid_count(void)
{
	return FAKE_VMIDS;
}

void arch_write_hgatp(unsigned long value)
{
	cur()->hgatp = value;
	cur()->hfence_gvma[0]++;
}

unsigned long arch_current_vmid(void)
{
	return (cur()->hgatp >> 44) & 0x3FFF; /* as hgatp.VMID, §8.2.10 */
}

unsigned long arch_read_sstatus(void)
{
	return cur()->sstatus;
}

void arch_write_sstatus(unsigned long v)
{
	cur()->sstatus = v;
}

unsigned int arch_trig_count(void)
{
	return FAKE_TRIGGERS;
}

unsigned long arch_trig_info(unsigned int i)
{
	return i < FAKE_TRIGGERS ? FAKE_TINFO : 0;
}

void arch_trig_write(unsigned int i, unsigned long t1, unsigned long t2,
		     unsigned long t3)
{
	unsigned long type = t1 >> 60;

	if (i >= FAKE_TRIGGERS) {
		fake_die("arch_trig_write(%u): no such trigger", i);
	}
	(void)t3;
	cur()->tdata[i][0] = type == 2 || type == 6 ? t1 : 0;
	cur()->tdata[i][1] = t2;
	cur()->tdata[i][2] = 0;
}

unsigned long arch_trig_read(unsigned int i, unsigned int which)
{
	if (i >= FAKE_TRIGGERS || which < 1 || which > 3) {
		fake_die("arch_trig_read(%u, %u): no such register", i, which);
	}
	return cur()->tdata[i][which - 1];
}

void arch_pmp_write(int i, uint8_t cfg, unsigned long addr)
{
	if (i < 0 || i >= 16) {
		fake_die("arch_pmp_write(%d): no such PMP entry", i);
	}
	fk.pmp[i].cfg = cfg;
	fk.pmp[i].addr = addr;
	fk.pmp[i].writes++;
}

const struct fake_pmp_entry *fake_pmp(int i)
{
	return &fk.pmp[i];
}

void arch_window(unsigned int point)
{
	void (*hook)(unsigned int point) = fk.window_hook;

	/* One shot: the hook stands for one call on another hart. */
	fk.window_hook = NULL;
	if (hook) {
		hook(point);
	}
}

void arch_wfi(void)
{
	cur()->wfi++;
	if (++wfi_streak >= FAKE_WFI_LIMIT) {
		fake_die("hart %u waits for an interrupt forever (no wfi hook "
			 "that raises one? see fake_set_wfi_hook)",
			 cur_hart);
	}
	if (fk.wfi_hook) {
		fk.wfi_hook(cur_hart);
	}
}

bool arch_profile(uint64_t *entries, uint64_t *insns)
{
	(void)entries;
	(void)insns;
	return false;
}

uint64_t arch_instret(void)
{
	return 0;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	       (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/*
 * Threaded, a waiter gives its CPU to the thread it waits for (the host
 * may have fewer CPUs than threads), serves a RESYNC sent to it, and
 * only a wait of FAKE_SPIN_SECONDS counts as endless: a count of spins
 * would say nothing about a holder the host preempted.
 */
static void relax_threaded(void)
{
	__atomic_fetch_add(&fk.waits, 1, __ATOMIC_RELAXED);
	if (cur_hart < FAKE_HARTS) {
		serve_reseal(cur_hart);
	}
	sched_yield();
	if (relax_streak == 1) {
		clock_gettime(CLOCK_MONOTONIC, &spin_start);
	} else if (!(relax_streak % 1024) &&
		   seconds_since(&spin_start) > FAKE_SPIN_SECONDS) {
		fake_die("hart %u spins for more than %d s", cur_hart,
			 FAKE_SPIN_SECONDS);
	}
}

void arch_relax(void)
{
	++relax_streak;
	if (fk.threads) {
		relax_threaded();
		return;
	}
	if (relax_streak >= FAKE_RELAX_LIMIT) {
		fake_die("hart %u spins forever (no delivery to the hart it "
			 "waits for? see fake_set_delivery)",
			 cur_hart);
	}
}

void fake_set_threads(bool on)
{
	fk.threads = on;
}

unsigned long fake_thread_waits(void)
{
	return __atomic_load_n(&fk.waits, __ATOMIC_RELAXED);
}

void fake_thread_enter(unsigned int hart)
{
	(void)fake_hart_state(hart);
	cur_hart = hart;
	relax_streak = 0;
	__atomic_store_n(&fk.claimed[hart], 1, __ATOMIC_SEQ_CST);
}

/* The call returned to S-mode: a RESYNC sent meanwhile is taken now, as
 * the firmware takes the pending IPI right after mret. Unclaimed first,
 * so that a sender who sees it claimed still finds the request served. */
void fake_thread_leave(unsigned int hart)
{
	__atomic_store_n(&fk.claimed[hart], 0, __ATOMIC_SEQ_CST);
	serve_reseal(hart);
}
