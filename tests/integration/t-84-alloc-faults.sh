#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# gka-cost: 25
# gka-kernel: debug
# Allocation failure everywhere, not only at load (t-73 does the load).
# 1. Requests: enabling, changing and disabling keepalive, each made with
#    its n-th allocation failed for every n in turn (fail-nth over
#    failslab and fail_page_alloc), while a monitor listens, so that the
#    event's allocation fails too: a refused or lost request has changed
#    nothing, an accepted one everything. A dump made the same way ends in
#    an error or lists every tunnel as it is. The same on an ip6gre
#    tunnel, whose enabling also makes its netns's reply table.
# 2. Softirq: with probes every 10 ms and a monitor listening, a third of
#    the kernel's atomic allocations fail (the probe, the route to the
#    peer, the events of transitions, the reply's path): the failures are
#    counted as probe errors, nothing crashes or leaks, and the line
#    protocol comes back once allocations succeed again.
. /tests/integration/lib.sh

DBG=/sys/kernel/debug
[ -d $DBG/failslab ] || fatal "the kernel has no failslab"

topology
tunnels
modprobe gre_keepalive || fatal "modprobe gre_keepalive"
for f in failslab fail_page_alloc; do
	echo 0 > $DBG/$f/verbose
	echo 0 > $DBG/$f/probability
done

in_ns a gre-keepalive monitor -j > /tmp/monitor.json &
MON=$!
# The monitor listens once it reports a change we make: toggle retries
# until it does.
synced() { grep -q '"retries":4' /tmp/monitor.json; }
for i in 1 2 3 4 5 6 7 8 9 10; do
	in_ns a gre-keepalive set gre1 retries 4
	in_ns a gre-keepalive set gre1 retries 3
	wait_for 1000 synced && break
done
check "monitor is listening" synced
in_ns a gre-keepalive del gre1 || fatal "del gre1"

# --- 1. every allocation of a request ---------------------------------
for f in failslab fail_page_alloc; do
	echo N > $DBG/$f/ignore-gfp-wait
done
echo N > $DBG/fail_page_alloc/ignore-gfp-highmem
quiet_start requests
in_ns a gka-nlfuzz --fail-sweep gre1 > /tmp/sweep.out 2>&1
st=$?
quiet_end
sed 's/^/  /' /tmp/sweep.out
check "requests under allocation failure: nothing or everything" [ $st = 0 ]
check_eq "enable, change, disable and dump swept to their last fault point" 4 \
	"$(grep -c 'complete=yes' /tmp/sweep.out)"
topology6
ip -n a link add g6 type ip6gre local $A6 remote $B6 ttl 64
ip -n a link set g6 up
quiet_start requests6
in_ns a gka-nlfuzz --fail-sweep g6 > /tmp/sweep6.out 2>&1
st=$?
quiet_end
sed 's/^/  /' /tmp/sweep6.out
check "ip6gre under allocation failure: nothing or everything" [ $st = 0 ]
check_eq "ip6gre: swept to their last fault point" 4 \
	"$(grep -c 'complete=yes' /tmp/sweep6.out)"
ip -n a link del g6

# --- 2. atomic allocations in softirq ---------------------------------
in_ns a gre-keepalive set gre1 interval 10ms retries 3 || fatal "enable gre1"
replies() { ka_read a gre1 replies; [ "$KA" -gt "$1" ]; }
check "replies before the faults" wait_for 20000 replies 0
ka_read a gre1 probe_errors
errors=$KA
probe_errors_above() { ka_read a gre1 probe_errors; [ "$KA" -ge "$1" ]; }
quiet_start softirq
echo Y > $DBG/failslab/ignore-gfp-wait
echo 1 > $DBG/failslab/interval
echo -1 > $DBG/failslab/times
echo 33 > $DBG/failslab/probability
check "probes fail while atomic allocations do" \
	wait_for 30000 probe_errors_above $((errors + 20))
echo 0 > $DBG/failslab/probability
quiet_end
ka_read a gre1 probe_errors
echo "  $((KA - errors)) probes could not be built or routed"
ka_read a gre1 replies
check "replies again once allocations succeed" wait_for 20000 replies "$KA"
check "line protocol up" wait_for 20000 carrier_is a gre1 1

kill $MON
wait $MON 2>/dev/null
check "module unloads" rmmod gre_keepalive
finish
