# SPDX-License-Identifier: GPL-2.0
# Failover tests (issue 16): two sites joined by a GRE tunnel over a WAN and
# by a backup link, a host behind each, and a stream of traffic between the
# hosts that tells which path each datagram took and what was lost.
#
#   ha h0 10.0.1.10 -- a2 10.0.1.1 [A] a0 192.0.2.1 -- W -- 198.51.100.2 b0 [B] b2 10.0.2.1 -- h0 10.0.2.10 hb
#                          A gre1 203.0.113.1/30 <== over the WAN ==> 203.0.113.2/30 gre1 B
#                          A a1 10.255.0.1/30 <---- backup, 20 ms ----> 10.255.0.2/30 b1 B
#   IPv6: LANs 2001:db8:a::/64 and 2001:db8:b::/64 (hosts ::10, routers ::1),
#   gre1 2001:db8:ff::1 <-> ::2, backup 2001:db8:fe::1 <-> ::2.
#
# The WAN (W) knows only the WAN prefixes: nothing reaches the far LAN but
# through gre1 or the backup, and the tunnel's own packets can never be
# routed through either (a tunnel over its backup would never fail).
. /tests/integration/lib.sh

HA4=10.0.1.10
HB4=10.0.2.10
HA6=2001:db8:a::10
HB6=2001:db8:b::10
LANA4=10.0.1.0/24
LANB4=10.0.2.0/24
LANA6=2001:db8:a::/64
LANB6=2001:db8:b::/64
GRE_A4=203.0.113.1
GRE_B4=203.0.113.2
GRE_A6=2001:db8:ff::1
GRE_B6=2001:db8:ff::2
BK_A4=10.255.0.1
BK_B4=10.255.0.2
BK_A6=2001:db8:fe::1
BK_B6=2001:db8:fe::2

# The DSCP each path leaves its mark with, as the receiver reads it.
DSCP_TUNNEL=0
DSCP_BACKUP=8

# lan NS ROUTER HOST_DEV ROUTER_DEV V4NET V6NET: a host behind a router,
# .10 / ::10 with a default route to the router's .1 / ::1.
failover_lan() {
	netns_add "$1"
	ip link add "$3" netns "$1" type veth peer name "$4" netns "$2"
	ip -n "$1" link set lo up
	ip -n "$1" addr add "$5.10/24" dev "$3"
	ip -n "$1" addr add "$6::10/64" dev "$3" nodad
	ip -n "$1" link set "$3" up
	ip -n "$1" route add default via "$5.1"
	ip -n "$1" -6 route add default via "$6::1"
	ip -n "$2" addr add "$5.1/24" dev "$4"
	ip -n "$2" addr add "$6::1/64" dev "$4" nodad
	ip -n "$2" link set "$4" up
}

# keepalive_both INTERVAL_MS RETRIES: keepalive on gre1 at both ends,
# answered at both ends.
keepalive_both() {
	check "keepalive $1 ms x $2 on A" keepalive a gre1 "$1" "$2"
	check "keepalive $1 ms x $2 on B" keepalive b gre1 "$1" "$2"
	check "replies on A" wait_for $(($1 * 3 + 5000)) ka_at_least a gre1 replies 2
	check "replies on B" wait_for $(($1 * 3 + 5000)) ka_at_least b gre1 replies 2
}

# failover_topology: everything above, up, with no route to the far LAN
# on A or B (the test or its routing daemon installs those), and nothing
# of ours loaded. Traffic leaving A or B through the backup is stamped
# DSCP CS1 (nft), so the receiver sees the path of every datagram:
# $DSCP_TUNNEL through the tunnel, $DSCP_BACKUP through the backup.
failover_topology() {
	topology
	topology6
	tunnels
	ip -n a addr add $GRE_A6/64 dev gre1 nodad
	ip -n b addr add $GRE_B6/64 dev gre1 nodad
	failover_lan ha a h0 a2 10.0.1 2001:db8:a
	failover_lan hb b h0 b2 10.0.2 2001:db8:b
	ip link add a1 netns a type veth peer name b1 netns b
	ip -n a addr add $BK_A4/30 dev a1
	ip -n b addr add $BK_B4/30 dev b1
	ip -n a addr add $BK_A6/64 dev a1 nodad
	ip -n b addr add $BK_B6/64 dev b1 nodad
	# A slower backup: its datagrams arrive late, and reordered, not
	# lost, when the tunnel takes over again.
	tc -n a qdisc add dev a1 root netem delay 20ms ||
		fatal "netem on the backup"
	tc -n b qdisc add dev b1 root netem delay 20ms ||
		fatal "netem on the backup"
	ip -n a link set a1 up
	ip -n b link set b1 up
	failover_router a a1 || fatal "A: forwarding and the path label"
	failover_router b b1 || fatal "B: forwarding and the path label"
}

