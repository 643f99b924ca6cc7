#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check's packaging part, for Debian's stock kernel:
#  0. One version: VERSION is debian/changelog's upstream version, and
#     dkms.conf leaves it to be filled in (#MODULE_VERSION#).
#  1. DKMS: dkms add/build/install of this tree into a scratch DKMS tree and
#     a scratch install tree (never /var/lib/dkms or /lib/modules), check
#     the module under <tree>/lib/modules/<rel>/updates/dkms/; boot the stock
#     kernel in qemu with THAT module in the guest's updates/dkms/ and have
#     modprobe load it from there (tests/integration/t-60-modprobe-location.sh
#     with gka.moddir=updates/dkms); then dkms remove, and check that
#     nothing is left in either tree; then dkms autoinstall (what DKMS's
#     kernel hooks run for a new kernel) on the added module, and remove.
#  2. Debian packages: make deb (dpkg-buildpackage, lintian, DKMS build),
#     then apt-get install of both .debs in a debootstrap chroot with the
#     stock headers, and purge (packaging/deb-install-check.sh).
# Nothing is loaded into this machine's kernel.
#
#   check-packaging.sh OUTDIR TOOL_BINARY
#
# Prints "GKA-CHECK ok NAME" / "GKA-CHECK not ok NAME" lines on stdout;
# logs go to OUTDIR and stderr.
set -uo pipefail
. "$(dirname "$0")/common.sh"

