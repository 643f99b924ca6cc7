#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install, on Debian 12, whatever the build, tests and demo need and the
# machine lacks. Never installs or boots a kernel on this machine: the
# kernels are unpacked and booted under qemu by the other scripts.
set -euo pipefail
. "$(dirname "$0")/common.sh"

packages=(
	build-essential bc bison flex libelf-dev libssl-dev dwarves cpio xz-utils
	kmod rsync python3 sparse pkg-config libmnl-dev
	python3-yaml python3-jsonschema
	linux-source-6.1 linux-headers-amd64
	qemu-system-x86 busybox-static iproute2 util-linux groff-base nftables netbase
	dpkg-dev debhelper dh-dkms dkms lintian debootstrap
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

[ "$(id -u)" = 0 ] || die "need root to install: ${missing[*]}"
log "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || log "apt-get update failed; continuing with the lists we have"
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
