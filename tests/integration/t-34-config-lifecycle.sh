#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# gka-cost: 40 13
# Admin down/up, tunnel parameter changes, disabling, and the tunnels and
# values keepalive refuses.
. /tests/integration/lib.sh

topology
tunnels
modprobe gre_keepalive || fatal "modprobe gre_keepalive"
# 200 ms: slow enough that a look at the carrier (an exec of ip under TCG)
# lands well inside the 600 ms the line must stay up after a restart.
check "enable 200 ms / 3" keepalive a gre1 200 3
check "replies" wait_for 2000 ka_at_least a gre1 replies 3

# Admin down stops probing; up restarts from scratch, line up.
blackhole
check "down" watch_down a gre1 3 2000
ip -n a link set gre1 down
p=$(ka a gre1 probes_sent)
# 5 intervals with nothing sent: an observation window, not a wait.
usleep 1000000
check_eq "admin down stops probing" "$p" "$(ka a gre1 probes_sent)"
ip -n a link set gre1 up
check_eq "admin up: line up until proven otherwise" 1 "$(carrier a gre1)"
check "admin up: probing restarts" \
	wait_for 1000 ka_at_least a gre1 probes_sent $((p + 1))
check "still blackholed: down again" watch_down a gre1 3 2000
restore
check "and up" wait_for 1000 carrier_is a gre1 1

# A key only on A: B drops A's packets, so no replies: down. The same key
# on B: the next probes carry it, replies flow, up.
ip -n a link set gre1 type gre key 7
check "key on one side only: down" watch_down a gre1 3 2000
ip -n b link set gre1 type gre key 7
check "key on both sides: up" wait_for 1000 carrier_is a gre1 1
check "keyed replies keep it up" \
	wait_for 2000 ka_at_least a gre1 replies $(($(ka a gre1 replies) + 3))
check_eq "still up" 1 "$(carrier a gre1)"

# Renamed, and moved to another netns, while enabled: it keeps probing,
# under its new name, from its unchanged underlay.
ip -n a link set gre1 down
ip -n a link set gre1 name wan1
ip -n a link set wan1 up
p=$(ka a wan1 probes_sent)
check "renamed tunnel keeps probing" \
	wait_for 2000 ka_at_least a wan1 probes_sent $((p + 2))
netns_add t
ip -n a link set wan1 netns t
ip -n t link set wan1 up
check_eq "moved tunnel keeps its configuration" 1 "$(ka t wan1 enabled)"
p=$(ka t wan1 replies)
check "moved tunnel keeps getting replies" \
	wait_for 2000 ka_at_least t wan1 replies $((p + 2))
ip -n t link set wan1 netns a
ip -n a link set wan1 name gre1
ip -n a link set gre1 up
ip -n a addr add $A_IN/30 dev gre1

# Disabling while down restores the carrier.
blackhole
check "down before disabling" watch_down a gre1 3 2000
check "disable" ka_set a gre1 enabled 0
check_eq "disable restores the carrier" 1 "$(carrier a gre1)"
check_eq "disabled" 0 "$(ka a gre1 enabled)"
restore

# Bad values fail with EINVAL and change nothing.
check "interval 5 refused" ka_refused a gre1 interval_ms 5
check_eq "interval unchanged" 200 "$(ka a gre1 interval_ms)"
check "interval 32767001 refused" ka_refused a gre1 interval_ms 32767001
check "retries 0 refused" ka_refused a gre1 retries 0
check "retries 256 refused" ka_refused a gre1 retries 256
check "enabled 2 refused" ka_refused a gre1 enabled 2
check "garbage refused" ka_refused a gre1 interval_ms fast
check_eq "retries unchanged" 3 "$(ka a gre1 retries)"

# Tunnels keepalive cannot run on.
ip -n a link add nbma type gre local $A_WAN
ip -n a link add ext type gre external
ip -n a link add seq type gre local $A_WAN remote 198.51.100.9 iseq
ip -n a link add tap type gretap local $A_WAN remote 198.51.100.9
for t in nbma ext seq tap; do
	check "$t: enabling refused" ka_refused a $t enabled 1
	check_eq "$t: stays disabled" 0 "$(ka a $t enabled)"
done

# A tunnel changed to check input sequence numbers is suspended, keeping
# its configuration, and resumes when the change is undone.
check "enable on gre1 again" ka_set a gre1 enabled 1
blackhole
check "down before the change" watch_down a gre1 3 2000
ip -n a link set gre1 type gre iseq
check "iseq suspends keepalive and restores the carrier" \
	wait_for 1000 carrier_is a gre1 1
check_eq "suspended tunnel keeps its configuration" 1 "$(ka a gre1 enabled)"
p=$(ka a gre1 probes_sent)
usleep 1000000
check_eq "suspended tunnel does not probe" "$p" "$(ka a gre1 probes_sent)"
ip -n a link set gre1 type gre noiseq
check "noiseq resumes probing" \
	wait_for 1000 ka_at_least a gre1 probes_sent $((p + 1))
check "and the blackhole takes it down again" watch_down a gre1 3 2000
restore
finish
