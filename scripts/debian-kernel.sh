#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unpack (once) a Debian release's kernel into ~/.cache, as
# scripts/stock-kernel.sh does for the machine's own stock kernel: the
# linux-image package is downloaded with the release's build root's apt
# (scripts/debian-chroot.sh) and unpacked with dpkg -x, never installed.
# The guest runner boots it under qemu.
#
#   debian-kernel.sh RELEASE [KVER]    prints the directory; its root/ has
#                                      boot/vmlinuz-KVER and lib/modules/KVER
#
# KVER defaults to the release's current kernel (debian-chroot.sh --kver).
# The directory is $CACHE_ROOT/stock-kernel/KVER, the one stock-kernel.sh
# uses: bookworm's kernel is unpacked once for both.
set -euo pipefail
. "$(dirname "$0")/common.sh"

[ $# -ge 1 ] || die "usage: $0 RELEASE [KVER]"
release=$1 kver=${2:-}
[ -n "$kver" ] || kver=$("$REPO_ROOT/scripts/debian-chroot.sh" --kver "$release")
dir=$CACHE_ROOT/stock-kernel/$kver
if [ -f "$dir/.unpacked" ]; then
	echo "$dir"
	exit 0
fi

root=$("$REPO_ROOT/scripts/debian-chroot.sh" --root "$release")
target=
[ "$release" = experimental ] && target=experimental
log "unpacking linux-image-$kver ($release) into $dir"
rm -rf "$dir"
mkdir -p "$dir"
dl=$root/tmp/gka-image-$kver
rm -rf "$dl"
mkdir -p "$dl"
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"; }
# From 7.x, linux-image-KVER is empty: vmlinuz is in linux-binary-KVER,
# the modules in linux-modules-KVER,
# modules.builtin and .order in linux-base-KVER.
pkgs="linux-image-$kver $(in_root apt-cache ${target:+-t "$target"} depends "linux-image-$kver" |
	sed -n "s/^ *Depends: \(linux-\(base\|binary\|modules\)-$kver\)\$/\1/p" | sort -u | tr '\n' ' ')"
# shellcheck disable=SC2086 # a list of packages
in_root sh -c 'cd "$1" && shift && exec "$@"' sh "/tmp/gka-image-$kver" \
	apt-get -o Acquire::Check-Valid-Until=false -o APT::Sandbox::User=root \
	-qq ${target:+-t "$target"} download $pkgs >&2 ||
	die "apt-get download $pkgs in $root failed"
for deb in "$dl"/*.deb; do
	dpkg -x "$deb" "$dir/root"
done
rm -rf "$dl"
# trixie on ships /usr/lib/modules; depmod -b and modprobe -d look in lib/.
if [ ! -e "$dir/root/lib" ] && [ -d "$dir/root/usr/lib/modules" ]; then
	ln -s usr/lib "$dir/root/lib"
fi
# From 7.x the image is /usr/lib/modules/KVER/vmlinuz: linked where
# stock-kernel.sh's callers look for it.
if [ ! -e "$dir/root/boot/vmlinuz-$kver" ] && [ -f "$dir/root/usr/lib/modules/$kver/vmlinuz" ]; then
	mkdir -p "$dir/root/boot"
	ln -s "../usr/lib/modules/$kver/vmlinuz" "$dir/root/boot/vmlinuz-$kver"
fi
[ -f "$dir/root/boot/vmlinuz-$kver" ] || die "no vmlinuz in linux-image-$kver"
# The package leaves depmod to its postinst, which we do not run.
depmod -b "$dir/root" "$kver"
touch "$dir/.unpacked"
echo "$dir"
