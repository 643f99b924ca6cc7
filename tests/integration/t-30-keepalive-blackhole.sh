#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# gka-cost: 40 15
# Cisco semantics against a plain Linux peer: A runs keepalive 1 s / 3,
# B answers with the stack's forwarding (the module's reflection is off:
# reflect=0). Black-hole the path: A's line protocol goes down after 3
# unanswered probes and not before; lift it: up at the next reply.
. /tests/integration/lib.sh

topology
tunnels
reflector b gre1
modprobe gre_keepalive reflect=0 || fatal "modprobe gre_keepalive reflect=0"
check_eq "B's module does not answer: plain Linux does" 0 "$(ka b gre1 reflect)"
check "keepalive 1000 ms / 3 on A" keepalive a gre1 1000 3
check_eq "enabled" 1 "$(ka a gre1 enabled)"

check "replies arrive from a plain Linux peer" \
	wait_for 5000 ka_at_least a gre1 replies 2
p0=$(ka a gre1 probes_sent)
check "three more probes" wait_for 5000 ka_at_least a gre1 probes_sent $((p0 + 3))
check_eq "line stays up while answered" 1 "$(carrier a gre1)"
check_eq "no transition while answered" 0 "$(ka a gre1 transitions)"
check_eq "probes are not counted as errors" 0 "$(ka a gre1 probe_errors)"

blackhole
p_bh=$(ka a gre1 probes_sent)
check "line protocol goes down, never early" watch_down a gre1 3 6000
p_down=$(ka a gre1 probes_sent)
check "at least 3 probes went unanswered" [ $((p_down - p_bh)) -ge 3 ]
check_eq "one transition" 1 "$(ka a gre1 transitions)"
check_eq "sysfs agrees" down "$(ka a gre1 line_protocol)"
# Carrier off reads LOWERLAYERDOWN up to 6.1 (a tunnel's iflink is not
# itself); from 6.2 (upstream 8c55facecd7a) only when that lower device is
# down too, and a tunnel without "dev" has none: DOWN.
case $(uname -r) in
[1-5].* | 6.[01].*) down_state=lowerlayerdown ;;
*) down_state=down ;;
esac
check "operstate follows ($down_state on $(uname -r))" \
	wait_for 3000 operstate_is a gre1 $down_state

check "probes continue while down" \
	wait_for 3000 ka_at_least a gre1 probes_sent $((p_down + 2))
check_eq "still down" 0 "$(carrier a gre1)"

restore
check "line protocol comes back at the next reply" \
	wait_for 2500 carrier_is a gre1 1
check_eq "two transitions" 2 "$(ka a gre1 transitions)"
check "counter reset by the reply" [ "$(ka a gre1 counter)" -le 1 ]
check "operstate up again" wait_for 3000 operstate_is a gre1 up
check "traffic flows again" ping_ok a $B_IN
finish
