#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make demo: failover, end to end. Host ha sits behind router A, host hb
# behind router B; A and B are joined by a GRE tunnel over a WAN, and by
# a slower backup link. Both routers have floating static routes to the
# far LAN (through the tunnel at metric 10, through the backup at metric
# 100) and ignore_routes_with_linkdown on the tunnel, and both run
# keepalive. A stream of 1000 datagrams a second flows from ha to hb; hb
# reads the path of each from its DSCP (the backup marks CS1). The WAN
# then black-holes the tunnel's path, and later restores it: the line
# protocol goes down and up, the routes and the traffic follow, and the
# loss of each change is measured. Twice: keepalive 1 s x 3, then
# 100 ms x 3. Lines go out as things happen (scripts/demo.sh shows them);
# the kernel's own lines (the module's probes and replies in the first
# cycle, its line protocol changes) come in between.
. /tests/integration/lib-failover.sh

# say TEXT: a line of the timeline, stamped like the kernel's.
say() {
	local up
	read -r up _ < /proc/uptime
	printf '[%5d.%s0000] demo: %s\n' "${up%.*}" "${up#*.}" "$*"
}
ms() { echo $((($2 - $1) / 1000000)); }
route_a() {
	ip -n a route get $HB4 from $HA4 iif a2 | head -1 |
		sed 's/ from [^ ]*//; s/ uid.*//; s/  */ /g; s/ $//'
}
counters() {
	echo "probes sent $(ka "$1" "$2" probes_sent), replies $(ka "$1" "$2" replies)"
}

failover_topology
# B's tunnel is gre2 here, so that the kernel's lines tell the two apart.
ip -n b link set gre1 down
ip -n b link set gre1 name gre2
ip -n b link set gre2 up
for r in "a gre1 $LANB4 $BK_B4" "b gre2 $LANA4 $BK_A4"; do
	set -- $r
	ip -n "$1" route add "$3" dev "$2" metric 10
	ip -n "$1" route add "$3" via "$4" metric 100
	in_ns "$1" sh -c "printf 1 > /proc/sys/net/ipv4/conf/$2/ignore_routes_with_linkdown"
done
modprobe gre_keepalive || fatal "modprobe gre_keepalive"
say "ha $HA4 -- A -- WAN -- B -- hb $HB4; tunnel A gre1 $A_WAN <-> B gre2 $B_WAN; backup A a1 <-> B b1 (20 ms)"
say "A: $LANB4 dev gre1 metric 10, via $BK_B4 metric 100; B likewise; ignore_routes_with_linkdown on the tunnels"

# The receiver's lines as they come, for the timeline: which path the
# stream takes, and the gap that ends with the first datagram on the
# backup. Other gaps seen live may yet fill (datagrams overtaken on their
# way, as the tunnel overtakes the slower backup): the final report has
# what was lost.
live_start() {
	rm -f /tmp/demo-live
	mkfifo /tmp/demo-live
	awk '
	function stamp(   up, u) {
		getline up < "/proc/uptime"; close("/proc/uptime")
		split(up, u, " "); split(u[1], s, ".")
		return sprintf("[%5d.%s0000] demo: ", s[1], s[2])
	}
	# Once the tunnel is back, the backup still delivers what it had
	# in flight: stragglers, not a change of path.
	$1 == "live" && $2 == "path" {
		split($5, d, "="); split($3, q, "=")
		if (seen && (d[2] == dscp || q[2] + 0 < seq + 0))
			next
		seen = 1
		where = d[2] == 8 ? "the backup (dscp 8)" : d[2] == 0 ? "the tunnel (dscp 0)" : "dscp " d[2]
		printf "%sstream: datagram %s arrives through %s\n", stamp(), q[2], where
		dscp = d[2]
		seq = q[2]
	}
	$1 == "live" && $2 == "gap" && dscp == 8 {
		split($4, l, "="); split($5, n, "="); split($6, f, "="); split($7, t, "=")
		if (l[2] + 1 == seq)
			printf "%sstream: %d datagrams lost on the way, %d ms without traffic\n", stamp(), n[2], (t[2] - f[2]) / 1000000
	}
	{ fflush() }' < /tmp/demo-live &
	LIVE_AWK=$!
	tail -f $STREAM > /tmp/demo-live &
	LIVE_TAIL=$!
}
live_stop() {
	kill $LIVE_TAIL
	wait $LIVE_TAIL $LIVE_AWK 2>/dev/null
}

debug_probes() {
	echo "file keepalive.c $1p" > /sys/kernel/debug/dynamic_debug/control
	echo "$2" > /proc/sys/kernel/printk
}

