#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make bench, scale section (issue 14): many keyed GRE tunnels from router A
# to one peer B, in one stock-kernel guest (gka.mode=bench-scale). Prints
# raw figures as "SCALE KEY VALUE" lines; tests/bench/scale-report.sh turns
# them into the table (goal, measured, pass/miss) and JSON on the host.
#
# A and B are network namespaces joined by a veth pair (a0 192.0.2.1 --
# b0 192.0.2.2), with N tunnels gK (key K, 1..N) from A to B, made with
# "ip -batch"; IPv6 is off in both, so that no tunnel sends anything of its
# own. The module is loaded with its defaults (B reflects A's probes).
#
# Part 1, N1 tunnels at I1 ms x RETRIES (default 1,000 at 1 s x 3):
#   memory added by loading the module; idle CPU baseline (keepalive off);
#   the baseline daemon (tests/bench/gka-kad.c) on A for WINDOW s, then the
#   path cut and restored; keepalive enabled on A with one "gre-keepalive
#   apply", WINDOW s, a dump timed, the path cut and restored.
# Part 2, N2 tunnels at I2 ms x RETRIES (default 10,000 at 10 s x 3): the
#   module unloaded, tunnels added up to N2, memory, baseline, enable,
#   WINDOW s, dump, then the storm: the path cut for all at once, and
#   restored.
#
# "The path cut" is a blackhole route to B's address in A's namespace: it
# takes A's route to the peer away at once for every tunnel (what a lost
# uplink does to a hub), and it is the same for the module and the daemon,
# whose probes leave by the same route.
#
# CPU: user+system+irq+softirq jiffies of /proc/stat (all vCPUs) over a
# window, minus the idle baseline's rate over the same span. Probes in a
# window: counted on A's a0 as they leave (gka-bench probes, an AF_PACKET
# ring, which also gives the 10 ms bins). Line protocol changes are seen as
# routing daemons see them: RTM_NEWLINK on A (gka-bench links), IFF_RUNNING
# cleared (carrier off, or the daemon's admin down). RTNL: gka-bench rtnl
# takes RTNL in a loop on a dummy device and reports its worst wait. Log
# lines: kernel log sequence numbers (gka-bench kmsg-seq). The console only
# shows warnings and worse while this runs (as on a production router: a
# serial console at 115200 baud would be the bottleneck otherwise); every
# line still goes to the kernel log, where it is counted.
#
# Settings (gka.env on the kernel command line, GKA_SCALE_* in the
# environment of scripts/bench.sh): N1 I1_MS N2 I2_MS RETRIES WINDOW_S
# BASE_S DAEMON (1/0) STORM (1/0); N2=0 skips part 2.
. /tests/integration/lib.sh

N1=${GKA_SCALE_N1:-1000}
I1=${GKA_SCALE_I1_MS:-1000}
N2=${GKA_SCALE_N2:-10000}
I2=${GKA_SCALE_I2_MS:-10000}
R=${GKA_SCALE_RETRIES:-3}
W=${GKA_SCALE_WINDOW_S:-60}
BASE=${GKA_SCALE_BASE_S:-30}
DAEMON=${GKA_SCALE_DAEMON:-1}
STORM=${GKA_SCALE_STORM:-1}
A=192.0.2.1
B=192.0.2.2
N=0	# tunnels that exist now

out() { echo "SCALE $1 $2"; }
now() { now-ns; }
jiffies() { awk '/^cpu / { print $2 + $4 + $7 + $8 }' /proc/stat; }
first_line_is() { read -r KA < "$1" && [ "$KA" = "$2" ]; }
# Up to 2 minutes: gka-bench links reads every link first, which waits for
# RTNL while a storm holds it.
wait_ready() { wait_for 120000 first_line_is "$1" ready || fatal "$1 never got ready"; }
ms() { echo $((($2 - $1) / 1000000)); }

# tunnels_batch NS LOCAL REMOTE FROM TO: "ip -batch" lines for gFROM..gTO.
tunnels_batch() {
	awk -v l="$2" -v r="$3" -v from="$4" -v to="$5" 'BEGIN {
		for (i = from; i <= to; i++)
			printf "link add g%d type gre local %s remote %s key %d ttl 64\n",
				i, l, r, i
		for (i = from; i <= to; i++)
			printf "link set g%d up\n", i
	}' > "/tmp/$1.batch"
	ip -n "$1" -batch "/tmp/$1.batch"
}

