#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# gka-cost: 25 5
# Module parameters: documented in modinfo, defaults used when a tunnel
# is enabled without values, auto_enable for tunnels other software makes,
# and bad values refused at load.
. /tests/integration/lib.sh

out=$(/usr/sbin/modinfo gre_keepalive)
for p in default_interval_ms default_retries default_dscp auto_enable reflect; do
	check "modinfo documents $p" out_has "^parm: *$p:" echo "$out"
done

check "interval below 10 ms refused at load" \
	sh -c '! /usr/sbin/modprobe gre_keepalive default_interval_ms=5 2>/dev/null'
check "retries 0 refused at load" \
	sh -c '! /usr/sbin/modprobe gre_keepalive default_retries=0 2>/dev/null'
check "DSCP 64 refused at load" \
	sh -c '! /usr/sbin/modprobe gre_keepalive default_dscp=64 2>/dev/null'

topology
check "load with defaults 300 ms / 2, DSCP EF and auto_enable" \
	modprobe gre_keepalive default_interval_ms=300 default_retries=2 \
	default_dscp=46 auto_enable=1
tunnels
check_eq "new p2p tunnel is enabled" 1 "$(ka a gre1 enabled)"
check_eq "with the default interval" 300 "$(ka a gre1 interval_ms)"
check_eq "and the default retries" 2 "$(ka a gre1 retries)"
check "and it probes and hears replies" wait_for 3000 ka_at_least a gre1 replies 2
check_eq "gre0 (no remote) is left alone" 0 "$(ka a gre0 enabled)"
ip -n a link add nbma type gre local $A_WAN
check_eq "an NBMA tunnel is left alone" 0 "$(ka a nbma enabled)"
check "the tool sees the defaults" \
	out_has "keepalive 300 ms, retries 2, dscp ef" in_ns a gre-keepalive show gre1
# Only gre: an upgraded host must not start probing its ip6gre peers.
modprobe ip6_gre || fatal "modprobe ip6_gre"
ip -n a link add g6 type ip6gre local 2001:db8:1::1 remote 2001:db8:2::2
check_eq "an ip6gre tunnel is left alone" 0 "$(ka a g6 enabled)"
ip -n a link del g6
ip -n a link add gre7 type gre local $A_WAN remote 198.51.100.7
check "disable the auto-enabled gre7" in_ns a gre-keepalive del gre7
check "netlink set without values" in_ns a gre-keepalive set gre7
check "uses the module's defaults" \
	out_has "gre7: keepalive 300 ms, retries 2" in_ns a gre-keepalive show gre7
blackhole
check "auto-enabled tunnel goes down" watch_down a gre1 2 3000
restore
check "and comes back" wait_for 2000 carrier_is a gre1 1
finish
