#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# gka-cost: 40 9
# Reflection: B answers A's keepalives with the kernel's default sysctls
# (rp_filter 1, accept_local 0, forwarding 0) because the module does, and
# stops answering when its reflection is switched off. A probe crafted
# byte for byte in Cisco's format comes back as a router would send it;
# probes that would go anywhere else, or that are broken, are left to the
# stack (which, with those defaults, drops them) and counted as passed on;
# tunnels without a single peer do not look at what comes out of them.
. /tests/integration/lib.sh


# strict NS DEV: the defaults a host keeps, spelled out.
strict() {
	in_ns "$1" sh -c "echo 0 > /proc/sys/net/ipv4/ip_forward &&
		for c in all default $2; do
			echo 1 > /proc/sys/net/ipv4/conf/\$c/rp_filter &&
			echo 0 > /proc/sys/net/ipv4/conf/\$c/accept_local ||
			exit 1
		done"
}

# Lines for packets B sent out of b0 (the capture's first line is "ready").
cap_out() { grep '^dir=out ' $CAP; }

topology
# No IPv6 chatter (router solicitations, MLD) out of B's tunnels: the
# captures below count every GRE packet B sends.
in_ns b sh -c 'echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6 &&
	echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6' ||
	fatal "IPv6 off in B"
tunnels
strict b gre1 || fatal "default sysctls on B"
modprobe gre_keepalive || fatal "modprobe gre_keepalive"

check_eq "reflection is on by default" 1 "$(ka b gre1 reflect)"
check "keepalive 200 ms / 3 on A only" keepalive a gre1 200 3
check "B's module answers A's probes" \
	wait_for 5000 ka_at_least a gre1 replies 5
check_eq "A's line protocol stays up" 1 "$(carrier a gre1)"
check_eq "no transition" 0 "$(ka a gre1 transitions)"
check "B counts what it reflected" ka_at_least b gre1 reflected 5
check_eq "B passed nothing on" 0 "$(ka b gre1 passed)"
check_eq "B still does not forward" 0 \
	"$(in_ns b cat /proc/sys/net/ipv4/ip_forward)"

# Switched off, the stack is left to itself: default sysctls drop the
# probe as a martian, and A goes down. That is the proof that the module
# is what answered.
check "reflect off on B" ka_set b gre1 reflect 0
ka_read b gre1 reflected && r_off=$KA
check "A goes down without B's module answering" watch_down a gre1 3 4000
check_eq "B reflected nothing while off" "$r_off" "$(ka b gre1 reflected)"
check "reflect on again, with the tool" in_ns b gre-keepalive reflect gre1 on
check "A comes back at the next reply" wait_for 2000 carrier_is a gre1 1
check_eq "sysfs shows it on" 1 "$(ka b gre1 reflect)"
check "traffic flows through the tunnel" ping_ok a $B_IN

# B's tunnel bound to its underlay device, then living in another netns
# than its underlay: the probe is still routed back through the underlay.
ip -n b link del gre1
ip -n b link add gre1 type gre local $B_WAN remote $A_WAN ttl 64 dev b0
ip -n b addr add $B_IN/30 dev gre1
ip -n b link set gre1 up
ka_read a gre1 replies && n=$KA
check "bound to b0: A hears B" wait_for 3000 ka_at_least a gre1 replies $((n + 3))
check "bound to b0: B reflected" ka_at_least b gre1 reflected 3
ip -n b link del gre1

# B's underlay in a VRF: the route back is looked up in the VRF's table.
modprobe vrf || fatal "modprobe vrf"
ip -n b link add blue type vrf table 10
ip -n b link set blue up
ip -n b link set b0 master blue
ip -n b route add default via 198.51.100.254 vrf blue
ip -n b link add gre1 type gre local $B_WAN remote $A_WAN ttl 64 dev b0
ip -n b link set gre1 up
ka_read a gre1 replies && n=$KA
check "vrf underlay: A hears B" wait_for 3000 ka_at_least a gre1 replies $((n + 3))
check "vrf underlay: B reflected" ka_at_least b gre1 reflected 3
check "vrf underlay: B's main table has no route back" \
	sh -c "! /usr/bin/ip -n b route get $A_WAN >/dev/null 2>&1"
ip -n b link del gre1
ip -n b link set b0 nomaster
ip -n b link del blue
ip -n b route add default via 198.51.100.254
netns_add t
ip -n b link add gre1 type gre local $B_WAN remote $A_WAN ttl 64
ip -n b link set gre1 netns t
ip -n t link set gre1 up
ka_read a gre1 replies && n=$KA
check "link-netns: A hears B" wait_for 3000 ka_at_least a gre1 replies $((n + 3))
check "link-netns: B reflected" ka_at_least t gre1 reflected 3
check_eq "link-netns: A's line is up" 1 "$(carrier a gre1)"
ip -n t link del gre1
netns_del t
tunnel b gre1 $B_WAN $A_WAN $B_IN
strict b gre1 || fatal "default sysctls on the new gre1"
check "keepalive off on A" ka_set a gre1 enabled 0

