#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make demo: run the two-router demo on Debian's stock kernel in a qemu
# guest, and show what happened, with timestamps.
set -euo pipefail
. "$(dirname "$0")/common.sh"

"$REPO_ROOT/scripts/install-deps.sh"
mkdir -p "$REPO_ROOT/build"
log "booting Debian's stock kernel under qemu (about a minute)"
GKA_MODE=demo "$REPO_ROOT/scripts/quick.sh" stock > "$REPO_ROOT/build/demo.raw" 2>&1 ||
	{ cat "$REPO_ROOT/build/demo.raw"; die "demo failed"; }
grep -E '\[demo |gre_keepalive: gre1|ok - ' "$REPO_ROOT/build/demo.raw" |
	sed -E 's/^\[ *([0-9.]+)\] gre_keepalive: /[kernel %\1 s] /; s/%//'
