# QEMU test cases: one fresh boot per case, each under a timeout.
# Sourced by tools/test, which provides log/die, BIOS, KERNEL, INITRD and
# LOGDIR, and counts PASS/FAIL lines.
# shellcheck shell=bash

QEMU_TIMEOUT=${SECMON_QEMU_TIMEOUT:-240}

# boot LOG RC_VAR qemu-args...: run QEMU, output to LOG, exit status to RC_VAR.
boot() {
	local logf=$1 rcvar=$2
	shift 2
	set +e
	timeout "$QEMU_TIMEOUT" qemu-system-riscv64 -M "${MACHINE:-virt}" -m "${MEM:-256M}" -nographic \
		-monitor none -serial stdio "$@" </dev/null >"$logf" 2>&1
	printf -v "$rcvar" '%s' $?
	set -e
}

# expect NAME LOG PATTERN...: every extended regex must match a line in LOG.
expect_lines() {
	local logf=$1
	shift
	for pat in "$@"; do
		grep -Eq -- "$pat" "$logf" || {
			echo "missing /$pat/"
			return 1
		}
	done
}

# Linux 6.12 warnings from outside memory management that this project did
# not cause: reject_lines passes over them (test/guest/kmsg.c has the same
# list and says why each is there).
KNOWN_LINUX_WARNINGS='WARNING: CPU: [0-9]+ PID: [0-9]+ at kernel/sched/deadline\.c:265 inactive_task_timer'

reject_lines() {
	local logf=$1 hit
	shift
	for pat in "$@"; do
		hit=$(grep -Ev -- "$KNOWN_LINUX_WARNINGS" "$logf" | grep -Em1 -- "$pat") || continue
		echo "unexpected: $hit"
		return 1
	done
}

report() {
	local name=$1 why=$2 logf=$3
	if [ -z "$why" ]; then
		echo "PASS $name"
	else
		echo "FAIL $name: $why (log: ${logf#"$SECMON_REPO"/})"
		log_excerpt "$logf"
	fi
}

# A CI run keeps only the console output, not the logs: after a FAIL, show
# the log's failure lines and its last lines, indented so no counter takes
# them for a verdict.
log_excerpt() {
	local logf=$1
	[ -f "$logf" ] || return 0
	{
		grep -E -m 12 -- '^FAIL|FAIL |Oops|BUG:|WARNING:|Kernel panic|secmon: .*(refused|violated)' "$logf" || true
		echo "-- last lines --"
		tail -n 15 "$logf"
	} | tr -d '\r' | cut -c1-200 | sed 's/^/    | /'
}

