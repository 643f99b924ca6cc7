#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# gka-cost: 40 4
# Privilege in the right namespace. What makes the module send or hook in
# a tunnel's underlay netns needs CAP_NET_ADMIN over that netns, as
# changing the tunnel itself does; sub-second intervals need it in the
# initial user namespace, so that an unprivileged user namespace cannot
# start fast softirq timers by the thousand.
. /tests/integration/lib.sh

# as_nobody command...: unprivileged, in netns a.
as_nobody() {
	in_ns a /usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=-all --bounding-set=-all "$@"
}

topology
tunnels
modprobe gre_keepalive || fatal "modprobe gre_keepalive"

# --- An unprivileged user in its own user+net namespace -------------------
out=$(as_nobody /usr/bin/unshare -Urn sh -c '
	/usr/bin/ip link add g1 type gre local 192.0.2.1 remote 192.0.2.2 &&
	/usr/bin/ip link set g1 up &&
	echo "100ms: $(gka-nlsend set ifname:str:g1 enabled:u32:1 interval_ms:u32:100)" &&
	echo "999ms: $(gka-nlsend set ifname:str:g1 enabled:u32:1 interval_ms:u32:999)" &&
	echo "1s: $(gka-nlsend set ifname:str:g1 enabled:u32:1 interval_ms:u32:1000)" &&
	echo "then 500ms: $(gka-nlsend set ifname:str:g1 interval_ms:u32:500)" &&
	echo "retries: $(gka-nlsend set ifname:str:g1 retries:u32:5)" &&
	gre-keepalive set g1 interval 200ms 2>&1;
	gre-keepalive show g1' 2>&1)
echo "$out" | sed 's/^/  /'
check "own userns: 100 ms refused, and why" out_has \
	"^100ms: error EPERM intervals below 1 s need CAP_NET_ADMIN in the initial user namespace\$" \
	echo "$out"
check "own userns: 999 ms refused" out_has "^999ms: error EPERM " echo "$out"
check "own userns: 1 s accepted" out_has "^1s: ok\$" echo "$out"
check "own userns: no change to 500 ms either" out_has \
	"^then 500ms: error EPERM " echo "$out"
check "own userns: retries alone may change" out_has "^retries: ok\$" \
	echo "$out"
check "the tool says it too" out_has \
	"intervals below 1 s need CAP_NET_ADMIN in the initial user namespace" \
	echo "$out"
check "and the tunnel kept 1 s" out_has "^g1: keepalive 1 s, retries 5," \
	echo "$out"

# The host's administrator may.
check "root: 100 ms accepted" in_ns a gre-keepalive set gre1 interval 100ms

# --- A tunnel whose underlay belongs to someone else ----------------------
# Root makes gre7 in a (the underlay) and hands it to an unprivileged
# user's own namespace, as a host hands a tunnel to a container.
rm -f /tmp/holder
as_nobody /usr/bin/unshare -Urn sh -c 'echo $$ > /tmp/holder; exec sleep 600' &
holder_ready() { [ -s /tmp/holder ]; }
wait_for 5000 holder_ready || fatal "unprivileged namespace"
read -r holder < /tmp/holder
ip -n a link add gre7 type gre local $A_WAN remote 198.51.100.7 ttl 64
ip -n a link set gre7 netns "$holder" || fatal "hand gre7 over"

# in_holder command...: as the namespace's own root, without any
# capability over a.
in_holder() {
	in_ns a /usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups \
		/usr/bin/nsenter --preserve-credentials -t "$holder" -U -n "$@"
}
check_eq "container: tunnel visible" \
	"msg ifname=gre7 enabled=0 interval_ms=10000 retries=3 line=1 reflect=1" \
	"$(in_holder gka-nlsend get ifname:str:gre7 | head -1)"
check_eq "container: enabling keepalive refused" \
	"error EPERM needs CAP_NET_ADMIN in the tunnel's underlay network namespace" \
	"$(in_holder gka-nlsend set ifname:str:gre7 enabled:u32:1 interval_ms:u32:5000)"
# Nothing is sent while keepalive is off: its interval may change. Who
# enables it later needs the privilege for the interval it then has.
check_eq "container: the interval of a disabled tunnel may change" ok \
	"$(in_holder gka-nlsend set ifname:str:gre7 interval_ms:u32:5000)"
check_eq "container: reflection off allowed" ok \
	"$(in_holder gka-nlsend set ifname:str:gre7 reflect:u32:0)"
check_eq "container: reflection on refused" \
	"error EPERM needs CAP_NET_ADMIN in the tunnel's underlay network namespace" \
	"$(in_holder gka-nlsend set ifname:str:gre7 reflect:u32:1)"
check_eq "container: disabling and reflection on at once refused" \
	"error EPERM needs CAP_NET_ADMIN in the tunnel's underlay network namespace" \
	"$(in_holder gka-nlsend set ifname:str:gre7 enabled:u32:0 reflect:u32:1)"
check_eq "container: disabling allowed" ok \
	"$(in_holder gka-nlsend set ifname:str:gre7 enabled:u32:0)"
check_eq "container: nothing enabled, reflection off" \
	"msg ifname=gre7 enabled=0 interval_ms=5000 retries=3 line=1 reflect=0" \
	"$(in_holder gka-nlsend get ifname:str:gre7 | head -1)"
kill "$holder" 2>/dev/null
wait
finish
