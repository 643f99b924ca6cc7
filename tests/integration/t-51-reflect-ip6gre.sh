#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# gka-cost: 20 4
# Reflection over IPv6: MikroTik's keepalives through an ip6gre tunnel
# (inner IPv6, GRE protocol type 0x86DD and nothing behind it) and the
# Cisco-style type 0 come back to the peer; probes for anyone else, from
# anyone else, or with hop limit 1 are left to the stack and counted. B
# keeps IPv6 forwarding off, so the stack drops them.
. /tests/integration/lib.sh


# What B sent that could be a reflection: IPv6 carrying 4 bytes of GRE.
cap_out() { grep '^dir=out .* plen=4 ' $CAP; }

topology
modprobe ip6_gre || fatal "modprobe ip6_gre"
topology6
check_eq "B does not forward IPv6" 0 \
	"$(in_ns b cat /proc/sys/net/ipv6/conf/all/forwarding)"
# No link-local address on the tunnel: nothing of its own goes out of it.
ip -n b link add gre6 type ip6gre local $B6 remote $A6
ip -n b link set gre6 addrgenmode none
ip -n b link set gre6 up
modprobe gre_keepalive || fatal "modprobe gre_keepalive"
check_eq "ip6gre: reflection on by default" 1 "$(ka b gre6 reflect)"
# Keepalive itself runs on ip6gre too (t-52); here it stays off, so that
# all B sends is reflections.
check_eq "ip6gre: keepalive off until enabled" 0 "$(ka b gre6 enabled)"

capture_start b b0 4242 || fatal "capture on b0"
check "send MikroTik's probe from A" wire a probe6 $B6 $B6 $A6 flow 4242
wait $CAP_PID
check_eq "capture saw the reflection" 0 $?
sed 's/^/  /' $CAP
check_eq "reflected as a router forwards it" \
	"dir=out src=$B6 dst=$A6 hlim=254 plen=4 flow=4242 gre_flags=0x0000 gre_proto=0x86dd bytes=44" \
	"$(cap_out)"

capture_start b b0 4243 || fatal "capture on b0"
check "send a type 0 probe over IPv6" wire a probe6 $B6 $B6 $A6 flow 4243 pt 0
wait $CAP_PID
check_eq "capture saw it" 0 $?
check_eq "reflected too" \
	"dir=out src=$B6 dst=$A6 hlim=254 plen=4 flow=4243 gre_flags=0x0000 gre_proto=0x0000 bytes=44" \
	"$(cap_out)"
check_eq "two reflected" 2 "$(ka b gre6 reflected)"

# Not ours to answer, then a good probe: the capture stops at its
# reflection. B forwards nothing, so what is passed on goes nowhere.
capture_start b b0 4344 || fatal "capture on b0"
wire a probe6 $B6 $B6 2001:db8:1::99 flow 1 ||
	not_ok "send: third-party destination"
wire a probe6 $B6 2001:db8:2::77 $A6 flow 2 || not_ok "send: source not B's"
wire a probe6 $B6 $B6 $A6 flow 3 hlim 1 || not_ok "send: hop limit 1"
check "a good probe after them" wire a probe6 $B6 $B6 $A6 flow 4344
wait $CAP_PID
check_eq "capture saw the good probe's reflection" 0 $?
sed 's/^/  /' $CAP
check_eq "only the good probe went out" 1 "$(cap_out | wc -l)"
check "and it was the good one" out_has ' flow=4344 ' cap_out
check_eq "passed the three on" 3 "$(ka b gre6 passed)"
check_eq "reflected the good one" 3 "$(ka b gre6 reflected)"
check "the tool shows them" out_has \
	'^gre6: keepalive off, reflect on, reflected 3, passed 3$' \
	in_ns b gre-keepalive show gre6
finish
