#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# gka-cost: 35 9
# Do no harm: a tunnel running inside another one, module on both routers
# with its defaults. The replies to the inner tunnel's keepalives come out
# of the outer tunnel as GRE with protocol type 0 that is not a probe for
# the outer tunnel: they must go on through the stack to the inner
# tunnel's reply hook, not be dropped. Tunnels with no single peer of
# their own (gretap, NBMA) get no reflection hook at all.
. /tests/integration/lib.sh

A_IN2=203.0.113.5
B_IN2=203.0.113.6

topology
tunnels
modprobe gre_keepalive || fatal "modprobe gre_keepalive"
check_eq "outer tunnel reflects by default (A)" 1 "$(ka a gre1 reflect)"
check_eq "outer tunnel reflects by default (B)" 1 "$(ka b gre1 reflect)"
# gre2 runs over gre1: its ends are gre1's inner addresses.
tunnel a gre2 $A_IN $B_IN $A_IN2
tunnel b gre2 $B_IN $A_IN $B_IN2
check "traffic through the inner tunnel" ping_ok a $B_IN2

check "keepalive 200 ms / 3 on A's inner tunnel" keepalive a gre2 200 3
check "the inner tunnel's keepalives are answered" \
	wait_for 6000 ka_at_least a gre2 replies 10
check_eq "its line protocol stays up" 1 "$(carrier a gre2)"
check_eq "no transition" 0 "$(ka a gre2 transitions)"
check "B's inner tunnel reflected them" ka_at_least b gre2 reflected 10
check "A's outer tunnel passed the replies on" ka_at_least a gre1 passed 10
check_eq "and reflected none of them" 0 "$(ka a gre1 reflected)"
check "traffic still flows through the inner tunnel" ping_ok a $B_IN2

# Keepalive on the outer tunnel too: both answered, independently.
check "keepalive 200 ms / 3 on A's outer tunnel" keepalive a gre1 200 3
ka_read a gre1 replies && n1=$KA
ka_read a gre2 replies && n2=$KA
check "outer replies keep coming" \
	wait_for 4000 ka_at_least a gre1 replies $((n1 + 5))
# Both every 200 ms, so about as many; waited for too: read a moment after
# n1, n2 can be one reply ahead (a race on trixie's 6.12).
check "inner replies keep coming" \
	wait_for 4000 ka_at_least a gre2 replies $((n2 + 5))
check_eq "both lines up" "1 1" "$(carrier a gre1) $(carrier a gre2)"

# The path dies: both go down, and come back with it.
blackhole
check "outer goes down with the path" watch_down a gre1 3 5000
check "inner goes down with it" wait_for 3000 carrier_is a gre2 0
restore
check "outer comes back" wait_for 3000 carrier_is a gre1 1
check "inner comes back" wait_for 3000 carrier_is a gre2 1

# No single peer, no hook: a namespace whose only tunnels are a gretap and
# an NBMA gre has none of our hooks. nft lists a namespace's netfilter
# hooks with their functions where the kernel has nfnetlink_hook (the
# debug kernel; Debian's config leaves it out, and there t-50 shows that
# what comes out of such tunnels is not even counted).
netns_add c
ip -n c link add tap1 type gretap local 192.0.2.9 remote 198.51.100.9
ip -n c link add nbma1 type gre local 192.0.2.9
ip -n c link set tap1 up
ip -n c link set nbma1 up
check_eq "gretap: reflect is configured on" 1 "$(ka c tap1 reflect)"
hooks_c() { in_ns c nft list hooks > /tmp/hooks 2>&1; }
# A chain of our own, so that the listing has something to show.
in_ns c nft add table inet t &&
	in_ns c nft add chain inet t c '{ type filter hook input priority 0; }' ||
	not_ok "nft chain in c"
hooks_c
if grep -q 'chain inet t c' /tmp/hooks; then
	check "no reflection hook for gretap or NBMA" \
		sh -c '! grep -q gka_ /tmp/hooks'
	ip -n c link add gre5 type gre local 192.0.2.9 remote 198.51.100.9
	ip -n c link set gre5 up
	hooks_c
	check "a point-to-point tunnel takes it" grep -q gka_pre_routing /tmp/hooks
	sed 's/^/  /' /tmp/hooks
	ip -n c link del gre5
	hooks_c
	check "and gives it back when it goes" sh -c '! grep -q gka_ /tmp/hooks'
else
	echo "  this kernel cannot list netfilter hooks (no nfnetlink_hook)"
fi
finish
