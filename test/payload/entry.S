/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * S-mode payload entry. The boot hart arrives at _start from the monitor
 * (a0 = hartid, a1 = FDT); harts started through HSM arrive at
 * pl_secondary_entry with a1 = the opaque value (unused). Each hart uses
 * the stack of its hartid. S-mode traps go to pl_trap_entry, which saves
 * the caller-saved state, lets C record the trap and pick the resume pc.
 */
#define STACK_SIZE 8192

	.section .text.entry, "ax"
	.option norvc
	.globl _start
_start:
	la	t0, _bss_start
	la	t1, _bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	call	set_stack
	call	pl_main
3:	wfi
	j	3b

	.globl pl_secondary_entry
pl_secondary_entry:
	call	set_stack
	call	pl_secondary
	j	3b

	/* Resume point of non-retentive and system suspend. */
	.globl pl_resume_entry
pl_resume_entry:
	call	set_stack
	call	pl_resumed
	j	3b

/* sp <- top of the stack for hartid a0; keeps a0/a1. */
set_stack:
	addi	t0, a0, 1
	li	t1, STACK_SIZE
	mul	t0, t0, t1
	la	sp, pl_stacks
	add	sp, sp, t0
	la	t0, pl_trap_entry
	csrw	stvec, t0
	ret

	.balign 4
	.globl pl_trap_entry
pl_trap_entry:
	addi	sp, sp, -128
	sd	ra, 0(sp)
	sd	t0, 8(sp)
	sd	t1, 16(sp)
	sd	t2, 24(sp)
	sd	a0, 32(sp)
	sd	a1, 40(sp)
	sd	a2, 48(sp)
	sd	a3, 56(sp)
	sd	a4, 64(sp)
	sd	a5, 72(sp)
	sd	a6, 80(sp)
	sd	a7, 88(sp)
	sd	t3, 96(sp)
	sd	t4, 104(sp)
	sd	t5, 112(sp)
	sd	t6, 120(sp)
	call	pl_trap
	ld	ra, 0(sp)
	ld	t0, 8(sp)
	ld	t1, 16(sp)
	ld	t2, 24(sp)
	ld	a0, 32(sp)
	ld	a1, 40(sp)
	ld	a2, 48(sp)
	ld	a3, 56(sp)
	ld	a4, 64(sp)
	ld	a5, 72(sp)
	ld	a6, 80(sp)
	ld	a7, 88(sp)
	ld	t3, 96(sp)
	ld	t4, 104(sp)
	ld	t5, 112(sp)
	ld	t6, 120(sp)
	addi	sp, sp, 128
	sret

	/* Probes: one 4-byte instruction each, so a trap resumes at +4. */
	.globl pl_probe_load
pl_probe_load:		/* a0 = address; returns the loaded value */
	ld	a0, 0(a0)
	ret
	.globl pl_probe_store
pl_probe_store:		/* a0 = address, a1 = value */
	sd	a1, 0(a0)
	ret
	.globl pl_probe_csrr_mscratch
pl_probe_csrr_mscratch:
	csrr	a0, mscratch
	ret
	.globl pl_probe_illegal_insn
pl_probe_illegal_insn:	/* the bits QEMU reports in stval */
	li	a0, 0x34002573	/* csrr a0, mscratch */
	ret
