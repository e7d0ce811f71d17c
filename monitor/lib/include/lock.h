/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A test-and-set spinlock. M-mode runs with interrupts off, so a holder is
 * never preempted; critical sections are short (one console line, one buffer
 * copy, one PMP plan copy). The lock order of the monitor is written in
 * monitor/memmap/memmap.h.
 */
#ifndef SECMON_LIB_LOCK_H
#define SECMON_LIB_LOCK_H

struct lock {
	int held;
};

#define LOCK_INIT                                                              \
	{                                                                      \
		0                                                              \
	}

static inline void lock_acquire(struct lock *l)
{
	while (__atomic_exchange_n(&l->held, 1, __ATOMIC_ACQUIRE)) {
		while (__atomic_load_n(&l->held, __ATOMIC_RELAXED)) {
		}
	}
}

static inline void lock_release(struct lock *l)
{
	__atomic_store_n(&l->held, 0, __ATOMIC_RELEASE);
}

#endif
