// SPDX-License-Identifier: BSD-2-Clause
/*
 * Supervisor software events (sse.h): the event records, their state
 * machine (UNUSED -> REGISTERED -> ENABLED -> RUNNING, §17.2) and the
 * entry into and return from an S-mode handler.
 */
#include <string.h>

#include <secmon/sbi.h>

#include "arch.h"
#include "hart.h"
#include "lock.h"
#include "memmap.h"
#include "pmu.h"
#include "sse.h"

enum sse_state {
	SSE_UNUSED = 0, /* no handler */
	SSE_REGISTERED = 1, /* handler known, not accepting */
	SSE_ENABLED = 2, /* delivered when pending and the hart unmasked */
	SSE_RUNNING = 3, /* its handler runs (or was preempted) */
};

/* Attributes (§17.3, Table "SSE Event Attributes") */
enum {
	ATTR_STATUS,
	ATTR_PRIORITY,
	ATTR_CONFIG,
	ATTR_PREFERRED_HART,
	ATTR_ENTRY_PC,
	ATTR_ENTRY_ARG,
	ATTR_INTERRUPTED_SEPC,
	ATTR_INTERRUPTED_FLAGS,
	ATTR_INTERRUPTED_A6,
	ATTR_INTERRUPTED_A7,
	ATTR_COUNT,
};
_Static_assert(ATTR_INTERRUPTED_A7 == 9, "SBI v3.0 §17.3: attr_id 0..9");

#define STATUS_PENDING (1UL << 2)
#define STATUS_INJECTABLE (1UL << 3)
#define CONFIG_ONESHOT 1UL
/* INTERRUPTED_FLAGS (§17.3): SPP and SPIE; SPV and SPVP where the hart
 * has H. SPELP and SDT need Zicfilp or Ssdbltrp, which QEMU 7.2's harts
 * do not have. */
#define FLAGS_SPP 1UL
#define FLAGS_SPIE 2UL
#define FLAGS_SPV 4UL
#define FLAGS_SPVP 8UL

struct sse_event {
	uint32_t id;
	uint8_t state; /* enum sse_state */
	uint8_t pending; /* set atomically by any hart */
	uint32_t priority;
	unsigned long config;
	unsigned long hart; /* preferred (global) or own (local) hart */
	unsigned long entry_pc, entry_arg;
	unsigned long i_sepc, i_flags, i_a6, i_a7;
};

/* Per hart (hart_count() entries each, in the per-hart region): */
static unsigned long flags_known(void)
{
	return FLAGS_SPP | FLAGS_SPIE |
	       (arch_has_h() ? FLAGS_SPV | FLAGS_SPVP : 0);
}

static struct sse_event *local_sw;
static struct sse_event *local_pmu;
/* Whether the monitor takes the hart's LCOFI, and S-mode's enable kept
 * meanwhile. */
static bool *lcofi_routed;
static bool *lcofie_saved;
static bool *unmasked;
static struct sse_event global_sw;
static struct lock sse_lock = LOCK_INIT;

size_t sse_hart_bytes(void)
{
	return 2 * sizeof(struct sse_event) + 3 * sizeof(bool);
}

void sse_attach(void *mem, unsigned int n)
{
	local_sw = mem;
	local_pmu = local_sw + n;
	lcofi_routed = (bool *)(local_pmu + n);
	lcofie_saved = lcofi_routed + n;
	unmasked = lcofie_saved + n;
	memset(mem, 0, sse_hart_bytes() * n);
}

bool sse_maybe_pending(unsigned long hart)
{
	return __atomic_load_n(arch_sse_flag(hart), __ATOMIC_ACQUIRE);
}

void sse_init(unsigned long boot_hartid)
{
	memset(&global_sw, 0, sizeof(global_sw));
	global_sw.id = SSE_EVENT_GLOBAL_SW;
	global_sw.hart = boot_hartid; /* PREFERRED_HART's reset value */
}

