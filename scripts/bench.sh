#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: detection and timer figures on Debian's stock kernel, in a
# qemu guest. Prints figures; fails only if the bench itself broke.
set -euo pipefail
. "$(dirname "$0")/common.sh"

"$REPO_ROOT/scripts/install-deps.sh"
mkdir -p "$REPO_ROOT/build"
GKA_MODE=bench "$REPO_ROOT/scripts/quick.sh" stock > "$REPO_ROOT/build/bench.raw" 2>&1 ||
	{ tail -50 "$REPO_ROOT/build/bench.raw"; die "bench failed"; }
grep -o 'BENCH.*' "$REPO_ROOT/build/bench.raw" | sed 's/^BENCH //'
