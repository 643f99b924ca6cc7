#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# gka-cost: 20 4
# The module comes and goes while tunnels exist and carry traffic.
. /tests/integration/lib.sh

modprobe ip_gre || fatal "modprobe ip_gre"
topology
tunnels
check "tunnel passes traffic before the module" ping_ok a $B_IN

# Loading ip6_tunnel would give every netns an ip6tnl0 and the host new
# receive handlers: keepalive over ip6gre must not need it.
deps=$(modinfo -F depends gre_keepalive)
check "the module needs no ip6_tunnel (depends: ${deps:-none})" \
	sh -c "echo ',$deps,' | grep -qv ',ip6_tunnel,'"
check "module loads with tunnels present" modprobe gre_keepalive
check "existing tunnel got its keepalive directory" \
	test -d /run/sys-a/class/net/gre1/keepalive
check_eq "keepalive is off until configured" 0 "$(ka a gre1 enabled)"
check "veth has no keepalive directory" \
	test ! -e /run/sys-a/class/net/a0/keepalive

tunnel a gre2 $A_WAN 198.51.100.3 203.0.113.5 key 5
check "new tunnel gets its keepalive directory" \
	test -d /run/sys-a/class/net/gre2/keepalive
ip -n a link del gre2
check "tunnel passes traffic with the module" ping_ok a $B_IN

check "module unloads with tunnels present" rmmod gre_keepalive
check "keepalive directory is gone" \
	test ! -e /run/sys-a/class/net/gre1/keepalive
check "tunnel passes traffic after unload" ping_ok a $B_IN

for i in 1 2 3; do
	modprobe gre_keepalive && rmmod gre_keepalive || not_ok "load/unload round $i"
done
ok "three load/unload rounds"
finish
