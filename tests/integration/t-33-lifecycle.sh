#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# gka-cost: 110 15
# Teardown while probes are in flight at 10 ms: delete the tunnel, delete
# its netns, unload the module. The guest fails on any splat, and on any
# leak found by the final kmemleak scan.
. /tests/integration/lib.sh

fast_pair() {
	topology
	tunnels
	keepalive a gre1 10 3 || fatal "keepalive 10 ms"
	wait_for 2000 ka_at_least a gre1 replies 20 ||
		fatal "no replies at 10 ms"
}

modprobe gre_keepalive || fatal "modprobe gre_keepalive"

fast_pair
check "delete the tunnel while probing" ip -n a link del gre1
ip -n a link add gre1 type gre local $A_WAN remote $B_WAN
check_eq "recreated: no keepalive state is left over" 0 "$(ka a gre1 enabled)"
netns_del_all

fast_pair
check "delete the tunnel's netns while probing" netns_del a
netns_del_all

fast_pair
# The underlay netns dies while the tunnel lives on in another one.
netns_add t
ip -n a link add gre2 type gre local $A_WAN remote 198.51.100.3
ip -n a link set gre2 netns t
ip -n t link set gre2 up
keepalive t gre2 10 3 || not_ok "keepalive on gre2"
check "delete the underlay netns while probing" netns_del a
check "the tunnel goes with its underlay" \
	wait_for 5000 sh -c '! /usr/bin/ip -n t link show gre2 >/dev/null 2>&1'
netns_del_all

fast_pair
blackhole
check "down at 10 ms" watch_down a gre1 3 2000
check "unload the module while probing" rmmod gre_keepalive
check_eq "unload restores the carrier" 1 "$(carrier a gre1)"
netns_del_all

# Many tunnels at once, then unload.
modprobe gre_keepalive || fatal "modprobe gre_keepalive again"
topology
for i in $(seq 1 16); do
	ip -n a link add "g$i" type gre local $A_WAN remote 198.51.100.$((i + 2))
	ip -n a link set "g$i" up
	keepalive a "g$i" 20 1 || not_ok "keepalive on g$i"
done
check "16 tunnels probing" wait_for 3000 ka_at_least a g16 probes_sent 5
check "unload with 16 tunnels probing" rmmod gre_keepalive
finish