topology() {
	local ns
	modprobe veth && modprobe ip_gre && modprobe dummy || fatal "modprobe veth ip_gre dummy"
	for ns in a b; do
		netns_add $ns
		in_ns $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1
		in_ns $ns sysctl -qw net.ipv6.conf.default.disable_ipv6=1
		ip -n $ns link set lo up
	done
	ip link add a0 netns a type veth peer name b0 netns b
	ip -n a addr add $A/24 dev a0
	ip -n b addr add $B/24 dev b0
	ip -n a link set a0 up
	ip -n b link set b0 up
	# RTNL is global: gka-bench rtnl takes it through a device of its own.
	ip link add rtnl0 type dummy
}

# grow TO: tunnels g(N+1)..gTO on both sides.
grow() {
	local t0
	t0=$(now)
	tunnels_batch a $A $B $((N + 1)) "$1" || fatal "A's tunnels"
	tunnels_batch b $B $A $((N + 1)) "$1" || fatal "B's tunnels"
	out "$P.setup_ms" "$(ms "$t0" "$(now)")"
	N=$1
	out "$P.tunnels" "$N"
	check "$P: $N tunnels on A" out_lines "$N" sh -c "ls /run/sys-a/class/net | grep '^g[0-9]'"
}

settle() { sync; echo 2 > /proc/sys/vm/drop_caches; sleep 3; }
kernfs_nodes() {
	if grep -q '^kernfs_node_cache ' /proc/slabinfo; then
		awk '$1 == "kernfs_node_cache" { print $2 }' /proc/slabinfo
	else
		read -r KA _ < /sys/kernel/slab/kernfs_node_cache/objects && echo "$KA"
	fi
}
slab_kib() { awk '/^Slab:/ { print $2 }' /proc/meminfo; }
slab_active_kib() { awk 'NR > 2 { s += $2 * $4 } END { printf "%d\n", s / 1024 }' /proc/slabinfo; }

# load_measured: modprobe, with the slab before and after.
load_measured() {
	settle
	out "$P.mem.slab_kib_before" "$(slab_kib)"
	out "$P.mem.slab_active_kib_before" "$(slab_active_kib)"
	out "$P.mem.kernfs_before" "$(kernfs_nodes)"
	modprobe gre_keepalive || fatal "modprobe gre_keepalive"
	settle
	out "$P.mem.slab_kib_after" "$(slab_kib)"
	out "$P.mem.slab_active_kib_after" "$(slab_active_kib)"
	out "$P.mem.kernfs_after" "$(kernfs_nodes)"
	out "$P.mem.gre_devices" $((2 * N))
}

# window NAME SECONDS: CPU and probes leaving A over SECONDS.
window() {
	local j0 j1 t0 t1 pid
	in_ns a gka-bench probes a0 "$2" out > /tmp/probes &
	pid=$!
	wait_ready /tmp/probes
	j0=$(jiffies)
	t0=$(now)
	sleep "$2"
	j1=$(jiffies)
	t1=$(now)
	wait $pid
	out "$1.cpu_jiffies" $((j1 - j0))
	out "$1.cpu_ns" $((t1 - t0))
	set -- "$1" $(tail -1 /tmp/probes)
	[ "$2" = probes ] || fatal "gka-bench probes: $*"
	out "$1.wire_probes" "$3"
	out "$1.max10ms" "$7"
	out "$1.mean10ms" "$9"
	out "$1.capture_drops" "${11}"
}

# dump_sums: tunnels enabled down sent replies transitions errors, from
# one JSON dump of A's tunnels.
dump_sums() {
	in_ns a gre-keepalive -j show | tr ',{}[]' '\n\n\n\n\n' | awk -F: '
		$1 == "\"ifname\"" && $2 ~ /^"g[0-9]/ { t++; ours = 1; next }
		$1 == "\"ifname\"" { ours = 0; next }
		!ours { next }
		$1 == "\"enabled\"" && $2 == "true" { e++ }
		$1 == "\"line_protocol\"" && $2 == "\"down\"" { d++ }
		$1 == "\"probes_sent\"" { s += $2 }
		$1 == "\"replies\"" { r += $2 }
		$1 == "\"transitions\"" { tr += $2 }
		$1 == "\"probe_errors\"" { er += $2 }
		END { printf "%d %d %d %.0f %.0f %.0f %.0f\n", t, e, d, s, r, tr, er }'
}

