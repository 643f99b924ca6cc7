#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A Debian build root per release, with that release's compiler, and the
# linux-headers of one of its kernels installed in it: the module is built
# for each Debian kernel with the gcc that built the kernel (gcc-12 cannot
# build for a kernel made with gcc-14, and -W flags differ).
#
#   debian-chroot.sh RELEASE [KVER]   install linux-headers-KVER (default:
#                                     the one linux-headers-amd64 of RELEASE
#                                     depends on); print the headers' dir
#   debian-chroot.sh --kver RELEASE   print that default KVER
#   debian-chroot.sh --root RELEASE   print the root's directory
#   debian-chroot.sh --path RELEASE   print where the root is or would be,
#                                     making nothing
#   --set router (before RELEASE): a router root instead of a build root:
#   the routing daemons and network tools the failover tests run
#   (scripts/router-root.sh makes the guest's disk of it); no headers.
#
# RELEASE: bullseye (5.10, gcc-10), bookworm (6.1, gcc-12), trixie (6.12,
# gcc-14), sid, experimental (sid with experimental's sources; its
# kernel and what that kernel needs come from experimental).
#
# The root is made with debootstrap once, under
# $CACHE_ROOT/chroot/RELEASE-KEY (KEY: suites, mirror, package list and
# debootstrap version), and kept; headers are added to it as asked for.
# apt's lists are those of the day the root was made: GKA_APT_UPDATE=1
# refreshes them (a new kernel ABI in the release), as does asking for a
# KVER they do not know. Nothing is installed on this machine.
set -euo pipefail
. "$(dirname "$0")/common.sh"

MIRROR=${GKA_DEBIAN_MIRROR:-http://deb.debian.org/debian}
SECURITY=${GKA_DEBIAN_SECURITY:-http://deb.debian.org/debian-security}
# A build root: compiler, make, perl for W=1's kernel-doc, sparse for C=1.
PKGS="build-essential perl sparse ca-certificates"
set_name=

mode=headers
while :; do
	case "${1:-}" in
	--kver) mode=kver; shift ;;
	--root) mode=root; shift ;;
	--path) mode=path; shift ;;
	--set)
		[ "${2:-}" = router ] || die "unknown set '${2:-}' (router)"
		# What a router runs (FRR, BIRD, ifupdown, systemd-networkd) and
		# what its tests look at it with.
		PKGS="frr bird2 ifupdown systemd iproute2 procps iputils-ping nftables"
		set_name=router-
		shift 2
		;;
	*) break ;;
	esac
done
# A router root has no headers to install.
[ -z "$set_name" ] || [ "$mode" != headers ] || mode=root
[ $# -ge 1 ] || die "usage: $0 [--kver|--root] RELEASE [KVER]"
release=$1 kver=${2:-}

suite=$release
target=
case "$release" in
bullseye | bookworm | trixie)
	sources="deb $MIRROR $release main
deb $MIRROR $release-updates main
deb $SECURITY $release-security main"
	;;
sid)
	sources="deb $MIRROR sid main"
	;;
experimental)
	suite=sid target=experimental
	sources="deb $MIRROR sid main
deb $MIRROR experimental main"
	;;
*) die "unknown release $release (bullseye, bookworm, trixie, sid, experimental)" ;;
esac

command -v debootstrap >/dev/null || die "debootstrap is not installed"

key=$(printf '%s\n' "$release" "$sources" "$PKGS" "$(debootstrap --version)" |
	sha256sum | cut -c1-12)
root=$CACHE_ROOT/chroot/$release-$set_name$key
# Without root: router-root.sh finds a made image by it.
if [ "$mode" = path ]; then
	echo "$root"
	exit 0
fi
[ "$(id -u)" = 0 ] || die "needs root (debootstrap, chroot)"
mkdir -p "$CACHE_ROOT/chroot"

# One at a time per root: make check builds for several kernels at once.
exec 9>"$root.lock"
flock 9

in_root() {
	chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 "$@"
}

# apt and dpkg's maintainer scripts want /proc: one in a private mount
# namespace, which an interrupted run cannot leave behind.
apt_in_root() {
	unshare --mount --propagation private sh -c \
		'mount -t proc proc "$0/proc" && exec chroot "$0" "$@"' "$root" \
		env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 \
		apt-get -o Acquire::Check-Valid-Until=false "$@"
}

