#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Reflection's peer variants, on A's gre1, answering probes crafted on B:
# a NAT'd peer's (MikroTik: its private address as the inner destination)
# and an overlay-addressed peer's (VeloCloud: the tunnel's inner
# addresses). Off by default, and off nothing changes; on, each answers
# its probes only towards the tunnel's own peer, and forgeries, t-50's
# anti-reflection cases among them, are still left to the stack. A tunnel
# nested inside this one works as in t-70; two ends in overlay mode do not
# play ping-pong, and a loop made on purpose (the same overlay address on
# both ends) ends with the TTL.
# gka-cost: 35 6
. /tests/integration/lib.sh

PRIVATE=10.9.9.9

# Lines for packets A sent out of a0 (the capture's first line is "ready").
cap_out() { grep '^dir=out ' $CAP; }
cap_id() { grep "^dir=out .* id=$1 " $CAP; }
cap_in_id() { grep "^dir=out .* in_id=$1 " $CAP; }

# modes NS DEV NAT OVERLAY: the switches, through netlink (no sysfs files).
modes() {
	[ "$(in_ns "$1" gka-nlsend set ifname:str:"$2" \
		reflect_nat:u32:"$3" reflect_overlay:u32:"$4")" = ok ]
}
shown() {
	in_ns "$1" gka-nlsend -a get ifname:str:"$2" |
		sed -n 's/^msg .* \(reflect_nat=[01] reflect_overlay=[01]\)$/\1/p'
}
# probes < LINES: "OUTER_DST INNER_SRC INNER_DST [options]" lines, each
# a probe from B through its underlay, in order, with one program start
# (each costs a second or more on the debug kernel).
probes() { sed 's/^/probe /' | in_ns b gka-wire probes; }
# cnt NS DEV: R and P, the tunnel's reflected and passed counters.
cnt() { ka_read "$1" "$2" reflected && R=$KA && ka_read "$1" "$2" passed && P=$KA; }
counts_are() { cnt "$1" "$2" && [ "$R $P" = "$3" ]; }
counts_not() { cnt "$1" "$2" && [ "$R $P" != "$3" ]; }

# t-50's anti-reflection cases, their ids from $1 on (A's NBMA tunnel has
# key 77, its gretap key 88). The first, a third-party destination from
# A's own address, is exactly a NAT'd peer's probe.
t50_cases() {
	cat <<EOF
$A_WAN $A_WAN 192.0.2.99 id $1
$A_WAN 198.51.100.77 $B_WAN id $(($1 + 1))
$A_WAN $A_WAN $B_WAN id $(($1 + 2)) len 22
$A_WAN $A_WAN $B_WAN id $(($1 + 3)) ttl 1
$A_WAN $A_WAN $B_WAN id $(($1 + 4)) key 77
$A_WAN $A_WAN $B_WAN id $(($1 + 5)) key 88 tap
EOF
}

topology
# No IPv6 chatter (router solicitations, MLD) out of A's tunnels: the
# captures count every GRE packet A sends.
in_ns a sh -c 'echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6 &&
	echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6' ||
	fatal "IPv6 off in A"
tunnels
ip -n a link add nbma type gre local $A_WAN key 77
ip -n a link add tap1 type gretap local $A_WAN remote $B_WAN key 88
ip -n a link set nbma up
ip -n a link set tap1 up
modprobe gre_keepalive || fatal "modprobe gre_keepalive"
# The kernel's defaults, as t-50 checks them: what the module does not
# answer, the stack drops as a martian.

check_eq "both variants off by default" \
	"reflect_nat=0 reflect_overlay=0" "$(shown a gre1)"
check "no sysfs files for them" eval \
	"[ ! -e $(net a gre1)/keepalive/reflect_nat ] && [ ! -e $(net a gre1)/keepalive/reflect_overlay ]"
check "gretap: the variants refused" out_has \
	"^error EOPNOTSUPP reflect-nat applies to point-to-point gre tunnels only" \
	in_ns a gka-nlsend set ifname:str:tap1 reflect_nat:u32:1

# --- Off: nothing changes ----------------------------------------------
cnt a gre1 && r0=$R p0=$P
capture_start a a0 5309 20000 detail || fatal "capture on a0"
check "send: a NAT'd peer's probe, an overlay-addressed one, t-50's cases, a standard one" \
	probes <<EOF
