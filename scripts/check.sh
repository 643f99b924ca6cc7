#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check: style, warnings, sparse, KUnit on the debug kernel, and the
# integration tests on both the debug and the stock kernel. Ends with one
# line "N passed, N failed" over everything it ran.
set -uo pipefail
. "$(dirname "$0")/common.sh"

OUT=${GKA_OUT:-$REPO_ROOT/build}
mkdir -p "$OUT"
passed=0 failed=0
failures=()

result() {	# result NAME STATUS
	if [ "$2" = 0 ]; then
		passed=$((passed + 1))
		echo "PASS: $1"
	else
		failed=$((failed + 1))
		failures+=("$1")
		echo "FAIL: $1"
	fi
}

summary() {
	[ ${#failures[@]} -eq 0 ] || printf 'failed: %s\n' "${failures[@]}"
	echo "$passed passed, $failed failed"
	[ "$failed" = 0 ]
	exit $?
}

"$REPO_ROOT/scripts/install-deps.sh" || { result install-deps 1; summary; }

dk=$("$REPO_ROOT/scripts/build-debug-kernel.sh") || { result debug-kernel-build 1; summary; }
sk=$("$REPO_ROOT/scripts/stock-kernel.sh") || { result stock-kernel-unpack 1; summary; }
stock_release=$(stock_kernel_release)
stock_headers=/usr/src/linux-headers-$stock_release
debug_release=$(cat "$dk/include/config/kernel.release")

# --- Style and static checks -------------------------------------------
files=$(cd "$REPO_ROOT" && git ls-files -co --exclude-standard -- \
	'src/*.[ch]' 'include/*.h' 'tests/*.[ch]')
(cd "$REPO_ROOT" && "$dk/scripts/checkpatch.pl" --strict --no-tree --quiet \
	--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG -f $files) \
	> "$OUT/checkpatch.log" 2>&1
st=$?
[ -s "$OUT/checkpatch.log" ] && { cat "$OUT/checkpatch.log"; st=1; }
result "checkpatch --strict" $st

# The netlink spec, with the kernel's own YNL tooling (scripts/ynl.sh).
"$REPO_ROOT/scripts/ynl.sh" validate > "$OUT/spec.log" 2>&1
st=$?
[ $st = 0 ] || cat "$OUT/spec.log"
result "netlink spec validates against the kernel's genetlink schema" $st
"$REPO_ROOT/scripts/ynl.sh" uapi > "$OUT/uapi.h" 2> "$OUT/uapi.log" &&
	diff -u "$REPO_ROOT/include/uapi/linux/gre_keepalive.h" "$OUT/uapi.h"
st=$?
[ -s "$OUT/uapi.log" ] && { cat "$OUT/uapi.log"; st=1; }
result "UAPI header is what ynl-gen-c makes of the spec" $st
"$REPO_ROOT/scripts/check-recipes.sh" > "$OUT/recipes.log" 2>&1 || { cat "$OUT/recipes.log"; false; }
result "README's failover recipes are the files the tests load" $?

# Fresh builds, so that every file is compiled and checked.
rm -rf "$OUT/stock-w1" "$OUT/stock-sparse"
"$REPO_ROOT/scripts/build-module.sh" "$stock_headers" "$OUT/stock-w1" W=1 \
	> "$OUT/w1.log" 2>&1
st=$?
grep -Ei 'warning|error' "$OUT/w1.log" && st=1
result "build W=1 (stock $stock_release), no warnings" $st

"$REPO_ROOT/scripts/build-module.sh" "$stock_headers" "$OUT/stock-sparse" C=1 \
	> "$OUT/sparse.log" 2>&1
st=$?
grep -Ei 'warning|error' "$OUT/sparse.log" && st=1
result "sparse C=1 (stock $stock_release), no warnings" $st

rm -rf "$OUT/debug-module"
"$REPO_ROOT/scripts/build-module.sh" "$dk" "$OUT/debug-module" W=1 \
	> "$OUT/debug-build.log" 2>&1
st=$?
grep -Ei 'warning|error' "$OUT/debug-build.log" && st=1
result "build W=1 (debug kernel with KUnit)" $st

"$REPO_ROOT/scripts/build-tools.sh" > "$OUT/tools.log" 2>&1
result "userspace tool and test helpers build, -Werror" $?
make -s -C "$REPO_ROOT/tool" check > "$OUT/tool-check.log" 2>&1
st=$?
[ $st = 0 ] || cat "$OUT/tool-check.log"
result "tool self-check: arguments, output formats, man page" $st
mapfile -t tools < <(guest_tools)

stock_ko=$OUT/stock-w1/src-tree/gre_keepalive.ko
debug_ko=$OUT/debug-module/src-tree/gre_keepalive.ko
debug_test_ko=$OUT/debug-module/src-tree/gre_keepalive_test.ko

# --- Guests ---------------------------------------------------------------
"$REPO_ROOT/scripts/mkinitramfs.sh" "$OUT/debug.cpio.gz" "$debug_release" \
	--kernel-tree "$dk" --ko "$debug_ko" --ko "$debug_test_ko" "${tools[@]}" || { result initramfs-debug 1; summary; }
"$REPO_ROOT/scripts/mkinitramfs.sh" "$OUT/stock.cpio.gz" "$stock_release" \
	--stock-root "$sk/root" --ko "$stock_ko" "${tools[@]}" || { result initramfs-stock 1; summary; }

debug_kernel=$dk/arch/x86/boot/bzImage
stock_kernel=$sk/root/boot/vmlinuz-$stock_release

# From here on every guest, those of the packaging and kernel stages too,
# takes one of $JOBS slots (GKA_SLOTS, run-guest.sh), the longest waiting
# guest first: the stages run side by side, the host's builds for the
# later ones while the first guests run, and no CPU waits for the end of
# a stage. The results are reported stage by stage once all are done.
export GKA_SLOTS=$OUT/slots
rm -rf "$GKA_SLOTS"
mkdir -p "$GKA_SLOTS"
for i in $(seq "$JOBS"); do : > "$GKA_SLOTS/slot.$i"; done
guests_t0=$(date +%s)

# KUnit on the debug kernel: one CPU, as every guest in a slot (no KUnit
# test starts a thread of its own). No result of an earlier run is left
# to be read as this one's.
rm -f "$OUT/kunit.status" "$OUT/kunit.log" "$OUT/kunit.ktap" "$OUT/kunit-summary.log"
{
	GKA_SMP=1 GKA_GUEST_COST=40 "$REPO_ROOT/scripts/run-guest.sh" "$debug_kernel" \
		"$OUT/debug.cpio.gz" "$OUT/kunit.log" 600 1024 "gka.mode=kunit" > /dev/null
	echo $? > "$OUT/kunit.status"
} &

# Integration tests on both kernels. The guest's shell runs one command
# at a time, so the tests are split into shards, one single-CPU guest each,
# run side by side: on the debug kernel every exec costs seconds.
integration_shard() {	# NAME KERNEL INITRAMFS MEM TESTS
	GKA_SMP=1 "$REPO_ROOT/scripts/run-guest.sh" "$2" "$3" \
		"$OUT/integration-$1.log" 2400 "$4" "gka.mode=tests gka.only=$5" \
		> /dev/null
	echo $? > "$OUT/integration-$1.status"
}

report_shard() {	# NAME
	local log=$OUT/integration-$1.log t st
	grep -aE 'GKA-TEST|  (not )?ok - |assertions' "$log"
	while read -r t; do
		result "$1: ${t#* ok }" 0
	done < <(grep -ao 'GKA-TEST ok .*' "$log")
	while read -r t; do
		result "$1: ${t#* not ok }" 1
	done < <(grep -ao 'GKA-TEST not ok .*' "$log")
	grep -aq 'GKA-TEST ' "$log" || result "$1: integration tests ran" 1
	# A test of the shard's list without its line did not run to its
	# end: the guest died, timed out or never started.
	for t in $(tr ',' ' ' < "$OUT/integration-$1.tests"); do
		grep -aqE "GKA-TEST (not )?ok $t( |\$)" "$log" ||
			result "$1: $t reported a result" 1
	done
	# No status: the shard's job died before its guest ended.
	st=$(cat "$OUT/integration-$1.status" 2>/dev/null) || st=1
	result "$1 guest clean (no splat, no leak)" "${st:-1}"
}

# Two shards a kernel: each takes a slot, the debug kernel's longest first.
start_integration() {	# NAME KERNEL INITRAMFS MEM
	local tests cost shard i=0
	tests=$(integration_tests "$1")
	[ -n "${GKA_ONLY:-}" ] && tests=$(echo "$GKA_ONLY" | tr ',' '\n')
	rm -f "$OUT/integration-$1"-*.log "$OUT/integration-$1"-*.status \
		"$OUT/integration-$1"-*.tests
	while read -r cost shard; do
		i=$((i + 1))
		[ -n "$shard" ] || continue
		# What the report holds the shard to.
		echo "$shard" > "$OUT/integration-$1-$i.tests"
		GKA_GUEST_COST=$cost integration_shard "$1-$i" "$2" "$3" "$4" "$shard" &
	done < <(split_shards 2 "$1" $tests)
}

report_integration() {	# NAME
	local st
	for st in "$OUT/integration-$1"-*.tests; do
		[ -e "$st" ] || continue
		st=${st##*/integration-}
		report_shard "${st%.tests}"
	done
}

# The failover tests' routers run Debian's daemons from a disk
# (scripts/router-root.sh), with room for them; without it they fail.
stock_mem=512 router_disk=
if tests_need_routers ${GKA_ONLY:-$(integration_tests stock)}; then
	if router_disk=$("$REPO_ROOT/scripts/router-root.sh"); then
		stock_mem=1024
	else
		result "router root image (scripts/router-root.sh)" 1
	fi
fi
start_integration debug "$debug_kernel" "$OUT/debug.cpio.gz" 1536
[ -z "$router_disk" ] || export GKA_DISK=$router_disk
start_integration stock "$stock_kernel" "$OUT/stock.cpio.gz" $stock_mem
unset GKA_DISK

# Packaging: DKMS install into scratch trees and modprobe of that module in
# a stock-kernel guest; make deb, and both .debs installed in a chroot.
# Its guest, of seconds, queues with the cost of the host's work that
# waits for it too (make deb, the chroot: about 5 minutes), so that this
# work is not left for the end.
GKA_GUEST_COST=300 "$REPO_ROOT/scripts/check-packaging.sh" "$OUT/packaging" \
	"$REPO_ROOT/tool/gre-keepalive" > "$OUT/packaging.out" 2>"$OUT/packaging.log" &

# Every kernel Debian ships (5.10 to 7.3-rc): the module built with W=1 and
# sparse by each release's compiler in a cached debootstrap root; the
# integration tests on their stock kernels, in full on the oldest and the
# newest, a smoke test on the others (scripts/check-kernels.sh).
"$REPO_ROOT/scripts/check-kernels.sh" "$OUT/kernels" "${tools[@]}" \
	> "$OUT/kernels.out" 2>"$OUT/kernels.log" &

wait
log "guests and the stages beside them: $(($(date +%s) - guests_t0)) s"

# kunit.py from the source tree reads the KTAP.
guest=$(cat "$OUT/kunit.status" 2>/dev/null) || guest=1
"$REPO_ROOT/scripts/ktap-extract.sh" "$OUT/kunit.log" > "$OUT/kunit.ktap"
python3 "$dk/tools/testing/kunit/kunit.py" parse "$OUT/kunit.ktap" \
	> "$OUT/kunit-summary.log" 2>&1
cat "$OUT/kunit-summary.log"
# "Ran N tests: passed: P, failed: F, ..., errors: E"
ran=$(grep -o 'Ran [0-9]* tests' "$OUT/kunit-summary.log" | grep -o '[0-9]*' | tail -1)
kfail=$(grep -Eo '(failed|crashed|errors): [0-9]+' "$OUT/kunit-summary.log" |
	awk '{ n += $2 } END { print n + 0 }')
ran=${ran:-0}
[ "$ran" -gt 0 ] || { result "KUnit produced results" 1; }
passed=$((passed + ran - kfail))
failed=$((failed + kfail))
[ "$kfail" = 0 ] || failures+=("KUnit: $kfail failed")
result "KUnit guest clean (no splat, no leak)" "$guest"

report_integration debug
report_integration stock

pk=0
while read -r t; do
	case $t in
	"GKA-CHECK ok "*) result "packaging: ${t#GKA-CHECK ok }" 0; pk=$((pk + 1)) ;;
	"GKA-CHECK not ok "*) result "packaging: ${t#GKA-CHECK not ok }" 1; pk=$((pk + 1)) ;;
	esac
done < "$OUT/packaging.out"
[ "$pk" -gt 0 ] || { cat "$OUT/packaging.log"; result "packaging checks ran" 1; }

kc=0 kfailed=0
while read -r t; do
	case $t in
	"GKA-CHECK ok "*) result "kernels: ${t#GKA-CHECK ok }" 0; kc=$((kc + 1)) ;;
	"GKA-CHECK not ok "*) result "kernels: ${t#GKA-CHECK not ok }" 1
		kc=$((kc + 1)) kfailed=1 ;;
	esac
done < "$OUT/kernels.out"
[ "$kc" -gt 0 ] || result "kernel checks ran" 1
[ "$kc" -gt 0 ] && [ "$kfailed" = 0 ] || tail -50 "$OUT/kernels.log"

summary
