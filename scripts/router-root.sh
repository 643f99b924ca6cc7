#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The failover tests' router root: Debian bookworm with FRR, BIRD 2,
# ifupdown and systemd-networkd, as a read-only ext4 image that the guest
# attaches as a disk (GKA_DISK) and each router overlays (lib-routers.sh).
# Prints the image's path.
#   router-root.sh
#
# Made once from debian-chroot.sh's router root (debootstrap, then the
# packages with no daemon started), under
# $CACHE_ROOT/router-root-KEY.img, KEY as the chroot's plus this image's
# recipe; /gka-versions in it lists what was installed; made again when
# the root was made again since. Callers side by side wait for one build.
# A made image needs nothing more; making one needs root and, the first
# time, the network.
set -euo pipefail
. "$(dirname "$0")/common.sh"

RELEASE=bookworm
# Bump when what goes from the root into the image changes.
RECIPE="image 1: ext4 256M, no journal; without apt lists, docs, man, locales"
SIZE=256M

chroot_dir=$("$REPO_ROOT/scripts/debian-chroot.sh" --set router --path "$RELEASE")
key=$(printf '%s\n' "$(basename "$chroot_dir")" "$RECIPE" | sha256sum | cut -c1-12)
img=$CACHE_ROOT/router-root-$key.img
ready=$img.gka-ready

# Made, and of the root as it is now.
current() {
	[ -e "$img" ] && [ -e "$ready" ] && [ -e "$chroot_dir/.gka-ready" ] &&
		! [ "$chroot_dir/.gka-ready" -nt "$ready" ]
}
if current; then
	echo "$img"
	exit 0
fi

[ "$(id -u)" = 0 ] || die "needs root (debootstrap, chroot, mke2fs -d)"

# The host tools this needs, installed as install-deps.sh does.
missing=()
for p in debootstrap e2fsprogs rsync; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	log "installing: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq || log "apt-get update failed; continuing with the lists we have"
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
		die "apt-get install ${missing[*]} failed"
fi

mkdir -p "$CACHE_ROOT"
# One build; the others wait for it and find it made.
exec 9>"$img.lock"
flock 9
# The root first (made if need be), to compare the image with.
root=$("$REPO_ROOT/scripts/debian-chroot.sh" --set router --root "$RELEASE")
if ! current; then
	rm -f "$ready"
	blog=$img.log
	log "router root image $img from $root (once; log $blog)"
	chroot "$root" dpkg-query -W frr bird2 ifupdown systemd iproute2 nftables \
		> "$root/gka-versions"
	stage=$img.stage
	rm -rf --one-file-system "$stage" "$img"
	# What a router never reads: apt's lists and caches, docs, man pages
	# and translations (about half of the root).
	rsync -aHAX --one-file-system \
		--exclude=/var/lib/apt/lists/ --exclude=/var/cache/apt/ \
		--exclude=/usr/share/doc/ --exclude=/usr/share/man/ \
		--exclude=/usr/share/locale/ --exclude=/usr/share/info/ \
		"$root/" "$stage/" >"$blog" 2>&1 || die "copying $root failed; see $blog"
	mkdir -p "$stage/var/lib/apt/lists" "$stage/var/cache/apt"
	mke2fs -q -F -t ext4 -O ^has_journal -E root_owner=0:0 -L gka-router \
		-d "$stage" "$img" "$SIZE" >>"$blog" 2>&1 ||
		die "mke2fs -d $stage failed; see $blog"
	rm -rf --one-file-system "$stage"
	chmod a-w "$img"
	touch "$ready"
	log "router root: $(du -h --apparent-size "$img" | cut -f1) image, $(du -h "$img" | cut -f1) used"
fi
echo "$img"
