#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# gka-cost: 10 2
# The testbed itself: two routers, a WAN between them, a GRE tunnel that
# carries traffic. Everything else builds on this.
. /tests/integration/lib.sh

modprobe ip_gre || fatal "modprobe ip_gre"
topology
check "A reaches B over the WAN" ping_ok a $B_WAN
tunnels
check "A reaches B through the tunnel" ping_ok a $B_IN
check "B reaches A through the tunnel" ping_ok b $A_IN
rx=$(cat /run/sys-b/class/net/gre1/statistics/rx_packets)
check "B's tunnel counted the traffic" [ "$rx" -ge 1 ]
finish
