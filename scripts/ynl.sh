#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The kernel's YNL tooling for the family's netlink spec.
#
#   ynl.sh            print the directory of the tooling: tools/net/ynl
#                     (cli.py, ynl-gen-c.py, lib/) and the spec schemas
#                     (Documentation/netlink/*.yaml)
#   ynl.sh validate   check the spec against the kernel's schema for its
#                     protocol, and that YNL's own parser resolves it
#   ynl.sh uapi       print the UAPI header ynl-gen-c makes of the spec:
#                       scripts/ynl.sh uapi > include/uapi/linux/gre_keepalive.h
#
# The tooling comes from trixie's linux-source-6.12, downloaded with the
# trixie build root's apt (scripts/debian-chroot.sh), never installed, and
# is unpacked once into $CACHE_ROOT/ynl-VERSION. The version is pinned:
# make check compares the header with what this ynl-gen-c makes of the
# spec, and another release may format it differently. GKA_YNL_VERSION
# picks another (apt-cache policy linux-source-6.12 in the trixie root).
set -euo pipefail
. "$(dirname "$0")/common.sh"

version=${GKA_YNL_VERSION:-6.12.117-1}
pkg=linux-source-6.12
dir=$CACHE_ROOT/ynl-$version
spec=$REPO_ROOT/Documentation/netlink/specs/gre_keepalive.yaml
# Debian's, with python3-yaml and python3-jsonschema (install-deps.sh).
python=/usr/bin/python3

fetch() {
	[ -f "$dir/.unpacked" ] && return
	mkdir -p "$CACHE_ROOT"
	exec 9>"$dir.lock"
	flock 9
	[ -f "$dir/.unpacked" ] && return
	local root dl=/tmp/gka-ynl-$version
	root=$("$REPO_ROOT/scripts/debian-chroot.sh" --root trixie)
	log "unpacking tools/net/ynl of $pkg $version into $dir"
	rm -rf "$root$dl" "$dir"
	mkdir -p "$root$dl" "$dir"
	chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		sh -c 'cd "$1" && shift && exec "$@"' sh "$dl" \
		apt-get -o Acquire::Check-Valid-Until=false -o APT::Sandbox::User=root \
		-qq download "$pkg=$version" >&2 ||
		die "apt-get download $pkg=$version failed (gone from trixie? see GKA_YNL_VERSION)"
	dpkg-deb --fsys-tarfile "$root$dl/${pkg}_${version}_all.deb" |
		tar -xO "./usr/src/$pkg.tar.xz" |
		tar -xJ -C "$dir" --strip-components=1 --wildcards \
			"$pkg/tools/net/ynl" "$pkg/Documentation/netlink/*.yaml"
	rm -rf "$root$dl"
	[ -f "$dir/tools/net/ynl/cli.py" ] || die "no tools/net/ynl/cli.py in $pkg $version"
	[ -f "$dir/Documentation/netlink/genetlink.yaml" ] ||
		die "no Documentation/netlink/genetlink.yaml in $pkg $version"
	touch "$dir/.unpacked"
}

# The spec in a tree laid out as the kernel's: ynl-gen-c names the spec
# by its path below the directory that has MAINTAINERS, and YNL finds the
# schema for the spec's protocol at ../../PROTOCOL.yaml from the spec.
kernel_tree() {
	tree=$(mktemp -d)
	trap 'rm -rf "$tree"' EXIT
	touch "$tree/MAINTAINERS"
	mkdir -p "$tree/Documentation/netlink/specs"
	ln -s "$dir"/Documentation/netlink/*.yaml "$tree/Documentation/netlink/"
	cp "$spec" "$tree/Documentation/netlink/specs/"
	tspec=$tree/Documentation/netlink/specs/$(basename "$spec")
}

fetch
case "${1:-}" in
"")
	echo "$dir"
	;;
validate)
	kernel_tree
	# SpecFamily validates against the schema, then resolves every name.
	PYTHONPATH=$dir/tools/net/ynl "$python" -c '
import sys
from lib.nlspec import SpecFamily
f = SpecFamily(sys.argv[1])
print(f"valid {f.proto}: {len(f.msgs)} messages, {len(f.attr_sets)} attribute set")' "$tspec"
	;;
uapi)
	kernel_tree
	"$python" "$dir/tools/net/ynl/ynl-gen-c.py" --mode uapi --header --spec "$tspec"
	;;
*) die "usage: $0 [validate|uapi]" ;;
esac
