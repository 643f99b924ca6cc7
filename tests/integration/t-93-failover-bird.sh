#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# gka-kernel: stock
# gka-needs: routers
# gka-cost: 45
# Failover with BIRD 2's static routes, Debian's BIRD as on a router
# (routers/bird-a.conf and -b.conf, verbatim): the far LAN through gre1
# with "check link" at preference 200, through the backup at 100, IPv4
# and IPv6. When keepalive (100 ms x 3, both ends) drops gre1's line
# protocol, BIRD sees the link go (IFF_LOWER_UP) and withdraws the
# tunnel's routes from the kernel; after recovery it reinstalls them. A
# control route on A, 10.0.2.128/25 through gre1 without "check link",
# stays on gre1 throughout: the check is off by default.
. /tests/integration/lib-routers.sh

I=100
R=3
PPS=1000
CONTROL=10.0.2.128/25

router_root
failover_topology
modprobe gre_keepalive || fatal "modprobe gre_keepalive"
keepalive_both $I $R

for ns in a b; do
	router_add $ns
	cp /tests/integration/routers/bird-$ns.conf /run/r/$ns/root/etc/bird/bird.conf
done
# The test's own: not part of the recipe.
cat >> /run/r/a/root/etc/bird/bird.conf <<EOF2

protocol static control4 {
	ipv4;
	route $CONTROL via $GRE_B4;
}
EOF2
t0=$(now_ms)
bird_start a
bird_start b
echo "  BIRD up on A and B in $(($(now_ms) - t0)) ms"

# bird_via NS ADDR: the next hop and device of BIRD's best route to ADDR.
bird_via() {
	birdc "$1" show route for "$2" | sed -n 's/.*via \([^ ]*\) on \([^ ]*\).*/\1 \2/p' | head -1
}
bird_via_is() { [ "$(bird_via "$1" "$2")" = "$3" ]; }
# bird_link NS: BIRD's link state of gre1 (LinkUp, LinkDown), whatever
# its admin state (AdminUp) says.
bird_link() { birdc "$1" show interfaces | grep -A1 '^gre1 ' | grep -o 'Link[A-Za-z]*'; }
control_on_tunnel() { kernel_route_is a -4 $CONTROL $GRE_B4 gre1; }

on_backup() {
	check_eq "BIRD: gre1's link down" LinkDown "$(bird_link a)"
	check "BIRD: gre1 itself still up (AdminUp)" \
		eval 'birdc a show interfaces | grep -A1 "^gre1 up" | grep -q AdminUp'
	check_eq "BIRD: the best route to hb through the backup" "$BK_B4 a1" "$(bird_via a $HB4)"
	check_eq "BIRD (IPv6): the best route to hb through the backup" "$BK_B6 a1" "$(bird_via a $HB6)"
	# BIRD's whole table (every route, not only the best), which must
	# list backup4's route for the absence of tunnel4's to mean anything.
	check "BIRD: the table has backup4's route to hb" \
		out_has "^$LANB4 .*\[backup4 " birdc a show route
	check "BIRD: tunnel4's route withdrawn (check link)" \
		out_lacks "\[tunnel4 " birdc a show route
	check_eq "control, no check link: BIRD keeps it on gre1" "$GRE_B4 gre1" \
		"$(bird_via a 10.0.2.130)"
	check "control, no check link: the kernel route stays on gre1" control_on_tunnel
	birdc a show route for $HB4 | sed 's/^/    BIRD: /'
}
on_tunnel() {
	check_eq "BIRD: gre1's link up again" LinkUp "$(bird_link a)"
	check_eq "BIRD: the best route to hb through gre1 again" "$GRE_B4 gre1" "$(bird_via a $HB4)"
	check_eq "BIRD (IPv6): the best route to hb through gre1 again" "$GRE_B6 gre1" "$(bird_via a $HB6)"
}

check "BIRD: the best route to hb through gre1" \
	wait_for 10000 bird_via_is a $HB4 "$GRE_B4 gre1"
check "control: the kernel route on gre1" control_on_tunnel
birdc a show route for $HB4 | sed 's/^/    BIRD: /'
check_eq "BIRD: gre1's link up" LinkUp "$(bird_link a)"
birdc a show interfaces | grep -A1 '^gre1 ' | sed 's/^/    BIRD: /'
routers_cycle IPv4 $HB4 5001 on_backup on_tunnel
finish
