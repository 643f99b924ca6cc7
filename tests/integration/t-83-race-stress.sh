#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# gka-cost: 130
# gka-kernel: debug
# Race stress, about a minute of everything at once (t-76 is the short
# version): keepalive and reflection switched and changed over netlink and
# sysfs, tunnels of every kind created and deleted, links set down and up,
# tunnel parameters changed (ip link set ... type gre, ip tunnel change:
# remote, local, keys, csum, iseq), tunnels and their underlay device
# moved between namespaces, namespaces created and destroyed under live
# tunnels, monitors joining and leaving, dumps, while probes and
# reflections flow between A and B -- and the module unloaded and reloaded
# throughout. Most of it is gka-stress (one process per actor, a syscall
# per operation instead of an exec); the real tools run beside it. The
# judges: KASAN, lockdep, RCU stall detection and debug objects on the
# console (warnings and worse stay on it), the kernel log recorded here,
# and kmemleak; afterwards, quiet, the module tracks exactly the tunnels
# that exist, holds no hooks once everything is off, has a reference
# count of 0, and unloads.
. /tests/integration/lib.sh

STRESS_SECONDS=${GKA_STRESS_SECONDS:-65}
KMSG=/tmp/t83-kmsg
SPLAT_RE='BUG:|WARNING:|Oops|general protection fault|Kernel panic|kernel BUG|KASAN|UBSAN|possible circular locking|inconsistent lock state|suspicious RCU usage|unreferenced object|Call Trace:|RCU detected stall|rcu_sched detected|hung_task|waiting for .* to become free'

topology
tunnels
modprobe gre_keepalive || fatal "modprobe gre_keepalive"
check "keepalive on A" keepalive a gre1 100 3
check "replies before" wait_for 5000 ka_at_least a gre1 replies 3

# The kernel log from here on, whatever its volume; the console from
# warnings up only, so that thousands of configuration lines do not
# crawl through the serial port.
gka-stress kmsg > $KMSG &
KMSG_PID=$!
read -r CONSOLE_LEVEL _ < /proc/sys/kernel/printk
echo 5 > /proc/sys/kernel/printk
echo "gka-t83: stress begin" > /dev/kmsg

# A request for an unknown genetlink family makes the kernel run modprobe
# for the family's alias (there is none), and so does an ioctl on a
# missing device: while the module is away, every lookup by the tools
# would exec kmod and bury the single CPU. Autoloading is off during the
# stress (an empty modprobe path: request_module() returns at once);
# everything the stress needs is built in, or loaded by the stress itself.
read -r KMODPROBE < /proc/sys/kernel/modprobe
echo > /proc/sys/kernel/modprobe

# alive: before the deadline, with no fork (read is a builtin).
END=0
alive() {
	read -r up _ < /proc/uptime
	[ "${up%.*}" -lt "$END" ]
}
read -r up _ < /proc/uptime
END=$((${up%.*} + STRESS_SECONDS))

