#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# gka-cost: 40 8
# The gre-keepalive tool over the generic netlink family: every command
# and output format, the events group, and agreement with sysfs.
. /tests/integration/lib.sh

gka() { local ns=$1; shift; in_ns "$ns" gre-keepalive "$@"; }

topology
tunnels
modprobe gre_keepalive || fatal "modprobe gre_keepalive"

check "genl ctrl list shows the family" \
	out_has "Name: gre_keepalive" /usr/sbin/genl ctrl list

out=$(gka a show gre1)
check_eq "show before set" \
	"gre1: keepalive off, reflect on, reflected 0, passed 0" "$out"

check "set interval 1 retries 3" gka a set gre1 interval 1 retries 3
out=$(gka a show gre1)
echo "  $out"
check "show reads like a router" out_has \
	'^gre1: keepalive 1 s, retries 3, dscp cs6, line protocol up, counter [0-9]*, sent [0-9]*, replies [0-9]*, errors 0, transitions 0, last change never, last reply ' \
	echo "$out"
json=$(gka a show -j gre1)
echo "  $json"
check "show -j has the configuration" out_has \
	'"ifname":"gre1".*"enabled":true.*"interval_ms":1000,"retries":3,"dscp":48,' echo "$json"
check "and the variants of reflection, off" out_has \
	'"reflect":true,.*"reflect_nat":false,"reflect_overlay":false' echo "$json"
check "show -p pretty-prints" out_has '^        "interval_ms": 1000,$' gka a show -p

# reflect is a setting of its own: keepalive is left as it is.
check "reflect off" gka a reflect gre1 off
check_eq "sysfs agrees" "0 1 1000 3" \
	"$(ka a gre1 reflect) $(ka a gre1 enabled) $(ka a gre1 interval_ms) $(ka a gre1 retries)"
check "show says reflect off" out_has \
	'^gre1: keepalive 1 s, retries 3, .*, reflect off, ' gka a show gre1
check "reflect on" gka a reflect gre1 on
check_eq "sysfs agrees" 1 "$(ka a gre1 reflect)"

# dscp, by name or number; netlink only, so read back through the tool.
check "set dscp ef" gka a set gre1 dscp ef
check "show -j reads it back" out_has '"retries":3,"dscp":46,' gka a show -j gre1
check "show names it" out_has '^gre1: keepalive 1 s, retries 3, dscp ef, line protocol up' \
	gka a show gre1
check "set dscp 21" gka a set gre1 dscp 21
check "a DSCP without a name is shown as its number" \
	out_has '^gre1: keepalive 1 s, retries 3, dscp 21, ' gka a show gre1
out=$(gka a set gre1 dscp 64 2>&1)
check_eq "dscp 64 refused by the tool (exit 2)" 2 $?
check "saying why" out_has "^gre-keepalive: dscp must be 0..63 (got '64'" echo "$out"
check_eq "and by the kernel" "error ERANGE integer out of range (attr dscp)" \
	"$(in_ns a gka-nlsend set ifname:str:gre1 dscp:u32:64)"
check "dscp unchanged" out_has '"dscp":21,' gka a show -j gre1
check "set dscp CS6 (case does not matter)" gka a set gre1 dscp CS6
check "back to the default" out_has '"dscp":48,' gka a show -j gre1

# The peer variants of reflection: point-to-point gre only.
check "reflect nat on overlay on" gka a reflect gre1 nat on overlay on
check "show lists them" out_has ', reflect on (nat, overlay), reflected ' gka a show gre1
check "show -j too" out_has '"reflect":true,.*"reflect_nat":true,"reflect_overlay":true' \
	gka a show -j gre1
check "reflect overlay off" gka a reflect gre1 overlay off
check "leaves reflection and nat on" out_has ', reflect on (nat), reflected ' gka a show gre1
check "reflect nat off" gka a reflect gre1 nat off
check "reads as before" out_has ', reflect on, reflected ' gka a show gre1
ip -n a link add tap1 type gretap local $A_WAN remote $B_WAN
before=$(gka a show -j tap1)
check "a gretap reports the variants off" \
	out_has '"reflect_nat":false,"reflect_overlay":false' echo "$before"
out=$(gka a reflect tap1 off nat on 2>&1)
check_eq "reflect nat on a gretap refused (exit 1)" 1 $?
check_eq "with the kernel's reason" \
	"gre-keepalive: reflect-nat applies to point-to-point gre tunnels only (Operation not supported)" \
	"$out"
check_eq "nothing changed, not even reflect" "$before" "$(gka a show -j tap1)"
if modprobe ip6_gre; then
	ip -n a link add g6 type ip6gre local 2001:db8:1::1 remote 2001:db8:2::2
	before=$(gka a show -j g6)
	out=$(gka a reflect g6 overlay on 2>&1)
	check_eq "reflect overlay on an ip6gre refused (exit 1)" 1 $?
	check_eq "with the kernel's reason" \
		"gre-keepalive: reflect-overlay applies to point-to-point gre tunnels only (Operation not supported)" \
		"$out"
	check_eq "nothing changed" "$before" "$(gka a show -j g6)"
	ip -n a link del g6
