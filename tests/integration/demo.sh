#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make demo: two routers joined by a GRE tunnel over a WAN. Router A runs
# keepalive 1 s / 3 and has a floating static route: B's LAN through the
# tunnel (metric 10), or across the WAN (metric 100) when the tunnel's
# line protocol is down. B runs no keepalive of its own and keeps the
# kernel's default sysctls: the module answers A's probes there. The WAN
# path dies, and comes back; watch the line protocol and the route follow.
. /tests/integration/lib.sh

T0=$(now_ms)
say() {
	local t=$(($(now_ms) - T0))
	printf '[demo %3d.%03d s] %s\n' $((t / 1000)) $((t % 1000)) "$*"
}
route_to_lan() { ip -n a -4 route get 203.0.113.65 | head -1 | sed 's/ uid.*//'; }
line() {
	echo "$(ka a gre1 line_protocol) (counter $(ka a gre1 counter), sent $(ka a gre1 probes_sent), replies $(ka a gre1 replies))"
}

topology
tunnels
ip -n b link add lan0 type dummy
ip -n b addr add 203.0.113.65/26 dev lan0
ip -n b link set lan0 up
in_ns a sysctl -qw net.ipv4.conf.all.ignore_routes_with_linkdown=1
ip -n a route add 203.0.113.64/26 dev gre1 metric 10
ip -n a route add 203.0.113.64/26 via 192.0.2.254 metric 100
ip -n w route add 203.0.113.64/26 via $B_WAN

modprobe gre_keepalive
say "router A: gre1 $A_WAN -> $B_WAN, keepalive 1 s, retries 3"
keepalive a gre1 1000 3 || fatal "enable keepalive"
wait_for 5000 ka_at_least a gre1 replies 2
say "gre1 line protocol $(line)"
say "router B answers: reflected $(ka b gre1 reflected), passed on $(ka b gre1 passed), forwarding $(in_ns b cat /proc/sys/net/ipv4/ip_forward)"
say "A -> B's LAN: $(route_to_lan)"

say ">>> WAN black-holes the tunnel's path to $B_WAN"
blackhole
cut=$(now_ms)
wait_for 10000 carrier_is a gre1 0 || fatal "line protocol never went down"
down=$(now_ms)
say "gre1 line protocol $(line)"
say "detected in $((down - cut)) ms; A -> B's LAN now: $(route_to_lan)"

wait_for 3000 ka_at_least a gre1 probes_sent $(($(ka a gre1 probes_sent) + 2))
say "still probing while down: $(line)"

say ">>> WAN path restored"
restore
back=$(now_ms)
wait_for 5000 carrier_is a gre1 1 || fatal "line protocol never came back"
say "gre1 line protocol $(line)"
say "recovered $(($(now_ms) - back)) ms after the path came back; A -> B's LAN: $(route_to_lan)"
check "traffic through the tunnel again" ping_ok a 203.0.113.65
say "transitions: $(ka a gre1 transitions)"
finish