# The real tools beside gka-stress, each actor one loop, its count in a
# file at the end.
( n=0; while alive; do
	in_ns a gre-keepalive show >/dev/null 2>&1
	in_ns b gre-keepalive -j show >/dev/null 2>&1
	n=$((n + 2))
	usleep 200000
done; echo $n > /tmp/t83-show ) &
( n=0; while alive; do
	in_ns a timeout 1 gre-keepalive monitor >/dev/null 2>&1
	n=$((n + 1))
	usleep 200000
done; echo $n > /tmp/t83-monitor ) &
( n=0; while alive; do
	ip -n a link set gre1 type gre remote 198.51.100.99 2>/dev/null
	ip -n a tunnel change gre1 mode gre local $A_WAN remote $B_WAN ttl 64 \
		2>/dev/null
	ip -n a tunnel change gre11 mode gre local $A_WAN \
		remote 198.51.100.61 ttl 64 key 5 2>/dev/null
	ip -n a link set gre12 type gre remote 198.51.100.62 okey 9 csum \
		2>/dev/null
	ip -n a link set gre12 type gre iseq 2>/dev/null
	n=$((n + 5))
done; echo $n > /tmp/t83-iproute ) &
( n=0; i=0; while alive; do
	i=$((i + 1))
	ip netns add s83 &&
		ip -n s83 link add g type gre local 10.8.0.1 remote 10.8.0.2 &&
		ip -n s83 link set g up &&
		in_ns s83 gka-nlsend set ifname:str:g enabled:u32:1 \
			interval_ms:u32:20 >/dev/null
	ip netns del s83
	n=$((n + 1))
	usleep 1500000
done; echo $n > /tmp/t83-netns ) &
gka-stress stress --seconds "$STRESS_SECONDS" > /tmp/t83-stress 2>&1
rc=$?
echo "$KMODPROBE" > /proc/sys/kernel/modprobe
wait_shell_actors() {
	for f in show monitor iproute netns; do
		[ -s /tmp/t83-$f ] || return 1
	done
}
wait_for 60000 wait_shell_actors
check_eq "gka-stress: every actor finished" 0 $rc
sed 's/^/  /' /tmp/t83-stress
echo "  the real tools beside it: gre-keepalive show $(cat /tmp/t83-show)," \
	"gre-keepalive monitor $(cat /tmp/t83-monitor) runs," \
	"ip tunnel change / ip link set type gre $(cat /tmp/t83-iproute)," \
	"ip netns add+del with a keepalive tunnel $(cat /tmp/t83-netns)"

# column KIND N: column N of the line of KIND in gka-stress's table.
column() { awk -v k="$1" -v c="$2" '$1 == k { print $c }' /tmp/t83-stress; }
ran=$(sed -n 's/^ran \([0-9]*\) ms$/\1/p' /tmp/t83-stress)
check "the stress ran at least 60 s (${ran:-?} ms)" \
	test "${ran:-0}" -ge 60000
# An unload waits for the namespaces being built and torn down
# (pernet_ops_rwsem): seconds each on this kernel.
check "the module was unloaded and reloaded at least 3 times" \
	test "$(column module-load 4)" -ge 3
# Operations that began and ended with the module loaded, with it absent,
# and across a load or an unload: the stress overlapped the module's
# going and coming. Per kind for the frequent ones; the rest are in the
# table above.
for k in netlink-set netlink-get netlink-dump sysfs-write sysfs-read \
	link-up-down ip-link-set-type-gre; do
	check "$k ran while the module was loaded ($(column $k 2)) and while absent ($(column $k 3))" \
		test "$(column $k 2)" -gt 0 -a "$(column $k 3)" -gt 0
done
set -- $(sed -n 's/^total: \([0-9]*\) while loaded, \([0-9]*\) while absent, \([0-9]*\) while.*/\1 \2 \3/p' /tmp/t83-stress)
check "operations while loaded (${1:-?}), absent (${2:-?}), and across a load or an unload (${3:-?})" \
	test "${1:-0}" -gt 0 -a "${2:-0}" -gt 0 -a "${3:-0}" -gt 0

# --- Quiet again ----------------------------------------------------------------
echo "$CONSOLE_LEVEL" > /proc/sys/kernel/printk
grep -q '^gre_keepalive ' /proc/modules || modprobe gre_keepalive
check "module loaded after the stress" grep -q '^gre_keepalive ' /proc/modules