# failover_router NS BACKUP_DEV: a router, and the mark of its backup.
failover_router() {
	in_ns "$1" sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward &&
		echo 1 > /proc/sys/net/ipv6/conf/all/forwarding' || return 1
	in_ns "$1" nft -f - <<NFT
table inet gka_path {
	chain post {
		type filter hook postrouting priority 0; policy accept;
		oifname "$2" ip dscp set cs1
		oifname "$2" ip6 dscp set cs1
	}
}
NFT
}

now_ns() { now-ns; }

# --- The stream: gka-wire stream from a host, gka-wire gaps at the other --

STREAM=/tmp/gka-stream
STREAM_TX=/tmp/gka-stream-tx
# How long the receiver waits for a datagram before it gives up on the
# stream: longer than any outage a test makes (1 s x 3 and then some).
STREAM_TIMEOUT_MS=${STREAM_TIMEOUT_MS:-10000}

stream_ready() { read -r KA < $STREAM && [ "$KA" = ready ]; }
stream_flowing() { grep -q '^live path ' $STREAM; }

# stream_start SRC_NS DST_NS DST_ADDR PORT PPS DURATION_MS: the receiver in
# DST_NS, then the stream from SRC_NS, both in the background; returns once
# the first datagram arrived (1 if none did). The receiver's report goes to
# the file $STREAM (see stream_wait). An EXIT trap ends what is left of
# the stream if the test ends first (a test's own EXIT trap must call
# stream_kill).
stream_start() {
	: > $STREAM
	: > $STREAM_TX
	# nsenter itself (not in_ns, a function: its own subshell) so that
	# the pids are the tools', which exec'd in place of nsenter.
	nsenter "--net=/run/netns/$2" gka-wire gaps "$4" "$STREAM_TIMEOUT_MS" \
		live 0 > $STREAM &
	STREAM_RX_PID=$!
	trap stream_kill EXIT
	wait_for 10000 stream_ready || return 1
	nsenter "--net=/run/netns/$1" gka-wire stream "$3" "$4" "$5" "$6" \
		> $STREAM_TX &
	STREAM_TX_PID=$!
	wait_for 10000 stream_flowing
}

# stream_wait: both ends done; the file $STREAM then holds the receiver's
# report (path, gap and total lines, gka-wire's usage says what they are;
# live lines, as they happened, before them) and the sender's
# "sent N late N" at the end. Fails if either end failed.
stream_wait() {
	local st=0
	wait "$STREAM_TX_PID" || st=1
	wait "$STREAM_RX_PID" || st=1
	STREAM_TX_PID=
	STREAM_RX_PID=
	cat $STREAM_TX >> $STREAM
	grep -q '^total ' $STREAM || st=1
	return $st
}

# stream_stop: end the stream now (the receiver learns how many were sent)
# and stream_wait.
stream_stop() {
	[ -n "$STREAM_TX_PID" ] && kill -TERM "$STREAM_TX_PID" 2>/dev/null
	stream_wait
}

# Whatever is left of a stream when the test ends early.
stream_kill() {
	[ -n "${STREAM_TX_PID:-}" ] && kill "$STREAM_TX_PID" 2>/dev/null
	[ -n "${STREAM_RX_PID:-}" ] && kill "$STREAM_RX_PID" 2>/dev/null
	STREAM_TX_PID=
	STREAM_RX_PID=
}

