#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# gka-cost: 35 15
# Replies are exactly replies: GRE with reserved bits or a version, or
# with a checksum our probe did not carry, is someone else's packet even
# from the peer's address; two tunnels that differ only in their underlay
# device are told apart as ip_gre tells them apart; and a change of the
# tunnel that leaves its probes as they were (TTL, TOS) does not bring a
# dead tunnel's line protocol back up.
. /tests/integration/lib.sh

topology
tunnels
modprobe gre_keepalive || fatal "modprobe gre_keepalive"

# --- Not replies, though from the peer --------------------------------
check "keepalive 200 ms / 3 on A" keepalive a gre1 200 3
check "real replies first" wait_for 5000 ka_at_least a gre1 replies 3
check "B stops answering" ka_set b gre1 reflect 0
# Version 0, reserved bit 12; version 1 (PPTP); strict source route;
# checksum present though our probe has none.
for f in 0x0008 0x0001 0x0800 csum; do
	case $f in
	csum) args="csum" ;;
	*) args="flags $f" ;;
	esac
	in_ns w gka-wire reply $B_WAN $A_WAN $args count 30 every 200 &
done
ka_read a gre1 replies && n=$KA
check "A goes down despite them" watch_down a gre1 3 6000
check_eq "none counted as a reply" "$n" "$(ka a gre1 replies)"
wait
check "B answers again" ka_set b gre1 reflect 1
check "A comes back" wait_for 3000 carrier_is a gre1 1

# --- TTL and TOS changes leave a dead tunnel dead -----------------------
blackhole
check "A goes down with the path" watch_down a gre1 3 5000
check "TTL changed" ip -n a link set gre1 type gre ttl 32
check "line stays down after the TTL change" \
	never_within 1000 carrier_is a gre1 1
check "TOS changed" ip -n a link set gre1 type gre tos 0x20
check "line stays down after the TOS change" \
	never_within 1000 carrier_is a gre1 1
check "ip tunnel change, TTL" ip -n a tunnel change gre1 ttl 40
check "line stays down after ip tunnel change" \
	never_within 1000 carrier_is a gre1 1
check_eq "counter kept counting" 1 \
	"$(ka_read a gre1 counter && [ "$KA" -gt 3 ] && echo 1)"
restore
check "the path returns, so does the line" wait_for 3000 carrier_is a gre1 1
check "keepalive off on gre1" ka_set a gre1 enabled 0

# --- Same probe, different underlay device ------------------------------
# A gets a second link to W; gre2 ("local any", bound to a0) and gre3
# ("local any", bound to a1) both send probes B_WAN -> <source>. B has a
# tunnel to A's a0 address only, so only gre2's probes are answered.
ip link add a1 netns a type veth peer name w2 netns w
ip -n w addr add 192.0.2.254/32 dev w2 2>/dev/null
ip -n w link set w2 up
ip -n a addr add 192.0.2.200/32 dev a1
ip -n a link set a1 up
ip -n w route add 192.0.2.200/32 dev w2
ip -n a route add 198.51.100.0/24 dev a1 table 20 via 192.0.2.254 onlink
ip -n a rule add oif a1 table 20
ip -n a link add gre2 type gre remote $B_WAN ttl 64 dev a0
ip -n a link add gre3 type gre remote $B_WAN ttl 64 dev a1
ip -n a link set gre2 up
ip -n a link set gre3 up
# Enabled in this order, gre3 is the first candidate the old lookup found.
check "keepalive on gre2 (bound to a0)" keepalive a gre2 200 3
check "keepalive on gre3 (bound to a1)" keepalive a gre3 200 3
check "gre2's replies arrive" wait_for 5000 ka_at_least a gre2 replies 5
check "gre3 goes down: nobody answers it" watch_down a gre3 3 5000
check_eq "gre2 stays up" 1 "$(carrier a gre2)"
check_eq "gre3 got no reply" 0 "$(ka a gre3 replies)"
finish