# time_dump: wall time of a JSON dump of every tunnel, best of 3, less a
# run of the tool that does not dump (its start in the namespace).
time_dump() {
	local i t0 t1 best=0 base=0 d
	for i in 1 2 3; do
		t0=$(now)
		in_ns a gre-keepalive -V > /dev/null
		t1=$(now)
		d=$((t1 - t0))
		[ $base = 0 ] || [ $d -lt $base ] && base=$d
		t0=$(now)
		in_ns a gre-keepalive -j show > /dev/null || fatal "dump"
		t1=$(now)
		d=$((t1 - t0))
		[ $best = 0 ] || [ $d -lt $best ] && best=$d
	done
	out "$P.dump_us" $((best / 1000))
	out "$P.dump_start_us" $((base / 1000))
}

# enable: keepalive on all of A's tunnels, one "gre-keepalive apply".
enable() {
	local t0 t1
	awk -v n="$N" -v i="$I" -v r="$R" 'BEGIN {
		for (k = 1; k <= n; k++)
			printf "g%d interval %dms retries %d\n", k, i, r
	}' > /tmp/ka.conf
	t0=$(now)
	in_ns a gre-keepalive apply -c /tmp/ka.conf > /dev/null || fatal "apply"
	t1=$(now)
	out "$P.enable_us" $(((t1 - t0) / 1000))
}

# link_times FILE T0 KEY: min, median, max of the "NAME NS" lines' times
# after T0, in ms; how many were in that state from the start.
link_times() {
	grep '^g' "$1" | awk -v t0="$2" '{ print ($2 - t0) / 1e6 }' | sort -n |
		awk -v k="$3" '{ v[NR] = $1 } END {
			if (NR) printf "SCALE %s.min_ms %.1f\nSCALE %s.median_ms %.1f\nSCALE %s.max_ms %.1f\n",
				k, v[1], k, v[int((NR + 1) / 2)], k, v[NR]
			printf "SCALE %s.count %d\n", k, NR }'
	echo "SCALE $3.already $(grep -c '^already ' "$1")"
}

# cut KEY TIMEOUT_MS: black-hole the path to B on A; every tunnel's line
# protocol down, timed per tunnel; RTNL and the kernel log watched. Then
# restore KEY TIMEOUT_MS: the path back, every tunnel up.
phase() {
	local key=$1 want=$2 timeout=$3 t0 s0 s1 rtnl links
	in_ns a gka-bench links g "$N" "$want" "$timeout" > /tmp/links &
	links=$!
	wait_ready /tmp/links
	gka-bench rtnl rtnl0 $((timeout / 1000 + 30)) > /tmp/rtnl &
	rtnl=$!
	wait_ready /tmp/rtnl
	s0=$(gka-bench kmsg-seq)
	t0=$(now)
	if [ "$want" = down ]; then
		ip -n a route add blackhole $B/32
	else
		ip -n a route del blackhole $B/32
	fi
	wait $links
	out "$key.all_ms" "$(ms "$t0" "$(now)")"
	kill -TERM $rtnl
	wait $rtnl
	s1=$(gka-bench kmsg-seq)
	out "$key.log_lines" $((s1 - s0 - 1))
	set -- $(tail -1 /tmp/rtnl)
	out "$key.rtnl_max_us" "$5"
	out "$key.rtnl_p99_us" "$7"
	out "$key.rtnl_requests" "$3"
	out "$key.rtnl_over10ms" "${11}"
	out "$key.rtnl_over100ms" "${13}"
	set -- $(tail -1 /tmp/links)
	out "$key.overruns" "$6"
	link_times /tmp/links "$t0" "$key"
}
# Twice the time the goals allow, so that a miss is still measured.
cut() { phase "$1" down $((2 * I * (R + 1) + 30000)); }
restore() { phase "$1" up $((3 * I + 30000)); }

# rtnl_quiet KEY: RTNL's worst wait for 5 s with nothing happening.
rtnl_quiet() {
	local key=$1
	set -- $(gka-bench rtnl rtnl0 5 | tail -1)
	out "$key.rtnl_max_us" "$5"
	out "$key.rtnl_p99_us" "$7"
	out "$key.rtnl_over10ms" "${11}"
}

kad_stats() {	# sets KAD to the daemon's counters: "sent errors replies transitions down dropped"
	local n
	n=$(grep -c '^kad ' /tmp/kad.out)
	kill -USR1 $KAD_PID
	wait_for 10000 sh -c "[ \$(grep -c '^kad ' /tmp/kad.out) -gt $n ]" ||
		fatal "the daemon does not answer"
	set -- $(grep '^kad ' /tmp/kad.out | tail -1)
	KAD="$5 $7 $9 ${13} ${15} ${17}"
}

