# Linux's own mm selftests side by side (issue 11): (a) the plain defconfig
# kernel on Debian's OpenSBI, (b) the same kernel on monitor.bin, (c) the
# protected defconfig kernel on monitor.bin, each in one fresh boot of the
# guest suite "mmselftests" (test/guest/suite_mmselftests.c, the list in
# test/mm-selftests.list). The pass set of (c) must equal that of (a), and
# so must (b)'s. build/test-logs/mm-selftests.md gets the three columns.
# (a) and (b) boot with no4lvl: the glue makes (c) run Sv39, and without it
# Linux 6.12 picks Sv57 on QEMU 7.2, so a test of the address-space size
# (virtual_address_range) would differ for a reason that is not the
# protection. 4 GiB of RAM: mremap_test maps 2 GiB at once.
# Sourced by test/qemu/cases.sh; needs DKERNEL, PDKERNEL and MMINITRD.
# shellcheck shell=bash

MM_TIMEOUT=${SECMON_MM_TIMEOUT:-2400}

# mm_run TAG FIRMWARE KERNEL [APPEND]: one boot; results as "NAME RESULT" lines in
# $LOGDIR/mm-TAG.txt; reports whether the suite ran to its end.
mm_run() {
	local tag=$1 fw=$2 kernel=$3 extra=${4:-} rc why=""
	local logf="$LOGDIR/mm-selftests-$tag.log"
	QEMU_TIMEOUT=$MM_TIMEOUT MEM=4G boot "$logf" rc -smp 2 -bios "$fw" -kernel "$kernel" \
		-initrd "$MMINITRD" -append "console=ttyS0 secmon.suite=mmselftests $extra"
	grep -a '^MMSELFTEST ' "$logf" | awk '{ print $2, $3 }' >"$LOGDIR/mm-$tag.txt"
	if [ "$rc" = 124 ]; then
		why="timed out after ${MM_TIMEOUT}s"
	elif [ "$rc" != 0 ]; then
		why="QEMU exit status $rc"
	fi
	[ -n "$why" ] || why=$(expect_lines "$logf" '^mmselftests: [0-9]+ passed, [0-9]+ failed') || true
	[ -n "$why" ] || why=$(reject_lines "$logf" 'Oops|BUG:|Kernel panic|Unable to handle kernel') || true
	local sum
	sum=$(grep -aEo '^mmselftests: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped, [0-9]+ timed out' "$logf" |
		tail -1 | sed 's/^mmselftests: //')
	report "qemu/mm-selftests-$tag${sum:+ ($sum)}" "$why" "$logf"
}

# mm_same_passes A B: the tests that pass in A and in B are the same.
mm_same_passes() {
	local a=$1 b=$2 only_a only_b why=""
	only_a=$(comm -23 <(awk '$2 == "PASS" { print $1 }' "$LOGDIR/mm-$a.txt" | sort) \
		<(awk '$2 == "PASS" { print $1 }' "$LOGDIR/mm-$b.txt" | sort) | tr '\n' ' ')
	only_b=$(comm -13 <(awk '$2 == "PASS" { print $1 }' "$LOGDIR/mm-$a.txt" | sort) \
		<(awk '$2 == "PASS" { print $1 }' "$LOGDIR/mm-$b.txt" | sort) | tr '\n' ' ')
	[ -s "$LOGDIR/mm-$a.txt" ] || why="no results from $a"
	[ -n "$why" ] || [ -z "$only_a$only_b" ] ||
		why="pass only in $a: ${only_a:-none}; pass only in $b: ${only_b:-none}"
	report "qemu/mm-selftests-$b-passes-equal-$a" "$why" "$LOGDIR/mm-selftests.md"
}

MM_WHY="$SECMON_REPO/test/mm-selftests.why"

# mm_why NAME: the reason test/mm-selftests.why gives, or nothing.
mm_why() {
	awk -v n="$1" '$1 == n { sub(/^[^ ]+ /, ""); print; exit }' "$MM_WHY"
}

# The side-by-side table, in list order; a test that does not pass on (a)
# gets its reason from test/mm-selftests.why.
mm_table() {
	local out="$LOGDIR/mm-selftests.md" name a why
	{
		echo "| test | (a) defconfig, OpenSBI | (b) defconfig, monitor.bin | (c) protected defconfig, monitor.bin | why not PASS on (a) |"
		echo "|---|---|---|---|---|"
		awk '{ print $1 }' "$LOGDIR/mm-opensbi.txt" "$LOGDIR/mm-monitor.txt" \
			"$LOGDIR/mm-protected.txt" | awk '!seen[$0]++' | while read -r name; do
			a=$(awk -v n="$name" '$1 == n { print $2 }' "$LOGDIR/mm-opensbi.txt")
			why=""
			[ "$a" = PASS ] || why=$(mm_why "$name")
			[ "$a" = PASS ] || [ -n "$why" ] || why="**not explained in test/mm-selftests.why**"
			why=${why//|/\\|}
			# shellcheck disable=SC2016 # backquotes for markdown
			printf '| `%s` | %s | %s | %s | %s |\n' "$name" "$a" \
				"$(awk -v n="$name" '$1 == n { print $2 }' "$LOGDIR/mm-monitor.txt")" \
				"$(awk -v n="$name" '$1 == n { print $2 }' "$LOGDIR/mm-protected.txt")" "$why"
		done
	} >"$out"
}

# Every test that does not pass on (a) has its reason in the why file.
mm_non_passes_explained() {
	local missing
	missing=$(awk '$2 != "PASS" { print $1 }' "$LOGDIR/mm-opensbi.txt" | while read -r name; do
		[ -n "$(mm_why "$name")" ] || printf '%s ' "$name"
	done)
	report "qemu/mm-selftests-non-passes-explained" \
		"${missing:+no reason in test/mm-selftests.why for: $missing}" "$LOGDIR/mm-selftests.md"
}

# One boot after the other: run at once on two host cores, the three
# guests slowed each other down so much that ksm_tests -H (a 120 s scan
# limit inside the test; 5.6 s on an idle host) failed in one of them.
run_mm_cases() {
	mm_run opensbi "$(opensbi_fw)" "$DKERNEL" no4lvl
	mm_run monitor "$BIOS" "$DKERNEL" no4lvl
	mm_run protected "$BIOS" "$PDKERNEL"
	mm_table
	mm_non_passes_explained
	mm_same_passes opensbi monitor
	mm_same_passes opensbi protected
}
