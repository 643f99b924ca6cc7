#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# gka-cost: 120
# Failover with the plain kernel: floating static routes on A and B (the
# far LAN through gre1 at metric 10, through the backup at metric 100),
# keepalive 100 ms x 3 on both ends (500 ms x 3 on the debug kernel), a
# stream from ha to hb. The kernel leaves a route through a carrier-down
# device in use unless ignore_routes_with_linkdown is set: first without
# it (the traffic goes into the dead tunnel), with conf.all alone, then
# per device, where a cut moves the stream to the backup and a restore
# brings it back, IPv4 then IPv6, with the loss of each change measured.
. /tests/integration/lib-failover.sh

I=100
R=3
# 1 ms a datagram. A debug kernel (KASAN, lockdep) under TCG on a loaded
# host runs at a fraction of real time: it cannot forward that many (the
# sender pays for every hop, in its own softirq), and a reply there can
# take longer than 300 ms to come back through a working tunnel, which
# flaps the line at 100 ms x 3. There the stream is 10 ms a datagram and
# keepalive 500 ms x 3: what it checks there is the same path under
# KASAN, lockdep and kmemleak; the timing is the other kernels' to check.
PPS=1000
# The route moves at once, but the sender's own stalls count in how soon
# after line down the first datagram takes the backup (lib-failover.sh's
# bounds), and a debug guest stalls it for most of a second.
if [ -e /sys/kernel/debug/kmemleak ]; then
	PPS=100
	I=500
	FAILOVER_REACT_MS=2000
fi

failover_topology
modprobe gre_keepalive || fatal "modprobe gre_keepalive"

floating_routes() {
	local ns=$1 lan4=$2 lan6=$3 bk4=$4 bk6=$5
	ip -n "$ns" route add "$lan4" dev gre1 metric 10 &&
		ip -n "$ns" route add "$lan4" via "$bk4" metric 100 &&
		ip -n "$ns" -6 route add "$lan6" dev gre1 metric 10 &&
		ip -n "$ns" -6 route add "$lan6" via "$bk6" metric 100
}
check "floating routes on A" floating_routes a $LANB4 $LANB6 $BK_B4 $BK_B6
check "floating routes on B" floating_routes b $LANA4 $LANA6 $BK_A4 $BK_A6

# linkdown_sysctl NS FAMILY DEV VALUE: ignore_routes_with_linkdown. No
# newline: IPv6's handler answers a write to a device's value with 1 (a
# byte taken), which echo would take for a short write.
linkdown_sysctl() {
	in_ns "$1" sh -c "printf $4 > /proc/sys/net/$2/conf/$3/ignore_routes_with_linkdown"
}

# via NS DST: the device A forwards ha's traffic to DST through.
via() {
	ip -n "$1" route get "$2" from "$3" iif "$4" 2>/dev/null |
		sed -n 's/.* dev \([^ ]*\).*/\1/p' | head -1
}
a_via() {
	case $1 in
	*:*) via a "$1" $HA6 a2 ;;
	*) via a "$1" $HA4 a2 ;;
	esac
}
a_via_is() { [ "$(a_via "$1")" = "$2" ]; }

keepalive_both $I $R
check_eq "A forwards to hb through gre1" gre1 "$(a_via $HB4)"
check_eq "A forwards to hb (IPv6) through gre1" gre1 "$(a_via $HB6)"
check "hb answers ha through the tunnel" ping_ok ha $HB4

# --- Without the sysctl: the route stays, and the traffic goes nowhere ---
blackhole
check "line protocol down on A" wait_for $((I * (R + 2) + 3000)) carrier_is a gre1 0
check "line protocol down on B" wait_for $((I * (R + 2) + 3000)) carrier_is b gre1 0
route=$(ip -n a route show $LANB4 dev gre1)
echo "  A's route without the sysctl: $route"
check "the route through gre1 is linkdown, not dead" \
	eval 'case "$route" in *linkdown*dead* | *dead*) false ;; *linkdown*) true ;; *) false ;; esac'
check_eq "A still forwards into gre1 (IPv4)" gre1 "$(a_via $HB4)"
check_eq "A still forwards into gre1 (IPv6)" gre1 "$(a_via $HB6)"
# The ping itself, counted as A sends it into gre1: gre1's own tx_packets
# counts the module's probes too, which go on while the line is down.
check "A counts the pings it sends into gre1" in_ns a nft -f - <<NFT
table inet t90 {
	chain post {
		type filter hook postrouting priority 0; policy accept;
		oifname "gre1" icmp type echo-request counter
	}
}
NFT
pings_into_gre1() {
	in_ns a nft list table inet t90 | sed -n 's/.* counter packets \([0-9]*\) .*/\1/p'
}
check_eq "no ping into gre1 yet" 0 "$(pings_into_gre1)"
check "a ping from ha is lost" eval '! in_ns ha ping -c 1 -W 1 $HB4 >/dev/null 2>&1'
check_eq "it went into the dead tunnel" 1 "$(pings_into_gre1)"
in_ns a nft delete table inet t90