# The module's run: keepalive on all of A's tunnels, WINDOW s.
module_run() {
	local d0 d1 t0 t1
	enable
	# Every tunnel starts at a random point of its first interval.
	usleep $(((I + 500) * 1000))
	# The counters are read some time into each dump: take the middles.
	t0=$(now)
	d0=$(dump_sums)
	t0=$(((t0 + $(now)) / 2))
	window "$P.ka" "$W"
	t1=$(now)
	d1=$(dump_sums)
	t1=$(((t1 + $(now)) / 2))
	set -- $d0 $d1
	out "$P.ka.enabled" "$9"
	out "$P.ka.down" "${10}"
	out "$P.ka.sent" $((${11} - $4))
	out "$P.ka.expected" "$(awk -v n="$N" -v i="$I" -v d=$((t1 - t0)) 'BEGIN { printf "%d\n", n * d / 1e6 / i }')"
	out "$P.ka.replies" $((${12} - $5))
	out "$P.ka.false_transitions" "${13}"
	out "$P.ka.errors" $((${14} - $7))
	check_eq "$P: keepalive on every tunnel" "$N" "$9"
	time_dump
}

daemon_run() {
	local k0 k1 t0 t1
	awk -v n="$N" 'BEGIN { for (k = 1; k <= n; k++) printf "g%d %d\n", k, k }' > /tmp/kad.tunnels
	: > /tmp/kad.out
	# Not through in_ns, a function (a subshell in the background): $! must
	# be the daemon, which nsenter becomes.
	nsenter --net=/run/netns/a gka-kad a0 $A $B "$I" "$R" /tmp/kad.tunnels > /tmp/kad.out &
	KAD_PID=$!
	wait_ready /tmp/kad.out
	usleep $(((I + 500) * 1000))
	t0=$(now)
	kad_stats
	k0=$KAD
	window "$P.kad" "$W"
	kad_stats
	k1=$KAD
	t1=$(now)
	# sent errors replies transitions down dropped, before and after
	set -- $k0 $k1
	out "$P.kad.sent" $(($7 - $1))
	out "$P.kad.expected" "$(awk -v n="$N" -v i="$I" -v d=$((t1 - t0)) 'BEGIN { printf "%d\n", n * d / 1e6 / i }')"
	out "$P.kad.replies" $(($9 - $3))
	out "$P.kad.false_transitions" "${10}"
	out "$P.kad.down" "${11}"
	out "$P.kad.dropped" $((${12} - $6))
	cut "$P.kad.cut"
	restore "$P.kad.restore"
	kad_stats
	set -- $KAD
	out "$P.kad.down_after" "$5"
	kill -TERM $KAD_PID
	wait $KAD_PID
	# Whatever the daemon left down, up again for the module's run.
	awk -v n="$N" 'BEGIN { for (k = 1; k <= n; k++) printf "link set g%d up\n", k }' > /tmp/up.batch
	ip -n a -batch /tmp/up.batch
	check_eq "$P: every tunnel up after the daemon" "$N" \
		"$(ip -n a -o link show up | grep -c ': g[0-9]*[@:]')"
}

read -r CONSOLE_LEVEL _ < /proc/sys/kernel/printk
echo 5 > /proc/sys/kernel/printk
out meta.kernel "$(uname -r)"
out meta.vcpus "$(grep -c ^processor /proc/cpuinfo)"
out meta.mem_mib $(($(awk '/^MemTotal:/ { print $2 }' /proc/meminfo) / 1024))
out meta.retries "$R"
out meta.window_s "$W"
out meta.base_s "$BASE"

topology

# --- Part 1 -----------------------------------------------------------------
P=n1 I=$I1
out n1.interval_ms "$I"
grow "$N1"
load_measured
window n1.base "$BASE"
if [ "$DAEMON" = 1 ]; then
	daemon_run
fi
module_run
rtnl_quiet n1.quiet
cut n1.ka.cut
restore n1.ka.restore
set -- $(dump_sums)
out n1.ka.transitions_after "$6"

# --- Part 2 -----------------------------------------------------------------
if [ "$N2" -gt "$N1" ]; then
	P=n2 I=$I2
	out n2.interval_ms "$I"
	rmmod gre_keepalive || fatal "rmmod"
	grow "$N2"
	load_measured
	window n2.base "$BASE"
	module_run
	if [ "$STORM" = 1 ]; then
		rtnl_quiet n2.storm.quiet
		cut n2.storm.cut
		restore n2.storm.restore
		set -- $(dump_sums)
		out n2.storm.down_after "$3"
	fi
fi

echo "$CONSOLE_LEVEL" > /proc/sys/kernel/printk
ok "scale bench ran"
finish
