// SPDX-License-Identifier: BSD-2-Clause
/*
 * The PMU (pmu.h). A hardware counter's state is its CSRs (the value,
 * mhpmevent, its mcountinhibit and mcounteren bits) plus the event it is
 * configured for. A firmware counter keeps its value at start and the
 * event count then; while it runs, its value is that plus what the event
 * counted since. Nothing here is shared between harts.
 */
#include <string.h>

#include <secmon/sbi.h>

#include "arch.h"
#include "memmap.h"
#include "pmu.h"

#define HW_FIXED ((1U << 0) | (1U << 2)) /* mcycle, minstret */
#define HPM_ALL 0xfffffff8U
/* mhpmevent with Sscofpmf: OF and the per-mode inhibits (Sscofpmf v1.0,
 * "Count Overflow Control"); the selector is the low 56 bits. */
#define MHPMEVENT_OF (1UL << 63)
#define MHPMEVENT_MINH (1UL << 62)
#define MHPMEVENT_SINH (1UL << 61)
#define MHPMEVENT_UINH (1UL << 60)
#define MHPMEVENT_VSINH (1UL << 59)
#define MHPMEVENT_VUINH (1UL << 58)
#define MHPMEVENT_SELECTOR ((1UL << 56) - 1)
#define CSR_CYCLE 0xC00 /* cycle, time, instret, hpmcounter3.. follow */
#define NO_SHMEM (~0UL)

_Static_assert(PMU_MAX_COUNTERS <= 64, "one word holds a hart's started set");
_Static_assert(SBI_PMU_SNAPSHOT_VALUES + 64 * 8 <= SBI_PMU_SNAPSHOT_SIZE,
	       "SBI v3.0 §11.13: overflow bitmap, then 64 counter values, "
	       "in one 4 KiB page");
_Static_assert(PMU_FW_STD_SLOTS == SBI_PMU_FW_HFENCE_VVMA_ASID_RECEIVED + 1,
	       "SBI v3.0 §11.5: standard firmware events 0..21");

struct pmu_hart {
	uint32_t event[PMU_MAX_COUNTERS]; /* configured event_idx; 0: none */
	uint64_t started; /* bit i: logical counter i is counting */
	uint64_t fw_value[PMU_FW_COUNTERS]; /* at start, or since stop */
	uint64_t fw_base[PMU_FW_COUNTERS]; /* the event's count at start */
	uint8_t slot[PMU_FW_COUNTERS]; /* the event's pmu_fw_events slot */
	uint64_t shmem; /* snapshot page, or NO_SHMEM */
};

uint64_t (*pmu_fw_events)[PMU_FW_SLOTS];
static struct pmu_hart *pmu_harts;

size_t pmu_hart_bytes(void)
{
	return sizeof(struct pmu_hart) + sizeof(pmu_fw_events[0]);
}

void pmu_attach(void *mem, unsigned int n)
{
	pmu_harts = mem;
	pmu_fw_events = (void *)(pmu_harts + n);
	memset(mem, 0, pmu_hart_bytes() * n);
}

/* Written once by pmu_init on the boot hart, before any other hart runs
 * S-mode; read-only after. */
static struct {
	uint32_t hw; /* hardware counters offered (bit i: counter i) */
	unsigned int nhw; /* the first firmware counter's index */
	unsigned int hpm_width; /* bits in an mhpmcounter */
	bool overflow; /* Sscofpmf on every hart */
	struct plat_pmu map;
} cfg;

/* Without Zbb the compiler's count-zeros builtins call libgcc, which the
 * firmware does not link; these run on words of at most 48 counters. */
static unsigned int low_bit(uint64_t v) /* v != 0 */
{
	unsigned int i = 0;

	while (!(v >> i & 1)) {
		i++;
	}
	return i;
}

/* Bits needed to hold v (0 for 0). */
static unsigned int bit_length(uint64_t v)
{
	unsigned int n = 0;

	while (n < 64 && v >> n) {
		n++;
	}
	return n;
}

