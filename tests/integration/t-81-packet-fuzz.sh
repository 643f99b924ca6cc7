#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# gka-kernel: debug
# gka-cost: 130
# The packet path under hostile input. gka-pktfuzz sends a seeded stream of
# crafted packets from the WAN into router A, which has tunnels of every
# kind (gre, keyed, checksummed, local any bound to its underlay, keepalive
# off, one whose route leads into itself, ip6gre plain and keyed, gretap,
# NBMA, GRE in GRE): keepalive replies and peers' probes byte for byte,
# then truncated, padded, fragmented (and fragments lost), with every GRE
# flag and version, bad and missing checksums, wrong and foreign keys,
# wrong addresses and TTLs, IP options good and bad, probes for one tunnel
# sent through another. A forwards, so that what the hooks leave alone
# goes on and out where it can be seen. Its oracle (a model of the rules
# in design.md and of the stack around them, not the module's code)
# predicts every tunnel's replies, reflected and passed counters, which
# must come out exactly; each predicted reflection must leave A once, byte
# for byte but TTL and checksum, on the route to that tunnel's peer; what
# A delivers to its raw GRE sockets must be what the model says, none of
# the credited replies. Then the module is unloaded and the same stream,
# less the replies and probes the module took, is sent again: everything
# else A sent and delivered must be the same, packet for packet, and so
# must its counters (SNMP, netstat, devices) but for those that the taken
# packets move (received, delivered, sent, octets).
# The seed is printed; GKA_GUEST_ENV=GKA_PKTFUZZ_SEED=N scripts/quick.sh
# debug t-81-packet-fuzz replays the run (GKA_PKTFUZZ_COUNT=N to shorten
# it), and "gka-pktfuzz show" prints any case with the oracle's verdict.
. /tests/integration/lib.sh

# About 60,000 packets with the module and 40,000 without: two to three
# minutes on the debug kernel under TCG.
COUNT=${GKA_PKTFUZZ_COUNT:-59000}
SEED=${GKA_PKTFUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}

A1=192.0.2.1
A2=192.0.2.2
A6=2001:db8:1::1
GW=192.0.2.254
GW6=2001:db8:1::fe
B1=198.51.100.2
B2=198.51.100.3
B3=198.51.100.4
B4=198.51.100.5
B5=198.51.100.6
B6=2001:db8:2::2
A_IN=203.0.113.1
B_IN=203.0.113.2

# Only A and the WAN side: the fuzzer stands in for every peer, and
# nothing but its packets reaches A. The WAN has no addresses, forwards
# nothing, has no IPv6: it never answers A (no ICMP, no ND). A's gateway
# is a MAC address nobody has: the WAN's stack drops what A sends at once,
# the fuzzer's capture sees it all the same.
modprobe veth || fatal "modprobe veth"
netns_add a
netns_add w
# A before its devices exist: a router, with no ICMP rate limits (their
# timing is not the packets'), fragments expiring in a second, no IPv6
# addresses of its own making (so no DAD, router solicitation or MLD from
# A), no reverse path filter, no redirects.
in_ns a sh -c '
	s() { echo "$2" > "/proc/sys/net/$1"; }
	s ipv4/ip_forward 1 && s ipv6/conf/all/forwarding 1 || exit 1
	# Per netns on some kernels only; the masks do without them.
	s ipv4/icmp_msgs_per_sec 100000000 2>/dev/null
	s ipv4/icmp_msgs_burst 100000000 2>/dev/null
	s ipv4/icmp_ratemask 0 && s ipv4/icmp_ratelimit 0 &&
	s ipv6/icmp/ratelimit 0 && s ipv6/icmp/ratemask 255 &&
	s ipv4/ipfrag_high_thresh 67108864 && s ipv4/ipfrag_time 1 &&
	s ipv6/ip6frag_high_thresh 67108864 && s ipv6/ip6frag_time 1 &&
	for c in all default; do
		s ipv4/conf/$c/rp_filter 0 && s ipv4/conf/$c/send_redirects 0 &&
		s ipv6/conf/$c/addr_gen_mode 1 && s ipv6/conf/$c/accept_dad 0 &&
		s ipv6/conf/$c/router_solicitations 0 || exit 1
	done' || fatal "A's sysctls"
in_ns w sh -c 'echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6 &&
	echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6' ||
	fatal "no IPv6 on the WAN side"
ip link add a0 netns a type veth peer name w0 netns w || fatal "veth"
ip -n w link set w0 up
WMAC=02:00:00:00:00:fe
# One exec for all of A (each one costs seconds under KASAN and TCG).
# gself's peer is reached through gself: nothing of its can be answered.
ip -n a -batch - <<EOF || fatal "A's devices, addresses and routes"
addr add $A1/24 dev a0
addr add $A2/24 dev a0
addr add $A6/64 dev a0 nodad
link set lo up
link set a0 up
neigh add $GW lladdr $WMAC dev a0 nud permanent
neigh add $GW6 lladdr $WMAC dev a0 nud permanent
route add default via $GW
route add default via $GW6
link add g0 type gre local $A1 remote $B1 ttl 64
link add gk type gre local $A1 remote $B1 key 17 ttl 64
link add gc type gre local $A1 remote $B2 csum ttl 64
link add gkc type gre local $A1 remote $B2 key 34 csum ttl 64
link add gany type gre remote $B3 dev a0 ttl 64
link add ga2 type gre local $A2 remote $B3 ttl 64
link add goff type gre local $A2 remote $B3 key 68 ttl 64
link add gself type gre local $A1 remote $B4 ttl 64
link add g6 type ip6gre local $A6 remote $B6
link add g6k type ip6gre local $A6 remote $B6 key 102
link add tap type gretap local $A1 remote $B1 ttl 64
link add nbma type gre local $A1 key 85 ttl 64
addr add $A_IN/30 dev g0
addr add 10.9.1.1/30 dev gk
addr add 10.9.2.1/30 dev gc
addr add 10.9.3.1/30 dev gkc
addr add 10.9.4.1/30 dev gany
addr add 10.9.5.1/30 dev ga2
link add gin type gre local $A_IN remote $B_IN ttl 64
addr add 10.9.6.1/30 dev gin
link set g0 up
link set gk up
link set gc up
link set gkc up
link set gany up
link set ga2 up
link set goff up
link set gself up
link set g6 up
link set g6k up
link set tap up
link set nbma up
link set gin up
route add $B4/32 dev gself
EOF
# What comes out of a tunnel from one of A's own addresses is forwarded
# too (a peer's probe, when the module does not take it).
in_ns a sh -c 'for d in g0 gk gc gkc gany ga2 goff gself g6 g6k tap nbma gin
	do echo 1 > /proc/sys/net/ipv4/conf/$d/accept_local || exit 1; done' ||
	fatal "accept_local on A's tunnels"
