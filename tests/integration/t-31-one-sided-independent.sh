#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# gka-cost: 40 23
# As on Cisco's: configuring only one end is legal and only that end ever
# goes down; both ends' timers are independent and need not match.
. /tests/integration/lib.sh

topology
tunnels
reflector a gre1
reflector b gre1
# Plain Linux answers on both sides; the module only probes.
modprobe gre_keepalive reflect=0 || fatal "modprobe gre_keepalive reflect=0"

# One-sided: only A probes.
check "A: keepalive 1000 ms / 3" keepalive a gre1 1000 3
check "A hears replies" wait_for 5000 ka_at_least a gre1 replies 1
blackhole
check "A goes down" watch_down a gre1 3 6000
check_eq "B, without keepalive, stays up" 1 "$(carrier b gre1)"
check_eq "B sent nothing" 0 "$(ka b gre1 probes_sent)"
restore
check "A comes back" wait_for 2500 carrier_is a gre1 1

# Independent timers: A 1 s / 3, B 2 s / 5.
check "B: keepalive 2000 ms / 5" keepalive b gre1 2000 5
check "B hears replies" wait_for 5000 ka_at_least b gre1 replies 1
check "A still hears replies" wait_for 3000 ka_at_least a gre1 replies 3
blackhole
check "A goes down first" watch_down a gre1 3 6000
check_eq "B is still up when A is down" 1 "$(carrier b gre1)"
check "B goes down after its own 5 retries" watch_down b gre1 5 12000
restore
check "A comes back" wait_for 2500 carrier_is a gre1 1
check "B comes back" wait_for 4500 carrier_is b gre1 1
check "each side saw exactly its own two transitions" \
	[ "$(ka a gre1 transitions)" = 4 ] && [ "$(ka b gre1 transitions)" = 2 ]
finish
