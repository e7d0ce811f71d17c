/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * M-mode trap entry and exit, and the two ways out of M-mode.
 *
 * While a hart runs S/U code, mscratch holds its trap frame, which sits at
 * the top of its monitor stack; the C handler runs on the stack just below.
 * While the hart is in the monitor, mscratch is 0: a trap that finds 0
 * there came from the monitor itself and is fatal.
 */
#include "layout.h"

#define SAVE(r, n) sd x##r, TF_REG(n)(sp)
#define LOAD(r, n) ld x##r, TF_REG(n)(sp)

	.section .text.trap, "ax"
	.balign 4
	.globl trap_entry
trap_entry:
	csrrw	sp, mscratch, sp
	beqz	sp, trap_from_monitor
	/* Caller-saved registers first: enough for the C calling convention,
	 * which preserves s0-s11 (the monitor never uses gp or tp). */
	SAVE(1, 1)
	SAVE(5, 5); SAVE(6, 6); SAVE(7, 7)
	SAVE(10, 10); SAVE(11, 11); SAVE(12, 12); SAVE(13, 13); SAVE(14, 14)
	SAVE(15, 15); SAVE(16, 16); SAVE(17, 17)
	SAVE(28, 28); SAVE(29, 29); SAVE(30, 30); SAVE(31, 31)
	csrrw	t0, mscratch, zero
	sd	t0, TF_REG(2)(sp)
#ifdef SECMON_PROFILE
	csrr	t0, minstret
	sd	t0, TF_REG(0)(sp)
#endif
	csrr	t0, mcause
	li	t1, 9			/* ecall from S-mode: the fast path */
	bne	t0, t1, trap_slow
	csrr	t0, mepc
	addi	t0, t0, 4
	csrw	mepc, t0
	mv	a0, sp
	call	trap_ecall
	j	trap_exit_check

trap_slow:
	/* Everything else gets the full frame (redirects, fault reports and
	 * instruction emulation may read any register). */
	SAVE(3, 3); SAVE(4, 4); SAVE(8, 8); SAVE(9, 9)
	SAVE(18, 18); SAVE(19, 19); SAVE(20, 20); SAVE(21, 21); SAVE(22, 22)
	SAVE(23, 23); SAVE(24, 24); SAVE(25, 25); SAVE(26, 26); SAVE(27, 27)
	mv	a0, sp
	call	trap_handler
	LOAD(3, 3); LOAD(4, 4); LOAD(8, 8); LOAD(9, 9)
	LOAD(18, 18); LOAD(19, 19); LOAD(20, 20); LOAD(21, 21); LOAD(22, 22)
	LOAD(23, 23); LOAD(24, 24); LOAD(25, 25); LOAD(26, 26); LOAD(27, 27)

trap_exit_check:
	/* An SSE event may be due on the way back (monitor/sse): a word in
	 * this hart's frame says whether to look. C below keeps s0-s11. */
	ld	t1, TF_SSE_DUE(sp)
	bnez	t1, trap_sse

trap_restore_caller_saved:
	/* sp is the frame again (callee-saved). */
#ifdef SECMON_PROFILE
	/* Eleven instructions of their own per trap, counted too. */
	csrr	t0, minstret
	ld	t1, TF_REG(0)(sp)
	sub	t0, t0, t1
	ld	t1, TF_MINSNS(sp)
	add	t1, t1, t0
	sd	t1, TF_MINSNS(sp)
	ld	t1, TF_ENTRIES(sp)
	addi	t1, t1, 1
	sd	t1, TF_ENTRIES(sp)
#endif
	csrw	mscratch, sp
	LOAD(1, 1)
	LOAD(5, 5); LOAD(6, 6); LOAD(7, 7)
	LOAD(10, 10); LOAD(11, 11); LOAD(12, 12); LOAD(13, 13); LOAD(14, 14)
	LOAD(15, 15); LOAD(16, 16); LOAD(17, 17)
	LOAD(28, 28); LOAD(29, 29); LOAD(30, 30); LOAD(31, 31)
	LOAD(2, 2)
	mret

trap_sse:
	mv	a0, sp
	call	trap_sse_exit
	j	trap_restore_caller_saved

