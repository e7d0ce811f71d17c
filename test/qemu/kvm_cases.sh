# QEMU cases for KVM (issue 17): Linux runs guests of its own through
# /dev/kvm on the hypervisor extension the firmware lets it have.
#
# The VMM cases boot the plain tiny kernel ($KERNEL, KVM built in) with the
# guest suite "kvm" (test/guest/suite_kvm.c, a VMM of our own and a small
# guest) on Debian's OpenSBI and on monitor.bin; the protected kernel; the
# protected defconfig kernel with KVM as a module ($PDKERNEL, $PDMODINITRD);
# and Debian 13's own kernel and kvm.ko ($DEBKERNEL, $DEBINITRD) on both
# firmwares.
#
# The KVM selftests tier runs Linux's own KVM selftests (built by
# tools/build-kvm-selftests, the guest suite "kvmselftests") side by side:
# (a) the plain tiny kernel on Debian's OpenSBI, (b) the same kernel on
# monitor.bin, one fresh boot each, one after the other. (b) must pass what
# (a) passes: every test whose result differs gets a case of its own, after
# one more fresh boot of each for the tests that differ (under TCG some are
# timing-sensitive: arch_timer's interrupt latency, for one).
# build/test-logs/kvm-selftests.md gets the table, with each test's time.
# Column (c), the protected kernel on monitor.bin, is a hook, off by
# default (see KVM_COLUMN_C below).
#
# Sourced by test/qemu/cases.sh after mm_cases.sh (mm_passes); needs
# KERNEL, INITRD, BIOS and, for the selftests tier, KVMINITRD
# (tools/build-initramfs --kvm-selftests).
# shellcheck shell=bash

# --- the VMM of our own -----------------------------------------------------

# case_kvm_vmm TAG FIRMWARE [EXPECT...]: the suite kvm on FIRMWARE, booting
# $KERNEL with $INITRD (an initramfs with /modules for a modular KVM).
case_kvm_vmm() {
	local tag=$1 fw=$2 rc why=""
	shift 2
	local logf="$LOGDIR/kvm-vmm-$tag.log"
	MEM=1G boot "$logf" rc -smp 2 -bios "$fw" -kernel "$KERNEL" -initrd "$INITRD" \
		-append "console=ttyS0 secmon.suite=kvm"
	if [ "$rc" = 124 ]; then
		why="timed out after ${QEMU_TIMEOUT}s"
	elif [ "$rc" != 0 ]; then
		why="QEMU exit status $rc, expected 0"
	fi
	[ -n "$why" ] || why=$(expect_lines "$logf" \
		'kvm: dmesg: kvm \[[0-9]+\]: hypervisor extension available' \
		'^PASS kvm_guest_run' '^PASS kvm_srst_system_event' \
		'^[0-9]+ passed, 0 failed' 'SECMON-GUEST-DONE suite=kvm rc=0' "$@") || true
	[ -n "$why" ] || why=$(reject_lines "$logf" \
		'Oops|BUG:|WARNING:|Kernel panic|FATAL|^FAIL |^SKIP ') || true
	report "qemu/kvm-vmm-$tag" "$why" "$logf"
}

# The suite kvmbench on the protected kernel, one hart, -icount shift=0.
case_kvm_bench() {
	local logf="$LOGDIR/kvm-bench-protected.log" rc why=""
	boot "$logf" rc -smp 1 -icount shift=0 -bios "$BIOS" -kernel "$PKERNEL" -initrd "$INITRD" \
		-append "console=ttyS0 secmon.suite=kvmbench"
	[ "$rc" = 0 ] || why="QEMU exit status $rc, expected 0"
	[ -n "$why" ] || why=$(expect_lines "$logf" \
		'^KBENCH vm-create-destroy [0-9]+ ns/op calls [0-9.]+' \
		'^KBENCH gstage-fault [0-9]+ ns/op calls 1\.[0-9]+' \
		'^[0-9]+ passed, 0 failed' 'SECMON-GUEST-DONE suite=kvmbench rc=0') || true
	[ -n "$why" ] || why=$(reject_lines "$logf" 'Oops|BUG:|WARNING:|^FAIL ') || true
	report "qemu/kvm-bench-protected" "$why" "$logf"
}

