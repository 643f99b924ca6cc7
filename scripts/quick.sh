#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Developer shortcut: build for one kernel and run the integration tests
# (or only $2) in its guest, without the rest of make check.
#   quick.sh stock|debug [TEST]      GKA_MODE=kunit|demo for other modes
#   quick.sh bullseye|bookworm|trixie|sid|experimental [TEST]
#                                    that release's kernel, the module built
#                                    in its build root (debian-chroot.sh)
# GKA_OUT=DIR writes the build, initramfs and log there instead of build/
# (two runs side by side). GKA_GUEST_ENV="NAME=VALUE,..." is exported to
# the tests in the guest (GKA_NLFUZZ_SEED=N replays a fuzz run).
# GKA_MEM=MB and GKA_SMP=N give the guest that much memory and that many
# vCPUs instead of the flavour's default (512 or 1536 MB) and 2.
# A run with a test that says "# gka-needs: routers" gets the router root
# (scripts/router-root.sh; root and the network to make it, once) and 1024 MB.
set -euo pipefail
. "$(dirname "$0")/common.sh"
OUT=${GKA_OUT:-$REPO_ROOT/build}
mkdir -p "$OUT"
flavour=${1:-stock}
case "$flavour" in
stock)
	sk=$("$REPO_ROOT/scripts/stock-kernel.sh")
	rel=$(stock_kernel_release)
	kdir=/usr/src/linux-headers-$rel
	kernel=$sk/root/boot/vmlinuz-$rel
	extra=(--stock-root "$sk/root")
	mem=512
	;;
debug)
	kdir=$("$REPO_ROOT/scripts/build-debug-kernel.sh")
	rel=$(cat "$kdir/include/config/kernel.release")
	kernel=$kdir/arch/x86/boot/bzImage
	extra=(--kernel-tree "$kdir")
	mem=1536
	;;
bullseye | bookworm | trixie | sid | experimental)
	sk=$("$REPO_ROOT/scripts/debian-kernel.sh" "$flavour")
	rel=$(basename "$sk")
	kernel=$sk/root/boot/vmlinuz-$rel
	extra=(--stock-root "$sk/root")
	mem=512
	;;
*) die "usage: quick.sh stock|debug|bullseye|bookworm|trixie|sid|experimental [TEST]" ;;
esac
if [ -n "${kdir:-}" ]; then
	"$REPO_ROOT/scripts/build-module.sh" "$kdir" "$OUT/quick-$flavour" >&2
else
	"$REPO_ROOT/scripts/build-module-debian.sh" "$flavour" "$rel" "$OUT/quick-$flavour" >&2
fi
kos=()
for ko in "$OUT/quick-$flavour"/src-tree/*.ko; do kos+=(--ko "$ko"); done
"$REPO_ROOT/scripts/build-tools.sh" >&2
mapfile -t tools < <(guest_tools)
kos+=("${tools[@]}")
"$REPO_ROOT/scripts/mkinitramfs.sh" "$OUT/quick-$flavour.cpio.gz" "$rel" \
	"${extra[@]}" "${kos[@]}" 2>/dev/null
case "$flavour" in
stock | debug) kind=$flavour ;;
*) kind=other ;;
esac
if [ "${GKA_MODE:-tests}" = tests ] &&
	tests_need_routers "${2:-$(integration_tests "$kind")}"; then
	GKA_DISK=$("$REPO_ROOT/scripts/router-root.sh")
	export GKA_DISK
	[ "$mem" -ge 1024 ] || mem=1024
fi
exec "$REPO_ROOT/scripts/run-guest.sh" "$kernel" "$OUT/quick-$flavour.cpio.gz" \
	"$OUT/quick-$flavour.log" 1800 "${GKA_MEM:-$mem}" \
	"gka.mode=${GKA_MODE:-tests} ${2:+gka.only=$2} ${GKA_GUEST_ENV:+gka.env=$GKA_GUEST_ENV}"
