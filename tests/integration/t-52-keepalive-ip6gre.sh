#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# gka-cost: 40 15
# Keepalive over IPv6 transport: A runs keepalive 500 ms / 3 on three
# ip6gre tunnels to B (plain, keyed, keyed with ip6gre's default
# encapsulation limit) and on an IPv4 gre tunnel, all at once; B's module
# reflects. The probe is MikroTik's GRE6 format, checked on the wire
# field by field. Black-hole the IPv6 path alone: the ip6gre tunnels go
# down, never early, the gre tunnel stays up; lift it: up again. A
# changed key; a local address not configured (errors, quietly). Tunnels
# keepalive cannot serve over ip6gre are refused with their reason.
. /tests/integration/lib.sh

gka() { local ns=$1; shift; in_ns "$ns" gre-keepalive "$@"; }

# ip6gre NAME NS LOCAL REMOTE [options...]: no address of its own, so that
# nothing but keepalive goes out of it (and a fixed flow label stays ours).
ip6gre() {
	local name=$1 ns=$2 local=$3 remote=$4
	shift 4
	ip -n "$ns" link add "$name" type ip6gre local "$local" remote "$remote" "$@" &&
		ip -n "$ns" link set "$name" addrgenmode none &&
		ip -n "$ns" link set "$name" up
}

# The three tunnels at NS, LOCAL -> REMOTE, in one exec (each costs
# seconds under a debug kernel). gre6: tclass inherit, so the outer header
# shows the probe's CS6; the flow labels (hex to ip) name each tunnel's
# probes for the capture, which sees GRE right behind the IPv6 header
# only: encaplimit none. gre6e keeps ip6gre's default encapsulation limit.
ip6gres() {
	local t
	{
		echo "link add gre6 type ip6gre local $2 remote $3 encaplimit none tclass inherit flowlabel 0x1092"
		echo "link add gre6k type ip6gre local $2 remote $3 key 77 encaplimit none flowlabel 0x1093"
		echo "link add gre6e type ip6gre local $2 remote $3 key 78"
		for t in gre6 gre6k gre6e; do
			echo "link set $t addrgenmode none"
			echo "link set $t up"
		done
	} | ip -n "$1" -batch -
}

topology
modprobe ip6_gre || fatal "modprobe ip6_gre"
topology6
tunnels
ip6gres a $A6 $B6 || fatal "ip6gre tunnels at A"
ip6gres b $B6 $A6 || fatal "ip6gre tunnels at B"
modprobe gre_keepalive || fatal "modprobe gre_keepalive"
check_eq "B reflects on ip6gre by default" 1 "$(ka b gre6 reflect)"

for t in gre6 gre6k gre6e gre1; do
	check "keepalive 500 ms / 3 on A's $t" keepalive a $t 500 3
done
for t in gre6 gre6k gre6e gre1; do
	check "$t: replies arrive" wait_for 8000 ka_at_least a $t replies 2
done

# The probe as it leaves A's underlay device: the first one of flow $1.
detail_has() {
	grep "^dir=out .* flow=$1 " $CAP | head -1 | grep -q " $2\( \|\$\)"
}
wire_check() {
	local flow=$1 f
	shift
	for f in "$@"; do
		check "flow $flow on the wire: $f" detail_has $flow "$f"
	done
}

capture_start a a0 4242 5000 detail || fatal "capture on a0"
wait $CAP_PID
check_eq "capture saw a gre6 probe" 0 $?
grep ' flow=4242 ' $CAP | head -1 | sed 's/^/  /' | grep . || head -5 $CAP
wire_check 4242 "src=$A6" "dst=$B6" "plen=48" gre_flags=0x0000 \
	gre_proto=0x86dd tclass=0xc0 "in_src=$B6" "in_dst=$A6" \
	in_tclass=0xc0 in_hlim=255 in_flow=0 in_plen=4 \
	in_gre_flags=0x0000 in_gre_proto=0x86dd in_bytes=44

capture_start a a0 4243 5000 detail || fatal "capture on a0"
wait $CAP_PID
check_eq "capture saw a gre6k probe" 0 $?
grep ' flow=4243 ' $CAP | head -1 | sed 's/^/  /' | grep . || head -5 $CAP
wire_check 4243 "src=$A6" "dst=$B6" "plen=56" gre_flags=0x2000 \
	gre_key=0x0000004d gre_proto=0x86dd tclass=0x00 "in_src=$B6" \
	"in_dst=$A6" in_tclass=0xc0 in_hlim=255 in_flow=0 in_plen=8 \
	in_gre_flags=0x2000 in_gre_proto=0x86dd in_gre_key=0x0000004d \
	in_bytes=48

