// SPDX-License-Identifier: BSD-2-Clause
/*
 * Every SBI function the monitor implements, one row each, with the
 * prototype the SBI v3.0 specification gives it. Binary encoding (§3):
 * an argument declared narrower than XLEN only has its low bits; whatever
 * S-mode left in the upper bits of the register is not part of it. Linux,
 * for one, passes a u32 sign-extended, so 0x80000000 arrives as
 * 0xffffffff80000000.
 *
 * For each narrow argument the row's call runs twice on a fresh machine,
 * once clean and once with garbage above the argument's width; everything
 * the monitor does (result, action, console output, MMIO writes) must be
 * the same. A wide argument may carry a probe: a value with upper bits set
 * whose result shows that those bits are read. Finally, every FID of an
 * implemented extension that has no row must be NOT_SUPPORTED, so the
 * table cannot silently miss a function.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "support.h"

enum arg_type {
	ARG_NONE = 0,
	ARG_UL, /* unsigned long or long: XLEN bits, all significant */
	ARG_U64, /* uint64_t: XLEN bits on RV64 */
	ARG_U32, /* uint32_t: upper 32 bits ignored */
	ARG_INT, /* int (legacy): upper 32 bits ignored */
	ARG_U8, /* uint8_t: upper 56 bits ignored */
};

struct fn_row {
	unsigned long eid, fid;
	const char *proto; /* as the specification writes it */
	const char *tree; /* test machine the call runs on */
	enum arg_type type[6];
	unsigned long arg[6]; /* the clean call */
	long err; /* what the clean call returns */
	int wide; /* 1 + index of a wide argument to probe, or 0 */
	unsigned long wide_val;
	long wide_err; /* what the call returns with wide_val there */
};

#define OS TEST_OS_ADDR
#define SSE_LOCAL 0xffff0000UL
#define NA ARG_NONE
#define UL ARG_UL