/* Bits an mhpmcounter keeps (write all-ones, read back): 0 if none. */
static unsigned int probe_hpm_width(uint32_t hpm)
{
	unsigned int i;
	uint64_t v;

	if (!hpm) {
		return 0;
	}
	i = low_bit(hpm);
	arch_count_inhibit(1U << i, true);
	arch_hpm_write(i, ~0ULL);
	v = arch_hpm_read(i);
	arch_hpm_write(i, 0);
	return bit_length(v);
}

void pmu_init(const struct plat_info *pi)
{
	uint32_t mapped = 0;
	bool overflow = pi->nharts > 0;

	memset(&cfg, 0, sizeof(cfg));
	cfg.map = pi->pmu;
	for (unsigned int i = 0; i < cfg.map.nmap; i++) {
		mapped |= cfg.map.map[i].counters;
	}
	cfg.hw = HW_FIXED | (mapped & HPM_ALL);
#ifdef SECMON_PROFILE
	/* The profile build counts the monitor's instructions in minstret:
	 * S-mode may not stop or rewrite it. */
	cfg.hw &= ~(1U << 2);
#endif
	cfg.hpm_width = probe_hpm_width(cfg.hw & HPM_ALL);
	if (!cfg.hpm_width) {
		cfg.hw &= ~HPM_ALL;
	}
	cfg.nhw = bit_length(cfg.hw);
	cfg.nhw = cfg.nhw < 3 ? 3 : cfg.nhw;
	for (unsigned int h = 0; h < pi->nharts; h++) {
		if (!(pi->harts[h].isa & PLAT_ISA_SSCOFPMF)) {
			overflow = false;
		}
	}
	cfg.overflow = overflow;
}

void pmu_hart_reset(unsigned long hartid)
{
	struct pmu_hart *p = &pmu_harts[hartid];
	uint32_t hpm = cfg.hw & HPM_ALL;

	arch_count_inhibit(hpm, true);
	arch_count_inhibit(HW_FIXED, false);
	arch_count_enable(hpm, false);
	for (uint32_t m = hpm; m; m &= m - 1) {
		arch_hpm_event_write(low_bit(m), 0);
	}
	memset(p, 0, sizeof(*p));
	p->shmem = NO_SHMEM;
}

bool pmu_has_overflow(void)
{
	return cfg.overflow;
}

uint32_t pmu_hw_mask(void)
{
	return cfg.hw;
}

unsigned int pmu_hw_count(void)
{
	return cfg.nhw;
}

unsigned long pmu_num_counters(void)
{
	return cfg.nhw + PMU_FW_COUNTERS;
}

static bool valid_counter(unsigned long i)
{
	if (i < cfg.nhw) {
		return cfg.hw >> i & 1;
	}
	return i < cfg.nhw + PMU_FW_COUNTERS;
}

long pmu_counter_info(unsigned long idx, unsigned long *info)
{
	unsigned long width;

	if (!valid_counter(idx)) {
		return SBI_ERR_INVALID_PARAM;
	}
	if (idx >= cfg.nhw) {
		*info = SBI_PMU_INFO_FW | 63UL << 12;
		return SBI_SUCCESS;
	}
	width = idx < 3 ? 64 : cfg.hpm_width;
	*info = (CSR_CYCLE + idx) | (width - 1) << 12;
	return SBI_SUCCESS;
}

/* The set (base, mask) names: every counter in it must exist. */
static long counter_set(unsigned long base, unsigned long mask, uint64_t *set)
{
	*set = 0;
	for (unsigned int i = 0; i < 64 && mask >> i; i++) {
		if (!(mask >> i & 1)) {
			continue;
		}
		if (base + i < base || !valid_counter(base + i)) {
			return SBI_ERR_INVALID_PARAM;
		}
		*set |= 1ULL << (base + i);
	}
	return SBI_SUCCESS;
}

