/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Reset entry. QEMU virt starts every hart here at once with a0 = hartid,
 * a1 = FDT, a2 = fw_dynamic_info. No hart has a stack yet: the monitor
 * window holds one boot stack, and the others live in the per-hart region
 * the boot hart sizes from the device tree (boot.c).
 *
 * 1. The boot hart is fw_dynamic_info's boot_hart when a2 points at a
 *    valid v2 block that names one (QEMU names hart 0), else the first
 *    hart to swap boot_claimed. It alone takes the boot stack and runs
 *    boot_claim(). No hart spins here: with hundreds of harts and a few
 *    host cores under QEMU, spinners would starve the boot hart.
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

	/* t0 <- the preferred boot hart, or -1. */
	li	t0, -1
	beqz	a2, 1f
	andi	t1, a2, 7
	bnez	t1, 1f
	ld	t1, 0(a2)
	li	t2, FW_DYN_MAGIC
	bne	t1, t2, 1f
	ld	t1, FW_DYN_VERSION(a2)
	li	t2, 2
	bltu	t1, t2, 1f
	ld	t0, FW_DYN_BOOT_HART(a2)
1:	li	t1, -1
	beq	t0, t1, lottery
	bne	t0, s0, wait_table
	la	t0, boot_claimed
	li	t1, 1
	amoswap.w.aq zero, t1, (t0)
	j	claimed
lottery:
	la	t0, boot_claimed
	li	t1, 1
	amoswap.w.aq t1, t1, (t0)
	bnez	t1, wait_table
claimed:
	la	sp, boot_stack + HART_STACK_SIZE - TRAP_FRAME_SIZE
	mv	a0, s0
	mv	a1, s1
	mv	a2, s2
	call	boot_claim

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
