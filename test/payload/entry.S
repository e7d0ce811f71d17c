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

	/* Harts parked by a benchmark (bench.c): no stack, S interrupts
	 * off, asleep; the monitor's requests still reach them in M-mode. */
	.globl pl_park_entry
pl_park_entry:
	csrw	sie, zero
4:	wfi
	j	4b

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

/*
 * pl_paging_continue(satp, voff, fn): load satp and call fn at the same
 * code voff higher, on the same stack seen voff higher; never returns.
 * The fetch after the satp write faults (the low alias is not mapped), and
 * stvec catches it at the high alias: the trick Linux uses to turn on its
 * MMU. Nothing computed before (return addresses, pointers in registers)
 * survives, which is why fn starts afresh.
 */
	.globl pl_paging_continue
pl_paging_continue:
	la	t0, 1f
	add	t0, t0, a1
	csrw	stvec, t0
	add	sp, sp, a1
	add	a2, a2, a1
	sfence.vma
	csrw	satp, a0
	nop
	.balign 4
1:	la	t0, pl_trap_entry
	csrw	stvec, t0
	sfence.vma
	jalr	a2
2:	wfi
	j	2b

/*
 * pl_user_run(user_pc): sret to U-mode at user_pc and come back here on
 * the first trap from U-mode, returning scause (stval in pl_user_tval).
 * The S context lives in pl_user_ctx; stvec points at pl_user_trap while
 * the user code runs.
 */
	.globl pl_user_run
pl_user_run:
	li	a1, 0
	/* fall through */

/*
 * pl_lower_run(pc, guest): as pl_user_run, or with guest set, sret into
 * VS-mode (hstatus.SPV and SPVP, sstatus.SPP = S) with whatever hgatp
 * and vsatp hold; the trap that ends it leaves hstatus in pl_user_hstatus
 * and SPV cleared again.
 */
	.globl pl_lower_run
pl_lower_run:
	la	t0, pl_user_ctx
	sd	a1, 128(t0)
	sd	ra, 0(t0)
	sd	sp, 8(t0)
	sd	s0, 16(t0)
	sd	s1, 24(t0)
	sd	s2, 32(t0)
	sd	s3, 40(t0)
	sd	s4, 48(t0)
	sd	s5, 56(t0)
	sd	s6, 64(t0)
	sd	s7, 72(t0)
	sd	s8, 80(t0)
	sd	s9, 88(t0)
	sd	s10, 96(t0)
	sd	s11, 104(t0)
	sd	gp, 112(t0)
	sd	tp, 120(t0)
	la	t0, pl_user_trap
	csrw	stvec, t0
	csrw	sepc, a0
	li	t0, (1 << 8) | (1 << 5)	/* SPP = U, SPIE = 0 */
	csrc	sstatus, t0
	beqz	a1, 1f
	li	t0, 1 << 8		/* SPP = S: VS-mode */
	csrs	sstatus, t0
	li	t0, (1 << 7) | (1 << 8)	/* hstatus (0x600): SPV, SPVP */
	csrs	0x600, t0
1:	sret
	.balign 4
pl_user_trap:
	la	t0, pl_user_ctx
	ld	ra, 0(t0)
	ld	sp, 8(t0)
	ld	s0, 16(t0)
	ld	s1, 24(t0)
	ld	s2, 32(t0)
	ld	s3, 40(t0)
	ld	s4, 48(t0)
	ld	s5, 56(t0)
	ld	s6, 64(t0)
	ld	s7, 72(t0)
	ld	s8, 80(t0)
	ld	s9, 88(t0)
	ld	s10, 96(t0)
	ld	s11, 104(t0)
	ld	gp, 112(t0)
	ld	tp, 120(t0)
	csrr	t1, stval
	la	t0, pl_user_tval
	sd	t1, 0(t0)
	la	t0, pl_user_ctx
	ld	t1, 128(t0)
	beqz	t1, 1f
	csrr	t1, 0x600
	la	t0, pl_user_hstatus
	sd	t1, 0(t0)
	li	t0, 1 << 7
	csrc	0x600, t0
	csrr	t1, sepc
	la	t0, pl_user_epc
	sd	t1, 0(t0)
1:
	la	t0, pl_trap_entry
	csrw	stvec, t0
	csrr	a0, scause
	ret