/* LCOFI goes to the monitor exactly while the hart's PMU overflow event
 * is ENABLED or RUNNING. Called by that hart after each change. */
static void route_overflow(unsigned long h)
{
	bool want = local_pmu[h].state == SSE_ENABLED ||
		    local_pmu[h].state == SSE_RUNNING;

	if (!pmu_has_overflow() || want == lcofi_routed[h]) {
		return;
	}
	if (want) {
		lcofie_saved[h] = arch_lcofi_route(true, false);
	} else {
		arch_lcofi_route(false, lcofie_saved[h]);
	}
	lcofi_routed[h] = want;
}

void sse_hart_reset(unsigned long hart)
{
	local_pmu[hart] =
	    (struct sse_event){.id = SSE_EVENT_PMU_OVERFLOW, .hart = hart};
	/* A reset hart's S-mode starts without the interrupt enabled. */
	lcofie_saved[hart] = false;
	route_overflow(hart);
	local_sw[hart] =
	    (struct sse_event){.id = SSE_EVENT_LOCAL_SW, .hart = hart};
	unmasked[hart] = false;
	__atomic_store_n(arch_sse_flag(hart), 0, __ATOMIC_RELEASE);
}

/* Ask hart h to look for a due event on its next way back to S/U, and
 * interrupt it if it is another hart. */
static void poke(unsigned long self, unsigned long h)
{
	__atomic_store_n(arch_sse_flag(h), 1, __ATOMIC_RELEASE);
	if (h != self) {
		hart_post(h, HART_MSG_SSE);
	}
}

/*
 * The event an ID names, for hart self: SBI_SUCCESS and *e, or the error
 * for an ID that is valid but not supported here (NOT_SUPPORTED) or not
 * valid at all (INVALID_PARAM). event_id[15] = global, [14] = platform.
 */
static long find(unsigned long self, uint32_t id, struct sse_event **e)
{
	if (id == SSE_EVENT_LOCAL_SW) {
		*e = &local_sw[self];
		return SBI_SUCCESS;
	}
	if (id == SSE_EVENT_GLOBAL_SW) {
		*e = &global_sw;
		return SBI_SUCCESS;
	}
	if (id == SSE_EVENT_PMU_OVERFLOW && pmu_has_overflow()) {
		*e = &local_pmu[self];
		return SBI_SUCCESS;
	}
	switch (id) {
	case 0x00000000: /* local high-priority RAS */
	case 0x00000001: /* local double trap */
	case 0x00008000: /* global high-priority RAS */
	case SSE_EVENT_PMU_OVERFLOW:
	case 0x00100000: /* local low-priority RAS */
	case 0x00108000: /* global low-priority RAS */
		return SBI_ERR_NOT_SUPPORTED;
	default:
		return SBI_ERR_INVALID_PARAM;
	}
}

static bool is_global(const struct sse_event *e)
{
	return e->id >> 15 & 1;
}

/* Global events are shared: their fields change under the SSE lock. */
static void take(const struct sse_event *e)
{
	if (is_global(e)) {
		lock_acquire(&sse_lock);
	}
}

static void give(const struct sse_event *e)
{
	if (is_global(e)) {
		lock_release(&sse_lock);
	}
}

static unsigned long attr_value(const struct sse_event *e, unsigned int a)
{
	switch (a) {
	case ATTR_STATUS:
		return e->state |
		       (__atomic_load_n(&e->pending, __ATOMIC_RELAXED)
			    ? STATUS_PENDING
			    : 0) |
		       (e->id == SSE_EVENT_PMU_OVERFLOW ? 0
							: STATUS_INJECTABLE);
	case ATTR_PRIORITY:
		return e->priority;
	case ATTR_CONFIG:
		return e->config;
	case ATTR_PREFERRED_HART:
		return hart_id(e->hart); /* the spec's value is a hartid */
	case ATTR_ENTRY_PC:
		return e->entry_pc;
	case ATTR_ENTRY_ARG:
		return e->entry_arg;
	case ATTR_INTERRUPTED_SEPC:
		return e->i_sepc;
	case ATTR_INTERRUPTED_FLAGS:
		return e->i_flags;
	case ATTR_INTERRUPTED_A6:
		return e->i_a6;
	default:
		return e->i_a7;
	}
}

