#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# gka-kernel: stock
# gka-needs: routers
# gka-cost: 75
# The README's failover recipes for router A, run as Debian runs them from
# Debian's own root (tests/integration/routers/, copied verbatim):
#  1. ifupdown: `ifup a1 gre1` with interfaces-a: gre1 made by the tunnel
#     method, keepalive from /etc/gre-keepalive.conf (post-up gre-keepalive
#     apply), floating routes (metric 10 via gre1, 100 via the backup a1)
#     and ignore_routes_with_linkdown on gre1. The kernel keeps gre1's
#     routes, flagged linkdown, and ignores them.
#  2. systemd-networkd: gre1.netdev, gre1.network, a1.network, with
#     gre-keepalive apply --follow running first as gre-keepalive.service
#     would. No sysctl: networkd itself drops gre1's routes on carrier loss
#     and puts them back when the carrier returns.
# Each with a stream ha -> hb at 1000 pps (1 datagram = 1 ms): nothing lost
# in steady state; the cut (blackhole on W) takes gre1's line protocol
# down, the route and the traffic move to the backup, and the failover's
# loss is printed; after restore the line comes back, the route and the
# traffic return to gre1, and the recovery's loss is printed. B runs the
# plain kernel's floating routes (t-90) with the same keepalive.
. /tests/integration/lib-routers.sh

RT=/tests/integration/routers
PORT=5094
I=100
R=3
ROOT=/run/r/a/root
NWD_LOG=/tmp/t94-networkd.log
FOLLOW_LOG=/tmp/t94-follow.log

# The stream and the routers' daemons (lib-routers.sh kills everything
# running in a router's root, and unmounts it).
cleanup() {
	stream_kill
	routers_end
}
networkd_running() { pidof systemd-networkd >/dev/null; }

# a_via DST: the device A forwards ha's traffic to DST through.
a_via() {
	local src=$HA4
	case $1 in *:*) src=$HA6 ;; esac
	ip -n a route get "$1" from $src iif a2 2>/dev/null |
		sed -n 's/.* dev \([^ ]*\).*/\1/p' | head -1
}
a_via_is() { [ "$(a_via "$1")" = "$2" ]; }
# gre1_route4, gre1_route6: A's routes to B's LAN through gre1, if any.
gre1_route4() { ip -n a route show $LANB4 dev gre1 2>/dev/null; }
gre1_route6() { ip -n a -6 route show $LANB6 dev gre1 2>/dev/null; }
# ip must answer (gre1 is there) for its silence to count.
no_gre1_routes() {
	ip -n a link show gre1 >/dev/null 2>&1 && [ -z "$(gre1_route4)$(gre1_route6)" ]
}
sysctl_a() { in_ns a sysctl -n "$1"; }
ka_is() { ka_read "$1" "$2" "$3" 2>/dev/null && [ "$KA" = "$4" ]; }
gre1_exists() { [ -e "/run/sys-a/class/net/gre1" ]; }
# A's sysfs is there to say so (a0 is), and gre1 is not in it.
gre1_gone() { [ -e "/run/sys-a/class/net/a0" ] && ! gre1_exists; }

# cycle NAME: the recipe has configured A; steady state, cut, restore,
# with the stream. $KEEP_ROUTES says what the recipe does with gre1's
# routes while its line is down: "linkdown" (kept, and ignored by the
# kernel: the sysctl) or "dropped" (removed by the daemon).
cycle() {
	local name=$1 tr0 t_cut t_down t_restore t_up
	check "$name: keepalive ${I} ms from /etc/gre-keepalive.conf" \
		wait_for 10000 ka_is a gre1 interval_ms $I
	check_eq "$name: retries $R" $R "$(ka a gre1 retries)"
	check_eq "$name: enabled" 1 "$(ka a gre1 enabled)"
	check "$name: replies" wait_for 5000 ka_at_least a gre1 replies 2
	check "$name: line protocol up" carrier_is a gre1 1
	check "$name: A forwards to hb through gre1" wait_for 10000 a_via_is $HB4 gre1
	check "$name: and to hb's IPv6 address" wait_for 10000 a_via_is $HB6 gre1
	# networkd configures a1 on its own schedule, gre1 first or not.
	check "$name: the backup route is there, metric 100" wait_for 10000 out_has \
		"via $BK_B4 dev a1 .*metric 100" ip -n a route show $LANB4
	check "$name: and over IPv6" wait_for 10000 out_has \
		"via $BK_B6 dev a1 .*metric 100" ip -n a -6 route show $LANB6
	check "$name: hb answers ha through the tunnel" ping_ok ha $HB4

	tr0=$(ka a gre1 transitions)
	stream_start ha hb $HB4 $PORT 1000 60000 || fatal "$name: the stream flows"
	trap cleanup EXIT
	check "$name: steady state, 2 s, line up" never_within 2000 carrier_is a gre1 0
	check_eq "$name: on the tunnel" $DSCP_TUNNEL "$(stream_live_dscp)"

	t_cut=$(now_ns)
	blackhole
	check "$name: line protocol down" wait_for 3000 carrier_is a gre1 0
	t_down=$(ka a gre1 last_change_ns)
	check "$name: A forwards through the backup" wait_for 3000 a_via_is $HB4 a1
	check "$name: and IPv6" wait_for 3000 a_via_is $HB6 a1
	case $KEEP_ROUTES in
	linkdown)
		check "$name: gre1's routes kept, linkdown (IPv4)" out_has \
			"via $GRE_B4 .*linkdown" gre1_route4
		check "$name: gre1's routes kept, linkdown (IPv6)" out_has \
			"via $GRE_B6 .*linkdown" gre1_route6
		;;
	dropped)
		check "$name: gre1's routes removed by the daemon" no_gre1_routes
		;;
	esac
	check "$name: the stream arrives through the backup" \
		wait_for 3000 stream_live_is $DSCP_BACKUP
	# A second on the backup, for a route that flaps there to show
	# (failover_verdict: no gap once on the backup).
	check "$name: the line stays down for 1 s" never_within 1000 carrier_is a gre1 1

	t_restore=$(now_ns)
	restore
	check "$name: line protocol up" wait_for 3000 carrier_is a gre1 1
	t_up=$(ka a gre1 last_change_ns)
	check "$name: A forwards through gre1 again" wait_for 3000 a_via_is $HB4 gre1
	check "$name: and IPv6" wait_for 3000 a_via_is $HB6 gre1
	check "$name: the stream arrives through the tunnel" \
		wait_for 3000 stream_live_is $DSCP_TUNNEL
	check "$name: the stream ends cleanly" stream_stop
	stream_show

	failover_verdict "$name" "$t_cut" "$t_down" "$t_restore" "$t_up"
	check_eq "$name: one down and one up" $((tr0 + 2)) "$(ka a gre1 transitions)"
}

