#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Developer shortcut: build for the stock kernel and run the integration
# tests (or only $1) in its guest, without the rest of make check.
set -euo pipefail
. "$(dirname "$0")/common.sh"
OUT=$REPO_ROOT/build
sk=$("$REPO_ROOT/scripts/stock-kernel.sh")
rel=$(stock_kernel_release)
"$REPO_ROOT/scripts/build-module.sh" "/usr/src/linux-headers-$rel" "$OUT/quick-stock"
"$REPO_ROOT/scripts/mkinitramfs.sh" "$OUT/quick-stock.cpio.gz" "$rel" \
	--stock-root "$sk/root" --ko "$OUT/quick-stock/src-tree/gre_keepalive.ko"
exec "$REPO_ROOT/scripts/run-guest.sh" "$sk/root/boot/vmlinuz-$rel" \
	"$OUT/quick-stock.cpio.gz" "$OUT/quick-stock.log" 900 512 \
	"gka.mode=${GKA_MODE:-tests} ${1:+gka.only=$1}"
