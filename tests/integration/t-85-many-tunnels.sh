#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A hub's many tunnels to one peer, told apart by their keys alone:
#  - each reply counts for its own tunnel (ip_gre's lookup by remote and
#    key), so no tunnel has more replies than probes;
#  - the peer's end of one tunnel gone takes that tunnel down, no other;
#  - a dump lists every tunnel exactly once, across several netlink
#    messages and while other devices come and go;
#  - an underlay failure that takes them all down at once is logged as a
#    short burst and a count: lines written plus lines counted are every
#    change made.
# gka-cost: 110 35
. /tests/integration/lib.sh

N=200	# ~210 bytes of netlink each: a dump takes two rounds of 32 KiB
# 2 s x 3, 100 probes a second: room for a debug kernel under TCG on a
# busy host, which can stall a vCPU for seconds.
IVL=2000

topology
modprobe gre_keepalive || fatal "modprobe"
dmesg -c > /dev/null

i=1
while [ $i -le $N ]; do
	echo "link add ka$i type gre local $A_WAN remote $B_WAN key $i ttl 64" >> /tmp/t85-a
	echo "link set ka$i up" >> /tmp/t85-a
	echo "link add ka$i type gre local $B_WAN remote $A_WAN key $i ttl 64" >> /tmp/t85-b
	echo "link set ka$i up" >> /tmp/t85-b
	echo "ka$i interval ${IVL}ms retries 3" >> /tmp/t85.conf
	i=$((i + 1))
done
ip -n a -batch /tmp/t85-a || fatal "$N keyed tunnels on A"
ip -n b -batch /tmp/t85-b || fatal "$N keyed tunnels on B"
in_ns a gre-keepalive apply -c /tmp/t85.conf > /dev/null ||
	fatal "keepalive on $N tunnels with one apply"

# dump FILE: A's tunnels, one "name probes replies transitions line" per
# line, from one `gre-keepalive -j show`.
dump() {
	in_ns a gre-keepalive -j show > /tmp/t85-json || return 1
	tr '{' '\n' < /tmp/t85-json |
		sed -n 's/.*"ifname":"\(ka[0-9]*\)".*"line_protocol":"\([a-z]*\)".*"probes_sent":\([0-9]*\).*"replies":\([0-9]*\),"transitions":\([0-9]*\).*/\1 \3 \4 \5 \2/p' \
		> "$1"
}

# Every tunnel has had a reply, and none more replies than probes.
all_answered() {
	dump /tmp/t85-now &&
		[ "$(awk '$3 >= 2' /tmp/t85-now | wc -l)" = $N ]
}
check "every one of $N keyed tunnels to one peer gets replies" \
	wait_for $((IVL * 20)) all_answered
check_eq "no tunnel counts more replies than it sent probes" 0 \
	"$(awk '$3 > $2' /tmp/t85-now | wc -l)"
check_eq "no line protocol went down" 0 \
	"$(awk '$4 != 0 || $5 != "up"' /tmp/t85-now | wc -l)"

# --- One peer end gone: its tunnel alone goes down ---------------------------
ip -n b link del ka7
check "A's ka7 goes down when B's ka7 is gone" \
	wait_for $((IVL * 8)) carrier_is a ka7 0
dump /tmp/t85-now
check_eq "every other tunnel stays up, without a transition" 0 \
	"$(awk '$1 != "ka7" && ($4 != 0 || $5 != "up")' /tmp/t85-now | wc -l)"
ip -n b link add ka7 type gre local $B_WAN remote $A_WAN key 7 ttl 64
ip -n b link set ka7 up
check "and comes back up with it" wait_for $((IVL * 4)) carrier_is a ka7 1

# --- Dumps --------------------------------------------------------------------
# each_once FILE: every ka1..kaN exactly once, nothing else.
each_once() {
	[ "$(awk '{ print $1 }' "$1" | sort -u | grep -c '^ka[0-9]*$')" = $N ] &&
		[ "$(wc -l < "$1")" = $N ]
}
dump /tmp/t85-now
check "a dump of $N tunnels (several messages) lists each exactly once" \
	each_once /tmp/t85-now

touch /tmp/t85-churn
(
	while [ -f /tmp/t85-churn ]; do
		ip -n a link add t85dum type dummy
		ip -n a link del t85dum
	done
) &
churn=$!
# The tunnels stay put while other devices come and go: the dump resumes
# at the device it stopped after, so each of them is listed exactly once
# (the tool asks again when the kernel flags a dump, and warns if it never
# settles).
done_ok=0
for run in 1 2 3 4 5 6 7 8 9 10; do
	in_ns a gre-keepalive -j show > /tmp/t85-json 2> /tmp/t85-err &&
		tr '{' '\n' < /tmp/t85-json |
		sed -n 's/.*"ifname":"\(ka[0-9]*\)".*/\1/p' > /tmp/t85-names &&
		[ "$(sort -u /tmp/t85-names | wc -l)" = $N ] &&
		[ "$(wc -l < /tmp/t85-names)" = $N ] &&
		done_ok=$((done_ok + 1))
done
rm -f /tmp/t85-churn
wait $churn
check_eq "10 dumps while devices come and go list every tunnel once" 10 $done_ok

# --- A storm, logged in short -------------------------------------------------
blackhole
all_down() {
	dump /tmp/t85-now && [ "$(awk '$5 == "down"' /tmp/t85-now | wc -l)" = $N ]
}
check "an underlay failure takes all $N down" wait_for $((IVL * 15)) all_down
restore
all_up() {
	dump /tmp/t85-now && [ "$(awk '$5 == "up"' /tmp/t85-now | wc -l)" = $N ]
}
check "and its repair brings them all back" wait_for $((IVL * 15)) all_up

# Changes made since the load: N enabled, ka7 down and up, N down, N up.
CHANGES=$((3 * N + 2))
logged() {
	dmesg > /tmp/t85-dmesg
	lines=$(grep -c 'gre_keepalive: ka[0-9]*: ' /tmp/t85-dmesg)
	counted=$(sed -n 's/.*gre_keepalive: \([0-9]*\) more tunnel changes not logged.*/\1/p' \
		/tmp/t85-dmesg | awk '{ s += $1 } END { print s + 0 }')
	[ $((lines + counted)) = $CHANGES ]
}
check "lines logged plus lines counted are the $CHANGES changes made" \
	wait_for 20000 logged
echo "  ($lines lines, $counted counted)"
check "the storm's $N downs took at most two bursts of lines" \
	[ "$(grep -c 'gre_keepalive: ka[0-9]*: line protocol down' /tmp/t85-dmesg)" -le 20 ]

netns_del_all
finish