# --- the topology; B as t-90 configures it ----------------------------------
failover_topology
modprobe gre_keepalive || fatal "modprobe gre_keepalive"
check "keepalive $I ms x $R on B" keepalive b gre1 $I $R
in_ns b sysctl -qw net.ipv4.conf.gre1.ignore_routes_with_linkdown=1 \
	net.ipv6.conf.gre1.ignore_routes_with_linkdown=1 || fatal "B's sysctls"
ip -n b route add $LANA4 via $GRE_A4 metric 10 &&
	ip -n b route add $LANA4 via $BK_A4 metric 100 &&
	ip -n b -6 route add $LANA6 via $GRE_A6 metric 10 &&
	ip -n b -6 route add $LANA6 via $BK_A6 metric 100 || fatal "B's routes"

# --- A: a Debian root; what the recipes configure starts unconfigured -------
router_root || fatal "the router root"
router_add a || fatal "A's root"
trap cleanup EXIT
ip -n a link del gre1 && ip -n a addr flush dev a1 || fatal "A unconfigured"
# The tool where the package installs it.
cp /usr/bin/gre-keepalive $ROOT/usr/sbin/ || fatal "the tool in A's root"
cp $RT/gre-keepalive.conf $ROOT/etc/gre-keepalive.conf || fatal "gre-keepalive.conf"

# --- 1. ifupdown -----------------------------------------------------------
cp $RT/interfaces-a $ROOT/etc/network/interfaces || fatal "interfaces"
# What the networking service's tmpfiles make at boot.
mkdir -p $ROOT/run/network
check "ifupdown: ifup a1 gre1" in_router a ifup a1 gre1
check_eq "ifupdown: ignore_routes_with_linkdown on gre1 (IPv4)" 1 \
	"$(sysctl_a net.ipv4.conf.gre1.ignore_routes_with_linkdown)"
check_eq "ifupdown: and IPv6" 1 "$(sysctl_a net.ipv6.conf.gre1.ignore_routes_with_linkdown)"
KEEP_ROUTES=linkdown cycle ifupdown
ifdown_out=$(in_router a ifdown gre1 a1 2>&1)
check "ifupdown: ifdown gre1 a1" [ $? = 0 ]
check_eq "ifupdown: and it has nothing to complain about" "" "$ifdown_out"
check "ifupdown: gre1 is gone" gre1_gone

# --- 2. systemd-networkd ---------------------------------------------------
mkdir -p $ROOT/etc/systemd/network &&
	cp $RT/networkd/gre1.netdev $RT/networkd/gre1.network $RT/networkd/a1.network \
		$ROOT/etc/systemd/network/ || fatal "networkd's files"
# As in a container: a read-only /sys tells networkd that no udev will
# announce the links (it would wait for udev's database otherwise).
mount -o remount,bind,ro $ROOT/sys || fatal "read-only /sys in A's root"
mkdir -p $ROOT/run/systemd
# gre-keepalive.service runs before the network is configured.
in_router a gre-keepalive apply --follow > $FOLLOW_LOG 2>&1 &
in_router a /lib/systemd/systemd-networkd > $NWD_LOG 2>&1 &
check "networkd: gre1 created" wait_for 20000 gre1_exists
check "networkd: the follower applied gre1's line" wait_for 10000 grep -q '^gre1: ' $FOLLOW_LOG
check_eq "networkd: no ignore_routes_with_linkdown on gre1: networkd does it" 0 \
	"$(sysctl_a net.ipv4.conf.gre1.ignore_routes_with_linkdown)"
KEEP_ROUTES=dropped cycle networkd
check "networkd: still running" networkd_running
sed 's/^/    networkd: /' $NWD_LOG | tail -n 30
finish
