#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the module (and, where the kernel has KUnit, its tests) against
# KDIR in a private copy of the tree, so that builds for several kernels
# never share object files.
#   build-module.sh KDIR OUTDIR [make args...]
set -euo pipefail
. "$(dirname "$0")/common.sh"

kdir=$1 out=$(realpath -m "$2")
shift 2
mkdir -p "$out"
rsync -a --delete --exclude .git --exclude build --exclude '*.o' \
	--exclude '*.ko' --exclude '*.mod*' --exclude '.*.cmd' \
	"$REPO_ROOT/" "$out/src-tree/"
make -s -C "$kdir" M="$out/src-tree" "$@" modules