static const struct fn_row rows[] = {
    /* BASE (§4) */
    {SBI_EXT_BASE,
     SBI_BASE_GET_SPEC_VERSION,
     "sbi_get_spec_version(void)",
     "virt-1hart",
     {NA},
     {0},
     SBI_SUCCESS,
     0,
     0,
     0},
    {SBI_EXT_BASE,
     SBI_BASE_GET_IMPL_ID,
     "sbi_get_impl_id(void)",
     "virt-1hart",
     {NA},
     {0},
     SBI_SUCCESS,
     0,
     0,
     0},
    {SBI_EXT_BASE,
     SBI_BASE_GET_IMPL_VERSION,
     "sbi_get_impl_version(void)",
     "virt-1hart",
     {NA},
     {0},
     SBI_SUCCESS,
     0,
     0,
     0},
    {SBI_EXT_BASE,
     SBI_BASE_PROBE_EXT,
     "sbi_probe_extension(long extension_id)",
     "virt-1hart",
     {UL},
     {SBI_EXT_HSM},
     SBI_SUCCESS,
     0,
     0,
     0},
    {SBI_EXT_BASE,
     SBI_BASE_GET_MVENDORID,
     "sbi_get_mvendorid(void)",
     "virt-1hart",
     {NA},
     {0},
     SBI_SUCCESS,
     0,
     0,
     0},
    {SBI_EXT_BASE,
     SBI_BASE_GET_MARCHID,
     "sbi_get_marchid(void)",
     "virt-1hart",
     {NA},
     {0},
     SBI_SUCCESS,
     0,
     0,
     0},
    {SBI_EXT_BASE,
     SBI_BASE_GET_MIMPID,
     "sbi_get_mimpid(void)",
     "virt-1hart",
     {NA},
     {0},
     SBI_SUCCESS,
     0,
     0,
     0},
    /* Legacy console (§5): the pair kept; they return in a0 only. */
    {SBI_LEGACY_CONSOLE_PUTCHAR,
     0,
     "sbi_console_putchar(int ch)",
     "virt-1hart",
     {ARG_INT},
     {'p'},
     SBI_SUCCESS,
     0,
     0,
     0},
    {SBI_LEGACY_CONSOLE_GETCHAR,
     0,
     "sbi_console_getchar(void)",
     "virt-1hart",
     {NA},
     {0},
     SBI_SUCCESS,
     0,
     0,
     0},
    /* TIME (§6) */
    {SBI_EXT_TIME,
     SBI_TIME_SET_TIMER,
     "sbi_set_timer(uint64_t stime_value)",
     "virt-1hart",
     {ARG_U64},
     {0x123456789aUL},
     SBI_SUCCESS,
     0,
     0,
     0},
    /* IPI (§7) */
    {SBI_EXT_IPI,
     SBI_IPI_SEND_IPI,
     "sbi_send_ipi(unsigned long hart_mask, unsigned long hart_mask_base)",
     "virt-4hart",
     {UL, UL},
     {1, 2},
     SBI_SUCCESS,
     2,
     2UL | 1UL << 32,
     SBI_ERR_INVALID_PARAM},
    /* RFENCE (§8); the test trees' harts have H, so the hypervisor
     * fences are offered. */
    {SBI_EXT_RFENCE,
     SBI_RFENCE_FENCE_I,
     "sbi_remote_fence_i(unsigned long hart_mask, unsigned long "
     "hart_mask_base)",
     "virt-4hart",
     {UL, UL},
     {1, 0},
     SBI_SUCCESS,
     2,
     1UL << 32,
     SBI_ERR_INVALID_PARAM},
    {SBI_EXT_RFENCE,
     SBI_RFENCE_SFENCE_VMA,
     "sbi_remote_sfence_vma(unsigned long hart_mask, unsigned long "
     "hart_mask_base, unsigned long start_addr, unsigned long size)",
     "virt-4hart",
     {UL, UL, UL, UL},
     {1, 0, 0, 4096},
     SBI_SUCCESS,
     1,
     1UL << 40,
     SBI_ERR_INVALID_PARAM},
    {SBI_EXT_RFENCE,
     SBI_RFENCE_SFENCE_VMA_ASID,
     "sbi_remote_sfence_vma_asid(unsigned long hart_mask, unsigned long "
     "hart_mask_base, unsigned long start_addr, unsigned long size, "
     "unsigned long asid)",
     "virt-4hart",
     {UL, UL, UL, UL, UL},
     {1, 0, 0, 4096, 1},
     SBI_SUCCESS,
     2,
     1UL << 32,
     SBI_ERR_INVALID_PARAM},
    {SBI_EXT_RFENCE,
     SBI_RFENCE_HFENCE_GVMA_VMID,
     "sbi_remote_hfence_gvma_vmid(unsigned long hart_mask, unsigned long "
     "hart_mask_base, unsigned long start_addr, unsigned long size, "
     "unsigned long vmid)",
     "virt-4hart",
     {UL, UL, UL, UL, UL},
     {1, 0, 0, 4096, 1},
     SBI_SUCCESS,
     2,
     1UL << 32,
     SBI_ERR_INVALID_PARAM},
    {SBI_EXT_RFENCE,
     SBI_RFENCE_HFENCE_GVMA,
     "sbi_remote_hfence_gvma(unsigned long hart_mask, unsigned long "
     "hart_mask_base, unsigned long start_addr, unsigned long size)",
     "virt-4hart",
     {UL, UL, UL, UL},
     {1, 0, 0, 4096},
     SBI_SUCCESS,
     2,
     1UL << 32,
     SBI_ERR_INVALID_PARAM},
    {SBI_EXT_RFENCE,
     SBI_RFENCE_HFENCE_VVMA_ASID,
     "sbi_remote_hfence_vvma_asid(unsigned long hart_mask, unsigned long "
     "hart_mask_base, unsigned long start_addr, unsigned long size, "
     "unsigned long asid)",
     "virt-4hart",
     {UL, UL, UL, UL, UL},
     {1, 0, 0, 4096, 1},
     SBI_SUCCESS,
     2,
     1UL << 32,
     SBI_ERR_INVALID_PARAM},
    {SBI_EXT_RFENCE,
     SBI_RFENCE_HFENCE_VVMA,
     "sbi_remote_hfence_vvma(unsigned long hart_mask, unsigned long "
     "hart_mask_base, unsigned long start_addr, unsigned long size)",
     "virt-4hart",
     {UL, UL, UL, UL},
     {1, 0, 0, 4096},
     SBI_SUCCESS,
     2,
     1UL << 32,
     SBI_ERR_INVALID_PARAM},
    /* HSM (§9) */
    {SBI_EXT_HSM,
     SBI_HSM_HART_START,
     "sbi_hart_start(unsigned long hartid, unsigned long start_addr, "
     "unsigned long opaque)",
     "virt-4hart",
     {UL, UL, UL},
     {1, OS, 7},
     SBI_SUCCESS,
     1,
     1UL | 1UL << 32,
     SBI_ERR_INVALID_PARAM},
    {SBI_EXT_HSM,
     SBI_HSM_HART_STOP,
     "sbi_hart_stop(void)",
     "virt-4hart",
     {NA},
     {0},
     SBI_SUCCESS,
     0,
     0,
     0},
    {SBI_EXT_HSM,
     SBI_HSM_HART_GET_STATUS,
     "sbi_hart_get_status(unsigned long hartid)",
     "virt-4hart",
     {UL},
     {1},
     SBI_SUCCESS,
     1,
     1UL | 1UL << 32,
     SBI_ERR_INVALID_PARAM},
    {SBI_EXT_HSM,
     SBI_HSM_HART_SUSPEND,
     "sbi_hart_suspend(uint32_t suspend_type, unsigned long resume_addr, "
     "unsigned long opaque)",
     "virt-4hart",
     {ARG_U32, UL, UL},
     {0x80000000, OS, 7},
     SBI_SUCCESS,
     2,
     OS | 1UL << 48,
     SBI_ERR_INVALID_ADDRESS},
    /* SRST (§10): the fake finisher does not stop the machine. */
    {SBI_EXT_SRST,
     SBI_SRST_SYSTEM_RESET,
     "sbi_system_reset(uint32_t reset_type, uint32_t reset_reason)",
     "virt-1hart",
     {ARG_U32, ARG_U32},
     {SBI_SRST_TYPE_WARM_REBOOT, 1},
     SBI_ERR_FAILED,
     0,
     0,
     0},
    /* DBCN (§12) */
    {SBI_EXT_DBCN,
     SBI_DBCN_WRITE,
     "sbi_debug_console_write(unsigned long num_bytes, unsigned long "
     "base_addr_lo, unsigned long base_addr_hi)",
     "virt-1hart",
     {UL, UL, UL},
     {4, OS, 0},
     SBI_SUCCESS,
     3,
     1,
     SBI_ERR_INVALID_PARAM},
    {SBI_EXT_DBCN,
     SBI_DBCN_READ,
     "sbi_debug_console_read(unsigned long num_bytes, unsigned long "
     "base_addr_lo, unsigned long base_addr_hi)",
     "virt-1hart",
     {UL, UL, UL},
     {4, OS, 0},
     SBI_SUCCESS,
     2,
     OS | 1UL << 48,
     SBI_ERR_INVALID_PARAM},
    {SBI_EXT_DBCN,
     SBI_DBCN_WRITE_BYTE,
     "sbi_debug_console_write_byte(uint8_t byte)",
     "virt-1hart",
     {ARG_U8},
     {'b'},
     SBI_SUCCESS,
     0,
     0,
     0},
    /* PMU (§11): uint64_t event_data and initial_value are XLEN wide. */
    {SBI_EXT_PMU,
     SBI_PMU_NUM_COUNTERS,
     "sbi_pmu_num_counters()",
     "virt-4hart",
     {NA},
     {0},
     SBI_SUCCESS,
     0,
     0,
     0},
    {SBI_EXT_PMU,
     SBI_PMU_COUNTER_GET_INFO,
     "sbi_pmu_counter_get_info(unsigned long counter_idx)",
     "virt-4hart",
     {UL},
     {3},
     SBI_SUCCESS,
     1,
     3UL | 1UL << 32,
     SBI_ERR_INVALID_PARAM},
    {SBI_EXT_PMU,
     SBI_PMU_COUNTER_CFG_MATCH,
     "sbi_pmu_counter_config_matching(unsigned long counter_idx_base, "
     "unsigned long counter_idx_mask, unsigned long config_flags, "
     "unsigned long event_idx, uint64_t event_data)",
     "virt-4hart",
     {UL, UL, UL, UL, ARG_U64},
     {3, 1, 0, 2, 0},
     SBI_SUCCESS,
     3,
     1UL << 32,
     SBI_ERR_INVALID_PARAM},
    {SBI_EXT_PMU,
     SBI_PMU_COUNTER_START,
     "sbi_pmu_counter_start(unsigned long counter_idx_base, unsigned long "
     "counter_idx_mask, unsigned long start_flags, uint64_t initial_value)",
     "virt-4hart",
     {UL, UL, UL, ARG_U64},
     {3, 1, 0, 0},
     SBI_ERR_INVALID_PARAM,
     0,
     0,
     0},
    {SBI_EXT_PMU,
     SBI_PMU_COUNTER_STOP,
     "sbi_pmu_counter_stop(unsigned long counter_idx_base, unsigned long "
     "counter_idx_mask, unsigned long stop_flags)",
     "virt-4hart",
     {UL, UL, UL},
     {3, 1, 0},
     SBI_ERR_ALREADY_STOPPED,
     3,
     1UL << 32,
     SBI_ERR_INVALID_PARAM},
    {SBI_EXT_PMU,
     SBI_PMU_COUNTER_FW_READ,
     "sbi_pmu_counter_fw_read(unsigned long counter_idx)",
     "virt-4hart",
     {UL},
     {19},
     SBI_SUCCESS,
     1,
     19UL | 1UL << 32,
     SBI_ERR_INVALID_PARAM},
    {SBI_EXT_PMU,
     SBI_PMU_COUNTER_FW_READ_HI,
     "sbi_pmu_counter_fw_read_hi(unsigned long counter_idx)",
     "virt-4hart",
     {UL},
     {19},
     SBI_SUCCESS,
     1,
     19UL | 1UL << 32,
     SBI_ERR_INVALID_PARAM},
    {SBI_EXT_PMU,
     SBI_PMU_SNAPSHOT_SET_SHMEM,
     "sbi_pmu_snapshot_set_shmem(unsigned long shmem_phys_lo, unsigned long "
     "shmem_phys_hi, unsigned long flags)",
     "virt-4hart",
     {UL, UL, UL},
     {OS, 0, 0},
     SBI_SUCCESS,
     2,
     1,
     SBI_ERR_INVALID_ADDRESS},
    {SBI_EXT_PMU,
     SBI_PMU_EVENT_GET_INFO,
     "sbi_pmu_event_get_info(unsigned long shmem_phys_lo, unsigned long "
     "shmem_phys_hi, unsigned long num_entries, unsigned long flags)",
     "virt-4hart",
     {UL, UL, UL, UL},
     {OS, 0, 0, 0},
     SBI_SUCCESS,
     3,
     1UL << 32,
     SBI_ERR_INVALID_PARAM},
    /* FWFT (§18) */
    {SBI_EXT_FWFT,
     SBI_FWFT_SET,
     "sbi_fwft_set(uint32_t feature, unsigned long value, unsigned long "
     "flags)",
     "virt-1hart",
     {ARG_U32, UL, UL},
     {SBI_FWFT_MISALIGNED_EXC_DELEG, 1, 1},
     SBI_SUCCESS,
     2,
     1UL | 1UL << 32,
     SBI_ERR_INVALID_PARAM},
    {SBI_EXT_FWFT,
     SBI_FWFT_GET,
     "sbi_fwft_get(uint32_t feature)",
     "virt-1hart",
     {ARG_U32},
     {SBI_FWFT_SHADOW_STACK},
     SBI_ERR_NOT_SUPPORTED,
     0,
     0,
     0},
    /* SSE (§17) */
    {SBI_EXT_SSE,
     0,
     "sbi_sse_read_attrs(uint32_t event_id, uint32_t base_attr_id, "
     "uint32_t attr_count, unsigned long output_phys_lo, unsigned long "
     "output_phys_hi)",
     "virt-4hart",
     {ARG_U32, ARG_U32, ARG_U32, UL, UL},
     {SSE_LOCAL, 0, 1, OS, 0},
     SBI_SUCCESS,
     5,
     1,
     SBI_ERR_INVALID_ADDRESS},
    {SBI_EXT_SSE,
     1,
     "sbi_sse_write_attrs(uint32_t event_id, uint32_t base_attr_id, "
     "uint32_t attr_count, unsigned long input_phys_lo, unsigned long "
     "input_phys_hi)",
     "virt-4hart",
     {ARG_U32, ARG_U32, ARG_U32, UL, UL},
     {SSE_LOCAL, 1, 1, OS, 0},
     SBI_SUCCESS,
     4,
     OS | 1UL << 48,
     SBI_ERR_INVALID_ADDRESS},
    {SBI_EXT_SSE,
     2,
     "sbi_sse_register(uint32_t event_id, unsigned long handler_entry_pc, "
     "unsigned long handler_entry_arg)",
     "virt-4hart",
     {ARG_U32, UL, UL},
     {SSE_LOCAL, OS, 0},
     SBI_SUCCESS,
     2,
     OS | 1UL << 48,
     SBI_ERR_INVALID_PARAM},
    {SBI_EXT_SSE,
     3,
     "sbi_sse_unregister(uint32_t event_id)",
     "virt-4hart",
     {ARG_U32},
     {SSE_LOCAL},
     SBI_ERR_INVALID_STATE,
     0,
     0,
     0},
    {SBI_EXT_SSE,
     4,
     "sbi_sse_enable(uint32_t event_id)",
     "virt-4hart",
     {ARG_U32},
     {SSE_LOCAL},
     SBI_ERR_INVALID_STATE,
     0,
     0,
     0},
    {SBI_EXT_SSE,
     5,
     "sbi_sse_disable(uint32_t event_id)",
     "virt-4hart",
     {ARG_U32},
     {SSE_LOCAL},
     SBI_ERR_INVALID_STATE,
     0,
     0,
     0},
    {SBI_EXT_SSE,
     6,
     "sbi_sse_complete(void)",
     "virt-4hart",
     {NA},
     {0},
     SBI_SUCCESS,
     0,
     0,
     0},
    {SBI_EXT_SSE,
     7,
     "sbi_sse_inject(uint32_t event_id, unsigned long hart_id)",
     "virt-4hart",
     {ARG_U32, UL},
     {SSE_LOCAL, 1},
     SBI_SUCCESS,
     2,
     1UL | 1UL << 32,
     SBI_ERR_INVALID_PARAM},
    {SBI_EXT_SSE,
     8,
     "sbi_sse_hart_unmask(void)",
     "virt-4hart",
     {NA},
     {0},
     SBI_SUCCESS,
     0,
     0,
     0},
    {SBI_EXT_SSE,
     9,
     "sbi_sse_hart_mask(void)",
     "virt-4hart",
     {NA},
     {0},
     SBI_ERR_ALREADY_STOPPED,
     0,
     0,
     0},
    /* DBTR (§19): every argument is XLEN wide. */
    {SBI_EXT_DBTR,
     0,
     "sbi_debug_num_triggers(unsigned long trig_tdata1)",
     "virt-4hart",
     {UL},
     {0},
     SBI_SUCCESS,
     0,
     0,
     0},
    {SBI_EXT_DBTR,
     1,
     "sbi_debug_set_shmem(unsigned long shmem_phys_lo, unsigned long "
     "shmem_phys_hi, unsigned long flags)",
     "virt-4hart",
     {UL, UL, UL},
     {OS, 0, 0},
     SBI_SUCCESS,
     2,
     1,
     SBI_ERR_INVALID_ADDRESS},
    {SBI_EXT_DBTR,
     2,
     "sbi_debug_read_triggers(unsigned long trig_idx_base, unsigned long "
     "trig_count)",
     "virt-4hart",
     {UL, UL},
     {0, 1},
     SBI_ERR_NO_SHMEM,
     0,
     0,
     0},
    {SBI_EXT_DBTR,
     3,
     "sbi_debug_install_triggers(unsigned long trig_count)",
     "virt-4hart",
     {UL},
     {1},
     SBI_ERR_NO_SHMEM,
     0,
     0,
     0},
    {SBI_EXT_DBTR,
     4,
     "sbi_debug_update_triggers(unsigned long trig_count)",
     "virt-4hart",
     {UL},
     {1},
     SBI_ERR_NO_SHMEM,
     0,
     0,
     0},
    {SBI_EXT_DBTR,
     5,
     "sbi_debug_uninstall_triggers(unsigned long trig_idx_base, unsigned "
     "long trig_idx_mask)",
     "virt-4hart",
     {UL, UL},
     {0, 1},
     SBI_ERR_INVALID_PARAM,
     0,
     0,
     0},
    {SBI_EXT_DBTR,
     6,
     "sbi_debug_enable_triggers(unsigned long trig_idx_base, unsigned long "
     "trig_idx_mask)",
     "virt-4hart",
     {UL, UL},
     {0, 1},
     SBI_ERR_INVALID_PARAM,
     0,
     0,
     0},
    {SBI_EXT_DBTR,
     7,
     "sbi_debug_disable_triggers(unsigned long trig_idx_base, unsigned long "
     "trig_idx_mask)",
     "virt-4hart",
     {UL, UL},
     {0, 1},
     SBI_ERR_INVALID_PARAM,
     0,
     0,
     0},
    /* SUSP (§13) */
    {SBI_EXT_SUSP,
     0,
     "sbi_system_suspend(uint32_t sleep_type, unsigned long resume_addr, "
     "unsigned long opaque)",
     "virt-1hart",
     {ARG_U32, UL, UL},
     {0, OS, 7},
     SBI_SUCCESS,
     2,
     OS | 1UL << 48,
     SBI_ERR_INVALID_ADDRESS},
};