# A never hears ICMP errors but its own (about what it forwards from its
# own addresses): dropped, for a tunnel that hears one starts answering
# what it sends for the next 30 s with errors of its own (err_count),
# which would make the stack's doings depend on time.
in_ns a nft -f - <<EOF || fatal "nft in A"
table inet gka_fuzz {
	chain input {
		type filter hook input priority 0; policy accept;
		icmp type { destination-unreachable, source-quench, redirect,
			    time-exceeded, parameter-problem } drop
		icmpv6 type { destination-unreachable, packet-too-big,
			      time-exceeded, parameter-problem } drop
	}
}
EOF

modprobe gre_keepalive || fatal "modprobe gre_keepalive"
# Keepalive on, at the longest interval: A's own probes hardly ever fall
# into a run (they are recognised when they do, and move only counters
# that are not compared). Not on gself, whose probes would go round in
# it and count as its transmit errors.
for t in g0 gk gc gkc gany ga2 gin; do
	check "keepalive on $t" keepalive a $t 32767000 3
done
check_eq "goff and gself have keepalive off" "0 0" \
	"$(ka a goff enabled) $(ka a gself enabled)"
check_eq "reflection is on (g6)" 1 "$(ka a g6 reflect)"

TUNNELS="g0,gre,$A1,$B1,ka gk,gre,$A1,$B1,key=17,ka
	gc,gre,$A1,$B2,csum,ka gkc,gre,$A1,$B2,key=34,csum,ka
	gany,gre,any,$B3,ka,link=a0 ga2,gre,$A2,$B3,ka goff,gre,$A2,$B3,key=68
	gself,gre,$A1,$B4,noroute g6,ip6gre,$A6,$B6 g6k,ip6gre,$A6,$B6,key=102
	tap,gretap,$A1,$B1 nbma,gre,$A1,any,key=85
	gin,gre,$A_IN,$B_IN,ka,over=g0"
OURS=$A1,$A2,$A_IN,10.9.1.1,10.9.2.1,10.9.3.1,10.9.4.1,10.9.5.1,10.9.6.1
# fuzz ARGS...: gka-pktfuzz run, output in /tmp/fuzz.out (and shown).
fuzz() {
	# shellcheck disable=SC2086
	gka-pktfuzz run --seed "$SEED" --count $COUNT \
		--netns-a /run/netns/a --netns-w /run/netns/w --sys-a /run/sys-a \
		--adev a0 --wdev w0 --ours $OURS --ours6 $A6 \
		--bcast 192.0.2.255 --peers $B5 "$@" $TUNNELS \
		> /tmp/fuzz.out
	FUZZ_RC=$?
	sed 's/^/    /' /tmp/fuzz.out
}
# expectations: the counters the oracle predicted, as assertions.
expectations() {
	local what dev ctr exp got
	while read -r what dev ctr exp got; do
		[ "$what" = expect ] && check_eq "$1: $dev $ctr" "$exp" "$got"
	done < /tmp/fuzz.out
	check_eq "$1: no violation" 0 \
		"$(sed -n 's/^violations //p' /tmp/fuzz.out)"
	check_eq "$1: the fuzzer's verdict" ok \
		"$(sed -n 's/^result //p' /tmp/fuzz.out)"
}

echo "  seed $SEED, $COUNT cases"
echo "  phase 1: every case, module loaded"
fuzz --mode all --forwarding --obs /tmp/obs-module
check_eq "run with the module completed" 0 "$FUZZ_RC"
sent=$(sed -n 's/^frames //p' /tmp/fuzz.out)
expectations "with the module"
check "rmmod" rmmod gre_keepalive
echo "  phase 2: the cases the module does not take, without the module"
fuzz --mode rest --forwarding --obs /tmp/obs-plain
check_eq "run without the module completed" 0 "$FUZZ_RC"
sent2=$(sed -n 's/^frames //p' /tmp/fuzz.out)
check_eq "without the module: no violation" 0 \
	"$(sed -n 's/^violations //p' /tmp/fuzz.out)"
gka-pktfuzz compare /tmp/obs-module /tmp/obs-plain > /tmp/fuzz.cmp
cmp_rc=$?
sed 's/^/    /' /tmp/fuzz.cmp
check_eq "the stack did the same with and without the module" 0 "$cmp_rc"
echo "  seed $SEED (GKA_PKTFUZZ_SEED=$SEED replays it): $sent packets with the module, $sent2 without, $((sent + sent2)) in all"
[ -n "${GKA_PKTFUZZ_COUNT:-}" ] ||
	check "at least 100,000 packets" [ $((sent + sent2)) -ge 100000 ]
finish
