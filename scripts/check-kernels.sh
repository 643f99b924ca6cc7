#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check's stage for every kernel Debian ships: the module built with
# W=1 and sparse for each, in that release's build root with its own
# compiler (scripts/debian-chroot.sh), and the integration tests booted on
# each release's stock kernel (scripts/debian-kernel.sh) under qemu.
#
#   check-kernels.sh OUTDIR [--bin FILE]...      (--bin: tools for guests)
#
# The whole suite on the oldest and the newest (bookworm's 6.1 is make
# check's own stock run), a smoke test on those between: keepalive and
# reflection over IPv4 and IPv6, the probes' marking, which is where
# the compat layer's choices show, and the kernel's own failover
# (ignore_routes_with_linkdown, whose "all" differs by version). Every guest is a single-CPU shard, two
# at a time (or as many as GKA_SLOTS lets, make check's guest slots: see
# run-guest.sh). Settings (environment):
#   GKA_RELEASES     releases built     (bullseye bookworm trixie sid experimental)
#   GKA_FULL         whole suite on     (bullseye experimental)
#   GKA_SMOKE        smoke test on      (trixie sid)
#   GKA_SMOKE_TESTS  the smoke test     (t-10-tunnel-traffic,t-30-keepalive-blackhole,
#                                        t-35-probe-marking,t-50-reflect,t-52-keepalive-ip6gre,
#                                        t-90-failover-kernel)
#
# Prints "GKA-CHECK ok NAME" / "GKA-CHECK not ok NAME" lines on stdout;
# logs go to OUTDIR, progress to stderr. Nothing is loaded into this
# machine's kernel.
set -uo pipefail
. "$(dirname "$0")/common.sh"