# Unmodified Linux on the monitor: the guest's basic suite, SRST power-off.
# case_linux_smp SMP [TAG QEMU-ARGS...]
case_linux_smp() {
	local n=$1 tag=${2:-} rc why=""
	shift $(($# > 1 ? 2 : 1))
	local name="qemu/linux-basic-smp$n${tag:+-$tag}" logf="$LOGDIR/linux-basic-smp$n${tag:+-$tag}.log"
	boot "$logf" rc -smp "$n" "$@" -bios "$BIOS" -kernel "$KERNEL" -initrd "$INITRD" \
		-append "console=ttyS0 secmon.suite=basic secmon.expect_cpus=$n"
	if [ "$rc" = 124 ]; then
		why="timed out after ${QEMU_TIMEOUT}s"
	elif [ "$rc" != 0 ]; then
		why="QEMU exit status $rc, expected 0 (SRST shutdown)"
	fi
	[ -n "$why" ] || why=$(expect_lines "$logf" \
		"^  harts +$n, hartids 0-$((n - 1)) \\(boot hart 0" \
		'SBI specification v3\.0 detected' \
		'SBI implementation ID=0x5ec' \
		'SBI HSM extension detected' \
		'SBI SRST extension detected' \
		'SBI DBCN extension detected' \
		"smp: Brought up 1 node, $n CPUs?" \
		'^[0-9]+ passed, 0 failed' \
		'SECMON-GUEST-DONE suite=basic rc=0' \
		'secmon: system reset: shutdown \(reason none\)' \
		'riscv: base ISA extensions [a-z]*h' \
		'kvm \[[0-9]+\]: hypervisor extension available') || true
	[ -n "$why" ] || why=$(reject_lines "$logf" \
		'Oops|BUG:|Kernel panic|FATAL|BOOT ERROR|^FAIL ') || true
	report "$name" "$why" "$logf"
}

# A guest suite on 4 harts (case_guest NAME SMP EXTRA-APPEND [EXPECT...]).
case_guest() {
	local suite=$1 n=$2 extra=$3 rc why=""
	shift 3
	local name="qemu/linux-$suite-smp$n" logf="$LOGDIR/linux-$suite-smp$n.log"
	boot "$logf" rc -smp "$n" -bios "$BIOS" -kernel "$KERNEL" -initrd "$INITRD" \
		-append "console=ttyS0 secmon.suite=$suite $extra"
	[ "$rc" = 0 ] || why="QEMU exit status $rc, expected 0"
	[ -n "$why" ] || why=$(expect_lines "$logf" '^[0-9]+ passed, 0 failed' \
		"SECMON-GUEST-DONE suite=$suite rc=0" "$@") || true
	[ -n "$why" ] || why=$(reject_lines "$logf" 'Oops|BUG:|Kernel panic|FATAL|^FAIL ') || true
	report "$name" "$why" "$logf"
}

# Linux perf through the PMU extension: the glued defconfig kernel (its
# perf driver is riscv_pmu_sbi) on one hart under icount, where a loop's
# instruction count is exact (test/guest/suite_pmu.c).
case_linux_pmu() {
	local rc why="" logf="$LOGDIR/linux-pmu-icount.log"
	MEM=512M boot "$logf" rc -smp 1 -icount shift=0 -bios "$BIOS" -kernel "$PDKERNEL" \
		-initrd "$INITRD" -append "console=ttyS0 secmon.suite=pmu"
	[ "$rc" = 0 ] || why="QEMU exit status $rc, expected 0"
	[ -n "$why" ] || why=$(expect_lines "$logf" '^[0-9]+ passed, 0 failed' \
		'SECMON-GUEST-DONE suite=pmu rc=0' 'riscv-pmu-sbi: .*firmware and [0-9]+ hardware counters' \
		'^PMU-STAT instructions') || true
	[ -n "$why" ] || why=$(reject_lines "$logf" 'Oops|BUG:|WARNING:|Kernel panic|FATAL|^FAIL ') || true
	report "qemu/linux-pmu-icount" "$why" "$logf"
}

# Suspend to RAM through SBI SUSP; the host types on the console to wake
# the guest (the stock goldfish RTC driver is not a wake-up source).
case_suspend() {
	local n=$1 logf="$LOGDIR/linux-suspend-smp$1.log" rc why=""
	set +e
	(sleep 2; while sleep 3; do printf x; done) | timeout "$QEMU_TIMEOUT" \
		qemu-system-riscv64 -M virt -m 256M -nographic -monitor none -serial stdio \
		-smp "$n" -bios "$BIOS" -kernel "$KERNEL" -initrd "$INITRD" \
		-append "console=ttyS0 secmon.suite=suspend secmon.suspend_wake=console" \
		>"$logf" 2>&1
	rc=${PIPESTATUS[1]}
	set -e
	[ "$rc" = 0 ] || why="QEMU exit status $rc, expected 0"
	[ -n "$why" ] || why=$(expect_lines "$logf" '^[0-9]+ passed, 0 failed' \
		'SBI SUSP extension detected' 'PASS suspend_cycle3' \
		'SECMON-GUEST-DONE suite=suspend rc=0') || true
	[ -n "$why" ] || why=$(reject_lines "$logf" 'Oops|BUG:|Kernel panic|FATAL|^FAIL ') || true
	report "qemu/linux-suspend-to-ram-smp$n" "$why" "$logf"
}

# A boot the monitor must refuse with a clear message and QEMU exit 2.
expect_boot_error() {
	local name=$1 logf=$2 rc=$3
	shift 3
	local why=""
	if [ "$rc" != 2 ]; then
		why="QEMU exit status $rc, expected 2 (monitor boot error)"
	fi
	[ -n "$why" ] || why=$(expect_lines "$logf" "$@") || true
	[ -n "$why" ] || why=$(reject_lines "$logf" 'Linux version') || true
	report "$name" "$why" "$logf"
}

case_no_kernel() {
	local logf="$LOGDIR/boot-error-no-kernel.log" rc
	boot "$logf" rc -smp 2 -bios "$BIOS"
	expect_boot_error qemu/boot-error-no-kernel "$logf" "$rc" \
		'secmon: BOOT ERROR: fw_dynamic_info: no next stage'
}

# QEMU virt with the AIA (aia=aplic-imsic): the monitor delegates the
# M-level APLIC's sources to S-mode and hides the M-level controllers.
# Linux runs the basic suite's process, thread and CPU tests with its
# console on APLIC MSIs; after its CPU hot-unplug test the console goes
# quiet (QEMU 7.2's IMSIC; Debian's OpenSBI 1.1 crashes in
# imsic_handle_irq on this machine), so the case stops at "affinity".
case_linux_aia() {
	local rc why="" logf="$LOGDIR/linux-aia-smp4.log"
	# The console is SBI DBCN (hvc0), not the UART: QEMU 7.2's APLIC in MSI
	# mode re-sends the UART's level interrupt after Linux has served it,
	# on OpenSBI too; Linux then counts 100,000 unhandled ones, disables
	# the IRQ ("irq 11: nobody cared") and the UART's output stalls at
	# random. IPIs still come through the IMSIC.
	MACHINE=virt,aia=aplic-imsic boot "$logf" rc -smp 4 -bios "$BIOS" -kernel "$KERNEL" \
		-initrd "$INITRD" -append "console=hvc0 secmon.suite=basic secmon.expect_cpus=4"
	[ "$rc" = 0 ] || why="QEMU exit status $rc, expected 0 (SRST shutdown)"
	[ -n "$why" ] || why=$(expect_lines "$logf" \
		'^  aia +APLIC 0xc000000: 96 sources delegated to S-mode' \
		'riscv-aplic d000000.aplic: 96 interrupts forwarded to MSI' \
		'^PASS fork_wait' '^PASS futex' '^PASS affinity' \
		'secmon: system reset: shutdown \(reason none\)') || true
	[ -n "$why" ] || why=$(reject_lines "$logf" \
		'Oops|BUG:|Kernel panic|FATAL|BOOT ERROR|^FAIL |imsics@24000000') || true
	report "qemu/linux-aia-smp4" "$why" "$logf"
}

# AIA with aclint=on: no MSWI, M-mode IPIs would need the IMSIC.
case_aia_aclint() {
	local logf="$LOGDIR/boot-error-aia-aclint.log" rc
	MACHINE=virt,aia=aplic-imsic,aclint=on boot "$logf" rc -smp 2 -bios "$BIOS" -kernel "$KERNEL"
	expect_boot_error qemu/boot-error-aia-aclint "$logf" "$rc" \
		'BOOT ERROR: device tree: hart 0 has no ACLINT MSWI: its M-mode IPIs would go through the IMSIC'
}

# QEMU virt with NUMA sockets (each with its own CLINT and PLIC): echo
# the -object/-numa arguments for N harts in S sockets over MEM MiB.
numa_args() {
	local n=$1 s=$2 mem=$3 per=$(($1 / $2)) i
	for ((i = 0; i < s; i++)); do
		printf '%s\n' -object "memory-backend-ram,id=m$i,size=$((mem / s))M" \
			-numa "node,nodeid=$i,cpus=$((i * per))-$((i * per + per - 1)),memdev=m$i"
	done
}

# The protected kernel (NR_CPUS 512) on N harts, in SOCKETS sockets: the
# monitor sizes its per-hart state from the tree, Linux brings every hart
# up, locks its page tables (LOCK asks every running hart to resync) and
# passes the basic suite with CPU hotplug. QEMU 7.2's virt aborts with
# more than 2 sockets (its PLIC wiring), so 2 is the most tested here.
# case_linux_harts N SOCKETS
case_linux_harts() {
	local n=$1 s=${2:-} name logf rc why="" numa=() mem=1024
	name="qemu/linux-$n-harts${s:+-$s-sockets}"
	logf="$LOGDIR/linux-$n-harts${s:+-$s-sockets}.log"
	if [ -n "$s" ]; then
		mapfile -t numa < <(numa_args "$n" "$s" "$mem")
	fi
	MEM=${mem}M boot "$logf" rc -smp "$n${s:+,sockets=$s}" "${numa[@]}" \
		-bios "$BIOS" -kernel "$PKERNEL" -initrd "$INITRD" \
		-append "console=ttyS0 secmon.suite=basic secmon.expect_cpus=$n"
	[ "$rc" = 0 ] || why="QEMU exit status $rc, expected 0 (SRST shutdown)"
	[ -n "$why" ] || why=$(expect_lines "$logf" \
		"^  harts +$n, hartids 0-$((n - 1)) \\(boot hart 0\\)" \
		"smp: Brought up [0-9]+ nodes?, $n CPUs" \
		'secmon: page tables locked' '^[0-9]+ passed, 0 failed' \
		'SECMON-GUEST-DONE suite=basic rc=0') || true
	if [ -z "$why" ] && [ -n "$s" ]; then
		# One CLINT per socket, 64 KiB apart: merged into one range.
		why=$(expect_lines "$logf" \
			"^  pmp +0x2000000-0x$(printf '%x' $((0x2000000 + s * 0x10000 - 1))) --- clint") || true
	fi
	[ -n "$why" ] || why=$(reject_lines "$logf" 'Oops|BUG:|Kernel panic|FATAL|BOOT ERROR|^FAIL ') || true
	report "$name" "$why" "$logf"
}

# QEMU's own tree minus its UART: the error still reaches the early console.
case_no_uart() {
	local logf="$LOGDIR/boot-error-no-uart.log" dtb="$LOGDIR/virt-no-uart.dtb" rc
	qemu-system-riscv64 -M virt,dumpdtb="$dtb" -m 256M -smp 2 >/dev/null 2>&1
	fdtput -d "$dtb" /chosen stdout-path
	fdtput -r "$dtb" /soc/serial@10000000
	boot "$logf" rc -smp 2 -bios "$BIOS" -kernel "$KERNEL" -dtb "$dtb"
	expect_boot_error qemu/boot-error-no-uart "$logf" "$rc" \
		'BOOT ERROR: device tree: no ns16550a UART'
}

# The S-mode payload's SBI conformance checks (test/payload).
# case_payload SMP [TAG QEMU-ARGS...]
case_payload() {
	local n=$1 tag=${2:-} rc why=""
	shift $(($# > 1 ? 2 : 1))
	local name="qemu/payload-smp$n${tag:+-$tag}" logf="$LOGDIR/payload-smp$n${tag:+-$tag}.log"
	boot "$logf" rc -smp "$n" -bios "$BIOS" -kernel "$PAYLOAD" "$@"
	if [ "$rc" = 124 ]; then
		why="timed out after ${QEMU_TIMEOUT}s"
	elif [ "$rc" != 0 ]; then
		why="QEMU exit status $rc: $(grep -m3 '^FAIL' "$logf" | tr '\n' ';')"
	fi
	[ -n "$why" ] || why=$(expect_lines "$logf" '^[0-9]+ passed, 0 failed' \
		'secmon: system reset: shutdown \(reason none\)') || true
	[ -n "$why" ] || why=$(reject_lines "$logf" '^FAIL ' 'FATAL') || true
	if [ -z "$why" ]; then
		name="$name ($(grep -Eo '^[0-9]+ passed' "$logf") checks)"
	fi
	report "$name" "$why" "$logf"
}

# Every tool refuses a flag it does not know, and a bad value, with exit
# status 2 before it does anything, and shows its usage line. build-linux
# and build-mm-selftests point to --help instead: their own text is part of
# their cache keys, so changing it rebuilds every kernel.
case_tool_flags() {
	local t args want why out rc
	for t in "run --bogus" "run --smp 513" "run --suite nope" "run --bios /nonexistent" \
		"run --plain --protected" "test --bogus" "bench --bogus" \
		"bench --runs x" "bench-harts --bogus" "bench-harts --harts 600" \
		"build-initramfs --bogus" "setup --bogus" \
		"build-linux --bogus" "build-linux --source" "build-linux --source /nonexistent" \
		"build-linux --config /dev/null" "build-mm-selftests --bogus" "build-kvm-selftests --bogus"; do
		args=${t#* }
		t=${t%% *}
		case "$t" in
		build-mm-selftests | build-kvm-selftests) want="see --help" ;;
		*) want="^usage: " ;;
		esac
		why=""
		set +e
		# shellcheck disable=SC2086
		out=$(timeout 30 "$SECMON_REPO/tools/$t" $args 2>&1 >/dev/null)
		rc=$?
		set -e
		if [ "$rc" != 2 ]; then
			why="exit status $rc, expected 2"
		elif ! grep -q -- "$want" <<<"$out"; then
			why="no /$want/ in: $(head -1 <<<"$out")"
		fi
		args=${args//-/}
		args=${args//\//}
		report "tools/$t-refuses-${args// /=}" "$why" ""
	done
}

# cmake --install (README "Install"): what a QEMU command line of the
# user's own needs lands under the prefix, the gdb extension loads from
# there, and the installed firmware boots the payload.
case_install() {
	local name=qemu/install-prefix logf="$LOGDIR/install.log" why="" f
	local p="$SECMON_BUILD/install-test"
	rm -rf "$p"
	cmake --install "$SECMON_BUILD" --prefix "$p" >"$logf" 2>&1 || why="cmake --install failed"
	for f in share/secmon/monitor.bin share/secmon/monitor.elf share/secmon/gdb/secmon.py \
		share/secmon/gdb/secmon_elf.py share/secmon/gdb/secmon_model.py \
		share/doc/secmon/README.md share/doc/secmon/abi.md share/doc/secmon/debugging.md; do
		[ -n "$why" ] || [ -s "$p/$f" ] || why="$f was not installed"
	done
	if [ -z "$why" ]; then
		gdb-multiarch -q -batch -nx "$p/share/secmon/monitor.elf" \
			-ex "source $p/share/secmon/gdb/secmon.py" -ex "help secmon" >>"$logf" 2>&1 ||
			why="gdb could not load the installed extension"
	fi
	[ -n "$why" ] || why=$(expect_lines "$logf" '^Subcommands: harts, pool') || true
	report "$name" "$why" "$logf"
	[ -n "$why" ] || BIOS="$p/share/secmon/monitor.bin" case_payload 1 installed
}

# S-mode as the attacker (test/payload/adversary.c, docs/threat-model.md):
# one fresh 4-hart boot; every class must have run and passed.
case_adversary() {
	local logf="$LOGDIR/payload-adversary.log" rc why="" cls
	boot "$logf" rc -smp 4 -bios "$BIOS" -kernel "$PAYLOAD" -append secmon.payload=adversary
	[ "$rc" = 0 ] || why="QEMU exit status $rc: $(grep -m3 '^FAIL' "$logf" | tr '\n' ';')"
	[ -n "$why" ] || why=$(expect_lines "$logf" '^[0-9]+ passed, 0 failed' \
		'secmon: system reset: shutdown \(reason none\)') || true
	for cls in dbcn-read-target-unchanged stats-target-unchanged batch-from-forbidden-buffer \
		clint-msip-store-faults lock-refused-while-a-hart-runs-a-forged-root \
		lock-refused-user-leaf-in-kernel-half sret-to-user-with-satp-0-refused \
		sret-to-user-after-non-retentive-resume-refused \
		check-no-false-reports-under-load all-harts-answer-a-remote-fence; do
		[ -n "$why" ] || grep -q "^PASS adversary/$cls\$" "$logf" || why="no PASS adversary/$cls"
	done
	[ -n "$why" ] || why=$(reject_lines "$logf" '^FAIL ' 'FATAL') || true
	if [ -z "$why" ]; then
		local n
		n=$(grep -c '^PASS adversary/' "$logf")
		report "qemu/payload-adversary-smp4 ($n passed checks)" "" "$logf"
		return
	fi
	report qemu/payload-adversary-smp4 "$why" "$logf"
}

# The pool size comes from /chosen/secmon,pool-size (docs/abi.md): 8 MiB.
case_pool_override() {
	local logf="$LOGDIR/payload-pool-8MiB.log" dtb="$LOGDIR/virt-pool-8MiB.dtb" rc why=""
	qemu-system-riscv64 -M virt,dumpdtb="$dtb" -m 256M -smp 2 >/dev/null 2>&1
	fdtput -t x "$dtb" /chosen secmon,pool-size 800000
	boot "$logf" rc -smp 2 -bios "$BIOS" -kernel "$PAYLOAD" -dtb "$dtb"
	[ "$rc" = 0 ] || why="QEMU exit status $rc, expected 0"
	[ -n "$why" ] || why=$(expect_lines "$logf" '^  pool +0x8f800000-0x8fffffff \(8 MiB' \
		'^payload: pool 0x8f800000\+0x800000' '^[0-9]+ passed, 0 failed') || true
	report qemu/payload-pool-size-from-chosen "$why" "$logf"
}

# SRST cold and warm reboot really restart the machine: three banners.
case_reboot() {
	local logf="$LOGDIR/payload-reboot.log" rc why=""
	boot "$logf" rc -smp 2 -bios "$BIOS" -kernel "$PAYLOAD" -append secmon.payload=reboot
	[ "$rc" = 0 ] || why="QEMU exit status $rc, expected 0"
	[ -n "$why" ] || why=$(expect_lines "$logf" \
		'secmon: system reset: cold reboot' 'secmon: system reset: warm reboot' \
		'payload: reboot test: boot 3' '^1 passed, 0 failed') || true
	if [ -z "$why" ] && [ "$(grep -c '^secmon .*RISC-V M-mode security monitor' "$logf")" != 3 ]; then
		why="expected 3 monitor banners, saw $(grep -c '^secmon .*RISC-V M-mode' "$logf")"
	fi
	report qemu/srst-cold-and-warm-reboot "$why" "$logf"
}

# ./tools/run --gdb: run the exact gdb command it prints, break in the
# monitor, and see the breakpoint hit with symbols.
case_gdb() {
	local qlog="$LOGDIR/gdb-qemu.log" logf="$LOGDIR/gdb.log" script="$LOGDIR/gdb.gdb" why
	printf '%s\n' 'break boot_claim' continue 'info registers pc' 'bt 2' kill >"$script"
	why=$(gdb_session "$qlog" "$script" "$logf" --smp 2 --kernel "$KERNEL" --initrd "$INITRD")
	[ -n "$why" ] || why=$(expect_lines "$logf" 'Breakpoint 1, boot_claim' \
		'^pc[[:space:]]+0x8000[0-9a-f]+[[:space:]]+0x8000[0-9a-f]+ <boot_claim' \
		'in (_start|claimed) \(\) at .*entry.S') || true
	report qemu/gdb-attach-break-boot_claim "$why" "$logf"
}

# shellcheck source=test/qemu/gdb_cases.sh
source "$SECMON_REPO/test/qemu/gdb_cases.sh"
# shellcheck source=test/qemu/protected_cases.sh
source "$SECMON_REPO/test/qemu/protected_cases.sh"
# shellcheck source=test/qemu/mm_cases.sh
source "$SECMON_REPO/test/qemu/mm_cases.sh"
# shellcheck source=test/qemu/demo_cases.sh
source "$SECMON_REPO/test/qemu/demo_cases.sh"
# shellcheck source=test/qemu/byo_cases.sh
source "$SECMON_REPO/test/qemu/byo_cases.sh"
# shellcheck source=test/qemu/kvm_cases.sh
source "$SECMON_REPO/test/qemu/kvm_cases.sh"

run_qemu_cases() {
	local numa
	case_tool_flags
	case_gdb
	case_gdbext_model
	case_gdbext_payload
	case_gdbext_linux
	case_payload 1
	case_payload 4
	case_payload 2 no-sstc -cpu rv64,sstc=off
	MACHINE=virt,aclint=on case_payload 2 aclint-no-sstc -cpu rv64,sstc=off
	case_payload 2 svpbmt -cpu rv64,svpbmt=on
	# The PMU: exact instruction counts under icount, and Sscofpmf's
	# overflow bits and interrupt delegation.
	case_payload 1 pmu-exact -icount shift=0 -append secmon.pmu_exact
	case_payload 2 sscofpmf -cpu rv64,sscofpmf=on -append secmon.sscofpmf
	MACHINE=virt,aia=aplic-imsic case_payload 2 aia
	# 64 harts on two sockets (two CLINTs): masks past bit 63, batches.
	mapfile -t numa < <(numa_args 64 2 1024)
	MEM=1024M case_payload 64 2-sockets -smp 64,sockets=2 "${numa[@]}"
	case_reboot
	case_install
	case_adversary
	case_pool_override
	for n in 1 2 4 8; do
		case_linux_smp "$n"
	done
	case_linux_smp 4 no-sstc -cpu rv64,sstc=off
	case_guest hotplug 2 ""
	case_guest hotplug 4 "secmon.hotplug_rounds=8"
	case_suspend 2
	case_linux_pmu
	case_no_kernel
	case_linux_harts 16
	case_linux_harts 64 2
	case_linux_aia
	# The AIA's wired mode (APLIC without IMSIC): the whole basic suite.
	MACHINE=virt,aia=aplic case_linux_smp 4 aia-aplic-wired
	case_aia_aclint
	case_no_uart
	run_protected_cases
	run_demo_cases
	run_byo_cases
	# KVM: our VMM on both firmwares; Linux's KVM selftests side by side
	# (tools/test --kvm, two boots).
	run_kvm_cases
	[ "${RUN_KVM:-0}" = 0 ] || run_kvm_selftest_cases
	# Linux's mm selftests, three boots (tools/test --mm).
	[ "${RUN_MM:-0}" = 0 ] || run_mm_cases
	# tools/test counts a FAIL if this line is missing: a case that
	# crashed the runner must not hide the cases after it.
	echo "QEMU-CASES-COMPLETE"
}
