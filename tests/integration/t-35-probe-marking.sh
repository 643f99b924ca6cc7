#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# gka-cost: 30 8
# Probes marked as routers mark theirs, checked on the wire field by
# field: CS6 in the inner header, TTL 255, an IP ID of their own that
# counts up, the key in both GRE headers; the outer header follows the
# tunnel's tos (0 by default, the probe's own with "tos inherit", as IOS
# sends CS6 outside too); the DSCP is configurable down to 0 and checked;
# and the encapsulated probe reaches the underlay's qdisc as control
# traffic (priority 7, TC_PRIO_CONTROL), nothing else of ours does.
. /tests/integration/lib.sh

topology
tunnels key 40
modprobe gre_keepalive || fatal "modprobe gre_keepalive"
# What leaves a0 towards its qdisc, by priority: the last hook before it.
# Only IPv4 in GRE: gre1's own IPv6 (router solicitations, MLD) is the
# tunnel's traffic, not ours.
in_ns a nft -f - <<'NFT' || fatal "nft: A's postrouting counters"
table ip gka_prio {
	chain post {
		type filter hook postrouting priority filter;
		oifname "a0" ip protocol gre @th,16,16 0x0800 meta priority 0:7 counter
		oifname "a0" ip protocol gre @th,16,16 0x0800 meta priority != 0:7 counter
	}
}
NFT
# prio_count 1|2: packets of the first (priority 7) or second rule.
prio_count() {
	in_ns a nft list chain ip gka_prio post |
		sed -n 's/.* counter packets \([0-9]*\) .*/\1/p' | sed -n "$1p"
}

# capture_for MS: every GRE packet on A's a0 for MS milliseconds.
capture_for() {
	capture_start a a0 none "$1" detail || fatal "capture on a0"
	wait $CAP_PID
}
# probes: the probes A sent, one line each.
probes() { grep "^dir=out .* in_gre_proto=0x0000" $CAP; }
# replies: the reflected probes that came back to A.
replies() { grep "^dir=in .*gre_proto=0x0000 " $CAP; }
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }

# --- Default marking --------------------------------------------------
# The capture starts first: every reply it sees answers a probe it saw.
ps0=$(ka a gre1 probes_sent)
capture_start a a0 none 1200 detail || fatal "capture on a0"
check "keepalive 100 ms / 3 on A" keepalive a gre1 100 3
wait $CAP_PID
sed 's/^/  /' $CAP | head -n 4
n=$(probes | wc -l)
check "probes captured ($n)" [ "$n" -ge 5 ]
check_eq "every probe: outer TOS 0 (the tunnel's tos), CS6 inside" "$n" \
	"$(probes | grep -c " tos=0x00 .* in_tos=0xc0 ")"
check_eq "every probe: inner TTL 255, B to A, 28 bytes" "$n" \
	"$(probes | grep -c " in_src=$B_WAN in_dst=$A_WAN in_tos=0xc0 in_ttl=255 in_id=[0-9]* in_len=28 ")"
check_eq "every probe: the key outside and inside" "$n" \
	"$(probes | grep -c " gre_key=0x00000028 .* in_gre_flags=0x2000 in_gre_proto=0x0000 in_gre_key=0x00000028 in_bytes=28")"
ids=$(probes | field in_id | tr '\n' ' ')
check "IP IDs count up by one ($ids)" awk -v ids="$ids" 'BEGIN {
	n = split(ids, id, " ")
	for (i = 2; i <= n; i++)
		if (id[i] != (id[i - 1] + 1) % 65536)
			exit 1
}'
r=$(replies | head -n 1)
echo "  reply: $r"
# TTL 255, less B's forwarding and W's.
check "the reply is the probe, forwarded: CS6, TTL 253, key, 28 bytes" \
	sh -c "echo '$r' | grep -q 'src=$B_WAN dst=$A_WAN ttl=253 len=28 .* gre_flags=0x2000 gre_proto=0x0000 bytes=28 tos=0xc0 gre_key=0x00000028'"
check "its ID is one of the probes'" \
	sh -c "echo ' $ids' | grep -q ' $(echo "$r" | field id) '"
check "replies counted" ka_at_least a gre1 replies 3

# Control priority: every probe left with it, and no GRE without it.
check "keepalive off" ka_set a gre1 enabled 0
ps1=$(ka a gre1 probes_sent)
check_eq "IPv4 in GRE at priority 7 on a0: exactly the probes" \
	$((ps1 - ps0)) "$(prio_count 1)"
check_eq "IPv4 in GRE at any other priority on a0: none" 0 "$(prio_count 2)"

# --- tos inherit: CS6 on the outer header too, as IOS sends it ---------
check "tos inherit on A's gre1" ip -n a link set gre1 type gre tos inherit
check "keepalive on again" ka_set a gre1 enabled 1
capture_for 600
n=$(probes | wc -l)
check "probes captured ($n)" [ "$n" -ge 2 ]
check_eq "every probe: CS6 outside and inside" "$n" \
	"$(probes | grep -c " tos=0xc0 .* in_tos=0xc0 ")"

# --- DSCP 0, then a DSCP of 63 -----------------------------------------
check "DSCP 0" in_ns a gka-nlsend set ifname:str:gre1 dscp:u32:0
capture_for 600
n=$(probes | wc -l)
check "probes captured ($n)" [ "$n" -ge 2 ]
check_eq "every probe unmarked, outside (inherited) and inside" "$n" \
	"$(probes | grep -c " tos=0x00 .* in_tos=0x00 ")"
check "still answered" ka_at_least a gre1 replies 6
check "DSCP 63" in_ns a gka-nlsend set ifname:str:gre1 dscp:u32:63
capture_for 600
n=$(probes | wc -l)
check_eq "every probe DSCP 63, ECN not-ECT" "$n" \
	"$(probes | grep -c " tos=0xfc .* in_tos=0xfc ")"
check_eq "DSCP 64 refused, by name" \
	"error ERANGE integer out of range (attr dscp)" \
	"$(in_ns a gka-nlsend set ifname:str:gre1 dscp:u32:64)"
capture_for 400
check_eq "and the probes keep DSCP 63" "$(probes | wc -l)" \
	"$(probes | grep -c " in_tos=0xfc ")"

finish
