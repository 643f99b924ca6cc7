#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# gka-cost: 30 5
# Table of bad netlink requests: each gets the exact errno and extack
# message, and the tunnel's configuration is left as it was. Each command
# has its own policy: an attribute it does not use is refused, and a SET
# is one change, applied in full or not at all.
. /tests/integration/lib.sh

topology
tunnels
modprobe gre_keepalive || fatal "modprobe gre_keepalive"
ip -n a link add tap1 type gretap local $A_WAN remote 198.51.100.9
ip -n a link add nbma1 type gre local $A_WAN
ip -n a link add ext1 type gre external
ip -n a link add seq1 type gre local $A_WAN remote 198.51.100.9 iseq
ip -n a link add gre9 type gre local $A_WAN remote 198.51.100.10
ip -n a link add dummy1 type dummy
in_ns a gre-keepalive set gre1 interval 700ms retries 7 || fatal "baseline"
read -r ifindex < /run/sys-a/class/net/gre1/ifindex
long=abcdefghijklmnopqrstuvwxyz

# expect NAME "EXPECTED OUTPUT" gka-nlsend arguments... (run in netns a)
expect() {
	local name=$1 want=$2 got
	shift 2
	got=$(in_ns a gka-nlsend "$@")
	check_eq "$name" "$want" "$got"
	check_eq "$name: configuration intact" "700 7 1 1" \
		"$(ka a gre1 interval_ms) $(ka a gre1 retries) $(ka a gre1 enabled) $(ka a gre1 reflect)"
}

expect "unknown ifindex" \
	"error ENODEV no device with this ifindex (attr ifindex)" \
	set ifindex:u32:99999 interval_ms:u32:1000
expect "ifindex 0" \
	"error ERANGE integer out of range (attr ifindex)" \
	set ifindex:u32:0 enabled:u32:1
expect "unknown name" \
	"error ENODEV no device with this name (attr ifname)" \
	set ifname:str:nosuch0 enabled:u32:1
expect "ifname and ifindex disagree" \
	"error EINVAL IFNAME and IFINDEX name different devices (attr ifname)" \
	set ifindex:u32:$ifindex ifname:str:gre9 enabled:u32:1
expect "missing device" \
	"error EINVAL missing tunnel: give IFINDEX or IFNAME" \
	set interval_ms:u32:1000
expect "get without a device" \
	"error EINVAL missing tunnel: give IFINDEX or IFNAME" \
	get
expect "dump with a device: the dump takes none" \
	"error EINVAL a dump takes no attributes" \
	dump ifname:str:gre1
expect "non-GRE device" \
	"error EOPNOTSUPP not a GRE tunnel (attr ifname)" \
	set ifname:str:dummy1 enabled:u32:1
expect "gretap" \
	"error EOPNOTSUPP gretap is an Ethernet tunnel, not a point-to-point gre tunnel" \
	set ifname:str:tap1 enabled:u32:1
expect "NBMA tunnel" \
	"error EOPNOTSUPP tunnel is not point-to-point (no fixed unicast remote)" \
	set ifname:str:nbma1 enabled:u32:1
expect "flow-based tunnel" \
	"error EOPNOTSUPP flow-based (external) tunnel has no fixed remote" \
	set ifname:str:ext1 enabled:u32:1
expect "iseq tunnel" \
	"error EOPNOTSUPP tunnel checks input sequence numbers (iseq); replies would be dropped" \
	set ifname:str:seq1 enabled:u32:1

# Values: flags 0 or 1 by the policy; ranges by the module, which says
# which bound was crossed, and of which attribute.
expect "set without anything to set" \
	"error EINVAL nothing to set: give ENABLED, INTERVAL_MS, RETRIES, REFLECT, DSCP, REFLECT_NAT or REFLECT_OVERLAY" \
	set ifname:str:gre1
expect "enabled 2" \
	"error ERANGE integer out of range (attr enabled)" \
	set ifname:str:gre1 enabled:u32:2
expect "reflect 2" \
	"error ERANGE integer out of range (attr reflect)" \
	set ifname:str:gre1 reflect:u32:2
expect "interval 0" \
	"error EINVAL interval below the minimum of 10 ms (attr interval_ms)" \
	set ifname:str:gre1 interval_ms:u32:0
expect "interval 9 ms" \
	"error EINVAL interval below the minimum of 10 ms (attr interval_ms)" \
	set ifname:str:gre1 interval_ms:u32:9
expect "interval above the maximum" \
	"error EINVAL interval above the maximum of 32767 s (attr interval_ms)" \
	set ifname:str:gre1 interval_ms:u32:32767001
expect "retries 0" \
	"error EINVAL retries out of range 1..255 (attr retries)" \
	set ifname:str:gre1 retries:u32:0
expect "retries 256" \
	"error EINVAL retries out of range 1..255 (attr retries)" \
	set ifname:str:gre1 retries:u32:256

# One change: a bad value anywhere in it and nothing of it is applied.
expect "good interval, bad retries: neither" \
	"error EINVAL retries out of range 1..255 (attr retries)" \
	set ifname:str:gre1 interval_ms:u32:500 retries:u32:0
expect "reflect off, bad interval: neither" \
	"error EINVAL interval below the minimum of 10 ms (attr interval_ms)" \
	set ifname:str:gre1 reflect:u32:0 interval_ms:u32:5