# A gap counts in the span it ENDED in: its lost datagrams' own send
# times are unknown, the first datagram after it says when the path was
# back, and a sender the host starved may have sent the last one before it
# well before the cut. Every loss below (steady state, failover, recovery)
# is counted that way, so that each gap counts once, in one span.
#
# stream_loss FROM_NS TO_NS: "PKTS MS" lost in the gaps that ended in
# (FROM_NS, TO_NS], by the send time of the first datagram after them. MS
# is the time those datagrams would have covered on the schedule: 1 ms a
# datagram at 1000 pps.
stream_loss() {
	awk -v from="$1" -v to="$2" '
	$1 == "gap" {
		for (i = 2; i <= NF; i++) {
			split($i, kv, "=")
			f[kv[1]] = kv[2]
		}
		if (f["to_ns"] + 0 > from + 0 && f["to_ns"] + 0 <= to + 0) {
			pkts += f["lost"]
			ns += (f["to_ns"] - f["from_ns"]) * f["lost"] / (f["lost"] + 1)
		}
	}
	END { printf "%d %d\n", pkts, ns / 1000000 + 0.5 }' $STREAM
}

# stream_gaps FROM_NS TO_NS: the "FROM_NS TO_NS" of each gap that ended in
# (FROM_NS, TO_NS], one a line: the send times of the last datagram before
# it (when the path died, give or take a datagram) and the first after it.
stream_gaps() {
	awk -v from="$1" -v to="$2" '
	$1 == "gap" {
		for (i = 2; i <= NF; i++) {
			split($i, kv, "=")
			f[kv[1]] = kv[2]
		}
		if (f["to_ns"] + 0 > from + 0 && f["to_ns"] + 0 <= to + 0)
			print f["from_ns"], f["to_ns"]
	}' $STREAM
}

# stream_first_gap FROM_NS TO_NS: the first of those.
stream_first_gap() { stream_gaps "$@" | head -1; }

# stream_gap_count FROM_NS TO_NS: how many of those.
stream_gap_count() { stream_gaps "$@" | wc -l | tr -d ' '; }

# stream_path_at NS: the DSCP of the datagrams sent at NS (those sent last
# before it); empty before the stream.
stream_path_at() {
	awk -v at="$1" '
	$1 == "path" {
		split($3, t, "="); split($4, d, "=")
		if (t[2] + 0 <= at + 0)
			dscp = d[2]
	}
	END { print dscp }' $STREAM
}

# stream_first_dscp_after NS DSCP: the send time of the first datagram after
# NS that took the path marked DSCP after another (or as the stream's first);
# empty if none.
stream_first_dscp_after() {
	awk -v at="$1" -v want="$2" '
	$1 == "path" && !found {
		split($3, t, "="); split($4, d, "=")
		if (t[2] + 0 > at + 0 && d[2] == want) {
			print t[2]
			found = 1
		}
	}' $STREAM
}

# stream_total: "SENT RECEIVED DUP REORDER" from the receiver's total line.
stream_total() {
	awk '$1 == "total" {
		for (i = 2; i <= NF; i++) { split($i, kv, "="); printf "%s%s", sep, kv[2]; sep = " " }
		print ""
	}' $STREAM
}

# stream_live_dscp: the DSCP of the last datagram received so far.
stream_live_dscp() {
	awk '$1 == "live" && $2 == "path" { split($5, d, "="); dscp = d[2] }
	END { print dscp }' $STREAM
}
stream_live_is() { [ "$(stream_live_dscp)" = "$1" ]; }

# stream_show: the report, for the log.
stream_show() { grep -v '^live ' $STREAM | sed 's/^/    /'; }

# --- What every failover test asserts of a cycle ------------------------------
# One set of bounds for t-90 to t-94, loose enough for a host running
# make check's emulated guests side by side (timers fire late there, the
# sender stalls), far below what a protocol timer would take (OSPF's dead
# interval, 40 s):
#  - detection: line down at most I x (R + 1) + $FAILOVER_SLACK_MS ms after
#    the last datagram through the tunnel (I, R: the test's keepalive);
#  - reaction: the first datagram on the backup at most $FAILOVER_REACT_MS ms
#    after line down (the route moves at once, or a daemon moves it in
#    100-200 ms on a quiet host);
#  - failover loss: at most the two together.
FAILOVER_SLACK_MS=${FAILOVER_SLACK_MS:-1000}
FAILOVER_REACT_MS=${FAILOVER_REACT_MS:-500}

