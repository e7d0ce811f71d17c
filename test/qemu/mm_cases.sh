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

declare -A MM_FW MM_KERNEL MM_APPEND

# mm_setup TAG FIRMWARE KERNEL [APPEND]: what a TAG boots.
mm_setup() {
	MM_FW[$1]=$2
	MM_KERNEL[$1]=$3
	MM_APPEND[$1]=${4:-}
}

# mm_boot TAG LOG [APPEND]: one boot of TAG's setup; QEMU's status in rc.
mm_boot() {
	local tag=$1 logf=$2 more=${3:-}
	QEMU_TIMEOUT=$MM_TIMEOUT MEM=4G boot "$logf" rc -smp 2 -bios "${MM_FW[$tag]}" \
		-kernel "${MM_KERNEL[$tag]}" -initrd "$MMINITRD" \
		-append "console=ttyS0 secmon.suite=mmselftests ${MM_APPEND[$tag]} $more"
}

# mm_run TAG: one boot; results as "NAME RESULT" lines in $LOGDIR/mm-TAG.txt;
# reports whether the suite ran to its end.
mm_run() {
	local tag=$1 rc why=""
	local logf="$LOGDIR/mm-selftests-$tag.log"
	mm_boot "$tag" "$logf"
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

# mm_passes FILE: the tests FILE reports PASS, sorted.
mm_passes() { awk '$2 == "PASS" { print $1 }' "$1" | sort; }

# mm_differ A B [SUFFIX]: "pass only in A: ...; pass only in B: ..." or
# nothing if the pass sets of mm-A.txt and mm-B.txt (or their SUFFIX
# variants) are equal.
mm_differ() {
	local fa="$LOGDIR/mm-$1${3:-}.txt" fb="$LOGDIR/mm-$2${3:-}.txt" only_a only_b
	only_a=$(comm -23 <(mm_passes "$fa") <(mm_passes "$fb") | tr '\n' ' ')
	only_b=$(comm -13 <(mm_passes "$fa") <(mm_passes "$fb") | tr '\n' ' ')
	[ -z "$only_a$only_b" ] || echo "pass only in $1: ${only_a:-none}; pass only in $2: ${only_b:-none}"
}

# mm_retry TAG TESTS: TESTS (comma-separated) again in a fresh boot of TAG;
# results in mm-TAG-retry.txt, and added to mm-TAG-retries.txt, which
# keeps every retry of TAG (the table marks a test that passed in one).
mm_retry() {
	local tag=$1 rc
	mm_boot "$tag" "$LOGDIR/mm-selftests-$tag-retry.log" "secmon.mm_only=$2"
	grep -a '^MMSELFTEST ' "$LOGDIR/mm-selftests-$tag-retry.log" | awk '{ print $2, $3 }' \
		>"$LOGDIR/mm-$tag-retry.txt"
	cat "$LOGDIR/mm-$tag-retry.txt" >>"$LOGDIR/mm-$tag-retries.txt"
}

# mm_passed_on_retry TAG NAME: NAME passed in a retry of TAG.
mm_passed_on_retry() {
	[ -f "$LOGDIR/mm-$1-retries.txt" ] &&
		awk -v n="$2" '$1 == n && $2 == "PASS" { f = 1 } END { exit !f }' "$LOGDIR/mm-$1-retries.txt"
}

# mm_same_passes A B: the tests that pass in A and in B are the same. Tests
# that differ run once more, in a fresh boot of each; if they agree then,
# the case passes and its name says what was retried (a test's own race,
# or a timing limit on a loaded host, shows up this way; a difference the
# setups make shows up twice).
mm_same_passes() {
	local a=$1 b=$2 why="" diff names note=""
	[ -s "$LOGDIR/mm-$a.txt" ] || why="no results from $a"
	[ -n "$why" ] || diff=$(mm_differ "$a" "$b")
	if [ -z "$why" ] && [ -n "$diff" ]; then
		names=$(comm -3 <(mm_passes "$LOGDIR/mm-$a.txt") <(mm_passes "$LOGDIR/mm-$b.txt") |
			tr -d '\t' | paste -sd, -)
		mm_retry "$a" "$names"
		mm_retry "$b" "$names"
		why=$(mm_differ "$a" "$b" -retry)
		[ -n "$why" ] && why="twice: $why" || note=" (retried once: $diff)"
	fi
	report "qemu/mm-selftests-$b-passes-equal-$a$note" "$why" "$LOGDIR/mm-selftests.md"
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
			if [ "$a" != PASS ] && mm_passed_on_retry opensbi "$name"; then
				a="$a, PASS on retry"
				why="failed once and passed in a fresh boot: a race in the test, or a timing limit on a loaded host"
			fi
			[ "$a" = PASS ] || [ -n "$why" ] || why=$(mm_why "$name")
			[ "$a" = PASS ] || [ -n "$why" ] || why="**not explained in test/mm-selftests.why**"
			why=${why//|/\\|}
			# shellcheck disable=SC2016 # backquotes for markdown
			printf '| `%s` | %s | %s | %s | %s |\n' "$name" "$a" \
				"$(awk -v n="$name" '$1 == n { print $2 }' "$LOGDIR/mm-monitor.txt")" \
				"$(awk -v n="$name" '$1 == n { print $2 }' "$LOGDIR/mm-protected.txt")" "$why"
		done
	} >"$out"
}

# Every test that does not pass on (a) has its reason in the why file, or
# passed when it ran again in a fresh boot of (a).
mm_non_passes_explained() {
	local missing
	missing=$(awk '$2 != "PASS" { print $1 }' "$LOGDIR/mm-opensbi.txt" | while read -r name; do
		mm_passed_on_retry opensbi "$name" || [ -n "$(mm_why "$name")" ] || printf '%s ' "$name"
	done)
	report "qemu/mm-selftests-non-passes-explained" \
		"${missing:+no reason in test/mm-selftests.why for: $missing}" "$LOGDIR/mm-selftests.md"
}

# One boot after the other: run at once on two host cores, the three
# guests slowed each other down so much that ksm_tests -H (a 120 s scan
# limit inside the test; 5.6 s on an idle host) failed in one of them.
run_mm_cases() {
	mm_setup opensbi "$(opensbi_fw)" "$DKERNEL" no4lvl
	mm_setup monitor "$BIOS" "$DKERNEL" no4lvl
	mm_setup protected "$BIOS" "$PDKERNEL"
	mm_run opensbi
	mm_run monitor
	mm_run protected
	rm -f "$LOGDIR"/mm-*-retries.txt
	mm_same_passes opensbi monitor
	mm_same_passes opensbi protected
	mm_table
	mm_non_passes_explained
}
