#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# gka-cost: 50 20
# The kernel's own YNL client (tools/net/ynl/cli.py, put in /ynl by
# mkinitramfs.sh) drives the live family from the spec alone: set, get,
# dump and the per-operation policy, and (its library) the events group.
# What it encodes and decodes comes from the spec
# (Documentation/netlink/specs/gre_keepalive.yaml), the module's numbers
# from the UAPI header generated from it: they agree if this passes.
. /tests/integration/lib.sh

SPEC=/ynl/gre_keepalive.yaml
# ynl NS ARGS...: cli.py, the reply as JSON.
ynl() {
	local ns=$1
	shift
	in_ns "$ns" /usr/bin/python3 /ynl/cli.py --spec $SPEC --no-schema --output-json "$@"
}
# set_heard NS JSON: tunnel-set JSON through the YNL library cli.py is
# built on, and print as a JSON list the notifications that a second
# socket, subscribed to the events group before, then holds. Multicast
# delivery happens within the request: they are queued before the reply
# comes, nothing to wait for. (One socket, as cli.py --subscribe with
# --do has it, does not work in 6.12: a notification before the reply
# leaves lib/ynl.py's _ops() with no operation, an AttributeError; fixed
# upstream later.)
set_heard() {
	in_ns "$1" /usr/bin/python3 - "$2" <<-EOF
	import json, sys
	sys.path.insert(0, "/ynl")
	from lib import YnlFamily
	events = YnlFamily("$SPEC", "")
	events.ntf_subscribe("events")
	YnlFamily("$SPEC", "").do("tunnel-set", json.loads(sys.argv[1]))
	events.check_ntf()
	print(json.dumps(events.async_msg_queue))
	EOF
}
# val NAME JSON: the value of attribute NAME (its first) in ynl's output.
val() { echo "$2" | grep -o "\"$1\": [^,}]*" | head -n 1 | cut -d' ' -f2-; }
# The reasons of the notifications in ynl's output, in order.
reasons() { echo "$1" | grep -o '"reason": "[a-z-]*"' | cut -d'"' -f4 | tr '\n' ' '; }
is_number() { case $1 in '' | *[!0-9]*) return 1 ;; esac; }

[ -x /usr/bin/python3 ] && [ -f /ynl/cli.py ] && [ -f $SPEC ] ||
	fatal "python3, the kernel's YNL client and the spec are in the guest"

topology
tunnels
modprobe gre_keepalive || fatal "modprobe gre_keepalive"
read -r ifindex < "$(net a gre1)/ifindex"

out=$(set_heard a '{"ifname": "gre1", "enabled": 1, "interval-ms": 1000, "retries": 5}')
check "tunnel-set enables with interval and retries" [ $? = 0 ]
echo "  $out"
check_eq "one notification, reason enabled" "enabled " "$(reasons "$out")"

out=$(ynl a --do tunnel-get --json '{"ifname": "gre1"}')
echo "  $out"
check_eq "tunnel-get: ifindex" "$ifindex" "$(val ifindex "$out")"
check_eq "tunnel-get: enabled" 1 "$(val enabled "$out")"
check_eq "tunnel-get: admin-up" 1 "$(val admin-up "$out")"
check_eq "tunnel-get: interval-ms" 1000 "$(val interval-ms "$out")"
check_eq "tunnel-get: retries" 5 "$(val retries "$out")"
check_eq "tunnel-get: reflect" 1 "$(val reflect "$out")"
check_eq "tunnel-get: line, by its enum's name" '"up"' "$(val line "$out")"
for a in counter probes-sent probe-errors replies transitions \
	last-change-ns last-reply-ns reflected passed; do
	check "tunnel-get: $a is a number" is_number "$(val $a "$out")"
done
check_eq "tunnel-get: no reason outside notifications" "" "$(val reason "$out")"
out=$(ynl a --do tunnel-get --json "{\"ifindex\": $ifindex}")
check_eq "tunnel-get by ifindex" '"gre1"' "$(val ifname "$out")"

# One object per tunnel: no attribute nests, so each ends at its "}".
out=$(ynl a --dump tunnel-get | tr '}' '\n')
echo "$out" | sed 's/^[], []*/  /'
gre1=$(echo "$out" | grep '"ifname": "gre1"')
check_eq "tunnel-get dump: gre1's interval-ms" 1000 "$(val interval-ms "$gre1")"
check_eq "tunnel-get dump: gre1's retries" 5 "$(val retries "$gre1")"
check_eq "tunnel-get dump: gre1's enabled" 1 "$(val enabled "$gre1")"
check_eq "tunnel-get dump: the gre0 fallback device, off" 0 \
	"$(val enabled "$(echo "$out" | grep '"ifname": "gre0"')")"

out=$(set_heard a '{"ifname": "gre1", "reflect": 0}')
check "tunnel-set reflect 0" [ $? = 0 ]
echo "  $out"
check_eq "one notification, reason reflect-changed" "reflect-changed " "$(reasons "$out")"
check_eq "it carries the new reflect" 0 "$(val reflect "$out")"
check_eq "and the interval kept" 1000 "$(val interval-ms "$out")"

# The per-operation policy: an attribute of the set that tunnel-get (or
# tunnel-set) does not take is refused, and the extack points at it.
out=$(ynl a --do tunnel-get --json '{"ifname": "gre1", "interval-ms": 100}')
check "tunnel-get refuses interval-ms" [ $? != 0 ]
echo "$out" | sed 's/^/  /'
check "the extack names interval-ms" out_has "'bad-attr': '.interval-ms'" echo "$out"
out=$(ynl a --do tunnel-set --json '{"ifname": "gre1", "counter": 0}')
check "tunnel-set refuses counter, a state attribute" [ $? != 0 ]
check "the extack names counter" out_has "'bad-attr': '.counter'" echo "$out"
out=$(ynl a --do tunnel-get --json '{"ifname": "gre1"}')
check_eq "the refused requests changed nothing" "1000 5 0" \
	"$(val interval-ms "$out") $(val retries "$out") $(val reflect "$out")"

out=$(set_heard a '{"ifname": "gre1", "enabled": 0}')
check "tunnel-set enabled 0" [ $? = 0 ]
check_eq "one notification, reason disabled" "disabled " "$(reasons "$out")"
check_eq "it says enabled 0" 0 "$(val enabled "$out")"

# A change of several parts is still one change: one notification, with
# the whole new state, named after its weightiest part.
out=$(set_heard a '{"ifname": "gre1", "enabled": 1, "interval-ms": 2000, "reflect": 1}')
check "tunnel-set enabled, interval and reflect at once" [ $? = 0 ]
echo "  $out"
check_eq "one notification, reason enabled" "enabled " "$(reasons "$out")"
check_eq "it carries all of the change" "1 2000 1" \
	"$(val enabled "$out") $(val interval-ms "$out") $(val reflect "$out")"
finish