# reacted T_BACKUP T_DOWN: the first datagram on the backup came at most
# $FAILOVER_REACT_MS ms after line down, and not long before it: traffic
# that left the tunnel before keepalive said so did not move because of
# it. (A little before is the sender's clock: it stamps before sendto.)
reacted() {
	[ -n "$1" ] && [ $(($1 - $2)) -le $((FAILOVER_REACT_MS * 1000000)) ] &&
		[ $(($1 - $2)) -ge $((-FAILOVER_SLACK_MS * 1000000)) ]
}

# failover_verdict NAME T_CUT T_DOWN T_RESTORE T_UP: once a cycle's stream
# ended (stream_stop), what it says: nothing lost before the cut; one gap,
# the failover's, ends between the cut and the restore, and none once the
# stream is on the backup (a route that flapped there would make another);
# the bounds above; the recovery's loss; the stream back on the tunnel.
# T_DOWN, T_UP: A's gre1 last_change_ns after line down and after line up.
failover_verdict() {
	local name=$1 t_cut=$2 t_down=$3 t_restore=$4 t_up=$5 detect gap t_dead t_bk t_tun loss
	detect=$((I * (R + 1) + FAILOVER_SLACK_MS))
	check_eq "$name: steady state, nothing lost" "0 0" "$(stream_loss 0 "$t_cut")"
	check_eq "$name: on the tunnel until the cut" $DSCP_TUNNEL "$(stream_path_at "$t_cut")"
	gap=$(stream_first_gap "$t_cut" "$t_restore")
	check "$name: the cut made a gap in the stream" [ -n "$gap" ]
	# The path died after the cut, and after the last datagram through
	# it (the cut is somewhere in blackhole's exec).
	t_dead=${gap% *}
	[ "${t_dead:-0}" -ge "$t_cut" ] || t_dead=$t_cut
	echo "  $name: line down $(((t_down - t_dead) / 1000000)) ms after the last datagram through the tunnel"
	check "$name: detected within I x (R + 1) + $FAILOVER_SLACK_MS ms" \
		[ $((t_down - t_dead)) -le $((detect * 1000000)) ]
	t_bk=$(stream_first_dscp_after "$t_cut" $DSCP_BACKUP)
	check "$name: traffic on the backup" [ -n "$t_bk" ]
	echo "  $name: first datagram on the backup $(((${t_bk:-0} - t_down) / 1000000)) ms after line down"
	check "$name: on the backup within $FAILOVER_REACT_MS ms of line down, not before it" \
		reacted "$t_bk" "$t_down"
	check_eq "$name: one gap between the cut and the restore" 1 \
		"$(stream_gap_count "$t_cut" "$t_restore")"
	check_eq "$name: none once on the backup (no flap)" 0 \
		"$(stream_gap_count "${t_bk:-$t_cut}" "$t_restore")"
	loss=$(stream_loss "$t_cut" "$t_restore")
	echo "  $name: failover loss: ${loss% *} packets, ${loss#* } ms"
	check "$name: failover loss within $((detect + FAILOVER_REACT_MS)) ms (detection and reaction)" \
		[ "${loss#* }" -le $((detect + FAILOVER_REACT_MS)) ]
	check "$name: the failover lost something (the cut was real)" [ "${loss% *}" -gt 0 ]
	loss=$(stream_loss "$t_restore" "$(now_ns)")
	echo "  $name: recovery loss: ${loss% *} packets, ${loss#* } ms"
	check "$name: recovery loss at most 20 packets" [ "${loss% *}" -le 20 ]
	t_tun=$(stream_first_dscp_after "$t_restore" $DSCP_TUNNEL)
	check "$name: traffic back on the tunnel" [ -n "$t_tun" ]
	echo "  $name: line up $(((t_up - t_restore) / 1000000)) ms after the restore, first datagram on the tunnel $(((${t_tun:-0} - t_up) / 1000000)) ms after line up"
	check_eq "$name: no duplicates" 0 "$(stream_total | cut -d' ' -f3)"
}