/* base and count name attributes 0..9 only; count 0 is INVALID_PARAM. */
static long attr_range(uint32_t base, uint32_t count)
{
	if (!count) {
		return SBI_ERR_INVALID_PARAM;
	}
	if ((uint64_t)base + count > ATTR_COUNT) {
		return SBI_ERR_BAD_RANGE;
	}
	return SBI_SUCCESS;
}

/* The checks read_attrs and write_attrs share, in the spec's order:
 * the event, the attribute range, then the buffer (§3.3, memmap). */
static long attr_call(unsigned long hart, uint32_t id, uint32_t base,
		      uint32_t count, unsigned long lo, unsigned long hi,
		      struct sse_event **e)
{
	long rc = find(hart, id, e);

	rc = rc ? rc : attr_range(base, count);
	if (!rc && (hi || !memmap_os_buffer_ok(lo, 8UL * count, 8))) {
		rc = SBI_ERR_INVALID_ADDRESS;
	}
	return rc;
}

long sse_read_attrs(unsigned long hart, uint32_t id, uint32_t base,
		    uint32_t count, unsigned long lo, unsigned long hi)
{
	unsigned long v[ATTR_COUNT];
	struct sse_event *e;
	long rc = attr_call(hart, id, base, count, lo, hi, &e);

	if (rc) {
		return rc;
	}
	take(e);
	for (uint32_t i = 0; i < count; i++) {
		v[i] = attr_value(e, base + i);
	}
	give(e);
	/* Checked again under the memmap lock as it copies. */
	return memmap_copy_to_os(lo, v, 8UL * count, 8)
		   ? SBI_ERR_INVALID_ADDRESS
		   : SBI_SUCCESS;
}

/* May S-mode write attribute a of e with v now (§17.3 access rules)?
 * Called under take(e). */
static long check_write(const struct sse_event *e, unsigned long self,
			unsigned int a, unsigned long v)
{
	bool quiet = e->state == SSE_UNUSED || e->state == SSE_REGISTERED;
	bool mine = e->state == SSE_RUNNING && e->hart == self;

	switch (a) {
	case ATTR_PRIORITY:
		return !quiet	 ? SBI_ERR_INVALID_STATE
		       : v >> 32 ? SBI_ERR_INVALID_PARAM
				 : SBI_SUCCESS;
	case ATTR_CONFIG:
		return !quiet		     ? SBI_ERR_INVALID_STATE
		       : v & ~CONFIG_ONESHOT ? SBI_ERR_INVALID_PARAM
					     : SBI_SUCCESS;
	case ATTR_PREFERRED_HART:
		return !is_global(e)	   ? SBI_ERR_DENIED
		       : !quiet		   ? SBI_ERR_INVALID_STATE
		       : hart_index(v) < 0 ? SBI_ERR_INVALID_PARAM
					   : SBI_SUCCESS;
	case ATTR_INTERRUPTED_FLAGS:
		return !mine		    ? SBI_ERR_INVALID_STATE
		       : v & ~flags_known() ? SBI_ERR_INVALID_PARAM
					    : SBI_SUCCESS;
	case ATTR_INTERRUPTED_SEPC:
	case ATTR_INTERRUPTED_A6:
	case ATTR_INTERRUPTED_A7:
		return mine ? SBI_SUCCESS : SBI_ERR_INVALID_STATE;
	default: /* STATUS, ENTRY_PC, ENTRY_ARG */
		return SBI_ERR_DENIED;
	}
}