#define NROWS (sizeof(rows) / sizeof(rows[0]))

/* Everything a call did that S-mode or the machine could see. */
struct outcome {
	struct sbi_ret ret;
	enum sbi_action action;
	char *console;
	size_t nmmio;
	struct fake_mmio_write mmio[8];
};

static struct outcome run(const struct fn_row *r, const unsigned long *a)
{
	struct outcome o = {0};

	test_boot(r->tree, 0);
	/* DBCN writes read these bytes; the value is irrelevant otherwise. */
	memcpy(fake_ram(OS, 4), "abcd", 4);
	fake_mmio_clear_log();
	fake_console_clear();
	o.ret = ecall(r->eid, r->fid, a[0], a[1], a[2], a[3], a[4]);
	o.action = test_last_call.action;
	o.console = strdup(fake_console_text());
	o.nmmio = fake_mmio_count();
	for (size_t i = 0; i < o.nmmio && i < 8; i++) {
		o.mmio[i] = *fake_mmio_log(i);
	}
	return o;
}

static void check_same(const struct fn_row *r, const struct outcome *x,
		       const struct outcome *y, int arg)
{
	bool same = x->ret.error == y->ret.error &&
		    x->ret.value == y->ret.value && x->action == y->action &&
		    !strcmp(x->console, y->console) && x->nmmio == y->nmmio &&
		    !memcmp(x->mmio, y->mmio, sizeof(x->mmio));

	if (!same) {
		fprintf(stderr,
			"  %s: argument %d's upper bits changed the "
			"outcome (error %ld/%ld, value 0x%lx/0x%lx)\n",
			r->proto, arg, x->ret.error, y->ret.error, x->ret.value,
			y->ret.value);
	}
	CHECK(same);
}