$A_WAN $A_WAN $PRIVATE id 5301
$A_WAN $A_IN $B_IN id 5302
$(t50_cases 5303)
$A_WAN $A_WAN $B_WAN id 5309
EOF
wait $CAP_PID
check_eq "off: capture saw the standard probe's reflection" 0 $?
sed 's/^/  /' $CAP
check_eq "off: only the standard probe went out" 1 "$(cap_out | wc -l)"
check "off: and it was the standard one" cap_id 5309
cnt a gre1
check_eq "off: the variants' and four of t-50's passed on, one reflected" \
	"$((r0 + 1)) $((p0 + 6))" "$R $P"
cnt a nbma && n0="$R $P"
cnt a tap1
check_eq "off: the NBMA tunnel and the gretap did not look" "0 0 0 0" "$n0 $R $P"

# --- On: each answered, towards the peer only; forgeries refused -------
check "both variants on, through netlink" modes a gre1 1 1
check_eq "and shown" "reflect_nat=1 reflect_overlay=1" "$(shown a gre1)"
check "on the NBMA tunnel too" modes a nbma 1 1
check "and on B's end: overlay mode on both ends" modes b gre1 1 1
check_eq "reflect itself left on" 1 "$(ka a gre1 reflect)"
cnt a gre1 && r0=$R p0=$P
cnt b gre1 && rb0=$R pb0=$P
capture_start a a0 5339 20000 detail || fatal "capture on a0"
check "send: the variants' probes, forgeries, t-50's cases, a standard one" \
	probes <<EOF
$A_WAN $A_WAN $PRIVATE id 5311 ttl 64
$A_WAN $A_IN $B_IN id 5312 ttl 64
$A_WAN 198.51.100.77 $PRIVATE id 5313
$A_WAN 203.0.113.9 $B_IN id 5314
$A_WAN $B_IN $A_IN id 5315
$A_WAN $A_IN 192.0.2.254 id 5316
$A_WAN $A_IN $A_IN id 5317
$A_WAN $A_IN 203.0.113.3 id 5318
$A_WAN $A_IN 255.255.255.255 id 5319
$A_WAN $A_WAN 224.0.0.5 id 5320
$A_WAN $A_IN 224.0.0.5 id 5321
$A_WAN $A_WAN $PRIVATE id 5322 ttl 1
$A_WAN $A_IN $B_IN id 5323 ttl 1
$(t50_cases 5330)
$A_WAN $A_WAN $B_WAN id 5339
EOF
wait $CAP_PID
check_eq "on: capture saw the standard probe's reflection" 0 $?
sed 's/^/  /' $CAP
check "NAT: to B's WAN address, the inner destination rewritten to it, TTL - 1, checksum good" \
	out_has "^dir=out src=$A_WAN dst=$B_WAN ttl=63 len=24 id=5311 frag=0x0000 csum=ok gre_flags=0x0000 gre_proto=0x0000 bytes=24 " \
	cap_id 5311
check "overlay: back through the tunnel to B, inner addresses as sent, TTL - 1" \
	out_has "^dir=out src=$A_WAN dst=$B_WAN .*gre_proto=0x0800 .* in_src=$A_IN in_dst=$B_IN in_tos=0x00 in_ttl=63 in_id=5312 in_len=24 in_gre_flags=0x0000 in_gre_proto=0x0000 in_bytes=24\$" \
	cap_in_id 5312
check "t-50's third-party destination: a NAT'd probe, to B, not to the third party" \
	out_has "^dir=out src=$A_WAN dst=$B_WAN ttl=254 len=24 id=5330 " cap_id 5330
check "and the standard one" cap_id 5339
check_eq "on: nothing else went out" 4 "$(cap_out | wc -l)"
# Eleven forgeries and three of t-50's cases passed on.
cnt a gre1
check_eq "on: four reflected, fourteen passed on" \
	"$((r0 + 4)) $((p0 + 14))" "$R $P"
cnt a nbma && n0="$R $P"
cnt a tap1
check_eq "on: the NBMA tunnel and the gretap did not look" "0 0 0 0" "$n0 $R $P"
# B, in overlay mode too, gets A's overlay answer out of its gre1 from A's
# inner address: not an address of B's, so B leaves it to its stack
# (which delivers it, being addressed to B) and sends nothing back.
check "B passed the overlay answer on, reflected nothing: no ping-pong" \
	wait_for 2000 counts_are b gre1 "$rb0 $((pb0 + 1))"
check "and nothing more happened" never_within 300 counts_not a gre1 \
	"$((r0 + 4)) $((p0 + 14))"

# --- "local any": every address of A's is a local one ------------------
# A NAT'd peer's probe from A's WAN address is re-addressed; one from A's
# inner address is overlay-addressed, not NAT'd: back into the tunnel.
ip -n a link set gre1 type gre local any remote $B_WAN ttl 64 ||
	fatal "gre1 local any"