static void set_attr(struct sse_event *e, unsigned int a, unsigned long v)
{
	switch (a) {
	case ATTR_PRIORITY:
		e->priority = (uint32_t)v;
		break;
	case ATTR_CONFIG:
		e->config = v;
		break;
	case ATTR_PREFERRED_HART:
		e->hart = (unsigned long)hart_index(v); /* checked */
		break;
	case ATTR_INTERRUPTED_SEPC:
		e->i_sepc = v;
		break;
	case ATTR_INTERRUPTED_FLAGS:
		e->i_flags = v;
		break;
	case ATTR_INTERRUPTED_A6:
		e->i_a6 = v;
		break;
	default:
		e->i_a7 = v;
		break;
	}
}

long sse_write_attrs(unsigned long hart, uint32_t id, uint32_t base,
		     uint32_t count, unsigned long lo, unsigned long hi)
{
	unsigned long v[ATTR_COUNT];
	struct sse_event *e;
	long rc = attr_call(hart, id, base, count, lo, hi, &e);

	if (rc) {
		return rc;
	}
	/* Read once, then checked and applied from the monitor's copy. */
	if (memmap_copy_from_os(v, lo, 8UL * count, 8)) {
		return SBI_ERR_INVALID_ADDRESS;
	}
	take(e);
	for (uint32_t i = 0; !rc && i < count; i++) {
		rc = check_write(e, hart, base + i, v[i]);
	}
	for (uint32_t i = 0; !rc && i < count; i++) {
		set_attr(e, base + i, v[i]);
	}
	give(e);
	return rc;
}

/* An entry point S-mode runs bare is a physical address: it must be OS
 * RAM. With paging on it is a virtual one, which PMP governs. */
static bool entry_ok(unsigned long pc)
{
	if (pc & 1) {
		return false;
	}
	return arch_read_satp() >> 60 || memmap_os_buffer_ok(pc, 2, 2);
}

long sse_register(unsigned long hart, uint32_t id, unsigned long pc,
		  unsigned long arg)
{
	struct sse_event *e;
	long rc = find(hart, id, &e);

	if (rc) {
		return rc;
	}
	if (!entry_ok(pc)) {
		return SBI_ERR_INVALID_PARAM;
	}
	take(e);
	if (e->state != SSE_UNUSED) {
		rc = SBI_ERR_INVALID_STATE;
	} else {
		e->entry_pc = pc;
		e->entry_arg = arg;
		e->state = SSE_REGISTERED;
	}
	give(e);
	return rc;
}

/* One state change from -> to, the only change these calls make. */
static long transition(unsigned long hart, uint32_t id, uint8_t from,
		       uint8_t to)
{
	struct sse_event *e;
	unsigned long target;
	long rc = find(hart, id, &e);

	if (rc) {
		return rc;
	}
	take(e);
	if (e->state != from) {
		rc = SBI_ERR_INVALID_STATE;
	} else {
		e->state = to;
	}
	target = e->hart;
	give(e);
	if (e == &local_pmu[hart]) {
		route_overflow(hart);
	}
	if (!rc && to == SSE_ENABLED) {
		poke(hart, target); /* it may be pending already */
	}
	return rc;
}

long sse_unregister(unsigned long hart, uint32_t id)
{
	return transition(hart, id, SSE_REGISTERED, SSE_UNUSED);
}

long sse_enable(unsigned long hart, uint32_t id)
{
	return transition(hart, id, SSE_REGISTERED, SSE_ENABLED);
}

long sse_disable(unsigned long hart, uint32_t id)
{
	return transition(hart, id, SSE_ENABLED, SSE_REGISTERED);
}

long sse_inject(unsigned long hart, uint32_t id, unsigned long target_id)
{
	long t = hart_index(target_id);
	unsigned long target = t < 0 ? 0 : (unsigned long)t;
	struct sse_event *e;
	long rc;

	if (id == SSE_EVENT_LOCAL_SW && t < 0) {
		return SBI_ERR_INVALID_PARAM;
	}
	rc = find(id == SSE_EVENT_LOCAL_SW ? target : hart, id, &e);
	if (rc) {
		return rc;
	}
	if (e->id == SSE_EVENT_PMU_OVERFLOW) {
		return SBI_ERR_INVALID_PARAM; /* STATUS: not injectable */
	}
	take(e);
	__atomic_store_n(&e->pending, 1, __ATOMIC_RELEASE);
	target = e->hart;
	give(e);
	poke(hart, target);
	return SBI_SUCCESS;
}

