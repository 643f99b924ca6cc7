#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Debian's linux-headers of a newer kernel (bookworm-backports, e.g. 6.12)
# unpacked into the cache, for compile-testing the module against it:
#
#   make KDIR=$(scripts/backports-headers.sh) module     # newest one
#   scripts/backports-headers.sh 6.12.95+deb12-amd64      # that release
#
# apt is pointed at bookworm-backports through private lists under the
# cache (the machine's sources and lists are not touched); the packages are
# only downloaded and unpacked (dpkg -x), never installed. Prints the
# headers' directory (a KDIR) on stdout. Nothing built with it is loaded.
set -euo pipefail
. "$(dirname "$0")/common.sh"

MIRROR=${GKA_DEBIAN_MIRROR:-http://deb.debian.org/debian}
apt_dir=$CACHE_ROOT/bookworm-backports
mkdir -p "$apt_dir/lists/partial" "$apt_dir/dl"
# apt downloads as _apt where it can.
chown _apt "$apt_dir/dl" "$apt_dir/lists" "$apt_dir/lists/partial" 2>/dev/null || true
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $MIRROR bookworm-backports main" \
	>"$apt_dir/sources.list"
apt_opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list"
	-o Dir::Etc::SourceParts=/nonexistent
	-o "Dir::State::Lists=$apt_dir/lists")

rel=${1:-}
if [ -z "$rel" ] || ! apt-cache "${apt_opts[@]}" show "linux-headers-$rel" >/dev/null 2>&1; then
	apt-get "${apt_opts[@]}" -qq update >&2 || die "apt-get update (bookworm-backports) failed"
fi
if [ -z "$rel" ]; then
	rel=$(apt-cache "${apt_opts[@]}" search --names-only '^linux-headers-[0-9.]+\+[a-z0-9]+-amd64$' |
		awk '{ sub("^linux-headers-", "", $1); print $1 }' | sort -V | tail -1)
	[ -n "$rel" ] || die "no amd64 linux-headers in bookworm-backports"
fi

root=$CACHE_ROOT/headers-$rel
kdir=$root/usr/src/linux-headers-$rel
if [ ! -e "$kdir/.gka-ready" ]; then
	deps=$(apt-cache "${apt_opts[@]}" show "linux-headers-$rel" |
		sed -n '1,/^$/s/^Depends: //p' | tr ',' '\n' |
		grep -oE 'linux-(headers|kbuild)-[^ ]+' | sort -u | tr '\n' ' ')
	log "downloading linux-headers-$rel $deps"
	rm -rf "$root" "$apt_dir/dl"/*.deb
	# shellcheck disable=SC2086 # a list of packages
	(cd "$apt_dir/dl" && apt-get "${apt_opts[@]}" -qq download "linux-headers-$rel" $deps) >&2
	for deb in "$apt_dir/dl"/*.deb; do
		dpkg -x "$deb" "$root"
	done
	# The arch package's Makefile includes the common one by absolute path.
	sed -i "s|^include /usr/src/|include $root/usr/src/|" "$kdir/Makefile"
	touch "$kdir/.gka-ready"
fi
echo "$kdir"
