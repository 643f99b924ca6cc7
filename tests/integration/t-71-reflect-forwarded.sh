#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# gka-cost: 30 9
# A reflected probe is treated like a forwarded packet: its receive
# timestamp is cleared (fq on the underlay would otherwise drop it as
# decades early), it obeys the IPsec output policy over IPv6 as over IPv4,
# it passes the underlay's OUTPUT and POSTROUTING hooks, and the nft rule
# in the README stops it.
. /tests/integration/lib.sh

KEY=0x0102030405060708090a0b0c0d0e0f1011121314

topology
modprobe ip6_gre || fatal "modprobe ip6_gre"
tunnels
modprobe gre_keepalive || fatal "modprobe gre_keepalive"
# B forwards nothing: only the module can answer A.
check_eq "B does not forward" 0 "$(in_ns b cat /proc/sys/net/ipv4/ip_forward)"

# --- Receive timestamps and fq ----------------------------------------
check "fq on B's underlay" tc -n b qdisc replace dev b0 root fq
: > /tmp/ts
in_ns b gka-wire timestamps > /tmp/ts &
ts_pid=$!
ts_ready() { read -r KA < /tmp/ts && [ "$KA" = ready ]; }
check "receive timestamps on (as tcpdump turns them on)" wait_for 5000 ts_ready
check "keepalive 200 ms / 3 on A" keepalive a gre1 200 3
check "B's reflections get through fq" \
	wait_for 5000 ka_at_least a gre1 replies 5
check_eq "A's line stays up" 1 "$(carrier a gre1)"
check_eq "no transition" 0 "$(ka a gre1 transitions)"
kill $ts_pid
wait $ts_pid 2>/dev/null
tc -n b qdisc del dev b0 root

# --- Netfilter sees the reflection, and the README's rule stops it ------
in_ns b nft -f - <<'NFT' || not_ok "nft: B's output chain"
table inet gka_test {
	chain out {
		type filter hook output priority filter;
		meta l4proto gre @th,16,16 0 counter
	}
}
NFT
ka_read a gre1 replies && n=$KA
check "replies go on" wait_for 3000 ka_at_least a gre1 replies $((n + 3))
check "B's OUTPUT chain counted the reflections" \
	sh -c "! nsenter --net=/run/netns/b nft list chain inet gka_test out |
		grep -q 'counter packets 0 '"
# The rule from the README, word for word.
check "the README's rule" in_ns b nft add rule inet gka_test out \
	meta l4proto gre @th,16,16 0 drop
check "A goes down: B answers no more" watch_down a gre1 3 5000
in_ns b nft delete table inet gka_test
check "A comes back without the rule" wait_for 3000 carrier_is a gre1 1
check "keepalive off on A" ka_set a gre1 enabled 0

# --- IPsec output policy, IPv4 and IPv6 ---------------------------------
topology6
ip -n b link add gre6 type ip6gre local $B6 remote $A6
ip -n b link set gre6 addrgenmode none
ip -n b link set gre6 up
# B protects what it sends to A over GRE with ESP (transport mode).
ip -n b xfrm state add src $B_WAN dst $A_WAN proto esp spi 0x4001 \
	mode transport aead 'rfc4106(gcm(aes))' $KEY 128 ||
	fatal "xfrm state (IPv4)"
ip -n b xfrm policy add src $B_WAN/32 dst $A_WAN/32 proto gre dir out \
	tmpl src $B_WAN dst $A_WAN proto esp mode transport ||
	fatal "xfrm policy (IPv4)"
ip -n b xfrm state add src $B6 dst $A6 proto esp spi 0x6001 \
	mode transport aead 'rfc4106(gcm(aes))' $KEY 128 ||
	fatal "xfrm state (IPv6)"
ip -n b xfrm policy add src $B6/128 dst $A6/128 proto gre dir out \
	tmpl src $B6 dst $A6 proto esp mode transport ||
	fatal "xfrm policy (IPv6)"

capture_start b b0 4501 || fatal "capture on b0"
check "send a Cisco probe from A" wire a probe $B_WAN $B_WAN $A_WAN id 4501
wait $CAP_PID
check_eq "capture saw the reflection" 0 $?
sed 's/^/  /' $CAP
check "IPv4: the reflection left under ESP" \
	out_has "^dir=out src=$B_WAN dst=$A_WAN .* id=4501 esp_spi=0x00004001" \
	cat $CAP
check_eq "IPv4: nothing left in clear" 0 \
	"$(grep -c "^dir=out .*gre_proto=0x0000" $CAP)"

capture_start b b0 4601 || fatal "capture on b0"
check "send MikroTik's probe from A" wire a probe6 $B6 $B6 $A6 flow 4601
wait $CAP_PID
check_eq "capture saw the reflection" 0 $?
sed 's/^/  /' $CAP
check "IPv6: the reflection left under ESP" \
	out_has "^dir=out src=$B6 dst=$A6 .* flow=4601 esp_spi=0x00006001" \
	cat $CAP
check_eq "IPv6: nothing left in clear" 0 \
	"$(grep -c "^dir=out .*gre_proto=0x86dd" $CAP)"
check_eq "counted as reflected" 1 "$(ka b gre6 reflected)"
finish
