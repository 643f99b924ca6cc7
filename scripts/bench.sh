#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: figures on Debian's stock kernel, in qemu guests. Prints
# figures; fails only if a bench itself broke.
#   bench.sh [all|detect|scale|failover]
# detect: detection and timer figures (tests/integration/bench.sh).
# scale: many tunnels (tests/bench/scale.sh) in a guest of its own with
# GKA_MEM MB (default 3072): prints a markdown table with goal, measured
# and pass/miss per row, and writes it to build/bench-scale.md and as JSON
# to build/bench-scale.json (GKA_OUT=DIR: there instead of build/). Its
# settings come from the environment, GKA_SCALE_N1=1000 GKA_SCALE_I1_MS=1000
# GKA_SCALE_N2=10000 GKA_SCALE_I2_MS=10000 GKA_SCALE_RETRIES=3
# GKA_SCALE_WINDOW_S=60 GKA_SCALE_BASE_S=30 GKA_SCALE_DAEMON=1
# GKA_SCALE_STORM=1 (GKA_SCALE_N2=0: part 1 only); GKA_SCALE_BEFORE=RAW adds
# a column with the figures of an earlier run (its bench-scale.raw).
# failover: keepalive side by side with FRR's bfdd (OSPF over the tunnel,
# tests/integration/bench-failover.sh) in a guest with the router root:
# prints a markdown table and writes it to build/bench-failover.md (raw
# lines in bench-failover.raw). GKA_FAILOVER_RUNS=20 runs per configuration,
# GKA_FAILOVER_CPU_S=20 s CPU windows; about 15 minutes with the defaults.
set -euo pipefail
. "$(dirname "$0")/common.sh"

what=${1:-all}
case "$what" in
all | detect | scale | failover) ;;
*) die "usage: bench.sh [all|detect|scale|failover]" ;;
esac
OUT=${GKA_OUT:-$REPO_ROOT/build}
export GKA_OUT=$OUT

"$REPO_ROOT/scripts/install-deps.sh"
mkdir -p "$OUT"
if [ "$what" = all ] || [ "$what" = detect ]; then
	GKA_MODE=bench "$REPO_ROOT/scripts/quick.sh" stock > "$OUT/bench.raw" 2>&1 ||
		{ tail -50 "$OUT/bench.raw"; die "bench failed"; }
	grep -ao 'BENCH.*' "$OUT/bench.raw" | sed 's/^BENCH //'
fi

failover() {
	local env disk load st=0
	env=$(env | grep -E '^GKA_FAILOVER_(RUNS|CPU_S)=[0-9]+$' | paste -sd, -) || true
	disk=$("$REPO_ROOT/scripts/router-root.sh")
	# The host's load, before and after, as for the scale section.
	load=$(cut -d' ' -f1 /proc/loadavg)
	GKA_MODE=bench-failover GKA_DISK=$disk GKA_MEM=${GKA_MEM:-1024} GKA_GUEST_ENV=$env \
		"$REPO_ROOT/scripts/quick.sh" stock > "$OUT/bench-failover.log" 2>&1 || st=$?
	{
		grep -a '^BENCH-FO ' "$OUT/bench-failover.log" || true
		echo "BENCH-FO host cpus=$(nproc) load=$load-$(cut -d' ' -f1 /proc/loadavg)"
	} > "$OUT/bench-failover.raw"
	if ! grep -q '^BENCH-FO run ' "$OUT/bench-failover.raw"; then
		tail -50 "$OUT/bench-failover.log"
		die "failover bench failed"
	fi
	"$REPO_ROOT/tests/bench/failover-report.sh" "$OUT/bench-failover.raw" | tee "$OUT/bench-failover.md"
	if [ "$st" != 0 ]; then
		tail -50 "$OUT/bench-failover.log"
		die "failover bench failed (the table holds what it measured before)"
	fi
}
if [ "$what" = failover ]; then
	failover
	exit 0
fi
[ "$what" != detect ] || exit 0

# The scale section: its settings go to the guest on the kernel command line.
env=$(env | grep '^GKA_SCALE_[A-Z0-9_]*=[0-9]*$' | grep -v '^GKA_SCALE_BEFORE=' | paste -sd, -) || true
# The host's load, before and after: other guests running meanwhile slow
# this one down and make its figures worse.
load=$(cut -d' ' -f1 /proc/loadavg)
st=0
GKA_MODE=bench-scale GKA_MEM=${GKA_MEM:-3072} GKA_GUEST_ENV=$env \
	"$REPO_ROOT/scripts/quick.sh" stock > "$OUT/bench-scale.log" 2>&1 || st=$?
{
	grep -a '^SCALE ' "$OUT/bench-scale.log" || true
	echo "SCALE meta.host_cpus $(nproc)"
	echo "SCALE meta.host_load $load-$(cut -d' ' -f1 /proc/loadavg)"
} > "$OUT/bench-scale.raw"
grep -q '^SCALE n1' "$OUT/bench-scale.raw" || { tail -50 "$OUT/bench-scale.log"; die "scale bench failed"; }
"$REPO_ROOT/tests/bench/scale-report.sh" "$OUT/bench-scale.raw" "$OUT/bench-scale.json" \
	${GKA_SCALE_BEFORE:+"$GKA_SCALE_BEFORE"} | tee "$OUT/bench-scale.md"
if [ "$st" != 0 ]; then
	tail -50 "$OUT/bench-scale.log"
	die "scale bench failed (the table holds what it measured before)"
fi
[ "$what" != all ] || failover