# --- Cisco's wire format, byte for byte, captured on B's underlay ------
ka_read b gre1 reflected && r0=$KA
capture_start b b0 4242 || fatal "capture on b0"
check "send a Cisco probe from A" wire a probe $B_WAN $B_WAN $A_WAN id 4242
wait $CAP_PID
check_eq "capture saw the reflection" 0 $?
sed 's/^/  /' $CAP
check_eq "reflected once, as a router forwards it" \
	"dir=out src=$B_WAN dst=$A_WAN ttl=254 len=24 id=4242 frag=0x0000 csum=ok gre_flags=0x0000 gre_proto=0x0000 bytes=24" \
	"$(cap_out)"
check_eq "counted" $((r0 + 1)) "$(ka b gre1 reflected)"

# OpenBSD's probe carries 16 bytes behind its GRE header (uptime, random,
# digest): answered the same way, as it is.
capture_start b b0 4245 || fatal "capture on b0"
check "send an OpenBSD probe from A" \
	wire a probe $B_WAN $B_WAN $A_WAN id 4245 len 40
wait $CAP_PID
check_eq "capture saw its reflection" 0 $?
check_eq "reflected whole, as a router forwards it" \
	"dir=out src=$B_WAN dst=$A_WAN ttl=254 len=40 id=4245 frag=0x0000 csum=ok gre_flags=0x0000 gre_proto=0x0000 bytes=40" \
	"$(cap_out)"
check_eq "counted" $((r0 + 2)) "$(ka b gre1 reflected)"

# --- Not ours to answer: passed on to the stack -------------------------
# An NBMA tunnel and a gretap on B, reached with keys gre1 does not have.
ip -n b link add nbma type gre local $B_WAN key 77
ip -n b link set nbma up
ip -n b link add tap1 type gretap local $B_WAN remote $A_WAN key 88
ip -n b link set tap1 up
ka_read b gre1 passed && f0=$KA
ka_read b gre1 reflected && r0=$KA

# Everything sent before the last probe is handled before it: the capture
# stops at the last one's reflection, and must have seen nothing else.
capture_start b b0 4343 || fatal "capture on b0"
wire a probe $B_WAN $B_WAN 192.0.2.99 id 1 ||
	not_ok "send: third-party destination"
wire a probe $B_WAN 198.51.100.77 $A_WAN id 2 ||
	not_ok "send: source not B's"
wire a probe $B_WAN $B_WAN $A_WAN id 3 len 22 ||
	not_ok "send: truncated"
wire a probe $B_WAN $B_WAN $A_WAN id 4 ttl 1 ||
	not_ok "send: TTL 1"
wire a probe $B_WAN $B_WAN $A_WAN id 6 key 77 ||
	not_ok "send: into the NBMA tunnel"
wire a probe $B_WAN $B_WAN $A_WAN id 7 key 88 tap ||
	not_ok "send: into the gretap"
check "a good probe after them" wire a probe $B_WAN $B_WAN $A_WAN id 4343
wait $CAP_PID
check_eq "capture saw the good probe's reflection" 0 $?
sed 's/^/  /' $CAP
check_eq "only the good probe went out" 1 "$(cap_out | wc -l)"
check "and it was the good one" out_has ' id=4343 ' cap_out

check_eq "gre1 passed on the four sent to it" $((f0 + 4)) "$(ka b gre1 passed)"
check_eq "gre1 reflected only the good one" $((r0 + 1)) \
	"$(ka b gre1 reflected)"
check_eq "the NBMA tunnel did not look at its probe" 0 "$(ka b nbma passed)"
check_eq "and reflected none" 0 "$(ka b nbma reflected)"
check_eq "the gretap did not look at its probe" 0 "$(ka b tap1 passed)"
check_eq "and reflected none" 0 "$(ka b tap1 reflected)"
echo "  counters after the probes passed on:"
in_ns b gre-keepalive show | sed 's/^/    /'
check "the tool shows the counters" out_has \
	"^gre1: keepalive off, reflect on, reflected $((r0 + 1)), passed $((f0 + 4))\$" \
	in_ns b gre-keepalive show gre1
check "show -j too" out_has \
	"\"reflect\":true,\"reflected\":$((r0 + 1)),\"passed\":$((f0 + 4))" \
	in_ns b gre-keepalive show -j gre1
check "reflect: bad sysfs value refused" ka_refused b gre1 reflect 2
check_eq "reflect: netlink value 2 refused" \
	"error ERANGE integer out of range (attr reflect)" \
	"$(in_ns b gka-nlsend set ifname:str:gre1 reflect:u32:2)"
check_eq "reflect: a u8, as version 1 sent it, refused" \
	"error EINVAL invalid attribute length (attr reflect)" \
	"$(in_ns b gka-nlsend set ifname:str:gre1 reflect:u8:0)"
check_eq "reflect: on a veth" \
	"error EOPNOTSUPP not a GRE tunnel (attr ifname)" \
	"$(in_ns b gka-nlsend set ifname:str:b0 reflect:u32:0)"
check_eq "reflection still on" 1 "$(ka b gre1 reflect)"
check_eq "reflect: netlink 0 accepted" ok \
	"$(in_ns b gka-nlsend set ifname:str:gre1 reflect:u32:0)"
check_eq "and shown" 0 "$(ka b gre1 reflect)"
check_eq "keepalive left off by it" 0 "$(ka b gre1 enabled)"
check "the tool switches it back on" in_ns b gre-keepalive reflect gre1 on
check_eq "and shown" 1 "$(ka b gre1 reflect)"
finish
