#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# gka-cost: 270 4
# Load, unload and error paths leave nothing behind. With tunnels of every
# kind up (point-to-point, keyed, NBMA, gretap, in two namespaces) and
# keepalive enabled on load, every allocation the load makes from a
# little before our init on is made to fail once (fail-nth, failslab and
# fail_page_alloc): each failed load must leave no module, no sysfs file,
# and tunnels that work as before; the splat and kmemleak checks catch
# hooks, timers and references that survive. A device is never refused
# because of us: when our allocations for a new gre device fail, the
# device is created all the same, and tracked from its next event on.
# (Every gre device costs the sweep a hundred fault points or so, at
# about 0.4 s a load on the debug kernel: A and B are joined directly,
# without the WAN router's namespace, they get no fallback devices of
# their own, the initial namespace's gre0 and gretap0 being the sweep's
# fallback devices, and ip6gre is left to the other tests.)
. /tests/integration/lib.sh

DBG=/sys/kernel/debug

modprobe veth && modprobe ip_gre || fatal "modprobe veth ip_gre"
FB=/proc/sys/net/core/fb_tunnels_only_for_init_net
read -r fb < $FB
echo 1 > $FB
netns_add a
netns_add b
echo "$fb" > $FB
check "the initial namespace's fallback devices are there" \
	test -d /sys/class/net/gre0 -a -d /sys/class/net/gretap0
no_fb_in_ab() {
	for d in /run/sys-[ab]/class/net/gre0 /run/sys-[ab]/class/net/gretap0; do
		[ -e "$d" ] && return 1
	done
	return 0
}
check "a and b have none" no_fb_in_ab
ip link add a0 netns a type veth peer name b0 netns b
ip -n a addr add $A_WAN/32 dev a0
ip -n b addr add $B_WAN/32 dev b0
for n in a b; do
	ip -n $n link set lo up
	ip -n $n link set ${n}0 up
done
ip -n a route add $B_WAN/32 dev a0
ip -n b route add $A_WAN/32 dev b0
tunnels
tunnel a gre2 $A_WAN $B_WAN 203.0.113.5 key 7
tunnel b gre2 $B_WAN $A_WAN 203.0.113.6 key 7
ip -n a link add nbma1 type gre local $A_WAN
ip -n a link set nbma1 up
ip -n a link add tap1 type gretap local $A_WAN remote $B_WAN key 9
ip -n a link set tap1 up
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
	t0=$(now_ms)
	quiet_start load
	# How many fault points the loader passes around our init, with an
	# init that fails before it allocates anything: the sweep starts a
	# little before, so that it fails our allocations, not the loader's.
	# The count varies from load to load (by a hundred or so, with
	# the state of the allocators): the least of three.
	: > /tmp/probe.log
	C=
	for i in 1 2 3; do
		gka-failload "$ko" gre_keepalive --params "default_retries=0" \
			--probe >> /tmp/probe.log 2>&1
		c=$(sed -n '$s/^probe: consumed=\([0-9]*\) .*/\1/p' /tmp/probe.log)
		[ -n "$C" ] && [ "${c:-0}" -ge "$C" ] || C=${c:-0}
	done
	from=$((C - 16))
	[ $from -ge 1 ] || from=1
	gka-failload "$ko" gre_keepalive \
		--params "auto_enable=1 default_interval_ms=200" \
		--from $from $absent > /tmp/failload.log 2>&1
	st=$?
	quiet_end
	sed 's/^/  /' /tmp/probe.log
	check_eq "the probes' loads fail in our init" 3 \
		"$(grep -c '^probe: .* result=EINVAL$' /tmp/probe.log)"
	echo "  the loader passes C=$C fault points: sweep from $from"
	grep -v ' failed errno=' /tmp/failload.log | sed 's/^/  /'
	echo "  failed loads by errno:"
	sed -n 's/.* failed errno=\([A-Z]*\).*/\1/p' /tmp/failload.log |
		sort | uniq -c | sed 's/^/    /'
	echo "  load sweep: $(($(now_ms) - t0)) ms"
	check_eq "every allocation of the load failed once, cleanly" 0 $st
	n=$(sed -n 's/^failload: \([0-9]*\) iterations.*/\1/p' /tmp/failload.log)
	check "the sweep went past the loader into our init" \
		[ "${n:-0}" -gt 32 ]
	check "the module is not loaded" \
		sh -c '! grep -q "^gre_keepalive " /proc/modules'

	# A device is never refused because of us: fail each allocation of
	# a gre device's creation in turn, ours among them (the notifier's
	# state and sysfs group): the device is created, merely untracked,
	# and tracked from its next event on.
	t0=$(now_ms)
	check "a plain load" modprobe gre_keepalive
	quiet_start newlink
	gka-failload --newlink gre8 192.0.2.1 198.51.100.8 \
		> /tmp/newlink.log 2>&1
	st=$?
	gka-failload --newlink gre8 192.0.2.1 198.51.100.8 --keep-untracked \
		> /tmp/keep.log 2>&1
	st2=$?
	quiet_end
	grep -Ev ' failed errno=| created tracked=yes$' /tmp/newlink.log |
		sed 's/^/  /'
	echo "  failed creations by errno:"
	sed -n 's/.* failed errno=\([A-Z]*\).*/\1/p' /tmp/newlink.log |
		sort | uniq -c | sed 's/^/    /'
	echo "  newlink sweep: $(($(now_ms) - t0)) ms"
	check_eq "every allocation of a device creation failed once" 0 $st
	u=$(sed -n 's/.*, \([0-9]*\) created untracked,.*/\1/p' /tmp/newlink.log)
	check "our allocation failed and the device was created anyway" \
		[ "${u:-0}" -ge 1 ]
	tail -2 /tmp/keep.log | sed 's/^/  /'
	check_eq "a device left untracked" 0 $st2
	check "gre8 kept, untracked" grep -q '^kept gre8 untracked$' /tmp/keep.log
	ip link set gre8 up
	check "tracked at its next event" \
		wait_for 5000 test -d /sys/class/net/gre8/keepalive
	check "and known to the family" \
		out_has '^msg ifname=gre8 ' gka-nlsend get ifname:str:gre8
	ip link del gre8 || not_ok "delete gre8"
	check "unload after the creations" rmmod gre_keepalive
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
for d in gre1 gre2 nbma1 tap1; do
	ip -n a link del $d || not_ok "delete $d"
done
ok "devices deleted"
finish
