# Shared by the tools/ scripts: paths, logging, and the firmware build.
# shellcheck shell=bash

SECMON_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SECMON_BUILD="$SECMON_REPO/build"

log() { echo "${PROG:-secmon}: $*" >&2; }
die() {
	echo "${PROG:-secmon}: error: $*" >&2
	exit 1
}
# A bad flag or value: the error, the tool's usage line, exit status 2.
# The tool defines usage(); its first line is the synopsis.
usage_error() {
	echo "${PROG:-secmon}: error: $*" >&2
	usage | head -n1 >&2
	echo "(./tools/${0##*/} --help for every option)" >&2
	exit 2
}

# Debian's OpenSBI build for QEMU virt (package opensbi).
opensbi_fw() {
	local fw
	fw=$(dpkg -L opensbi 2>/dev/null | grep '/generic/fw_dynamic.bin$' | head -1)
	[ -n "$fw" ] || die "Debian's OpenSBI is not installed (run ./tools/setup)"
	echo "$fw"
}

# Configure (once) and build the given CMake targets in build/.
cmake_build() {
	if [ ! -f "$SECMON_BUILD/CMakeCache.txt" ]; then
		log "configuring CMake in build/"
		cmake -S "$SECMON_REPO" -B "$SECMON_BUILD" >"$SECMON_BUILD.configure.log" 2>&1 ||
			{ tail -20 "$SECMON_BUILD.configure.log" >&2; die "CMake configure failed (log: $SECMON_BUILD.configure.log)"; }
	fi
	log "building ${*:-all}"
	local targets=()
	for t in "$@"; do targets+=(--target "$t"); done
	cmake --build "$SECMON_BUILD" -j"$(nproc)" "${targets[@]}" >"$SECMON_BUILD/build.log" 2>&1 ||
		{ grep -E 'error|Error' "$SECMON_BUILD/build.log" | head -20 >&2; die "build failed (log: build/build.log)"; }
}

# replace_section TAG SECTION OUT: SECTION's text (which starts with
# "<!-- TAG -->" and ends with "<!-- /TAG -->") replaces that part of the
# report OUT, or is appended to it, after "<!-- notes -->" (the part
# tools/bench keeps when it rewrites OUT).
replace_section() {
	local tag=$1 section=$2 out=$3
	if grep -q "^<!-- $tag -->" "$out"; then
		awk -v f="$section" -v open_tag="<!-- $tag -->" -v close_tag="<!-- /$tag -->" '
			$0 == open_tag { while ((getline l < f) > 0) print l; skip = 1; next }
			$0 == close_tag { skip = 0; next }
			!skip { print }' "$out" >"$out.new"
	else
		grep -q '^<!-- notes -->' "$out" || echo '<!-- notes -->' >>"$out"
		{ cat "$out"; echo; cat "$section"; } >"$out.new"
	fi
	mv "$out.new" "$out"
	log "wrote $out"
}