run_kvm_cases() {
	case_kvm_vmm opensbi "$(opensbi_fw)"
	case_kvm_vmm secmon "$BIOS" 'secmon: system reset: shutdown \(reason none\)'
	# The glued kernel: the VM's G-stage tables are pool pages.
	KERNEL=$PKERNEL case_kvm_vmm protected "$BIOS" \
		'kvm \[[0-9]+\]: G-stage tables owned by the secmon monitor' \
		'secmon: locked; user page tables are monitor-owned'
	# The cost suite of tools/bench-kvm, so that it keeps working: its
	# own checks (every guest store seen, every exit the expected one).
	case_kvm_bench
	# KVM as a module (riscv defconfig's KVM=m) on the glued defconfig:
	# kvm.ko takes the glue's exports.
	KERNEL=$PDKERNEL INITRD=$PDMODINITRD case_kvm_vmm protected-defconfig-module "$BIOS" \
		'init: loaded module /modules/kvm.ko' \
		'kvm \[[0-9]+\]: G-stage tables owned by the secmon monitor' \
		'kvm \[[0-9]+\]: using Sv39x4 G-stage page table format'
	# A distribution kernel as it ships: Debian 13's riscv64 kernel and its
	# own kvm.ko (tools/fetch-debian-kernel), on both firmwares.
	local fw
	for fw in opensbi secmon; do
		if [ -z "${DEBKERNEL:-}" ]; then
			echo "FAIL qemu/kvm-vmm-debian13-$fw: Debian 13's kernel could not be fetched (build/test-logs/fetch-debian-kernel.log; tools/fetch-debian-kernel)"
			continue
		fi
		KERNEL=$DEBKERNEL INITRD=$DEBINITRD case_kvm_vmm "debian13-$fw" \
			"$([ "$fw" = secmon ] && echo "$BIOS" || opensbi_fw)" \
			'Linux version 6\.12\.[0-9]+\+deb13-riscv64' \
			'init: loaded module /modules/kvm.ko'
	done
}

# --- Linux's KVM selftests side by side ----------------------------------------

# QEMU's limit for one boot of the suite; the guest's own is a minute less
# so that it still prints its summary. 13 tests of at most 300 s each;
# about 10 minutes on an idle host.
KVM_TIMEOUT=${SECMON_KVM_TIMEOUT:-2400}

# Column (c): the protected kernel ($PKERNEL, glue patch 16: the VM's
# G-stage tables are monitor-owned) on monitor.bin. On by default;
# SECMON_KVM_COLUMN_C=0 leaves it out.
KVM_COLUMN_C=${SECMON_KVM_COLUMN_C:-1}

declare -A KVM_FW KVM_KERNEL KVM_LABEL

# kvm_setup TAG FIRMWARE KERNEL LABEL: what a TAG boots; LABEL heads its
# column in the table.
kvm_setup() {
	KVM_FW[$1]=$2
	KVM_KERNEL[$1]=$3
	KVM_LABEL[$1]=$4
}

# kvm_boot TAG LOG [APPEND]: one boot of TAG's setup; QEMU's status in rc.
kvm_boot() {
	local tag=$1 logf=$2 more=${3:-}
	QEMU_TIMEOUT=$KVM_TIMEOUT MEM=2G boot "$logf" rc -smp 2 -bios "${KVM_FW[$tag]}" \
		-kernel "${KVM_KERNEL[$tag]}" -initrd "$KVMINITRD" \
		-append "console=ttyS0 secmon.suite=kvmselftests secmon.timeout=$((KVM_TIMEOUT - 60)) $more"
}

# kvm_results LOG OUT: the suite's "kvmselftest: NAME STATUS SECS DETAIL"
# lines of LOG as "NAME STATUS SECS DETAIL" lines in OUT.
kvm_results() {
	grep -a '^kvmselftest: ' "$1" | tr -d '\r' | cut -d' ' -f2- >"$2"
}

# kvm_run TAG: one boot; its results in $LOGDIR/kvm-TAG.txt; reports
# whether the suite ran to its end.
kvm_run() {
	local tag=$1 rc why="" sum
	local logf="$LOGDIR/kvm-selftests-$tag.log"
	kvm_boot "$tag" "$logf"
	kvm_results "$logf" "$LOGDIR/kvm-$tag.txt"
	if [ "$rc" = 124 ]; then
		why="timed out after ${KVM_TIMEOUT}s"
	elif [ "$rc" != 0 ]; then
		why="QEMU exit status $rc"
	fi
	[ -n "$why" ] || why=$(expect_lines "$logf" '^kvmselftests: [0-9]+ passed, [0-9]+ failed') || true
	[ -n "$why" ] || why=$(reject_lines "$logf" 'Oops|BUG:|Kernel panic|Unable to handle kernel') || true
	sum=$(grep -aEo '^kvmselftests: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped, [0-9]+ timed out' "$logf" |
		tail -1 | sed 's/^kvmselftests: //')
	report "qemu/kvm-selftests-$tag${sum:+ ($sum)}" "$why" "$logf"
}

# kvm_status TAG NAME: NAME's status in kvm-TAG.txt ("-" if it has none).
kvm_status() {
	[ -f "$LOGDIR/kvm-$1.txt" ] || {
		echo -
		return
	}
	awk -v n="$2" '$1 == n { s = $2 } END { print (s == "" ? "-" : s) }' "$LOGDIR/kvm-$1.txt"
}

# kvm_cell TAG NAME: NAME's result in kvm-TAG.txt for the table: status,
# detail, time ("-" if it has none).
kvm_cell() {
	[ -f "$LOGDIR/kvm-$1.txt" ] || {
		echo -
		return
	}
	awk -v n="$2" '$1 == n { d = $4; for (i = 5; i <= NF; i++) d = d " " $i
		c = $2 (d != "" && $2 != "PASS" && $2 != "TIMEOUT" ? " " d : "") ", " $3 }
		END { print (c == "" ? "-" : c) }' "$LOGDIR/kvm-$1.txt"
}

