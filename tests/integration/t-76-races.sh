#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# gka-cost: 50 34
# Concurrency: for a while, everything at once on the same tunnels:
# keepalive and reflection switched on and off, the tunnel's remote
# changed back and forth (its reply bucket changes, which must wait for a
# grace period), links set down and up, tunnels created and deleted,
# dumps and monitors, while replies and reflections flow; then the module
# is unloaded and reloaded under netlink requests. The guest's lockdep,
# KASAN, RCU and kmemleak checks are the judges; afterwards the tunnels
# must work as configured.
. /tests/integration/lib.sh

SECONDS_EACH=${GKA_RACE_SECONDS:-15}

topology
tunnels
modprobe gre_keepalive || fatal "modprobe gre_keepalive"
check "keepalive on A" keepalive a gre1 100 3
check "keepalive on B" keepalive b gre1 100 3

end=$(($(now_ms) + SECONDS_EACH * 1000))
running() { [ "$(now_ms)" -lt "$end" ]; }

( while running; do
	ka_set a gre1 enabled 0; ka_set a gre1 enabled 1
	ka_set a gre1 interval_ms 50; ka_set a gre1 interval_ms 100
done ) &
( while running; do
	ka_set b gre1 reflect 0; ka_set b gre1 reflect 1
	in_ns b gka-nlsend set ifname:str:gre1 reflect:u32:0 >/dev/null
	in_ns b gka-nlsend set ifname:str:gre1 reflect:u32:1 >/dev/null
done ) &
( while running; do
	ip -n a link set gre1 type gre remote 198.51.100.99
	ip -n a link set gre1 type gre remote $B_WAN
	ip -n a link set gre1 down; ip -n a link set gre1 up
done ) &
( i=0; while running; do
	ip -n a link add gre9 type gre local $A_WAN remote 198.51.100.9 &&
		ka_set a gre9 enabled 1 && ip -n a link set gre9 up
	in_ns a gka-nlsend set ifname:str:gre9 interval_ms:u32:20 >/dev/null
	ip -n a link del gre9
	i=$((i + 1))
done ) &
( while running; do
	in_ns a gka-nlsend dump >/dev/null
	in_ns a gre-keepalive show >/dev/null
done ) &
( while running; do
	in_ns a timeout 1 gre-keepalive monitor >/dev/null 2>&1
done ) &
wait
ok "$SECONDS_EACH s of concurrent changes"

# Unload and reload while requests keep coming.
end=$(($(now_ms) + SECONDS_EACH * 1000))
( while running; do
	in_ns a gka-nlsend set ifname:str:gre1 enabled:u32:1 interval_ms:u32:100 >/dev/null
	in_ns a gka-nlsend set ifname:str:gre1 enabled:u32:0 >/dev/null
	in_ns a gka-nlsend dump >/dev/null
done ) &
( while running; do
	in_ns a timeout 1 gre-keepalive monitor >/dev/null 2>&1
done ) &
n=0
while running; do
	modprobe gre_keepalive auto_enable=1 default_interval_ms=100 &&
		rmmod gre_keepalive && n=$((n + 1))
done
wait
check "the module came and went under requests" test "$n" -gt 0
echo "  $n load/unload rounds"

# Afterwards everything works as configured.
check "module loads" modprobe gre_keepalive
check "keepalive on A" keepalive a gre1 100 3
check "reflection on B" ka_set b gre1 reflect 1
check "replies flow" wait_for 5000 ka_at_least a gre1 replies 5
check_eq "line up" 1 "$(carrier a gre1)"
check "unload" rmmod gre_keepalive
check "tunnels deleted" ip -n a link del gre1
finish
