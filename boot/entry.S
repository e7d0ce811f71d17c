/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Reset entry. QEMU virt starts every hart here at once with a0 = hartid,
 * a1 = FDT, a2 = fw_dynamic_info. Each hart takes its own stack (indexed by
 * mhartid; stacks live outside .bss, so clearing .bss cannot pull one from
 * under a hart) and calls boot_main(), which picks the boot hart.
 */
#include "layout.h"

	.section .text.entry, "ax"
	.globl _start
_start:
	csrw	mie, zero
	csrw	mscratch, zero
	la	t0, trap_entry
	csrw	mtvec, t0
	csrr	t0, mhartid
	li	t1, SECMON_MAX_HARTS
	bgeu	t0, t1, 2f
	addi	t1, t0, 1
	li	t2, HART_STACK_SIZE
	mul	t1, t1, t2
	la	t2, hart_stacks
	add	sp, t1, t2
	addi	sp, sp, -TRAP_FRAME_SIZE
	mv	a0, t0
	call	boot_main
	/* A hart beyond the build's limit never runs C: park it. */
2:	wfi
	j	2b
