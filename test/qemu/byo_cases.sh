# Your own kernel (issue 13, README "Your own kernel"): tools/build-linux
# --protected --source DIR --config FILE on a tree and a config that are not
# the ones tools/build-linux makes itself.  The tree is Debian's 6.12,
# unpacked under build/: a hunk that no longer applies and a config that
# keeps the glue out must be reported before anything is built, with the
# file and line; a good tree and config must build a kernel on which
# ./tools/run's attack is stopped.  Sourced by test/qemu/cases.sh.
# shellcheck shell=bash

BYO_TREE="$SECMON_BUILD/own-tree/linux-source-6.12"

# byo_build LOG ARGS...: tools/build-linux --protected ARGS; status in rc.
byo_build() {
	local logf=$1
	shift
	set +e
	"$SECMON_REPO/tools/build-linux" --protected --source "$BYO_TREE" "$@" >"$logf" 2>&1
	rc=$?
	set -e
}

# byo_refused NAME LOG PATTERN...: build-linux stopped (status 1 in rc)
# before it compiled anything, and said each PATTERN.
byo_refused() {
	local name=$1 logf=$2 why=""
	shift 2
	[ "$rc" = 1 ] || why="exit status $rc, expected 1"
	[ -n "$why" ] || why=$(expect_lines "$logf" "$@") || true
	[ -n "$why" ] || why=$(reject_lines "$logf" 'building Image') || true
	report "tools/$name" "$why" "$logf"
}

# A local change in a line a hunk of the series needs as context.
case_byo_hunk_fails() {
	local logf="$LOGDIR/byo-hunk-fails.log" f="$BYO_TREE/arch/riscv/include/asm/pgtable.h" rc
	cp -p "$f" "$f.orig"
	sed -i 's/^\tWRITE_ONCE(\*pmdp, pmd);$/\tWRITE_ONCE(*pmdp, pmd); \/* a local change *\//' "$f"
	byo_build "$logf"
	mv -f "$f.orig" "$f"
	byo_refused build-linux-own-tree-failing-hunk-reported "$logf" \
		'0003-riscv-mm-route-user-page-table-stores-through-secmon.patch does not apply to' \
		'arch/riscv/include/asm/pgtable.h: hunk [0-9]+ FAILED at [0-9]+' \
		'error: the series is made on Debian.s linux-source-6.12; rebase the failing hunks'
}

# A fragment that turns SMP off: the glue cannot be on.
case_byo_config_conflict() {
	local logf="$LOGDIR/byo-config-conflict.log" frag="$LOGDIR/byo-no-smp.config" rc
	printf '%s\n' '# a user fragment' 'CONFIG_DEBUG_FS=y' '# CONFIG_SMP is not set' >"$frag"
	byo_build "$logf" --config "$frag"
	byo_refused build-linux-own-config-conflict-reported "$logf" \
		"CONFIG_SMP is not set \\($frag:3: # CONFIG_SMP is not set\\): set CONFIG_SMP=y" \
		'error: kernel config verification failed'
}

# The tree as it is and a fragment (the one the defconfig tests use): it
# builds, and the attack demo on it is stopped.
case_byo_builds() {
	local logf="$LOGDIR/byo-build.log" runlog="$LOGDIR/byo-run.log" rc why=""
	byo_build "$logf" --config "$SECMON_REPO/linux-glue/configs/defconfig.config"
	[ "$rc" = 0 ] || why="tools/build-linux exit status $rc, expected 0"
	if [ -z "$why" ]; then
		set +e
		timeout "$QEMU_TIMEOUT" "$SECMON_REPO/tools/run" \
			--kernel "$SECMON_BUILD/linux-protected-custom/Image" </dev/null >"$runlog" 2>&1
		rc=$?
		set -e
		[ "$rc" = 0 ] || why="./tools/run --kernel build/linux-protected-custom/Image: exit status $rc"
		logf=$runlog
	fi
	[ -n "$why" ] || why=$(expect_lines "$logf" \
		'^DEMO-ATTACK mode=protected 1=fault 2=fault 3=refused victim=intact') || true
	report "tools/build-linux-own-tree-and-config-builds-and-protects" "$why" "$logf"
}

run_byo_cases() {
	local logf="$LOGDIR/byo-unpack.log"
	rm -rf "$SECMON_BUILD/own-tree"
	mkdir -p "$SECMON_BUILD/own-tree"
	if ! tar -xJf "${SECMON_LINUX_TARBALL:-/usr/src/linux-source-6.12.tar.xz}" \
		-C "$SECMON_BUILD/own-tree" >"$logf" 2>&1; then
		report "tools/build-linux-own-tree-unpacked" "tar failed" "$logf"
		return
	fi
	case_byo_hunk_fails
	case_byo_config_conflict
	case_byo_builds
	rm -rf "$SECMON_BUILD/own-tree"
	# The kernel trees these builds cached (about 2 GB each) are of no
	# use after the test.
	grep -ohE 'into [^ ]*/linux-protect-custom-[0-9a-f]{16}' "$LOGDIR"/byo-*.log 2>/dev/null |
		sed 's/^into //' | sort -u | while read -r d; do
		rm -rf "$d" "$d.lock"
	done
}
