#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the module the way gre-keepalive-dkms's postinst would, from the
# sources inside the .deb, but in a scratch DKMS tree: "dkms add" and
# "dkms build" only. Nothing is installed into /lib/modules, /var/lib/dkms
# stays untouched, the signing key DKMS makes is a throwaway one in WORKDIR,
# and nothing is loaded.
#   dkms-check.sh gre-keepalive-dkms_*.deb KERNELRELEASE WORKDIR
set -euo pipefail
. "$(dirname "$0")/../scripts/common.sh"

[ $# -eq 3 ] || die "usage: $0 DKMS_DEB KERNELRELEASE WORKDIR"
deb=$(realpath "$1") kver=$2 work=$(realpath -m "$3")
command -v dkms >/dev/null || die "dkms is not installed"
[ -e "/lib/modules/$kver/build" ] || die "no headers for $kver: /lib/modules/$kver/build"

rm -rf "$work"
mkdir -p "$work/root" "$work/dkms" "$work/keys"
dpkg-deb -x "$deb" "$work/root"

conf=$(find "$work/root/usr/src" -mindepth 2 -maxdepth 2 -name dkms.conf)
[ "$(printf '%s\n' "$conf" | grep -c .)" = 1 ] ||
	die "want exactly one /usr/src/*/dkms.conf in $deb, found: ${conf:-none}"
# PACKAGE_NAME and PACKAGE_VERSION, as DKMS reads them.
name=$(sed -n 's/^PACKAGE_NAME="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$conf")
version=$(sed -n 's/^PACKAGE_VERSION="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$conf")
[ "$(dirname "$conf")" = "$work/root/usr/src/$name-$version" ] ||
	die "dkms.conf says $name-$version but lives in $(dirname "$conf")"

# Signing (the headers' config has CONFIG_MODULE_SIG) would otherwise make
# and use /var/lib/dkms/mok.key.
export mok_signing_key=$work/keys/mok.key mok_certificate=$work/keys/mok.pub
dkms=(dkms --dkmstree "$work/dkms" --sourcetree "$work/root/usr/src")

log "dkms add/build $name/$version for $kver (scratch tree $work/dkms)"
if ! { "${dkms[@]}" add -m "$name" -v "$version" &&
	"${dkms[@]}" build -m "$name" -v "$version" -k "$kver"; } >"$work/dkms.log" 2>&1; then
	cat "$work/dkms.log" >&2
	find "$work/dkms" -name make.log -exec cat {} + >&2 || true
	die "dkms build of $name/$version for $kver failed"
fi

status=$("${dkms[@]}" status -m "$name" -v "$version" -k "$kver")
case $status in
*": built"*) ;;
*) die "dkms status after the build: '$status'" ;;
esac
ko=$(find "$work/dkms/$name/$version/$kver" -path '*/module/*' -name 'gre_keepalive.ko*')
[ -n "$ko" ] || die "dkms built no gre_keepalive.ko"
vermagic=$(modinfo -F vermagic "$ko")
[ "${vermagic%% *}" = "$kver" ] || die "$ko has vermagic '$vermagic', want $kver"
# One version (VERSION, through Kbuild): the module's is the package's.
modversion=$(modinfo -F version "$ko")
[ "$modversion" = "$version" ] ||
	die "the module says MODULE_VERSION(\"$modversion\"), dkms.conf $version"
[ "$(cat "$work/root/usr/src/$name-$version/VERSION" 2>/dev/null)" = "$version" ] ||
	die "/usr/src/$name-$version/VERSION is missing or not $version"
log "$status"
log "version $modversion, vermagic $vermagic: $ko"
