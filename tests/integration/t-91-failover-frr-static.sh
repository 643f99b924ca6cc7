#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# gka-kernel: stock
# gka-needs: routers
# gka-cost: 80
# Failover with FRR's staticd, Debian's FRR started as on a router
# (routers/frr-static-a.conf and -b.conf, verbatim): the far LAN through
# gre1 at distance 1, through the backup at 200, IPv4 and IPv6, with no
# ignore_routes_with_linkdown: zebra alone must withdraw the static
# routes through gre1 when keepalive (100 ms x 3, both ends) drops its
# line protocol, and reinstall them after recovery, with a stream from
# ha to hb whose loss is measured.
. /tests/integration/lib-routers.sh

I=100
R=3
PPS=1000

router_root
failover_topology
modprobe gre_keepalive || fatal "modprobe gre_keepalive"
keepalive_both $I $R

linkdown_sysctl() { in_ns "$1" cat "/proc/sys/net/$2/conf/gre1/ignore_routes_with_linkdown"; }
for ns in a b; do
	check_eq "$ns: no ignore_routes_with_linkdown on gre1 (IPv4, IPv6): zebra alone" \
		"0 0" "$(linkdown_sysctl $ns ipv4) $(linkdown_sysctl $ns ipv6)"
	router_add $ns
	cp /tests/integration/routers/frr-static-$ns.conf /run/r/$ns/root/etc/frr/frr.conf
done
t0=$(now_ms)
frr_launch a
frr_launch b
frr_wait a
frr_wait b
echo "  FRR up on A and B in $(($(now_ms) - t0)) ms"
for ns in a b; do
	for d in watchfrr zebra staticd; do
		check "$ns: $d running" frr_running $ns $d
	done
done

# has_route NS ip|ipv6 PREFIX "LINE": zebra shows that route (frr_routes).
has_route() { frr_routes "$1" "$2" "$3" | grep -qx "$4"; }

zebra_gre1() { vtysh a "show interface gre1" | grep -q "line protocol is $1"; }

on_backup() {
	check "zebra: gre1 up, line protocol down" zebra_gre1 down
	check "zebra: the backup (distance 200) selected and in the FIB" \
		has_route a ip $LANB4 "static 200 1 1 $BK_B4%a1:active"
	# staticd withdraws a route whose nexthop zebra cannot resolve.
	check "zebra: no route through gre1 active" \
		out_lacks "^static 1 .*:active" frr_routes a ip $LANB4
	check "zebra (IPv6): no route through gre1 active" \
		out_lacks "^static 1 .*:active" frr_routes a ipv6 $LANB6
	check "zebra (IPv6): the backup (distance 200) selected and in the FIB" \
		has_route a ipv6 $LANB6 "static 200 1 1 $BK_B6%a1:active"
	frr_routes a ip $LANB4 | sed 's/^/    zebra: /'
}
on_tunnel() {
	check "zebra: gre1 line protocol up again" zebra_gre1 up
	check "zebra: the route through gre1 selected and in the FIB again" \
		has_route a ip $LANB4 "static 1 1 1 $GRE_B4%gre1:active"
	check "zebra (IPv6): the route through gre1 selected and in the FIB again" \
		has_route a ipv6 $LANB6 "static 1 1 1 $GRE_B6%gre1:active"
	check "zebra: the backup not selected" \
		eval 'frr_routes a ip $LANB4 | grep -q "^static 200 0 0 "'
}

check "zebra: the route through gre1 selected and in the FIB" \
	wait_for 10000 has_route a ip $LANB4 "static 1 1 1 $GRE_B4%gre1:active"
frr_routes a ip $LANB4 | sed 's/^/    zebra: /'
check "zebra: gre1 line protocol up" zebra_gre1 up
routers_cycle IPv4 $HB4 5001 on_backup on_tunnel
finish
