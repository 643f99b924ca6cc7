# SPDX-License-Identifier: GPL-2.0
# Shared settings for gre-keepalive's scripts; sourced, never run.

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE_ROOT=${GRE_KA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gre-keepalive}
JOBS=${JOBS:-$(nproc)}

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Version of Debian's linux-source-6.1 package, e.g. 6.1.192-2.
linux_source_version() {
	dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null
}

# The stock kernel ABI that linux-headers-amd64 points at, e.g. 6.1.0-56-amd64.
stock_kernel_release() {
	dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null |
		sed -n 's/.*linux-headers-\([0-9][^ ,]*-amd64\).*/\1/p'
}

debug_kernel_key() {
	{
		linux_source_version
		gcc --version | head -1
		cat "$REPO_ROOT/tests/debug-kernel.config"
	} | sha256sum | cut -c1-12
}

debug_kernel_dir() {
	echo "$CACHE_ROOT/debug-kernel/$(linux_source_version)-$(debug_kernel_key)"
}

stock_kernel_dir() {
	echo "$CACHE_ROOT/stock-kernel/$(stock_kernel_release)"
}

# What every guest gets besides the module: the tool and the test helpers
# (the "all" of tests/tools/Makefile), one mkinitramfs.sh argument a line:
#   mapfile -t tools < <(guest_tools)
guest_tools() {
	local t
	printf -- '--bin\n%s\n' "$REPO_ROOT/tool/gre-keepalive"
	for t in $(sed -n 's/^all: *//p' "$REPO_ROOT/tests/tools/Makefile"); do
		printf -- '--bin\n%s\n' "$REPO_ROOT/tests/tools/$t"
	done
}

# The integration tests for a kind of kernel: debug (KASAN, lockdep,
# kmemleak, fault injection), stock (Debian's 6.1, which the oracles of the
# fuzzers know) or other (the other Debian kernels). A test with a line
# "# gka-kernel: KIND..." runs on those kinds only, any other everywhere.
#   integration_tests debug|stock|other
integration_tests() {
	local t kinds
	for t in "$REPO_ROOT"/tests/integration/t-*.sh; do
		kinds=$(sed -n 's/^# gka-kernel: //p' "$t")
		[ -z "$kinds" ] || [[ " $kinds " == *" $1 "* ]] || continue
		basename "$t" .sh
	done
}

# A test's "# gka-cost: DEBUG [STOCK]" header: the seconds it takes on the
# debug kernel, then on a stock one (default a quarter of DEBUG); a test
# that does not run on the debug kernel (gka-kernel) gives STOCK alone.
#   test_cost debug|stock|other TEST
test_cost() {
	local f=$REPO_ROOT/tests/integration/$2.sh nodebug=0
	grep -q '^# gka-kernel: ' "$f" && ! grep -q '^# gka-kernel: .*\bdebug\b' "$f" &&
		nodebug=1
	sed -n 's/^# gka-cost: *//p' "$f" | awk -v kind="$1" -v nodebug=$nodebug '
	{ d = $1; s = NF > 1 ? $2 : nodebug ? $1 : int($1 / 4) }
	END { if (d == "") { d = 20; s = 5 } print kind == "debug" ? d : s }'
}

# N shards of about equal time: each test in turn (longest first) to the
# shard with least so far. Prints N lines "SECONDS NAME,NAME,...", the
# shard's expected time on that kind of kernel first (a shard with no
# test: "0 ").
#   split_shards N debug|stock|other TEST...
split_shards() {
	local n=$1 kind=$2 t
	shift 2
	for t in "$@"; do
		echo "$(test_cost "$kind" "$t") $t"
	done | sort -k1,1rn -k2,2 | awk -v n="$n" '
	{
		m = 1
		for (i = 2; i <= n; i++) if (c[i] < c[m]) m = i
		c[m] += $1; s[m] = s[m] "," $2
	}
	END { for (i = 1; i <= n; i++) print c[i] + 0, substr(s[i], 2) }'
}

# Whether any of TESTS (names, or comma-separated lists of them) has the
# line "# gka-needs: routers": its guest needs the router root's disk
# (GKA_DISK=$(scripts/router-root.sh)) and 1024 MB for the daemons.
#   tests_need_routers TEST...
tests_need_routers() {
	local t
	for t in $(echo "$@" | tr ',' ' '); do
		grep -qsx '# gka-needs:.* routers\( .*\)\{0,1\}' \
			"$REPO_ROOT/tests/integration/$t.sh" && return 0
	done
	return 1
}