trap_from_monitor:
	/* Undo the swap (sp back, mscratch 0) and report on this stack. */
	csrrw	sp, mscratch, sp
	addi	sp, sp, -TRAP_FRAME_SIZE
	SAVE(1, 1)
	SAVE(3, 3); SAVE(4, 4); SAVE(5, 5); SAVE(6, 6); SAVE(7, 7)
	SAVE(8, 8); SAVE(9, 9); SAVE(10, 10); SAVE(11, 11); SAVE(12, 12)
	SAVE(13, 13); SAVE(14, 14); SAVE(15, 15); SAVE(16, 16); SAVE(17, 17)
	SAVE(18, 18); SAVE(19, 19); SAVE(20, 20); SAVE(21, 21); SAVE(22, 22)
	SAVE(23, 23); SAVE(24, 24); SAVE(25, 25); SAVE(26, 26); SAVE(27, 27)
	SAVE(28, 28); SAVE(29, 29); SAVE(30, 30); SAVE(31, 31)
	addi	t0, sp, TRAP_FRAME_SIZE
	sd	t0, TF_REG(2)(sp)
	csrr	t0, mhartid
	sd	t0, TF_HART(sp)
	mv	a0, sp
	call	trap_fatal

/* t1 <- the trap frame of the stack sp is on: every hart stack is
 * HART_STACK_SIZE bytes, aligned to its size, with the frame on top
 * (boot.c). Clobbers t2. */
.macro frame_of_stack
	li	t2, HART_STACK_SIZE - 1
	or	t1, sp, t2
	addi	t1, t1, 1 - TRAP_FRAME_SIZE
.endm

	.text
	/* rv_enter_smode(addr, a0, a1), on the hart's own stack */
	.globl rv_enter_smode
rv_enter_smode:
	frame_of_stack
	csrw	mscratch, t1
	csrw	mepc, a0
	/* MPP = S, MPIE = 0, SIE = 0, SPIE = 0, MPRV = 0, MPV = 0 (HS, not
	 * a guest: priv spec v1.12 §8.2.10) */
	li	t0, (3 << 11) | (1 << 7) | (1 << 1) | (1 << 5) | (1 << 17) | (1 << 39)
	csrc	mstatus, t0
	li	t0, (1 << 11)
	csrs	mstatus, t0
	csrw	satp, zero
	sfence.vma
	fence.i
	mv	a0, a1
	mv	a1, a2
	mret

	/*
	 * unsigned long rv_trig_probe(void): triggers on this hart, counted
	 * through tselect until it does not take the index or tdata1's type
	 * says "none" (0) or "not available" (15). A hart without Sdtrig
	 * traps on the first tselect access; mtvec points below meanwhile,
	 * so that trap returns 0 instead of reaching trap_entry.
	 */
	.globl rv_trig_probe
rv_trig_probe:
	csrr	t0, mtvec
	la	t1, 3f
	csrw	mtvec, t1
	li	a0, 0
	li	t3, 15
1:	csrw	tselect, a0
	csrr	t2, tselect
	bne	t2, a0, 2f
	csrr	t2, tdata1
	srli	t2, t2, 60
	beqz	t2, 2f
	beq	t2, t3, 2f
	addi	a0, a0, 1
	li	t2, 64
	bltu	a0, t2, 1b
2:	csrw	mtvec, t0
	ret
	.balign 4
3:	li	a0, 0
	j	2b

	/* unsigned long rv_trig_tinfo(i): tinfo of trigger i, 0 if absent. */
	.globl rv_trig_tinfo
rv_trig_tinfo:
	csrr	t0, mtvec
	la	t1, 3f
	csrw	mtvec, t1
	csrw	tselect, a0
	li	a0, 0
	csrr	a0, tinfo
2:	csrw	mtvec, t0
	ret
	.balign 4
3:	li	a0, 0
	j	2b

	/* rv_park(hart): fresh stack, then boot_stopped_loop(hart). */
	.globl rv_park
rv_park:
	frame_of_stack
	mv	sp, t1
	csrw	mscratch, zero
	call	boot_stopped_loop
	/* not reached */
	.globl rv_halt
rv_halt:
	csrw	mie, zero
1:	wfi
	j	1b