expect "disable, bad retries: still enabled" \
	"error EINVAL retries out of range 1..255 (attr retries)" \
	set ifname:str:gre1 enabled:u32:0 retries:u32:256

# Types, lengths and the attributes each command takes.
expect "flag as u8, as version 1 sent it" \
	"error EINVAL invalid attribute length (attr enabled)" \
	set ifname:str:gre1 enabled:u8:1
expect "wrong attribute type" \
	"error EINVAL invalid attribute length (attr interval_ms)" \
	set ifname:str:gre1 interval_ms:u8:5
expect "oversized name" \
	"error EINVAL Attribute failed policy validation (attr ifname)" \
	set ifname:str:$long$long enabled:u32:1
expect "name without NUL" \
	"error EINVAL Attribute failed policy validation (attr ifname)" \
	set ifname:strn:gre1 enabled:u32:1
expect "unknown attribute" \
	"error EINVAL Unknown attribute type (attr 99)" \
	set ifname:str:gre1 99:u32:1
expect "set: a state attribute is not settable" \
	"error EINVAL Unsupported attribute (attr admin_up)" \
	set ifname:str:gre1 admin_up:u32:1
expect "set: nor are counters" \
	"error EINVAL Unsupported attribute (attr counter)" \
	set ifname:str:gre1 counter:u32:0
expect "get: a setting is refused" \
	"error EINVAL Unknown attribute type (attr interval_ms)" \
	get ifname:str:gre1 interval_ms:u32:1000
expect "get: reason belongs to notifications" \
	"error EINVAL Unknown attribute type (attr reason)" \
	get ifname:str:gre1 reason:u32:1
expect "unknown command" "error EOPNOTSUPP -" 99 ifname:str:gre1
# 3 is TUNNEL_CHANGE_NTF; 5 was version 1's REFLECT.
expect "the notification is not a request" "error EOPNOTSUPP -" \
	3 ifname:str:gre1
expect "version 1's REFLECT is gone" "error EOPNOTSUPP -" 5 ifname:str:gre1
expect "disabling a gretap: keepalive is off there anyway" "ok" \
	set ifname:str:tap1 enabled:u32:0

# Unprivileged: set and del refused, get allowed.
nobody() {
	in_ns a /usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=-all --bounding-set=-all "$@"
}
check_eq "unprivileged set" "error EPERM -" \
	"$(nobody gka-nlsend set ifname:str:gre1 retries:u32:2)"
check_eq "unprivileged disable" "error EPERM -" \
	"$(nobody gka-nlsend set ifname:str:gre1 enabled:u32:0)"
check "unprivileged get works" out_has \
	'^msg ifname=gre1 enabled=1 interval_ms=700 retries=7 line=1 reflect=1$' \
	nobody gka-nlsend get ifname:str:gre1
check "unprivileged dump works" out_has \
	'^msg ifname=gre1 enabled=1 interval_ms=700 retries=7 ' \
	nobody gka-nlsend dump
out=$(nobody gre-keepalive set gre1 retries 2 2>&1)
rc=$?
echo "  $out"
check_eq "unprivileged tool set fails with exit 1" 1 $rc
check "and says why" out_has "Operation not permitted" echo "$out"
check_eq "configuration intact after unprivileged attempts" "700 7 1 1" \
	"$(ka a gre1 interval_ms) $(ka a gre1 retries) $(ka a gre1 enabled) $(ka a gre1 reflect)"

# CAP_NET_ADMIN counts in the user namespace that owns the tunnel's netns:
# an unprivileged user in its own user+net namespace configures its own.
out=$(nobody /usr/bin/unshare -Urn sh -c '
	/usr/bin/ip link add g1 type gre local 192.0.2.1 remote 192.0.2.2 &&
	gre-keepalive set g1 interval 1 retries 2 &&
	gre-keepalive show g1' 2>&1)
echo "  $out"
check "own user+net namespace: set works" \
	out_has "^g1: keepalive 1 s, retries 2, dscp cs6, line protocol up" echo "$out"

# Another namespace sees none of a's tunnels.
check_eq "other netns: a's tunnel unknown" \
	"error ENODEV no device with this name (attr ifname)" \
	"$(in_ns w gka-nlsend set ifname:str:gre9 enabled:u32:1)"
# Each netns has fallback devices gre0, gretap0 and (once ip6_gre is
# loaded: built in on the debug kernel) ip6gre0.
no_fallbacks() {
	grep -v -e '^msg ifname=gre0 ' -e '^msg ifname=gretap0 ' \
		-e '^msg ifname=ip6gre0 '
}
check_eq "other netns: dump shows only its own fallback devices" ok \
	"$(in_ns w gka-nlsend dump | no_fallbacks)"
check_eq "other netns: gre0 among them" \
	"msg ifname=gre0 enabled=0 interval_ms=10000 retries=3 line=1 reflect=1" \
	"$(in_ns w gka-nlsend dump | grep '^msg ifname=gre0 ')"
check_eq "own netns: dump lists a's six gre and gretap tunnels" 6 \
	"$(in_ns a gka-nlsend dump | no_fallbacks | grep -c '^msg')"

# The tool validates before asking the kernel.
in_ns a gre-keepalive set gre1 interval 5ms 2>/dev/null
check_eq "tool: interval 5ms refused locally with exit 2" 2 $?
finish
