# The attack demo through ./tools/run itself, as the README shows it
# (issue 13): the default run must show the attack stopped by the monitor,
# --bios opensbi and --append secmon=off must show it succeed on the same
# kernel, and --plain boots the kernel without the glue, which has no demo.
# A demo that stops demonstrating fails here.  Sourced by
# test/qemu/cases.sh.
# shellcheck shell=bash

# case_run_demo NAME VERDICT-REGEX TOOLS-RUN-ARGS...: one ./tools/run.
case_run_demo() {
	local name=$1 want=$2 logf="$LOGDIR/$1.log" rc why=""
	shift 2
	set +e
	timeout "$QEMU_TIMEOUT" "$SECMON_REPO/tools/run" "$@" </dev/null >"$logf" 2>&1
	rc=$?
	set -e
	if [ "$rc" = 124 ]; then
		why="timed out after ${QEMU_TIMEOUT}s"
	elif [ "$rc" != 0 ]; then
		why="./tools/run $* exited with $rc, expected 0 (SRST shutdown)"
	fi
	[ -n "$why" ] || why=$(expect_lines "$logf" "$want" \
		'SECMON-GUEST-DONE suite=demo rc=0' 'demo: all done') || true
	[ -n "$why" ] || why=$(reject_lines "$logf" 'Oops|BUG:|Kernel panic|inconclusive') || true
	report "qemu/$name" "$why" "$logf"
}

run_demo_cases() {
	case_run_demo run-default-attack-stopped \
		'^DEMO-ATTACK mode=protected 1=fault 2=fault 3=refused victim=intact'
	case_run_demo run-opensbi-attack-succeeds \
		'^DEMO-ATTACK mode=absent 1=through 2=through 3=through victim=overwritten' \
		--bios opensbi
	case_run_demo run-secmon-off-attack-succeeds \
		'^DEMO-ATTACK mode=off 1=through 2=through 3=through victim=overwritten' \
		--append secmon=off
	case_run_demo run-defconfig-attack-stopped \
		'^DEMO-ATTACK mode=protected 1=fault 2=fault 3=refused victim=intact' \
		--defconfig
	case_run_demo run-plain-no-attack-demo '^demo: no attack demo: ' --plain
}
