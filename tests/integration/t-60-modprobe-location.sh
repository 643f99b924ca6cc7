#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# gka-cost: 5 1
# modprobe finds gre_keepalive where the guest's module tree has it, through
# depmod's data, and loads that very file: extra/ for the module make
# builds, updates/dkms/ for the one DKMS installed (scripts/check-dkms.sh
# boots with gka.moddir=updates/dkms).
. /tests/integration/lib.sh

want=$(sed -n 's/.*\bgka\.moddir=\([^ ]*\).*/\1/p' /proc/cmdline)
want=${want:-extra}
moddir=/lib/modules/$(uname -r)
path=$(/usr/sbin/modinfo -n gre_keepalive 2>&1)
check_eq "modinfo -n finds it in $want" "$moddir/$want/gre_keepalive.ko" "$path"
check "modules.dep lists $want/gre_keepalive.ko" \
	grep -q "^$want/gre_keepalive.ko:" "$moddir/modules.dep"
check_eq "only one gre_keepalive.ko in the tree" 1 \
	"$(find "$moddir" -name 'gre_keepalive.ko*' | wc -l)"
check "not loaded before modprobe" test ! -e /sys/module/gre_keepalive
check "modprobe gre_keepalive" modprobe gre_keepalive
check "loaded: /sys/module/gre_keepalive" test -d /sys/module/gre_keepalive
read -r loaded < /sys/module/gre_keepalive/srcversion
check_eq "the loaded module is that file (srcversion)" \
	"$(/usr/sbin/modinfo -F srcversion "$path")" "$loaded"
read -r loaded < /sys/module/gre_keepalive/version
check_eq "its version" "$(/usr/sbin/modinfo -F version "$path")" "$loaded"
check "its netlink family answers" gre-keepalive show
check "rmmod" rmmod gre_keepalive
finish
