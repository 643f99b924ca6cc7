#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: figures on Debian's stock kernel, in qemu guests. Prints
# figures; fails only if a bench itself broke.
#   bench.sh [all|detect|scale]
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
set -euo pipefail
. "$(dirname "$0")/common.sh"

what=${1:-all}
case "$what" in
all | detect | scale) ;;
*) die "usage: bench.sh [all|detect|scale]" ;;
esac
OUT=${GKA_OUT:-$REPO_ROOT/build}
export GKA_OUT=$OUT

"$REPO_ROOT/scripts/install-deps.sh"
mkdir -p "$OUT"
if [ "$what" != scale ]; then
	GKA_MODE=bench "$REPO_ROOT/scripts/quick.sh" stock > "$OUT/bench.raw" 2>&1 ||
		{ tail -50 "$OUT/bench.raw"; die "bench failed"; }
	grep -ao 'BENCH.*' "$OUT/bench.raw" | sed 's/^BENCH //'
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
