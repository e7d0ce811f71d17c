/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The host fake machine behind monitor/arch/arch.h, and the API the unit
 * tests use to drive and inspect it.
 *
 * The fake has:
 *  - a "current hart": arch_* calls act on it, the way CSR accesses act on
 *    the hart that executes them. Tests pick it with fake_set_hart().
 *  - an MMIO space: every write outside the UART is appended to a log and
 *    stored in a small register map; reads return the map's value (0 if the
 *    address was never written or preset with fake_mmio_set()).
 *  - a 16550 UART at FAKE_UART_BASE (byte registers, stride 1), modelled
 *    rather than logged, so that console text does not flood the MMIO log:
 *    THR writes are captured as text, LSR always says "transmitter empty",
 *    and RBR serves bytes queued with fake_console_input().
 *  - IPI delivery (off by default): with fake_set_delivery(true), a write
 *    of 1 to a present hart's MSIP register (as named by plat.harts[]) runs
 *    hart_serve() for that hart at once, as if it had taken the interrupt.
 *    Synchronous senders (RFENCE, which waits in hart_wait()) then find
 *    the request served and do not spin. The served hart becomes the
 *    current hart for the duration, so its fences are counted against it.
 *  - a fake RAM window at physical FAKE_RAM_BASE for arch_phys_ptr(), and
 *    a second, 1 GiB one at FAKE_HIGH_RAM_BASE, mapped on first use and
 *    dropped by fake_reset(), so tests can declare a RAM range large and
 *    aligned enough for 1 GiB leaves (plat.mem) without touching it.
 *  - per-hart counters for fences, interrupt-pending bits, mie.MTIE and
 *    stimecmp; a PMP register file; a satp value the test sets.
 *  - the platform hooks the firmware's boot code supplies
 *    (hart_resync_hook, ptm_hook_flush_all_harts, ptm_hook_protect) are
 *    counted, per calling hart; ptm_hook_protect reports each running
 *    hart's satp as the test set it.
 *  - pending interrupts: arch_s_irq_pending() is true while the current
 *    hart's ssip or stip flag is set (the fake has no sie: every S
 *    interrupt counts as enabled); arch_msip_pending() reads the hart's
 *    MSIP register from the register map; arch_mtip_pending() is the
 *    hart's mtip flag (set by the test) while mie.MTIE is on.
 *  - wfi: arch_wfi() counts, then calls the hook set with
 *    fake_set_wfi_hook(), which stands for whatever would wake the hart
 *    (a timer, another hart's IPI). More than FAKE_WFI_LIMIT calls in a
 *    row abort the test, like an endless spin does.
 *
 * A spin that could never end (arch_relax() called FAKE_RELAX_LIMIT times
 * in a row without other fake activity) aborts the test with a message,
 * rather than hanging ctest; so does a hart issuing more than
 * FAKE_FENCE_LIMIT page-sized sfence.vma (a range loop that does not end).
 *
 * Threads (fake_set_threads): the current hart and the spin and wfi
 * streaks are the calling thread's, so several threads may each run one
 * hart's calls for real (the page-table fuzzer does). A thread claims its
 * hart for a call with fake_thread_enter() and gives it back with
 * fake_thread_leave(). Then arch_relax() yields the CPU and aborts only
 * after FAKE_SPIN_SECONDS of waiting, and ptm_hook_reseal() to a claimed
 * hart waits until that hart takes the seal (in its waits or when its call
 * returns), as the firmware's RESYNC does. The MMIO map, the console input
 * and IPI delivery stay single-threaded.
 */
#ifndef SECMON_ARCH_HOST_H
#define SECMON_ARCH_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "platform.h"

/* Harts the fake models (indices; the tree may give any hartids). */
#define FAKE_HARTS 64

#define FAKE_RAM_BASE 0x80000000ULL
#define FAKE_RAM_SIZE (8ULL << 20)
#define FAKE_HIGH_RAM_BASE 0x100000000ULL
#define FAKE_HIGH_RAM_SIZE (1ULL << 30)

#define FAKE_UART_BASE 0x10000000UL
#define FAKE_UART_SPAN 0x100UL

#define FAKE_MVENDORID 0x5ecUL
#define FAKE_MARCHID 0x8000000000000123UL
#define FAKE_MIMPID 0x20261125UL

#define FAKE_MMIO_LOG_MAX 1024
#define FAKE_RELAX_LIMIT 1000000UL
#define FAKE_WFI_LIMIT 1000UL
#define FAKE_FENCE_LIMIT 1000000UL
#define FAKE_SPIN_SECONDS 60

struct fake_mmio_write {
	uintptr_t addr;
	uint64_t val;
	unsigned int width; /* bytes: 1, 4 or 8 */
	unsigned int hart; /* current hart at the time of the write */
};

struct fake_hart_state {
	unsigned long fence_i;
	unsigned long sfence_all;
	unsigned long sfence_va; /* sfence.vma va */
	unsigned long sfence_asid; /* sfence.vma zero, asid */
	unsigned long sfence_va_asid; /* sfence.vma va, asid */
	uintptr_t last_va;
	unsigned long last_asid;
	unsigned long ssip_set; /* arch_set_ssip() calls */
	bool ssip; /* mip.SSIP; tests clear it */
	bool mtip; /* mip.MTIP; tests set it */
	bool stip; /* mip.STIP as the fake tracks it */
	unsigned long stip_set, stip_clear;
	bool mtie; /* mie.MTIE */
	unsigned long mtimer_calls;
	uint64_t stimecmp;
	unsigned long stimecmp_writes;
	unsigned long satp; /* what arch_read_satp() returns */
	unsigned long resyncs; /* hart_resync_hook() calls */
	unsigned long ptm_flushes; /* ptm_hook_flush_all_harts() calls */
	unsigned long ptm_locks; /* ptm_hook_protect(on) calls */
	unsigned long ptm_unlocks; /* ptm_hook_protect(!on) calls */
	unsigned long wfi;
	/* Performance counters: mcycle (0), minstret (2), mhpmcounter3-31;
	 * mhpmevent3-31; mcountinhibit and mcounteren. The fake's counters
	 * only move when a test writes them. */
	uint64_t hpm[32];
	uint64_t hpm_event[32];
	uint32_t countinhibit;
	uint32_t counteren;
	/* The interrupted context a trap returns to (SSE): mepc, MPP == S,
	 * and S-mode's sepc and sstatus. */
	unsigned long mepc;
	bool mpp_s;
	unsigned long sepc;
	unsigned long sstatus;
	/* The hypervisor extension: present unless a test clears it; the
	 * trap came from V=1 (mstatus.MPV); hstatus; hgatp. */
	bool no_h;
	bool mpv;
	unsigned long hstatus;
	unsigned long hgatp;
	/* Hypervisor fences, by form: [0] all, [1] by address, [2] by
	 * VMID/ASID, [3] both; then hfence.vvma for a VMID not current. */
	unsigned long hfence_gvma[4], hfence_vvma[4], hfence_vvma_vmid;
	uint64_t last_gpa;
	unsigned long last_vmid;
	/* FAKE_TRIGGERS debug triggers of types 2 and 6 (tinfo); tdata1
	 * keeps what is written if its type is 2 or 6 (else 0); tdata3 is
	 * not implemented and reads 0. */
	unsigned long tdata[4][3];
	/* LCOFI: delegated to S (false) or taken by the monitor; S-mode's
	 * enable bit; pending. */
	bool lcofi_to_m;
	bool lcofie;
	bool lcofip;
};
#define FAKE_TRIGGERS 2
#define FAKE_VMIDS 16 /* the fake hart's hgatp.VMID is 4 bits wide */
#define FAKE_TINFO ((1UL << 2) | (1UL << 6))

struct fake_pmp_entry {
	uint8_t cfg;
	unsigned long addr;
	unsigned long writes;
};

/*
 * Forget everything: log, registers, counters, console text and input,
 * RAM contents (zeroed), current hart 0, delivery off. Also attaches the
 * console to the fake UART (reg_shift 0, 1-byte registers).
 */
void fake_reset(void);

/* The hart arch_* calls act on. */
void fake_set_hart(unsigned int hart);
unsigned int fake_hart(void);
struct fake_hart_state *fake_hart_state(unsigned int hart);

void fake_set_delivery(bool on);

/* Threaded mode (see above) on or off; fake_reset() turns it off. */
void fake_set_threads(bool on);
/* The calling thread runs hart for one call; then gives it back. */
void fake_thread_enter(unsigned int hart);
void fake_thread_leave(unsigned int hart);
/* How often a thread waited in arch_relax() (for another hart) so far. */
unsigned long fake_thread_waits(void);

/* Called (on the waiting hart) by every arch_wfi(); NULL for none. */
void fake_set_wfi_hook(void (*hook)(unsigned int hart));

/*
 * Run hook once, at the next arch_window() point the monitor reaches (see
 * arch.h): the test's stand-in for another hart acting between two steps
 * of a call. The hook is disarmed before it runs. NULL disarms.
 */
void fake_set_window_hook(void (*hook)(unsigned int point));

/* MMIO log and register map. */
size_t fake_mmio_count(void);
const struct fake_mmio_write *fake_mmio_log(size_t i);
/* Number of logged writes to addr (with any value). */
size_t fake_mmio_writes_to(uintptr_t addr);
/* Number of logged writes of val to addr. */
size_t fake_mmio_writes_of(uintptr_t addr, uint64_t val);
/* The last value written to addr; false if never written. */
bool fake_mmio_last(uintptr_t addr, uint64_t *val);
/* Preset the value reads of addr return (not logged). */
void fake_mmio_set(uintptr_t addr, uint64_t val);
void fake_mmio_clear_log(void);

/* Console: captured output (NUL-terminated) and queued input. */
const char *fake_console_text(void);
size_t fake_console_len(void);
void fake_console_clear(void);
void fake_console_input(const char *s, size_t len);

/* Pointer into fake RAM (either window) for pa..pa+len (aborts if
 * outside). */
void *fake_ram(uint64_t pa, size_t len);

const struct fake_pmp_entry *fake_pmp(int i);

#endif
