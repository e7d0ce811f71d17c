/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Reset entry. QEMU virt starts every hart here at once with a0 = hartid,
 * a1 = FDT, a2 = fw_dynamic_info. No hart has a stack yet: the monitor
 * window holds one boot stack, and the others live in the per-hart region
 * the boot hart sizes from the device tree (boot.c).
 *
 * 1. Harts take turns on the boot stack (boot_stack_lock) to ask
 *    boot_claim() whether they are the boot hart; the one chosen never
 *    comes back and keeps the stack.
 * 2. Every other hart sleeps in wfi, with only MSIP enabled in mie (and
 *    mstatus.MIE clear, so it wakes without a trap), until boot_harts is
 *    published; a few hundred harts spinning would starve the boot hart.
 * 3. It then looks its hartid up in the hart table: its index there picks
 *    its stack. A hart the table lacks never runs C: it parks.
 */
#include "layout.h"

	.section .text.entry, "ax"
	.globl _start
_start:
	csrw	mie, zero
	csrw	mscratch, zero
	la	t0, trap_entry
	csrw	mtvec, t0
	mv	s0, a0
	mv	s1, a1
	mv	s2, a2

claim:
	la	t0, boot_claimed
	lw	t1, 0(t0)
	bnez	t1, wait_table
	la	t0, boot_stack_lock
	li	t1, 1
	amoswap.w.aq t1, t1, (t0)
	bnez	t1, claim
	la	t0, boot_claimed
	lw	t1, 0(t0)
	bnez	t1, unclaim
	la	sp, boot_stack + HART_STACK_SIZE - TRAP_FRAME_SIZE
	mv	a0, s0
	mv	a1, s1
	mv	a2, s2
	call	boot_claim
unclaim:
	/* Not the boot hart: give the stack back. */
	la	t0, boot_stack_lock
	amoswap.w.rl zero, zero, (t0)

wait_table:
	li	t0, 1 << 3		/* MSIE */
	csrw	mie, t0
	la	t0, boot_harts
1:	ld	t1, BOOT_HARTS_READY(t0)
	bnez	t1, 2f
	wfi
	j	1b
2:	fence	r, rw
	csrw	mie, zero
	ld	t1, BOOT_HARTS_N(t0)
	ld	t2, BOOT_HARTS_TABLE(t0)
	li	t3, 0
3:	beq	t3, t1, park
	ld	t4, 0(t2)
	beq	t4, s0, 4f
	addi	t3, t3, 1
	addi	t2, t2, BOOT_HART_SIZE
	j	3b
4:	ld	t2, BOOT_HARTS_STACKS(t0)
	addi	t4, t3, 1
	li	t5, HART_STACK_SIZE
	mul	t4, t4, t5
	add	sp, t2, t4
	addi	sp, sp, -TRAP_FRAME_SIZE
	mv	a0, t3
	call	boot_secondary

	/* Not in the table (past SECMON_HART_CAP, or not in the tree). */
park:
	csrw	mie, zero
5:	wfi
	j	5b