/* Garbage above a narrow type's width, two patterns (one of them what a
 * sign-extending caller leaves for a value with its top bit set). */
static unsigned long dirty(enum arg_type t, unsigned long v, int pattern)
{
	unsigned long junk = pattern ? ~0UL : 0xa5a5a5a5a5a5a5a5UL;

	switch (t) {
	case ARG_U32:
	case ARG_INT:
		return (v & 0xffffffffUL) | (junk & ~0xffffffffUL);
	case ARG_U8:
		return (v & 0xffUL) | (junk & ~0xffUL);
	default:
		return v;
	}
}

static void test_narrow_arguments(void)
{
	unsigned int narrow = 0;

	for (size_t i = 0; i < NROWS; i++) {
		const struct fn_row *r = &rows[i];
		struct outcome clean = run(r, r->arg);

		if (clean.ret.error != r->err) {
			fprintf(stderr, "  %s: clean call gave %ld\n", r->proto,
				clean.ret.error);
		}
		CHECK_EQ(clean.ret.error, r->err);
		for (int k = 0; k < 6; k++) {
			if (r->type[k] < ARG_U32) {
				continue;
			}
			for (int pat = 0; pat < 2; pat++) {
				unsigned long a[6];
				struct outcome d;

				memcpy(a, r->arg, sizeof(a));
				a[k] = dirty(r->type[k], a[k], pat);
				CHECK(a[k] != r->arg[k]);
				d = run(r, a);
				check_same(r, &clean, &d, k);
				free(d.console);
			}
			narrow++;
		}
		free(clean.console);
	}
	/* suspend_type, reset_type, reset_reason, sleep_type, byte, ch,
	 * FWFT's two features and SSE's eleven event and attribute IDs */
	CHECK_EQ(narrow, 19);
}

