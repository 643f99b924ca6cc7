#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unpack (once) Debian's stock kernel, the one linux-headers-amd64 builds
# for, into ~/.cache. It is never installed on this machine; the guest
# runner boots it under qemu. Prints the directory.
set -euo pipefail
. "$(dirname "$0")/common.sh"

release=$(stock_kernel_release)
[ -n "$release" ] || die "linux-headers-amd64 not installed"
dir=$(stock_kernel_dir)
if [ -f "$dir/.unpacked" ]; then
	echo "$dir"
	exit 0
fi

log "unpacking stock kernel $release into $dir"
rm -rf "$dir"
mkdir -p "$dir/deb"
(cd "$dir/deb" && apt-get download -qq -o APT::Sandbox::User=root "linux-image-$release") >&2
dpkg -x "$dir"/deb/*.deb "$dir/root"
rm -rf "$dir/deb"
[ -f "$dir/root/boot/vmlinuz-$release" ] || die "no vmlinuz in linux-image-$release"
# The package leaves depmod to its postinst, which we do not run.
depmod -b "$dir/root" "$release"
touch "$dir/.unpacked"
echo "$dir"
