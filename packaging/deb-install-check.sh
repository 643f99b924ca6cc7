#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install gre-keepalive-dkms and gre-keepalive with apt in a scratch
# Debian 12 root (a debootstrap chroot that has dkms and the stock kernel's
# headers, as a router would), so that the dkms postinst really builds and
# installs the module there; check what got installed; purge both and
# check that nothing is left. Nothing is loaded; the machine's own
# /lib/modules and /var/lib/dkms are not touched.
#
# The chroot is built once and cached under
# $CACHE_ROOT/deb-root-<key>, keyed by suite, mirror, package list and
# debootstrap version; every run works on a fresh copy of it.
#
#   deb-install-check.sh DKMS_DEB TOOL_DEB KERNELRELEASE WORKDIR
#
# Prints "GKA-CHECK ok NAME" / "GKA-CHECK not ok NAME" lines on stdout.
set -euo pipefail
. "$(dirname "$0")/../scripts/common.sh"

[ $# -eq 4 ] || die "usage: $0 DKMS_DEB TOOL_DEB KERNELRELEASE WORKDIR"
dkms_deb=$(realpath "$1") tool_deb=$(realpath "$2") kver=$3 work=$(realpath -m "$4")
[ "$(id -u)" = 0 ] || die "needs root (chroot)"
command -v debootstrap >/dev/null || die "debootstrap is not installed"

SUITE=bookworm
MIRROR=${GKA_DEBIAN_MIRROR:-http://deb.debian.org/debian}
# What a router running the packages has: dkms (with its compiler), the
# headers of the kernel it runs, and the tool's libraries.
# The headers come from bookworm-security or -updates (debootstrap takes
# one suite), so they are installed with apt once the root exists.
PKGS="dkms kmod libmnl0 linux-headers-$kver"
SECURITY=${GKA_DEBIAN_SECURITY:-http://deb.debian.org/debian-security}

key=$(printf '%s\n' "$SUITE" "$MIRROR" "$SECURITY" "$PKGS" "$(debootstrap --version)" |
	sha256sum | cut -c1-12)
cache=$CACHE_ROOT/deb-root-$key
if [ ! -d "$cache" ]; then
	blog=$CACHE_ROOT/deb-root-$key.log
	log "debootstrap $SUITE, then apt-get install $PKGS, into $cache (once; log $blog)"
	! mountpoint -q "$cache.tmp/proc" || umount "$cache.tmp/proc"
	rm -rf --one-file-system "$cache.tmp"
	mkdir -p "$CACHE_ROOT"
	debootstrap --variant=minbase "$SUITE" "$cache.tmp" "$MIRROR" >"$blog" 2>&1 ||
		die "debootstrap failed; see $blog"
	cat >"$cache.tmp/etc/apt/sources.list" <<-EOF
	deb $MIRROR $SUITE main
	deb $MIRROR $SUITE-updates main
	deb $SECURITY $SUITE-security main
	EOF
	mount -t proc proc "$cache.tmp/proc"
	st=0
	# shellcheck disable=SC2086 # a list of packages
	{ chroot "$cache.tmp" apt-get update &&
		chroot "$cache.tmp" env DEBIAN_FRONTEND=noninteractive \
			apt-get install -y --no-install-recommends $PKGS &&
		chroot "$cache.tmp" apt-get clean; } >>"$blog" 2>&1 || st=$?
	umount "$cache.tmp/proc"
	[ "$st" = 0 ] || die "apt-get install $PKGS in the new root failed; see $blog"
	mv "$cache.tmp" "$cache"
fi

root=$work/root
cleanup() {
	umount "$root/proc" 2>/dev/null || true
	umount "$root/dev" 2>/dev/null || true
}
trap cleanup EXIT
cleanup
# Never into a /dev or /proc still mounted by a killed run.
for m in "$root/dev" "$root/proc"; do
	! mountpoint -q "$m" || die "$m is still mounted"
done
rm -rf --one-file-system "$work"
mkdir -p "$work"
cp -a "$cache" "$root"
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
# No daemon is started in the chroot.
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 0755 "$root/usr/sbin/policy-rc.d"
mkdir -p "$root/tmp/debs"
cp "$dkms_deb" "$tool_deb" "$root/tmp/debs/"

in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
	DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 "$@"; }

report() {	# report NAME command...
	local name=$1
	shift
	if "$@" >>"$work/checks.log" 2>&1; then
		echo "GKA-CHECK ok $name"
	else
		echo "GKA-CHECK not ok $name"
		log "failed: $name"
	fi
}

dkms_name=$(dpkg-deb -f "$dkms_deb" Package)
tool_name=$(dpkg-deb -f "$tool_deb" Package)
upstream=$(dpkg-deb -f "$tool_deb" Version)
upstream=${upstream%-*}
ko=/lib/modules/$kver/updates/dkms/gre_keepalive.ko

log "apt-get install ./$(basename "$dkms_deb") ./$(basename "$tool_deb") in the chroot"
start=$(date +%s)
st=0
in_root apt-get install -y --no-install-recommends \
	"/tmp/debs/$(basename "$dkms_deb")" "/tmp/debs/$(basename "$tool_deb")" \
	>"$work/install.log" 2>&1 || st=$?
log "installed in $(($(date +%s) - start)) s (log: $work/install.log)"
report "deb install: apt-get install of both packages succeeds" test "$st" = 0

report "deb install: dkms postinst installed the module as $ko" test -f "$root$ko"
report "deb install: it is built for $kver" \
	sh -c "modinfo -F vermagic '$root$ko' | grep -q '^$kver '"
report "deb install: dkms status says installed" \
	sh -c "chroot '$root' dkms status -m gre-keepalive -k '$kver' | grep -q ': installed'"
report "deb install: depmod data lists updates/dkms/gre_keepalive.ko" \
	grep -q '^updates/dkms/gre_keepalive.ko:' "$root/lib/modules/$kver/modules.dep"
report "deb install: gre-keepalive --version runs" \
	sh -c "chroot '$root' gre-keepalive --version | grep -qF 'gre-keepalive $upstream '"
report "deb install: man page" test -f "$root/usr/share/man/man8/gre-keepalive.8.gz"
report "deb install: systemd unit" test -f "$root/lib/systemd/system/gre-keepalive.service"
report "deb install: unit enabled (multi-user.target.wants)" \
	test -L "$root/etc/systemd/system/multi-user.target.wants/gre-keepalive.service"
conffiles=$(chroot "$root" dpkg-query -W -f='${Conffiles}' "$tool_name" || true)
report "deb install: /etc/gre-keepalive.conf is a conffile" \
	grep -q '^ /etc/gre-keepalive.conf ' <<<"$conffiles"
report "deb install: /etc/modprobe.d/gre-keepalive.conf is a conffile" \
	grep -q '^ /etc/modprobe.d/gre-keepalive.conf ' <<<"$conffiles"
report "deb install: the shipped example configuration is valid" \
	chroot "$root" gre-keepalive apply --check

log "apt-get purge $dkms_name $tool_name in the chroot"
st=0
in_root apt-get purge -y "$dkms_name" "$tool_name" >"$work/purge.log" 2>&1 || st=$?
report "deb purge: apt-get purge of both packages succeeds" test "$st" = 0
report "deb purge: no gre_keepalive.ko left in /lib/modules" \
	test -z "$(find "$root/lib/modules" -name 'gre_keepalive.ko*')"
report "deb purge: no DKMS state or source left" \
	test ! -e "$root/var/lib/dkms/gre-keepalive" -a ! -e "$root/usr/src/gre-keepalive-$upstream"
report "deb purge: conffiles and unit gone" \
	test ! -e "$root/etc/gre-keepalive.conf" -a ! -e "$root/etc/modprobe.d/gre-keepalive.conf" \
	-a ! -e "$root/lib/systemd/system/gre-keepalive.service" \
	-a ! -e "$root/etc/systemd/system/multi-user.target.wants/gre-keepalive.service"