SUMMARY=
# cycle N INTERVAL_MS RETRIES
cycle() {
	local n=$1 i=$2 r=$3 t_cut t_dead t_down t_bk t_restore t_up t_tun gap fl rl
	echo
	say "=== cycle $n: keepalive $i ms x $r on A and B ==="
	keepalive a gre1 "$i" "$r" && keepalive b gre2 "$i" "$r" ||
		fatal "keepalive $i ms x $r"
	# Probes and replies on the console for the slow cycle; at 100 ms
	# they would drown the rest.
	[ "$i" -ge 1000 ] && debug_probes + 8
	wait_for $((i * 3 + 3000)) ka_at_least a gre1 replies $(($(ka a gre1 replies) + 1)) ||
		fatal "no reply on A"
	say "A gre1: line protocol $(ka a gre1 line_protocol), $(counters a gre1)"
	say "B gre2: line protocol $(ka b gre2 line_protocol), $(counters b gre2)"
	STREAM=/tmp/gka-stream-$n
	stream_start ha hb $HB4 $((5000 + n)) 1000 600000 || fatal "stream"
	live_start
	say "A: to hb $(route_a)"
	never_within $((i * 2 + 1000)) carrier_is a gre1 0 ||
		fatal "line protocol down without a cut"

	say ">>> the WAN black-holes $B_WAN: the tunnel's path is cut"
	t_cut=$(now_ns)
	blackhole
	wait_for $((i * (r + 2) + 5000)) carrier_is a gre1 0 ||
		fatal "A's line protocol never went down"
	t_down=$(ka a gre1 last_change_ns)
	say "A gre1: line protocol $(ka a gre1 line_protocol) (sysfs), carrier $(carrier a gre1)"
	say "A: to hb $(route_a)"
	wait_for 5000 stream_live_is $DSCP_BACKUP || fatal "no traffic on the backup"
	wait_for $((i * (r + 2) + 5000)) carrier_is b gre2 0 ||
		fatal "B's line protocol never went down"
	say "B gre2: line protocol $(ka b gre2 line_protocol)"
	never_within 2000 carrier_is a gre1 1 || fatal "line protocol up while cut"

	say ">>> the WAN path is restored"
	t_restore=$(now_ns)
	restore
	wait_for $((i * 2 + 5000)) carrier_is a gre1 1 ||
		fatal "A's line protocol never came back"
	t_up=$(ka a gre1 last_change_ns)
	say "A gre1: line protocol $(ka a gre1 line_protocol), $(counters a gre1)"
	say "A: to hb $(route_a)"
	wait_for 5000 stream_live_is $DSCP_TUNNEL || fatal "traffic not back on the tunnel"
	wait_for $((i * 2 + 5000)) carrier_is b gre2 1 ||
		fatal "B's line protocol never came back"
	say "B gre2: line protocol $(ka b gre2 line_protocol)"
	never_within 1000 carrier_is a gre1 0 || fatal "line protocol down again"
	[ "$i" -ge 1000 ] && debug_probes - 7
	stream_stop || fatal "the stream did not end"
	live_stop

	gap=$(stream_first_gap "$t_cut" "$t_restore")
	# The path died after the cut (failover_verdict's reading).
	t_dead=${gap% *}
	[ "${t_dead:-0}" -ge "$t_cut" ] || t_dead=$t_cut
	t_bk=$(stream_first_dscp_after "$t_cut" $DSCP_BACKUP)
	t_tun=$(stream_first_dscp_after "$t_restore" $DSCP_TUNNEL)
	fl=$(stream_loss "$t_cut" "$t_restore")
	rl=$(stream_loss "$t_restore" "$(now_ns)")
	say "cycle $n: line protocol down $(ms "${t_dead:-$t_cut}" "$t_down") ms after the last datagram through the tunnel; first datagram on the backup $(ms "$t_down" "${t_bk:-$t_down}") ms after that"
	say "cycle $n: failover loss: ${fl% *} packets, ${fl#* } ms"
	say "cycle $n: line protocol up $(ms "$t_restore" "$t_up") ms after the restore (the next reply); first datagram back on the tunnel $(ms "$t_up" "${t_tun:-$t_up}") ms after that"
	say "cycle $n: recovery loss: ${rl% *} packets, ${rl#* } ms"
	SUMMARY="$SUMMARY$(printf '%-13s %11s %13s %15s %15s' "$i ms x $r" \
		"$(ms "${t_dead:-$t_cut}" "$t_down") ms" \
		"$(ms "$t_down" "${t_bk:-$t_down}") ms" \
		"${fl% *} / ${fl#* } ms" "${rl% *} / ${rl#* } ms")
"
	ok "cycle $n: keepalive $i ms x $r: failover and recovery"
}

cycle 1 1000 3
cycle 2 100 3
echo
summary() { printf 'demo| %-13s %11s %13s %15s %15s\n' "$@"; }
summary keepalive "line down" "on backup" "failover loss" "recovery loss"
summary "" "after cut" "after down" "packets / ms" "packets / ms"
printf '%s' "$SUMMARY" | sed 's/^/demo| /'
echo "demo| Kernel floating routes, ignore_routes_with_linkdown; a stream of 1000 datagrams"
echo "demo| a second from ha to hb. Times come from the datagrams' send times; a guest"
echo "demo| under emulation cannot always keep that schedule and skips what it missed,"
echo "demo| so a packet count can be lower than the milliseconds it covers."
finish
