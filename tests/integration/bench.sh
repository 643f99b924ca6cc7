#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make bench: figures, not pass/fail. Under qemu TCG, so read them as an
# upper bound of what real hardware does.
#  - detection: black hole to carrier down, for 1 s x 3 and 100 ms x 3,
#    median and worst of 10, from the kernel's own transition timestamp;
#  - recovery: path restored to carrier up (includes waiting for the next
#    probe), and reply to carrier up;
#  - send-time accuracy at 10 ms, from printk timestamps of the probes'
#    dynamic-debug lines;
#  - what the reflection hook costs ordinary traffic: UDP through the
#    tunnel with reflection on (hook registered) and off (no hook),
#    alternating, packets per second at the receiver.
. /tests/integration/lib.sh

now_ns() { now-ns; }
stats() {	# name, then one figure per line on stdin (ms)
	sort -n | awk -v name="$1" '{ v[NR] = $1 } END {
		printf "%-34s median %8.1f ms  worst %8.1f ms  (n=%d)\n",
			name, v[int((NR + 1) / 2)], v[NR], NR }'
}

topology
tunnels
modprobe gre_keepalive || fatal "modprobe"

for cfg in "1000 3" "100 3"; do
	set -- $cfg
	keepalive a gre1 "$1" "$2"
	: > /tmp/detect
	: > /tmp/recover
	: > /tmp/replyup
	for run in 1 2 3 4 5 6 7 8 9 10; do
		wait_for 5000 carrier_is a gre1 1
		wait_for 5000 ka_at_least a gre1 replies $(($(ka a gre1 replies) + 1))
		# Cut at a random point within the interval.
		usleep $(( $(awk 'BEGIN { srand(); print int(rand() * 1000) }') * $1 ))
		t0=$(now_ns)
		blackhole
		wait_for $(($1 * 6)) carrier_is a gre1 0
		t1=$(ka a gre1 last_change_ns)
		echo $(((t1 - t0) / 1000)) | awk '{ print $1 / 1000 }' >> /tmp/detect
		t2=$(now_ns)
		restore
		wait_for $(($1 * 3)) carrier_is a gre1 1
		t3=$(ka a gre1 last_change_ns)
		echo $(((t3 - t2) / 1000)) | awk '{ print $1 / 1000 }' >> /tmp/recover
		echo $((($(ka a gre1 last_change_ns) - $(ka a gre1 last_reply_ns)) / 1000)) |
			awk '{ print $1 / 1000 }' >> /tmp/replyup
	done
	echo "BENCH keepalive $1 ms x $2:"
	stats "BENCH   blackhole -> carrier down" < /tmp/detect
	stats "BENCH   restore -> carrier up" < /tmp/recover
	stats "BENCH   reply -> carrier up" < /tmp/replyup
	ka_set a gre1 enabled 0
done

# Send times at 10 ms.
echo 'module gre_keepalive +p' > /sys/kernel/debug/dynamic_debug/control
dmesg -c > /dev/null
keepalive a gre1 10 3
wait_for 5000 ka_at_least a gre1 probes_sent 300
ka_set a gre1 enabled 0
echo 'module gre_keepalive -p' > /sys/kernel/debug/dynamic_debug/control
dmesg | grep 'gre1: sending keepalive' |
	sed -E 's/^\[ *([0-9.]+)\].*/\1/' |
	awk 'NR > 1 { print ($1 - prev) * 1000 } { prev = $1 }' > /tmp/gaps
awk '{ d = $1 - 10; if (d < 0) d = -d; print d }' /tmp/gaps |
	stats "BENCH 10 ms interval, |gap - 10 ms|"
# Ordinary traffic through the tunnel, with and without the reflection hook.
pps() {	# prints the receiver's packets per second for one blast
	: > /tmp/sink
	in_ns b gka-wire sink 9000 20000 3000 > /tmp/sink &
	sink=$!
	wait_for 10000 sh -c 'read -r l < /tmp/sink && [ "$l" = ready ]'
	in_ns a gka-wire blast $B_IN 9000 20000
	wait $sink
	awk '/^received/ { if ($4 > 0) printf "%d\n", $2 * 1e9 / $4 }' /tmp/sink
}
: > /tmp/pps-on
: > /tmp/pps-off
for run in 1 2 3 4 5 6; do
	for mode in 1 0; do
		ka_set a gre1 reflect $mode
		ka_set b gre1 reflect $mode
		if [ $mode = 1 ]; then pps >> /tmp/pps-on; else pps >> /tmp/pps-off; fi
	done
done
for mode in on off; do
	sort -n /tmp/pps-$mode | awk -v m=$mode '{ v[NR] = $1 } END {
		printf "BENCH UDP through the tunnel, reflection %-3s median %7d pps  min %7d  max %7d  (n=%d)\n",
			m, v[int((NR + 1) / 2)], v[1], v[NR], NR }'
done
ok "bench ran"
finish