cnt a gre1 && r0=$R p0=$P
capture_start a a0 5349 20000 detail || fatal "capture on a0"
check "local any: send" probes <<EOF
$A_WAN $A_WAN $PRIVATE id 5341
$A_WAN $A_IN $B_IN id 5342
$A_WAN 198.51.100.77 $PRIVATE id 5343
$A_WAN $A_WAN $B_WAN id 5349
EOF
wait $CAP_PID
check_eq "local any: capture saw the standard probe's reflection" 0 $?
sed 's/^/  /' $CAP
check_eq "local any: three went out" 3 "$(cap_out | wc -l)"
check "local any, NAT: re-addressed to B" \
	out_has "^dir=out src=$A_WAN dst=$B_WAN ttl=254 len=24 id=5341 .*gre_proto=0x0000 " \
	cap_id 5341
check "local any, overlay: into the tunnel" \
	out_has " in_src=$A_IN in_dst=$B_IN .*in_id=5342 " cap_in_id 5342
cnt a gre1
check_eq "local any: the source not ours passed on" \
	"$((r0 + 3)) $((p0 + 1))" "$R $P"
ip -n a link set gre1 type gre local $A_WAN remote $B_WAN ttl 64 ||
	fatal "gre1 local again"

# --- A tunnel inside this one (t-70), both variants on all four --------
tunnel a gre2 $A_IN $B_IN 203.0.113.5
tunnel b gre2 $B_IN $A_IN 203.0.113.6
check "variants on the inner tunnels too" eval "modes a gre2 1 1 && modes b gre2 1 1"
cnt a gre1 && r1a=$R p1a=$P
cnt b gre1 && r1b=$R p1b=$P
check "keepalive 200 ms / 3 on A's inner tunnel" keepalive a gre2 200 3
check "and on B's" keepalive b gre2 200 3
check "A's inner tunnel's keepalives are answered" \
	wait_for 6000 ka_at_least a gre2 replies 5
check "B's inner tunnel's keepalives are answered" \
	wait_for 6000 ka_at_least b gre2 replies 5
check_eq "lines up, no transition" "1 1 0 0" \
	"$(carrier a gre2) $(carrier b gre2) $(ka a gre2 transitions) $(ka b gre2 transitions)"
check "each inner tunnel reflected the other's" \
	eval "ka_at_least a gre2 reflected 5 && ka_at_least b gre2 reflected 5"
check_eq "the outer tunnels reflected none of it" "$r1a $r1b" \
	"$(ka a gre1 reflected) $(ka b gre1 reflected)"
check "and passed the replies on" eval \
	"ka_at_least a gre1 passed $((p1a + 5)) && ka_at_least b gre1 passed $((p1b + 5))"
check "traffic through the inner tunnel" ping_ok a 203.0.113.6
ka_set a gre2 enabled 0 && ka_set b gre2 enabled 0 || not_ok "keepalive off"

# --- A loop made on purpose ends with the TTL ---------------------------
# A's inner address on B's gre1 too, and one destination routed into the
# tunnel on both ends: each end takes the other's answer for a probe of
# its own. As plain forwarding would with accept_local, they pass it back
# and forth, one TTL less each time, until it arrives with TTL 1.
ip -n b addr add $A_IN/32 dev gre1
ip -n a route add 10.20.30.40/32 dev gre1
ip -n b route add 10.20.30.40/32 dev gre1
cnt a gre1 && ra=$R pa=$P
cnt b gre1 && rb=$R pb=$P
both_are() { counts_are a gre1 "$1" && counts_are b gre1 "$2"; }
both_not() { ! both_are "$@"; }
check "a probe with TTL 6 into the loop" probes <<EOF
$A_WAN $A_IN 10.20.30.40 ttl 6 id 5399
EOF
# TTL 6, 4, 2 answered by A, 5, 3 by B; B passes the one with TTL 1 on.
check "five answers, then B passes it on" wait_for 3000 both_are \
	"$((ra + 3)) $pa" "$((rb + 2)) $((pb + 1))"
check "and no more" never_within 300 both_not \
	"$((ra + 3)) $pa" "$((rb + 2)) $((pb + 1))"

# --- Off again: refused as at first -------------------------------------
check "both variants off" modes a gre1 0 0
cnt a gre1 && r0=$R p0=$P
check "send: the variants' probes" probes <<EOF
$A_WAN $A_WAN $PRIVATE id 5401
$A_WAN $A_IN $B_IN id 5402
EOF
check "off again: both passed on, none reflected" \
	wait_for 2000 counts_are a gre1 "$r0 $((p0 + 2))"
finish