[ $# -ge 1 ] || die "usage: $0 OUTDIR [--bin FILE]..."
out=$(realpath -m "$1")
shift
bins=("$@")
releases=${GKA_RELEASES:-bullseye bookworm trixie sid experimental}
full=${GKA_FULL-bullseye experimental}
smoke=${GKA_SMOKE-trixie sid}
smoke_tests=${GKA_SMOKE_TESTS:-t-10-tunnel-traffic,t-30-keepalive-blackhole,t-35-probe-marking,t-50-reflect,t-52-keepalive-ip6gre,t-90-failover-kernel}
mkdir -p "$out"

ok() { echo "GKA-CHECK ok $1"; }
not_ok() { echo "GKA-CHECK not ok $1"; log "failed: $1"; }

declare -A kver ko
start=$(date +%s)

# --- Builds -------------------------------------------------------------
for r in $releases; do
	t0=$(date +%s)
	if ! kdir=$("$REPO_ROOT/scripts/debian-chroot.sh" "$r" 2>"$out/$r-root.log"); then
		cat "$out/$r-root.log" >&2
		not_ok "$r: build root with its kernel's headers"
		continue
	fi
	k=${kdir##*/linux-headers-}
	kver[$r]=$k
	rm -rf "$out/$r-build"
	"$REPO_ROOT/scripts/build-module-debian.sh" "$r" "$k" "$out/$r-build" \
		W=1 C=1 >"$out/$r-build.log" 2>&1
	st=$?
	# Kbuild turns sparse off saying "C=1 specified, but ... not
	# available": a silent C=1 must be one that ran.
	if grep -Ei 'warning|error|not available' "$out/$r-build.log" >&2; then
		st=1
	fi
	log "$r ($k): built in $(($(date +%s) - t0)) s"
	if [ "$st" = 0 ] && [ -f "$out/$r-build/src-tree/gre_keepalive.ko" ]; then
		ok "$r $k: build W=1 C=1 with its own compiler, no warnings"
		ko[$r]=$out/$r-build/src-tree/gre_keepalive.ko
	else
		cat "$out/$r-build.log" >&2
		not_ok "$r $k: build W=1 C=1 with its own compiler, no warnings"
	fi
done

# --- Guests ---------------------------------------------------------------
# Shards: "NAME RELEASE SECONDS TESTS", run two at a time.
shards=()
for r in $full $smoke; do
	[ -n "${ko[$r]:-}" ] || continue
	if ! sk=$("$REPO_ROOT/scripts/debian-kernel.sh" "$r" "${kver[$r]}" 2>"$out/$r-kernel.log"); then
		cat "$out/$r-kernel.log" >&2
		not_ok "$r ${kver[$r]}: stock kernel unpacked"
		continue
	fi
	if ! "$REPO_ROOT/scripts/mkinitramfs.sh" "$out/$r.cpio.gz" "${kver[$r]}" \
		--stock-root "$sk/root" --ko "${ko[$r]}" "${bins[@]}" \
		>"$out/$r-initramfs.log" 2>&1; then
		cat "$out/$r-initramfs.log" >&2
		not_ok "$r ${kver[$r]}: initramfs"
		continue
	fi
	if [[ " $full " == *" $r "* ]]; then
		tests=$(integration_tests other)
		[ -n "${GKA_ONLY:-}" ] && tests=$(echo "$GKA_ONLY" | tr ',' '\n')
		i=0
		while read -r cost shard; do
			i=$((i + 1))
			[ -z "$shard" ] || shards+=("$r-$i $r $cost $shard")
		done < <(split_shards 2 other $tests)
	else
		cost=0
		for t in ${smoke_tests//,/ }; do
			cost=$((cost + $(test_cost other "$t")))
		done
		shards+=("$r-smoke $r $cost $smoke_tests")
	fi
done

run_shard() {	# NAME RELEASE SECONDS TESTS
	local k=${kver[$2]} t0
	t0=$(date +%s)
	GKA_SMP=1 GKA_GUEST_COST=$3 "$REPO_ROOT/scripts/run-guest.sh" \
		"$CACHE_ROOT/stock-kernel/$k/root/boot/vmlinuz-$k" "$out/$2.cpio.gz" \
		"$out/guest-$1.log" 1800 512 "gka.mode=tests gka.only=$4" >/dev/null 2>&1
	echo $? >"$out/guest-$1.status"
	log "guest $1 ($k): $(($(date +%s) - t0)) s${GKA_SLOTS:+ with its wait for a slot}"
}

# No earlier run's console or status is read as this one's.
rm -f "$out"/guest-*.log "$out"/guest-*.status
# With make check's slots, every shard waits in their queue at once.
at_a_time=2
[ -z "${GKA_SLOTS:-}" ] || at_a_time=${#shards[@]}
for s in "${shards[@]}"; do
	while [ "$(jobs -rp | wc -l)" -ge "$at_a_time" ]; do
		wait -n
	done
	# shellcheck disable=SC2086 # NAME RELEASE SECONDS TESTS
	run_shard $s &
done
wait

for s in "${shards[@]}"; do
	read -r name r _ list <<<"$s"
	k=${kver[$r]}
	logf=$out/guest-$name.log
	while read -r t; do
		ok "$k: ${t#GKA-TEST ok }"
	done < <(grep -ao 'GKA-TEST ok .*' "$logf")
	while read -r t; do
		not_ok "$k: ${t#GKA-TEST not ok }"
		sed -n "/GKA-TEST-START ${t#GKA-TEST not ok }\$/,/GKA-TEST not ok /p" "$logf" |
			grep -a '  not ok - ' >&2
	done < <(grep -ao 'GKA-TEST not ok .*' "$logf")
	grep -aq 'GKA-TEST ' "$logf" || not_ok "$k ($name): integration tests ran"
	# A test of the shard's list without its line did not run to its end.
	for t in ${list//,/ }; do
		grep -aqE "GKA-TEST (not )?ok $t( |\$)" "$logf" ||
			not_ok "$k ($name): $t reported a result"
	done
	# No status: the shard's job died before its guest ended.
	if [ "$(cat "$out/guest-$name.status" 2>/dev/null)" = 0 ]; then
		ok "$k ($name): guest clean (no splat)"
	else
		not_ok "$k ($name): guest clean (no splat)"
	fi
done
log "every Debian kernel: $(($(date +%s) - start)) s"
