#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Load, unload and error paths leave nothing behind. With tunnels of every
# kind up (point-to-point, keyed, NBMA, gretap, ip6gre, in two namespaces)
# and keepalive enabled on load, every allocation the load makes is made
# to fail once (fail-nth, failslab and fail_page_alloc): each failed load
# must leave no module, no sysfs file, and tunnels that work as before;
# the splat and kmemleak checks of the guest catch hooks, timers and
# references that survive. A device is never refused because of us.
. /tests/integration/lib.sh

DBG=/sys/kernel/debug

topology
modprobe ip6_gre || fatal "modprobe ip6_gre"
tunnels
tunnel a gre2 $A_WAN $B_WAN 203.0.113.5 key 7
tunnel b gre2 $B_WAN $A_WAN 203.0.113.6 key 7
ip -n a link add nbma1 type gre local $A_WAN
ip -n a link set nbma1 up
ip -n a link add tap1 type gretap local $A_WAN remote $B_WAN key 9
ip -n a link set tap1 up
ip -n a link add g6 type ip6gre local 2001:db8:1::1 remote 2001:db8:2::2
ip -n a link set g6 up
check "traffic before" ping_ok a $B_IN
ko=$(modinfo -n gre_keepalive) || fatal "modinfo gre_keepalive"

# A failed load is one that never happened.
absent="--absent /run/sys-a/class/net/*/keepalive
	--absent /run/sys-b/class/net/*/keepalive
	--absent /sys/class/net/*/keepalive"

if [ -d $DBG/failslab ]; then
	for f in failslab fail_page_alloc; do
		echo N > $DBG/$f/ignore-gfp-wait
		echo 0 > $DBG/$f/verbose
	done
	echo N > $DBG/fail_page_alloc/ignore-gfp-highmem
	gka-failload "$ko" gre_keepalive \
		--params "auto_enable=1 default_interval_ms=200" \
		$absent > /tmp/failload.log 2>&1
	st=$?
	grep -v ' failed errno=' /tmp/failload.log | sed 's/^/  /'
	echo "  failed loads by errno:"
	sed -n 's/.* failed errno=\([A-Z]*\).*/\1/p' /tmp/failload.log |
		sort | uniq -c | sed 's/^/    /'
	check_eq "every allocation of the load failed once, cleanly" 0 $st
	check "hundreds of failure points" \
		grep -Eq 'failload: [0-9]{3,} iterations' /tmp/failload.log
	check "the module is not loaded" \
		sh -c '! grep -q "^gre_keepalive " /proc/modules'
else
	# Debian's stock kernels have no fault injection: load and unload
	# with keepalive enabled on load, which must leave nothing either.
	echo "  no fault injection in this kernel: plain load/unload rounds"
	i=0
	while [ $i -lt 5 ]; do
		modprobe gre_keepalive auto_enable=1 default_interval_ms=200 &&
			rmmod gre_keepalive || not_ok "load/unload round $i"
		i=$((i + 1))
	done
	check "no keepalive directory after the rounds" \
		sh -c '! ls -d /run/sys-a/class/net/*/keepalive 2>/dev/null'
fi

# The tunnels behave as before.
check "traffic after" ping_ok a $B_IN
check_eq "carrier untouched" "1 1" "$(carrier a gre1) $(carrier a gre2)"
check "a normal load works" \
	modprobe gre_keepalive auto_enable=1 default_interval_ms=200
check "keepalive runs" wait_for 5000 ka_at_least a gre1 replies 3
check "the keyed tunnel too" wait_for 5000 ka_at_least a gre2 replies 3
check "unload" rmmod gre_keepalive
# Every device goes away: a reference left behind would hang this (the
# guest's console check reports "waiting for ... to become free").
for d in gre1 gre2 nbma1 tap1 g6; do
	ip -n a link del $d || not_ok "delete $d"
done
ok "devices deleted"
finish