[ $# -eq 2 ] || die "usage: $0 OUTDIR TOOL_BINARY"
out=$(realpath -m "$1") tool=$(realpath "$2")
rel=$(stock_kernel_release)
[ -n "$rel" ] || die "linux-headers-amd64 is not installed"
[ -e "/lib/modules/$rel/build" ] || die "no headers for $rel"

ok() { echo "GKA-CHECK ok $1"; }
not_ok() { echo "GKA-CHECK not ok $1"; log "failed: $1"; }
report() {	# report NAME command...
	local name=$1
	shift
	if "$@" >>"$work/checks.log" 2>&1; then ok "$name"; else not_ok "$name"; fi
}

# --- 0. One version ------------------------------------------------------
mkdir -p "$out"
version=$(cat "$REPO_ROOT/VERSION")
changelog=$(dpkg-parsechangelog -l "$REPO_ROOT/debian/changelog" -S Version)
dkms_version=$(sed -n 's/^PACKAGE_VERSION="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$REPO_ROOT/dkms.conf")
log "VERSION $version, debian/changelog $changelog, dkms.conf PACKAGE_VERSION $dkms_version"
report_now() {	# report_now NAME command...: like report, before the logs exist
	local name=$1
	shift
	if "$@"; then ok "$name"; else not_ok "$name"; fi
}
report_now "VERSION ($version) is debian/changelog's upstream version (${changelog%-*})" \
	test -n "$version" -a "$version" = "${changelog%-*}"
report_now "dkms.conf takes its version from the package (#MODULE_VERSION#)" \
	test "$dkms_version" = "#MODULE_VERSION#"

# --- 1. DKMS from the tree ----------------------------------------------
work=$out/dkms
rm -rf "$work"
mkdir -p "$work/src" "$work/dkms" "$work/keys" "$work/install/lib/modules/$rel"
name=$(sed -n 's/^PACKAGE_NAME="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$REPO_ROOT/dkms.conf")
# The module's source as gre-keepalive-dkms ships it (debian/*-dkms.install),
# with the version put into dkms.conf as dh_dkms -V does.
src=$work/src/$name-$version
mkdir -p "$src/src" "$src/include/uapi/linux"
cp "$REPO_ROOT"/{Kbuild,Makefile,VERSION} "$src/"
sed "s/#MODULE_VERSION#/$version/g" "$REPO_ROOT/dkms.conf" >"$src/dkms.conf"
cp "$REPO_ROOT"/src/*.[ch] "$src/src/"
cp "$REPO_ROOT"/include/uapi/linux/*.h "$src/include/uapi/linux/"

inst=$work/install/lib/modules
ko=$inst/$rel/updates/dkms/gre_keepalive.ko
# A throwaway signing key (the headers' config has CONFIG_MODULE_SIG), and
# no depmod: dkms would run it on this machine's /lib/modules.
export mok_signing_key=$work/keys/mok.key mok_certificate=$work/keys/mok.pub
dkms=(dkms --dkmstree "$work/dkms" --sourcetree "$work/src" --installtree "$inst")
m=(-m "$name" -v "$version" -k "$rel")

start=$(date +%s)
st=0
{ "${dkms[@]}" add -m "$name" -v "$version" &&
	"${dkms[@]}" build "${m[@]}" &&
	"${dkms[@]}" install --no-depmod "${m[@]}"; } >"$work/dkms.log" 2>&1 || st=$?
log "dkms add/build/install for $rel: $(($(date +%s) - start)) s (log: $work/dkms.log)"
[ "$st" = 0 ] || { cat "$work/dkms.log" >&2; find "$work/dkms" -name make.log -exec cat {} + >&2; }
report "dkms add/build/install for $rel (scratch trees)" test "$st" = 0
report "dkms install put the module in updates/dkms/" test -f "$ko"
report "dkms status: installed" \
	sh -c "${dkms[*]} status ${m[*]} | grep -q ': installed'"
report "dkms module built for $rel (vermagic)" \
	sh -c "modinfo -F vermagic '$ko' | grep -q '^$rel '"
report "the module's version (modinfo) is VERSION, $version" \
	test "$(modinfo -F version "$ko" 2>/dev/null)" = "$version"

# The stock kernel in qemu, with the DKMS-installed tree and no other copy.
st=0
sk=$("$REPO_ROOT/scripts/stock-kernel.sh") || st=1
"$REPO_ROOT/scripts/mkinitramfs.sh" "$work/dkms.cpio.gz" "$rel" \
	--stock-root "$sk/root" --mod-tree "$inst/$rel" --bin "$tool" \
	>"$work/initramfs.log" 2>&1 || st=1
report "initramfs with the DKMS module in updates/dkms" test "$st" = 0
if [ "$st" = 0 ]; then
	start=$(date +%s)
	GKA_SMP=1 "$REPO_ROOT/scripts/run-guest.sh" "$sk/root/boot/vmlinuz-$rel" \
		"$work/dkms.cpio.gz" "$work/guest.log" 600 512 \
		"gka.mode=tests gka.only=t-60-modprobe-location gka.moddir=updates/dkms" \
		>/dev/null 2>&1
	st=$?
	log "DKMS guest: $(($(date +%s) - start)) s (log: $work/guest.log)"
	grep -E '  (not )?ok - |assertions' "$work/guest.log" >&2
	report "guest: modprobe loads the DKMS module from updates/dkms" \
		grep -q 'GKA-TEST ok t-60-modprobe-location' "$work/guest.log"
	report "DKMS guest clean (no splat)" test "$st" = 0
fi

st=0
"${dkms[@]}" remove --no-depmod -m "$name" -v "$version" --all \
	>>"$work/dkms.log" 2>&1 || st=$?
report "dkms remove" test "$st" = 0
report "dkms remove: no file left in the install tree" \
	test -z "$(find "$work/install" -type f)"
report "dkms remove: nothing left in the DKMS tree" \
	test -z "$(find "$work/dkms" -mindepth 1)"

# AUTOINSTALL: what DKMS's kernel hooks (/etc/kernel/postinst.d/dkms,
# header_postinst.d/dkms) run for a newly installed kernel, with the
# module only added: it must be built and installed for that kernel.
st=0
{ "${dkms[@]}" add -m "$name" -v "$version" &&
	"${dkms[@]}" autoinstall --no-depmod -k "$rel"; } >>"$work/dkms.log" 2>&1 || st=$?
report "dkms autoinstall (new kernel hook) builds and installs it" \
	test "$st" = 0 -a -f "$ko"
"${dkms[@]}" remove --no-depmod -m "$name" -v "$version" --all >>"$work/dkms.log" 2>&1
report "dkms remove after autoinstall: nothing left" \
	test -z "$(find "$work/install" -type f)" -a -z "$(find "$work/dkms" -mindepth 1)"

# BUILD_EXCLUSIVE_KERNEL: a kernel older than 5.10 is skipped, with a
# message and exit status 77, instead of a build that fails. (Bookworm's
# dkms 3.0.10 "autoinstall" still counts that skip as a failure, dkms
# issue #302, fixed in 3.0.11; trixie's 3.2 reports it skipped.)
old_rel=4.19.0-27-amd64
mkdir -p "$work/old-headers/include"
st=0
{ "${dkms[@]}" add -m "$name" -v "$version" &&
	"${dkms[@]}" build -m "$name" -v "$version" -k "$old_rel" \
		--kernelsourcedir "$work/old-headers"; } >>"$work/dkms.log" 2>&1 || st=$?
report "dkms skips $old_rel, older than 5.10 (BUILD_EXCLUSIVE_KERNEL, exit 77)" \
	test "$st" = 77
"${dkms[@]}" remove --no-depmod -m "$name" -v "$version" --all >>"$work/dkms.log" 2>&1
report "dkms remove after the skip: nothing left" \
	test -z "$(find "$work/install" -type f)" -a -z "$(find "$work/dkms" -mindepth 1)"

# --- 2. Debian packages, installed in a chroot ------------------------------
start=$(date +%s)
debs=$("$REPO_ROOT/scripts/build-deb.sh" 2>"$out/build-deb.log")
st=$?
log "make deb: $(($(date +%s) - start)) s (log: $out/build-deb.log)"
grep -E '^[EWI]: ' "$out/build-deb.log" >&2
report "make deb: both packages built, lintian without errors" test "$st" = 0
dkms_deb=$(grep -- '-dkms_.*\.deb$' <<<"$debs")
tool_deb=$(grep -- '/gre-keepalive_.*\.deb$' <<<"$debs")
if [ "$st" = 0 ] && [ -n "$dkms_deb" ] && [ -n "$tool_deb" ]; then
	start=$(date +%s)
	"$REPO_ROOT/packaging/deb-install-check.sh" "$dkms_deb" "$tool_deb" "$rel" \
		"$out/deb-install" || not_ok "deb install check ran"
	log "deb install check: $(($(date +%s) - start)) s"
fi