if [ ! -e "$root/.gka-ready" ]; then
	blog=$root.log
	log "debootstrap $suite into $root, then $PKGS (once; log $blog)"
	rm -rf --one-file-system "$root"
	debootstrap --variant=minbase "$suite" "$root" "$MIRROR" >"$blog" 2>&1 ||
		die "debootstrap $suite failed; see $blog"
	printf '%s\n' "$sources" >"$root/etc/apt/sources.list"
	# sid and experimental's Release files expire within a week; an old
	# mirror snapshot is still what we want to build against.
	echo 'Acquire::Check-Valid-Until "false";' \
		>"$root/etc/apt/apt.conf.d/99gka-no-valid-until"
	# No daemon starts in the root.
	printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
	chmod 0755 "$root/usr/sbin/policy-rc.d"
	# shellcheck disable=SC2086 # a list of packages
	{ apt_in_root -q update &&
		apt_in_root install -y -q --no-install-recommends $PKGS &&
		apt_in_root clean; } >>"$blog" 2>&1 ||
		die "apt-get install $PKGS in $root failed; see $blog"
	touch "$root/.gka-ready"
elif [ -n "${GKA_APT_UPDATE:-}" ]; then
	apt_in_root -qq update >&2 || die "apt-get update in $root failed"
fi

if [ "$mode" = root ]; then
	echo "$root"
	exit 0
fi

# The kernel ABI the release's linux-headers-amd64 points at, e.g.
# 6.1.0-56-amd64 (experimental's, when that is newer than sid's).
default_kver() {
	in_root apt-cache ${target:+-t "$target"} depends linux-headers-amd64 2>/dev/null |
		sed -n 's/^ *Depends: linux-headers-\([0-9][^ ]*-amd64\)$/\1/p' | head -1
}

if [ -z "$kver" ]; then
	kver=$(default_kver)
	[ -n "$kver" ] || die "no linux-headers-amd64 in $release's lists"
fi
if [ "$mode" = kver ]; then
	echo "$kver"
	exit 0
fi

kdir=$root/usr/src/linux-headers-$kver
if [ ! -e "$kdir/.gka-ready" ]; then
	blog=$root.log
	if ! in_root apt-cache show "linux-headers-$kver" >/dev/null 2>&1; then
		log "linux-headers-$kver unknown to $release's lists: apt-get update"
		apt_in_root -qq update >>"$blog" 2>&1 || die "apt-get update in $root failed; see $blog"
	fi
	log "installing linux-headers-$kver into $root (log $blog)"
	{ apt_in_root install -y -q --no-install-recommends \
		${target:+-t "$target"} "linux-headers-$kver" &&
		apt_in_root clean; } >>"$blog" 2>&1 ||
		die "apt-get install linux-headers-$kver in $root failed; see $blog"
	[ -f "$kdir/Makefile" ] || die "no $kdir/Makefile after installing linux-headers-$kver"
	touch "$kdir/.gka-ready"
fi

# Kernels from 7.0 run scripts/checker-valid.sh for C=1, and turn sparse
# off, saying so without the word "warning", when it does not print 1.
# Debian's linux-headers-*-common does not ship it (7.2.13, 7.3-rc7): put
# in one that does what it does, test that the checker parses
# __typeof_unqual__, which these headers use under sparse.
common=$(sed -n 's|^include /usr/src/\(linux-headers-[^/]*\)/Makefile$|\1|p' "$kdir/Makefile")
checker=$root/usr/src/${common:-linux-headers-$kver}/scripts/checker-valid.sh
if grep -qs 'scripts/checker-valid.sh' "$root/usr/src/${common:-linux-headers-$kver}/Makefile" &&
	[ ! -e "$checker" ]; then
	cat >"$checker" <<-'EOF'
	#!/bin/sh
	# Not Debian's: scripts/debian-chroot.sh of gre-keepalive put it here,
	# the headers package lacking it. Prints 1 if the checker, "$@",
	# parses __typeof_unqual__.
	command -v "$1" >/dev/null 2>&1 || { echo 0; exit 0; }
	t=$(mktemp --suffix=.c) || { echo 0; exit 0; }
	trap 'rm -f "$t"' EXIT
	printf 'int f(const int *p)\n{\n\t__typeof_unqual__(*p) v = *p;\n\treturn v;\n}\n' >"$t"
	if "$@" "$t" 2>&1 | grep -q error; then echo 0; else echo 1; fi
	EOF
	chmod 0755 "$checker"
fi
echo "$kdir"
