#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# gka-cost: 200 12
# gka-kernel: debug stock
# The netlink API under hostile input. gka-nlfuzz sends 100,000 generated
# and mutated messages (unknown commands and attributes, wrong types and
# lengths, truncated, oversized, flagged as nests, out of range, naming
# devices that are not there or not tunnels), interleaved with valid
# requests, from root, from an unprivileged user and from another netns,
# with dumps read whole or abandoned half-way. Its oracle predicts every
# answer: the kernel must give exactly that errno, with an extack message
# wherever the family (not the generic netlink core) refuses, and GETs,
# dumps and sysfs must show what the valid requests configured. The
# debug kernel's KASAN, lockdep and kmemleak watch all of it.
. /tests/integration/lib.sh

count=${GKA_NLFUZZ_COUNT:-100000}
seed=${GKA_NLFUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}

modprobe veth && modprobe ip_gre || fatal "modprobe veth ip_gre"
netns_add a
netns_add w
ip link add a0 netns a type veth peer name w0 netns w
ip -n a addr add $A_WAN/24 dev a0
ip -n a link set a0 up
modprobe gre_keepalive || fatal "modprobe gre_keepalive"

# Forty point-to-point tunnels, so that a dump takes several parts, and
# one of each kind that cannot run keepalive.
tunnels=
i=1
while [ $i -le 40 ]; do
	case $((i % 4)) in
	0) opts= ;;
	1) opts="key $i" ;;
	2) opts="csum" ;;
	3) opts="ikey $i okey $((i + 1000))" ;;
	esac
	echo "link add gkf$i type gre local $A_WAN remote 198.51.100.$i $opts"
	tunnels="$tunnels gkf$i"
	i=$((i + 1))
done > /tmp/nlfuzz.batch
cat >> /tmp/nlfuzz.batch <<END
link add tap1 type gretap local $A_WAN remote 198.51.100.100
link add nbma1 type gre local $A_WAN
link add ext1 type gre external
link add seq1 type gre local $A_WAN remote 198.51.100.101 iseq
END
check "forty-four tunnels created" ip -n a -batch /tmp/nlfuzz.batch
# A few up: their timers run and their reflection hooks come and go.
for t in gkf1 gkf2 gkf3; do
	ip -n a link set $t up
done
tunnels="$tunnels tap1:notgre nbma1:off ext1:off seq1:off"

echo "  seed $seed (GKA_NLFUZZ_SEED=$seed replays it)"
# Every change is logged: on the serial console of a TCG guest that
# would be most of the run's time. The log is recorded and judged instead.
quiet_start fuzz
start=$(now_ms)
in_ns a gka-nlfuzz --seed "$seed" --count "$count" \
	--other-netns /run/netns/w $tunnels > /tmp/nlfuzz.out 2>&1
st=$?
quiet_end
sed 's/^/  /' /tmp/nlfuzz.out
echo "  $(( ($(now_ms) - start) / 1000 )) s for $count messages"
check "every answer the predicted one (seed $seed)" [ $st = 0 ]
check_eq "all $count messages sent" "$count" \
	"$(sed -n 's/^GKA-NLFUZZ .*messages=\([0-9]*\).*/\1/p' /tmp/nlfuzz.out)"
check "invalid messages among them" \
	[ "$(sed -n 's/^GKA-NLFUZZ .*invalid=\([0-9]*\).*/\1/p' /tmp/nlfuzz.out)" -gt $((count / 3)) ]

# sysfs tells the same story as netlink, tunnel by tunnel.
bad=0
for t in $tunnels; do
	t=${t%:*}
	nl=$(in_ns a gka-nlsend get "ifname:str:$t" | sed -n 's/^msg //p')
	fs=
	for f in enabled interval_ms retries reflect; do
		ka_read a "$t" $f
		fs="$fs $f=$KA"
	done
	for kv in $fs; do
		case " $nl " in
		*" $kv "*) ;;
		*) bad=$((bad + 1)); echo "  $t: sysfs $kv, netlink: $nl" ;;
		esac
	done
done
check_eq "sysfs and netlink agree on every tunnel" 0 "$bad"

netns_del w
check "module unloads after the fuzz" rmmod gre_keepalive
finish
