#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the Debian packages gre-keepalive-dkms and gre-keepalive into
# build/deb/, from a clean copy of the tree: the files git tracks or would
# track (uncommitted changes and new files included, build products and
# ignored files never). Runs lintian over the source and binary packages
# (an error fails the build, warnings are printed), then builds the module
# from the gre-keepalive-dkms package in a scratch DKMS tree against the
# installed Debian headers (packaging/dkms-check.sh; nothing is installed
# into /lib/modules or loaded). Prints the .deb paths last, on stdout.
#
#   build-deb.sh
#   GKA_DKMS_KERNEL=6.1.0-56-amd64 build-deb.sh   kernel for the DKMS build
#   GKA_DKMS_KERNEL=none build-deb.sh             no DKMS build
set -euo pipefail
. "$(dirname "$0")/common.sh"

OUT=$REPO_ROOT/build/deb

# --- build dependencies ---------------------------------------------------
packages=(build-essential dpkg-dev debhelper dh-dkms dkms lintian libmnl-dev pkg-config)
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	[ "$(id -u)" = 0 ] || die "need root to install: ${missing[*]}"
	log "installing: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- a clean copy of the tree ---------------------------------------------
[ -f "$REPO_ROOT/debian/changelog" ] || die "no debian/changelog in $REPO_ROOT"
source=$(dpkg-parsechangelog -l "$REPO_ROOT/debian/changelog" -S Source)
version=$(dpkg-parsechangelog -l "$REPO_ROOT/debian/changelog" -S Version)
upstream=${version%-*}
tree=$OUT/$source-$upstream

rm -rf "$OUT"
mkdir -p "$tree"
if git -C "$REPO_ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	# Tracked files still present, and untracked ones that are not ignored.
	(cd "$REPO_ROOT" &&
		git ls-files -z --cached --others --exclude-standard |
		while IFS= read -r -d '' f; do
			[ -e "$f" ] || [ -L "$f" ] && printf '%s\0' "$f"
		done |
		tar --null --no-recursion -T - -cf -) | tar -C "$tree" -xf -
else
	tar -C "$REPO_ROOT" --exclude=./.git --exclude=./build \
		--exclude='*.o' --exclude='*.ko' --exclude='*.mod' --exclude='*.mod.c' \
		--exclude='.*.cmd' --exclude='*.order' --exclude=Module.symvers \
		--exclude='*.d' --exclude=./tool/gre-keepalive --exclude=./tool/test-format \
		--exclude=./tests/tools/gka-nlsend --exclude=./tests/tools/gka-wire --exclude=./tests/tools/now-ns --exclude=./tests/tools/gka-failload \
		-cf - . | tar -C "$tree" -xf -
fi

# The upstream tarball that "3.0 (quilt)" pairs with debian/: the same tree
# without debian/, byte-for-byte reproducible from the same files.
log "source package $source $version"
mtime=$(dpkg-parsechangelog -l "$REPO_ROOT/debian/changelog" -S Timestamp)
tar -C "$OUT" --exclude="$source-$upstream/debian" --sort=name \
	--mtime="@$mtime" --owner=0 --group=0 --numeric-owner \
	-cf - "$source-$upstream" | gzip -n9 >"$OUT/${source}_$upstream.orig.tar.gz"
(cd "$tree" && dpkg-source --build .) >"$OUT/source.log" 2>&1 || {
	cat "$OUT/source.log" >&2
	die "dpkg-source failed"
}

# --- binary packages ------------------------------------------------------
log "dpkg-buildpackage -us -uc -b (log: $OUT/build.log)"
(cd "$tree" && dpkg-buildpackage -us -uc -b) >"$OUT/build.log" 2>&1 || {
	tail -n 60 "$OUT/build.log" >&2
	die "dpkg-buildpackage failed; whole log in $OUT/build.log"
}
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
changes=$OUT/${source}_${version}_$arch.changes
dsc=$OUT/${source}_$version.dsc
[ -f "$changes" ] || die "no $changes"
mapfile -t debs < <(sed -n '/^Files:/,/^[^ ]/s/^ .* \([^ ]*\.deb\)$/\1/p' "$changes" | sed "s|^|$OUT/|")
[ ${#debs[@]} -gt 0 ] || die "$changes lists no .deb"

# --- lintian --------------------------------------------------------------
log "lintian $(basename "$dsc") $(basename "$changes")"
rc=0
lintian --fail-on error --display-info "$dsc" "$changes" >"$OUT/lintian.log" 2>&1 || rc=$?
if [ -s "$OUT/lintian.log" ]; then
	cat "$OUT/lintian.log" >&2
else
	log "lintian: no tags"
fi
[ "$rc" = 0 ] || die "lintian reported errors (exit $rc)"

# --- the module, built by DKMS from the package ---------------------------
kver=${GKA_DKMS_KERNEL:-$(stock_kernel_release)}
if [ -z "$kver" ]; then
	kver=$(find /lib/modules -mindepth 2 -maxdepth 2 -name build \
		-printf '%h\n' 2>/dev/null | xargs -r -n1 basename | sort -V | tail -1)
fi
dkms_deb=$(printf '%s\n' "${debs[@]}" | grep '/[^/]*-dkms_[^/]*\.deb$' || true)
if [ "$kver" = none ]; then
	log "DKMS build skipped (GKA_DKMS_KERNEL=none)"
elif [ -z "$kver" ] || [ ! -e "/lib/modules/$kver/build" ]; then
	log "DKMS build skipped: no kernel headers${kver:+ for $kver} (apt-get install linux-headers-amd64)"
else
	[ -n "$dkms_deb" ] || die "no -dkms .deb in $changes"
	"$REPO_ROOT/packaging/dkms-check.sh" "$dkms_deb" "$kver" "$OUT/dkms-check"
fi

log "packages:"
printf '%s\n' "${debs[@]}"