/* The U-mode program, copied to a user page: reads 0x20000, writes
 * value + 1 to 0x20008, then loads 0x30000, which is not mapped. */
	/* The U-mode hypervisor load: hlv.d of the guest-physical address
	 * in pl_user_hlv_gpa (priv §8.3.1; hstatus.HU lets U-mode make it),
	 * then an ecall, so that a load that worked ends in cause 8. */
	.globl pl_user_hlv_prog, pl_user_hlv_gpa, pl_user_hlv_prog_end
	.option push
	.option norvc	/* fixed sizes: the word is at offset 24 */
	.option norelax
	.balign 8
pl_user_hlv_prog:
	auipc	t1, 0
	ld	t0, 24(t1)	/* pl_user_hlv_gpa (ptm_cases.c checks) */
	.insn i 0x73, 4, a0, t0, 0x6c0
	ecall
1:	j	1b
	.balign 8
pl_user_hlv_gpa:
	.dword	0
pl_user_hlv_prog_end:
	.option pop

	.globl pl_user_prog, pl_user_prog_end
pl_user_prog:
	lui	t0, 0x20
	ld	a0, 0(t0)
	addi	a0, a0, 1
	sd	a0, 8(t0)
	lui	t1, 0x30
	ld	a1, 0(t1)
1:	j	1b
pl_user_prog_end:

	/* Guest programs (pl_lower_run into VS-mode). */
	.globl pl_guest_ecall, pl_guest_virtual, pl_guest_illegal
	.balign 4096	/* one page of guest code, mapped by a G-stage leaf */
pl_guest_ecall:
	ecall
1:	j	1b
pl_guest_virtual:
	csrr	a0, 0x600	/* hstatus from VS-mode */
1:	j	1b
pl_guest_illegal:
	csrr	a0, mscratch
1:	j	1b
	.globl pl_guest_load
pl_guest_load:		/* a GPA no G-stage leaf maps (2 MiB) */
	lui	t0, 0x200
	ld	a0, 0(t0)
1:	j	1b

	/* Probes: one 4-byte instruction each, so a trap resumes at +4. */
	.globl pl_probe_satp
pl_probe_satp:		/* a0 = new satp; returns the old one */
	csrrw	a0, satp, a0
	ret
	.globl pl_probe_sfence
pl_probe_sfence:
	sfence.vma
	ret
	.globl pl_probe_load
pl_probe_load:		/* a0 = address; returns the loaded value */
	ld	a0, 0(a0)
	ret
	.globl pl_probe_store
pl_probe_store:		/* a0 = address, a1 = value */
	sd	a1, 0(a0)
	ret
	.globl pl_probe_store32
pl_probe_store32:	/* a0 = address, a1 = value: a 32-bit store (MSIP) */
	sw	a1, 0(a0)
	ret
	.globl pl_probe_csrr_mscratch
pl_probe_csrr_mscratch:
	csrr	a0, mscratch
	ret
	.globl pl_probe_hlv
pl_probe_hlv:		/* a0 = hlv.d (a0): a load as the guest would make it */
	.insn i 0x73, 4, a0, a0, 0x6c0
	ret
	.globl pl_probe_hgatp
pl_probe_hgatp:		/* a0 = new hgatp; returns the old one */
	csrrw	a0, 0x680, a0
	ret
	/*
	 * SSE handler (SBI v3.0 §17.4): a6 = hart id, a7 = ENTRY_ARG, the
	 * address of a struct pl_sse_record. Counts the entry, notes a6 and
	 * the interrupted sepc, and completes; only a0 is borrowed (saved in
	 * the record), since complete restores a6 and a7 itself.
	 */
	.globl pl_sse_handler
	.balign 4
pl_sse_handler:
	sd	a0, 24(a7)
	ld	a0, 0(a7)
	addi	a0, a0, 1
	sd	a0, 0(a7)
	sd	a6, 8(a7)
	csrr	a0, sepc
	sd	a0, 16(a7)
	ld	a0, 24(a7)
	li	a6, 6			/* sbi_sse_complete */
	li	a7, 0x535345		/* "SSE" */
	ecall
1:	j	1b			/* complete does not return here */
	/* A breakpoint target for DBTR: 4-byte instructions, so the trap
	 * handler's sepc + 4 lands on the next one. */
	.globl pl_dbtr_target
	.option push
	.option norvc
pl_dbtr_target:
	addi	a0, zero, 1
	addi	a0, a0, 1
	ret
	.option pop
	.globl pl_probe_csrr_hpm3
pl_probe_csrr_hpm3:
	csrr	a0, hpmcounter3
	ret
	.globl pl_probe_illegal_insn
pl_probe_illegal_insn:	/* the bits QEMU reports in stval */
	li	a0, 0x34002573	/* csrr a0, mscratch */
	ret
