#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build (once) the debug kernel the tests boot: Debian's linux-source-6.1,
# allnoconfig plus tests/debug-kernel.config. Cached under ~/.cache keyed by
# source version, compiler and fragment; prints the build directory.
set -euo pipefail
. "$(dirname "$0")/common.sh"

dir=$(debug_kernel_dir)
if [ -f "$dir/.built" ]; then
	echo "$dir"
	exit 0
fi

tarball=/usr/src/linux-source-6.1.tar.xz
[ -f "$tarball" ] || die "$tarball missing (apt-get install linux-source-6.1)"

log "building debug kernel in $dir (first run only, about 5-10 minutes)"
rm -rf "$dir"
mkdir -p "$dir"
tar -C "$dir" --strip-components=1 -xf "$tarball"
cp "$REPO_ROOT/tests/debug-kernel.config" "$dir/fragment.config"
(
	cd "$dir"
	make -s allnoconfig KCONFIG_ALLCONFIG=fragment.config
	# Every line of the fragment must have survived Kconfig's dependency
	# resolution; a silently dropped option would weaken every test.
	missing=0
	while IFS= read -r line; do
		case "$line" in CONFIG_*=*) ;; *) continue ;; esac
		grep -qx "$line" .config || { log "fragment option not set: $line"; missing=1; }
	done < fragment.config
	[ "$missing" = 0 ] || die "config fragment does not apply cleanly"
	make -s -j"$JOBS" bzImage modules
	make -s -j"$JOBS" modules_prepare
) >&2
touch "$dir/.built"
echo "$dir"
