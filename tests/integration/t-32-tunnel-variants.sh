#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# gka-cost: 35 7
# Probes carry what the tunnel's receive side demands: key and checksum;
# "local any" tunnels; a tunnel whose underlay lives in another netns.
# B's module answers (reflection, on by default) in every variant.
. /tests/integration/lib.sh

# cycle NS DEV: up with replies, down on blackhole, up on restore.
cycle() {
	check "$3: replies arrive" wait_for 3000 ka_at_least "$1" "$2" replies 2
	check_eq "$3: line up" 1 "$(carrier "$1" "$2")"
	blackhole
	check "$3: goes down on blackhole" watch_down "$1" "$2" 3 3000
	restore
	check "$3: comes back" wait_for 1500 carrier_is "$1" "$2" 1
}

topology
modprobe gre_keepalive || fatal "modprobe gre_keepalive"

# Key and checksum, different in each direction.
tunnel a gre1 $A_WAN $B_WAN $A_IN ikey 100 okey 200 csum
tunnel b gre1 $B_WAN $A_WAN $B_IN ikey 200 okey 100 csum
check "keyed+csum: enable" keepalive a gre1 200 3
cycle a gre1 "key+csum"
ip -n a link del gre1
ip -n b link del gre1

# local any: the source, and so the reply's destination, comes from the route.
ip -n a link add gre1 type gre remote $B_WAN ttl 64
ip -n a addr add $A_IN/30 dev gre1
ip -n a link set gre1 up
tunnel b gre1 $B_WAN $A_WAN $B_IN
check "local any: enable" keepalive a gre1 200 3
cycle a gre1 "local any"
ip -n a link del gre1

# Underlay in netns a, tunnel device moved to netns t.
netns_add t
ip -n a link add gre1 type gre local $A_WAN remote $B_WAN ttl 64
ip -n a link set gre1 netns t
ip -n t link set lo up
ip -n t addr add $A_IN/30 dev gre1
ip -n t link set gre1 up
check "link-netns: enable" keepalive t gre1 200 3
cycle t gre1 "link-netns"
check "link-netns: traffic through the tunnel" ping_ok t $B_IN
finish