# kvm_retry TAG NAMES: NAMES (comma-separated) again in a fresh boot of TAG;
# results in kvm-TAG-retry.txt.
kvm_retry() {
	local tag=$1 rc
	kvm_boot "$tag" "$LOGDIR/kvm-selftests-$tag-retry.log" "secmon.kvm_only=$2"
	kvm_results "$LOGDIR/kvm-selftests-$tag-retry.log" "$LOGDIR/kvm-$tag-retry.txt"
}

# kvm_compare A B: B must pass what A passes. Tests whose result differs
# run once more in a fresh boot of each; a case per such test says how it
# went, and it fails if the test passed on A and not on B both times.
kvm_compare() {
	local a=$1 b=$2 names name ra rb ra2 rb2 why note n
	local table="$LOGDIR/kvm-selftests.md"
	if [ ! -s "$LOGDIR/kvm-$a.txt" ] || [ ! -s "$LOGDIR/kvm-$b.txt" ]; then
		report "qemu/kvm-selftests-$b-passes-what-$a-passes" "no results from $a or $b" "$table"
		return
	fi
	names=$(comm -3 <(mm_passes "$LOGDIR/kvm-$a.txt") <(mm_passes "$LOGDIR/kvm-$b.txt") |
		tr -d '\t' | paste -sd, -)
	if [ -z "$names" ]; then
		n=$(mm_passes "$LOGDIR/kvm-$a.txt" | wc -l)
		report "qemu/kvm-selftests-$b-passes-what-$a-passes ($n pass on both)" "" "$table"
		return
	fi
	kvm_retry "$a" "$names"
	kvm_retry "$b" "$names"
	for name in ${names//,/ }; do
		ra=$(kvm_status "$a" "$name")
		rb=$(kvm_status "$b" "$name")
		ra2=$(kvm_status "$a-retry" "$name")
		rb2=$(kvm_status "$b-retry" "$name")
		why=""
		note=" (first $a $ra, $b $rb; retried: $a $ra2, $b $rb2)"
		if [ "$ra" = PASS ] && [ "$ra2" = PASS ] && [ "$rb2" != PASS ]; then
			why="PASS on $a, $rb then $rb2 on $b"
			note=""
		fi
		report "qemu/kvm-selftest-$name-$b-passes-as-on-$a$note" "$why" "$table"
	done
}

# The side-by-side table, in name order, with the retries' results.
kvm_table() {
	local out="$LOGDIR/kvm-selftests.md" tags=(opensbi monitor) tag name head sep row retry files=()
	[ "$KVM_COLUMN_C" = 0 ] || tags+=(protected)
	for tag in "${tags[@]}"; do
		[ ! -f "$LOGDIR/kvm-$tag.txt" ] || files+=("$LOGDIR/kvm-$tag.txt")
	done
	head="| test |"
	sep="|---|"
	for tag in "${tags[@]}"; do
		head+=" ${KVM_LABEL[$tag]} |"
		sep+="---|"
	done
	if [ "$KVM_COLUMN_C" = 0 ]; then
		head+=" (c) protected, monitor.bin |"
		sep+="---|"
	fi
	{
		echo "Linux 6.12's KVM selftests for riscv (tools/build-kvm-selftests), one boot per column, 300 s per test; result, time."
		echo
		echo "$head"
		echo "$sep"
		[ ${#files[@]} = 0 ] || awk '{ print $1 }' "${files[@]}" | sort -u | while read -r name; do
			row="| \`$name\` |"
			for tag in "${tags[@]}"; do
				row+=" $(kvm_cell "$tag" "$name")"
				if [ -s "$LOGDIR/kvm-$tag-retry.txt" ]; then
					retry=$(kvm_status "$tag-retry" "$name")
					[ "$retry" = - ] || row+="; retry $retry"
				fi
				row+=" |"
			done
			[ "$KVM_COLUMN_C" != 0 ] || row+=" not run (SECMON_KVM_COLUMN_C=1) |"
			echo "$row"
		done
	} >"$out"
}

run_kvm_selftest_cases() {
	kvm_setup opensbi "$(opensbi_fw)" "$KERNEL" "(a) plain, OpenSBI"
	kvm_setup monitor "$BIOS" "$KERNEL" "(b) plain, monitor.bin"
	# HOOK, column (c): see KVM_COLUMN_C above.
	[ "$KVM_COLUMN_C" = 0 ] || kvm_setup protected "$BIOS" "$PKERNEL" "(c) protected, monitor.bin"
	rm -f "$LOGDIR"/kvm-*.txt
	kvm_run opensbi
	kvm_run monitor
	[ "$KVM_COLUMN_C" = 0 ] || kvm_run protected
	kvm_compare opensbi monitor
	[ "$KVM_COLUMN_C" = 0 ] || kvm_compare opensbi protected
	kvm_table
}