long sse_hart_unmask(unsigned long hart)
{
	if (unmasked[hart]) {
		return SBI_ERR_ALREADY_STARTED;
	}
	unmasked[hart] = true;
	__atomic_store_n(arch_sse_flag(hart), 1, __ATOMIC_RELEASE);
	return SBI_SUCCESS;
}

long sse_hart_mask(unsigned long hart)
{
	if (!unmasked[hart]) {
		return SBI_ERR_ALREADY_STOPPED;
	}
	unmasked[hart] = false;
	return SBI_SUCCESS;
}

/* Does a outrank b (§17.2: lower priority value, then lower ID)? */
static bool outranks(const struct sse_event *a, const struct sse_event *b)
{
	return !b || a->priority < b->priority ||
	       (a->priority == b->priority && a->id < b->id);
}

/* The events hart h can take or is running: its local one and the
 * global one when h is its hart. Called under the SSE lock. */
static unsigned int hart_events(unsigned long h, struct sse_event *ev[3])
{
	unsigned int n = 0;

	ev[n++] = &local_sw[h];
	ev[n++] = &local_pmu[h];
	if (global_sw.hart == h && global_sw.state != SSE_UNUSED) {
		ev[n++] = &global_sw;
	}
	return n;
}

/* The highest-priority event in state st (and pending, if asked). */
static struct sse_event *best(unsigned long h, uint8_t st, bool pending)
{
	struct sse_event *ev[3], *b = NULL;
	unsigned int n = hart_events(h, ev);

	for (unsigned int i = 0; i < n; i++) {
		if (ev[i]->state == st &&
		    (!pending ||
		     __atomic_load_n(&ev[i]->pending, __ATOMIC_ACQUIRE)) &&
		    outranks(ev[i], b)) {
			b = ev[i];
		}
	}
	return b;
}

/*
 * §17.4 with H: the handler runs in HS-mode whatever was interrupted.
 * hstatus.SPV/SPVP take the interrupted virtualization mode and guest
 * privilege, as a trap into HS-mode would set them; their old values go
 * to INTERRUPTED_FLAGS, which this returns.
 */
static unsigned long enter_virt(void)
{
	unsigned long hs, flags;
	bool v;

	if (!arch_has_h()) {
		return 0;
	}
	hs = arch_read_hstatus();
	v = arch_trap_virt();
	flags = (hs & ARCH_HSTATUS_SPV ? FLAGS_SPV : 0) |
		(hs & ARCH_HSTATUS_SPVP ? FLAGS_SPVP : 0);
	if (v) {
		hs |= ARCH_HSTATUS_SPV;
		hs &= ~ARCH_HSTATUS_SPVP;
		hs |= arch_trap_to_s() ? ARCH_HSTATUS_SPVP : 0;
	} else {
		hs &= ~ARCH_HSTATUS_SPV;
	}
	arch_write_hstatus(hs);
	arch_set_trap_virt(false);
	return flags;
}

/* §17.5 with H: back to the virtualization mode hstatus.SPV names, and
 * SPV/SPVP back to what they were when the event came. */
static void resume_virt(unsigned long flags)
{
	unsigned long hs;

	if (!arch_has_h()) {
		return;
	}
	hs = arch_read_hstatus();
	arch_set_trap_virt(hs & ARCH_HSTATUS_SPV);
	hs &= ~(ARCH_HSTATUS_SPV | ARCH_HSTATUS_SPVP);
	hs |= flags & FLAGS_SPV ? ARCH_HSTATUS_SPV : 0;
	hs |= flags & FLAGS_SPVP ? ARCH_HSTATUS_SPVP : 0;
	arch_write_hstatus(hs);
}

