#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# FRR's ospfd (Debian's, from the router root) over a keepalive tunnel,
# with a backup link: gre1 cost 10, the backup cost 100, the LANs passive,
# hello 1 s and dead 40 s; keepalive 100 ms x 3 on both ends. A stream runs
# from the host behind A to the host behind B throughout.
#  - steady state: Full over gre1, the kernel route via gre1 (proto ospf),
#    no loss, every packet through the tunnel;
#  - black hole: the neighbour over gre1 is gone within 2 s of line down
#    (well under 1 s on an idle host), killed because the interface went
#    down (KillNbr), not by the 40 s dead interval (InactivityTimer);
#    route and traffic on the backup;
#  - restore: Full again, route and traffic back on gre1.
# Prints the failover and recovery loss in packets and ms.
# gka-kernel: stock
# gka-needs: routers
# gka-cost: 40
. /tests/integration/lib-routers.sh

PORT=9092
INTERVAL_MS=100
RETRIES=3
# lib-failover.sh's bounds (failover_verdict) are for keepalive I x R.
I=$INTERVAL_MS
R=$RETRIES

# ospf_nbr NS DEV: ospfd's neighbours over DEV, one line each.
ospf_nbr() { vtysh "$1" "show ip ospf neighbor" 2>/dev/null | grep " $2:"; }
nbr_full() { ospf_nbr "$1" "$2" | grep -q 'Full/'; }
# nbr_none NS DEV: ospfd answers, with its table's header, and lists no
# neighbour over DEV (a vtysh that failed never passes for one).
nbr_none() {
	local out
	out=$(vtysh "$1" "show ip ospf neighbor") || return 1
	printf '%s\n' "$out" | grep -q '^Neighbor ID ' &&
		! printf '%s\n' "$out" | grep -q " $2:"
}
# route_is NS PREFIX PATTERN: the kernel's route to PREFIX matches.
route_is() { ip -n "$1" route show "$2" | grep -Eq -- "$3"; }
frrlog() { echo "/run/r/$1/root/var/log/frr/frr.log"; }
# adj_lines NS DEV: ospfd's adjacency changes over DEV.
adj_lines() { grep -a "AdjChg: Nbr .* on $2:" "$(frrlog "$1")"; }
# The time of day, in ns, of the first log line matching PATTERN (FRR logs
# the local time, UTC in the router root, with microseconds).
log_ns_of_day() {
	grep -a -m1 -- "$2" "$(frrlog "$1")" | awk '{
		split($2, t, ":")
		printf "%.0f\n", ((t[1] * 60 + t[2]) * 60 + t[3]) * 1e9 }'
}
ms() { echo $((($2 - $1) / 1000000)); }
# in_ms WHEN MS BOUND: WHEN known, and 0 <= MS < BOUND.
in_ms() { [ -n "$1" ] && [ "$2" -ge 0 ] && [ "$2" -lt "$3" ]; }

failover_topology
modprobe gre_keepalive || fatal "modprobe gre_keepalive"
router_root
for r in a b; do
	router_add $r
	cp /tests/integration/routers/frr-ospf-$r.conf /run/r/$r/root/etc/frr/frr.conf
done
check "keepalive $INTERVAL_MS ms x $RETRIES on A" keepalive a gre1 $INTERVAL_MS $RETRIES
check "keepalive $INTERVAL_MS ms x $RETRIES on B" keepalive b gre1 $INTERVAL_MS $RETRIES
check "line protocol up" wait_for 3000 carrier_is a gre1 1
frr_start a ospfd || fatal "FRR on A"
frr_start b ospfd || fatal "FRR on B"

check "A: Full with B over gre1" wait_for 30000 nbr_full a gre1
check "A: Full with B over the backup" wait_for 30000 nbr_full a a1
check "A: the kernel route to B's LAN is OSPF's, via gre1" \
	wait_for 10000 route_is a $LANB4 "via $GRE_B4 dev gre1 proto ospf"
