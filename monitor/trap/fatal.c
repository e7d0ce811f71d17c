// SPDX-License-Identifier: BSD-2-Clause
/*
 * A fault inside the monitor: say what, where and what to do, then park
 * this hart. Never reset silently; the state stays for a debugger.
 */
#include "arch_rv.h"
#include "console.h"

static const char *const cause_names[] = {
    "instruction address misaligned",
    "instruction access fault",
    "illegal instruction",
    "breakpoint",
    "load address misaligned",
    "load access fault",
    "store address misaligned",
    "store access fault",
    "ecall from U-mode",
    "ecall from S-mode",
    "reserved",
    "ecall from M-mode",
    "instruction page fault",
    "load page fault",
    "reserved",
    "store page fault",
};

static const char *const reg_names[32] = {
    "zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "s0", "s1", "a0",
    "a1",   "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
    "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

static const char *hint_for(unsigned long cause)
{
	switch (cause) {
	case 1:
	case 5:
	case 7:
		return "the monitor touched an address with no device or RAM; "
		       "check mtval against the memory map in the boot banner";
	case 2:
		return "the CPU lacks an instruction or CSR the monitor used; "
		       "check the ISA string in the device tree";
	case 4:
	case 6:
		return "misaligned access in the monitor: a pointer argument "
		       "was not validated";
	default:
		return "look up mepc in build/monitor.elf: "
		       "riscv64-unknown-elf-addr2line -e build/monitor.elf "
		       "<mepc>";
	}
}

void trap_fatal(struct trap_frame *tf)
{
	unsigned long cause = rv_mcause();
	unsigned long code = cause & ~(1UL << 63);
	const char *name = (long)cause < 0 ? "interrupt"
			   : code < 16	   ? cause_names[code]
					   : "unknown";

	con_printf("\nsecmon: FATAL: hart %lu: %s in M-mode (mcause 0x%lx)\n",
		   tf->hart, name, cause);
	con_printf("  mepc 0x%016lx  mtval 0x%016lx  mstatus 0x%016lx\n",
		   rv_mepc(), rv_mtval(), rv_mstatus());
	for (int i = 1; i < 32; i += 4) {
		con_printf(
		    "  %-4s %016lx  %-4s %016lx  %-4s %016lx  %-4s %016lx\n",
		    reg_names[i], tf->x[i], reg_names[i + 1], tf->x[i + 1],
		    reg_names[i + 2], tf->x[i + 2],
		    i + 3 < 32 ? reg_names[i + 3] : "",
		    i + 3 < 32 ? tf->x[i + 3] : 0);
	}
	con_printf("  hint: %s\n", hint_for(code));
	con_printf("secmon: hart %lu parked (attach gdb: ./tools/run --gdb)\n",
		   tf->hart);
	rv_halt();
}