/* §17.4: save the interrupted context in e, then enter its handler. */
static void enter(struct sse_event *e, unsigned long h, unsigned long *a6,
		  unsigned long *a7)
{
	unsigned long st = arch_read_sstatus();
	bool sie = st & ARCH_SSTATUS_SIE;

	e->i_sepc = arch_read_sepc();
	e->i_flags = (st & ARCH_SSTATUS_SPP ? FLAGS_SPP : 0) |
		     (st & ARCH_SSTATUS_SPIE ? FLAGS_SPIE : 0) | enter_virt();
	e->i_a6 = *a6;
	e->i_a7 = *a7;
	*a6 = h;
	*a7 = e->entry_arg;
	arch_write_sepc(arch_trap_pc());
	st &= ~(ARCH_SSTATUS_SPP | ARCH_SSTATUS_SPIE | ARCH_SSTATUS_SIE);
	st |= arch_trap_to_s() ? ARCH_SSTATUS_SPP : 0;
	st |= sie ? ARCH_SSTATUS_SPIE : 0;
	arch_write_sstatus(st);
	arch_set_trap_pc(e->entry_pc);
	arch_set_trap_to_s(true);
	__atomic_store_n(&e->pending, 0, __ATOMIC_RELAXED);
	e->state = SSE_RUNNING;
}

void sse_enter_due(unsigned long hart, unsigned long *a6, unsigned long *a7)
{
	struct sse_event *due, *running;

	__atomic_store_n(arch_sse_flag(hart), 0, __ATOMIC_RELAXED);
	if (!unmasked[hart]) {
		return; /* unmask sets the flag again */
	}
	lock_acquire(&sse_lock);
	due = best(hart, SSE_ENABLED, true);
	running = best(hart, SSE_RUNNING, false);
	if (due && outranks(due, running)) {
		enter(due, hart, a6, a7);
	}
	lock_release(&sse_lock);
}

/* §17.5: resume what the event interrupted. */
static void resume(struct sse_event *e, unsigned long *a6, unsigned long *a7)
{
	unsigned long st = arch_read_sstatus();
	unsigned long pc = arch_read_sepc();
	bool to_s = st & ARCH_SSTATUS_SPP;
	bool spie = st & ARCH_SSTATUS_SPIE;

	st &= ~(ARCH_SSTATUS_SIE | ARCH_SSTATUS_SPIE | ARCH_SSTATUS_SPP);
	st |= spie ? ARCH_SSTATUS_SIE : 0;
	st |= e->i_flags & FLAGS_SPIE ? ARCH_SSTATUS_SPIE : 0;
	st |= e->i_flags & FLAGS_SPP ? ARCH_SSTATUS_SPP : 0;
	arch_write_sstatus(st);
	*a7 = e->i_a7;
	*a6 = e->i_a6;
	arch_write_sepc(e->i_sepc);
	arch_set_trap_pc(pc);
	arch_set_trap_to_s(to_s);
	resume_virt(e->i_flags);
	e->state = e->config & CONFIG_ONESHOT ? SSE_REGISTERED : SSE_ENABLED;
}

bool sse_complete(unsigned long hart, unsigned long *a6, unsigned long *a7)
{
	struct sse_event *e;

	lock_acquire(&sse_lock);
	e = best(hart, SSE_RUNNING, false);
	if (e) {
		resume(e, a6, a7);
	}
	lock_release(&sse_lock);
	if (e) {
		/* A preempted event, or this one pending again, may be due. */
		__atomic_store_n(arch_sse_flag(hart), 1, __ATOMIC_RELEASE);
		route_overflow(hart); /* a one-shot overflow event ended */
	}
	return e != NULL;
}

void sse_pmu_overflow(unsigned long hart)
{
	__atomic_store_n(&local_pmu[hart].pending, 1, __ATOMIC_RELEASE);
	__atomic_store_n(arch_sse_flag(hart), 1, __ATOMIC_RELEASE);
}