check "B: the kernel route to A's LAN is OSPF's, via gre1" \
	wait_for 10000 route_is b $LANA4 "via $GRE_A4 dev gre1 proto ospf"
check_eq "no line protocol transition yet" 0 "$(ka a gre1 transitions)"

stream_start ha hb $HB4 $PORT 1000 60000 || fatal "the stream flows"
# stream_start's EXIT trap replaced router_root's: both, however it ends.
trap 'stream_kill; routers_end' EXIT
check "steady state: the line stays up (2 s)" never_within 2000 carrier_is a gre1 0
check_eq "steady state: on the tunnel" $DSCP_TUNNEL "$(stream_live_dscp)"

t_cut=$(now_ns)
blackhole
# Bounds loose enough for a loaded TCG host (line down took 1.5 s at
# 100 ms x 3 there), far below what the dead interval (40 s) would take.
check "A: line protocol down" wait_for 3000 carrier_is a gre1 0
t_down=$(ka a gre1 last_change_ns)
echo "  line down $(ms $t_cut $t_down) ms after the cut"
check "A: neighbour over gre1 gone within 5 s of line down (dead interval 40 s)" \
	wait_for 5000 nbr_none a gre1
check "A: route to B's LAN on the backup" \
	wait_for 3000 route_is a $LANB4 "via $BK_B4 dev a1 proto ospf"
check "B: route to A's LAN on the backup" \
	wait_for 3000 route_is b $LANA4 "via $BK_A4 dev b1 proto ospf"
check "the stream arrives through the backup" wait_for 3000 stream_live_is $DSCP_BACKUP
adj_lines a gre1
check "A: ospfd killed the adjacency because gre1 went down (KillNbr)" \
	out_has "Nbr 10.0.2.1,.* on gre1:.*: Full -> Deleted (KillNbr)" adj_lines a gre1
check "A: not because the dead interval ran out" \
	no_match 'Full -> Deleted \(InactivityTimer\)' "$(frrlog a)"
check "B: likewise (KillNbr, its own keepalive)" \
	out_has "Nbr 10.0.1.1,.* on gre1:.*: Full -> Deleted (KillNbr)" adj_lines b gre1
day=86400000000000
n_del=$(log_ns_of_day a "on gre1:.*Full -> Deleted")
d=$(((((${n_del:-0} - t_down % day) % day + day + day / 2) % day - day / 2) / 1000000))
echo "  ospfd deleted the neighbour $d ms after line down (its log)"
check "A: ... within 2 s of line down" in_ms "$n_del" "$d" 2000
# Any neighbour over gre1, or no answer from ospfd: either fails this.
nbr_any() { ! nbr_none "$@"; }
check "while cut, no adjacency over gre1 (1 s)" never_within 1000 nbr_any a gre1
check_eq "still down" 0 "$(carrier a gre1)"

t_restore=$(now_ns)
restore
check "A: line protocol up" wait_for $((INTERVAL_MS * RETRIES + 2000)) carrier_is a gre1 1
t_up=$(ka a gre1 last_change_ns)
check "A: Full over gre1 again within 15 s" wait_for 15000 nbr_full a gre1
check "A: route to B's LAN back via gre1" \
	wait_for 5000 route_is a $LANB4 "via $GRE_B4 dev gre1 proto ospf"
check "B: route to A's LAN back via gre1" \
	wait_for 5000 route_is b $LANA4 "via $GRE_A4 dev gre1 proto ospf"
t_back=$(now_ns)
echo "  route back $(ms $t_restore $t_back) ms after the restore"
check "the stream arrives through the tunnel" wait_for 3000 stream_live_is $DSCP_TUNNEL
check "the stream ends cleanly" stream_stop
stream_show
check_eq "exactly one down and one up on A" 2 "$(ka a gre1 transitions)"

failover_verdict IPv4 "$t_cut" "$t_down" "$t_restore" "$t_up"
frr_stop a
frr_stop b
finish
