#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the module for one Debian kernel inside that release's build root
# (scripts/debian-chroot.sh), with the release's own compiler:
#
#   build-module-debian.sh RELEASE KVER OUTDIR [make args...]
#
# e.g. build-module-debian.sh trixie 6.12.117+deb13-amd64 build/trixie W=1 C=1
# KVER "" means the release's current kernel. The tree is copied into the
# root (objects of different kernels never meet), built there with
# make -C /usr/src/linux-headers-KVER M=..., and the whole built tree is
# copied back to OUTDIR/src-tree, as scripts/build-module.sh leaves it:
# OUTDIR/src-tree/gre_keepalive.ko. Compiler and sparse output go to
# stdout/stderr, as make prints them.
set -euo pipefail
. "$(dirname "$0")/common.sh"

[ $# -ge 3 ] || die "usage: $0 RELEASE KVER OUTDIR [make args...]"
release=$1 kver=$2 out=$(realpath -m "$3")
shift 3

kdir=$("$REPO_ROOT/scripts/debian-chroot.sh" "$release" "$kver")
root=$("$REPO_ROOT/scripts/debian-chroot.sh" --root "$release")
kver=${kdir##*/linux-headers-}

# One build directory per OUTDIR, so that builds for several kernels can
# share a root and run at the same time.
id=$(printf '%s' "$out" | sha256sum | cut -c1-12)
work=/gka-build/$kver-$id
rm -rf --one-file-system "$root$work"
mkdir -p "$root$work"
rsync -a --exclude .git --exclude build --exclude '*.o' \
	--exclude '*.ko' --exclude '*.mod*' --exclude '.*.cmd' \
	"$REPO_ROOT/" "$root$work/src-tree/"

# objtool (6.x) reads /proc/self: a /proc in a private mount namespace,
# gone with the build whatever becomes of it.
st=0
unshare --mount --propagation private sh -c \
	'mount -t proc proc "$0/proc" && exec chroot "$0" "$@"' "$root" \
	env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8 HOME=/root \
	make -s -C "/usr/src/linux-headers-$kver" M="$work/src-tree" \
	CONFIG_KUNIT= "$@" modules || st=$?

mkdir -p "$out"
rsync -a --delete "$root$work/src-tree/" "$out/src-tree/"
rm -rf --one-file-system "$root$work"
exit $st