for t in gre6 gre6k gre6e gre1; do
	check_eq "$t: line up while answered" 1 "$(carrier a $t)"
	check_eq "$t: no transition while answered" 0 "$(ka a $t transitions)"
	check_eq "$t: no probe errors" 0 "$(ka a $t probe_errors)"
done

ip -n w -6 route add blackhole $B6/128
check "gre6 goes down, never early" watch_down a gre6 3 5000
for t in gre6k gre6e; do
	check "$t goes down too" wait_for 3000 carrier_is a $t 0
done
check_eq "gre1 stays up: IPv4 still answers" 1 "$(carrier a gre1)"
check_eq "gre1: no transition" 0 "$(ka a gre1 transitions)"
check_eq "gre6: one transition" 1 "$(ka a gre6 transitions)"
check_eq "sysfs agrees" down "$(ka a gre6 line_protocol)"

ip -n w -6 route del blackhole $B6/128
for t in gre6 gre6k gre6e; do
	check "$t comes back at the next reply" wait_for 3000 carrier_is a $t 1
done
check_eq "gre6: two transitions" 2 "$(ka a gre6 transitions)"
check_eq "gre1 still untouched" "1 0" \
	"$(carrier a gre1) $(ka a gre1 transitions)"

# A changed key is a new probe, and replies are found by the new one.
ip -n a link set gre6e type ip6gre key 90 &&
	ip -n b link set gre6e type ip6gre key 90 || fatal "change gre6e's key"
r0=$(ka a gre6e replies)
check "gre6e: replies with the new key" \
	wait_for 3000 ka_at_least a gre6e replies $((r0 + 2))
check_eq "gre6e: up throughout" "1 2" \
	"$(carrier a gre6e) $(ka a gre6e transitions)"

# A local address that is not configured: ip6gre would send nothing, so
# every probe is an error and the line goes down; quietly, where ip6gre's
# own transmit warns at each try.
ip6gre gre6nl a 2001:db8:1::77 $B6 key 91 || fatal "ip6gre from nowhere"
check "no local address: keepalive runs" keepalive a gre6nl 200 2
check "no local address: probes are errors" \
	wait_for 3000 ka_at_least a gre6nl probe_errors 3
check "no local address: line down" wait_for 2000 carrier_is a gre6nl 0
check_eq "no local address: nothing sent" 0 "$(ka a gre6nl probes_sent)"
check_eq "no local address: no warning per probe" 0 \
	"$(dmesg | grep -c 'gre6nl xmit: Local address not yet configured')"
ka_set a gre6nl enabled 0

# What keepalive over ip6gre cannot serve, refused with its reason.
ip6gre gre6s a $A6 $B6 key 79 oseq || fatal "ip6gre with oseq"
check "oseq: refused" ka_refused a gre6s enabled 1
check "oseq: the reason" out_has \
	"tunnel sends sequence numbers (oseq), which keepalive over ip6gre does not" \
	gka a set gre6s
ip -n a link add gre6any type ip6gre remote $B6 key 80 ||
	fatal "ip6gre local any"
check "local any: the reason" out_has \
	"ip6gre sends nothing without a local address (local any)" \
	gka a set gre6any
check_eq "local any: still off" 0 "$(ka a gre6any enabled)"
# The fact the refusal rests on: ip6gre itself sends nothing from it.
ip -n a addr add 10.9.6.1/30 dev gre6any && ip -n a link set gre6any up ||
	fatal "local any: address and up"
read -r d0 < "$(net a gre6any)/statistics/tx_dropped"
in_ns a ping -c 1 -W 1 10.9.6.2 >/dev/null 2>&1
read -r d1 < "$(net a gre6any)/statistics/tx_dropped"
check "local any: ip6gre dropped the ping it was to send" [ "$d1" -gt "$d0" ]
ip -n a link add gtap6 type ip6gretap local $A6 remote $B6 key 81 ||
	fatal "ip6gretap"
check "ip6gretap: the reason" out_has \
	"ip6gretap is an Ethernet tunnel, not a point-to-point ip6gre tunnel" \
	gka a set gtap6
finish