/* A firmware event code's slot in pmu_fw_events, or -1. */
static int fw_slot(unsigned long code)
{
	if (code < PMU_FW_STD_SLOTS) {
		return (int)code;
	}
	if (code >= SECMON_PMU_FW_PTM_CALL(0) &&
	    code <= SECMON_PMU_FW_PTM_REFUSED) {
		return (int)(PMU_SLOT_PTM_CALL(0) +
			     (code - SECMON_PMU_FW_PTM_CALL(0)));
	}
	return -1;
}

static uint64_t fw_counters(void)
{
	return ((1ULL << PMU_FW_COUNTERS) - 1) << cfg.nhw;
}

/* Hardware counters the tree maps the event to. Without a map, mcycle
 * and minstret still count what their names say. */
static uint64_t hw_candidates(unsigned long ev)
{
	uint32_t c = 0;

	if (!cfg.map.nmap) {
		c = ev == SBI_PMU_HW_CPU_CYCLES	    ? 1U << 0
		    : ev == SBI_PMU_HW_INSTRUCTIONS ? 1U << 2
						    : 0;
	}
	for (unsigned int i = 0; i < cfg.map.nmap; i++) {
		if (cfg.map.map[i].first <= ev && ev <= cfg.map.map[i].last) {
			c |= cfg.map.map[i].counters;
		}
	}
	return c & cfg.hw;
}

/*
 * The counters that can count event ev with data, 0 if none. Raw events
 * (types 2 and 3) need a raw map the monitor does not read, and the
 * platform firmware event (0xffff) has no events: both are unsupported;
 * every supported event takes event_data 0 (§11.2-§11.5).
 */
static uint64_t candidates(unsigned long ev, uint64_t data)
{
	unsigned long type = ev >> 16;
	unsigned long code = ev & 0xffff;

	if (ev >> 20 || data) {
		return 0;
	}
	switch (type) {
	case SBI_PMU_TYPE_HW:
		return code && code <= SBI_PMU_HW_REF_CPU_CYCLES
			   ? hw_candidates(ev)
			   : 0;
	case SBI_PMU_TYPE_CACHE:
		return hw_candidates(ev);
	case SBI_PMU_TYPE_FW:
		return fw_slot(code) >= 0 ? fw_counters() : 0;
	default:
		return 0;
	}
}

static uint64_t selector(unsigned long ev)
{
	for (unsigned int i = 0; i < cfg.map.nsel; i++) {
		if (cfg.map.sel[i].event == ev) {
			return cfg.map.sel[i].value & MHPMEVENT_SELECTOR;
		}
	}
	return ev;
}

/* mhpmevent's mode bits for the filter flags (Sscofpmf only; pmu.h). */
static uint64_t mode_filter(unsigned long flags)
{
	uint64_t v = 0;

	if (!cfg.overflow) {
		return 0;
	}
	v |= flags & SBI_PMU_CFG_SET_MINH ? MHPMEVENT_MINH : 0;
	v |= flags & SBI_PMU_CFG_SET_SINH ? MHPMEVENT_SINH : 0;
	v |= flags & SBI_PMU_CFG_SET_UINH ? MHPMEVENT_UINH : 0;
	v |= flags & SBI_PMU_CFG_SET_VSINH ? MHPMEVENT_VSINH : 0;
	v |= flags & SBI_PMU_CFG_SET_VUINH ? MHPMEVENT_VUINH : 0;
	return v;
}

/* A firmware event's count on a hart. "Any page-table call" is the sum
 * of the per-function counts: the call path increments one word. */
static uint64_t event_count(unsigned long hartid, unsigned int slot)
{
	uint64_t n = 0;

	if (slot != PMU_SLOT_PTM_ANY) {
		return pmu_fw_events[hartid][slot];
	}
	for (unsigned int f = 0; f < 16; f++) {
		n += pmu_fw_events[hartid][PMU_SLOT_PTM_CALL(f)];
	}
	return n + pmu_fw_events[hartid][PMU_SLOT_PTM_OTHER];
}