# The module tracks exactly the gre, gretap and ip6gre devices there are,
# each with its sysfs directory, in every namespace left.
tracked_ok() {
	local ns=$1 devs dumped dirs
	devs=$(ip -n "$ns" -d -o link show |
		grep -cE '\\ +(gre|gretap|ip6gre) remote ')
	dumped=$(in_ns "$ns" gka-nlsend dump | grep -c '^msg ')
	dirs=$(ls -d /run/sys-$ns/class/net/*/keepalive 2>/dev/null | wc -l)
	echo "  netns $ns: $devs gre/gretap/ip6gre devices, $dumped tracked, $dirs keepalive directories"
	[ "$devs" = "$dumped" ] && [ "$devs" = "$dirs" ]
}
mkdir -p /run/netns
: > /run/netns/init
mount --bind /proc/1/ns/net /run/netns/init
mkdir -p /run/sys-init
mount --bind /sys /run/sys-init
# Re-reads queued by the last parameter changes run first.
usleep 500000
for ns in init a b w; do
	check "netns $ns: one tracked tunnel and one sysfs directory per device" \
		tracked_ok $ns
done

# Hooks: the module's own, counted in the kernel's hook lists.
hooks() { in_ns "$1" nft list hooks 2>/dev/null | grep -cE 'gre_keepalive|gka_'; }
check "keepalive on A again" in_ns a gka-nlsend set ifname:str:gre1 \
	enabled:u32:1 interval_ms:u32:100
check "reflection on B" in_ns b gka-nlsend set ifname:str:gre1 reflect:u32:1
check "hooks registered in A ($(hooks a)) and B ($(hooks b)) while in use" \
	test "$(hooks a)" -gt 0 -a "$(hooks b)" -gt 0
# Everything off: keepalive and reflection, on every tracked tunnel.
for ns in init a b w; do
	for t in $(in_ns $ns gka-nlsend dump | sed -n 's/^msg ifname=\([^ ]*\) .*/\1/p'); do
		in_ns $ns gka-nlsend set ifname:str:$t enabled:u32:0 reflect:u32:0 \
			> /dev/null
	done
done
for ns in init a b w; do
	check_eq "netns $ns: no hook of ours once everything is off" 0 \
		"$(hooks $ns)"
done
check_eq "module reference count 0 when idle" 0 \
	"$(cat /sys/module/gre_keepalive/refcnt)"
check "rmmod" rmmod gre_keepalive
check "module gone" test ! -e /sys/module/gre_keepalive
check_eq "no keepalive directory left anywhere" "" \
	"$(ls -d /sys/class/net/*/keepalive /run/sys-*/class/net/*/keepalive 2>/dev/null)"
umount /run/sys-init /run/netns/init 2>/dev/null
rm -rf /run/sys-init /run/netns/init

# The kernel log of the stress, judged here too.
echo "gka-t83: stress end" > /dev/kmsg
kmsg_has_end() { grep -q 'gka-t83: stress end' $KMSG; }
check "kernel log recorded to the end" wait_for 10000 kmsg_has_end
kill $KMSG_PID
wait $KMSG_PID 2>/dev/null
lost=$(grep -c 'gka-stress: kmsg: records lost' $KMSG)
echo "  kernel log: $(wc -l < $KMSG) records, $lost gaps; beside the module's own announcements:"
sed -n 's/^[0-9]*,[0-9]*,\([0-9]*\)[0-9]\{6\},[^;]*;/\1 s: /p' $KMSG |
	grep -vE ': keepalive (changed|disabled|reflection|[0-9]+ ms)|: line protocol (up|down)|: keepalive (suspended|resumed)|: (enabled|interval_ms|retries|reflect): |net_ratelimit: ' |
	head -40 | sed 's/^/    /'
sed 's/^[0-9]*,[0-9]*,[0-9]*,[^;]*;//' $KMSG | grep -E "$SPLAT_RE" > /tmp/t83-splat
check_eq "no splat in the kernel log" 0 "$(wc -l < /tmp/t83-splat)"
head -40 /tmp/t83-splat

# Tunnels and namespaces deleted; then kmemleak, objects of the stress
# old enough to be reported (5 s).
netns_del_all
kmemleak=/sys/kernel/debug/kmemleak
if [ -e $kmemleak ]; then
	usleep 6000000
	echo scan > $kmemleak
	# (not the report's own words: the guest runner greps the console)
	check_eq "kmemleak: nothing reported" 0 "$(grep -c 'unreferenced' $kmemleak)"
	head -60 $kmemleak
fi
finish
