# QEMU cases for the Linux glue (issue 5): the protected kernel built by
# `tools/build-linux --protected` runs the guest suite "protected" on the
# monitor, on Debian's OpenSBI and with secmon=off. Sourced by
# test/qemu/cases.sh; needs PKERNEL (the glued Image) besides its variables.
# shellcheck shell=bash

# The guest's protected suite at the CI tier (test/guest/suite_protected.c).
# case_protected NAME FIRMWARE MODE [EXTRA-APPEND]
case_protected() {
	local name=$1 fw=$2 mode=$3 extra=${4:-} rc why=""
	local logf="$LOGDIR/protected-$name.log"
	MEM=512M boot "$logf" rc -smp 4 -bios "$fw" -kernel "$PKERNEL" -initrd "$INITRD" \
		-append "console=ttyS0 secmon.suite=protected secmon.tier=ci secmon.expect_mode=$mode $extra"
	if [ "$rc" = 124 ]; then
		why="timed out after ${QEMU_TIMEOUT}s"
	elif [ "$rc" != 0 ]; then
		why="QEMU exit status $rc, expected 0"
	fi
	[ -n "$why" ] || why=$(expect_lines "$logf" '^[0-9]+ passed, 0 failed' \
		'SECMON-GUEST-DONE suite=protected rc=0' 'PASS mode') || true
	[ -n "$why" ] || why=$(reject_lines "$logf" \
		'Oops|BUG:|WARNING:|Kernel panic|FATAL|^FAIL |refused \(SBI error') || true
	if [ -z "$why" ]; then
		name="$name ($(grep -Eo '^[0-9]+ passed, 0 failed, [0-9]+ skipped' "$logf" | tail -1))"
	fi
	report "qemu/protected-$name" "$why" "$logf"
}

# The series applies with --fuzz=0 (tools/build-linux did that) and is clean
# under the kernel's own checkpatch.pl; the ABI header it carries is ours.
case_glue_series() {
	local src logf="$LOGDIR/glue-checkpatch.log" why="" p
	src=$(cd "$(dirname "$PKERNEL")/../../.." && pwd)
	: >"$logf"
	for p in "$SECMON_REPO"/linux-glue/protect/*.patch; do
		if ! perl "$src/scripts/checkpatch.pl" --no-tree --quiet "$p" >>"$logf" 2>&1; then
			why="checkpatch.pl complains about ${p##*/}"
			break
		fi
	done
	[ -n "$why" ] || cmp -s "$src/arch/riscv/include/asm/secmon_abi.h" \
		"$SECMON_REPO/include/secmon/abi.h" ||
		why="the series' asm/secmon_abi.h differs from include/secmon/abi.h"
	report "linux-glue/protect-series-checkpatch-clean" "$why" "$logf"
}

run_protected_cases() {
	case_glue_series
	case_protected monitor "$BIOS" protected
	case_protected opensbi "$(opensbi_fw)" absent
	case_protected secmon-off "$BIOS" off secmon=off
	# The unmodified kernel's foundation suite still passes with the
	# monitor: run above by case_linux_smp with $KERNEL.
}