static uint64_t counter_value(const struct pmu_hart *p, unsigned long hartid,
			      unsigned int i)
{
	unsigned int f = i - cfg.nhw;

	if (i < cfg.nhw) {
		return arch_hpm_read(i);
	}
	if (!(p->started >> i & 1)) {
		return p->fw_value[f];
	}
	return p->fw_value[f] + event_count(hartid, p->slot[f]) - p->fw_base[f];
}

static void configure(struct pmu_hart *p, unsigned int i, unsigned long ev,
		      unsigned long flags)
{
	bool clear = flags & SBI_PMU_CFG_CLEAR_VALUE;

	p->event[i] = (uint32_t)ev;
	if (i >= cfg.nhw) {
		p->slot[i - cfg.nhw] = (uint8_t)fw_slot(ev & 0xffff);
		p->fw_value[i - cfg.nhw] = clear ? 0 : p->fw_value[i - cfg.nhw];
		return;
	}
	if (i >= 3) {
		arch_hpm_event_write(i, selector(ev) | mode_filter(flags));
		arch_count_enable(1U << i, true);
	}
	if (clear) {
		arch_hpm_write(i, 0);
	}
}

/* Start counter i (checked, configured, stopped). */
static void start_one(struct pmu_hart *p, unsigned long hartid, unsigned int i,
		      bool set, uint64_t value)
{
	unsigned int f = i - cfg.nhw;

	if (i < cfg.nhw) {
		if (i >= 3 && cfg.overflow) {
			arch_hpm_event_write(i, arch_hpm_event_read(i) &
						    ~MHPMEVENT_OF);
		}
		/* Running first: QEMU 7.2 arms its overflow timer when a
		 * counting counter is written, not when it is uninhibited. */
		arch_count_inhibit(1U << i, false);
		if (set) {
			arch_hpm_write(i, value);
		}
	} else {
		p->fw_value[f] = set ? value : p->fw_value[f];
		p->fw_base[f] = event_count(hartid, p->slot[f]);
	}
	p->started |= 1ULL << i;
}

/* Stop counter i (checked, started); returns its value. */
static uint64_t stop_one(struct pmu_hart *p, unsigned long hartid,
			 unsigned int i)
{
	uint64_t v;

	if (i < cfg.nhw) {
		arch_count_inhibit(1U << i, true);
		v = arch_hpm_read(i);
	} else {
		v = counter_value(p, hartid, i);
		p->fw_value[i - cfg.nhw] = v;
	}
	p->started &= ~(1ULL << i);
	return v;
}

/* Unmap counter i (stopped): S-mode loses read access to an hpm one. */
static void reset_one(struct pmu_hart *p, unsigned int i)
{
	p->event[i] = 0;
	if (i >= 3 && i < cfg.nhw) {
		arch_hpm_event_write(i, 0);
		arch_count_enable(1U << i, false);
	}
}

long pmu_config_matching(unsigned long hartid, unsigned long base,
			 unsigned long mask, unsigned long flags,
			 unsigned long event, uint64_t data, unsigned long *idx)
{
	struct pmu_hart *p = &pmu_harts[hartid];
	uint64_t set, free;
	unsigned int i;
	long rc;

	if (flags & ~SBI_PMU_CFG_FLAGS) {
		return SBI_ERR_INVALID_PARAM;
	}
	rc = counter_set(base, mask, &set);
	if (rc) {
		return rc;
	}
	free = set & ~p->started & candidates(event, data);
	if (flags & SBI_PMU_CFG_SKIP_MATCH) {
		/* "Unconditionally the first counter of the set" (§11.8),
		 * which must still be free and able to count the event. */
		free &= set & -set;
	}
	if (!free) {
		return SBI_ERR_NOT_SUPPORTED;
	}
	i = low_bit(free);
	configure(p, i, event, flags);
	if (flags & SBI_PMU_CFG_AUTO_START) {
		start_one(p, hartid, i, false, 0);
	}
	*idx = i;
	return SBI_SUCCESS;
}

