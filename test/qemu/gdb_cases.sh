# QEMU + gdb cases for the gdb extension (tools/gdb/secmon.py), and its
# model's unit tests. Sourced by test/qemu/cases.sh (same conventions: one
# fresh boot per case, under timeout, PASS/FAIL lines through report).
# shellcheck shell=bash

GDB_TIMEOUT=${SECMON_GDB_TIMEOUT:-180}

# wait_listen PORT: until something listens on TCP PORT (QEMU's gdbstub).
wait_listen() {
	local hex
	hex=$(printf ':%04X ' "$1")
	for _ in $(seq 1 100); do
		grep -q "$hex.* 0A " /proc/net/tcp /proc/net/tcp6 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# gdb_session QLOG SCRIPT LOG TOOLS-RUN-ARGS...: start `tools/run --gdb`
# with the arguments (QEMU halted, its output to QLOG), run the exact
# gdb-multiarch command it prints in batch mode with SCRIPT (output to LOG),
# then stop QEMU. Prints why it could not, or nothing.
gdb_session() {
	local qlog=$1 script=$2 logf=$3 port=$((20000 + RANDOM % 20000)) qpid cmd
	shift 3
	timeout "$QEMU_TIMEOUT" "$SECMON_REPO/tools/run" --gdb --gdb-port "$port" "$@" \
		</dev/null >"$qlog" 2>&1 &
	qpid=$!
	for _ in $(seq 1 600); do # tools/run may rebuild first
		cmd=$(grep -m1 '^  gdb-multiarch ' "$qlog" || true)
		[ -n "$cmd" ] && break
		sleep 0.2
	done
	if [ -z "$cmd" ]; then
		echo "tools/run --gdb printed no gdb-multiarch command"
	elif ! wait_listen "$port"; then
		echo "QEMU's gdbstub never listened on $port"
	else
		eval "timeout $GDB_TIMEOUT $cmd -batch -x $(printf %q "$script")" >"$logf" 2>&1 ||
			echo "gdb failed or timed out (status $?)"
	fi
	kill "$qpid" 2>/dev/null || true
	wait "$qpid" 2>/dev/null || true
}

# section LOG NAME: the lines a gdb script printed after 'echo ==== NAME\n'.
section() {
	[ -f "$1" ] || return 0
	awk -v want="==== $2" '/^==== / { on = ($0 == want); next } on' "$1"
}

# expect_in TEXT PATTERN...: every extended regex matches a line of TEXT.
expect_in() {
	local text=$1 pat
	shift
	for pat in "$@"; do
		grep -Eq -- "$pat" <<<"$text" || {
			echo "missing /$pat/"
			return 1
		}
	done
}

# The end of every case's gdb script: fault, catch, then whether the
# commands left QEMU's gdbstub in virtual-address mode, as they found it.
gdb_script_tail() {
	printf '%s\n' 'echo ==== fault\n' 'secmon fault' 'echo ==== catch\n' 'secmon catch' \
		'echo ==== phys-mode\n' 'maintenance packet qqemu.PhyMemMode' 'echo ==== end\n' kill
}

# The summary lines ptwalk must print for STATS words "level2 A level1 B
# level0 C tables T ... leaf_pages P user_leaf_pages U".
stats_to_ptwalk() {
	sed -E 's/.*level2 ([0-9]+) level1 ([0-9]+) level0 ([0-9]+) tables ([0-9]+) leaf_entries ([0-9]+) leaf_pages ([0-9]+) user_leaf_pages ([0-9]+).*/\1 \2 \3 \4 \5 \6 \7/' <<<"$1" |
		while read -r l2 l1 l0 t e p u; do
			printf '%s\n' "^Level 2 \\(VPN\\[2\\]\\) pages: $l2\$" \
				"^Level 1 \\(VPN\\[1\\]\\) pages: $l1\$" "^Level 0 \\(VPN\\[0\\]\\) pages: $l0\$" \
				"^Total page table pages: $t \\(size = $((t * 4)) KiB\\)\$" \
				"^Total leaf data pages: $p \\(bitmap size = $(((p + 7) / 8)) bytes\\)\$" \
				"^Total user leaf pages: $u\$" "^Leaf entries: $e\$"
		done
}

# The payload's gdb mode (test/payload, secmon.payload=gdb): break in the
# monitor's ABI handler, continue to pl_gdb_stop, run every command and
# compare with what the payload printed in the same run.
case_gdbext_payload() {
	local port=$((20000 + RANDOM % 20000)) qlog="$LOGDIR/gdbext-payload-serial.log"
	local logf="$LOGDIR/gdbext-payload.log" script="$LOGDIR/gdbext-payload.gdb"
	local name=qemu/gdbext-payload-commands-match-stats why="" qpid
	rm -f "$qlog"
	timeout "$QEMU_TIMEOUT" qemu-system-riscv64 -M virt -m 256M -smp 2 -nographic \
		-monitor none -serial "file:$qlog" -bios "$BIOS" -kernel "$PAYLOAD" \
		-append secmon.payload=gdb -gdb "tcp::$port" -S </dev/null >/dev/null 2>&1 &
	qpid=$!
	cat >"$script" <<EOF
set architecture riscv:rv64
source $SECMON_REPO/tools/gdb/secmon.py
target remote localhost:$port
add-symbol-file $PAYLOAD -o 0xffffffff00000000
break sbi_ptm
continue
delete
break pl_gdb_stop
continue
echo ==== harts\n
secmon harts
echo ==== pool\n
secmon pool
echo ==== as\n
secmon as
echo ==== ptwalk-satp\n
secmon ptwalk satp --va 0x10000
echo ==== ptwalk-hart0\n
secmon ptwalk 0 --verbose
echo ==== check\n
secmon check
echo ==== corrupt\n
python
st = State()
last = st.mon.base + (st.mon.npages - 1) * 4096
with physical_memory():
    gdb.selected_inferior().write_memory(last + 8, b"\x01")
end
secmon check
python
with physical_memory():
    gdb.selected_inferior().write_memory(last + 8, b"\x00")
end
echo ==== check-again\n
secmon check
EOF
	gdb_script_tail >>"$script"
	wait_listen "$port" || why="QEMU's gdbstub never listened on $port"
	if [ -z "$why" ]; then
		timeout "$GDB_TIMEOUT" gdb-multiarch -q -batch "${BIOS%.bin}.elf" -x "$script" >"$logf" 2>&1 ||
			why="gdb failed or timed out (status $?)"
	fi
	kill "$qpid" 2>/dev/null || true
	wait "$qpid" 2>/dev/null || true
	[ -n "$why" ] || why=$(expect_lines "$logf" 'Breakpoint 1, sbi_ptm' \
		'Breakpoint 2, pl_gdb_stop') || true
	[ -n "$why" ] || why=$(gdbext_payload_compare "$qlog" "$logf") || true
	report "$name" "$why" "$logf"
}

# Every key line of the gdb log against the payload's serial output.
gdbext_payload_compare() {
	local qlog=$1 logf=$2 nharts global stats h root h1 r1 va pa want
	nharts=$(sed -nE 's/^payload: ([0-9]+) harts,.*/\1/p' "$qlog")
	global=$(sed -n 's/^payload: gdb global //p' "$qlog")
	stats=$(grep -m1 '^payload: gdb stats ' "$qlog")
	read -r h root < <(sed -nE 's/^payload: gdb as handle (0x[0-9a-f]+) root (0x[0-9a-f]+)/\1 \2/p' "$qlog" | head -1)
	read -r h1 r1 < <(sed -nE 's/^payload: gdb as handle (0x[0-9a-f]+) root (0x[0-9a-f]+)/\1 \2/p' "$qlog" | sed -n 2p)
	read -r va pa < <(sed -nE 's/^payload: gdb va (0x[0-9a-f]+) pa (0x[0-9a-f]+)/\1 \2/p' "$qlog")
	if [ -z "$nharts" ] || [ -z "$global" ] || [ -z "$stats" ] || [ -z "$h1" ] || [ "$va" != 0x10000 ] ||
		! grep -q '^payload: gdb check 0;' "$qlog"; then
		echo "the payload did not print its gdb-mode lines (see ${qlog#"$SECMON_REPO"/})"
		return 1
	fi
	expect_in "$(section "$logf" harts)" "^harts: $nharts present" \
		"^hart 0 \\(thread 1\\): HSM STARTED, priv S, satp 0x[0-9a-f]+ Sv39 ASID [0-9]+ root $root: AS slot [0-9]+ handle $h" \
		'^hart 1 \(thread 2\): HSM STOPPED, priv M' || return 1
	expect_in "$(section "$logf" pool)" "^$global\$" || return 1
	expect_in "$(section "$logf" as)" "^address spaces: 2 live, 0 zombie" \
		"handle $h LIVE root $root " "handle $h1 LIVE root $r1 " || return 1
	mapfile -t want < <(stats_to_ptwalk "$stats")
	expect_in "$(section "$logf" ptwalk-satp)" "${want[@]}" \
		"^ptwalk: root is pool page [0-9]+: address space slot [0-9]+, handle $h\$" \
		'^Invariant violations: 0$' "^  => PA $pa \\(leaf at level 0\\)" || return 1
	expect_in "$(section "$logf" ptwalk-hart0)" "${want[@]}" \
		"^  level 2 table $root \\(root\\): " || return 1
	expect_in "$(section "$logf" check)" '^secmon check: OK' || return 1
	expect_in "$(section "$logf" corrupt)" '^secmon check: FAILED' \
		'unowned but not clean' || return 1
	expect_in "$(section "$logf" check-again)" '^secmon check: OK' || return 1
	expect_in "$(section "$logf" fault)" '^mcause 0x[0-9a-f]+ \(' \
		'^scause 0x[0-9a-f]+ \(' '^hart 0 \(thread 1\), priv S, pc 0x[0-9a-f]+ <pl_gdb_stop' || return 1
	expect_in "$(section "$logf" catch)" 'breakpoint [0-9]+ on trap_entry' || return 1
	# Every command put QEMU's gdbstub back in virtual-address mode.
	expect_in "$(section "$logf" phys-mode)" '^received: "0"' || return 1
}

# The model's unit tests (fake memory; no QEMU): their own PASS/FAIL lines.
case_gdbext_model() {
	local logf="$LOGDIR/gdbext-model.log" rc
	set +e
	python3 "$SECMON_REPO/test/gdb/test_secmon_model.py" >"$logf" 2>&1
	rc=$?
	set -e
	grep -E '^(PASS|FAIL) ' "$logf"
	if [ "$rc" != 0 ] && ! grep -q '^FAIL ' "$logf"; then
		report gdbext/model "python3 exited $rc" "$logf"
	fi
}

# check_walk_summary TEXT LEVELS: the ptwalk summary in TEXT adds up (levels
# listed top-down, one root, total = sum, KiB = 4 x total, bitmap = one bit
# per leaf page rounded up, some leaves, user leaves <= leaves). Prints why not.
check_walk_summary() {
	awk -v levels="$2" '
	/^Level [0-9] \(VPN\[[0-9]\]\) pages: [0-9]+$/ { n++; sum += $NF; if (n == 1) top = $NF; if ($2 != levels - n) bad = "level lines out of order: " $0 }
	/^Total page table pages: / { total = $5; kib = $8 }
	/^Total leaf data pages: / { leaf = $5; bitmap = $9 }
	/^Total user leaf pages: / { user = $5 }
	END {
		if (bad == "" && n != levels) bad = n " level lines for " levels " levels"
		if (bad == "" && top != 1) bad = "top level has " top " pages, not 1"
		if (bad == "" && (total != sum || kib != 4 * total)) bad = "total " total " (" kib " KiB) but levels sum to " sum
		if (bad == "" && (leaf < 1 || bitmap != int((leaf + 7) / 8))) bad = "leaf pages " leaf ", bitmap " bitmap " bytes"
		if (bad == "" && (user < 1 || user > leaf)) bad = "user leaf pages " user " of " leaf
		if (bad != "") { print bad; exit 1 }
	}' <<<"$1"
}

# The plain kernel (build/linux: not under the monitor's page-table
# protection) through ./tools/run --gdb's own command: break on do_exit of a
# process, then secmon harts and ptwalk satp must agree and add up, and an
# address in Linux's linear map must decode to its physical page.
case_gdbext_linux() {
	local qlog="$LOGDIR/gdbext-linux-qemu.log" logf="$LOGDIR/gdbext-linux.log"
	local script="$LOGDIR/gdbext-linux.gdb" name=qemu/gdbext-linux-do_exit-harts-ptwalk why=""
	cat >"$script" <<'EOF2'
break do_exit
python
# The first do_exit may be a kernel thread's (no user mappings): go on to
# a process's, up to 30 stops.
for _ in range(30):
    gdb.execute("continue")
    if ptwalk("satp")[4].user_leaf_pages:
        break
end
echo ==== harts\n
secmon harts
echo ==== ptwalk\n
secmon ptwalk satp
echo ==== pool\n
secmon pool
echo ==== linear\n
python
lin = linux_linear_map(State())
mon = State().mon
print("page_offset 0x%x" % lin[0])
gdb.execute("secmon fault 0x%x" % ((mon.base + 0x10 + lin[1]) & MASK64))
end
EOF2
	gdb_script_tail >>"$script"
	why=$(gdb_session "$qlog" "$script" "$logf" --smp 2 --kernel "$KERNEL" \
		--initrd "$INITRD" --suite basic)
	[ -n "$why" ] || why=$(expect_lines "$logf" 'add symbol table from file ".*vmlinux"' \
		'Breakpoint 1, 0x[0-9a-f]+ in do_exit \(\)') || true
	[ -n "$why" ] || why=$(gdbext_linux_compare "$logf") || true
	report "$name" "$why" "$logf"
}

gdbext_linux_compare() {
	local logf=$1 walk mode satp hart levels offset base pool
	walk=$(section "$logf" ptwalk)
	read -r satp mode hart < <(sed -nE 's/^ptwalk: root 0x[0-9a-f]+, (Sv[0-9]+), from hart ([0-9]+) satp (0x[0-9a-f]+) .*/\3 \1 \2/p' <<<"$walk")
	case "$mode" in
	Sv39) levels=3 offset=0xffffffd600000000 ;;
	Sv48) levels=4 offset=0xffffaf8000000000 ;;
	Sv57) levels=5 offset=0xff60000000000000 ;; # arch/riscv/include/asm/page.h
	*) echo "ptwalk satp named no paging mode"; return 1 ;;
	esac
	expect_in "$(section "$logf" harts)" '^harts: 2 present' \
		"^hart $hart \\(thread $((hart + 1))\\): HSM STARTED, priv S, satp $satp $mode ASID [0-9]+ root 0x[0-9a-f]+: not a pool page \\(unprotected\\)" || return 1
	expect_in "$walk" '^ptwalk: root is not a pool page: unprotected address space; ownership checks skipped$' \
		'^Invariant violations: 0$' || return 1
	check_walk_summary "$walk" "$levels" || return 1
	base=$(section "$logf" pool | sed -nE 's/^pool: (0x[0-9a-f]+)-.*/\1/p')
	pool=$(sed -nE 's/^  Linux linear map \(PAGE_OFFSET (0x[0-9a-f]+)\): PA (0x[0-9a-f]+): pool page 0 .*/\1 \2/p' "$logf")
	if [ -z "$base" ] || [ "$pool" != "$offset $(printf '0x%x' $((base + 0x10)))" ]; then
		echo "linear-map address of the pool decoded as '$pool', want '$offset' and pool base '$base' + 0x10"
		return 1
	fi
	expect_in "$(section "$logf" fault)" '^scause 0x[0-9a-f]+ \(' \
		'^hart [0-9]+ \(thread [0-9]+\), priv S, pc 0x[0-9a-f]+ <do_exit in vmlinux>' || return 1
	expect_in "$(section "$logf" catch)" 'breakpoint [0-9]+ on handle_exception' || return 1
	expect_in "$(section "$logf" phys-mode)" '^received: "0"' || return 1
}
