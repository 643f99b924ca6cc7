#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make demo: the failover demo (tests/integration/demo.sh) on Debian's
# stock kernel in a qemu guest, shown as it happens: the demo's timeline,
# the module's kernel lines (A's tunnel is gre1, B's gre2) and the summary.
# Everything the guest printed is in build/demo.raw.
set -euo pipefail
. "$(dirname "$0")/common.sh"

"$REPO_ROOT/scripts/install-deps.sh"
mkdir -p "$REPO_ROOT/build"
log "booting Debian's stock kernel under qemu (a minute or two), then two failover cycles"
A='192\.0\.2\.1'
B='198\.51\.100\.2'
st=0
GKA_MODE=demo "$REPO_ROOT/scripts/quick.sh" stock 2>&1 |
	tee "$REPO_ROOT/build/demo.raw" |
	sed -u -n -E \
		-e 's/\r$//' \
		-e 's/^\[( *[0-9]+\.[0-9]{3})[0-9]*\] /[\1 s] /' \
		-e "s/gre_keepalive: gre1: sending keepalive, $A->$B .*counter=([0-9]+)/A: probe sent to B, counter \1/" \
		-e "s/gre_keepalive: gre2: sending keepalive, $B->$A .*counter=([0-9]+)/B: probe sent to A, counter \1/" \
		-e "s/gre_keepalive: gre1: keepalive reply from $B/A: reply from B/" \
		-e "s/gre_keepalive: gre2: keepalive reply from $A/B: reply from A/" \
		-e 's/gre_keepalive: gre1: /A gre1: /' \
		-e 's/gre_keepalive: gre2: /B gre2: /' \
		-e 's/ demo: / /' \
		-e '/^\[ *[0-9.]+ s\] (A |A:|B |B:|stream:|===|>>>|cycle |ha )/p' \
		-e '/^\[ *[0-9.]+ s\] /d' \
		-e 's/^demo\| //p' \
		-e '/^$/p' \
		-e '/not ok|GKA-EXIT [^0]/p' || st=$?
[ "$st" = 0 ] || die "demo failed (build/demo.raw has everything)"