/* Start the set from the snapshot page's counter_values (§11.9). */
static long start_from_snapshot(struct pmu_hart *p, unsigned long hartid,
				unsigned long base, uint64_t set)
{
	const uint64_t *v = memmap_os_begin(p->shmem, SBI_PMU_SNAPSHOT_SIZE, 8);

	if (!v) {
		return SBI_ERR_NO_SHMEM; /* the page broke the buffer rule */
	}
	for (uint64_t m = set; m; m &= m - 1) {
		unsigned int i = low_bit(m);
		uint64_t value =
		    __atomic_load_n(&v[1 + (i - base)], __ATOMIC_RELAXED);

		start_one(p, hartid, i, true, value);
	}
	memmap_os_end();
	return SBI_SUCCESS;
}

long pmu_start(unsigned long hartid, unsigned long base, unsigned long mask,
	       unsigned long flags, uint64_t initial)
{
	struct pmu_hart *p = &pmu_harts[hartid];
	bool set_value = flags & SBI_PMU_START_SET_INIT_VALUE;
	uint64_t set;
	long rc;

	/* The two ways to set a value exclude each other (§11.9). */
	if (flags & ~3UL || flags == 3) {
		return SBI_ERR_INVALID_PARAM;
	}
	rc = counter_set(base, mask, &set);
	for (uint64_t m = set; !rc && m; m &= m - 1) {
		rc = p->event[low_bit(m)] ? rc : SBI_ERR_INVALID_PARAM;
	}
	if (rc) {
		return rc; /* an unconfigured counter is an invalid one */
	}
	if (set & p->started) {
		return SBI_ERR_ALREADY_STARTED;
	}
	if (flags & SBI_PMU_START_INIT_SNAPSHOT) {
		return p->shmem == NO_SHMEM
			   ? SBI_ERR_NO_SHMEM
			   : start_from_snapshot(p, hartid, base, set);
	}
	for (uint64_t m = set; m; m &= m - 1) {
		start_one(p, hartid, low_bit(m), set_value, initial);
	}
	return SBI_SUCCESS;
}

/* Stop the set into the snapshot page (§11.10): each stopped counter's
 * value, and the overflow bitmap, relative to base. */
static long stop_to_snapshot(struct pmu_hart *p, unsigned long hartid,
			     unsigned long base, uint64_t set, bool reset)
{
	uint64_t *v = memmap_os_begin(p->shmem, SBI_PMU_SNAPSHOT_SIZE, 8);
	uint64_t overflow = 0;

	if (!v) {
		return SBI_ERR_NO_SHMEM;
	}
	for (uint64_t m = set; m; m &= m - 1) {
		unsigned int i = low_bit(m);

		__atomic_store_n(&v[1 + (i - base)], stop_one(p, hartid, i),
				 __ATOMIC_RELAXED);
		if (cfg.overflow && i >= 3 && i < cfg.nhw &&
		    arch_hpm_event_read(i) & MHPMEVENT_OF) {
			overflow |= 1ULL << (i - base);
		}
		if (reset) {
			reset_one(p, i);
		}
	}
	__atomic_store_n(&v[0], overflow, __ATOMIC_RELAXED);
	memmap_os_end();
	return SBI_SUCCESS;
}