static void test_wide_arguments(void)
{
	for (size_t i = 0; i < NROWS; i++) {
		const struct fn_row *r = &rows[i];
		unsigned long a[6];
		struct outcome o;

		if (!r->wide) {
			continue;
		}
		CHECK(r->type[r->wide - 1] == ARG_UL);
		memcpy(a, r->arg, sizeof(a));
		a[r->wide - 1] = r->wide_val;
		o = run(r, a);
		if (o.ret.error != r->wide_err) {
			fprintf(stderr, "  %s: wide probe gave %ld\n", r->proto,
				o.ret.error);
		}
		CHECK_EQ(o.ret.error, r->wide_err);
		free(o.console);
	}
}

/* probe_extension(1 << 32 | eid) names no extension: long is XLEN wide. */
static void test_probe_is_wide(void)
{
	test_boot("virt-1hart", 0);
	CHECK_EQ(
	    ecall(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, SBI_EXT_HSM, 0, 0, 0, 0)
		.value,
	    1);
	CHECK_EQ(ecall(SBI_EXT_BASE, SBI_BASE_PROBE_EXT,
		       SBI_EXT_HSM | 1UL << 32, 0, 0, 0, 0)
		     .value,
		 0);
}

static bool has_row(unsigned long eid, unsigned long fid)
{
	for (size_t i = 0; i < NROWS; i++) {
		if (rows[i].eid == eid && rows[i].fid == fid) {
			return true;
		}
	}
	return false;
}

/* The table is complete: every other FID of a listed extension is
 * NOT_SUPPORTED, and every listed extension probes as present. */
static void test_table_complete(void)
{
	for (size_t i = 0; i < NROWS; i++) {
		unsigned long eid = rows[i].eid;

		if (eid <= SBI_LEGACY_LAST) {
			continue;
		}
		test_boot("virt-4hart", 0);
		CHECK_EQ(
		    ecall(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, eid, 0, 0, 0, 0)
			.value,
		    1);
		for (unsigned long fid = 0; fid < 64; fid++) {
			if (has_row(eid, fid)) {
				continue;
			}
			test_boot("virt-4hart", 0);
			CHECK_EQ(ecall(eid, fid, 0, 0, 0, 0, 0).error,
				 SBI_ERR_NOT_SUPPORTED);
		}
		test_boot("virt-4hart", 0);
		CHECK_EQ(ecall(eid, 1UL << 32, 0, 0, 0, 0, 0).error,
			 SBI_ERR_NOT_SUPPORTED);
	}
}

int main(void)
{
	RUN(test_narrow_arguments);
	RUN(test_wide_arguments);
	RUN(test_probe_is_wide);
	RUN(test_table_complete);
	return test_finish();
}