else
	not_ok "modprobe ip6_gre"
fi
ip -n a link del tap1

check "set without values on an enabled tunnel" gka a set gre1
check_eq "keeps interval and retries" "1 1000 3" \
	"$(ka a gre1 enabled) $(ka a gre1 interval_ms) $(ka a gre1 retries)"

check "set interval 100ms keeps retries" gka a set gre1 interval 100ms
check_eq "sysfs agrees on interval" 100 "$(ka a gre1 interval_ms)"
check_eq "sysfs agrees on retries" 3 "$(ka a gre1 retries)"
check "set retries 5 keeps interval" gka a set gre1 retries 5
check_eq "sysfs agrees on retries" 5 "$(ka a gre1 retries)"
check "a sysfs change shows in netlink" ka_set a gre1 interval_ms 200
check "show reflects it" out_has 'keepalive 200 ms, retries 5' gka a show gre1
wait_for 3000 ka_at_least a gre1 replies 3

# Besides gre1, the fallback devices gre0, gretap0 and (once ip6_gre is
# loaded: built in on the debug kernel) ip6gre0.
check "dump lists gre1 and the fallback devices, nothing else" \
	out_lines 1 sh -c "nsenter --net=/run/netns/a gre-keepalive show |
		grep -v -e '^gre0: ' -e '^gretap0: ' -e '^ip6gre0: '"
check "dump lists the gre0 fallback" out_has '^gre0: keepalive off' gka a show
check "and gretap0" out_has '^gretap0: keepalive off' gka a show

# monitor -j sees the cycle's transitions once each, in order.
gka a set gre1 interval 200ms retries 4
in_ns a gre-keepalive monitor -j > /tmp/monitor.json &
mon=$!
in_ns a gre-keepalive monitor > /tmp/monitor.txt &
montxt=$!
# The monitors are listening once they report a change we make: toggle
# retries until they do, ending at 3.
synced() {
	grep '"event":"changed"' /tmp/monitor.json | grep -q '"retries":3' &&
		grep -q '(changed), .*, retries 3' /tmp/monitor.txt
}
for i in 1 2 3 4 5 6 7 8 9 10; do
	gka a set gre1 retries 4
	gka a set gre1 retries 3
	wait_for 1000 synced && break
done
check "monitor is listening" synced
gka a set gre1 dscp af41
check "monitor -j reports a DSCP change" wait_for 2000 \
	grep -q '"event":"changed".*"retries":3,"dscp":34,' /tmp/monitor.json
check "monitor too, by its name" wait_for 2000 \
	grep -q 'gre1: line protocol up (changed), counter [0-9]*, keepalive 200 ms, retries 3, dscp af41$' \
	/tmp/monitor.txt
gka a reflect gre1 nat on
check "monitor -j reports reflect nat" wait_for 2000 \
	grep -q '"event":"reflect-changed".*"reflect_nat":true,"reflect_overlay":false' \
	/tmp/monitor.json
check "monitor too" wait_for 2000 \
	grep -q 'gre1: reflect on (nat) (reflect-changed)$' /tmp/monitor.txt
gka a reflect gre1 nat off
gka a set gre1 dscp cs6
kill $montxt
sed 's/^/  /' /tmp/monitor.txt
# Counted from here on, the cycle's events: this change is before them.
last_is_cs6() { tail -n 1 /tmp/monitor.json | grep -q '"event":"changed".*"dscp":48,'; }
check "monitor -j saw DSCP back to cs6" wait_for 2000 last_is_cs6
n=$(wc -l < /tmp/monitor.json)
blackhole
check "down" watch_down a gre1 3 3000
restore
check "up" wait_for 2000 carrier_is a gre1 1
gka a del gre1
wait_for 2000 grep -q '"event":"disabled"' /tmp/monitor.json
kill $mon
cat /tmp/monitor.json | sed 's/^/  /'
events=$(tail -n +$((n + 1)) /tmp/monitor.json |
	grep -o '"event":"[a-z-]*"' | cut -d'"' -f4 | tr '\n' ' ')
check_eq "events in order, each once" "timeout reply disabled " "$events"
check "timeout event says line down" \
	out_has '"line_protocol":"down"' grep '"event":"timeout"' /tmp/monitor.json
check "reply event says line up" \
	out_has '"line_protocol":"up"' grep '"event":"reply"' /tmp/monitor.json

check_eq "del disables" 0 "$(ka a gre1 enabled)"
check_eq "show after del" \
	"gre1: keepalive off, reflect on, reflected 0, passed 0" \
	"$(gka a show gre1)"
check "del of a disabled tunnel is a no-op" gka a del gre1
check "set after del" gka a set gre1
check_eq "enables it again with the settings it kept" "1 200 3" \
	"$(ka a gre1 enabled) $(ka a gre1 interval_ms) $(ka a gre1 retries)"
check "the kernel's reason for a refusal" out_has \
	"^gre-keepalive: not a GRE tunnel (Operation not supported)$" \
	gka a set a0 interval 5
finish