long pmu_stop(unsigned long hartid, unsigned long base, unsigned long mask,
	      unsigned long flags)
{
	struct pmu_hart *p = &pmu_harts[hartid];
	bool reset = flags & SBI_PMU_STOP_RESET;
	uint64_t set;
	long rc;

	if (flags & ~3UL) {
		return SBI_ERR_INVALID_PARAM;
	}
	rc = counter_set(base, mask, &set);
	if (rc) {
		return rc;
	}
	if (flags & SBI_PMU_STOP_TAKE_SNAPSHOT && p->shmem == NO_SHMEM) {
		return SBI_ERR_NO_SHMEM;
	}
	if (set & ~p->started) {
		/* Linux stops an event, then unmaps it with a second stop
		 * (RESET): a set that is all stopped is still unmapped. */
		for (uint64_t m = set; reset && !(set & p->started) && m;
		     m &= m - 1) {
			reset_one(p, low_bit(m));
		}
		return SBI_ERR_ALREADY_STOPPED;
	}
	if (flags & SBI_PMU_STOP_TAKE_SNAPSHOT) {
		return stop_to_snapshot(p, hartid, base, set, reset);
	}
	for (uint64_t m = set; m; m &= m - 1) {
		stop_one(p, hartid, low_bit(m));
		if (reset) {
			reset_one(p, low_bit(m));
		}
	}
	return SBI_SUCCESS;
}

long pmu_fw_read(unsigned long hartid, unsigned long idx, uint64_t *value)
{
	if (idx < cfg.nhw || idx >= cfg.nhw + PMU_FW_COUNTERS) {
		return SBI_ERR_INVALID_PARAM;
	}
	*value = counter_value(&pmu_harts[hartid], hartid, (unsigned int)idx);
	return SBI_SUCCESS;
}

long pmu_snapshot_set(unsigned long hartid, unsigned long lo, unsigned long hi,
		      unsigned long flags)
{
	struct pmu_hart *p = &pmu_harts[hartid];

	if (flags) {
		return SBI_ERR_INVALID_PARAM;
	}
	if (lo == ~0UL && hi == ~0UL) {
		p->shmem = NO_SHMEM;
		return SBI_SUCCESS;
	}
	if (lo & (SBI_PMU_SNAPSHOT_SIZE - 1)) {
		return SBI_ERR_INVALID_PARAM;
	}
	/* RV64 physical addresses fit lo; the buffer rule is memmap's. */
	if (hi || !memmap_os_buffer_ok(lo, SBI_PMU_SNAPSHOT_SIZE,
				       SBI_PMU_SNAPSHOT_SIZE)) {
		return SBI_ERR_INVALID_ADDRESS;
	}
	p->shmem = lo;
	return SBI_SUCCESS;
}

/*
 * event_get_info (§11.14): entries of four words, event_idx, output and
 * event_data. A reserved bit in any event_idx refuses the call before an
 * output is written; S-mode racing its own buffer meanwhile only changes
 * which answers it gets, each from the word read once.
 */
long pmu_event_info(unsigned long lo, unsigned long hi, unsigned long n,
		    unsigned long flags)
{
	uint32_t *e;
	long rc = SBI_SUCCESS;

	if (flags || lo & 15 || n > PMU_INFO_MAX_ENTRIES) {
		return SBI_ERR_INVALID_PARAM;
	}
	e = hi ? NULL : memmap_os_begin(lo, n * 16, 16);
	if (!e) {
		return SBI_ERR_INVALID_ADDRESS;
	}
	for (unsigned long k = 0; k < n; k++) {
		if (__atomic_load_n(&e[4 * k], __ATOMIC_RELAXED) >> 20) {
			rc = SBI_ERR_INVALID_PARAM;
			break;
		}
	}
	for (unsigned long k = 0; !rc && k < n; k++) {
		uint32_t ev = __atomic_load_n(&e[4 * k], __ATOMIC_RELAXED);
		uint64_t data =
		    (uint64_t)__atomic_load_n(&e[4 * k + 3], __ATOMIC_RELAXED)
			<< 32 |
		    __atomic_load_n(&e[4 * k + 2], __ATOMIC_RELAXED);

		__atomic_store_n(&e[4 * k + 1], candidates(ev, data) != 0,
				 __ATOMIC_RELAXED);
	}
	memmap_os_end();
	return rc;
}
