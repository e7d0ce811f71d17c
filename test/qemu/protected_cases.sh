# QEMU cases for the Linux glue (issue 5): the protected kernel built by
# `tools/build-linux --protected` runs the guest suite "protected" on the
# monitor, on Debian's OpenSBI and with secmon=off. Sourced by
# test/qemu/cases.sh; needs PKERNEL (the glued Image), BIOS_PROFILE
# (build/monitor-profile.bin) and PDKERNEL (the
# glued defconfig Image) besides its variables.
# shellcheck shell=bash

# The guest's protected suite at the CI tier (test/guest/suite_protected.c).
# case_protected NAME FIRMWARE MODE EXTRA-APPEND [EXPECT...]
# PK= boots another glued kernel than PKERNEL, PMEM= gives it other RAM.
case_protected() {
	local name=$1 fw=$2 mode=$3 extra=${4:-} rc why="" note=""
	shift $(($# > 4 ? 4 : $#))
	local logf="$LOGDIR/protected-$name.log"
	MEM=${PMEM:-512M} boot "$logf" rc -smp 4 -bios "$fw" -kernel "${PK:-$PKERNEL}" -initrd "$INITRD" \
		-append "console=ttyS0 secmon.suite=protected secmon.tier=ci secmon.expect_mode=$mode $extra"
	# Debian's OpenSBI 1.1 has once hung before the kernel printed a line
	# (seen 1 in about 10 boots); that boot tells nothing about the glue.
	# Only then, and only on other firmware than ours, boot once more and
	# say so in the case's name.
	if [ "$rc" = 124 ] && [ "$fw" != "$BIOS" ] && ! grep -q 'Linux version' "$logf"; then
		cp "$logf" "$logf.hung"
		note=", retried: the first boot printed no kernel line (log .hung)"
		MEM=${PMEM:-512M} boot "$logf" rc -smp 4 -bios "$fw" -kernel "${PK:-$PKERNEL}" -initrd "$INITRD" \
			-append "console=ttyS0 secmon.suite=protected secmon.tier=ci secmon.expect_mode=$mode $extra"
	fi
	if [ "$rc" = 124 ]; then
		why="timed out after ${QEMU_TIMEOUT}s"
	elif [ "$rc" != 0 ]; then
		why="QEMU exit status $rc, expected 0"
	fi
	[ -n "$why" ] || why=$(expect_lines "$logf" '^[0-9]+ passed, 0 failed' \
		'SECMON-GUEST-DONE suite=protected rc=0' 'PASS mode' "$@") || true
	[ -n "$why" ] || why=$(reject_lines "$logf" \
		'Oops|BUG:|WARNING:|Kernel panic|FATAL|^FAIL ') || true
	# Refusal reports: only the ones the refused_store cases provoke.
	[ -n "$why" ] || why=$(grep -E 'refused \(SBI error' "$logf" |
		grep -vF '(secmon-forger)' | head -1 | sed 's/^/unexpected: /') || true
	if [ -z "$why" ]; then
		name="$name ($(grep -Eo '^[0-9]+ passed, 0 failed, [0-9]+ skipped' "$logf" | tail -1)$note)"
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

# secmon=require without the monitor: a panic that says what failed and
# what to do, before any user space runs. panic=-1 and -no-reboot turn the
# panic's reboot into the end of QEMU.
case_protected_require_opensbi() {
	local logf="$LOGDIR/protected-require-opensbi.log" rc why=""
	boot "$logf" rc -no-reboot -smp 2 -bios "$(opensbi_fw)" -kernel "$PKERNEL" \
		-initrd "$INITRD" -append "console=ttyS0 secmon=require panic=-1 secmon.suite=basic"
	[ "$rc" != 124 ] || why="timed out after ${QEMU_TIMEOUT}s"
	[ -n "$why" ] || why=$(expect_lines "$logf" \
		'Kernel panic - not syncing: secmon: secmon=require, but no secmon monitor') || true
	[ -n "$why" ] || why=$(reject_lines "$logf" 'init: running suite|SECMON-GUEST-DONE') || true
	report qemu/protected-require-on-opensbi-panics "$why" "$logf"
}

# A refused clear leaves the page mapped while the kernel would free it:
# the glue must panic (guest case refused_clear, which only reports if the
# kernel went on). The refusal is made by a stale owner record, as a
# corrupted one would be.
case_protected_refused_clear() {
	local logf="$LOGDIR/protected-refused-clear.log" rc why=""
	boot "$logf" rc -no-reboot -smp 2 -bios "$BIOS" -kernel "$PKERNEL" -initrd "$INITRD" \
		-append "console=ttyS0 panic=-1 secmon.suite=protected secmon.only=refused_clear"
	[ "$rc" != 124 ] || why="timed out after ${QEMU_TIMEOUT}s"
	[ -n "$why" ] || why=$(expect_lines "$logf" \
		'secmon: PTE_SET of 0x0 at pa 0x[0-9a-f]+ refused \(SBI error -3\) in pid [0-9]+ \(secmon-forger\)' \
		'Kernel panic - not syncing: secmon: the entry at pa 0x[0-9a-f]+ still holds 0x[0-9a-f]+, more than the kernel now believes') || true
	[ -n "$why" ] || why=$(reject_lines "$logf" 'the kernel went on|SECMON-GUEST-DONE') || true
	report qemu/protected-refused-clear-panics "$why" "$logf"
}

# The hostile suite on the protected defconfig kernel (issue 11): riscv
# defconfig plus the glue, with DEBUG_VM, DEBUG_VM_PGTABLE and
# PAGE_TABLE_CHECK on, EFI, MODULES and the BPF JIT in, on 4 harts and with
# no extra argument. DEBUG_VM_PGTABLE runs on the first user root, so it
# is what LOCKs.
case_protected_defconfig() {
	local SITE_OK='done, data intact|ENOMEM, data intact|SIGBUS|OOM-killed'
	QEMU_TIMEOUT=$((QEMU_TIMEOUT + 180)) PK=$PDKERNEL case_protected defconfig-monitor \
		"$BIOS" protected "" \
		'debug_vm_pgtable: \[debug_vm_pgtable *\]: Validating architecture page table helpers' \
		'secmon: pool 0x[0-9a-f]+, [0-9]+ pages' '^PASS madv_free' '^PASS refuse_kexec' \
		'^PASS refuse_hibernate' '^PASS thp' '^PASS hugetlb[[:space:]]*$' '^PASS mremap_tables' \
		'^PASS swap' '^PASS ksm' '^PASS uffd' '^PASS compaction' '^PASS bpf_jit' \
		'^PASS memcg' '^PASS zombies' '^PASS devmem[[:space:]]*$' '^PASS devmem_clint' \
		"site mremap on the empty pool: ($SITE_OK)" "site thp_fault on the empty pool: ($SITE_OK)" \
		"site hugetlb_fault on the empty pool: ($SITE_OK)" "site collapse on the empty pool: ($SITE_OK)" \
		'pool_free 0 before site mremap' 'pool_free 0 before site thp_fault' \
		'pool_free 0 before site hugetlb_fault' 'pool_free 0 before site collapse'
	# 4 GiB: a 1 GiB hugetlb page is a leaf in a user root.
	QEMU_TIMEOUT=$((QEMU_TIMEOUT + 180)) PMEM=4G PK=$PDKERNEL case_protected \
		defconfig-4g-1g-leaf "$BIOS" protected \
		"hugepagesz=1G hugepages=1 secmon.only=hugetlb_1g" '^PASS hugetlb_1g'
}

# The profile build on the glued kernel (issue 12): gluebench on one hart
# prints every operation, and the monitor's own counters move where the
# glue calls it. 1 GiB: Linux keeps THP off below 512 MiB.
case_gluebench_profile() {
	local logf="$LOGDIR/gluebench-profile.log" rc why="" op ops
	ops="fork-exit-wait fork-exec-exit pthread-create-join mmap-1MiB-touch-munmap mprotect-1MiB"
	ops="$ops page-fault munmap-1MiB-touched mremap-1MiB thp-fault-2MiB exit-64MiB-touched"
	MEM=1G boot "$logf" rc -smp 1 -bios "$BIOS_PROFILE" -kernel "$PKERNEL" -initrd "$INITRD" \
		-append "console=ttyS0 secmon.suite=gluebench"
	[ "$rc" != 124 ] || why="timed out after ${QEMU_TIMEOUT}s"
	[ -n "$why" ] || [ "$rc" = 0 ] || why="QEMU exit status $rc, expected 0"
	for op in $ops; do
		[ -n "$why" ] || why=$(expect_lines "$logf" "^GBENCH $op ns [0-9]+ ") || true
	done
	# One PTE_SET per fault, a monitor trap for it, and instructions in
	# the monitor and in the handler of each kind the operations use.
	[ -n "$why" ] || why=$(expect_lines "$logf" \
		'^GBENCH page-fault ns [0-9]+ calls 1\.00 .* mentries 1\.[0-9]+ minsns [1-9]' \
		'^GBENCH-MINSNS fork-exit-wait AS_CREATE [1-9][0-9]* PT_ALLOC [1-9][0-9]* PTE_SET [1-9][0-9]* .* BATCH [1-9][0-9]* PT_FREE [1-9][0-9]* AS_DESTROY [1-9]' \
		'^GBENCH-TABLES vmpte_kib [0-9]+ monitor [1-9]' \
		'SECMON-GUEST-DONE suite=gluebench rc=0') || true
	[ -n "$why" ] || why=$(reject_lines "$logf" 'Oops|BUG:|WARNING:|Kernel panic|FATAL') || true
	report qemu/gluebench-profile-build-counts "$why" "$logf"
}

run_protected_cases() {
	case_glue_series
	case_gluebench_profile
	case_protected_defconfig
	case_gdbext_linux_protected
	# secmon=require on the monitor: boots and protects as without it.
	case_protected monitor "$BIOS" protected secmon=require
	# Debian's OpenSBI 1.1 loses a hart while CPUs go on and offline under
	# load (RCU stall, then an OOM panic); seen in 3 of 4 runs, on the plain
	# kernel too. Hotplug under load is tested on the monitor. Without
	# secmon=require the kernel boots unprotected and says so loudly.
	case_protected opensbi "$(opensbi_fw)" absent secmon.skip=hotplug_cow_churn \
		'secmon: USER PAGE TABLES ARE NOT PROTECTED: no secmon monitor'
	case_protected_require_opensbi
	case_protected_refused_clear
	case_protected secmon-off "$BIOS" off secmon=off \
		'secmon: USER PAGE TABLES ARE NOT PROTECTED: disabled by secmon=off'
	# The unmodified kernel's foundation suite still passes with the
	# monitor: run above by case_linux_smp with $KERNEL.
}

# gdb on the protected kernel: stop in a process's do_exit, then the
# monitor's books for that address space (secmon as, the numbers STATS and
# the glue's debugfs processes file report) must equal what ptwalk counts by
# walking the tables through physical memory, and secmon check passes.
case_gdbext_linux_protected() {
	local qlog="$LOGDIR/gdbext-protected-qemu.log" logf="$LOGDIR/gdbext-protected.log"
	local script="$LOGDIR/gdbext-protected.gdb" why="" walk books
	local name=qemu/gdbext-protected-do_exit-ptwalk-matches-monitor
	cat >"$script" <<'EOF2'
break do_exit
python
import re
for _ in range(60):
    gdb.execute("continue")
    if ptwalk("satp")[4].user_leaf_pages:
        break
out = gdb.execute("secmon ptwalk satp", to_string=True)
print("==== ptwalk\n" + out, end="")
m = re.search(r"handle (0x[0-9a-f]+)", out)
print("==== books")
if m:
    gdb.execute("secmon as " + m.group(1))
print("==== harts")
gdb.execute("secmon harts")
print("==== check")
gdb.execute("secmon check")
end
echo ==== end\n
kill
EOF2
	why=$(gdb_session "$qlog" "$script" "$logf" --smp 2 --kernel "$PKERNEL" \
		--initrd "$INITRD" --suite basic)
	walk=$(section "$logf" ptwalk)
	books=$(section "$logf" books | sed -E 's/^  //')
	[ -n "$why" ] || why=$(expect_in "$walk" '^ptwalk: root is pool page [0-9]+: address space slot [0-9]+, handle 0x' \
		'^Invariant violations: 0$') || true
	[ -n "$why" ] || why=$(expect_in "$(section "$logf" check)" '^secmon check: OK') || true
	if [ -z "$why" ]; then
		local line
		while IFS= read -r line; do
			grep -qxF -- "$line" <<<"$books" || {
				why="ptwalk says '$line', the monitor's books for that address space do not"
				break
			}
		done < <(grep -E '^(Level [012] |Total )' <<<"$walk")
		[ -n "$(grep -E '^Total user leaf pages: [1-9]' <<<"$walk")" ] || why=${why:-"ptwalk found no user leaf pages"}
	fi
	report "$name" "$why" "$logf"
}