# conf.all: IPv4 evaluates it since 5.11 (c0c5a60f0f13); 5.10, Debian's
# 5.10.262 included, reads the device's own value only. IPv6 has always
# copied a write to all into every device's value. Debian names its
# kernels by ABI (5.10.0-35): the version is in uname -v.
kver=$(uname -v | sed -n 's/.*Debian \([0-9][0-9.]*\).*/\1/p')
[ -n "$kver" ] || kver=$(uname -r)
version_at_least() {
	echo "$1 $2" | awk '{
		split($1, a, /[^0-9]+/); split($2, b, /[^0-9]+/)
		for (i = 1; i <= 3; i++)
			if (a[i] + 0 != b[i] + 0) exit !(a[i] + 0 > b[i] + 0)
		exit 0
	}'
}
if version_at_least "$kver" 5.11; then all_dev=a1; else all_dev=gre1; fi
linkdown_sysctl a ipv4 all 1
linkdown_sysctl a ipv6 all 1
check_eq "conf.all alone: IPv4 through $all_dev on $kver" $all_dev "$(a_via $HB4)"
check_eq "conf.all alone: IPv6 through a1 on $kver" a1 "$(a_via $HB6)"
linkdown_sysctl a ipv4 all 0
linkdown_sysctl a ipv6 all 0
check_eq "conf.all back to 0: through gre1 again" gre1 "$(a_via $HB4)"

# --- Per device, on both ends -------------------------------------------
for ns in a b; do
	check "$ns: ignore_routes_with_linkdown on gre1 (IPv4, IPv6)" \
		eval 'linkdown_sysctl $ns ipv4 gre1 1 && linkdown_sysctl $ns ipv6 gre1 1'
done
check_eq "per device: A forwards through the backup (IPv4)" a1 "$(a_via $HB4)"
check_eq "per device: A forwards through the backup (IPv6)" a1 "$(a_via $HB6)"
restore
check "line protocol up on A" wait_for $((I * 2 + 3000)) carrier_is a gre1 1
check "line protocol up on B" wait_for $((I * 2 + 3000)) carrier_is b gre1 1
check_eq "back through gre1 (IPv4)" gre1 "$(a_via $HB4)"
check_eq "back through gre1 (IPv6)" gre1 "$(a_via $HB6)"

# failover_cycle NAME DST PORT: a stream from ha to DST, a cut, a restore.
failover_cycle() {
	local name=$1 dst=$2 t_cut t_down t_restore t_up tr_a tr_b
	tr_a=$(ka a gre1 transitions)
	tr_b=$(ka b gre1 transitions)
	stream_start ha hb "$dst" "$3" $PPS 60000 || fatal "$name: the stream flows"
	check "$name: steady state, 2 s, line up" never_within 2000 carrier_is a gre1 0
	check_eq "$name: on the tunnel" $DSCP_TUNNEL "$(stream_live_dscp)"

	t_cut=$(now_ns)
	blackhole
	check "$name: line protocol down on A" wait_for $((I * (R + 2) + 3000)) carrier_is a gre1 0
	t_down=$(ka a gre1 last_change_ns)
	check "$name: line protocol down on B" wait_for $((I * (R + 2) + 3000)) carrier_is b gre1 0
	check_eq "$name: A forwards through the backup" a1 "$(a_via "$dst")"
	check "$name: the stream arrives through the backup" \
		wait_for 3000 stream_live_is $DSCP_BACKUP
	check "$name: the line stays down for 1 s" never_within 1000 carrier_is a gre1 1

	t_restore=$(now_ns)
	restore
	check "$name: line protocol up on A" wait_for $((I * 2 + 3000)) carrier_is a gre1 1
	t_up=$(ka a gre1 last_change_ns)
	check "$name: line protocol up on B" wait_for $((I * 2 + 3000)) carrier_is b gre1 1
	check_eq "$name: A forwards through gre1 again" gre1 "$(a_via "$dst")"
	check "$name: the stream arrives through the tunnel" \
		wait_for 3000 stream_live_is $DSCP_TUNNEL
	check "$name: the stream ends cleanly" stream_stop
	stream_show

	failover_verdict "$name" "$t_cut" "$t_down" "$t_restore" "$t_up"
	check_eq "$name: one down and one up on A" $((tr_a + 2)) "$(ka a gre1 transitions)"
	check_eq "$name: one down and one up on B" $((tr_b + 2)) "$(ka b gre1 transitions)"
}

failover_cycle IPv4 $HB4 5001
failover_cycle IPv6 $HB6 5002
finish
